t_sdnotify_MODS = daemon/sdnotify daemon/log
