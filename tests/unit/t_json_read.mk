# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
t_json_read_MODS = ctl/json_read daemon/json
