/*
 * pptpctl: ask pptpcd about its tunnels, or tell it what to do.
 *
 * One request line to the daemon's control socket, one JSON document
 * back (daemon/control.h); the reply is read with a size limit and a
 * deadline, checked by a strict reader, and shown as a table for people
 * or, with -j, as JSON for scripts.  Text that came from the daemon (a
 * server's error message may be in it) is printed with control
 * characters replaced, so that nothing in a reply can drive the terminal.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "json_read.h"
#include "parser.h"

#define PPTPCTL_TIMEOUT_MS	10000
/* Far above what the daemon sends (control.h CONTROL_REPLY_MAX). */
#define PPTPCTL_REPLY_MAX	(4 * 1024 * 1024)
#define PPTPCTL_REQ_MAX		512

/* Exit codes, as the usage text documents them. */
#define EXIT_OK		0
#define EXIT_REFUSED	1
#define EXIT_USAGE	2
#define EXIT_NODAEMON	3

#define CELL_MAX	160

static void	usage(void) __attribute__((__noreturn__));

static void
usage(void)
{
	fprintf(stderr,
	    "usage: pptpctl [-j] [-s socket] command [argument ...]\n"
	    "\t-j\t\tprint the daemon's reply as JSON\n"
	    "\t-s socket\tthe control socket (default %s)\n",
	    PPTPCD_SOCKET);
	ctl_print_commands(stderr);
	fprintf(stderr,
	    "exit status:\n"
	    "\t0\tdone\n"
	    "\t1\tthe daemon refused (unknown tunnel, ...)\n"
	    "\t2\tusage error\n"
	    "\t3\tcannot reach the daemon, or its reply was malformed\n");
	exit(EXIT_USAGE);
}

static void
die(int code, const char *fmt, ...)
    __attribute__((__format__(printf, 2, 3), __noreturn__));

static void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("pptpctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events or the deadline has passed. */
static void
wait_fd(const char *sockpath, int fd, short events, int64_t deadline)
{
	struct pollfd pfd;
	int64_t left;
	int n;

	for (;;) {
		if ((left = deadline - now_ms()) <= 0)
			die(EXIT_NODAEMON, "no reply from pptpcd on %s within "
			    "%d seconds", sockpath, PPTPCTL_TIMEOUT_MS / 1000);
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)left);
		if (n == -1 && errno != EINTR)
			die(EXIT_NODAEMON, "poll: %s", strerror(errno));
		if (n > 0)
			return;
	}
}

static int
dial(const char *sockpath)
{
	struct sockaddr_un sun;
	const char *hint = "";
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(sockpath) >= sizeof(sun.sun_path))
		die(EXIT_USAGE, "socket path %s is longer than %zu bytes",
		    sockpath, sizeof(sun.sun_path) - 1);
	memcpy(sun.sun_path, sockpath, strlen(sockpath));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		die(EXIT_NODAEMON, "socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		switch (errno) {
		case ENOENT:
		case ECONNREFUSED:
			hint = " (is pptpcd running?)";
			break;
		case EACCES:
		case EPERM:
			hint = " (it is for root and its group)";
			break;
		case EAGAIN:
			hint = " (pptpcd is too busy to answer)";
			break;
		}
		die(EXIT_NODAEMON, "cannot connect to %s: %s%s", sockpath,
		    strerror(errno), hint);
	}
	return fd;
}

static void
send_request(const char *sockpath, int fd, const char *line, size_t len,
    int64_t deadline)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				wait_fd(sockpath, fd, POLLOUT, deadline);
				continue;
			}
			die(EXIT_NODAEMON, "cannot send to %s: %s", sockpath,
			    strerror(errno));
		}
		off += (size_t)n;
	}
}

/* The whole reply, up to the daemon's closing the connection. */
static char *
read_reply(const char *sockpath, int fd, size_t *lenp, int64_t deadline)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *nbuf;
	ssize_t n;

	for (;;) {
		if (len == cap) {
			if (cap == PPTPCTL_REPLY_MAX)
				die(EXIT_NODAEMON, "reply from pptpcd is "
				    "larger than %d bytes", PPTPCTL_REPLY_MAX);
			cap = cap == 0 ? 4096 : cap * 2;
			if (cap > PPTPCTL_REPLY_MAX)
				cap = PPTPCTL_REPLY_MAX;
			if ((nbuf = realloc(buf, cap)) == NULL)
				die(EXIT_NODAEMON, "out of memory");
			buf = nbuf;
		}
		n = recv(fd, buf + len, cap - len, 0);
		if (n == 0)
			break;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				wait_fd(sockpath, fd, POLLIN, deadline);
				continue;
			}
			/* A reset after the reply is the end of it too. */
			if (errno == ECONNRESET && len > 0)
				break;
			die(EXIT_NODAEMON, "cannot read from %s: %s",
			    sockpath, strerror(errno));
		}
		len += (size_t)n;
	}
	if (len == 0)
		die(EXIT_NODAEMON, "pptpcd on %s closed the connection "
		    "without a reply", sockpath);
	*lenp = len;
	return buf;
}

/*
 * Copies text from the daemon for the terminal: control characters
 * (C0, DEL and the C1 range, which some terminals obey) become "?", and
 * the result is cut at a character boundary to fit.
 */
static void
clean(char *out, size_t outlen, const char *in)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0, seq;

	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f ||
		    (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)) {
			if (o + 1 >= outlen)
				break;
			out[o++] = '?';
			p += *p == 0xc2 ? 2 : 1;
			continue;
		}
		/* The reader has checked the UTF-8: lead bytes tell lengths. */
		seq = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
		if (o + seq >= outlen)
			break;
		memcpy(out + o, p, seq);
		o += seq;
		p += seq;
	}
	out[o] = '\0';
}

/* Characters, not bytes, for lining up columns. */
static int
width(const char *s)
{
	int w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void
pad(FILE *fp, const char *s, int w)
{
	fputs(s, fp);
	fprintf(fp, "%*s", w - width(s), "");
}

static void
fmt_text(char *out, size_t len, const struct jv *v)
{
	if (v == NULL || v->type == JV_NULL)
		snprintf(out, len, "-");
	else if (v->type == JV_STRING)
		clean(out, len, v->str[0] == '\0' ? "-" : v->str);
	else if (v->type == JV_NUMBER)
		snprintf(out, len, "%s", v->str);
	else if (v->type == JV_TRUE || v->type == JV_FALSE)
		snprintf(out, len, "%s", v->type == JV_TRUE ? "yes" : "no");
	else
		snprintf(out, len, "?");
}

/* 1023, 1.2K, 15K, 3.4M, ...: a size at a glance, in powers of 1024. */
static void
fmt_bytes(char *out, size_t len, const struct jv *v)
{
	static const char units[] = "KMGTPE";
	uint64_t n;
	double d;
	int u = -1;

	if (v == NULL || v->type != JV_NUMBER || !v->is_u64) {
		fmt_text(out, len, v);
		return;
	}
	if ((n = v->u64) < 1024) {
		snprintf(out, len, "%" PRIu64, n);
		return;
	}
	d = (double)n;
	while (d >= 1024 && u < (int)sizeof(units) - 2) {
		d /= 1024;
		u++;
	}
	/* 9.96 would print as "10.0": one decimal only below that. */
	if (d < 9.95)
		snprintf(out, len, "%.1f%c", d, units[u]);
	else
		snprintf(out, len, "%.0f%c", d, units[u]);
}

/* 45s, 12m05s, 3h04m, 2d03h. */
static void
fmt_duration(char *out, size_t len, const struct jv *v)
{
	uint64_t s;

	if (v == NULL || v->type != JV_NUMBER || !v->is_u64) {
		fmt_text(out, len, v);
		return;
	}
	s = v->u64;
	if (s < 60)
		snprintf(out, len, "%" PRIu64 "s", s);
	else if (s < 3600)
		snprintf(out, len, "%" PRIu64 "m%02" PRIu64 "s", s / 60,
		    s % 60);
	else if (s < 86400)
		snprintf(out, len, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
		    s % 3600 / 60);
	else
		snprintf(out, len, "%" PRIu64 "d%02" PRIu64 "h", s / 86400,
		    s % 86400 / 3600);
}

static int
is_up(const struct jv *s)
{
	const char *state = jv_get_str(s, "state");

	return state != NULL && strcmp(state, "up") == 0;
}

enum col {
	COL_NAME, COL_STATE, COL_ENGINE, COL_LOCAL, COL_PEER, COL_MPPE,
	COL_UPTIME, COL_RX, COL_TX, COL_ERROR, NCOLS
};

static const char *const col_title[NCOLS] = {
	"NAME", "STATE", "ENGINE", "LOCAL", "PEER", "MPPE", "UPTIME", "RX",
	"TX", "LAST ERROR",
};

static void
show_sessions(const struct jv *list)
{
	const struct jv *s;
	char (*cell)[NCOLS][CELL_MAX];
	int w[NCOLS], any_error = 0, ncols, c, last;
	size_t n = 0, i;

	for (s = list->child; s != NULL; s = s->next) {
		if (s->type != JV_OBJECT)
			die(EXIT_NODAEMON, "malformed reply from pptpcd: a "
			    "session is not an object");
		n++;
	}
	if ((cell = calloc(n + 1, sizeof(*cell))) == NULL)
		die(EXIT_NODAEMON, "out of memory");
	for (c = 0; c < NCOLS; c++)
		snprintf(cell[0][c], CELL_MAX, "%s", col_title[c]);
	for (s = list->child, i = 1; s != NULL; s = s->next, i++) {
		fmt_text(cell[i][COL_NAME], CELL_MAX, jv_get(s, "name"));
		fmt_text(cell[i][COL_STATE], CELL_MAX, jv_get(s, "state"));
		fmt_text(cell[i][COL_ENGINE], CELL_MAX, jv_get(s, "engine"));
		fmt_text(cell[i][COL_LOCAL], CELL_MAX, jv_get(s, "local_ip"));
		fmt_text(cell[i][COL_PEER], CELL_MAX, jv_get(s, "peer_ip"));
		fmt_text(cell[i][COL_MPPE], CELL_MAX, jv_get(s, "mppe"));
		if (is_up(s))
			fmt_duration(cell[i][COL_UPTIME], CELL_MAX,
			    jv_get(s, "uptime_s"));
		else
			snprintf(cell[i][COL_UPTIME], CELL_MAX, "-");
		fmt_bytes(cell[i][COL_RX], CELL_MAX, jv_get(s, "rx_bytes"));
		fmt_bytes(cell[i][COL_TX], CELL_MAX, jv_get(s, "tx_bytes"));
		/* The last error matters while the tunnel is not up. */
		if (!is_up(s) && jv_get_str(s, "last_error") != NULL) {
			fmt_text(cell[i][COL_ERROR], CELL_MAX,
			    jv_get(s, "last_error"));
			any_error = 1;
		}
	}
	ncols = any_error ? NCOLS : NCOLS - 1;
	for (c = 0; c < ncols; c++) {
		w[c] = 0;
		for (i = 0; i <= n; i++)
			if (width(cell[i][c]) > w[c])
				w[c] = width(cell[i][c]);
	}
	for (i = 0; i <= n; i++) {
		/* Pad up to the last cell with text: no trailing blanks. */
		for (last = ncols - 1; last > 0; last--)
			if (cell[i][last][0] != '\0')
				break;
		for (c = 0; c < last; c++) {
			pad(stdout, cell[i][c], w[c]);
			fputs("  ", stdout);
		}
		fputs(cell[i][last], stdout);
		fputc('\n', stdout);
	}
	free(cell);
}

enum kind { K_TEXT, K_COUNT, K_BYTES, K_DURATION, K_DNS };

static const struct field {
	const char	*key;
	const char	*label;
	enum kind	 kind;
} fields[] = {
	{ "name",		"name",			K_TEXT },
	{ "state",		"state",		K_TEXT },
	{ "server",		"server",		K_TEXT },
	{ "server_addr",	"server address",	K_TEXT },
	{ "interface",		"interface",		K_TEXT },
	{ "local_ip",		"local address",	K_TEXT },
	{ "peer_ip",		"peer address",		K_TEXT },
	{ "dns",		"dns",			K_DNS },
	{ "engine",		"engine",		K_TEXT },
	{ "mppe",		"mppe",			K_TEXT },
	{ "auth",		"auth",			K_TEXT },
	{ "mtu",		"mtu",			K_TEXT },
	{ "tcp_mss",		"tcp mss clamp",	K_TEXT },
	{ "uptime_s",		"uptime",		K_DURATION },
	{ "tx_packets",		"tx packets",		K_COUNT },
	{ "tx_bytes",		"tx bytes",		K_BYTES },
	{ "rx_packets",		"rx packets",		K_COUNT },
	{ "rx_bytes",		"rx bytes",		K_BYTES },
	{ "rx_errors",		"rx errors",		K_COUNT },
	{ "rx_lost",		"rx lost",		K_COUNT },
	{ "rx_cleartext",	"rx cleartext",		K_COUNT },
	{ "reconnects",		"reconnects",		K_COUNT },
	{ "next_attempt_s",	"next attempt in",	K_DURATION },
	{ "last_error",		"last error",		K_TEXT },
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))
#define LABEL_W	16

static void
show_value(const struct jv *v, enum kind kind)
{
	char a[CELL_MAX], b[CELL_MAX];
	const struct jv *d;

	switch (kind) {
	case K_DNS:
		if (v == NULL || v->type != JV_ARRAY || v->child == NULL) {
			fmt_text(a, sizeof(a), v);
			fputs(a, stdout);
			break;
		}
		for (d = v->child; d != NULL; d = d->next) {
			fmt_text(a, sizeof(a), d);
			printf("%s%s", a, d->next != NULL ? ", " : "");
		}
		break;
	case K_BYTES:
		fmt_text(a, sizeof(a), v);
		fmt_bytes(b, sizeof(b), v);
		if (strcmp(a, b) != 0)
			printf("%s (%s)", a, b);
		else
			fputs(a, stdout);
		break;
	case K_DURATION:
		fmt_duration(a, sizeof(a), v);
		fputs(a, stdout);
		break;
	case K_TEXT:
	case K_COUNT:
		fmt_text(a, sizeof(a), v);
		fputs(a, stdout);
		break;
	}
	fputc('\n', stdout);
}

static void
show_session(const struct jv *s)
{
	const char *state = jv_get_str(s, "state");
	const struct jv *v;
	char key[CELL_MAX];
	size_t i;

	for (i = 0; i < NFIELDS; i++) {
		pad(stdout, fields[i].label, LABEL_W);
		/* A wait is only meaningful while backing off. */
		if (strcmp(fields[i].key, "next_attempt_s") == 0 &&
		    (state == NULL || strcmp(state, "backoff") != 0)) {
			puts("-");
			continue;
		}
		show_value(jv_get(s, fields[i].key), fields[i].kind);
	}
	/* Fields of a newer daemon, as they come. */
	for (v = s->child; v != NULL; v = v->next) {
		for (i = 0; i < NFIELDS; i++)
			if (strcmp(v->key, fields[i].key) == 0)
				break;
		if (i < NFIELDS)
			continue;
		clean(key, sizeof(key), v->key);
		pad(stdout, key, LABEL_W);
		show_value(v, K_TEXT);
	}
}

int
main(int argc, char *argv[])
{
	struct ctl_cmd cmd;
	const struct jv *v;
	struct jv *reply;
	char line[PPTPCTL_REQ_MAX + 1], err[256], text[CELL_MAX];
	const char *error, *sockpath = PPTPCD_SOCKET;
	int64_t deadline;
	size_t len;
	char *buf;
	int ch, fd, json = 0, n;

	while ((ch = getopt(argc, argv, "js:")) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 's':
			sockpath = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (ctl_parse(argc, argv, &cmd, err, sizeof(err)) == -1) {
		fprintf(stderr, "pptpctl: %s\n", err);
		usage();
	}
	if ((n = ctl_request(&cmd, line, sizeof(line) - 1)) == -1)
		die(EXIT_USAGE, "request too long");
	line[n++] = '\n';

	deadline = now_ms() + PPTPCTL_TIMEOUT_MS;
	fd = dial(sockpath);
	send_request(sockpath, fd, line, (size_t)n, deadline);
	buf = read_reply(sockpath, fd, &len, deadline);
	close(fd);
	if ((reply = jv_parse(buf, len, err, sizeof(err))) == NULL)
		die(EXIT_NODAEMON, "malformed reply from pptpcd: %s", err);
	free(buf);
	if (reply->type != JV_OBJECT)
		die(EXIT_NODAEMON, "malformed reply from pptpcd: not an "
		    "object");

	error = jv_get_str(reply, "error");
	if (json) {
		jv_print(stdout, reply);
	} else if (error != NULL) {
		clean(text, sizeof(text), error);
		die(EXIT_REFUSED, "%s", text);
	} else {
		switch (cmd.action) {
		case CTL_SHOW_SESSIONS:
			if ((v = jv_get(reply, "sessions")) == NULL ||
			    v->type != JV_ARRAY)
				die(EXIT_NODAEMON, "malformed reply from "
				    "pptpcd: no \"sessions\" array");
			show_sessions(v);
			break;
		case CTL_SHOW_SESSION:
			if ((v = jv_get(reply, "session")) == NULL ||
			    v->type != JV_OBJECT)
				die(EXIT_NODAEMON, "malformed reply from "
				    "pptpcd: no \"session\" object");
			show_session(v);
			break;
		default:
			if ((v = jv_get(reply, "ok")) == NULL ||
			    v->type != JV_TRUE)
				die(EXIT_NODAEMON, "malformed reply from "
				    "pptpcd: neither \"ok\" nor \"error\"");
			if (jv_get_str(reply, "message") != NULL) {
				clean(text, sizeof(text),
				    jv_get_str(reply, "message"));
				printf("%s\n", text);
			}
			break;
		}
	}
	jv_free(reply);
	if (fflush(stdout) == EOF || ferror(stdout))
		die(EXIT_USAGE, "stdout: %s", strerror(errno));
	return error != NULL ? EXIT_REFUSED : EXIT_OK;
}
