# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_ipv6cp_MODS = daemon/ipv6cp daemon/fsm daemon/log tests/lib/timer_manual tests/lib/fsm_feed
