# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_sdnotify_MODS = daemon/sdnotify daemon/log
