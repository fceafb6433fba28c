/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for daemon/mppe.c: the doc/vectors.md §4.7 frame, round trips in
 * every mode and key length over thousands of packets, loss, bursts, the
 * 12-bit wrap, reordering and duplicates, bad headers, late packets, short
 * packets, and the stateful Reset-Request cycle.
 */
#include <atf-c.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "mppe.h"
#include "mppe_keys.h"
#include "testutil.h"

#define PKT_CAP	1600

static void
init(void)
{
	char err[256];

	ATF_REQUIRE_MSG(crypto_init(err, sizeof(err)) == 0, "%s", err);
}

/* The client's send start key of RFC 3079 §3.5's inputs (Magic2). */
static const char client_send_start[] =
    "D5 F0 E9 52 1E 3E A9 58 96 45 E8 60 51 C8 22 26";

/* A sender and a receiver sharing a start key, and the packets between. */
struct link {
	struct mppe_tx	*tx;
	struct mppe_rx	*rx;
	unsigned int	 seq;		/* plaintexts made so far */
};

struct pkt {
	uint8_t		 b[PKT_CAP];
	size_t		 len;
	unsigned int	 seq;
};

static void
link_open(struct link *l, int bits, int stateless)
{
	uint8_t start[16];

	init();
	test_hex(client_send_start, start, sizeof(start));
	ATF_REQUIRE((l->tx = mppe_tx_new(start, bits, stateless)) != NULL);
	ATF_REQUIRE((l->rx = mppe_rx_new(start, bits, stateless)) != NULL);
	l->seq = 0;
}

static void
link_close(struct link *l)
{
	mppe_tx_free(l->tx);
	mppe_rx_free(l->rx);
}

/* An IPv4 header for a packet of len bytes, with its checksum. */
static void
ipv4_hdr(uint8_t *ip, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	ip[0] = 0x45;
	ip[2] = (uint8_t)(len >> 8);
	ip[3] = (uint8_t)len;
	ip[10] = ip[11] = 0;
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
}

/* 00 21 and an IPv4 packet of len - 2 bytes (len >= 22), as MPPE carries. */
static void
fill(uint8_t *p, size_t len, unsigned int seq)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seq * 31 + i * 7);
	p[0] = 0x00;
	p[1] = 0x21;
	ipv4_hdr(p + 2, len - 2);
}

/* Encrypts the next plaintext, of a length that varies with it. */
static void
link_send(struct link *l, struct pkt *p)
{
	size_t dlen = 22 + (l->seq * 37) % 1400;

	p->seq = l->seq++;
	fill(p->b + MPPE_HDRLEN, dlen, p->seq);
	p->len = MPPE_HDRLEN + dlen;
	ATF_REQUIRE_EQ(mppe_tx_encrypt(l->tx, p->b, p->len), 0);
}

static enum mppe_result
link_recv(struct link *l, const struct pkt *p)
{
	uint8_t buf[PKT_CAP], want[PKT_CAP];
	enum mppe_result r;

	memcpy(buf, p->b, p->len);
	r = mppe_rx_decrypt(l->rx, buf, p->len);
	if (r == MPPE_OK) {
		fill(want, p->len - MPPE_HDRLEN, p->seq);
		ATF_CHECK_MSG(memcmp(buf + MPPE_HDRLEN, want,
		    p->len - MPPE_HDRLEN) == 0, "packet %u decrypts wrong",
		    p->seq);
	}
	return r;
}

static unsigned int
ccount(const struct pkt *p)
{
	return (unsigned int)(p->b[0] & 0x0f) << 8 | p->b[1];
}

/* Sends and delivers n packets, each of which must decrypt. */
static void
pass(struct link *l, unsigned int n)
{
	struct pkt p;

	while (n-- > 0) {
		link_send(l, &p);
		ATF_REQUIRE_EQ_MSG(link_recv(l, &p), MPPE_OK, "packet %u",
		    p.seq);
	}
}

/* Sends n packets that never arrive. */
static void
drop(struct link *l, unsigned int n)
{
	struct pkt p;

	while (n-- > 0)
		link_send(l, &p);
}

ATF_TC_WITHOUT_HEAD(vectors_4_7_first_frame);
ATF_TC_BODY(vectors_4_7_first_frame, tc)
{
	uint8_t start[16], b[16], want[16];
	struct mppe_tx *tx;
	struct mppe_rx *rx;

	init();
	test_hex(client_send_start, start, sizeof(start));
	ATF_REQUIRE((tx = mppe_tx_new(start, 128, 1)) != NULL);
	ATF_REQUIRE((rx = mppe_rx_new(start, 128, 1)) != NULL);
	memcpy(b + 2, "\x00\x21test message", 14);
	ATF_REQUIRE_EQ(mppe_tx_encrypt(tx, b, sizeof(b)), 0);
	/* The frame is 00 FD (framed by the caller) and these 16 bytes. */
	test_hex("90 00 3F 79 A9 FD 05 90 D2 48 2F 52 F5 0E EE 55", want,
	    sizeof(want));
	ATF_CHECK(memcmp(b, want, sizeof(want)) == 0);
	ATF_CHECK_EQ(mppe_tx_stats(tx)->packets, 1);
	ATF_CHECK_EQ(mppe_tx_stats(tx)->bytes, 14);
	/*
	 * "test message" is no IPv4 packet, so the receiver does not take
	 * it (verify, then commit): its state stays at count 4095, and the
	 * next packet, an IPv4 one, decrypts two key changes on.
	 */
	ATF_CHECK_EQ(mppe_rx_decrypt(rx, b, sizeof(b)), MPPE_UNDECRYPTABLE);
	ATF_CHECK_EQ(mppe_rx_stats(rx)->undecryptable, 1);
	ATF_CHECK_EQ(mppe_rx_stats(rx)->packets, 0);
	{
		uint8_t ip[2 + 30];

		fill(ip + 2, 30, 7);
		ATF_REQUIRE_EQ(mppe_tx_encrypt(tx, ip, sizeof(ip)), 0);
		ATF_CHECK_EQ(mppe_rx_decrypt(rx, ip, sizeof(ip)), MPPE_OK);
		ATF_CHECK_EQ(mppe_rx_stats(rx)->packets, 1);
		ATF_CHECK_EQ(mppe_rx_stats(rx)->bytes, 30);
		ATF_CHECK_EQ(mppe_rx_stats(rx)->lost, 1);
	}
	ATF_CHECK_STREQ(mppe_tx_mode(tx), "128 stateless");
	ATF_CHECK_STREQ(mppe_rx_mode(rx), "128 stateless");
	ATF_CHECK_EQ(mppe_tx_bits(tx), 128);
	ATF_CHECK_EQ(mppe_rx_bits(rx), 128);
	mppe_tx_free(tx);
	mppe_rx_free(rx);
}

ATF_TC_WITHOUT_HEAD(stateful_first_frame_uses_k0);
ATF_TC_BODY(stateful_first_frame_uses_k0, tc)
{
	uint8_t start[16], b[16], want[16];
	struct mppe_tx *tx;

	init();
	test_hex(client_send_start, start, sizeof(start));
	ATF_REQUIRE((tx = mppe_tx_new(start, 128, 0)) != NULL);
	memcpy(b + 2, "\x00\x21test message", 14);
	ATF_REQUIRE_EQ(mppe_tx_encrypt(tx, b, sizeof(b)), 0);
	/* D only (Linux does not flush the first packet), count 0, K0. */
	test_hex("10 00 C1 28 AE 47 C6 F8 0F D5 03 E3 AE 38 E5 65", want,
	    sizeof(want));
	ATF_CHECK(memcmp(b, want, sizeof(want)) == 0);
	ATF_CHECK_STREQ(mppe_tx_mode(tx), "128 stateful");
	mppe_tx_free(tx);
}

ATF_TC_WITHOUT_HEAD(round_trips_every_mode);
ATF_TC_BODY(round_trips_every_mode, tc)
{
	static const int bits[] = { 40, 56, 128 };
	const struct mppe_stats *ts, *rs;
	struct link l;
	struct pkt p;
	size_t i;
	int stateless;
	unsigned int n;

	for (i = 0; i < 3; i++) {
		for (stateless = 0; stateless <= 1; stateless++) {
			link_open(&l, bits[i], stateless);
			for (n = 0; n < 5000; n++) {
				link_send(&l, &p);
				ATF_REQUIRE_EQ(ccount(&p), n % 4096);
				ATF_REQUIRE(p.b[0] & MPPE_BIT_ENCRYPTED);
				/* A on every stateless and flag packet. */
				ATF_REQUIRE_EQ((p.b[0] & MPPE_BIT_FLUSHED) != 0,
				    stateless || (n & 0xff) == 0xff);
				ATF_REQUIRE_EQ(link_recv(&l, &p), MPPE_OK);
			}
			ts = mppe_tx_stats(l.tx);
			rs = mppe_rx_stats(l.rx);
			ATF_CHECK_EQ(ts->packets, 5000);
			ATF_CHECK_EQ(rs->packets, 5000);
			ATF_CHECK_EQ(ts->bytes, rs->bytes);
			ATF_CHECK_EQ(rs->lost + rs->late + rs->errors +
			    rs->discarded + rs->undecryptable +
			    rs->budget_dropped, 0);
			/* One key change a stateless packet, no more. */
			if (stateless)
				ATF_CHECK_EQ(rs->key_changes, 5000);
			link_close(&l);
		}
	}
}

ATF_TC_WITHOUT_HEAD(stateless_losses_bursts_and_wrap);
ATF_TC_BODY(stateless_losses_bursts_and_wrap, tc)
{
	static const int bits[] = { 40, 56, 128 };
	struct link l;
	unsigned int n, lost;
	size_t i;

	for (i = 0; i < 3; i++) {
		link_open(&l, bits[i], 1);
		/* The very first packet lost. */
		drop(&l, 1);
		lost = 1;
		/* Single losses. */
		for (n = 0; n < 500; n++) {
			pass(&l, 6);
			drop(&l, 1);
			lost++;
		}
		pass(&l, 1);
		/*
		 * Bursts of 1000, 2047, 4000, 4094 and the longest one that
		 * can be bridged: 4095 lost, the next has the count of the
		 * last one received (4096 ahead).
		 */
		drop(&l, 1000);
		pass(&l, 3);
		drop(&l, 2047);
		pass(&l, 3);
		drop(&l, 4000);
		pass(&l, 3);
		drop(&l, 4094);
		pass(&l, 3);
		drop(&l, 4095);
		pass(&l, 3);
		lost += 1000 + 2047 + 4000 + 4094 + 4095;
		/* A gap across the 12-bit wrap. */
		while (l.seq % 4096 != 4090)
			pass(&l, 1);
		drop(&l, 12);
		lost += 12;
		pass(&l, 20);
		ATF_CHECK_EQ(mppe_rx_stats(l.rx)->lost, lost);
		ATF_CHECK_EQ(mppe_rx_stats(l.rx)->late, 0);
		/* Genuine jumps are given back: nothing was refused. */
		ATF_CHECK_EQ(mppe_rx_stats(l.rx)->budget_dropped, 0);
		link_close(&l);
	}
}

ATF_TC_WITHOUT_HEAD(stateless_reorder_and_duplicates);
ATF_TC_BODY(stateless_reorder_and_duplicates, tc)
{
	const struct mppe_stats *rs;
	struct link l;
	struct pkt a, b;
	enum mppe_result r;
	int i;

	link_open(&l, 128, 1);
	rs = mppe_rx_stats(l.rx);
	pass(&l, 10);
	for (i = 0; i < 50; i++) {
		/*
		 * b overtakes a (GRE would have put them in order): b is
		 * fine, a can no longer be decrypted, and trying it as 4095
		 * ahead leaves the state alone.
		 */
		link_send(&l, &a);
		link_send(&l, &b);
		ATF_REQUIRE_EQ(link_recv(&l, &b), MPPE_OK);
		r = link_recv(&l, &a);
		ATF_REQUIRE(r == MPPE_UNDECRYPTABLE || r == MPPE_OVER_BUDGET);
		/* A duplicate of the last packet, known as such. */
		ATF_REQUIRE_EQ(link_recv(&l, &b), MPPE_LATE);
		pass(&l, 3);
		/* A duplicate of an old one. */
		r = link_recv(&l, &b);
		ATF_REQUIRE(r == MPPE_UNDECRYPTABLE || r == MPPE_OVER_BUDGET);
		pass(&l, 1);
	}
	ATF_CHECK_EQ(rs->late, 50);
	ATF_CHECK_EQ(rs->undecryptable + rs->budget_dropped, 100);
	/*
	 * As many tries of nearly a turn each as the budget has turns: no
	 * clock refills it here.
	 */
	ATF_CHECK_EQ(rs->undecryptable, MPPE_BUDGET_MAX / MPPE_CCOUNT_SPACE);
	ATF_CHECK_EQ(rs->lost, 50);
	ATF_CHECK_EQ(rs->errors, 0);
	link_close(&l);
}

ATF_TC_WITHOUT_HEAD(stateless_long_outage);
ATF_TC_BODY(stateless_long_outage, tc)
{
	const struct mppe_stats *rs;
	struct link l;
	struct pkt p, old[3];
	uint64_t kc;
	int i;

	link_open(&l, 128, 1);
	rs = mppe_rx_stats(l.rx);
	pass(&l, 100);
	/* 3000 lost: the next decrypts at once, 3001 key changes on. */
	drop(&l, 3000);
	kc = rs->key_changes;
	link_send(&l, &p);
	ATF_REQUIRE_EQ(link_recv(&l, &p), MPPE_OK);
	ATF_CHECK_EQ(rs->key_changes, kc + 3001);
	pass(&l, 100);
	ATF_CHECK_EQ(rs->lost, 3000);
	ATF_CHECK_EQ(rs->late + rs->undecryptable, 0);

	/* Replayed old packets, in a row or not, do not move the key. */
	for (i = 0; i < 3; i++) {
		link_send(&l, &old[i]);
		ATF_REQUIRE_EQ(link_recv(&l, &old[i]), MPPE_OK);
	}
	pass(&l, 10);
	for (i = 0; i < 3; i++)
		ATF_REQUIRE(link_recv(&l, &old[i]) != MPPE_OK);
	pass(&l, 300);
	for (i = 0; i < 3; i++)
		ATF_REQUIRE(link_recv(&l, &old[i]) != MPPE_OK);
	pass(&l, 1);
	ATF_CHECK_EQ(rs->lost, 3000);
	link_close(&l);
}

ATF_TC_WITHOUT_HEAD(bad_headers_and_far_counts);
ATF_TC_BODY(bad_headers_and_far_counts, tc)
{
	struct link l;
	struct pkt p, q;
	int stateless;
	unsigned int c;

	for (stateless = 0; stateless <= 1; stateless++) {
		link_open(&l, 128, stateless);
		pass(&l, 100);
		link_send(&l, &p);
		c = ccount(&p);
		/* D missing. */
		q = p;
		q.b[0] &= ~MPPE_BIT_ENCRYPTED;
		ATF_CHECK_EQ(link_recv(&l, &q), MPPE_BAD_HEADER);
		/* A missing: wrong in stateless mode only. */
		if (stateless) {
			q = p;
			q.b[0] &= ~MPPE_BIT_FLUSHED;
			ATF_CHECK_EQ(link_recv(&l, &q), MPPE_BAD_HEADER);
		}
		/*
		 * Counts far in the past or far ahead: stateful, late;
		 * stateless, a jump that does not verify.
		 */
		q = p;
		q.b[0] = (uint8_t)((q.b[0] & 0xf0) | ((c - 60) >> 8 & 0x0f));
		q.b[1] = (uint8_t)(c - 60);
		ATF_CHECK_EQ(link_recv(&l, &q), stateless ?
		    MPPE_UNDECRYPTABLE : MPPE_LATE);
		q.b[0] = (uint8_t)((q.b[0] & 0xf0) | ((c + 2049) >> 8 & 0x0f));
		q.b[1] = (uint8_t)(c + 2049);
		ATF_CHECK_EQ(link_recv(&l, &q), stateless ?
		    MPPE_UNDECRYPTABLE : MPPE_LATE);
		/* None of it moved the state: the real packet decrypts. */
		ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
		pass(&l, 100);
		ATF_CHECK_EQ(mppe_rx_stats(l.rx)->errors, stateless ? 2 : 1);
		ATF_CHECK_EQ(mppe_rx_stats(l.rx)->late, stateless ? 0 : 2);
		ATF_CHECK_EQ(mppe_rx_stats(l.rx)->undecryptable,
		    stateless ? 2 : 0);
		link_close(&l);
	}
}

ATF_TC_WITHOUT_HEAD(empty_truncated_and_oversized);
ATF_TC_BODY(empty_truncated_and_oversized, tc)
{
	static uint8_t big[MPPE_PKT_MAX + 2];
	struct link l;
	struct pkt p;
	uint8_t b[4] = { 0x90, 0x00, 0x00, 0x21 };

	link_open(&l, 128, 1);
	ATF_CHECK_EQ(mppe_rx_decrypt(l.rx, b, 0), MPPE_BAD_HEADER);
	ATF_CHECK_EQ(mppe_rx_decrypt(l.rx, b, 1), MPPE_BAD_HEADER);
	ATF_CHECK_EQ(mppe_rx_decrypt(l.rx, b, 2), MPPE_BAD_HEADER);
	ATF_CHECK_EQ(mppe_rx_decrypt(l.rx, big, sizeof(big)),
	    MPPE_BAD_HEADER);
	ATF_CHECK_EQ(mppe_rx_stats(l.rx)->errors, 4);
	/* The sender refuses the same without moving its count. */
	ATF_CHECK_EQ(mppe_tx_encrypt(l.tx, b, 0), -1);
	ATF_CHECK_EQ(mppe_tx_encrypt(l.tx, b, 2), -1);
	ATF_CHECK_EQ(mppe_tx_encrypt(l.tx, big, sizeof(big)), -1);
	ATF_CHECK_EQ(mppe_tx_stats(l.tx)->errors, 3);
	ATF_CHECK_EQ(mppe_tx_stats(l.tx)->packets, 0);
	link_send(&l, &p);
	ATF_CHECK_EQ(ccount(&p), 0);
	ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
	/* One byte of data is a packet to send, but none to accept. */
	ATF_CHECK_EQ(mppe_tx_encrypt(l.tx, b, 3), 0);
	ATF_CHECK_EQ(mppe_rx_decrypt(l.rx, b, 3), MPPE_UNDECRYPTABLE);
	/* The largest packet, an IPv4 one of 65531 bytes. */
	memset(big, 0, sizeof(big));
	big[5] = 0x21;
	ipv4_hdr(big + 6, MPPE_PKT_MAX - 4);
	ATF_CHECK_EQ(mppe_tx_encrypt(l.tx, big + 2, MPPE_PKT_MAX), 0);
	ATF_CHECK_EQ(mppe_rx_decrypt(l.rx, big + 2, MPPE_PKT_MAX), MPPE_OK);
	ATF_CHECK_EQ(big[8] << 8 | big[9], MPPE_PKT_MAX - 4);
	pass(&l, 5);
	link_close(&l);
}

ATF_TC_WITHOUT_HEAD(stateful_loss_reset_cycle);
ATF_TC_BODY(stateful_loss_reset_cycle, tc)
{
	static const int bits[] = { 40, 56, 128 };
	const struct mppe_stats *rs;
	struct link l;
	struct pkt p;
	size_t i;
	int n;

	for (i = 0; i < 3; i++) {
		link_open(&l, bits[i], 0);
		pass(&l, 10);
		/* One packet lost: the next asks for a reset... */
		drop(&l, 1);
		link_send(&l, &p);
		ATF_CHECK_EQ(link_recv(&l, &p), MPPE_NEEDS_RESET);
		/*
		 * ...and later ones are dropped until a FLUSHED one, each
		 * asking again (CCP sends one a second), since the request
		 * or its FLUSHED answer may be lost too.
		 */
		for (n = 0; n < 3; n++) {
			link_send(&l, &p);
			ATF_CHECK_EQ(link_recv(&l, &p), MPPE_NEEDS_RESET);
		}
		/* The Reset-Request reaches the sender, perhaps twice. */
		mppe_tx_reset(l.tx);
		mppe_tx_reset(l.tx);
		link_send(&l, &p);
		ATF_CHECK(p.b[0] & MPPE_BIT_FLUSHED);
		ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
		pass(&l, 600);
		/* A loss across two flag packets (0x?FF) in a row. */
		drop(&l, 600);
		link_send(&l, &p);
		ATF_CHECK_EQ(link_recv(&l, &p), MPPE_NEEDS_RESET);
		mppe_tx_reset(l.tx);
		pass(&l, 700);
		/* The answer to a reset is itself a flag packet. */
		drop(&l, 1);
		link_send(&l, &p);
		ATF_CHECK_EQ(link_recv(&l, &p), MPPE_NEEDS_RESET);
		while ((l.seq & 0xff) != 0xff)
			drop(&l, 1);
		mppe_tx_reset(l.tx);
		pass(&l, 300);
		/* A flush the receiver did not ask for. */
		mppe_tx_reset(l.tx);
		pass(&l, 300);
		rs = mppe_rx_stats(l.rx);
		/* The unasked flush jumped to a flag packet: a resync too. */
		ATF_CHECK_EQ(rs->resets, 4);
		ATF_CHECK_EQ(mppe_tx_stats(l.tx)->resets, 4);
		ATF_CHECK_EQ(rs->discarded, 3 + 3);
		ATF_CHECK(rs->lost >= 1 + 600 + 1);
		link_close(&l);
	}
}

ATF_TC_WITHOUT_HEAD(stateful_lost_flushed_packets);
ATF_TC_BODY(stateful_lost_flushed_packets, tc)
{
	struct link l;
	struct pkt p;
	int lost_flushes, n;

	/*
	 * A Linux sender changes the key for every Reset-Request; when the
	 * FLUSHED packets answering the first ones are lost the receiver
	 * must bridge several key changes at once.
	 */
	for (lost_flushes = 0; lost_flushes <= 7; lost_flushes++) {
		link_open(&l, 128, 0);
		pass(&l, 10);
		drop(&l, 1);
		link_send(&l, &p);
		ATF_CHECK_EQ(link_recv(&l, &p), MPPE_NEEDS_RESET);
		for (n = 0; n < lost_flushes; n++) {
			mppe_tx_reset(l.tx);
			drop(&l, 1);
			link_send(&l, &p);
			ATF_CHECK_EQ(link_recv(&l, &p), MPPE_NEEDS_RESET);
		}
		mppe_tx_reset(l.tx);
		link_send(&l, &p);
		ATF_CHECK_EQ_MSG(link_recv(&l, &p), MPPE_OK, "%d lost",
		    lost_flushes);
		pass(&l, 300);
		link_close(&l);
	}
}

ATF_TC_WITHOUT_HEAD(stateful_rfc3078_sender_reset);
ATF_TC_BODY(stateful_rfc3078_sender_reset, tc)
{
	struct crypto_rc4 *rc4;
	struct link l;
	struct pkt p;
	uint8_t start[16], k0[16];
	unsigned int c;

	/*
	 * An RFC 3078 §8.2 sender (npppd) answers a Reset-Request by
	 * re-initialising RC4 with the current key, without a key change.
	 * Emulated here before the first flag packet, where the current key
	 * is K0.
	 */
	link_open(&l, 128, 0);
	pass(&l, 10);
	drop(&l, 1);
	link_send(&l, &p);
	ATF_CHECK_EQ(link_recv(&l, &p), MPPE_NEEDS_RESET);
	test_hex(client_send_start, start, sizeof(start));
	mppe_new_key_from_sha(start, start, 16, k0);
	ATF_REQUIRE((rc4 = crypto_rc4_new()) != NULL);
	ATF_REQUIRE_EQ(crypto_rc4_setkey(rc4, k0, 16), 0);
	for (c = 12; c < 40; c++) {
		p.seq = l.seq++;
		p.len = MPPE_HDRLEN + 100;
		fill(p.b + MPPE_HDRLEN, 100, p.seq);
		ATF_REQUIRE_EQ(crypto_rc4_xor(rc4, p.b + MPPE_HDRLEN,
		    p.b + MPPE_HDRLEN, 100), 0);
		p.b[0] = (uint8_t)((c == 12 ? 0x90 : 0x10) | c >> 8);
		p.b[1] = (uint8_t)c;
		ATF_CHECK_EQ_MSG(link_recv(&l, &p), MPPE_OK, "count %u", c);
	}
	crypto_rc4_free(rc4);
	link_close(&l);
}

/*
 * A plaintext of kind k at b: 0 IPv4, 1 IPv4 with a compressed protocol
 * field, 2 IPv6, 3 IPv6 compressed, 4 VJ compressed TCP/IP, 5 a protocol
 * MPPE never carries for pptpc.  Returns its length.
 */
static size_t
mkframe(uint8_t *b, int k)
{
	size_t off = k == 1 || k == 3 ? 1 : 2;

	memset(b, 0x45, 60);
	b[0] = 0x00;
	b[off - 1] = (uint8_t[]){ 0x21, 0x21, 0x57, 0x57, 0x2d, 0x23 }[k];
	switch (k) {
	case 0:
	case 1:
		ipv4_hdr(b + off, 40);
		return off + 40;
	case 2:
	case 3:
		b[off] = 0x60;
		b[off + 4] = 0;
		b[off + 5] = 10;
		return off + 50;
	}
	return off + 20;
}

ATF_TC_WITHOUT_HEAD(stateful_reset_with_compressed_protocol);
ATF_TC_BODY(stateful_reset_with_compressed_protocol, tc)
{
	struct link l;
	struct pkt p;
	uint8_t b[2 + 60], want[60];
	size_t n;
	int k;

	/*
	 * The FLUSHED packet after a Reset-Request begins with whatever the
	 * sender had to send: IPv4 or IPv6, protocol field compressed or
	 * not.  Anything else is nothing pptpc's peer sends encrypted: it
	 * does not resynchronise, and the next FLUSHED packet does.
	 */
	link_open(&l, 40, 0);
	for (k = 0; k < 6; k++) {
		pass(&l, 5);
		drop(&l, 1);
		link_send(&l, &p);
		ATF_CHECK_EQ(link_recv(&l, &p), MPPE_NEEDS_RESET);
		mppe_tx_reset(l.tx);
		n = mkframe(b + 2, k);
		memcpy(want, b + 2, n);
		ATF_REQUIRE_EQ(mppe_tx_encrypt(l.tx, b, 2 + n), 0);
		l.seq++;
		ATF_CHECK(b[0] & MPPE_BIT_FLUSHED);
		if (k < 4) {
			ATF_CHECK_EQ_MSG(mppe_rx_decrypt(l.rx, b, 2 + n),
			    MPPE_OK, "kind %d", k);
			ATF_CHECK(memcmp(b + 2, want, n) == 0);
			continue;
		}
		ATF_CHECK_EQ_MSG(mppe_rx_decrypt(l.rx, b, 2 + n),
		    MPPE_UNDECRYPTABLE, "kind %d", k);
		/* Waiting for a FLUSHED packet: each other one asks again. */
		link_send(&l, &p);
		ATF_CHECK_EQ(link_recv(&l, &p), MPPE_NEEDS_RESET);
		mppe_tx_reset(l.tx);
		link_send(&l, &p);
		ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
	}
	pass(&l, 300);
	ATF_CHECK_EQ(mppe_rx_stats(l.rx)->undecryptable, 2);
	link_close(&l);
}

ATF_TC_WITHOUT_HEAD(stateful_late_and_wrap);
ATF_TC_BODY(stateful_late_and_wrap, tc)
{
	struct link l;
	struct pkt a, b;

	link_open(&l, 128, 0);
	pass(&l, 4080);
	/* Across the wrap of the count, with a duplicate on the way. */
	link_send(&l, &a);
	ATF_CHECK_EQ(link_recv(&l, &a), MPPE_OK);
	ATF_CHECK_EQ(link_recv(&l, &a), MPPE_LATE);
	pass(&l, 40);
	/*
	 * Reordered in stateful mode: a gap; the overtaken packet is then
	 * discarded like any other until the sender flushes.
	 */
	link_send(&l, &a);
	link_send(&l, &b);
	ATF_CHECK_EQ(link_recv(&l, &b), MPPE_NEEDS_RESET);
	ATF_CHECK_EQ(link_recv(&l, &a), MPPE_NEEDS_RESET);
	ATF_CHECK_EQ(link_recv(&l, &b), MPPE_NEEDS_RESET);
	mppe_tx_reset(l.tx);
	pass(&l, 10);
	link_close(&l);
}

ATF_TC_WITHOUT_HEAD(stateless_reset_is_noop);
ATF_TC_BODY(stateless_reset_is_noop, tc)
{
	struct link l;

	link_open(&l, 40, 1);
	pass(&l, 3);
	mppe_tx_reset(l.tx);
	pass(&l, 3);
	ATF_CHECK_EQ(mppe_tx_stats(l.tx)->resets, 0);
	link_close(&l);
}

ATF_TC_WITHOUT_HEAD(modes_and_bad_arguments);
ATF_TC_BODY(modes_and_bad_arguments, tc)
{
	uint8_t start[16] = { 0 };

	init();
	ATF_CHECK_STREQ(mppe_mode_name(40, 0), "40 stateful");
	ATF_CHECK_STREQ(mppe_mode_name(56, 1), "56 stateless");
	ATF_CHECK_STREQ(mppe_mode_name(128, 0), "128 stateful");
	ATF_CHECK_STREQ(mppe_mode_name(0, 1), "none");
	errno = 0;
	ATF_CHECK(mppe_tx_new(start, 64, 1) == NULL);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK(mppe_rx_new(start, 0, 0) == NULL);
	ATF_CHECK_STREQ(mppe_result_name(MPPE_LATE),
	    "late or duplicate MPPE packet");
	mppe_tx_free(NULL);
	mppe_rx_free(NULL);
}

/* ---- Forged packets (issue 9). ---- */

/*
 * A forged packet: the flags given, count c, and n bytes that stand for
 * what a forger without the key can send.
 */
static void
forge(struct pkt *q, unsigned int c, uint8_t flags, size_t n, uint32_t *rnd)
{
	size_t i;

	q->b[0] = (uint8_t)(flags | (c >> 8 & 0x0f));
	q->b[1] = (uint8_t)c;
	for (i = 0; i < n; i++) {
		*rnd ^= *rnd << 13;
		*rnd ^= *rnd >> 17;
		*rnd ^= *rnd << 5;
		q->b[MPPE_HDRLEN + i] = (uint8_t)*rnd;
	}
	q->len = MPPE_HDRLEN + n;
	q->seq = 0xffffffff;
}

/* The count of the last packet sent. */
static unsigned int
last_count(const struct link *l)
{
	return (l->seq - 1) & MPPE_CCOUNT_MASK;
}

/*
 * The issue 9 attack: two forged packets with far counts used to step
 * and commit the key, after which no genuine packet decrypted again.
 */
ATF_TC_WITHOUT_HEAD(stateless_forged_counts_do_not_commit);
ATF_TC_BODY(stateless_forged_counts_do_not_commit, tc)
{
	static const unsigned int off[] = { 2, 1000, 2048, 3000, 4095 };
	struct link l;
	struct pkt q;
	uint32_t rnd = 12345;
	size_t i;

	link_open(&l, 128, 1);
	pass(&l, 50);
	for (i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		forge(&q, last_count(&l) + off[i], 0x90, 200, &rnd);
		ATF_CHECK(link_recv(&l, &q) != MPPE_OK);
	}
	/* pass() checks each plaintext too. */
	pass(&l, 100);
	link_close(&l);
}

static uint64_t
test_clock(void *arg)
{
	return *(uint64_t *)arg;
}

/*
 * Forged far packets cost at most the budget in key changes, however
 * many come, while the genuine packets between them decrypt at one key
 * change each; the budget refills with time.
 */
ATF_TC_WITHOUT_HEAD(stateless_forgery_budget);
ATF_TC_BODY(stateless_forgery_budget, tc)
{
	const struct mppe_stats *rs;
	struct link l;
	struct pkt q;
	uint64_t now = 5000, kc;
	uint32_t rnd = 777;
	unsigned int i, n = 1000;

	link_open(&l, 128, 1);
	mppe_rx_set_clock(l.rx, test_clock, &now);
	rs = mppe_rx_stats(l.rx);
	pass(&l, 10);
	kc = rs->key_changes;
	for (i = 0; i < n; i++) {
		/* 2..4095 ahead of the genuine stream. */
		forge(&q, last_count(&l) + 2 + rnd % 4094, 0x90, 1400, &rnd);
		ATF_CHECK(link_recv(&l, &q) != MPPE_OK);
		pass(&l, 1);
	}
	ATF_CHECK_MSG(rs->key_changes - kc - n <= MPPE_BUDGET_MAX,
	    "%llu key changes for %u forged packets",
	    (unsigned long long)(rs->key_changes - kc - n), n);
	ATF_CHECK_EQ(rs->undecryptable + rs->budget_dropped, n);
	/* Jumps average 2048 key changes: a handful were tried. */
	ATF_CHECK(rs->budget_dropped >= n - 100);
	ATF_CHECK_EQ(rs->packets, 10 + n);
	ATF_CHECK_EQ(rs->lost, 0);

	/* A second later a second's worth of key changes can be spent. */
	now += 1000;
	kc = rs->key_changes;
	for (i = 0; i < n; i++) {
		forge(&q, last_count(&l) + 2 + rnd % 4094, 0x90, 60, &rnd);
		ATF_CHECK(link_recv(&l, &q) != MPPE_OK);
	}
	ATF_CHECK(rs->key_changes - kc <= MPPE_BUDGET_RATE);
	ATF_CHECK(rs->key_changes - kc > 0);

	/*
	 * Once it has refilled, a genuine burst loss decrypts, and is given
	 * back at once: another one right after it does too.
	 */
	now += 2000;
	drop(&l, 4000);
	pass(&l, 1);
	drop(&l, 4000);
	pass(&l, 1);
	ATF_CHECK_EQ(rs->lost, 8000);
	link_close(&l);
}

/*
 * Stateful: the forged packet consumed keystream, so the receiver asks
 * for a reset and recovers at the sender's next FLUSHED packet.
 */
ATF_TC_WITHOUT_HEAD(stateful_forged_packet_costs_a_reset);
ATF_TC_BODY(stateful_forged_packet_costs_a_reset, tc)
{
	const struct mppe_stats *rs;
	struct link l;
	struct pkt p, q;
	uint32_t rnd = 99;
	unsigned int c;

	link_open(&l, 128, 0);
	rs = mppe_rx_stats(l.rx);
	pass(&l, 10);
	forge(&q, last_count(&l) + 1, 0x10, 300, &rnd);
	ATF_CHECK_EQ(link_recv(&l, &q), MPPE_NEEDS_RESET);
	ATF_CHECK_EQ(rs->undecryptable, 1);
	link_send(&l, &p);
	ATF_CHECK_EQ(link_recv(&l, &p), MPPE_NEEDS_RESET);
	/* A forged FLUSHED packet does not end the wait. */
	forge(&q, last_count(&l) + 1, 0x90, 300, &rnd);
	ATF_CHECK_EQ(link_recv(&l, &q), MPPE_UNDECRYPTABLE);
	ATF_CHECK_EQ(rs->undecryptable, 2);
	mppe_tx_reset(l.tx);
	pass(&l, 300);
	ATF_CHECK_EQ(rs->resets, 1);
	/*
	 * In sync, a forged FLUSHED one is a lost sync too.  (The answer to
	 * a reset jumped the count to a flag packet: take it from the
	 * wire.)
	 */
	link_send(&l, &p);
	c = get_be16(p.b) & MPPE_CCOUNT_MASK;
	ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
	forge(&q, c + 1, 0x90, 300, &rnd);
	ATF_CHECK_EQ(link_recv(&l, &q), MPPE_NEEDS_RESET);
	mppe_tx_reset(l.tx);
	pass(&l, 300);
	ATF_CHECK_EQ(rs->resets, 2);
	ATF_CHECK_EQ(rs->undecryptable, 3);
	link_close(&l);
}

/* What the receiver accepts: IPv4 with a good header, or exact IPv6. */
ATF_TC_WITHOUT_HEAD(plausible_frames_only);
ATF_TC_BODY(plausible_frames_only, tc)
{
	struct link l;
	struct pkt p;
	uint8_t *f;
	int bad;

	link_open(&l, 56, 1);
	pass(&l, 3);
	for (bad = 0; bad < 8; bad++) {
		p.seq = l.seq++;
		p.len = MPPE_HDRLEN + 100;
		f = p.b + MPPE_HDRLEN;
		fill(f, 100, p.seq);
		switch (bad) {
		case 0:		/* checksum */
			f[12] ^= 1;
			break;
		case 1:		/* total length beyond the frame */
			f[4] = 0;
			f[5] = 99;
			ipv4_hdr(f + 2, 99);
			break;
		case 2:		/* IHL below 5 */
			f[2] = 0x44;
			break;
		case 3:		/* version */
			f[2] = 0x65;
			break;
		case 4:		/* IPv6 with a payload length one short */
			f[1] = 0x57;
			f[2] = 0x60;
			f[6] = 0;
			f[7] = 100 - 2 - 40 - 1;
			break;
		case 5:		/* VJ, never negotiated */
			f[1] = 0x2d;
			break;
		case 6:		/* an IPv4 header longer than the frame */
			p.len = MPPE_HDRLEN + 2 + 19;
			break;
		case 7:		/* total length below the header */
			f[4] = 0;
			f[5] = 19;
			break;
		}
		ATF_REQUIRE_EQ(mppe_tx_encrypt(l.tx, p.b, p.len), 0);
		ATF_CHECK_EQ_MSG(link_recv(&l, &p), MPPE_UNDECRYPTABLE,
		    "case %d", bad);
	}
	ATF_CHECK_EQ(mppe_rx_stats(l.rx)->undecryptable, 8);
	/* Good ones: shorter total length (padding), IPv6, PFC. */
	for (bad = 0; bad < 3; bad++) {
		p.seq = l.seq++;
		p.len = MPPE_HDRLEN + 100;
		f = p.b + MPPE_HDRLEN;
		fill(f, 100, p.seq);
		if (bad == 0)
			ipv4_hdr(f + 2, 60);
		else if (bad == 1) {
			f[1] = 0x57;
			f[2] = 0x60;
			f[6] = 0;
			f[7] = 100 - 2 - 40;
		} else {
			memmove(f, f + 1, 99);
			p.len--;
		}
		{
			uint8_t want[PKT_CAP];

			memcpy(want, p.b + MPPE_HDRLEN, p.len - MPPE_HDRLEN);
			ATF_REQUIRE_EQ(mppe_tx_encrypt(l.tx, p.b, p.len), 0);
			ATF_CHECK_EQ_MSG(mppe_rx_decrypt(l.rx, p.b, p.len),
			    MPPE_OK, "good %d", bad);
			ATF_CHECK(memcmp(want, p.b + MPPE_HDRLEN,
			    p.len - MPPE_HDRLEN) == 0);
		}
	}
	ATF_CHECK_EQ(mppe_rx_stats(l.rx)->lost, 8);
	link_close(&l);
}

/* mppe_rx_probe(): a verdict without a state change, paid for once. */
ATF_TC_WITHOUT_HEAD(probe_judges_without_moving);
ATF_TC_BODY(probe_judges_without_moving, tc)
{
	const struct mppe_stats *rs;
	struct link l;
	struct pkt p, q, copy, last;
	uint64_t kc;
	uint32_t rnd = 4242;
	unsigned int i;

	link_open(&l, 128, 1);
	rs = mppe_rx_stats(l.rx);
	pass(&l, 9);
	link_send(&l, &last);
	ATF_REQUIRE_EQ(link_recv(&l, &last), MPPE_OK);
	link_send(&l, &last);
	copy = last;
	ATF_REQUIRE_EQ(link_recv(&l, &copy), MPPE_OK);
	/* 100 lost, then a genuine packet and a forged one, same count. */
	drop(&l, 100);
	link_send(&l, &p);
	forge(&q, ccount(&p), 0x90, p.len - MPPE_HDRLEN, &rnd);
	copy = p;
	kc = rs->key_changes;
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, q.b, q.len, 0), MPPE_PROBE_NO);
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, p.b, p.len, 0), MPPE_PROBE_YES);
	ATF_CHECK(memcmp(&copy, &p, sizeof(p)) == 0);
	ATF_CHECK_EQ(rs->key_changes, kc + 2 * 101);
	ATF_CHECK_EQ(rs->packets, 11);
	/* The decrypt that follows reuses the probe's key. */
	ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
	ATF_CHECK_EQ(rs->key_changes, kc + 2 * 101);
	ATF_CHECK_EQ(rs->lost, 100);
	pass(&l, 10);
	/* A bad header, or the last packet again: no. */
	link_send(&l, &p);
	q = p;
	q.b[0] &= ~MPPE_BIT_ENCRYPTED;
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, q.b, q.len, 0), MPPE_PROBE_NO);
	ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
	link_send(&l, &q);
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, q.b, q.len, 0), MPPE_PROBE_YES);
	ATF_CHECK_EQ(link_recv(&l, &q), MPPE_OK);
	link_send(&l, &p);
	copy = p;
	ATF_CHECK_EQ(link_recv(&l, &copy), MPPE_OK);
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, p.b, p.len, 0), MPPE_PROBE_NO);
	/* With the budget spent: cannot judge a jump, can judge one ahead. */
	for (i = 0; i < 2000 && rs->budget_dropped < 2; i++) {
		/* Big jumps, then ones that cost what the genuine one will. */
		forge(&q, last_count(&l) + (rs->budget_dropped == 0 ?
		    4000 : 101), 0x90, 100, &rnd);
		ATF_CHECK(mppe_rx_probe(l.rx, q.b, q.len, 0) != MPPE_PROBE_YES);
	}
	ATF_CHECK_EQ(rs->budget_dropped, 2);
	drop(&l, 100);
	link_send(&l, &p);
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, p.b, p.len, 0), MPPE_PROBE_UNKNOWN);
	ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OVER_BUDGET);
	link_close(&l);

	/* Stateful: never judged aside. */
	link_open(&l, 128, 0);
	pass(&l, 3);
	link_send(&l, &p);
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, p.b, p.len, 0), MPPE_PROBE_UNKNOWN);
	ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
	link_close(&l);
}

/*
 * A loss of more than a turn of the 4096 counts: the count alone says
 * 100 lost, and the packet does not verify there; the GRE numbers say
 * 4196 went by, and the next turn verifies it.  Past what GRE says, or
 * past MPPE_PROBE_TURNS, nothing more is tried.
 */
ATF_TC_WITHOUT_HEAD(probe_past_a_turn);
ATF_TC_BODY(probe_past_a_turn, tc)
{
	const struct mppe_stats *rs;
	struct link l;
	struct pkt p, q, a, b;
	uint64_t kc;
	uint32_t rnd = 77;

	link_open(&l, 128, 1);
	rs = mppe_rx_stats(l.rx);
	pass(&l, 9);
	drop(&l, MPPE_CCOUNT_SPACE + 100);
	link_send(&l, &p);
	kc = rs->key_changes;
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, p.b, p.len, 0), MPPE_PROBE_NO);
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, p.b, p.len, 101), MPPE_PROBE_NO);
	ATF_CHECK_EQ(rs->key_changes, kc + 2 * 101);
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, p.b, p.len, MPPE_CCOUNT_SPACE + 101),
	    MPPE_PROBE_YES);
	ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
	ATF_CHECK_EQ(rs->lost, MPPE_CCOUNT_SPACE + 100);
	pass(&l, 5);
	/* The same with GRE saying more went by than the count's turn. */
	drop(&l, MPPE_CCOUNT_SPACE + 7);
	link_send(&l, &p);
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, p.b, p.len, 3 * MPPE_CCOUNT_SPACE),
	    MPPE_PROBE_YES);
	ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
	/* A forgery far away costs at most MPPE_PROBE_TURNS turns. */
	forge(&q, last_count(&l) + 50, 0x90, 100, &rnd);
	kc = rs->key_changes;
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, q.b, q.len, 0x40000000),
	    MPPE_PROBE_NO);
	ATF_CHECK_EQ(rs->key_changes,
	    kc + 50 + (MPPE_PROBE_TURNS - 1) * MPPE_CCOUNT_SPACE);
	pass(&l, 5);
	/*
	 * Packets GRE held before the far one are delivered first: the
	 * probe's key, more than a turn ahead, still serves after them.
	 */
	pass(&l, 3);
	link_send(&l, &a);
	link_send(&l, &b);
	drop(&l, MPPE_CCOUNT_SPACE + 30);
	link_send(&l, &p);
	ATF_CHECK_EQ(mppe_rx_probe(l.rx, p.b, p.len,
	    MPPE_CCOUNT_SPACE + 33), MPPE_PROBE_YES);
	ATF_CHECK_EQ(link_recv(&l, &a), MPPE_OK);
	ATF_CHECK_EQ(link_recv(&l, &b), MPPE_OK);
	kc = rs->key_changes;
	ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
	ATF_CHECK_EQ(rs->key_changes, kc);
	pass(&l, 3);
	/* Two turns lost: more than a probe tries. */
	drop(&l, 2 * MPPE_CCOUNT_SPACE + 10);
	link_send(&l, &p);
	ATF_CHECK(mppe_rx_probe(l.rx, p.b, p.len, 0x40000000) !=
	    MPPE_PROBE_YES);
	link_close(&l);
}

/*
 * Stateful sending: the answer to a Reset-Request is the block's flag
 * packet (count xff, FLUSHED), so the key of a count never depends on
 * how many Reset-Requests came: a sender that had none sends that count
 * the same ciphertext.  A Linux receiver, which changes its key once per
 * block crossed and once per FLUSHED packet, relies on it when a FLUSHED
 * packet is lost.
 */
ATF_TC_WITHOUT_HEAD(stateful_reset_keys_follow_count);
ATF_TC_BODY(stateful_reset_keys_follow_count, tc)
{
	struct link a, b;
	struct pkt pa, pb;
	unsigned int i;

	link_open(&a, 128, 0);
	link_open(&b, 128, 0);
	for (i = 0; i < 10; i++)
		link_send(&a, &pa);
	/* Reset: the next packet is 0x0ff, FLUSHED. */
	mppe_tx_reset(a.tx);
	link_send(&a, &pa);
	ATF_CHECK_EQ(get_be16(pa.b) & 0xfff, 0x0ff);
	ATF_CHECK(pa.b[0] & MPPE_BIT_FLUSHED);
	/* Two more resets, the first answer lost: still count-keyed. */
	link_send(&a, &pa);
	mppe_tx_reset(a.tx);
	link_send(&a, &pa);
	ATF_CHECK_EQ(get_be16(pa.b) & 0xfff, 0x1ff);
	mppe_tx_reset(a.tx);
	a.seq = 5000;		/* the plaintext b sends at 0x2ff */
	link_send(&a, &pa);
	ATF_CHECK_EQ(get_be16(pa.b) & 0xfff, 0x2ff);
	ATF_CHECK(pa.b[0] & MPPE_BIT_FLUSHED);
	/* b sends every count up to 0x2ff without a reset. */
	for (i = 0; i < 0x2ff; i++)
		link_send(&b, &pb);
	b.seq = 5000;
	link_send(&b, &pb);
	ATF_CHECK_EQ(get_be16(pb.b) & 0xfff, 0x2ff);
	/* A flag packet starts a fresh keystream: the same bytes. */
	ATF_REQUIRE_EQ(pa.len, pb.len);
	ATF_CHECK_MSG(memcmp(pa.b, pb.b, pa.len) == 0, "the key of count "
	    "0x2ff depends on the Reset-Requests before it");
	link_close(&a);
	link_close(&b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, stateful_reset_keys_follow_count);
	ATF_TP_ADD_TC(tp, vectors_4_7_first_frame);
	ATF_TP_ADD_TC(tp, stateful_first_frame_uses_k0);
	ATF_TP_ADD_TC(tp, round_trips_every_mode);
	ATF_TP_ADD_TC(tp, stateless_losses_bursts_and_wrap);
	ATF_TP_ADD_TC(tp, stateless_reorder_and_duplicates);
	ATF_TP_ADD_TC(tp, stateless_long_outage);
	ATF_TP_ADD_TC(tp, bad_headers_and_far_counts);
	ATF_TP_ADD_TC(tp, empty_truncated_and_oversized);
	ATF_TP_ADD_TC(tp, stateful_loss_reset_cycle);
	ATF_TP_ADD_TC(tp, stateful_lost_flushed_packets);
	ATF_TP_ADD_TC(tp, stateful_rfc3078_sender_reset);
	ATF_TP_ADD_TC(tp, stateful_reset_with_compressed_protocol);
	ATF_TP_ADD_TC(tp, stateful_late_and_wrap);
	ATF_TP_ADD_TC(tp, stateless_reset_is_noop);
	ATF_TP_ADD_TC(tp, modes_and_bad_arguments);
	ATF_TP_ADD_TC(tp, stateless_forged_counts_do_not_commit);
	ATF_TP_ADD_TC(tp, stateless_forgery_budget);
	ATF_TP_ADD_TC(tp, stateful_forged_packet_costs_a_reset);
	ATF_TP_ADD_TC(tp, plausible_frames_only);
	ATF_TP_ADD_TC(tp, probe_judges_without_moving);
	ATF_TP_ADD_TC(tp, probe_past_a_turn);
	return atf_no_error();
}
