# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_route_MODS = daemon/route daemon/killswitch daemon/tun daemon/log daemon/priv daemon/privmsg
