/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The service manager's readiness and watchdog protocol (systemd's
 * sd_notify(3), spoken directly: one datagram of "KEY=VALUE" lines to the
 * AF_UNIX socket named by $NOTIFY_SOCKET), so that the unit can be
 * Type=notify with a watchdog without linking libsystemd.  Where the
 * variable is unset (not under systemd, OpenBSD) every call does nothing.
 */
#ifndef PPTPC_SDNOTIFY_H
#define PPTPC_SDNOTIFY_H

#include <stdint.h>

struct sdnotify {
	char		 path[108];	/* sun_path; "" when not notifying */
	int		 fd;
	uint64_t	 watchdog_ms;	/* 0: no watchdog asked for */
};

/*
 * Reads $NOTIFY_SOCKET and $WATCHDOG_USEC (honoured only when
 * $WATCHDOG_PID is unset or ours) and unsets them, so that scripts pptpcd
 * runs do not inherit them.  0, or -1 with why logged (a path too long,
 * no socket): the daemon runs on without notifying.
 */
int	sdnotify_init(struct sdnotify *);
/* Sends text (e.g. "READY=1\nSTATUS=3 tunnels"); a failure is logged once. */
void	sdnotify_send(struct sdnotify *, const char *text);
void	sdnotify_close(struct sdnotify *);

#endif /* PPTPC_SDNOTIFY_H */
