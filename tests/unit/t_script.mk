t_script_MODS = daemon/script daemon/log tests/lib/timer_manual
