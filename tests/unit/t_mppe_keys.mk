t_mppe_keys_MODS = daemon/mppe_keys daemon/mschap daemon/crypto daemon/log tests/lib/testutil
