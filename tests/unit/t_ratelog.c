/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for rate-limited log lines (ratelog.h) on the manual clock:
 * one line per interval and level, the count of those held back on the
 * next, and debug lines neither logged nor counted without -v.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "logcap.h"
#include "ratelog.h"
#include "timer.h"
#include "timer_manual.h"

ATF_TC_WITHOUT_HEAD(one_line_per_interval);
ATF_TC_BODY(one_line_per_interval, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct ratelog rl, other;
	struct capture cap;
	char out[1024];
	int i;

	memset(&rl, 0, sizeof(rl));
	memset(&other, 0, sizeof(other));
	capture_begin(&cap);
	for (i = 0; i < 1000; i++)
		RATELOG_LINE(&rl, tb, RATELOG_WARN, "t: bad %d", i);
	/* Another kind has a limiter of its own. */
	RATELOG_LINE(&other, tb, RATELOG_INFO, "t: other");
	timer_manual_advance(tb, RATELOG_WARN_MS - 1);
	RATELOG_LINE(&rl, tb, RATELOG_WARN, "t: bad late");
	timer_manual_advance(tb, 1);
	RATELOG_LINE(&rl, tb, RATELOG_WARN, "t: bad again");
	timer_manual_advance(tb, RATELOG_WARN_MS);
	RATELOG_LINE(&rl, tb, RATELOG_WARN, "t: quiet since");
	capture_end(&cap, out, sizeof(out));
	ATF_CHECK_STREQ(out, "t: bad 0\nt: other\n"
	    "t: bad again (and 1000 more since)\nt: quiet since\n");
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(debug_needs_verbose);
ATF_TC_BODY(debug_needs_verbose, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct capture cap;
	struct ratelog rl;
	char out[1024];
	int i;

	memset(&rl, 0, sizeof(rl));
	capture_begin(&cap);
	log_setverbose(0);
	for (i = 0; i < 100; i++)
		RATELOG_LINE(&rl, tb, RATELOG_DEBUG, "t: quiet %d", i);
	ATF_CHECK_EQ(rl.suppressed, 0);
	log_setverbose(1);
	for (i = 0; i < 100; i++)
		RATELOG_LINE(&rl, tb, RATELOG_DEBUG, "t: loud %d", i);
	timer_manual_advance(tb, RATELOG_DEBUG_MS);
	RATELOG_LINE(&rl, tb, RATELOG_DEBUG, "t: loud later");
	log_setverbose(0);
	capture_end(&cap, out, sizeof(out));
	ATF_CHECK_STREQ(out, "t: loud 0\nt: loud later (and 99 more since)\n");
	timer_manual_free(tb);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, one_line_per_interval);
	ATF_TP_ADD_TC(tp, debug_needs_verbose);
	return atf_no_error();
}
