# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_nft_mss-linux_MODS = kernel-glue/nft_mss-linux kernel-glue/nft_batch-linux daemon/nl-linux daemon/tun daemon/tun-linux daemon/tso daemon/log tests/lib/netns-linux daemon/net6-linux
