/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Fuzzes the GRE codec and one call's receive and send paths.
 *
 * The whole input is first decoded as a GRE packet and as an IPv4 packet.
 * Then its first bytes configure a call (reorder slots, wait, window) and
 * the rest is a script: raw packets, well-formed data packets around the
 * current sequence (so that reordering, gaps, wrap and resync are reached,
 * not only decoder errors), clock steps and frames to send.  What the call
 * sends must always decode; what it delivers must fit the packet it came
 * from.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "gre.h"
#include "gre_call.h"
#include "timer.h"
#include "timer_manual.h"

#define OUR_ID	0x4321

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
fz_send(void *arg, const uint8_t *pkt, size_t len)
{
	struct gre_hdr h;

	(void)arg;
	if (gre_decode(pkt, len, &h) != GRE_OK || h.has_seq || !h.has_ack)
		abort();
	return 0;
}

static void
fz_deliver(void *arg, const uint8_t *frame, size_t len)
{
	volatile uint8_t sum = 0;
	size_t i;

	(void)arg;
	if (len == 0 || len > GRE_PAYLOAD_MAX)
		abort();
	/* Touch every byte, so ASan sees any stale or short frame. */
	for (i = 0; i < len; i++)
		sum += frame[i];
	(void)sum;
}

/*
 * Judges far frames by their first byte, so that the input chooses each
 * verdict; it must be handed a frame it may read whole.
 */
static int
fz_probe(void *arg, const uint8_t *frame, size_t len, uint32_t moved)
{
	volatile uint8_t sum = 0;
	size_t i;

	(void)arg;
	(void)moved;
	if (len == 0 || len > GRE_PAYLOAD_MAX)
		abort();
	for (i = 0; i < len; i++)
		sum += frame[i];
	(void)sum;
	return frame[0] % 3;	/* GRE_PROBE_UNKNOWN, _YES or _NO */
}

static const struct gre_call_ops fz_ops = { fz_send, fz_deliver, NULL };
static const struct gre_call_ops fz_probe_ops = {
	fz_send, fz_deliver, fz_probe
};

static void
decode_whole(const uint8_t *data, size_t size)
{
	struct gre_hdr h;
	struct in_addr src;
	size_t off, len;

	if (gre_decode(data, size, &h) == GRE_OK &&
	    h.hdr_len + h.payload_len > size)
		abort();
	if (gre_ipv4_decode(data, size, &src, &off, &len) == GRE_OK) {
		if (off + len > size)
			abort();
		if (gre_decode(data + off, len, &h) == GRE_OK &&
		    h.hdr_len + h.payload_len > len)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[GRE_HDR_MAX + 1024];
	uint8_t pkt[GRE_HDR_MAX + 512];
	struct gre_call_config cfg;
	struct timer_base *tb;
	struct gre_call *c;
	struct rbuf r;
	struct gre_hdr h;
	uint8_t b[4], op, n, *p;
	uint32_t seq = 0xfffffff0;	/* near the wrap from the start */
	size_t plen, len;

	decode_whole(data, size);

	rbuf_init(&r, data, size);
	if (rbuf_bytes(&r, b, 4) == -1)
		return 0;
	gre_call_config_default(&cfg);
	cfg.our_call_id = OUR_ID;
	cfg.peer_call_id = 0x1234;
	cfg.reorder_slots = b[0] % 70;	/* 0 (off) .. 69, not powers of 2 */
	cfg.reorder_wait_ms = b[1];
	cfg.our_rwin = b[2];
	cfg.peer_rwin = b[3];
	cfg.max_frame = GRE_FRAME_MIN + (b[3] & 0x7f);
	tb = timer_manual_new();
	if ((c = gre_call_new(&cfg, b[1] & 1 ? &fz_probe_ops : &fz_ops, NULL,
	    tb)) == NULL)
		abort();

	while (rbuf_u8(&r, &op) == 0) {
		switch (op & 3) {
		case 0:		/* a raw packet of n bytes */
			if (rbuf_u8(&r, &n) == -1)
				break;
			len = n < rbuf_left(&r) ? n : rbuf_left(&r);
			p = (uint8_t *)rbuf_take(&r, len);
			gre_call_input(c, p, len);
			break;
		case 1:		/* a good data packet near the sequence */
			if (rbuf_u8(&r, &n) == -1)
				break;
			/* Mostly small steps, sometimes a far jump. */
			if (op & 0x80)
				seq += (uint32_t)n << 16;
			else
				seq += (uint32_t)(int8_t)n;
			plen = (op >> 2) & 0x1f;
			if (op & 0x40)
				plen *= 16;	/* beyond a small slot */
			memset(&h, 0, sizeof(h));
			h.call_id = OUR_ID;
			h.has_seq = 1;
			h.seq = seq;
			h.has_ack = (op & 0x20) != 0;
			h.ack = seq ^ 0x5a5a;
			h.payload_len = (uint16_t)plen;
			len = gre_encode_hdr(pkt, sizeof(pkt), &h);
			if (len == 0 || len + plen > sizeof(pkt))
				abort();
			memset(pkt + len, n, plen);
			gre_call_input(c, pkt, len + plen);
			break;
		case 2:		/* the clock moves on */
			if (rbuf_u8(&r, &n) == -1)
				break;
			timer_manual_advance(tb,
			    (uint64_t)n * ((op & 4) ? 16 : 1));
			break;
		case 3:		/* send a frame */
			if (rbuf_u8(&r, &n) == -1)
				break;
			len = (size_t)n * 4;
			if (gre_call_output(c, out + GRE_HDR_MAX, len, &p,
			    &plen) == 0) {
				if (gre_decode(p, plen, &h) != GRE_OK ||
				    !h.has_seq || h.payload_len != len ||
				    p + plen != out + GRE_HDR_MAX + len)
					abort();
			} else if (len != 0)
				abort();
			break;
		}
	}
	/* Let every timer run out: held frames drain, acks go. */
	while (timer_manual_step(tb))
		;
	gre_call_free(c);
	timer_manual_free(tb);
	return 0;
}
