t_pipex_map_MODS = kernel-glue/pipex_map daemon/gre
