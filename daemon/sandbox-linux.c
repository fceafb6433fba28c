/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * sandbox.h on Linux: an empty chroot, an unprivileged uid and gid with
 * no capabilities, PR_SET_NO_NEW_PRIVS, and a seccomp-BPF allow-list
 * (libseccomp) that kills the whole process on anything else, so that
 * the parent sees the engine die of SIGSYS and says so.
 *
 * The allow-list is what the engine did under strace -f in an e2e run
 * (connect, traffic, DNS, reload, disconnect, redial), less what the
 * parent does for it: opening /dev/net/tun and /dev/ppp, TUNSETIFF, raw
 * and AF_PPPOX sockets, SO_*BUFFORCE, netlink writes, nf_tables,
 * scripts.  HACKING.md says how to redo that when the engine changes.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/ppp-ioctl.h>
#include <linux/sockios.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"
#include "sandbox_local.h"

#ifdef PPTPC_TEST_HOOKS
/* Test builds only: whether this process is in the sandbox. */
static int	 test_entered;
#endif

#ifndef SIOCGPPPSTATS
#define SIOCGPPPSTATS	(SIOCDEVPRIVATE + 0)
#endif

/* The syscall number that stands for "none on this architecture". */
#define NO_SYSCALL(nr)	((nr) < 0)

static int	 single_threaded(char *, size_t);
static int	 drop_capabilities(char *, size_t);
static int	 clear_capabilities(char *, size_t);
static int	 seccomp_install(char *, size_t);

int
sandbox_engine_enter(const char *user, const char *chroot_dir, char *err,
    size_t errlen)
{
	uid_t uid;
	gid_t gid;

	if (single_threaded(err, errlen) == -1 ||
	    sandbox_user(user, &uid, &gid, err, errlen) == -1 ||
	    sandbox_chroot(chroot_dir, err, errlen) == -1)
		return -1;
	/*
	 * The bounding and ambient sets go while we are still root:
	 * PR_CAPBSET_DROP needs CAP_SETPCAP, which the uid change takes.
	 */
	if (drop_capabilities(err, errlen) == -1 ||
	    sandbox_setids(uid, gid, err, errlen) == -1 ||
	    clear_capabilities(err, errlen) == -1)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return -1;
	}
	/* Nothing of the same uid may ptrace it or read its memory. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
		snprintf(err, errlen, "PR_SET_DUMPABLE: %s", strerror(errno));
		return -1;
	}
	if (seccomp_install(err, errlen) == -1)
		return -1;
#ifdef PPTPC_TEST_HOOKS
	test_entered = 1;
#endif
	return 0;
}

int
sandbox_parent_enter(char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return 0;
}

/*
 * Capabilities and the bounding set belong to a thread, not to the
 * process: a thread started before the sandbox would keep its own, so
 * the engine must enter it alone (glibc changes the uids of every
 * thread, and the seccomp filter is synchronised to all of them, but
 * the capabilities would stay).  Read before the chroot hides /proc.
 */
static int
single_threaded(char *err, size_t errlen)
{
	char buf[512], *p;
	long n = 0;
	ssize_t len;
	int fd;

	if ((fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC)) == -1) {
		/* No /proc (a bare container): a check for our own bugs. */
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "/proc/self/stat: %s", strerror(errno));
		return -1;
	}
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0) {
		snprintf(err, errlen, "/proc/self/stat: cannot read it");
		return -1;
	}
	buf[len] = '\0';
	/* Field 20, num_threads, counted after the ")" that ends comm. */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 1,
	    " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
	    "%*d %*d %ld", &n) != 1)
		n = 0;
	if (n != 1) {
		snprintf(err, errlen, "the engine must enter its sandbox "
		    "before it starts a thread (it has %ld)", n);
		return -1;
	}
	return 0;
}

/*
 * The bounding set as far as we may (it needs CAP_SETPCAP, which a
 * systemd unit's CapabilityBoundingSet may already have taken: the set
 * is then the unit's, and no execve can use it, see the filter), and the
 * ambient set, which would otherwise survive the uid change.
 */
static int
drop_capabilities(char *err, size_t errlen)
{
	int cap;

	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1 &&
		    errno != EPERM) {
			snprintf(err, errlen, "PR_CAPBSET_DROP %d: %s", cap,
			    strerror(errno));
			return -1;
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL) {
		snprintf(err, errlen, "PR_CAP_AMBIENT_CLEAR_ALL: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Every capability set to zero and checked: the kernel clears the
 * permitted and effective sets when the uid leaves 0, but not the
 * inheritable one.
 */
static int
clear_capabilities(char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	int i;

	memset(&hdr, 0, sizeof(hdr));
	memset(data, 0, sizeof(data));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capset, &hdr, data) == -1) {
		snprintf(err, errlen, "capset: %s", strerror(errno));
		return -1;
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &hdr, data) == -1) {
		snprintf(err, errlen, "capget: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
		if (data[i].effective || data[i].permitted ||
		    data[i].inheritable) {
			snprintf(err, errlen, "capabilities remain");
			return -1;
		}
	}
	return 0;
}

/* A syscall the engine makes freely. */
static const int allowed[] = {
	/*
	 * Memory: malloc (brk, mmap), free (munmap, madvise), realloc
	 * (mremap), OpenSSL and libevent through them.  mmap and mprotect
	 * are further down: they must not make memory executable.
	 */
	SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap),
	SCMP_SYS(madvise),
	/* Time: timers, log time stamps, libevent's clock. */
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres),
	SCMP_SYS(gettimeofday), SCMP_SYS(time), SCMP_SYS(nanosleep),
	SCMP_SYS(clock_nanosleep),
	/* The event loop (libevent's epoll backend and its wake-ups). */
	SCMP_SYS(epoll_create1), SCMP_SYS(epoll_ctl), SCMP_SYS(epoll_wait),
	SCMP_SYS(epoll_pwait), SCMP_SYS(epoll_pwait2), SCMP_SYS(poll),
	SCMP_SYS(ppoll), SCMP_SYS(eventfd2), SCMP_SYS(pipe2),
	SCMP_SYS(timerfd_create), SCMP_SYS(timerfd_settime),
	/* Descriptors it holds: tun, GRE, TCP, control, the parent's. */
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(close), SCMP_SYS(fcntl), SCMP_SYS(fstat),
	SCMP_SYS(newfstatat), SCMP_SYS(statx), SCMP_SYS(lseek),
	/*
	 * Sockets it has or makes (socket() itself is filtered below):
	 * the PPTP control connection, the raw GRE socket the parent
	 * passed, DNS over UDP, netlink reads, descriptors from the
	 * parent (recvmsg with SCM_RIGHTS), control clients (accept4).
	 * Netlink writes are refused by the kernel: rtnetlink checks
	 * CAP_NET_ADMIN of the sender, which the engine has not.
	 */
	SCMP_SYS(connect), SCMP_SYS(bind), SCMP_SYS(accept4),
	SCMP_SYS(getsockname), SCMP_SYS(getpeername), SCMP_SYS(getsockopt),
	SCMP_SYS(setsockopt), SCMP_SYS(shutdown),
	SCMP_SYS(sendto), SCMP_SYS(sendmsg), SCMP_SYS(sendmmsg),
	SCMP_SYS(recvfrom), SCMP_SYS(recvmsg), SCMP_SYS(recvmmsg),
	/* Signals through libevent; abort() on itself (tgkill, below). */
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(sigaltstack),
	SCMP_SYS(restart_syscall),
	/*
	 * Threads (daemon/fdcloser.c): the new thread's start-up, locks,
	 * and its end.  clone itself is filtered below.
	 */
	SCMP_SYS(futex), SCMP_SYS(set_robust_list), SCMP_SYS(rseq),
	SCMP_SYS(set_tid_address), SCMP_SYS(sched_yield),
	SCMP_SYS(sched_getaffinity), SCMP_SYS(exit), SCMP_SYS(exit_group),
	/* Who it is, for logs and checks; nothing to change. */
	SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getppid),
	SCMP_SYS(getuid), SCMP_SYS(geteuid), SCMP_SYS(getgid),
	SCMP_SYS(getegid), SCMP_SYS(getresuid), SCMP_SYS(getresgid),
	SCMP_SYS(getrandom), SCMP_SYS(uname),
};

/*
 * Calls glibc makes on its own, that would find nothing in the empty
 * chroot anyway: refused with an error instead of killing, so that a
 * library's optional attempt does not end the engine.  vsyslog's
 * localtime opens /etc/localtime and reconnects /dev/log over AF_UNIX
 * (socket, below); OpenSSL may open its configuration; a sanitizer
 * report opens /proc/self/maps.
 */
static const int refused[] = {
	SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(openat2),
	SCMP_SYS(access), SCMP_SYS(faccessat), SCMP_SYS(faccessat2),
	SCMP_SYS(readlink), SCMP_SYS(readlinkat),
};

/*
 * ioctl requests: FIONREAD (libevent sizes its reads with it), FIONBIO,
 * SIOCGIFINDEX and SIOCGIFNAME (glibc's if_nametoindex and
 * if_indextoname, for route reads), and those the Linux kernel engine
 * makes on the /dev/ppp and AF_PPPOX descriptors the parent passed
 * (kernel-glue/kernel-linux.c); not PPPIOCGCHAN and PPPIOCATTCHAN: the
 * parent reads the channel from the socket and attaches it itself
 * (priv_ppp_attchan()).  TUNGETIFF and TUNSETOFFLOAD: the
 * userspace engine turns the tun's offloads on and off on the descriptor
 * the parent made (tun-linux.c tun_offload_on()); they change only how
 * that device hands it packets.  TUNSETIFF and the like stay with the
 * parent.
 */
static const unsigned long ioctls[] = {
	FIONREAD, FIONBIO, SIOCGIFINDEX, SIOCGIFNAME,
	PPPIOCNEWUNIT, PPPIOCSCOMPRESS, PPPIOCGFLAGS, PPPIOCSFLAGS,
	PPPIOCCONNECT, PPPIOCSMRU, PPPIOCSNPMODE, PPPIOCGIDLE32,
	PPPIOCGIDLE64, SIOCGPPPSTATS,
	TUNGETIFF, TUNSETOFFLOAD,
};

static int
rule(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned int n,
    const struct scmp_arg_cmp *cmp, char *err, size_t errlen)
{
	int rc;

	/* A name this architecture lacks (open on arm64): nothing to add. */
	if (NO_SYSCALL(nr))
		return 0;
	if ((rc = seccomp_rule_add_array(ctx, action, nr, n, cmp)) < 0) {
		char *name = seccomp_syscall_resolve_num_arch(
		    SCMP_ARCH_NATIVE, nr);

		snprintf(err, errlen, "seccomp rule for %s: %s",
		    name != NULL ? name : "?", strerror(-rc));
		free(name);
		return -1;
	}
	return 0;
}

static int
seccomp_install(char *err, size_t errlen)
{
	static const struct {
		int	domain, type;
	} sockets[] = {
		{ AF_INET, SOCK_STREAM }, { AF_INET, SOCK_DGRAM },
		{ AF_INET6, SOCK_STREAM }, { AF_INET6, SOCK_DGRAM },
	};
	const unsigned long typemask = 0xf;	/* SOCK_TYPE_MASK */
	struct scmp_arg_cmp c[3];
	scmp_filter_ctx ctx;
	size_t i;
	int rc;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL) {
		snprintf(err, errlen, "seccomp_init failed");
		return -1;
	}
	/* A syscall through another ABI (i386 on x86-64) is no way out. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) < 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1)) < 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0) {
		snprintf(err, errlen, "seccomp_attr_set: %s", strerror(-rc));
		goto fail;
	}

	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (rule(ctx, SCMP_ACT_ALLOW, allowed[i], 0, NULL, err,
		    errlen) == -1)
			goto fail;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (rule(ctx, SCMP_ACT_ERRNO(EACCES), refused[i], 0, NULL,
		    err, errlen) == -1)
			goto fail;

	/*
	 * mmap and mprotect, never executable: there is no code to load
	 * after start (OpenSSL's providers are loaded before), and
	 * writable-then-executable memory is what an exploit needs.
	 */
	c[0] = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);
	if (rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, c, err,
	    errlen) == -1 ||
	    rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1, c, err,
	    errlen) == -1)
		goto fail;

	/*
	 * socket: TCP to the server, UDP for DNS and glibc's
	 * if_nametoindex, IPv4 and IPv6; netlink for route and address
	 * reads.  AF_UNIX is refused (vsyslog reconnecting to /dev/log,
	 * glibc's first try in if_nametoindex): in an empty chroot a path
	 * reaches nothing, but an abstract name would reach other
	 * services.  Raw, packet and PPPoX sockets are the parent's.
	 */
	for (i = 0; i < sizeof(sockets) / sizeof(sockets[0]); i++) {
		c[0] = SCMP_A0(SCMP_CMP_EQ, sockets[i].domain);
		c[1] = SCMP_A1(SCMP_CMP_MASKED_EQ, typemask, sockets[i].type);
		if (rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2, c, err,
		    errlen) == -1)
			goto fail;
	}
	c[0] = SCMP_A0(SCMP_CMP_EQ, AF_NETLINK);
	c[1] = SCMP_A2(SCMP_CMP_EQ, NETLINK_ROUTE);
	if (rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2, c, err,
	    errlen) == -1)
		goto fail;
	c[0] = SCMP_A0(SCMP_CMP_EQ, AF_UNIX);
	if (rule(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, c,
	    err, errlen) == -1)
		goto fail;

	/*
	 * ioctl: the kernel reads the request as 32 bits, so the filter
	 * compares those and a caller's sign extension does not matter.
	 */
	for (i = 0; i < sizeof(ioctls) / sizeof(ioctls[0]); i++) {
		c[0] = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL,
		    ioctls[i] & 0xffffffffUL);
		if (rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1, c, err,
		    errlen) == -1)
			goto fail;
	}

	/*
	 * Threads only: a clone that makes a thread, never a process.
	 * clone3 passes its flags in memory the filter cannot read, so it
	 * answers ENOSYS and glibc falls back to clone.  A fork is refused
	 * with EPERM (a sanitizer's symbolizer tries one) rather than
	 * killed: it would gain nothing here either.
	 */
	c[0] = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD);
	if (rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1, c, err,
	    errlen) == -1)
		goto fail;
	c[0] = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0);
	if (rule(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1, c, err,
	    errlen) == -1 ||
	    rule(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0, NULL, err,
	    errlen) == -1)
		goto fail;

	/* abort() and raise() signal the process itself, nothing else. */
	c[0] = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid());
	if (rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, c, err,
	    errlen) == -1)
		goto fail;

	/* getrlimit (pptpcd sizes its tables by RLIMIT_NOFILE), not set. */
	c[0] = SCMP_A0(SCMP_CMP_EQ, 0);
	c[1] = SCMP_A2(SCMP_CMP_EQ, 0);
	if (rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 2, c, err,
	    errlen) == -1)
		goto fail;

	if ((rc = seccomp_load(ctx)) < 0) {
		snprintf(err, errlen, "seccomp_load: %s", strerror(-rc));
		goto fail;
	}
	seccomp_release(ctx);
	return 0;
fail:
	seccomp_release(ctx);
	return -1;
}

#ifdef PPTPC_TEST_HOOKS
void
sandbox_test_forbidden(void)
{
	/*
	 * ptrace is on no list: SIGSYS inside the sandbox.  Outside it
	 * the request, which does not exist, fails with EIO and does
	 * nothing.
	 */
	syscall(SYS_ptrace, -1L, 0L, 0L, 0L);
}

int
sandbox_test_entered(void)
{
	return test_entered;
}
#endif
