/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * sandbox.h on OpenBSD: the engine chroots into an empty directory,
 * becomes _pptpc and pledges; the parent stays as it is (below, why).
 *
 * The promises were read against sys/kern/kern_pledge.c (rev. 1.333,
 * and again against OpenBSD 7.3's rev. 1.304, whose headers check-openbsd
 * compiles with) and pledge(2), not guessed: what each one lets through
 * is written where it is asked for.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "route.h"
#include "sandbox.h"
#include "sandbox_local.h"

#ifdef PPTPC_TEST_HOOKS
/* Test builds only: whether this process is in the sandbox. */
static int	 test_entered;
#endif

/*
 * stdio	read/write/readv/writev on the descriptors it holds (tun,
 *		GRE, TCP, the parent's socket), recvmsg/recvmmsg,
 *		sendmsg/sendmmsg, kqueue/kevent (libevent), clock_gettime,
 *		getentropy (arc4random), mmap without PROT_EXEC (malloc),
 *		__tfork and the thread calls (daemon/fdcloser.c), kill of
 *		itself only, FIONREAD/FIONBIO ioctls.
 * inet		socket/connect/bind for AF_INET and AF_INET6: the PPTP
 *		control connection and DNS over UDP (libevent's evdns makes
 *		plain UDP sockets, not the libc resolver's, so "dns" is not
 *		needed); sendto with an address; the setsockopt list
 *		pledge_sockopt() keeps (SO_*, TCP_NODELAY, IP_TOS ...);
 *		accept4 on a control socket the parent passed.
 * route	sysctl NET_RT_DUMP, NET_RT_TABLE and NET_RT_IFLIST
 *		(getifaddrs, if_nametoindex) and the SIOCGIF* reads: the
 *		route and address look-ups the engine makes.  Not a routing
 *		socket: pledge_socket() refuses AF_ROUTE under any promise
 *		(and kills), so RTM_GET (kroute_get(), kroute_match()) goes
 *		through the one kroute_keep_socket() opens before the
 *		pledge; reading and writing it is "stdio".
 * recvfd	descriptors from the parent: sockets and device vnodes
 *		(tun, pppx), never directories (pledge_recvfd()).
 *
 * Not asked for: rpath/wpath/cpath (no file is opened after the
 * sandbox), unix (the parent's socket exists already; accept4 on the
 * control socket needs "inet" or "unix" in pledge_syscalls[] and
 * doaccept() checks no domain), proc/exec, id, wroute (SO_RTABLE is
 * set by the parent, wansock-openbsd.c), prot_exec.  The pipex ioctls
 * (PIPEXASESSION, PIPEXGSTAT ...), IP_PIPEX and sysctl net.pipex are in
 * no promise's list (pledge_ioctl(), pledge_sockopt(), pledge_sysctl()):
 * the parent does them (priv_pipex.c, PRIV_PIPEX_*) and keeps
 * /dev/pppxN; the engine only reads and writes the raw GRE socket with
 * IP_PIPEX it is given ("stdio", "inet" for sendto).
 *
 * No unveil(2): a pledge without any path promise makes sys_pledge()
 * drop every unveil, and pledge_namei() then refuses every path but the
 * few it always allows (/etc/localtime, /usr/share/zoneinfo, /dev/null),
 * which the empty chroot does not have.
 */
#define ENGINE_PROMISES	"stdio inet route recvfd"

int
sandbox_engine_enter(const char *user, const char *chroot_dir, char *err,
    size_t errlen)
{
	uid_t uid;
	gid_t gid;

	/*
	 * The routing socket for route look-ups, while it can still be
	 * made: pledge_socket() refuses AF_ROUTE under any promise.
	 */
	if (kroute_keep_socket(err, errlen) == -1)
		return -1;
	if (sandbox_user(user, &uid, &gid, err, errlen) == -1 ||
	    sandbox_chroot(chroot_dir, err, errlen) == -1 ||
	    sandbox_setids(uid, gid, err, errlen) == -1)
		return -1;
	/* execpromises "": an execve, were it allowed, would get nothing. */
	if (pledge(ENGINE_PROMISES, "") == -1) {
		snprintf(err, errlen, "pledge: %s", strerror(errno));
		return -1;
	}
#ifdef PPTPC_TEST_HOOKS
	test_entered = 1;
#endif
	return 0;
}

/*
 * The parent is not pledged.  It sets interface flags (SIOCSIFFLAGS),
 * which pledge_ioctl() allows under no promise, makes pipex sessions
 * (PIPEX* ioctls, likewise), opens routing sockets (pledge_socket()
 * refuses AF_ROUTE), opens the configured password files and tun
 * devices at any path, and runs the configured scripts.  A pledge that
 * allowed all of it would allow nearly everything; the engine is where
 * the hostile bytes are, and it is the one pledged.  What narrows the
 * parent is unveil(2): priv_run.c applies unveil_list.c's list after
 * this call.
 */
int
sandbox_parent_enter(char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return 0;
}

#ifdef PPTPC_TEST_HOOKS
void
sandbox_test_forbidden(void)
{
	/*
	 * getcwd needs rpath or wpath (pledge_syscalls[]): the engine,
	 * without them, is killed with SIGABRT.  Outside a pledge it just
	 * works.
	 */
	char buf[64];

	(void)getcwd(buf, sizeof(buf));
}

int
sandbox_test_entered(void)
{
	return test_entered;
}
#endif
