# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_pipex_map_MODS = kernel-glue/pipex_map daemon/gre daemon/ccp daemon/fsm daemon/log tests/lib/timer_manual
