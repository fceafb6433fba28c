# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_fsm_MODS = daemon/fsm daemon/log tests/lib/timer_manual
