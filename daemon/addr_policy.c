/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The rules of addr_policy.h.  Nothing here asks the host anything: what
 * the host knows comes through the policy's lookup callback, so that every
 * rule is tested without an operating system.
 */
#include <stdio.h>
#include <string.h>

#include "addr_policy.h"

static void
ntoa(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
}

static uint32_t
mask(int plen)
{
	return plen <= 0 ? 0 : 0xffffffffu << (32 - plen);
}

/* Whether dst/plen is exactly one of the tunnel's `route` prefixes. */
static int
owned_prefix(const struct addr_policy *ap, uint32_t dst, int plen)
{
	size_t i;

	for (i = 0; i < ap->nowned; i++)
		if (ap->owned[i].plen == plen &&
		    ap->owned[i].addr == (dst & mask(plen)))
			return 1;
	return 0;
}

/* Whether addr lies inside one of the tunnel's `route` prefixes. */
static int
owned_addr(const struct addr_policy *ap, uint32_t addr)
{
	size_t i;

	for (i = 0; i < ap->nowned; i++)
		if ((addr & mask(ap->owned[i].plen)) == ap->owned[i].addr)
			return 1;
	return 0;
}

/*
 * Whether ifname is the way to the server, or may be: the uplink's far end
 * is no other tunnel's server.
 */
static int
carries_server(const struct addr_policy *ap, const char *ifname)
{
	struct addr_host_info s;
	char err[ADDR_WHY_MAX];

	if (ap->server == 0 || ap->lookup == NULL)
		return 1;
	memset(&s, 0, sizeof(s));
	if (ap->lookup(ap->lookup_arg, ap->server, &s, err, sizeof(err)) == -1)
		return 1;
	return strcmp(s.route.ifname, ifname) == 0;
}

int
addr_policy_route_ok(const struct addr_policy *ap, uint32_t addr,
    const struct addr_host_info *hi, char *why, size_t whylen)
{
	const struct addr_route *rt = &hi->route;
	char d[16];

	if (!rt->found || rt->plen == 0)
		return 1;	/* nothing, or only a default, to override */
	if (rt->plen < 0) {
		/* How far it reaches is unknown: ours only if it may be. */
		if (ap->default_route || owned_addr(ap, addr))
			return 1;
		if (rt->reject)
			snprintf(why, whylen, "an unreachable, blackhole or "
			    "prohibit route covers it");
		else
			snprintf(why, whylen, "the host does not say which "
			    "route it would override");
		return 0;
	}
	/* The default-route pair, ours or another VPN's: a default. */
	if (rt->plen == 1)
		return 1;
	if (owned_prefix(ap, rt->dst, rt->plen))
		return 1;
	if (ap->ifname != NULL && ap->ifname[0] != '\0' &&
	    strcmp(rt->ifname, ap->ifname) == 0)
		return 1;
	/*
	 * Another tunnel's server with the same address (Poptop hands every
	 * client the same "localip"): the /32 exists already, ours only
	 * stands beside it.  Not the far end of the link to our server,
	 * though (a PPPoE uplink's gateway).
	 */
	if (rt->plen == 32 && !rt->gateway && !rt->reject &&
	    hi->p2p_ifname[0] != '\0' &&
	    strcmp(rt->ifname, hi->p2p_ifname) == 0 &&
	    !carries_server(ap, rt->ifname))
		return 1;
	ntoa(rt->dst, d, sizeof(d));
	if (rt->reject)
		snprintf(why, whylen, "a /32 route to it would override the "
		    "reject route %s/%d", d, rt->plen);
	else
		snprintf(why, whylen, "a /32 route to it would override "
		    "route %s/%d%s%s", d, rt->plen,
		    rt->ifname[0] != '\0' ? " via " : "", rt->ifname);
	return 0;
}

int
addr_policy_check(const struct addr_policy *ap, uint32_t addr,
    enum addr_role role, char *why, size_t whylen)
{
	struct addr_host_info hi;
	const char *cls;
	char err[ADDR_WHY_MAX];

	if ((cls = addr_policy_class(addr)) != NULL) {
		snprintf(why, whylen, "%s", cls);
		return -1;
	}
	if (ap->server != 0 && addr == ap->server) {
		snprintf(why, whylen, "the server's own address");
		return -1;
	}
	if (ap->lookup == NULL)
		return 0;
	memset(&hi, 0, sizeof(hi));
	err[0] = '\0';
	if (ap->lookup(ap->lookup_arg, addr, &hi, err, sizeof(err)) == -1) {
		snprintf(why, whylen, "cannot check it: %s", err[0] != '\0' ?
		    err : "host lookup failed");
		return -1;
	}
	if (hi.local) {
		snprintf(why, whylen, "already on a local interface");
		return -1;
	}
	if (role == ADDR_PEER && !addr_policy_route_ok(ap, addr, &hi, why,
	    whylen))
		return -1;
	return 0;
}
