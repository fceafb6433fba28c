/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * up/down scripts (see script.h).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filecheck.h"
#include "log.h"
#include "priv.h"
#include "script.h"
#include "timer.h"

#define ENV_N		10
#define ENV_LEN		64
#define EXEC_FD		3	/* where the child keeps the error pipe */

static void	script_timeout(void *);

void
script_init(struct script *s, struct timer_base *tb, const char *tunnel)
{
	memset(s, 0, sizeof(*s));
	s->pid = -1;
	snprintf(s->tunnel, sizeof(s->tunnel), "%s", tunnel);
	timer_init(&s->timer, tb, script_timeout, s);
}

int
script_running(const struct script *s)
{
	return s->pid != -1 || s->remote;
}

static void
env_addr(char *buf, const char *name, struct in_addr a)
{
	char txt[INET_ADDRSTRLEN] = "";

	if (a.s_addr != INADDR_ANY)
		inet_ntop(AF_INET, &a, txt, sizeof(txt));
	snprintf(buf, ENV_LEN, "%s=%s", name, txt);
}

/*
 * The child, between fork and exec: only async-signal-safe calls.  On
 * failure the errno goes up the pipe and the child exits 127.
 */
static void __attribute__((__noreturn__))
script_child(int wfd, const char *path, char *const argv[],
    char *const envp[])
{
	struct sigaction sa;
	sigset_t all;
	int fd, e, sig;

	/* The error pipe first, to a known slot, before fd 0-2 are touched. */
	if (wfd != EXEC_FD) {
		if (dup3(wfd, EXEC_FD, O_CLOEXEC) == -1)
			goto fail;
		wfd = EXEC_FD;
	}
	if ((fd = open("/dev/null", O_RDONLY)) == -1 ||
	    (fd != STDIN_FILENO && dup2(fd, STDIN_FILENO) == -1))
		goto fail;
	/* A daemon without stdout or stderr gives the script /dev/null. */
	if (fcntl(STDOUT_FILENO, F_GETFD) == -1)
		dup2(STDIN_FILENO, STDOUT_FILENO);
	if (fcntl(STDERR_FILENO, F_GETFD) == -1)
		dup2(STDIN_FILENO, STDERR_FILENO);
	/* Sockets, the tun device, the control socket: not its business. */
	closefrom(EXEC_FD + 1);

	/* Ignored signals survive exec; the daemon ignores SIGPIPE. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	setpgid(0, 0);

	execve(path, argv, envp);
 fail:
	e = errno;
	(void)!write(wfd, &e, sizeof(e));
	_exit(127);
}

int
script_start(struct script *s, const char *what, const char *path,
    const struct script_env *env, void (*done)(void *, int), void *arg,
    char *err, size_t errlen)
{
	char envbuf[ENV_N][ENV_LEN], *envp[ENV_N + 1], *argv[2];
	char why[1024];
	ssize_t n;
	pid_t pid;
	int p[2], e, st;

	if (script_running(s)) {
		snprintf(err, errlen, "%s %s: still running", what, s->path);
		errno = EBUSY;
		return -1;
	}
	if (strlen(path) >= PATH_MAX) {
		snprintf(err, errlen, "%s: path too long", what);
		errno = ENAMETOOLONG;
		return -1;
	}
	/* Kept for log lines until it ends; allocated, as few ever run. */
	free(s->path);
	if ((s->path = strdup(path)) == NULL) {
		snprintf(err, errlen, "%s %s: %s", what, path,
		    strerror(errno));
		return -1;
	}
	if (priv_separated()) {
		/* The parent runs its own copy of the configured path. */
		if (priv_script_start(s->tunnel, strcmp(what, "up-script") ==
		    0 ? PRIV_SCRIPT_UP : PRIV_SCRIPT_DOWN, env, err,
		    errlen) == -1)
			return -1;
		snprintf(s->what, sizeof(s->what), "%s", what);
		s->remote = 1;
		s->done = done;
		s->arg = arg;
		return 0;
	}
	if (path[0] != '/') {
		/* No PATH search: which file runs must not depend on it. */
		snprintf(err, errlen, "%s %s: not an absolute path", what,
		    path);
		errno = EINVAL;
		return -1;
	}
	/*
	 * Checked at parse time too, but the file may have come or changed
	 * since: root runs only what only root could have put there.
	 */
	if (filecheck_path(path, 0, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "%s %s", what, why);
		errno = EPERM;
		return -1;
	}

	/* Built before fork: the child may not allocate or format. */
	snprintf(envbuf[0], ENV_LEN, "PATH=%s", SCRIPT_PATH);
	snprintf(envbuf[1], ENV_LEN, "TUNNEL=%s", env->tunnel);
	snprintf(envbuf[2], ENV_LEN, "INTERFACE=%s", env->interface);
	env_addr(envbuf[3], "LOCAL_IP", env->local);
	env_addr(envbuf[4], "PEER_IP", env->peer);
	env_addr(envbuf[5], "DNS1", env->dns1);
	env_addr(envbuf[6], "DNS2", env->dns2);
	snprintf(envbuf[7], ENV_LEN, "MTU=%u", env->mtu);
	snprintf(envbuf[8], ENV_LEN, "LOCAL_IP6=%s", env->local6 != NULL ?
	    env->local6 : "");
	snprintf(envbuf[9], ENV_LEN, "PEER_IP6=%s", env->peer6 != NULL ?
	    env->peer6 : "");
	for (n = 0; n < ENV_N; n++)
		envp[n] = envbuf[n];
	envp[ENV_N] = NULL;
	snprintf(s->what, sizeof(s->what), "%s", what);
	argv[0] = s->path;
	argv[1] = NULL;

	if (pipe2(p, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "%s %s: pipe: %s", what, path,
		    strerror(errno));
		return -1;
	}
	switch (pid = fork()) {
	case -1:
		e = errno;
		close(p[0]);
		close(p[1]);
		snprintf(err, errlen, "%s %s: fork: %s", what, path,
		    strerror(e));
		errno = e;
		return -1;
	case 0:
		close(p[0]);
		script_child(p[1], s->path, argv, envp);
	default:
		break;
	}
	close(p[1]);
	/* Also here: the timeout may come before the child's own setpgid. */
	setpgid(pid, pid);

	/* EOF means the exec succeeded; four bytes are its errno. */
	do
		n = read(p[0], &e, sizeof(e));
	while (n == -1 && errno == EINTR);
	close(p[0]);
	if (n == (ssize_t)sizeof(e)) {
		while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
			;
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(e));
		errno = e;
		return -1;
	}

	s->pid = pid;
	s->signalled = 0;
	s->done = done;
	s->arg = arg;
	timer_set(&s->timer, SCRIPT_TIMEOUT_MS);
	log_debug("%s: %s %s started, pid %ld", s->tunnel, what, path,
	    (long)pid);
	return 0;
}

static void
script_timeout(void *arg)
{
	struct script *s = arg;

	if (s->pid == -1)
		return;
	if (s->signalled == 0) {
		log_warnx("%s: %s %s still running after %d s; terminating",
		    s->tunnel, s->what, s->path, SCRIPT_TIMEOUT_MS / 1000);
		s->signalled = SIGTERM;
		kill(-s->pid, SIGTERM);
		timer_set(&s->timer, SCRIPT_GRACE_MS);
	} else {
		log_warnx("%s: %s %s ignored SIGTERM; killing", s->tunnel,
		    s->what, s->path);
		s->signalled = SIGKILL;
		kill(-s->pid, SIGKILL);
	}
}

static void
script_log_status(const struct script *s, int st)
{
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		log_info("%s: %s %s done", s->tunnel, s->what, s->path);
	else if (WIFEXITED(st))
		log_warnx("%s: %s %s exited with status %d", s->tunnel,
		    s->what, s->path, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		log_warnx("%s: %s %s killed by signal %d%s", s->tunnel,
		    s->what, s->path, WTERMSIG(st),
		    s->signalled ? " after the timeout" : "");
}

int
script_reap(struct script *s)
{
	void (*done)(void *, int);
	pid_t r;
	int st = 0;

	if (s->pid == -1)
		return 0;
	while ((r = waitpid(s->pid, &st, WNOHANG)) == -1 && errno == EINTR)
		;
	if (r == 0)
		return 0;
	if (r == -1) {
		/* Reaped elsewhere (SIGCHLD set to SIG_IGN?): status lost. */
		log_warn("%s: %s %s: waitpid", s->tunnel, s->what, s->path);
		st = 0;
	} else
		script_log_status(s, st);
	timer_stop(&s->timer);
	s->pid = -1;
	done = s->done;
	s->done = NULL;
	if (done != NULL)
		done(s->arg, st);
	return 1;
}

void
script_remote_done(struct script *s, int st)
{
	void (*done)(void *, int);

	if (!s->remote)
		return;
	s->remote = 0;
	done = s->done;
	s->done = NULL;
	if (done != NULL)
		done(s->arg, st);
}

void
script_free(struct script *s)
{
	int st;

	s->remote = 0;
	if (s->pid != -1) {
		kill(-s->pid, SIGKILL);
		while (waitpid(s->pid, &st, 0) == -1 && errno == EINTR)
			;
		s->pid = -1;
	}
	timer_free(&s->timer);
	free(s->path);
	s->path = NULL;
}
