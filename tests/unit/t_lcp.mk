t_lcp_MODS = daemon/lcp daemon/fsm daemon/log tests/lib/auth_stub tests/lib/timer_manual tests/lib/fsm_feed
