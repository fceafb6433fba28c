t_json_read_MODS = ctl/json_read daemon/json
