/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * One-shot timers for the protocol engines.
 *
 * PPTP control, GRE, the PPP automaton and the tunnel lifecycle only see this
 * header, never the event loop, so that unit tests drive them with a manual
 * clock (tests/lib/timer_manual.c) and the daemon with libevent
 * (daemon/timer_event.c).  A timer is embedded in the object that owns it.
 */
#ifndef PPTPC_TIMER_H
#define PPTPC_TIMER_H

#include <sys/queue.h>
#include <stdint.h>

struct timer_base;

struct timer {
	struct timer_base	*base;
	void			(*cb)(void *);
	void			*arg;
	void			*ev;		/* the event loop's own handle */
	uint64_t		 deadline;	/* manual clock: when it fires */
	int			 armed;
	TAILQ_ENTRY(timer)	 entry;		/* manual clock: pending list */
};

/* Prepares a timer; it does not run until timer_set(). */
void		timer_init(struct timer *, struct timer_base *,
		    void (*)(void *), void *);
/* (Re)arms the timer to fire once after ms milliseconds. */
void		timer_set(struct timer *, unsigned int ms);
void		timer_stop(struct timer *);
int		timer_armed(const struct timer *);
/* Stops the timer and releases what timer_init() took. */
void		timer_free(struct timer *);
/* Monotonic milliseconds of the clock behind the base. */
uint64_t	timer_now(struct timer_base *);

#endif /* PPTPC_TIMER_H */
