# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_resolv_text_MODS = daemon/resolv_text daemon/resolv_files
