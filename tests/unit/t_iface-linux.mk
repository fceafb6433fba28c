t_iface-linux_MODS = daemon/tun daemon/tun-linux daemon/nl-linux daemon/route daemon/killswitch daemon/route-linux daemon/log tests/lib/netns-linux
