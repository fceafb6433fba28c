/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for up/down scripts: real scripts written to the test's
 * working directory, run with the manual clock so that the timeout is
 * reached without waiting for it.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "script.h"
#include "timer.h"
#include "timer_manual.h"

struct result {
	int	calls;
	int	status;
};

static void
done(void *arg, int status)
{
	struct result *r = arg;

	r->calls++;
	r->status = status;
}

/* Writes an executable script into the working directory; its path. */
static void
write_script(const char *name, const char *body, char *path, size_t len)
{
	char cwd[PATH_MAX];
	FILE *f;

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	ATF_REQUIRE((size_t)snprintf(path, len, "%s/%s", cwd, name) < len);
	ATF_REQUIRE((f = fopen(path, "w")) != NULL);
	fprintf(f, "#!/bin/sh\n%s", body);
	ATF_REQUIRE(fclose(f) == 0);
	ATF_REQUIRE(chmod(path, 0755) == 0);
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* What the daemon's SIGCHLD handler does, polled: reap within 10 s. */
static void
reap_wait(struct script *s)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (script_reap(s))
			return;
		sleep_ms(10);
	}
	atf_tc_fail("script did not end");
}

static void
wait_file(const char *path)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (access(path, F_OK) == 0)
			return;
		sleep_ms(10);
	}
	atf_tc_fail("%s never appeared", path);
}

static void
env_fill(struct script_env *e)
{
	memset(e, 0, sizeof(*e));
	e->tunnel = "office";
	e->interface = "tun7";
	inet_pton(AF_INET, "192.0.2.2", &e->local);
	inet_pton(AF_INET, "192.0.2.1", &e->peer);
	inet_pton(AF_INET, "198.51.100.53", &e->dns1);
	e->mtu = 1400;
	e->local6 = "fe80::211:2233:4455:6677";
}

ATF_TC_WITHOUT_HEAD(environment);
ATF_TC_BODY(environment, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct script s;
	struct script_env env;
	struct result res = { 0, -1 };
	char path[PATH_MAX], err[128];

	write_script("up", "env > env.all\n"
	    "grep -v '^PWD=' env.all | sort > env.out\n"
	    "/bin/cat > stdin.out\nexit 0\n", path, sizeof(path));
	env_fill(&env);
	script_init(&s, tb, "office");
	ATF_REQUIRE_MSG(script_start(&s, "up-script", path, &env, done, &res,
	    err, sizeof(err)) == 0, "%s", err);
	ATF_CHECK(script_running(&s));
	reap_wait(&s);
	ATF_CHECK(!script_running(&s));
	ATF_CHECK_EQ(res.calls, 1);
	ATF_CHECK(WIFEXITED(res.status) && WEXITSTATUS(res.status) == 0);
	/* Exactly these, sorted (PWD, which sh adds, left out). */
	ATF_CHECK(atf_utils_compare_file("env.out",
	    "DNS1=198.51.100.53\n"
	    "DNS2=\n"
	    "INTERFACE=tun7\n"
	    "LOCAL_IP6=fe80::211:2233:4455:6677\n"
	    "LOCAL_IP=192.0.2.2\n"
	    "MTU=1400\n"
	    "PATH=" SCRIPT_PATH "\n"
	    "PEER_IP6=\n"
	    "PEER_IP=192.0.2.1\n"
	    "TUNNEL=office\n"));
	/* stdin is /dev/null: cat read nothing and did not hang. */
	ATF_CHECK(atf_utils_compare_file("stdin.out", ""));
	/* The timer was stopped when it was reaped. */
	ATF_CHECK_EQ(timer_manual_next(tb), UINT64_MAX);
	script_free(&s);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(no_shell_no_leaked_fds);
ATF_TC_BODY(no_shell_no_leaked_fds, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct script s;
	struct script_env env;
	struct result res = { 0, -1 };
	char path[PATH_MAX], body[256], err[128];
	int canary;

	/* A descriptor the daemon forgot to mark close-on-exec. */
	ATF_REQUIRE((canary = open("/dev/null", O_RDONLY)) > 2);
	snprintf(body, sizeof(body), "if [ -e /proc/$$/fd/%d ]; then "
	    "echo leaked > fd.out; else echo closed > fd.out; fi\n", canary);
	/* A shell would split this name and run "touch pwned". */
	write_script("a b;touch pwned", body, path, sizeof(path));
	env_fill(&env);
	script_init(&s, tb, "office");
	ATF_REQUIRE_MSG(script_start(&s, "up-script", path, &env, done, &res,
	    err, sizeof(err)) == 0, "%s", err);
	reap_wait(&s);
	ATF_CHECK(WIFEXITED(res.status) && WEXITSTATUS(res.status) == 0);
	ATF_CHECK(atf_utils_compare_file("fd.out", "closed\n"));
	ATF_CHECK(access("pwned", F_OK) == -1);
	close(canary);
	script_free(&s);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(exit_status);
ATF_TC_BODY(exit_status, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct script s;
	struct script_env env;
	struct result res = { 0, -1 };
	char path[PATH_MAX], err[128];

	write_script("down", "exit 3\n", path, sizeof(path));
	env_fill(&env);
	script_init(&s, tb, "office");
	ATF_REQUIRE(script_start(&s, "down-script", path, &env, done, &res,
	    err, sizeof(err)) == 0);
	reap_wait(&s);
	ATF_CHECK_EQ(res.calls, 1);
	ATF_CHECK(WIFEXITED(res.status) && WEXITSTATUS(res.status) == 3);
	/* Reaping again is harmless and calls nothing. */
	ATF_CHECK_EQ(script_reap(&s), 0);
	ATF_CHECK_EQ(res.calls, 1);
	/* The same struct runs the next script. */
	ATF_CHECK(script_start(&s, "down-script", path, &env, done, &res,
	    err, sizeof(err)) == 0);
	reap_wait(&s);
	ATF_CHECK_EQ(res.calls, 2);
	script_free(&s);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(timeout_terminates);
ATF_TC_BODY(timeout_terminates, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct script s;
	struct script_env env;
	struct result res = { 0, -1 };
	char path[PATH_MAX], err[128];

	write_script("slow", "/bin/sleep 60\n", path, sizeof(path));
	env_fill(&env);
	script_init(&s, tb, "office");
	ATF_REQUIRE(script_start(&s, "up-script", path, &env, done, &res,
	    err, sizeof(err)) == 0);
	ATF_CHECK_EQ(timer_manual_next(tb), SCRIPT_TIMEOUT_MS);
	timer_manual_advance(tb, SCRIPT_TIMEOUT_MS - 1);
	ATF_CHECK_EQ(script_reap(&s), 0);
	ATF_CHECK(script_running(&s));
	timer_manual_advance(tb, 1);
	reap_wait(&s);
	ATF_CHECK_EQ(res.calls, 1);
	ATF_CHECK(WIFSIGNALED(res.status) && WTERMSIG(res.status) == SIGTERM);
	script_free(&s);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(timeout_kills_stubborn);
ATF_TC_BODY(timeout_kills_stubborn, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct script s;
	struct script_env env;
	struct result res = { 0, -1 };
	char path[PATH_MAX], err[128];

	/* Ignores SIGTERM, and so does the sleep it starts. */
	write_script("stubborn", "trap '' TERM\n: > ready\n"
	    "while :; do /bin/sleep 1; done\n", path, sizeof(path));
	env_fill(&env);
	script_init(&s, tb, "office");
	ATF_REQUIRE(script_start(&s, "up-script", path, &env, done, &res,
	    err, sizeof(err)) == 0);
	wait_file("ready");
	timer_manual_advance(tb, SCRIPT_TIMEOUT_MS);
	sleep_ms(200);
	ATF_CHECK_EQ(script_reap(&s), 0);	/* SIGTERM did nothing */
	ATF_CHECK_EQ(timer_manual_next(tb), SCRIPT_GRACE_MS);
	timer_manual_advance(tb, SCRIPT_GRACE_MS);
	reap_wait(&s);
	ATF_CHECK(WIFSIGNALED(res.status) && WTERMSIG(res.status) == SIGKILL);
	script_free(&s);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(missing_and_bad_paths);
ATF_TC_BODY(missing_and_bad_paths, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct script s;
	struct script_env env;
	struct result res = { 0, -1 };
	char path[PATH_MAX], err[256];
	int fd;

	env_fill(&env);
	script_init(&s, tb, "office");

	ATF_CHECK(script_start(&s, "up-script", "/nonexistent/pptpc-up",
	    &env, done, &res, err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, ENOENT);
	ATF_CHECK_STREQ(err, "up-script /nonexistent/pptpc-up: No such file "
	    "or directory");
	ATF_CHECK(!script_running(&s));

	write_script("noexec", "exit 0\n", path, sizeof(path));
	ATF_REQUIRE(chmod(path, 0644) == 0);
	ATF_CHECK(script_start(&s, "up-script", path, &env, done, &res,
	    err, sizeof(err)) == -1);
	/* root may run anything with an x bit; here there is none. */
	ATF_CHECK_EQ(errno, EACCES);
	ATF_CHECK(strstr(err, "Permission denied") != NULL);

	/* Not a script at all: exec fails with ENOEXEC. */
	ATF_REQUIRE((fd = open("junk", O_CREAT | O_WRONLY, 0755)) != -1);
	ATF_REQUIRE(write(fd, "\x7f\x45\x4c\x46", 4) == 4);
	close(fd);
	ATF_REQUIRE(getcwd(path, sizeof(path)) != NULL);
	ATF_REQUIRE(strlen(path) + 6 <= sizeof(path));
	strcat(path, "/junk");
	ATF_CHECK(script_start(&s, "up-script", path, &env, done, &res,
	    err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, ENOEXEC);

	ATF_CHECK(script_start(&s, "up-script", "up.sh", &env, done, &res,
	    err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_STREQ(err, "up-script up.sh: not an absolute path");

	ATF_CHECK_EQ(res.calls, 0);
	ATF_CHECK_EQ(timer_manual_next(tb), UINT64_MAX);
	script_free(&s);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(untrusted_not_run);
ATF_TC_BODY(untrusted_not_run, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct script s;
	struct script_env env;
	struct result res = { 0, -1 };
	char path[PATH_MAX], err[1024];

	/* Made writable by others after pptpcd read its configuration. */
	write_script("up", "echo ran > ran.out\n", path, sizeof(path));
	ATF_REQUIRE(chmod(path, 0757) == 0);
	env_fill(&env);
	script_init(&s, tb, "office");
	ATF_CHECK(script_start(&s, "up-script", path, &env, done, &res,
	    err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EPERM);
	ATF_CHECK_MSG(strstr(err, "up-script ") == err &&
	    strstr(err, ": is writable by group or others (mode 0757)") !=
	    NULL, "%s", err);
	ATF_CHECK(!script_running(&s));
	sleep_ms(200);
	ATF_CHECK(access("ran.out", F_OK) == -1);
	ATF_CHECK_EQ(res.calls, 0);

	/* Made safe again, it runs. */
	ATF_REQUIRE(chmod(path, 0755) == 0);
	ATF_REQUIRE_MSG(script_start(&s, "up-script", path, &env, done, &res,
	    err, sizeof(err)) == 0, "%s", err);
	reap_wait(&s);
	ATF_CHECK(access("ran.out", F_OK) == 0);
	script_free(&s);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(busy_and_free);
ATF_TC_BODY(busy_and_free, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct script s;
	struct script_env env;
	struct result res = { 0, -1 };
	char path[PATH_MAX], err[256];
	pid_t pid;

	write_script("slow", "/bin/sleep 60\n", path, sizeof(path));
	env_fill(&env);
	script_init(&s, tb, "office");
	ATF_REQUIRE(script_start(&s, "up-script", path, &env, done, &res,
	    err, sizeof(err)) == 0);
	ATF_CHECK(script_start(&s, "up-script", path, &env, done, &res,
	    err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EBUSY);
	pid = s.pid;
	/* Shutdown: killed and reaped, without the callback. */
	script_free(&s);
	ATF_CHECK_EQ(kill(pid, 0), -1);
	ATF_CHECK_EQ(res.calls, 0);
	timer_manual_free(tb);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, environment);
	ATF_TP_ADD_TC(tp, no_shell_no_leaked_fds);
	ATF_TP_ADD_TC(tp, exit_status);
	ATF_TP_ADD_TC(tp, timeout_terminates);
	ATF_TP_ADD_TC(tp, timeout_kills_stubborn);
	ATF_TP_ADD_TC(tp, missing_and_bad_paths);
	ATF_TP_ADD_TC(tp, untrusted_not_run);
	ATF_TP_ADD_TC(tp, busy_and_free);
	return atf_no_error();
}
