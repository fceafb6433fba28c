t_timer_event_MODS = daemon/timer_event daemon/log
