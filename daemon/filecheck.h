/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Who may change what pptpcd trusts.
 *
 * pptpcd runs as root, reads its configuration and password files and runs
 * the up and down scripts they name.  Anyone who can change one of those
 * files, or rename another in its place in one of the directories above it,
 * can make root run their program or send the password elsewhere.  So
 * each such file, and every directory from the one holding it up to "/", must
 * be owned by root or by the user running pptpcd (whose rights it has
 * anyway) and not writable by group or others.  A directory writable by
 * others but with the sticky bit set (/tmp) is accepted: nobody but the
 * owner of an entry, checked in turn, can remove or rename it there.
 *
 * Directories are checked where symbolic links lead: those of the path as
 * given (with any links among its directories resolved) and, when the file
 * itself is a link, those of its target too, as OpenSSH's safe_path()
 * does.  Each function returns 0, or -1 with "path: reason; the fix" in
 * err.
 */
#ifndef PPTPC_FILECHECK_H
#define PPTPC_FILECHECK_H

#include <stddef.h>

#define FILECHECK_SECRET	0x01	/* holds a password: also unreadable */

/* An open file (fstat, so what was opened is what is checked). */
int	filecheck_fd(int fd, const char *path, int flags, char *err,
	    size_t errlen);
/* The directories holding path, up to "/"; those that exist. */
int	filecheck_dirs(const char *path, char *err, size_t errlen);
/*
 * A file that is named, not opened (a script): the file where path leads,
 * if there is one yet, and its directories.
 */
int	filecheck_path(const char *path, int flags, char *err,
	    size_t errlen);

#endif /* PPTPC_FILECHECK_H */
