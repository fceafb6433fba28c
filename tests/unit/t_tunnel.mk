t_tunnel_MODS = daemon/tunnel_policy daemon/session_info daemon/json daemon/log
