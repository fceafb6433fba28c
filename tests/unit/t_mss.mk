t_mss_MODS = daemon/mss
