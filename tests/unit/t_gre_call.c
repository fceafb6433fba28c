/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for the per-call GRE state: sequence numbers out, acks both
 * ways (piggy-backed and ack-only, timed by the manual clock), the
 * advisory send window, and the in-order receive path with its reorder
 * buffer.  Each data packet carries its own sequence number as payload,
 * so the order PPP sees is checked directly.
 */
#include <atf-c.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "gre.h"
#include "gre_call.h"
#include "log.h"
#include "timer.h"
#include "timer_manual.h"

#define OUR_ID	0x4321
#define PEER_ID	0x1234
#define MAXREC	4096

struct rig {
	struct timer_base	*tb;
	struct gre_call		*c;
	const struct gre_stats	*st;
	uint8_t			 sent[64][GRE_HDR_MAX];
	size_t			 sent_len[64];
	unsigned int		 nsent;		/* ack-only packets sent */
	uint32_t		 got[MAXREC];
	unsigned int		 ngot;
	/* Past MAXREC frames are only counted, and checked for order. */
	unsigned int		 ndeliv;
	unsigned int		 disorder;	/* not after the one before */
	uint32_t		 last;
	int			 probe_answer;	/* GRE_PROBE_* */
	unsigned int		 nprobe;
	uint32_t		 probe_moved;	/* the last probe's */
	int			 fail_send;
	int			 reply;		/* answer each frame */
	uint8_t			 replybuf[GRE_HDR_MAX + 4];
	uint8_t			*replypkt;
	size_t			 replylen;
};

static int
rig_send(void *arg, const uint8_t *pkt, size_t len)
{
	struct rig *r = arg;

	if (r->fail_send)
		return -1;
	ATF_REQUIRE(len <= GRE_HDR_MAX);
	if (r->nsent < 64) {
		memcpy(r->sent[r->nsent], pkt, len);
		r->sent_len[r->nsent] = len;
	}
	r->nsent++;
	return 0;
}

static void
rig_deliver(void *arg, const uint8_t *frame, size_t len)
{
	struct rig *r = arg;
	uint32_t seq = len >= 4 ? get_be32(frame) : 0xdeadbeef;

	if (r->ndeliv++ > 0 && (int32_t)(seq - r->last) <= 0)
		r->disorder++;
	r->last = seq;
	if (r->ngot < MAXREC)
		r->got[r->ngot++] = seq;
	if (r->reply) {
		/* PPP answering from inside delivery, as LCP echo does. */
		memset(r->replybuf + GRE_HDR_MAX, 0xaa, 4);
		ATF_REQUIRE_EQ(gre_call_output(r->c, r->replybuf + GRE_HDR_MAX,
		    4, &r->replypkt, &r->replylen), 0);
	}
}

static int
rig_probe(void *arg, const uint8_t *frame, size_t len, uint32_t moved)
{
	struct rig *r = arg;

	ATF_REQUIRE(len > 0 && frame != NULL);
	r->nprobe++;
	r->probe_moved = moved;
	return r->probe_answer;
}

static const struct gre_call_ops rig_ops = { rig_send, rig_deliver, NULL };
static const struct gre_call_ops rig_probe_ops = {
	rig_send, rig_deliver, rig_probe
};

static void
rig_init_ops(struct rig *r, const struct gre_call_config *cfg,
    const struct gre_call_ops *ops)
{
	memset(r, 0, sizeof(*r));
	r->tb = timer_manual_new();
	r->c = gre_call_new(cfg, ops, r, r->tb);
	ATF_REQUIRE(r->c != NULL);
	r->st = gre_call_stats(r->c);
}

static void
rig_init_cfg(struct rig *r, const struct gre_call_config *cfg)
{
	rig_init_ops(r, cfg, &rig_ops);
}

static void
rig_cfg(struct gre_call_config *cfg, unsigned int slots, unsigned int wait)
{
	gre_call_config_default(cfg);
	cfg->tag = "test";
	cfg->our_call_id = OUR_ID;
	cfg->peer_call_id = PEER_ID;
	cfg->peer_rwin = 4;
	cfg->our_rwin = 64;
	cfg->reorder_slots = slots;
	cfg->reorder_wait_ms = wait;
}

/* A rig whose probe answers answer (GRE_PROBE_*). */
static void
rig_init_probe(struct rig *r, int answer)
{
	struct gre_call_config cfg;

	rig_cfg(&cfg, 32, 50);
	rig_init_ops(r, &cfg, &rig_probe_ops);
	r->probe_answer = answer;
}

static void
rig_init(struct rig *r, unsigned int slots, unsigned int wait)
{
	struct gre_call_config cfg;

	rig_cfg(&cfg, slots, wait);
	rig_init_cfg(r, &cfg);
}

static void
rig_free(struct rig *r)
{
	gre_call_free(r->c);
	timer_manual_free(r->tb);
}

/* Feeds a data packet whose 4-byte payload is its sequence number. */
static int
rx_data(struct rig *r, uint32_t seq)
{
	uint8_t p[16];

	put_be32(p, 0x30018800 | 0x0b);
	put_be16(p + 4, 4);
	put_be16(p + 6, OUR_ID);
	put_be32(p + 8, seq);
	put_be32(p + 12, seq);
	return gre_call_input(r->c, p, sizeof(p));
}

/* Feeds seq, seq + 1, ... (n of them); returns how many were taken. */
static unsigned int
rx_run(struct rig *r, uint32_t seq, unsigned int n)
{
	unsigned int i, ok = 0;

	for (i = 0; i < n; i++)
		if (rx_data(r, seq + i) == 0)
			ok++;
	return ok;
}

/* A small deterministic generator for sprays. */
static uint32_t
xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static int
rx_ack_only(struct rig *r, uint32_t ack)
{
	uint8_t p[12];

	put_be32(p, 0x2081880b);
	put_be16(p + 4, 0);
	put_be16(p + 6, OUR_ID);
	put_be32(p + 8, ack);
	return gre_call_input(r->c, p, sizeof(p));
}

static void
check_got(struct rig *r, const uint32_t *want, unsigned int n)
{
	unsigned int i;

	ATF_REQUIRE_EQ_MSG(r->ngot, n, "delivered %u, want %u", r->ngot, n);
	for (i = 0; i < n; i++)
		ATF_CHECK_EQ_MSG(r->got[i], want[i], "frame %u: %u, want %u",
		    i, r->got[i], want[i]);
}

/* Sends one 4-byte frame; returns the header length used. */
static size_t
tx_one(struct rig *r, uint8_t *hdr, uint32_t *seq, int *has_ack,
    uint32_t *ack)
{
	uint8_t buf[GRE_HDR_MAX + 4], *pkt;
	struct gre_hdr h;
	size_t len;

	memset(buf, 0x55, sizeof(buf));
	put_be32(buf + GRE_HDR_MAX, 0xc0210901);
	ATF_REQUIRE_EQ(gre_call_output(r->c, buf + GRE_HDR_MAX, 4, &pkt,
	    &len), 0);
	/* Zero-copy: the header ends where the frame starts. */
	ATF_REQUIRE(pkt + len == buf + sizeof(buf));
	ATF_REQUIRE_EQ(gre_decode(pkt, len, &h), GRE_OK);
	ATF_CHECK_EQ(h.payload_len, 4);
	ATF_CHECK_EQ(h.call_id, PEER_ID);
	ATF_CHECK(h.has_seq);
	ATF_CHECK_EQ(get_be32(pkt + h.hdr_len), 0xc0210901);
	if (hdr != NULL)
		memcpy(hdr, pkt, h.hdr_len);
	if (seq != NULL)
		*seq = h.seq;
	if (has_ack != NULL)
		*has_ack = h.has_ack;
	if (ack != NULL)
		*ack = h.ack;
	return h.hdr_len;
}

/* ---- Sending, acks and the window. ---- */

ATF_TC_WITHOUT_HEAD(output_starts_at_one_zero_copy);
ATF_TC_BODY(output_starts_at_one_zero_copy, tc)
{
	static const uint8_t want[] = {
		0x30, 0x01, 0x88, 0x0b, 0x00, 0x04, 0x12, 0x34,
		0x00, 0x00, 0x00, 0x01,
	};
	struct rig r;
	uint8_t hdr[GRE_HDR_MAX];
	uint32_t seq;
	int has_ack;

	rig_init(&r, 32, 50);
	ATF_CHECK_EQ(tx_one(&r, hdr, &seq, &has_ack, NULL), 12);
	ATF_CHECK(memcmp(hdr, want, sizeof(want)) == 0);
	ATF_CHECK(!has_ack);
	tx_one(&r, NULL, &seq, NULL, NULL);
	ATF_CHECK_EQ(seq, 2);
	ATF_CHECK_EQ(r.st->tx_packets, 2);
	ATF_CHECK_EQ(r.st->tx_bytes, 8);
	/* Nothing received, so nothing to ack, ever. */
	timer_manual_advance(r.tb, 10000);
	ATF_CHECK_EQ(r.nsent, 0);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(output_rejects_bad_length);
ATF_TC_BODY(output_rejects_bad_length, tc)
{
	static uint8_t big[GRE_HDR_MAX + GRE_PAYLOAD_MAX + 1];
	struct rig r;
	uint8_t *pkt;
	size_t len;
	uint32_t seq;

	rig_init(&r, 32, 50);
	errno = 0;
	ATF_CHECK_EQ(gre_call_output(r.c, big + GRE_HDR_MAX, 0, &pkt, &len),
	    -1);
	ATF_CHECK_EQ(errno, EMSGSIZE);
	ATF_CHECK_EQ(gre_call_output(r.c, big + GRE_HDR_MAX,
	    GRE_PAYLOAD_MAX + 1, &pkt, &len), -1);
	/* The largest does fit, and failures took no sequence number. */
	ATF_CHECK_EQ(gre_call_output(r.c, big + GRE_HDR_MAX, GRE_PAYLOAD_MAX,
	    &pkt, &len), 0);
	ATF_CHECK_EQ(len, 12 + GRE_PAYLOAD_MAX);
	tx_one(&r, NULL, &seq, NULL, NULL);
	ATF_CHECK_EQ(seq, 2);
	ATF_CHECK_EQ(r.st->tx_packets, 2);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(send_hands_packet_to_ops);
ATF_TC_BODY(send_hands_packet_to_ops, tc)
{
	uint8_t buf[GRE_HDR_MAX + 1] = { 0 };
	struct rig r;

	rig_init(&r, 32, 50);
	/* rig_send keeps at most GRE_HDR_MAX bytes: a 1-byte frame fits. */
	ATF_CHECK_EQ(gre_call_send(r.c, buf + GRE_HDR_MAX, 1), 0);
	ATF_REQUIRE_EQ(r.nsent, 1);
	ATF_CHECK_EQ(r.sent_len[0], 13);
	ATF_CHECK_EQ(r.sent[0][0], 0x30);
	r.fail_send = 1;
	ATF_CHECK_EQ(gre_call_send(r.c, buf + GRE_HDR_MAX, 1), -1);
	ATF_CHECK_EQ(gre_call_send(r.c, buf + GRE_HDR_MAX, 0), -1);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(ack_piggybacks_on_data);
ATF_TC_BODY(ack_piggybacks_on_data, tc)
{
	static const uint8_t want[] = {
		0x30, 0x81, 0x88, 0x0b, 0x00, 0x04, 0x12, 0x34,
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03,
	};
	struct rig r;
	uint8_t hdr[GRE_HDR_MAX];
	int has_ack;

	rig_init(&r, 32, 50);
	ATF_CHECK_EQ(rx_data(&r, 1), 0);
	ATF_CHECK_EQ(rx_data(&r, 2), 0);
	ATF_CHECK_EQ(rx_data(&r, 3), 0);
	ATF_CHECK_EQ(tx_one(&r, hdr, NULL, &has_ack, NULL), 16);
	ATF_CHECK(memcmp(hdr, want, sizeof(want)) == 0);
	/* Acked already: no ack-only follows, the next data has none. */
	timer_manual_advance(r.tb, 1000);
	ATF_CHECK_EQ(r.nsent, 0);
	ATF_CHECK_EQ(tx_one(&r, NULL, NULL, &has_ack, NULL), 12);
	ATF_CHECK(!has_ack);
	ATF_CHECK_EQ(r.st->tx_ack_only, 0);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(ack_only_after_delay);
ATF_TC_BODY(ack_only_after_delay, tc)
{
	static const uint8_t want[] = {
		0x20, 0x81, 0x88, 0x0b, 0x00, 0x00, 0x12, 0x34,
		0x00, 0x00, 0x00, 0x02,
	};
	struct rig r;

	rig_init(&r, 32, 50);
	rx_data(&r, 1);
	timer_manual_advance(r.tb, 40);
	rx_data(&r, 2);
	/* The delay runs from the first unacknowledged packet. */
	timer_manual_advance(r.tb, GRE_ACK_DELAY_MS - 41);
	ATF_CHECK_EQ(r.nsent, 0);
	timer_manual_advance(r.tb, 1);
	ATF_REQUIRE_EQ(r.nsent, 1);
	ATF_CHECK_EQ(r.sent_len[0], sizeof(want));
	ATF_CHECK(memcmp(r.sent[0], want, sizeof(want)) == 0);
	ATF_CHECK_EQ(r.st->tx_ack_only, 1);
	timer_manual_advance(r.tb, 10000);
	ATF_CHECK_EQ(r.nsent, 1);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(ack_only_send_failure_keeps_ack);
ATF_TC_BODY(ack_only_send_failure_keeps_ack, tc)
{
	struct rig r;
	uint32_t ack;
	int has_ack;

	rig_init(&r, 32, 50);
	rx_data(&r, 1);
	r.fail_send = 1;
	timer_manual_advance(r.tb, GRE_ACK_DELAY_MS);
	ATF_CHECK_EQ(r.st->tx_errors, 1);
	ATF_CHECK_EQ(r.st->tx_ack_only, 0);
	/* No retry storm while send fails. */
	timer_manual_advance(r.tb, 10000);
	ATF_CHECK_EQ(r.st->tx_errors, 1);
	tx_one(&r, NULL, NULL, &has_ack, &ack);
	ATF_CHECK(has_ack);
	ATF_CHECK_EQ(ack, 1);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(no_ack_storm);
ATF_TC_BODY(no_ack_storm, tc)
{
	struct rig r;
	uint32_t s;

	rig_init(&r, 32, 50);
	/* A burst read in one loop turn: one ack covers it. */
	for (s = 1; s <= 1000; s++)
		rx_data(&r, s);
	timer_manual_advance(r.tb, 0);
	ATF_REQUIRE_EQ(r.nsent, 1);
	ATF_CHECK_EQ(get_be32(r.sent[0] + 8), 1000);

	/* One packet per loop turn: an ack per half window (64 / 2). */
	for (; s <= 2000; s++) {
		rx_data(&r, s);
		timer_manual_advance(r.tb, 0);
	}
	ATF_CHECK_MSG(r.nsent >= 30 && r.nsent <= 33, "%u ack-only",
	    r.nsent);

	/* A packet every 10 ms: the delay batches about ten at a time. */
	r.nsent = 0;
	for (; s <= 2100; s++) {
		rx_data(&r, s);
		timer_manual_advance(r.tb, 10);
	}
	ATF_CHECK_MSG(r.nsent >= 9 && r.nsent <= 11, "%u ack-only",
	    r.nsent);
	ATF_CHECK_EQ(r.st->rx_packets, 2100);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(send_window_is_advisory);
ATF_TC_BODY(send_window_is_advisory, tc)
{
	struct rig r;
	uint32_t seq;
	int i;

	rig_init(&r, 32, 50);			/* peer window 4 */
	for (i = 0; i < 10; i++)
		tx_one(&r, NULL, &seq, NULL, NULL);
	/* All ten went out; six beyond the window were counted. */
	ATF_CHECK_EQ(seq, 10);
	ATF_CHECK_EQ(r.st->tx_packets, 10);
	ATF_CHECK_EQ(r.st->tx_window_full, 6);

	/* An ack for something never sent moves nothing. */
	ATF_CHECK_EQ(rx_ack_only(&r, 11), 0);
	ATF_CHECK_EQ(r.st->rx_ack_only, 1);
	tx_one(&r, NULL, NULL, NULL, NULL);	/* seq 11, 11 outstanding */
	ATF_CHECK_EQ(r.st->tx_window_full, 7);

	/* A real ack opens the window. */
	rx_ack_only(&r, 11);
	for (i = 0; i < 4; i++)
		tx_one(&r, NULL, NULL, NULL, NULL);
	ATF_CHECK_EQ(r.st->tx_window_full, 7);
	/* An older ack does not close it again. */
	rx_ack_only(&r, 3);
	tx_one(&r, NULL, NULL, NULL, NULL);	/* 5 outstanding > 4 */
	ATF_CHECK_EQ(r.st->tx_window_full, 8);
	/* Acks on data count as acks too, and are not ack-only. */
	{
		uint8_t p[20];

		put_be32(p, 0x3081880b);
		put_be16(p + 4, 4);
		put_be16(p + 6, OUR_ID);
		put_be32(p + 8, 1);
		put_be32(p + 12, 16);
		put_be32(p + 16, 1);
		ATF_CHECK_EQ(gre_call_input(r.c, p, sizeof(p)), 0);
	}
	tx_one(&r, NULL, NULL, NULL, NULL);
	ATF_CHECK_EQ(r.st->tx_window_full, 8);
	ATF_CHECK_EQ(r.st->rx_ack_only, 3);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(reply_from_inside_delivery);
ATF_TC_BODY(reply_from_inside_delivery, tc)
{
	struct rig r;
	struct gre_hdr h;

	rig_init(&r, 32, 50);
	r.reply = 1;
	rx_data(&r, 1);
	ATF_REQUIRE_EQ(gre_decode(r.replypkt, r.replylen, &h), GRE_OK);
	ATF_CHECK(h.has_ack);
	ATF_CHECK_EQ(h.ack, 1);
	ATF_CHECK_EQ(h.seq, 1);
	timer_manual_advance(r.tb, 1000);
	ATF_CHECK_EQ(r.nsent, 0);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(drops_other_calls_and_garbage);
ATF_TC_BODY(drops_other_calls_and_garbage, tc)
{
	static const uint8_t garbage[] = { 0x45, 0x00, 0x00, 0x54, 0x00 };
	uint8_t p[16];
	struct rig r;

	rig_init(&r, 32, 50);
	/* Drop lines are rate-limited debug lines: exercise them. */
	log_setverbose(1);
	put_be32(p, 0x3001880b);
	put_be16(p + 4, 4);
	put_be16(p + 6, OUR_ID + 1);
	put_be32(p + 8, 1);
	put_be32(p + 12, 1);
	ATF_CHECK_EQ(gre_call_input(r.c, p, sizeof(p)), -1);
	ATF_CHECK_EQ(r.st->rx_bad_call_id, 1);
	ATF_CHECK_EQ(gre_call_input(r.c, garbage, sizeof(garbage)), -1);
	ATF_CHECK_EQ(gre_call_input(r.c, p, 0), -1);
	ATF_CHECK_EQ(r.st->rx_malformed, 2);
	ATF_CHECK_EQ(r.ngot, 0);
	/* Neither started the receive side nor owes an ack. */
	timer_manual_advance(r.tb, 1000);
	ATF_CHECK_EQ(r.nsent, 0);
	log_setverbose(0);
	rig_free(&r);
}

/* ---- Receiving in order. ---- */

ATF_TC_WITHOUT_HEAD(rx_in_order);
ATF_TC_BODY(rx_in_order, tc)
{
	static const uint32_t want[] = { 1000, 1001, 1002, 1003 };
	struct rig r;
	uint32_t s;

	rig_init(&r, 32, 50);
	/* The first sequence number is whatever the peer starts with. */
	for (s = 1000; s < 1004; s++)
		ATF_CHECK_EQ(rx_data(&r, s), 0);
	check_got(&r, want, 4);
	ATF_CHECK_EQ(r.st->rx_packets, 4);
	ATF_CHECK_EQ(r.st->rx_bytes, 16);
	ATF_CHECK_EQ(r.st->rx_lost + r.st->rx_reordered, 0);
	ATF_CHECK_EQ(timer_manual_next(r.tb), GRE_ACK_DELAY_MS);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(rx_swapped_pairs);
ATF_TC_BODY(rx_swapped_pairs, tc)
{
	static const uint32_t in[] = { 1, 3, 2, 5, 4, 7, 6 };
	static const uint32_t want[] = { 1, 2, 3, 4, 5, 6, 7 };
	struct rig r;
	size_t i;

	rig_init(&r, 32, 50);
	for (i = 0; i < 7; i++)
		ATF_CHECK_EQ(rx_data(&r, in[i]), 0);
	check_got(&r, want, 7);
	ATF_CHECK_EQ(r.st->rx_reordered, 3);
	ATF_CHECK_EQ(r.st->rx_lost, 0);
	/* Nothing held: only the ack timer is left. */
	timer_manual_advance(r.tb, GRE_ACK_DELAY_MS);
	ATF_CHECK_EQ(get_be32(r.sent[0] + 8), 7);
	ATF_CHECK_EQ(timer_manual_next(r.tb), UINT64_MAX);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(rx_gap_filled_late);
ATF_TC_BODY(rx_gap_filled_late, tc)
{
	static const uint32_t want[] = { 1, 2, 3, 4, 5 };
	struct rig r;

	rig_init(&r, 32, 50);
	rx_data(&r, 1);
	rx_data(&r, 3);
	rx_data(&r, 4);
	rx_data(&r, 5);
	ATF_CHECK_EQ(r.ngot, 1);
	timer_manual_advance(r.tb, 49);
	ATF_CHECK_EQ(r.ngot, 1);
	rx_data(&r, 2);
	check_got(&r, want, 5);
	ATF_CHECK_EQ(r.st->rx_lost, 0);
	ATF_CHECK_EQ(r.st->rx_reordered, 1);
	timer_manual_advance(r.tb, 1000);
	ATF_CHECK_EQ(r.ngot, 5);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(rx_gap_never_filled);
ATF_TC_BODY(rx_gap_never_filled, tc)
{
	static const uint32_t want[] = { 1, 3, 4, 6, 8 };
	struct rig r;

	rig_init(&r, 32, 50);
	rx_data(&r, 1);
	rx_data(&r, 3);
	rx_data(&r, 4);
	timer_manual_advance(r.tb, 30);
	rx_data(&r, 6);				/* arrives at t = 30 */
	timer_manual_advance(r.tb, 19);
	ATF_CHECK_EQ(r.ngot, 1);
	timer_manual_advance(r.tb, 1);		/* t = 50: 2 given up */
	check_got(&r, want, 3);
	ATF_CHECK_EQ(r.st->rx_lost, 1);
	/* 6 has its own 50 ms, from when it came. */
	timer_manual_advance(r.tb, 29);
	ATF_CHECK_EQ(r.ngot, 3);
	timer_manual_advance(r.tb, 1);
	check_got(&r, want, 4);
	ATF_CHECK_EQ(r.st->rx_lost, 2);

	/* The lost ones turning up now are late, not delivered. */
	ATF_CHECK_EQ(rx_data(&r, 2), -1);
	ATF_CHECK_EQ(rx_data(&r, 5), -1);
	ATF_CHECK_EQ(r.st->rx_late, 2);
	ATF_CHECK_EQ(r.st->rx_duplicate, 0);
	ATF_CHECK_EQ(rx_data(&r, 8), 0);
	timer_manual_advance(r.tb, 50);
	check_got(&r, want, 5);
	ATF_CHECK_EQ(r.st->rx_lost, 3);
	rig_free(&r);
}

/*
 * A thousand idle calls must not each keep a reorder buffer: its frames
 * come with the first early packet, and then reordering works as ever.
 */
ATF_TC_WITHOUT_HEAD(rx_reorder_buffer_allocated_when_needed);
ATF_TC_BODY(rx_reorder_buffer_allocated_when_needed, tc)
{
	static const uint32_t want[] = { 1, 2, 3, 4, 5, 6 };
	struct gre_call_config cfg;
	struct rig r;

	rig_cfg(&cfg, 16, 50);
	rig_init_cfg(&r, &cfg);
	ATF_CHECK_EQ(rx_run(&r, 1, 4), 4);
	ATF_CHECK_EQ(gre_call_reorder_bytes(r.c), 0);
	ATF_CHECK_EQ(rx_data(&r, 6), 0);
	ATF_CHECK_EQ(gre_call_reorder_bytes(r.c),
	    (size_t)16 * cfg.max_frame);
	ATF_CHECK_EQ(rx_data(&r, 5), 0);
	check_got(&r, want, 6);
	ATF_CHECK_EQ(r.st->rx_reordered, 1);
	ATF_CHECK_EQ(r.st->rx_no_memory, 0);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(rx_timer_follows_oldest_held);
ATF_TC_BODY(rx_timer_follows_oldest_held, tc)
{
	static const uint32_t want[] = { 1, 2, 3, 5 };
	struct rig r;

	rig_init(&r, 32, 50);
	rx_data(&r, 1);
	rx_data(&r, 3);				/* t = 0 */
	timer_manual_advance(r.tb, 30);
	rx_data(&r, 5);				/* t = 30 */
	timer_manual_advance(r.tb, 10);
	rx_data(&r, 2);				/* fills the first gap */
	check_got(&r, want, 3);
	/* At t = 50 nothing has waited 50 ms: 5 is due at t = 80. */
	timer_manual_advance(r.tb, 39);
	check_got(&r, want, 3);
	ATF_CHECK_EQ(r.st->rx_lost, 0);
	timer_manual_advance(r.tb, 1);
	check_got(&r, want, 4);
	ATF_CHECK_EQ(r.st->rx_lost, 1);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(rx_buffer_full_gives_up_oldest);
ATF_TC_BODY(rx_buffer_full_gives_up_oldest, tc)
{
	static const uint32_t want[] = { 1, 3, 4, 5, 6, 7, 17, 18, 19, 20 };
	struct rig r;

	rig_init(&r, 4, 50);
	rx_data(&r, 1);
	rx_data(&r, 3);
	rx_data(&r, 4);
	rx_data(&r, 5);
	ATF_CHECK_EQ(r.ngot, 1);
	/* 6 is 4 ahead of 2: no room to wait for 2 any more. */
	rx_data(&r, 6);
	check_got(&r, want, 5);
	ATF_CHECK_EQ(r.st->rx_lost, 1);
	/* Far ahead with nothing held: jump, keep room for the gap's end. */
	rx_data(&r, 7);
	rx_data(&r, 20);
	check_got(&r, want, 6);
	ATF_CHECK_EQ(r.st->rx_lost, 1 + 9);
	rx_data(&r, 17);
	rx_data(&r, 18);
	rx_data(&r, 19);
	check_got(&r, want, 10);
	ATF_CHECK_EQ(r.st->rx_lost, 10);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(rx_duplicates);
ATF_TC_BODY(rx_duplicates, tc)
{
	static const uint32_t want[] = { 1, 2, 3 };
	struct rig r;

	rig_init(&r, 32, 50);
	rx_data(&r, 1);
	ATF_CHECK_EQ(rx_data(&r, 1), -1);	/* delivered already */
	rx_data(&r, 3);
	ATF_CHECK_EQ(rx_data(&r, 3), -1);	/* held already */
	rx_data(&r, 2);
	ATF_CHECK_EQ(rx_data(&r, 2), -1);
	ATF_CHECK_EQ(rx_data(&r, 1), -1);
	check_got(&r, want, 3);
	ATF_CHECK_EQ(r.st->rx_duplicate, 4);
	ATF_CHECK_EQ(r.st->rx_late, 0);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(rx_far_outside_window);
ATF_TC_BODY(rx_far_outside_window, tc)
{
	static const uint32_t want[] = { 100000, 100001, 100002, 100066 };
	struct rig r;

	/* 32 slots, our window 64: W is 64. */
	rig_init(&r, 32, 50);
	rx_data(&r, 100000);
	ATF_CHECK_EQ(rx_data(&r, 100001 + 64), -1);
	ATF_CHECK_EQ(rx_data(&r, 1), -1);
	ATF_CHECK_EQ(rx_data(&r, 100000 + 0x80000000u), -1);
	ATF_CHECK_EQ(rx_data(&r, 100001 - 65), -1);
	ATF_CHECK_EQ(r.st->rx_out_of_window, 4);
	/* Stray packets in between do not disturb the stream. */
	rx_data(&r, 100001);
	ATF_CHECK_EQ(rx_data(&r, 100000 + 0x7fffffffu), -1);
	rx_data(&r, 100002);
	check_got(&r, want, 3);
	ATF_CHECK_EQ(r.st->rx_lost, 0);
	ATF_CHECK_EQ(r.st->rx_late, 0);
	ATF_CHECK_EQ(r.st->rx_resync, 0);
	/* W back is a late packet, not a far one. */
	ATF_CHECK_EQ(rx_data(&r, 100003 - 64), -1);
	ATF_CHECK_EQ(r.st->rx_late, 1);
	/* Just inside W ahead is a (long) gap, not out of window. */
	ATF_CHECK_EQ(rx_data(&r, 100003 + 63), 0);
	ATF_CHECK_EQ(r.st->rx_out_of_window, 5);
	timer_manual_advance(r.tb, 50);
	check_got(&r, want, 4);
	ATF_CHECK_EQ(r.st->rx_lost, 63);
	rig_free(&r);
}

/*
 * The issue 9 attack: one packet with our call ID and a sequence number
 * ahead used to be a gap, after which every genuine packet was "late".
 */
ATF_TC_WITHOUT_HEAD(rx_spoofed_far_ahead_not_followed);
ATF_TC_BODY(rx_spoofed_far_ahead_not_followed, tc)
{
	static const uint32_t off[] = { 65, 1000, 30000, 0x7fff, 0x10000 };
	struct rig r;
	size_t i;

	for (i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		rig_init(&r, 32, 50);
		ATF_REQUIRE_EQ(rx_run(&r, 1, 100), 100);
		ATF_CHECK_EQ(rx_data(&r, 100 + off[i]), -1);
		ATF_CHECK_EQ_MSG(rx_run(&r, 101, 20000), 20000, "+%u",
		    off[i]);
		timer_manual_advance(r.tb, 1000);
		ATF_CHECK_EQ_MSG(r.ndeliv, 20100, "+%u: %u delivered",
		    off[i], r.ndeliv);
		ATF_CHECK_EQ(r.disorder, 0);
		ATF_CHECK_EQ(r.st->rx_out_of_window, 1);
		ATF_CHECK_EQ(r.st->rx_late + r.st->rx_lost + r.st->rx_resync,
		    0);
		rig_free(&r);
	}
}

ATF_TC_WITHOUT_HEAD(rx_spoofed_far_behind_not_followed);
ATF_TC_BODY(rx_spoofed_far_behind_not_followed, tc)
{
	struct rig r;

	rig_init(&r, 32, 50);
	ATF_REQUIRE_EQ(rx_run(&r, 100000, 100), 100);
	ATF_CHECK_EQ(rx_data(&r, 100000 - 1000), -1);
	ATF_CHECK_EQ(rx_data(&r, 100000 - 65), -1);
	ATF_CHECK_EQ(rx_run(&r, 100100, 1000), 1000);
	ATF_CHECK_EQ(r.ndeliv, 1100);
	ATF_CHECK_EQ(r.st->rx_out_of_window, 2);
	ATF_CHECK_EQ(r.st->rx_lost + r.st->rx_resync, 0);
	rig_free(&r);
}

/* Random far sequence numbers between genuine packets: none moves us. */
ATF_TC_WITHOUT_HEAD(rx_far_spray);
ATF_TC_BODY(rx_far_spray, tc)
{
	struct rig r;
	uint32_t st = 0x9e3779b9, seq = 5000, x;
	unsigned int i, sprayed = 0, d;
	int near;

	for (near = 0; near <= 1; near++) {
		rig_init(&r, 32, 50);
		seq = 5000;
		sprayed = 0;
		for (i = 0; i < 20000; i++) {
			ATF_REQUIRE_EQ(rx_data(&r, seq++), 0);
			if (i % 3 != 0)
				continue;
			x = xorshift(&st);
			if (near) {
				/* 64 to 30000 either way: the old "gaps". */
				d = 64 + x % 30000;
				x = x & 0x80000000u ? seq + d : seq - d - 1;
			} else if ((uint32_t)(x - seq + 64) < 129)
				continue;	/* in the window by chance */
			ATF_CHECK_EQ(rx_data(&r, x), -1);
			sprayed++;
		}
		timer_manual_advance(r.tb, 1000);
		ATF_CHECK_EQ_MSG(r.ndeliv, 20000, "%s spray: %u delivered",
		    near ? "near" : "wide", r.ndeliv);
		ATF_CHECK_EQ(r.disorder, 0);
		ATF_CHECK_EQ(r.st->rx_out_of_window, sprayed);
		ATF_CHECK_EQ(r.st->rx_resync, 0);
		ATF_CHECK_EQ(r.st->rx_lost, 0);
		rig_free(&r);
	}
}

/*
 * A spoofer who sends a run that agrees moves the stream (it cannot be
 * told from an outage), but the genuine packets, now far behind, bring
 * it back: at most GRE_RESYNC_PKTS - 1 of them are lost per run.
 */
ATF_TC_WITHOUT_HEAD(rx_spoofed_run_is_undone);
ATF_TC_BODY(rx_spoofed_run_is_undone, tc)
{
	struct rig r;
	uint32_t seq = 1;
	unsigned int round, got = 0, fed = 0, spoofed = 0;

	rig_init(&r, 32, 50);
	for (round = 0; round < 50; round++) {
		fed += 100;
		got += rx_run(&r, seq, 100);
		seq += 100;
		spoofed += rx_run(&r, seq + 5000 + round * 7919,
		    GRE_RESYNC_PKTS);
	}
	fed += 100;
	got += rx_run(&r, seq, 100);
	ATF_CHECK_EQ(spoofed, 50);
	ATF_CHECK_EQ(r.st->rx_resync, 100);
	ATF_CHECK_EQ(got, fed - 50 * (GRE_RESYNC_PKTS - 1));
	ATF_CHECK_EQ(r.ndeliv, got + spoofed);
	rig_free(&r);
}

/* The legitimate case: the peer's sequence really moved on. */
ATF_TC_WITHOUT_HEAD(rx_real_outage_followed);
ATF_TC_BODY(rx_real_outage_followed, tc)
{
	static const uint32_t jump[] = { 65, 10000, 100000, 0x7ffffff0 };
	struct rig r;
	size_t i;
	int probe;

	for (probe = 0; probe <= 2; probe++) {
		for (i = 0; i < sizeof(jump) / sizeof(jump[0]); i++) {
			if (probe == 0)
				rig_init(&r, 32, 50);
			else
				rig_init_probe(&r, probe == 1 ?
				    GRE_PROBE_UNKNOWN : GRE_PROBE_YES);
			ATF_REQUIRE_EQ(rx_run(&r, 1, 10), 10);
			/* Without a verdict, a few agreeing packets... */
			ATF_CHECK_EQ(rx_run(&r, 10 + jump[i], 100),
			    probe == 2 ? 100 : 100 - (GRE_RESYNC_PKTS - 1));
			ATF_CHECK_EQ(r.st->rx_resync, 1);
			ATF_CHECK_EQ(r.st->rx_out_of_window,
			    probe == 2 ? 0 : GRE_RESYNC_PKTS - 1);
			ATF_CHECK_EQ(r.disorder, 0);
			ATF_CHECK_EQ(r.nprobe, probe == 0 ? 0 :
			    probe == 1 ? GRE_RESYNC_PKTS : 1);
			rig_free(&r);
		}
	}
}

/* Verified garbage never moves the stream, however much agrees. */
ATF_TC_WITHOUT_HEAD(rx_probe_no_never_followed);
ATF_TC_BODY(rx_probe_no_never_followed, tc)
{
	struct rig r;

	rig_init_probe(&r, GRE_PROBE_NO);
	ATF_REQUIRE_EQ(rx_run(&r, 1, 10), 10);
	ATF_CHECK_EQ(rx_run(&r, 5000, 1000), 0);
	ATF_CHECK_EQ(rx_run(&r, 11, 10), 10);
	ATF_CHECK_EQ(r.st->rx_far_refused, 1000);
	ATF_CHECK_EQ(r.st->rx_out_of_window + r.st->rx_resync, 0);
	/* In-window packets are never probed: the probe costs nothing. */
	ATF_CHECK_EQ(r.nprobe, 1000);
	/* A NO between agreeing unknown packets does not break the run. */
	r.probe_answer = GRE_PROBE_UNKNOWN;
	ATF_CHECK_EQ(rx_data(&r, 9000), -1);
	r.probe_answer = GRE_PROBE_NO;
	ATF_CHECK_EQ(rx_data(&r, 9001), -1);
	r.probe_answer = GRE_PROBE_UNKNOWN;
	ATF_CHECK_EQ(rx_data(&r, 9002), -1);
	ATF_CHECK_EQ(rx_data(&r, 9003), 0);
	ATF_CHECK_EQ(r.st->rx_resync, 1);
	ATF_CHECK_EQ(r.st->rx_far_refused, 1001);
	ATF_CHECK_EQ(r.ndeliv, 21);
	rig_free(&r);
}

/*
 * The probe learns how far ahead a far frame is (MPPE's count wraps at
 * 4096, GRE's numbers tell it how many turns went by), and 0 behind.
 */
ATF_TC_WITHOUT_HEAD(rx_probe_told_how_far);
ATF_TC_BODY(rx_probe_told_how_far, tc)
{
	struct rig r;

	rig_init_probe(&r, GRE_PROBE_NO);
	ATF_REQUIRE_EQ(rx_run(&r, 1, 10), 10);
	ATF_CHECK_EQ(rx_data(&r, 11 + 5000), -1);
	ATF_CHECK_EQ(r.probe_moved, 5001);
	ATF_CHECK_EQ(rx_data(&r, 11 - 5000), -1);
	ATF_CHECK_EQ(r.probe_moved, 0);
	r.probe_answer = GRE_PROBE_YES;
	ATF_CHECK_EQ(rx_data(&r, 11 + 4200), 0);
	ATF_CHECK_EQ(r.probe_moved, 4201);
	ATF_CHECK_EQ(r.st->rx_resync, 1);
	rig_free(&r);
}

/* Loss and reordering within W stay what they were. */
ATF_TC_WITHOUT_HEAD(rx_burst_loss_within_window);
ATF_TC_BODY(rx_burst_loss_within_window, tc)
{
	struct rig r;

	rig_init_probe(&r, GRE_PROBE_NO);
	ATF_REQUIRE_EQ(rx_run(&r, 1, 10), 10);
	/* 63 lost: the next is 63 ahead of 11, in the window. */
	ATF_CHECK_EQ(rx_run(&r, 11 + 63, 5), 5);
	ATF_CHECK_EQ(rx_data(&r, 11 + 70), 0);	/* reordered */
	ATF_CHECK_EQ(rx_data(&r, 11 + 69), 0);
	timer_manual_advance(r.tb, 50);
	ATF_CHECK_EQ(r.ndeliv, 17);
	ATF_CHECK_EQ(r.disorder, 0);
	ATF_CHECK_EQ(r.st->rx_lost, 63 + 1);
	ATF_CHECK_EQ(r.nprobe, 0);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(rx_follows_real_jump);
ATF_TC_BODY(rx_follows_real_jump, tc)
{
	static const uint32_t want[] = { 1, 2, 1000002, 1000003 };
	struct rig r;

	rig_init(&r, 32, 50);
	rx_data(&r, 1);
	rx_data(&r, 2);
	ATF_CHECK_EQ(rx_data(&r, 1000000), -1);
	ATF_CHECK_EQ(rx_data(&r, 1000001), -1);
	ATF_CHECK_EQ(rx_data(&r, 1000002), 0);
	ATF_CHECK_EQ(rx_data(&r, 1000003), 0);
	check_got(&r, want, 4);
	ATF_CHECK_EQ(r.st->rx_resync, 1);
	ATF_CHECK_EQ(r.st->rx_out_of_window, 2);
	ATF_CHECK_EQ(r.st->rx_lost, 1000002 - 3);
	/* The ack follows too. */
	timer_manual_advance(r.tb, GRE_ACK_DELAY_MS);
	ATF_REQUIRE(r.nsent >= 1);
	ATF_CHECK_EQ(get_be32(r.sent[r.nsent - 1] + 8), 1000003);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(rx_wrap_at_2_32);
ATF_TC_BODY(rx_wrap_at_2_32, tc)
{
	static const uint32_t want[] = {
		0xfffffffd, 0xfffffffe, 0xffffffff, 0, 1, 3, 4, 5,
	};
	struct rig r;

	rig_init(&r, 32, 50);
	rx_data(&r, 0xfffffffd);
	rx_data(&r, 0xfffffffe);
	/* Swapped across the wrap: 0 before 0xffffffff. */
	rx_data(&r, 0);
	ATF_CHECK_EQ(r.ngot, 2);
	rx_data(&r, 0xffffffff);
	rx_data(&r, 1);
	ATF_CHECK_EQ(rx_data(&r, 0xfffffffe), -1);
	ATF_CHECK_EQ(r.st->rx_duplicate, 1);
	/* A gap just after the wrap, given up by the timer. */
	rx_data(&r, 3);
	rx_data(&r, 4);
	timer_manual_advance(r.tb, 50);
	rx_data(&r, 5);
	ATF_CHECK_EQ(rx_data(&r, 2), -1);
	check_got(&r, want, 8);
	ATF_CHECK_EQ(r.st->rx_lost, 1);
	ATF_CHECK_EQ(r.st->rx_late, 1);
	/* The ack is the highest in serial order, not numerically. */
	timer_manual_advance(r.tb, GRE_ACK_DELAY_MS);
	ATF_CHECK_EQ(get_be32(r.sent[r.nsent - 1] + 8), 5);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(rx_wrap_held_across);
ATF_TC_BODY(rx_wrap_held_across, tc)
{
	static const uint32_t want[] = { 0xfffffffe, 0xffffffff, 0, 1, 2 };
	struct rig r;

	/* 5 slots round to 8: slot indices stay distinct over the wrap. */
	rig_init(&r, 5, 50);
	rx_data(&r, 0xfffffffe);
	rx_data(&r, 2);
	rx_data(&r, 1);
	rx_data(&r, 0);
	ATF_CHECK_EQ(r.ngot, 1);
	rx_data(&r, 0xffffffff);
	check_got(&r, want, 5);
	ATF_CHECK_EQ(r.st->rx_reordered, 3);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(rx_reorder_disabled);
ATF_TC_BODY(rx_reorder_disabled, tc)
{
	static const uint32_t want[] = { 1, 3, 6 };
	struct rig r;

	rig_init(&r, 0, 50);
	rx_data(&r, 1);
	rx_data(&r, 3);				/* at once, 2 lost */
	check_got(&r, want, 2);
	ATF_CHECK_EQ(r.st->rx_lost, 1);
	ATF_CHECK_EQ(rx_data(&r, 2), -1);	/* older: dropped */
	ATF_CHECK_EQ(r.st->rx_late, 1);
	ATF_CHECK_EQ(rx_data(&r, 3), -1);
	ATF_CHECK_EQ(r.st->rx_duplicate, 1);
	rx_data(&r, 6);
	check_got(&r, want, 3);
	ATF_CHECK_EQ(r.st->rx_lost, 3);
	ATF_CHECK_EQ(r.st->rx_reordered, 0);
	/* No reorder timer: only the ack one runs. */
	timer_manual_advance(r.tb, GRE_ACK_DELAY_MS);
	ATF_CHECK_EQ(timer_manual_next(r.tb), UINT64_MAX);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(rx_empty_and_oversized);
ATF_TC_BODY(rx_empty_and_oversized, tc)
{
	struct gre_call_config cfg;
	uint8_t p[12 + 200];
	struct rig r;

	gre_call_config_default(&cfg);
	cfg.our_call_id = OUR_ID;
	cfg.max_frame = GRE_FRAME_MIN;
	rig_init_cfg(&r, &cfg);
	rx_data(&r, 1);
	/* An empty payload takes its number and is not delivered. */
	put_be32(p, 0x3001880b);
	put_be16(p + 4, 0);
	put_be16(p + 6, OUR_ID);
	put_be32(p + 8, 2);
	ATF_CHECK_EQ(gre_call_input(r.c, p, 12), 0);
	rx_data(&r, 3);
	ATF_CHECK_EQ(r.ngot, 2);
	ATF_CHECK_EQ(r.st->rx_lost, 0);

	/* Too big to wait in a slot: dropped early ... */
	memset(p + 12, 0, 200);
	put_be16(p + 4, 200);
	put_be32(p + 8, 5);
	ATF_CHECK_EQ(gre_call_input(r.c, p, sizeof(p)), -1);
	ATF_CHECK_EQ(r.st->rx_too_long, 1);
	/* ... delivered in order. */
	put_be32(p + 8, 4);
	ATF_CHECK_EQ(gre_call_input(r.c, p, sizeof(p)), 0);
	ATF_CHECK_EQ(r.ngot, 3);
	ATF_CHECK_EQ(r.st->rx_bytes, 4 + 4 + 200);
	rig_free(&r);
}

ATF_TC_WITHOUT_HEAD(config_checked);
ATF_TC_BODY(config_checked, tc)
{
	static const struct gre_call_ops noops = { NULL, NULL, NULL };
	struct gre_call_config cfg;
	struct timer_base *tb = timer_manual_new();
	struct gre_call *c;

	gre_call_config_default(&cfg);
	cfg.reorder_slots = GRE_REORDER_SLOTS_MAX + 1;
	errno = 0;
	ATF_CHECK(gre_call_new(&cfg, &rig_ops, NULL, tb) == NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	gre_call_config_default(&cfg);
	cfg.reorder_wait_ms = GRE_REORDER_WAIT_MAX + 1;
	ATF_CHECK(gre_call_new(&cfg, &rig_ops, NULL, tb) == NULL);
	gre_call_config_default(&cfg);
	cfg.max_frame = GRE_FRAME_MIN - 1;
	ATF_CHECK(gre_call_new(&cfg, &rig_ops, NULL, tb) == NULL);
	gre_call_config_default(&cfg);
	ATF_CHECK(gre_call_new(&cfg, &noops, NULL, tb) == NULL);
	ATF_CHECK(gre_call_new(&cfg, &rig_ops, NULL, NULL) == NULL);

	/* Zero windows and no reorder buffer are fine. */
	cfg.peer_rwin = cfg.our_rwin = 0;
	cfg.reorder_slots = 0;
	cfg.max_frame = 0;
	cfg.tag = NULL;
	c = gre_call_new(&cfg, &rig_ops, NULL, tb);
	ATF_CHECK(c != NULL);
	gre_call_free(c);
	gre_call_free(NULL);
	cfg.reorder_slots = GRE_REORDER_SLOTS_MAX;
	cfg.max_frame = GRE_PAYLOAD_MAX;
	c = gre_call_new(&cfg, &rig_ops, NULL, tb);
	ATF_CHECK(c != NULL);
	gre_call_free(c);
	timer_manual_free(tb);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, output_starts_at_one_zero_copy);
	ATF_TP_ADD_TC(tp, output_rejects_bad_length);
	ATF_TP_ADD_TC(tp, send_hands_packet_to_ops);
	ATF_TP_ADD_TC(tp, ack_piggybacks_on_data);
	ATF_TP_ADD_TC(tp, ack_only_after_delay);
	ATF_TP_ADD_TC(tp, ack_only_send_failure_keeps_ack);
	ATF_TP_ADD_TC(tp, no_ack_storm);
	ATF_TP_ADD_TC(tp, send_window_is_advisory);
	ATF_TP_ADD_TC(tp, reply_from_inside_delivery);
	ATF_TP_ADD_TC(tp, drops_other_calls_and_garbage);
	ATF_TP_ADD_TC(tp, rx_in_order);
	ATF_TP_ADD_TC(tp, rx_swapped_pairs);
	ATF_TP_ADD_TC(tp, rx_gap_filled_late);
	ATF_TP_ADD_TC(tp, rx_gap_never_filled);
	ATF_TP_ADD_TC(tp, rx_reorder_buffer_allocated_when_needed);
	ATF_TP_ADD_TC(tp, rx_timer_follows_oldest_held);
	ATF_TP_ADD_TC(tp, rx_buffer_full_gives_up_oldest);
	ATF_TP_ADD_TC(tp, rx_duplicates);
	ATF_TP_ADD_TC(tp, rx_far_outside_window);
	ATF_TP_ADD_TC(tp, rx_spoofed_far_ahead_not_followed);
	ATF_TP_ADD_TC(tp, rx_spoofed_far_behind_not_followed);
	ATF_TP_ADD_TC(tp, rx_far_spray);
	ATF_TP_ADD_TC(tp, rx_spoofed_run_is_undone);
	ATF_TP_ADD_TC(tp, rx_real_outage_followed);
	ATF_TP_ADD_TC(tp, rx_probe_no_never_followed);
	ATF_TP_ADD_TC(tp, rx_probe_told_how_far);
	ATF_TP_ADD_TC(tp, rx_burst_loss_within_window);
	ATF_TP_ADD_TC(tp, rx_follows_real_jump);
	ATF_TP_ADD_TC(tp, rx_wrap_at_2_32);
	ATF_TP_ADD_TC(tp, rx_wrap_held_across);
	ATF_TP_ADD_TC(tp, rx_reorder_disabled);
	ATF_TP_ADD_TC(tp, rx_empty_and_oversized);
	ATF_TP_ADD_TC(tp, config_checked);
	return atf_no_error();
}
