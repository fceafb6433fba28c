/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * osdep.h on OpenBSD.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "osdep.h"

int
osdep_peer_cred(int fd, uid_t *uid, pid_t *pid)
{
	struct sockpeercred pc;
	socklen_t len = sizeof(pc);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &pc, &len) == -1)
		return -1;
	if (len != sizeof(pc)) {
		errno = EINVAL;
		return -1;
	}
	*uid = pc.uid;
	*pid = pc.pid;
	return 0;
}

int
osdep_no_core_dumps(char *err, size_t errlen)
{
	struct rlimit rl = { 0, 0 };

	/*
	 * OpenBSD never dumps a process that changed its ids, and
	 * kern.nosuidcoredump covers the rest; the limit is what the
	 * daemon itself can say.
	 */
	if (setrlimit(RLIMIT_CORE, &rl) == -1) {
		snprintf(err, errlen, "setrlimit RLIMIT_CORE: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}
