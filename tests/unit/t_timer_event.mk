# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_timer_event_MODS = daemon/timer_event daemon/log
