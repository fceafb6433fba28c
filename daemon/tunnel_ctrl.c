/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A tunnel's way to the server: the name resolved, TCP, and the PPTP
 * control connection with its call (pptp_ctrl.h), up to handing the call
 * to PPP and the engine.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr_policy.h"
#include "config.h"
#include "datapath.h"
#include "killswitch.h"
#include "log.h"
#include "mss.h"
#include "offload.h"
#include "ppp.h"
#include "pptp_ctrl.h"
#include "priv.h"
#include "resolve.h"
#include "route.h"
#include "script.h"
#include "session_info.h"
#include "timer.h"
#include "tun.h"
#include "tunnel.h"
#include "tunnel_local.h"
#include "tunnel_policy.h"
#include "wansock.h"

static int
ctrl_write_cb(void *arg, const uint8_t *p, size_t len)
{
	struct tunnel *t = arg;

	if (t->bev == NULL ||
	    evbuffer_get_length(bufferevent_get_output(t->bev)) + len >
	    TUNNEL_OUTQ_MAX)
		return -1;
	return bufferevent_write(t->bev, p, len) == 0 ? 0 : -1;
}

/*
 * IPCP's judge of the addresses the server assigns (addr_policy.h): the
 * tunnel's own `route` prefixes are what a /32 to the server's tunnel
 * address may stand beside.  Once per negotiation, so the list is built
 * each time from the configuration the tunnel runs.
 */
static int
tunnel_addr_check(void *arg, uint32_t addr, int peer, char *why,
    size_t whylen)
{
	struct tunnel *t = arg;
	const struct tunnel_conf *c = t->conf;
	const struct route_conf *rc;
	struct addr_prefix *owned = NULL;
	struct addr_policy ap;
	size_t n = 0;
	int rv;

	memset(&ap, 0, sizeof(ap));
	ap.server = ntohl(t->server.sin_addr.s_addr);
	ap.lookup = addr_host_lookup;
	if (c != NULL) {
		TAILQ_FOREACH(rc, &c->routes, entry)
			n++;
		if (n > 0 && (owned = calloc(n, sizeof(*owned))) == NULL) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		n = 0;
		TAILQ_FOREACH(rc, &c->routes, entry) {
			owned[n].addr = ntohl(rc->addr.s_addr);
			owned[n++].plen = rc->prefixlen;
		}
		ap.default_route = c->default_route;
		ap.ifname = c->interface;
	}
	ap.owned = owned;
	ap.nowned = n;
	rv = addr_policy_check(&ap, addr, peer ? ADDR_PEER : ADDR_LOCAL, why,
	    whylen);
	free(owned);
	return rv;
}

static void
ctrl_call_up_cb(void *arg, const struct pptp_call_info *ci)
{
	struct tunnel *t = arg;
	const struct tunnel_conf *c = t->conf;
	struct offload_call oc;
	struct ppp_config pc;
	char err[TUNNEL_ERR_MAX], *pw;
	size_t pwlen;
	unsigned int n;

	if (t->life != LIFE_DIALLING || c == NULL)
		return;
	memset(&oc, 0, sizeof(oc));
	oc.tag = t->name;
	tunnel_local(t, &oc.local);
	oc.peer = t->server.sin_addr;
	oc.our_call_id = ci->call_id;
	oc.peer_call_id = ci->peer_call_id;
	oc.our_rwin = TUNNEL_RECV_WINDOW;
	oc.peer_rwin = ci->peer_window;
	oc.ifname_want = c->interface;
	oc.reorder_pkts = c->reorder_pkts;
	oc.reorder_wait_ms = c->reorder_wait_ms;
	oc.gre_own = t->gre_fd != -1;
	oc.gre_fd = t->gre_fd;
	oc.fwmark = c->fwmark;
	oc.rdomain = c->rdomain;
	oc.iface_rdomain = c->iface_rdomain;
	t->frames_in = 0;
	if (tunnel_engine_open(t, &oc, err, sizeof(err)) == -1) {
		tunnel_end(t, 1, err);
		return;
	}
	/* pptpctl shows who carries the call from now on. */
	snprintf(t->info.engine, sizeof(t->info.engine), "%s",
	    offload_engine_name(t->engine));
	tunnel_event(t, CTL_EVENT_ENGINE, t->info.engine);
	memset(&pc, 0, sizeof(pc));
	pc.role = PPP_CLIENT;
	pc.tag = t->name;
	pc.user = c->username;
	/*
	 * Split, the engine holds a password only from here until PPP's
	 * copy is wiped (ppp_holds_password()): the parent hands it over.
	 * ppp_new() copies it and wipes its copy when freed; ours goes at
	 * once.
	 */
	if (priv_password(t->name, c->password, c->password_len, &pw, &pwlen,
	    err, sizeof(err)) == -1) {
		tunnel_end(t, 1, err);
		return;
	}
	pc.password = pw;
	pc.password_len = pwlen;
	pc.auth_allow = c->auth_allow;
	pc.mppe = tunnel_mppe_policy(c->mppe);
	pc.mppe_strengths = tunnel_mppe_strengths(c->mppe_bits);
	pc.mppe_stateful = c->mppe_stateful == CONF_MPPE_STATEFUL_PREFER ?
	    PPP_MPPE_STATEFUL_PREFER : c->mppe_stateful ==
	    CONF_MPPE_STATEFUL_ALLOW ? PPP_MPPE_STATEFUL_ALLOW : 0;
	pc.mru = (uint16_t)c->mru;
	pc.keepalive_s = c->keepalive;
	pc.keepalive_fails = c->keepalive_fail;
	pc.ccp_hook = tunnel_ppp_ccp;
	pc.addr_check = tunnel_addr_check;
	pc.ipv6 = c->ipv6;
	t->ppp = ppp_new(&pc, &tunnel_ppp_ops, t, t->env.tb);
	explicit_bzero(pw, pwlen);
	free(pw);
	if (t->ppp == NULL) {
		tunnel_end(t, 1, "PPP: out of memory");
		return;
	}
	t->ppp_done = 0;
	t->top_phase = PPP_PHASE_DEAD;
	log_info("%s: call up (call ID %u, server's %u); starting PPP",
	    t->name, ci->call_id, ci->peer_call_id);
	ppp_open(t->ppp);
	/*
	 * A kernel engine's socket is connected only now, and the kernel
	 * dropped the call's GRE until then: what overtook the OCRP (the
	 * server's first LCP Configure-Request) reached pptpcd's raw
	 * socket alone, which held it (datapath.h).  It goes in here, after
	 * our own Configure-Request and before anything the engine reads.
	 */
	if (t->engine != OFFLOAD_ENGINE_USERSPACE &&
	    (n = dp_expect_take(t->env.dp, t->server.sin_addr, ci->call_id,
	    tunnel_os_frame, t)) > 0)
		log_debug("%s: %u PPP frame(s) that came before the call "
		    "handed to PPP", t->name, n);
}

static void
ctrl_call_down_cb(void *arg, const struct pptp_ctrl_reason *r)
{
	struct tunnel *t = arg;

	/* GRE has no call to ride any more: PPP cannot say goodbye. */
	if (t->ppp != NULL && !t->ppp_done)
		ppp_lower_down(t->ppp, r->text);
	tunnel_end(t, r->why != PPTP_WHY_LOCAL, r->text);
}

void
tunnel_bev_release(struct tunnel *t)
{
	struct evbuffer *out;

	if (t->bev == NULL)
		return;
	/*
	 * Best effort for what is queued (a StopCCRP of 16 bytes, as a
	 * rule): one non-blocking write, then the socket goes.
	 */
	out = bufferevent_get_output(t->bev);
	if (evbuffer_get_length(out) > 0)
		evbuffer_write(out, bufferevent_getfd(t->bev));
	bufferevent_free(t->bev);
	t->bev = NULL;
}

static void
ctrl_closed_cb(void *arg, const struct pptp_ctrl_reason *r)
{
	struct tunnel *t = arg;

	pptp_ctrl_free(t->ctrl);	/* deferred by pptp_ctrl itself */
	t->ctrl = NULL;
	tunnel_bev_release(t);
	if (t->ppp != NULL && !t->ppp_done)
		ppp_lower_down(t->ppp, r->text);
	tunnel_end(t, r->why != PPTP_WHY_LOCAL, r->text);
}

static const struct pptp_ctrl_ops tunnel_ctrl_ops = {
	.write = ctrl_write_cb,
	.call_up = ctrl_call_up_cb,
	.call_down = ctrl_call_down_cb,
	.closed = ctrl_closed_cb,
};

static void
bev_read_cb(struct bufferevent *bev, void *arg)
{
	struct tunnel *t = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	uint8_t buf[4096];
	int n;

	/* closed() may free bev in the middle: t->ctrl tells. */
	while (t->ctrl != NULL && (n = evbuffer_remove(in, buf,
	    sizeof(buf))) > 0)
		pptp_ctrl_input(t->ctrl, buf, (size_t)n);
}

static void
bev_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct tunnel *t = arg;
	char why[128];

	(void)bev;
	if (t->ctrl == NULL)
		return;
	if (what & BEV_EVENT_CONNECTED) {
		log_debug("%s: TCP connected", t->name);
		tunnel_engine_prepare(t);
		pptp_ctrl_start(t->ctrl);
		return;
	}
	if (what & BEV_EVENT_EOF)
		snprintf(why, sizeof(why), "closed by the server");
	else
		snprintf(why, sizeof(why), "%s", evutil_socket_error_to_string(
		    EVUTIL_SOCKET_ERROR()));
	pptp_ctrl_tcp_down(t->ctrl, why);
}

static int
call_id_pick(struct tunnel *t, uint16_t *id)
{
	int i;

	/* Random (doc/users.md §2), daemon-unique for the kernel's sake. */
	for (i = 0; i < CALL_ID_TRIES; i++) {
		*id = (uint16_t)(1 + arc4random_uniform(0xffff));
		if (t->env.call_id_used == NULL ||
		    !t->env.call_id_used(t->env.arg, *id))
			return 0;
	}
	return -1;
}

void
tunnel_connect(struct tunnel *t)
{
	struct pptp_ctrl_config pc;
	char srv[INET_ADDRSTRLEN], err[TUNNEL_ERR_MAX];
	uint16_t id;
	int fd;

	inet_ntop(AF_INET, &t->server.sin_addr, srv, sizeof(srv));
	snprintf(t->info.server_addr, sizeof(t->info.server_addr), "%s", srv);
	if (call_id_pick(t, &id) == -1) {
		tunnel_end(t, 1, "no free PPTP call ID");
		return;
	}
	memset(&pc, 0, sizeof(pc));
	pc.tag = t->name;
	pc.call_id = id;
	pc.recv_window = TUNNEL_RECV_WINDOW;
	pc.connect_timeout_ms = TUNNEL_CONNECT_MS;
	if ((t->ctrl = pptp_ctrl_new(&pc, &tunnel_ctrl_ops, t, t->env.tb)) ==
	    NULL) {
		tunnel_end(t, 1, "PPTP: out of memory");
		return;
	}
	t->call_id = id;
	/* The parent pins a way only to the server we dial (priv.h). */
	if (priv_separated() && priv_server(t->name, t->server.sin_addr,
	    ntohs(t->server.sin_port), err, sizeof(err)) == -1)
		log_warnx("%s: %s", t->name, err);
	/* Before the first packet to the server: the pin, the refusals. */
	tunnel_killsw_sync(t);
	/* The server's first GRE may come before its OCRP (datapath.h). */
	(void)dp_expect(t->env.dp, t->server.sin_addr, id);
	log_info("%s: connecting to %s port %u", t->name, srv,
	    ntohs(t->server.sin_port));

	/*
	 * Marked, in its rdomain and bound to local-address before connect;
	 * a missing address fails this dial (logged) and the next tries
	 * again, as a WAN's address may come later.
	 */
	if ((fd = priv_separated() ? priv_wansock(t->name, PRIV_WANSOCK_TCP,
	    err, sizeof(err)) : wansock_tcp(t->conf->fwmark,
	    t->conf->rdomain, t->conf->local_addr, err, sizeof(err))) == -1) {
		pptp_ctrl_tcp_down(t->ctrl, err);
		return;
	}
	/* tunnel_session_down() closed the last dial's; this is a fresh one. */
	if (t->gre_fd != -1) {
		close(t->gre_fd);
		t->gre_fd = -1;
	}
	if (wansock_gre_needed(t->conf->fwmark, t->conf->rdomain) &&
	    (t->gre_fd = priv_separated() ? priv_wansock(t->name,
	    PRIV_WANSOCK_GRE, err, sizeof(err)) : wansock_gre(t->conf->fwmark,
	    t->conf->rdomain, t->conf->local_addr, err, sizeof(err))) == -1) {
		close(fd);
		pptp_ctrl_tcp_down(t->ctrl, err);
		return;
	}
	/* Deferred callbacks: none runs inside our own calls below. */
	if ((t->bev = bufferevent_socket_new(t->env.evbase, fd,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS)) == NULL) {
		close(fd);
		pptp_ctrl_tcp_down(t->ctrl, "out of memory");
		return;
	}
	bufferevent_setcb(t->bev, bev_read_cb, NULL, bev_event_cb, t);
	bufferevent_enable(t->bev, EV_READ);
	if (bufferevent_socket_connect(t->bev, (struct sockaddr *)&t->server,
	    sizeof(t->server)) == -1 && t->ctrl != NULL)
		pptp_ctrl_tcp_down(t->ctrl, strerror(errno));
}

void
tunnel_resolved(void *arg, const struct in_addr *addr, const char *error)
{
	struct tunnel *t = arg;

	t->resolving = NULL;
	if (t->life != LIFE_DIALLING)
		return;
	if (addr == NULL) {
		tunnel_end(t, 1, error);
		return;
	}
	t->server.sin_addr = *addr;
	tunnel_connect(t);
}
