# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_ipcp_MODS = daemon/ipcp daemon/fsm daemon/log tests/lib/timer_manual tests/lib/fsm_feed
