fuzz_ncp_MODS = daemon/fsm daemon/lcp daemon/ccp daemon/ipcp tests/lib/auth_stub tests/lib/timer_manual
