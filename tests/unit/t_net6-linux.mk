# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_net6-linux_MODS = daemon/net6-linux daemon/nl-linux daemon/tun daemon/tun-linux daemon/tso daemon/log tests/lib/netns-linux
