t_addr_policy_MODS = daemon/addr_policy
