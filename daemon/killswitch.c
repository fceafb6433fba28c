/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The kill switch's bookkeeping (killswitch.h): which unreachable routes
 * and which pin to the server it holds, in what order they come and go.
 * The kernel calls are route.c's and the per-OS kroute_reject().
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "killswitch.h"
#include "priv.h"
#include "log.h"
#include "net6.h"
#include "route.h"

static uint32_t
net_mask(uint8_t plen)
{
	return plen == 0 ? 0 : htonl(0xffffffffu << (32 - plen));
}

static int
net_covers(const struct killsw_net *n, struct in_addr a)
{
	return (a.s_addr & net_mask(n->plen)) == n->dst.s_addr;
}

static int
net_same(const struct killsw_net *a, const struct killsw_net *b)
{
	return a->dst.s_addr == b->dst.s_addr && a->plen == b->plen;
}

static void
net_describe(const struct killsw_net *n, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &n->dst, a, sizeof(a));
	snprintf(buf, len, "unreachable route %s/%u", a, n->plen);
}

static int
reject_change(const struct killsw *k, int add, const struct killsw_net *n,
    char *err, size_t errlen)
{
	char what[64];

	net_describe(n, what, sizeof(what));
	/* /0 would hide the server's own lookup; host bits are a typo. */
	if (n->plen < 1 || n->plen > 32 ||
	    (n->dst.s_addr & ~net_mask(n->plen)) != 0) {
		snprintf(err, errlen, "%s: not a prefix the kill switch "
		    "takes", what);
		errno = EINVAL;
		return -1;
	}
	if (priv_separated())
		return priv_route_reject(k->tunnel, add, n->dst, n->plen,
		    k->where.table, what, err, errlen);
	return kroute_reject(add, n->dst, n->plen, k->where.table, what, err,
	    errlen);
}

static int
net6_ok(const struct killsw_net6 *n)
{
	unsigned int i;

	if (n->plen < 1 || n->plen > 128)
		return 0;
	for (i = n->plen; i < 128; i++)
		if (n->dst.s6_addr[i / 8] & (0x80 >> (i % 8)))
			return 0;
	return 1;
}

static int
net6_same(const struct killsw_net6 *a, const struct killsw_net6 *b)
{
	return a->plen == b->plen && IN6_ARE_ADDR_EQUAL(&a->dst, &b->dst);
}

static void
net6_describe(const struct killsw_net6 *n, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &n->dst, a, sizeof(a));
	snprintf(buf, len, "unreachable route %s/%u", a, n->plen);
}

static int
reject6_change(const struct killsw *k, int add, const struct killsw_net6 *n,
    char *err, size_t errlen)
{
	char what[80];

	net6_describe(n, what, sizeof(what));
	/* ::/0 would refuse what is no tunnel's; host bits are a typo. */
	if (!net6_ok(n)) {
		snprintf(err, errlen, "%s: not a prefix the kill switch "
		    "takes", what);
		errno = EINVAL;
		return -1;
	}
	if (priv_separated())
		return priv_route_reject6(k->tunnel, add, n->dst, n->plen,
		    err, errlen);
	return net6_reject_change(add, n->dst, n->plen, k->where.table, err,
	    errlen);
}

static int
route_same(const struct route_spec *a, const struct route_spec *b)
{
	return a->dst.s_addr == b->dst.s_addr && a->plen == b->plen &&
	    (a->flags & ROUTE_GATEWAY) == (b->flags & ROUTE_GATEWAY) &&
	    (!(a->flags & ROUTE_GATEWAY) ||
	    a->gateway.s_addr == b->gateway.s_addr) &&
	    strcmp(a->ifname, b->ifname) == 0;
}

/* Keeps the first problem for the caller, logs every one. */
static void
problem(struct killsw *k, const char *e, char *err, size_t errlen,
    int *failed)
{
	log_warnx("%s: kill switch: %s", k->tunnel, e);
	if (!*failed)
		snprintf(err, errlen, "kill switch: %s", e);
	*failed = 1;
}

/* After a delete: gone already (by hand, with its interface) is fine. */
static void
gone(struct killsw *k, int rc, const char *e, char *err, size_t errlen,
    int *failed)
{
	if (rc == 0 || errno == ESRCH || errno == ENODEV)
		return;
	problem(k, e, err, errlen, failed);
}

static void
pin_release(struct killsw *k, char *err, size_t errlen, int *failed)
{
	char e[ROUTE_ERR_MAX];

	if (!k->have_pin)
		return;
	k->have_pin = 0;
	gone(k, route_delete(&k->pin, e, sizeof(e)), e, err, errlen, failed);
}

/*
 * Pins the way to server.  1 when the server can be reached past the
 * unreachable routes (pinned, someone else's host route, or this host),
 * 0 when no way to it is known.
 */
static int
pin_server(struct killsw *k, struct in_addr server, char *err, size_t errlen,
    int *failed)
{
	struct route_nexthop nh;
	struct route_spec want, old;
	char e[ROUTE_ERR_MAX], m[ROUTE_ERR_MAX + 128], what[96];
	char srv[INET_ADDRSTRLEN];
	int found, had;

	inet_ntop(AF_INET, &server, srv, sizeof(srv));
	found = route_get_from(server, &k->where, &nh, e, sizeof(e)) == 0;
	if (found && (nh.flags & ROUTE_LOCAL)) {
		pin_release(k, err, errlen, failed);
		return 1;
	}
	if (found) {
		route_init(&want, server, 32, nh.ifname);
		want.table = k->where.wan_table;
		snprintf(want.tunnel, sizeof(want.tunnel), "%s", k->tunnel);
		if (nh.flags & ROUTE_GATEWAY) {
			want.flags = ROUTE_GATEWAY | ROUTE_ONLINK;
			want.gateway = nh.gateway;
		}
		if (k->have_pin && route_same(&k->pin, &want))
			return 1;	/* the lookup found our pin */
	} else if (k->pin_known) {
		/*
		 * Our unreachable halves hide the WAN's default from the
		 * lookup: the way learnt before still holds.
		 */
		want = k->pin;
		want.dst = server;
	} else {
		snprintf(m, sizeof(m), "no way to server %s known (%s); "
		    "what covers it is not refused until there is", srv, e);
		problem(k, m, err, errlen, failed);
		return 0;
	}

	old = k->pin;
	had = k->have_pin;
	route_describe(&want, what, sizeof(what));
	if (route_add(&want, e, sizeof(e)) == 0) {
		k->have_pin = 1;
		log_info("%s: kill switch: pinned server: %s", k->tunnel, what);
	} else if (errno == EEXIST) {
		/* Ours from before (vanished from the lookup), or theirs. */
		k->have_pin = had && route_same(&old, &want);
		if (!k->have_pin && !(k->pin_known && route_same(&old, &want)))
			log_info("%s: kill switch: %s exists already; leaving "
			    "it alone", k->tunnel, what);
	} else {
		problem(k, e, err, errlen, failed);
		return 0;
	}
	k->pin = want;
	k->pin_known = 1;
	/* The new pin is in: the old one (another address) may go. */
	if (had && !route_same(&old, &want))
		gone(k, route_delete(&old, e, sizeof(e)), e, err, errlen,
		    failed);
	return 1;
}

void
killsw_init(struct killsw *k, const char *tunnel)
{
	memset(k, 0, sizeof(*k));
	snprintf(k->tunnel, sizeof(k->tunnel), "%s", tunnel);
}

int
killsw_set_where(struct killsw *k, const struct route_where *w, char *err,
    size_t errlen)
{
	int rv = 0;

	if (memcmp(&k->where, w, sizeof(*w)) == 0)
		return 0;
	/* Its routes are in the old tables: out with them first. */
	if (killsw_armed(k))
		rv = killsw_disarm(k, err, errlen);
	k->where = *w;
	return rv;
}

int
killsw_armed(const struct killsw *k)
{
	size_t i;

	for (i = 0; i < k->nblocks; i++)
		if (k->blocks[i].have)
			return 1;
	for (i = 0; i < k->nblocks6; i++)
		if (k->blocks6[i].have)
			return 1;
	return k->have_pin;
}

/*
 * After adding one unreachable route (r from reject_change() or
 * reject6_change()): whether the kill switch holds it now.  EEXIST is a
 * leftover at our priority, which is ours alone: taken over.
 */
static int
added_or_held(struct killsw *k, int r, const char *what, const char *e,
    char *err, size_t errlen, int *failed, size_t *added)
{
	if (r == 0) {
		(*added)++;
		log_debug("%s: kill switch: %s added", k->tunnel, what);
		return 1;
	}
	if (errno == EEXIST) {
		log_info("%s: kill switch: %s was there already (left by an "
		    "earlier pptpcd?); taken over", k->tunnel, what);
		return 1;
	}
	problem(k, e, err, errlen, failed);
	return 0;
}

int
killsw_arm(struct killsw *k, struct in_addr server,
    const struct killsw_net *nets, size_t n, char *err, size_t errlen)
{
	struct killsw_block *nb = NULL;
	char e[ROUTE_ERR_MAX], what[64];
	size_t i, j, m = 0, added = 0;
	int failed = 0, need_pin = 0, reach = 1, dup;

	if (n > 0 && (nb = calloc(n, sizeof(*nb))) == NULL) {
		snprintf(err, errlen, "kill switch: out of memory");
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < n; i++)
		if (net_covers(&nets[i], server))
			need_pin = 1;
	/* The way out to the server first, then what would hide it. */
	if (need_pin)
		reach = pin_server(k, server, err, errlen, &failed);

	for (i = 0; i < n; i++) {
		for (dup = 0, j = 0; j < m && !dup; j++)
			dup = net_same(&nb[j].net, &nets[i]);
		if (dup)
			continue;
		nb[m].net = nets[i];
		for (j = 0; j < k->nblocks; j++)
			if (k->blocks[j].have &&
			    net_same(&k->blocks[j].net, &nets[i])) {
				/* Held already: carried over, not redone. */
				k->blocks[j].have = 0;
				nb[m].have = 1;
			}
		if (!nb[m].have && (reach || !net_covers(&nets[i], server))) {
			net_describe(&nets[i], what, sizeof(what));
			nb[m].have = added_or_held(k, reject_change(k, 1,
			    &nets[i], e, sizeof(e)), what, e, err, errlen,
			    &failed, &added);
		}
		m++;
	}
	/* What the configuration no longer lists, once the rest is in. */
	for (j = k->nblocks; j-- > 0;)
		if (k->blocks[j].have)
			gone(k, reject_change(k, 0, &k->blocks[j].net, e,
			    sizeof(e)), e, err, errlen, &failed);
	free(k->blocks);
	k->blocks = nb;
	k->nblocks = m;
	/* Last, as in killsw_disarm(): nothing hides the server any more. */
	if (!need_pin)
		pin_release(k, err, errlen, &failed);
	if (added > 0)
		log_info("%s: kill switch armed: %zu unreachable route%s "
		    "while the tunnel is down", k->tunnel, added,
		    added == 1 ? "" : "s");
	return failed ? -1 : 0;
}

int
killsw_arm6(struct killsw *k, const struct killsw_net6 *nets, size_t n,
    char *err, size_t errlen)
{
	struct killsw_block6 *nb = NULL;
	char e[ROUTE_ERR_MAX], what[80];
	size_t i, j, m = 0, added = 0;
	int failed = 0, dup;

	if (n > 0 && (nb = calloc(n, sizeof(*nb))) == NULL) {
		snprintf(err, errlen, "kill switch: out of memory");
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < n; i++) {
		for (dup = 0, j = 0; j < m && !dup; j++)
			dup = net6_same(&nb[j].net, &nets[i]);
		if (dup)
			continue;
		nb[m].net = nets[i];
		for (j = 0; j < k->nblocks6; j++)
			if (k->blocks6[j].have &&
			    net6_same(&k->blocks6[j].net, &nets[i])) {
				/* Held already: carried over, not redone. */
				k->blocks6[j].have = 0;
				nb[m].have = 1;
			}
		if (!nb[m].have) {
			net6_describe(&nets[i], what, sizeof(what));
			nb[m].have = added_or_held(k, reject6_change(k, 1,
			    &nets[i], e, sizeof(e)), what, e, err, errlen,
			    &failed, &added);
		}
		m++;
	}
	/* What the configuration no longer lists, once the rest is in. */
	for (j = k->nblocks6; j-- > 0;)
		if (k->blocks6[j].have)
			gone(k, reject6_change(k, 0, &k->blocks6[j].net, e,
			    sizeof(e)), e, err, errlen, &failed);
	free(k->blocks6);
	k->blocks6 = nb;
	k->nblocks6 = m;
	if (added > 0)
		log_info("%s: kill switch armed: %zu IPv6 unreachable route%s "
		    "while the tunnel is down", k->tunnel, added,
		    added == 1 ? "" : "s");
	return failed ? -1 : 0;
}

int
killsw_disarm(struct killsw *k, char *err, size_t errlen)
{
	char e[ROUTE_ERR_MAX];
	size_t i, n = 0;
	int failed = 0;

	for (i = k->nblocks6; i-- > 0;) {
		if (!k->blocks6[i].have)
			continue;
		k->blocks6[i].have = 0;
		n++;
		gone(k, reject6_change(k, 0, &k->blocks6[i].net, e,
		    sizeof(e)), e, err, errlen, &failed);
	}
	free(k->blocks6);
	k->blocks6 = NULL;
	k->nblocks6 = 0;

	for (i = k->nblocks; i-- > 0;) {
		if (!k->blocks[i].have)
			continue;
		k->blocks[i].have = 0;
		n++;
		gone(k, reject_change(k, 0, &k->blocks[i].net, e, sizeof(e)), e,
		    err, errlen, &failed);
	}
	free(k->blocks);
	k->blocks = NULL;
	k->nblocks = 0;
	/* Last: while a half is refused, the server needs its pin. */
	pin_release(k, err, errlen, &failed);
	if (n > 0)
		log_info("%s: kill switch disarmed: %zu unreachable route%s "
		    "removed", k->tunnel, n, n == 1 ? "" : "s");
	return failed ? -1 : 0;
}
