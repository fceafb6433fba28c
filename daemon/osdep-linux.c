/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * osdep.h on Linux.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "osdep.h"

int
osdep_peer_cred(int fd, uid_t *uid, pid_t *pid)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1)
		return -1;
	if (len != sizeof(uc)) {
		errno = EINVAL;
		return -1;
	}
	*uid = uc.uid;
	*pid = uc.pid;
	return 0;
}

int
osdep_no_core_dumps(char *err, size_t errlen)
{
	struct rlimit rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) == -1) {
		snprintf(err, errlen, "setrlimit RLIMIT_CORE: %s",
		    strerror(errno));
		return -1;
	}
	/*
	 * Also keeps a core_pattern pipe (systemd-coredump, apport) from
	 * collecting the process, which RLIMIT_CORE alone does not, and
	 * ptrace by other processes of the same uid.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
		snprintf(err, errlen, "prctl PR_SET_DUMPABLE: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}
