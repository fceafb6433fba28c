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
 * (tunnel_step() lists the steps), and session_down() is the one place
 * that frees the session on the host.  Each step records what it undid,
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
#include "tunnel_policy.h"

#include "datapath.h"
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

#define TUNNEL_ERR_MAX		256
#define TUNNEL_RECV_WINDOW	64	/* GRE receive window we announce */
/*
 * A SYN unanswered for 20 s (the kernel retries after 1, 3, 7 and 15 s)
 * will not be answered; the RFC's 60 s only delays the redial.
 */
#define TUNNEL_CONNECT_MS	20000
#define TUNNEL_OUTQ_MAX		(64 * 1024)	/* control messages are small */
#define CALL_ID_TRIES		128

/*
 * A tunnel's life, one state at a time.  Dialling builds a session in
 * the order the protocols go (the server's name, TCP and the PPTP
 * control connection, the call, PPP, then the host side at LIFE_UP);
 * teardown undoes it in the order tunnel_step() documents, with one
 * state for each step that waits for the network.  Outside a session
 * (LIFE_IDLE, LIFE_BACKOFF) the tunnel holds nothing but, possibly, a
 * down-script still running.  What people see (enum session_state) is
 * set alongside: it also tells PPP's phases apart while dialling.
 */
enum tunnel_life {
	LIFE_IDLE,		/* not dialling; stopped or given up */
	LIFE_BACKOFF,		/* t->wait dials again */
	LIFE_DIALLING,		/* name, TCP, PPTP, the call, PPP */
	LIFE_UP,		/* the session is up on the host */
	LIFE_CLOSING,		/* ending: tunnel_step() takes step 1 */
	LIFE_BYE_PPP,		/* 1. LCP Terminate-Request sent; waits for
				   ppp_down_cb() */
	LIFE_BYE_CALL,		/* 3. Call-Clear and Stop-Control-
				   Connection-Request sent; waits for
				   ctrl_closed_cb() */
};

struct tunnel_route {
	struct route_spec	 r;
	int			 added;
};

struct tunnel {
	struct tunnel_env	 env;
	const struct tunnel_conf *conf;		/* NULL: removed by a reload */
	char			 name[TUNNEL_NAME_MAX + 1];
	enum tunnel_life	 life;
	enum session_state	 state;		/* for people: pptpctl, monitor */

	/* What the end of a teardown leads to (tunnel_after()). */
	int			 admin_down;	/* stopped: idle until started */
	int			 failed;	/* this teardown is a failure */
	int			 redial;	/* after teardown, dial at once */
	char			 why[TUNNEL_ERR_MAX];	/* why it ends */
	char			 last_error[TUNNEL_ERR_MAX];
	struct backoff		 backoff;
	unsigned int		 reconnects;	/* attempts since the last up */
	uint64_t		 next_attempt_ms;
	struct timer		 step;		/* deferred work, 0 ms */
	struct timer		 wait;		/* backoff */

	/* The connection. */
	struct resolve_req	*resolving;
	struct sockaddr_in	 server;
	struct bufferevent	*bev;
	struct pptp_ctrl	*ctrl;
	int			 call_id;	/* -1: none held */
	struct offload_prep	*prep;		/* the engine's, TCP up to
						   call-up; NULL if none */
	struct offload_session	*os;		/* the engine, from call-up */
	uint64_t		 frames_in;	/* PPP frames it delivered */
	struct ppp		*ppp;
	int			 ppp_done;	/* ops->down came */
	enum ppp_phase		 top_phase;	/* furthest phase reached */

	/* The engine of this dial, and why the others were not taken. */
	enum offload_engine_id	 engine;
	const char		*why_not[OFFLOAD_ENGINE_COUNT];
	char			 why_bufs[OFFLOAD_ENGINE_COUNT][OFFLOAD_WHY_MAX];
	struct timer		 alive;		/* engine data as life */
	unsigned int		 alive_ms;
	uint64_t		 alive_rx;	/* rx_packets at the last look */

	/* The session on the host. */
	char			 ifname[OFFLOAD_IFNAME_MAX]; /* "" if none */
	struct in_addr		 local, peer;
	struct tunnel_route	*routes;
	size_t			 nroutes;
	struct defroute		 defroute;
	struct killsw		 killsw;	/* from dial to removal */
	uint64_t		 up_since_ms;	/* 0: the host side is not up */
	uint64_t		 last_uptime_ms;
	unsigned int		 mtu;
	struct in_addr		 dns[2];
	char			 down_script[PATH_MAX];	/* "" for none */
	struct script		 up_script;
	struct script		 down_script_run;

	struct session_info	 info;		/* the parts that keep still */
};

static void	tunnel_step(void *);
static void	tunnel_wait_done(void *);
static void	tunnel_dial(struct tunnel *);

static void
notify(struct tunnel *t, enum ctl_event ev, const char *detail)
{
	if (t->env.notify != NULL)
		t->env.notify(t->env.arg, t->name, ev, detail);
}

static void
set_state(struct tunnel *t, enum session_state s)
{
	if (t->state == s)
		return;
	log_debug("%s: state %s -> %s", t->name, session_state_name(t->state),
	    session_state_name(s));
	t->state = s;
	notify(t, CTL_EVENT_STATE, session_state_name(s));
}

static void
kick(struct tunnel *t)
{
	timer_set(&t->step, 0);
}

static int
closing(const struct tunnel *t)
{
	return t->life == LIFE_CLOSING || t->life == LIFE_BYE_PPP ||
	    t->life == LIFE_BYE_CALL;
}

/*
 * The session ends, for why.  The first reason wins: later ones are
 * mostly echoes of it (the call cleared after PPP gave up).
 */
static void
tunnel_end(struct tunnel *t, int failed, const char *why)
{
	if (closing(t)) {
		kick(t);
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
		notify(t, CTL_EVENT_ERROR, why);
	}
	set_state(t, SESSION_CLOSING);
	kick(t);
}

static void
info_clear_session(struct tunnel *t)
{
	struct session_info *si = &t->info;

	si->interface[0] = '\0';
	si->local_ip[0] = '\0';
	si->peer_ip[0] = '\0';
	si->dns[0][0] = '\0';
	si->dns[1][0] = '\0';
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
		set_state(t, SESSION_CONNECTING);
		break;
	case PPP_PHASE_AUTHENTICATE:
		set_state(t, SESSION_AUTHENTICATING);
		break;
	case PPP_PHASE_NETWORK:
		set_state(t, SESSION_NETWORK);
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

/* Routes from the configuration, through the interface. */
static void
routes_add(struct tunnel *t)
{
	const struct route_conf *rc;
	char err[ROUTE_ERR_MAX];
	size_t n = 0;

	TAILQ_FOREACH(rc, &t->conf->routes, entry)
		n++;
	if (n == 0)
		return;
	if ((t->routes = calloc(n, sizeof(*t->routes))) == NULL) {
		log_warnx("%s: routes: out of memory; none added", t->name);
		return;
	}
	TAILQ_FOREACH(rc, &t->conf->routes, entry) {
		struct tunnel_route *tr = &t->routes[t->nroutes++];

		route_init(&tr->r, rc->addr, rc->prefixlen, t->ifname);
		/*
		 * A route that cannot be added is logged, not fatal: the
		 * others still work, and a gateway that redialled forever
		 * over one clashing route would carry nothing at all.
		 */
		if (route_add(&tr->r, err, sizeof(err)) == 0)
			tr->added = 1;
		else
			log_warnx("%s: %s", t->name, err);
	}
}

static void
routes_delete(struct tunnel *t)
{
	char err[ROUTE_ERR_MAX];
	size_t i;

	for (i = t->nroutes; i-- > 0;) {
		if (!t->routes[i].added)
			continue;
		/* Gone with the interface, or by another hand: fine. */
		if (route_delete(&t->routes[i].r, err, sizeof(err)) == -1 &&
		    errno != ESRCH && errno != ENODEV)
			log_warnx("%s: %s", t->name, err);
	}
	free(t->routes);
	t->routes = NULL;
	t->nroutes = 0;
}

/*
 * The kill switch follows the configuration: armed for what the tunnel
 * carries now, disarmed when "kill-switch no".  Called with the server's
 * address known, before the session's own routes go in (killswitch.h).
 */
static void
killsw_sync(struct tunnel *t)
{
	const struct tunnel_conf *c = t->conf;
	const struct route_conf *rc;
	struct killsw_net *nets;
	char err[TUNNEL_ERR_MAX];
	size_t n = 0;

	if (c == NULL)
		return;		/* removed: held until tunnel_free() */
	if (!c->kill_switch) {
		if (killsw_disarm(&t->killsw, err, sizeof(err)) == -1)
			log_warnx("%s: %s", t->name, err);
		return;
	}
	TAILQ_FOREACH(rc, &c->routes, entry)
		n++;
	if ((nets = calloc(n + 2, sizeof(*nets))) == NULL) {
		log_warnx("%s: kill switch: out of memory", t->name);
		return;
	}
	n = 0;
	if (c->default_route) {
		nets[n].dst.s_addr = htonl(0x00000000);
		nets[n++].plen = 1;
		nets[n].dst.s_addr = htonl(0x80000000);
		nets[n++].plen = 1;
	}
	TAILQ_FOREACH(rc, &c->routes, entry) {
		nets[n].dst = rc->addr;
		nets[n++].plen = rc->prefixlen;
	}
	/*
	 * Logged by killsw_arm(), not fatal: refusing to dial would not
	 * close anything more, and a session puts the traffic inside.
	 */
	(void)killsw_arm(&t->killsw, t->server.sin_addr, nets, n, err,
	    sizeof(err));
	free(nets);
}

static void
script_env_fill(struct tunnel *t, struct script_env *e)
{
	memset(e, 0, sizeof(*e));
	e->tunnel = t->name;
	e->interface = t->ifname;
	e->local = t->local;
	e->peer = t->peer;
	e->dns1 = t->dns[0];
	e->dns2 = t->dns[1];
	e->mtu = t->mtu;
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
	killsw_sync(t);
	routes_add(t);
	if (c->default_route && defroute_up(&t->defroute,
	    t->server.sin_addr, t->ifname, e, sizeof(e)) == -1) {
		/* Half a default route leaks what was meant to be inside. */
		session_up_fail(t, e);
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
	set_state(t, SESSION_UP);
	dns[0] = '\0';
	if (si->dns[0][0] != '\0' || si->dns[1][0] != '\0')
		snprintf(dns, sizeof(dns), ", dns %s%s%s", si->dns[0],
		    si->dns[0][0] != '\0' && si->dns[1][0] != '\0' ? " " : "",
		    si->dns[1]);
	log_info("%s: up: local %s peer %s on %s%s, mtu %u, MPPE %s, "
	    "engine %s", t->name, si->local_ip, si->peer_ip, si->interface,
	    dns, t->mtu, si->mppe, si->engine);

	snprintf(t->down_script, sizeof(t->down_script), "%s",
	    c->down_script != NULL ? c->down_script : "");
	if (c->up_script != NULL) {
		script_env_fill(t, &env);
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
	if (!closing(t))
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

/* CCP's moments go to the engine: the Linux kernel follows CCP itself. */
static int
ppp_ccp_cb(void *arg, enum ccp_moment m, const struct ppp_mppe_keys *k,
    char *err, size_t errlen)
{
	struct tunnel *t = arg;
	struct offload_mppe om;
	enum offload_ccp_event ev;
	int rc;

	if (t->os == NULL)
		return 0;
	switch (m) {
	case CCP_MOMENT_OPEN:
		ev = OFFLOAD_CCP_OPEN;
		break;
	case CCP_MOMENT_ACK:
		ev = OFFLOAD_CCP_ACK;
		break;
	case CCP_MOMENT_UP:
		ev = OFFLOAD_CCP_UP;
		break;
	case CCP_MOMENT_DOWN:
		ev = OFFLOAD_CCP_DOWN;
		break;
	case CCP_MOMENT_CLOSED:
		ev = OFFLOAD_CCP_CLOSED;
		break;
	default:
		snprintf(err, errlen, "CCP moment %d unknown", (int)m);
		return -1;
	}
	memset(&om, 0, sizeof(om));
	memcpy(om.send_key, k->send_key, sizeof(om.send_key));
	memcpy(om.recv_key, k->recv_key, sizeof(om.recv_key));
	if (m == CCP_MOMENT_OPEN)
		om.rx_bits = k->bits;
	else if (m == CCP_MOMENT_ACK)
		om.tx_bits = k->bits;
	rc = offload_ccp(t->os, ev, &om, err, errlen);
	explicit_bzero(&om, sizeof(om));
	return rc;
}

static const struct ppp_ops tunnel_ppp_ops = {
	.send = ppp_send_cb,
	.phase = ppp_phase_cb,
	.up = ppp_up_cb,
	.down = ppp_down_cb,
	.data = ppp_data_cb,
	.reset_req = ppp_reset_cb,
};

/* ---- The engine ---- */

static void
os_frame_cb(void *arg, const uint8_t *frame, size_t len)
{
	struct tunnel *t = arg;

	t->frames_in++;
	if (t->ppp != NULL && !t->ppp_done)
		ppp_input(t->ppp, frame, len);
}

static void
os_reset_needed_cb(void *arg)
{
	struct tunnel *t = arg;

	if (t->ppp != NULL && !t->ppp_done)
		ppp_ccp_reset_request(t->ppp);
}

static void
os_failed_cb(void *arg, const char *why)
{
	struct tunnel *t = arg;
	char msg[TUNNEL_ERR_MAX];

	snprintf(msg, sizeof(msg), "data path failed: %s", why);
	tunnel_end(t, 1, msg);
}

static const struct offload_ops tunnel_offload_ops = {
	.frame = os_frame_cb,
	.reset_needed = os_reset_needed_cb,
	.failed = os_failed_cb,
};

/*
 * Picks the engine from this dial's probe and logs the one line that
 * says which carries the session and why the others do not.
 */
static int
engine_select(struct tunnel *t, char *err, size_t errlen)
{
	char note[OFFLOAD_NOTE_MAX];

	if (t->conf == NULL || offload_select(t->conf->offload, t->why_not,
	    &t->engine, note, sizeof(note), err, errlen) == -1)
		return -1;
	if (note[0] != '\0')
		log_info("%s: engine %s (%s)", t->name,
		    offload_engine_name(t->engine), note);
	else
		log_info("%s: engine %s (offload %s)", t->name,
		    offload_engine_name(t->engine),
		    conf_offload_name(t->conf->offload));
	return 0;
}

static void
engine_env(const struct tunnel *t, struct offload_env *env)
{
	memset(env, 0, sizeof(*env));
	env->evb = t->env.evbase;
	env->tb = t->env.tb;
	env->dp = t->env.dp;
	env->closer = t->env.closer;
}

/* GRE must leave from the address the server sees TCP from. */
static void
tunnel_local(const struct tunnel *t, struct in_addr *local)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);

	local->s_addr = INADDR_ANY;
	memset(&sin, 0, sizeof(sin));
	if (getsockname(bufferevent_getfd(t->bev), (struct sockaddr *)&sin,
	    &slen) == 0 && sin.sin_family == AF_INET)
		*local = sin.sin_addr;
}

/*
 * Before the OCRQ (TCP is up: our address is known): lets the engine
 * claim our call ID in the kernel (pptp.ko binds it), so that the ID the
 * OCRQ announces is one the kernel will take.  GRE that comes before
 * call-up is not the kernel's to keep: dp_expect() holds it and
 * ctrl_call_up_cb() hands it to PPP.  A failure is not the dial's:
 * offload_open() meets it again at call-up, where auto falls back.
 */
static void
engine_prepare(struct tunnel *t)
{
	const struct offload_engine *e;
	struct offload_env env;
	struct offload_call oc;
	const char *nobuild;
	char why[TUNNEL_ERR_MAX];

	if (t->prep != NULL || t->call_id == -1 ||
	    (e = offload_engine(t->engine, &nobuild)) == NULL)
		return;
	engine_env(t, &env);
	memset(&oc, 0, sizeof(oc));
	oc.tag = t->name;
	tunnel_local(t, &oc.local);
	oc.peer = t->server.sin_addr;
	oc.our_call_id = (uint16_t)t->call_id;
	if (offload_prepare(e, &env, &oc, &t->prep, why, sizeof(why)) == -1)
		log_debug("%s: engine %s: not prepared: %s", t->name,
		    offload_engine_name(t->engine), why);
}

/*
 * Opens the chosen engine for the call.  Under auto an engine that fails
 * here is passed over like one the probe refused, down to userspace;
 * a forced engine that fails fails the session.
 */
static int
engine_open(struct tunnel *t, struct offload_call *oc, char *err,
    size_t errlen)
{
	const struct offload_engine *e;
	struct offload_env env;
	/* Room in err for "offload userspace: " before it. */
	char why[TUNNEL_ERR_MAX - 32];
	const char *nobuild;

	engine_env(t, &env);
	/* offload_open() takes the preparation over. */
	oc->prep = t->prep;
	t->prep = NULL;
	for (;;) {
		if ((e = offload_engine(t->engine, &nobuild)) == NULL) {
			snprintf(why, sizeof(why), "%s", nobuild != NULL ?
			    nobuild : "not built");
			offload_unprepare(oc->prep);
		} else if ((t->os = offload_open(e, &env, oc,
		    &tunnel_offload_ops, t, why, sizeof(why))) != NULL)
			return 0;
		/* Used or released: the next engine starts afresh. */
		oc->prep = NULL;
		if (t->conf->offload != OFFLOAD_AUTO) {
			snprintf(err, errlen, "offload %s: %s",
			    offload_engine_name(t->engine), why);
			return -1;
		}
		log_warnx("%s: engine %s: %s", t->name,
		    offload_engine_name(t->engine), why);
		snprintf(t->why_bufs[t->engine], OFFLOAD_WHY_MAX, "%s", why);
		t->why_not[t->engine] = t->why_bufs[t->engine];
		if (engine_select(t, err, errlen) == -1)
			return -1;
	}
}

static enum mppe_policy
mppe_policy(enum mppe_mode m)
{
	switch (m) {
	case CONF_MPPE_OPTIONAL:
		return MPPE_OPTIONAL;
	case CONF_MPPE_OFF:
		return MPPE_OFF;
	case CONF_MPPE_REQUIRED:
		break;
	}
	return MPPE_REQUIRED;
}

static uint32_t
mppe_strengths(unsigned int bits)
{
	uint32_t s = 0;

	if (bits & MPPE_BITS_40)
		s |= MPPE_L;
	if (bits & MPPE_BITS_56)
		s |= MPPE_M;
	if (bits & MPPE_BITS_128)
		s |= MPPE_S;
	return s;
}

/* ---- The PPTP control connection ---- */

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
	char err[TUNNEL_ERR_MAX];
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
	t->frames_in = 0;
	if (engine_open(t, &oc, err, sizeof(err)) == -1) {
		tunnel_end(t, 1, err);
		return;
	}
	/* pptpctl shows who carries the call from now on. */
	snprintf(t->info.engine, sizeof(t->info.engine), "%s",
	    offload_engine_name(t->engine));
	notify(t, CTL_EVENT_ENGINE, t->info.engine);
	memset(&pc, 0, sizeof(pc));
	pc.role = PPP_CLIENT;
	pc.tag = t->name;
	pc.user = c->username;
	/* ppp_new() copies the password and wipes its copy when freed. */
	pc.password = c->password;
	pc.password_len = c->password_len;
	pc.auth_allow = c->auth_allow;
	pc.mppe = mppe_policy(c->mppe);
	pc.mppe_strengths = mppe_strengths(c->mppe_bits);
	pc.mppe_stateful = c->mppe_stateful == CONF_MPPE_STATEFUL_PREFER ?
	    PPP_MPPE_STATEFUL_PREFER : c->mppe_stateful ==
	    CONF_MPPE_STATEFUL_ALLOW ? PPP_MPPE_STATEFUL_ALLOW : 0;
	pc.mru = (uint16_t)c->mru;
	pc.keepalive_s = c->keepalive;
	pc.keepalive_fails = c->keepalive_fail;
	pc.ccp_hook = ppp_ccp_cb;
	pc.addr_check = tunnel_addr_check;
	if ((t->ppp = ppp_new(&pc, &tunnel_ppp_ops, t, t->env.tb)) == NULL) {
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
	    os_frame_cb, t)) > 0)
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

static void
bev_release(struct tunnel *t)
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
	bev_release(t);
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
		engine_prepare(t);
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

static void
tunnel_connect(struct tunnel *t)
{
	struct pptp_ctrl_config pc;
	char srv[INET_ADDRSTRLEN];
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
	/* Before the first packet to the server: the pin, the refusals. */
	killsw_sync(t);
	/* The server's first GRE may come before its OCRP (datapath.h). */
	(void)dp_expect(t->env.dp, t->server.sin_addr, id);
	log_info("%s: connecting to %s port %u", t->name, srv,
	    ntohs(t->server.sin_port));

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		pptp_ctrl_tcp_down(t->ctrl, strerror(errno));
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

static void
resolved_cb(void *arg, const struct in_addr *addr, const char *error)
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

/* Starts a session: state connecting. */
static void
tunnel_dial(struct tunnel *t)
{
	const struct tunnel_conf *c = t->conf;
	char err[TUNNEL_ERR_MAX];

	if (c == NULL)
		return;
	timer_stop(&t->wait);
	info_clear_session(t);
	t->info.server_addr[0] = '\0';
	tunnel_server_text(t->info.server, sizeof(t->info.server), c->server,
	    c->port);
	t->why[0] = '\0';
	t->failed = 0;
	t->top_phase = PPP_PHASE_DEAD;

	/* One place decides the engine, before anything is dialled. */
	offload_probe(NULL, t->why_not, t->why_bufs);
	if (engine_select(t, err, sizeof(err)) == -1) {
		/* Redialling cannot change the system: idle until a reload. */
		log_warnx("%s: %s", t->name, err);
		snprintf(t->last_error, sizeof(t->last_error), "%s", err);
		t->life = LIFE_IDLE;
		set_state(t, SESSION_IDLE);
		return;
	}
	t->life = LIFE_DIALLING;
	set_state(t, SESSION_CONNECTING);

	memset(&t->server, 0, sizeof(t->server));
	t->server.sin_family = AF_INET;
	t->server.sin_port = htons(c->port);
	if (inet_pton(AF_INET, c->server, &t->server.sin_addr) == 1) {
		tunnel_connect(t);
		return;
	}
	log_debug("%s: resolving %s", t->name, c->server);
	if ((t->resolving = resolve_start(t->env.res, c->server, resolved_cb,
	    t, err, sizeof(err))) == NULL)
		tunnel_end(t, 1, err);
}

/* ---- Teardown ---- */

/* Step 2 of the teardown: everything the session holds on the host. */
static void
session_down(struct tunnel *t, int run_script)
{
	struct script_env env;
	char err[TUNNEL_ERR_MAX];

	timer_stop(&t->alive);
	if (t->up_since_ms != 0) {
		t->last_uptime_ms = timer_now(t->env.tb) - t->up_since_ms;
		t->up_since_ms = 0;
		if (run_script && t->down_script[0] != '\0') {
			script_env_fill(t, &env);
			if (script_start(&t->down_script_run, "down-script",
			    t->down_script, &env, NULL, NULL, err,
			    sizeof(err)) == -1)
				log_warnx("%s: %s", t->name, err);
		}
	}
	if (defroute_active(&t->defroute) &&
	    defroute_down(&t->defroute, err, sizeof(err)) == -1)
		log_warnx("%s: %s", t->name, err);
	routes_delete(t);
	if (t->ppp != NULL) {
		ppp_free(t->ppp);
		t->ppp = NULL;
	}
	/* The engine takes its interface, address and call with it. */
	if (t->os != NULL) {
		offload_close(t->os, NULL);
		t->os = NULL;
	}
	/* A dial that ended before call-up: the kernel frees the call ID. */
	offload_unprepare(t->prep);
	t->prep = NULL;
	t->ifname[0] = '\0';
	info_clear_session(t);
}

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
		set_state(t, SESSION_IDLE);
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
		set_state(t, SESSION_IDLE);
		return;
	}
	auth_failed = t->failed && t->top_phase == PPP_PHASE_AUTHENTICATE;
	ms = backoff_next(&t->backoff, auth_failed, arc4random());
	t->reconnects++;
	t->next_attempt_ms = timer_now(t->env.tb) + ms;
	log_warnx("%s: %s; next attempt in %u s", t->name,
	    t->why[0] != '\0' ? t->why : "closed", (ms + 500) / 1000);
	t->life = LIFE_BACKOFF;
	set_state(t, SESSION_BACKOFF);
	timer_set(&t->wait, ms);
}

/* Teardown steps 3 and 4: TCP went, or was never there. */
static void
bye_done(struct tunnel *t)
{
	bev_release(t);
	tunnel_after(t);
}

/* Teardown steps 2 and 3: the host side, then the call. */
static void
bye_host(struct tunnel *t)
{
	session_down(t, 1);
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
 *      (session_down());
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
	session_down(t, 0);
	/* Removed from the configuration, or pptpcd stops: only now. */
	if (killsw_disarm(&t->killsw, err, sizeof(err)) == -1)
		log_warnx("%s: %s", t->name, err);
	if (t->ctrl != NULL)
		pptp_ctrl_free(t->ctrl);
	bev_release(t);
	script_free(&t->up_script);
	script_free(&t->down_script_run);
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
	if (closing(t))
		return;
	if (t->life == LIFE_IDLE || t->life == LIFE_BACKOFF) {
		if (t->life == LIFE_BACKOFF)
			log_info("%s: %s; not redialling", t->name, why);
		t->life = LIFE_IDLE;
		set_state(t, SESSION_IDLE);
		kick(t);	/* env->idle, from the tunnel's own timer */
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
		t->conf = conf;
		return;
	}
	was_down = t->admin_down;
	t->conf = conf;
	/*
	 * Now, even for a tunnel that stays idle: "kill-switch no" lifts
	 * it, and the prefixes it refuses follow the route lines.
	 */
	if (!conf->kill_switch || killsw_armed(&t->killsw))
		killsw_sync(t);
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
tunnel_reap(struct tunnel *t)
{
	int n;

	n = script_reap(&t->up_script);
	n += script_reap(&t->down_script_run);
	/* The last script of an idle tunnel: it may be let go now. */
	if (n > 0 && t->life == LIFE_IDLE)
		kick(t);
}
