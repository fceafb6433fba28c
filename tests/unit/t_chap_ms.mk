# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_chap_ms_MODS = daemon/auth daemon/pap daemon/chap daemon/chap_ms daemon/mschap daemon/mppe_keys daemon/crypto daemon/log tests/lib/timer_manual
