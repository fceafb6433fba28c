/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Per-call enhanced GRE state (RFC 2637 §4.2-4.4): sequence numbers out,
 * acknowledgements both ways, the advisory send window, and an in-order
 * receive path with a small reorder buffer.
 *
 * No sockets: the owner reads and demultiplexes GRE (by peer address and,
 * through gre_decode(), by call ID), hands packets for this call to
 * gre_call_input(), and sends what gre_call_output() prepared.  Timers come
 * from timer.h.  Nothing is allocated after gre_call_new().
 *
 * Policy, and why:
 * - Sequence numbers start at 1, as pptp-linux and Linux send.
 * - Acks ride on outgoing data.  When nothing goes out, one ack-only packet
 *   follows GRE_ACK_DELAY_MS after the first unacknowledged packet, or
 *   at the next turn of the event loop (a 0 ms timer, so that a batch of
 *   reads and any replies to them go first) once half our receive window
 *   is unacknowledged: a peer that honours the window never stalls, and a
 *   burst of N packets costs about 2N/window ack-only packets, not N.
 * - The send window is advisory.  Without retransmission, holding data
 *   back only adds latency, and Linux ignores the window altogether; we
 *   keep sending and count packets sent beyond it (tx_window_full).
 * - Received packets go to PPP in sequence order.  Early ones wait in a
 *   reorder buffer for at most reorder_wait_ms; then the gap is counted as
 *   lost.
 * - PPTP's data has no integrity, so anyone who can send with the
 *   server's address and guesses the call ID can inject GRE.  A jump of
 *   the sequence is taken in line only as far as the peer can explain it:
 *   less than W ahead, W being the larger of the reorder buffer and our
 *   advertised receive window (at least 1), and no more than W behind
 *   (late or duplicate).  Before, anything up to 2^15 ahead was a gap, so
 *   one forged packet made every genuine one after it "late": the call
 *   was blackholed until the peer's counter caught up.
 * - Anything farther, ahead or behind, is "far".  ops->probe, if given,
 *   judges a far frame, told how far ahead it is (MPPE's count wraps at
 *   4096 where GRE's numbers do not): GRE_PROBE_YES (it verifies, e.g.
 *   MPPE decrypts it plausibly) moves the stream there at once;
 *   GRE_PROBE_NO drops it (rx_far_refused), so that without the key a
 *   spoofer can never move an MPPE call; GRE_PROBE_UNKNOWN (no MPPE,
 *   stateful MPPE) needs GRE_RESYNC_PKTS far packets in a row that
 *   follow each other before the stream follows them.  That is a long
 *   real outage, followed within GRE_RESYNC_PKTS packets; a spoofer
 *   who makes such a run moves the stream, but the genuine packets, now
 *   far behind, make the same kind of run and bring it back after
 *   GRE_RESYNC_PKTS of them.
 */
#ifndef PPTPC_GRE_CALL_H
#define PPTPC_GRE_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "gre.h"

struct timer_base;
struct gre_call;

/*
 * 100 ms: below the 200 ms minimum TCP RTO so that a window-honouring peer
 * never waits on us long enough to matter, and long enough that replies
 * (TCP acks, LCP echo replies) usually carry the ack instead.
 */
#define GRE_ACK_DELAY_MS	100
#define GRE_REORDER_SLOTS_DEF	32
#define GRE_REORDER_SLOTS_MAX	1024
/*
 * 50 ms: reordering on real paths (link aggregation, size-sorted queues)
 * spans a few ms; a gap that never fills stalls delivery this long, which
 * stays well under TCP's 200 ms minimum RTO.
 */
#define GRE_REORDER_WAIT_DEF	50
#define GRE_REORDER_WAIT_MAX	10000
#define GRE_FRAME_DEF		2048	/* MRU 1500 + PPP, MPPE and slack */
#define GRE_FRAME_MIN		128	/* PPP_MRU_MIN */
#define GRE_RESYNC_PKTS		3

/* What ops->probe says of a frame (see above). */
#define GRE_PROBE_UNKNOWN	0
#define GRE_PROBE_YES		1
#define GRE_PROBE_NO		2
#define GRE_TAG_MAX		32

/*
 * Called from gre_call_input(), gre_call_send() and timers.  They may call
 * gre_call_output() and gre_call_send() (PPP answering at once), but not
 * gre_call_input() or gre_call_free(): a call that must go is freed later,
 * from the event loop.
 */
struct gre_call_ops {
	/* Sends one complete GRE packet; 0, or -1 if it was not sent. */
	int	(*send)(void *arg, const uint8_t *pkt, size_t len);
	/*
	 * Takes one PPP frame (never empty), in sequence order.  The frame
	 * is only valid during the call.
	 */
	void	(*deliver)(void *arg, const uint8_t *frame, size_t len);
	/*
	 * Optional: judges a far frame (never empty) without changing any
	 * state the next deliver depends on, and returns a GRE_PROBE_*.
	 * NULL: always GRE_PROBE_UNKNOWN.  On GRE_PROBE_YES the same frame
	 * is delivered before gre_call_input() returns.  moved: how many
	 * numbers the frame is past the last one delivered (1 for the next
	 * one), 0 if it is behind.
	 */
	int	(*probe)(void *arg, const uint8_t *frame, size_t len,
		    uint32_t moved);
};

struct gre_call_config {
	const char	*tag;		/* tunnel name for log lines, copied */
	uint16_t	 our_call_id;	/* we told the peer in OCRQ */
	uint16_t	 peer_call_id;	/* the peer told us in OCRP */
	uint16_t	 peer_rwin;	/* OCRP Recv Window Size */
	uint16_t	 our_rwin;	/* our OCRQ Recv Window Size */
	unsigned int	 reorder_slots;	/* 0: off; rounded up to a power of 2 */
	unsigned int	 reorder_wait_ms;
	unsigned int	 max_frame;	/* largest frame a slot holds */
};

struct gre_stats {
	uint64_t	 rx_packets;	/* frames delivered to PPP */
	uint64_t	 rx_bytes;
	uint64_t	 rx_lost;	/* sequence numbers given up on */
	uint64_t	 rx_reordered;	/* out of order, delivered in order */
	uint64_t	 rx_late;	/* came after their gap was given up */
	uint64_t	 rx_duplicate;
	uint64_t	 rx_out_of_window; /* far, not (yet) followed */
	uint64_t	 rx_far_refused; /* far, and ops->probe said NO */
	uint64_t	 rx_ack_only;
	uint64_t	 rx_malformed;	/* failed gre_decode() */
	uint64_t	 rx_bad_call_id;
	uint64_t	 rx_too_long;	/* early, larger than a reorder slot */
	uint64_t	 rx_no_memory;	/* early, the reorder buffer not allocated */
	uint64_t	 rx_resync;	/* far jumps followed */
	uint64_t	 tx_packets;
	uint64_t	 tx_bytes;
	uint64_t	 tx_ack_only;
	uint64_t	 tx_window_full; /* sent beyond peer_rwin unacked */
	uint64_t	 tx_errors;	/* ack-only packets send() refused */
};

/* Fills cfg with the defaults; the caller sets call IDs and windows. */
void		 gre_call_config_default(struct gre_call_config *cfg);

/* NULL with errno EINVAL for a bad config or ENOMEM. */
struct gre_call	*gre_call_new(const struct gre_call_config *cfg,
		    const struct gre_call_ops *ops, void *arg,
		    struct timer_base *tb);
void		 gre_call_free(struct gre_call *);

/*
 * Frames len bytes of PPP at frame, which must have GRE_HDR_MAX writable
 * bytes in front of it, by writing the header right before it: no copy.
 * Takes the next sequence number and piggy-backs any pending ack.  On 0,
 * *pkt and *pktlen are the GRE packet to send; -1 (EMSGSIZE) if len is 0
 * or over GRE_PAYLOAD_MAX.
 */
int		 gre_call_output(struct gre_call *, uint8_t *frame, size_t len,
		    uint8_t **pkt, size_t *pktlen);
/* gre_call_output() then ops->send(); returns what send returned. */
int		 gre_call_send(struct gre_call *, uint8_t *frame, size_t len);

/*
 * Takes one GRE packet from the peer (after the IPv4 header).  Frames go
 * to ops->deliver now or later, in order.  0 if the packet was used (data
 * or ack), -1 if it was dropped; either way it is counted.
 */
int		 gre_call_input(struct gre_call *, const uint8_t *pkt,
		    size_t len);

const struct gre_stats *gre_call_stats(const struct gre_call *);
/* Bytes of frame memory the reorder buffer holds: 0 until one comes early. */
size_t		 gre_call_reorder_bytes(const struct gre_call *);

#endif /* PPTPC_GRE_CALL_H */
