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
 * Built only on OpenBSD; it cannot be compiled on the Linux hosts the
 * project is developed on, so keep it simple and keep the logic that can
 * be tested in pipex_map.c.
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
#include "pipex_map.h"
#include "ppp.h"
#include "priv.h"
#include "timer.h"
#include "tun.h"

#define PX_DEV_FMT	"/dev/pppx%d"
#define PX_UNITS	8	/* pppx0..7: npppd usually holds pppx0 */
#define PX_PKT_MAX	(20 + 60 + GRE_HDR_MAX + 4096)	/* IP + GRE + PPP */

struct px_session {
	struct offload_session	 base;	/* first: offload.c casts */
	const struct offload_sys *sys;
	const struct offload_ops *ops;
	void			*arg;
	char			 tag[GRE_TAG_MAX];
	int			 dev_fd;	/* /dev/pppxN */
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

static int
sys_open(const char *path, int flags)
{
	return open(path, flags);
}

static int
sys_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg);
}

static int
sys_sysctl(const int *mib, unsigned int miblen, void *old, size_t *oldlen)
{
	return sysctl(mib, miblen, old, oldlen, NULL, 0);
}

static const struct offload_sys real_sys = {
	.open = sys_open,
	.socket = socket,
	.ioctl = sys_ioctl,
	.close = close,
	.sysctl = sys_sysctl,
	.bind = bind,
	.connect = connect,
	.read = read,
	.write = write,
};

static const struct offload_sys *
px_sys(const struct offload_sys *sys)
{
	return sys != NULL ? sys : &real_sys;
}

/* Reads an int sysctl; -1 with errno if the node does not exist. */
static int
sysctl_int(const struct offload_sys *sys, const int *mib, unsigned int n,
    int *val)
{
	size_t len = sizeof(*val);

	return sys->sysctl(mib, n, val, &len);
}

/*
 * Opens the first free pppx(4) device; each minor opens only once
 * (EBUSY), MAKEDEV makes only the first few (ENOENT), and a kernel
 * without pseudo-device pppx has the nodes but no driver (ENXIO).
 */
static int
open_pppx(const struct offload_sys *sys, char *why, size_t len)
{
	char path[32];
	int fd, i, busy = 0, nodrv = 0, e = 0;

	for (i = 0; i < PX_UNITS; i++) {
		snprintf(path, sizeof(path), PX_DEV_FMT, i);
		if ((fd = sys->open(path, O_RDWR | O_CLOEXEC)) != -1)
			return fd;
		if (errno == EBUSY)
			busy++;
		else if (errno == ENXIO)
			nodrv++;
		else if (errno != ENOENT && e == 0)
			e = errno;
	}
	if (e != 0)
		snprintf(why, len, "/dev/pppx: %s", strerror(e));
	else if (busy > 0)
		snprintf(why, len, "every /dev/pppxN there is (%d) is in use",
		    busy);
	else if (nodrv > 0)
		snprintf(why, len, "the kernel has no pppx(4) "
		    "(pseudo-device pppx)");
	else
		snprintf(why, len, "no pppx(4) device (/dev/pppx0 is "
		    "missing: cd /dev && sh MAKEDEV pppx)");
	return -1;
}

static int
px_probe(const struct offload_sys *sys, char *why, size_t len)
{
	static const int pipex_mib[] = { CTL_NET, PF_PIPEX, PIPEXCTL_ENABLE };
	static const int gre_mib[] = { CTL_NET, PF_INET, IPPROTO_GRE,
	    GRECTL_ALLOW };
	int v, fd;

	/*
	 * Not from the sandboxed engine: sysctl net.pipex.* and
	 * net.inet.gre.* are outside every pledge(2) promise
	 * (pledge_sysctl() kills the caller, kern_pledge.c rev. 1.304 to
	 * 1.333), and so are the pipex ioctls, IP_PIPEX and opening
	 * /dev/pppxN.  Until the parent does them, pipex is pptpcd -S's.
	 */
	if (sys == NULL && priv_separated()) {
		snprintf(why, len, "pipex needs root, and the engine runs "
		    "without it (privilege separation); pptpcd -S runs "
		    "pipex");
		return -1;
	}
	sys = px_sys(sys);
	if (sysctl_int(sys, pipex_mib, 3, &v) == -1) {
		snprintf(why, len, "the kernel has no pipex (net.pipex: %s; "
		    "it needs option PIPEX)", strerror(errno));
		return -1;
	}
	if (v == 0) {
		snprintf(why, len, "pipex is disabled: set sysctl "
		    "net.pipex.enable=1");
		return -1;
	}
	if (sysctl_int(sys, gre_mib, 4, &v) == -1 || v == 0) {
		/* With gre.allow=0 every GRE packet bypasses pipex. */
		snprintf(why, len, "GRE is not allowed: set sysctl "
		    "net.inet.gre.allow=1");
		return -1;
	}
	if ((fd = open_pppx(sys, why, len)) == -1)
		return -1;
	sys->close(fd);
	if (len > 0)
		why[0] = '\0';
	return 0;
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
	struct sockaddr_in sin;
	struct px_session *p;
	int one = 1;

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
	p->sys = px_sys(env->sys);
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

	/* Held from call-up: closing it would destroy the session. */
	if ((p->dev_fd = open_pppx(p->sys, err, errlen)) == -1)
		goto fail;
	if ((p->sock = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, IPPROTO_GRE)) == -1) {
		snprintf(err, errlen, "pipex engine: raw GRE socket: %s "
		    "(pptpcd needs root)", strerror(errno));
		goto fail;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_addr = call->local;
	if (bind(p->sock, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		snprintf(err, errlen, "pipex engine: bind GRE socket: %s",
		    strerror(errno));
		goto fail;
	}
	if (setsockopt(p->sock, IPPROTO_IP, IP_PIPEX, &one,
	    sizeof(one)) == -1) {
		snprintf(err, errlen, "pipex engine: IP_PIPEX: %s",
		    strerror(errno));
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

/*
 * pppxM is not named by PIPEXASESSION (doc/pipex.md §3.5): find the
 * point-to-point interface with our addresses.
 */
static int
find_pppx(struct in_addr local, struct in_addr peer, char *name,
    size_t len)
{
	struct ifaddrs *ifa0, *ifa;
	const struct sockaddr_in *a, *d;
	int found = -1;

	if (getifaddrs(&ifa0) == -1)
		return -1;
	for (ifa = ifa0; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL || ifa->ifa_dstaddr == NULL ||
		    ifa->ifa_addr->sa_family != AF_INET ||
		    strncmp(ifa->ifa_name, "pppx", 4) != 0)
			continue;
		a = (const struct sockaddr_in *)ifa->ifa_addr;
		d = (const struct sockaddr_in *)ifa->ifa_dstaddr;
		if (a->sin_addr.s_addr == local.s_addr &&
		    d->sin_addr.s_addr == peer.s_addr) {
			snprintf(name, len, "%s", ifa->ifa_name);
			found = 0;
			break;
		}
	}
	freeifaddrs(ifa0);
	return found;
}

static int
px_attach(struct offload_session *s, struct offload_attach *a, char *err,
    size_t errlen)
{
	struct px_session *p = (struct px_session *)s;
	struct pipex_session_req req;
	struct pipex_session_descr_req dr;
	struct pipex_map_in in;
	int e;

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
	if (pipex_map_session(&in, &req, err, errlen) == -1)
		return -1;
	if (p->sys->ioctl(p->dev_fd, PIPEXASESSION, &req) == -1) {
		e = errno;
		explicit_bzero(&req, sizeof(req));
		if (e == EEXIST)
			snprintf(err, errlen, "pipex: PIPEXASESSION: call ID "
			    "%u is in use by another pipex session (npppd?)",
			    p->our_call_id);
		else
			snprintf(err, errlen, "pipex: PIPEXASESSION: %s",
			    strerror(e));
		return -1;
	}
	p->peer_mru = req.pr_peer_mru;
	explicit_bzero(&req, sizeof(req));
	p->attached = 1;
	pipex_idle_init(&p->idle, timer_now(p->tb));

	pipex_map_descr_req(p->our_call_id, p->tag, &dr);
	if (p->sys->ioctl(p->dev_fd, PIPEXSIFDESCR, &dr) == -1)
		log_warn("%s: pipex: PIPEXSIFDESCR", p->tag);
	if (find_pppx(a->local, a->peer, p->ifname, sizeof(p->ifname)) ==
	    -1) {
		snprintf(err, errlen, "pipex: the pppx interface of the "
		    "session was not found");
		return -1;
	}
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
	if (a->mtu != p->peer_mru &&
	    iface_set_mtu(p->ifname, a->mtu, err, errlen) == -1)
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

static void
px_get_stats(struct offload_session *s, struct offload_stats *st)
{
	struct px_session *p = (struct px_session *)s;
	struct pipex_session_stat_req sr;

	st->rx_idle_s = -1;
	if (!p->attached)
		return;
	pipex_map_stat_req(p->our_call_id, &sr);
	if (p->sys->ioctl(p->dev_fd, PIPEXGSTAT, &sr) == -1)
		return;
	pipex_map_stats(&sr.psr_stat, st);
	st->rx_idle_s = pipex_idle_update(&p->idle, sr.psr_stat.ipackets,
	    timer_now(p->tb));
}

static void
px_close(struct offload_session *s, struct offload_stats *final)
{
	struct px_session *p = (struct px_session *)s;
	struct pipex_session_close_req cr;

	if (p->attached) {
		/* The final counters come back with the delete. */
		pipex_map_close_req(p->our_call_id, &cr);
		if (p->sys->ioctl(p->dev_fd, PIPEXDSESSION, &cr) == -1)
			log_warn("%s: pipex: PIPEXDSESSION", p->tag);
		else if (final != NULL)
			pipex_map_stats(&cr.pcr_stat, final);
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
