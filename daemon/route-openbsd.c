/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Routes on OpenBSD through the routing socket (see route.h), in the
 * routing table of the daemon's own rdomain, or the tunnel's rtable
 * ("rdomain", "interface-rdomain"; route.h struct route_where).  Routes
 * through the tunnel name the interface with an AF_LINK gateway (and
 * RTA_IFP), the way route(8) does for "-link"; routes through a gateway
 * name it with RTF_GATEWAY.  The kernel reports add/delete errors on
 * write(2) itself, so only RTM_GET needs to read an answer.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <net/if.h>
#include <net/if_dl.h>
#include <net/route.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "route.h"

#define RTMSG_MAX	1024

/* ROUTE_TABLE_DEFAULT is the daemon's own rtable. */
static u_short
rtable_of(uint32_t table)
{
	return table == ROUTE_TABLE_DEFAULT ? (u_short)getrtable() :
	    (u_short)table;
}

/*
 * A routing socket for one request: with filter 0 it only writes (errors
 * come back from write(2)), otherwise it reads just those message types.
 */
static int
rt_socket(const char *what, unsigned int filter, char *err, size_t errlen)
{
	struct timeval tv = { 5, 0 };
	int s;

	if ((s = socket(AF_ROUTE, SOCK_RAW | SOCK_CLOEXEC, AF_INET)) == -1) {
		snprintf(err, errlen, "%s: routing socket: %s", what,
		    strerror(errno));
		return -1;
	}
	if (filter == 0) {
		/* Nothing is read, so let nothing queue up. */
		shutdown(s, SHUT_RD);
		return s;
	}
	/* Only our own kind of answer; no stream of everyone's changes. */
	if (setsockopt(s, AF_ROUTE, ROUTE_MSGFILTER, &filter,
	    sizeof(filter)) == -1) {
		snprintf(err, errlen, "%s: ROUTE_MSGFILTER: %s", what,
		    strerror(errno));
		close(s);
		return -1;
	}
	/* The kernel always answers; this keeps a lost one from wedging. */
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return s;
}

/*
 * The engine's routing socket for its RTM_GET look-ups (the server's
 * route for the kill switch, kroute_match() for the address policy):
 * pledge_socket() (kern_pledge.c) refuses AF_ROUTE under every promise
 * and kills the caller, so the engine opens this one before it pledges
 * (sandbox-openbsd.c) and keeps it.  Written only by
 * kroute_keep_socket(), read-only after it; -1 elsewhere, where each
 * look-up opens a socket of its own as before.
 */
static int	kept_fd = -1;

int
kroute_keep_socket(char *err, size_t errlen)
{
	if (kept_fd != -1)
		return 0;
	kept_fd = rt_socket("route look-ups", ROUTE_FILTER(RTM_GET), err,
	    errlen);
	return kept_fd == -1 ? -1 : 0;
}

/*
 * A socket for one RTM_GET.  The kept one first drops what queued since
 * the last look-up: every routing socket hears every process's RTM_GET
 * answers (rtsock.c, route_input()); ours are told apart by sequence
 * number and pid all the same.
 */
static int
rt_get_socket(const char *what, char *err, size_t errlen)
{
	uint8_t junk[RTMSG_MAX];

	if (kept_fd == -1)
		return rt_socket(what, ROUTE_FILTER(RTM_GET), err, errlen);
	while (recv(kept_fd, junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
	return kept_fd;
}

static void
rt_put_socket(int s)
{
	if (s != kept_fd)
		close(s);
}

/* Appends a sockaddr and pads it to the routing socket's alignment. */
static void
put_sa(struct wbuf *w, const void *sa, size_t len)
{
	size_t room = (len + sizeof(long) - 1) & ~(sizeof(long) - 1);

	wbuf_bytes(w, sa, len);
	wbuf_zero(w, room - len);
}

static void
put_sin(struct wbuf *w, struct in_addr a)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_addr = a;
	put_sa(w, &sin, sizeof(sin));
}

static void
put_sdl(struct wbuf *w, unsigned int idx)
{
	struct sockaddr_dl sdl;

	memset(&sdl, 0, sizeof(sdl));
	sdl.sdl_len = sizeof(sdl);
	sdl.sdl_family = AF_LINK;
	sdl.sdl_index = idx;
	put_sa(w, &sdl, sizeof(sdl));
}

int
kroute_change(int add, const struct route_spec *r, const char *what, char *err,
    size_t errlen)
{
	struct rt_msghdr rtm;
	struct in_addr mask;
	struct wbuf w;
	uint8_t buf[RTMSG_MAX];
	unsigned int idx;
	int s, saved;

	if ((idx = if_nametoindex(r->ifname)) == 0) {
		snprintf(err, errlen, "%s: no such interface", what);
		errno = ENODEV;
		return -1;
	}
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_version = RTM_VERSION;
	rtm.rtm_type = add ? RTM_ADD : RTM_DELETE;
	rtm.rtm_hdrlen = sizeof(rtm);
	rtm.rtm_tableid = rtable_of(r->table);
	rtm.rtm_priority = RTP_STATIC;
	rtm.rtm_seq = (int)arc4random();
	rtm.rtm_flags = RTF_UP | RTF_STATIC;
	if (r->plen == 32)
		rtm.rtm_flags |= RTF_HOST;
	rtm.rtm_addrs = RTA_DST | RTA_NETMASK;
	/*
	 * A link route is matched by prefix and priority on delete; its
	 * stored AF_LINK gateway is the kernel's, not byte-for-byte ours.
	 */
	if (add || (r->flags & ROUTE_GATEWAY))
		rtm.rtm_addrs |= RTA_GATEWAY;
	if (add)
		rtm.rtm_addrs |= RTA_IFP;
	if (r->flags & ROUTE_GATEWAY)
		rtm.rtm_flags |= RTF_GATEWAY;

	wbuf_init(&w, buf, sizeof(buf));
	/* The header goes in last: it carries the length. */
	wbuf_zero(&w, sizeof(rtm));
	/* In RTA_* bit order: DST, GATEWAY, NETMASK, ..., IFP. */
	put_sin(&w, r->dst);
	if (rtm.rtm_addrs & RTA_GATEWAY) {
		if (r->flags & ROUTE_GATEWAY)
			put_sin(&w, r->gateway);
		else
			put_sdl(&w, idx);
	}
	mask.s_addr = r->plen == 0 ? 0 : htonl(0xffffffffu << (32 - r->plen));
	put_sin(&w, mask);
	if (rtm.rtm_addrs & RTA_IFP)
		put_sdl(&w, idx);
	if (wbuf_failed(&w)) {
		snprintf(err, errlen, "%s: routing message too large", what);
		errno = EMSGSIZE;
		return -1;
	}
	rtm.rtm_msglen = (u_short)wbuf_len(&w);
	memcpy(buf, &rtm, sizeof(rtm));

	if ((s = rt_socket(what, 0, err, errlen)) == -1)
		return -1;
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

/* Reads the name out of a sockaddr_dl, checking its lengths. */
static int
sdl_name(const struct rbuf *sa, char *name, size_t len)
{
	struct sockaddr_dl sdl;
	size_t off = offsetof(struct sockaddr_dl, sdl_data);

	if (sa->data == NULL || sa->len < off)
		return -1;
	memset(&sdl, 0, sizeof(sdl));
	memcpy(&sdl, sa->data, sa->len < sizeof(sdl) ? sa->len : sizeof(sdl));
	if (sdl.sdl_family != AF_LINK || sdl.sdl_nlen == 0 ||
	    sdl.sdl_nlen >= len || off + sdl.sdl_nlen > sa->len)
		return -1;
	memcpy(name, sa->data + off, sdl.sdl_nlen);
	name[sdl.sdl_nlen] = '\0';
	return 0;
}

static int
sin_addr(const struct rbuf *sa, struct in_addr *a)
{
	struct sockaddr_in sin;

	if (sa->data == NULL || sa->len < sizeof(sin))
		return -1;
	memcpy(&sin, sa->data, sizeof(sin));
	if (sin.sin_family != AF_INET)
		return -1;
	*a = sin.sin_addr;
	return 0;
}

/* Looks up in the rtable of the tunnel's sockets; no marks here. */
int
kroute_get(struct in_addr dst, const struct route_where *wh,
    struct route_nexthop *nh, char *err, size_t errlen)
{
	struct rt_msghdr rtm;
	struct rbuf r, sa[RTAX_MAX];
	struct wbuf w;
	uint8_t buf[RTMSG_MAX];
	char what[64], a[INET_ADDRSTRLEN];
	ssize_t n;
	pid_t pid = getpid();
	int s, seq, saved;

	inet_ntop(AF_INET, &dst, a, sizeof(a));
	snprintf(what, sizeof(what), "route lookup %s", a);
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_version = RTM_VERSION;
	rtm.rtm_type = RTM_GET;
	rtm.rtm_hdrlen = sizeof(rtm);
	rtm.rtm_tableid = rtable_of(wh->wan_table);
	rtm.rtm_seq = seq = (int)arc4random();
	/* Ask for the interface too: RTA_IFP comes back as its name. */
	rtm.rtm_addrs = RTA_DST | RTA_IFP;
	wbuf_init(&w, buf, sizeof(buf));
	wbuf_zero(&w, sizeof(rtm));
	put_sin(&w, dst);
	put_sdl(&w, 0);
	rtm.rtm_msglen = (u_short)wbuf_len(&w);
	memcpy(buf, &rtm, sizeof(rtm));

	if ((s = rt_get_socket(what, err, errlen)) == -1)
		return -1;
	if (write(s, buf, rtm.rtm_msglen) != rtm.rtm_msglen) {
		saved = errno;
		snprintf(err, errlen, "%s: %s", what, saved == ESRCH ?
		    "no route" : strerror(saved));
		rt_put_socket(s);
		errno = saved == ESRCH ? ENETUNREACH : saved;
		return -1;
	}
	for (;;) {
		if ((n = read(s, buf, sizeof(buf))) == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			snprintf(err, errlen, "%s: routing socket: %s", what,
			    strerror(saved));
			rt_put_socket(s);
			errno = saved;
			return -1;
		}
		rbuf_init(&r, buf, (size_t)n);
		if (rbuf_bytes(&r, &rtm, sizeof(rtm)) == -1 ||
		    rtm.rtm_version != RTM_VERSION ||
		    rtm.rtm_msglen > (size_t)n ||
		    rtm.rtm_hdrlen < sizeof(rtm) ||
		    rtm.rtm_hdrlen > rtm.rtm_msglen)
			continue;	/* not a message we can read */
		if (rtm.rtm_type == RTM_GET && rtm.rtm_seq == seq &&
		    rtm.rtm_pid == pid)
			break;
	}
	rt_put_socket(s);
	/* The sockaddrs start after the header the kernel says it sent. */
	rbuf_init(&r, buf, rtm.rtm_msglen);
	if (rbuf_skip(&r, rtm.rtm_hdrlen) == -1 ||
	    route_sockaddrs(&r, (unsigned int)rtm.rtm_addrs, sa, RTAX_MAX,
	    sizeof(long)) == -1)
		goto bad;
	if (rtm.rtm_errno != 0) {
		snprintf(err, errlen, "%s: %s", what, strerror(rtm.rtm_errno));
		errno = rtm.rtm_errno;
		return -1;
	}
	if (rtm.rtm_flags & RTF_LOCAL)
		nh->flags |= ROUTE_LOCAL;
	if (rtm.rtm_flags & (RTF_REJECT | RTF_BLACKHOLE)) {
		snprintf(err, errlen, "%s: reject or blackhole route", what);
		errno = EHOSTUNREACH;
		return -1;
	}
	if (rtm.rtm_flags & RTF_GATEWAY) {
		if (sin_addr(&sa[RTAX_GATEWAY], &nh->gateway) == -1)
			goto bad;
		nh->flags |= ROUTE_GATEWAY;
	}
	if (sdl_name(&sa[RTAX_IFP], nh->ifname, sizeof(nh->ifname)) == -1 &&
	    if_indextoname(rtm.rtm_index, nh->ifname) == NULL) {
		snprintf(err, errlen, "%s: outgoing interface vanished", what);
		errno = ENODEV;
		return -1;
	}
	return 0;
 bad:
	snprintf(err, errlen, "%s: malformed routing message", what);
	errno = EBADMSG;
	return -1;
}

/*
 * The kill switch's routes: RTF_REJECT (senders get EHOSTUNREACH, as
 * from Linux's unreachable type) through the loopback, at RTP_MAX, the
 * least preferred priority, so that a real route for the same prefix (at
 * RTP_STATIC, as kroute_change() adds them) always wins over one and the
 * two never collide (the kernel keys a route by prefix and priority).
 */
int
kroute_reject(int add, struct in_addr dst, uint8_t plen, uint32_t table,
    const char *what, char *err, size_t errlen)
{
	struct rt_msghdr rtm;
	struct in_addr mask, lo;
	struct wbuf w;
	uint8_t buf[RTMSG_MAX];
	int s, saved;

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_version = RTM_VERSION;
	rtm.rtm_type = add ? RTM_ADD : RTM_DELETE;
	rtm.rtm_hdrlen = sizeof(rtm);
	rtm.rtm_tableid = rtable_of(table);
	/* The priority also makes a delete match only this route. */
	rtm.rtm_priority = RTP_MAX;
	rtm.rtm_seq = (int)arc4random();
	rtm.rtm_flags = RTF_UP | RTF_STATIC | RTF_GATEWAY | RTF_REJECT;
	if (plen == 32)
		rtm.rtm_flags |= RTF_HOST;
	rtm.rtm_addrs = RTA_DST | RTA_GATEWAY | RTA_NETMASK;

	wbuf_init(&w, buf, sizeof(buf));
	wbuf_zero(&w, sizeof(rtm));
	put_sin(&w, dst);
	/* As route(8) -reject: the loopback of the rdomain is the way. */
	lo.s_addr = htonl(INADDR_LOOPBACK);
	put_sin(&w, lo);
	mask.s_addr = plen == 0 ? 0 : htonl(0xffffffffu << (32 - plen));
	put_sin(&w, mask);
	if (wbuf_failed(&w)) {
		snprintf(err, errlen, "%s: routing message too large", what);
		errno = EMSGSIZE;
		return -1;
	}
	rtm.rtm_msglen = (u_short)wbuf_len(&w);
	memcpy(buf, &rtm, sizeof(rtm));

	if ((s = rt_socket(what, 0, err, errlen)) == -1)
		return -1;
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

/* ---- kroute_match(): the prefix a lookup matched (addr_host.c) ---- */

/*
 * A netmask sockaddr may be cut short after its last non-zero byte, or be
 * empty (length 0) for a default; what is left out is zero.  -1 for a
 * mask that is not contiguous.
 */
static int
mask_plen(const struct rbuf *sa)
{
	uint8_t b[4] = { 0, 0, 0, 0 };
	size_t off = offsetof(struct sockaddr_in, sin_addr), n, i;
	uint32_t m;
	int plen = 0;

	if (sa->data != NULL && sa->len > off) {
		n = sa->len - off;
		memcpy(b, sa->data + off, n < sizeof(b) ? n : sizeof(b));
	}
	m = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	for (i = 0; i < 32 && (m & 0x80000000u); i++, m <<= 1)
		plen++;
	return m == 0 ? plen : -1;
}

/*
 * RTM_GET answers with the route that matched: its destination, its
 * netmask (none for a host route) and its flags, reject and blackhole
 * routes included.
 */
int
kroute_match(struct in_addr dst, struct route_match *m, char *err,
    size_t errlen)
{
	struct rt_msghdr rtm;
	struct rbuf r, sa[RTAX_MAX];
	struct wbuf w;
	uint8_t buf[RTMSG_MAX];
	char what[64], a[INET_ADDRSTRLEN];
	ssize_t n;
	pid_t pid = getpid();
	int s, seq, saved;

	memset(m, 0, sizeof(*m));
	inet_ntop(AF_INET, &dst, a, sizeof(a));
	snprintf(what, sizeof(what), "route lookup %s", a);
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_version = RTM_VERSION;
	rtm.rtm_type = RTM_GET;
	rtm.rtm_hdrlen = sizeof(rtm);
	rtm.rtm_tableid = getrtable();
	rtm.rtm_seq = seq = (int)arc4random();
	rtm.rtm_addrs = RTA_DST | RTA_IFP;
	wbuf_init(&w, buf, sizeof(buf));
	wbuf_zero(&w, sizeof(rtm));
	put_sin(&w, dst);
	put_sdl(&w, 0);
	rtm.rtm_msglen = (u_short)wbuf_len(&w);
	memcpy(buf, &rtm, sizeof(rtm));

	if ((s = rt_get_socket(what, err, errlen)) == -1)
		return -1;
	if (write(s, buf, rtm.rtm_msglen) != rtm.rtm_msglen) {
		saved = errno;
		rt_put_socket(s);
		if (saved == ESRCH)
			return 0;	/* no route at all */
		snprintf(err, errlen, "%s: %s", what, strerror(saved));
		errno = saved;
		return -1;
	}
	for (;;) {
		if ((n = read(s, buf, sizeof(buf))) == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			snprintf(err, errlen, "%s: routing socket: %s", what,
			    strerror(saved));
			rt_put_socket(s);
			errno = saved;
			return -1;
		}
		rbuf_init(&r, buf, (size_t)n);
		if (rbuf_bytes(&r, &rtm, sizeof(rtm)) == -1 ||
		    rtm.rtm_version != RTM_VERSION ||
		    rtm.rtm_msglen > (size_t)n ||
		    rtm.rtm_hdrlen < sizeof(rtm) ||
		    rtm.rtm_hdrlen > rtm.rtm_msglen)
			continue;	/* not a message we can read */
		if (rtm.rtm_type == RTM_GET && rtm.rtm_seq == seq &&
		    rtm.rtm_pid == pid)
			break;
	}
	rt_put_socket(s);
	if (rtm.rtm_errno == ESRCH)
		return 0;
	if (rtm.rtm_errno != 0) {
		snprintf(err, errlen, "%s: %s", what, strerror(rtm.rtm_errno));
		errno = rtm.rtm_errno;
		return -1;
	}
	rbuf_init(&r, buf, rtm.rtm_msglen);
	if (rbuf_skip(&r, rtm.rtm_hdrlen) == -1 ||
	    route_sockaddrs(&r, (unsigned int)rtm.rtm_addrs, sa, RTAX_MAX,
	    sizeof(long)) == -1 ||
	    sin_addr(&sa[RTAX_DST], &m->dst) == -1)
		goto bad;
	if (rtm.rtm_flags & RTF_HOST)
		m->plen = 32;
	else if ((m->plen = mask_plen(&sa[RTAX_NETMASK])) == -1)
		goto bad;
	m->found = 1;
	m->local = (rtm.rtm_flags & RTF_LOCAL) != 0;
	m->reject = (rtm.rtm_flags & (RTF_REJECT | RTF_BLACKHOLE)) != 0;
	m->gateway = (rtm.rtm_flags & RTF_GATEWAY) != 0;
	if (sdl_name(&sa[RTAX_IFP], m->ifname, sizeof(m->ifname)) == -1 &&
	    if_indextoname(rtm.rtm_index, m->ifname) == NULL)
		m->ifname[0] = '\0';
	return 0;
 bad:
	snprintf(err, errlen, "%s: malformed routing message", what);
	errno = EBADMSG;
	return -1;
}
