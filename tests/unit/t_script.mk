t_script_MODS = daemon/script daemon/filecheck daemon/log tests/lib/timer_manual
