/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Watch over a call's MPPE receiver, so that lost synchronisation is
 * never a silent blackhole (issue 9).
 *
 * MPPE has no integrity check: when the receiver's key no longer matches
 * the sender's (more than 4095 stateless packets lost, a stateful peer
 * that never answers a Reset-Request, a bug on either side), every data
 * packet is dropped, while LCP echoes, which are not encrypted, keep the
 * session "up".  The data path tells this watch about every packet in
 * the GRE window that did not decrypt (mppe_rx_decrypt() other than
 * MPPE_OK) and every one that did.  (Far GRE packets that
 * mppe_rx_probe() refutes do not count: a spoofer needs only the call ID
 * to send those, and on an idle link nothing would end its run.)  After
 * DP_SYNC_PKTS in a row over at least DP_SYNC_RESET_MS with none
 * decrypting, it asks for a CCP Reset-Request (a stateful sender flushes;
 * for a stateless one it is a resynchronisation attempt at no cost), and
 * if DP_SYNC_FAIL_MS later still nothing has decrypted, it says the call
 * has failed, so that the tunnel ends it and redials with the reason in
 * last_error.
 *
 * Any packet that decrypts ends the run, so a spoofer cannot cause
 * either step while the genuine stream decrypts, however many forged
 * packets it mixes in; on an idle link it would have to land 32 packets
 * in the GRE window, that is, guess the sequence number as well.  The run starts with its first packet, at most one
 * packet gap after the last good decrypt; the clock is read only for
 * packets that did not decrypt.
 */
#ifndef PPTPC_DATAPATH_SYNC_H
#define PPTPC_DATAPATH_SYNC_H

#include <stddef.h>
#include <stdint.h>

struct timer_base;

#define DP_SYNC_PKTS		32
#define DP_SYNC_RESET_MS	5000
#define DP_SYNC_FAIL_MS		10000

struct dp_sync {
	unsigned int	 run;		/* packets in a row that did not
					   decrypt */
	uint64_t	 since;		/* timer_now() at the run's first */
	uint64_t	 reset_at;	/* when the reset was asked for */
	int		 asked;		/* a reset was asked for in this run */
};

enum dp_sync_do {
	DP_SYNC_WAIT,		/* nothing to do yet */
	DP_SYNC_RESET,		/* send a CCP Reset-Request */
	DP_SYNC_FAIL,		/* end the call: why says so */
};

/* A packet decrypted: the run is over.  Inline: once per packet. */
static inline void
dp_sync_good(struct dp_sync *w)
{
	w->run = 0;
}

/* A packet did not decrypt; why gets the reason on DP_SYNC_FAIL. */
enum dp_sync_do	 dp_sync_bad(struct dp_sync *, struct timer_base *,
		    char *why, size_t whylen);

#endif /* PPTPC_DATAPATH_SYNC_H */
