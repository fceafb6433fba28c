# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
fuzz_ppp_MODS = daemon/ppp daemon/fsm daemon/lcp daemon/ccp daemon/ipcp daemon/ipv6cp tests/lib/auth_stub tests/lib/timer_manual
