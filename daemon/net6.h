/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * IPv6 on the tunnel interface once IPv6CP is up: an address (the
 * link-local fe80::ID with the peer's as the other end, or the
 * operator's address6) and routes directly via the interface.  One
 * implementation per OS (net6-linux.c, net6-openbsd.c).
 *
 * Both change the host: they are the privileged half of a split daemon,
 * so they take plain values only (interface name, addresses, prefix
 * lengths).  Errors: -1 with errno and "what: why" in err.
 */
#ifndef PPTPC_NET6_H
#define PPTPC_NET6_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define NET6_ERR_MAX	160

/*
 * Adds (add 1) or removes local/plen on ifname; with peer not ::, the
 * other end of the point-to-point link (a /128 route to it follows).
 */
int	net6_addr_change(int add, const char *ifname, struct in6_addr local,
	    uint8_t plen, struct in6_addr peer, char *err, size_t errlen);
/* Adds or removes the route dst/plen directly via ifname (1-128). */
/* table: a route.h table (ROUTE_TABLE_DEFAULT: main, or our rtable). */
int	net6_route_change(int add, const char *ifname, struct in6_addr dst,
	    uint8_t plen, uint32_t table, char *err, size_t errlen);
/*
 * The kill switch's IPv6 routes (killswitch.h): adds or removes an
 * unreachable route for dst/plen (1-128) in table at the lowest priority
 * there is, as kroute_reject() does for IPv4, so that the tunnel's own
 * route for the same prefix wins while it is there.  Removing touches
 * only such a route.
 */
int	net6_reject_change(int add, struct in6_addr dst, uint8_t plen,
	    uint32_t table, char *err, size_t errlen);

#endif /* PPTPC_NET6_H */
