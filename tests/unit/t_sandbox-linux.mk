# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_sandbox-linux_MODS = daemon/sandbox-linux daemon/sandbox_common daemon/tun daemon/tun-linux daemon/nl-linux daemon/log tests/lib/netns-linux
