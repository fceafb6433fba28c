/*
 * Unit tests for daemon/mppe.c: the vectors.md §4.7 frame, round trips in
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

static void
fill(uint8_t *p, size_t len, unsigned int seq)
{
	size_t i;

	p[0] = 0x00;
	p[1] = 0x21;
	for (i = 2; i < len; i++)
		p[i] = (uint8_t)(seq * 31 + i * 7);
	if (len > 2)
		p[2] = 0x45;	/* an IPv4 header follows */
}

/* Encrypts the next plaintext, of a length that varies with it. */
static void
link_send(struct link *l, struct pkt *p)
{
	size_t dlen = 3 + (l->seq * 37) % 1400;

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
	ATF_CHECK_EQ(mppe_rx_decrypt(rx, b, sizeof(b)), MPPE_OK);
	ATF_CHECK(memcmp(b + 2, "\x00\x21test message", 14) == 0);
	ATF_CHECK_EQ(mppe_tx_stats(tx)->packets, 1);
	ATF_CHECK_EQ(mppe_tx_stats(tx)->bytes, 14);
	ATF_CHECK_EQ(mppe_rx_stats(rx)->packets, 1);
	ATF_CHECK_EQ(mppe_rx_stats(rx)->bytes, 14);
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
			    rs->discarded, 0);
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
		/* A burst of 1000, then the longest one that can be
		 * bridged: 2047 lost, the next is 2048 ahead. */
		drop(&l, 1000);
		pass(&l, 3);
		drop(&l, 2047);
		pass(&l, 3);
		lost += 1000 + 2047;
		/* A gap across the 12-bit wrap. */
		while (l.seq % 4096 != 4090)
			pass(&l, 1);
		drop(&l, 12);
		lost += 12;
		pass(&l, 20);
		ATF_CHECK_EQ(mppe_rx_stats(l.rx)->lost, lost);
		ATF_CHECK_EQ(mppe_rx_stats(l.rx)->late, 0);
		link_close(&l);
	}
}

ATF_TC_WITHOUT_HEAD(stateless_reorder_and_duplicates);
ATF_TC_BODY(stateless_reorder_and_duplicates, tc)
{
	struct link l;
	struct pkt a, b;
	int i;

	link_open(&l, 128, 1);
	pass(&l, 10);
	for (i = 0; i < 50; i++) {
		/* b overtakes a: b is fine, a can no longer be decrypted. */
		link_send(&l, &a);
		link_send(&l, &b);
		ATF_REQUIRE_EQ(link_recv(&l, &b), MPPE_OK);
		ATF_REQUIRE_EQ(link_recv(&l, &a), MPPE_LATE);
		/* A duplicate of the last packet. */
		ATF_REQUIRE_EQ(link_recv(&l, &b), MPPE_LATE);
		pass(&l, 3);
		/* A duplicate of an old one. */
		ATF_REQUIRE_EQ(link_recv(&l, &b), MPPE_LATE);
		pass(&l, 1);
	}
	ATF_CHECK_EQ(mppe_rx_stats(l.rx)->late, 150);
	ATF_CHECK_EQ(mppe_rx_stats(l.rx)->lost, 50);
	ATF_CHECK_EQ(mppe_rx_stats(l.rx)->errors, 0);
	link_close(&l);
}

ATF_TC_WITHOUT_HEAD(stateless_long_outage);
ATF_TC_BODY(stateless_long_outage, tc)
{
	struct link l;
	struct pkt p, old[3];
	uint64_t late;
	int i;

	link_open(&l, 128, 1);
	pass(&l, 100);
	/* 3000 lost: the next counts all look behind us. */
	drop(&l, 3000);
	for (i = 0; i < 2; i++) {
		link_send(&l, &p);
		ATF_REQUIRE_EQ(link_recv(&l, &p), MPPE_LATE);
	}
	/* The third in a row is taken as the sender 3003 ahead. */
	link_send(&l, &p);
	ATF_REQUIRE_EQ(link_recv(&l, &p), MPPE_OK);
	pass(&l, 100);
	ATF_CHECK_EQ(mppe_rx_stats(l.rx)->resets, 1);
	ATF_CHECK_EQ(mppe_rx_stats(l.rx)->late, 2);
	ATF_CHECK_EQ(mppe_rx_stats(l.rx)->lost, 3002);

	/* Replayed old packets in a row do not move the key. */
	for (i = 0; i < 3; i++) {
		link_send(&l, &old[i]);
		ATF_REQUIRE_EQ(link_recv(&l, &old[i]), MPPE_OK);
	}
	pass(&l, 10);
	late = mppe_rx_stats(l.rx)->late;
	for (i = 0; i < 3; i++)
		ATF_REQUIRE_EQ(link_recv(&l, &old[i]), MPPE_LATE);
	/* Nor do more of them while a try is recent (no work either). */
	for (i = 0; i < 3; i++)
		ATF_REQUIRE_EQ(link_recv(&l, &old[i]), MPPE_LATE);
	ATF_CHECK_EQ(mppe_rx_stats(l.rx)->late, late + 6);
	ATF_CHECK_EQ(mppe_rx_stats(l.rx)->resets, 1);
	/* Past the quiet time, 300 and more behind. */
	pass(&l, 300);

	/* A run of two is not enough: stale packets, dropped. */
	for (i = 0; i < 2; i++)
		ATF_REQUIRE_EQ(link_recv(&l, &old[i]), MPPE_LATE);
	pass(&l, 1);
	link_close(&l);
}

ATF_TC_WITHOUT_HEAD(bad_headers_and_far_counts);
ATF_TC_BODY(bad_headers_and_far_counts, tc)
{
	struct link l;
	struct pkt p, q;
	int stateless;
	uint64_t errors, late;
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
		/* Counts far in the past, or so far ahead they are. */
		q = p;
		q.b[0] = (uint8_t)((q.b[0] & 0xf0) | ((c - 60) >> 8 & 0x0f));
		q.b[1] = (uint8_t)(c - 60);
		ATF_CHECK_EQ(link_recv(&l, &q), MPPE_LATE);
		q.b[0] = (uint8_t)((q.b[0] & 0xf0) | ((c + 2049) >> 8 & 0x0f));
		q.b[1] = (uint8_t)(c + 2049);
		ATF_CHECK_EQ(link_recv(&l, &q), MPPE_LATE);
		/* None of it moved the state: the real packet decrypts. */
		ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
		pass(&l, 100);
		errors = mppe_rx_stats(l.rx)->errors;
		late = mppe_rx_stats(l.rx)->late;
		ATF_CHECK_EQ(errors, stateless ? 2 : 1);
		ATF_CHECK_EQ(late, 2);
		link_close(&l);
	}
}

ATF_TC_WITHOUT_HEAD(empty_truncated_and_oversized);
ATF_TC_BODY(empty_truncated_and_oversized, tc)
{
	static uint8_t big[MPPE_PKT_MAX + 1];
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
	/* One byte of data (a compressed protocol field) is enough. */
	link_send(&l, &p);
	ATF_CHECK_EQ(ccount(&p), 0);
	ATF_CHECK_EQ(link_recv(&l, &p), MPPE_OK);
	ATF_CHECK_EQ(mppe_tx_encrypt(l.tx, b, 3), 0);
	ATF_CHECK_EQ(mppe_rx_decrypt(l.rx, b, 3), MPPE_OK);
	ATF_CHECK_EQ(b[2], 0x00);
	ATF_CHECK_EQ(mppe_tx_encrypt(l.tx, big, MPPE_PKT_MAX), 0);
	ATF_CHECK_EQ(mppe_rx_decrypt(l.rx, big, MPPE_PKT_MAX), MPPE_OK);
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

ATF_TC_WITHOUT_HEAD(stateful_reset_with_compressed_protocol);
ATF_TC_BODY(stateful_reset_with_compressed_protocol, tc)
{
	struct link l;
	struct pkt p;
	uint8_t b[2 + 20];

	static const uint8_t first[][2] = {
		{ 0x21, 0x45 },		/* IPv4, compressed protocol field */
		{ 0x57, 0x60 },		/* IPv6, likewise */
		{ 0x00, 0x2d },		/* VJ compressed TCP/IP */
		{ 0x00, 0x23 },		/* nothing the receiver can check */
		{ 0x21, 0x00 },
	};
	size_t i;

	/*
	 * The FLUSHED packet after a Reset-Request begins with whatever the
	 * sender had to send; when the receiver cannot tell, it assumes one
	 * key change, which is what Linux (and pptpc) send.
	 */
	link_open(&l, 40, 0);
	for (i = 0; i < sizeof(first) / sizeof(first[0]); i++) {
		pass(&l, 5);
		drop(&l, 1);
		link_send(&l, &p);
		ATF_CHECK_EQ(link_recv(&l, &p), MPPE_NEEDS_RESET);
		mppe_tx_reset(l.tx);
		memset(b, 0x45, sizeof(b));
		memcpy(b + 2, first[i], 2);
		ATF_REQUIRE_EQ(mppe_tx_encrypt(l.tx, b, sizeof(b)), 0);
		l.seq++;
		ATF_CHECK(b[0] & MPPE_BIT_FLUSHED);
		ATF_CHECK_EQ(mppe_rx_decrypt(l.rx, b, sizeof(b)), MPPE_OK);
		ATF_CHECK(memcmp(b + 2, first[i], 2) == 0);
		ATF_CHECK_EQ(b[21], 0x45);
	}
	pass(&l, 300);
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
	return atf_no_error();
}
