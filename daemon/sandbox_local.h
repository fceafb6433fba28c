/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * What sandbox-linux.c and sandbox-openbsd.c share (sandbox_common.c):
 * the user's lookup, the chroot, and the change of ids, all plain POSIX.
 */
#ifndef PPTPC_SANDBOX_LOCAL_H
#define PPTPC_SANDBOX_LOCAL_H

#include <sys/types.h>

#include <stddef.h>

/* The user's uid and gid; -1 with what to do in err if it is missing. */
int	sandbox_user(const char *user, uid_t *uid, gid_t *gid, char *err,
	    size_t errlen);

/*
 * Checks dir (made root-owned 0755, parents too, if missing) and chroots
 * into it: refused unless it is a directory, not a symbolic link, owned
 * by root, writable by nobody else, and empty.
 */
int	sandbox_chroot(const char *dir, char *err, size_t errlen);

/*
 * gid as the only group, then real, effective and saved gid and uid, and
 * a check that they held and that root cannot be taken back.
 */
int	sandbox_setids(uid_t uid, gid_t gid, char *err, size_t errlen);

#endif /* PPTPC_SANDBOX_LOCAL_H */
