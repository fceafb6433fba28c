/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Feeding the PPP automaton in tests (see fsm_feed.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <atf-c.h>

#include "buf.h"
#include "fsm.h"
#include "fsm_feed.h"

void
test_fsm_feed(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *d,
    size_t len)
{
	uint8_t pkt[FSM_PKT_MAX];

	ATF_REQUIRE_MSG(4 + len <= sizeof(pkt), "a %zu-byte packet in the "
	    "test", 4 + len);
	pkt[0] = code;
	pkt[1] = id;
	put_be16(pkt + 2, (uint16_t)(4 + len));
	if (len > 0)
		memcpy(pkt + 4, d, len);
	fsm_input(f, pkt, 4 + len);
}
