# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_mppe_alloc_MODS = daemon/mppe daemon/mppe_keys daemon/crypto daemon/log
