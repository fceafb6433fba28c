# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_lcp_MODS = daemon/lcp daemon/fsm daemon/log tests/lib/auth_stub tests/lib/timer_manual tests/lib/fsm_feed
