t_fsm_MODS = daemon/fsm daemon/log tests/lib/timer_manual
