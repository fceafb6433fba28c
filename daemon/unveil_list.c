/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The parent's unveil(2) list (unveil_list.h).  What the root parent
 * still opens by path once it runs, read from priv_run.c, priv_parent.c,
 * config.c, filecheck.c, script.c and tun-openbsd.c, with OpenBSD 7.3's
 * kern_unveil.c (rev. 1.55), kern_exec.c, exec_elf.c, uipc_usrreq.c and
 * vfs_syscalls.c for what each operation asks of unveil:
 *
 * "/" r	Every reload parses the configuration again: config.c's
 *		trust checks (filecheck_dirs()) stat(2) each directory from
 *		the file up to "/", and a stat of a directory needs "r" on
 *		that directory itself (unveil_check_final(), its "directory
 *		terminal component" case), so exact file names cannot carry
 *		a reload.  "r" everywhere also covers the configuration and
 *		password files, /etc/resolv.conf and /etc/hosts (the parent
 *		reads them for the engine), /etc/pwd.db and /var/empty (an
 *		engine started again after a crash is forked from this
 *		process and inherits its unveils until its pledge drops
 *		them) and /usr/libexec/ld.so (exec_elf.c looks a dynamic
 *		script interpreter's loader up with UNVEIL_READ).
 * the control socket rwc  A new engine unlinks a stale socket and binds
 *		(unp_bind(): UNVEIL_CREATE); the parent unlinks it at exit.
 * /tmp rwc	tmpfile(3): the configuration text and the resolver's files
 *		handed to the engine.
 * scripts rx	execve(2) needs UNVEIL_EXEC on the script, and on the
 *		interpreter of its "#!" line too (exec_script.c makes
 *		check_exec() look the interpreter up with the same
 *		UNVEIL_EXEC lookup); "r" for the trust check's stat.  After
 *		the execve the script runs unveiled no more: kern_exec.c
 *		drops the unveils of a process that has no exec pledge.
 * /dev/tunN rw	the configured interface, or tun0 upwards for "the first
 *		free one", as many as the kernel's name limit leaves.
 * /dev/pppx0..7 rw  when a tunnel may use pipex (offload pipex or auto,
 *		no rdomain): the parent opens the device of each pipex
 *		session for the pledged engine (priv_pipex.c), trying the
 *		units pipex_host-openbsd.c tries.
 *
 * Nothing else may be written, created or run.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "unveil_list.h"

#define TUN_FIRST_FREE_MAX	256	/* tun-openbsd.c's TUN_UNITS */
#define PPPX_UNITS		8	/* pipex_host-openbsd.c's PX_UNITS */

/* Whether the tunnel may ask the parent for a pipex session. */
static int
may_pipex(const struct tunnel_conf *tc)
{
	return (tc->offload == OFFLOAD_AUTO || tc->offload == OFFLOAD_PIPEX) &&
	    tc->rdomain == 0 && tc->iface_rdomain == 0;
}

static int
add(struct unveil_list *l, const char *path, const char *perm)
{
	struct unveil_path *np;
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->p[i].path, path) != 0)
			continue;
		/* The same path twice: the union of the permissions. */
		for (j = 0; perm[j] != '\0'; j++)
			if (strchr(l->p[i].perm, perm[j]) == NULL &&
			    strlen(l->p[i].perm) < sizeof(l->p[i].perm) - 1)
				strncat(l->p[i].perm, &perm[j], 1);
		return 0;
	}
	if (l->n == l->cap) {
		if ((np = reallocarray(l->p, l->cap ? l->cap * 2 : 16,
		    sizeof(*np))) == NULL)
			return -1;
		l->p = np;
		l->cap = l->cap ? l->cap * 2 : 16;
	}
	if ((l->p[l->n].path = strdup(path)) == NULL)
		return -1;
	snprintf(l->p[l->n].perm, sizeof(l->p[l->n].perm), "%s", perm);
	l->n++;
	return 0;
}

static const struct unveil_path *
find(const struct unveil_list *l, const char *path)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->p[i].path, path) == 0)
			return &l->p[i];
	return NULL;
}

/*
 * The interpreter a "#!" script names, into interp; 0 if it names one,
 * -1 if the file cannot be read or is no such script (then execve needs
 * nothing more than the file itself).
 */
static int
script_interp(const char *path, char *interp, size_t len)
{
	char buf[PATH_MAX + 3];
	ssize_t n;
	size_t i, k;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 3 || buf[0] != '#' || buf[1] != '!')
		return -1;
	buf[n] = '\0';
	for (i = 2; buf[i] == ' ' || buf[i] == '\t'; i++)
		;
	for (k = i; buf[k] != '\0' && buf[k] != ' ' && buf[k] != '\t' &&
	    buf[k] != '\n'; k++)
		;
	if (buf[i] != '/' || k - i >= len)
		return -1;
	memcpy(interp, buf + i, k - i);
	interp[k - i] = '\0';
	return 0;
}

static int
add_script(struct unveil_list *l, const char *path)
{
	char interp[PATH_MAX];

	if (path == NULL)
		return 0;
	if (add(l, path, "rx") == -1)
		return -1;
	if (script_interp(path, interp, sizeof(interp)) == 0 &&
	    add(l, interp, "rx") == -1)
		return -1;
	return 0;
}

/* "/" and "/tmp" are directories; every other entry is a name. */
static size_t
names(const struct unveil_list *l)
{
	size_t i, k = 0;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->p[i].path, "/") != 0 &&
		    strcmp(l->p[i].path, "/tmp") != 0)
			k++;
	return k;
}

int
unveil_list_build(struct unveil_list *l, const struct config *conf,
    const char *sockpath, char *err, size_t errlen)
{
	const struct tunnel_conf *tc;
	char dev[PATH_MAX];
	size_t i, room;
	int first_free = 0, pipex = 0;

	memset(l, 0, sizeof(*l));
	if (add(l, "/", "r") == -1 || add(l, sockpath, "rwc") == -1 ||
	    add(l, "/tmp", "rwc") == -1)
		goto nomem;
	TAILQ_FOREACH(tc, &conf->tunnels, entry) {
		if (add_script(l, tc->up_script) == -1 ||
		    add_script(l, tc->down_script) == -1)
			goto nomem;
		if (may_pipex(tc))
			pipex = 1;
		if (tc->interface[0] == '\0') {
			first_free = 1;
			continue;
		}
		snprintf(dev, sizeof(dev), "/dev/%s", tc->interface);
		if (add(l, dev, "rw") == -1)
			goto nomem;
	}
	for (i = 0; pipex && i < PPPX_UNITS; i++) {
		snprintf(dev, sizeof(dev), "/dev/pppx%zu", i);
		if (add(l, dev, "rw") == -1)
			goto nomem;
	}
	if (names(l) > UNVEIL_NAMES_MAX) {
		snprintf(err, errlen, "%zu paths to unveil, more than the "
		    "kernel's %d", names(l), UNVEIL_NAMES_MAX);
		unveil_list_free(l);
		return -1;
	}
	if (first_free) {
		room = UNVEIL_NAMES_MAX - names(l);
		for (i = 0; i < room && i < TUN_FIRST_FREE_MAX; i++) {
			snprintf(dev, sizeof(dev), "/dev/tun%zu", i);
			if (add(l, dev, "rw") == -1)
				goto nomem;
		}
	}
	return 0;
nomem:
	snprintf(err, errlen, "unveil list: %s", strerror(ENOMEM));
	unveil_list_free(l);
	return -1;
}

static int
allowed(const struct unveil_list *l, const char *path, int perm)
{
	const struct unveil_path *p;

	return (p = find(l, path)) != NULL && strchr(p->perm, perm) != NULL;
}

static int
script_allowed(const struct unveil_list *l, const struct tunnel_conf *tc,
    const char *what, const char *path, char *err, size_t errlen)
{
	char interp[PATH_MAX];

	if (path == NULL)
		return 0;
	if (!allowed(l, path, 'x')) {
		snprintf(err, errlen, "tunnel %s: %s %s was not in the "
		    "configuration pptpcd started with, and unveil(2) lets "
		    "it run only those: restart pptpcd to use it", tc->name,
		    what, path);
		return -1;
	}
	if (script_interp(path, interp, sizeof(interp)) == 0 &&
	    !allowed(l, interp, 'x')) {
		snprintf(err, errlen, "tunnel %s: %s %s now runs through %s, "
		    "which unveil(2) did not allow when pptpcd started: "
		    "restart pptpcd", tc->name, what, path, interp);
		return -1;
	}
	return 0;
}

int
unveil_list_allows(const struct unveil_list *l, const struct config *conf,
    char *err, size_t errlen)
{
	const struct tunnel_conf *tc;
	char dev[PATH_MAX];

	if (!l->applied)
		return 0;
	TAILQ_FOREACH(tc, &conf->tunnels, entry) {
		if (script_allowed(l, tc, "up-script", tc->up_script, err,
		    errlen) == -1 ||
		    script_allowed(l, tc, "down-script", tc->down_script,
		    err, errlen) == -1)
			return -1;
		/* Under auto, a missing pppx falls back to userspace. */
		if (tc->offload == OFFLOAD_PIPEX && may_pipex(tc) &&
		    !allowed(l, "/dev/pppx0", 'w')) {
			snprintf(err, errlen, "tunnel %s: /dev/pppxN was not "
			    "unveiled when pptpcd started (no tunnel could use "
			    "pipex then): restart pptpcd to use pipex",
			    tc->name);
			return -1;
		}
		snprintf(dev, sizeof(dev), "/dev/%s", tc->interface[0] != '\0' ?
		    tc->interface : "tun0");
		if (!allowed(l, dev, 'w')) {
			snprintf(err, errlen, "tunnel %s: %s was not unveiled "
			    "when pptpcd started (unveil(2)): restart pptpcd "
			    "to use it", tc->name, dev);
			return -1;
		}
	}
	return 0;
}

void
unveil_list_free(struct unveil_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->p[i].path);
	free(l->p);
	memset(l, 0, sizeof(*l));
}
