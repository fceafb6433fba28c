/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/* Unit tests for the bounds-checked reader and writer, and the manual clock. */
#include <atf-c.h>
#include <stdint.h>

#include "buf.h"
#include "timer.h"
#include "timer_manual.h"

ATF_TC_WITHOUT_HEAD(rbuf_reads_in_bounds);
ATF_TC_BODY(rbuf_reads_in_bounds, tc)
{
	const uint8_t in[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	struct rbuf r;
	uint8_t a;
	uint16_t b;
	uint32_t c;

	rbuf_init(&r, in, sizeof(in));
	ATF_CHECK_EQ(rbuf_u8(&r, &a), 0);
	ATF_CHECK_EQ(rbuf_u16(&r, &b), 0);
	ATF_CHECK_EQ(rbuf_u32(&r, &c), 0);
	ATF_CHECK_EQ(a, 0x01);
	ATF_CHECK_EQ(b, 0x0203);
	ATF_CHECK_EQ(c, 0x04050607);
	ATF_CHECK_EQ(rbuf_left(&r), 0);
	ATF_CHECK(!rbuf_failed(&r));
}

ATF_TC_WITHOUT_HEAD(rbuf_short_read_latches);
ATF_TC_BODY(rbuf_short_read_latches, tc)
{
	const uint8_t in[] = { 0x01, 0x02, 0x03 };
	struct rbuf r;
	uint32_t c;
	uint8_t a;

	rbuf_init(&r, in, sizeof(in));
	ATF_CHECK_EQ(rbuf_u32(&r, &c), -1);
	ATF_CHECK_EQ(c, 0);
	/* Once failed, even a read that would fit fails. */
	ATF_CHECK_EQ(rbuf_u8(&r, &a), -1);
	ATF_CHECK(rbuf_failed(&r));
	ATF_CHECK(rbuf_take(&r, SIZE_MAX) == NULL);
}

ATF_TC_WITHOUT_HEAD(wbuf_overflow_latches);
ATF_TC_BODY(wbuf_overflow_latches, tc)
{
	uint8_t out[5];
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	ATF_CHECK_EQ(wbuf_u32(&w, 0x11223344), 0);
	ATF_CHECK_EQ(wbuf_u16(&w, 0x5566), -1);
	ATF_CHECK(wbuf_failed(&w));
	ATF_CHECK_EQ(wbuf_len(&w), 4);
	ATF_CHECK_EQ(out[0], 0x11);
	ATF_CHECK_EQ(out[3], 0x44);
}

static void
count(void *arg)
{
	(*(int *)arg)++;
}

ATF_TC_WITHOUT_HEAD(manual_clock_fires_in_order);
ATF_TC_BODY(manual_clock_fires_in_order, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct timer t1, t2;
	int n1 = 0, n2 = 0;

	timer_init(&t1, tb, count, &n1);
	timer_init(&t2, tb, count, &n2);
	timer_set(&t1, 3000);
	timer_set(&t2, 1000);
	ATF_CHECK_EQ(timer_manual_next(tb), 1000);
	timer_manual_advance(tb, 1500);
	ATF_CHECK_EQ(n1, 0);
	ATF_CHECK_EQ(n2, 1);
	timer_set(&t1, 100);	/* re-arming replaces the old deadline */
	timer_manual_advance(tb, 100);
	ATF_CHECK_EQ(n1, 1);
	timer_manual_advance(tb, 10000);
	ATF_CHECK_EQ(n1, 1);
	timer_free(&t1);
	timer_free(&t2);
	timer_manual_free(tb);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rbuf_reads_in_bounds);
	ATF_TP_ADD_TC(tp, rbuf_short_read_latches);
	ATF_TP_ADD_TC(tp, wbuf_overflow_latches);
	ATF_TP_ADD_TC(tp, manual_clock_fires_in_order);
	return atf_no_error();
}
