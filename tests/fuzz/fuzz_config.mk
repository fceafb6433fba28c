fuzz_config_MODS = daemon/config daemon/filecheck daemon/parse daemon/printconf daemon/log daemon/compat daemon/mschap daemon/crypto
