/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The per-OS process calls (osdep.h): core dumps off, and the peer
 * credentials of a UNIX socket.  Core dumps are turned off in a child,
 * so that the test program itself stays as it was.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <atf-c.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "osdep.h"

ATF_TC_WITHOUT_HEAD(no_core_dumps);
ATF_TC_BODY(no_core_dumps, tc)
{
	struct rlimit rl;
	char err[256];
	pid_t pid;
	int st;

	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		if (osdep_no_core_dumps(err, sizeof(err)) == -1)
			_exit(10);
		if (getrlimit(RLIMIT_CORE, &rl) == -1 || rl.rlim_cur != 0 ||
		    rl.rlim_max != 0)
			_exit(11);
#ifdef __linux__
		/* Also what a core_pattern pipe (systemd-coredump) obeys. */
		if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
			_exit(12);
#endif
		/* A crash now: the kernel must not report a core dump. */
		signal(SIGABRT, SIG_DFL);
		abort();
	}
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_REQUIRE_MSG(WIFSIGNALED(st), "child exited %d", WEXITSTATUS(st));
	ATF_CHECK_EQ(WTERMSIG(st), SIGABRT);
	ATF_CHECK(!WCOREDUMP(st));
}

ATF_TC_WITHOUT_HEAD(peer_cred);
ATF_TC_BODY(peer_cred, tc)
{
	uid_t uid = (uid_t)-1;
	pid_t pid = 0;
	int sv[2];

	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	ATF_REQUIRE(osdep_peer_cred(sv[0], &uid, &pid) == 0);
	ATF_CHECK_EQ(uid, geteuid());
	ATF_CHECK_EQ(pid, getpid());
	close(sv[0]);
	close(sv[1]);
	/* Not a socket: an error, not made-up credentials. */
	ATF_REQUIRE((sv[0] = open("/dev/null", O_RDONLY)) != -1);
	ATF_CHECK(osdep_peer_cred(sv[0], &uid, &pid) == -1);
	close(sv[0]);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, no_core_dumps);
	ATF_TP_ADD_TC(tp, peer_cred);
	return atf_no_error();
}
