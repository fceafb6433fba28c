# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_mppe_keys_MODS = daemon/mppe_keys daemon/mschap daemon/crypto daemon/log tests/lib/testutil
