/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The PPP link: framing, demultiplexing, phases (RFC 1661 §3) and the glue
 * between LCP, authentication, CCP and IPCP.
 *
 * Decisions that outlive a single packet are taken here:
 * - CCP and IPCP start together when authentication succeeds; the owner
 *   hears "up" only once both are opened (CCP only if MPPE is in use), so
 *   no datagram flows before MPPE is up when it is required.
 * - With MPPE in use, plain IPv4/IPv6 frames from the peer are dropped, and
 *   without it MPPE frames are; Linux accepts plain IP beside MPPE, which
 *   would let anyone on the path inject cleartext.
 * - Only a validated LCP Echo-Reply (lcp.c) or data the owner vouches for
 *   (ppp_alive()) counts as a sign of life for the keepalive: any other
 *   frame can be injected by whoever guesses the GRE call, and would keep
 *   a dead link "up".
 * - Failures found inside a layer's callback are acted on from a 0 ms
 *   timer, never from inside the automaton that reported them.
 */
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "ccp.h"
#include "fsm.h"
#include "ipcp.h"
#include "ipv6cp.h"
#include "lcp.h"
#include "log.h"
#include "ppp.h"
#include "ppp_defs.h"
#include "ratelog.h"
#include "timer.h"

#define PPP_HDR_MAX	4

struct ppp {
	struct ppp_config	 cfg;
	char			*tag;
	char			*user;
	char			*password;
	const struct ppp_ops	*ops;
	void			*arg;
	struct timer_base	*tb;
	enum ppp_phase		 phase;
	struct fsm_owner	 owner;
	struct lcp		 lcp;
	struct ccp		 ccp;
	struct ipcp		 ipcp;
	struct ipv6cp		 ipv6cp;
	int			 ipv6_refused;	/* IPv6CP settled without
						   opening: IPv4 only */
	struct auth		*auth;
	struct auth_result	 authres;
	enum auth_method	 method;
	int			 use_ccp;	/* CCP negotiating or up */
	int			 mppe;		/* MPPE in use */
	int			 acfc_tx;
	int			 pfc_tx;
	int			 opened;	/* ppp_open() called */
	int			 finished;	/* ops->down called */
	/* A failure to act on from the defer timer. */
	struct timer		 defer;
	int			 fail_pending;
	int			 fail_kill;	/* no goodbye handshake */
	char			 reason[192];
	/* Per-packet lines (ratelog.h): frames dropped, protocols rejected. */
	struct ratelog		 rl_drop;
	struct ratelog		 rl_rej;
	uint8_t			 txbuf[PPP_HDR_MAX + FSM_PKT_MAX];
};

static const char *const phase_names[] = {
	"dead", "establish", "authenticate", "network", "running",
	"terminate",
};

const char *
ppp_phase_name(enum ppp_phase ph)
{
	if ((unsigned int)ph >= sizeof(phase_names) / sizeof(phase_names[0]))
		return "?";
	return phase_names[ph];
}

size_t
ppp_frame_hdrlen(uint16_t proto, int acfc, int pfc)
{
	/* LCP always goes with full header (RFC 1661 §6.6, §6.5). */
	if (proto == PPP_LCP)
		return 4;
	return (acfc ? 0 : 2) + (pfc && proto < 0x100 ? 1 : 2);
}

uint8_t *
ppp_frame_prepend(uint8_t *payload, size_t headroom, uint16_t proto,
    int acfc, int pfc)
{
	size_t n = ppp_frame_hdrlen(proto, acfc, pfc);
	uint8_t *p;

	if (headroom < n)
		return NULL;
	p = payload - n;
	if (n == 4 || n == 3) {
		p[0] = PPP_ALLSTATIONS;
		p[1] = PPP_UI;
	}
	if (n == 4 || n == 2)
		put_be16(p + n - 2, proto);
	else
		p[n - 1] = (uint8_t)proto;
	return p;
}

int
ppp_frame_decode(const uint8_t *frame, size_t len, uint16_t *proto)
{
	struct rbuf r;
	uint8_t b0, b1;

	rbuf_init(&r, frame, len);
	/* Accept FF 03 whether or not ACFC was agreed, as pppd does. */
	if (len >= 2 && frame[0] == PPP_ALLSTATIONS && frame[1] == PPP_UI)
		rbuf_skip(&r, 2);
	if (rbuf_u8(&r, &b0) == -1)
		return -1;
	if (b0 & 1) {
		/* A compressed (1-byte) protocol field: odd first octet. */
		*proto = b0;
		return (int)(r.off);
	}
	if (rbuf_u8(&r, &b1) == -1 || !(b1 & 1))
		return -1;
	*proto = (uint16_t)(b0 << 8 | b1);
	return (int)r.off;
}

uint8_t *
ppp_prepend(const struct ppp *p, uint8_t *payload, size_t headroom,
    uint16_t proto)
{
	return ppp_frame_prepend(payload, headroom, proto, p->acfc_tx,
	    p->pfc_tx);
}

static void
set_phase(struct ppp *p, enum ppp_phase ph)
{
	if (p->phase == ph)
		return;
	log_debug("%s: phase %s", p->tag, ppp_phase_name(ph));
	p->phase = ph;
	if (p->ops->phase != NULL)
		p->ops->phase(p->arg, ph);
}

static void
ppp_send_proto(struct ppp *p, uint16_t proto, const uint8_t *pkt,
    size_t len)
{
	uint8_t *body = p->txbuf + PPP_HDR_MAX, *frame;
	int acfc = 0, pfc = 0;

	if (len > FSM_PKT_MAX) {
		log_warnx("%s: protocol 0x%04x packet of %zu bytes too long",
		    p->tag, proto, len);
		return;
	}
	/* Compression applies once LCP agreed to it, never to LCP. */
	if (p->lcp.fsm.state == FSM_OPENED) {
		acfc = p->acfc_tx;
		pfc = p->pfc_tx;
	}
	memmove(body, pkt, len);
	frame = ppp_frame_prepend(body, PPP_HDR_MAX, proto, acfc, pfc);
	p->ops->send(p->arg, frame, (size_t)(body + len - frame));
	/* A PAP request carries the password in clear. */
	if (proto == PPP_PAP)
		explicit_bzero(body, len);
}

static void
fsm_send_cb(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	ppp_send_proto(arg, proto, pkt, len);
}

static void
auth_send_cb(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	ppp_send_proto(arg, proto, pkt, len);
}

/* Records a failure and acts on it outside the current callback. */
static void
ppp_fail(struct ppp *p, const char *reason, int kill)
{
	if (p->finished)
		return;
	if (p->reason[0] == '\0')
		snprintf(p->reason, sizeof(p->reason), "%.*s",
		    (int)sizeof(p->reason) - 1, reason);
	p->fail_pending = 1;
	p->fail_kill |= kill;
	timer_set(&p->defer, 0);
}

/*
 * Frees the authentication object, keeping the server's last refusal as
 * the link's reason: a server that refuses us often hangs up at once
 * instead of waiting for the retry it allowed (pppd sends LCP
 * Terminate-Request right after a CHAP Failure with R=1), and the refusal,
 * not the hang-up, is what a person must see.
 */
static void
auth_release(struct ppp *p)
{
	const char *refusal;

	if (p->auth == NULL)
		return;
	if (!p->authres.success && p->reason[0] == '\0' &&
	    (refusal = auth_refusal(p->auth)) != NULL)
		snprintf(p->reason, sizeof(p->reason), "%s", refusal);
	auth_free(p->auth);
	p->auth = NULL;
}

static const char *
final_reason(struct ppp *p, const char *fallback)
{
	if (p->reason[0] != '\0')
		return p->reason;
	/*
	 * A server that cannot agree on CCP often hangs up at once (pppd
	 * sends LCP Terminate-Request): CCP's reason is the real one.
	 */
	if (p->ccp.fsm.state != FSM_OPENED && p->ccp.fsm.reason[0] != '\0')
		return p->ccp.fsm.reason;
	if (p->lcp.fsm.reason[0] != '\0')
		return p->lcp.fsm.reason;
	return fallback;
}

/* Ends the link once: every layer down, secrets wiped, owner told. */
static void
ppp_finish(struct ppp *p, const char *fallback)
{
	char why[sizeof(p->reason)];

	if (p->finished || !p->opened)
		return;
	p->finished = 1;
	/* Before the layers go down and take their reasons with them. */
	auth_release(p);
	snprintf(why, sizeof(why), "%s", final_reason(p, fallback));
	timer_stop(&p->defer);
	fsm_down(&p->ccp.fsm);
	fsm_down(&p->ipcp.fsm);
	fsm_down(&p->ipv6cp.fsm);
	fsm_down(&p->lcp.fsm);
	timer_stop(&p->lcp.fsm.timer);
	timer_stop(&p->lcp.echo_timer);
	explicit_bzero(&p->authres, sizeof(p->authres));
	log_info("%s: link down: %s", p->tag, why);
	set_phase(p, PPP_PHASE_DEAD);
	p->ops->down(p->arg, why);
}

static void
defer_cb(void *arg)
{
	struct ppp *p = arg;

	if (!p->fail_pending || p->finished)
		return;
	p->fail_pending = 0;
	log_warnx("%s: %s", p->tag, p->reason);
	set_phase(p, PPP_PHASE_TERMINATE);
	fsm_close(&p->lcp.fsm, p->reason);
	/* Without a peer to answer, or nothing to close, finish now. */
	if (p->fail_kill || p->lcp.fsm.state == FSM_CLOSED ||
	    p->lcp.fsm.state == FSM_INITIAL)
		ppp_finish(p, p->reason);
}

static void
link_fill(struct ppp *p, struct ppp_link *l)
{
	memset(l, 0, sizeof(*l));
	l->local_addr = p->ipcp.addr;
	l->peer_addr = p->cfg.role == PPP_SERVER ? p->cfg.assign_addr :
	    p->ipcp.peer_addr;
	if (p->cfg.role == PPP_SERVER) {
		l->local_addr = p->cfg.local_addr;
		memcpy(l->dns, p->cfg.dns, sizeof(l->dns));
		memcpy(l->nbns, p->cfg.nbns, sizeof(l->nbns));
	} else {
		memcpy(l->dns, p->ipcp.dns, sizeof(l->dns));
		memcpy(l->nbns, p->ipcp.nbns, sizeof(l->nbns));
	}
	if (p->cfg.ipv6 && p->ipv6cp.fsm.state == FSM_OPENED) {
		l->ipv6 = 1;
		l->ifid = p->ipv6cp.ifid;
		l->peer_ifid = p->ipv6cp.peer_ifid;
	}
	l->mru = p->lcp.want.neg_mru ? p->lcp.want.mru : PPP_MRU_DEFAULT;
	l->peer_mru = p->lcp.his.mru;
	l->acfc_tx = p->acfc_tx;
	l->pfc_tx = p->pfc_tx;
	l->acfc_rx = p->lcp.want.neg_acfc;
	l->pfc_rx = p->lcp.want.neg_pfc;
	l->auth = p->method;
	if (p->mppe) {
		l->mppe = 1;
		l->mppe_tx_bits = p->ccp.tx_bits;
		l->mppe_rx_bits = p->ccp.rx_bits;
		l->mppe_keybits = ccp_mppe_keybits(p->ccp.tx_bits);
		l->mppe_stateless = (p->ccp.tx_bits & MPPE_H) != 0;
	}
	if (p->authres.have_keys) {
		l->have_keys = 1;
		memcpy(l->send_key, p->authres.send_key, 16);
		memcpy(l->recv_key, p->authres.recv_key, 16);
	}
}

/*
 * Client: the addresses IPCP settled on, as a pair.  A server whose own
 * address we refused to the end (Rejected at Max-Failure) leaves none.
 */
static int
check_addrs(struct ppp *p, const struct ppp_link *l)
{
	char a[16], why[sizeof(p->reason)];

	if (l->peer_addr == 0 && p->ipcp.refused[0] != '\0') {
		ppp_fail(p, p->ipcp.refused, 0);
		return 0;
	}
	if (l->peer_addr == l->local_addr) {
		snprintf(why, sizeof(why), "IPCP: server assigned %s as both "
		    "our address and its own; refused",
		    ipcp_ntoa(l->local_addr, a, sizeof(a)));
		ppp_fail(p, why, 0);
		return 0;
	}
	return 1;
}

/* The "up" moment: IPCP opened, and CCP too if MPPE is in use. */
static void
check_up(struct ppp *p)
{
	struct ppp_link l;
	char a[16], b[16], c[16], d[16];

	if (p->finished || p->phase != PPP_PHASE_NETWORK)
		return;
	if (p->ipcp.fsm.state != FSM_OPENED)
		return;
	if (p->use_ccp && p->ccp.fsm.state != FSM_OPENED)
		return;
	/* One "up" moment, so that scripts see both families at once. */
	if (p->cfg.ipv6 && p->ipv6cp.fsm.state != FSM_OPENED &&
	    !p->ipv6_refused)
		return;
	if (p->cfg.mppe == MPPE_REQUIRED && !p->mppe) {
		ppp_fail(p, "MPPE is not in use; the configuration requires "
		    "it (mppe required)", 0);
		return;
	}
	link_fill(p, &l);
	if (l.local_addr == 0) {
		ppp_fail(p, "IPCP: no local address was assigned", 0);
		return;
	}
	if (p->cfg.role == PPP_CLIENT && !check_addrs(p, &l))
		return;
	if (l.dns[0] != 0 || l.dns[1] != 0)
		log_info("%s: IPCP: local %s peer %s dns %s%s%s", p->tag,
		    ipcp_ntoa(l.local_addr, a, sizeof(a)),
		    ipcp_ntoa(l.peer_addr, b, sizeof(b)),
		    l.dns[0] ? ipcp_ntoa(l.dns[0], c, sizeof(c)) : "",
		    l.dns[0] && l.dns[1] ? " " : "",
		    l.dns[1] ? ipcp_ntoa(l.dns[1], d, sizeof(d)) : "");
	else
		log_info("%s: IPCP: local %s peer %s", p->tag,
		    ipcp_ntoa(l.local_addr, a, sizeof(a)),
		    ipcp_ntoa(l.peer_addr, b, sizeof(b)));
	if (l.ipv6) {
		char ll[2][INET6_ADDRSTRLEN];

		log_info("%s: IPv6CP: local %s peer %s", p->tag,
		    ipv6cp_ll_text(l.ifid, ll[0], sizeof(ll[0])),
		    l.peer_ifid != 0 ? ipv6cp_ll_text(l.peer_ifid, ll[1],
		    sizeof(ll[1])) : "(none named)");
	}
	set_phase(p, PPP_PHASE_RUNNING);
	p->ops->up(p->arg, &l);
	/* The owner has what it needs; keys do not linger here. */
	explicit_bzero(&l, sizeof(l));
	explicit_bzero(p->authres.send_key, sizeof(p->authres.send_key));
	explicit_bzero(p->authres.recv_key, sizeof(p->authres.recv_key));
}

/* IPv6CP goes with IPCP, when asked for; once, as IPCP. */
static void
start_ipv6cp(struct ppp *p)
{
	if (!p->cfg.ipv6 || p->ipv6cp.fsm.state != FSM_INITIAL ||
	    p->ipv6_refused)
		return;
	fsm_open(&p->ipv6cp.fsm);
	fsm_up(&p->ipv6cp.fsm);
}

/* Starts IPCP once; later calls (CCP renegotiating) change nothing. */
static void
start_ipcp(struct ppp *p)
{
	if (p->ipcp.fsm.state != FSM_INITIAL)
		return;
	fsm_open(&p->ipcp.fsm);
	fsm_up(&p->ipcp.fsm);
	start_ipv6cp(p);
}

static void
start_network(struct ppp *p)
{
	set_phase(p, PPP_PHASE_NETWORK);
	if (p->cfg.mppe != MPPE_OFF) {
		if (p->authres.have_keys)
			p->use_ccp = 1;
		else if (p->cfg.mppe == MPPE_REQUIRED) {
			ppp_fail(p, p->method == AUTH_NONE ?
			    "MPPE needs keys from MS-CHAP, but there was no "
			    "authentication" : "MPPE needs keys from MS-CHAP, "
			    "which this authentication method does not give",
			    0);
			return;
		} else
			log_info("%s: CCP: no MPPE keys from %s; continuing "
			    "without MPPE (mppe optional)", p->tag,
			    auth_method_name(p->method));
	}
	/*
	 * With MPPE, IPCP waits for CCP: pppd (Poptop, accel-ppp's
	 * ancestors) opens its IPCP only once CCP is up and answers an
	 * earlier IPCP Configure-Request with a Terminate-Ack, which
	 * costs a full restart interval (3 s) before our request is
	 * retransmitted.  A peer that sends IPCP first is ready for ours:
	 * ppp_input() starts IPCP then.
	 */
	if (p->use_ccp) {
		fsm_open(&p->ccp.fsm);
		fsm_up(&p->ccp.fsm);
	} else
		start_ipcp(p);
}

static void
auth_done_cb(void *arg, const struct auth_result *res)
{
	struct ppp *p = arg;

	if (p->finished || p->phase != PPP_PHASE_AUTHENTICATE)
		return;
	/*
	 * One authentication per link (a renegotiated LCP ends it): our
	 * copy of the password has done its work, and goes now rather than
	 * at link down.
	 */
	explicit_bzero(p->password, p->cfg.password_len);
	if (!res->success) {
		ppp_fail(p, res->message[0] != '\0' ? res->message :
		    "authentication failed", 0);
		return;
	}
	p->authres = *res;
	log_debug("%s: authenticated with %s", p->tag,
	    auth_method_name(p->method));
	start_network(p);
}

static const struct auth_ops ppp_auth_ops = {
	.send = auth_send_cb,
	.done = auth_done_cb,
};

static void
lcp_event(struct ppp *p, enum fsm_layer_event ev)
{
	struct auth_config ac;

	switch (ev) {
	case FSM_LAYER_UP:
		/* The link is being closed already; it will not come up. */
		if (p->fail_pending)
			return;
		p->acfc_tx = p->lcp.his.neg_acfc;
		p->pfc_tx = p->lcp.his.neg_pfc;
		if (p->cfg.role == PPP_SERVER)
			p->method = p->lcp.want.neg_auth ? p->lcp.want.auth :
			    AUTH_NONE;
		else
			p->method = p->lcp.his.neg_auth ? p->lcp.his.auth :
			    AUTH_NONE;
		log_info("%s: LCP opened", p->tag);
		if (p->method == AUTH_NONE) {
			if (p->cfg.role == PPP_CLIENT &&
			    !(p->cfg.auth_allow & AUTH_ALLOW(AUTH_NONE))) {
				ppp_fail(p, "the server did not ask us to "
				    "authenticate; the configuration requires "
				    "authentication", 0);
				return;
			}
			start_network(p);
			return;
		}
		set_phase(p, PPP_PHASE_AUTHENTICATE);
		memset(&ac, 0, sizeof(ac));
		ac.role = p->cfg.role == PPP_SERVER ? AUTH_SERVER :
		    AUTH_CLIENT;
		ac.name = p->user;
		ac.password = p->password;
		ac.password_len = p->cfg.password_len;
		ac.tag = p->tag;
		ac.timeout_ms = p->cfg.restart_ms;
		if ((p->auth = auth_new(&ac, &ppp_auth_ops, p, p->tb)) ==
		    NULL) {
			ppp_fail(p, "out of memory for authentication", 0);
			return;
		}
		if (p->cfg.auth_hook != NULL)
			p->cfg.auth_hook(p->arg, p->auth);
		auth_start(p->auth, p->method);
		break;
	case FSM_LAYER_DOWN:
		/*
		 * The peer renegotiates or terminates LCP: the network
		 * layers go with it, and the link is not restarted here
		 * (the tunnel redials with fresh keys instead).
		 */
		if (p->lcp.fsm.state != FSM_CLOSING &&
		    p->lcp.fsm.state != FSM_STOPPING)
			ppp_fail(p, "the peer renegotiated LCP", 0);
		set_phase(p, PPP_PHASE_TERMINATE);
		fsm_down(&p->ccp.fsm);
		fsm_down(&p->ipcp.fsm);
		fsm_down(&p->ipv6cp.fsm);
		auth_release(p);
		break;
	case FSM_LAYER_FINISHED:
		ppp_finish(p, p->lcp.fsm.reason[0] != '\0' ?
		    p->lcp.fsm.reason : "LCP finished");
		break;
	case FSM_LAYER_STARTED:
		break;
	}
}

static void
ccp_event(struct ppp *p, enum fsm_layer_event ev)
{
	char bits[40];
	int kb;

	switch (ev) {
	case FSM_LAYER_UP:
		kb = ccp_mppe_keybits(p->ccp.tx_bits);
		if (kb == 0 || ccp_mppe_keybits(p->ccp.rx_bits) == 0) {
			/* The peer acked an empty request: no MPPE one way. */
			if (p->cfg.mppe == MPPE_REQUIRED) {
				ppp_fail(p, "CCP opened without MPPE in both "
				    "directions; the configuration requires "
				    "it (mppe required)", 0);
				return;
			}
			p->use_ccp = 0;
			start_ipcp(p);
			check_up(p);
			return;
		}
		p->mppe = 1;
		log_info("%s: CCP: MPPE %d-bit %s", p->tag, kb,
		    p->ccp.tx_bits & MPPE_H ? "stateless" : "stateful");
		log_debug("%s: CCP: we send %s", p->tag,
		    ccp_mppe_str(p->ccp.tx_bits, bits, sizeof(bits)));
		start_ipcp(p);
		check_up(p);
		break;
	case FSM_LAYER_DOWN:
		if (p->phase == PPP_PHASE_RUNNING || p->mppe)
			ppp_fail(p, "CCP went down; MPPE cannot resume with "
			    "these keys", 0);
		break;
	case FSM_LAYER_FINISHED:
		if (p->phase != PPP_PHASE_NETWORK &&
		    p->phase != PPP_PHASE_RUNNING)
			break;
		if (p->cfg.mppe == MPPE_REQUIRED || p->mppe) {
			ppp_fail(p, p->ccp.fsm.reason[0] != '\0' ?
			    p->ccp.fsm.reason : "MPPE negotiation failed", 0);
			break;
		}
		log_info("%s: CCP: %s; continuing without MPPE (mppe "
		    "optional)", p->tag, p->ccp.fsm.reason[0] != '\0' ?
		    p->ccp.fsm.reason : "MPPE negotiation failed");
		p->use_ccp = 0;
		start_ipcp(p);
		check_up(p);
		break;
	case FSM_LAYER_STARTED:
		break;
	}
}

static void
ipcp_event(struct ppp *p, enum fsm_layer_event ev)
{
	switch (ev) {
	case FSM_LAYER_UP:
		check_up(p);
		break;
	case FSM_LAYER_DOWN:
		/* New addresses mean a new interface: redial instead. */
		if (p->phase == PPP_PHASE_RUNNING)
			ppp_fail(p, "IPCP went down", 0);
		break;
	case FSM_LAYER_FINISHED:
		/* A refused address is why a server gave up on us. */
		if (p->phase == PPP_PHASE_NETWORK ||
		    p->phase == PPP_PHASE_RUNNING)
			ppp_fail(p, p->ipcp.refused[0] != '\0' ?
			    p->ipcp.refused : p->ipcp.fsm.reason[0] != '\0' ?
			    p->ipcp.fsm.reason : "IPCP failed", 0);
		break;
	case FSM_LAYER_STARTED:
		break;
	}
}

/*
 * IPv6 is an extra: a peer that will not do it leaves the link on IPv4,
 * said once.  Once up, though, losing it means the interface's addresses
 * change: redial, as for IPCP.
 */
static void
ipv6cp_event(struct ppp *p, enum fsm_layer_event ev)
{
	switch (ev) {
	case FSM_LAYER_UP:
		check_up(p);
		break;
	case FSM_LAYER_DOWN:
		if (p->phase == PPP_PHASE_RUNNING)
			ppp_fail(p, "IPv6CP went down", 0);
		break;
	case FSM_LAYER_FINISHED:
		if (p->phase != PPP_PHASE_NETWORK || p->ipv6_refused)
			break;
		p->ipv6_refused = 1;
		log_warnx("%s: IPv6CP: %s; the link carries IPv4 only",
		    p->tag, p->ipv6cp.fsm.reason[0] != '\0' ?
		    p->ipv6cp.fsm.reason : "no agreement with the peer");
		check_up(p);
		break;
	case FSM_LAYER_STARTED:
		break;
	}
}

static void
fsm_event_cb(void *arg, struct fsm *f, enum fsm_layer_event ev)
{
	struct ppp *p = arg;

	if (p->finished)
		return;
	/* Network layers going down with LCP are no news. */
	if (f != &p->lcp.fsm && p->phase == PPP_PHASE_TERMINATE)
		return;
	if (f == &p->lcp.fsm)
		lcp_event(p, ev);
	else if (f == &p->ccp.fsm)
		ccp_event(p, ev);
	else if (f == &p->ipcp.fsm)
		ipcp_event(p, ev);
	else if (f == &p->ipv6cp.fsm)
		ipv6cp_event(p, ev);
}

static void
lcp_protrej_cb(void *arg, uint16_t proto)
{
	struct ppp *p = arg;

	switch (proto) {
	case PPP_CCP:
		if (p->use_ccp) {
			fsm_set_reason(&p->ccp.fsm, "%s refused MPPE%s",
			    p->cfg.role == PPP_SERVER ? "client" : "server",
			    p->cfg.mppe == MPPE_REQUIRED ? "; the "
			    "configuration requires it (mppe required)" : "");
			fsm_protreject(&p->ccp.fsm);
		}
		break;
	case PPP_IPCP:
		fsm_protreject(&p->ipcp.fsm);
		break;
	case PPP_IPV6CP:
		if (p->cfg.ipv6 && !p->ipv6_refused) {
			fsm_set_reason(&p->ipv6cp.fsm, "the %s does not do "
			    "IPv6 (Protocol-Reject)", p->cfg.role ==
			    PPP_SERVER ? "client" : "server");
			fsm_protreject(&p->ipv6cp.fsm);
		}
		break;
	default:
		break;
	}
}

static void
lcp_dead_cb(void *arg, const char *reason)
{
	ppp_fail(arg, reason, 1);
}

static const struct lcp_ops ppp_lcp_ops = {
	.protrej = lcp_protrej_cb,
	.dead = lcp_dead_cb,
};

static void
ccp_reset_cb(void *arg)
{
	struct ppp *p = arg;

	if (p->ops->reset_req != NULL && p->phase == PPP_PHASE_RUNNING)
		p->ops->reset_req(p->arg);
}

static void
ccp_moment_cb(void *arg, enum ccp_moment m, uint32_t bits)
{
	struct ppp *p = arg;
	struct ppp_mppe_keys k;
	char err[160];
	int rc;

	if (p->cfg.ccp_hook == NULL || p->finished)
		return;
	memset(&k, 0, sizeof(k));
	/* Keys come with MS-CHAP; CCP runs only with them (start_network). */
	if (p->authres.have_keys) {
		memcpy(k.send_key, p->authres.send_key, sizeof(k.send_key));
		memcpy(k.recv_key, p->authres.recv_key, sizeof(k.recv_key));
	}
	k.bits = bits;
	err[0] = '\0';
	rc = p->cfg.ccp_hook(p->arg, m, &k, err, sizeof(err));
	explicit_bzero(&k, sizeof(k));
	if (rc == -1)
		ppp_fail(p, err[0] != '\0' ? err : "MPPE: the data path "
		    "refused CCP's keys", 0);
}

static const struct ccp_ops ppp_ccp_ops = {
	.reset_req = ccp_reset_cb,
};

struct ppp *
ppp_new(const struct ppp_config *cfg, const struct ppp_ops *ops, void *arg,
    struct timer_base *tb)
{
	struct lcp_config lc;
	struct ccp_config cc;
	struct ipcp_config ic;
	struct ipv6cp_config i6;
	struct ppp *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->cfg = *cfg;
	if (p->cfg.auth_allow == 0)
		p->cfg.auth_allow = AUTH_ALLOW_DEFAULT;
	p->tag = strdup(cfg->tag != NULL ? cfg->tag : "ppp");
	p->user = strdup(cfg->user != NULL ? cfg->user : "");
	p->password = malloc(cfg->password_len + 1);
	if (p->tag == NULL || p->user == NULL || p->password == NULL) {
		free(p->tag);
		free(p->user);
		free(p->password);
		free(p);
		return NULL;
	}
	if (cfg->password_len > 0)
		memcpy(p->password, cfg->password, cfg->password_len);
	p->password[cfg->password_len] = '\0';
	p->cfg.tag = p->tag;
	p->cfg.user = p->user;
	p->cfg.password = p->password;
	p->ops = ops;
	p->arg = arg;
	p->tb = tb;
	p->owner.send = fsm_send_cb;
	p->owner.event = fsm_event_cb;
	p->owner.arg = p;

	memset(&lc, 0, sizeof(lc));
	lc.server = cfg->role == PPP_SERVER;
	lc.auth_allow = p->cfg.auth_allow;
	lc.mru = cfg->mru;
	lc.no_hdrcomp = cfg->no_hdrcomp;
	lc.echo_interval_ms = cfg->keepalive_s * 1000;
	lc.echo_fails = cfg->keepalive_fails;
	lcp_init(&p->lcp, &lc, p->tag, &p->owner, &ppp_lcp_ops, p, tb);

	memset(&cc, 0, sizeof(cc));
	cc.server = lc.server;
	cc.policy = cfg->mppe;
	cc.strengths = cfg->mppe_strengths;
	cc.allow_stateful = cfg->mppe_stateful != 0;
	cc.prefer_stateful = cfg->mppe_stateful == PPP_MPPE_STATEFUL_PREFER;
	cc.moment = ccp_moment_cb;
	ccp_init(&p->ccp, &cc, p->tag, &p->owner, &ppp_ccp_ops, p, tb);

	memset(&ic, 0, sizeof(ic));
	ic.server = lc.server;
	ic.local = cfg->local_addr;
	ic.assign = cfg->assign_addr;
	if (cfg->role == PPP_CLIENT) {
		ic.check = cfg->addr_check;
		ic.check_arg = arg;
	}
	memcpy(ic.dns, cfg->dns, sizeof(ic.dns));
	memcpy(ic.nbns, cfg->nbns, sizeof(ic.nbns));
	ipcp_init(&p->ipcp, &ic, p->tag, &p->owner, tb);

	memset(&i6, 0, sizeof(i6));
	i6.ifid = cfg->ipv6_ifid;
	ipv6cp_init(&p->ipv6cp, &i6, p->tag, &p->owner, tb);

	if (cfg->restart_ms != 0)
		p->lcp.fsm.timeout_ms = p->ccp.fsm.timeout_ms =
		    p->ipcp.fsm.timeout_ms = p->ipv6cp.fsm.timeout_ms =
		    cfg->restart_ms;
	timer_init(&p->defer, tb, defer_cb, p);
	return p;
}

void
ppp_free(struct ppp *p)
{
	if (p == NULL)
		return;
	if (p->auth != NULL)
		auth_free(p->auth);
	timer_free(&p->defer);
	lcp_free(&p->lcp);
	ccp_free(&p->ccp);
	ipcp_free(&p->ipcp);
	ipv6cp_free(&p->ipv6cp);
	explicit_bzero(&p->authres, sizeof(p->authres));
	explicit_bzero(p->password, p->cfg.password_len);
	free(p->password);
	free(p->user);
	free(p->tag);
	free(p);
}

void
ppp_open(struct ppp *p)
{
	if (p->opened)
		return;
	p->opened = 1;
	set_phase(p, PPP_PHASE_ESTABLISH);
	fsm_open(&p->lcp.fsm);
	fsm_up(&p->lcp.fsm);
}

void
ppp_close(struct ppp *p, const char *reason)
{
	if (!p->opened)
		return;
	ppp_fail(p, reason != NULL ? reason : "closed", 0);
}

void
ppp_lower_down(struct ppp *p, const char *reason)
{
	ppp_finish(p, reason != NULL ? reason : "the transport went down");
}

enum ppp_phase
ppp_phase(const struct ppp *p)
{
	return p->phase;
}

int64_t
ppp_echo_rtt(const struct ppp *p)
{
	return lcp_echo_rtt(&p->lcp);
}

int
ppp_holds_password(const struct ppp *p)
{
	size_t i;

	for (i = 0; i < p->cfg.password_len; i++)
		if (p->password[i] != '\0')
			return 1;
	return 0;
}

void
ppp_echo_stats(const struct ppp *p, struct ppp_echo_stats *st)
{
	struct lcp_echo_stats ls;

	lcp_echo_stats(&p->lcp, &ls);
	memset(st, 0, sizeof(*st));
	st->sent = ls.sent;
	st->missed = ls.missed;
	st->bad_replies = ls.bad_replies;
	st->rtt_ms = ls.rtt_ms;
}

void
ppp_alive(struct ppp *p)
{
	lcp_alive(&p->lcp);
}

int
ppp_ccp_reset_request(struct ppp *p)
{
	if (p->phase != PPP_PHASE_RUNNING || !p->mppe)
		return -1;
	return ccp_send_reset_request(&p->ccp);
}

static void
data_input(struct ppp *p, uint16_t proto, const uint8_t *d, size_t len)
{
	if (p->phase != PPP_PHASE_RUNNING) {
		RATELOG_LINE(&p->rl_drop, p->tb, RATELOG_DEBUG, "%s: protocol "
		    "0x%04x before the link is up dropped", p->tag, proto);
		return;
	}
	if (proto == PPP_IPV6 && p->ipv6cp.fsm.state != FSM_OPENED) {
		RATELOG_LINE(&p->rl_drop, p->tb, RATELOG_DEBUG, "%s: IPv6 "
		    "without IPv6CP dropped", p->tag);
		return;
	}
	if ((proto == PPP_COMP) != (p->mppe != 0)) {
		RATELOG_LINE(&p->rl_drop, p->tb, RATELOG_DEBUG, "%s: %s frame "
		    "dropped", p->tag, p->mppe ? "unencrypted" :
		    "unexpected MPPE");
		return;
	}
	p->ops->data(p->arg, proto, d, len);
}

void
ppp_input(struct ppp *p, const uint8_t *frame, size_t len)
{
	const uint8_t *d;
	uint16_t proto;
	size_t dlen;
	int off;

	if (!p->opened || p->finished)
		return;
	if ((off = ppp_frame_decode(frame, len, &proto)) == -1) {
		RATELOG_LINE(&p->rl_drop, p->tb, RATELOG_DEBUG, "%s: malformed "
		    "PPP frame of %zu bytes dropped", p->tag, len);
		return;
	}
	d = frame + off;
	dlen = len - (size_t)off;

	if (proto == PPP_LCP) {
		fsm_input(&p->lcp.fsm, d, dlen);
		return;
	}
	/* Only LCP is understood until LCP is opened (RFC 1661 §3.2). */
	if (p->lcp.fsm.state != FSM_OPENED)
		return;
	switch (proto) {
	case PPP_PAP:
	case PPP_CHAP:
		if (p->auth != NULL)
			auth_input(p->auth, proto, d, dlen);
		return;
	case PPP_IPCP:
		if (p->phase != PPP_PHASE_NETWORK &&
		    p->phase != PPP_PHASE_RUNNING)
			return;
		/* The peer starts IPCP before CCP is up: so do we. */
		start_ipcp(p);
		fsm_input(&p->ipcp.fsm, d, dlen);
		return;
	case PPP_IPV6CP:
		/*
		 * "ipv6 no", or settled without IPv6 (the link is up on
		 * IPv4 alone, and nothing would carry IPv6 if it opened
		 * now): Protocol-Rejected below.
		 */
		if (!p->cfg.ipv6 || p->ipv6_refused)
			break;
		if (p->phase != PPP_PHASE_NETWORK &&
		    p->phase != PPP_PHASE_RUNNING)
			return;
		/* As for IPCP: a peer that starts first is ready for ours. */
		start_ipcp(p);
		start_ipv6cp(p);
		fsm_input(&p->ipv6cp.fsm, d, dlen);
		return;
	case PPP_CCP:
		if (p->phase != PPP_PHASE_NETWORK &&
		    p->phase != PPP_PHASE_RUNNING)
			return;
		if (p->use_ccp || p->mppe) {
			fsm_input(&p->ccp.fsm, d, dlen);
			return;
		}
		/* MPPE is off: say so once, firmly. */
		break;
	case PPP_IP:
	case PPP_IPV6:
	case PPP_COMP:
		data_input(p, proto, d, dlen);
		return;
	default:
		/*
		 * Everything else, IPv6CP under "ipv6 no" included: a
		 * Protocol-Reject stops the peer from trying.
		 */
		break;
	}
	RATELOG_LINE(&p->rl_rej, p->tb, RATELOG_DEBUG, "%s: protocol 0x%04x "
	    "rejected", p->tag, proto);
	lcp_send_protrej(&p->lcp, proto, d, dlen, p->lcp.his.mru);
}
