t_offload_MODS = kernel-glue/offload daemon/fdcloser daemon/log
