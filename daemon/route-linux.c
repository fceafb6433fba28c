/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Routes on Linux through rtnetlink (see route.h).  Routes go to the main
 * table, or the tunnel's "table", with protocol "static", as ip-route(8)
 * would add them by hand.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nl-linux.h"
#include "route.h"

/*
 * The table of a route: ids above 255 do not fit rtm_table and go in
 * RTA_TABLE alone, with rtm_table RT_TABLE_UNSPEC, as ip-route(8) does.
 */
static uint32_t
table_id(uint32_t table)
{
	return table == ROUTE_TABLE_DEFAULT ? RT_TABLE_MAIN : table;
}

static uint8_t
table_rtm(uint32_t table)
{
	return table_id(table) < 256 ? (uint8_t)table_id(table) :
	    RT_TABLE_UNSPEC;
}

int
kroute_change(int add, const struct route_spec *r, const char *what, char *err,
    size_t errlen)
{
	struct rtmsg rtm;
	struct nl_req req;
	unsigned int idx;

	if ((idx = if_nametoindex(r->ifname)) == 0) {
		snprintf(err, errlen, "%s: no such interface", what);
		errno = ENODEV;
		return -1;
	}
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_dst_len = r->plen;
	rtm.rtm_protocol = RTPROT_STATIC;
	rtm.rtm_type = RTN_UNICAST;
	if (add)
		rtm.rtm_scope = (r->flags & ROUTE_GATEWAY) ?
		    RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	else
		rtm.rtm_scope = RT_SCOPE_NOWHERE;	/* match any scope */
	if (add && (r->flags & ROUTE_GATEWAY) && (r->flags & ROUTE_ONLINK))
		rtm.rtm_flags = RTNH_F_ONLINK;
	/*
	 * EXCL: a route that exists already is reported, never silently
	 * replaced, so that down never removes what up did not add.
	 */
	rtm.rtm_table = table_rtm(r->table);
	nl_req_init(&req, add ? RTM_NEWROUTE : RTM_DELROUTE,
	    add ? NLM_F_CREATE | NLM_F_EXCL : 0, &rtm, sizeof(rtm));
	nl_req_attr_u32(&req, RTA_TABLE, table_id(r->table));
	nl_req_attr_in(&req, RTA_DST, r->dst);
	nl_req_attr_u32(&req, RTA_OIF, idx);
	if (r->flags & ROUTE_GATEWAY)
		nl_req_attr_in(&req, RTA_GATEWAY, r->gateway);
	return nl_request(&req, NULL, NULL, what, err, errlen);
}

struct get_reply {
	struct route_nexthop	*nh;
	int			 seen;
	int			 unusable;
};

static int
get_cb(uint16_t type, struct rbuf *p, void *arg)
{
	struct get_reply *g = arg;
	struct rbuf tb[RTA_MAX + 1];
	struct rtmsg rtm;
	uint32_t oif;

	if (type != RTM_NEWROUTE)
		return 0;
	if (rbuf_bytes(p, &rtm, sizeof(rtm)) == -1 ||
	    nl_attrs(p, tb, RTA_MAX + 1) == -1)
		return -1;
	g->seen = 1;
	switch (rtm.rtm_type) {
	case RTN_LOCAL:
		g->nh->flags |= ROUTE_LOCAL;
		break;
	case RTN_UNICAST:
		break;
	default:
		/* blackhole, prohibit, broadcast, multicast: no next hop */
		g->unusable = rtm.rtm_type;
		return 0;
	}
	if (tb[RTA_GATEWAY].data != NULL) {
		if (nl_attr_in(&tb[RTA_GATEWAY], &g->nh->gateway) == -1)
			return -1;
		g->nh->flags |= ROUTE_GATEWAY;
	}
	if (nl_attr_u32(&tb[RTA_OIF], &oif) == -1)
		return -1;
	if (if_indextoname(oif, g->nh->ifname) == NULL)
		g->nh->ifname[0] = '\0';
	return 0;
}

/*
 * The lookup carries the tunnel's mark and source, as its sockets' own
 * packets do, so that "ip rule fwmark N" and "ip rule from ADDR" choose
 * the table; a table cannot be named in a lookup, only selected by the
 * rules.  An unset source is left out: routing picks it.
 */
int
kroute_get(struct in_addr dst, const struct route_where *w,
    struct route_nexthop *nh, char *err, size_t errlen)
{
	struct get_reply g = { nh, 0, 0 };
	struct rtmsg rtm;
	struct nl_req req;
	char what[64], a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &dst, a, sizeof(a));
	snprintf(what, sizeof(what), "route lookup %s", a);
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_dst_len = 32;
	nl_req_init(&req, RTM_GETROUTE, 0, &rtm, sizeof(rtm));
	nl_req_attr_in(&req, RTA_DST, dst);
	if (w->mark != 0)
		nl_req_attr_u32(&req, RTA_MARK, w->mark);
	if (w->src.s_addr != INADDR_ANY)
		nl_req_attr_in(&req, RTA_SRC, w->src);
	if (nl_request(&req, get_cb, &g, what, err, errlen) == -1)
		return -1;
	if (!g.seen) {
		snprintf(err, errlen, "%s: no answer", what);
		errno = EHOSTUNREACH;
		return -1;
	}
	if (g.unusable) {
		snprintf(err, errlen, "%s: route of type %d has no next hop",
		    what, g.unusable);
		errno = EHOSTUNREACH;
		return -1;
	}
	if (nh->ifname[0] == '\0') {
		snprintf(err, errlen, "%s: outgoing interface vanished", what);
		errno = ENODEV;
		return -1;
	}
	return 0;
}

/*
 * The kill switch's routes: unreachable, in the tunnel's table, at the
 * highest metric there is, so that a real route for the same prefix (at
 * metric 0, as kroute_change() adds them) always wins over one and the
 * two never collide (the kernel keys a route by prefix and metric).
 */
#define KROUTE_REJECT_METRIC	0xffffffffu

int
kroute_reject(int add, struct in_addr dst, uint8_t plen, uint32_t table,
    const char *what, char *err, size_t errlen)
{
	struct rtmsg rtm;
	struct nl_req req;

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_dst_len = plen;
	rtm.rtm_table = table_rtm(table);
	rtm.rtm_protocol = RTPROT_STATIC;
	/* The type and metric make a delete match only this route. */
	rtm.rtm_type = RTN_UNREACHABLE;
	rtm.rtm_scope = add ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE;
	nl_req_init(&req, add ? RTM_NEWROUTE : RTM_DELROUTE,
	    add ? NLM_F_CREATE | NLM_F_EXCL : 0, &rtm, sizeof(rtm));
	nl_req_attr_u32(&req, RTA_TABLE, table_id(table));
	nl_req_attr_in(&req, RTA_DST, dst);
	nl_req_attr_u32(&req, RTA_PRIORITY, KROUTE_REJECT_METRIC);
	return nl_request(&req, NULL, NULL, what, err, errlen);
}

/* ---- kroute_match(): the prefix a lookup matched (addr_host.c) ---- */

static int
match_cb(uint16_t type, struct rbuf *p, void *arg)
{
	struct route_match *m = arg;
	struct rbuf tb[RTA_MAX + 1];
	struct rtmsg rtm;
	uint32_t oif;

	if (type != RTM_NEWROUTE)
		return 0;
	if (rbuf_bytes(p, &rtm, sizeof(rtm)) == -1 ||
	    nl_attrs(p, tb, RTA_MAX + 1) == -1 || rtm.rtm_dst_len > 32)
		return -1;
	m->found = 1;
	m->plen = rtm.rtm_dst_len;
	/* A kernel before 4.13 ignores the flag and answers with a clone. */
	if (rtm.rtm_flags & RTM_F_CLONED)
		m->plen = -1;
	m->dst.s_addr = INADDR_ANY;
	if (tb[RTA_DST].data != NULL &&
	    nl_attr_in(&tb[RTA_DST], &m->dst) == -1)
		return -1;
	switch (rtm.rtm_type) {
	case RTN_LOCAL:
		m->local = 1;
		break;
	case RTN_UNREACHABLE:
	case RTN_BLACKHOLE:
	case RTN_PROHIBIT:
		m->reject = 1;
		break;
	default:
		break;
	}
	m->gateway = tb[RTA_GATEWAY].data != NULL;
	if (tb[RTA_OIF].data != NULL && nl_attr_u32(&tb[RTA_OIF], &oif) == 0 &&
	    if_indextoname(oif, m->ifname) == NULL)
		m->ifname[0] = '\0';
	return 0;
}

/*
 * RTM_F_FIB_MATCH (Linux 4.13) answers with the table entry that matched,
 * prefix and all, rather than a /32 for the destination.  A reject route
 * makes the lookup itself fail instead, each type with its own errno,
 * and its extent is not reported.
 */
int
kroute_match(struct in_addr dst, struct route_match *m, char *err,
    size_t errlen)
{
	struct rtmsg rtm;
	struct nl_req req;
	char what[64], a[INET_ADDRSTRLEN];

	memset(m, 0, sizeof(*m));
	inet_ntop(AF_INET, &dst, a, sizeof(a));
	snprintf(what, sizeof(what), "route lookup %s", a);
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_dst_len = 32;
	rtm.rtm_flags = RTM_F_FIB_MATCH;
	nl_req_init(&req, RTM_GETROUTE, 0, &rtm, sizeof(rtm));
	nl_req_attr_in(&req, RTA_DST, dst);
	if (nl_request(&req, match_cb, m, what, err, errlen) == 0) {
		if (!m->found) {
			snprintf(err, errlen, "%s: no answer", what);
			errno = EBADMSG;
			return -1;
		}
		return 0;
	}
	memset(m, 0, sizeof(*m));
	switch (errno) {
	case ENETUNREACH:		/* no route at all */
		return 0;
	case EHOSTUNREACH:		/* unreachable */
	case EINVAL:			/* blackhole */
	case EACCES:			/* prohibit */
		m->found = m->reject = 1;
		m->plen = -1;
		return 0;
	default:
		return -1;
	}
}
