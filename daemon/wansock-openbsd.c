/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A tunnel's own sockets on OpenBSD (wansock.h): SO_RTABLE for
 * "rdomain", bind(2) for "local-address".  OpenBSD has no socket marks:
 * mark must be 0.  Written against sys/sys/socket.h (SO_RTABLE takes a
 * u_int; a table other than the process's own takes root) and never run
 * here: doc/pipex.md §7 says how OpenBSD code is checked.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wansock.h"

int
wansock_mark(int fd, uint32_t mark, char *err, size_t errlen)
{
	(void)fd;
	if (mark == 0)
		return 0;
	snprintf(err, errlen, "fwmark %u: OpenBSD has no socket marks "
	    "(rdomain instead)", mark);
	errno = EOPNOTSUPP;
	return -1;
}

static int
set_rtable(int fd, unsigned int rtable, char *err, size_t errlen)
{
	u_int id = rtable;

	/* 0: the daemon's own (route.h ROUTE_TABLE_DEFAULT). */
	if (rtable == 0)
		return 0;
	if (setsockopt(fd, SOL_SOCKET, SO_RTABLE, &id, sizeof(id)) == -1) {
		snprintf(err, errlen, "rdomain %u: %s", rtable,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
bind_local(int fd, struct in_addr local, char *err, size_t errlen)
{
	struct sockaddr_in sin;
	char a[INET_ADDRSTRLEN];

	if (local.s_addr == INADDR_ANY)
		return 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_addr = local;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		inet_ntop(AF_INET, &local, a, sizeof(a));
		if (errno == EADDRNOTAVAIL)
			snprintf(err, errlen, "local-address %s is not an "
			    "address of this host (in its rdomain)", a);
		else
			snprintf(err, errlen, "local-address %s: %s", a,
			    strerror(errno));
		return -1;
	}
	return 0;
}

/* The rtable comes first: bind(2) looks the address up in it. */
static int
wan_open(int type, int proto, uint32_t mark, unsigned int rtable,
    struct in_addr local, char *err, size_t errlen)
{
	int fd, saved;

	if (wansock_mark(-1, mark, err, errlen) == -1)
		return -1;
	if ((fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    proto)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (set_rtable(fd, rtable, err, errlen) == -1 ||
	    bind_local(fd, local, err, errlen) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int
wansock_tcp(uint32_t mark, unsigned int rtable, struct in_addr local,
    char *err, size_t errlen)
{
	return wan_open(SOCK_STREAM, 0, mark, rtable, local, err, errlen);
}

int
wansock_gre_needed(uint32_t mark, unsigned int rtable)
{
	(void)mark;
	return rtable != 0;
}

/*
 * Read as well as written: a raw socket sees only the packets of its own
 * rdomain, so the shared one never gets this tunnel's GRE.
 */
int
wansock_gre(uint32_t mark, unsigned int rtable, struct in_addr local,
    char *err, size_t errlen)
{
	return wan_open(SOCK_RAW, IPPROTO_GRE, mark, rtable, local, err,
	    errlen);
}
