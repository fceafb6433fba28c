/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Log lines that a peer or a spoofer can trigger per packet, at most one
 * per interval for each object and kind of event, with the count of those
 * held back: "office: LCP: ... (and 417 more since)".  A flood of forged
 * frames then costs a counter increment each, never a syslog write.
 *
 * The state is a struct ratelog embedded in the object that logs, one for
 * each kind of line; time comes from timer.h, so unit tests drive it with
 * the manual clock.  Debug lines cost nothing without -v.  The data path
 * has its own (gre_call.c's ratelog(), datapath.c's dp_rl_log()).
 *
 * Inline, so that every program that links log.c and a clock (the unit
 * tests, the fuzz targets with their log stubs, the test peer) has it
 * without another module on its link line.
 */
#ifndef PPTPC_RATELOG_H
#define PPTPC_RATELOG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "log.h"
#include "timer.h"

#define RATELOG_DEBUG_MS	1000	/* a debug line a second */
#define RATELOG_WARN_MS		10000	/* info and warnings: one in 10 s */

enum ratelog_level {
	RATELOG_DEBUG,
	RATELOG_INFO,
	RATELOG_WARN,
};

struct ratelog {
	uint64_t	 next;		/* when the next line may go out */
	unsigned int	 suppressed;	/* held back since the last line */
};

/* Whether a line is due now; counts it as held back if not. */
static inline int
ratelog_due(struct ratelog *rl, struct timer_base *tb,
    enum ratelog_level level)
{
	/* Without -v a debug line is not even counted. */
	if (level == RATELOG_DEBUG && log_getverbose() < 1)
		return 0;
	if (rl->next != 0 && timer_now(tb) < rl->next) {
		rl->suppressed++;
		return 0;
	}
	return 1;
}

static inline void	ratelog_emit(struct ratelog *, struct timer_base *,
			    enum ratelog_level, const char *, ...)
			    __attribute__((__format__(printf, 4, 5)));

/* Logs the line that ratelog_due() allowed, with the held-back count. */
static inline void
ratelog_emit(struct ratelog *rl, struct timer_base *tb,
    enum ratelog_level level, const char *fmt, ...)
{
	char msg[256], more[40];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	more[0] = '\0';
	if (rl->suppressed > 0)
		snprintf(more, sizeof(more), " (and %u more since)",
		    rl->suppressed);
	if (level == RATELOG_WARN)
		log_warnx("%s%s", msg, more);
	else if (level == RATELOG_INFO)
		log_info("%s%s", msg, more);
	else
		log_debug("%s%s", msg, more);
	/* Never 0, which means "nothing logged yet". */
	rl->next = timer_now(tb) + (level == RATELOG_DEBUG ?
	    RATELOG_DEBUG_MS : RATELOG_WARN_MS);
	rl->suppressed = 0;
}

/* Evaluates its arguments only when a line is due. */
#define RATELOG_LINE(rl, tb, level, ...) do {				\
	if (ratelog_due((rl), (tb), (level)))				\
		ratelog_emit((rl), (tb), (level), __VA_ARGS__);		\
} while (0)

#endif /* PPTPC_RATELOG_H */
