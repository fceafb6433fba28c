/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * daemon/timer_event.c, the daemon's clock over libevent: timers of a
 * second or more end on a 100-ms boundary, so that the keepalives of
 * many idle tunnels share their wake-ups; shorter ones keep their exact
 * time.  Only the deadlines are checked: no test here waits for a timer.
 */
#include <atf-c.h>
#include <event2/event.h>
#include <stdint.h>

#include "timer.h"
#include "timer_event.h"

static void
never(void *arg)
{
	(void)arg;
}

struct clockenv {
	struct event_base	*evb;
	struct timer_base	*tb;
	struct timer		 t;
};

static void
env_init(struct clockenv *e)
{
	ATF_REQUIRE((e->evb = event_base_new()) != NULL);
	ATF_REQUIRE((e->tb = timer_base_new(e->evb)) != NULL);
	timer_init(&e->t, e->tb, never, NULL);
}

static void
env_free(struct clockenv *e)
{
	timer_free(&e->t);
	timer_base_free(e->tb);
	event_base_free(e->evb);
}

ATF_TC_WITHOUT_HEAD(long_timers_share_boundaries);
ATF_TC_BODY(long_timers_share_boundaries, tc)
{
	static const unsigned int ms[] = { 1000, 1001, 1999, 2000, 10000,
	    10037, 60000 };
	struct clockenv e;
	uint64_t before, after;
	size_t i;

	env_init(&e);
	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		before = timer_now(e.tb);
		timer_set(&e.t, ms[i]);
		after = timer_now(e.tb);
		ATF_CHECK(timer_armed(&e.t));
		ATF_CHECK_MSG(e.t.deadline % 100 == 0, "%u ms: deadline %llu "
		    "not on a 100-ms boundary", ms[i],
		    (unsigned long long)e.t.deadline);
		/* Never early, and late by less than the grid. */
		ATF_CHECK_MSG(e.t.deadline >= before + ms[i] &&
		    e.t.deadline < after + ms[i] + 100, "%u ms: deadline %llu "
		    "for now %llu", ms[i], (unsigned long long)e.t.deadline,
		    (unsigned long long)before);
	}
	env_free(&e);
}

ATF_TC_WITHOUT_HEAD(short_timers_exact);
ATF_TC_BODY(short_timers_exact, tc)
{
	static const unsigned int ms[] = { 0, 1, 50, 100, 999 };
	struct clockenv e;
	uint64_t before, after;
	size_t i;

	env_init(&e);
	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		before = timer_now(e.tb);
		timer_set(&e.t, ms[i]);
		after = timer_now(e.tb);
		ATF_CHECK_MSG(e.t.deadline >= before + ms[i] &&
		    e.t.deadline <= after + ms[i], "%u ms: deadline %llu for "
		    "now %llu", ms[i], (unsigned long long)e.t.deadline,
		    (unsigned long long)before);
	}
	timer_stop(&e.t);
	ATF_CHECK(!timer_armed(&e.t));
	env_free(&e);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, long_timers_share_boundaries);
	ATF_TP_ADD_TC(tp, short_timers_exact);
	return atf_no_error();
}
