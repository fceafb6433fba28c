/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The engine's side of the channel to the parent (priv.h): a request, then
 * its answer; notices that come in between are queued and handed over
 * from the event loop.  The parent is trusted, but its answers are still
 * checked as strictly as it checks ours: a bug on either side must show
 * as a refused message, not as memory read past an end.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <event2/event.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "priv.h"
#include "resolv_text.h"
#include "route.h"
#include "script.h"
#include "tun.h"

struct notice_entry {
	STAILQ_ENTRY(notice_entry) entry;
	struct priv_notice	 n;
};
STAILQ_HEAD(notice_list, notice_entry);

struct priv_chan {
	int			 sock;
	struct event		*ev;		/* the socket is readable */
	struct event		*flush;		/* hand queued notices over */
	struct notice_list	 queue;
	void			(*notice)(void *, const struct priv_notice *);
	void			*arg;
};

/* Set once when the engine starts (priv.h). */
static struct priv_chan *chan;

static const char *const type_names[PRIV_TYPE_MAX] = {
	[PRIV_RESULT] = "result",
	[PRIV_ROUTE] = "route",
	[PRIV_REJECT] = "reject-route",
	[PRIV_TUN_OPEN] = "tun-open",
	[PRIV_TUN] = "tun",
	[PRIV_IFACE_ADDR] = "iface-addr",
	[PRIV_IFACE_MTU] = "iface-mtu",
	[PRIV_IFACE_UP] = "iface-up",
	[PRIV_SCRIPT] = "script",
	[PRIV_SCRIPT_DONE] = "script-done",
	[PRIV_PASSWORD] = "password",
	[PRIV_SECRET] = "secret",
	[PRIV_SERVER] = "server",
	[PRIV_GRE_SOCKET] = "gre-socket",
	[PRIV_FD] = "fd",
	[PRIV_RELOAD] = "reload",
	[PRIV_CONFIG] = "config",
	[PRIV_OPEN_DEV] = "open-dev",
	[PRIV_SOCKET] = "socket",
	[PRIV_IFACE_CLAIM] = "iface-claim",
	[PRIV_NFT] = "nft",
	[PRIV_DNS] = "dns",
	[PRIV_WANSOCK] = "wansock",
	[PRIV_SOCK_MARK] = "sock-mark",
	[PRIV_IFACE_RDOMAIN] = "iface-rdomain",
	[PRIV_ADDR6] = "addr6",
	[PRIV_ROUTE6] = "route6",
	[PRIV_PPP_NEWUNIT] = "ppp-newunit",
	[PRIV_PPP_ATTCHAN] = "ppp-attchan",
	[PRIV_READY] = "ready",
	[PRIV_PING] = "ping",
	[PRIV_PONG] = "pong",
	[PRIV_RESOLV_FILES] = "resolv-files",
	[PRIV_RESOLV_TEXT] = "resolv-text",
	[PRIV_REJECT6] = "reject-route6",
	[PRIV_PIPEX_PROBE] = "pipex-probe",
	[PRIV_PIPEX_SOCKET] = "pipex-socket",
	[PRIV_PIPEX_ADD] = "pipex-add",
	[PRIV_PIPEX_SESSION] = "pipex-session",
	[PRIV_PIPEX_DEL] = "pipex-del",
	[PRIV_PIPEX_STAT] = "pipex-stat",
	[PRIV_PIPEX_COUNTERS] = "pipex-counters",
};

const char *
priv_type_name(unsigned int type)
{
	if (type < PRIV_TYPE_MAX && type_names[type] != NULL)
		return type_names[type];
	return "unknown";
}

int
priv_separated(void)
{
	return chan != NULL;
}

/* A notice from the parent, checked; 0 if queued, -1 if refused. */
static int
queue_notice(struct priv_chan *c, struct privmsg *m)
{
	struct notice_entry *e;

	if ((e = calloc(1, sizeof(*e))) == NULL) {
		log_warnx("privsep: out of memory; notice dropped");
		goto drop;
	}
	e->n.type = m->hdr.type;
	e->n.fd = -1;
	memcpy(e->n.tunnel, m->hdr.tunnel, sizeof(e->n.tunnel));
	switch (m->hdr.type) {
	case PRIV_SCRIPT_DONE:
		if (m->hdr.len != sizeof(e->n.done) || m->fd != -1)
			goto bad;
		memcpy(&e->n.done, m->payload, sizeof(e->n.done));
		if (e->n.done.which != PRIV_SCRIPT_UP &&
		    e->n.done.which != PRIV_SCRIPT_DOWN)
			goto bad;
		break;
	case PRIV_CONFIG:
		if (m->hdr.len != 0 || m->fd == -1)
			goto bad;
		e->n.fd = m->fd;
		m->fd = -1;
		break;
	case PRIV_PING: {
		struct priv_ping q;

		if (m->hdr.len != sizeof(q) || m->fd != -1)
			goto bad;
		memcpy(&q, m->payload, sizeof(q));
		e->n.seq = q.seq;
		break;
	}
	default:
		goto bad;
	}
	STAILQ_INSERT_TAIL(&c->queue, e, entry);
	event_active(c->flush, EV_TIMEOUT, 0);
	return 0;
bad:
	log_warnx("privsep: bad %s notice from the parent",
	    priv_type_name(m->hdr.type));
	free(e);
drop:
	if (m->fd != -1) {
		close(m->fd);
		m->fd = -1;
	}
	return -1;
}

/*
 * The parent's watchdog, answered from the event loop (never from a
 * request's wait), so that a loop that hangs stops answering.
 */
static void
pong(struct priv_chan *c, uint32_t seq)
{
	struct priv_ping q;

	memset(&q, 0, sizeof(q));
	q.seq = seq;
	if (privmsg_send(c->sock, PRIV_PONG, NULL, &q, sizeof(q), -1) == -1)
		log_debug("privsep: pong: %s", strerror(errno));
}

static void
flush_notices(evutil_socket_t fd, short what, void *arg)
{
	struct priv_chan *c = arg;
	struct notice_entry *e;

	(void)fd;
	(void)what;
	while ((e = STAILQ_FIRST(&c->queue)) != NULL) {
		STAILQ_REMOVE_HEAD(&c->queue, entry);
		if (e->n.type == PRIV_PING)
			pong(c, e->n.seq);
		else
			c->notice(c->arg, &e->n);
		free(e);
	}
}

/* The parent is gone: nothing here may go on unwatched. */
static void
parent_gone(const char *why)
{
	log_warnx("privsep: %s; the engine exits", why);
	_exit(1);
}

static void
on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct priv_chan *c = arg;
	struct privmsg m;
	char err[128];
	int r;

	(void)fd;
	(void)what;
	for (;;) {
		r = privmsg_recv(c->sock, &m, err, sizeof(err));
		if (r == PRIVMSG_AGAIN)
			return;
		if (r == PRIVMSG_EOF)
			parent_gone("the parent has gone");
		if (r == PRIVMSG_ERR)
			parent_gone(err);
		if (r == PRIVMSG_BAD) {
			log_warnx("privsep: from the parent: %s", err);
			continue;
		}
		(void)queue_notice(c, &m);
	}
}

int
priv_engine_start(int sock, struct event_base *evbase,
    void (*notice)(void *, const struct priv_notice *), void *arg)
{
	struct priv_chan *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->sock = sock;
	c->notice = notice;
	c->arg = arg;
	STAILQ_INIT(&c->queue);
	if (evutil_make_socket_nonblocking(sock) == -1 ||
	    (c->ev = event_new(evbase, sock, EV_READ | EV_PERSIST,
	    on_readable, c)) == NULL ||
	    (c->flush = event_new(evbase, -1, 0, flush_notices, c)) == NULL ||
	    event_add(c->ev, NULL) == -1) {
		if (c->ev != NULL)
			event_free(c->ev);
		free(c);
		return -1;
	}
	chan = c;
	return 0;
}

void
priv_engine_flush(void)
{
	if (chan != NULL)
		flush_notices(-1, 0, chan);
}

void
priv_engine_stop(void)
{
	struct notice_entry *e;

	if (chan == NULL)
		return;
	while ((e = STAILQ_FIRST(&chan->queue)) != NULL) {
		STAILQ_REMOVE_HEAD(&chan->queue, entry);
		if (e->n.fd != -1)
			close(e->n.fd);
		free(e);
	}
	event_free(chan->ev);
	event_free(chan->flush);
	free(chan);
	chan = NULL;
}

/*
 * Sends a request and waits for its answer, of type want with a payload
 * of exactly wantlen bytes into out; *fd gets a descriptor if one came
 * (fd NULL: none may).  Notices met on the way are queued.  -1 with
 * errno and err if the exchange itself failed.
 */
static int
request_fd(uint16_t type, const char *tunnel, const void *req,
    size_t reqlen, int sendfd, uint16_t want, void *out, size_t wantlen,
    int *fd, char *err, size_t errlen)
{
	struct privmsg m;
	char e[128];
	int r;

	if (fd != NULL)
		*fd = -1;
	if (privmsg_send(chan->sock, type, tunnel, req, reqlen, sendfd) ==
	    -1) {
		snprintf(err, errlen, "privsep: %s: %s", priv_type_name(type),
		    strerror(errno));
		return -1;
	}
	for (;;) {
		r = privmsg_recv(chan->sock, &m, e, sizeof(e));
		if (r == PRIVMSG_AGAIN) {
			/* Non-blocking for the loop; here we wait. */
			struct pollfd pfd;

			pfd.fd = chan->sock;
			pfd.events = POLLIN;
			pfd.revents = 0;
			(void)poll(&pfd, 1, -1);
			continue;
		}
		if (r == PRIVMSG_EOF)
			parent_gone("the parent has gone");
		if (r == PRIVMSG_ERR)
			parent_gone(e);
		if (r == PRIVMSG_BAD) {
			log_warnx("privsep: from the parent: %s", e);
			continue;
		}
		if (m.hdr.type == PRIV_SCRIPT_DONE ||
		    m.hdr.type == PRIV_CONFIG || m.hdr.type == PRIV_PING) {
			(void)queue_notice(chan, &m);
			continue;
		}
		break;
	}
	if (m.hdr.type != want || m.hdr.len != wantlen ||
	    (m.fd != -1 && fd == NULL)) {
		if (m.fd != -1)
			close(m.fd);
		errno = EPROTO;
		snprintf(err, errlen, "privsep: %s: bad answer (%s, %u bytes)",
		    priv_type_name(type), priv_type_name(m.hdr.type),
		    m.hdr.len);
		return -1;
	}
	memcpy(out, m.payload, wantlen);
	if (fd != NULL)
		*fd = m.fd;
	return 0;
}

static int
request(uint16_t type, const char *tunnel, const void *req, size_t reqlen,
    uint16_t want, void *out, size_t wantlen, int *fd, char *err,
    size_t errlen)
{
	return request_fd(type, tunnel, req, reqlen, -1, want, out, wantlen,
	    fd, err, errlen);
}

/* A request answered by PRIV_RESULT: 0, or -1 with errno and err. */
static int
simple(uint16_t type, const char *tunnel, const void *req, size_t reqlen,
    char *err, size_t errlen)
{
	struct priv_result res;

	if (request(type, tunnel, req, reqlen, PRIV_RESULT, &res, sizeof(res),
	    NULL, err, errlen) == -1)
		return -1;
	if (res.error == 0)
		return 0;
	res.msg[sizeof(res.msg) - 1] = '\0';
	snprintf(err, errlen, "%s", res.msg);
	errno = res.error;
	return -1;
}

static void
copy_name(char *dst, size_t size, const char *src)
{
	memset(dst, 0, size);
	if (src != NULL)
		snprintf(dst, size, "%s", src);
}

int
priv_route_change(int add, const struct route_spec *r, const char *what,
    char *err, size_t errlen)
{
	struct priv_route q;

	(void)what;
	memset(&q, 0, sizeof(q));
	q.add = add != 0;
	q.plen = r->plen;
	q.flags = (uint8_t)r->flags;
	q.dst = r->dst;
	q.gateway = r->gateway;
	copy_name(q.ifname, sizeof(q.ifname), r->ifname);
	return simple(PRIV_ROUTE, r->tunnel[0] != '\0' ? r->tunnel : NULL, &q,
	    sizeof(q), err, errlen);
}

int
priv_route_reject(const char *tunnel, int add, struct in_addr dst,
    uint8_t plen, uint32_t table, const char *what, char *err, size_t errlen)
{
	struct priv_reject q;

	(void)what;
	(void)table;	/* the parent's own: priv.h */
	memset(&q, 0, sizeof(q));
	q.add = add != 0;
	q.plen = plen;
	q.dst = dst;
	return simple(PRIV_REJECT, tunnel, &q, sizeof(q), err, errlen);
}

int
priv_route_reject6(const char *tunnel, int add, struct in6_addr dst,
    uint8_t plen, char *err, size_t errlen)
{
	struct priv_reject6 q;

	memset(&q, 0, sizeof(q));
	q.add = add != 0;
	q.plen = plen;
	q.dst = dst;
	return simple(PRIV_REJECT6, tunnel, &q, sizeof(q), err, errlen);
}

int
priv_tun_open(const char *tunnel, struct tun *t, const char *want,
    char *err, size_t errlen)
{
	struct priv_ifreq q;
	struct priv_tun a;
	int fd;

	memset(&q, 0, sizeof(q));
	copy_name(q.ifname, sizeof(q.ifname), want);
	if (request(PRIV_TUN_OPEN, tunnel, &q, sizeof(q), PRIV_TUN, &a,
	    sizeof(a), &fd, err, errlen) == -1)
		return -1;
	a.msg[sizeof(a.msg) - 1] = '\0';
	if (a.error != 0 || fd == -1 ||
	    memchr(a.name, '\0', sizeof(a.name)) == NULL) {
		if (fd != -1)
			close(fd);
		snprintf(err, errlen, "%s", a.error != 0 ? a.msg :
		    "privsep: tun: bad answer");
		errno = a.error != 0 ? a.error : EPROTO;
		return -1;
	}
	t->fd = fd;
	snprintf(t->name, sizeof(t->name), "%s", a.name);
	return 0;
}

static int
ifaddr(int set, const char *tunnel, const char *ifname,
    struct in_addr local, struct in_addr peer, char *err, size_t errlen)
{
	struct priv_ifaddr q;

	memset(&q, 0, sizeof(q));
	q.set = set;
	q.local = local;
	q.peer = peer;
	copy_name(q.ifname, sizeof(q.ifname), ifname);
	return simple(PRIV_IFACE_ADDR, tunnel, &q, sizeof(q), err, errlen);
}

int
priv_iface_set_addr(const char *tunnel, const char *ifname,
    struct in_addr local, struct in_addr peer, char *err, size_t errlen)
{
	return ifaddr(1, tunnel, ifname, local, peer, err, errlen);
}

int
priv_iface_del_addr(const char *tunnel, const char *ifname,
    struct in_addr local, struct in_addr peer, char *err, size_t errlen)
{
	return ifaddr(0, tunnel, ifname, local, peer, err, errlen);
}

int
priv_iface_set_mtu(const char *tunnel, const char *ifname, unsigned int mtu,
    char *err, size_t errlen)
{
	struct priv_ifreq q;

	memset(&q, 0, sizeof(q));
	q.value = mtu;
	copy_name(q.ifname, sizeof(q.ifname), ifname);
	return simple(PRIV_IFACE_MTU, tunnel, &q, sizeof(q), err, errlen);
}

int
priv_iface_set_up(const char *tunnel, const char *ifname, int up,
    char *err, size_t errlen)
{
	struct priv_ifreq q;

	memset(&q, 0, sizeof(q));
	q.value = up != 0;
	copy_name(q.ifname, sizeof(q.ifname), ifname);
	return simple(PRIV_IFACE_UP, tunnel, &q, sizeof(q), err, errlen);
}

int
priv_script_start(const char *tunnel, int which, const struct script_env *e,
    char *err, size_t errlen)
{
	struct priv_script q;

	memset(&q, 0, sizeof(q));
	q.which = (uint8_t)which;
	q.local = e->local;
	q.peer = e->peer;
	q.dns1 = e->dns1;
	q.dns2 = e->dns2;
	q.mtu = e->mtu;
	copy_name(q.ifname, sizeof(q.ifname), e->interface);
	return simple(PRIV_SCRIPT, tunnel, &q, sizeof(q), err, errlen);
}

int
priv_password(const char *tunnel, const char *fallback, size_t fallback_len,
    char **pw, size_t *pwlen, char *err, size_t errlen)
{
	struct priv_secret a;
	int r = -1;

	*pw = NULL;
	*pwlen = 0;
	if (chan == NULL) {
		if (fallback == NULL)
			fallback_len = 0;
		if ((*pw = malloc(fallback_len + 1)) == NULL) {
			snprintf(err, errlen, "password: out of memory");
			return -1;
		}
		if (fallback_len > 0)
			memcpy(*pw, fallback, fallback_len);
		(*pw)[fallback_len] = '\0';
		*pwlen = fallback_len;
		return 0;
	}
	if (request(PRIV_PASSWORD, tunnel, NULL, 0, PRIV_SECRET, &a,
	    sizeof(a), NULL, err, errlen) == -1)
		goto out;
	if (a.error != 0) {
		snprintf(err, errlen, "password: %s", strerror(a.error));
		errno = a.error;
		goto out;
	}
	if (a.len > PRIV_SECRET_MAX || a.secret[a.len] != '\0') {
		snprintf(err, errlen, "privsep: password: bad answer");
		errno = EPROTO;
		goto out;
	}
	if ((*pw = malloc(a.len + 1)) == NULL) {
		snprintf(err, errlen, "password: out of memory");
		goto out;
	}
	memcpy(*pw, a.secret, a.len + 1);
	*pwlen = a.len;
	r = 0;
out:
	explicit_bzero(&a, sizeof(a));
	return r;
}

int
priv_server(const char *tunnel, struct in_addr addr, uint16_t port,
    char *err, size_t errlen)
{
	struct priv_server q;

	memset(&q, 0, sizeof(q));
	q.addr = addr;
	q.port = port;
	return simple(PRIV_SERVER, tunnel, &q, sizeof(q), err, errlen);
}

/* A request answered by PRIV_FD: the descriptor, or -1. */
static int
fd_request_fd(uint16_t type, const char *tunnel, const void *req,
    size_t reqlen, int sendfd, char *err, size_t errlen)
{
	struct priv_result a;
	int fd;

	if (request_fd(type, tunnel, req, reqlen, sendfd, PRIV_FD, &a,
	    sizeof(a), &fd, err, errlen) == -1)
		return -1;
	a.msg[sizeof(a.msg) - 1] = '\0';
	if (a.error != 0 || fd == -1) {
		if (fd != -1)
			close(fd);
		snprintf(err, errlen, "%s", a.error != 0 ? a.msg :
		    "privsep: bad answer");
		errno = a.error != 0 ? a.error : EPROTO;
		return -1;
	}
	return fd;
}

static int
fd_request_for(uint16_t type, const char *tunnel, const void *req,
    size_t reqlen, char *err, size_t errlen)
{
	return fd_request_fd(type, tunnel, req, reqlen, -1, err, errlen);
}

static int
fd_request(uint16_t type, const void *req, size_t reqlen, char *err,
    size_t errlen)
{
	return fd_request_for(type, NULL, req, reqlen, err, errlen);
}

int
priv_gre_socket(char *err, size_t errlen)
{
	return fd_request(PRIV_GRE_SOCKET, NULL, 0, err, errlen);
}

int
priv_open_dev(const char *path, int flags)
{
	struct priv_open q;
	char err[PRIV_MSG_MAX];

	memset(&q, 0, sizeof(q));
	if (strlen(path) >= sizeof(q.path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(q.path, path, strlen(path));
	q.flags = flags;
	return fd_request(PRIV_OPEN_DEV, &q, sizeof(q), err, sizeof(err));
}

int
priv_socket(const char *tunnel, int domain, int type, int protocol)
{
	struct priv_socket q;
	char err[PRIV_MSG_MAX];

	memset(&q, 0, sizeof(q));
	q.domain = domain;
	q.type = type;
	q.protocol = protocol;
	return fd_request_for(PRIV_SOCKET, tunnel, &q, sizeof(q), err,
	    sizeof(err));
}

int
priv_iface_claim(const char *tunnel, const char *ifname, int unit_fd,
    char *err, size_t errlen)
{
	struct priv_ifreq q;
	struct priv_result res;

	memset(&q, 0, sizeof(q));
	copy_name(q.ifname, sizeof(q.ifname), ifname);
	if (request_fd(PRIV_IFACE_CLAIM, tunnel, &q, sizeof(q), unit_fd,
	    PRIV_RESULT, &res, sizeof(res), NULL, err, errlen) == -1)
		return -1;
	if (res.error == 0)
		return 0;
	res.msg[sizeof(res.msg) - 1] = '\0';
	snprintf(err, errlen, "%s", res.msg);
	errno = res.error;
	return -1;
}

static int
ppp_request(uint16_t type, int fd, int *value)
{
	struct priv_ifreq q;
	struct priv_result res;
	char err[PRIV_MSG_MAX];

	memset(&q, 0, sizeof(q));
	q.value = (uint32_t)*value;
	if (request_fd(type, NULL, &q, sizeof(q), fd, PRIV_RESULT,
	    &res, sizeof(res), NULL, err, sizeof(err)) == -1)
		return -1;
	if (res.error != 0) {
		errno = res.error;
		return -1;
	}
	if (res.value > INT32_MAX) {
		errno = EPROTO;
		return -1;
	}
	*value = (int)res.value;
	return 0;
}

int
priv_ppp_newunit(int fd, int *unit)
{
	return ppp_request(PRIV_PPP_NEWUNIT, fd, unit);
}

int
priv_ppp_attchan(const char *tunnel, int sock, char *err, size_t errlen)
{
	struct priv_ifreq q;

	memset(&q, 0, sizeof(q));
	return fd_request_fd(PRIV_PPP_ATTCHAN, tunnel, &q, sizeof(q), sock,
	    err, errlen);
}

int
priv_nft(const char *tunnel, int op, const char *ifname, uint16_t mss,
    struct in_addr server, uint16_t call_id, uint64_t *value, char *err,
    size_t errlen)
{
	struct priv_nft q;
	struct priv_result res;

	memset(&q, 0, sizeof(q));
	q.op = (uint8_t)op;
	q.mss = mss;
	q.server = server;
	q.call_id = call_id;
	copy_name(q.ifname, sizeof(q.ifname), ifname);
	if (request(PRIV_NFT, tunnel, &q, sizeof(q), PRIV_RESULT, &res,
	    sizeof(res), NULL, err, errlen) == -1)
		return -1;
	if (value != NULL)
		*value = res.value;
	if (res.error == 0)
		return op == PRIV_NFT_SWEEP ? (int)res.value : 0;
	res.msg[sizeof(res.msg) - 1] = '\0';
	snprintf(err, errlen, "%s", res.msg);
	errno = res.error;
	return -1;
}

int
priv_reload(char *msg, size_t msglen)
{
	if (chan == NULL) {
		snprintf(msg, msglen, "not separated");
		return -1;
	}
	return simple(PRIV_RELOAD, NULL, NULL, 0, msg, msglen);
}

/* A request answered by PRIV_RESULT; *value gets its value. */
static int
value_request(uint16_t type, const char *tunnel, const void *req,
    size_t reqlen, int sendfd, uint64_t *value, char *err, size_t errlen)
{
	struct priv_result res;

	if (request_fd(type, tunnel, req, reqlen, sendfd, PRIV_RESULT, &res,
	    sizeof(res), NULL, err, errlen) == -1)
		return -1;
	if (value != NULL)
		*value = res.value;
	if (res.error == 0)
		return 0;
	res.msg[sizeof(res.msg) - 1] = '\0';
	snprintf(err, errlen, "%s", res.msg);
	errno = res.error;
	return -1;
}

int
priv_dns_apply(const char *tunnel, const char *ifname,
    const struct in_addr *servers, size_t n, int *used, char *err,
    size_t errlen)
{
	struct priv_dns q;
	uint64_t v = 0;
	size_t i;

	memset(&q, 0, sizeof(q));
	q.op = PRIV_DNS_APPLY;
	if (n > PRIV_DNS_SERVERS_MAX)
		n = PRIV_DNS_SERVERS_MAX;
	q.nservers = (uint8_t)n;
	for (i = 0; i < n; i++)
		q.servers[i] = servers[i];
	copy_name(q.ifname, sizeof(q.ifname), ifname);
	if (value_request(PRIV_DNS, tunnel, &q, sizeof(q), -1, &v, err,
	    errlen) == -1)
		return -1;
	*used = (int)(v & 0xff);
	return 0;
}

int
priv_dns_revert(const char *tunnel, const char *ifname, char *err,
    size_t errlen)
{
	struct priv_dns q;

	memset(&q, 0, sizeof(q));
	q.op = PRIV_DNS_REVERT;
	copy_name(q.ifname, sizeof(q.ifname), ifname);
	return value_request(PRIV_DNS, tunnel, &q, sizeof(q), -1, NULL, err,
	    errlen);
}

int
priv_wansock(const char *tunnel, int kind, char *err, size_t errlen)
{
	struct priv_wansock q;

	memset(&q, 0, sizeof(q));
	q.kind = (uint8_t)kind;
	return fd_request_for(PRIV_WANSOCK, tunnel, &q, sizeof(q), err,
	    errlen);
}

int
priv_sock_mark(const char *tunnel, int fd, char *err, size_t errlen)
{
	return value_request(PRIV_SOCK_MARK, tunnel, NULL, 0, fd, NULL, err,
	    errlen);
}

int
priv_iface_set_rdomain(const char *tunnel, const char *ifname,
    unsigned int rdomain, char *err, size_t errlen)
{
	struct priv_ifreq q;

	memset(&q, 0, sizeof(q));
	q.value = rdomain;
	copy_name(q.ifname, sizeof(q.ifname), ifname);
	return simple(PRIV_IFACE_RDOMAIN, tunnel, &q, sizeof(q), err, errlen);
}

int
priv_addr6(const char *tunnel, int add, const char *ifname,
    struct in6_addr local, uint8_t plen, struct in6_addr peer, char *err,
    size_t errlen)
{
	struct priv_addr6 q;

	memset(&q, 0, sizeof(q));
	q.add = add != 0;
	q.plen = plen;
	q.local = local;
	q.peer = peer;
	copy_name(q.ifname, sizeof(q.ifname), ifname);
	return simple(PRIV_ADDR6, tunnel, &q, sizeof(q), err, errlen);
}

int
priv_route6(const char *tunnel, int add, const char *ifname,
    struct in6_addr dst, uint8_t plen, char *err, size_t errlen)
{
	struct priv_route6 q;

	memset(&q, 0, sizeof(q));
	q.add = add != 0;
	q.plen = plen;
	q.dst = dst;
	copy_name(q.ifname, sizeof(q.ifname), ifname);
	return simple(PRIV_ROUTE6, tunnel, &q, sizeof(q), err, errlen);
}

int
priv_ready(const char *status)
{
	struct priv_ready q;
	size_t i;

	if (chan == NULL)
		return -1;
	memset(&q, 0, sizeof(q));
	snprintf(q.status, sizeof(q.status), "%s", status);
	/* The parent refuses what is not printable: say it plainly. */
	for (i = 0; q.status[i] != '\0'; i++)
		if (q.status[i] < 0x20 || q.status[i] > 0x7e)
			q.status[i] = '?';
	if (privmsg_send(chan->sock, PRIV_READY, NULL, &q, sizeof(q), -1) ==
	    -1) {
		log_warn("privsep: ready");
		return -1;
	}
	return 0;
}
/* Reads exactly len bytes of the parent's text, or fails. */
static int
read_text(int fd, size_t len, char **text)
{
	size_t got = 0;
	ssize_t n;

	*text = NULL;
	if (len == 0)
		return 0;
	if ((*text = malloc(len)) == NULL)
		return -1;
	while (got < len) {
		n = read(fd, *text + got, len - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(*text);
			*text = NULL;
			if (n == 0)
				errno = EPROTO;
			return -1;
		}
		got += (size_t)n;
	}
	return 0;
}

int
priv_resolv_files(void *arg, const struct resolve_file_id *have,
    struct resolve_text *out, char *err, size_t errlen)
{
	struct priv_resolv_req q;
	struct priv_resolv_text a;
	int fd, i;

	(void)arg;
	memset(out, 0, sizeof(*out));
	memset(&q, 0, sizeof(q));
	if (have != NULL) {
		q.have = 1;
		memcpy(q.id, have, sizeof(q.id));
	}
	if (request(PRIV_RESOLV_FILES, NULL, &q, sizeof(q), PRIV_RESOLV_TEXT,
	    &a, sizeof(a), &fd, err, errlen) == -1)
		return -1;
	a.msg[sizeof(a.msg) - 1] = '\0';
	if (a.error != 0 || a.changed > 1 || (a.changed == 1) != (fd != -1) ||
	    a.len[0] > RESOLV_TEXT_MAX || a.len[1] > RESOLV_TEXT_MAX) {
		if (fd != -1)
			close(fd);
		if (a.error != 0)
			snprintf(err, errlen, "%s", a.msg);
		else
			snprintf(err, errlen, "privsep: bad resolver files "
			    "from the parent");
		return -1;
	}
	if (a.changed == 0)
		return 0;
	memcpy(out->id, a.id, sizeof(out->id));
	for (i = 0; i < RESOLVE_TEXT_FILES; i++) {
		if (read_text(fd, a.len[i], &out->text[i]) == -1) {
			snprintf(err, errlen, "privsep: resolver files: %s",
			    strerror(errno));
			/* Not resolve_text_free(): priv.c links alone. */
			while (i-- > 0)
				free(out->text[i]);
			memset(out, 0, sizeof(*out));
			close(fd);
			return -1;
		}
		out->len[i] = a.len[i];
	}
	close(fd);
	return 1;
}

int
priv_pipex_probe(char *why, size_t len)
{
	return simple(PRIV_PIPEX_PROBE, NULL, NULL, 0, why, len);
}

int
priv_pipex_socket(const char *tunnel, struct in_addr local, char *err,
    size_t errlen)
{
	struct priv_pipex_sock q;

	memset(&q, 0, sizeof(q));
	q.local = local;
	return fd_request_for(PRIV_PIPEX_SOCKET, tunnel, &q, sizeof(q), err,
	    errlen);
}

int
priv_pipex_add(const char *tunnel, const struct priv_pipex_add *q,
    char *ifname, size_t iflen, uint16_t *peer_mru, char *err,
    size_t errlen)
{
	struct priv_pipex_session a;

	if (request(PRIV_PIPEX_ADD, tunnel, q, sizeof(*q),
	    PRIV_PIPEX_SESSION, &a, sizeof(a), NULL, err, errlen) == -1)
		return -1;
	a.msg[sizeof(a.msg) - 1] = '\0';
	if (a.error != 0) {
		snprintf(err, errlen, "%s", a.msg);
		errno = a.error;
		return -1;
	}
	/* Even the parent's answer is checked: a name, and a usable MTU. */
	if (privmsg_check_name(a.ifname, sizeof(a.ifname)) == -1 ||
	    a.ifname[0] == '\0') {
		snprintf(err, errlen, "privsep: pipex-add: bad interface name");
		errno = EPROTO;
		return -1;
	}
	snprintf(ifname, iflen, "%s", a.ifname);
	*peer_mru = a.peer_mru;
	return 0;
}

static int
pipex_counters(uint16_t type, const char *tunnel, uint16_t call_id,
    struct priv_pipex_counters *c, char *err, size_t errlen)
{
	struct priv_pipex_id q;

	memset(&q, 0, sizeof(q));
	q.call_id = call_id;
	if (request(type, tunnel, &q, sizeof(q), PRIV_PIPEX_COUNTERS, c,
	    sizeof(*c), NULL, err, errlen) == -1)
		return -1;
	c->msg[sizeof(c->msg) - 1] = '\0';
	if (c->error != 0) {
		snprintf(err, errlen, "%s", c->msg);
		errno = c->error;
		return -1;
	}
	return 0;
}

int
priv_pipex_del(const char *tunnel, uint16_t call_id,
    struct priv_pipex_counters *c, char *err, size_t errlen)
{
	return pipex_counters(PRIV_PIPEX_DEL, tunnel, call_id, c, err, errlen);
}

int
priv_pipex_stat(const char *tunnel, uint16_t call_id,
    struct priv_pipex_counters *c, char *err, size_t errlen)
{
	return pipex_counters(PRIV_PIPEX_STAT, tunnel, call_id, c, err,
	    errlen);
}
