# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_ppp_MODS = daemon/ppp daemon/fsm daemon/lcp daemon/ccp daemon/ipcp daemon/ipv6cp daemon/log tests/lib/auth_stub tests/lib/timer_manual
