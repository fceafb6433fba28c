/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Ownership and mode checks of trusted files and their directories
 * (filecheck.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filecheck.h"

static int
owner_ok(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

static int
check_stat(const struct stat *st, const char *path, int flags, char *err,
    size_t errlen)
{
	const char *what = (flags & FILECHECK_SECRET) ?
	    "holds a password but is" : "is";

	if (!S_ISREG(st->st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return -1;
	}
	if (!owner_ok(st->st_uid)) {
		snprintf(err, errlen, "%s: %s owned by uid %u, not by root or "
		    "the user running pptpcd; run \"chown root %s\"", path,
		    what, (unsigned int)st->st_uid, path);
		return -1;
	}
	if ((flags & FILECHECK_SECRET) &&
	    (st->st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		snprintf(err, errlen, "%s: holds a password but is open to "
		    "group or others (mode %04o); run \"chmod 600 %s\"", path,
		    (unsigned int)(st->st_mode & 07777), path);
		return -1;
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		snprintf(err, errlen, "%s: is writable by group or others "
		    "(mode %04o); run \"chmod go-w %s\"", path,
		    (unsigned int)(st->st_mode & 07777), path);
		return -1;
	}
	return 0;
}

int
filecheck_fd(int fd, const char *path, int flags, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return check_stat(&st, path, flags, err, errlen);
}

/* dir (resolved, absolute) and each directory above it. */
static int
check_chain(const char *path, const char *dir, char *err, size_t errlen)
{
	char buf[PATH_MAX], *slash;
	struct stat st;

	snprintf(buf, sizeof(buf), "%s", dir);
	for (;;) {
		if (stat(buf, &st) == -1) {
			snprintf(err, errlen, "%s: directory %s: %s", path, buf,
			    strerror(errno));
			return -1;
		}
		if (!owner_ok(st.st_uid)) {
			snprintf(err, errlen, "%s: directory %s is owned by uid "
			    "%u, not by root or the user running pptpcd; run "
			    "\"chown root %s\"", path, buf,
			    (unsigned int)st.st_uid, buf);
			return -1;
		}
		if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
		    (st.st_mode & S_ISVTX) == 0) {
			snprintf(err, errlen, "%s: directory %s is writable by "
			    "group or others (mode %04o); run \"chmod go-w "
			    "%s\"", path, buf,
			    (unsigned int)(st.st_mode & 07777), buf);
			return -1;
		}
		if (strcmp(buf, "/") == 0)
			return 0;
		if ((slash = strrchr(buf, '/')) == buf)
			slash[1] = '\0';
		else if (slash != NULL)
			*slash = '\0';
		else
			return 0;	/* realpath() gives absolute paths */
	}
}

/* The resolved directory holding path, or -1 if it does not exist. */
static int
real_dir(const char *path, char *dir)
{
	char copy[PATH_MAX];

	if (strlen(path) >= sizeof(copy)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(copy, sizeof(copy), "%s", path);
	return realpath(dirname(copy), dir) == NULL ? -1 : 0;
}

int
filecheck_dirs(const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX], target[PATH_MAX];
	struct stat st;

	if (real_dir(path, dir) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;	/* nothing there to trust yet */
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (check_chain(path, dir, err, errlen) == -1)
		return -1;
	if (lstat(path, &st) == -1 || !S_ISLNK(st.st_mode))
		return 0;
	/* A link: where it leads counts as much. */
	if (realpath(path, target) == NULL || real_dir(target, dir) == -1)
		return 0;	/* dangling: open or exec will say */
	return check_chain(path, dir, err, errlen);
}

int
filecheck_path(const char *path, int flags, char *err, size_t errlen)
{
	struct stat st;

	if (filecheck_dirs(path, err, errlen) == -1)
		return -1;
	if (stat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return check_stat(&st, path, flags, err, errlen);
}
