# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_script_MODS = daemon/script daemon/filecheck daemon/log tests/lib/timer_manual daemon/priv daemon/privmsg
