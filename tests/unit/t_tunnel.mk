# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_tunnel_MODS = daemon/tunnel_policy daemon/session_info daemon/json daemon/log daemon/ppp daemon/fsm daemon/lcp daemon/ccp daemon/ipcp daemon/ipv6cp daemon/auth daemon/pap daemon/chap daemon/chap_ms daemon/mschap daemon/mppe_keys daemon/crypto tests/lib/timer_manual
