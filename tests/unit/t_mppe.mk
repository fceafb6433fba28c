t_mppe_MODS = daemon/mppe daemon/mppe_keys daemon/crypto daemon/log tests/lib/testutil
