# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
fuzz_ipv6cp_MODS = daemon/ipv6cp daemon/fsm tests/lib/timer_manual
