# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_mschap_MODS = daemon/mschap daemon/crypto daemon/log tests/lib/testutil
