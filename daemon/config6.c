/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The IPv6 parts of a tunnel's configuration: "route" with an IPv6
 * prefix and "address6".  They live beside the IPv4 routes rather than
 * in them, so that everything that reads IPv4 routes (the kill switch,
 * route.c) stays as it was for "ipv6 no".
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

/* Clears the bits of a past its first plen. */
static void
mask6(struct in6_addr *a, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (plen >= 8)
			plen -= 8;
		else {
			a->s6_addr[i] &= (uint8_t)(0xff00 >> plen);
			plen = 0;
		}
	}
}

int
conf_parse_prefix6(const char *s, int host_ok, struct in6_addr *addr,
    uint8_t *prefixlen, char *err, size_t errlen)
{
	char net[INET6_ADDRSTRLEN];
	struct in6_addr in, m;
	int len;

	if (conf_split_prefix(s, AF_INET6, &in, &len) == -1)
		goto bad;
	if (len == 0 && host_ok) {
		snprintf(err, errlen, "address6 %s: the prefix length must "
		    "be 1 to 128", s);
		return -1;
	}
	if (len == 0) {
		snprintf(err, errlen, "route %s covers everything; use "
		    "\"default-route yes\" instead", s);
		return -1;
	}
	if (IN6_IS_ADDR_MULTICAST(&in) || IN6_IS_ADDR_UNSPECIFIED(&in) ||
	    (host_ok && (IN6_IS_ADDR_LOOPBACK(&in) ||
	    IN6_IS_ADDR_V4MAPPED(&in)))) {
		snprintf(err, errlen, "%s %s is not a unicast %s",
		    host_ok ? "address6" : "route", s, host_ok ?
		    "address" : "prefix");
		return -1;
	}
	m = in;
	mask6(&m, (unsigned int)len);
	if (!host_ok && memcmp(&m, &in, sizeof(m)) != 0) {
		inet_ntop(AF_INET6, &m, net, sizeof(net));
		snprintf(err, errlen, "route %s has host bits set; did you "
		    "mean %s/%d?", s, net, len);
		return -1;
	}
	*addr = in;
	*prefixlen = (uint8_t)len;
	return 0;
 bad:
	if (host_ok)
		snprintf(err, errlen, "address6 \"%s\" is not an IPv6 "
		    "address with a prefix length like 2001:db8::2/64", s);
	else
		snprintf(err, errlen, "route \"%s\" is not an IPv6 prefix "
		    "like 2001:db8::/32", s);
	return -1;
}

static int
route6_cmp(const struct in6_addr *a, uint8_t alen, const struct in6_addr *b,
    uint8_t blen)
{
	int c;

	if ((c = memcmp(a, b, sizeof(*a))) != 0)
		return c;
	return (int)alen - (int)blen;
}

int
tunnel_conf_add_route6(struct tunnel_conf *t, const struct in6_addr *addr,
    uint8_t prefixlen)
{
	struct route6_conf *r, *new;
	int c;

	TAILQ_FOREACH(r, &t->routes6, entry) {
		c = route6_cmp(addr, prefixlen, &r->addr, r->prefixlen);
		if (c == 0) {
			errno = EEXIST;
			return -1;
		}
		if (c < 0)
			break;
	}
	if ((new = calloc(1, sizeof(*new))) == NULL)
		return -1;
	new->addr = *addr;
	new->prefixlen = prefixlen;
	if (r != NULL)
		TAILQ_INSERT_BEFORE(r, new, entry);
	else
		TAILQ_INSERT_TAIL(&t->routes6, new, entry);
	return 0;
}

void
tunnel_conf_free6(struct tunnel_conf *t)
{
	struct route6_conf *r;

	while ((r = TAILQ_FIRST(&t->routes6)) != NULL) {
		TAILQ_REMOVE(&t->routes6, r, entry);
		free(r);
	}
}

int
tunnel_conf_equal6(const struct tunnel_conf *a, const struct tunnel_conf *b)
{
	const struct route6_conf *ra, *rb;

	if (a->ipv6 != b->ipv6 || a->address6_len != b->address6_len ||
	    (a->address6_len != 0 && memcmp(&a->address6, &b->address6,
	    sizeof(a->address6)) != 0))
		return 0;
	ra = TAILQ_FIRST(&a->routes6);
	rb = TAILQ_FIRST(&b->routes6);
	while (ra != NULL && rb != NULL) {
		if (route6_cmp(&ra->addr, ra->prefixlen, &rb->addr,
		    rb->prefixlen) != 0)
			return 0;
		ra = TAILQ_NEXT(ra, entry);
		rb = TAILQ_NEXT(rb, entry);
	}
	return ra == NULL && rb == NULL;
}
