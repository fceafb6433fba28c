fuzz_gre_MODS = daemon/gre_call daemon/gre daemon/log tests/lib/timer_manual
