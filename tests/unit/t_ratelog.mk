# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_ratelog_MODS = daemon/log tests/lib/timer_manual tests/lib/logcap
