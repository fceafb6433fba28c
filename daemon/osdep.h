/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The few process-level calls that differ between Linux and OpenBSD and
 * belong to no other per-OS module: one implementation file per system
 * (osdep-linux.c, osdep-openbsd.c).
 */
#ifndef PPTPC_OSDEP_H
#define PPTPC_OSDEP_H

#include <sys/types.h>

#include <stddef.h>

/*
 * Who is at the other end of a connected UNIX socket, as the kernel saw
 * it at connect(2): its effective uid, and its pid where the system tells
 * (-1 where it does not).  -1 with errno on failure.
 */
int	osdep_peer_cred(int fd, uid_t *uid, pid_t *pid);

/*
 * No core dump, ever: a crash must not write the password, MS-CHAP
 * hashes or MPPE keys to disk.  RLIMIT_CORE 0 everywhere, plus what the
 * system has to keep the process from being dumped or inspected by
 * ptrace under the same uid.  -1 with a message in err on failure.
 */
int	osdep_no_core_dumps(char *err, size_t errlen);

#endif /* PPTPC_OSDEP_H */
