# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_kernel-linux_MODS = kernel-glue/kernel-linux daemon/wansock-linux kernel-glue/nft_mss-linux kernel-glue/nft_batch-linux kernel-glue/nft_guard-linux daemon/tun daemon/tso daemon/tun-linux daemon/nl-linux daemon/log daemon/priv daemon/privmsg
