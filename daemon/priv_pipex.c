/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The parent's checks of the pipex engine's requests (priv.h,
 * PRIV_PIPEX_*).  The sysctls, /dev/pppxN, IP_PIPEX and the PIPEX*
 * ioctls are outside every pledge(2) promise, so the root parent does
 * them for the pledged engine; the ioctls themselves are ops
 * (kernel-glue/pipex_host-openbsd.c), so that this file builds and is
 * tested on every system against a fake host.
 *
 * What the engine may get (doc/privsep.md §2, §5):
 *   - whether pipex can run here, with the reason when not;
 *   - a raw GRE socket with IP_PIPEX, bound to an address of its
 *     choosing (a socket it could have anyway: PRIV_GRE_SOCKET), for a
 *     configured tunnel that may use pipex and has told its server;
 *   - one pipex session per tunnel, whose pipex_session_req the parent
 *     builds (pipex_map_session()) from checked plain values: the outer
 *     peer is the server the tunnel pinned (PRIV_SERVER), the IPCP
 *     addresses pass addr_policy.c's rules as PRIV_IFACE_ADDR's do, no
 *     call ID another tunnel's session holds, every flag, length and
 *     MPPE value in range, padding zero.  Its pppxM then counts as the
 *     tunnel's interface (routes, MTU) as a tun the parent opened does;
 *   - the counters and the delete of that session only.
 * The device stays the parent's: the engine never holds it, and closing
 * it (the delete, the engine's death, the parent's exit) destroys the
 * session and pppxM.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr_policy.h"
#include "config.h"
#include "log.h"
#include "pipex_map.h"
#include "ppp.h"
#include "priv_parent.h"

/* Why the tunnel may not use pipex at all, or NULL. */
static const char *
not_pipex(const struct tunnel_conf *c)
{
	if (c->offload != OFFLOAD_AUTO && c->offload != OFFLOAD_PIPEX)
		return "its offload is not pipex or auto";
	/* pipex-openbsd.c's px_open() leaves these to the userspace engine. */
	if (c->rdomain != 0 || c->iface_rdomain != 0)
		return "pipex is not for rdomain tunnels";
	return NULL;
}

static int
do_probe(struct priv_parent *p, int sock, struct privmsg *m)
{
	char why[PRIV_MSG_MAX] = "";

	if (m->hdr.len != 0)
		return priv_parent_refuse(p, sock, m, "length %u",
		    m->hdr.len);
	if (m->hdr.tunnel[0] != '\0' &&
	    config_find_tunnel(p->conf, m->hdr.tunnel) == NULL)
		return priv_parent_refuse(p, sock, m, "no such tunnel");
	if (p->ops->pipex_probe == NULL) {
		priv_parent_answer(sock, m->hdr.tunnel, EOPNOTSUPP, 0,
		    "pipex is OpenBSD's");
		return 0;
	}
	if (p->ops->pipex_probe(why, sizeof(why)) == -1)
		priv_parent_answer(sock, m->hdr.tunnel, EOPNOTSUPP, 0,
		    why[0] != '\0' ? why : "pipex cannot run");
	else
		priv_parent_answer(sock, m->hdr.tunnel, 0, 0, "ok");
	return 0;
}

/* The tunnel of the header, configured, allowed pipex, server known. */
static struct ptun *
pipex_tunnel(struct priv_parent *p, const struct privmsg *m,
    const char **why)
{
	const struct tunnel_conf *c;
	struct ptun *t;

	if ((c = config_find_tunnel(p->conf, m->hdr.tunnel)) == NULL ||
	    (t = priv_parent_ptun_get(p, m->hdr.tunnel)) == NULL) {
		*why = "no such tunnel";
		return NULL;
	}
	if ((*why = not_pipex(c)) != NULL)
		return NULL;
	if (t->server.s_addr == INADDR_ANY) {
		*why = "it has not said which server it dials";
		return NULL;
	}
	return t;
}

static int
do_socket(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_pipex_sock q;
	char err[PRIV_MSG_MAX] = "";
	const char *why;
	int fd;

	if (m->hdr.len != sizeof(q))
		return priv_parent_refuse(p, sock, m, "length %u",
		    m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (pipex_tunnel(p, m, &why) == NULL)
		return priv_parent_refuse(p, sock, m, "%s", why);
	if ((why = addr_policy_class(ntohl(q.local.s_addr))) != NULL)
		return priv_parent_refuse(p, sock, m, "bind %s: %s",
		    inet_ntoa(q.local), why);
	if (p->ops->pipex_socket == NULL) {
		priv_parent_answer_fd(sock, -1, EOPNOTSUPP,
		    "pipex is OpenBSD's");
		return 0;
	}
	fd = p->ops->pipex_socket(q.local, err, sizeof(err));
	priv_parent_answer_fd(sock, fd, fd == -1 ? (errno != 0 ? errno :
	    EIO) : 0, err);
	return 0;
}

static void
answer_session(int sock, const char *tunnel, int error, uint16_t mru,
    const char *ifname, const char *msg)
{
	struct priv_pipex_session a;

	memset(&a, 0, sizeof(a));
	a.error = error;
	a.peer_mru = mru;
	snprintf(a.ifname, sizeof(a.ifname), "%s", ifname);
	snprintf(a.msg, sizeof(a.msg), "%s", msg);
	if (privmsg_send(sock, PRIV_PIPEX_SESSION, tunnel, &a, sizeof(a),
	    -1) == -1)
		log_warn("privsep: pipex session");
}

/* No holes: every byte of the request is a field that is checked. */
_Static_assert(offsetof(struct priv_pipex_add, recv_key) + 16 ==
    sizeof(struct priv_pipex_add), "priv_pipex_add has padding");

static int
do_add(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_pipex_add q;
	struct pipex_map_in in;
	struct pipex_session_req req;
	struct ppp_link link;
	struct addr_policy pol;
	struct ptun *t, *o;
	const char *why;
	char err[PRIV_MSG_MAX] = "", pwhy[ADDR_WHY_MAX];
	char ifname[PRIV_IFNAME_MAX] = "";
	uint16_t mru = 0;
	int fd, r = -1;

	if (m->hdr.len != sizeof(q))
		return priv_parent_refuse(p, sock, m, "length %u",
		    m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	explicit_bzero(m->payload, sizeof(q));
	memset(&link, 0, sizeof(link));
	memset(&req, 0, sizeof(req));
	if ((t = pipex_tunnel(p, m, &why)) == NULL) {
		r = priv_parent_refuse(p, sock, m, "%s", why);
		goto out;
	}
	if (q.peer.s_addr != t->server.s_addr) {
		r = priv_parent_refuse(p, sock, m, "peer %s is not the "
		    "tunnel's server", inet_ntoa(q.peer));
		goto out;
	}
	if ((why = addr_policy_class(ntohl(q.local.s_addr))) != NULL) {
		r = priv_parent_refuse(p, sock, m, "local %s: %s",
		    inet_ntoa(q.local), why);
		goto out;
	}
	/* addr_policy.c's rules, as for a tun's addresses (do_iface()). */
	memset(&pol, 0, sizeof(pol));
	pol.server = ntohl(t->server.s_addr);
	if (addr_policy_check(&pol, ntohl(q.ip_local.s_addr), ADDR_LOCAL,
	    pwhy, sizeof(pwhy)) == -1 ||
	    addr_policy_check(&pol, ntohl(q.ip_peer.s_addr), ADDR_PEER,
	    pwhy, sizeof(pwhy)) == -1) {
		r = priv_parent_refuse(p, sock, m, "address: %s", pwhy);
		goto out;
	}
	if (t->px_active) {
		r = priv_parent_refuse(p, sock, m, "it has a pipex session "
		    "already (%s)", t->px_ifname);
		goto out;
	}
	for (o = p->tunnels; o != NULL; o = o->next)
		if (o->px_active && o->px_call_id == q.our_call_id)
			break;
	if (o != NULL) {
		r = priv_parent_refuse(p, sock, m, "call ID %u is %s's",
		    q.our_call_id, o->name);
		goto out;
	}
	/* Its tun, still there, stays its interface: one at a time. */
	if (t->ifname[0] != '\0' && p->ops->iface_exists(t->ifname)) {
		r = priv_parent_refuse(p, sock, m, "it has %s already",
		    t->ifname);
		goto out;
	}
	if (pipex_map_from_priv(&q, &in, &link, pwhy, sizeof(pwhy)) == -1) {
		r = priv_parent_refuse(p, sock, m, "malformed: %s", pwhy);
		goto out;
	}
	if (pipex_map_session(&in, &req, err, sizeof(err)) == -1) {
		r = priv_parent_refuse(p, sock, m, "%s", err);
		goto out;
	}
	r = 0;
	if (p->ops->pipex_add == NULL) {
		answer_session(sock, m->hdr.tunnel, EOPNOTSUPP, 0, "",
		    "pipex is OpenBSD's");
		goto out;
	}
	if ((fd = p->ops->pipex_add(&req, t->name, ifname, sizeof(ifname),
	    &mru, err, sizeof(err))) == -1) {
		answer_session(sock, m->hdr.tunnel, errno != 0 ? errno : EIO,
		    0, "", err);
		goto out;
	}
	t->px_active = 1;
	t->px_fd = fd;
	t->px_call_id = q.our_call_id;
	snprintf(t->px_ifname, sizeof(t->px_ifname), "%s", ifname);
	/* pppx set these itself: they are the ones routes may name. */
	snprintf(t->ifname, sizeof(t->ifname), "%s", ifname);
	t->local = q.ip_local;
	t->peer = q.ip_peer;
	answer_session(sock, m->hdr.tunnel, 0, mru, ifname, "ok");
 out:
	explicit_bzero(&q, sizeof(q));
	explicit_bzero(&link, sizeof(link));
	explicit_bzero(&req, sizeof(req));
	return r;
}

static void
answer_counters(int sock, const char *tunnel,
    struct priv_pipex_counters *a)
{
	if (privmsg_send(sock, PRIV_PIPEX_COUNTERS, tunnel, a, sizeof(*a),
	    -1) == -1)
		log_warn("privsep: pipex counters");
}

/* The session of the header's tunnel with our call ID id, or NULL. */
static struct ptun *
own_session(struct priv_parent *p, const struct privmsg *m, uint16_t id)
{
	struct ptun *t;

	if ((t = priv_parent_tunnel(p, m->hdr.tunnel)) == NULL ||
	    !t->px_active || t->px_call_id != id)
		return NULL;
	return t;
}

static void
forget(struct ptun *t)
{
	if (strcmp(t->ifname, t->px_ifname) == 0) {
		t->ifname[0] = '\0';
		t->local.s_addr = t->peer.s_addr = INADDR_ANY;
	}
	t->px_active = 0;
	t->px_fd = -1;
	t->px_call_id = 0;
	t->px_ifname[0] = '\0';
}

static int
do_counters(struct priv_parent *p, int sock, struct privmsg *m)
{
	struct priv_pipex_id q;
	struct priv_pipex_counters a;
	struct ptun *t;

	if (m->hdr.len != sizeof(q))
		return priv_parent_refuse(p, sock, m, "length %u",
		    m->hdr.len);
	memcpy(&q, m->payload, sizeof(q));
	if (q.pad != 0)
		return priv_parent_refuse(p, sock, m, "malformed");
	if ((t = own_session(p, m, q.call_id)) == NULL)
		return priv_parent_refuse(p, sock, m, "call ID %u: not a "
		    "pipex session the parent made for it", q.call_id);
	memset(&a, 0, sizeof(a));
	if (m->hdr.type == PRIV_PIPEX_STAT) {
		if (p->ops->pipex_stat(t->px_fd, t->px_call_id, &a) == -1 &&
		    a.error == 0)
			a.error = EIO;
		answer_counters(sock, m->hdr.tunnel, &a);
		return 0;
	}
	/* The final counters come back with the delete. */
	if (p->ops->pipex_del(t->px_fd, t->px_call_id, &a) == -1 &&
	    a.error == 0)
		a.error = EIO;
	p->ops->pipex_close(t->px_fd);
	forget(t);
	answer_counters(sock, m->hdr.tunnel, &a);
	return 0;
}

int
priv_parent_pipex(struct priv_parent *p, int sock, struct privmsg *m)
{
	switch (m->hdr.type) {
	case PRIV_PIPEX_PROBE:
		return do_probe(p, sock, m);
	case PRIV_PIPEX_SOCKET:
		return do_socket(p, sock, m);
	case PRIV_PIPEX_ADD:
		return do_add(p, sock, m);
	case PRIV_PIPEX_DEL:
	case PRIV_PIPEX_STAT:
		return do_counters(p, sock, m);
	default:
		return priv_parent_refuse(p, sock, m, "type %u is not a "
		    "request", m->hdr.type);
	}
}

void
priv_parent_pipex_gone(struct priv_parent *p, struct ptun *t)
{
	if (!t->px_active)
		return;
	log_info("%s: pipex: the session on %s goes with its engine",
	    t->name, t->px_ifname);
	/* Closing the device deletes the session and destroys pppxM. */
	p->ops->pipex_close(t->px_fd);
	forget(t);
}
