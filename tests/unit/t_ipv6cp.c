/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for IPv6CP (RFC 5072): our random non-zero identifier, the
 * peer's taken, a zero or equal one Naked with a fresh suggestion (and
 * Rejected at Max-Failure), Naks of ours taken unless they would collide,
 * options we do not do Rejected, lying lengths dropped, and a
 * Protocol-Reject finishing the layer.  ppp.c's side (the link staying
 * up on IPv4) is in t_ppp.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "fsm_feed.h"
#include "ipv6cp.h"
#include "ppp_defs.h"
#include "timer.h"
#include "timer_manual.h"

#define OURS	0x0211223344556677ULL
#define THEIRS	0x02aabbccddeeff00ULL

struct h {
	struct timer_base	*tb;
	struct ipv6cp		 p;
	struct fsm_owner	 owner;
	uint8_t			 pkt[FSM_PKT_MAX];
	size_t			 len;
	int			 sent;
	int			 finished;
};

static void
h_send(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct h *h = arg;

	ATF_REQUIRE_EQ(proto, PPP_IPV6CP);
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
	if (ev == FSM_LAYER_FINISHED)
		h->finished++;
}

static void
h_init(struct h *h, uint64_t ifid)
{
	struct ipv6cp_config c;

	memset(h, 0, sizeof(*h));
	memset(&c, 0, sizeof(c));
	c.ifid = ifid;
	h->tb = timer_manual_new();
	h->owner.send = h_send;
	h->owner.event = h_event;
	h->owner.arg = h;
	ipv6cp_init(&h->p, &c, "t", &h->owner, h->tb);
	fsm_open(&h->p.fsm);
	fsm_up(&h->p.fsm);
}

static void
h_free(struct h *h)
{
	ipv6cp_free(&h->p);
	timer_manual_free(h->tb);
}

static void
in(struct h *h, uint8_t code, uint8_t id, const uint8_t *d, size_t len)
{
	h->sent = 0;
	test_fsm_feed(&h->p.fsm, code, id, d, len);
}

static uint64_t
be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static void
ifid_opt(uint8_t *o, uint64_t v)
{
	o[0] = IPV6CP_IFID;
	o[1] = 10;
	put_be32(o + 2, (uint32_t)(v >> 32));
	put_be32(o + 6, (uint32_t)v);
}

ATF_TC_WITHOUT_HEAD(request_random_nonzero);
ATF_TC_BODY(request_random_nonzero, tc)
{
	struct h a, b;

	h_init(&a, 0);
	h_init(&b, 0);
	ATF_REQUIRE_EQ(a.sent, 1);
	ATF_CHECK_EQ(a.pkt[0], CONFREQ);
	ATF_REQUIRE_EQ(a.len, 4 + 10);
	ATF_CHECK_EQ(a.pkt[4], IPV6CP_IFID);
	ATF_CHECK_EQ(a.pkt[5], 10);
	ATF_CHECK(be64(a.pkt + 6) != 0);
	ATF_CHECK_EQ(be64(a.pkt + 6), a.p.ifid);
	/* Random: two ends do not start alike. */
	ATF_CHECK(a.p.ifid != b.p.ifid);
	h_free(&a);
	h_free(&b);
}

ATF_TC_WITHOUT_HEAD(peer_ifid_acked);
ATF_TC_BODY(peer_ifid_acked, tc)
{
	uint8_t o[10];
	struct h h;

	h_init(&h, OURS);
	ifid_opt(o, THEIRS);
	in(&h, CONFREQ, 7, o, sizeof(o));
	ATF_REQUIRE_EQ(h.sent, 1);
	ATF_CHECK_EQ(h.pkt[0], CONFACK);
	ATF_CHECK_EQ(h.pkt[1], 7);
	ATF_CHECK(memcmp(h.pkt + 4, o, sizeof(o)) == 0);
	ATF_CHECK_EQ(h.p.peer_ifid, THEIRS);
	in(&h, CONFACK, h.p.fsm.reqid, h.p.fsm.req, h.p.fsm.reqlen);
	ATF_CHECK_EQ(h.p.fsm.state, FSM_OPENED);
	ATF_CHECK_EQ(h.p.ifid, OURS);
	h_free(&h);
}

/* RFC 5072 §4.1: equal identifiers are Naked with a different one. */
ATF_TC_WITHOUT_HEAD(equal_ifid_naked);
ATF_TC_BODY(equal_ifid_naked, tc)
{
	uint8_t o[10];
	uint64_t sug;
	struct h h;

	h_init(&h, OURS);
	ifid_opt(o, OURS);
	in(&h, CONFREQ, 1, o, sizeof(o));
	ATF_REQUIRE_EQ(h.sent, 1);
	ATF_CHECK_EQ(h.pkt[0], CONFNAK);
	ATF_REQUIRE_EQ(h.len, 14);
	ATF_CHECK_EQ(h.pkt[4], IPV6CP_IFID);
	sug = be64(h.pkt + 6);
	ATF_CHECK(sug != 0 && sug != OURS);
	ATF_CHECK_EQ(h.p.peer_ifid, 0);
	/* The peer takes the suggestion: acked. */
	ifid_opt(o, sug);
	in(&h, CONFREQ, 2, o, sizeof(o));
	ATF_CHECK_EQ(h.pkt[0], CONFACK);
	ATF_CHECK_EQ(h.p.peer_ifid, sug);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(zero_ifid_naked);
ATF_TC_BODY(zero_ifid_naked, tc)
{
	uint8_t o[10];
	struct h h;

	h_init(&h, OURS);
	ifid_opt(o, 0);
	in(&h, CONFREQ, 1, o, sizeof(o));
	ATF_REQUIRE_EQ(h.sent, 1);
	ATF_CHECK_EQ(h.pkt[0], CONFNAK);
	ATF_CHECK(be64(h.pkt + 6) != 0 && be64(h.pkt + 6) != OURS);
	ATF_CHECK_EQ(h.p.peer_ifid, 0);
	h_free(&h);
}

/* A peer that insists is Rejected once Max-Failure is reached. */
ATF_TC_WITHOUT_HEAD(equal_ifid_rejected_at_max_failure);
ATF_TC_BODY(equal_ifid_rejected_at_max_failure, tc)
{
	uint8_t o[10];
	unsigned int i;
	struct h h;

	h_init(&h, OURS);
	ifid_opt(o, OURS);
	for (i = 0; i < h.p.fsm.max_failure; i++) {
		in(&h, CONFREQ, (uint8_t)i, o, sizeof(o));
		ATF_REQUIRE_EQ(h.pkt[0], CONFNAK);
	}
	in(&h, CONFREQ, 99, o, sizeof(o));
	ATF_CHECK_EQ(h.pkt[0], CONFREJ);
	ATF_CHECK(memcmp(h.pkt + 4, o, sizeof(o)) == 0);
	ATF_CHECK_EQ(h.p.peer_ifid, 0);
	h_free(&h);
}

/* Two ends that drew the same identifier end up with different ones. */
ATF_TC_WITHOUT_HEAD(collision_resolved);
ATF_TC_BODY(collision_resolved, tc)
{
	uint8_t o[10];
	struct h h;

	h_init(&h, OURS);
	ifid_opt(o, THEIRS);
	in(&h, CONFREQ, 1, o, sizeof(o));
	ATF_REQUIRE_EQ(h.pkt[0], CONFACK);
	/* A Nak that suggests the peer's own: we draw anew instead. */
	in(&h, CONFNAK, h.p.fsm.reqid, o, sizeof(o));
	ATF_REQUIRE_EQ(h.pkt[0], CONFREQ);
	ATF_CHECK(h.p.ifid != THEIRS && h.p.ifid != 0);
	ATF_CHECK_EQ(be64(h.pkt + 6), h.p.ifid);
	/* A Nak of zero: the same. */
	ifid_opt(o, 0);
	in(&h, CONFNAK, h.p.fsm.reqid, o, sizeof(o));
	ATF_CHECK(h.p.ifid != 0);
	/* A sane suggestion is taken. */
	ifid_opt(o, 0x0200000000000042ULL);
	in(&h, CONFNAK, h.p.fsm.reqid, o, sizeof(o));
	ATF_CHECK_EQ(h.p.ifid, 0x0200000000000042ULL);
	ATF_CHECK_EQ(be64(h.pkt + 6), 0x0200000000000042ULL);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(options_rejected);
ATF_TC_BODY(options_rejected, tc)
{
	uint8_t req[10 + 4 + 3 + 10];
	const uint8_t rej[] = {
		IPV6CP_COMP, 4, 0x00, 0x4f,
		77, 3, 1,
	};
	uint8_t o[10];
	struct h h;

	h_init(&h, OURS);
	ifid_opt(req, THEIRS);
	memcpy(req + 10, rej, sizeof(rej));
	/* A second identifier is refused too: one per request. */
	ifid_opt(req + 17, THEIRS + 1);
	in(&h, CONFREQ, 3, req, sizeof(req));
	ATF_REQUIRE_EQ(h.sent, 1);
	ATF_CHECK_EQ(h.pkt[0], CONFREJ);
	ATF_REQUIRE_EQ(h.len, 4 + sizeof(rej) + 10);
	ATF_CHECK(memcmp(h.pkt + 4, rej, sizeof(rej)) == 0);
	/* An identifier of the wrong size is refused, not read. */
	memcpy(o, (const uint8_t[]){ IPV6CP_IFID, 6, 1, 2, 3, 4 }, 6);
	in(&h, CONFREQ, 4, o, 6);
	ATF_CHECK_EQ(h.pkt[0], CONFREJ);
	ATF_CHECK_EQ(h.p.peer_ifid, 0);
	/* Our identifier rejected: no longer asked, still ours. */
	ifid_opt(o, OURS);
	in(&h, CONFREJ, h.p.fsm.reqid, o, sizeof(o));
	ATF_REQUIRE_EQ(h.pkt[0], CONFREQ);
	ATF_CHECK_EQ(h.len, 4);
	ATF_CHECK_EQ(h.p.ifid, OURS);
	h_free(&h);
}

/* Options whose Length runs past the packet or lies: dropped whole. */
ATF_TC_WITHOUT_HEAD(truncated_options);
ATF_TC_BODY(truncated_options, tc)
{
	const uint8_t past[] = { IPV6CP_IFID, 10, 1, 2, 3 };
	const uint8_t tiny[] = { IPV6CP_IFID, 1 };
	const uint8_t half[] = { IPV6CP_IFID };
	const uint8_t nak_short[] = { IPV6CP_IFID, 6, 1, 2, 3, 4 };
	struct h h;
	uint64_t before;

	h_init(&h, OURS);
	in(&h, CONFREQ, 1, past, sizeof(past));
	ATF_CHECK_EQ(h.sent, 0);
	in(&h, CONFREQ, 1, tiny, sizeof(tiny));
	ATF_CHECK_EQ(h.sent, 0);
	in(&h, CONFREQ, 1, half, sizeof(half));
	ATF_CHECK_EQ(h.sent, 0);
	before = h.p.ifid;
	in(&h, CONFNAK, h.p.fsm.reqid, nak_short, sizeof(nak_short));
	ATF_CHECK_EQ(h.sent, 0);
	ATF_CHECK_EQ(h.p.ifid, before);
	in(&h, CONFNAK, h.p.fsm.reqid, past, sizeof(past));
	ATF_CHECK_EQ(h.sent, 0);
	in(&h, CONFREJ, h.p.fsm.reqid, nak_short, sizeof(nak_short));
	ATF_CHECK_EQ(h.sent, 0);
	ATF_CHECK(h.p.neg_ifid);
	ATF_CHECK_EQ(h.p.fsm.state, FSM_REQSENT);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(protocol_reject_finishes);
ATF_TC_BODY(protocol_reject_finishes, tc)
{
	struct h h;

	h_init(&h, OURS);
	fsm_protreject(&h.p.fsm);
	ATF_CHECK_EQ(h.finished, 1);
	ATF_CHECK(h.p.fsm.state == FSM_STOPPED || h.p.fsm.state == FSM_CLOSED);
	/* Nothing more is sent: no retransmission after the reject. */
	h.sent = 0;
	timer_manual_advance(h.tb, 60000);
	ATF_CHECK_EQ(h.sent, 0);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(link_local_text);
ATF_TC_BODY(link_local_text, tc)
{
	char b[64];

	ATF_CHECK_STREQ(ipv6cp_ll_text(0x0211223344556677ULL, b, sizeof(b)),
	    "fe80::211:2233:4455:6677");
	ATF_CHECK_STREQ(ipv6cp_ll_text(0, b, sizeof(b)), "");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, request_random_nonzero);
	ATF_TP_ADD_TC(tp, peer_ifid_acked);
	ATF_TP_ADD_TC(tp, equal_ifid_naked);
	ATF_TP_ADD_TC(tp, zero_ifid_naked);
	ATF_TP_ADD_TC(tp, equal_ifid_rejected_at_max_failure);
	ATF_TP_ADD_TC(tp, collision_resolved);
	ATF_TP_ADD_TC(tp, options_rejected);
	ATF_TP_ADD_TC(tp, truncated_options);
	ATF_TP_ADD_TC(tp, protocol_reject_finishes);
	ATF_TP_ADD_TC(tp, link_local_text);
	return atf_no_error();
}
