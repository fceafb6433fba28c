/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The parent's checks of the host operations that came with the gateway
 * features (issue 11): DNS lent to the host, the tunnel's own TCP and GRE
 * sockets on its WAN, the rdomain of its interface, IPv6 on it.  As in
 * priv_parent.c the engine is assumed compromised: each field is checked
 * for its type, then against the parent's configuration of the tunnel
 * named in the header and what the parent itself did for it.  What the
 * configuration holds (marks, rtables, local addresses, tables, DNS
 * domains) is never taken from the engine: it does not even send it.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dns.h"
#include "log.h"
#include "priv_parent.h"
#include "route.h"

#define refuse	priv_parent_refuse

static int
name_ok(const char *s, size_t size)
{
	return privmsg_check_name(s, size) == 0;
}

static void
result(int sock, const struct privmsg *m, int r, uint64_t value,
    const char *err)
{
	if (r == -1)
		priv_parent_answer(sock, m->hdr.tunnel, errno != 0 ? errno :
		    EIO, 0, err);
	else
		priv_parent_answer(sock, m->hdr.tunnel, 0, value, "ok");
}

/* ---- DNS ---- */

/* 0 if reverted (or nothing to), -1 if that failed (logged). */
static int
dns_undo(struct priv_parent *p, struct ptun *t)
{
	char err[DNS_ERR_MAX];
	int r = 0;

	if (t->dns_backend == 0)
		return 0;
	if ((r = p->ops->dns_revert(t->name, t->dns_ifname, t->dns_backend,
	    err, sizeof(err))) == -1)
		log_warnx("%s: %s", t->name, err);
	/* Not ours any more either way, as the engine sees it too. */
	t->dns_backend = 0;
	t->dns_ifname[0] = '\0';
	return r;
}

/*
 * Apply: only with "dns apply", on the interface the parent gave the
 * tunnel, the servers as dns_check() takes them, the domains of the
 * parent's configuration.  Revert: only what the parent applied.
 */
int
priv_parent_dns(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_dns q;
	const struct tunnel_conf *c;
	struct ptun *t;
	char err[DNS_ERR_MAX];
	int used = 0, r;
	size_t i;

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if ((q.op != PRIV_DNS_APPLY && q.op != PRIV_DNS_REVERT) ||
	    q.pad[0] != 0 || q.pad[1] != 0 ||
	    q.nservers > PRIV_DNS_SERVERS_MAX ||
	    !name_ok(q.ifname, sizeof(q.ifname)))
		return refuse(p, sock, m, "malformed");
	for (i = q.nservers; i < PRIV_DNS_SERVERS_MAX; i++)
		if (q.servers[i].s_addr != INADDR_ANY)
			return refuse(p, sock, m, "malformed");
	if ((c = config_find_tunnel(p->conf, m->hdr.tunnel)) == NULL)
		return refuse(p, sock, m, "no such tunnel");
	if (q.op == PRIV_DNS_REVERT) {
		if ((t = priv_parent_tunnel(p, m->hdr.tunnel)) == NULL ||
		    t->dns_backend == 0)
			return refuse(p, sock, m, "no DNS applied for it");
		if (q.nservers != 0 || strcmp(q.ifname, t->dns_ifname) != 0)
			return refuse(p, sock, m, "DNS applied on %s, not %s",
			    t->dns_ifname, q.ifname);
		r = p->ops->dns_revert(t->name, t->dns_ifname, t->dns_backend,
		    err, sizeof(err));
		t->dns_backend = 0;
		t->dns_ifname[0] = '\0';
		result(sock, m, r, 0, err);
		return 0;
	}
	if (!c->dns_apply)
		return refuse(p, sock, m, "dns apply is not configured");
	if ((t = priv_parent_own_iface(p, m, q.ifname)) == NULL)
		return refuse(p, sock, m, "%s is not the tunnel's interface",
		    q.ifname);
	if (dns_check(q.ifname, q.servers, q.nservers,
	    (const char *const *)c->dns_domains, c->ndns_domains, err,
	    sizeof(err)) == -1)
		return refuse(p, sock, m, "%s", err);
	/* One record per tunnel: an old one goes first. */
	(void)dns_undo(p, t);
	r = p->ops->dns_apply(t->name, q.ifname, q.servers, q.nservers,
	    (const char *const *)c->dns_domains, c->ndns_domains, &used, err,
	    sizeof(err));
	if (r == 0) {
		t->dns_backend = used;
		snprintf(t->dns_ifname, sizeof(t->dns_ifname), "%s",
		    q.ifname);
	}
	result(sock, m, r, (uint64_t)used, err);
	return 0;
}

/* ---- The tunnel's own sockets on its WAN ---- */

/*
 * Made with the mark, rtable and local address of the tunnel's
 * configuration; a GRE socket of its own only where the tunnel needs one
 * (wansock_gre_needed(): a mark, or an rtable), else the shared one does.
 */
int
priv_parent_wansock(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_wansock q;
	const struct tunnel_conf *c;
	char err[PRIV_MSG_MAX] = "";
	int fd;

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if ((q.kind != PRIV_WANSOCK_TCP && q.kind != PRIV_WANSOCK_GRE) ||
	    q.pad[0] != 0 || q.pad[1] != 0 || q.pad[2] != 0)
		return refuse(p, sock, m, "malformed");
	if ((c = config_find_tunnel(p->conf, m->hdr.tunnel)) == NULL)
		return refuse(p, sock, m, "no such tunnel");
	if (q.kind == PRIV_WANSOCK_GRE && c->fwmark == 0 && c->rdomain == 0)
		return refuse(p, sock, m, "a GRE socket of its own, with no "
		    "fwmark or rdomain configured");
	fd = p->ops->wansock(q.kind, c->fwmark, c->rdomain, c->local_addr,
	    err, sizeof(err));
	priv_parent_answer_fd(sock, fd, fd == -1 ? (errno != 0 ? errno : EIO) :
	    0, err);
	return 0;
}

/* The kernel engine's PPTP socket gets the configuration's fwmark. */
int
priv_parent_sock_mark(struct priv_parent *p, int sock, struct privmsg *m)
{
	const struct tunnel_conf *c;
	char err[PRIV_MSG_MAX] = "";
	int fd = m->fd, r;

	m->fd = -1;
	if (m->hdr.len != 0) {
		close(fd);
		return refuse(p, sock, m, "length %u", m->hdr.len);
	}
	if ((c = config_find_tunnel(p->conf, m->hdr.tunnel)) == NULL) {
		close(fd);
		return refuse(p, sock, m, "no such tunnel");
	}
	if (c->fwmark == 0) {
		close(fd);
		return refuse(p, sock, m, "no fwmark configured");
	}
	/* The op refuses anything but an AF_PPPOX PPTP socket. */
	r = p->ops->sock_mark(fd, c->fwmark, err, sizeof(err));
	close(fd);
	result(sock, m, r, 0, err);
	return 0;
}

/* OpenBSD: the interface into the configuration's interface-rdomain. */
int
priv_parent_rdomain(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_ifreq q;
	const struct tunnel_conf *c;
	char err[PRIV_MSG_MAX] = "";
	int r;

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (!name_ok(q.ifname, sizeof(q.ifname)))
		return refuse(p, sock, m, "malformed");
	if ((c = config_find_tunnel(p->conf, m->hdr.tunnel)) == NULL)
		return refuse(p, sock, m, "no such tunnel");
	if (priv_parent_own_iface(p, m, q.ifname) == NULL)
		return refuse(p, sock, m, "%s is not the tunnel's interface",
		    q.ifname);
	if (c->iface_rdomain == 0 || q.value != c->iface_rdomain)
		return refuse(p, sock, m, "rdomain %u, configured %u",
		    q.value, c->iface_rdomain);
	r = p->ops->iface_rdomain(q.ifname, c->iface_rdomain, err,
	    sizeof(err));
	result(sock, m, r, 0, err);
	return 0;
}

/* ---- IPv6 on the tunnel's interface ---- */

static int
zero6(const struct in6_addr *a)
{
	return IN6_IS_ADDR_UNSPECIFIED(a);
}

/* fe80::/64 with a non-zero interface identifier (RFC 4291 §2.5.6). */
static int
ll64(const struct in6_addr *a)
{
	static const uint8_t pfx[8] = { 0xfe, 0x80 };
	static const uint8_t none[8];

	return memcmp(a->s6_addr, pfx, 8) == 0 &&
	    memcmp(a->s6_addr + 8, none, 8) != 0;
}

/* Host bits past plen are zero. */
static int
prefix6_ok(const struct in6_addr *a, uint8_t plen)
{
	unsigned int i;

	for (i = plen; i < 128; i++)
		if (a->s6_addr[i / 8] & (0x80 >> (i % 8)))
			return 0;
	return 1;
}

/* The prefix is one of the tunnel's IPv6 routes or default halves. */
static int
carried6(const struct tunnel_conf *c, const struct in6_addr *dst,
    uint8_t plen)
{
	const struct route6_conf *rc;
	struct in6_addr half;

	if (c->default_route && plen == 1) {
		memset(&half, 0, sizeof(half));
		if (IN6_ARE_ADDR_EQUAL(dst, &half))
			return 1;
		half.s6_addr[0] = 0x80;
		if (IN6_ARE_ADDR_EQUAL(dst, &half))
			return 1;
	}
	TAILQ_FOREACH(rc, &c->routes6, entry)
		if (rc->prefixlen == plen && IN6_ARE_ADDR_EQUAL(&rc->addr, dst))
			return 1;
	return 0;
}

/* The tunnel has "ipv6 yes" and ifname is the interface it was given. */
static struct ptun *
ipv6_tunnel(struct priv_parent *p, const struct privmsg *m,
    const char *ifname, const struct tunnel_conf **cp, const char **why)
{
	const struct tunnel_conf *c;
	struct ptun *t;

	*why = "no such tunnel";
	if ((c = config_find_tunnel(p->conf, m->hdr.tunnel)) == NULL)
		return NULL;
	*why = "ipv6 is not configured";
	if (!c->ipv6)
		return NULL;
	*why = "not the tunnel's interface";
	if ((t = priv_parent_own_iface(p, m, ifname)) == NULL)
		return NULL;
	*cp = c;
	return t;
}

/*
 * Added: the link-local address (fe80::ID/128 with the peer's fe80::ID,
 * or fe80::ID/64 without one) and the configuration's address6.
 * Deleted: anything on the tunnel's own interface, which only hurts it.
 */
int
priv_parent_addr6(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_addr6 q;
	const struct tunnel_conf *c = NULL;
	const char *why;
	struct ptun *t;
	char err[PRIV_MSG_MAX] = "", a[INET6_ADDRSTRLEN];
	int ll = 0, a6, r;

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (q.add > 1 || q.pad[0] != 0 || q.pad[1] != 0 || q.plen < 1 ||
	    q.plen > 128 || !name_ok(q.ifname, sizeof(q.ifname)))
		return refuse(p, sock, m, "malformed");
	if ((t = ipv6_tunnel(p, m, q.ifname, &c, &why)) == NULL)
		return refuse(p, sock, m, "%s: %s", q.ifname, why);
	if (q.add) {
		ll = ll64(&q.local) && ((q.plen == 128 && ll64(&q.peer) &&
		    !IN6_ARE_ADDR_EQUAL(&q.local, &q.peer)) ||
		    (q.plen == 64 && zero6(&q.peer)));
		a6 = c->address6_len != 0 && q.plen == c->address6_len &&
		    IN6_ARE_ADDR_EQUAL(&q.local, &c->address6) &&
		    zero6(&q.peer);
		if (!ll && !a6)
			return refuse(p, sock, m, "%s/%u: neither a link-local "
			    "address nor the address6 configured",
			    inet_ntop(AF_INET6, &q.local, a, sizeof(a)),
			    q.plen);
	}
	r = p->ops->addr6(q.add, q.ifname, q.local, q.plen, q.peer, err,
	    sizeof(err));
	if (r == 0 && q.add) {
		snprintf(t->net6_ifname, sizeof(t->net6_ifname), "%s",
		    q.ifname);
		if (ll) {
			t->ll6 = q.local;
			t->ll6_peer = q.peer;
			t->ll6_plen = q.plen;
		}
	} else if (r == 0 && t->ll6_plen != 0 &&
	    IN6_ARE_ADDR_EQUAL(&q.local, &t->ll6))
		t->ll6_plen = 0;
	result(sock, m, r, 0, err);
	return 0;
}

/*
 * Added: the tunnel's IPv6 routes, ::/1 and 8000::/1 with default-route,
 * in the table of its configuration.  Deleted: any through its interface.
 */
int
priv_parent_route6(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_route6 q;
	const struct tunnel_conf *c = NULL;
	struct route_where w;
	const char *why;
	struct ptun *t;
	char err[PRIV_MSG_MAX] = "", a[INET6_ADDRSTRLEN];
	int r;

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (q.add > 1 || q.pad[0] != 0 || q.pad[1] != 0 || q.plen < 1 ||
	    q.plen > 128 || !prefix6_ok(&q.dst, q.plen) ||
	    !name_ok(q.ifname, sizeof(q.ifname)))
		return refuse(p, sock, m, "malformed");
	if ((t = ipv6_tunnel(p, m, q.ifname, &c, &why)) == NULL)
		return refuse(p, sock, m, "%s: %s", q.ifname, why);
	if (q.add && !carried6(c, &q.dst, q.plen))
		return refuse(p, sock, m, "%s/%u: not one of its IPv6 routes",
		    inet_ntop(AF_INET6, &q.dst, a, sizeof(a)), q.plen);
	route_where_conf(c, &w);
	r = p->ops->route6(q.add, q.ifname, q.dst, q.plen, w.table, err,
	    sizeof(err));
	if (r == 0 && q.add)
		snprintf(t->net6_ifname, sizeof(t->net6_ifname), "%s",
		    q.ifname);
	result(sock, m, r, 0, err);
	return 0;
}

static struct priv_reject6_rec **
reject6_find(struct priv_parent *p, const char *tunnel,
    const struct in6_addr *dst, uint8_t plen)
{
	struct priv_reject6_rec **rp;

	for (rp = &p->rejects6; *rp != NULL; rp = &(*rp)->next)
		if ((*rp)->plen == plen && IN6_ARE_ADDR_EQUAL(&(*rp)->dst, dst) &&
		    strcmp((*rp)->tunnel, tunnel) == 0)
			return rp;
	return NULL;
}

/*
 * The kill switch's IPv6 unreachable routes: added for a prefix the
 * tunnel named carries (its IPv6 routes, ::/1 and 8000::/1 with
 * default-route) when it has "kill-switch yes" and "ipv6 yes", in the
 * table of its configuration; removed only where the parent put one.
 * Like the IPv4 ones they outlive an engine (priv_parent_engine_gone()).
 */
int
priv_parent_reject6(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_reject6 q;
	const struct tunnel_conf *c;
	struct priv_reject6_rec **rp, *rec;
	struct route_where w;
	char err[PRIV_MSG_MAX] = "", a[INET6_ADDRSTRLEN];
	uint32_t table;
	int ok, r;

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (q.add > 1 || q.pad[0] != 0 || q.pad[1] != 0 || q.plen < 1 ||
	    q.plen > 128 || !prefix6_ok(&q.dst, q.plen))
		return refuse(p, sock, m, "malformed");
	c = config_find_tunnel(p->conf, m->hdr.tunnel);
	ok = c != NULL && c->kill_switch && c->ipv6 &&
	    carried6(c, &q.dst, q.plen);
	rp = reject6_find(p, m->hdr.tunnel, &q.dst, q.plen);
	if (!ok && !(!q.add && rp != NULL))
		return refuse(p, sock, m, "unreachable %s/%u: no IPv6 kill "
		    "switch of the tunnel covers it", inet_ntop(AF_INET6,
		    &q.dst, a, sizeof(a)), q.plen);
	/* The table is the configuration's; taken away from where it was. */
	memset(&w, 0, sizeof(w));
	if (c != NULL)
		route_where_conf(c, &w);
	table = rp != NULL ? (*rp)->table : w.table;
	r = p->ops->reject6(q.add, q.dst, q.plen, table, err, sizeof(err));
	if (r == 0 && q.add && rp == NULL &&
	    (rec = calloc(1, sizeof(*rec))) != NULL) {
		snprintf(rec->tunnel, sizeof(rec->tunnel), "%s",
		    m->hdr.tunnel);
		rec->dst = q.dst;
		rec->plen = q.plen;
		rec->table = table;
		rec->next = p->rejects6;
		p->rejects6 = rec;
	} else if (r == 0 && !q.add && rp != NULL) {
		rec = *rp;
		*rp = rec->next;
		free(rec);
	}
	result(sock, m, r, 0, err);
	return 0;
}

static void
quiet6(const struct ptun *t, int r, const char *err)
{
	/* Gone already, with its interface: what we wanted. */
	if (r == -1 && errno != ENOENT && errno != ESRCH && errno != ENODEV &&
	    errno != EADDRNOTAVAIL && errno != ENXIO)
		log_warnx("%s: %s", t->name, err);
}

/*
 * The engine died: the DNS it had the parent apply goes back, and the
 * IPv6 the parent set on an interface that outlived it goes (a tun or a
 * pppN usually goes with the engine's descriptors, and takes it all).
 */
void
priv_parent_gone11(struct priv_parent *p, struct ptun *t)
{
	const struct tunnel_conf *c;
	const struct route6_conf *rc;
	struct route_where w;
	struct in6_addr half;
	char err[PRIV_MSG_MAX];
	int r;

	if (t->dns_backend != 0 && dns_undo(p, t) == 0)
		log_info("%s: dns: the engine is gone; the host's DNS is back "
		    "as it was", t->name);
	if (t->net6_ifname[0] == '\0')
		return;
	c = config_find_tunnel(p->conf, t->name);
	if (c != NULL && p->ops->iface_exists(t->net6_ifname)) {
		route_where_conf(c, &w);
		TAILQ_FOREACH(rc, &c->routes6, entry) {
			r = p->ops->route6(0, t->net6_ifname, rc->addr,
			    rc->prefixlen, w.table, err, sizeof(err));
			quiet6(t, r, err);
		}
		if (c->default_route) {
			memset(&half, 0, sizeof(half));
			r = p->ops->route6(0, t->net6_ifname, half, 1, w.table,
			    err, sizeof(err));
			quiet6(t, r, err);
			half.s6_addr[0] = 0x80;
			r = p->ops->route6(0, t->net6_ifname, half, 1, w.table,
			    err, sizeof(err));
			quiet6(t, r, err);
		}
		if (c->address6_len != 0) {
			memset(&half, 0, sizeof(half));
			r = p->ops->addr6(0, t->net6_ifname, c->address6,
			    c->address6_len, half, err, sizeof(err));
			quiet6(t, r, err);
		}
		if (t->ll6_plen != 0) {
			r = p->ops->addr6(0, t->net6_ifname, t->ll6,
			    t->ll6_plen, t->ll6_peer, err, sizeof(err));
			quiet6(t, r, err);
		}
	}
	t->net6_ifname[0] = '\0';
	t->ll6_plen = 0;
}
