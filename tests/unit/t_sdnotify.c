/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * sd_notify without libsystemd: the datagrams a service manager would
 * read, on a socket of the test's own (a path and an abstract name), and
 * the environment handled as systemd documents it.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "sdnotify.h"

static int
listener(const char *path)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(path) + 1);
	if (path[0] == '@') {
		sun.sun_path[0] = '\0';
		len--;
	} else
		unlink(path);
	ATF_REQUIRE((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) != -1);
	ATF_REQUIRE_EQ(bind(fd, (struct sockaddr *)&sun, len), 0);
	return fd;
}

static void
expect(int fd, const char *text)
{
	char buf[512];
	ssize_t n;

	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	ATF_REQUIRE_MSG(n > 0, "no datagram for \"%s\"", text);
	buf[n] = '\0';
	ATF_CHECK_STREQ(buf, text);
}

ATF_TC_WITHOUT_HEAD(path_and_watchdog);
ATF_TC_BODY(path_and_watchdog, tc)
{
	struct sdnotify n;
	char pid[32];
	int fd;

	fd = listener("notify.sock");
	setenv("NOTIFY_SOCKET", "notify.sock", 1);
	/* A relative path is not what systemd gives: refused. */
	ATF_CHECK_EQ(sdnotify_init(&n), -1);
	sdnotify_send(&n, "READY=1");
	ATF_CHECK(recv(fd, pid, sizeof(pid), MSG_DONTWAIT) == -1);

	{
		char abs[512];

		ATF_REQUIRE(getcwd(abs, sizeof(abs) - 20) != NULL);
		strcat(abs, "/notify.sock");
		setenv("NOTIFY_SOCKET", abs, 1);
	}
	setenv("WATCHDOG_USEC", "30000000", 1);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	ATF_REQUIRE_EQ(sdnotify_init(&n), 0);
	/* Half the period, and the variables are not for our children. */
	ATF_CHECK_EQ(n.watchdog_ms, 15000);
	ATF_CHECK(getenv("NOTIFY_SOCKET") == NULL);
	ATF_CHECK(getenv("WATCHDOG_USEC") == NULL);
	ATF_CHECK(getenv("WATCHDOG_PID") == NULL);
	sdnotify_send(&n, "READY=1\nSTATUS=2 tunnels configured");
	expect(fd, "READY=1\nSTATUS=2 tunnels configured");
	sdnotify_send(&n, "WATCHDOG=1");
	expect(fd, "WATCHDOG=1");
	sdnotify_close(&n);
	close(fd);
}

ATF_TC_WITHOUT_HEAD(abstract_and_others_watchdog);
ATF_TC_BODY(abstract_and_others_watchdog, tc)
{
	struct sdnotify n;
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "@pptpc-t_sdnotify-%ld", (long)getpid());
	fd = listener(name);
	setenv("NOTIFY_SOCKET", name, 1);
	/* The watchdog of another process (our parent's) is not ours. */
	setenv("WATCHDOG_USEC", "30000000", 1);
	setenv("WATCHDOG_PID", "1", 1);
	ATF_REQUIRE_EQ(sdnotify_init(&n), 0);
	ATF_CHECK_EQ(n.watchdog_ms, 0);
	sdnotify_send(&n, "STOPPING=1");
	expect(fd, "STOPPING=1");
	sdnotify_close(&n);
	close(fd);
}

/* Not under systemd: nothing happens, nothing fails. */
ATF_TC_WITHOUT_HEAD(unset);
ATF_TC_BODY(unset, tc)
{
	struct sdnotify n;

	unsetenv("NOTIFY_SOCKET");
	setenv("WATCHDOG_USEC", "junk", 1);
	ATF_CHECK_EQ(sdnotify_init(&n), 0);
	ATF_CHECK_EQ(n.fd, -1);
	ATF_CHECK_EQ(n.watchdog_ms, 0);
	sdnotify_send(&n, "READY=1");
	sdnotify_close(&n);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, path_and_watchdog);
	ATF_TP_ADD_TC(tp, abstract_and_others_watchdog);
	ATF_TP_ADD_TC(tp, unset);
	return atf_no_error();
}
