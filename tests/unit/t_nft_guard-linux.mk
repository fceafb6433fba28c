# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_nft_guard-linux_MODS = kernel-glue/nft_guard-linux kernel-glue/nft_mss-linux kernel-glue/nft_batch-linux daemon/nl-linux daemon/tun daemon/tun-linux daemon/tso daemon/log tests/lib/netns-linux
