t_mschap_MODS = daemon/mschap daemon/crypto daemon/log
