/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * IPv6 addresses and routes on OpenBSD (net6.h): SIOCAIFADDR_IN6 /
 * SIOCDIFADDR_IN6 for addresses, the routing socket for routes, in the
 * daemon's own routing table as route-openbsd.c does.  A link-local
 * address carries its interface as the scope id; the kernel embeds it.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <net/if.h>
#include <net/if_dl.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet6/in6_var.h>
#include <netinet6/nd6.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "net6.h"
#include "route.h"

#define RTMSG_MAX	1024

static void
sin6_fill(struct sockaddr_in6 *sin6, struct in6_addr a, unsigned int idx)
{
	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_len = sizeof(*sin6);
	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = a;
	if (IN6_IS_ADDR_LINKLOCAL(&a))
		sin6->sin6_scope_id = idx;
}

static void
mask6(struct in6_addr *m, unsigned int plen)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < 16 && plen > 0; i++) {
		m->s6_addr[i] = plen >= 8 ? 0xff : (uint8_t)(0xff00 >> plen);
		plen = plen >= 8 ? plen - 8 : 0;
	}
}

int
net6_addr_change(int add, const char *ifname, struct in6_addr local,
    uint8_t plen, struct in6_addr peer, char *err, size_t errlen)
{
	struct in6_aliasreq ifra;
	struct in6_ifreq ifr;
	struct in6_addr m;
	char what[160], l[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];
	unsigned int idx;
	int s, rc, saved, has_peer = !IN6_IS_ADDR_UNSPECIFIED(&peer);

	inet_ntop(AF_INET6, &local, l, sizeof(l));
	inet_ntop(AF_INET6, &peer, p, sizeof(p));
	snprintf(what, sizeof(what), "address %s/%u%s%s on %s", l, plen,
	    has_peer ? " peer " : "", has_peer ? p : "", ifname);
	if (plen == 0 || plen > 128) {
		snprintf(err, errlen, "%s: bad prefix length", what);
		errno = EINVAL;
		return -1;
	}
	if ((idx = if_nametoindex(ifname)) == 0) {
		snprintf(err, errlen, "%s: no such interface", what);
		errno = ENODEV;
		return -1;
	}
	if ((s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "%s: socket: %s", what, strerror(errno));
		return -1;
	}
	if (add) {
		memset(&ifra, 0, sizeof(ifra));
		strlcpy(ifra.ifra_name, ifname, sizeof(ifra.ifra_name));
		sin6_fill(&ifra.ifra_addr, local, idx);
		if (has_peer)
			sin6_fill(&ifra.ifra_dstaddr, peer, idx);
		mask6(&m, plen);
		sin6_fill(&ifra.ifra_prefixmask, m, 0);
		ifra.ifra_lifetime.ia6t_vltime = ND6_INFINITE_LIFETIME;
		ifra.ifra_lifetime.ia6t_pltime = ND6_INFINITE_LIFETIME;
		rc = ioctl(s, SIOCAIFADDR_IN6, &ifra);
	} else {
		memset(&ifr, 0, sizeof(ifr));
		strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
		sin6_fill(&ifr.ifr_addr, local, idx);
		rc = ioctl(s, SIOCDIFADDR_IN6, &ifr);
	}
	saved = errno;
	close(s);
	if (rc == -1) {
		snprintf(err, errlen, "%s: %s", what, strerror(saved));
		errno = saved;
		return -1;
	}
	return 0;
}

static void
put_sa(struct wbuf *w, const void *sa, size_t len)
{
	size_t room = (len + sizeof(long) - 1) & ~(sizeof(long) - 1);

	wbuf_bytes(w, sa, len);
	wbuf_zero(w, room - len);
}

int
net6_route_change(int add, const char *ifname, struct in6_addr dst,
    uint8_t plen, uint32_t table, char *err, size_t errlen)
{
	struct rt_msghdr rtm;
	struct sockaddr_in6 sin6;
	struct sockaddr_dl sdl;
	struct in6_addr m;
	struct wbuf w;
	uint8_t buf[RTMSG_MAX];
	char what[96], a[INET6_ADDRSTRLEN];
	unsigned int idx;
	int s, saved;

	inet_ntop(AF_INET6, &dst, a, sizeof(a));
	snprintf(what, sizeof(what), "route %s/%u via %s", a, plen, ifname);
	if (plen == 0 || plen > 128) {
		snprintf(err, errlen, "%s: bad prefix length", what);
		errno = EINVAL;
		return -1;
	}
	if ((idx = if_nametoindex(ifname)) == 0) {
		snprintf(err, errlen, "%s: no such interface", what);
		errno = ENODEV;
		return -1;
	}
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_version = RTM_VERSION;
	rtm.rtm_type = add ? RTM_ADD : RTM_DELETE;
	rtm.rtm_hdrlen = sizeof(rtm);
	rtm.rtm_tableid = table == ROUTE_TABLE_DEFAULT ? getrtable() : table;
	rtm.rtm_priority = RTP_STATIC;
	rtm.rtm_seq = (int)arc4random();
	rtm.rtm_flags = RTF_UP | RTF_STATIC;
	if (plen == 128)
		rtm.rtm_flags |= RTF_HOST;
	/* As route-openbsd.c: a link route is matched without gateway. */
	rtm.rtm_addrs = RTA_DST | RTA_NETMASK;
	if (add)
		rtm.rtm_addrs |= RTA_GATEWAY | RTA_IFP;

	memset(&sdl, 0, sizeof(sdl));
	sdl.sdl_len = sizeof(sdl);
	sdl.sdl_family = AF_LINK;
	sdl.sdl_index = idx;

	wbuf_init(&w, buf, sizeof(buf));
	wbuf_zero(&w, sizeof(rtm));
	sin6_fill(&sin6, dst, idx);
	put_sa(&w, &sin6, sizeof(sin6));
	if (add)
		put_sa(&w, &sdl, sizeof(sdl));
	mask6(&m, plen);
	sin6_fill(&sin6, m, 0);
	put_sa(&w, &sin6, sizeof(sin6));
	if (add)
		put_sa(&w, &sdl, sizeof(sdl));
	if (wbuf_failed(&w)) {
		snprintf(err, errlen, "%s: routing message too large", what);
		errno = EMSGSIZE;
		return -1;
	}
	rtm.rtm_msglen = (u_short)wbuf_len(&w);
	memcpy(buf, &rtm, sizeof(rtm));

	if ((s = socket(AF_ROUTE, SOCK_RAW | SOCK_CLOEXEC, AF_INET6)) == -1) {
		snprintf(err, errlen, "%s: routing socket: %s", what,
		    strerror(errno));
		return -1;
	}
	shutdown(s, SHUT_RD);
	if (write(s, buf, rtm.rtm_msglen) != rtm.rtm_msglen) {
		saved = errno;
		snprintf(err, errlen, "%s: %s", what, saved == ESRCH ?
		    "not found" : strerror(saved));
		close(s);
		errno = saved;
		return -1;
	}
	close(s);
	return 0;
}

/*
 * The kill switch's IPv6 routes, as route-openbsd.c's kroute_reject():
 * RTF_REJECT through the loopback (::1, as route(8) -reject), at RTP_MAX
 * so that the tunnel's own route for the prefix (RTP_STATIC) wins and a
 * delete matches only this one.
 */
int
net6_reject_change(int add, struct in6_addr dst, uint8_t plen,
    uint32_t table, char *err, size_t errlen)
{
	struct rt_msghdr rtm;
	struct sockaddr_in6 sin6;
	struct in6_addr m;
	struct wbuf w;
	uint8_t buf[RTMSG_MAX];
	char what[96], a[INET6_ADDRSTRLEN];
	int s, saved;

	inet_ntop(AF_INET6, &dst, a, sizeof(a));
	snprintf(what, sizeof(what), "unreachable route %s/%u", a, plen);
	if (plen == 0 || plen > 128) {
		snprintf(err, errlen, "%s: bad prefix length", what);
		errno = EINVAL;
		return -1;
	}
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_version = RTM_VERSION;
	rtm.rtm_type = add ? RTM_ADD : RTM_DELETE;
	rtm.rtm_hdrlen = sizeof(rtm);
	rtm.rtm_tableid = table == ROUTE_TABLE_DEFAULT ? getrtable() : table;
	rtm.rtm_priority = RTP_MAX;
	rtm.rtm_seq = (int)arc4random();
	rtm.rtm_flags = RTF_UP | RTF_STATIC | RTF_GATEWAY | RTF_REJECT;
	if (plen == 128)
		rtm.rtm_flags |= RTF_HOST;
	rtm.rtm_addrs = RTA_DST | RTA_GATEWAY | RTA_NETMASK;

	wbuf_init(&w, buf, sizeof(buf));
	wbuf_zero(&w, sizeof(rtm));
	sin6_fill(&sin6, dst, 0);
	put_sa(&w, &sin6, sizeof(sin6));
	sin6_fill(&sin6, in6addr_loopback, 0);
	put_sa(&w, &sin6, sizeof(sin6));
	mask6(&m, plen);
	sin6_fill(&sin6, m, 0);
	put_sa(&w, &sin6, sizeof(sin6));
	if (wbuf_failed(&w)) {
		snprintf(err, errlen, "%s: routing message too large", what);
		errno = EMSGSIZE;
		return -1;
	}
	rtm.rtm_msglen = (u_short)wbuf_len(&w);
	memcpy(buf, &rtm, sizeof(rtm));

	if ((s = socket(AF_ROUTE, SOCK_RAW | SOCK_CLOEXEC, AF_INET6)) == -1) {
		snprintf(err, errlen, "%s: routing socket: %s", what,
		    strerror(errno));
		return -1;
	}
	shutdown(s, SHUT_RD);
	if (write(s, buf, rtm.rtm_msglen) != rtm.rtm_msglen) {
		saved = errno;
		snprintf(err, errlen, "%s: %s", what, saved == ESRCH ?
		    "not found" : strerror(saved));
		close(s);
		errno = saved;
		return -1;
	}
	close(s);
	return 0;
}
