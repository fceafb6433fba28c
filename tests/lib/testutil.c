/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Helpers shared by the unit tests (see testutil.h).
 */
#include <stddef.h>
#include <stdint.h>

#include <atf-c.h>

#include "testutil.h"

static int
nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
test_hex(const char *s, uint8_t *out, size_t cap)
{
	const char *start = s;
	size_t n = 0;
	int hi, lo;

	while (*s != '\0') {
		if (*s == ' ') {
			s++;
			continue;
		}
		hi = nibble(s[0]);
		lo = hi == -1 ? -1 : nibble(s[1]);
		ATF_REQUIRE_MSG(hi != -1 && lo != -1,
		    "not a hex byte at offset %td of \"%s\"", s - start, start);
		ATF_REQUIRE_MSG(n < cap, "more than %zu bytes in \"%s\"", cap,
		    start);
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return n;
}
