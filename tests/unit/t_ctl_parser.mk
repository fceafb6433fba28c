t_ctl_parser_MODS = ctl/parser
