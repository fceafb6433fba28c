/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A manual clock for unit tests: timers fire only when the test advances
 * time, in deadline order, so protocol timing is tested without sleeping.
 */
#ifndef PPTPC_TIMER_MANUAL_H
#define PPTPC_TIMER_MANUAL_H

#include <stdint.h>

struct timer_base;

struct timer_base	*timer_manual_new(void);
void			 timer_manual_free(struct timer_base *);
/* Moves the clock forward by ms, firing every timer that falls due. */
void			 timer_manual_advance(struct timer_base *, uint64_t ms);
/* Milliseconds until the next timer fires, or UINT64_MAX if none. */
uint64_t		 timer_manual_next(struct timer_base *);
/* Fires the next pending timer, advancing the clock to it; 0 if none. */
int			 timer_manual_step(struct timer_base *);

#endif /* PPTPC_TIMER_MANUAL_H */
