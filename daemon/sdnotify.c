/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * sd_notify(3) without libsystemd (sdnotify.h).  The protocol is one
 * datagram per message; a path starting with "@" is in the abstract
 * namespace (a NUL first byte).
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sdnotify.h"

/* The watchdog is answered this often: twice per period, as advised. */
static uint64_t
watchdog_from_env(void)
{
	const char *usec = getenv("WATCHDOG_USEC"), *pid;
	unsigned long long v;
	char *end;

	if (usec == NULL)
		return 0;
	pid = getenv("WATCHDOG_PID");
	if (pid != NULL && strtol(pid, NULL, 10) != (long)getpid())
		return 0;
	errno = 0;
	v = strtoull(usec, &end, 10);
	if (errno != 0 || *end != '\0' || v < 2000) {
		log_warnx("WATCHDOG_USEC=\"%s\" is not a period of 2 ms or "
		    "more; no watchdog", usec);
		return 0;
	}
	return v / 1000 / 2;
}

int
sdnotify_init(struct sdnotify *n)
{
	const char *path = getenv("NOTIFY_SOCKET");

	memset(n, 0, sizeof(*n));
	n->fd = -1;
	if (path == NULL || path[0] == '\0')
		goto done;
	if (path[0] != '/' && path[0] != '@') {
		log_warnx("NOTIFY_SOCKET=\"%s\" is neither a path nor an "
		    "abstract name; not notifying", path);
		goto done;
	}
	if (strlen(path) >= sizeof(n->path)) {
		log_warnx("NOTIFY_SOCKET is longer than %zu bytes; not "
		    "notifying", sizeof(n->path) - 1);
		goto done;
	}
	if ((n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("NOTIFY_SOCKET: socket");
		goto done;
	}
	snprintf(n->path, sizeof(n->path), "%s", path);
	n->watchdog_ms = watchdog_from_env();
done:
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	return n->fd == -1 && path != NULL && path[0] != '\0' ? -1 : 0;
}

void
sdnotify_send(struct sdnotify *n, const char *text)
{
	struct sockaddr_un sun;
	socklen_t len;

	if (n->fd == -1)
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, n->path, strlen(n->path));
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(n->path));
	if (sun.sun_path[0] == '@')
		sun.sun_path[0] = '\0';
	else
		len++;		/* the path's NUL */
	if (sendto(n->fd, text, strlen(text), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len) == -1) {
		log_warn("NOTIFY_SOCKET %s: cannot notify; giving up", n->path);
		sdnotify_close(n);
	}
}

void
sdnotify_close(struct sdnotify *n)
{
	if (n->fd != -1)
		close(n->fd);
	n->fd = -1;
	n->watchdog_ms = 0;
}
