/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Fuzz target for the MPPE decryptor (daemon/mppe.c).
 *
 * The first byte picks the mode (bit 0: stateless) and the key length
 * (bits 1-2: 40, 56, 128, 128).  Then a list of operations, one byte each
 * plus operands:
 *	x..00	raw packet: a length byte, then that many bytes to decrypt;
 *		bit 7 set: to probe (mppe_rx_probe()) instead
 *	x..01	the sender's next packet, delivered; bit 7 set: one of its
 *		bytes (chosen by the next byte) is flipped on the way
 *	x..10	the sender's next packet, lost
 *	(bits 2-6 of those two set the packet's length: 2 + 8 * n; from 22
 *	bytes on it is an IPv4 packet the receiver accepts)
 *	x..11	a CCP Reset-Request reaches the sender; bit 7 set: instead
 *		the clock moves on by 100 ms times bits 2-6 (the receiver's
 *		key-change budget refills with it)
 * Every third delivered packet is probed first; a probe that says yes
 * must be followed by a decrypt that succeeds.  As long as nothing forged
 * or corrupted has reached the receiver, and no packet that answered a
 * Reset-Request was lost or discarded (after which the receiver has to
 * guess how many key changes it missed, see mppe.h), every packet it
 * accepts must decrypt to what was sent; that is checked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "mppe.h"

#define MAX_OPS	2048

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* An IPv4 frame with a valid header if len allows, as MPPE carries. */
static void
fill(uint8_t *p, size_t len, unsigned int seq)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seq + i);
	p[0] = 0x00;
	p[1] = 0x21;
	if (len < 22)
		return;
	p[2] = 0x45;
	p[4] = (uint8_t)((len - 2) >> 8);
	p[5] = (uint8_t)(len - 2);
	p[12] = p[13] = 0;
	for (i = 2; i < 22; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	p[12] = (uint8_t)(sum >> 8);
	p[13] = (uint8_t)sum;
}

static uint64_t
fz_clock(void *arg)
{
	return *(uint64_t *)arg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int bitsv[4] = { 40, 56, 128, 128 };
	static const uint8_t start[16] = {
		0xd5, 0xf0, 0xe9, 0x52, 0x1e, 0x3e, 0xa9, 0x58,
		0x96, 0x45, 0xe8, 0x60, 0x51, 0xc8, 0x22, 0x26,
	};
	static int ready;
	uint8_t pkt[MPPE_HDRLEN + 256], want[256];
	struct mppe_tx *tx;
	struct mppe_rx *rx;
	enum mppe_result r;
	size_t off = 1, len, dlen;
	unsigned int seq = 0, ops = 0;
	uint64_t now = 1000;
	int stateless, bits, tainted = 0, reset = 0, pr;
	uint8_t op;
	char err[256];

	if (!ready) {
		if (crypto_init(err, sizeof(err)) == -1)
			abort();
		ready = 1;
	}
	if (size < 1)
		return 0;
	stateless = data[0] & 1;
	bits = bitsv[(data[0] >> 1) & 3];
	if ((tx = mppe_tx_new(start, bits, stateless)) == NULL ||
	    (rx = mppe_rx_new(start, bits, stateless)) == NULL)
		abort();
	mppe_rx_set_clock(rx, fz_clock, &now);
	while (off < size && ops++ < MAX_OPS) {
		op = data[off++];
		switch (op & 3) {
		case 0:
			if (off >= size)
				break;
			len = data[off++];
			if (len > size - off)
				len = size - off;
			memcpy(pkt, data + off, len);
			off += len;
			if (op & 0x80) {
				/* Judged, never changed: no taint. */
				pr = mppe_rx_probe(rx, pkt, len,
				    (unsigned int)op << 8);
				if (pr != MPPE_PROBE_YES && pr != MPPE_PROBE_NO &&
				    pr != MPPE_PROBE_UNKNOWN)
					abort();
				if (memcmp(pkt, data + off - len, len) != 0)
					abort();
				break;
			}
			(void)mppe_rx_decrypt(rx, pkt, len);
			tainted = 1;
			break;
		case 1:
		case 2:
			dlen = 2 + 8 * ((op >> 2) & 0x1f);
			fill(pkt + MPPE_HDRLEN, dlen, seq);
			fill(want, dlen, seq);
			seq++;
			if (mppe_tx_encrypt(tx, pkt, MPPE_HDRLEN + dlen) == -1)
				abort();
			if ((op & 3) == 2) {
				if (reset)
					tainted = 1;
				reset = 0;
				break;
			}
			if ((op & 0x80) && off < size) {
				pkt[data[off++] % (MPPE_HDRLEN + dlen)] ^= 0x01;
				tainted = 1;
			}
			pr = seq % 3 == 0 ? mppe_rx_probe(rx, pkt,
			    MPPE_HDRLEN + dlen, 0) : MPPE_PROBE_UNKNOWN;
			r = mppe_rx_decrypt(rx, pkt, MPPE_HDRLEN + dlen);
			if (pr == MPPE_PROBE_YES && r != MPPE_OK)
				abort();
			/* Discarded on arrival is as good as lost. */
			if (reset && r != MPPE_OK)
				tainted = 1;
			reset = 0;
			if (r == MPPE_FAILED)
				abort();
			if (r == MPPE_OK && !tainted &&
			    memcmp(pkt + MPPE_HDRLEN, want, dlen) != 0)
				abort();
			break;
		case 3:
			if (op & 0x80) {
				now += 100 * ((op >> 2) & 0x1f);
				break;
			}
			mppe_tx_reset(tx);
			reset = !stateless;
			break;
		}
	}
	mppe_tx_free(tx);
	mppe_rx_free(rx);
	return 0;
}
