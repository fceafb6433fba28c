# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_ccp_MODS = daemon/ccp daemon/fsm daemon/log tests/lib/timer_manual tests/lib/fsm_feed
