# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_addr_host-linux_MODS = daemon/addr_host daemon/addr_policy daemon/tun daemon/tun-linux daemon/tso daemon/nl-linux daemon/route daemon/route-linux daemon/log tests/lib/netns-linux daemon/priv daemon/privmsg
