# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_priv_parent_MODS = daemon/priv_parent daemon/priv_parent11 daemon/priv_pipex kernel-glue/pipex_map daemon/gre daemon/ccp daemon/fsm daemon/priv daemon/privmsg daemon/config daemon/config6 daemon/dns daemon/filecheck daemon/parse daemon/printconf daemon/compat daemon/mschap daemon/crypto daemon/addr_policy daemon/route daemon/route_where daemon/tun daemon/script daemon/log tests/lib/timer_manual tests/lib/logcap tests/lib/priv_fake
