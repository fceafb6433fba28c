t_nft_mss-linux_MODS = kernel-glue/nft_mss-linux kernel-glue/nft_batch-linux daemon/nl-linux daemon/tun daemon/tun-linux daemon/log tests/lib/netns-linux
