/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A lossy, reordering, duplicating path for the GRE the test peer sends,
 * so that tests can show the client's reorder buffer and MPPE receiver
 * cope.  The kernel here has no netem, and datapath.c owns the raw GRE
 * socket, so gre_fault.c stands between the two: it defines sendto(),
 * sendmsg() and sendmmsg() for this program, passes everything that is
 * not a raw IPPROTO_GRE socket (and everything while disarmed) straight
 * to the system call, and applies the faults to the rest.
 *
 * Rates are per mille of the packets sent while armed.  A reordered
 * packet is held back and sent right after the next one (or after
 * GRE_FAULT_HOLD_MS if none comes), which is what a size-sorting queue
 * or a bonded link does to a stream.
 */
#ifndef PPTPC_GRE_FAULT_H
#define PPTPC_GRE_FAULT_H

#include <stdint.h>

struct event_base;

#define GRE_FAULT_HOLD_MS	5

struct gre_fault_config {
	unsigned int	 drop_pm;
	unsigned int	 dup_pm;
	unsigned int	 reorder_pm;
};

struct gre_fault_stats {
	uint64_t	 seen;		/* GRE packets sent while armed */
	uint64_t	 dropped;
	uint64_t	 duplicated;
	uint64_t	 reordered;
};

/*
 * Sets the rates (each 0..1000).  With all of them 0 nothing is set up
 * and the wrappers only pass through.  -1 if a rate is out of range or
 * there is no memory.
 */
int	gre_fault_init(struct event_base *, const struct gre_fault_config *);
/* Faults apply only while armed: once a session's data path is up. */
void	gre_fault_arm(int);
void	gre_fault_get_stats(struct gre_fault_stats *);
/* Sends a held packet, if any, and releases everything. */
void	gre_fault_free(void);

#endif /* PPTPC_GRE_FAULT_H */
