t_nft_guard-linux_MODS = kernel-glue/nft_guard-linux kernel-glue/nft_mss-linux kernel-glue/nft_batch-linux daemon/nl-linux daemon/tun daemon/tun-linux daemon/log tests/lib/netns-linux
