/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * For the tests of the PPP control protocols (t_lcp, t_ccp, t_ipcp):
 * a packet as the peer would send it, fed to an automaton.
 */
#ifndef PPTPC_FSM_FEED_H
#define PPTPC_FSM_FEED_H

#include <stddef.h>
#include <stdint.h>

struct fsm;

/* Code, identifier, a length field that tells the truth, then d[len]. */
void	test_fsm_feed(struct fsm *, uint8_t code, uint8_t id,
	    const uint8_t *d, size_t len);

#endif /* PPTPC_FSM_FEED_H */
