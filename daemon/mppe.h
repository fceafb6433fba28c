/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * MPPE data packets (RFC 3078): RC4 encryption of PPP frames with the
 * coherency count and key changes, one object per direction.
 *
 * An object is created once per session direction from the start key of
 * RFC 3079 (mppe_keys.h, or auth_result's send_key/recv_key), the key
 * strength and the mode CCP agreed on.  It holds its RC4 and SHA-1
 * contexts for its whole life: encrypting or decrypting a packet
 * allocates nothing and fetches nothing.
 *
 * Packet layout, after the PPP protocol 0x00FD (which the caller frames):
 *
 *	+--------+--------+---------------------------------------+
 *	|A B C D |  count |  RC4(inner protocol, e.g. 00 21, data) |
 *	+--------+--------+---------------------------------------+
 *	 4 flags, 12-bit coherency count
 *
 * Stateful mode and CCP Reset-Request (doc/vectors.md §0 item 5, §4.6).  The
 * sender does what the Linux kernel's ppp_mppe does, not what RFC 3078
 * §8.2 says: on a Reset-Request it changes the key before its next packet
 * and marks that packet FLUSHED (as on every flag packet).  Linux-based
 * servers (Poptop and accel-ppp on the kernel's ppp_mppe) expect exactly
 * that; a receiver that follows the RFC literally (OpenBSD npppd) loses
 * sync after a reset, and nothing a sender does can suit both.  The
 * receiver accepts both: after the key changes of the flag packets it
 * missed, it tries one key change (Linux), none (RFC 3078, npppd) and up
 * to eight (Linux, when earlier FLUSHED packets were lost) on the first
 * bytes of the FLUSHED packet and keeps the first that yields a plausible
 * IPv4 or IPv6 frame; a wrong guess is possible (under 2^-27 per
 * alternative tried), and only when the first guess was not right.
 * Stateless mode, which pppd and npppd prefer and pptpc asks for first,
 * needs none of this.
 *
 * The receiver verifies, then commits (issue 9).  MPPE has no integrity
 * check, and anyone who can send with the server's address can put a
 * packet with any coherency count in front of it.  Taking the count on
 * trust let two forged packets step the stateless key thousands of
 * changes ahead for good, each at the cost of up to 2048 key changes.
 * Now:
 * - A packet's key is stepped on a scratch copy; the key and count move
 *   only if the decrypted frame is plausible: an IPv4 frame whose header
 *   checksum verifies, or an exact IPv6 one (mppe.c's plausible() has the
 *   false-accept odds, under 2^-27).  Otherwise MPPE_UNDECRYPTABLE, the
 *   state as it was.
 * - Stateless, GRE hands packets over in order, so every count 1..4095
 *   ahead is a jump forward: a burst of up to 4095 lost packets still
 *   decrypts (0 ahead: the last packet again, or 4096 ahead).
 * - Jumps cost their key changes from a per-call budget, given back when
 *   the packet verifies; one ahead, the normal case, costs nothing.  Once
 *   forged jumps have spent it, jumps are dropped untried
 *   (MPPE_OVER_BUDGET) until it refills from the clock that
 *   mppe_rx_set_clock() gives.
 * - Stateful, the cipher runs on from packet to packet and a forged
 *   packet has consumed keystream before it can be judged: one that does
 *   not verify is a loss of sync (MPPE_NEEDS_RESET, discard until the
 *   sender flushes).
 * - mppe_rx_probe() lets GRE ask whether a far packet is the peer's
 *   before it moves its window there (gre_call.h).
 * The caller keeps watch over runs of packets that do not decrypt
 * (datapath.c) so that a lost sync ends in a reset or a redial, never in
 * a silent blackhole.
 */
#ifndef PPTPC_MPPE_H
#define PPTPC_MPPE_H

#include <stddef.h>
#include <stdint.h>

#define MPPE_HDRLEN		2
#define MPPE_BIT_FLUSHED	0x80	/* A: RC4 re-keyed before this packet */
#define MPPE_BIT_B		0x40	/* MPPC only */
#define MPPE_BIT_C		0x20	/* MPPC only */
#define MPPE_BIT_ENCRYPTED	0x10	/* D */
#define MPPE_CCOUNT_MASK	0x0fff
#define MPPE_CCOUNT_SPACE	4096
/* Header and data; GRE cannot carry more than 65535 bytes anyway. */
#define MPPE_PKT_MAX		65535
/* Header and at least one byte of (protocol-compressed) data. */
#define MPPE_PKT_MIN		(MPPE_HDRLEN + 1)
/*
 * Turns of the count mppe_rx_probe() tries at most, and the receiver's
 * key-change budget for jumps: a probe's longest and a jump's longest
 * (mppe.c says why).
 */
#define MPPE_PROBE_TURNS	2
#define MPPE_BUDGET_MAX		\
    ((MPPE_PROBE_TURNS + 1) * MPPE_CCOUNT_SPACE)
#define MPPE_BUDGET_RATE	MPPE_CCOUNT_SPACE	/* per second */

enum mppe_result {
	MPPE_OK = 0,		/* plaintext at pkt + MPPE_HDRLEN */
	MPPE_BAD_HEADER,	/* too short or long, D missing, or A
				   missing in stateless mode: dropped,
				   state unchanged */
	MPPE_LATE,		/* count at or behind the last one
				   accepted (duplicate, reordered):
				   dropped */
	MPPE_NEEDS_RESET,	/* stateful, count gap, or waiting for a
				   FLUSHED packet after one: dropped; send
				   a CCP Reset-Request (rate-limited) */
	MPPE_DISCARD,		/* not returned since a lost Reset-Request
				   or FLUSHED answer left the receiver
				   waiting for ever (kept for names) */
	MPPE_UNDECRYPTABLE,	/* does not decrypt to a plausible frame:
				   dropped, state unchanged (stateless;
				   stateful while waiting for FLUSHED) */
	MPPE_OVER_BUDGET,	/* a jump while the key-change budget is
				   spent: dropped untried */
	MPPE_FAILED,		/* libcrypto failed: close the session */
};

/* What mppe_rx_probe() says of a packet. */
#define MPPE_PROBE_UNKNOWN	0
#define MPPE_PROBE_YES		1
#define MPPE_PROBE_NO		2

struct mppe_stats {
	uint64_t	packets;	/* encrypted, or decrypted and kept */
	uint64_t	bytes;		/* their plaintext bytes */
	uint64_t	errors;		/* rx: BAD_HEADER; tx: bad length */
	uint64_t	lost;		/* rx: packets the count skipped */
	uint64_t	late;		/* rx: LATE */
	uint64_t	discarded;	/* rx: DISCARD, and NEEDS_RESET for
					   a gap */
	uint64_t	resets;		/* tx: Reset-Requests honoured;
					   rx: FLUSHED packets that resynced */
	uint64_t	undecryptable;	/* rx: UNDECRYPTABLE, and NEEDS_RESET
					   for a stateful packet that did
					   not decrypt */
	uint64_t	budget_dropped;	/* rx: OVER_BUDGET; probes that could
					   not be afforded */
	uint64_t	key_changes;	/* computed, tried ones included: the
					   CPU an attacker can cost */
};

struct mppe_tx;
struct mppe_rx;

/*
 * bits is 40, 56 or 128; start is the direction's start key, 16 bytes of
 * which the first 8 are used for 40 and 56 bits.  NULL with errno EINVAL
 * for other key lengths or before crypto_init(), ENOMEM without memory.
 */
struct mppe_tx		*mppe_tx_new(const uint8_t start[16], int bits,
			    int stateless);
/*
 * Encrypts in place.  pkt points at MPPE_HDRLEN bytes of headroom that
 * receive the header, followed by the plaintext (the inner protocol field
 * first); len counts both.  0, or -1 if len is outside
 * MPPE_PKT_MIN..MPPE_PKT_MAX (nothing is written and the state does not
 * move) or libcrypto failed.
 */
int			 mppe_tx_encrypt(struct mppe_tx *, uint8_t *pkt,
			    size_t len);
/*
 * The peer sent a CCP Reset-Request: the next packet is sent FLUSHED
 * after a key change.  Several requests before that packet cause one key
 * change, as the peer cannot tell how many of them arrived.  No-op in
 * stateless mode, where every packet is FLUSHED.
 */
void			 mppe_tx_reset(struct mppe_tx *);
const struct mppe_stats	*mppe_tx_stats(const struct mppe_tx *);
/* "128 stateless", "40 stateful", ... for logs and pptpctl. */
const char		*mppe_tx_mode(const struct mppe_tx *);
/* The key strength: 40, 56 or 128. */
int			 mppe_tx_bits(const struct mppe_tx *);
/* Wipes the keys and frees; NULL is fine. */
void			 mppe_tx_free(struct mppe_tx *);

struct mppe_rx		*mppe_rx_new(const uint8_t start[16], int bits,
			    int stateless);
/*
 * Monotonic milliseconds, for the key-change budget (see above).
 * Without a clock the budget never refills.  The clock is read only when
 * the budget runs short, never per packet.
 */
typedef uint64_t	 mppe_clock_fn(void *arg);
void			 mppe_rx_set_clock(struct mppe_rx *, mppe_clock_fn *,
			    void *arg);
/*
 * Decrypts in place the header and ciphertext in pkt[0..len-1].  On
 * MPPE_OK the plaintext is pkt[MPPE_HDRLEN..len-1] and it is plausible
 * (see above); otherwise the packet is to be dropped and its bytes are
 * unspecified.
 */
enum mppe_result	 mppe_rx_decrypt(struct mppe_rx *, uint8_t *pkt,
			    size_t len);
/*
 * Whether pkt[0..len-1] (header and ciphertext, left untouched) would
 * decrypt, without moving the state: MPPE_PROBE_YES or _NO, or
 * _UNKNOWN in stateful mode (the cipher cannot be tried aside) or when
 * the budget cannot pay for the steps.  moved is how many packets the
 * peer numbered (GRE) since the last one delivered, this one included, 0
 * if not known: the count being modulo 4096, a packet more than a turn
 * of it away verifies only with that hint (up to MPPE_PROBE_TURNS
 * turns).  After YES, mppe_rx_decrypt() of a packet with the same count
 * reuses the key instead of stepping again.
 */
int			 mppe_rx_probe(struct mppe_rx *, const uint8_t *pkt,
			    size_t len, unsigned int moved);
const struct mppe_stats	*mppe_rx_stats(const struct mppe_rx *);
const char		*mppe_rx_mode(const struct mppe_rx *);
int			 mppe_rx_bits(const struct mppe_rx *);
void			 mppe_rx_free(struct mppe_rx *);

const char		*mppe_result_name(enum mppe_result);
/* "128 stateless" etc.; "none" for a bits value that is not 40/56/128. */
const char		*mppe_mode_name(int bits, int stateless);

#endif /* PPTPC_MPPE_H */
