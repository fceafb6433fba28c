/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for CCP with MPPE: our request per policy, the responder's
 * single-strength Nak, the client's handling of Naks and Rejects with the
 * exact failure reasons, other compressors refused, lying lengths, and
 * Reset-Request/Ack with rate limiting.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "ccp.h"
#include "fsm_feed.h"
#include "ppp_defs.h"
#include "timer.h"
#include "timer_manual.h"

struct h {
	struct timer_base	*tb;
	struct ccp		 ccp;
	struct fsm_owner	 owner;
	uint8_t			 pkt[FSM_PKT_MAX];
	size_t			 len;
	int			 sent;
	int			 resets;
	int			 up, finished;
};

static void
h_send(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct h *h = arg;

	ATF_REQUIRE_EQ(proto, PPP_CCP);
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
	if (ev == FSM_LAYER_FINISHED)
		h->finished++;
}

static void
h_reset(void *arg)
{
	((struct h *)arg)->resets++;
}

static const struct ccp_ops h_ops = { h_reset };

static void
h_init(struct h *h, int server, enum mppe_policy pol, uint32_t strengths,
    int stateful)
{
	struct ccp_config c;

	memset(h, 0, sizeof(*h));
	h->tb = timer_manual_new();
	h->owner.send = h_send;
	h->owner.event = h_event;
	h->owner.arg = h;
	memset(&c, 0, sizeof(c));
	c.server = server;
	c.policy = pol;
	c.strengths = strengths;
	/* 1: stateful allowed; 2: asked for (prefer-stateful). */
	c.allow_stateful = stateful == 1;
	c.prefer_stateful = stateful == 2;
	ccp_init(&h->ccp, &c, "t", &h->owner, &h_ops, h, h->tb);
	fsm_open(&h->ccp.fsm);
	fsm_up(&h->ccp.fsm);
}

static void
h_free(struct h *h)
{
	ccp_free(&h->ccp);
	timer_manual_free(h->tb);
}

static void
in(struct h *h, uint8_t code, uint8_t id, const uint8_t *d, size_t len)
{
	h->sent = 0;
	test_fsm_feed(&h->ccp.fsm, code, id, d, len);
}

static void
mppe_opt(uint8_t o[6], uint32_t bits)
{
	o[0] = CCP_MPPE;
	o[1] = 6;
	put_be32(o + 2, bits);
}

/* Sends the peer's request with these bits; returns the reply code. */
static int
offer(struct h *h, uint32_t bits, uint32_t *answer)
{
	uint8_t o[6];

	mppe_opt(o, bits);
	in(h, CONFREQ, 9, o, sizeof(o));
	ATF_REQUIRE_EQ(h->sent, 1);
	*answer = 0;
	if (h->len == 10 && h->pkt[4] == CCP_MPPE)
		*answer = get_be32(h->pkt + 6);
	return h->pkt[0];
}

ATF_TC_WITHOUT_HEAD(our_request);
ATF_TC_BODY(our_request, tc)
{
	const uint8_t want128[] = { 0x12, 0x06, 0x01, 0x00, 0x00, 0x40 };
	const uint8_t want_all[] = { 0x12, 0x06, 0x01, 0x00, 0x00, 0xe0 };
	struct h h;

	h_init(&h, 0, MPPE_REQUIRED, 0, 0);
	ATF_REQUIRE_EQ(h.pkt[0], CONFREQ);
	ATF_REQUIRE_EQ(h.len, 4 + 6);
	ATF_CHECK(memcmp(h.pkt + 4, want128, 6) == 0);
	h_free(&h);
	h_init(&h, 0, MPPE_OPTIONAL, MPPE_STRENGTHS, 1);
	ATF_CHECK(memcmp(h.pkt + 4, want_all, 6) == 0);
	h_free(&h);
}

/* As responder: a single strength, the strongest allowed, H per policy. */
ATF_TC_WITHOUT_HEAD(responder_naks_single_strength);
ATF_TC_BODY(responder_naks_single_strength, tc)
{
	struct h h;
	uint32_t a;

	h_init(&h, 1, MPPE_REQUIRED, MPPE_STRENGTHS, 0);
	ATF_CHECK_EQ(offer(&h, MPPE_H | MPPE_STRENGTHS, &a), CONFNAK);
	ATF_CHECK_EQ(a, MPPE_H | MPPE_S);
	ATF_CHECK_EQ(offer(&h, MPPE_H | MPPE_L | MPPE_M, &a), CONFNAK);
	ATF_CHECK_EQ(a, MPPE_H | MPPE_M);
	/* Stateful offered, stateless required here. */
	ATF_CHECK_EQ(offer(&h, MPPE_S, &a), CONFNAK);
	ATF_CHECK_EQ(a, MPPE_H | MPPE_S);
	/* MPPC and the obsolete D bit are dropped. */
	ATF_CHECK_EQ(offer(&h, MPPE_H | MPPE_S | MPPE_C | MPPE_D, &a),
	    CONFNAK);
	ATF_CHECK_EQ(a, MPPE_H | MPPE_S);
	/* No strength at all (ppp #558): we name one. */
	ATF_CHECK_EQ(offer(&h, MPPE_H, &a), CONFNAK);
	ATF_CHECK_EQ(a, MPPE_H | MPPE_S);
	ATF_CHECK_EQ(offer(&h, MPPE_H | MPPE_S, &a), CONFACK);
	ATF_CHECK_EQ(h.ccp.peer_acked, MPPE_H | MPPE_S);
	h_free(&h);

	/* Stateful allowed: the peer's choice of H stands. */
	h_init(&h, 1, MPPE_REQUIRED, MPPE_S, 1);
	ATF_CHECK_EQ(offer(&h, MPPE_S, &a), CONFACK);
	ATF_CHECK_EQ(offer(&h, MPPE_S | MPPE_H, &a), CONFACK);
	ATF_CHECK_EQ(offer(&h, MPPE_L | MPPE_S, &a), CONFNAK);
	ATF_CHECK_EQ(a, MPPE_S);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(client_judges_server_offer);
ATF_TC_BODY(client_judges_server_offer, tc)
{
	struct h h;
	uint32_t a;

	h_init(&h, 0, MPPE_REQUIRED, MPPE_S, 0);
	ATF_CHECK_EQ(offer(&h, MPPE_H | MPPE_L, &a), CONFNAK);
	ATF_CHECK_EQ(a, MPPE_H | MPPE_S);
	ATF_CHECK_STREQ(h.ccp.fsm.reason, "server offers only 40-bit MPPE, "
	    "the configuration allows 128");
	h_free(&h);

	h_init(&h, 0, MPPE_REQUIRED, MPPE_S, 0);
	ATF_CHECK_EQ(offer(&h, MPPE_S, &a), CONFNAK);
	ATF_CHECK_STREQ(h.ccp.fsm.reason, "server offers only stateful "
	    "MPPE, the configuration allows stateless only");
	h_free(&h);
}

/*
 * prefer-stateful: our request leaves H clear; a peer's stateless request
 * is Naked once toward stateful (pppd with mppe-stateful follows, and
 * that is the only way to stateful with it), and taken if it insists; a
 * peer that Naks our request back to stateless gets stateless.
 */
ATF_TC_WITHOUT_HEAD(prefer_stateful);
ATF_TC_BODY(prefer_stateful, tc)
{
	uint8_t o[6];
	struct h h;
	uint32_t a;

	h_init(&h, 0, MPPE_REQUIRED, MPPE_S, 2);
	ATF_REQUIRE_EQ(h.pkt[0], CONFREQ);
	ATF_CHECK_EQ(get_be32(h.pkt + 6), MPPE_S);
	ATF_CHECK_EQ(offer(&h, MPPE_H | MPPE_S, &a), CONFNAK);
	ATF_CHECK_EQ(a, MPPE_S);
	/* pppd follows the Nak. */
	ATF_CHECK_EQ(offer(&h, MPPE_S, &a), CONFACK);
	ATF_CHECK_EQ(h.ccp.peer_acked, MPPE_S);
	h_free(&h);

	/* A peer that insists on stateless gets it, not a Nak loop. */
	h_init(&h, 0, MPPE_REQUIRED, MPPE_S, 2);
	ATF_CHECK_EQ(offer(&h, MPPE_H | MPPE_S, &a), CONFNAK);
	ATF_CHECK_EQ(offer(&h, MPPE_H | MPPE_S, &a), CONFACK);
	ATF_CHECK_EQ(h.ccp.peer_acked, MPPE_H | MPPE_S);
	/* Its Nak of our stateful request: we ask for stateless. */
	mppe_opt(o, MPPE_H | MPPE_S);
	in(&h, CONFNAK, h.ccp.fsm.reqid, o, sizeof(o));
	ATF_CHECK_EQ(h.ccp.want, MPPE_H | MPPE_S);
	ATF_CHECK_EQ(get_be32(h.pkt + 6), MPPE_H | MPPE_S);
	h_free(&h);

	/* Plain "stateful" still asks for stateless and takes the peer's. */
	h_init(&h, 0, MPPE_REQUIRED, MPPE_S, 1);
	ATF_CHECK_EQ(get_be32(h.pkt + 6), MPPE_H | MPPE_S);
	ATF_CHECK_EQ(offer(&h, MPPE_H | MPPE_S, &a), CONFACK);
	h_free(&h);
}

/* Deflate, BSD, Predictor, bad MPPE lengths: rejected; lies: dropped. */
ATF_TC_WITHOUT_HEAD(other_compressors_rejected);
ATF_TC_BODY(other_compressors_rejected, tc)
{
	const uint8_t req[] = {
		26, 4, 0x78, 0x00,		/* deflate */
		21, 3, 0x2f,			/* BSD */
		1, 2,				/* predictor 1 */
		CCP_MPPE, 6, 0x01, 0, 0, 0x40,
		CCP_MPPE, 5, 0x01, 0, 0,	/* short MPPE */
	};
	const uint8_t rej[] = {
		26, 4, 0x78, 0x00, 21, 3, 0x2f, 1, 2, CCP_MPPE, 5, 0x01, 0, 0,
	};
	const uint8_t lie[] = { CCP_MPPE, 9, 0x01, 0, 0, 0x40 };
	struct h h;

	h_init(&h, 0, MPPE_REQUIRED, MPPE_S, 0);
	in(&h, CONFREQ, 4, req, sizeof(req));
	ATF_REQUIRE_EQ(h.sent, 1);
	ATF_CHECK_EQ(h.pkt[0], CONFREJ);
	ATF_REQUIRE_EQ(h.len, 4 + sizeof(rej));
	ATF_CHECK(memcmp(h.pkt + 4, rej, sizeof(rej)) == 0);
	in(&h, CONFREQ, 5, lie, sizeof(lie));
	ATF_CHECK_EQ(h.sent, 0);
	/* An empty request would mean sending in clear: Nak adds MPPE. */
	in(&h, CONFREQ, 6, NULL, 0);
	ATF_REQUIRE_EQ(h.sent, 1);
	ATF_CHECK_EQ(h.pkt[0], CONFNAK);
	ATF_CHECK_EQ(get_be32(h.pkt + 6), MPPE_H | MPPE_S);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(naks_of_our_request);
ATF_TC_BODY(naks_of_our_request, tc)
{
	uint8_t o[6];
	const uint8_t shortnak[] = { CCP_MPPE, 5, 1, 0, 0 };
	const uint8_t deflate[] = { 26, 4, 0x78, 0 };
	struct h h;

	h_init(&h, 0, MPPE_REQUIRED, MPPE_L | MPPE_S, 0);
	in(&h, CONFNAK, h.ccp.fsm.reqid, shortnak, sizeof(shortnak));
	ATF_CHECK_EQ(h.sent, 0);
	/* A suggestion of another compressor is ignored. */
	in(&h, CONFNAK, h.ccp.fsm.reqid, deflate, sizeof(deflate));
	ATF_CHECK_EQ(h.ccp.want, MPPE_H | MPPE_L | MPPE_S);
	mppe_opt(o, MPPE_H | MPPE_L);
	in(&h, CONFNAK, h.ccp.fsm.reqid, o, sizeof(o));
	ATF_CHECK_EQ(h.ccp.want, MPPE_H | MPPE_L);
	ATF_CHECK_EQ(h.pkt[0], CONFREQ);
	ATF_CHECK_EQ(get_be32(h.pkt + 6), MPPE_H | MPPE_L);
	h_free(&h);

	h_init(&h, 0, MPPE_REQUIRED, MPPE_S, 0);
	mppe_opt(o, MPPE_H | MPPE_L);
	in(&h, CONFNAK, h.ccp.fsm.reqid, o, sizeof(o));
	ATF_CHECK_EQ(h.ccp.fsm.state, FSM_CLOSING);
	ATF_CHECK_STREQ(h.ccp.fsm.reason, "server offers only 40-bit MPPE, "
	    "the configuration allows 128");
	h_free(&h);

	h_init(&h, 0, MPPE_REQUIRED, MPPE_S, 0);
	mppe_opt(o, MPPE_S);
	in(&h, CONFNAK, h.ccp.fsm.reqid, o, sizeof(o));
	ATF_CHECK_EQ(h.ccp.fsm.state, FSM_CLOSING);
	ATF_CHECK_MATCH("stateful", h.ccp.fsm.reason);
	h_free(&h);

	h_init(&h, 0, MPPE_REQUIRED, MPPE_S, 1);
	mppe_opt(o, MPPE_S);
	in(&h, CONFNAK, h.ccp.fsm.reqid, o, sizeof(o));
	ATF_CHECK_EQ(h.ccp.want, MPPE_S);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(reject_of_mppe);
ATF_TC_BODY(reject_of_mppe, tc)
{
	const uint8_t rej[] = { CCP_MPPE, 6, 1, 0, 0, 0x40 };
	const uint8_t other[] = { 26, 4, 0x78, 0 };
	struct h h;

	h_init(&h, 0, MPPE_REQUIRED, MPPE_S, 0);
	in(&h, CONFREJ, h.ccp.fsm.reqid, other, sizeof(other));
	ATF_CHECK_EQ(h.sent, 0);
	in(&h, CONFREJ, h.ccp.fsm.reqid, rej, sizeof(rej));
	ATF_CHECK_EQ(h.ccp.fsm.state, FSM_CLOSING);
	ATF_CHECK_STREQ(h.ccp.fsm.reason, "server refused MPPE; the "
	    "configuration requires it (mppe required)");
	/* The Terminate exchange ends in This-Layer-Finished. */
	in(&h, TERMACK, h.ccp.fsm.termid, NULL, 0);
	ATF_CHECK_EQ(h.finished, 1);
	h_free(&h);

	h_init(&h, 0, MPPE_OPTIONAL, MPPE_S, 0);
	in(&h, CONFREJ, h.ccp.fsm.reqid, rej, sizeof(rej));
	ATF_CHECK_STREQ(h.ccp.fsm.reason, "server refused MPPE");
	h_free(&h);
}

static void
h_open(struct h *h)
{
	uint32_t a;

	in(h, CONFACK, h->ccp.fsm.reqid, h->ccp.fsm.req, h->ccp.fsm.reqlen);
	ATF_REQUIRE_EQ(offer(h, MPPE_H | MPPE_S, &a), CONFACK);
	ATF_REQUIRE_EQ(h->ccp.fsm.state, FSM_OPENED);
	ATF_CHECK_EQ(h->ccp.tx_bits, MPPE_H | MPPE_S);
	ATF_CHECK_EQ(h->ccp.rx_bits, MPPE_H | MPPE_S);
}

ATF_TC_WITHOUT_HEAD(reset_request_and_ack);
ATF_TC_BODY(reset_request_and_ack, tc)
{
	const uint8_t cr[] = { RESETREQ, 1, 0, 4 };
	struct h h;
	uint8_t id;

	h_init(&h, 0, MPPE_REQUIRED, MPPE_S, 0);
	ATF_CHECK_EQ(ccp_send_reset_request(&h.ccp), -1);
	in(&h, RESETREQ, 3, NULL, 0);
	ATF_CHECK_EQ(h.resets, 0);
	h_open(&h);
	in(&h, RESETREQ, 3, (const uint8_t *)"xy", 2);
	ATF_CHECK_EQ(h.resets, 1);
	ATF_REQUIRE_EQ(h.sent, 1);
	ATF_CHECK_EQ(h.pkt[0], RESETACK);
	ATF_CHECK_EQ(h.pkt[1], 3);

	h.sent = 0;
	ATF_CHECK_EQ(ccp_send_reset_request(&h.ccp), 0);
	ATF_CHECK_EQ(h.pkt[0], RESETREQ);
	id = h.pkt[1];
	ATF_CHECK_EQ(ccp_send_reset_request(&h.ccp), -1);
	timer_manual_advance(h.tb, 500);
	ATF_CHECK_EQ(ccp_send_reset_request(&h.ccp), -1);
	in(&h, RESETACK, id, NULL, 0);
	ATF_CHECK_EQ(ccp_send_reset_request(&h.ccp), 0);
	timer_manual_advance(h.tb, CCP_RESET_INTERVAL_MS);
	ATF_CHECK_EQ(ccp_send_reset_request(&h.ccp), 0);

	/* A peer that Code-Rejects Reset is harmless. */
	in(&h, CODEREJ, 50, cr, sizeof(cr));
	ATF_CHECK_EQ(h.ccp.fsm.state, FSM_OPENED);
	/* Unknown codes are Code-Rejected. */
	in(&h, 33, 51, NULL, 0);
	ATF_CHECK_EQ(h.pkt[0], CODEREJ);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(bits_to_text);
ATF_TC_BODY(bits_to_text, tc)
{
	char b[40];

	ATF_CHECK_STREQ(ccp_mppe_str(MPPE_H | MPPE_S, b, sizeof(b)),
	    "<mppe +H -M +S -L -D -C>");
	ATF_CHECK_STREQ(ccp_mppe_str(0xffffffff, b, sizeof(b)),
	    "<mppe +H +M +S +L +D +C>");
	ATF_CHECK_EQ(ccp_mppe_keybits(MPPE_L | MPPE_M), 56);
	ATF_CHECK_EQ(ccp_mppe_keybits(MPPE_L), 40);
	ATF_CHECK_EQ(ccp_mppe_keybits(MPPE_H), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, our_request);
	ATF_TP_ADD_TC(tp, responder_naks_single_strength);
	ATF_TP_ADD_TC(tp, client_judges_server_offer);
	ATF_TP_ADD_TC(tp, other_compressors_rejected);
	ATF_TP_ADD_TC(tp, naks_of_our_request);
	ATF_TP_ADD_TC(tp, prefer_stateful);
	ATF_TP_ADD_TC(tp, reject_of_mppe);
	ATF_TP_ADD_TC(tp, reset_request_and_ack);
	ATF_TP_ADD_TC(tp, bits_to_text);
	return atf_no_error();
}
