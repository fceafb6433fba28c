# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_datapath_sync_MODS = daemon/datapath_sync daemon/log tests/lib/timer_manual
