t_control_MODS = daemon/control daemon/json daemon/session_info daemon/log ctl/json_read
