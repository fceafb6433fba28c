t_route_MODS = daemon/route daemon/killswitch daemon/tun daemon/log
