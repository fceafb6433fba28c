/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A tunnel's IPv6 on the host, once IPv6CP is up ("ipv6 yes"): the
 * link-local address fe80::ID with the peer's as the other end of the
 * point-to-point link, the operator's address6, the IPv6 routes, and the
 * IPv6 half of "default-route yes" (::/1 and 8000::/1, which beat a
 * default route without replacing it, as 0/1 and 128/1 do for IPv4).
 * Everything added is remembered and taken back by tunnel_ipv6_down();
 * the interface going away takes it too, which is fine.
 *
 * The server is reached over IPv4 (PPTP has no IPv6 transport), so the
 * IPv6 default route needs no host route to the server beside it.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ipv6cp.h"
#include "log.h"
#include "net6.h"
#include "priv.h"
#include "tunnel.h"
#include "tunnel_local.h"

static void
ll6(uint64_t ifid, struct in6_addr *a)
{
	ipv6cp_ll_addr(ifid, a->s6_addr);
}

/*
 * The one call site of each privileged operation (net6.h), so that a
 * split daemon routes them through its parent in one place.
 */
static int
host_addr6(struct tunnel *t, int add, const struct tunnel_net6 *a,
    struct in6_addr peer, char *err, size_t errlen)
{
	if (priv_separated())
		return priv_addr6(t->name, add, t->ifname, a->addr, a->plen,
		    peer, err, errlen);
	return net6_addr_change(add, t->ifname, a->addr, a->plen, peer, err,
	    errlen);
}

static int
host_route6(struct tunnel *t, int add, const struct tunnel_net6 *r,
    char *err, size_t errlen)
{
	struct route_where w;

	/* Split: the parent puts it in the table of its configuration. */
	if (priv_separated())
		return priv_route6(t->name, add, t->ifname, r->addr, r->plen,
		    err, errlen);
	/* The IPv6 routes go where the IPv4 ones go (tunnel_route_where). */
	tunnel_route_where(t->conf, &w);
	return net6_route_change(add, t->ifname, r->addr, r->plen, w.table,
	    err, errlen);
}

int
tunnel_ipv6_up(struct tunnel *t, uint64_t ifid, uint64_t peer_ifid,
    char *err, size_t errlen)
{
	const struct tunnel_conf *c = t->conf;
	const struct route6_conf *rc;
	struct tunnel_net6 *r;
	char e[NET6_ERR_MAX];
	size_t n = 0, i;

	if (c == NULL || ifid == 0)
		return 0;
	/*
	 * With the peer's identifier the link-local address is a /128 with
	 * the peer's as the other end, as pppd sets it: the kernel routes
	 * fe80::peer to this interface alone.  Without one, fe80::/64.
	 */
	ll6(ifid, &t->ll6.addr);
	memset(&t->peer_ll6, 0, sizeof(t->peer_ll6));
	if (peer_ifid != 0)
		ll6(peer_ifid, &t->peer_ll6);
	t->ll6.plen = peer_ifid != 0 ? 128 : 64;
	if (host_addr6(t, 1, &t->ll6, t->peer_ll6, e, sizeof(e)) == -1) {
		/* IPv4 still works: say so, and carry on without IPv6. */
		log_warnx("%s: IPv6: %s", t->name, e);
		return 0;
	}
	t->ll6.added = 1;

	if (c->address6_len != 0) {
		t->addr6.addr = c->address6;
		t->addr6.plen = c->address6_len;
		if (host_addr6(t, 1, &t->addr6, in6addr_any, e,
		    sizeof(e)) == 0)
			t->addr6.added = 1;
		else
			log_warnx("%s: %s", t->name, e);
	}

	TAILQ_FOREACH(rc, &c->routes6, entry)
		n++;
	if (c->default_route)
		n += TUNNEL_DEFROUTE6;
	if (n == 0)
		return 0;
	if ((t->routes6 = calloc(n, sizeof(*t->routes6))) == NULL) {
		snprintf(err, errlen, "IPv6 routes: out of memory");
		return c->default_route ? -1 : 0;
	}
	TAILQ_FOREACH(rc, &c->routes6, entry) {
		r = &t->routes6[t->nroutes6++];
		r->addr = rc->addr;
		r->plen = rc->prefixlen;
	}
	if (c->default_route) {
		r = &t->routes6[t->nroutes6++];
		r->plen = 1;
		r = &t->routes6[t->nroutes6++];
		r->addr.s6_addr[0] = 0x80;
		r->plen = 1;
	}
	for (i = 0; i < t->nroutes6; i++) {
		r = &t->routes6[i];
		if (host_route6(t, 1, r, e, sizeof(e)) == 0) {
			r->added = 1;
			continue;
		}
		/* As for IPv4: one clashing route is logged, not fatal ... */
		if (i < t->nroutes6 - (c->default_route ?
		    TUNNEL_DEFROUTE6 : 0)) {
			log_warnx("%s: %s", t->name, e);
			continue;
		}
		/* ... but half a default route leaks. */
		snprintf(err, errlen, "IPv6 default route: %s", e);
		return -1;
	}
	return 0;
}

void
tunnel_ipv6_down(struct tunnel *t)
{
	char e[NET6_ERR_MAX];
	size_t i;

	for (i = t->nroutes6; i-- > 0;) {
		if (!t->routes6[i].added)
			continue;
		/* Gone with the interface, or by another hand: fine. */
		if (host_route6(t, 0, &t->routes6[i], e, sizeof(e)) == -1 &&
		    errno != ESRCH && errno != ENODEV)
			log_warnx("%s: %s", t->name, e);
	}
	free(t->routes6);
	t->routes6 = NULL;
	t->nroutes6 = 0;
	if (t->addr6.added && host_addr6(t, 0, &t->addr6, in6addr_any, e,
	    sizeof(e)) == -1 && errno != EADDRNOTAVAIL && errno != ENODEV)
		log_warnx("%s: %s", t->name, e);
	if (t->ll6.added && host_addr6(t, 0, &t->ll6, t->peer_ll6, e,
	    sizeof(e)) == -1 && errno != EADDRNOTAVAIL && errno != ENODEV)
		log_warnx("%s: %s", t->name, e);
	memset(&t->ll6, 0, sizeof(t->ll6));
	memset(&t->addr6, 0, sizeof(t->addr6));
	memset(&t->peer_ll6, 0, sizeof(t->peer_ll6));
}
