/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The OpenBSD `pipex` engine: the kernel's pipex(4) fast path through a
 * pppx(4) device (doc/pipex.md).
 *
 * Until the handover the session runs exactly as without pipex: our own
 * raw GRE socket and GRE state (gre_call.h) carry LCP, authentication,
 * IPCP and CCP.  The socket has IP_PIPEX set and stays unconnected,
 * sending with sendto(): then, once the kernel owns the session, it
 * rewrites the sequence numbers of what we still send (LCP echo, CCP) to
 * fit its own (doc/pipex.md §3.2), and hands us only the control frames with
 * numbers that fit ours.  At attach one PIPEXASESSION, filled by
 * pipex_map.c, gives the kernel the session; pppx(4) makes pppxM, a
 * point-to-point interface that takes a default route (pppac(4) cannot,
 * §3.5).  Closing the device destroys the session, so it stays open for
 * the session's life.
 *
 * Under privilege separation the engine is pledged and may do none of
 * the sysctls, the device, IP_PIPEX or the ioctls: each goes to the root
 * parent as a priv_pipex_*() request (priv.h), which checks it
 * (priv_pipex.c) and does it with pipex_host-openbsd.c, the same code
 * pptpcd -S runs in place.  The parent then holds /dev/pppxN.
 *
 * Built only on OpenBSD; it cannot be compiled on the Linux hosts the
 * project is developed on, so keep it simple and keep the logic that can
 * be tested in pipex_map.c and priv_pipex.c.  Compiled against OpenBSD
 * 7.3's headers (make check-openbsd), never run.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sysctl.h>

#include <net/if.h>
#include <netinet/in.h>
/* After <netinet/in.h>: its structs embed in_addr and sockaddr_in6. */
#include <net/pipex.h>
#include <netinet/ip_gre.h>

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gre.h"
#include "gre_call.h"
#include "log.h"
#include "offload.h"
#include "pipex_host.h"
#include "pipex_map.h"
#include "ppp.h"
#include "priv.h"
#include "timer.h"
#include "tun.h"

#define PX_PKT_MAX	(20 + 60 + GRE_HDR_MAX + 4096)	/* IP + GRE + PPP */

struct px_session {
	struct offload_session	 base;	/* first: offload.c casts */
	const struct offload_sys *sys;
	const struct offload_ops *ops;
	void			*arg;
	char			 tag[GRE_TAG_MAX];
	int			 remote;	/* the parent does the ioctls */
	int			 dev_fd;	/* /dev/pppxN; -1 when remote */
	int			 sock;		/* raw GRE with IP_PIPEX */
	struct event		*ev;
	struct timer_base	*tb;
	struct gre_call		*gre;
	struct pipex_gre_state	 seq;
	struct pipex_idle	 idle;	/* rx_idle_s, which pipex lacks */
	uint16_t		 our_call_id;
	uint16_t		 peer_call_id;
	uint16_t		 our_rwin;
	uint16_t		 peer_rwin;
	uint16_t		 peer_mru;	/* pppxM's MTU and ceiling */
	struct in_addr		 local;
	struct in_addr		 peer;
	int			 attached;
	char			 ifname[OFFLOAD_IFNAME_MAX];
	uint8_t			 buf[PX_PKT_MAX];
};

/*
 * Privilege separation: the parent does what needs root (pipex_host.h);
 * a fake sys (tests) always means in place.
 */
static int
px_remote(const struct offload_sys *sys)
{
	return sys == NULL && priv_separated();
}

static int
px_probe(const struct offload_sys *sys, char *why, size_t len)
{
	if (px_remote(sys)) {
		/* sysctl net.pipex, net.inet.gre: no pledge promise has them. */
		if (priv_pipex_probe(why, len) == -1)
			return -1;
		if (len > 0)
			why[0] = '\0';
		return 0;
	}
	return pipex_host_probe(sys, why, len);
}

/* gre_call_ops.send: one GRE packet to the server. */
static int
px_gre_send(void *arg, const uint8_t *pkt, size_t len)
{
	struct px_session *p = arg;
	struct sockaddr_in sin;

	pipex_gre_track_out(&p->seq, pkt, len);
	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_addr = p->peer;
	/* sendto on an unconnected socket: IP_PIPEX looks up by peer. */
	if (sendto(p->sock, pkt, len, 0, (struct sockaddr *)&sin,
	    sizeof(sin)) == -1) {
		if (errno != ENOBUFS && errno != EAGAIN)
			log_warn("%s: GRE sendto", p->tag);
		return -1;
	}
	return 0;
}

static void
px_gre_deliver(void *arg, const uint8_t *frame, size_t len)
{
	struct px_session *p = arg;

	p->ops->frame(p->arg, frame, len);
}

static const struct gre_call_ops px_gre_ops = {
	.send = px_gre_send,
	.deliver = px_gre_deliver,
};

static void
px_readable(evutil_socket_t fd, short what, void *arg)
{
	struct px_session *p = arg;
	struct in_addr src;
	struct gre_hdr h;
	size_t off, glen;
	ssize_t n;
	int i;

	(void)what;
	for (i = 0; i < 32; i++) {
		if ((n = recv(fd, p->buf, sizeof(p->buf), 0)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("%s: GRE recv", p->tag);
			return;
		}
		/*
		 * The raw socket gives the IPv4 header too, with ip_len in
		 * network order on current OpenBSD as on Linux.
		 */
		if (gre_ipv4_decode(p->buf, (size_t)n, &src, &off, &glen) !=
		    GRE_OK)
			continue;
		/* Every raw GRE socket sees all GRE: keep only ours. */
		if (src.s_addr != p->peer.s_addr ||
		    gre_decode(p->buf + off, glen, &h) != GRE_OK ||
		    h.call_id != p->our_call_id)
			continue;
		pipex_gre_track_in(&p->seq, p->buf + off, glen);
		gre_call_input(p->gre, p->buf + off, glen);
	}
}

static void px_close(struct offload_session *, struct offload_stats *);

static struct offload_session *
px_open(const struct offload_env *env, const struct offload_call *call,
    const struct offload_ops *ops, void *arg, char *err, size_t errlen)
{
	struct gre_call_config cfg;
	struct px_session *p;

	/*
	 * pppx(4) creates its interface with the session's address, which
	 * SIOCSIFRDOMAIN would strip, and pipex's own GRE socket is not
	 * put in an rtable here: such a tunnel is the userspace engine's.
	 */
	if (call->rdomain != 0 || call->iface_rdomain != 0) {
		snprintf(err, errlen, "pipex engine: not with rdomain or "
		    "interface-rdomain (the userspace engine takes them)");
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(err, errlen, "pipex engine: %s", strerror(errno));
		return NULL;
	}
	p->remote = px_remote(env->sys);
	p->sys = pipex_host_sys(env->sys);
	p->tb = env->tb;
	p->ops = ops;
	p->arg = arg;
	p->dev_fd = p->sock = -1;
	snprintf(p->tag, sizeof(p->tag), "%s", call->tag);
	p->our_call_id = call->our_call_id;
	p->peer_call_id = call->peer_call_id;
	p->our_rwin = call->our_rwin;
	p->peer_rwin = call->peer_rwin;
	p->local = call->local;
	p->peer = call->peer;
	pipex_gre_init(&p->seq);

	if (p->remote) {
		/* The parent opens /dev/pppxN with the session, and keeps it. */
		if ((p->sock = priv_pipex_socket(p->tag, call->local, err,
		    errlen)) == -1)
			goto fail;
		if (evutil_make_socket_nonblocking(p->sock) == -1) {
			snprintf(err, errlen, "pipex engine: GRE socket: %s",
			    strerror(errno));
			goto fail;
		}
	} else {
		/* Held from call-up: closing it would destroy the session. */
		if ((p->dev_fd = pipex_host_open_pppx(p->sys, err,
		    errlen)) == -1 ||
		    (p->sock = pipex_host_socket(call->local, err,
		    errlen)) == -1)
			goto fail;
	}

	gre_call_config_default(&cfg);
	cfg.tag = call->tag;
	cfg.our_call_id = call->our_call_id;
	cfg.peer_call_id = call->peer_call_id;
	cfg.our_rwin = call->our_rwin;
	cfg.peer_rwin = call->peer_rwin;
	cfg.reorder_slots = call->reorder_pkts;
	cfg.reorder_wait_ms = call->reorder_wait_ms;
	if ((p->gre = gre_call_new(&cfg, &px_gre_ops, p, env->tb)) == NULL) {
		snprintf(err, errlen, "pipex engine: GRE state: %s",
		    strerror(errno));
		goto fail;
	}
	if ((p->ev = event_new(env->evb, p->sock, EV_READ | EV_PERSIST,
	    px_readable, p)) == NULL || event_add(p->ev, NULL) == -1) {
		snprintf(err, errlen, "pipex engine: cannot watch the GRE "
		    "socket");
		goto fail;
	}
	return &p->base;
 fail:
	px_close(&p->base, NULL);
	return NULL;
}

static int
px_send_frame(struct offload_session *s, const uint8_t *frame, size_t len)
{
	struct px_session *p = (struct px_session *)s;

	if (len == 0 || len > sizeof(p->buf) - GRE_HDR_MAX)
		return -1;
	/* gre_call writes its header in the headroom: no second copy. */
	memcpy(p->buf + GRE_HDR_MAX, frame, len);
	return gre_call_send(p->gre, p->buf + GRE_HDR_MAX, len);
}

/* The session through the parent: it builds the request from q. */
static int
px_add_remote(struct px_session *p, const struct pipex_map_in *in,
    char *err, size_t errlen)
{
	struct priv_pipex_add q;
	int r;

	pipex_map_to_priv(in, &q);
	r = priv_pipex_add(p->tag, &q, p->ifname, sizeof(p->ifname),
	    &p->peer_mru, err, errlen);
	explicit_bzero(&q, sizeof(q));
	return r;
}

static int
px_add_local(struct px_session *p, const struct pipex_map_in *in,
    char *err, size_t errlen)
{
	struct pipex_session_req req;
	int r;

	if (pipex_map_session(in, &req, err, errlen) == -1)
		return -1;
	r = pipex_host_add(p->sys, p->dev_fd, &req, p->tag, p->ifname,
	    sizeof(p->ifname), &p->peer_mru, err, errlen);
	explicit_bzero(&req, sizeof(req));
	return r;
}

static int
px_attach(struct offload_session *s, struct offload_attach *a, char *err,
    size_t errlen)
{
	struct px_session *p = (struct px_session *)s;
	struct pipex_map_in in;
	int r;

	memset(&in, 0, sizeof(in));
	in.our_call_id = p->our_call_id;
	in.peer_call_id = p->peer_call_id;
	in.our_rwin = p->our_rwin;
	in.peer_rwin = p->peer_rwin;
	in.local = p->local;
	in.peer = p->peer;
	in.link = a->link;
	in.gre = p->seq;
	in.ppp_id = p->our_call_id;
	in.adjust_tcpmss = a->mss != 0;
	r = p->remote ? px_add_remote(p, &in, err, errlen) :
	    px_add_local(p, &in, err, errlen);
	/*
	 * Failed, no session is left that needs a delete: the parent
	 * closed its device, and ours goes in px_close() with whatever
	 * PIPEXASESSION left on it.
	 */
	if (r == -1)
		return -1;
	p->attached = 1;
	pipex_idle_init(&p->idle, timer_now(p->tb));
	/*
	 * pppx made MTU = peer MRU and takes only 512..peer MRU
	 * (pppx_if_ioctl()); the tunnel's MTU leaves room for MPPE.
	 */
	if (a->mtu < 512 || a->mtu > p->peer_mru) {
		snprintf(err, errlen, "pipex: MTU %u on %s: pppx(4) takes "
		    "only 512 to the peer's MRU %u", a->mtu, p->ifname,
		    (unsigned int)p->peer_mru);
		return -1;
	}
	if (a->mtu != p->peer_mru && (p->remote ?
	    priv_iface_set_mtu(p->tag, p->ifname, a->mtu, err, errlen) :
	    iface_set_mtu(p->ifname, a->mtu, err, errlen)) == -1)
		return -1;
	snprintf(a->ifname, sizeof(a->ifname), "%s", p->ifname);
	log_info("%s: pipex engine: session %u/%u on %s", p->tag,
	    p->our_call_id, p->peer_call_id, p->ifname);
	return 0;
}

static void
px_mppe_reset(struct offload_session *s)
{
	/* The kernel consumes Reset-Requests itself (doc/pipex.md §3.3). */
	(void)s;
}

/* The session's counters, here or from the parent; -1 if none came. */
static int
px_counters(struct px_session *p, int del, struct pipex_statistics *ps)
{
	struct priv_pipex_counters c;
	char err[PRIV_MSG_MAX];
	int r;

	if (!p->remote)
		return del ? pipex_host_del(p->sys, p->dev_fd, p->our_call_id,
		    ps) : pipex_host_stat(p->sys, p->dev_fd, p->our_call_id,
		    ps);
	r = del ? priv_pipex_del(p->tag, p->our_call_id, &c, err,
	    sizeof(err)) : priv_pipex_stat(p->tag, p->our_call_id, &c, err,
	    sizeof(err));
	if (r == -1) {
		log_debug("%s: %s", p->tag, err);
		return -1;
	}
	memset(ps, 0, sizeof(*ps));
	ps->ipackets = c.ipackets;
	ps->ierrors = c.ierrors;
	ps->ibytes = c.ibytes;
	ps->opackets = c.opackets;
	ps->oerrors = c.oerrors;
	ps->obytes = c.obytes;
	return 0;
}

static void
px_get_stats(struct offload_session *s, struct offload_stats *st)
{
	struct px_session *p = (struct px_session *)s;
	struct pipex_statistics ps;

	st->rx_idle_s = -1;
	if (!p->attached || px_counters(p, 0, &ps) == -1)
		return;
	pipex_map_stats(&ps, st);
	st->rx_idle_s = pipex_idle_update(&p->idle, ps.ipackets,
	    timer_now(p->tb));
}

static void
px_close(struct offload_session *s, struct offload_stats *final)
{
	struct px_session *p = (struct px_session *)s;
	struct pipex_statistics ps;

	if (p->attached) {
		/* The final counters come back with the delete. */
		if (px_counters(p, 1, &ps) == -1)
			log_warn("%s: pipex: PIPEXDSESSION", p->tag);
		else if (final != NULL)
			pipex_map_stats(&ps, final);
	}
	if (p->ev != NULL)
		event_free(p->ev);
	if (p->gre != NULL)
		gre_call_free(p->gre);
	if (p->sock != -1)
		close(p->sock);
	/* Closing the device removes pppxM and anything left in pipex. */
	if (p->dev_fd != -1)
		p->sys->close(p->dev_fd);
	free(p);
}

static const struct offload_engine px_engine = {
	.id = OFFLOAD_ENGINE_PIPEX,
	.name = "pipex",
	.probe = px_probe,
	.open = px_open,
	.send_frame = px_send_frame,
	.attach = px_attach,
	.mppe_reset = px_mppe_reset,
	.get_stats = px_get_stats,
	.close = px_close,
};

const struct offload_engine *
offload_os_engine(enum offload_engine_id id, const char **why)
{
	*why = NULL;
	switch (id) {
	case OFFLOAD_ENGINE_PIPEX:
		return &px_engine;
	case OFFLOAD_ENGINE_KERNEL:
		*why = "the kernel engine is Linux's; this is OpenBSD";
		return NULL;
	default:
		*why = "not a kernel engine";
		return NULL;
	}
}
