t_ccp_MODS = daemon/ccp daemon/fsm daemon/log tests/lib/timer_manual tests/lib/fsm_feed
