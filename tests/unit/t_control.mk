# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_control_MODS = daemon/control daemon/osdep-$(OS) daemon/json daemon/session_info daemon/log ctl/json_read
