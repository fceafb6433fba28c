/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Where a tunnel's routes go, from its configuration alone: the engine
 * uses it to build its requests, the parent to fill in the table of each
 * request itself, so that a compromised engine cannot name another table.
 */
#include <string.h>

#include "config.h"
#include "route.h"

/*
 * Linux: one table for all of them, the pin beside the halves it must
 * beat.  OpenBSD: the tunnel's routes in the interface's rdomain, the
 * pin in the sockets'.
 */
void
route_where_conf(const struct tunnel_conf *c, struct route_where *w)
{
	memset(w, 0, sizeof(*w));
	w->mark = c->fwmark;
	w->src = c->local_addr;
	if (CONF_HAS_RDOMAIN) {
		w->table = c->iface_rdomain;
		w->wan_table = c->rdomain;
	} else
		w->table = w->wan_table = c->table;
}
