t_gre_MODS = daemon/gre
