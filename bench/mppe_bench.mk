mppe_bench_MODS = daemon/mppe daemon/mppe_keys daemon/crypto daemon/log
