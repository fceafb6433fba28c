/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The parent's checks of every request from the engine (priv_parent.h).
 * The engine is assumed compromised: each field is checked for its type
 * (exact length, NUL within bounds, values in range, a descriptor only
 * where none may come is refused), then against the configuration and
 * what the parent made itself.  Nothing the engine says is believed
 * about the host: interfaces are the ones the parent opened, addresses
 * the ones it set.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr_policy.h"
#include "config.h"
#include "log.h"
#include "priv_parent.h"

void
priv_parent_init(struct priv_parent *p, const struct config *conf,
    const struct priv_ops *ops, struct timer_base *tb)
{
	memset(p, 0, sizeof(*p));
	p->conf = conf;
	p->ops = ops;
	p->tb = tb;
	p->sock = -1;
}

void
priv_parent_set_conf(struct priv_parent *p, const struct config *conf)
{
	p->conf = conf;
}

void
priv_parent_free(struct priv_parent *p)
{
	struct ptun *t;
	struct priv_reject_rec *r;
	struct priv_reject6_rec *r6;

	while ((t = p->tunnels) != NULL) {
		p->tunnels = t->next;
		priv_parent_pipex_gone(p, t);
		script_free(&t->up);
		script_free(&t->down);
		free(t);
	}
	while ((r = p->rejects) != NULL) {
		p->rejects = r->next;
		free(r);
	}
	while ((r6 = p->rejects6) != NULL) {
		p->rejects6 = r6->next;
		free(r6);
	}
}

struct ptun *
priv_parent_tunnel(struct priv_parent *p, const char *name)
{
	struct ptun *t;

	for (t = p->tunnels; t != NULL; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/* The state of a configured tunnel, made on first use. */
static struct ptun *
ptun_get(struct priv_parent *p, const char *name)
{
	struct ptun *t;

	if ((t = priv_parent_tunnel(p, name)) != NULL)
		return t;
	if (config_find_tunnel(p->conf, name) == NULL)
		return NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->parent = p;
	script_init(&t->up, p->tb, name);
	script_init(&t->down, p->tb, name);
	t->next = p->tunnels;
	p->tunnels = t;
	return t;
}

static struct ptun *
ptun_by_ifname(struct priv_parent *p, const char *ifname)
{
	struct ptun *t;

	if (ifname[0] == '\0')
		return NULL;
	for (t = p->tunnels; t != NULL; t = t->next)
		if (strcmp(t->ifname, ifname) == 0)
			return t;
	return NULL;
}

static void
answer(int sock, const char *tunnel, int error, const char *fmt, ...)
    __attribute__((__format__(printf, 4, 5)));

static void
answer(int sock, const char *tunnel, int error, const char *fmt, ...)
{
	struct priv_result r;
	va_list ap;

	memset(&r, 0, sizeof(r));
	r.error = error;
	va_start(ap, fmt);
	vsnprintf(r.msg, sizeof(r.msg), fmt, ap);
	va_end(ap);
	if (privmsg_send(sock, PRIV_RESULT, tunnel, &r, sizeof(r), -1) == -1)
		log_warn("privsep: answer");
}

/*
 * A refusal: the engine hears EPERM, the log hears why, at most a line
 * every RATELOG_WARN_MS so that a looping engine cannot flood it.
 */
static int
refuse(struct priv_parent *p, int sock, const struct privmsg *m,
    const char *why, ...) __attribute__((__format__(printf, 4, 5)));

static int
refuse(struct priv_parent *p, int sock, const struct privmsg *m,
    const char *why, ...)
{
	char text[120];
	va_list ap;

	va_start(ap, why);
	vsnprintf(text, sizeof(text), why, ap);
	va_end(ap);
	p->refused++;
	RATELOG_LINE(&p->refused_rl, p->tb, RATELOG_WARN,
	    "privsep: refused %s from the engine%s%s: %s",
	    priv_type_name(m->hdr.type), m->hdr.tunnel[0] != '\0' ?
	    " for " : "", m->hdr.tunnel, text);
/* The refusal in the answer type REPLY (a struct with error and msg). */
#define REFUSE_AS(type, reply, name) do {				\
		type a;							\
									\
		memset(&a, 0, sizeof(a));				\
		a.error = EPERM;					\
		snprintf(a.msg, sizeof(a.msg), "refused by pptpcd's "	\
		    "parent: %s", text);				\
		(void)privmsg_send(sock, (reply), (name), &a, sizeof(a), -1); \
	} while (0)

	switch (m->hdr.type) {
	case PRIV_TUN_OPEN:
		REFUSE_AS(struct priv_tun, PRIV_TUN, m->hdr.tunnel);
		break;
	case PRIV_PASSWORD: {
		struct priv_secret a;

		memset(&a, 0, sizeof(a));
		a.error = EPERM;
		(void)privmsg_send(sock, PRIV_SECRET, m->hdr.tunnel, &a,
		    sizeof(a), -1);
		break;
	}
	case PRIV_GRE_SOCKET:
	case PRIV_OPEN_DEV:
	case PRIV_SOCKET:
	case PRIV_PPP_ATTCHAN:
	case PRIV_WANSOCK:
	case PRIV_PIPEX_SOCKET:
		REFUSE_AS(struct priv_result, PRIV_FD, NULL);
		break;
	case PRIV_READY:
	case PRIV_PONG:
		break;		/* never answered (priv.h) */
	case PRIV_PIPEX_ADD:
		REFUSE_AS(struct priv_pipex_session, PRIV_PIPEX_SESSION,
		    m->hdr.tunnel);
		break;
	case PRIV_PIPEX_DEL:
	case PRIV_PIPEX_STAT:
		REFUSE_AS(struct priv_pipex_counters, PRIV_PIPEX_COUNTERS,
		    m->hdr.tunnel);
		break;
	case PRIV_RESOLV_FILES:
		REFUSE_AS(struct priv_resolv_text, PRIV_RESOLV_TEXT, NULL);
		break;
	default:
		answer(sock, m->hdr.tunnel, EPERM, "refused by pptpcd's "
		    "parent: %s", text);
	}
	return -1;
#undef REFUSE_AS
}

int
priv_parent_refuse(struct priv_parent *p, int sock, const struct privmsg *m,
    const char *why, ...)
{
	char text[120];
	va_list ap;

	va_start(ap, why);
	vsnprintf(text, sizeof(text), why, ap);
	va_end(ap);
	return refuse(p, sock, m, "%s", text);
}

void
priv_parent_answer(int sock, const char *tunnel, int error, uint64_t value,
    const char *msg)
{
	struct priv_result r;

	memset(&r, 0, sizeof(r));
	r.error = error;
	r.value = value;
	snprintf(r.msg, sizeof(r.msg), "%s", msg);
	if (privmsg_send(sock, PRIV_RESULT, tunnel, &r, sizeof(r), -1) == -1)
		log_warn("privsep: answer");
}

struct ptun *
priv_parent_ptun_get(struct priv_parent *p, const char *name)
{
	return ptun_get(p, name);
}

static int
name_ok(const char *s, size_t size)
{
	return privmsg_check_name(s, size) == 0;
}

static int
in_prefix(struct in_addr a, struct in_addr net, uint8_t plen)
{
	uint32_t mask = plen == 0 ? 0 : 0xffffffffu << (32 - plen);

	return (ntohl(a.s_addr) & mask) == ntohl(net.s_addr);
}

/* Whether dst/plen is a prefix the tunnel carries (routes, halves). */
static int
carried(const struct tunnel_conf *c, struct in_addr dst, uint8_t plen)
{
	const struct route_conf *rc;

	if (c->default_route && plen == 1 && (dst.s_addr == htonl(0) ||
	    dst.s_addr == htonl(0x80000000)))
		return 1;
	TAILQ_FOREACH(rc, &c->routes, entry)
		if (rc->prefixlen == plen && rc->addr.s_addr == dst.s_addr)
			return 1;
	return 0;
}

static int
same_route(const struct route_spec *a, const struct route_spec *b)
{
	return a->dst.s_addr == b->dst.s_addr && a->plen == b->plen &&
	    (a->flags & ROUTE_GATEWAY) == (b->flags & ROUTE_GATEWAY) &&
	    a->gateway.s_addr == b->gateway.s_addr &&
	    strcmp(a->ifname, b->ifname) == 0;
}

static int
do_route(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_route q;
	struct route_spec r;
	const struct tunnel_conf *c;
	struct ptun *t;
	char err[ROUTE_ERR_MAX], what[96];
	struct route_where w;
	int i;

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (q.add > 1 || q.pad != 0 ||
	    (q.flags & ~(ROUTE_GATEWAY | ROUTE_ONLINK)) != 0 ||
	    !name_ok(q.ifname, sizeof(q.ifname)))
		return refuse(p, sock, m, "malformed");
	memset(&r, 0, sizeof(r));
	r.dst = q.dst;
	r.plen = q.plen;
	r.flags = q.flags;
	r.gateway = q.gateway;
	memcpy(r.ifname, q.ifname, sizeof(r.ifname));
	if (route_check(&r, err, sizeof(err)) == -1)
		return refuse(p, sock, m, "%s", err);
	route_describe(&r, what, sizeof(what));

	if ((t = ptun_by_ifname(p, r.ifname)) != NULL) {
		/* Through a tunnel's own interface. */
		if (r.flags & ROUTE_GATEWAY)
			return refuse(p, sock, m, "%s: a gateway on %s's "
			    "interface", what, t->name);
		c = config_find_tunnel(p->conf, t->name);
		/* The configuration's table, never one the engine names. */
		if (c != NULL) {
			route_where_conf(c, &w);
			r.table = w.table;
		}
		/* Taking one away only hurts the tunnel itself. */
		if (q.add && (c == NULL || !(carried(c, r.dst, r.plen) ||
		    (r.plen == 32 && t->peer.s_addr != INADDR_ANY &&
		    r.dst.s_addr == t->peer.s_addr))))
			return refuse(p, sock, m, "%s: not one of %s's "
			    "routes", what, t->name);
	} else {
		/*
		 * Elsewhere: only the pin of a way to the asking tunnel's
		 * server.  Two tunnels may dial one server through two
		 * WANs; each pin goes in its own tunnel's table.
		 */
		t = priv_parent_tunnel(p, m->hdr.tunnel);
		if (t == NULL || t->server.s_addr == INADDR_ANY ||
		    r.plen != 32 || r.dst.s_addr != t->server.s_addr)
			return refuse(p, sock, m, "%s: not the tunnel's server "
			    "nor through a tunnel", what);
		/* The pin goes where that tunnel's own packets look. */
		if ((c = config_find_tunnel(p->conf, t->name)) != NULL) {
			route_where_conf(c, &w);
			r.table = w.wan_table;
		}
		for (i = 0; i < t->nhosts; i++)
			if (same_route(&t->hosts[i], &r))
				break;
		if (q.add && i == t->nhosts && t->nhosts == PTUN_HOSTS_MAX)
			return refuse(p, sock, m, "%s: %s has %d host routes "
			    "already", what, t->name, PTUN_HOSTS_MAX);
		if (!q.add && i == t->nhosts)
			return refuse(p, sock, m, "%s: not one the parent "
			    "added", what);
	}
	if (p->ops->route(q.add, &r, err, sizeof(err)) == -1) {
		answer(sock, m->hdr.tunnel, errno != 0 ? errno : EIO, "%s",
		    err);
		return 0;
	}
	if (t != NULL && strcmp(r.ifname, t->ifname) != 0) {
		for (i = 0; i < t->nhosts; i++)
			if (same_route(&t->hosts[i], &r))
				break;
		if (q.add && i == t->nhosts)
			t->hosts[t->nhosts++] = r;
		else if (!q.add && i < t->nhosts)
			t->hosts[i] = t->hosts[--t->nhosts];
	}
	answer(sock, m->hdr.tunnel, 0, "ok");
	return 0;
}

static struct priv_reject_rec **
reject_find(struct priv_parent *p, const char *tunnel, struct in_addr dst,
    uint8_t plen)
{
	struct priv_reject_rec **rp;

	for (rp = &p->rejects; *rp != NULL; rp = &(*rp)->next)
		if ((*rp)->dst.s_addr == dst.s_addr && (*rp)->plen == plen &&
		    strcmp((*rp)->tunnel, tunnel) == 0)
			return rp;
	return NULL;
}

static int
do_reject(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_reject q;
	const struct tunnel_conf *c;
	struct priv_reject_rec **rp, *rec;
	char err[ROUTE_ERR_MAX];
	struct route_where w;
	uint32_t table;
	int ok = 0;

	memset(&w, 0, sizeof(w));
	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (q.add > 1 || q.pad[0] != 0 || q.pad[1] != 0 || q.plen < 1 ||
	    q.plen > 32 || !in_prefix(q.dst, q.dst, q.plen))
		return refuse(p, sock, m, "malformed");
	/* The table is the asking tunnel's configuration's, never the engine's. */
	c = config_find_tunnel(p->conf, m->hdr.tunnel);
	if (c != NULL && c->kill_switch && carried(c, q.dst, q.plen)) {
		route_where_conf(c, &w);
		ok = 1;
	}
	rp = reject_find(p, m->hdr.tunnel, q.dst, q.plen);
	if (!ok && !(!q.add && rp != NULL))
		return refuse(p, sock, m, "unreachable %s/%u: no kill switch "
		    "of the tunnel covers it", inet_ntoa(q.dst), q.plen);
	/* Taken away from where it was put. */
	table = rp != NULL ? (*rp)->table : w.table;
	if (p->ops->reject(q.add, q.dst, q.plen, table, err, sizeof(err)) ==
	    -1) {
		answer(sock, m->hdr.tunnel, errno != 0 ? errno : EIO, "%s",
		    err);
		return 0;
	}
	if (q.add && rp == NULL && (rec = calloc(1, sizeof(*rec))) != NULL) {
		snprintf(rec->tunnel, sizeof(rec->tunnel), "%s",
		    m->hdr.tunnel);
		rec->dst = q.dst;
		rec->plen = q.plen;
		rec->table = table;
		rec->next = p->rejects;
		p->rejects = rec;
	} else if (!q.add && rp != NULL) {
		rec = *rp;
		*rp = rec->next;
		free(rec);
	}
	answer(sock, m->hdr.tunnel, 0, "ok");
	return 0;
}

/*
 * The kernel names a new tun or pppN after the lowest free unit, so a
 * name comes back as soon as its interface is gone.  A tunnel that had
 * it before has it no more: without this, its next dial was refused for
 * "having" an interface that is now another tunnel's, and after an
 * outage tunnels that lost that race stayed down.  What the parent had
 * set on the old interface (addresses, IPv6, DNS on the link) went with
 * it; nothing is reverted, which would undo the new owner's.
 */
static void
iface_taken(struct priv_parent *p, const struct ptun *owner,
    const char *ifname)
{
	struct ptun *u;

	for (u = p->tunnels; u != NULL; u = u->next) {
		if (u == owner)
			continue;
		if (strcmp(u->ifname, ifname) == 0) {
			u->ifname[0] = '\0';
			u->local.s_addr = u->peer.s_addr = INADDR_ANY;
		}
		if (strcmp(u->net6_ifname, ifname) == 0) {
			u->net6_ifname[0] = '\0';
			u->ll6_plen = 0;
		}
		if (u->dns_backend != 0 &&
		    strcmp(u->dns_ifname, ifname) == 0) {
			u->dns_backend = 0;
			u->dns_ifname[0] = '\0';
		}
	}
}

static int
do_tun_open(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_ifreq q;
	struct priv_tun a;
	const struct tunnel_conf *c;
	struct ptun *t;
	struct tun tun;

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (q.value != 0 || !name_ok(q.ifname, sizeof(q.ifname)))
		return refuse(p, sock, m, "malformed");
	if ((c = config_find_tunnel(p->conf, m->hdr.tunnel)) == NULL ||
	    (t = ptun_get(p, m->hdr.tunnel)) == NULL)
		return refuse(p, sock, m, "no such tunnel");
	if (strcmp(q.ifname, c->interface) != 0)
		return refuse(p, sock, m, "interface \"%s\", configured "
		    "\"%s\"", q.ifname, c->interface);
	if (t->ifname[0] != '\0' && p->ops->iface_exists(t->ifname))
		return refuse(p, sock, m, "it has %s already", t->ifname);
	memset(&a, 0, sizeof(a));
	memset(&tun, 0, sizeof(tun));
	tun.fd = -1;
	if (p->ops->tun_open(&tun, q.ifname, a.msg, sizeof(a.msg)) == -1) {
		a.error = errno != 0 ? errno : EIO;
		(void)privmsg_send(sock, PRIV_TUN, m->hdr.tunnel, &a,
		    sizeof(a), -1);
		return 0;
	}
	iface_taken(p, t, tun.name);
	snprintf(t->ifname, sizeof(t->ifname), "%s", tun.name);
	t->local.s_addr = t->peer.s_addr = INADDR_ANY;
	snprintf(a.name, sizeof(a.name), "%s", tun.name);
	if (privmsg_send(sock, PRIV_TUN, m->hdr.tunnel, &a, sizeof(a),
	    tun.fd) == -1)
		log_warn("privsep: tun");
	/* Ours goes: the interface lives exactly as long as the engine's. */
	close(tun.fd);
	return 0;
}

/* The tunnel named in the header, with the interface the parent gave it. */
static struct ptun *
own_iface(struct priv_parent *p, const struct privmsg *m, const char *ifname)
{
	struct ptun *t;

	if ((t = priv_parent_tunnel(p, m->hdr.tunnel)) == NULL ||
	    t->ifname[0] == '\0' || strcmp(t->ifname, ifname) != 0)
		return NULL;
	return t;
}

struct ptun *
priv_parent_own_iface(struct priv_parent *p, const struct privmsg *m,
    const char *ifname)
{
	return own_iface(p, m, ifname);
}

static int
do_iface(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_ifreq q;
	struct priv_ifaddr qa;
	struct addr_policy pol;
	struct ptun *t;
	char err[IFACE_ERR_MAX], why[ADDR_WHY_MAX];
	int r;

	if (m->hdr.type == PRIV_IFACE_ADDR) {
		if (m->hdr.len != sizeof(qa))
			return refuse(p, sock, m, "length %u", m->hdr.len);
		memcpy(&qa, m->payload, sizeof(qa));
		if (qa.set > 1 || qa.pad[0] != 0 || qa.pad[1] != 0 ||
		    qa.pad[2] != 0 || !name_ok(qa.ifname, sizeof(qa.ifname)))
			return refuse(p, sock, m, "malformed");
		if ((t = own_iface(p, m, qa.ifname)) == NULL)
			return refuse(p, sock, m, "%s is not the tunnel's "
			    "interface", qa.ifname);
		if (qa.set) {
			/* addr_policy.c's rules that need no host state. */
			memset(&pol, 0, sizeof(pol));
			pol.server = ntohl(t->server.s_addr);
			if (addr_policy_check(&pol, ntohl(qa.local.s_addr),
			    ADDR_LOCAL, why, sizeof(why)) == -1 ||
			    addr_policy_check(&pol, ntohl(qa.peer.s_addr),
			    ADDR_PEER, why, sizeof(why)) == -1)
				return refuse(p, sock, m, "address: %s", why);
		}
		r = p->ops->iface_addr(qa.set, qa.ifname, qa.local, qa.peer,
		    err, sizeof(err));
		if (r == 0 && qa.set) {
			t->local = qa.local;
			t->peer = qa.peer;
		}
	} else {
		if (m->hdr.len != sizeof(q))
			return refuse(p, sock, m, "length %u", m->hdr.len);
		memcpy(&q, m->payload, sizeof(q));
		if (!name_ok(q.ifname, sizeof(q.ifname)))
			return refuse(p, sock, m, "malformed");
		if (own_iface(p, m, q.ifname) == NULL)
			return refuse(p, sock, m, "%s is not the tunnel's "
			    "interface", q.ifname);
		if (m->hdr.type == PRIV_IFACE_MTU) {
			if (q.value < IFACE_MTU_MIN || q.value > IFACE_MTU_MAX)
				return refuse(p, sock, m, "mtu %u", q.value);
			r = p->ops->iface_mtu(q.ifname, q.value, err,
			    sizeof(err));
		} else {
			if (q.value > 1)
				return refuse(p, sock, m, "malformed");
			r = p->ops->iface_up(q.ifname, (int)q.value, err,
			    sizeof(err));
		}
	}
	if (r == -1)
		answer(sock, m->hdr.tunnel, errno != 0 ? errno : EIO, "%s",
		    err);
	else
		answer(sock, m->hdr.tunnel, 0, "ok");
	return 0;
}

static int
do_script(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_script q;
	struct script_env env;
	const struct tunnel_conf *c;
	const char *path;
	struct ptun *t;
	char err[160];

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if ((q.which != PRIV_SCRIPT_UP && q.which != PRIV_SCRIPT_DOWN) ||
	    q.pad[0] != 0 || q.pad[1] != 0 || q.pad[2] != 0 ||
	    !name_ok(q.ifname, sizeof(q.ifname)))
		return refuse(p, sock, m, "malformed");
	if ((c = config_find_tunnel(p->conf, m->hdr.tunnel)) == NULL)
		return refuse(p, sock, m, "no such tunnel");
	path = q.which == PRIV_SCRIPT_UP ? c->up_script : c->down_script;
	if (path == NULL)
		return refuse(p, sock, m, "no %s-script configured",
		    q.which == PRIV_SCRIPT_UP ? "up" : "down");
	if ((t = own_iface(p, m, q.ifname)) == NULL)
		return refuse(p, sock, m, "%s is not the tunnel's interface",
		    q.ifname);
	if (q.local.s_addr != t->local.s_addr ||
	    q.peer.s_addr != t->peer.s_addr)
		return refuse(p, sock, m, "addresses are not the ones set on "
		    "%s", t->ifname);
	if (q.mtu < IFACE_MTU_MIN || q.mtu > IFACE_MTU_MAX)
		return refuse(p, sock, m, "mtu %u", q.mtu);
	/* Every value from the parent's own copy or a checked number. */
	memset(&env, 0, sizeof(env));
	env.tunnel = t->name;
	env.interface = t->ifname;
	env.local = t->local;
	env.peer = t->peer;
	env.dns1 = q.dns1;
	env.dns2 = q.dns2;
	env.mtu = q.mtu;
	if (p->ops->script(p, t, q.which, path, &env, err, sizeof(err)) ==
	    -1) {
		answer(sock, m->hdr.tunnel, errno != 0 ? errno : EIO, "%s",
		    err);
		return 0;
	}
	answer(sock, m->hdr.tunnel, 0, "ok");
	return 0;
}

static int
do_password(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_secret a;
	const struct tunnel_conf *c;

	if (m->hdr.len != 0)
		return refuse(p, sock, m, "length %u", m->hdr.len);
	if ((c = config_find_tunnel(p->conf, m->hdr.tunnel)) == NULL)
		return refuse(p, sock, m, "no such tunnel");
	memset(&a, 0, sizeof(a));
	if (c->password == NULL || c->password_len > PRIV_SECRET_MAX)
		a.error = ENOENT;
	else {
		a.len = (uint32_t)c->password_len;
		memcpy(a.secret, c->password, c->password_len);
	}
	if (privmsg_send(sock, PRIV_SECRET, m->hdr.tunnel, &a, sizeof(a),
	    -1) == -1)
		log_warn("privsep: password");
	explicit_bzero(&a, sizeof(a));
	return 0;
}

static int
do_server(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_server q;
	const struct tunnel_conf *c;
	struct ptun *t;
	const char *why;

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (q.pad != 0)
		return refuse(p, sock, m, "malformed");
	if ((c = config_find_tunnel(p->conf, m->hdr.tunnel)) == NULL ||
	    (t = ptun_get(p, m->hdr.tunnel)) == NULL)
		return refuse(p, sock, m, "no such tunnel");
	if (q.port != c->port)
		return refuse(p, sock, m, "port %u, configured %u", q.port,
		    c->port);
	if ((why = addr_policy_class(ntohl(q.addr.s_addr))) != NULL)
		return refuse(p, sock, m, "server %s: %s", inet_ntoa(q.addr),
		    why);
	t->server = q.addr;
	answer(sock, m->hdr.tunnel, 0, "ok");
	return 0;
}

static int
do_gre_socket(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_result a;
	int fd;

	if (m->hdr.len != 0 || m->hdr.tunnel[0] != '\0')
		return refuse(p, sock, m, "malformed");
	if (p->gre_given)
		return refuse(p, sock, m, "the engine has it already");
	memset(&a, 0, sizeof(a));
	if ((fd = p->ops->gre_socket(a.msg, sizeof(a.msg))) == -1)
		a.error = errno != 0 ? errno : EIO;
	if (privmsg_send(sock, PRIV_FD, NULL, &a, sizeof(a), fd) == -1)
		log_warn("privsep: gre socket");
	if (fd != -1) {
		close(fd);
		p->gre_given = 1;
	}
	return 0;
}

/*
 * The resolver's files: only bytes read and passed on; the identity the
 * engine names is compared, never used for anything else.
 */
static int
do_resolv_files(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_resolv_req q;
	struct priv_resolv_text a;
	size_t i;
	int fd = -1;

	if (m->hdr.len != sizeof(q) || m->hdr.tunnel[0] != '\0')
		return refuse(p, sock, m, "malformed");
	memcpy(&q, m->payload, sizeof(q));
	for (i = 0; i < sizeof(q.pad); i++)
		if (q.pad[i] != 0)
			return refuse(p, sock, m, "malformed");
	if (q.have > 1)
		return refuse(p, sock, m, "malformed");
	memset(&a, 0, sizeof(a));
	if (p->ops->resolv_files(q.have ? q.id : NULL, &a, &fd) == -1 &&
	    a.error == 0)
		a.error = EIO;
	if (privmsg_send(sock, PRIV_RESOLV_TEXT, NULL, &a, sizeof(a), fd) ==
	    -1)
		log_warn("privsep: resolver files");
	if (fd != -1)
		close(fd);
	return 0;
}

static int
do_reload(struct priv_parent *p, int sock, struct privmsg *m)
{
	char msg[PRIV_MSG_MAX];

	if (m->hdr.len != 0 || m->hdr.tunnel[0] != '\0')
		return refuse(p, sock, m, "malformed");
	if (p->ops->reload(p->ops->arg, msg, sizeof(msg)) == -1)
		answer(sock, NULL, EINVAL, "%s", msg);
	else
		answer(sock, NULL, 0, "%s", msg);
	return 0;
}

/*
 * The engine serves.  Its status becomes a line of the datagram the
 * parent sends to systemd: a newline in it would add a line of the
 * engine's choosing (MAINPID=, WATCHDOG=1, FDSTORE=1), so only printable
 * ASCII passes.
 */
static int
do_ready(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_ready q;
	size_t i;

	if (m->hdr.len != sizeof(q) || m->hdr.tunnel[0] != '\0')
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (memchr(q.status, '\0', sizeof(q.status)) == NULL)
		return refuse(p, sock, m, "status not terminated");
	for (i = 0; q.status[i] != '\0'; i++)
		if (q.status[i] < 0x20 || q.status[i] > 0x7e)
			return refuse(p, sock, m, "status: byte 0x%02x",
			    (unsigned char)q.status[i]);
	if (p->ops->ready == NULL)
		return refuse(p, sock, m, "not expected");
	p->ops->ready(p->ops->arg, q.status);
	return 0;
}

/* The engine's loop answered a watchdog ping. */
static int
do_pong(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_ping q;

	if (m->hdr.len != sizeof(q) || m->hdr.tunnel[0] != '\0')
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (p->ops->pong == NULL || p->ops->pong(p->ops->arg, q.seq) == -1)
		return refuse(p, sock, m, "no ping %u was sent", q.seq);
	return 0;
}

/* A request answered with a descriptor (PRIV_FD). */
static void
answer_fd(int sock, int fd, int error, const char *msg)
{
	struct priv_result a;

	memset(&a, 0, sizeof(a));
	a.error = error;
	snprintf(a.msg, sizeof(a.msg), "%s", msg);
	if (privmsg_send(sock, PRIV_FD, NULL, &a, sizeof(a), fd) == -1)
		log_warn("privsep: fd");
	if (fd != -1)
		close(fd);
}

void
priv_parent_answer_fd(int sock, int fd, int error, const char *msg)
{
	answer_fd(sock, fd, error, msg);
}

#define PRIV_PPP_DEV		"/dev/ppp"
#ifndef AF_PPPOX
#define AF_PPPOX		24
#endif
#define PRIV_PX_PROTO_PPTP	2

static int
do_open_dev(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_open q;
	char err[PRIV_MSG_MAX] = "";
	int fd;

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (memchr(q.path, '\0', sizeof(q.path)) == NULL)
		return refuse(p, sock, m, "malformed");
	/* /dev/ppp, read-write, close-on-exec: nothing else. */
	if (strcmp(q.path, PRIV_PPP_DEV) != 0 ||
	    q.flags != (O_RDWR | O_CLOEXEC))
		return refuse(p, sock, m, "open %.32s 0x%x", q.path, q.flags);
	fd = p->ops->open_dev(q.path, q.flags, err, sizeof(err));
	answer_fd(sock, fd, fd == -1 ? (errno != 0 ? errno : EIO) : 0, err);
	return 0;
}

/*
 * A PPTP socket.  Made for a tunnel (the header names it), it is
 * remembered as that tunnel's, the proof PRIV_PPP_ATTCHAN asks for; the
 * kernel engine's probe asks for one without a tunnel, which can be
 * attached nowhere.
 */
static int
do_socket(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_socket q;
	struct ptun *t = NULL;
	struct stat st;
	char err[PRIV_MSG_MAX] = "";
	int fd;

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (q.domain != AF_PPPOX || q.type != (SOCK_STREAM | SOCK_CLOEXEC) ||
	    q.protocol != PRIV_PX_PROTO_PPTP)
		return refuse(p, sock, m, "socket %d %d %d", q.domain, q.type,
		    q.protocol);
	if (m->hdr.tunnel[0] != '\0' &&
	    (t = ptun_get(p, m->hdr.tunnel)) == NULL)
		return refuse(p, sock, m, "no such tunnel");
	fd = p->ops->socket(q.domain, q.type, q.protocol, err, sizeof(err));
	if (fd != -1 && t != NULL) {
		if (fstat(fd, &st) == -1) {
			snprintf(err, sizeof(err), "fstat: %s",
			    strerror(errno));
			close(fd);
			fd = -1;
		} else {
			t->pptp[t->npptp % PTUN_PPTP_MAX].dev = st.st_dev;
			t->pptp[t->npptp % PTUN_PPTP_MAX].ino = st.st_ino;
			t->npptp++;
		}
	}
	answer_fd(sock, fd, fd == -1 ? (errno != 0 ? errno : EIO) : 0, err);
	return 0;
}

/*
 * Takes the socket st out of t's list if the parent made it for t: a
 * socket is attached once.
 */
static int
ptun_take_pptp(struct ptun *t, const struct stat *st)
{
	unsigned int i;

	for (i = 0; i < PTUN_PPTP_MAX && i < t->npptp; i++)
		if (t->pptp[i].dev == st->st_dev &&
		    t->pptp[i].ino == st->st_ino) {
			t->pptp[i].dev = 0;
			t->pptp[i].ino = 0;
			return 1;
		}
	return 0;
}

/*
 * PPPIOCATTCHAN for the kernel engine (priv.h).  The channel is read
 * from the socket the engine shows, and only from one the parent made
 * for that very tunnel: a channel number from the engine could be any
 * pppd's on the host (pppoe, l2tp, another pptp), whose frames the
 * engine would then read and write.  The /dev/ppp descriptor is the
 * parent's own, attached here and passed.
 */
static int
do_ppp_attchan(struct priv_parent *p, int sock, struct privmsg *m)
{
	static const uint8_t zero[PRIV_IFNAME_MAX];
	struct priv_ifreq q;
	struct ptun *t;
	struct stat st;
	char err[PRIV_MSG_MAX] = "";
	int fd = m->fd, dom = -1, proto = -1, chan = -1, dev, e;

	m->fd = -1;
	if (m->hdr.len != sizeof(q)) {
		close(fd);
		return refuse(p, sock, m, "length %u", m->hdr.len);
	}
	memcpy(&q, m->payload, sizeof(q));
	if (q.value != 0 || memcmp(q.ifname, zero, sizeof(zero)) != 0) {
		close(fd);
		return refuse(p, sock, m, "malformed (the channel is the "
		    "socket's, not the engine's to name)");
	}
	if ((t = ptun_get(p, m->hdr.tunnel)) == NULL) {
		close(fd);
		return refuse(p, sock, m, "no such tunnel");
	}
	if (p->ops->sock_proto(fd, &dom, &proto) == -1 ||
	    dom != AF_PPPOX || proto != PRIV_PX_PROTO_PPTP) {
		close(fd);
		return refuse(p, sock, m, "not a PPTP socket");
	}
	if (fstat(fd, &st) == -1 || !S_ISSOCK(st.st_mode) ||
	    !ptun_take_pptp(t, &st)) {
		close(fd);
		return refuse(p, sock, m, "not a PPTP socket the parent "
		    "made for the tunnel");
	}
	e = p->ops->ppp_chan(fd, &chan);
	close(fd);
	if (e == -1 || chan < 0) {
		e = e == -1 && errno != 0 ? errno : EIO;
		snprintf(err, sizeof(err), "PPPIOCGCHAN: %s", strerror(e));
		answer_fd(sock, -1, e, err);
		return 0;
	}
	if ((dev = p->ops->open_dev(PRIV_PPP_DEV, O_RDWR | O_CLOEXEC, err,
	    sizeof(err))) == -1) {
		answer_fd(sock, -1, errno != 0 ? errno : EIO, err);
		return 0;
	}
	if (p->ops->ppp_attchan(dev, chan) == -1) {
		e = errno != 0 ? errno : EIO;
		close(dev);
		snprintf(err, sizeof(err), "PPPIOCATTCHAN: %s", strerror(e));
		answer_fd(sock, -1, e, err);
		return 0;
	}
	answer_fd(sock, dev, 0, "ok");
	return 0;
}

/*
 * The kernel engine's pppN: the parent believes the name only from the
 * unit's own descriptor (PPPIOCGUNIT), then treats it as the tunnel's
 * interface, as it does the tun it opened itself.
 */
static int
do_iface_claim(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_ifreq q;
	struct ptun *t;
	char want[PRIV_IFNAME_MAX];
	int unit;

	if (m->hdr.len != sizeof(q)) {
		close(m->fd);
		m->fd = -1;
		return refuse(p, sock, m, "length %u", m->hdr.len);
	}
	memcpy(&q, m->payload, sizeof(q));
	unit = p->ops->ppp_unit(m->fd);
	close(m->fd);
	m->fd = -1;
	if (q.value != 0 || !name_ok(q.ifname, sizeof(q.ifname)))
		return refuse(p, sock, m, "malformed");
	if ((t = ptun_get(p, m->hdr.tunnel)) == NULL)
		return refuse(p, sock, m, "no such tunnel");
	if (unit < 0)
		return refuse(p, sock, m, "not a ppp unit");
	snprintf(want, sizeof(want), "ppp%d", unit);
	if (strcmp(want, q.ifname) != 0)
		return refuse(p, sock, m, "%s, but the unit is %s", q.ifname,
		    want);
	if (t->ifname[0] != '\0' && strcmp(t->ifname, want) != 0 &&
	    p->ops->iface_exists(t->ifname))
		return refuse(p, sock, m, "it has %s already", t->ifname);
	iface_taken(p, t, want);
	snprintf(t->ifname, sizeof(t->ifname), "%s", want);
	t->local.s_addr = t->peer.s_addr = INADDR_ANY;
	answer(sock, m->hdr.tunnel, 0, "ok");
	return 0;
}

static int
do_nft(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_nft q;
	struct priv_result a;
	struct ptun *t;
	uint64_t value = 0;
	int r;

	if (m->hdr.len != sizeof(q))
		return refuse(p, sock, m, "length %u", m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (q.op < PRIV_NFT_MSS_ADD || q.op > PRIV_NFT_GUARD_DROPPED ||
	    q.pad != 0 || q.pad2 != 0 || !name_ok(q.ifname, sizeof(q.ifname)))
		return refuse(p, sock, m, "malformed");
	if (q.op != PRIV_NFT_SWEEP) {
		/* Only on the tunnel's own interface. */
		if ((t = own_iface(p, m, q.ifname)) == NULL)
			return refuse(p, sock, m, "%s is not the tunnel's "
			    "interface", q.ifname);
		if (q.op == PRIV_NFT_MSS_ADD && q.mss < 536)
			return refuse(p, sock, m, "mss %u", q.mss);
		if (q.op == PRIV_NFT_GUARD_ADD &&
		    q.server.s_addr != t->server.s_addr)
			return refuse(p, sock, m, "guard for %s, not the "
			    "tunnel's server", inet_ntoa(q.server));
	}
	memset(&a, 0, sizeof(a));
	r = p->ops->nft(q.op, q.ifname, q.mss, q.server, q.call_id, &value,
	    a.msg, sizeof(a.msg));
	if (r == -1)
		a.error = errno != 0 ? errno : EIO;
	else if (q.op == PRIV_NFT_SWEEP)
		a.value = (uint64_t)r;
	else
		a.value = value;
	if (privmsg_send(sock, PRIV_RESULT, m->hdr.tunnel, &a, sizeof(a),
	    -1) == -1)
		log_warn("privsep: nft");
	return 0;
}

/* A ppp unit on the engine's /dev/ppp descriptor (priv.h). */
static int
do_ppp_newunit(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_ifreq q;
	struct priv_result a;
	int unit, r;

	if (m->hdr.len != sizeof(q) || m->hdr.tunnel[0] != '\0') {
		close(m->fd);
		m->fd = -1;
		return refuse(p, sock, m, "malformed");
	}
	memcpy(&q, m->payload, sizeof(q));
	unit = (int)q.value;
	if (!name_ok(q.ifname, sizeof(q.ifname)) || q.ifname[0] != '\0' ||
	    unit < -1) {
		close(m->fd);
		m->fd = -1;
		return refuse(p, sock, m, "malformed");
	}
	memset(&a, 0, sizeof(a));
	/* It refuses anything but /dev/ppp. */
	r = p->ops->ppp_newunit(m->fd, &unit);
	close(m->fd);
	m->fd = -1;
	if (r == -1)
		a.error = errno != 0 ? errno : EIO;
	else
		a.value = (uint64_t)unit;
	if (privmsg_send(sock, PRIV_RESULT, NULL, &a, sizeof(a), -1) == -1)
		log_warn("privsep: ppp-newunit");
	return 0;
}

int
priv_parent_handle(struct priv_parent *p, int sock, struct privmsg *m)
{
	int r;

	if (m->hdr.type == PRIV_PPP_NEWUNIT) {
		if (m->fd == -1)
			return refuse(p, sock, m, "no /dev/ppp descriptor");
		return do_ppp_newunit(p, sock, m);
	}
	/* The channel's proof is the tunnel's PPTP socket. */
	if (m->hdr.type == PRIV_PPP_ATTCHAN) {
		if (m->fd == -1)
			return refuse(p, sock, m, "no PPTP socket");
		return do_ppp_attchan(p, sock, m);
	}
	/* The unit of a pppN is the one descriptor the parent takes. */
	if (m->hdr.type == PRIV_IFACE_CLAIM) {
		if (m->fd == -1)
			return refuse(p, sock, m, "no unit descriptor");
		return do_iface_claim(p, sock, m);
	}
	/* The kernel engine's PPTP socket, to be marked. */
	if (m->hdr.type == PRIV_SOCK_MARK) {
		if (m->fd == -1)
			return refuse(p, sock, m, "no socket");
		return priv_parent_sock_mark(p, sock, m);
	}
	/* No other request carries a descriptor to the parent. */
	if (m->fd != -1) {
		close(m->fd);
		m->fd = -1;
		return refuse(p, sock, m, "unexpected descriptor");
	}
	switch (m->hdr.type) {
	case PRIV_ROUTE:
		r = do_route(p, sock, m);
		break;
	case PRIV_REJECT:
		r = do_reject(p, sock, m);
		break;
	case PRIV_TUN_OPEN:
		r = do_tun_open(p, sock, m);
		break;
	case PRIV_IFACE_ADDR:
	case PRIV_IFACE_MTU:
	case PRIV_IFACE_UP:
		r = do_iface(p, sock, m);
		break;
	case PRIV_SCRIPT:
		r = do_script(p, sock, m);
		break;
	case PRIV_PASSWORD:
		r = do_password(p, sock, m);
		break;
	case PRIV_SERVER:
		r = do_server(p, sock, m);
		break;
	case PRIV_GRE_SOCKET:
		r = do_gre_socket(p, sock, m);
		break;
	case PRIV_RELOAD:
		r = do_reload(p, sock, m);
		break;
	case PRIV_OPEN_DEV:
		r = do_open_dev(p, sock, m);
		break;
	case PRIV_SOCKET:
		r = do_socket(p, sock, m);
		break;
	case PRIV_NFT:
		r = do_nft(p, sock, m);
		break;
	case PRIV_DNS:
		r = priv_parent_dns(p, sock, m);
		break;
	case PRIV_WANSOCK:
		r = priv_parent_wansock(p, sock, m);
		break;
	case PRIV_IFACE_RDOMAIN:
		r = priv_parent_rdomain(p, sock, m);
		break;
	case PRIV_ADDR6:
		r = priv_parent_addr6(p, sock, m);
		break;
	case PRIV_ROUTE6:
		r = priv_parent_route6(p, sock, m);
		break;
	case PRIV_REJECT6:
		r = priv_parent_reject6(p, sock, m);
		break;
	case PRIV_READY:
		r = do_ready(p, sock, m);
		break;
	case PRIV_PONG:
		r = do_pong(p, sock, m);
		break;
	case PRIV_RESOLV_FILES:
		r = do_resolv_files(p, sock, m);
		break;
	case PRIV_PIPEX_PROBE:
	case PRIV_PIPEX_SOCKET:
	case PRIV_PIPEX_ADD:
	case PRIV_PIPEX_DEL:
	case PRIV_PIPEX_STAT:
		r = priv_parent_pipex(p, sock, m);
		break;
	default:
		r = refuse(p, sock, m, "type %u is not a request",
		    m->hdr.type);
	}
	return r;
}

void
priv_parent_script_done(struct priv_parent *p, int sock, const char *tunnel,
    int which, int status)
{
	struct priv_script_done d;

	(void)p;
	memset(&d, 0, sizeof(d));
	d.which = (uint8_t)which;
	d.status = status;
	if (sock != -1 && privmsg_send(sock, PRIV_SCRIPT_DONE, tunnel, &d,
	    sizeof(d), -1) == -1)
		log_warn("privsep: script-done");
}

void
priv_parent_engine_gone(struct priv_parent *p)
{
	const struct tunnel_conf *c;
	struct ptun *t;
	char err[ROUTE_ERR_MAX];
	int i;

	for (t = p->tunnels; t != NULL; t = t->next) {
		c = config_find_tunnel(p->conf, t->name);
		/* DNS, IPv6: what the parent applied for the dead engine. */
		priv_parent_gone11(p, t);
		/* Its pipex session and pppxM, which no engine holds now. */
		priv_parent_pipex_gone(p, t);
		t->ifname[0] = '\0';
		t->local.s_addr = t->peer.s_addr = INADDR_ANY;
		/* Its PPTP sockets went with it. */
		memset(t->pptp, 0, sizeof(t->pptp));
		t->npptp = 0;
		/*
		 * A kill switch keeps its pin: its unreachable routes hide
		 * the way to the server from the next engine's lookup.
		 */
		if (c != NULL && c->kill_switch)
			continue;
		for (i = 0; i < t->nhosts; i++)
			if (p->ops->route(0, &t->hosts[i], err,
			    sizeof(err)) == -1 && errno != ESRCH)
				log_warnx("%s: %s", t->name, err);
		t->nhosts = 0;
		t->server.s_addr = INADDR_ANY;
	}
	p->gre_given = 0;
}
