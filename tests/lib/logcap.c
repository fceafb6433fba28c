/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/* Capturing stderr for tests (logcap.h). */
#include <stdio.h>
#include <unistd.h>

#include <atf-c.h>

#include "logcap.h"

void
capture_begin(struct capture *cap)
{
	fflush(stderr);
	ATF_REQUIRE((cap->f = tmpfile()) != NULL);
	ATF_REQUIRE((cap->saved = dup(2)) != -1);
	ATF_REQUIRE(dup2(fileno(cap->f), 2) != -1);
}

void
capture_end(struct capture *cap, char *buf, size_t len)
{
	size_t n;

	fflush(stderr);
	ATF_REQUIRE(dup2(cap->saved, 2) != -1);
	close(cap->saved);
	rewind(cap->f);
	n = fread(buf, 1, len - 1, cap->f);
	buf[n] = '\0';
	fclose(cap->f);
}
