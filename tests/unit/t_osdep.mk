t_osdep_MODS = daemon/osdep-$(OS)
