/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The engine's sandbox on Linux, entered by a forked child and looked at
 * from outside, through /proc, as an administrator would: its ids, its
 * capabilities, NoNewPrivs, the seccomp mode and its root.  A child that
 * makes a call off the list dies of SIGSYS; one that does what the
 * engine does (sockets, epoll, timers, randomness, a big malloc, a
 * thread, netlink reads) lives.  The chroot directory is refused when
 * anyone but root could put something into it.
 */
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>
#include <event2/event.h>

#include "netns.h"
#include "sandbox.h"

/* Made if missing, and left: other runs and tests may use it. */
#define TEST_USER	"pptpc-test"
#define NO_USER		"pptpc-no-such-user"

/* What a child reports when the sandbox refused to start. */
#define EXIT_REFUSED	100

static void
test_user(void)
{
	if (getpwnam(TEST_USER) != NULL)
		return;
	/* Another test may have made it meanwhile: then useradd fails. */
	(void)!system("useradd --system --no-create-home "
	    "--home-dir /nonexistent --shell /usr/sbin/nologin "
	    TEST_USER " 2>/dev/null");
	ATF_REQUIRE_MSG(getpwnam(TEST_USER) != NULL,
	    "cannot create the user " TEST_USER);
}

/* An empty directory in the test's work directory; its absolute path. */
static void
empty_dir(const char *name, char *path, size_t len)
{
	char cwd[PATH_MAX];

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	ATF_REQUIRE((size_t)snprintf(path, len, "%s/%s", cwd, name) < len);
	ATF_REQUIRE_MSG(mkdir(path, 0755) == 0, "mkdir %s: %s", path,
	    strerror(errno));
	ATF_REQUIRE(chmod(path, 0755) == 0);
}

struct child {
	pid_t	pid;
	int	hold;		/* the child waits until this closes */
	char	err[256];	/* the sandbox's refusal, if any */
};

/*
 * Forks a child that runs pre (if any), enters the sandbox and then runs
 * fn(hold fd) and exits with its result.  Returns once the child is in
 * the sandbox (0) or has been refused (-1, c->err says why, the child
 * reaped).
 */
static int
child_start_pre(struct child *c, const char *user, const char *dir,
    void (*pre)(void), int (*fn)(int))
{
	int rep[2], hold[2], st;
	ssize_t n;

	memset(c, 0, sizeof(*c));
	ATF_REQUIRE(pipe(rep) == 0);
	ATF_REQUIRE(pipe(hold) == 0);
	ATF_REQUIRE((c->pid = fork()) != -1);
	if (c->pid == 0) {
		char err[256] = "";

		close(rep[0]);
		close(hold[1]);
		if (pre != NULL)
			pre();
		if (sandbox_engine_enter(user, dir, err, sizeof(err)) == -1) {
			(void)!write(rep[1], err, strlen(err));
			_exit(EXIT_REFUSED);
		}
		(void)!write(rep[1], "", 1);
		close(rep[1]);
		_exit(fn(hold[0]));
	}
	close(rep[1]);
	close(hold[0]);
	c->hold = hold[1];
	n = read(rep[0], c->err, sizeof(c->err) - 1);
	close(rep[0]);
	if (n == 1 && c->err[0] == '\0')
		return 0;
	c->err[n > 0 ? n : 0] = '\0';
	close(c->hold);
	ATF_REQUIRE(waitpid(c->pid, &st, 0) == c->pid);
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == EXIT_REFUSED,
	    "the child did not report its refusal: status %#x", st);
	return -1;
}

static int
child_start(struct child *c, const char *user, const char *dir,
    int (*fn)(int))
{
	return child_start_pre(c, user, dir, NULL, fn);
}

/*
 * What a service manager may hand over: an inheritable and an ambient
 * capability, which a uid change alone does not clear.
 */
static void
raise_inherited_caps(void)
{
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(&hdr, 0, sizeof(hdr));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &hdr, data) == -1)
		_exit(101);
	data[CAP_TO_INDEX(CAP_NET_ADMIN)].inheritable |=
	    CAP_TO_MASK(CAP_NET_ADMIN);
	if (syscall(SYS_capset, &hdr, data) == -1 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_ADMIN, 0,
	    0) == -1)
		_exit(102);
}

/* Lets the child go on and returns its wait status. */
static int
child_wait(struct child *c)
{
	int st;

	close(c->hold);
	ATF_REQUIRE(waitpid(c->pid, &st, 0) == c->pid);
	return st;
}

static int
hold_then_exit(int hold)
{
	char b;

	return read(hold, &b, 1) == 0 ? 0 : 1;
}

/* The value after "key:" in /proc/pid/status, or the test fails. */
static void
proc_field(pid_t pid, const char *key, char *val, size_t len)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	ATF_REQUIRE((f = fopen(path, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			fclose(f);
			snprintf(val, len, "%s", line + klen + 1 +
			    strspn(line + klen + 1, " \t"));
			val[strcspn(val, "\n")] = '\0';
			return;
		}
	}
	fclose(f);
	atf_tc_fail("%s has no %s", path, key);
}

static int
proc_has_field(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	ATF_REQUIRE((f = fopen(path, "r")) != NULL);
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strncmp(line, key, klen) == 0 && line[klen] == ':';
	fclose(f);
	return found;
}

/* "Uid:	r	e	s	fs": each the user's. */
static void
expect_ids(pid_t pid, const char *key, unsigned long want)
{
	char val[128], *p, *end;
	int i;

	proc_field(pid, key, val, sizeof(val));
	for (p = val, i = 0; i < 4; i++, p = end) {
		unsigned long v = strtoul(p, &end, 10);

		ATF_REQUIRE_MSG(end != p, "%s: %s", key, val);
		ATF_CHECK_MSG(v == want && v != 0, "%s: %s, want %lu", key,
		    val, want);
	}
}

ROOT_TC(enters_sandbox, "the child runs as the user, capless, NoNewPrivs, "
    "seccomp filter mode, in the empty directory")
{
	char dir[PATH_MAX], val[128], root[PATH_MAX];
	char path[64];
	struct passwd *pw;
	struct child c;
	ssize_t n;
	int st;

	test_user();
	ATF_REQUIRE((pw = getpwnam(TEST_USER)) != NULL);
	empty_dir("empty", dir, sizeof(dir));
	ATF_REQUIRE_MSG(child_start_pre(&c, TEST_USER, dir,
	    raise_inherited_caps, hold_then_exit) == 0, "refused: %s", c.err);

	expect_ids(c.pid, "Uid", pw->pw_uid);
	expect_ids(c.pid, "Gid", pw->pw_gid);
	proc_field(c.pid, "Groups", val, sizeof(val));
	snprintf(root, sizeof(root), "%lu", (unsigned long)pw->pw_gid);
	ATF_CHECK_MSG(strcmp(val, root) == 0 || (strncmp(val, root,
	    strlen(root)) == 0 && val[strlen(root)] == ' '),
	    "Groups: %s, want %s", val, root);
	proc_field(c.pid, "CapInh", val, sizeof(val));
	ATF_CHECK_STREQ(val, "0000000000000000");
	proc_field(c.pid, "CapPrm", val, sizeof(val));
	ATF_CHECK_STREQ(val, "0000000000000000");
	proc_field(c.pid, "CapEff", val, sizeof(val));
	ATF_CHECK_STREQ(val, "0000000000000000");
	proc_field(c.pid, "CapAmb", val, sizeof(val));
	ATF_CHECK_STREQ(val, "0000000000000000");
	/* The bounding set too, where we may drop it (CAP_SETPCAP). */
	proc_field(getpid(), "CapEff", val, sizeof(val));
	if (strtoull(val, NULL, 16) & (1ULL << CAP_SETPCAP)) {
		proc_field(c.pid, "CapBnd", val, sizeof(val));
		ATF_CHECK_STREQ(val, "0000000000000000");
	}
	proc_field(c.pid, "NoNewPrivs", val, sizeof(val));
	ATF_CHECK_STREQ(val, "1");
	proc_field(c.pid, "Seccomp", val, sizeof(val));
	ATF_CHECK_STREQ(val, "2");
	/* Since Linux 5.9. */
	if (proc_has_field(c.pid, "Seccomp_filters")) {
		proc_field(c.pid, "Seccomp_filters", val, sizeof(val));
		ATF_CHECK_MSG(atoi(val) >= 1, "Seccomp_filters: %s", val);
	}
	snprintf(path, sizeof(path), "/proc/%ld/root", (long)c.pid);
	n = readlink(path, root, sizeof(root) - 1);
	ATF_REQUIRE_MSG(n > 0, "readlink %s: %s", path, strerror(errno));
	root[n] = '\0';
	ATF_CHECK_STREQ(root, dir);

	st = child_wait(&c);
	ATF_CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "the sandboxed child did not exit cleanly: status %#x", st);
}

/*
 * What the engine does, each checked; the exit code names the first
 * that failed (0: all worked, and the filter killed none of them).
 */
static void *
thread_main(void *arg)
{
	return arg;
}

static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	*(int *)arg = 1;
}

static int
engine_work(int hold)
{
	struct sockaddr_in sin;
	struct epoll_event ev;
	struct timespec ts;
	struct timeval tv = { 0, 1000 };
	struct event_base *base;
	struct event *tev;
	struct {
		struct nlmsghdr		nh;
		struct ifinfomsg	ifi;
	} req;
	pthread_t thr;
	uint8_t rnd[32], buf[8192];
	char *big;
	void *ret;
	int s, ep, nl, avail, fired = 0;

	(void)hold;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 1;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return 2;
	arc4random_buf(rnd, sizeof(rnd));
	/* Past malloc's mmap threshold: mmap, touch, munmap. */
	if ((big = malloc(64 << 20)) == NULL)
		return 3;
	memset(big, 1, 64 << 20);
	free(big);
	if (pthread_create(&thr, NULL, thread_main, rnd) != 0 ||
	    pthread_join(thr, &ret) != 0 || ret != rnd)
		return 4;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return 5;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (sendto(s, "x", 1, 0, (struct sockaddr *)&sin, sizeof(sin)) != 1)
		return 6;
	if (ioctl(s, FIONREAD, &avail) == -1)
		return 7;
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return 8;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) == -1 ||
	    epoll_wait(ep, &ev, 1, 0) == -1)
		return 9;
	close(ep);
	close(s);
	if ((s = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		return 10;
	close(s);

	/* A route read, as route-linux.c and addr_host.c make them. */
	if ((nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) == -1)
		return 11;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.ifi.ifi_family = AF_UNSPEC;
	if (send(nl, &req, sizeof(req), 0) != (ssize_t)sizeof(req) ||
	    recv(nl, buf, sizeof(buf), 0) <= 0)
		return 12;
	close(nl);
	/* glibc tries AF_UNIX first and falls back to AF_INET. */
	if (if_nametoindex("lo") == 0)
		return 13;

	/* libevent as the daemon uses it: a base and a timer. */
	if ((base = event_base_new()) == NULL)
		return 14;
	if ((tev = evtimer_new(base, timer_cb, &fired)) == NULL ||
	    evtimer_add(tev, &tv) == -1 ||
	    event_base_dispatch(base) == -1 || !fired)
		return 15;
	event_free(tev);
	event_base_free(base);

	/* Refused, not killed: nothing to open in the chroot anyway. */
	if (open("/etc/passwd", O_RDONLY) != -1 || errno != EACCES)
		return 16;
	if (socket(AF_UNIX, SOCK_DGRAM, 0) != -1 || errno != EAFNOSUPPORT)
		return 17;
	return 0;
}

ROOT_TC(allowed_lives, "a child doing what the engine does lives")
{
	char dir[PATH_MAX];
	struct child c;
	int st;

	test_netns_enter();
	test_user();
	empty_dir("empty", dir, sizeof(dir));
	ATF_REQUIRE_MSG(child_start(&c, TEST_USER, dir, engine_work) == 0,
	    "refused: %s", c.err);
	st = child_wait(&c);
	ATF_REQUIRE_MSG(!WIFSIGNALED(st), "killed by signal %d",
	    WTERMSIG(st));
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "step %d of engine_work failed", WEXITSTATUS(st));
}

/* Each a call off the list: the child must die of SIGSYS. */
static int
do_test_hook(int hold)
{
	(void)hold;
	sandbox_test_forbidden();
	return 0;
}

static int
do_execve(int hold)
{
	char *argv[] = { "/bin/true", NULL }, *envp[] = { NULL };

	(void)hold;
	execve(argv[0], argv, envp);
	return 0;
}

static int
do_raw_socket(int hold)
{
	(void)hold;
	(void)socket(AF_PACKET, SOCK_RAW, 0);
	return 0;
}

static int
do_exec_mmap(int hold)
{
	(void)hold;
	(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return 0;
}

static int
do_tunsetiff(int hold)
{
	(void)hold;
	/* The parent's ioctl (linux/if_tun.h: _IOW('T', 202, int)). */
	(void)ioctl(0, _IOW('T', 202, int), NULL);
	return 0;
}

static int
do_setuid(int hold)
{
	(void)hold;
	(void)syscall(SYS_setuid, 0);
	return 0;
}

static int
do_kill_other(int hold)
{
	(void)hold;
	(void)kill(1, 0);
	return 0;
}

static void
expect_sigsys(const char *what, int (*fn)(int))
{
	char dir[PATH_MAX];
	struct child c;
	int st;

	empty_dir(what, dir, sizeof(dir));
	ATF_REQUIRE_MSG(child_start(&c, TEST_USER, dir, fn) == 0,
	    "refused: %s", c.err);
	st = child_wait(&c);
	ATF_CHECK_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS,
	    "%s: status %#x, not killed by SIGSYS", what, st);
}

ROOT_TC(forbidden_kills, "a call off the list kills the child with SIGSYS")
{
	test_user();
	expect_sigsys("test_hook", do_test_hook);
	expect_sigsys("execve", do_execve);
	expect_sigsys("packet_socket", do_raw_socket);
	expect_sigsys("exec_mmap", do_exec_mmap);
	expect_sigsys("tunsetiff", do_tunsetiff);
	expect_sigsys("setuid", do_setuid);
	expect_sigsys("kill", do_kill_other);
}

/* exit(), not _exit(): the sanitizers' exit-time work runs. */
static int
exit_normally(int hold)
{
	char b;

	(void)!read(hold, &b, 1);
	exit(0);
}

ROOT_TC(sanitizer_exit, "a sandboxed child of a sanitizer build exits "
    "cleanly: LeakSanitizer's ptrace is skipped, not killed")
{
	char dir[PATH_MAX];
	struct child c;
	int st;

	test_user();
	empty_dir("empty", dir, sizeof(dir));
	ATF_REQUIRE_MSG(child_start(&c, TEST_USER, dir, exit_normally) == 0,
	    "refused: %s", c.err);
	st = child_wait(&c);
	ATF_CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "status %#x%s", st, WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS ?
	    " (SIGSYS)" : "");
	ATF_CHECK(!sandbox_test_entered());
}

ROOT_TC(test_hook_harmless_outside, "the test hook does nothing outside "
    "the sandbox")
{
	sandbox_test_forbidden();
}

static void *
wait_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void
start_thread(void)
{
	pthread_t thr;

	if (pthread_create(&thr, NULL, wait_forever, NULL) != 0)
		_exit(103);
}

ROOT_TC(threads_refused, "a process with a second thread is refused: "
    "that thread would keep its capabilities")
{
	char dir[PATH_MAX];
	struct child c;

	test_user();
	empty_dir("empty", dir, sizeof(dir));
	ATF_REQUIRE(child_start_pre(&c, TEST_USER, dir, start_thread,
	    hold_then_exit) == -1);
	ATF_CHECK_MSG(strstr(c.err, "before it starts a thread") != NULL,
	    "%s", c.err);
}

ROOT_TC(missing_user, "a missing user is refused with what to do")
{
	char dir[PATH_MAX];
	struct child c;

	ATF_REQUIRE(getpwnam(NO_USER) == NULL);
	empty_dir("empty", dir, sizeof(dir));
	ATF_REQUIRE(child_start(&c, NO_USER, dir, hold_then_exit) == -1);
	ATF_CHECK_MSG(strstr(c.err, "user " NO_USER " does not exist") !=
	    NULL, "%s", c.err);
	ATF_CHECK_MSG(strstr(c.err, "useradd --system") != NULL, "%s", c.err);
}

static void
expect_refused(const char *dir, const char *why)
{
	struct child c;

	ATF_REQUIRE(child_start(&c, TEST_USER, dir, hold_then_exit) == -1);
	ATF_CHECK_MSG(strstr(c.err, why) != NULL, "error \"%s\", want \"%s\"",
	    c.err, why);
}

ROOT_TC(dir_writable_refused, "a chroot directory others can write is "
    "refused")
{
	char dir[PATH_MAX];

	test_user();
	empty_dir("empty", dir, sizeof(dir));
	ATF_REQUIRE(chmod(dir, 0777) == 0);
	expect_refused(dir, "writable by group or others");
	ATF_REQUIRE(chmod(dir, 0775) == 0);
	expect_refused(dir, "writable by group or others");
	/* Sticky /tmp-like: still writable. */
	ATF_REQUIRE(chmod(dir, 01777) == 0);
	expect_refused(dir, "writable by group or others");
}

ROOT_TC(dir_nonempty_refused, "a chroot directory with anything in it is "
    "refused")
{
	char dir[PATH_MAX], f[PATH_MAX + 8];
	int fd;

	test_user();
	empty_dir("empty", dir, sizeof(dir));
	snprintf(f, sizeof(f), "%s/x", dir);
	ATF_REQUIRE((fd = open(f, O_CREAT | O_WRONLY, 0600)) != -1);
	close(fd);
	expect_refused(dir, "not empty");
}

ROOT_TC(dir_owner_refused, "a chroot directory the user owns is refused")
{
	char dir[PATH_MAX];
	struct passwd *pw;

	test_user();
	ATF_REQUIRE((pw = getpwnam(TEST_USER)) != NULL);
	empty_dir("empty", dir, sizeof(dir));
	ATF_REQUIRE(chown(dir, pw->pw_uid, pw->pw_gid) == 0);
	expect_refused(dir, "not root");
}

ROOT_TC(dir_symlink_refused, "a chroot directory that is a symbolic link "
    "is refused")
{
	char dir[PATH_MAX], link[PATH_MAX + 8];

	test_user();
	empty_dir("empty", dir, sizeof(dir));
	snprintf(link, sizeof(link), "%s-link", dir);
	ATF_REQUIRE(symlink(dir, link) == 0);
	expect_refused(link, "chroot directory");
}

ROOT_TC(dir_created, "a missing chroot directory is made root-owned 0755")
{
	char cwd[PATH_MAX], dir[PATH_MAX + 16];
	struct child c;
	struct stat st;
	int status;

	test_user();
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(dir, sizeof(dir), "%s/a/b/empty", cwd);
	/* The daemon's unit runs with UMask=0077. */
	umask(077);
	ATF_REQUIRE_MSG(child_start(&c, TEST_USER, dir, hold_then_exit) == 0,
	    "refused: %s", c.err);
	status = child_wait(&c);
	ATF_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ATF_REQUIRE(stat(dir, &st) == 0);
	ATF_CHECK(S_ISDIR(st.st_mode));
	ATF_CHECK_EQ(st.st_uid, 0);
	ATF_CHECK_EQ(st.st_mode & 07777, 0755);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, enters_sandbox);
	ATF_TP_ADD_TC(tp, allowed_lives);
	ATF_TP_ADD_TC(tp, forbidden_kills);
	ATF_TP_ADD_TC(tp, sanitizer_exit);
	ATF_TP_ADD_TC(tp, test_hook_harmless_outside);
	ATF_TP_ADD_TC(tp, threads_refused);
	ATF_TP_ADD_TC(tp, missing_user);
	ATF_TP_ADD_TC(tp, dir_writable_refused);
	ATF_TP_ADD_TC(tp, dir_nonempty_refused);
	ATF_TP_ADD_TC(tp, dir_owner_refused);
	ATF_TP_ADD_TC(tp, dir_symlink_refused);
	ATF_TP_ADD_TC(tp, dir_created);
	return atf_no_error();
}
