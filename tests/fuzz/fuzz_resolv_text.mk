# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
fuzz_resolv_text_MODS = daemon/resolv_text
