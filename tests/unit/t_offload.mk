# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_offload_MODS = kernel-glue/offload daemon/fdcloser daemon/log daemon/priv daemon/privmsg
