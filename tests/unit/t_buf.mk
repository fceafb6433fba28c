t_buf_MODS = tests/lib/timer_manual
