t_json_MODS = daemon/json daemon/session_info
