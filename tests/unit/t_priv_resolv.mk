# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_priv_resolv_MODS = daemon/priv daemon/privmsg daemon/resolv_files daemon/priv_parent daemon/config daemon/filecheck daemon/parse daemon/printconf daemon/compat daemon/mschap daemon/crypto daemon/addr_policy daemon/route daemon/tun daemon/script daemon/log tests/lib/timer_manual tests/lib/priv_fake daemon/priv_parent11 daemon/priv_pipex kernel-glue/pipex_map daemon/gre daemon/ccp daemon/fsm daemon/config6 daemon/dns daemon/route_where
