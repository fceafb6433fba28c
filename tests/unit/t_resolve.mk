t_resolve_MODS = daemon/resolve daemon/log
