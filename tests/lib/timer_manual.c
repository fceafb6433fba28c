/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * timer.h over a manual clock, for unit tests.
 */
#include <stdint.h>
#include <stdlib.h>

#include "timer.h"
#include "timer_manual.h"

struct timer_base {
	uint64_t		 now;
	TAILQ_HEAD(, timer)	 pending;
};

struct timer_base *
timer_manual_new(void)
{
	struct timer_base *tb;

	if ((tb = calloc(1, sizeof(*tb))) == NULL)
		abort();
	tb->now = 1000000;
	TAILQ_INIT(&tb->pending);
	return tb;
}

void
timer_manual_free(struct timer_base *tb)
{
	free(tb);
}

void
timer_init(struct timer *t, struct timer_base *tb, void (*cb)(void *),
    void *arg)
{
	t->base = tb;
	t->cb = cb;
	t->arg = arg;
	t->ev = NULL;
	t->armed = 0;
	t->deadline = 0;
}

void
timer_set(struct timer *t, unsigned int ms)
{
	timer_stop(t);
	t->deadline = t->base->now + ms;
	t->armed = 1;
	TAILQ_INSERT_TAIL(&t->base->pending, t, entry);
}

void
timer_stop(struct timer *t)
{
	if (t->armed)
		TAILQ_REMOVE(&t->base->pending, t, entry);
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
	timer_stop(t);
}

uint64_t
timer_now(struct timer_base *tb)
{
	return tb->now;
}

static struct timer *
earliest(struct timer_base *tb)
{
	struct timer *t, *best = NULL;

	TAILQ_FOREACH(t, &tb->pending, entry)
		if (best == NULL || t->deadline < best->deadline)
			best = t;
	return best;
}

uint64_t
timer_manual_next(struct timer_base *tb)
{
	struct timer *t;

	if ((t = earliest(tb)) == NULL)
		return UINT64_MAX;
	return t->deadline > tb->now ? t->deadline - tb->now : 0;
}

int
timer_manual_step(struct timer_base *tb)
{
	struct timer *t;

	if ((t = earliest(tb)) == NULL)
		return 0;
	if (t->deadline > tb->now)
		tb->now = t->deadline;
	timer_stop(t);
	t->cb(t->arg);
	return 1;
}

void
timer_manual_advance(struct timer_base *tb, uint64_t ms)
{
	uint64_t end = tb->now + ms;
	struct timer *t;

	while ((t = earliest(tb)) != NULL && t->deadline <= end) {
		if (t->deadline > tb->now)
			tb->now = t->deadline;
		timer_stop(t);
		t->cb(t->arg);
	}
	tb->now = end;
}
