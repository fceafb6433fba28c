/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The MPPE synchronisation watch of the userspace engine; datapath_sync.h
 * says what it does and why.
 */
#include <stdio.h>

#include "datapath_sync.h"
#include "timer.h"

enum dp_sync_do
dp_sync_bad(struct dp_sync *w, struct timer_base *tb, char *why,
    size_t whylen)
{
	uint64_t now;

	if (w->run++ == 0) {
		w->since = timer_now(tb);
		w->asked = 0;
		return DP_SYNC_WAIT;
	}
	if (w->run < DP_SYNC_PKTS)
		return DP_SYNC_WAIT;
	now = timer_now(tb);
	if (!w->asked) {
		if (now - w->since < DP_SYNC_RESET_MS)
			return DP_SYNC_WAIT;
		w->asked = 1;
		w->reset_at = now;
		return DP_SYNC_RESET;
	}
	if (now - w->reset_at < DP_SYNC_FAIL_MS)
		return DP_SYNC_WAIT;
	snprintf(why, whylen, "MPPE lost synchronisation: %u packets in %llu "
	    "s did not decrypt", w->run,
	    (unsigned long long)((now - w->since) / 1000));
	/* Once: the caller stops the data path. */
	w->run = 0;
	return DP_SYNC_FAIL;
}
