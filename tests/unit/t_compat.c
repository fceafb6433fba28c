/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for daemon/compat.c: strlcpy(3) as OpenBSD defines it,
 * whichever C library provides it.
 */
#include <atf-c.h>
#include <string.h>

#include "compat.h"

ATF_TC_WITHOUT_HEAD(strlcpy_fits);
ATF_TC_BODY(strlcpy_fits, tc)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	ATF_CHECK_EQ(strlcpy(buf, "office", sizeof(buf)), 6);
	ATF_CHECK_STREQ(buf, "office");
	ATF_CHECK_EQ(strlcpy(buf, "", sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, "");
	/* Exactly full: seven characters and the NUL. */
	ATF_CHECK_EQ(strlcpy(buf, "1234567", sizeof(buf)), 7);
	ATF_CHECK_STREQ(buf, "1234567");
}

ATF_TC_WITHOUT_HEAD(strlcpy_truncates);
ATF_TC_BODY(strlcpy_truncates, tc)
{
	char buf[8];

	/* Cut, terminated, and the return value says it was cut. */
	memset(buf, 'x', sizeof(buf));
	ATF_CHECK_EQ(strlcpy(buf, "a long tunnel name", sizeof(buf)), 18);
	ATF_CHECK_STREQ(buf, "a long ");
	/* Size 0 writes nothing and still measures src. */
	buf[0] = 'x';
	ATF_CHECK_EQ(strlcpy(buf, "abc", 0), 3);
	ATF_CHECK_EQ(buf[0], 'x');
	ATF_CHECK_EQ(strlcpy(buf, "abc", 1), 3);
	ATF_CHECK_STREQ(buf, "");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, strlcpy_fits);
	ATF_TP_ADD_TC(tp, strlcpy_truncates);
	return atf_no_error();
}
