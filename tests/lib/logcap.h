/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Captures what a test's code logs to stderr (log.c in the foreground),
 * to count or match the lines.
 */
#ifndef PPTPC_TEST_LOGCAP_H
#define PPTPC_TEST_LOGCAP_H

#include <stddef.h>
#include <stdio.h>

struct capture {
	int	 saved;
	FILE	*f;
};

void	capture_begin(struct capture *);
/* Ends it: stderr is back, and what was logged is in buf, NUL-ended. */
void	capture_end(struct capture *, char *buf, size_t len);

#endif /* PPTPC_TEST_LOGCAP_H */
