t_kernel-linux_MODS = kernel-glue/kernel-linux kernel-glue/nft_mss-linux daemon/tun daemon/tun-linux daemon/nl-linux daemon/log
