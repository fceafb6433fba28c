/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * pptpctl's "show metrics": sessions in the Prometheus text format.
 */
#ifndef PPTPCTL_METRICS_H
#define PPTPCTL_METRICS_H

#include <stdio.h>

struct jv;

/* Prints the metrics of list, the daemon's "sessions" array. */
void	metrics_print(FILE *, const struct jv *list);

#endif /* PPTPCTL_METRICS_H */
