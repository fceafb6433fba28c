# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_crypto_MODS = daemon/crypto daemon/log tests/lib/testutil
