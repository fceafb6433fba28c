t_mschap_MODS = daemon/mschap daemon/crypto daemon/log tests/lib/testutil
