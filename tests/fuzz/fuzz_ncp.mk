# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
fuzz_ncp_MODS = daemon/fsm daemon/lcp daemon/ccp daemon/ipcp tests/lib/auth_stub tests/lib/timer_manual
