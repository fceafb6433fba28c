# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_resolve_MODS = daemon/resolve daemon/resolv_text daemon/resolv_files \
	daemon/log
