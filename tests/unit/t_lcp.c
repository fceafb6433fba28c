/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for LCP: our request, every option of the peer's request with
 * good, wrong-length and lying lengths, the Authentication-Protocol policy
 * of both roles, Naks and Rejects of our request, loopback detection,
 * echo and keepalive on the manual clock, and the LCP-only codes.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "fsm_feed.h"
#include "lcp.h"
#include "ppp_defs.h"
#include "timer.h"
#include "timer_manual.h"

struct h {
	struct timer_base	*tb;
	struct lcp		 lcp;
	struct fsm_owner	 owner;
	uint8_t			 pkt[FSM_PKT_MAX];	/* last sent */
	size_t			 len;
	int			 sent;
	uint16_t		 protrej;
	int			 dead;
	char			 why[128];
	int			 up;
};

static void
h_send(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct h *h = arg;

	ATF_REQUIRE_EQ(proto, PPP_LCP);
	ATF_REQUIRE(len <= sizeof(h->pkt));
	memcpy(h->pkt, pkt, len);
	h->len = len;
	h->sent++;
}

static void
h_event(void *arg, struct fsm *f, enum fsm_layer_event ev)
{
	struct h *h = arg;

	(void)f;
	if (ev == FSM_LAYER_UP)
		h->up++;
}

static void
h_protrej(void *arg, uint16_t proto)
{
	((struct h *)arg)->protrej = proto;
}

static void
h_dead(void *arg, const char *why)
{
	struct h *h = arg;

	h->dead++;
	snprintf(h->why, sizeof(h->why), "%s", why);
}

static const struct lcp_ops h_ops = { h_protrej, h_dead };

static void
h_init(struct h *h, int server, unsigned int allow, uint16_t mru)
{
	struct lcp_config c;

	memset(h, 0, sizeof(*h));
	h->tb = timer_manual_new();
	h->owner.send = h_send;
	h->owner.event = h_event;
	h->owner.arg = h;
	memset(&c, 0, sizeof(c));
	c.server = server;
	c.auth_allow = allow;
	c.mru = mru;
	c.echo_interval_ms = 10000;
	lcp_init(&h->lcp, &c, "t", &h->owner, &h_ops, h, h->tb);
	fsm_open(&h->lcp.fsm);
	fsm_up(&h->lcp.fsm);
}

static void
h_free(struct h *h)
{
	lcp_free(&h->lcp);
	timer_manual_free(h->tb);
}

static void
in(struct h *h, uint8_t code, uint8_t id, const uint8_t *d, size_t len)
{
	h->sent = 0;
	test_fsm_feed(&h->lcp.fsm, code, id, d, len);
}

/* The reply's code and options must be exactly these. */
static void
reply_is(struct h *h, uint8_t code, uint8_t id, const uint8_t *d,
    size_t len)
{
	ATF_REQUIRE_EQ_MSG(h->sent, 1, "sent %d packets", h->sent);
	ATF_CHECK_EQ_MSG(h->pkt[0], code, "code %u, want %u", h->pkt[0],
	    code);
	ATF_CHECK_EQ(h->pkt[1], id);
	ATF_REQUIRE_EQ(h->len, 4 + len);
	ATF_CHECK(len == 0 || memcmp(h->pkt + 4, d, len) == 0);
}

/* Acks our request and the peer's plain one: LCP opened. */
static void
h_open(struct h *h)
{
	const uint8_t peer[] = { LCP_MAGIC, 6, 0xa1, 0xb2, 0xc3, 0xd4 };

	in(h, CONFACK, h->lcp.fsm.reqid, h->lcp.fsm.req, h->lcp.fsm.reqlen);
	in(h, CONFREQ, 1, peer, sizeof(peer));
	ATF_REQUIRE_EQ(h->lcp.fsm.state, FSM_OPENED);
}

ATF_TC_WITHOUT_HEAD(our_request);
ATF_TC_BODY(our_request, tc)
{
	struct h h;
	const uint8_t *r;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	/* Magic, PFC, ACFC; no MRU at the default and no auth. */
	r = h.lcp.fsm.req;
	ATF_REQUIRE_EQ(h.lcp.fsm.reqlen, 6 + 2 + 2);
	ATF_CHECK_EQ(r[0], LCP_MAGIC);
	ATF_CHECK(get_be32(r + 2) != 0);
	ATF_CHECK_EQ(r[6], LCP_PFC);
	ATF_CHECK_EQ(r[8], LCP_ACFC);
	ATF_CHECK_EQ(h.pkt[0], CONFREQ);
	h_free(&h);

	h_init(&h, 1, AUTH_ALLOW(AUTH_PAP) | AUTH_ALLOW(AUTH_MSCHAPV1), 1400);
	r = h.lcp.fsm.req;
	ATF_REQUIRE_EQ(h.lcp.fsm.reqlen, 4 + 5 + 6 + 2 + 2);
	ATF_CHECK_EQ(r[0], LCP_MRU);
	ATF_CHECK_EQ(get_be16(r + 2), 1400);
	ATF_CHECK_EQ(r[4], LCP_AUTH);
	ATF_CHECK_EQ(r[5], 5);
	ATF_CHECK_EQ(get_be16(r + 6), PPP_CHAP);
	ATF_CHECK_EQ(r[8], CHAP_MSV1);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(best_auth_order);
ATF_TC_BODY(best_auth_order, tc)
{
	ATF_CHECK_EQ(lcp_best_auth(0), AUTH_NONE);
	ATF_CHECK_EQ(lcp_best_auth(AUTH_ALLOW(AUTH_NONE)), AUTH_NONE);
	ATF_CHECK_EQ(lcp_best_auth(AUTH_ALLOW(AUTH_PAP)), AUTH_PAP);
	ATF_CHECK_EQ(lcp_best_auth(AUTH_ALLOW(AUTH_PAP) |
	    AUTH_ALLOW(AUTH_CHAP_MD5)), AUTH_CHAP_MD5);
	ATF_CHECK_EQ(lcp_best_auth(AUTH_ALLOW(AUTH_MSCHAPV1) |
	    AUTH_ALLOW(AUTH_CHAP_MD5)), AUTH_MSCHAPV1);
	ATF_CHECK_EQ(lcp_best_auth(0x1f), AUTH_MSCHAPV2);
}

/* Everything a Windows server sends, acked; the values kept. */
ATF_TC_WITHOUT_HEAD(peer_request_acked);
ATF_TC_BODY(peer_request_acked, tc)
{
	const uint8_t req[] = {
		LCP_MRU, 4, 0x05, 0x78,
		LCP_ACCM, 6, 0, 0, 0, 0,
		LCP_AUTH, 5, 0xc2, 0x23, CHAP_MSV2,
		LCP_MAGIC, 6, 0x11, 0x22, 0x33, 0x44,
		LCP_PFC, 2,
		LCP_ACFC, 2,
	};
	struct h h;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	in(&h, CONFREQ, 7, req, sizeof(req));
	reply_is(&h, CONFACK, 7, req, sizeof(req));
	ATF_CHECK_EQ(h.lcp.his.mru, 1400);
	ATF_CHECK(h.lcp.his.neg_accm);
	ATF_CHECK_EQ(h.lcp.his.auth, AUTH_MSCHAPV2);
	ATF_CHECK_EQ(h.lcp.his.magic, 0x11223344);
	ATF_CHECK(h.lcp.his.neg_pfc && h.lcp.his.neg_acfc);
	ATF_CHECK_EQ(h.lcp.fsm.state, FSM_ACKSENT);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(unknown_options_rejected);
ATF_TC_BODY(unknown_options_rejected, tc)
{
	const uint8_t req[] = {
		LCP_MAGIC, 6, 0x11, 0x22, 0x33, 0x44,
		13, 3, 6,			/* callback (CBCP) */
		17, 4, 0x05, 0xd4,		/* multilink MRRU */
		19, 3, 0,			/* endpoint discriminator */
		4, 4, 0xc0, 0x25,		/* quality protocol */
		LCP_PFC, 2,
	};
	const uint8_t rej[] = {
		13, 3, 6, 17, 4, 0x05, 0xd4, 19, 3, 0, 4, 4, 0xc0, 0x25,
	};
	struct h h;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	in(&h, CONFREQ, 7, req, sizeof(req));
	reply_is(&h, CONFREJ, 7, rej, sizeof(rej));
	ATF_CHECK_EQ(h.lcp.fsm.state, FSM_REQSENT);
	h_free(&h);
}

/* Options of the wrong size are rejected; a lying Length drops it all. */
ATF_TC_WITHOUT_HEAD(option_lengths);
ATF_TC_BODY(option_lengths, tc)
{
	const uint8_t mru3[] = { LCP_MRU, 3, 5 };
	const uint8_t magic5[] = { LCP_MAGIC, 7, 1, 2, 3, 4, 5 };
	const uint8_t accm2[] = { LCP_ACCM, 4, 0, 0 };
	const uint8_t auth1[] = { LCP_AUTH, 3, 0xc0 };
	const uint8_t pfc1[] = { LCP_PFC, 3, 0 };
	const uint8_t past[] = { LCP_MRU, 4, 5, 0x78, LCP_MAGIC, 6, 1, 2 };
	const uint8_t zero[] = { LCP_MRU, 0, 5, 0x78 };
	const uint8_t one[] = { LCP_PFC, 1 };
	const uint8_t half[] = { LCP_PFC };
	const uint8_t *bad[] = { mru3, magic5, accm2, auth1, pfc1 };
	const size_t badlen[] = { sizeof(mru3), sizeof(magic5),
	    sizeof(accm2), sizeof(auth1), sizeof(pfc1) };
	struct h h;
	size_t i;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		in(&h, CONFREQ, (uint8_t)i, bad[i], badlen[i]);
		reply_is(&h, CONFREJ, (uint8_t)i, bad[i], badlen[i]);
	}
	in(&h, CONFREQ, 20, past, sizeof(past));
	ATF_CHECK_EQ(h.sent, 0);
	in(&h, CONFREQ, 21, zero, sizeof(zero));
	ATF_CHECK_EQ(h.sent, 0);
	in(&h, CONFREQ, 22, one, sizeof(one));
	ATF_CHECK_EQ(h.sent, 0);
	in(&h, CONFREQ, 23, half, sizeof(half));
	ATF_CHECK_EQ(h.sent, 0);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(small_mru_naked);
ATF_TC_BODY(small_mru_naked, tc)
{
	const uint8_t req[] = { LCP_MRU, 4, 0, 64 };
	const uint8_t nak[] = { LCP_MRU, 4, 0, 128 };
	struct h h;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	in(&h, CONFREQ, 3, req, sizeof(req));
	reply_is(&h, CONFNAK, 3, nak, sizeof(nak));
	h_free(&h);
}

/* A client Naks towards its best allowed method and never accepts others. */
ATF_TC_WITHOUT_HEAD(client_auth_policy);
ATF_TC_BODY(client_auth_policy, tc)
{
	const uint8_t pap[] = { LCP_AUTH, 4, 0xc0, 0x23 };
	const uint8_t md5[] = { LCP_AUTH, 5, 0xc2, 0x23, CHAP_MD5 };
	const uint8_t alg99[] = { LCP_AUTH, 5, 0xc2, 0x23, 0x99 };
	const uint8_t eap[] = { LCP_AUTH, 4, 0xc2, 0x27 };
	const uint8_t v1[] = { LCP_AUTH, 5, 0xc2, 0x23, CHAP_MSV1 };
	const uint8_t nakv2[] = { LCP_AUTH, 5, 0xc2, 0x23, CHAP_MSV2 };
	const uint8_t nakpap[] = { LCP_AUTH, 4, 0xc0, 0x23 };
	struct h h;
	int i;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2) | AUTH_ALLOW(AUTH_MSCHAPV1),
	    0);
	in(&h, CONFREQ, 1, pap, sizeof(pap));
	reply_is(&h, CONFNAK, 1, nakv2, sizeof(nakv2));
	ATF_CHECK_STREQ(h.lcp.fsm.reason, "the server requires pap "
	    "authentication, which the configuration does not allow");
	in(&h, CONFREQ, 2, md5, sizeof(md5));
	reply_is(&h, CONFNAK, 2, nakv2, sizeof(nakv2));
	in(&h, CONFREQ, 3, alg99, sizeof(alg99));
	reply_is(&h, CONFNAK, 3, nakv2, sizeof(nakv2));
	in(&h, CONFREQ, 4, eap, sizeof(eap));
	reply_is(&h, CONFNAK, 4, nakv2, sizeof(nakv2));
	in(&h, CONFREQ, 5, v1, sizeof(v1));
	reply_is(&h, CONFACK, 5, v1, sizeof(v1));
	ATF_CHECK_EQ(h.lcp.his.auth, AUTH_MSCHAPV1);
	/* Max-Failure Naks, then Reject: still never an Ack. */
	for (i = 0; i < 5; i++) {
		in(&h, CONFREQ, (uint8_t)(10 + i), pap, sizeof(pap));
		reply_is(&h, CONFNAK, (uint8_t)(10 + i), nakv2,
		    sizeof(nakv2));
	}
	in(&h, CONFREQ, 20, pap, sizeof(pap));
	reply_is(&h, CONFREJ, 20, pap, sizeof(pap));
	h_free(&h);

	h_init(&h, 0, AUTH_ALLOW(AUTH_PAP), 0);
	in(&h, CONFREQ, 1, nakv2, sizeof(nakv2));
	reply_is(&h, CONFNAK, 1, nakpap, sizeof(nakpap));
	h_free(&h);

	/* Nothing allowed at all: the option is rejected. */
	h_init(&h, 0, AUTH_ALLOW(AUTH_NONE), 0);
	in(&h, CONFREQ, 1, nakv2, sizeof(nakv2));
	reply_is(&h, CONFREJ, 1, nakv2, sizeof(nakv2));
	h_free(&h);
}

/* A server rejects the client's wish to authenticate it; it falls back. */
ATF_TC_WITHOUT_HEAD(server_auth_policy);
ATF_TC_BODY(server_auth_policy, tc)
{
	const uint8_t v2[] = { LCP_AUTH, 5, 0xc2, 0x23, CHAP_MSV2 };
	const uint8_t pap[] = { LCP_AUTH, 4, 0xc0, 0x23 };
	const uint8_t md5[] = { LCP_AUTH, 5, 0xc2, 0x23, CHAP_MD5 };
	struct h h;

	h_init(&h, 1, AUTH_ALLOW(AUTH_MSCHAPV2) | AUTH_ALLOW(AUTH_PAP), 0);
	in(&h, CONFREQ, 1, v2, sizeof(v2));
	reply_is(&h, CONFREJ, 1, v2, sizeof(v2));
	ATF_CHECK_EQ(h.lcp.want.auth, AUTH_MSCHAPV2);
	/* The client Naks PAP: allowed, taken. */
	in(&h, CONFNAK, h.lcp.fsm.reqid, pap, sizeof(pap));
	ATF_CHECK_EQ(h.lcp.want.auth, AUTH_PAP);
	ATF_CHECK_EQ(h.pkt[0], CONFREQ);
	/* Naks CHAP-MD5 (not allowed): we fall to our next, none left. */
	in(&h, CONFNAK, h.lcp.fsm.reqid, md5, sizeof(md5));
	ATF_CHECK_EQ(h.lcp.want.auth, AUTH_MSCHAPV2);
	in(&h, CONFNAK, h.lcp.fsm.reqid, md5, sizeof(md5));
	ATF_CHECK_EQ(h.lcp.fsm.state, FSM_CLOSING);
	ATF_CHECK_EQ(h.pkt[0], TERMREQ);
	h_free(&h);

	/* A Reject of our Authentication-Protocol ends the link. */
	h_init(&h, 1, AUTH_ALLOW(AUTH_PAP), 0);
	in(&h, CONFREJ, h.lcp.fsm.reqid, pap, sizeof(pap));
	ATF_CHECK_EQ(h.lcp.fsm.state, FSM_CLOSING);
	ATF_CHECK_STREQ(h.lcp.fsm.reason, "the client refused to "
	    "authenticate");
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(naks_and_rejects_of_ours);
ATF_TC_BODY(naks_and_rejects_of_ours, tc)
{
	uint8_t nak_mru[] = { LCP_MRU, 4, 0x05, 0x00 };
	uint8_t nak_magic[] = { LCP_MAGIC, 6, 1, 2, 3, 4 };
	uint8_t rej[] = { LCP_PFC, 2, LCP_ACFC, 2 };
	uint8_t rej_unsent[] = { LCP_ACCM, 6, 0, 0, 0, 0 };
	uint8_t nak_short[] = { LCP_MRU, 3, 5 };
	uint8_t rej_magic[] = { LCP_MAGIC, 6, 0, 0, 0, 0 };
	struct h h;
	uint32_t old;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 1400);
	in(&h, CONFNAK, h.lcp.fsm.reqid, nak_mru, sizeof(nak_mru));
	ATF_CHECK_EQ(h.lcp.want.mru, 1280);
	ATF_CHECK_EQ(h.pkt[0], CONFREQ);
	ATF_CHECK_EQ(get_be16(h.pkt + 6), 1280);
	old = h.lcp.want.magic;
	in(&h, CONFNAK, h.lcp.fsm.reqid, nak_magic, sizeof(nak_magic));
	ATF_CHECK(h.lcp.want.magic != old);
	in(&h, CONFREJ, h.lcp.fsm.reqid, rej, sizeof(rej));
	ATF_CHECK(!h.lcp.want.neg_pfc && !h.lcp.want.neg_acfc);
	ATF_CHECK_EQ(h.lcp.fsm.reqlen, 4 + 6);
	/* Rejecting what we did not ask, or a short option: discarded. */
	in(&h, CONFREJ, h.lcp.fsm.reqid, rej_unsent, sizeof(rej_unsent));
	ATF_CHECK_EQ(h.sent, 0);
	in(&h, CONFNAK, h.lcp.fsm.reqid, nak_short, sizeof(nak_short));
	ATF_CHECK_EQ(h.sent, 0);
	in(&h, CONFREJ, h.lcp.fsm.reqid, rej_magic, sizeof(rej_magic));
	ATF_CHECK(!h.lcp.want.neg_magic);
	ATF_CHECK_EQ(h.lcp.fsm.reqlen, 4);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(loopback_detected);
ATF_TC_BODY(loopback_detected, tc)
{
	uint8_t req[6] = { LCP_MAGIC, 6 };
	struct h h;
	uint32_t mine;
	int i;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	for (i = 0; i < 5; i++) {
		mine = h.lcp.want.magic;
		put_be32(req + 2, mine);
		in(&h, CONFREQ, (uint8_t)i, req, sizeof(req));
		ATF_REQUIRE_EQ(h.pkt[0], CONFNAK);
		ATF_CHECK(get_be32(h.pkt + 6) != mine);
		ATF_CHECK(h.lcp.want.magic != mine);
	}
	ATF_CHECK_EQ(h.dead, 0);
	timer_manual_advance(h.tb, 0);
	ATF_CHECK_EQ(h.dead, 1);
	ATF_CHECK_MATCH("looped back", h.why);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(echo);
ATF_TC_BODY(echo, tc)
{
	uint8_t req[12] = { 0x11, 0x22, 0x33, 0x44, 'd', 'a', 't', 'a' };
	uint8_t mine[4], rep[4] = { 0xa1, 0xb2, 0xc3, 0xd4 };
	struct h h;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	/* Not opened: no answer. */
	in(&h, ECHOREQ, 5, req, 8);
	ATF_CHECK_EQ(h.sent, 0);
	h_open(&h);
	in(&h, ECHOREQ, 5, req, 8);
	ATF_REQUIRE_EQ(h.sent, 1);
	ATF_CHECK_EQ(h.pkt[0], ECHOREP);
	ATF_CHECK_EQ(h.pkt[1], 5);
	ATF_CHECK_EQ(get_be32(h.pkt + 4), h.lcp.want.magic);
	ATF_CHECK(memcmp(h.pkt + 8, "data", 4) == 0);
	/* Too short for the magic; our own magic (loop): no answer. */
	in(&h, ECHOREQ, 6, req, 3);
	ATF_CHECK_EQ(h.sent, 0);
	put_be32(mine, h.lcp.want.magic);
	in(&h, ECHOREQ, 7, mine, 4);
	ATF_CHECK_EQ(h.sent, 0);
	/* Discard, Identification, Time-Remaining: quiet. */
	in(&h, DISCREQ, 8, req, 8);
	in(&h, IDENT, 9, (const uint8_t *)"\0\0\0\0MSRASV5.20", 14);
	in(&h, TIMEREM, 10, req, 8);
	ATF_CHECK_EQ(h.sent, 0);
	/* A CCP code in LCP is Code-Rejected. */
	in(&h, RESETREQ, 11, NULL, 0);
	ATF_CHECK_EQ(h.pkt[0], CODEREJ);

	/* Keepalive: an echo every 10 s, RTT measured. */
	timer_manual_advance(h.tb, 10000);
	ATF_REQUIRE_EQ(h.pkt[0], ECHOREQ);
	timer_manual_advance(h.tb, 42);
	in(&h, ECHOREP, h.pkt[1], rep, sizeof(rep));
	ATF_CHECK_EQ(lcp_echo_rtt(&h.lcp), 42);
	/* A reply with a foreign magic is not from our peer. */
	ATF_CHECK_EQ(h.lcp.echo_pending, 0);
	timer_manual_advance(h.tb, 10000);
	put_be32(rep, 0x55555555);
	in(&h, ECHOREP, h.pkt[1], rep, sizeof(rep));
	ATF_CHECK_EQ(h.lcp.echo_pending, 1);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(keepalive_death);
ATF_TC_BODY(keepalive_death, tc)
{
	struct h h;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	h_open(&h);
	timer_manual_advance(h.tb, 30000);
	ATF_CHECK_EQ(h.lcp.echo_pending, 3);
	/* Life proven outside LCP (a kernel engine's data) counts. */
	lcp_alive(&h.lcp);
	timer_manual_advance(h.tb, 30000);
	ATF_CHECK_EQ(h.dead, 0);
	timer_manual_advance(h.tb, 10000);
	ATF_CHECK_EQ(h.dead, 0);
	timer_manual_advance(h.tb, 10000);
	ATF_CHECK_EQ(h.dead, 1);
	ATF_CHECK_STREQ(h.why, "peer not responding: 4 LCP echo requests "
	    "unanswered");
	h_free(&h);
}

/* Sends the keepalive's next Echo-Request; returns its identifier. */
static uint8_t
next_echo(struct h *h)
{
	h->sent = 0;
	ATF_REQUIRE(timer_manual_step(h->tb));
	ATF_REQUIRE_EQ(h->sent, 1);
	ATF_REQUIRE_EQ(h->pkt[0], ECHOREQ);
	return h->pkt[1];
}

/*
 * Only an Echo-Reply to an outstanding request, with the peer's magic
 * number, shows the peer is alive: a blind spoofer knows neither.
 */
ATF_TC_WITHOUT_HEAD(echo_reply_validated);
ATF_TC_BODY(echo_reply_validated, tc)
{
	uint8_t rep[4] = { 0xa1, 0xb2, 0xc3, 0xd4 }, bad[4], zero[4] = { 0 };
	struct lcp_echo_stats st;
	struct h h;
	uint8_t id;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	h_open(&h);
	id = next_echo(&h);
	ATF_REQUIRE_EQ(h.lcp.echo_pending, 1);
	/* Right magic, an identifier we never used. */
	in(&h, ECHOREP, (uint8_t)(id + 1), rep, sizeof(rep));
	ATF_CHECK_EQ(h.lcp.echo_pending, 1);
	in(&h, ECHOREP, (uint8_t)(id - 7), rep, sizeof(rep));
	ATF_CHECK_EQ(h.lcp.echo_pending, 1);
	/* Right identifier, wrong magic, or none although negotiated. */
	put_be32(bad, 0xa1b2c3d5);
	in(&h, ECHOREP, id, bad, sizeof(bad));
	ATF_CHECK_EQ(h.lcp.echo_pending, 1);
	in(&h, ECHOREP, id, zero, sizeof(zero));
	ATF_CHECK_EQ(h.lcp.echo_pending, 1);
	ATF_CHECK_EQ(lcp_echo_rtt(&h.lcp), -1);
	/* The genuine reply. */
	timer_manual_advance(h.tb, 30);
	in(&h, ECHOREP, id, rep, sizeof(rep));
	ATF_CHECK_EQ(h.lcp.echo_pending, 0);
	ATF_CHECK_EQ(lcp_echo_rtt(&h.lcp), 30);
	/* A replay of it is no longer an answer to anything. */
	id = next_echo(&h);
	in(&h, ECHOREP, (uint8_t)(id - 1), rep, sizeof(rep));
	ATF_CHECK_EQ(h.lcp.echo_pending, 1);
	lcp_echo_stats(&h.lcp, &st);
	ATF_CHECK_EQ(st.sent, 2);
	ATF_CHECK_EQ(st.missed, 0);
	ATF_CHECK_EQ(st.bad_replies, 5);
	ATF_CHECK_EQ(st.rtt_ms, 30);
	h_free(&h);
}

/* Forged replies every interval do not keep a silent peer "up". */
ATF_TC_WITHOUT_HEAD(forged_replies_not_alive);
ATF_TC_BODY(forged_replies_not_alive, tc)
{
	uint8_t rep[4] = { 0xa1, 0xb2, 0xc3, 0xd4 }, bad[4];
	uint8_t req[8] = { 0x11, 0x22, 0x33, 0x44 };
	struct lcp_echo_stats st;
	struct h h;
	unsigned int i, j;
	uint8_t id;

	put_be32(bad, 0x0badf00d);
	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	h_open(&h);
	for (i = 0; i < 4; i++) {
		id = next_echo(&h);
		/*
		 * Every identifier with a wrong magic number, and with the
		 * right one every identifier not yet used.
		 */
		for (j = 0; j < 256; j++)
			in(&h, ECHOREP, (uint8_t)j, bad, sizeof(bad));
		for (j = 1; j < 200; j++)
			in(&h, ECHOREP, (uint8_t)(id + j), rep, sizeof(rep));
		in(&h, ECHOREQ, id, req, sizeof(req));
		in(&h, DISCREQ, id, req, sizeof(req));
		in(&h, IDENT, id, req, sizeof(req));
	}
	timer_manual_advance(h.tb, 10000);
	ATF_CHECK_EQ(h.dead, 1);
	ATF_CHECK_STREQ(h.why, "peer not responding: 4 LCP echo requests "
	    "unanswered");
	lcp_echo_stats(&h.lcp, &st);
	ATF_CHECK_EQ(st.sent, 4);
	ATF_CHECK_EQ(st.missed, 4);
	ATF_CHECK_EQ(st.rtt_ms, -1);
	h_free(&h);
}

/* Without a negotiated magic number the reply carries zero (§5.8). */
ATF_TC_WITHOUT_HEAD(echo_reply_no_magic);
ATF_TC_BODY(echo_reply_no_magic, tc)
{
	const uint8_t peer[] = { LCP_PFC, 2 };
	uint8_t rep[4] = { 0xa1, 0xb2, 0xc3, 0xd4 }, zero[4] = { 0 };
	struct h h;
	uint8_t id;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	in(&h, CONFACK, h.lcp.fsm.reqid, h.lcp.fsm.req, h.lcp.fsm.reqlen);
	in(&h, CONFREQ, 1, peer, sizeof(peer));
	ATF_REQUIRE_EQ(h.lcp.fsm.state, FSM_OPENED);
	ATF_REQUIRE(!h.lcp.his.neg_magic);
	id = next_echo(&h);
	in(&h, ECHOREP, id, rep, sizeof(rep));
	ATF_CHECK_EQ(h.lcp.echo_pending, 1);
	in(&h, ECHOREP, id, zero, sizeof(zero));
	ATF_CHECK_EQ(h.lcp.echo_pending, 0);
	h_free(&h);
}

/*
 * A slow path: the reply to one echo comes after the next was sent.  It
 * answers a request still outstanding, so the peer is alive; the echo
 * it answered late counts as missed.
 */
ATF_TC_WITHOUT_HEAD(echo_late_reply);
ATF_TC_BODY(echo_late_reply, tc)
{
	uint8_t rep[4] = { 0xa1, 0xb2, 0xc3, 0xd4 };
	struct lcp_echo_stats st;
	struct h h;
	uint8_t first, second;
	unsigned int i;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	h_open(&h);
	for (i = 0; i < 20; i++) {
		first = next_echo(&h);
		second = next_echo(&h);
		timer_manual_advance(h.tb, 500);
		ATF_REQUIRE(h.lcp.echo_pending == 2);
		in(&h, ECHOREP, first, rep, sizeof(rep));
		ATF_REQUIRE_EQ(h.lcp.echo_pending, 0);
		in(&h, ECHOREP, second, rep, sizeof(rep));
		ATF_REQUIRE_EQ(h.lcp.echo_pending, 0);
		ATF_CHECK_EQ(lcp_echo_rtt(&h.lcp), 500);
	}
	ATF_CHECK_EQ(h.dead, 0);
	lcp_echo_stats(&h.lcp, &st);
	ATF_CHECK_EQ(st.sent, 40);
	ATF_CHECK_EQ(st.missed, 20);
	ATF_CHECK_EQ(st.bad_replies, 0);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(protocol_reject);
ATF_TC_BODY(protocol_reject, tc)
{
	const uint8_t ccp[] = { 0x80, 0xfd, 1, 2, 0, 4 };
	uint8_t big[1500];
	struct h h;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	/* Before Opened it is ignored. */
	in(&h, PROTREJ, 1, ccp, sizeof(ccp));
	ATF_CHECK_EQ(h.protrej, 0);
	h_open(&h);
	in(&h, PROTREJ, 1, ccp, 1);
	ATF_CHECK_EQ(h.protrej, 0);
	in(&h, PROTREJ, 1, ccp, sizeof(ccp));
	ATF_CHECK_EQ(h.protrej, PPP_CCP);
	ATF_CHECK_EQ(h.sent, 0);

	/* Ours are cut to the peer's MRU. */
	memset(big, 0xab, sizeof(big));
	h.sent = 0;
	lcp_send_protrej(&h.lcp, 0x8057, big, sizeof(big), 200);
	ATF_REQUIRE_EQ(h.sent, 1);
	ATF_CHECK_EQ(h.pkt[0], PROTREJ);
	ATF_CHECK_EQ(h.len, 200);
	ATF_CHECK_EQ(get_be16(h.pkt + 2), 200);
	ATF_CHECK_EQ(get_be16(h.pkt + 4), 0x8057);

	/* An MRU below any we would ack once underflowed the limit. */
	h.sent = 0;
	lcp_send_protrej(&h.lcp, 0x8057, big, sizeof(big), 3);
	ATF_REQUIRE_EQ(h.sent, 1);
	ATF_CHECK_EQ(h.len, PPP_MRU_MIN);
	ATF_CHECK_EQ(get_be16(h.pkt + 2), PPP_MRU_MIN);
	h_free(&h);
}

/* In Stopped a request restarts negotiation; what it says is kept. */
ATF_TC_WITHOUT_HEAD(stopped_restart);
ATF_TC_BODY(stopped_restart, tc)
{
	const uint8_t req[] = { LCP_MAGIC, 6, 0x11, 0x22, 0x33, 0x44,
	    LCP_PFC, 2 };
	struct h h;

	h_init(&h, 0, AUTH_ALLOW(AUTH_MSCHAPV2), 0);
	while (timer_manual_step(h.tb))
		;
	ATF_REQUIRE_EQ(h.lcp.fsm.state, FSM_STOPPED);
	in(&h, CONFREQ, 4, req, sizeof(req));
	ATF_CHECK_EQ(h.sent, 2);	/* our request, then the Ack */
	ATF_CHECK_EQ(h.pkt[0], CONFACK);
	ATF_CHECK_EQ(h.lcp.fsm.state, FSM_ACKSENT);
	ATF_CHECK(h.lcp.his.neg_pfc);
	ATF_CHECK_EQ(h.lcp.his.magic, 0x11223344);
	h_free(&h);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, stopped_restart);
	ATF_TP_ADD_TC(tp, our_request);
	ATF_TP_ADD_TC(tp, best_auth_order);
	ATF_TP_ADD_TC(tp, peer_request_acked);
	ATF_TP_ADD_TC(tp, unknown_options_rejected);
	ATF_TP_ADD_TC(tp, option_lengths);
	ATF_TP_ADD_TC(tp, small_mru_naked);
	ATF_TP_ADD_TC(tp, client_auth_policy);
	ATF_TP_ADD_TC(tp, server_auth_policy);
	ATF_TP_ADD_TC(tp, naks_and_rejects_of_ours);
	ATF_TP_ADD_TC(tp, loopback_detected);
	ATF_TP_ADD_TC(tp, echo);
	ATF_TP_ADD_TC(tp, keepalive_death);
	ATF_TP_ADD_TC(tp, protocol_reject);
	ATF_TP_ADD_TC(tp, echo_reply_validated);
	ATF_TP_ADD_TC(tp, forged_replies_not_alive);
	ATF_TP_ADD_TC(tp, echo_reply_no_magic);
	ATF_TP_ADD_TC(tp, echo_late_reply);
	return atf_no_error();
}
