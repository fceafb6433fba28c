t_compat_MODS = daemon/compat
