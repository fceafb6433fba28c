/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * GRE per-call cost: nanoseconds per packet to frame a 1400-byte PPP
 * frame for sending (zero-copy header write) and to take one in, in order
 * and with every pair swapped (through the reorder buffer), against a
 * plain memcpy of the same frame as the reference.  Prints figures; never
 * fails on a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "gre.h"
#include "gre_call.h"
#include "timer.h"
#include "timer_manual.h"

#define FRAME	1400
#define N	2000000

static uint64_t delivered;

static int
b_send(void *arg, const uint8_t *pkt, size_t len)
{
	(void)arg;
	(void)pkt;
	(void)len;
	return 0;
}

static void
b_deliver(void *arg, const uint8_t *frame, size_t len)
{
	(void)arg;
	delivered += len + frame[0];
}

static const struct gre_call_ops b_ops = { b_send, b_deliver, NULL };

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint8_t	txbuf[GRE_HDR_MAX + FRAME];
static uint8_t	rxpkt[2][GRE_HDR_MAX + FRAME];
static uint8_t	sink[FRAME];

static void
mkpkt(uint8_t *p, uint32_t seq)
{
	put_be32(p, 0x3001880b);
	put_be16(p + 4, FRAME);
	put_be16(p + 6, 1);
	put_be32(p + 8, seq);
}

static double
run_rx(struct gre_call *c, struct timer_base *tb, int swapped)
{
	double t0 = now_ns();
	uint32_t s;

	for (s = 1; s < N; s += 2) {
		mkpkt(rxpkt[0], swapped ? s + 1 : s);
		mkpkt(rxpkt[1], swapped ? s : s + 1);
		gre_call_input(c, rxpkt[0], 12 + FRAME);
		gre_call_input(c, rxpkt[1], 12 + FRAME);
		if ((s & 1023) == 1)
			timer_manual_advance(tb, 0);
	}
	return (now_ns() - t0) / N;
}

int
main(void)
{
	struct gre_call_config cfg;
	struct timer_base *tb = timer_manual_new();
	struct gre_call *c;
	uint8_t *pkt;
	size_t len;
	double t0, ref, tx, rx_in, rx_swap;
	int i;

	t0 = now_ns();
	for (i = 0; i < N; i++) {
		memcpy(sink, txbuf + GRE_HDR_MAX, FRAME);
		__asm__ volatile("" : : "r"(sink) : "memory");
	}
	ref = (now_ns() - t0) / N;

	gre_call_config_default(&cfg);
	cfg.our_call_id = 1;
	cfg.peer_call_id = 2;
	if ((c = gre_call_new(&cfg, &b_ops, NULL, tb)) == NULL)
		return 1;
	t0 = now_ns();
	for (i = 0; i < N; i++)
		gre_call_output(c, txbuf + GRE_HDR_MAX, FRAME, &pkt, &len);
	tx = (now_ns() - t0) / N;
	rx_in = run_rx(c, tb, 0);
	gre_call_free(c);

	if ((c = gre_call_new(&cfg, &b_ops, NULL, tb)) == NULL)
		return 1;
	rx_swap = run_rx(c, tb, 1);
	gre_call_free(c);
	timer_manual_free(tb);

	printf("gre: %d-byte frames, ns/packet (ratio to a %d-byte memcpy)\n",
	    FRAME, FRAME);
	printf("  %-20s %6.1f\n", "memcpy reference", ref);
	printf("  %-20s %6.1f  %.2fx\n", "output (zero-copy)", tx, tx / ref);
	printf("  %-20s %6.1f  %.2fx\n", "input in order", rx_in, rx_in / ref);
	printf("  %-20s %6.1f  %.2fx\n", "input pairs swapped", rx_swap,
	    rx_swap / ref);
	return delivered == 0;
}
