# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
gre_bench_MODS = daemon/gre_call daemon/gre daemon/log tests/lib/timer_manual
