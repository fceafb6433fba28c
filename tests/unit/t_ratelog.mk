t_ratelog_MODS = daemon/log tests/lib/timer_manual
