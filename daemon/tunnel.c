/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * One tunnel's lifecycle (tunnel.h).
 *
 * The engines below (resolver, pptp_ctrl, the data-path engine of
 * offload.h, ppp) report through
 * callbacks, often from deep inside their own code.  Callbacks here only
 * record what happened and act on what cannot wait (a PPP link losing its
 * transport); everything that frees an engine happens in tunnel_step(),
 * from a 0 ms timer of the tunnel's own, so that no engine is freed while
 * its frame is on the stack.
 *
 * The tunnel's life is one named state at a time (enum tunnel_life):
 * idle, backoff, dialling, up, and the teardown's closing, bye-PPP and
 * bye-call.  Teardown is one ordered walk over what the tunnel holds, so
 * any end -- PPP down, the call cleared, the control connection lost,
 * TCP failing, the data path failing, a local stop -- takes the same road
 * (tunnel_step() lists the steps), and tunnel_session_down() is the one
 * place that frees the session on the host.  Each step records what it undid,
 * so a half-built session (the interface opened but a route refused)
 * unwinds exactly as far as it got.
 *
 * A tunnel keeps its own record of what it changed on the host (routes,
 * down-script path), never the configuration's: a reload may free the
 * configuration a session was built from while that session closes.
 *
 * The data path is one of offload.h's engines, chosen once per dial
 * (offload_probe(), offload_select()) and opened at call-up: from then on
 * PPP's frames travel through it whichever it is, so this file never
 * knows whether GRE runs in pptpcd or in the kernel.  A kernel engine
 * moves data PPP never sees; its receive idle time stands in for the
 * frames LCP's keepalive would otherwise count as signs of life.
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
#include "ipv6cp.h"
#include "killswitch.h"
#include "log.h"
#include "mss.h"
#include "offload.h"
#include "ppp.h"
#include "pptp_ctrl.h"
#include "resolve.h"
#include "route.h"
#include "script.h"
#include "session_info.h"
#include "timer.h"
#include "tun.h"
#include "tunnel.h"
#include "tunnel_local.h"
#include "tunnel_policy.h"

static void	tunnel_step(void *);
static void	tunnel_wait_done(void *);
static void	tunnel_dial(struct tunnel *);

void
tunnel_event(struct tunnel *t, enum ctl_event ev, const char *detail)
{
	if (t->env.notify != NULL)
		t->env.notify(t->env.arg, t->name, ev, detail);
}

void
tunnel_set_state(struct tunnel *t, enum session_state s)
{
	if (t->state == s)
		return;
	log_debug("%s: state %s -> %s", t->name, session_state_name(t->state),
	    session_state_name(s));
	t->state = s;
	tunnel_event(t, CTL_EVENT_STATE, session_state_name(s));
}

void
tunnel_kick(struct tunnel *t)
{
	timer_set(&t->step, 0);
}

int
tunnel_closing(const struct tunnel *t)
{
	return t->life == LIFE_CLOSING || t->life == LIFE_BYE_PPP ||
	    t->life == LIFE_BYE_CALL;
}

/*
 * The session ends, for why.  The first reason wins: later ones are
 * mostly echoes of it (the call cleared after PPP gave up).
 */
void
tunnel_end(struct tunnel *t, int failed, const char *why)
{
	if (tunnel_closing(t)) {
		tunnel_kick(t);
		return;
	}
	t->life = LIFE_CLOSING;
	t->failed = failed;
	snprintf(t->why, sizeof(t->why), "%s", why);
	/*
	 * Shown at once: the polite close may take seconds against a
	 * server that has stopped answering, and "closing" alone does
	 * not tell an administrator what broke.
	 */
	if (failed) {
		snprintf(t->last_error, sizeof(t->last_error), "%s", why);
		tunnel_event(t, CTL_EVENT_ERROR, why);
	}
	tunnel_set_state(t, SESSION_CLOSING);
	tunnel_kick(t);
}

void
tunnel_info_clear(struct tunnel *t)
{
	struct session_info *si = &t->info;

	si->interface[0] = '\0';
	si->local_ip[0] = '\0';
	si->peer_ip[0] = '\0';
	si->local_ip6[0] = '\0';
	si->peer_ip6[0] = '\0';
	si->dns[0][0] = '\0';
	si->dns[1][0] = '\0';
	si->dns_applied[0] = '\0';
	si->engine[0] = '\0';
	si->mppe[0] = '\0';
	si->auth[0] = '\0';
	si->mtu = 0;
	si->tcp_mss = 0;
}

/* ---- PPP ---- */

static void
ppp_send_cb(void *arg, const uint8_t *frame, size_t len)
{
	struct tunnel *t = arg;

	/* A frame the engine cannot take is lost, as on the wire: PPP
	   retransmits what matters. */
	if (t->os != NULL)
		(void)offload_send_frame(t->os, frame, len);
}

static void
ppp_phase_cb(void *arg, enum ppp_phase ph)
{
	struct tunnel *t = arg;

	if (ph <= PPP_PHASE_RUNNING && ph > t->top_phase)
		t->top_phase = ph;
	if (t->life != LIFE_DIALLING)
		return;
	switch (ph) {
	case PPP_PHASE_ESTABLISH:
		tunnel_set_state(t, SESSION_CONNECTING);
		break;
	case PPP_PHASE_AUTHENTICATE:
		tunnel_set_state(t, SESSION_AUTHENTICATING);
		break;
	case PPP_PHASE_NETWORK:
		tunnel_set_state(t, SESSION_NETWORK);
		break;
	default:
		/* Running is "up" once the host side is up, not before. */
		break;
	}
}

static void
session_up_fail(struct tunnel *t, const char *err)
{
	/* PPP is told from tunnel_step(), outside its callback. */
	tunnel_end(t, 1, err);
}

/*
 * The engine moves data PPP never sees, so LCP would count a busy link
 * whose echo replies queue behind the data (or are lost with it) as
 * silent: data the engine received and decrypted recently is a sign of
 * life too.  A kernel reports its receive idle time; an engine that does
 * not (userspace) counts only the packets it delivered, after MPPE.
 * Nothing else is: PPP itself takes only a validated Echo-Reply.
 */
static void
alive_cb(void *arg)
{
	struct tunnel *t = arg;
	struct offload_stats st;

	if (t->life != LIFE_UP || t->os == NULL || t->ppp == NULL ||
	    t->ppp_done)
		return;
	offload_get_stats(t->os, &st);
	if (tunnel_rx_recent(st.rx_idle_s, t->alive_ms) ||
	    (st.rx_idle_s < 0 && st.rx_packets > t->alive_rx))
		ppp_alive(t->ppp);
	t->alive_rx = st.rx_packets;
	timer_set(&t->alive, t->alive_ms);
}

static void
ppp_up_cb(void *arg, const struct ppp_link *l)
{
	struct tunnel *t = arg;
	const struct tunnel_conf *c = t->conf;
	struct session_info *si = &t->info;
	struct offload_attach a;
	struct route_where w;
	struct script_env env;
	char err[TUNNEL_ERR_MAX], e[IFACE_ERR_MAX], dns[40];
	int too_big;

	if (t->life != LIFE_DIALLING || c == NULL || t->os == NULL)
		return;
	t->local.s_addr = htonl(l->local_addr);
	t->peer.s_addr = htonl(l->peer_addr);
	t->dns[0].s_addr = htonl(l->dns[0]);
	t->dns[1].s_addr = htonl(l->dns[1]);
	t->mtu = tunnel_mtu(c->mtu, l->mru, l->peer_mru, l->mppe, &too_big);
	if (too_big)
		log_warnx("%s: mtu %u is more than the server accepts (MRU "
		    "%u%s); large packets will be lost", t->name, c->mtu,
		    l->peer_mru, l->mppe ? " less 4 bytes of MPPE" : "");

	/* The engine makes the interface: tun(4) here, pppN in Linux. */
	memset(&a, 0, sizeof(a));
	a.link = l;
	a.local = t->local;
	a.peer = t->peer;
	a.mtu = t->mtu;
	a.mss = c->tcp_mss_adjust ? mss_for_mtu(t->mtu) : 0;
	if (offload_attach(t->os, &a, e, sizeof(e)) == -1) {
		snprintf(err, sizeof(err), "%s engine: %s",
		    offload_engine_name(t->engine), e);
		session_up_fail(t, err);
		return;
	}
	snprintf(t->ifname, sizeof(t->ifname), "%s", a.ifname);
	/* A dial that could not arm it (no way out then) arms it now. */
	tunnel_killsw_sync(t);
	tunnel_routes_add(t);
	tunnel_route_where(c, &w);
	defroute_set_where(&t->defroute, &w);
	if (c->default_route && defroute_up(&t->defroute,
	    t->server.sin_addr, t->ifname, e, sizeof(e)) == -1) {
		/* Half a default route leaks what was meant to be inside. */
		session_up_fail(t, e);
		return;
	}
	if (l->ipv6 && tunnel_ipv6_up(t, l->ifid, l->peer_ifid, err,
	    sizeof(err)) == -1) {
		session_up_fail(t, err);
		return;
	}
	if (c->keepalive > 0) {
		t->alive_rx = 0;
		t->alive_ms = tunnel_alive_interval(c->keepalive);
		timer_set(&t->alive, t->alive_ms);
	}

	snprintf(si->interface, sizeof(si->interface), "%s", t->ifname);
	tunnel_addr_text(si->local_ip, sizeof(si->local_ip), l->local_addr);
	tunnel_addr_text(si->peer_ip, sizeof(si->peer_ip), l->peer_addr);
	if (t->ll6.added) {
		ipv6cp_ll_text(l->ifid, si->local_ip6, sizeof(si->local_ip6));
		ipv6cp_ll_text(l->peer_ifid, si->peer_ip6,
		    sizeof(si->peer_ip6));
	}
	tunnel_addr_text(si->dns[0], sizeof(si->dns[0]), l->dns[0]);
	tunnel_addr_text(si->dns[1], sizeof(si->dns[1]), l->dns[1]);
	snprintf(si->engine, sizeof(si->engine), "%s",
	    offload_session_engine(t->os)->name);
	tunnel_mppe_text(si->mppe, sizeof(si->mppe),
	    l->mppe ? l->mppe_keybits : 0, l->mppe_stateless);
	snprintf(si->auth, sizeof(si->auth), "%s", auth_method_name(l->auth));
	si->mtu = t->mtu;
	si->tcp_mss = a.mss;

	t->life = LIFE_UP;
	t->up_since_ms = timer_now(t->env.tb);
	t->reconnects = 0;
	t->last_error[0] = '\0';
	tunnel_set_state(t, SESSION_UP);
	dns[0] = '\0';
	if (si->dns[0][0] != '\0' || si->dns[1][0] != '\0')
		snprintf(dns, sizeof(dns), ", dns %s%s%s", si->dns[0],
		    si->dns[0][0] != '\0' && si->dns[1][0] != '\0' ? " " : "",
		    si->dns[1]);
	log_info("%s: up: local %s peer %s on %s%s, mtu %u, MPPE %s, "
	    "engine %s", t->name, si->local_ip, si->peer_ip, si->interface,
	    dns, t->mtu, si->mppe, si->engine);
	if (si->local_ip6[0] != '\0')
		log_info("%s: IPv6 up: local %s peer %s on %s", t->name,
		    si->local_ip6, si->peer_ip6[0] != '\0' ? si->peer_ip6 :
		    "(none named)", si->interface);
	else if (c->ipv6 && c->default_route)
		log_warnx("%s: ipv6 yes, but no IPv6 on this link: IPv6 "
		    "traffic does not go through the tunnel", t->name);

	tunnel_dns_sync(t, 1, 0);

	free(t->down_script);
	t->down_script = NULL;
	if (c->down_script != NULL &&
	    (t->down_script = strdup(c->down_script)) == NULL)
		log_warn("%s: down-script %s will not run", t->name,
		    c->down_script);
	if (c->up_script != NULL) {
		tunnel_script_env(t, &env);
		/* A failing script is the administrator's to fix: stay up. */
		if (script_start(&t->up_script, "up-script", c->up_script,
		    &env, NULL, NULL, err, sizeof(err)) == -1)
			log_warnx("%s: %s", t->name, err);
	}
}

/* The hint of doc/users.md §1: the control channel works, GRE does not. */
static void
no_gre_hint(struct tunnel *t, char *why, size_t len)
{
	size_t n;

	/* Any engine delivers what came back over GRE as PPP frames. */
	if (t->os == NULL || t->top_phase > PPP_PHASE_ESTABLISH ||
	    t->frames_in != 0)
		return;
	n = strlen(why);
	if (n < len)
		snprintf(why + n, len - n, "; no GRE packet came back from the "
		    "server (GRE, IP protocol 47, blocked by a firewall or a "
		    "NAT without a PPTP helper?)");
}

static void
ppp_down_cb(void *arg, const char *reason)
{
	struct tunnel *t = arg;
	char why[TUNNEL_ERR_MAX];

	t->ppp_done = 1;
	snprintf(why, sizeof(why), "%s", reason);
	if (!tunnel_closing(t))
		no_gre_hint(t, why, sizeof(why));
	tunnel_end(t, 1, why);
}

static void
ppp_data_cb(void *arg, uint16_t proto, const uint8_t *p, size_t len)
{
	/*
	 * Datagrams before the data path starts (the server's IPCP opened
	 * before ours): nothing could carry them yet.
	 */
	(void)arg;
	(void)proto;
	(void)p;
	(void)len;
}

static void
ppp_reset_cb(void *arg)
{
	struct tunnel *t = arg;

	if (t->os != NULL)
		offload_mppe_reset(t->os);
}

const struct ppp_ops tunnel_ppp_ops = {
	.send = ppp_send_cb,
	.phase = ppp_phase_cb,
	.up = ppp_up_cb,
	.down = ppp_down_cb,
	.data = ppp_data_cb,
	.reset_req = ppp_reset_cb,
};

/* ---- The engine ---- */

/* ---- The PPTP control connection ---- */

/* Starts a session: state connecting. */
static void
tunnel_dial(struct tunnel *t)
{
	const struct tunnel_conf *c = t->conf;
	char err[TUNNEL_ERR_MAX];

	if (c == NULL)
		return;
	timer_stop(&t->wait);
	tunnel_info_clear(t);
	t->info.server_addr[0] = '\0';
	tunnel_server_text(t->info.server, sizeof(t->info.server), c->server,
	    c->port);
	t->why[0] = '\0';
	t->failed = 0;
	t->top_phase = PPP_PHASE_DEAD;

	/* One place decides the engine, before anything is dialled. */
	offload_probe(NULL, t->why_not, t->why_bufs);
	/*
	 * pipex encrypts only IPv4 (pipex_ppp_output() hands PPP_IPV6 to
	 * the wire as it is, MPPE or not): IPv6 would leave in clear text
	 * beside MPPE, and pptpcd cannot carry it instead without a second
	 * MPPE sender on the same keys (doc/pipex.md §3.7).
	 */
	if (c->ipv6 && c->mppe != CONF_MPPE_OFF &&
	    t->why_not[OFFLOAD_ENGINE_PIPEX] == NULL) {
		snprintf(t->why_bufs[OFFLOAD_ENGINE_PIPEX], OFFLOAD_WHY_MAX,
		    "pipex sends IPv6 without MPPE; ipv6 yes needs another "
		    "engine");
		t->why_not[OFFLOAD_ENGINE_PIPEX] =
		    t->why_bufs[OFFLOAD_ENGINE_PIPEX];
	}
	if (tunnel_engine_select(t, err, sizeof(err)) == -1) {
		/* Redialling cannot change the system: idle until a reload. */
		log_warnx("%s: %s", t->name, err);
		snprintf(t->last_error, sizeof(t->last_error), "%s", err);
		t->life = LIFE_IDLE;
		tunnel_set_state(t, SESSION_IDLE);
		return;
	}
	t->life = LIFE_DIALLING;
	tunnel_set_state(t, SESSION_CONNECTING);

	memset(&t->server, 0, sizeof(t->server));
	t->server.sin_family = AF_INET;
	t->server.sin_port = htons(c->port);
	if (inet_pton(AF_INET, c->server, &t->server.sin_addr) == 1) {
		tunnel_connect(t);
		return;
	}
	log_debug("%s: resolving %s", t->name, c->server);
	if ((t->resolving = resolve_start(t->env.res, c->server,
	    tunnel_resolved, t, err, sizeof(err))) == NULL)
		tunnel_end(t, 1, err);
}

/* ---- Teardown ---- */

/*
 * Outside a session a tunnel holds nothing the teardown did not give
 * back, but a script may still be running: it may go only then.
 */
static int
may_go(const struct tunnel *t)
{
	return t->life == LIFE_IDLE && !script_running(&t->up_script) &&
	    !script_running(&t->down_script_run);
}

/* Step 4: what comes after a session. */
static void
tunnel_after(struct tunnel *t)
{
	unsigned int ms;
	int auth_failed;

	if (t->call_id != -1)
		dp_expect_cancel(t->env.dp, t->server.sin_addr,
		    (uint16_t)t->call_id);
	t->call_id = -1;
	/* A fresh failure after a long session starts over. */
	if (t->failed && t->last_uptime_ms >= BACKOFF_STABLE_MS)
		backoff_reset(&t->backoff);
	t->last_uptime_ms = 0;
	if (t->conf == NULL || t->admin_down) {
		log_info("%s: closed", t->name);
		t->life = LIFE_IDLE;
		tunnel_set_state(t, SESSION_IDLE);
		return;
	}
	if (t->redial) {
		t->redial = 0;
		backoff_reset(&t->backoff);
		tunnel_dial(t);
		return;
	}
	if (!t->conf->reconnect) {
		log_warnx("%s: %s; not reconnecting (reconnect no)", t->name,
		    t->why);
		t->life = LIFE_IDLE;
		tunnel_set_state(t, SESSION_IDLE);
		return;
	}
	auth_failed = t->failed && t->top_phase == PPP_PHASE_AUTHENTICATE;
	ms = backoff_next(&t->backoff, auth_failed, arc4random());
	t->reconnects++;
	t->next_attempt_ms = timer_now(t->env.tb) + ms;
	log_warnx("%s: %s; next attempt in %u s", t->name,
	    t->why[0] != '\0' ? t->why : "closed", (ms + 500) / 1000);
	t->life = LIFE_BACKOFF;
	tunnel_set_state(t, SESSION_BACKOFF);
	timer_set(&t->wait, ms);
}

/* Teardown steps 3 and 4: TCP went, or was never there. */
static void
bye_done(struct tunnel *t)
{
	tunnel_bev_release(t);
	tunnel_after(t);
}

/* Teardown steps 2 and 3: the host side, then the call. */
static void
bye_host(struct tunnel *t)
{
	tunnel_session_down(t, 1);
	if (t->ctrl != NULL) {
		t->life = LIFE_BYE_CALL;
		pptp_ctrl_close(t->ctrl);
		if (t->ctrl != NULL)
			return;			/* ctrl_closed_cb() kicks */
	}
	bye_done(t);
}

/*
 * The deferred work of a tunnel, from its own 0 ms timer so that no
 * engine is freed while its callback is on the stack.  A teardown walks
 * the session back in this order, whatever ended it (PPP down, the call
 * cleared, the control connection lost, TCP failing, the data path
 * failing, a local stop), waiting in a state of its own where the
 * network must answer first:
 *   1. PPP: LCP Terminate-Request while GRE and the call still carry it
 *      (LIFE_BYE_PPP), or at once when the transport is gone;
 *   2. the session on the host: down-script, default route, routes, PPP,
 *      and the engine with its interface and the GRE call
 *      (tunnel_session_down());
 *   3. PPTP: Call-Clear-Request, then Stop-Control-Connection-Request
 *      while the control connection works (LIFE_BYE_CALL), then TCP;
 *   4. backoff, a redial, or idle (tunnel_after()).
 */
static void
tunnel_step(void *arg)
{
	struct tunnel *t = arg;

	switch (t->life) {
	case LIFE_IDLE:
		break;
	case LIFE_BACKOFF:
	case LIFE_DIALLING:
	case LIFE_UP:
		return;
	case LIFE_CLOSING:
		if (t->resolving != NULL) {
			resolve_cancel(t->resolving);
			t->resolving = NULL;
		}
		/* 1. PPP says goodbye while GRE and the call can carry it. */
		if (t->ppp != NULL && !t->ppp_done) {
			if (t->ctrl != NULL && pptp_ctrl_state(t->ctrl) ==
			    PPTP_CTRL_CALL_ESTABLISHED && t->os != NULL) {
				t->life = LIFE_BYE_PPP;
				ppp_close(t->ppp, t->why);
				return;		/* ppp_down_cb() kicks */
			}
			ppp_lower_down(t->ppp, t->why);
		}
		bye_host(t);
		break;
	case LIFE_BYE_PPP:
		if (t->ppp != NULL && !t->ppp_done)
			return;			/* still saying goodbye */
		bye_host(t);
		break;
	case LIFE_BYE_CALL:
		if (t->ctrl != NULL)
			return;			/* ctrl_closed_cb() kicks */
		bye_done(t);
		break;
	}
	if (may_go(t) && t->env.idle != NULL)
		t->env.idle(t->env.arg, t);	/* may free t */
}

static void
tunnel_wait_done(void *arg)
{
	struct tunnel *t = arg;

	if (t->life == LIFE_BACKOFF)
		tunnel_dial(t);
}

/* ---- The API ---- */

struct tunnel *
tunnel_new(const struct tunnel_env *env, const struct tunnel_conf *conf)
{
	struct tunnel *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->env = *env;
	t->conf = conf;
	snprintf(t->name, sizeof(t->name), "%s", conf->name);
	t->state = SESSION_IDLE;
	t->call_id = -1;
	t->gre_fd = -1;
	t->engine = OFFLOAD_ENGINE_USERSPACE;
	backoff_init(&t->backoff, conf->reconnect_first, conf->reconnect_max);
	defroute_init(&t->defroute, t->name);
	killsw_init(&t->killsw, t->name);
	script_init(&t->up_script, env->tb, t->name);
	script_init(&t->down_script_run, env->tb, t->name);
	timer_init(&t->step, env->tb, tunnel_step, t);
	timer_init(&t->wait, env->tb, tunnel_wait_done, t);
	timer_init(&t->alive, env->tb, alive_cb, t);
	snprintf(t->info.name, sizeof(t->info.name), "%s", t->name);
	tunnel_server_text(t->info.server, sizeof(t->info.server),
	    conf->server, conf->port);
	return t;
}

void
tunnel_free(struct tunnel *t)
{
	char err[TUNNEL_ERR_MAX];

	if (t == NULL)
		return;
	timer_free(&t->step);
	timer_free(&t->wait);
	timer_free(&t->alive);
	if (t->resolving != NULL)
		resolve_cancel(t->resolving);
	/* No goodbyes: ppp_free() and pptp_ctrl_free() call nobody. */
	tunnel_session_down(t, 0);
	/* Removed from the configuration, or pptpcd stops: only now. */
	if (killsw_disarm(&t->killsw, err, sizeof(err)) == -1)
		log_warnx("%s: %s", t->name, err);
	if (t->ctrl != NULL)
		pptp_ctrl_free(t->ctrl);
	tunnel_bev_release(t);
	script_free(&t->up_script);
	script_free(&t->down_script_run);
	free(t->down_script);
	free(t);
}

int
tunnel_start(struct tunnel *t, char *msg, size_t msglen)
{
	if (t->conf == NULL) {
		snprintf(msg, msglen, "%s is being removed", t->name);
		return -1;
	}
	t->admin_down = 0;
	switch (t->life) {
	case LIFE_IDLE:
	case LIFE_BACKOFF:
		backoff_reset(&t->backoff);
		tunnel_dial(t);
		if (t->life == LIFE_IDLE) {
			snprintf(msg, msglen, "%s", t->last_error);
			return -1;
		}
		return 0;
	case LIFE_DIALLING:
		snprintf(msg, msglen, "%s is connecting already", t->name);
		return 0;
	case LIFE_UP:
		snprintf(msg, msglen, "%s is up already", t->name);
		return 0;
	case LIFE_CLOSING:
	case LIFE_BYE_PPP:
	case LIFE_BYE_CALL:
		break;
	}
	t->redial = 1;
	snprintf(msg, msglen, "%s will redial once closed", t->name);
	return 0;
}

void
tunnel_stop(struct tunnel *t, const char *why)
{
	t->admin_down = 1;
	t->redial = 0;
	timer_stop(&t->wait);
	if (tunnel_closing(t))
		return;
	if (t->life == LIFE_IDLE || t->life == LIFE_BACKOFF) {
		if (t->life == LIFE_BACKOFF)
			log_info("%s: %s; not redialling", t->name, why);
		t->life = LIFE_IDLE;
		tunnel_set_state(t, SESSION_IDLE);
		tunnel_kick(t);	/* env->idle, from the tunnel's own timer */
		return;
	}
	log_info("%s: closing: %s", t->name, why);
	tunnel_end(t, 0, why);
}

void
tunnel_set_conf(struct tunnel *t, const struct tunnel_conf *conf)
{
	int was_down;

	if (conf == NULL) {
		t->conf = NULL;
		tunnel_stop(t, "removed from the configuration");
		return;
	}
	if (t->conf != NULL && tunnel_conf_equal(t->conf, conf)) {
		int dns_same = tunnel_conf_dns_equal(t->conf, conf);

		t->conf = conf;
		/* DNS alone changed: the session stays, the host follows. */
		if (!dns_same)
			tunnel_dns_sync(t, t->life == LIFE_UP, 1);
		return;
	}
	was_down = t->admin_down;
	t->conf = conf;
	/*
	 * Now, even for a tunnel that stays idle: "kill-switch no" lifts
	 * it, and the prefixes it refuses follow the route lines.
	 */
	if (!conf->kill_switch || killsw_armed(&t->killsw))
		tunnel_killsw_sync(t);
	backoff_init(&t->backoff, conf->reconnect_first, conf->reconnect_max);
	tunnel_server_text(t->info.server, sizeof(t->info.server),
	    conf->server, conf->port);
	if (was_down)
		return;
	log_info("%s: configuration changed", t->name);
	if (t->life == LIFE_IDLE || t->life == LIFE_BACKOFF) {
		t->last_error[0] = '\0';
		tunnel_dial(t);
		return;
	}
	t->redial = 1;
	tunnel_end(t, 0, "configuration changed");
}

int
tunnel_is_idle(const struct tunnel *t)
{
	return may_go(t);
}

const char *
tunnel_name(const struct tunnel *t)
{
	return t->name;
}

int
tunnel_call_id(const struct tunnel *t)
{
	return t->call_id;
}

void
tunnel_info(const struct tunnel *t, struct session_info *si)
{
	struct ppp_echo_stats es;
	struct offload_stats st;
	uint64_t now = timer_now(t->env.tb);

	*si = t->info;
	si->state = t->state;
	si->reconnects = t->reconnects;
	si->next_attempt_s = 0;
	if (t->state == SESSION_BACKOFF && t->next_attempt_ms > now)
		si->next_attempt_s = (t->next_attempt_ms - now + 999) / 1000;
	/* pptpctl gets the start of a long message; the log has it all. */
	snprintf(si->last_error, sizeof(si->last_error), "%.*s",
	    (int)sizeof(si->last_error) - 1, t->last_error);
	if (t->os != NULL)
		offload_get_stats(t->os, &st);
	tunnel_info_live(si, t->os != NULL ? &st : NULL, t->up_since_ms,
	    now);
	si->kill_switch[0] = '\0';
	if (killsw_armed(&t->killsw))
		snprintf(si->kill_switch, sizeof(si->kill_switch), "armed");
	else if (t->conf != NULL && t->conf->kill_switch)
		snprintf(si->kill_switch, sizeof(si->kill_switch), "waiting");
	si->lcp_echo_rtt_ms = SESSION_UNKNOWN;
	si->lcp_echoes_missed = SESSION_UNKNOWN;
	if (t->ppp != NULL) {
		ppp_echo_stats(t->ppp, &es);
		if (es.rtt_ms >= 0)
			si->lcp_echo_rtt_ms = (uint64_t)es.rtt_ms;
		si->lcp_echoes_missed = es.missed;
	}
}

void
tunnel_script_done(struct tunnel *t, int up, int status)
{
	script_remote_done(up ? &t->up_script : &t->down_script_run, status);
	if (t->life == LIFE_IDLE)
		tunnel_kick(t);
}

void
tunnel_reap(struct tunnel *t)
{
	int n;

	n = script_reap(&t->up_script);
	n += script_reap(&t->down_script_run);
	/* The last script of an idle tunnel: it may be let go now. */
	if (n > 0 && t->life == LIFE_IDLE)
		tunnel_kick(t);
}
