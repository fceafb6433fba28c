/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * What the C libraries pptpc builds against do not all provide.
 *
 * strlcpy(3): OpenBSD's libc, the other BSDs, musl and glibc from 2.38 on
 * have it; only older glibc does not, and gets the copy in compat.c.
 */
#ifndef PPTPC_COMPAT_H
#define PPTPC_COMPAT_H

#include <stddef.h>
#include <string.h>	/* defines __GLIBC__ and declares strlcpy if any */

#if defined(__GLIBC__) && \
    (__GLIBC__ < 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ < 38))
#define PPTPC_NEED_STRLCPY	1
size_t	strlcpy(char *dst, const char *src, size_t size);
#endif

#endif /* PPTPC_COMPAT_H */
