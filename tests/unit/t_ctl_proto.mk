t_ctl_proto_MODS = daemon/control daemon/osdep-$(OS) daemon/json daemon/session_info daemon/log ctl/json_read ctl/parser
