/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * unveil(2) of the parent's list (unveil_list.c says what and why).
 * The parent cannot pledge (sandbox-openbsd.c): unveil is what narrows
 * it.  Checked against OpenBSD 7.3's unveil(2) and kern_unveil.c (rev.
 * 1.55): a file that does not exist yet (the control socket) is
 * unveiled by its name in its directory, which must exist; a directory
 * is remembered by its vnode when unveiled.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unveil_list.h"

int
unveil_apply(struct unveil_list *l, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (unveil(l->p[i].path, l->p[i].perm) == -1) {
			/*
			 * ENOENT: a directory on the way is missing (a tun
			 * node's /dev cannot be; a script's directory can).
			 * Without it the path cannot be reached anyway.
			 */
			if (errno == ENOENT)
				continue;
			snprintf(err, errlen, "unveil %s \"%s\": %s",
			    l->p[i].path, l->p[i].perm, strerror(errno));
			return -1;
		}
	}
	/* No more unveil(2) calls: the list is final. */
	if (unveil(NULL, NULL) == -1) {
		snprintf(err, errlen, "unveil: %s", strerror(errno));
		return -1;
	}
	l->applied = 1;
	return 0;
}
