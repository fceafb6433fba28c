# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
fuzz_config_MODS = daemon/config daemon/config6 daemon/filecheck daemon/parse daemon/printconf daemon/log daemon/compat daemon/mschap daemon/crypto daemon/dns
