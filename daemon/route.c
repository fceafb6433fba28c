/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * OS-neutral route handling (see route.h): argument checks, the text that
 * names a route in errors, and the default-route dance.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "priv.h"
#include "route.h"
#include "tun.h"

void
route_init(struct route_spec *r, struct in_addr dst, uint8_t plen,
    const char *ifname)
{
	memset(r, 0, sizeof(*r));
	r->dst = dst;
	r->plen = plen;
	snprintf(r->ifname, sizeof(r->ifname), "%s", ifname);
}

void
route_describe(const struct route_spec *r, char *buf, size_t len)
{
	char dst[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN], tbl[24] = "";

	inet_ntop(AF_INET, &r->dst, dst, sizeof(dst));
	if (r->table != ROUTE_TABLE_DEFAULT)
		snprintf(tbl, sizeof(tbl), " table %u", r->table);
	if (r->flags & ROUTE_GATEWAY) {
		inet_ntop(AF_INET, &r->gateway, gw, sizeof(gw));
		snprintf(buf, len, "route %s/%u via %s on %s%s", dst, r->plen,
		    gw, r->ifname, tbl);
	} else
		snprintf(buf, len, "route %s/%u via %s%s", dst, r->plen,
		    r->ifname, tbl);
}

int
route_check(const struct route_spec *r, char *err, size_t errlen)
{
	char what[96];
	uint32_t mask;

	route_describe(r, what, sizeof(what));
	if (r->plen > 32) {
		snprintf(err, errlen, "%s: prefix length above 32", what);
		errno = EINVAL;
		return -1;
	}
	mask = r->plen == 0 ? 0 : htonl(0xffffffffu << (32 - r->plen));
	if ((r->dst.s_addr & ~mask) != 0) {
		/* The kernels would refuse it or silently mask it. */
		snprintf(err, errlen, "%s: address has bits set past the "
		    "prefix length", what);
		errno = EINVAL;
		return -1;
	}
	return iface_check_name(what, r->ifname, err, errlen);
}

static int
route_change(int add, const struct route_spec *r, char *err, size_t errlen)
{
	char what[96];

	if (route_check(r, err, errlen) == -1)
		return -1;
	route_describe(r, what, sizeof(what));
	if (priv_separated())
		return priv_route_change(add, r, what, err, errlen);
	return kroute_change(add, r, what, err, errlen);
}

int
route_add(const struct route_spec *r, char *err, size_t errlen)
{
	return route_change(1, r, err, errlen);
}

int
route_delete(const struct route_spec *r, char *err, size_t errlen)
{
	return route_change(0, r, err, errlen);
}

int
route_get(struct in_addr dst, struct route_nexthop *nh, char *err,
    size_t errlen)
{
	struct route_where w;

	memset(&w, 0, sizeof(w));
	return route_get_from(dst, &w, nh, err, errlen);
}

int
route_get_from(struct in_addr dst, const struct route_where *w,
    struct route_nexthop *nh, char *err, size_t errlen)
{
	memset(nh, 0, sizeof(*nh));
	return kroute_get(dst, w, nh, err, errlen);
}

int
route_sockaddrs(struct rbuf *r, unsigned int addrs, struct rbuf *out,
    unsigned int nout, size_t align)
{
	const uint8_t *sa;
	unsigned int i;
	size_t salen, room;
	uint8_t len;

	for (i = 0; i < nout; i++)
		rbuf_init(&out[i], NULL, 0);
	for (i = 0; i < nout && i < 32; i++) {
		if ((addrs & (1u << i)) == 0)
			continue;
		if (rbuf_left(r) == 0)
			return -1;
		len = r->data[r->off];
		if (len == 1)
			return -1;	/* no room for sa_len and sa_family */
		salen = len;
		room = len == 0 ? align : (salen + align - 1) / align * align;
		/* The kernel may leave off the padding of the last one. */
		if (salen > rbuf_left(r) || (sa = rbuf_take(r,
		    room < rbuf_left(r) ? room : rbuf_left(r))) == NULL)
			return -1;
		rbuf_init(&out[i], sa, salen);
	}
	return 0;
}

void
defroute_init(struct defroute *d, const char *tunnel)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->tunnel, sizeof(d->tunnel), "%s", tunnel);
}

void
defroute_set_where(struct defroute *d, const struct route_where *w)
{
	d->where = *w;
}

int
defroute_active(const struct defroute *d)
{
	return d->have_host || d->have_half[0] || d->have_half[1];
}

/* Deletes one route we own; one that is gone already is only logged. */
static void
defroute_remove(struct defroute *d, struct route_spec *r, int *have, char *err,
    size_t errlen, int *failed)
{
	char e[ROUTE_ERR_MAX], what[96];

	if (!*have)
		return;
	*have = 0;
	if (route_delete(r, e, sizeof(e)) == 0) {
		route_describe(r, what, sizeof(what));
		log_debug("%s: %s removed", d->tunnel, what);
		return;
	}
	/* Not fatal either way: the goal, the route being gone, is met. */
	if (errno == ESRCH) {
		log_warnx("%s: %s (removed by someone else?)", d->tunnel, e);
		return;
	}
	if (errno == ENODEV) {
		/* The kernel drops a route with its interface. */
		log_info("%s: %s (gone with it)", d->tunnel, e);
		return;
	}
	log_warnx("%s: %s", d->tunnel, e);
	if (!*failed)
		snprintf(err, errlen, "%s", e);
	*failed = 1;
}

int
defroute_down(struct defroute *d, char *err, size_t errlen)
{
	int failed = 0;

	/* Halves first: the server must never be routed into the tunnel. */
	defroute_remove(d, &d->half[1], &d->have_half[1], err, errlen,
	    &failed);
	defroute_remove(d, &d->half[0], &d->have_half[0], err, errlen,
	    &failed);
	defroute_remove(d, &d->host, &d->have_host, err, errlen, &failed);
	return failed ? -1 : 0;
}

int
defroute_up(struct defroute *d, struct in_addr server, const char *tunif,
    char *err, size_t errlen)
{
	struct route_nexthop nh;
	struct in_addr half;
	char what[96], e[ROUTE_ERR_MAX], srv[INET_ADDRSTRLEN];
	int i, saved;

	if (defroute_active(d)) {
		snprintf(err, errlen, "default route via %s: already set",
		    tunif);
		errno = EALREADY;
		return -1;
	}
	inet_ntop(AF_INET, &server, srv, sizeof(srv));
	if (route_get_from(server, &d->where, &nh, e, sizeof(e)) == -1) {
		snprintf(err, errlen, "default route via %s: how to reach "
		    "server %s: %s", tunif, srv, e);
		return -1;
	}
	if (strcmp(nh.ifname, tunif) == 0) {
		/* GRE to the server would be carried inside itself. */
		snprintf(err, errlen, "default route via %s: server %s is "
		    "routed through %s itself", tunif, srv, tunif);
		errno = ELOOP;
		return -1;
	}

	if (!(nh.flags & ROUTE_LOCAL)) {
		route_init(&d->host, server, 32, nh.ifname);
		d->host.table = d->where.wan_table;
		snprintf(d->host.tunnel, sizeof(d->host.tunnel), "%s",
		    d->tunnel);
		if (nh.flags & ROUTE_GATEWAY) {
			d->host.flags = ROUTE_GATEWAY | ROUTE_ONLINK;
			d->host.gateway = nh.gateway;
		}
		route_describe(&d->host, what, sizeof(what));
		if (route_add(&d->host, e, sizeof(e)) == 0) {
			d->have_host = 1;
			log_info("%s: pinned server: %s", d->tunnel, what);
		} else if (errno == EEXIST) {
			/* Someone else's; it is theirs to remove. */
			log_info("%s: %s exists already; leaving it alone",
			    d->tunnel, what);
		} else {
			snprintf(err, errlen, "%s", e);
			return -1;
		}
	}

	for (i = 0; i < 2; i++) {
		half.s_addr = i == 0 ? htonl(0x00000000) : htonl(0x80000000);
		route_init(&d->half[i], half, 1, tunif);
		d->half[i].table = d->where.table;
		if (route_add(&d->half[i], e, sizeof(e)) == -1) {
			saved = errno;
			snprintf(err, errlen, "%s", e);
			/* Leave the table as we found it. */
			defroute_down(d, e, sizeof(e));
			errno = saved;
			return -1;
		}
		d->have_half[i] = 1;
	}
	log_info("%s: default route via %s (0.0.0.0/1, 128.0.0.0/1)",
	    d->tunnel, tunif);
	return 0;
}
