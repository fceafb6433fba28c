/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * What the parent may still touch once it runs, as unveil(2) on OpenBSD
 * takes it: a list of paths and permissions made from the configuration
 * (unveil_list.c, portable so that the unit tests check it on Linux),
 * applied by unveil_apply() (unveil-openbsd.c).  On Linux the list is
 * built by the tests only.
 */
#ifndef PPTPC_UNVEIL_LIST_H
#define PPTPC_UNVEIL_LIST_H

#include <stddef.h>

struct config;

/*
 * kern_unveil.c (OpenBSD 7.3, rev. 1.55): UNVEIL_MAX_NAMES and
 * UNVEIL_MAX_VNODES, 128 each, per process; past them unveil(2) fails
 * with E2BIG.
 */
#define UNVEIL_NAMES_MAX	128

struct unveil_path {
	char		*path;
	char		 perm[5];	/* of "rwxc" */
};

struct unveil_list {
	struct unveil_path	*p;
	size_t			 n;
	size_t			 cap;
	int			 applied;	/* unveil(NULL, NULL) done */
};

/*
 * The parent's list for conf (sockpath: the control socket's path).
 * 0; -1 with a message in err when out of memory or when it would
 * need more names than the kernel keeps (the caller then runs without
 * unveil and says so).
 */
int	unveil_list_build(struct unveil_list *, const struct config *conf,
	    const char *sockpath, char *err, size_t errlen);

/*
 * Whether conf, read on reload, can run with the list applied at start:
 * 0, or -1 naming in err the first path it needs that was not unveiled
 * (a new script or its interpreter, another tun device).  Always 0
 * when the list was never applied.
 */
int	unveil_list_allows(const struct unveil_list *,
	    const struct config *conf, char *err, size_t errlen);

void	unveil_list_free(struct unveil_list *);

#ifdef __OpenBSD__
/* unveil(2) of every entry, then unveil(NULL, NULL).  0 or -1, err. */
int	unveil_apply(struct unveil_list *, char *err, size_t errlen);
#endif

#endif /* PPTPC_UNVEIL_LIST_H */
