# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_osdep_MODS = daemon/osdep-$(OS)
