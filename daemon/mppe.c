/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * MPPE (RFC 3078) packet encryption and decryption with the key changes
 * of RFC 3079 §3 / RFC 3078 §7.3.  See mppe.h for the stateful-mode
 * choices and for the receiver's rule: verify, then commit.
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

/* The header and the first ciphertext bytes: a duplicate's fingerprint. */
#define MPPE_TAG_LEN	8

struct mppe_rx {
	struct mppe_state	 s;
	int			 discard;	/* stateful: until FLUSHED */
	unsigned int		 seen;		/* stateful: last count seen */
	/* Stateless: the last packet accepted, to tell its duplicate. */
	uint8_t			 tag[MPPE_TAG_LEN];
	size_t			 taglen;
	/* mppe_rx_probe()'s verified key, for the decrypt that follows. */
	int			 probe_ok;
	unsigned int		 probe_from;	/* s.ccount it was made from */
	unsigned int		 probe_to;	/* the count it is for */
	unsigned int		 probe_steps;	/* key changes from probe_from */
	uint8_t			 probe_key[MPPE_KEY_MAX];
	/* The budget of key changes for jumps (see MPPE_BUDGET_MAX). */
	unsigned int		 tokens;
	uint64_t		 refilled;	/* clock at the last refill */
	mppe_clock_fn		*clock;
	void			*clock_arg;
};

/*
 * Every stateless packet carries the count of key changes since the
 * start, modulo 4096; reaching a count n ahead costs n key changes (a
 * SHA-1 and two RC4 key setups each, a few microseconds).  The normal
 * case, one ahead, costs one, like any packet.  A jump costs its length
 * from a per-call bucket of MPPE_BUDGET_MAX key changes that refills at
 * MPPE_BUDGET_RATE a second, and is given back when the packet verifies:
 * genuine loss costs nothing in the end, while forged packets can burn
 * at most the refill rate (about 1-2 % of a core, whatever they send)
 * and are dropped untried (budget_dropped) once it is spent.  The bucket
 * holds a probe's longest try (MPPE_PROBE_TURNS turns of the count, see
 * mppe_rx_probe()) and a jump's longest (4095 lost), so a genuine burst
 * loss still decrypts right after a forged far packet spent its try.
 * (MPPE_BUDGET_MAX and MPPE_BUDGET_RATE are in mppe.h, for tests.)
 */
/* Inner protocol and the longest IPv4 header: what plausible() reads. */
#define MPPE_HEAD		(2 + 60)

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
 * n key changes of key (the state's own, or a scratch copy), counted.
 * The RC4 context is left keyed with the result for data: only the last
 * change needs the key setup that makes it so.
 */
static int
step_key(struct mppe_state *s, uint8_t *key, unsigned int n)
{
	unsigned int i;

	for (i = 1; i <= n; i++) {
		if (mppe_change_key(s->sha, s->rc4, s->start, key, s->keylen,
		    s->bits, i == n) == -1) {
			s->failed = 1;
			return -1;
		}
		s->stats.key_changes++;
	}
	return 0;
}

static int
key_change(struct mppe_state *s)
{
	return step_key(s, s->key, 1);
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
		if (key_change(s) == -1)
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
	rx->tokens = MPPE_BUDGET_MAX;
	return rx;
}

void
mppe_rx_set_clock(struct mppe_rx *rx, mppe_clock_fn *clock, void *arg)
{
	rx->clock = clock;
	rx->clock_arg = arg;
	if (clock != NULL)
		rx->refilled = clock(arg);
}

/* Refills the budget for the time gone by; only when it runs short. */
static void
budget_refill(struct mppe_rx *rx)
{
	uint64_t now, add;

	if (rx->clock == NULL)
		return;
	now = rx->clock(rx->clock_arg);
	if (now <= rx->refilled)
		return;
	if (now - rx->refilled >= 1000ull * MPPE_BUDGET_MAX / MPPE_BUDGET_RATE)
		add = MPPE_BUDGET_MAX;
	else
		add = (now - rx->refilled) * MPPE_BUDGET_RATE / 1000;
	if (add == 0)
		return;
	rx->refilled = now;
	rx->tokens = rx->tokens + add > MPPE_BUDGET_MAX ? MPPE_BUDGET_MAX :
	    rx->tokens + (unsigned int)add;
}

/* Takes n key changes from the budget: 0, or -1 (counted) if short. */
static int
budget_take(struct mppe_rx *rx, unsigned int n)
{
	if (rx->tokens < n)
		budget_refill(rx);
	if (rx->tokens < n) {
		rx->s.stats.budget_dropped++;
		return -1;
	}
	rx->tokens -= n;
	return 0;
}

/* The work produced a genuine packet: it was not the attacker's. */
static void
budget_give(struct mppe_rx *rx, unsigned int n)
{
	rx->tokens = rx->tokens + n > MPPE_BUDGET_MAX ? MPPE_BUDGET_MAX :
	    rx->tokens + n;
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

/*
 * Whether decrypted bytes p[0..n), the start of a frame of len bytes
 * (n = min(len, MPPE_HEAD)), are a frame pptpc's peer sends inside MPPE.
 * RFC 3078 encrypts protocols 0x0021-0x00fa; pptpc opens IPCP only and
 * never negotiates Van Jacobson compression, so that is IPv4, and IPv6
 * for a peer that sends it anyway; the protocol field may be compressed
 * to one byte (RFC 1661 PFC).  IPv4: version 4, 5 <= IHL, the header
 * within the frame, IHL*4 <= total length <= the frame, and a header
 * checksum that verifies.  IPv6: version 6 and 40 + payload length equal
 * to the frame.
 *
 * False accepts, for bytes that are random (a wrong key, or a forger
 * without the key): IPv4 needs 00 21 (2^-16) or 21 (2^-8), a version and
 * IHL byte (11/256, about 2^-4.5), a total length that fits (at most
 * 1500/65536, about 2^-5.5) and a checksum (2^-16): about 2^-34 with
 * PFC.  IPv6 needs 00 57 or 57, version 6 (2^-4) and an exact payload
 * length (2^-16): about 2^-28 with PFC.  In all, under 2^-27.9 (about
 * 1 in 250 million) per try.  One false accept costs a stateless
 * receiver the packets up to the forged count (it then waits for the
 * genuine stream to pass it), a stateful one a Reset-Request.
 */
static int
plausible(const uint8_t *p, size_t n, size_t len)
{
	const uint8_t *ip;
	size_t off, iplen, ihl, tot, i;
	uint32_t sum = 0;
	uint16_t proto;

	if (n == 0 || n > len)
		return 0;
	if (p[0] & 1) {
		proto = p[0];
		off = 1;
	} else {
		if (n < 2)
			return 0;
		proto = (uint16_t)(p[0] << 8 | p[1]);
		off = 2;
	}
	ip = p + off;
	iplen = len - off;
	switch (proto) {
	case 0x0021:
		if (n - off < 20 || ip[0] >> 4 != 4)
			return 0;
		ihl = (size_t)(ip[0] & 0x0f) * 4;
		if (ihl < 20 || ihl > n - off)
			return 0;
		tot = (size_t)(ip[2] << 8 | ip[3]);
		if (tot < ihl || tot > iplen)
			return 0;
		for (i = 0; i < ihl; i += 2)
			sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		return sum == 0xffff;
	case 0x0057:
		if (n - off < 6 || iplen < 40 || ip[0] >> 4 != 6)
			return 0;
		return 40 + (size_t)(ip[4] << 8 | ip[5]) == iplen;
	}
	return 0;
}

/*
 * Decrypts ct[0..len) in place with the cipher as keyed: 1 if the result
 * is plausible, 0 if not, -1 if libcrypto failed.  All of it at once: a
 * packet that does not verify costs the RC4 of a genuine one, no more,
 * and one call instead of two keeps the genuine packet's cost as it was.
 */
static int
decrypt_verify(struct mppe_state *s, uint8_t *ct, size_t len)
{
	if (crypto_rc4_xor(s->rc4, ct, ct, len) == -1) {
		s->failed = 1;
		return -1;
	}
	return plausible(ct, len < MPPE_HEAD ? len : MPPE_HEAD, len);
}

/*
 * The key for a FLUSHED packet in stateful mode, from base.  Senders
 * differ (doc/vectors.md §4.6): on a flag packet everyone changes the key
 * once; on a Reset-Request Linux changes it once per request it honoured,
 * which the receiver cannot count when FLUSHED packets that answered
 * earlier requests were lost, and an RFC 3078 §8.2 sender (npppd) does
 * not change it at all.  So the likely numbers of key changes are tried
 * in turn on the head of the ciphertext (1, 0, 2, 3, ...; for a flag
 * packet 1, 2, 3, ...), and the first that decrypts to a plausible frame
 * wins: 1 with its key in out and the cipher keyed with it afresh, 0 if
 * none does (the packet is not the sender's), -1 if libcrypto failed.
 * At most MPPE_RESYNC_MAX key changes; those past the first come from
 * the budget, so that forged FLUSHED packets cost no more than others.
 */
#define MPPE_RESYNC_MAX	8

static int
flush_resync(struct mppe_rx *rx, const uint8_t *base, const uint8_t *ct,
    size_t ctlen, int is_flag, uint8_t *out)
{
	struct mppe_state *s = &rx->s;
	uint8_t keys[MPPE_RESYNC_MAX + 1][MPPE_KEY_MAX], pt[MPPE_HEAD];
	size_t kl = (size_t)s->keylen, n = ctlen < MPPE_HEAD ? ctlen : MPPE_HEAD;
	int have = 1, i, t, rv = -1;
	unsigned int charged = 0;

	memcpy(keys[0], base, kl);
	for (i = 0; i <= MPPE_RESYNC_MAX; i++) {
		if (is_flag)
			t = i + 1;
		else
			t = i == 0 ? 1 : i == 1 ? 0 : i;
		if (t > MPPE_RESYNC_MAX)
			break;
		/* keys[k] is base after k changes. */
		for (; have <= t; have++) {
			if (have > 1) {
				if (budget_take(rx, 1) == -1) {
					rv = 0;
					goto out;
				}
				charged++;
			}
			memcpy(keys[have], keys[have - 1], kl);
			if (mppe_change_key(s->sha, s->rc4, s->start,
			    keys[have], s->keylen, s->bits, 0) == -1)
				goto out;
			s->stats.key_changes++;
		}
		if (crypto_rc4_setkey(s->rc4, keys[t], kl) == -1 ||
		    crypto_rc4_xor(s->rc4, ct, pt, n) == -1)
			goto out;
		if (plausible(pt, n, ctlen)) {
			memcpy(out, keys[t], kl);
			/* Restart the keystream for the whole packet. */
			if (crypto_rc4_setkey(s->rc4, out, kl) == -1)
				goto out;
			budget_give(rx, charged);
			rv = 1;
			goto out;
		}
	}
	rv = 0;
out:
	crypto_wipe(keys, sizeof(keys));
	crypto_wipe(pt, sizeof(pt));
	if (rv == -1)
		s->failed = 1;
	return rv;
}

/* Stateful, in sync or not: the packet with count ccount, ahead of us. */
static enum mppe_result
rx_stateful(struct mppe_rx *rx, unsigned int ccount, unsigned int ahead,
    int flushed, uint8_t *ct, size_t ctlen)
{
	struct mppe_state *s = &rx->s;
	unsigned int expect = (s->ccount + 1) & MPPE_CCOUNT_MASK, missed = 0;
	uint8_t key[MPPE_KEY_MAX];
	size_t kl = (size_t)s->keylen;
	int is_flag = (ccount & 0xff) == 0xff, v;
	enum mppe_result r = MPPE_FAILED;

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
	memcpy(key, s->key, kl);
	/*
	 * A FLUSHED packet after a gap resynchronises, asked for or not:
	 * our sender answers a Reset-Request with the block's flag packet,
	 * the count jumping to it.  It is verified before it is kept, like
	 * any other.
	 */
	if (rx->discard || ahead != 1) {
		/* One key change per flag packet missed (Linux, npppd). */
		missed = ((ccount >> 8) - (expect >> 8)) & 0x0f;
		if (missed > 0 && budget_take(rx, missed) == -1) {
			r = MPPE_OVER_BUDGET;
			goto out;
		}
		if (missed > 0 && step_key(s, key, missed) == -1)
			goto out;
	}
	/*
	 * A flag packet changes the key whether or not its sender marked it
	 * FLUSHED (Linux does; the RFC does not say).  Otherwise the cipher
	 * runs on from the packet before, which cannot be undone: a packet
	 * that does not verify then costs the sync, as a lost one would.
	 */
	if (flushed) {
		if ((v = flush_resync(rx, key, ct, ctlen, is_flag, key)) == -1)
			goto out;
		v = v == 1 ? decrypt_verify(s, ct, ctlen) : 0;
	} else {
		if (is_flag && step_key(s, key, 1) == -1)
			goto out;
		v = decrypt_verify(s, ct, ctlen);
	}
	if (v == -1)
		goto out;
	if (v == 0) {
		s->stats.undecryptable++;
		if (rx->discard)
			r = MPPE_UNDECRYPTABLE;
		else {
			rx->discard = 1;
			r = MPPE_NEEDS_RESET;
		}
		goto out;
	}
	budget_give(rx, missed);
	/* A resynchronisation, asked for or not (the count jumped). */
	if (rx->discard || ahead != 1) {
		rx->discard = 0;
		s->stats.resets++;
	}
	memcpy(s->key, key, kl);
	s->ccount = ccount;
	r = MPPE_OK;
out:
	crypto_wipe(key, sizeof(key));
	return r;
}

/* Whether the packet at pkt is the one last accepted, again. */
static int
is_duplicate(const struct mppe_rx *rx, const uint8_t *pkt, size_t len)
{
	size_t n = len < MPPE_TAG_LEN ? len : MPPE_TAG_LEN;

	return rx->taglen == n && memcmp(rx->tag, pkt, n) == 0;
}

/*
 * Stateless: every count 1..4095 ahead is a jump forward, as GRE hands
 * packets over in order; 0 ahead is the last packet again or, if it is
 * not, 4096 ahead (4095 lost).  The key is stepped on a scratch copy and
 * kept, with the count, only if the packet verifies.
 */
static enum mppe_result
rx_stateless(struct mppe_rx *rx, uint8_t *pkt, size_t len,
    unsigned int ccount)
{
	struct mppe_state *s = &rx->s;
	uint8_t key[MPPE_KEY_MAX], tag[MPPE_TAG_LEN];
	size_t kl = (size_t)s->keylen, taglen;
	unsigned int ahead, span, cost = 0, from = s->ccount;
	enum mppe_result r = MPPE_FAILED;
	int v, probed = 0;

	ahead = (ccount - s->ccount) & MPPE_CCOUNT_MASK;
	if (ahead == 0 && is_duplicate(rx, pkt, len)) {
		s->stats.late++;
		return MPPE_LATE;
	}
	span = ahead == 0 ? MPPE_CCOUNT_SPACE : ahead;
	taglen = len < MPPE_TAG_LEN ? len : MPPE_TAG_LEN;
	memcpy(tag, pkt, taglen);
	if (rx->probe_ok && rx->probe_from == s->ccount &&
	    rx->probe_to == ccount) {
		/* mppe_rx_probe() has done (and paid for) the steps. */
		memcpy(key, rx->probe_key, kl);
		span = rx->probe_steps;
		probed = 1;
		if (crypto_rc4_setkey(s->rc4, key, kl) == -1) {
			s->failed = 1;
			goto out;
		}
	} else {
		cost = span > 1 ? span : 0;
		if (cost > 0 && budget_take(rx, cost) == -1) {
			r = MPPE_OVER_BUDGET;
			goto out;
		}
		memcpy(key, s->key, kl);
		if (step_key(s, key, span) == -1)
			goto out;
	}
	if ((v = decrypt_verify(s, pkt + MPPE_HDRLEN, len - MPPE_HDRLEN)) ==
	    -1)
		goto out;
	if (v == 0) {
		s->stats.undecryptable++;
		r = MPPE_UNDECRYPTABLE;
		goto out;
	}
	budget_give(rx, cost);
	memcpy(s->key, key, kl);
	s->ccount = ccount;
	s->stats.lost += span - 1;
	memcpy(rx->tag, tag, taglen);
	rx->taglen = taglen;
	if (rx->probe_ok && !probed && rx->probe_from == from &&
	    span < rx->probe_steps) {
		/*
		 * A packet on the way to the probed one (GRE delivers what it
		 * held before it follows the far frame): the probe's key is
		 * still ahead on the same chain, and it may be more than a
		 * turn ahead, which the count alone would not find again.
		 */
		rx->probe_from = ccount;
		rx->probe_steps -= span;
	} else if (rx->probe_ok) {
		/* Made from the old state: of no use any more. */
		rx->probe_ok = 0;
		crypto_wipe(rx->probe_key, sizeof(rx->probe_key));
	}
	r = MPPE_OK;
out:
	crypto_wipe(key, sizeof(key));
	return r;
}

/* The header checks both modes share: the count, or -1 (counted). */
static int
rx_header(struct mppe_rx *rx, const uint8_t *pkt, size_t len, int *flushed)
{
	struct mppe_state *s = &rx->s;
	struct rbuf rb;
	uint16_t hdr;
	uint8_t flags;

	rbuf_init(&rb, pkt, len);
	if (len < MPPE_PKT_MIN || len > MPPE_PKT_MAX ||
	    rbuf_u16(&rb, &hdr) == -1)
		return -1;
	flags = hdr >> 8 & 0xf0;
	/*
	 * B and C belong to MPPC, which pptpc never negotiates; like Linux
	 * they are ignored rather than refused.
	 */
	if ((flags & MPPE_BIT_ENCRYPTED) == 0 ||
	    (s->stateless && (flags & MPPE_BIT_FLUSHED) == 0))
		return -1;
	*flushed = (flags & MPPE_BIT_FLUSHED) != 0;
	return hdr & MPPE_CCOUNT_MASK;
}

enum mppe_result
mppe_rx_decrypt(struct mppe_rx *rx, uint8_t *pkt, size_t len)
{
	struct mppe_state *s = &rx->s;
	enum mppe_result r;
	unsigned int ahead;
	int ccount, flushed;

	if (s->failed)
		return MPPE_FAILED;
	if ((ccount = rx_header(rx, pkt, len, &flushed)) == -1) {
		s->stats.errors++;
		return MPPE_BAD_HEADER;
	}
	if (s->stateless)
		r = rx_stateless(rx, pkt, len, (unsigned int)ccount);
	else {
		/*
		 * Keys only move forward, so a packet at or behind the last
		 * count accepted cannot be decrypted any more.  "Behind" is
		 * more than half the count space ahead, as with any serial
		 * number arithmetic.
		 */
		ahead = ((unsigned int)ccount - s->ccount) & MPPE_CCOUNT_MASK;
		if (ahead == 0 || ahead > MPPE_CCOUNT_SPACE / 2) {
			s->stats.late++;
			return MPPE_LATE;
		}
		count_lost(rx, (unsigned int)ccount);
		r = rx_stateful(rx, (unsigned int)ccount, ahead, flushed,
		    pkt + MPPE_HDRLEN, len - MPPE_HDRLEN);
	}
	if (r != MPPE_OK)
		return s->failed ? MPPE_FAILED : r;
	s->stats.packets++;
	s->stats.bytes += len - MPPE_HDRLEN;
	return MPPE_OK;
}

/*
 * Whether the first bytes of the ciphertext decrypt plausibly with the
 * cipher as step_key() left it: 1, 0, or -1 if libcrypto failed.
 */
static int
probe_try(struct mppe_state *s, const uint8_t *pkt, size_t len, uint8_t *pt)
{
	size_t ctlen = len - MPPE_HDRLEN, n;

	n = ctlen < MPPE_HEAD ? ctlen : MPPE_HEAD;
	if (crypto_rc4_xor(s->rc4, pkt + MPPE_HDRLEN, pt, n) == -1) {
		s->failed = 1;
		return -1;
	}
	return plausible(pt, n, ctlen);
}

/*
 * The count in the header is the number of key changes modulo 4096, so
 * a packet that is span ahead may also be span + 4096, span + 8192, ...
 * ahead: the sender lost whole turns of the count on the way (a flood
 * that overflowed a socket buffer for 25 ms at 160,000 packets a second
 * did it).  Only the GRE numbers tell, so the next turn is tried only
 * while moved (what GRE says the peer numbered since the last packet
 * delivered; 0 if it does not know) is beyond the turn before: no more
 * than a turn past what GRE saw, in case the sender spent counts it never
 * numbered.  Each turn is paid for from the budget before it is stepped,
 * and all of it is given back if the packet verifies.
 */
int
mppe_rx_probe(struct mppe_rx *rx, const uint8_t *pkt, size_t len,
    unsigned int moved)
{
	struct mppe_state *s = &rx->s;
	uint8_t key[MPPE_KEY_MAX], pt[MPPE_HEAD];
	size_t kl = (size_t)s->keylen;
	unsigned int ahead, span, steps = 0, paid = 0, turn = 0;
	int ccount, flushed, v, rv = MPPE_PROBE_UNKNOWN;

	/* Stateful: the cipher runs on, so nothing can be tried aside. */
	if (s->failed || !s->stateless)
		return MPPE_PROBE_UNKNOWN;
	if ((ccount = rx_header(rx, pkt, len, &flushed)) == -1)
		return MPPE_PROBE_NO;
	ahead = ((unsigned int)ccount - s->ccount) & MPPE_CCOUNT_MASK;
	if (ahead == 0 && is_duplicate(rx, pkt, len))
		return MPPE_PROBE_NO;
	span = ahead == 0 ? MPPE_CCOUNT_SPACE : ahead;
	memcpy(key, s->key, kl);
	for (;;) {
		if (span > 1 && budget_take(rx, span) == -1) {
			/* Left untried: not judged. */
			rv = MPPE_PROBE_UNKNOWN;
			goto out;
		}
		paid += span > 1 ? span : 0;
		if (step_key(s, key, span) == -1 ||
		    (v = probe_try(s, pkt, len, pt)) == -1) {
			rv = MPPE_PROBE_UNKNOWN;
			goto out;
		}
		steps += span;
		if (v == 1)
			break;
		/* Refuted: the next turn only if GRE says it went by. */
		rv = MPPE_PROBE_NO;
		if (++turn == MPPE_PROBE_TURNS || steps >= moved)
			goto out;
		span = MPPE_CCOUNT_SPACE;
	}
	budget_give(rx, paid);
	rx->probe_ok = 1;
	rx->probe_from = s->ccount;
	rx->probe_to = (unsigned int)ccount;
	rx->probe_steps = steps;
	memcpy(rx->probe_key, key, kl);
	rv = MPPE_PROBE_YES;
out:
	crypto_wipe(key, sizeof(key));
	crypto_wipe(pt, sizeof(pt));
	return rv;
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
	case MPPE_UNDECRYPTABLE:
		return "MPPE packet does not decrypt";
	case MPPE_OVER_BUDGET:
		return "MPPE jump over the key-change budget";
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
