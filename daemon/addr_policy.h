/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * What a PPTP server may assign through IPCP.
 *
 * The server names our address and its own, and its own becomes a /32
 * route into the tunnel.  A hostile server could use that to capture the
 * route to one host of its choice (the LAN's DNS server), to loop GRE into
 * the tunnel itself, or to take an address that is not an address at all.
 * Refused:
 *   - 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4, 240.0.0.0/4 (255.255.255.255
 *     included): never a unicast host on the other end of a link;
 *   - the server's own (outer) address: GRE would be routed into itself;
 *   - an address already on a local interface, ours or the server's;
 *   - as the server's address, one whose /32 would override a route the
 *     tunnel does not own: the best route to it now is more specific than
 *     a default and is neither one of the tunnel's `route` prefixes (the
 *     kill switch's unreachable routes for them included), nor 0/1 or
 *     128/1, nor through the tunnel's own interface.
 *
 * The rules are pure functions over what the host reports; the host's
 * state (interface addresses, the route lookup) comes through a callback,
 * addr_host_lookup() in the daemon and a fake in the unit tests.
 * Addresses are IPv4 in host byte order.
 */
#ifndef PPTPC_ADDR_POLICY_H
#define PPTPC_ADDR_POLICY_H

#include <stddef.h>
#include <stdint.h>

#define ADDR_IFNAME_MAX		16
#define ADDR_WHY_MAX		160

/*
 * Why an address can never be a host on the other end of a link, or NULL.
 * Inline so that ipcp.c applies it even where no policy is configured.
 */
static inline const char *
addr_policy_class(uint32_t a)
{
	if (a == 0xffffffffu)
		return "broadcast";
	if ((a >> 24) == 0)
		return "\"this network\", 0.0.0.0/8";
	if ((a >> 24) == 127)
		return "loopback";
	if ((a >> 28) == 0xe)
		return "multicast";
	if ((a >> 28) == 0xf)
		return "reserved, 240.0.0.0/4";
	return NULL;
}

/* The host's best route to an address, as a prefix. */
struct addr_route {
	int		 found;		/* 0: no route at all */
	int		 reject;	/* unreachable, blackhole, prohibit */
	int		 plen;		/* -1: the host cannot say */
	uint32_t	 dst;
	int		 gateway;	/* through a gateway, not on-link */
	char		 ifname[ADDR_IFNAME_MAX];	/* "" if none */
};

/* What the host knows about an address. */
struct addr_host_info {
	int		 local;		/* assigned to one of our interfaces */
	/* A point-to-point interface whose far end it is, "" if none. */
	char		 p2p_ifname[ADDR_IFNAME_MAX];
	struct addr_route route;
};

/* 0 with info filled, or -1 with a reason in err. */
typedef int	(*addr_lookup_fn)(void *arg, uint32_t addr,
		    struct addr_host_info *info, char *err, size_t errlen);

struct addr_prefix {
	uint32_t	 addr;		/* host bits 0 */
	int		 plen;
};

struct addr_policy {
	uint32_t		 server;	/* outer address, 0: unknown */
	const struct addr_prefix *owned;	/* the tunnel's `route`s */
	size_t			 nowned;
	/*
	 * default-route yes: the kill switch's unreachable 0/1 and 128/1
	 * may be what a lookup hits, where the host cannot say how far a
	 * reject route reaches (Linux).
	 */
	int			 default_route;
	const char		*ifname;	/* tunnel interface, NULL: none */
	addr_lookup_fn		 lookup;	/* NULL: no host checks */
	void			*lookup_arg;
};

enum addr_role {
	ADDR_LOCAL,		/* the server assigns it to us */
	ADDR_PEER,		/* the server names it as its own */
};

/*
 * Judges addr for role: 0 if it may be taken, -1 with the reason in why
 * (a phrase such as "loopback" or "already on a local interface").  A
 * failed host lookup refuses too: an address that cannot be checked is
 * not taken.
 */
int	addr_policy_check(const struct addr_policy *, uint32_t addr,
	    enum addr_role, char *why, size_t whylen);
/*
 * Whether a /32 route to addr may go in beside route rt: rt is no route,
 * a default, 0/1 or 128/1, or the tunnel's own.  1 if so, 0 if it would
 * override someone else's route (why says which).
 */
int	addr_policy_route_ok(const struct addr_policy *, uint32_t addr,
	    const struct addr_host_info *, char *why, size_t whylen);

/* The host's answer (addr_host.c): getifaddrs() and the route lookup. */
int	addr_host_lookup(void *arg, uint32_t addr,
	    struct addr_host_info *info, char *err, size_t errlen);

#endif /* PPTPC_ADDR_POLICY_H */
