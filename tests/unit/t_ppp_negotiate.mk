# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_ppp_negotiate_MODS = daemon/ppp daemon/fsm daemon/lcp daemon/ccp daemon/ipcp daemon/ipv6cp daemon/auth daemon/pap daemon/chap daemon/chap_ms daemon/mschap daemon/mppe_keys daemon/crypto daemon/log tests/lib/timer_manual
