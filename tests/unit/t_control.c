/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The control socket server, end to end over a real UNIX socket in the
 * test's directory: a libevent base and fake ops stand in for the daemon,
 * and the test itself is the client, stepping the event loop while it
 * waits.  Replies are checked with pptpctl's strict JSON reader.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "json_read.h"
#include "control.h"
#include "json.h"
#include "session_info.h"

#define SOCK	"ctl.sock"

struct fake {
	unsigned int	 nsessions;	/* 0: the two below */
	int		 empty;		/* no tunnels at all */
	int		 nconnect, ndisconnect, nreload, nlist;
	char		 last[SESSION_NAME_MAX];
	int		 fail;		/* ops return -1 */
	const char	*msg;		/* ops leave this note */
};

static void
fake_list(void *arg, void (*visit)(const struct session_info *, void *),
    void *varg)
{
	struct fake *f = arg;
	struct session_info si;
	unsigned int i;

	f->nlist++;
	memset(&si, 0, sizeof(si));
	if (f->empty)
		return;
	if (f->nsessions == 0) {
		strcpy(si.name, "office");
		si.state = SESSION_UP;
		strcpy(si.server, "192.0.2.1");
		strcpy(si.local_ip, "198.51.100.7");
		strcpy(si.engine, "userspace");
		si.rx_bytes = 1234567;
		visit(&si, varg);
		memset(&si, 0, sizeof(si));
		strcpy(si.name, "home");
		si.state = SESSION_BACKOFF;
		strcpy(si.server, "192.0.2.2 port 1724");
		strcpy(si.last_error, "authentication failed (E=691)");
		visit(&si, varg);
		return;
	}
	for (i = 0; i < f->nsessions; i++) {
		snprintf(si.name, sizeof(si.name), "t%u", i);
		memset(si.server, 'x', sizeof(si.server) - 1);
		memset(si.last_error, 'y', sizeof(si.last_error) - 1);
		visit(&si, varg);
	}
}

static int
fake_op(struct fake *f, int *count, const char *name, char *msg,
    size_t msglen)
{
	(*count)++;
	snprintf(f->last, sizeof(f->last), "%s", name);
	if (f->msg != NULL)
		snprintf(msg, msglen, "%s", f->msg);
	return f->fail ? -1 : 0;
}

static int
fake_connect(void *arg, const char *name, char *msg, size_t msglen)
{
	struct fake *f = arg;

	return fake_op(f, &f->nconnect, name, msg, msglen);
}

static int
fake_disconnect(void *arg, const char *name, char *msg, size_t msglen)
{
	struct fake *f = arg;

	return fake_op(f, &f->ndisconnect, name, msg, msglen);
}

static int
fake_reload(void *arg, char *msg, size_t msglen)
{
	struct fake *f = arg;

	return fake_op(f, &f->nreload, "", msg, msglen);
}

static const struct control_ops fake_ops = {
	fake_list, fake_connect, fake_disconnect, fake_reload,
};

struct env {
	struct event_base	*base;
	struct control		*ctl;
	struct fake		 f;
};

static void
env_start(struct env *e)
{
	memset(e, 0, sizeof(*e));
	ATF_REQUIRE((e->base = event_base_new()) != NULL);
	e->ctl = control_new(e->base, SOCK, &fake_ops, &e->f);
	ATF_REQUIRE(e->ctl != NULL);
}

static void
env_stop(struct env *e)
{
	control_free(e->ctl);
	event_base_free(e->base);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
client(void)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, SOCK);
	ATF_REQUIRE((fd = socket(AF_UNIX, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE_EQ(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

/* Runs the loop without blocking for about ms milliseconds. */
static void
spin(struct env *e, int ms)
{
	int64_t end = now_ms() + ms;

	do {
		event_base_loop(e->base, EVLOOP_NONBLOCK);
		poll(NULL, 0, 2);
	} while (now_ms() < end);
}

/*
 * Reads what the server sends on fd until it closes, stepping the loop;
 * returns the bytes as a malloc'd C string.
 */
static char *
collect(struct env *e, int fd, size_t *lenp)
{
	size_t len = 0, cap = 1 << 16;
	int64_t end = now_ms() + 5000;
	struct pollfd pfd;
	char *buf;
	ssize_t n;

	ATF_REQUIRE((buf = malloc(cap + 1)) != NULL);
	for (;;) {
		ATF_REQUIRE_MSG(now_ms() < end, "no end of reply");
		event_base_loop(e->base, EVLOOP_NONBLOCK);
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 2) <= 0)
			continue;
		if (len == cap) {
			cap *= 2;
			ATF_REQUIRE((buf = realloc(buf, cap + 1)) != NULL);
		}
		n = recv(fd, buf + len, cap - len, 0);
		if (n == 0 || (n == -1 && errno == ECONNRESET))
			break;
		ATF_REQUIRE(n > 0);
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

/* Sends a request of len bytes and returns the whole reply. */
static char *
ask_n(struct env *e, const char *req, size_t len)
{
	char *reply;
	int fd;

	fd = client();
	ATF_REQUIRE_EQ(send(fd, req, len, MSG_NOSIGNAL), (ssize_t)len);
	reply = collect(e, fd, NULL);
	close(fd);
	return reply;
}

static char *
ask(struct env *e, const char *req)
{
	return ask_n(e, req, strlen(req));
}

/* The reply parsed; it must be one strict JSON object and a newline. */
static struct jv *
parse_reply(const char *reply)
{
	struct jv *v;
	char err[128];
	size_t len = strlen(reply);

	ATF_REQUIRE_MSG(len > 0 && reply[len - 1] == '\n',
	    "reply not ended by a newline: '%s'", reply);
	v = jv_parse(reply, len - 1, err, sizeof(err));
	ATF_REQUIRE_MSG(v != NULL, "'%s': %s", reply, err);
	ATF_REQUIRE_EQ(v->type, JV_OBJECT);
	return v;
}

/* Asks and expects {"error": msg} (or any error when msg is NULL). */
static void
expect_error(struct env *e, const char *req, size_t len, const char *msg)
{
	struct jv *v;
	char *reply;

	reply = ask_n(e, req, len);
	v = parse_reply(reply);
	ATF_CHECK_MSG(jv_get_str(v, "error") != NULL, "'%.*s' -> %s",
	    (int)len, req, reply);
	if (msg != NULL && jv_get_str(v, "error") != NULL)
		ATF_CHECK_STREQ_MSG(jv_get_str(v, "error"), msg, "'%.*s'",
		    (int)len, req);
	jv_free(v);
	free(reply);
}

#define EXPECT_ERROR(e, req, msg)	\
	expect_error((e), (req), strlen(req), (msg))

ATF_TC_WITHOUT_HEAD(show_sessions);
ATF_TC_BODY(show_sessions, tc)
{
	const struct jv *s, *list;
	struct env e;
	struct jv *v;
	char *reply;

	env_start(&e);
	reply = ask(&e, "show sessions\n");
	ATF_CHECK(strncmp(reply, "{\"sessions\":[{\"name\":\"office\","
	    "\"state\":\"up\",", 40) == 0);
	v = parse_reply(reply);
	ATF_REQUIRE((list = jv_get(v, "sessions")) != NULL);
	ATF_REQUIRE_EQ(list->type, JV_ARRAY);
	s = list->child;
	ATF_CHECK_STREQ(jv_get_str(s, "name"), "office");
	ATF_CHECK_STREQ(jv_get_str(s, "engine"), "userspace");
	ATF_CHECK_EQ(jv_get(s, "rx_bytes")->u64, 1234567);
	ATF_CHECK_EQ(jv_get(s, "last_error")->type, JV_NULL);
	s = s->next;
	ATF_CHECK_STREQ(jv_get_str(s, "name"), "home");
	ATF_CHECK_STREQ(jv_get_str(s, "state"), "backoff");
	ATF_CHECK_STREQ(jv_get_str(s, "last_error"),
	    "authentication failed (E=691)");
	ATF_CHECK(s->next == NULL);
	jv_free(v);
	free(reply);

	/* No tunnels: an empty list. */
	e.f.empty = 1;
	reply = ask(&e, "show sessions\n");
	ATF_CHECK_STREQ(reply, "{\"sessions\":[]}\n");
	free(reply);
	env_stop(&e);
}

ATF_TC_WITHOUT_HEAD(show_session);
ATF_TC_BODY(show_session, tc)
{
	const struct jv *s;
	struct env e;
	struct jv *v;
	char *reply;

	env_start(&e);
	reply = ask(&e, "show session home\n");
	v = parse_reply(reply);
	ATF_REQUIRE((s = jv_get(v, "session")) != NULL);
	ATF_CHECK_EQ(s->type, JV_OBJECT);
	ATF_CHECK_STREQ(jv_get_str(s, "name"), "home");
	ATF_CHECK_STREQ(jv_get_str(s, "server"), "192.0.2.2 port 1724");
	ATF_CHECK(v->child->next == NULL);
	jv_free(v);
	free(reply);

	EXPECT_ERROR(&e, "show session nosuch\n", "no tunnel named "
	    "\"nosuch\"");
	/* Names are exact: no prefix, no case folding. */
	EXPECT_ERROR(&e, "show session hom\n", "no tunnel named \"hom\"");
	EXPECT_ERROR(&e, "show session HOME\n", "no tunnel named \"HOME\"");
	env_stop(&e);
}

static void
expect_ok_n(struct env *e, const char *req, size_t len, const char *msg)
{
	struct jv *v;
	char *reply;

	reply = ask_n(e, req, len);
	v = parse_reply(reply);
	ATF_CHECK_MSG(jv_get(v, "ok") != NULL &&
	    jv_get(v, "ok")->type == JV_TRUE, "'%.*s' -> %s", (int)len, req,
	    reply);
	if (msg == NULL)
		ATF_CHECK_STREQ(reply, "{\"ok\":true}\n");
	else
		ATF_CHECK_STREQ(jv_get_str(v, "message"), msg);
	jv_free(v);
	free(reply);
}

static void
expect_ok(struct env *e, const char *req, const char *msg)
{
	expect_ok_n(e, req, strlen(req), msg);
}

ATF_TC_WITHOUT_HEAD(actions);
ATF_TC_BODY(actions, tc)
{
	struct env e;

	env_start(&e);
	expect_ok(&e, "connect office\n", NULL);
	ATF_CHECK_EQ(e.f.nconnect, 1);
	ATF_CHECK_STREQ(e.f.last, "office");
	expect_ok(&e, "disconnect home\n", NULL);
	ATF_CHECK_EQ(e.f.ndisconnect, 1);
	ATF_CHECK_STREQ(e.f.last, "home");
	expect_ok(&e, "reload\n", NULL);
	ATF_CHECK_EQ(e.f.nreload, 1);

	/* A note from the daemon travels with the success. */
	e.f.msg = "office is already up";
	expect_ok(&e, "connect office\n", "office is already up");
	ATF_CHECK_EQ(e.f.nconnect, 2);

	/* A refusal carries the op's message, or a generic one. */
	e.f.fail = 1;
	e.f.msg = "reload failed: /etc/pptpcd.conf:3: syntax error";
	EXPECT_ERROR(&e, "reload\n",
	    "reload failed: /etc/pptpcd.conf:3: syntax error");
	ATF_CHECK_EQ(e.f.nreload, 2);
	e.f.msg = NULL;
	EXPECT_ERROR(&e, "disconnect office\n",
	    "the daemon refused without saying why");
	ATF_CHECK_EQ(e.f.ndisconnect, 2);

	/* Unknown tunnels never reach the ops. */
	e.f.fail = 0;
	EXPECT_ERROR(&e, "connect nosuch\n", "no tunnel named \"nosuch\"");
	EXPECT_ERROR(&e, "disconnect nosuch\n",
	    "no tunnel named \"nosuch\"");
	ATF_CHECK_EQ(e.f.nconnect, 2);
	ATF_CHECK_EQ(e.f.ndisconnect, 2);
	env_stop(&e);
}

ATF_TC_WITHOUT_HEAD(line_endings);
ATF_TC_BODY(line_endings, tc)
{
	struct env e;
	char *reply;
	int fd;

	env_start(&e);
	/* CRLF, extra spaces, and a request ended by EOF instead of \n. */
	expect_ok(&e, "connect office\r\n", NULL);
	expect_ok(&e, "  connect   office  \n", NULL);
	fd = client();
	ATF_REQUIRE_EQ(send(fd, "reload", 6, 0), 6);
	ATF_REQUIRE_EQ(shutdown(fd, SHUT_WR), 0);
	reply = collect(&e, fd, NULL);
	ATF_CHECK_STREQ(reply, "{\"ok\":true}\n");
	free(reply);
	close(fd);
	ATF_CHECK_EQ(e.f.nreload, 1);

	/* A request that arrives a byte at a time. */
	fd = client();
	for (const char *p = "reload\n"; *p != '\0'; p++) {
		ATF_REQUIRE_EQ(send(fd, p, 1, 0), 1);
		spin(&e, 5);
	}
	reply = collect(&e, fd, NULL);
	ATF_CHECK_STREQ(reply, "{\"ok\":true}\n");
	free(reply);
	close(fd);
	ATF_CHECK_EQ(e.f.nreload, 2);
	env_stop(&e);
}

ATF_TC_WITHOUT_HEAD(malformed);
ATF_TC_BODY(malformed, tc)
{
	char big[700];
	struct env e;

	env_start(&e);
	EXPECT_ERROR(&e, "\n", "empty request");
	EXPECT_ERROR(&e, "   \n", "empty request");
	EXPECT_ERROR(&e, "frob\n", "unknown request \"frob\"");
	EXPECT_ERROR(&e, "SHOW sessions\n", "unknown request \"SHOW\"");
	EXPECT_ERROR(&e, "shows sessions\n", "unknown request \"shows\"");
	/* The daemon takes no abbreviations: pptpctl expands them. */
	EXPECT_ERROR(&e, "sh sessions\n", "unknown request \"sh\"");
	EXPECT_ERROR(&e, "show\n", "show needs \"sessions\" or "
	    "\"session NAME\"");
	EXPECT_ERROR(&e, "show foo\n", "show needs \"sessions\" or "
	    "\"session NAME\"");
	EXPECT_ERROR(&e, "show session\n", "\"show\" needs a tunnel name");
	EXPECT_ERROR(&e, "connect\n", "\"connect\" needs a tunnel name");
	EXPECT_ERROR(&e, "disconnect\n", "\"disconnect\" needs a tunnel "
	    "name");
	EXPECT_ERROR(&e, "reload now\n", "unexpected \"now\" at the end of "
	    "the request");
	EXPECT_ERROR(&e, "show sessions office\n", "unexpected \"office\" "
	    "at the end of the request");
	EXPECT_ERROR(&e, "connect office home\n", "unexpected \"home\" at "
	    "the end of the request");
	EXPECT_ERROR(&e, "show session office home\n", "request has more "
	    "than 3 words");
	EXPECT_ERROR(&e, "connect off.ice\n", "tunnel name \"off.ice\" may "
	    "only hold letters, digits, \"_\" and \"-\"");
	EXPECT_ERROR(&e, "connect off\"ice\n", "tunnel name \"off\"ice\" may "
	    "only hold letters, digits, \"_\" and \"-\"");
	EXPECT_ERROR(&e, "connect 0123456789abcdef\n", "tunnel name "
	    "\"0123456789abcdef...\" is longer than 15 characters");
	/* Bytes that are not printable ASCII, wherever they are. */
	EXPECT_ERROR(&e, "show\tsessions\n", "request has a byte that is "
	    "not printable ASCII (0x09 at offset 4)");
	expect_error(&e, "show sessions\0\n", 15, "request has a byte that "
	    "is not printable ASCII (0x00 at offset 13)");
	EXPECT_ERROR(&e, "connect caf\xc3\xa9\n", "request has a byte that "
	    "is not printable ASCII (0xc3 at offset 11)");
	EXPECT_ERROR(&e, "\x1b[2Jreload\n", "request has a byte that is "
	    "not printable ASCII (0x1b at offset 0)");
	EXPECT_ERROR(&e, "reload\r\r\n", "request has a byte that is not "
	    "printable ASCII (0x0d at offset 6)");
	/* One request per connection. */
	EXPECT_ERROR(&e, "reload\nreload\n", "one request per connection");
	/* 512 bytes before the newline are allowed; 513 are too many. */
	memset(big, ' ', sizeof(big));
	memcpy(big + 506, "reload\n", 7);
	expect_ok_n(&e, big, 513, NULL);
	memset(big, ' ', sizeof(big));
	memcpy(big + 507, "reload\n", 7);
	expect_error(&e, big, 514, "request is longer than 512 bytes");
	/* Likewise without a newline. */
	memset(big, 'a', sizeof(big));
	expect_error(&e, big, sizeof(big), "request is longer than 512 "
	    "bytes");
	ATF_CHECK_EQ(e.f.nconnect, 0);
	ATF_CHECK_EQ(e.f.ndisconnect, 0);
	ATF_CHECK_EQ(e.f.nreload, 1);
	env_stop(&e);
}

ATF_TC_WITHOUT_HEAD(silent_client);
ATF_TC_BODY(silent_client, tc)
{
	struct env e;
	char *reply;
	size_t len;
	int64_t t0;
	int fd, fd2;

	env_start(&e);
	control_set_timeout(e.ctl, 200);
	/* Says nothing: dropped without a reply after the timeout. */
	fd = client();
	/* Starts a request and stalls: dropped as well. */
	fd2 = client();
	ATF_REQUIRE_EQ(send(fd2, "rel", 3, 0), 3);
	t0 = now_ms();
	reply = collect(&e, fd, &len);
	ATF_CHECK_EQ(len, 0);
	ATF_CHECK(now_ms() - t0 >= 150);
	free(reply);
	reply = collect(&e, fd2, &len);
	ATF_CHECK_EQ(len, 0);
	free(reply);
	close(fd);
	close(fd2);
	ATF_CHECK_EQ(e.f.nreload, 0);
	/* And the server still answers. */
	expect_ok(&e, "reload\n", NULL);

	/* A client that connects and leaves costs nothing either. */
	fd = client();
	close(fd);
	spin(&e, 20);
	expect_ok(&e, "reload\n", NULL);
	env_stop(&e);
}

ATF_TC_WITHOUT_HEAD(slow_reader);
ATF_TC_BODY(slow_reader, tc)
{
	struct env e;
	char *reply;
	size_t len;
	int fd;

	env_start(&e);
	control_set_timeout(e.ctl, 300);
	/* About 600 KB of reply: more than the socket buffers hold. */
	e.f.nsessions = 1000;
	fd = client();
	ATF_REQUIRE_EQ(send(fd, "show sessions\n", 14, 0), 14);
	spin(&e, 50);
	/* The stuck client does not hold up another one. */
	e.f.nsessions = 0;
	expect_ok(&e, "reload\n", NULL);
	/* After the deadline the reader gets a cut reply and the end. */
	spin(&e, 400);
	reply = collect(&e, fd, &len);
	ATF_CHECK(len > 0);
	ATF_CHECK(len < 4 || strcmp(reply + len - 4, "}]}\n") != 0);
	free(reply);
	close(fd);
	env_stop(&e);
}

ATF_TC_WITHOUT_HEAD(reply_limit);
ATF_TC_BODY(reply_limit, tc)
{
	struct env e;
	char *reply;
	size_t len;
	int fd;

	env_start(&e);
	/* A big but allowed reply arrives whole. */
	e.f.nsessions = 1000;
	fd = client();
	ATF_REQUIRE_EQ(send(fd, "show sessions\n", 14, 0), 14);
	reply = collect(&e, fd, &len);
	close(fd);
	ATF_CHECK(len > 300000);
	ATF_CHECK(strcmp(reply + len - 4, "}]}\n") == 0);
	free(reply);
	/* One over the limit (4 MB: 4000 tunnels fit) is refused cleanly. */
	e.f.nsessions = 20000;
	EXPECT_ERROR(&e, "show sessions\n", "the reply would be larger than "
	    "4194304 bytes");
	env_stop(&e);
}

ATF_TC_WITHOUT_HEAD(too_many_clients);
ATF_TC_BODY(too_many_clients, tc)
{
	int fds[CONTROL_CLIENTS_MAX];
	struct env e;
	char *reply;
	int i, fd;

	env_start(&e);
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		fds[i] = client();
		spin(&e, 2);
	}
	fd = client();
	reply = collect(&e, fd, NULL);
	ATF_CHECK_STREQ(reply,
	    "{\"error\":\"too many control clients; try again\"}\n");
	free(reply);
	close(fd);
	/* Once one leaves, the next is served. */
	close(fds[0]);
	spin(&e, 20);
	expect_ok(&e, "reload\n", NULL);
	for (i = 1; i < CONTROL_CLIENTS_MAX; i++)
		close(fds[i]);
	env_stop(&e);
}

ATF_TC_WITHOUT_HEAD(socket_file);
ATF_TC_BODY(socket_file, tc)
{
	struct sockaddr_un sun;
	struct control *ctl2;
	struct stat st;
	struct env e;
	int fd;

	/* Mode 0660, a socket, ours. */
	env_start(&e);
	ATF_REQUIRE_EQ(lstat(SOCK, &st), 0);
	ATF_CHECK(S_ISSOCK(st.st_mode));
	ATF_CHECK_EQ(st.st_mode & 07777, 0660);
	ATF_CHECK_EQ(st.st_uid, geteuid());
	if (geteuid() == 0)
		ATF_CHECK_EQ(st.st_gid, 0);

	/* A second server on a live socket is refused; the first lives. */
	ctl2 = control_new(e.base, SOCK, &fake_ops, &e.f);
	ATF_CHECK(ctl2 == NULL);
	control_free(ctl2);
	expect_ok(&e, "reload\n", NULL);

	/* Freed: the socket file goes. */
	env_stop(&e);
	ATF_CHECK(lstat(SOCK, &st) == -1 && errno == ENOENT);

	/* A stale socket (nothing listening) is replaced. */
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, SOCK);
	ATF_REQUIRE((fd = socket(AF_UNIX, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE_EQ(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	env_start(&e);
	expect_ok(&e, "reload\n", NULL);
	env_stop(&e);

	/* A file that is not a socket is left alone. */
	ATF_REQUIRE((fd = open(SOCK, O_CREAT | O_WRONLY, 0600)) != -1);
	ATF_REQUIRE_EQ(write(fd, "keep", 4), 4);
	close(fd);
	memset(&e, 0, sizeof(e));
	ATF_REQUIRE((e.base = event_base_new()) != NULL);
	ATF_CHECK(control_new(e.base, SOCK, &fake_ops, &e.f) == NULL);
	ATF_REQUIRE_EQ(lstat(SOCK, &st), 0);
	ATF_CHECK(S_ISREG(st.st_mode) && st.st_size == 4);

	/* A path too long for sun_path is refused. */
	{
		char path[200];

		memset(path, 'p', sizeof(path) - 1);
		path[sizeof(path) - 1] = '\0';
		ATF_CHECK(control_new(e.base, path, &fake_ops, &e.f) == NULL);
	}
	event_base_free(e.base);
}

/*
 * chmod(2) and chown(2) by name, counted: the server must never call
 * them on its socket, since they follow a link that someone who may
 * write the folder can put in the socket's place after bind().  These
 * definitions take the place of the C library's for the whole program
 * (symbol interposition); they do the same through the *at() calls.
 */
static int path_calls;

int
chmod(const char *path, mode_t mode)
{
	path_calls++;
	return fchmodat(AT_FDCWD, path, mode, 0);
}

int
chown(const char *path, uid_t uid, gid_t gid)
{
	path_calls++;
	return fchownat(AT_FDCWD, path, uid, gid, 0);
}

ATF_TC_WITHOUT_HEAD(socket_not_by_path);
ATF_TC_BODY(socket_not_by_path, tc)
{
	struct stat st;
	struct env e;
	mode_t old;
	int fd;

	/* The mode comes from bind() alone, whatever the caller's umask. */
	old = umask(0);
	path_calls = 0;
	env_start(&e);
	/* ... and leaves the caller's umask as it was. */
	ATF_CHECK_EQ(umask(old), 0);
	ATF_CHECK_EQ(path_calls, 0);
	ATF_REQUIRE_EQ(lstat(SOCK, &st), 0);
	ATF_CHECK(S_ISSOCK(st.st_mode));
	ATF_CHECK_EQ(st.st_mode & 07777, 0660);
	expect_ok(&e, "reload\n", NULL);
	env_stop(&e);

	/* A link at the path is not followed, nor removed. */
	ATF_REQUIRE((fd = open("victim", O_CREAT | O_WRONLY, 0600)) != -1);
	close(fd);
	ATF_REQUIRE_EQ(symlink("victim", SOCK), 0);
	memset(&e, 0, sizeof(e));
	ATF_REQUIRE((e.base = event_base_new()) != NULL);
	ATF_CHECK(control_new(e.base, SOCK, &fake_ops, &e.f) == NULL);
	ATF_REQUIRE_EQ(lstat(SOCK, &st), 0);
	ATF_CHECK(S_ISLNK(st.st_mode));
	ATF_REQUIRE_EQ(lstat("victim", &st), 0);
	ATF_CHECK(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600);
	event_base_free(e.base);
}

/* Runs req with stderr (where the log goes) in a file; that file's text. */
static void
logged(struct env *e, const char *req, char *out, size_t outlen)
{
	int fd, saved;
	ssize_t n;

	ATF_REQUIRE((fd = open("log.out", O_RDWR | O_CREAT | O_TRUNC,
	    0600)) != -1);
	fflush(stderr);
	ATF_REQUIRE((saved = dup(2)) != -1);
	ATF_REQUIRE(dup2(fd, 2) == 2);
	expect_ok(e, req, NULL);
	fflush(stderr);
	ATF_REQUIRE(dup2(saved, 2) == 2);
	close(saved);
	ATF_REQUIRE((n = pread(fd, out, outlen - 1, 0)) >= 0);
	out[n] = '\0';
	close(fd);
}

ATF_TC_WITHOUT_HEAD(peer_logged);
ATF_TC_BODY(peer_logged, tc)
{
	struct env e;
	char out[1024], want[256];

	env_start(&e);
	/* The client is this very process: its uid and pid. */
	logged(&e, "connect office\n", out, sizeof(out));
	snprintf(want, sizeof(want), "office: connect requested on the "
	    "control socket by uid %lu pid %ld\n", (unsigned long)geteuid(),
	    (long)getpid());
	ATF_CHECK_MSG(strstr(out, want) != NULL, "log: %s", out);
	logged(&e, "disconnect home\n", out, sizeof(out));
	snprintf(want, sizeof(want), "home: disconnect requested on the "
	    "control socket by uid %lu pid %ld\n", (unsigned long)geteuid(),
	    (long)getpid());
	ATF_CHECK_MSG(strstr(out, want) != NULL, "log: %s", out);
	logged(&e, "reload\n", out, sizeof(out));
	snprintf(want, sizeof(want), "reload requested on the control "
	    "socket by uid %lu pid %ld\n", (unsigned long)geteuid(),
	    (long)getpid());
	ATF_CHECK_MSG(strstr(out, want) != NULL, "log: %s", out);
	env_stop(&e);
}

ATF_TC_WITHOUT_HEAD(replaced_socket_kept);
ATF_TC_BODY(replaced_socket_kept, tc)
{
	struct env e;
	struct stat st;
	int fd;

	/* Someone else's file at our path by the time we stop stays. */
	env_start(&e);
	ATF_REQUIRE_EQ(unlink(SOCK), 0);
	ATF_REQUIRE((fd = open(SOCK, O_CREAT | O_WRONLY, 0600)) != -1);
	close(fd);
	env_stop(&e);
	ATF_CHECK_EQ(lstat(SOCK, &st), 0);
}

ATF_TC_WITHOUT_HEAD(chdir_after_start);
ATF_TC_BODY(chdir_after_start, tc)
{
	char dir[512];
	struct stat st;
	struct env e;

	/* daemon(3) changes to "/": the relative socket still goes. */
	ATF_REQUIRE(getcwd(dir, sizeof(dir)) != NULL);
	env_start(&e);
	ATF_REQUIRE_EQ(chdir("/"), 0);
	env_stop(&e);
	ATF_REQUIRE_EQ(chdir(dir), 0);
	ATF_CHECK(lstat(SOCK, &st) == -1 && errno == ENOENT);
}

/* Reads one line from fd (a monitor), stepping the loop; NUL-ended. */
static void
read_line(struct env *e, int fd, char *buf, size_t cap)
{
	int64_t end = now_ms() + 5000;
	struct pollfd pfd;
	size_t len = 0;
	ssize_t n;

	for (;;) {
		ATF_REQUIRE_MSG(now_ms() < end, "no line from the monitor");
		event_base_loop(e->base, EVLOOP_NONBLOCK);
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 2) <= 0)
			continue;
		ATF_REQUIRE(len + 1 < cap);
		n = recv(fd, buf + len, 1, 0);
		ATF_REQUIRE_MSG(n == 1, "the monitor ended");
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = '\0';
}

ATF_TC_WITHOUT_HEAD(monitor);
ATF_TC_BODY(monitor, tc)
{
	struct env e;
	struct jv *v;
	char line[2048], err[128];
	int fd, fd2;

	env_start(&e);
	/* No monitor: an event costs nothing and goes nowhere. */
	control_event(e.ctl, "office", CTL_EVENT_STATE, "up");

	fd = client();
	ATF_REQUIRE_EQ(send(fd, "monitor\n", 8, MSG_NOSIGNAL), 8);
	read_line(&e, fd, line, sizeof(line));
	ATF_CHECK_STREQ(line, "{\"ok\":true}");
	/* It outlives the request timeout of ordinary clients. */
	control_set_timeout(e.ctl, 50);
	fd2 = client();
	ATF_REQUIRE_EQ(send(fd2, "monitor\n", 8, MSG_NOSIGNAL), 8);
	read_line(&e, fd2, line, sizeof(line));
	spin(&e, 200);

	control_event(e.ctl, "office", CTL_EVENT_STATE, "up");
	control_event(e.ctl, NULL, CTL_EVENT_RELOAD, "reloaded: \"x\"\n");
	read_line(&e, fd, line, sizeof(line));
	ATF_REQUIRE((v = jv_parse(line, strlen(line), err, sizeof(err))) !=
	    NULL);
	ATF_CHECK_STREQ(jv_get_str(v, "tunnel"), "office");
	ATF_CHECK_STREQ(jv_get_str(v, "event"), "state");
	ATF_CHECK_STREQ(jv_get_str(v, "detail"), "up");
	/* 2026-12-06T20:50:01.123Z */
	ATF_CHECK(jv_get_str(v, "time") != NULL &&
	    strlen(jv_get_str(v, "time")) == 24 &&
	    jv_get_str(v, "time")[23] == 'Z');
	jv_free(v);
	read_line(&e, fd, line, sizeof(line));
	ATF_REQUIRE((v = jv_parse(line, strlen(line), err, sizeof(err))) !=
	    NULL);
	ATF_CHECK(jv_get(v, "tunnel") != NULL &&
	    jv_get(v, "tunnel")->type == JV_NULL);
	ATF_CHECK_STREQ(jv_get_str(v, "event"), "reload");
	ATF_CHECK_STREQ(jv_get_str(v, "detail"), "reloaded: \"x\"\n");
	jv_free(v);
	/* The second monitor got both too. */
	read_line(&e, fd2, line, sizeof(line));
	ATF_CHECK(strstr(line, "\"event\":\"state\"") != NULL);
	read_line(&e, fd2, line, sizeof(line));
	ATF_CHECK(strstr(line, "\"event\":\"reload\"") != NULL);

	/* A monitor that leaves is forgotten; the other goes on. */
	close(fd2);
	spin(&e, 50);
	control_event(e.ctl, "home", CTL_EVENT_ERROR, "E=691");
	read_line(&e, fd, line, sizeof(line));
	ATF_CHECK(strstr(line, "\"tunnel\":\"home\"") != NULL);
	close(fd);
	env_stop(&e);
}

/*
 * A monitor that never reads costs a bounded buffer, then is dropped;
 * others and ordinary requests are unharmed.  At most
 * CONTROL_MONITORS_MAX at once.
 */
ATF_TC_WITHOUT_HEAD(monitor_limits);
ATF_TC_BODY(monitor_limits, tc)
{
	struct env e;
	char line[2048], detail[900], *reply;
	int fd[CONTROL_MONITORS_MAX + 1], i;
	ssize_t n;

	env_start(&e);
	for (i = 0; i < CONTROL_MONITORS_MAX; i++) {
		fd[i] = client();
		ATF_REQUIRE_EQ(send(fd[i], "monitor\n", 8, MSG_NOSIGNAL), 8);
		read_line(&e, fd[i], line, sizeof(line));
	}
	fd[i] = client();
	ATF_REQUIRE_EQ(send(fd[i], "monitor\n", 8, MSG_NOSIGNAL), 8);
	read_line(&e, fd[i], line, sizeof(line));
	ATF_CHECK_STREQ(line, "{\"error\":\"too many monitors; try again "
	    "later\"}");
	close(fd[i]);

	/* fd[0] never reads: far more than the backlog and the socket hold. */
	memset(detail, 'x', sizeof(detail) - 1);
	detail[sizeof(detail) - 1] = '\0';
	for (i = 0; i < 2 * CONTROL_MONITOR_BACKLOG / 900 + 1000; i++) {
		control_event(e.ctl, "office", CTL_EVENT_STATE, detail);
		/* The others read theirs. */
		if (i % 64 == 0) {
			int k;

			for (k = 1; k < CONTROL_MONITORS_MAX; k++)
				while (recv(fd[k], line, sizeof(line),
				    MSG_DONTWAIT) > 0)
					;
		}
		event_base_loop(e.base, EVLOOP_NONBLOCK);
	}
	spin(&e, 50);
	/* Dropped: after what was buffered, the end. */
	for (;;) {
		n = recv(fd[0], line, sizeof(line), MSG_DONTWAIT);
		if (n <= 0)
			break;
	}
	ATF_CHECK_EQ(n, 0);
	/* A new monitor fits again, and requests are answered. */
	reply = ask(&e, "show sessions\n");
	ATF_CHECK(strstr(reply, "\"sessions\"") != NULL);
	free(reply);
	for (i = 0; i < CONTROL_MONITORS_MAX; i++)
		close(fd[i]);
	env_stop(&e);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, show_sessions);
	ATF_TP_ADD_TC(tp, show_session);
	ATF_TP_ADD_TC(tp, actions);
	ATF_TP_ADD_TC(tp, line_endings);
	ATF_TP_ADD_TC(tp, malformed);
	ATF_TP_ADD_TC(tp, silent_client);
	ATF_TP_ADD_TC(tp, slow_reader);
	ATF_TP_ADD_TC(tp, reply_limit);
	ATF_TP_ADD_TC(tp, too_many_clients);
	ATF_TP_ADD_TC(tp, socket_file);
	ATF_TP_ADD_TC(tp, socket_not_by_path);
	ATF_TP_ADD_TC(tp, peer_logged);
	ATF_TP_ADD_TC(tp, replaced_socket_kept);
	ATF_TP_ADD_TC(tp, chdir_after_start);
	ATF_TP_ADD_TC(tp, monitor);
	ATF_TP_ADD_TC(tp, monitor_limits);
	return atf_no_error();
}
