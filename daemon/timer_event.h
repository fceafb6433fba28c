/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/* The daemon's timer base, over a libevent event_base. */
#ifndef PPTPC_TIMER_EVENT_H
#define PPTPC_TIMER_EVENT_H

struct event_base;
struct timer_base;

struct timer_base	*timer_base_new(struct event_base *);
void			 timer_base_free(struct timer_base *);

#endif /* PPTPC_TIMER_EVENT_H */
