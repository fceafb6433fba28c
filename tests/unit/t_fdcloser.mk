t_fdcloser_MODS = daemon/fdcloser daemon/log
