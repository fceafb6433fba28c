/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * timer.h over libevent: the daemon's clock.
 */
#include <sys/time.h>

#include <event2/event.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "timer.h"
#include "timer_event.h"

struct timer_base {
	struct event_base	*evbase;
};

struct timer_base *
timer_base_new(struct event_base *evbase)
{
	struct timer_base *tb;

	if ((tb = calloc(1, sizeof(*tb))) == NULL)
		return NULL;
	tb->evbase = evbase;
	return tb;
}

void
timer_base_free(struct timer_base *tb)
{
	free(tb);
}

static void
timer_fire(evutil_socket_t fd, short what, void *arg)
{
	struct timer *t = arg;

	(void)fd;
	(void)what;
	t->armed = 0;
	t->cb(t->arg);
}

void
timer_init(struct timer *t, struct timer_base *tb, void (*cb)(void *),
    void *arg)
{
	t->base = tb;
	t->cb = cb;
	t->arg = arg;
	t->armed = 0;
	t->deadline = 0;
	if ((t->ev = evtimer_new(tb->evbase, timer_fire, t)) == NULL)
		fatalx("evtimer_new: out of memory");
}

/*
 * Timers of a second or more (keepalives, echo requests, redial waits)
 * end on a TIMER_COALESCE_MS boundary of the monotonic clock, so that
 * the keepalives of a thousand idle tunnels wake the process at most ten
 * times a second between them instead of a hundred: a wake-up late by
 * less than a tenth of a second is nothing to a timer of a second or
 * more.  Shorter ones (a 0-ms kick, GRE's acknowledgement delay, the
 * reorder wait) keep their exact time.
 */
#define TIMER_COALESCE_MIN_MS	1000
#define TIMER_COALESCE_MS	100

void
timer_set(struct timer *t, unsigned int ms)
{
	struct timeval tv;
	uint64_t now = timer_now(t->base), end = now + ms;

	if (ms >= TIMER_COALESCE_MIN_MS) {
		end += TIMER_COALESCE_MS - 1;
		end -= end % TIMER_COALESCE_MS;
		ms = (unsigned int)(end - now);
	}
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add((struct event *)t->ev, &tv);
	t->armed = 1;
	t->deadline = end;
}

void
timer_stop(struct timer *t)
{
	if (t->ev != NULL)
		evtimer_del((struct event *)t->ev);
	t->armed = 0;
}

int
timer_armed(const struct timer *t)
{
	return t->armed;
}

void
timer_free(struct timer *t)
{
	if (t->ev != NULL) {
		event_free(t->ev);
		t->ev = NULL;
	}
	t->armed = 0;
}

uint64_t
timer_now(struct timer_base *tb)
{
	struct timespec ts;

	(void)tb;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
