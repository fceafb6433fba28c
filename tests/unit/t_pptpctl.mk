# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
# Runs the built ctl/pptpctl; it links nothing of its own.
t_pptpctl_MODS =
tests/unit/t_pptpctl: | ctl/pptpctl
