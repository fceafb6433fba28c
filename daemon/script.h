/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * up/down scripts.
 *
 * A script is run directly with execve(2), never through a shell, with
 * stdin from /dev/null, every descriptor above stderr closed, a minimal
 * PATH and the tunnel's facts in its environment:
 *	TUNNEL INTERFACE LOCAL_IP PEER_IP DNS1 DNS2 MTU
 * (DNS1/DNS2 are empty when the server sent none).  It runs in a process
 * group of its own, so that at the timeout (SIGTERM, then SIGKILL after a
 * grace period) whatever it started goes too.
 *
 * The daemon is never blocked by a script.  script_start() returns once the
 * exec has succeeded or failed (a close-on-exec pipe tells which, so a
 * missing or non-executable script is an error right there, with its
 * errno).  The timeout rides on timer.h.  Reaping is driven by the daemon:
 * on SIGCHLD (a libevent signal event in pptpcd) it calls script_reap()
 * for each script it has started; script_reap() only ever waits for its
 * own pid, so it cannot steal another child's status, and calling it when
 * nothing has exited is harmless.
 */
#ifndef PPTPC_SCRIPT_H
#define PPTPC_SCRIPT_H

#include <sys/types.h>
#include <netinet/in.h>
#include <limits.h>
#include <stddef.h>

#include "timer.h"

#define SCRIPT_TIMEOUT_MS	30000
#define SCRIPT_GRACE_MS		2000	/* between SIGTERM and SIGKILL */
#define SCRIPT_PATH		"/usr/sbin:/usr/bin:/sbin:/bin"

struct script_env {
	const char	*tunnel;
	const char	*interface;
	struct in_addr	 local;
	struct in_addr	 peer;
	struct in_addr	 dns1;		/* INADDR_ANY: none */
	struct in_addr	 dns2;
	unsigned int	 mtu;
	const char	*local6;	/* link-local addresses; NULL or "": */
	const char	*peer6;		/* none (no IPv6CP) */
};

struct script {
	char		 tunnel[32];
	char		 what[16];		/* "up-script", for log lines */
	char		*path;			/* the last started; NULL: none */
	pid_t		 pid;			/* -1 when none is running */
	int		 remote;		/* the parent runs it (priv.h) */
	int		 signalled;		/* 0, SIGTERM or SIGKILL sent */
	struct timer	 timer;
	void		(*done)(void *, int status);
	void		*arg;
};

void	script_init(struct script *, struct timer_base *, const char *tunnel);
/*
 * Starts path (absolute) with env; what ("up-script") names it in logs.
 * done(arg, wait status) is called from script_reap() when it has ended.
 * Returns 0, or -1 with errno and err filled: EBUSY if this script is
 * still running, else why the exec failed.
 */
int	script_start(struct script *, const char *what, const char *path,
	    const struct script_env *, void (*done)(void *, int), void *arg,
	    char *err, size_t errlen);
/* Reaps the script if it has ended: returns 1 then (after done()), else 0. */
int	script_reap(struct script *);
int	script_running(const struct script *);
/* Separated: the parent says the script it ran for us has ended. */
void	script_remote_done(struct script *, int status);
/* Kills a running script and waits for it, without done(); frees the timer. */
void	script_free(struct script *);

#endif /* PPTPC_SCRIPT_H */
