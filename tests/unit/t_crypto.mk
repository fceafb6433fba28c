t_crypto_MODS = daemon/crypto daemon/log tests/lib/testutil
