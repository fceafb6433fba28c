t_gre_call_MODS = daemon/gre_call daemon/gre daemon/log tests/lib/timer_manual
