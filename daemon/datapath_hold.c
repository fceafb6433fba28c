/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The userspace engine's hold (datapath.h, dp_expect()): GRE that comes
 * before its call is registered.
 *
 * Such GRE waits in DP_HOLD_PKTS slots of the datapath, copied there from
 * the receive slot because the next recvmmsg() reuses that.  Expectations
 * are few (one per tunnel dialling) and live on a list; held packets are
 * matched to their call when it registers, and delivered from a 0 ms
 * timer, or at once if newer GRE for the call comes first, so that
 * gre_call always sees them in the order they came.
 *
 * datapath_sock.c offers packets for no call to dp_hold_put() and, for a
 * call that has packets waiting, calls dp_hold_release() before handing
 * it the newer one; datapath.c claims the held packets for a new call
 * (dp_hold_claim()) and purges them for a freed one.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datapath.h"
#include "datapath_local.h"
#include "gre.h"
#include "gre_call.h"
#include "log.h"
#include "timer.h"

static void	dp_hold_flush(void *);

static struct dp_expect *
expect_find(struct datapath *dp, struct in_addr peer, uint16_t call_id)
{
	struct dp_expect *x, *next;
	uint64_t now = timer_now(dp->tb);

	/* Expired ones go as they are met; the list is a few entries. */
	for (x = LIST_FIRST(&dp->expect); x != NULL; x = next) {
		next = LIST_NEXT(x, entry);
		if (now >= x->until) {
			LIST_REMOVE(x, entry);
			free(x);
			continue;
		}
		if (x->call_id == call_id && x->peer.s_addr == peer.s_addr)
			return x;
	}
	return NULL;
}

static int
held_too_old(struct datapath *dp, const struct dp_held *h)
{
	return timer_now(dp->tb) - h->arrived > DP_HOLD_MS;
}

static void
held_drop(struct datapath *dp, struct dp_held *h)
{
	h->len = 0;
	dp->st.rx_held_dropped++;
}

/* The oldest packet held for (peer, call_id) still young enough; NULL. */
static struct dp_held *
held_next(struct datapath *dp, struct in_addr peer, uint16_t call_id)
{
	struct dp_held *h, *next;
	size_t i;

	for (;;) {
		next = NULL;
		for (i = 0; i < DP_HOLD_PKTS; i++) {
			h = &dp->hold[i];
			if (h->len != 0 && h->call_id == call_id &&
			    h->src.s_addr == peer.s_addr &&
			    (next == NULL || h->order < next->order))
				next = h;
		}
		if (next == NULL || !held_too_old(dp, next))
			return next;
		held_drop(dp, next);
	}
}

/* Drops what is held for (peer, call_id). */
void
dp_hold_purge(struct datapath *dp, struct in_addr peer, uint16_t call_id)
{
	struct dp_held *h;
	size_t i;

	for (i = 0; i < DP_HOLD_PKTS; i++) {
		h = &dp->hold[i];
		if (h->len != 0 && h->call_id == call_id &&
		    h->src.s_addr == peer.s_addr)
			held_drop(dp, h);
	}
}

/*
 * GRE for no registered call: held if its call is expected.  0 if held,
 * -1 if the caller is to drop it.
 */
int
dp_hold_put(struct datapath *dp, struct in_addr src, uint16_t call_id,
    const uint8_t *pkt, size_t len)
{
	struct dp_held *h, *slot = NULL;
	char a[INET_ADDRSTRLEN];
	size_t i;

	if (LIST_EMPTY(&dp->expect) || len == 0 ||
	    len > sizeof(dp->hold[0].pkt) ||
	    expect_find(dp, src, call_id) == NULL)
		return -1;
	/* A free slot, else an expired one, else the oldest gives way. */
	for (i = 0; i < DP_HOLD_PKTS; i++) {
		h = &dp->hold[i];
		if (h->len != 0 && held_too_old(dp, h))
			held_drop(dp, h);
		if (h->len == 0) {
			slot = h;
			break;
		}
		if (slot == NULL || h->order < slot->order)
			slot = h;
	}
	if (slot->len != 0)
		held_drop(dp, slot);
	memcpy(slot->pkt, pkt, len);
	slot->len = (uint16_t)len;
	slot->src = src;
	slot->call_id = call_id;
	slot->arrived = timer_now(dp->tb);
	slot->order = dp->hold_order++;
	dp->st.rx_held++;
	if (dp_rl_due(dp->tb, &dp->rl, 0)) {
		inet_ntop(AF_INET, &src, a, sizeof(a));
		dp_rl_log(dp->tb, &dp->rl, 0, "GRE: holding a packet from %s "
		    "for call ID %u until the call is registered", a, call_id);
	}
	return 0;
}

/*
 * Hands c what is held for it, oldest first.  The caller holds c->busy.
 * A slot is freed before its packet goes in, and its bytes stay put until
 * gre_call_input() returns: only dp_hold_put(), from the socket's read
 * event, fills slots, and that never runs inside a call's callbacks.
 */
void
dp_hold_release(struct datapath *dp, struct dp_call *c)
{
	struct dp_held *next;
	unsigned int n = 0;
	uint16_t len;

	c->held = 0;
	while (!c->dead &&
	    (next = held_next(dp, c->peer, c->our_call_id)) != NULL) {
		len = next->len;
		next->len = 0;
		(void)gre_call_input(c->gre, next->pkt, len);
		n++;
	}
	if (n > 0)
		log_debug("%s: GRE: %u packet(s) that came before the call "
		    "handed over", c->tag, n);
}

/* The 0 ms timer dp_hold_claim() set: every new call gets its packets. */
static void
dp_hold_flush(void *arg)
{
	struct datapath *dp = arg;
	struct dp_call *c;
	struct dp_held *h;
	size_t i;

	for (i = 0; i < DP_HOLD_PKTS; i++) {
		h = &dp->hold[i];
		if (h->len == 0)
			continue;
		if ((c = dp_lookup(dp, h->src, h->call_id)) != NULL &&
		    c->held) {
			c->busy++;
			dp_hold_release(dp, c);
			c->busy--;
		} else if (held_too_old(dp, h))
			held_drop(dp, h);
	}
}

int
dp_expect(struct datapath *dp, struct in_addr peer, uint16_t our_call_id)
{
	struct dp_expect *x;

	if (peer.s_addr == INADDR_ANY) {
		errno = EINVAL;
		return -1;
	}
	if ((x = expect_find(dp, peer, our_call_id)) == NULL) {
		if ((x = calloc(1, sizeof(*x))) == NULL)
			return -1;
		x->peer = peer;
		x->call_id = our_call_id;
		LIST_INSERT_HEAD(&dp->expect, x, entry);
	}
	x->until = timer_now(dp->tb) + DP_EXPECT_MS;
	dp_watch(dp);
	return 0;
}

void
dp_expect_cancel(struct datapath *dp, struct in_addr peer,
    uint16_t our_call_id)
{
	struct dp_expect *x;

	if ((x = expect_find(dp, peer, our_call_id)) != NULL) {
		LIST_REMOVE(x, entry);
		free(x);
	}
	/* Once the call is registered, what is held is its own. */
	if (dp_lookup(dp, peer, our_call_id) == NULL)
		dp_hold_purge(dp, peer, our_call_id);
	dp_watch(dp);
}

unsigned int
dp_expect_take(struct datapath *dp, struct in_addr peer, uint16_t our_call_id,
    dp_frame_fn *fn, void *arg)
{
	struct dp_held *next;
	struct gre_hdr gh;
	unsigned int n = 0;
	enum gre_err e;

	while ((next = held_next(dp, peer, our_call_id)) != NULL) {
		if ((e = gre_decode(next->pkt, next->len, &gh)) != GRE_OK) {
			held_drop(dp, next);
			log_debug("GRE: dropped a held packet for call ID %u: "
			    "%s", our_call_id, gre_strerror(e));
			continue;
		}
		/* Its bytes stay put while fn runs, as in dp_hold_release(). */
		next->len = 0;
		if (!gh.has_seq || gh.payload_len == 0)
			continue;
		fn(arg, next->pkt + gh.hdr_len, gh.payload_len);
		n++;
	}
	dp_expect_cancel(dp, peer, our_call_id);
	return n;
}

void
dp_hold_init(struct datapath *dp)
{
	LIST_INIT(&dp->expect);
	timer_init(&dp->hold_timer, dp->tb, dp_hold_flush, dp);
}

/* Forgets every expectation; what is held goes with the datapath. */
void
dp_hold_free(struct datapath *dp)
{
	struct dp_expect *x;

	while ((x = LIST_FIRST(&dp->expect)) != NULL) {
		LIST_REMOVE(x, entry);
		free(x);
	}
	timer_free(&dp->hold_timer);
}

/*
 * c has just registered: if packets wait for it, marks it and has the
 * hold's timer hand them over from the loop.
 */
void
dp_hold_claim(struct datapath *dp, struct dp_call *c)
{
	size_t i;

	for (i = 0; i < DP_HOLD_PKTS; i++)
		if (dp->hold[i].len != 0 &&
		    dp->hold[i].call_id == c->our_call_id &&
		    dp->hold[i].src.s_addr == c->peer.s_addr)
			c->held = 1;
	if (c->held)
		timer_set(&dp->hold_timer, 0);
}
