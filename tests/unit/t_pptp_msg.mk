t_pptp_msg_MODS = daemon/pptp_msg
