t_route_MODS = daemon/route daemon/tun daemon/log
