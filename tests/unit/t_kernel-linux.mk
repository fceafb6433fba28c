t_kernel-linux_MODS = kernel-glue/kernel-linux daemon/tun daemon/tun-linux daemon/nl-linux daemon/log
