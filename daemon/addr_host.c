/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * What the host knows about an address, for addr_policy.c: whether one of
 * our interfaces has it, whether it is the far end of a point-to-point
 * interface, and the route the kernel would pick for it now.  Asked once
 * per IPCP negotiation, never per packet.  getifaddrs(3) is the same on
 * Linux and OpenBSD; the route lookup is route.h's per-OS kroute_match().
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "addr_policy.h"
#include "route.h"

static int
sin_is(const struct sockaddr *sa, uint32_t addr)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

	return sa != NULL && sa->sa_family == AF_INET &&
	    ntohl(sin->sin_addr.s_addr) == addr;
}

int
addr_host_lookup(void *arg, uint32_t addr, struct addr_host_info *hi,
    char *err, size_t errlen)
{
	struct ifaddrs *ifa, *i;
	struct route_match m;
	struct in_addr a;

	(void)arg;
	memset(hi, 0, sizeof(*hi));
	if (getifaddrs(&ifa) == -1) {
		snprintf(err, errlen, "getifaddrs: %s", strerror(errno));
		return -1;
	}
	a.s_addr = htonl(addr);
	if (kroute_match(a, &m, err, errlen) == -1) {
		freeifaddrs(ifa);
		return -1;
	}
	/*
	 * Several point-to-point links may lead to the same address (every
	 * tunnel to a Poptop with one "localip"): the one the kernel's
	 * route takes is the one that counts.
	 */
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (sin_is(i->ifa_addr, addr))
			hi->local = 1;
		if ((i->ifa_flags & IFF_POINTOPOINT) &&
		    sin_is(i->ifa_dstaddr, addr) && i->ifa_name != NULL &&
		    (hi->p2p_ifname[0] == '\0' ||
		    strcmp(i->ifa_name, m.ifname) == 0))
			snprintf(hi->p2p_ifname, sizeof(hi->p2p_ifname), "%s",
			    i->ifa_name);
	}
	freeifaddrs(ifa);
	/* An address the kernel delivers locally is ours, on any device. */
	if (m.local)
		hi->local = 1;
	hi->route.found = m.found;
	hi->route.reject = m.reject;
	hi->route.plen = m.plen;
	hi->route.dst = ntohl(m.dst.s_addr);
	hi->route.gateway = m.gateway;
	snprintf(hi->route.ifname, sizeof(hi->route.ifname), "%s", m.ifname);
	return 0;
}
