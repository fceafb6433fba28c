/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Replacements for what compat.h says the C library lacks.
 */
#include "compat.h"

#ifdef PPTPC_NEED_STRLCPY
/*
 * Copies src into dst of size bytes, NUL-terminated if size is not 0,
 * and returns strlen(src), so that a return >= size means it was cut.
 */
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
#endif
