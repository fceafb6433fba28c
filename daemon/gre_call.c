/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Per-call enhanced GRE: sequence numbers, acknowledgements, the advisory
 * send window and the in-order receive path.  See gre_call.h for the
 * policy and why.
 *
 * Sequence numbers are compared in serial arithmetic (the signed 32-bit
 * difference), which covers the wrap at 2^32 that pptpclient and Linux
 * special-case with their WRAPPED() test, and any other place in the
 * sequence space as well.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gre.h"
#include "gre_call.h"
#include "log.h"
#include "timer.h"

#define GRE_LOG_INTERVAL_MS	1000	/* at most one drop line a second */
#define GRE_RESYNC_NEAR		64	/* far packets this close agree */
#define GRE_SEEN_BITS		64
#define GRE_RESYNC_LOG_MS	10000

struct gre_slot {
	uint8_t		*data;
	uint64_t	 arrived;	/* timer_now() when held */
	uint32_t	 seq;
	uint32_t	 len;
	int		 used;
};

struct gre_call {
	char			 tag[GRE_TAG_MAX];
	struct gre_call_ops	 ops;
	void			*arg;
	struct timer_base	*tb;
	uint16_t		 our_call_id;
	uint16_t		 peer_call_id;
	uint32_t		 peer_rwin;	/* at least 1 */
	uint32_t		 ack_threshold;	/* half our window, >= 1 */
	uint32_t		 win;		/* in-line jumps: see gre_call.h */

	/* Send side. */
	uint32_t		 tx_seq;	/* last sent; 0: none yet */
	uint32_t		 tx_acked;	/* highest the peer acked */

	/* Receive side. */
	int			 rx_started;
	uint32_t		 rx_next;	/* next sequence PPP gets */
	uint32_t		 rx_highest;	/* highest accepted: our ack */
	uint64_t		 rx_seen;	/* bit i: rx_next-1-i got */
	int			 ack_pending;
	int			 ack_forced;	/* 0 ms ack timer armed */
	uint32_t		 unacked;
	struct timer		 ack_timer;

	/* Reorder buffer: cap slots, a power of two, indexed by seq. */
	struct gre_slot		*slot;
	uint8_t			*slot_mem;
	uint32_t		 cap;		/* 0: reordering off */
	uint32_t		 held;
	unsigned int		 wait_ms;
	unsigned int		 max_frame;
	struct timer		 reorder_timer;

	/* Agreement of out-of-window packets, to follow a jump. */
	uint32_t		 far_last;
	unsigned int		 far_count;

	uint64_t		 log_next;
	unsigned int		 log_suppressed;
	uint64_t		 resync_log_next;

	struct gre_stats	 st;
};

static void	ack_timeout(void *);
static void	reorder_timeout(void *);

static int32_t
seq_diff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

static void ratelog(struct gre_call *, const char *, ...)
    __attribute__((__format__(printf, 2, 3)));

/* Drops are debug lines, and at most one a second: a flood stays cheap. */
static void
ratelog(struct gre_call *c, const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	uint64_t now;

	if (log_getverbose() < 1)
		return;
	now = timer_now(c->tb);
	if (now < c->log_next) {
		c->log_suppressed++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->log_suppressed > 0)
		log_debug("%s: GRE: %s (and %u more dropped since)", c->tag,
		    msg, c->log_suppressed);
	else
		log_debug("%s: GRE: %s", c->tag, msg);
	c->log_next = now + GRE_LOG_INTERVAL_MS;
	c->log_suppressed = 0;
}

void
gre_call_config_default(struct gre_call_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->tag = "gre";
	cfg->peer_rwin = 64;
	cfg->our_rwin = 64;
	cfg->reorder_slots = GRE_REORDER_SLOTS_DEF;
	cfg->reorder_wait_ms = GRE_REORDER_WAIT_DEF;
	cfg->max_frame = GRE_FRAME_DEF;
}

struct gre_call *
gre_call_new(const struct gre_call_config *cfg, const struct gre_call_ops *ops,
    void *arg, struct timer_base *tb)
{
	struct gre_call *c;

	if (ops == NULL || ops->send == NULL || ops->deliver == NULL ||
	    tb == NULL || cfg->reorder_slots > GRE_REORDER_SLOTS_MAX ||
	    cfg->reorder_wait_ms > GRE_REORDER_WAIT_MAX ||
	    (cfg->reorder_slots > 0 && (cfg->max_frame < GRE_FRAME_MIN ||
	    cfg->max_frame > GRE_PAYLOAD_MAX))) {
		errno = EINVAL;
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	snprintf(c->tag, sizeof(c->tag), "%s", cfg->tag ? cfg->tag : "gre");
	c->ops = *ops;
	c->arg = arg;
	c->tb = tb;
	c->our_call_id = cfg->our_call_id;
	c->peer_call_id = cfg->peer_call_id;
	/* A window of 0 means nothing useful; treat it as the smallest. */
	c->peer_rwin = cfg->peer_rwin > 0 ? cfg->peer_rwin : 1;
	c->ack_threshold = cfg->our_rwin / 2 > 0 ? cfg->our_rwin / 2 : 1;
	c->wait_ms = cfg->reorder_wait_ms;
	c->max_frame = cfg->max_frame;

	if (cfg->reorder_slots > 0) {
		/* A power of two keeps seq -> slot distinct across the wrap. */
		for (c->cap = 1; c->cap < cfg->reorder_slots; c->cap <<= 1)
			;
		if ((c->slot = calloc(c->cap, sizeof(*c->slot))) == NULL) {
			free(c);
			errno = ENOMEM;
			return NULL;
		}
	}
	/*
	 * What a window-honouring peer can have in flight beyond our last
	 * ack, or what the reorder buffer can hold, whichever is more.
	 */
	c->win = cfg->our_rwin > c->cap ? cfg->our_rwin : c->cap;
	if (c->win == 0)
		c->win = 1;
	timer_init(&c->ack_timer, tb, ack_timeout, c);
	timer_init(&c->reorder_timer, tb, reorder_timeout, c);
	return c;
}

void
gre_call_free(struct gre_call *c)
{
	if (c == NULL)
		return;
	timer_free(&c->ack_timer);
	timer_free(&c->reorder_timer);
	free(c->slot);
	free(c->slot_mem);
	free(c);
}

const struct gre_stats *
gre_call_stats(const struct gre_call *c)
{
	return &c->st;
}

size_t
gre_call_reorder_bytes(const struct gre_call *c)
{
	return c->slot_mem != NULL ? (size_t)c->cap * c->max_frame : 0;
}

/* ---- Sending. ---- */

static void
ack_sent(struct gre_call *c)
{
	c->ack_pending = 0;
	c->ack_forced = 0;
	c->unacked = 0;
	timer_stop(&c->ack_timer);
}

int
gre_call_output(struct gre_call *c, uint8_t *frame, size_t len, uint8_t **pkt,
    size_t *pktlen)
{
	struct gre_hdr h;
	uint8_t *start;
	size_t hlen;

	if (len == 0 || len > GRE_PAYLOAD_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(&h, 0, sizeof(h));
	h.payload_len = (uint16_t)len;
	h.call_id = c->peer_call_id;
	h.has_seq = 1;
	h.seq = c->tx_seq + 1;		/* the first one is 1 */
	if (c->ack_pending) {
		h.has_ack = 1;
		h.ack = c->rx_highest;
	}
	hlen = gre_hdr_len(h.has_seq, h.has_ack);
	/* The caller promised GRE_HDR_MAX bytes of headroom. */
	start = frame - hlen;
	if (gre_encode_hdr(start, hlen, &h) != hlen) {
		errno = EINVAL;
		return -1;
	}

	c->tx_seq = h.seq;
	if (h.has_ack)
		ack_sent(c);
	/* Advisory: count, never hold back (see gre_call.h). */
	if ((uint32_t)(c->tx_seq - c->tx_acked) > c->peer_rwin)
		c->st.tx_window_full++;
	c->st.tx_packets++;
	c->st.tx_bytes += len;
	*pkt = start;
	*pktlen = hlen + len;
	return 0;
}

int
gre_call_send(struct gre_call *c, uint8_t *frame, size_t len)
{
	uint8_t *pkt;
	size_t pktlen;

	if (gre_call_output(c, frame, len, &pkt, &pktlen) == -1)
		return -1;
	return c->ops.send(c->arg, pkt, pktlen);
}

static void
ack_timeout(void *arg)
{
	struct gre_call *c = arg;
	struct gre_hdr h;
	uint8_t pkt[GRE_HDR_MAX];
	size_t len;

	c->ack_forced = 0;
	if (!c->ack_pending)
		return;
	memset(&h, 0, sizeof(h));
	h.call_id = c->peer_call_id;
	h.has_ack = 1;
	h.ack = c->rx_highest;
	if ((len = gre_encode_hdr(pkt, sizeof(pkt), &h)) == 0)
		return;
	/*
	 * On failure the ack stays pending for the next data packet or the
	 * next received packet's timer: retrying here could spin.
	 */
	if (c->ops.send(c->arg, pkt, len) == -1) {
		c->st.tx_errors++;
		return;
	}
	c->st.tx_ack_only++;
	ack_sent(c);
}

/* ---- Receiving. ---- */

static void
ack_input(struct gre_call *c, uint32_t ack)
{
	/* Only an ack of something sent and not yet acked moves the window. */
	if (seq_diff(ack, c->tx_acked) > 0 && seq_diff(ack, c->tx_seq) <= 0)
		c->tx_acked = ack;
}

/* A new sequence number was accepted: we owe an ack for it. */
static void
note_received(struct gre_call *c, uint32_t seq)
{
	if (seq_diff(seq, c->rx_highest) > 0)
		c->rx_highest = seq;
	else
		c->st.rx_reordered++;
	c->ack_pending = 1;
	c->unacked++;
	if (c->unacked >= c->ack_threshold) {
		if (!c->ack_forced) {
			c->ack_forced = 1;
			timer_set(&c->ack_timer, 0);
		}
	} else if (!timer_armed(&c->ack_timer))
		timer_set(&c->ack_timer, GRE_ACK_DELAY_MS);
}

/* Hands rx_next to PPP; empty payloads take their number silently. */
static void
deliver_next(struct gre_call *c, const uint8_t *p, size_t len)
{
	c->rx_next++;
	c->rx_seen = c->rx_seen << 1 | 1;
	if (len == 0)
		return;
	c->st.rx_packets++;
	c->st.rx_bytes += len;
	c->ops.deliver(c->arg, p, len);
}

/* Gives up on n sequence numbers at rx_next. */
static void
skip_lost(struct gre_call *c, uint32_t n)
{
	c->rx_next += n;
	c->rx_seen = n >= GRE_SEEN_BITS ? 0 : c->rx_seen << n;
	c->st.rx_lost += n;
}

static struct gre_slot *
slot_of(struct gre_call *c, uint32_t seq)
{
	return &c->slot[seq & (c->cap - 1)];
}

/* Moves rx_next on by one: the held packet there, or a loss. */
static void
release_one(struct gre_call *c)
{
	struct gre_slot *s = slot_of(c, c->rx_next);

	if (s->used && s->seq == c->rx_next) {
		s->used = 0;
		c->held--;
		deliver_next(c, s->data, s->len);
	} else
		skip_lost(c, 1);
}

/* Delivers held packets that are next in order. */
static void
drain(struct gre_call *c)
{
	struct gre_slot *s;

	while (c->held > 0) {
		s = slot_of(c, c->rx_next);
		if (!s->used || s->seq != c->rx_next)
			break;
		s->used = 0;
		c->held--;
		deliver_next(c, s->data, s->len);
	}
	if (c->held == 0)
		timer_stop(&c->reorder_timer);
}

/* Delivers or gives up everything held, in order. */
static void
flush_held(struct gre_call *c)
{
	while (c->held > 0)
		release_one(c);
	timer_stop(&c->reorder_timer);
}

/*
 * Arms the reorder timer for the held packet that has waited longest.  The
 * scan is over at most GRE_REORDER_SLOTS_MAX slots, and only runs when the
 * timer fires, not per packet.
 */
static void
reorder_rearm(struct gre_call *c)
{
	uint64_t now, oldest = UINT64_MAX;
	uint32_t i;

	if (c->held == 0) {
		timer_stop(&c->reorder_timer);
		return;
	}
	for (i = 0; i < c->cap; i++)
		if (c->slot[i].used && c->slot[i].arrived < oldest)
			oldest = c->slot[i].arrived;
	now = timer_now(c->tb);
	if (oldest + c->wait_ms <= now)
		timer_set(&c->reorder_timer, 0);
	else
		timer_set(&c->reorder_timer,
		    (unsigned int)(oldest + c->wait_ms - now));
}

static void
reorder_timeout(void *arg)
{
	struct gre_call *c = arg;
	struct gre_slot *s;
	uint64_t now = timer_now(c->tb);
	uint32_t i, seq, last = 0;
	int expired = 0;

	/* Every gap before a packet that has waited long enough is lost. */
	for (i = 1; i < c->cap; i++) {
		seq = c->rx_next + i;
		s = slot_of(c, seq);
		if (s->used && s->seq == seq &&
		    s->arrived + c->wait_ms <= now) {
			last = seq;
			expired = 1;
		}
	}
	if (expired) {
		while (seq_diff(last, c->rx_next) >= 0)
			release_one(c);
		drain(c);
	}
	reorder_rearm(c);
}

/* Makes room for seq: what lies cap or more behind it is given up. */
static void
make_room(struct gre_call *c, uint32_t seq)
{
	uint32_t d;

	while ((d = seq - c->rx_next) >= c->cap) {
		if (c->held == 0) {
			skip_lost(c, d - (c->cap - 1));
			break;
		}
		release_one(c);
	}
	drain(c);
}

/*
 * The slots' frames are allocated when the first packet comes early, not
 * with the call: most calls never see reordering, and a hub dialling a
 * thousand would otherwise keep cap * max_frame bytes each for nothing.
 */
static int
slot_mem_alloc(struct gre_call *c)
{
	uint32_t i;

	if ((c->slot_mem = malloc((size_t)c->cap * c->max_frame)) == NULL)
		return -1;
	for (i = 0; i < c->cap; i++)
		c->slot[i].data = c->slot_mem + (size_t)i * c->max_frame;
	return 0;
}

static int
hold(struct gre_call *c, uint32_t seq, const uint8_t *p, size_t len)
{
	struct gre_slot *s = slot_of(c, seq);

	if (c->slot_mem == NULL && slot_mem_alloc(c) == -1) {
		/* Like a lost packet: its gap is given up on later. */
		c->st.rx_no_memory++;
		ratelog(c, "dropped early %u: no memory for a reorder buffer",
		    seq);
		return -1;
	}
	memcpy(s->data, p, len);
	s->len = (uint32_t)len;
	s->seq = seq;
	s->arrived = timer_now(c->tb);
	s->used = 1;
	if (c->held++ == 0)
		timer_set(&c->reorder_timer, c->wait_ms);
	return 0;
}

/* Older than rx_next: a duplicate, or too late to be of use. */
static int
old_input(struct gre_call *c, uint32_t seq)
{
	uint32_t back = c->rx_next - seq;	/* at least 1 */

	if (back <= GRE_SEEN_BITS && (c->rx_seen >> (back - 1) & 1)) {
		c->st.rx_duplicate++;
		ratelog(c, "dropped duplicate %u (expecting %u)", seq,
		    c->rx_next);
	} else {
		c->st.rx_late++;
		ratelog(c, "dropped late %u (expecting %u)", seq, c->rx_next);
	}
	return -1;
}

static int	data_input(struct gre_call *, uint32_t, const uint8_t *,
		    size_t);

/* Moves the receive side to seq, which is then delivered as rx_next. */
static void
follow(struct gre_call *c, uint32_t seq, const char *how)
{
	/* Worth an info line, but a spoofer must not flood the log. */
	if (timer_now(c->tb) >= c->resync_log_next) {
		log_info("%s: GRE: peer sequence jumped from %u to %u, "
		    "following it (%s)", c->tag, c->rx_next, seq, how);
		c->resync_log_next = timer_now(c->tb) + GRE_RESYNC_LOG_MS;
	}
	c->st.rx_resync++;
	if (c->cap > 0)
		flush_held(c);
	if (seq_diff(seq, c->rx_next) > 0)
		c->st.rx_lost += seq - c->rx_next;
	c->rx_next = seq;
	c->rx_highest = seq - 1;
	c->rx_seen = 0;
	c->far_count = 0;
}

/*
 * Outside the window, ahead or behind (see gre_call.h).  A packet the
 * probe verifies moves the stream at once; one it refutes is dropped
 * without touching anything, not even a run of agreeing packets; one it
 * cannot judge is dropped unless it completes a run of GRE_RESYNC_PKTS
 * that follow each other, which means the peer's sequence really moved
 * (a long outage, or a spoofer's jump being undone).
 */
static int
far_input(struct gre_call *c, uint32_t seq, const uint8_t *p, size_t len)
{
	int32_t near, d = seq_diff(seq, c->rx_next);
	uint32_t moved = d >= 0 ? (uint32_t)d + 1 : 0;
	int pr = GRE_PROBE_UNKNOWN;

	if (c->ops.probe != NULL && len > 0)
		pr = c->ops.probe(c->arg, p, len, moved);
	if (pr == GRE_PROBE_NO) {
		c->st.rx_far_refused++;
		ratelog(c, "dropped %u far outside the window (expecting %u): "
		    "it does not verify", seq, c->rx_next);
		return -1;
	}
	if (pr == GRE_PROBE_YES) {
		follow(c, seq, "verified");
		return data_input(c, seq, p, len);
	}

	near = seq_diff(seq, c->far_last);
	if (c->far_count > 0 && near != 0 && near <= GRE_RESYNC_NEAR &&
	    near >= -GRE_RESYNC_NEAR)
		c->far_count++;
	else
		c->far_count = 1;
	c->far_last = seq;
	if (c->far_count < GRE_RESYNC_PKTS) {
		c->st.rx_out_of_window++;
		ratelog(c, "dropped %u far outside the window (expecting %u)",
		    seq, c->rx_next);
		return -1;
	}
	follow(c, seq, "packets agree");
	return data_input(c, seq, p, len);
}

static int
data_input(struct gre_call *c, uint32_t seq, const uint8_t *p, size_t len)
{
	struct gre_slot *s;
	int32_t d;

	if (!c->rx_started) {
		/* Like pptpclient and Linux, start wherever the peer starts. */
		c->rx_started = 1;
		c->rx_next = seq;
		c->rx_highest = seq - 1;
	}
	d = seq_diff(seq, c->rx_next);
	if (d >= (int32_t)c->win || d < -(int32_t)c->win)
		return far_input(c, seq, p, len);
	c->far_count = 0;
	if (d < 0)
		return old_input(c, seq);

	if (d > 0 && (uint32_t)d < c->cap) {
		s = slot_of(c, seq);
		if (s->used && s->seq == seq) {
			c->st.rx_duplicate++;
			ratelog(c, "dropped duplicate %u (held)", seq);
			return -1;
		}
	}

	note_received(c, seq);
	if (d > 0 && c->cap == 0) {
		/* No reorder buffer: deliver now, the gap is lost. */
		skip_lost(c, (uint32_t)d);
		d = 0;
	} else if (d > 0) {
		make_room(c, seq);
		d = seq_diff(seq, c->rx_next);
	}
	if (d == 0) {
		deliver_next(c, p, len);
		if (c->cap > 0)
			drain(c);
		return 0;
	}
	if (len > c->max_frame) {
		/* Cannot wait in a slot; its number is lost when given up. */
		c->st.rx_too_long++;
		ratelog(c, "dropped early %u: %zu bytes exceed a reorder slot",
		    seq, len);
		return -1;
	}
	return hold(c, seq, p, len);
}

int
gre_call_input(struct gre_call *c, const uint8_t *pkt, size_t len)
{
	struct gre_hdr h;
	enum gre_err e;

	if ((e = gre_decode(pkt, len, &h)) != GRE_OK) {
		c->st.rx_malformed++;
		ratelog(c, "dropped %zu-byte packet: %s", len,
		    gre_strerror(e));
		return -1;
	}
	if (h.call_id != c->our_call_id) {
		c->st.rx_bad_call_id++;
		ratelog(c, "dropped packet for call ID %u, ours is %u",
		    h.call_id, c->our_call_id);
		return -1;
	}
	if (h.has_ack)
		ack_input(c, h.ack);
	if (!h.has_seq) {
		c->st.rx_ack_only++;
		return 0;
	}
	return data_input(c, h.seq, pkt + h.hdr_len, h.payload_len);
}
