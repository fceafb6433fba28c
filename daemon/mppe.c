/*
 * MPPE (RFC 3078) packet encryption and decryption with the key changes
 * of RFC 3079 §3 / RFC 3078 §7.3.  See mppe.h for the stateful-mode
 * choices.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "mppe.h"
#include "mppe_keys.h"

/* What the two directions share. */
struct mppe_state {
	struct crypto_rc4	*rc4;
	struct crypto_sha1	*sha;
	uint8_t			 start[MPPE_KEY_MAX];
	uint8_t			 key[MPPE_KEY_MAX];	/* session key now */
	int			 keylen;	/* 8 or 16 */
	int			 bits;
	int			 stateless;
	/*
	 * tx: count of the last packet sent; rx: of the last one accepted.
	 * Starts at 4095 so that the first packet carries count 0.
	 */
	unsigned int		 ccount;
	int			 failed;	/* libcrypto failed: unusable */
	struct mppe_stats	 stats;
};

struct mppe_tx {
	struct mppe_state	 s;
	int			 flush;	/* a Reset-Request to honour */
};

struct mppe_rx {
	struct mppe_state	 s;
	int			 discard;	/* stateful: until FLUSHED */
	unsigned int		 seen;		/* last count seen, for lost */
	/* Stateless: a run of packets "behind" us (see far_due()). */
	unsigned int		 far_last;	/* count of the last one */
	unsigned int		 far_count;	/* how many agree so far */
	unsigned int		 far_quiet;	/* packets until a try */
};

/*
 * Stateless catch-up beyond half the count space.  More than 2048 packets
 * lost in a row (an outage, a receiver that could not keep up) make every
 * later count look "behind" us, and without help the receiver would drop
 * them all and then, once the count wraps, decrypt with the wrong key for
 * good.  Our packets come through GRE in sequence, so a run of
 * MPPE_FAR_PKTS behind us that follow each other is a sender that moved
 * on, not stale packets: the keys are stepped the long way round, and the
 * result is kept only if the plaintext is a frame MPPE carries.  At most
 * one try per MPPE_FAR_QUIET packets bounds the cost (up to 4095 key
 * changes, a few ms) that replayed old packets can cause.
 */
#define MPPE_FAR_PKTS	3
#define MPPE_FAR_NEAR	64
#define MPPE_FAR_QUIET	256

static int
state_init(struct mppe_state *s, const uint8_t start[16], int bits,
    int stateless)
{
	memset(s, 0, sizeof(*s));
	if (bits != 40 && bits != 56 && bits != 128) {
		errno = EINVAL;
		return -1;
	}
	s->bits = bits;
	s->keylen = bits == 128 ? 16 : 8;
	s->stateless = stateless != 0;
	s->ccount = MPPE_CCOUNT_MASK;
	memcpy(s->start, start, (size_t)s->keylen);
	if ((s->rc4 = crypto_rc4_new()) == NULL ||
	    (s->sha = crypto_sha1_new()) == NULL)
		return -1;
	/*
	 * The initial session key is GetNewKeyFromSHA(start, start) with no
	 * RC4 step (RFC 3079 §3.2; Linux and npppd agree), reduced.
	 */
	if (mppe_new_key_from_sha_ctx(s->sha, s->start, s->start, s->keylen,
	    s->key) == -1)
		goto fail;
	mppe_reduce_key(s->key, s->bits);
	if (crypto_rc4_setkey(s->rc4, s->key, (size_t)s->keylen) == -1)
		goto fail;
	return 0;
fail:
	errno = EINVAL;
	return -1;
}

static void
state_free(struct mppe_state *s)
{
	crypto_rc4_free(s->rc4);
	crypto_sha1_free(s->sha);
	crypto_wipe(s, sizeof(*s));
}

/*
 * The RC4 context is keyed with the new key unless more changes follow
 * at once (stateless catch-up), where only the last one needs it.
 */
static int
key_change(struct mppe_state *s, int setkey)
{
	if (mppe_change_key(s->sha, s->rc4, s->start, s->key, s->keylen,
	    s->bits, setkey) == -1) {
		s->failed = 1;
		return -1;
	}
	return 0;
}

static const char *
state_mode(const struct mppe_state *s)
{
	return mppe_mode_name(s->bits, s->stateless);
}

struct mppe_tx *
mppe_tx_new(const uint8_t start[16], int bits, int stateless)
{
	struct mppe_tx *tx;
	int saved;

	if ((tx = calloc(1, sizeof(*tx))) == NULL)
		return NULL;
	if (state_init(&tx->s, start, bits, stateless) == -1) {
		saved = errno;
		mppe_tx_free(tx);
		errno = saved;
		return NULL;
	}
	return tx;
}

int
mppe_tx_encrypt(struct mppe_tx *tx, uint8_t *pkt, size_t len)
{
	struct mppe_state *s = &tx->s;
	unsigned int ccount;
	uint8_t flags = MPPE_BIT_ENCRYPTED;

	if (s->failed)
		return -1;
	if (len < MPPE_PKT_MIN || len > MPPE_PKT_MAX) {
		s->stats.errors++;
		return -1;
	}
	ccount = (s->ccount + 1) & MPPE_CCOUNT_MASK;
	/*
	 * Stateful: a Reset-Request is answered with this block's flag
	 * packet, the count jumping to it.  Keys then change at flag
	 * packets only, so the key is a function of the count, and a
	 * receiver that changes its key once per block crossed and once per
	 * FLUSHED packet (Linux's ppp_mppe) stays in step even when a
	 * FLUSHED packet is lost; one that answered with an extra key change
	 * (as Linux's sender does) left pppd decrypting garbage after such
	 * a loss.
	 */
	if (tx->flush && !s->stateless)
		ccount |= 0xff;
	/*
	 * Stateless: a key change before every packet, the first included
	 * (so packet 0 uses K1, as Linux and npppd send).  Stateful: before
	 * each flag packet (count low byte 0xff), which goes out FLUSHED.
	 */
	if (s->stateless || (ccount & 0xff) == 0xff) {
		if (key_change(s, 1) == -1)
			return -1;
		flags |= MPPE_BIT_FLUSHED;
		if (tx->flush) {
			tx->flush = 0;
			s->stats.resets++;
		}
	}
	if (crypto_rc4_xor(s->rc4, pkt + MPPE_HDRLEN, pkt + MPPE_HDRLEN,
	    len - MPPE_HDRLEN) == -1) {
		s->failed = 1;
		return -1;
	}
	s->ccount = ccount;
	put_be16(pkt, (uint16_t)(flags << 8 | ccount));
	s->stats.packets++;
	s->stats.bytes += len - MPPE_HDRLEN;
	return 0;
}

void
mppe_tx_reset(struct mppe_tx *tx)
{
	if (!tx->s.stateless)
		tx->flush = 1;
}

const struct mppe_stats *
mppe_tx_stats(const struct mppe_tx *tx)
{
	return &tx->s.stats;
}

const char *
mppe_tx_mode(const struct mppe_tx *tx)
{
	return state_mode(&tx->s);
}

int
mppe_tx_bits(const struct mppe_tx *tx)
{
	return tx->s.bits;
}

void
mppe_tx_free(struct mppe_tx *tx)
{
	if (tx == NULL)
		return;
	state_free(&tx->s);
	crypto_wipe(tx, sizeof(*tx));
	free(tx);
}

struct mppe_rx *
mppe_rx_new(const uint8_t start[16], int bits, int stateless)
{
	struct mppe_rx *rx;
	int saved;

	if ((rx = calloc(1, sizeof(*rx))) == NULL)
		return NULL;
	if (state_init(&rx->s, start, bits, stateless) == -1) {
		saved = errno;
		mppe_rx_free(rx);
		errno = saved;
		return NULL;
	}
	rx->seen = rx->s.ccount;
	return rx;
}

/* Counts the packets skipped between the last count seen and this one. */
static void
count_lost(struct mppe_rx *rx, unsigned int ccount)
{
	unsigned int d = (ccount - rx->seen) & MPPE_CCOUNT_MASK;

	if (d != 0 && d <= MPPE_CCOUNT_SPACE / 2) {
		rx->s.stats.lost += d - 1;
		rx->seen = ccount;
	}
}

static enum mppe_result
rx_stateless(struct mppe_rx *rx, unsigned int ccount, unsigned int ahead)
{
	struct mppe_state *s = &rx->s;
	unsigned int i;

	/*
	 * One key change per count step.  ahead is at most half the count
	 * space (checked by the caller), which bounds the work a forged or
	 * very late header can cause.
	 */
	for (i = 1; i <= ahead; i++)
		if (key_change(s, i == ahead) == -1)
			return MPPE_FAILED;
	s->ccount = ccount;
	return MPPE_OK;
}

/*
 * Whether decrypted bytes can begin a frame that MPPE carries: IPv4
 * (0x0021, then version 4) or IPv6 (0x0057, then version 6), with the
 * protocol field in full or compressed to one byte (RFC 1661 PFC), or
 * Van Jacobson TCP/IP (0x002d, 0x002f).  Random bytes pass with a
 * probability of about 1/1800.
 */
static int
plausible(const uint8_t *p, size_t n)
{
	if (n >= 2 && p[0] == 0x00) {
		p++;
		n--;
		if (p[0] == 0x2d || p[0] == 0x2f)
			return 1;
	}
	/* A frame too short to hold the version can only be judged so far. */
	if (p[0] == 0x21)
		return n < 2 || p[1] >> 4 == 4;
	if (p[0] == 0x57)
		return n < 2 || p[1] >> 4 == 6;
	return 0;
}

/*
 * The key for a FLUSHED packet in stateful mode.  Senders differ
 * (vectors.md §4.6): on a flag packet everyone changes the key once; on a
 * Reset-Request Linux changes it once per request it honoured, which the
 * receiver cannot count when FLUSHED packets that answered earlier
 * requests were lost, and an RFC 3078 §8.2 sender (npppd) does not change
 * it at all.  So the likely numbers of key changes are tried in turn on
 * the first bytes of the ciphertext (1, 0, 2, 3, ...; for a flag packet
 * 1, 2, 3, ...), and the first that decrypts to a plausible frame wins.
 * If none does (a frame plausible() does not know), one key change, as
 * Linux sends.  At most MPPE_RESYNC_MAX key changes: this runs once per
 * flag packet and once per resynchronisation, never per packet.
 */
#define MPPE_RESYNC_MAX	8

static int
flush_resync(struct mppe_state *s, const uint8_t *ct, size_t ctlen,
    int is_flag)
{
	uint8_t keys[MPPE_RESYNC_MAX + 1][MPPE_KEY_MAX], pt[3];
	size_t kl = (size_t)s->keylen, n = ctlen < 3 ? ctlen : 3;
	int have = 1, i, t, chosen = 1, rv = -1;

	memcpy(keys[0], s->key, kl);
	for (i = 0; i <= MPPE_RESYNC_MAX; i++) {
		if (is_flag)
			t = i + 1;
		else
			t = i == 0 ? 1 : i == 1 ? 0 : i;
		if (t > MPPE_RESYNC_MAX)
			break;
		/* keys[k] is the current key after k changes. */
		for (; have <= t; have++) {
			memcpy(keys[have], keys[have - 1], kl);
			if (mppe_change_key(s->sha, s->rc4, s->start,
			    keys[have], s->keylen, s->bits, 0) == -1)
				goto out;
		}
		if (crypto_rc4_setkey(s->rc4, keys[t], kl) == -1 ||
		    crypto_rc4_xor(s->rc4, ct, pt, n) == -1)
			goto out;
		if (plausible(pt, n)) {
			chosen = t;
			break;
		}
	}
	memcpy(s->key, keys[chosen], kl);
	/* Restart the keystream for the whole packet. */
	if (crypto_rc4_setkey(s->rc4, s->key, kl) == -1)
		goto out;
	rv = 0;
out:
	crypto_wipe(keys, sizeof(keys));
	crypto_wipe(pt, sizeof(pt));
	if (rv == -1)
		s->failed = 1;
	return rv;
}

static enum mppe_result
rx_stateful(struct mppe_rx *rx, unsigned int ccount, unsigned int ahead,
    int flushed, const uint8_t *ct, size_t ctlen)
{
	struct mppe_state *s = &rx->s;
	unsigned int expect = (s->ccount + 1) & MPPE_CCOUNT_MASK;
	int is_flag = (ccount & 0xff) == 0xff;

	if (!flushed && (rx->discard || ahead != 1)) {
		/*
		 * RFC 3078 §8.2: drop until the sender flushes, and ask
		 * again for each packet (CCP sends at most one a second):
		 * the Reset-Request or the FLUSHED answer may be lost.
		 */
		rx->discard = 1;
		s->stats.discarded++;
		return MPPE_NEEDS_RESET;
	}
	/*
	 * A FLUSHED packet after a gap resynchronises, asked for or not:
	 * our sender answers a Reset-Request with the block's flag packet,
	 * the count jumping to it.
	 */
	if (rx->discard || ahead != 1) {
		/* One key change per flag packet missed (Linux, npppd). */
		while ((ccount & ~0xffu) != (expect & ~0xffu)) {
			if (key_change(s, 0) == -1)
				return MPPE_FAILED;
			expect = (expect + 0x100) & MPPE_CCOUNT_MASK;
		}
		rx->discard = 0;
		s->stats.resets++;
	}
	/*
	 * A flag packet changes the key whether or not its sender marked it
	 * FLUSHED (Linux does; the RFC does not say).
	 */
	if (flushed) {
		if (flush_resync(s, ct, ctlen, is_flag) == -1)
			return MPPE_FAILED;
	} else if (is_flag) {
		if (key_change(s, 1) == -1)
			return MPPE_FAILED;
	}
	s->ccount = ccount;
	return MPPE_OK;
}

/* Whether the packet with count ccount, behind us, completes a run. */
static int
far_due(struct mppe_rx *rx, unsigned int ccount)
{
	unsigned int d = (ccount - rx->far_last) & MPPE_CCOUNT_MASK;

	if (rx->far_count > 0 && d >= 1 && d <= MPPE_FAR_NEAR)
		rx->far_count++;
	else
		rx->far_count = 1;
	rx->far_last = ccount;
	return rx->far_count >= MPPE_FAR_PKTS && rx->far_quiet == 0;
}

/*
 * Tries ahead (more than half the count space) key changes on a stateless
 * packet; see MPPE_FAR_PKTS.  MPPE_OK with the state moved to ccount and
 * the cipher keyed for the packet, else MPPE_LATE with the key as it was.
 */
static enum mppe_result
rx_far(struct mppe_rx *rx, unsigned int ccount, unsigned int ahead,
    const uint8_t *ct, size_t ctlen)
{
	struct mppe_state *s = &rx->s;
	uint8_t saved[MPPE_KEY_MAX], pt[3];
	size_t kl = (size_t)s->keylen, n = ctlen < 3 ? ctlen : 3;
	enum mppe_result r = MPPE_FAILED;
	unsigned int i;

	rx->far_count = 0;
	rx->far_quiet = MPPE_FAR_QUIET;
	memcpy(saved, s->key, kl);
	for (i = 1; i <= ahead; i++)
		if (key_change(s, i == ahead) == -1)
			goto out;
	if (crypto_rc4_xor(s->rc4, ct, pt, n) == -1)
		goto out;
	if (!plausible(pt, n)) {
		/*
		 * Not the sender's stream: keep the key.  The cipher needs
		 * no restoring, as every stateless packet re-keys it.
		 */
		memcpy(s->key, saved, kl);
		r = MPPE_LATE;
		goto out;
	}
	/* Restart the keystream for the whole packet. */
	if (crypto_rc4_setkey(s->rc4, s->key, kl) == -1)
		goto out;
	s->stats.lost += ahead - 1;
	s->stats.resets++;
	rx->seen = ccount;
	s->ccount = ccount;
	r = MPPE_OK;
out:
	crypto_wipe(saved, sizeof(saved));
	crypto_wipe(pt, sizeof(pt));
	if (r == MPPE_FAILED)
		s->failed = 1;
	return r;
}

enum mppe_result
mppe_rx_decrypt(struct mppe_rx *rx, uint8_t *pkt, size_t len)
{
	struct mppe_state *s = &rx->s;
	enum mppe_result r;
	unsigned int ccount, ahead;
	struct rbuf rb;
	uint16_t hdr;
	uint8_t flags;

	if (s->failed)
		return MPPE_FAILED;
	rbuf_init(&rb, pkt, len);
	if (len < MPPE_PKT_MIN || len > MPPE_PKT_MAX ||
	    rbuf_u16(&rb, &hdr) == -1) {
		s->stats.errors++;
		return MPPE_BAD_HEADER;
	}
	flags = hdr >> 8 & 0xf0;
	ccount = hdr & MPPE_CCOUNT_MASK;
	/*
	 * B and C belong to MPPC, which pptpc never negotiates; like Linux
	 * they are ignored rather than refused.
	 */
	if ((flags & MPPE_BIT_ENCRYPTED) == 0 ||
	    (s->stateless && (flags & MPPE_BIT_FLUSHED) == 0)) {
		s->stats.errors++;
		return MPPE_BAD_HEADER;
	}
	/*
	 * Keys only move forward, so a packet at or behind the last count
	 * accepted cannot be decrypted any more.  "Behind" is more than half
	 * the count space ahead, as with any serial number arithmetic; in
	 * stateless mode a run of such packets may instead be a sender more
	 * than half the space ahead (MPPE_FAR_PKTS).
	 */
	ahead = (ccount - s->ccount) & MPPE_CCOUNT_MASK;
	if (rx->far_quiet > 0)
		rx->far_quiet--;
	if (ahead == 0 || ahead > MPPE_CCOUNT_SPACE / 2) {
		r = MPPE_LATE;
		if (s->stateless && ahead != 0 && far_due(rx, ccount))
			r = rx_far(rx, ccount, ahead, pkt + MPPE_HDRLEN,
			    len - MPPE_HDRLEN);
		if (r == MPPE_LATE)
			s->stats.late++;
		if (r != MPPE_OK)
			return r;
	} else if (s->stateless) {
		rx->far_count = 0;
		count_lost(rx, ccount);
		r = rx_stateless(rx, ccount, ahead);
	} else {
		count_lost(rx, ccount);
		r = rx_stateful(rx, ccount, ahead,
		    (flags & MPPE_BIT_FLUSHED) != 0, pkt + MPPE_HDRLEN,
		    len - MPPE_HDRLEN);
	}
	if (r != MPPE_OK)
		return r;
	if (crypto_rc4_xor(s->rc4, pkt + MPPE_HDRLEN, pkt + MPPE_HDRLEN,
	    len - MPPE_HDRLEN) == -1) {
		s->failed = 1;
		return MPPE_FAILED;
	}
	s->stats.packets++;
	s->stats.bytes += len - MPPE_HDRLEN;
	return MPPE_OK;
}

const struct mppe_stats *
mppe_rx_stats(const struct mppe_rx *rx)
{
	return &rx->s.stats;
}

const char *
mppe_rx_mode(const struct mppe_rx *rx)
{
	return state_mode(&rx->s);
}

int
mppe_rx_bits(const struct mppe_rx *rx)
{
	return rx->s.bits;
}

void
mppe_rx_free(struct mppe_rx *rx)
{
	if (rx == NULL)
		return;
	state_free(&rx->s);
	crypto_wipe(rx, sizeof(*rx));
	free(rx);
}

const char *
mppe_result_name(enum mppe_result r)
{
	switch (r) {
	case MPPE_OK:
		return "ok";
	case MPPE_BAD_HEADER:
		return "bad MPPE header";
	case MPPE_LATE:
		return "late or duplicate MPPE packet";
	case MPPE_NEEDS_RESET:
		return "MPPE packets lost, resynchronising";
	case MPPE_DISCARD:
		return "MPPE waiting for a flushed packet";
	case MPPE_FAILED:
		return "MPPE crypto failure";
	}
	return "unknown MPPE result";
}

const char *
mppe_mode_name(int bits, int stateless)
{
	switch (bits) {
	case 40:
		return stateless ? "40 stateless" : "40 stateful";
	case 56:
		return stateless ? "56 stateless" : "56 stateful";
	case 128:
		return stateless ? "128 stateless" : "128 stateful";
	}
	return "none";
}
