/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A tunnel's own sockets on Linux (wansock.h): SO_MARK for "fwmark",
 * bind(2) for "local-address".  Linux has no rtables: rtable must be 0.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <linux/filter.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wansock.h"

int
wansock_mark(int fd, uint32_t mark, char *err, size_t errlen)
{
	if (mark == 0)
		return 0;
	if (setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) == -1) {
		snprintf(err, errlen, "fwmark %u: %s%s", mark, strerror(errno),
		    errno == EPERM ? " (it takes CAP_NET_ADMIN)" : "");
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
	sin.sin_family = AF_INET;
	sin.sin_addr = local;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		inet_ntop(AF_INET, &local, a, sizeof(a));
		if (errno == EADDRNOTAVAIL)
			snprintf(err, errlen, "local-address %s is not an "
			    "address of this host", a);
		else
			snprintf(err, errlen, "local-address %s: %s", a,
			    strerror(errno));
		return -1;
	}
	return 0;
}

/* The socket, marked and bound; -1 with errno kept for the caller. */
static int
wan_open(int type, int proto, uint32_t mark, unsigned int rtable,
    struct in_addr local, char *err, size_t errlen)
{
	int fd, saved;

	if (rtable != 0) {
		snprintf(err, errlen, "rdomain %u: Linux has no routing "
		    "domains (fwmark and table instead)", rtable);
		errno = EOPNOTSUPP;
		return -1;
	}
	if ((fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    proto)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (wansock_mark(fd, mark, err, errlen) == -1 ||
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
	(void)rtable;
	return mark != 0;
}

int
wansock_gre(uint32_t mark, unsigned int rtable, struct in_addr local,
    char *err, size_t errlen)
{
	/* "ret #0": accept nothing.  The shared socket reads every GRE. */
	struct sock_filter drop[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog prog = { 1, drop };
	int fd, saved;

	if ((fd = wan_open(SOCK_RAW, IPPROTO_GRE, mark, rtable, local, err,
	    errlen)) == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog)) == -1) {
		saved = errno;
		snprintf(err, errlen, "GRE socket: filter: %s",
		    strerror(saved));
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}
