# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_pptp_msg_MODS = daemon/pptp_msg
