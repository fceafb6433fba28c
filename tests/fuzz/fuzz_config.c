/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Arbitrary bytes as a pptpcd.conf.  Beyond "no crash, no leak", every
 * input that parses must print (-nv) to text that parses again and prints
 * the same: the round trip that the golden tests check on a few files.
 * Password files are not opened (CONF_NOFILES) and nothing is printed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char *
print_to_string(const struct config *conf, size_t *len)
{
	char *buf = NULL;
	FILE *f;

	if ((f = open_memstream(&buf, len)) == NULL)
		abort();
	print_config(f, conf);
	if (fclose(f) != 0)
		abort();
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *a, *b;
	char *s1, *s2;
	size_t l1, l2;

	a = parse_config_buffer("fuzz", data, size, CONF_QUIET | CONF_NOFILES);
	if (a == NULL)
		return 0;
	s1 = print_to_string(a, &l1);
	b = parse_config_buffer("fuzz-printed", s1, l1,
	    CONF_QUIET | CONF_NOFILES);
	if (b == NULL) {
		fprintf(stderr, "printed config does not parse:\n%s", s1);
		abort();
	}
	s2 = print_to_string(b, &l2);
	if (l1 != l2 || memcmp(s1, s2, l1) != 0) {
		fprintf(stderr, "round trip differs:\n%s---\n%s", s1, s2);
		abort();
	}
	free(s1);
	free(s2);
	config_free(a);
	config_free(b);
	return 0;
}
