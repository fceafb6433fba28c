/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The part of the engine's sandbox that is the same on Linux and
 * OpenBSD (sandbox_local.h): the user, the empty root, the ids.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"
#include "sandbox_local.h"

static int	 mkdir_parents(const char *, char *, size_t);
static int	 dir_is_empty(int);

/*
 * Looked up before the chroot: NSS (files, systemd's, LDAP) needs the
 * real root.
 */
int
sandbox_user(const char *user, uid_t *uid, gid_t *gid, char *err,
    size_t errlen)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		if (errno != 0 && errno != ENOENT && errno != ESRCH) {
			snprintf(err, errlen, "user %s: %s", user,
			    strerror(errno));
			return -1;
		}
		snprintf(err, errlen, "user %s does not exist: create it "
		    "with `" SANDBOX_USERADD " %s` or make install", user,
		    user);
		return -1;
	}
	if (pw->pw_uid == 0 || pw->pw_gid == 0) {
		snprintf(err, errlen, "user %s has uid or gid 0: the engine "
		    "must not run as root", user);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/*
 * Opens chroot_dir (making it if missing), checks that only root can put
 * anything into it and that nothing is in it, and chroots into the very
 * directory checked (fchdir, then chroot(".")), so that no rename
 * between the check and the chroot can swap it.
 */
int
sandbox_chroot(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	int fd, made = 0;

	if (dir == NULL || dir[0] != '/') {
		snprintf(err, errlen, "chroot directory %s: not an absolute "
		    "path", dir == NULL ? "(none)" : dir);
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT) {
		if (mkdir_parents(dir, err, errlen) == -1)
			return -1;
		if (mkdir(dir, 0755) == 0)
			made = 1;
		else if (errno != EEXIST) {
			snprintf(err, errlen, "mkdir %s: %s", dir,
			    strerror(errno));
			return -1;
		}
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
	}
	if (fd == -1) {
		snprintf(err, errlen, "chroot directory %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	/* The umask may have narrowed what mkdir made; 0755 is wanted. */
	if (made && fchmod(fd, 0755) == -1) {
		snprintf(err, errlen, "chmod %s: %s", dir, strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "stat %s: %s", dir, strerror(errno));
		goto fail;
	}
	if (st.st_uid != 0) {
		snprintf(err, errlen, "chroot directory %s: owned by uid %u, "
		    "not root", dir, (unsigned)st.st_uid);
		goto fail;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen, "chroot directory %s: writable by "
		    "group or others (mode %04o): chmod 755 it", dir,
		    (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	switch (dir_is_empty(fd)) {
	case 1:
		break;
	case 0:
		snprintf(err, errlen, "chroot directory %s: not empty", dir);
		goto fail;
	default:
		snprintf(err, errlen, "chroot directory %s: %s", dir,
		    strerror(errno));
		goto fail;
	}
	if (fchdir(fd) == -1 || chroot(".") == -1 || chdir("/") == -1) {
		snprintf(err, errlen, "chroot %s: %s", dir, strerror(errno));
		goto fail;
	}
	close(fd);
	return 0;
fail:
	close(fd);
	return -1;
}

/* mkdir -p of everything above path's last component, root-owned 0755. */
static int
mkdir_parents(const char *path, char *err, size_t errlen)
{
	char buf[PATH_MAX];
	char *p;

	if (strlen(path) >= sizeof(buf)) {
		snprintf(err, errlen, "chroot directory: path too long");
		return -1;
	}
	strcpy(buf, path);
	for (p = buf + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST) {
			snprintf(err, errlen, "mkdir %s: %s", buf,
			    strerror(errno));
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* 1 if the directory fd holds nothing but . and .., 0 if not, -1. */
static int
dir_is_empty(int fd)
{
	struct dirent *de;
	DIR *d;
	int dfd, empty = 1;

	if ((dfd = dup(fd)) == -1)
		return -1;
	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			empty = 0;
			break;
		}
	}
	closedir(d);
	return empty;
}

/*
 * The gid as the only group, then gid, then uid (the uid last: without
 * root the others could not change), each real, effective and saved, so
 * that nothing can switch back.
 */
int
sandbox_setids(uid_t uid, gid_t gid, char *err, size_t errlen)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg, groups[2];
	int n;

	if (setgroups(1, &gid) == -1) {
		snprintf(err, errlen, "setgroups: %s", strerror(errno));
		return -1;
	}
	if (setresgid(gid, gid, gid) == -1) {
		snprintf(err, errlen, "setresgid: %s", strerror(errno));
		return -1;
	}
	if (setresuid(uid, uid, uid) == -1) {
		snprintf(err, errlen, "setresuid: %s", strerror(errno));
		return -1;
	}
	if (getresuid(&ru, &eu, &su) == -1 || getresgid(&rg, &eg, &sg) == -1 ||
	    ru != uid || eu != uid || su != uid ||
	    rg != gid || eg != gid || sg != gid) {
		snprintf(err, errlen, "the uid or gid change did not hold");
		return -1;
	}
	n = getgroups(2, groups);
	if (n < 0 || n > 1 || (n == 1 && groups[0] != gid)) {
		snprintf(err, errlen, "the group list did not change");
		return -1;
	}
	if (setuid(0) != -1 || setgid(0) != -1) {
		snprintf(err, errlen, "root is still reachable");
		return -1;
	}
	return 0;
}
