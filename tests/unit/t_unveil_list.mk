# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_unveil_list_MODS = daemon/unveil_list daemon/config daemon/config6 daemon/filecheck daemon/parse daemon/printconf daemon/log daemon/compat daemon/mschap daemon/crypto daemon/dns
