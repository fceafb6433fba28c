/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The tunnel lifecycle's pure decisions (daemon/tunnel_policy.c): the
 * redial schedule and its jitter bounds, the interface MTU, the keepalive
 * window of kernel engines, the state names and what pptpctl is shown.
 * The lifecycle itself needs sockets, a tun device and a server: the
 * end-to-end tests drive it against the test peer.
 *
 * Also the hook tunnel.c hands CCP's moments to the engine through
 * (ppp_config.ccp_hook, offload_ccp()): a client and a server PPP back to
 * back with MS-CHAPv2, and a log of hook calls and CCP frames in the
 * order they happened, because the Linux kernel needs each key before a
 * given frame passes it (offload.h).
 */
#include <atf-c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "ccp.h"
#include "crypto.h"
#include "offload.h"
#include "ppp.h"
#include "ppp_defs.h"
#include "session_info.h"
#include "timer_manual.h"
#include "tunnel_policy.h"

/* Checks one wait against the step it was drawn around and the bounds. */
static void
check_wait(const struct backoff *b, unsigned int step, unsigned int w)
{
	unsigned int lo = step - step / 4, hi = step + step / 4;

	if (lo < b->first_ms)
		lo = b->first_ms;
	if (hi > b->max_ms)
		hi = b->max_ms;
	ATF_CHECK_MSG(w >= lo && w <= hi, "wait %u outside [%u, %u] for step "
	    "%u", w, lo, hi, step);
	ATF_CHECK(w >= b->first_ms && w <= b->max_ms);
}

ATF_TC_WITHOUT_HEAD(backoff_first);
ATF_TC_BODY(backoff_first, tc)
{
	struct backoff b;

	backoff_init(&b, 5, 300);
	ATF_CHECK_EQ(b.first_ms, 5000);
	ATF_CHECK_EQ(b.max_ms, 300000);
	/* The lowest draw is held at the configured first delay. */
	ATF_CHECK_EQ(backoff_next(&b, 0, 0), 5000);
	backoff_reset(&b);
	/* The highest draw is a quarter above the step. */
	ATF_CHECK_EQ(backoff_next(&b, 0, UINT32_MAX), 6250);
	ATF_CHECK_EQ(b.failures, 1);
}

ATF_TC_WITHOUT_HEAD(backoff_doubles_to_max);
ATF_TC_BODY(backoff_doubles_to_max, tc)
{
	static const unsigned int steps[] = { 5000, 10000, 20000, 40000,
	    80000, 160000, 300000, 300000, 300000 };
	struct backoff b;
	unsigned int i, w;

	backoff_init(&b, 5, 300);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		ATF_CHECK_EQ_MSG(b.step_ms, steps[i], "step %u: %u", i,
		    b.step_ms);
		w = backoff_next(&b, 0, 0x80000000u);
		check_wait(&b, steps[i], w);
	}
	ATF_CHECK_EQ(b.failures, 9);
	/* Never above the maximum, whatever the draw. */
	ATF_CHECK_EQ(backoff_next(&b, 0, UINT32_MAX), 300000);
}

ATF_TC_WITHOUT_HEAD(backoff_jitter_bounds);
ATF_TC_BODY(backoff_jitter_bounds, tc)
{
	struct backoff b;
	unsigned int i, step, w, lo = UINT32_MAX, hi = 0;

	/* Many draws around one step cover the band and stay inside it. */
	backoff_init(&b, 8, 3600);
	for (i = 0; i < 20000; i++) {
		backoff_reset(&b);
		backoff_next(&b, 0, 0);		/* step 16 s */
		step = b.step_ms;
		w = backoff_next(&b, 0, arc4random());
		check_wait(&b, step, w);
		lo = w < lo ? w : lo;
		hi = w > hi ? w : hi;
	}
	ATF_CHECK_MSG(lo < 12500 && hi > 19500, "draws spread only over "
	    "[%u, %u]", lo, hi);

	/* Equal bounds: no jitter can leave them. */
	backoff_init(&b, 30, 30);
	for (i = 0; i < 100; i++)
		ATF_CHECK_EQ(backoff_next(&b, 0, arc4random()), 30000);
}

/*
 * A thousand tunnels that lost their server together draw their first
 * redial from the same band, and the first step's band reaches below the
 * configured first delay (the longest step's above the maximum).  Cut to
 * the bounds after the draw, half of them would redial on the very same
 * millisecond; the draws must spread over what is left of the band.
 */
static unsigned int
count_equal(struct backoff *b, unsigned int steps, unsigned int value,
    unsigned int draws)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < draws; i++) {
		backoff_reset(b);
		for (j = 0; j < steps; j++)
			backoff_next(b, 0, 0x80000000u);
		if (backoff_next(b, 0, (uint32_t)((uint64_t)i *
		    UINT32_MAX / (draws - 1))) == value)
			n++;
	}
	return n;
}

ATF_TC_WITHOUT_HEAD(backoff_no_herd_at_bounds);
ATF_TC_BODY(backoff_no_herd_at_bounds, tc)
{
	struct backoff b;
	unsigned int n, i, w, lo = UINT32_MAX, hi = 0;

	backoff_init(&b, 5, 300);
	n = count_equal(&b, 0, 5000, 1000);
	ATF_CHECK_MSG(n <= 2, "%u of 1000 first redials at exactly 5000 ms",
	    n);
	/* Step 5, 10, ..., 160 s, then the maximum: 300 s. */
	n = count_equal(&b, 7, 300000, 1000);
	ATF_CHECK_MSG(n <= 2, "%u of 1000 redials at exactly the maximum", n);

	/* The first redials still cover [first, 5/4 first], both ends. */
	for (i = 0; i < 1000; i++) {
		backoff_reset(&b);
		w = backoff_next(&b, 0, arc4random());
		ATF_CHECK(w >= 5000 && w <= 6250);
		lo = w < lo ? w : lo;
		hi = w > hi ? w : hi;
	}
	ATF_CHECK_MSG(lo < 5100 && hi > 6150, "first redials only over "
	    "[%u, %u]", lo, hi);
}

ATF_TC_WITHOUT_HEAD(backoff_reset_after_stable);
ATF_TC_BODY(backoff_reset_after_stable, tc)
{
	struct backoff b;

	backoff_init(&b, 2, 60);
	backoff_next(&b, 0, 0);
	backoff_next(&b, 0, 0);
	backoff_next(&b, 0, 0);
	ATF_CHECK_EQ(b.step_ms, 16000);
	backoff_reset(&b);
	ATF_CHECK_EQ(b.step_ms, 2000);
	ATF_CHECK_EQ(b.failures, 0);
	ATF_CHECK_EQ(backoff_next(&b, 0, 0), 2000);
}

ATF_TC_WITHOUT_HEAD(backoff_auth_failure);
ATF_TC_BODY(backoff_auth_failure, tc)
{
	struct backoff b;
	unsigned int w;

	/* A bad password is not retried every five seconds. */
	backoff_init(&b, 5, 300);
	w = backoff_next(&b, 1, 0x80000000u);
	check_wait(&b, AUTH_BACKOFF_MIN_MS, w);
	ATF_CHECK(w >= AUTH_BACKOFF_MIN_MS * 3 / 4);
	ATF_CHECK_EQ(b.step_ms, 2 * AUTH_BACKOFF_MIN_MS);
	/* Later steps go on doubling from there. */
	w = backoff_next(&b, 1, 0x80000000u);
	check_wait(&b, 2 * AUTH_BACKOFF_MIN_MS, w);

	/* The configured maximum still wins. */
	backoff_init(&b, 1, 10);
	ATF_CHECK_EQ(backoff_next(&b, 1, UINT32_MAX), 10000);
	ATF_CHECK(backoff_next(&b, 1, 0) <= 10000);
}

ATF_TC_WITHOUT_HEAD(backoff_bad_bounds);
ATF_TC_BODY(backoff_bad_bounds, tc)
{
	struct backoff b;

	/* parse.y forbids these; the schedule must still not spin. */
	backoff_init(&b, 0, 0);
	ATF_CHECK_EQ(b.first_ms, 1000);
	ATF_CHECK_EQ(b.max_ms, 1000);
	ATF_CHECK_EQ(backoff_next(&b, 0, 0), 1000);
	backoff_init(&b, 20, 10);
	ATF_CHECK_EQ(b.max_ms, 20000);
	ATF_CHECK_EQ(backoff_next(&b, 0, UINT32_MAX), 20000);
}

ATF_TC_WITHOUT_HEAD(mtu_derived);
ATF_TC_BODY(mtu_derived, tc)
{
	int big;

	/* The peer's MRU less MPPE's header and inner protocol. */
	ATF_CHECK_EQ(tunnel_mtu(0, 1400, 1400, 1, &big), 1396);
	ATF_CHECK_EQ(big, 0);
	ATF_CHECK_EQ(tunnel_mtu(0, 1400, 1400, 0, &big), 1400);
	/* Capped by our MRU: packets come back the same size. */
	ATF_CHECK_EQ(tunnel_mtu(0, 1400, 1500, 1, &big), 1396);
	ATF_CHECK_EQ(tunnel_mtu(0, 1500, 1450, 1, &big), 1446);
	/* An MRU not negotiated is RFC 1661's 1500. */
	ATF_CHECK_EQ(tunnel_mtu(0, 0, 0, 1, &big), 1496);
	ATF_CHECK_EQ(tunnel_mtu(0, 1500, 0, 0, &big), 1500);
	/* Never below what IPv4 needs of every link. */
	ATF_CHECK_EQ(tunnel_mtu(0, 1400, 70, 1, &big), 68);
	ATF_CHECK_EQ(tunnel_mtu(0, 1400, 128, 1, &big), 124);
}

ATF_TC_WITHOUT_HEAD(mtu_configured);
ATF_TC_BODY(mtu_configured, tc)
{
	int big;

	ATF_CHECK_EQ(tunnel_mtu(1300, 1400, 1400, 1, &big), 1300);
	ATF_CHECK_EQ(big, 0);
	ATF_CHECK_EQ(tunnel_mtu(1396, 1400, 1400, 1, &big), 1396);
	ATF_CHECK_EQ(big, 0);
	/* Honoured, but flagged for a warning. */
	ATF_CHECK_EQ(tunnel_mtu(1500, 1400, 1400, 1, &big), 1500);
	ATF_CHECK_EQ(big, 1);
}

ATF_TC_WITHOUT_HEAD(keepalive_window);
ATF_TC_BODY(keepalive_window, tc)
{
	/* Half the echo interval, never below a second. */
	ATF_CHECK_EQ(tunnel_alive_interval(10), 5000);
	ATF_CHECK_EQ(tunnel_alive_interval(2), 1000);
	ATF_CHECK_EQ(tunnel_alive_interval(1), 1000);
	ATF_CHECK_EQ(tunnel_alive_interval(0), 1000);
	/* An absurd interval saturates rather than wraps. */
	ATF_CHECK_EQ(tunnel_alive_interval(UINT32_MAX), UINT32_MAX);

	/* Data within the window is a sign of life; unknown never is. */
	ATF_CHECK(tunnel_rx_recent(0, 1000));
	ATF_CHECK(tunnel_rx_recent(1, 1000));
	ATF_CHECK(!tunnel_rx_recent(2, 1000));
	ATF_CHECK(tunnel_rx_recent(5, 5000));
	ATF_CHECK(!tunnel_rx_recent(6, 5000));
	ATF_CHECK(!tunnel_rx_recent(-1, 5000));
	ATF_CHECK(!tunnel_rx_recent(INT64_MIN, 5000));
	/* A kernel idle time that would overflow ms is simply old. */
	ATF_CHECK(!tunnel_rx_recent(INT64_MAX / 100, UINT32_MAX));
}

/* ---- CCP's moments through PPP ---- */

#define H_LOG_MAX	64
#define H_QLEN		64
#define H_FMAX		1600

/* One thing that happened at the client: a hook call or a CCP frame. */
struct h_ev {
	int		 hook;		/* 1: ccp_hook; 0: a CCP frame sent */
	enum ccp_moment	 m;
	uint8_t		 code;		/* CCP code of a frame sent */
	uint32_t	 bits;
	uint8_t		 send_key[16], recv_key[16];
};

struct h_side {
	struct ppp	*ppp;
	uint8_t		 q[H_QLEN][H_FMAX];
	size_t		 qlen[H_QLEN];
	unsigned int	 head, n;
	int		 up, down;
	char		 reason[256];
	struct ppp_link	 link;
	/* The client's log. */
	struct h_ev	 log[H_LOG_MAX];
	int		 nlog;
	int		 fail_on;	/* -1, or the moment to refuse */
};

static void
h_log(struct h_side *s, const struct h_ev *e)
{
	if (s->nlog < H_LOG_MAX)
		s->log[s->nlog++] = *e;
}

static void
h_send(void *arg, const uint8_t *f, size_t len)
{
	struct h_side *s = arg;
	struct h_ev e;
	uint16_t proto;
	unsigned int i;
	int off;

	ATF_REQUIRE(len <= H_FMAX && s->n < H_QLEN);
	i = (s->head + s->n++) % H_QLEN;
	memcpy(s->q[i], f, len);
	s->qlen[i] = len;
	if ((off = ppp_frame_decode(f, len, &proto)) == -1 ||
	    proto != PPP_CCP || (size_t)off + 4 > len)
		return;
	memset(&e, 0, sizeof(e));
	e.code = f[off];
	h_log(s, &e);
}

static void
h_phase(void *arg, enum ppp_phase ph)
{
	(void)arg;
	(void)ph;
}

static void
h_up(void *arg, const struct ppp_link *l)
{
	struct h_side *s = arg;

	s->up = 1;
	s->link = *l;
}

static void
h_down(void *arg, const char *reason)
{
	struct h_side *s = arg;

	s->down = 1;
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
}

static void
h_data(void *arg, uint16_t proto, const uint8_t *p, size_t len)
{
	(void)arg;
	(void)proto;
	(void)p;
	(void)len;
}

static void
h_reset(void *arg)
{
	(void)arg;
}

static const struct ppp_ops h_ops = {
	.send = h_send,
	.phase = h_phase,
	.up = h_up,
	.down = h_down,
	.data = h_data,
	.reset_req = h_reset,
};

static int
h_hook(void *arg, enum ccp_moment m, const struct ppp_mppe_keys *k,
    char *err, size_t errlen)
{
	struct h_side *s = arg;
	struct h_ev e;

	memset(&e, 0, sizeof(e));
	e.hook = 1;
	e.m = m;
	e.bits = k->bits;
	memcpy(e.send_key, k->send_key, 16);
	memcpy(e.recv_key, k->recv_key, 16);
	h_log(s, &e);
	if ((int)m == s->fail_on) {
		snprintf(err, errlen, "kernel engine: PPPIOCSCOMPRESS: "
		    "refused for the test");
		return -1;
	}
	return 0;
}

static int
h_deliver(struct h_side *from, struct h_side *to)
{
	unsigned int i;

	if (from->n == 0)
		return 0;
	i = from->head;
	from->head = (from->head + 1) % H_QLEN;
	from->n--;
	if (!to->down)
		ppp_input(to->ppp, from->q[i], from->qlen[i]);
	return 1;
}

/* Runs until both ends are up or down (down only: both down). */
static void
h_run(struct timer_base *tb, struct h_side *c, struct h_side *s,
    int down_only)
{
	uint64_t spent = 0, next;
	int moved;

	for (;;) {
		do {
			moved = h_deliver(c, s) | h_deliver(s, c);
			timer_manual_advance(tb, 0);
		} while (moved);
		if (down_only ? c->down && s->down :
		    (c->up || c->down) && (s->up || s->down))
			return;
		if ((next = timer_manual_next(tb)) == UINT64_MAX ||
		    spent + next > 60000)
			return;
		timer_manual_advance(tb, next);
		spent += next;
	}
}

struct h_pair {
	struct timer_base	*tb;
	struct h_side		 c, s;
};

static void
h_pair_go(struct h_pair *p, int fail_on, int hook)
{
	struct ppp_config cc, sc;
	char err[128];

	ATF_REQUIRE_MSG(crypto_init(err, sizeof(err)) == 0, "%s", err);
	memset(p, 0, sizeof(*p));
	p->tb = timer_manual_new();
	p->c.fail_on = fail_on;
	memset(&cc, 0, sizeof(cc));
	cc.role = PPP_CLIENT;
	cc.tag = "office";
	cc.user = "nixcraft";
	cc.password = "candyBar";
	cc.password_len = 8;
	cc.auth_allow = AUTH_ALLOW(AUTH_MSCHAPV2);
	cc.mppe_strengths = MPPE_S;
	sc = cc;
	if (hook)
		cc.ccp_hook = h_hook;
	sc.role = PPP_SERVER;
	sc.tag = "peer";
	sc.local_addr = 0xc0000201;
	sc.assign_addr = 0xc0000202;
	p->c.ppp = ppp_new(&cc, &h_ops, &p->c, p->tb);
	p->s.ppp = ppp_new(&sc, &h_ops, &p->s, p->tb);
	ATF_REQUIRE(p->c.ppp != NULL && p->s.ppp != NULL);
	ppp_open(p->s.ppp);
	ppp_open(p->c.ppp);
	h_run(p->tb, &p->c, &p->s, 0);
}

static void
h_pair_free(struct h_pair *p)
{
	ppp_free(p->c.ppp);
	ppp_free(p->s.ppp);
	timer_manual_free(p->tb);
}

static int
h_find(const struct h_side *s, int from, int hook, int what)
{
	int i;

	for (i = from; i < s->nlog; i++)
		if (s->log[i].hook == hook && (hook ? (int)s->log[i].m :
		    (int)s->log[i].code) == what)
			return i;
	return -1;
}

static int
h_count(const struct h_side *s, int hook, int what)
{
	int i, n = 0;

	for (i = 0; i < s->nlog; i++)
		if (s->log[i].hook == hook && (hook ? (int)s->log[i].m :
		    (int)s->log[i].code) == what)
			n++;
	return n;
}

ATF_TC_WITHOUT_HEAD(ccp_moments_order);
ATF_TC_BODY(ccp_moments_order, tc)
{
	static const uint8_t zero[16];
	struct h_pair p;
	int open, req, ack, cack, up, i;

	h_pair_go(&p, -1, 1);
	ATF_REQUIRE_MSG(p.c.up && p.s.up, "client %s, server %s", p.c.reason,
	    p.s.reason);
	ATF_REQUIRE(p.c.link.mppe);

	/* OPEN once, first of all, before our first Configure-Request. */
	open = h_find(&p.c, 0, 1, CCP_MOMENT_OPEN);
	req = h_find(&p.c, 0, 0, CONFREQ);
	ATF_REQUIRE(open != -1 && req != -1);
	ATF_CHECK_EQ(open, 0);
	ATF_CHECK(open < req);
	ATF_CHECK_EQ(h_count(&p.c, 1, CCP_MOMENT_OPEN), 1);
	/* With both start keys, from authentication, and our request. */
	ATF_CHECK(memcmp(p.c.log[open].send_key, zero, 16) != 0);
	ATF_CHECK(memcmp(p.c.log[open].recv_key, zero, 16) != 0);
	ATF_CHECK(memcmp(p.c.log[open].send_key, p.c.log[open].recv_key,
	    16) != 0);
	ATF_CHECK(memcmp(p.c.log[open].send_key, p.c.link.send_key, 16) ==
	    0);
	ATF_CHECK(memcmp(p.c.log[open].recv_key, p.c.link.recv_key, 16) ==
	    0);
	ATF_CHECK_EQ(p.c.log[open].bits, MPPE_S | MPPE_H);

	/* Every Configure-Ack we send comes right after an ACK moment. */
	ATF_CHECK(h_count(&p.c, 0, CONFACK) >= 1);
	ATF_CHECK_EQ(h_count(&p.c, 0, CONFACK), h_count(&p.c, 1,
	    CCP_MOMENT_ACK));
	for (i = 0; i < p.c.nlog; i++) {
		if (p.c.log[i].hook || p.c.log[i].code != CONFACK)
			continue;
		ATF_REQUIRE(i > 0);
		ATF_CHECK(p.c.log[i - 1].hook &&
		    p.c.log[i - 1].m == CCP_MOMENT_ACK);
		/* The bits acked: what we will send with. */
		ATF_CHECK_EQ(p.c.log[i - 1].bits, p.c.link.mppe_tx_bits);
		ATF_CHECK(memcmp(p.c.log[i - 1].send_key, p.c.link.send_key,
		    16) == 0);
	}
	/* UP after the Ack and after OPEN; nothing has gone down. */
	ack = h_find(&p.c, 0, 1, CCP_MOMENT_ACK);
	cack = h_find(&p.c, 0, 0, CONFACK);
	up = h_find(&p.c, 0, 1, CCP_MOMENT_UP);
	ATF_REQUIRE(ack != -1 && cack != -1 && up != -1);
	ATF_CHECK(up > cack && up > open);
	ATF_CHECK_EQ(h_count(&p.c, 1, CCP_MOMENT_UP), 1);
	ATF_CHECK_EQ(h_count(&p.c, 1, CCP_MOMENT_DOWN), 0);
	ATF_CHECK_EQ(h_count(&p.c, 1, CCP_MOMENT_CLOSED), 0);

	/* A close takes CCP down with LCP. */
	ppp_close(p.c.ppp, "test over");
	h_run(p.tb, &p.c, &p.s, 1);
	ATF_CHECK(p.c.down);
	ATF_CHECK_EQ(h_count(&p.c, 1, CCP_MOMENT_DOWN), 1);
	h_pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(ccp_moment_refused);
ATF_TC_BODY(ccp_moment_refused, tc)
{
	static const int which[] = { CCP_MOMENT_OPEN, CCP_MOMENT_ACK,
	    CCP_MOMENT_UP };
	struct h_pair p;
	size_t i;

	/* An engine that cannot take the keys ends the link, saying why. */
	for (i = 0; i < sizeof(which) / sizeof(which[0]); i++) {
		h_pair_go(&p, which[i], 1);
		ATF_CHECK_MSG(!p.c.up, "moment %d", which[i]);
		ATF_CHECK(p.c.down);
		ATF_CHECK_MSG(strstr(p.c.reason, "refused for the test") !=
		    NULL, "moment %d: %s", which[i], p.c.reason);
		h_pair_free(&p);
	}
}

ATF_TC_WITHOUT_HEAD(ccp_moments_without_hook);
ATF_TC_BODY(ccp_moments_without_hook, tc)
{
	struct h_pair p;

	/* Userspace and pipex need no hook: PPP runs the same. */
	h_pair_go(&p, -1, 0);
	ATF_CHECK(p.c.up && p.s.up && p.c.link.mppe);
	ATF_CHECK_EQ(h_count(&p.c, 1, CCP_MOMENT_OPEN), 0);
	ATF_CHECK(h_count(&p.c, 0, CONFREQ) >= 1);
	h_pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(state_names);
ATF_TC_BODY(state_names, tc)
{
	/* pptpc_ctl.h's words (pptpctl(8)); scripts rely on them. */
	ATF_CHECK_STREQ(session_state_name(SESSION_IDLE), "idle");
	ATF_CHECK_STREQ(session_state_name(SESSION_CONNECTING), "connecting");
	ATF_CHECK_STREQ(session_state_name(SESSION_AUTHENTICATING),
	    "authenticating");
	ATF_CHECK_STREQ(session_state_name(SESSION_NETWORK), "network");
	ATF_CHECK_STREQ(session_state_name(SESSION_UP), "up");
	ATF_CHECK_STREQ(session_state_name(SESSION_CLOSING), "closing");
	ATF_CHECK_STREQ(session_state_name(SESSION_BACKOFF), "backoff");
	ATF_CHECK_STREQ(session_state_name((enum session_state)99),
	    "unknown");
}

ATF_TC_WITHOUT_HEAD(info_texts);
ATF_TC_BODY(info_texts, tc)
{
	char buf[SESSION_TEXT_MAX], small[8];

	tunnel_server_text(buf, sizeof(buf), "vpn.example.com", 1723);
	ATF_CHECK_STREQ(buf, "vpn.example.com");
	tunnel_server_text(buf, sizeof(buf), "192.0.2.1", 10723);
	ATF_CHECK_STREQ(buf, "192.0.2.1 port 10723");
	tunnel_server_text(small, sizeof(small), "vpn.example.com", 1723);
	ATF_CHECK_STREQ(small, "vpn.exa");

	tunnel_mppe_text(buf, sizeof(buf), 128, 1);
	ATF_CHECK_STREQ(buf, "128 stateless");
	tunnel_mppe_text(buf, sizeof(buf), 40, 0);
	ATF_CHECK_STREQ(buf, "40 stateful");
	tunnel_mppe_text(buf, sizeof(buf), 56, 1);
	ATF_CHECK_STREQ(buf, "56 stateless");
	tunnel_mppe_text(buf, sizeof(buf), 0, 1);
	ATF_CHECK_STREQ(buf, "none");
	tunnel_mppe_text(buf, sizeof(buf), 64, 1);
	ATF_CHECK_STREQ(buf, "none");

	tunnel_addr_text(buf, sizeof(buf), 0xc000020a);
	ATF_CHECK_STREQ(buf, "192.0.2.10");
	tunnel_addr_text(buf, sizeof(buf), 0);
	ATF_CHECK_STREQ(buf, "");
	/* Too small for the address: empty, not a partial one. */
	tunnel_addr_text(small, sizeof(small), 0xc000020a);
	ATF_CHECK_STREQ(small, "");
}

ATF_TC_WITHOUT_HEAD(info_live);
ATF_TC_BODY(info_live, tc)
{
	struct session_info si;
	struct offload_stats st;

	memset(&si, 0, sizeof(si));
	memset(&st, 0, sizeof(st));
	st.tx_packets = 10;
	st.tx_bytes = 1000;
	st.rx_packets = 20;
	st.rx_bytes = 2000;
	st.rx_errors = 3;
	st.rx_lost = 4;

	si.state = SESSION_UP;
	tunnel_info_live(&si, &st, 5000, 65999);
	ATF_CHECK_EQ(si.uptime_s, 60);
	ATF_CHECK_EQ(si.tx_packets, 10);
	ATF_CHECK_EQ(si.tx_bytes, 1000);
	ATF_CHECK_EQ(si.rx_packets, 20);
	ATF_CHECK_EQ(si.rx_bytes, 2000);
	ATF_CHECK_EQ(si.rx_errors, 3);
	ATF_CHECK_EQ(si.rx_lost, 4);

	/* Uptime is only for a session that is up. */
	si.state = SESSION_BACKOFF;
	tunnel_info_live(&si, NULL, 5000, 65999);
	ATF_CHECK_EQ(si.uptime_s, 0);
	/* A clock behind the start (cannot happen) is not a huge uptime. */
	si.state = SESSION_UP;
	tunnel_info_live(&si, NULL, 5000, 4000);
	ATF_CHECK_EQ(si.uptime_s, 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, backoff_first);
	ATF_TP_ADD_TC(tp, backoff_doubles_to_max);
	ATF_TP_ADD_TC(tp, backoff_jitter_bounds);
	ATF_TP_ADD_TC(tp, backoff_no_herd_at_bounds);
	ATF_TP_ADD_TC(tp, backoff_reset_after_stable);
	ATF_TP_ADD_TC(tp, backoff_auth_failure);
	ATF_TP_ADD_TC(tp, backoff_bad_bounds);
	ATF_TP_ADD_TC(tp, mtu_derived);
	ATF_TP_ADD_TC(tp, mtu_configured);
	ATF_TP_ADD_TC(tp, keepalive_window);
	ATF_TP_ADD_TC(tp, ccp_moments_order);
	ATF_TP_ADD_TC(tp, ccp_moment_refused);
	ATF_TP_ADD_TC(tp, ccp_moments_without_hook);
	ATF_TP_ADD_TC(tp, state_names);
	ATF_TP_ADD_TC(tp, info_texts);
	ATF_TP_ADD_TC(tp, info_live);
	return atf_no_error();
}
