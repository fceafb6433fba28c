# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_wansock-linux_MODS = daemon/wansock-linux daemon/tun daemon/tun-linux daemon/tso daemon/nl-linux daemon/log tests/lib/netns-linux
