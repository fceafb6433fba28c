t_ctl_proto_MODS = daemon/control daemon/json daemon/session_info daemon/log ctl/json_read ctl/parser
