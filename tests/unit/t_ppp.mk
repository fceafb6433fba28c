t_ppp_MODS = daemon/ppp daemon/fsm daemon/lcp daemon/ccp daemon/ipcp daemon/log tests/lib/auth_stub tests/lib/timer_manual
