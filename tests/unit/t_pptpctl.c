/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The built ctl/pptpctl against a fake daemon: the test listens on a
 * socket in its directory, runs pptpctl in a child, checks the request
 * line it sends, answers with a canned reply and checks what pptpctl
 * prints and its exit status (0 done, 1 refused, 2 usage, 3 no daemon or
 * a malformed reply).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#define SOCK	"ctl.sock"

struct run {
	int	 status;	/* exit status, or -1 if killed */
	char	 request[600];	/* what the fake daemon received */
	char	*out;
	char	*err;
};

static char *
slurp(const char *path)
{
	char *buf;
	FILE *fp;
	long n;

	ATF_REQUIRE((fp = fopen(path, "r")) != NULL);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	ATF_REQUIRE((buf = calloc(1, (size_t)n + 1)) != NULL);
	ATF_REQUIRE_EQ(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return buf;
}

static int
listener(void)
{
	struct sockaddr_un sun;
	int fd;

	unlink(SOCK);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, SOCK);
	ATF_REQUIRE((fd = socket(AF_UNIX, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE_EQ(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ATF_REQUIRE_EQ(listen(fd, 4), 0);
	return fd;
}

/*
 * Runs pptpctl with args (NULL-terminated, after argv[0]); the fake
 * daemon answers reply (NULL: closes without a word) if it is asked.
 */
static void
run(const atf_tc_t *tc, struct run *r, const char *reply,
    const char *const *args)
{
	char bin[1024], *argv[16];
	struct pollfd pfd;
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	int lfd, cfd, i, st, waited = 0;

	snprintf(bin, sizeof(bin), "%s/../../ctl/pptpctl",
	    atf_tc_get_config_var(tc, "srcdir"));
	if (access(bin, X_OK) == -1)
		atf_tc_fail("%s is not built", bin);
	argv[0] = bin;
	for (i = 0; args[i] != NULL; i++) {
		ATF_REQUIRE(i + 1 < 15);
		argv[i + 1] = (char *)args[i];
	}
	argv[i + 1] = NULL;

	memset(r, 0, sizeof(*r));
	lfd = listener();
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		int o = open("out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open("err", O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (o == -1 || e == -1 || dup2(o, 1) == -1 ||
		    dup2(e, 2) == -1)
			_exit(99);
		close(lfd);
		execv(bin, argv);
		_exit(98);
	}

	/* Serve one client, unless pptpctl ends before it connects. */
	for (i = 0; i < 500; i++) {
		pfd.fd = lfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 10) == 1)
			break;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			waited = 1;
			break;
		}
	}
	ATF_REQUIRE_MSG(i < 500, "pptpctl neither connected nor ended");
	if (!waited) {
		ATF_REQUIRE((cfd = accept(lfd, NULL, NULL)) != -1);
		while (len < sizeof(r->request) - 1 &&
		    memchr(r->request, '\n', len) == NULL) {
			n = recv(cfd, r->request + len,
			    sizeof(r->request) - 1 - len, 0);
			ATF_REQUIRE(n >= 0);
			if (n == 0)
				break;
			len += (size_t)n;
		}
		if (reply != NULL)
			ATF_REQUIRE_EQ(send(cfd, reply, strlen(reply),
			    MSG_NOSIGNAL), (ssize_t)strlen(reply));
		close(cfd);
		ATF_REQUIRE_EQ(waitpid(pid, &st, 0), pid);
	}
	close(lfd);
	unlink(SOCK);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r->out = slurp("out");
	r->err = slurp("err");
}

static void
done(struct run *r)
{
	free(r->out);
	free(r->err);
}

#define ARGS(...)	((const char *const[]){ __VA_ARGS__, NULL })

static const char sessions[] =
    "{\"sessions\":[{\"name\":\"office\",\"state\":\"up\","
    "\"server\":\"192.0.2.1\",\"server_addr\":\"192.0.2.1\","
    "\"interface\":\"tun0\",\"local_ip\":\"198.51.100.7\","
    "\"peer_ip\":\"198.51.100.1\",\"dns\":[\"203.0.113.53\","
    "\"203.0.113.54\"],\"engine\":\"userspace\",\"mppe\":\"128 stateless\","
    "\"auth\":\"mschapv2\",\"mtu\":1400,\"uptime_s\":11040,"
    "\"tx_packets\":9000,\"tx_bytes\":5368709120,\"rx_packets\":12000,"
    "\"rx_bytes\":1234567,\"rx_errors\":0,\"rx_lost\":3,"
    "\"reconnects\":0,\"next_attempt_s\":0,\"last_error\":null},"
    "{\"name\":\"home\",\"state\":\"backoff\",\"server\":\"192.0.2.2\","
    "\"server_addr\":null,\"interface\":null,\"local_ip\":null,"
    "\"peer_ip\":null,\"dns\":[],\"engine\":null,\"mppe\":null,"
    "\"auth\":null,\"mtu\":0,\"uptime_s\":0,\"tx_packets\":0,"
    "\"tx_bytes\":0,\"rx_packets\":0,\"rx_bytes\":512,\"rx_errors\":0,"
    "\"rx_lost\":0,\"reconnects\":2,\"next_attempt_s\":20,"
    "\"last_error\":\"authentication failed (E=691)\\u001b[2J\"}]}\n";

ATF_TC_WITHOUT_HEAD(show_table);
ATF_TC_BODY(show_table, tc)
{
	struct run r;

	run(tc, &r, sessions, ARGS("-s", SOCK, "show"));
	ATF_CHECK_EQ(r.status, 0);
	ATF_CHECK_STREQ(r.request, "show sessions\n");
	ATF_CHECK_STREQ(r.err, "");
	ATF_CHECK_STREQ(r.out,
	    "NAME    STATE    ENGINE     LOCAL         PEER          MPPE"
	    "           UPTIME  RX    TX    LAST ERROR\n"
	    "office  up       userspace  198.51.100.7  198.51.100.1  "
	    "128 stateless  3h04m   1.2M  5.0G\n"
	    "home    backoff  -          -             -             -"
	    "              -       512   0     authentication failed "
	    "(E=691)?[2J\n");
	done(&r);

	/* All up: no LAST ERROR column. */
	run(tc, &r, "{\"sessions\":[{\"name\":\"a\",\"state\":\"up\","
	    "\"uptime_s\":59,\"rx_bytes\":1023,\"tx_bytes\":10240,"
	    "\"last_error\":\"old\"}]}", ARGS("-s", SOCK, "show", "sessions"));
	ATF_CHECK_EQ(r.status, 0);
	ATF_CHECK_STREQ(r.out,
	    "NAME  STATE  ENGINE  LOCAL  PEER  MPPE  UPTIME  RX    TX\n"
	    "a     up     -       -      -     -     59s     1023  10K\n");
	done(&r);

	/* No tunnels: the header alone. */
	run(tc, &r, "{\"sessions\":[]}", ARGS("-s", SOCK, "sh"));
	ATF_CHECK_EQ(r.status, 0);
	ATF_CHECK_STREQ(r.out, "NAME  STATE  ENGINE  LOCAL  PEER  MPPE  "
	    "UPTIME  RX  TX\n");
	done(&r);
}

ATF_TC_WITHOUT_HEAD(show_one);
ATF_TC_BODY(show_one, tc)
{
	struct run r;

	run(tc, &r, "{\"session\":{\"name\":\"office\",\"state\":\"up\","
	    "\"server\":\"192.0.2.1\",\"server_addr\":\"192.0.2.1\","
	    "\"interface\":\"tun0\",\"local_ip\":\"198.51.100.7\","
	    "\"peer_ip\":\"198.51.100.1\",\"dns\":[\"203.0.113.53\","
	    "\"203.0.113.54\"],\"engine\":\"kernel\","
	    "\"mppe\":\"128 stateless\","
	    "\"auth\":\"mschapv2\",\"mtu\":1400,\"tcp_mss\":1360,"
	    "\"uptime_s\":200000,"
	    "\"tx_packets\":9000,\"tx_bytes\":5368709120,\"rx_packets\":12000,"
	    "\"rx_bytes\":1234567,\"rx_errors\":0,\"rx_lost\":3,"
	    "\"gre_late\":2,\"mppe_undecryptable\":null,"
	    "\"lcp_echo_rtt_ms\":12,"
	    "\"reconnects\":0,\"next_attempt_s\":0,\"last_error\":null,"
	    "\"future\":\"x\"}}\n",
	    ARGS("-s", SOCK, "show", "session", "office"));
	ATF_CHECK_EQ(r.status, 0);
	ATF_CHECK_STREQ(r.request, "show session office\n");
	ATF_CHECK_STREQ(r.out,
	    "name                office\n"
	    "state               up\n"
	    "server              192.0.2.1\n"
	    "server address      192.0.2.1\n"
	    "interface           tun0\n"
	    "local address       198.51.100.7\n"
	    "peer address        198.51.100.1\n"
	    "local ipv6          -\n"
	    "peer ipv6           -\n"
	    "dns                 203.0.113.53, 203.0.113.54\n"
	    "dns applied by      -\n"
	    "engine              kernel\n"
	    "mppe                128 stateless\n"
	    "auth                mschapv2\n"
	    "mtu                 1400\n"
	    "tcp mss clamp       1360\n"
	    "kill switch         -\n"
	    "uptime              2d07h\n"
	    "tx packets          9000\n"
	    "tx bytes            5368709120 (5.0G)\n"
	    "rx packets          12000\n"
	    "rx bytes            1234567 (1.2M)\n"
	    "rx errors           0\n"
	    "rx lost             3\n"
	    "gre reordered       -\n"
	    "gre late            2\n"
	    "gre duplicate       -\n"
	    "gre out of window   -\n"
	    "gre resyncs         -\n"
	    "mppe undecryptable  -\n"
	    "mppe over budget    -\n"
	    "mppe resets sent    -\n"
	    "mppe resets rcvd    -\n"
	    "cleartext dropped   -\n"
	    "lcp echo rtt        12 ms\n"
	    "lcp echoes missed   -\n"
	    "reconnects          0\n"
	    "next attempt in     -\n"
	    "last error          -\n"
	    "future              x\n");
	done(&r);
}

ATF_TC_WITHOUT_HEAD(json_output);
ATF_TC_BODY(json_output, tc)
{
	struct run r;

	run(tc, &r, "{\"sessions\":[{\"name\":\"a\",\"dns\":[],"
	    "\"rx_bytes\":18446744073709551615,\"last_error\":null}]}\n",
	    ARGS("-j", "-s", SOCK, "show"));
	ATF_CHECK_EQ(r.status, 0);
	ATF_CHECK_STREQ(r.out,
	    "{\n"
	    "  \"sessions\": [\n"
	    "    {\n"
	    "      \"name\": \"a\",\n"
	    "      \"dns\": [],\n"
	    "      \"rx_bytes\": 18446744073709551615,\n"
	    "      \"last_error\": null\n"
	    "    }\n"
	    "  ]\n"
	    "}\n");
	done(&r);

	/* A refusal in JSON: printed, and still exit status 1. */
	run(tc, &r, "{\"error\":\"no tunnel named \\\"x\\\"\"}\n",
	    ARGS("-j", "-s", SOCK, "connect", "x"));
	ATF_CHECK_EQ(r.status, 1);
	ATF_CHECK_STREQ(r.out, "{\n  \"error\": \"no tunnel named \\\"x\\\"\"\n"
	    "}\n");
	done(&r);
}

ATF_TC_WITHOUT_HEAD(actions);
ATF_TC_BODY(actions, tc)
{
	struct run r;

	run(tc, &r, "{\"ok\":true}\n", ARGS("-s", SOCK, "connect", "office"));
	ATF_CHECK_EQ(r.status, 0);
	ATF_CHECK_STREQ(r.request, "connect office\n");
	ATF_CHECK_STREQ(r.out, "");
	ATF_CHECK_STREQ(r.err, "");
	done(&r);

	run(tc, &r, "{\"ok\":true,\"message\":\"office is already up\"}",
	    ARGS("-s", SOCK, "disc", "office"));
	ATF_CHECK_EQ(r.status, 0);
	ATF_CHECK_STREQ(r.request, "disconnect office\n");
	ATF_CHECK_STREQ(r.out, "office is already up\n");
	done(&r);

	run(tc, &r, "{\"ok\":true}", ARGS("-s", SOCK, "reload"));
	ATF_CHECK_EQ(r.status, 0);
	ATF_CHECK_STREQ(r.request, "reload\n");
	done(&r);

	run(tc, &r, "{\"error\":\"no tunnel named \\\"nosuch\\\"\"}\n",
	    ARGS("-s", SOCK, "connect", "nosuch"));
	ATF_CHECK_EQ(r.status, 1);
	ATF_CHECK_STREQ(r.out, "");
	ATF_CHECK_STREQ(r.err, "pptpctl: no tunnel named \"nosuch\"\n");
	done(&r);

	run(tc, &r, "{\"error\":\"no tunnel named \\\"x\\\"\"}\n",
	    ARGS("-s", SOCK, "show", "session", "x"));
	ATF_CHECK_EQ(r.status, 1);
	ATF_CHECK_STREQ(r.err, "pptpctl: no tunnel named \"x\"\n");
	done(&r);
}

ATF_TC_WITHOUT_HEAD(usage_errors);
ATF_TC_BODY(usage_errors, tc)
{
	struct run r;

	run(tc, &r, NULL, ARGS("-s", SOCK));
	ATF_CHECK_EQ(r.status, 2);
	ATF_CHECK(strncmp(r.err, "pptpctl: missing command\nusage: pptpctl",
	    39) == 0);
	/* The usage text documents the exit codes. */
	ATF_CHECK(strstr(r.err, "\t3\tcannot reach the daemon") != NULL);
	ATF_CHECK_STREQ(r.request, "");
	done(&r);

	run(tc, &r, NULL, ARGS("-s", SOCK, "connect"));
	ATF_CHECK_EQ(r.status, 2);
	ATF_CHECK(strncmp(r.err, "pptpctl: missing tunnel name after "
	    "\"connect\"\n", 45) == 0);
	done(&r);

	run(tc, &r, NULL, ARGS("-s", SOCK, "frob"));
	ATF_CHECK_EQ(r.status, 2);
	done(&r);

	run(tc, &r, NULL, ARGS("-s", SOCK, "connect", "a.b"));
	ATF_CHECK_EQ(r.status, 2);
	done(&r);

	run(tc, &r, NULL, ARGS("-x", "show"));
	ATF_CHECK_EQ(r.status, 2);
	done(&r);

	run(tc, &r, NULL, ARGS("-s", SOCK, "reload", "now"));
	ATF_CHECK_EQ(r.status, 2);
	ATF_CHECK_STREQ(r.request, "");
	done(&r);
}

ATF_TC_WITHOUT_HEAD(no_daemon);
ATF_TC_BODY(no_daemon, tc)
{
	struct sockaddr_un sun;
	struct run r;
	char path[200];
	int fd;

	run(tc, &r, NULL, ARGS("-s", "nosuch.sock", "show"));
	ATF_CHECK_EQ(r.status, 3);
	ATF_CHECK_STREQ(r.err, "pptpctl: cannot connect to nosuch.sock: No "
	    "such file or directory (is pptpcd running?)\n");
	done(&r);

	/* A stale socket: nothing listens. */
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, "stale.sock");
	ATF_REQUIRE((fd = socket(AF_UNIX, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE_EQ(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	run(tc, &r, NULL, ARGS("-s", "stale.sock", "show"));
	ATF_CHECK_EQ(r.status, 3);
	ATF_CHECK_STREQ(r.err, "pptpctl: cannot connect to stale.sock: "
	    "Connection refused (is pptpcd running?)\n");
	done(&r);

	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	run(tc, &r, NULL, ARGS("-s", path, "show"));
	ATF_CHECK_EQ(r.status, 2);
	done(&r);
}

ATF_TC_WITHOUT_HEAD(bad_replies);
ATF_TC_BODY(bad_replies, tc)
{
	static const char *const replies[] = {
		"not json",
		"{\"sessions\":[1,2]}",
		"{\"sessions\":5}",
		"{\"session\":[]}",
		"{\"sessions\":[]} trailing",
		"{\"sessions\":[],}",
		"[]",
		"{}",
		"{\"ok\":false}",
		"{\"a\":\"\xff\"}",
		"{\"a\":1,\"a\":1}",
	};
	const char *const *const cmds[] = {
		ARGS("-s", SOCK, "show"),
		ARGS("-s", SOCK, "show"),
		ARGS("-s", SOCK, "show"),
		ARGS("-s", SOCK, "show", "session", "a"),
		ARGS("-s", SOCK, "show"),
		ARGS("-s", SOCK, "show"),
		ARGS("-s", SOCK, "show"),
		ARGS("-s", SOCK, "reload"),
		ARGS("-s", SOCK, "reload"),
		ARGS("-s", SOCK, "-j", "reload"),
		ARGS("-s", SOCK, "-j", "reload"),
	};
	struct run r;
	size_t i;

	for (i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		run(tc, &r, replies[i], cmds[i]);
		ATF_CHECK_EQ_MSG(r.status, 3, "'%s': %d", replies[i],
		    r.status);
		ATF_CHECK_MSG(strncmp(r.err, "pptpctl: malformed reply from "
		    "pptpcd: ", 38) == 0, "'%s': %s", replies[i], r.err);
		done(&r);
	}

	/* A daemon that closes without a word. */
	run(tc, &r, NULL, ARGS("-s", SOCK, "show"));
	ATF_CHECK_EQ(r.status, 3);
	ATF_CHECK_STREQ(r.err, "pptpctl: pptpcd on ctl.sock closed the "
	    "connection without a reply\n");
	done(&r);
}

/*
 * show metrics: the Prometheus text format, checked line by line and,
 * where Debian's prometheus package is installed (make deps does), by
 * promtool itself.
 */
ATF_TC_WITHOUT_HEAD(show_metrics);
ATF_TC_BODY(show_metrics, tc)
{
	static const char reply[] =
	    "{\"sessions\":[{\"name\":\"office\",\"state\":\"up\","
	    "\"engine\":\"userspace\",\"mppe\":\"128 stateless\","
	    "\"auth\":\"mschapv2\",\"interface\":\"tun0\","
	    "\"local_ip\":\"198.51.100.7\",\"peer_ip\":\"198.51.100.1\","
	    "\"server_addr\":\"192.0.2.1\",\"mtu\":1400,"
	    "\"uptime_s\":11040,\"tx_packets\":9000,"
	    "\"tx_bytes\":5368709120,\"rx_packets\":12000,"
	    "\"rx_bytes\":1234567,\"rx_errors\":0,\"rx_lost\":3,"
	    "\"gre_out_of_window\":41,\"mppe_undecryptable\":7,"
	    "\"lcp_echo_rtt_ms\":1234,\"gre_late\":null,"
	    "\"reconnects\":0},"
	    "{\"name\":\"home\",\"state\":\"backoff\","
	    "\"engine\":null,\"auth\":\"a\\\"b\\\\c\\n\","
	    "\"mtu\":0,\"uptime_s\":0,\"rx_bytes\":512,"
	    "\"gre_out_of_window\":null,\"reconnects\":2}]}\n";
	struct run r;
	FILE *fp;
	int st;

	run(tc, &r, reply, ARGS("-s", SOCK, "show", "metrics"));
	ATF_CHECK_EQ(r.status, 0);
	ATF_CHECK_STREQ(r.request, "show sessions\n");
	ATF_CHECK(strstr(r.out, "# TYPE pptpc_session_up gauge\n"
	    "pptpc_session_up{tunnel=\"office\"} 1\n"
	    "pptpc_session_up{tunnel=\"home\"} 0\n") != NULL);
	ATF_CHECK(strstr(r.out, "pptpc_session_state{tunnel=\"home\","
	    "state=\"backoff\"} 1\n") != NULL);
	ATF_CHECK(strstr(r.out, "pptpc_session_state{tunnel=\"home\","
	    "state=\"up\"} 0\n") != NULL);
	ATF_CHECK(strstr(r.out, "pptpc_session_info{tunnel=\"office\","
	    "engine=\"userspace\",mppe=\"128 stateless\",auth=\"mschapv2\","
	    "interface=\"tun0\",local_ip=\"198.51.100.7\","
	    "peer_ip=\"198.51.100.1\",server_addr=\"192.0.2.1\"} 1\n") !=
	    NULL);
	/* A label value is escaped as the format says. */
	ATF_CHECK(strstr(r.out, "auth=\"a\\\"b\\\\c\\n\"") != NULL);
	ATF_CHECK(strstr(r.out, "# TYPE pptpc_tx_bytes_total counter\n"
	    "pptpc_tx_bytes_total{tunnel=\"office\"} 5368709120\n") != NULL);
	ATF_CHECK(strstr(r.out, "pptpc_gre_out_of_window_total"
	    "{tunnel=\"office\"} 41\n") != NULL);
	ATF_CHECK(strstr(r.out, "pptpc_mppe_undecryptable_total"
	    "{tunnel=\"office\"} 7\n") != NULL);
	ATF_CHECK(strstr(r.out, "pptpc_lcp_echo_rtt_seconds"
	    "{tunnel=\"office\"} 1.234\n") != NULL);
	/* Unknown (null) or absent: no sample, never a made-up 0. */
	ATF_CHECK(strstr(r.out, "pptpc_gre_late_total{") == NULL);
	ATF_CHECK(strstr(r.out, "pptpc_gre_out_of_window_total"
	    "{tunnel=\"home\"}") == NULL);

	if (access("/usr/bin/promtool", X_OK) == -1) {
		done(&r);
		atf_tc_skip("promtool is not installed (Debian: prometheus)");
	}
	ATF_REQUIRE((fp = fopen("metrics.prom", "w")) != NULL);
	fputs(r.out, fp);
	fclose(fp);
	st = system("/usr/bin/promtool check metrics < metrics.prom "
	    "> promtool.out 2>&1");
	if (st != 0)
		system("cat promtool.out >&2");
	ATF_CHECK_EQ_MSG(st, 0, "promtool check metrics refused the output");
	done(&r);
}

/*
 * monitor: events as lines until the daemon goes (exit 3 then, so that a
 * supervising loop notices); a malformed line or an error is refused.
 */
ATF_TC_WITHOUT_HEAD(monitor);
ATF_TC_BODY(monitor, tc)
{
	static const char events[] = "{\"ok\":true}\n"
	    "{\"time\":\"2026-12-06T20:50:01.123Z\",\"tunnel\":\"office\","
	    "\"event\":\"state\",\"detail\":\"up\"}\n"
	    "{\"time\":\"2026-12-06T20:50:02.000Z\",\"tunnel\":null,"
	    "\"event\":\"reload\",\"detail\":\"x\\u001b[2J\"}\n";
	struct run r;

	run(tc, &r, events, ARGS("-s", SOCK, "monitor"));
	ATF_CHECK_STREQ(r.request, "monitor\n");
	ATF_CHECK_EQ(r.status, 3);
	ATF_CHECK_STREQ(r.out,
	    "2026-12-06T20:50:01.123Z office state up\n"
	    "2026-12-06T20:50:02.000Z - reload x?[2J\n");
	ATF_CHECK(strstr(r.err, "closed the connection") != NULL);
	done(&r);

	/* -j: JSON lines, each as it came. */
	run(tc, &r, events, ARGS("-j", "-s", SOCK, "mon"));
	ATF_CHECK_EQ(r.status, 3);
	ATF_CHECK_STREQ(r.out, strchr(events, '\n') + 1);
	done(&r);

	run(tc, &r, "{\"error\":\"too many monitors; try again later\"}\n",
	    ARGS("-s", SOCK, "monitor"));
	ATF_CHECK_EQ(r.status, 1);
	ATF_CHECK(strstr(r.err, "too many monitors") != NULL);
	done(&r);

	run(tc, &r, "{\"ok\":true}\n{\"event\":\n", ARGS("-s", SOCK,
	    "monitor"));
	ATF_CHECK_EQ(r.status, 3);
	ATF_CHECK(strstr(r.err, "malformed event") != NULL);
	done(&r);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, show_table);
	ATF_TP_ADD_TC(tp, show_one);
	ATF_TP_ADD_TC(tp, show_metrics);
	ATF_TP_ADD_TC(tp, monitor);
	ATF_TP_ADD_TC(tp, json_output);
	ATF_TP_ADD_TC(tp, actions);
	ATF_TP_ADD_TC(tp, usage_errors);
	ATF_TP_ADD_TC(tp, no_daemon);
	ATF_TP_ADD_TC(tp, bad_replies);
	return atf_no_error();
}
