/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * IPv6 addresses and routes on Linux through rtnetlink (net6.h).  Routes
 * go to the main table with protocol "static", as route-linux.c's IPv4
 * ones.  Addresses are added without duplicate address detection: on a
 * point-to-point link there is no one else to collide with (IPv6CP has
 * made the two identifiers differ), and DAD would hold the address
 * "tentative", unusable, for a second after the link came up.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "net6.h"
#include "route.h"
#include "nl-linux.h"

static int
ifindex(const char *ifname, const char *what, char *err, size_t errlen)
{
	unsigned int idx;

	if ((idx = if_nametoindex(ifname)) == 0) {
		snprintf(err, errlen, "%s: no such interface", what);
		errno = ENODEV;
		return -1;
	}
	return (int)idx;
}

int
net6_addr_change(int add, const char *ifname, struct in6_addr local,
    uint8_t plen, struct in6_addr peer, char *err, size_t errlen)
{
	struct ifaddrmsg ifa;
	struct nl_req req;
	char what[160], l[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];
	uint32_t flags = IFA_F_NODAD;
	int idx, has_peer = !IN6_IS_ADDR_UNSPECIFIED(&peer);

	inet_ntop(AF_INET6, &local, l, sizeof(l));
	inet_ntop(AF_INET6, &peer, p, sizeof(p));
	snprintf(what, sizeof(what), "address %s/%u%s%s on %s", l, plen,
	    has_peer ? " peer " : "", has_peer ? p : "", ifname);
	if (plen == 0 || plen > 128) {
		snprintf(err, errlen, "%s: bad prefix length", what);
		errno = EINVAL;
		return -1;
	}
	if ((idx = ifindex(ifname, what, err, errlen)) == -1)
		return -1;
	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = AF_INET6;
	ifa.ifa_prefixlen = plen;
	ifa.ifa_flags = IFA_F_NODAD;
	ifa.ifa_scope = IN6_IS_ADDR_LINKLOCAL(&local) ? RT_SCOPE_LINK :
	    RT_SCOPE_UNIVERSE;
	ifa.ifa_index = (unsigned int)idx;
	/* REPLACE: the same address again after a redial is fine. */
	nl_req_init(&req, add ? RTM_NEWADDR : RTM_DELADDR,
	    add ? NLM_F_CREATE | NLM_F_REPLACE : 0, &ifa, sizeof(ifa));
	nl_req_attr(&req, IFA_LOCAL, &local, sizeof(local));
	/* On a point-to-point link IFA_ADDRESS is the peer. */
	nl_req_attr(&req, IFA_ADDRESS, has_peer ? &peer : &local,
	    sizeof(local));
	if (add)
		nl_req_attr(&req, IFA_FLAGS, &flags, sizeof(flags));
	return nl_request(&req, NULL, NULL, what, err, errlen);
}

int
net6_route_change(int add, const char *ifname, struct in6_addr dst,
    uint8_t plen, uint32_t table, char *err, size_t errlen)
{
	struct rtmsg rtm;
	struct nl_req req;
	char what[96], a[INET6_ADDRSTRLEN];
	int idx;

	inet_ntop(AF_INET6, &dst, a, sizeof(a));
	snprintf(what, sizeof(what), "route %s/%u via %s", a, plen, ifname);
	if (plen == 0 || plen > 128) {
		snprintf(err, errlen, "%s: bad prefix length", what);
		errno = EINVAL;
		return -1;
	}
	if ((idx = ifindex(ifname, what, err, errlen)) == -1)
		return -1;
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET6;
	rtm.rtm_dst_len = plen;
	/* As route-linux.c: ids above 255 travel in RTA_TABLE alone. */
	rtm.rtm_table = table == ROUTE_TABLE_DEFAULT ? RT_TABLE_MAIN :
	    table <= 255 ? (uint8_t)table : RT_TABLE_UNSPEC;
	rtm.rtm_protocol = RTPROT_STATIC;
	rtm.rtm_type = RTN_UNICAST;
	rtm.rtm_scope = add ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE;
	/* EXCL: down never removes what up did not add (route-linux.c). */
	nl_req_init(&req, add ? RTM_NEWROUTE : RTM_DELROUTE,
	    add ? NLM_F_CREATE | NLM_F_EXCL : 0, &rtm, sizeof(rtm));
	nl_req_attr(&req, RTA_DST, &dst, sizeof(dst));
	nl_req_attr_u32(&req, RTA_OIF, (uint32_t)idx);
	nl_req_attr_u32(&req, RTA_TABLE,
	    table == ROUTE_TABLE_DEFAULT ? RT_TABLE_MAIN : table);
	return nl_request(&req, NULL, NULL, what, err, errlen);
}

/* As route-linux.c's KROUTE_REJECT_METRIC: below every real route. */
#define NET6_REJECT_METRIC	0xffffffffu

int
net6_reject_change(int add, struct in6_addr dst, uint8_t plen,
    uint32_t table, char *err, size_t errlen)
{
	struct rtmsg rtm;
	struct nl_req req;
	char what[96], a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &dst, a, sizeof(a));
	snprintf(what, sizeof(what), "unreachable route %s/%u", a, plen);
	if (plen == 0 || plen > 128) {
		snprintf(err, errlen, "%s: bad prefix length", what);
		errno = EINVAL;
		return -1;
	}
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET6;
	rtm.rtm_dst_len = plen;
	rtm.rtm_table = table == ROUTE_TABLE_DEFAULT ? RT_TABLE_MAIN :
	    table <= 255 ? (uint8_t)table : RT_TABLE_UNSPEC;
	rtm.rtm_protocol = RTPROT_STATIC;
	rtm.rtm_type = RTN_UNREACHABLE;
	rtm.rtm_scope = add ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE;
	/* The metric makes a delete match only this route, not the real. */
	nl_req_init(&req, add ? RTM_NEWROUTE : RTM_DELROUTE,
	    add ? NLM_F_CREATE | NLM_F_EXCL : 0, &rtm, sizeof(rtm));
	nl_req_attr(&req, RTA_DST, &dst, sizeof(dst));
	nl_req_attr_u32(&req, RTA_TABLE,
	    table == ROUTE_TABLE_DEFAULT ? RT_TABLE_MAIN : table);
	nl_req_attr_u32(&req, RTA_PRIORITY, NET6_REJECT_METRIC);
	return nl_request(&req, NULL, NULL, what, err, errlen);
}
