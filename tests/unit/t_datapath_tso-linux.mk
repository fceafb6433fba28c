# Copyright (c) 2026 The pptpc developers daemon/priv daemon/privmsg
# SPDX-License-Identifier: ISC (see LICENSE) daemon/priv daemon/privmsg
t_datapath_tso-linux_MODS = daemon/datapath daemon/datapath_sock daemon/datapath_hold daemon/datapath_sync daemon/gre_call daemon/gre daemon/mppe daemon/mppe_keys daemon/mss daemon/ppp daemon/fsm daemon/lcp daemon/ccp daemon/ipcp daemon/ipv6cp daemon/auth daemon/pap daemon/chap daemon/chap_ms daemon/mschap daemon/crypto daemon/tun daemon/tun-linux daemon/tso daemon/nl-linux daemon/timer_event daemon/log tests/lib/netns-linux daemon/priv daemon/privmsg
