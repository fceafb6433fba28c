/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Helpers the atf-c unit tests share: test vectors are written as hex
 * strings, the way RFCs and doc/vectors.md print them.
 */
#ifndef PPTPC_TESTUTIL_H
#define PPTPC_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <atf-c.h>

/*
 * Parses pairs of hex digits, with spaces allowed between the pairs, into
 * out; returns the byte count.  Anything else, or more than cap bytes,
 * fails the test case: a typo in a vector must not pass as other bytes.
 */
size_t	test_hex(const char *s, uint8_t *out, size_t cap);

/*
 * Checks that buf[0..len) holds exactly the bytes the hex string want
 * spells.  A macro, so that a failure names the caller's line.
 */
#define CHECK_HEX(buf, len, want) do {					\
	uint8_t w_[256];						\
	size_t wl_ = test_hex((want), w_, sizeof(w_));			\
	ATF_CHECK_EQ_MSG(wl_, (size_t)(len), "length %zu != %zu",	\
	    (size_t)(len), wl_);					\
	ATF_CHECK_MSG(wl_ == (size_t)(len) &&				\
	    memcmp((buf), w_, wl_) == 0, "%s: wrong bytes", (want));	\
} while (0)

#endif /* PPTPC_TESTUTIL_H */
