# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_pptp_ctrl_MODS = daemon/pptp_ctrl daemon/pptp_msg daemon/log tests/lib/timer_manual tests/peer/pptp_pac daemon/compat tests/lib/logcap
