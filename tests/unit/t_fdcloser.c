/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * daemon/fdcloser.c: every descriptor handed over is closed by the time
 * fdcloser_free() returns (an exiting daemon leaves no interface
 * behind), and without a closer a descriptor is closed in place.
 */
#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fdcloser.h"

static int
is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

ATF_TC_WITHOUT_HEAD(all_closed_at_free);
ATF_TC_BODY(all_closed_at_free, tc)
{
	struct fdcloser *fc;
	int p[2], fds[200], i;

	ATF_REQUIRE((fc = fdcloser_new()) != NULL);
	for (i = 0; i < 200; i += 2) {
		ATF_REQUIRE(pipe(p) == 0);
		fds[i] = p[0];
		fds[i + 1] = p[1];
	}
	for (i = 0; i < 200; i++)
		fdcloser_close(fc, fds[i]);
	fdcloser_free(fc);
	for (i = 0; i < 200; i++)
		ATF_CHECK_MSG(!is_open(fds[i]), "fd %d still open", fds[i]);
}

ATF_TC_WITHOUT_HEAD(in_place_without_closer);
ATF_TC_BODY(in_place_without_closer, tc)
{
	int p[2];

	ATF_REQUIRE(pipe(p) == 0);
	fdcloser_close(NULL, p[0]);
	ATF_CHECK(!is_open(p[0]));
	close(p[1]);
	/* -1 is nothing to close, with a closer or without. */
	fdcloser_close(NULL, -1);
}

ATF_TC_WITHOUT_HEAD(free_unused);
ATF_TC_BODY(free_unused, tc)
{
	struct fdcloser *fc;

	/* No descriptor ever: no thread started, nothing to wait for. */
	ATF_REQUIRE((fc = fdcloser_new()) != NULL);
	fdcloser_free(fc);
	fdcloser_free(NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, all_closed_at_free);
	ATF_TP_ADD_TC(tp, in_place_without_closer);
	ATF_TP_ADD_TC(tp, free_unused);
	return atf_no_error();
}
