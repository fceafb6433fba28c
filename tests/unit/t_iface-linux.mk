# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_iface-linux_MODS = daemon/tun daemon/tun-linux daemon/tso daemon/nl-linux daemon/route daemon/killswitch daemon/route-linux daemon/net6-linux daemon/log tests/lib/netns-linux daemon/priv daemon/privmsg
