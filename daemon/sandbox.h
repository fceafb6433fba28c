/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The engine's sandbox and the parent's own restrictions, one file per
 * system (sandbox-linux.c, sandbox-openbsd.c).
 *
 * The engine (the process that parses the network's bytes) enters its
 * sandbox once, after the parent has passed it every descriptor that
 * needs privilege and before it reads a byte from the network: from then
 * on it runs as SANDBOX_USER, chrooted into an empty root-owned
 * directory, with no capabilities and, on Linux, under a seccomp-BPF
 * allow-list (pledge(2) on OpenBSD).  What it may still do, and why, is
 * written next to each rule in the per-system files.
 */
#ifndef PPTPC_SANDBOX_H
#define PPTPC_SANDBOX_H

#include <stddef.h>

/*
 * The engine's user, named in one place: OpenBSD's convention is a
 * leading underscore for daemon users (_ntp, _bgpd); Linux's is none.
 * make install and the Debian package create it.
 */
#ifdef __OpenBSD__
#define SANDBOX_USER		"_pptpc"
#define SANDBOX_CHROOT_DIR	"/var/empty"
#define SANDBOX_USERADD		"useradd -L daemon -g =uid -d /var/empty " \
				"-s /sbin/nologin -c \"pptpcd engine\""
#else
#define SANDBOX_USER		"pptpc"
#define SANDBOX_CHROOT_DIR	"/var/lib/pptpcd/empty"
#define SANDBOX_USERADD		"useradd --system --no-create-home " \
				"--home-dir /nonexistent --shell /usr/sbin/nologin"
#endif

/*
 * Enters the engine's sandbox: looks up user (SANDBOX_USER in the
 * daemon), checks chroot_dir (created root-owned 0755 if missing; refused
 * when not a directory, not owned by root, writable by group or others,
 * or not empty), chroots into it, takes the user's uid and gid and only
 * its gid as groups, drops every capability and, on Linux, installs the
 * seccomp filter; on OpenBSD it unveils nothing and pledges.  Call it in
 * the engine before it makes a thread.  0, or -1 with a message in err
 * (the process is then half-way: the caller must exit).
 */
int	sandbox_engine_enter(const char *user, const char *chroot_dir,
	    char *err, size_t errlen);

/*
 * The parent's own restrictions, once it has started the engine.  For
 * now nothing on either system: the parent creates interfaces, routes and
 * nf_tables tables, makes pipex sessions and runs the up/down scripts as
 * root, so a seccomp list for it would be most of the kernel,
 * PR_SET_NO_NEW_PRIVS would break scripts that use sudo, and pledge(2)
 * has no promise for SIOCSIFFLAGS, the pipex ioctls or routing sockets
 * (sandbox-openbsd.c); the systemd unit narrows it instead
 * (etc/pptpcd.service), and on OpenBSD unveil(2) (unveil_list.h, applied
 * by priv_run.c after this call: it needs the configuration).  Call it
 * all the same, so that what fits later lands in one place.  0, or -1
 * with a message in err.
 */
int	sandbox_parent_enter(char *err, size_t errlen);

#ifdef PPTPC_TEST_HOOKS
/*
 * Test builds only (build/san/, unit tests): makes one system call that
 * no sandbox allows, so that a test can see the engine die of it
 * (SIGSYS on Linux, SIGABRT on OpenBSD).  Returns only outside a
 * sandbox.
 */
void	sandbox_test_forbidden(void);

/*
 * Test builds only: 1 once this process has entered the engine's
 * sandbox.  LeakSanitizer's exit-time check needs ptrace and a new
 * process, which the sandbox forbids, so tests/lib/sanitizer_defaults.c
 * turns it off in the engine (the parent still runs it).
 */
int	sandbox_test_entered(void);
#endif

#endif /* PPTPC_SANDBOX_H */
