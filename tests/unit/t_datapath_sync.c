/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for the MPPE synchronisation watch (daemon/datapath_sync.c)
 * on the manual clock: a run of packets that do not decrypt asks for a
 * reset, then ends the call with a reason for last_error; a run needs
 * both the packets and the time; any packet that decrypts ends it, so
 * forged packets between genuine ones never trigger either step.
 */
#include <atf-c.h>
#include <stdint.h>
#include <string.h>

#include "datapath_sync.h"
#include "timer.h"
#include "timer_manual.h"

struct watch {
	struct timer_base	*tb;
	struct dp_sync		 w;
	unsigned int		 resets;
	unsigned int		 fails;
	char			 why[160];
};

static void
watch_init(struct watch *x)
{
	memset(x, 0, sizeof(*x));
	x->tb = timer_manual_new();
}

/* One packet that did not decrypt, and what the data path would do. */
static void
bad(struct watch *x)
{
	switch (dp_sync_bad(&x->w, x->tb, x->why, sizeof(x->why))) {
	case DP_SYNC_WAIT:
		break;
	case DP_SYNC_RESET:
		x->resets++;
		break;
	case DP_SYNC_FAIL:
		x->fails++;
		break;
	}
}

ATF_TC_WITHOUT_HEAD(lost_sync_resets_then_fails);
ATF_TC_BODY(lost_sync_resets_then_fails, tc)
{
	struct watch x;
	unsigned int i;

	watch_init(&x);
	/* A packet every 100 ms, none of which decrypts. */
	for (i = 0; i < 50; i++) {
		bad(&x);
		timer_manual_advance(x.tb, 100);
	}
	ATF_CHECK_EQ(x.resets, 0);		/* 4.9 s */
	bad(&x);				/* 5.0 s, 51 packets */
	ATF_CHECK_EQ(x.resets, 1);
	for (i = 0; i < 99; i++) {
		timer_manual_advance(x.tb, 100);
		bad(&x);
	}
	ATF_CHECK_EQ(x.resets, 1);		/* asked once */
	ATF_CHECK_EQ(x.fails, 0);		/* 14.9 s */
	timer_manual_advance(x.tb, 100);
	bad(&x);				/* 15 s */
	ATF_CHECK_EQ(x.fails, 1);
	ATF_CHECK_STREQ(x.why, "MPPE lost synchronisation: 151 packets in "
	    "15 s did not decrypt");
	timer_manual_free(x.tb);
}

ATF_TC_WITHOUT_HEAD(needs_packets_and_time);
ATF_TC_BODY(needs_packets_and_time, tc)
{
	struct watch x;
	unsigned int i;

	watch_init(&x);
	/* Many packets in no time: a burst, not a lost sync. */
	for (i = 0; i < 10000; i++)
		bad(&x);
	ATF_CHECK_EQ(x.resets + x.fails, 0);
	dp_sync_good(&x.w);
	/* Few packets over a long time: an idle link, nothing to judge. */
	for (i = 0; i < DP_SYNC_PKTS - 1; i++) {
		bad(&x);
		timer_manual_advance(x.tb, 60000);
	}
	ATF_CHECK_EQ(x.resets + x.fails, 0);
	bad(&x);
	ATF_CHECK_EQ(x.resets, 1);
	timer_manual_free(x.tb);
}

/* Forged packets between genuine ones: never a reset, never a failure. */
ATF_TC_WITHOUT_HEAD(good_packet_ends_the_run);
ATF_TC_BODY(good_packet_ends_the_run, tc)
{
	struct watch x;
	unsigned int i, j;

	watch_init(&x);
	/* 1000 forged packets a second, a genuine one every second. */
	for (i = 0; i < 600; i++) {
		for (j = 0; j < 1000; j++) {
			bad(&x);
			timer_manual_advance(x.tb, 1);
		}
		dp_sync_good(&x.w);
	}
	ATF_CHECK_EQ(x.resets + x.fails, 0);

	/* After a reset was asked for, a good packet starts afresh. */
	for (i = 0; i < 60; i++) {
		bad(&x);
		timer_manual_advance(x.tb, 100);
	}
	ATF_CHECK_EQ(x.resets, 1);
	dp_sync_good(&x.w);
	for (i = 0; i < 149; i++) {
		bad(&x);
		timer_manual_advance(x.tb, 100);
	}
	/* 14.9 s of a new run: a second reset, no failure yet. */
	ATF_CHECK_EQ(x.resets, 2);
	ATF_CHECK_EQ(x.fails, 0);
	timer_manual_free(x.tb);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, lost_sync_resets_then_fails);
	ATF_TP_ADD_TC(tp, needs_packets_and_time);
	ATF_TP_ADD_TC(tp, good_packet_ends_the_run);
	return atf_no_error();
}
