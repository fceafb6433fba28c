/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The control socket server (see control.h for the protocol).
 *
 * After the OpenBSD daemons' control.c: a non-blocking listening socket
 * on libevent, one small struct per client in a list, accept paused for a
 * second when the process runs out of descriptors.  Unlike theirs, a
 * client here gets exactly one request and one reply (a monitor's reply
 * goes on, line by line, from a bounded buffer), which keeps every
 * client's state to one line in, one buffer out and one deadline.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "control.h"
#include "json.h"
#include "log.h"
#include "osdep.h"
#include "pptpc_ctl.h"

/* The most words a request has: "show session NAME". */
#define CONTROL_WORDS_MAX	3

struct control_conn {
	TAILQ_ENTRY(control_conn) entry;
	struct control		*ctl;
	int			 fd;
	struct event		*ev_read;
	struct event		*ev_write;
	struct event		*ev_timeout;
	/* One byte more than a request, to tell "too long" from "full". */
	uint8_t			 req[CONTROL_REQ_MAX + 1];
	size_t			 reqlen;
	struct json		 reply;
	size_t			 sent;
	struct control_peer	 peer;		/* for the log */
	/* "monitor": events queue here until the client reads them. */
	int			 monitor;
	struct evbuffer		*out;
};

struct control {
	struct event_base	*base;
	const struct control_ops *ops;
	void			*arg;
	struct sockaddr_un	 sun;		/* the socket's path */
	/* The socket file we made, so that we only ever remove that one. */
	dev_t			 dev;
	ino_t			 ino;
	int			 fd;
	struct event		*ev_accept;
	struct event		*ev_resume;
	TAILQ_HEAD(, control_conn) conns;
	unsigned int		 nconns;
	unsigned int		 nmonitors;
	unsigned int		 timeout_ms;
};

struct control_word {
	const char	*p;
	size_t		 n;
};

static int	control_claim(const char *, const struct sockaddr_un *);
static void	control_accept(evutil_socket_t, short, void *);
static void	control_resume(evutil_socket_t, short, void *);
static void	conn_new(struct control *, int);
static void	conn_free(struct control_conn *);
static void	conn_read(evutil_socket_t, short, void *);
static void	conn_write(evutil_socket_t, short, void *);
static void	conn_timeout(evutil_socket_t, short, void *);
static void	conn_answer(struct control_conn *, const uint8_t *, size_t,
		    const char *);
static void	conn_monitor(struct control_conn *);
static void	monitor_write(struct control_conn *);

/* Takes words[i] as a tunnel name: the characters config.c allows. */
static int
take_name(const struct control_word *w, char *name, size_t namelen,
    char *err, size_t errlen)
{
	size_t i;
	char c;

	if (w->n >= namelen) {
		snprintf(err, errlen, "tunnel name \"%.*s...\" is longer than "
		    "%zu characters", 16, w->p, namelen - 1);
		return -1;
	}
	for (i = 0; i < w->n; i++) {
		c = w->p[i];
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '_' && c != '-') {
			snprintf(err, errlen, "tunnel name \"%.*s\" may only "
			    "hold letters, digits, \"_\" and \"-\"",
			    (int)w->n, w->p);
			return -1;
		}
	}
	memcpy(name, w->p, w->n);
	name[w->n] = '\0';
	return 0;
}

/* The length of the first word of a verb's words. */
static size_t
first_len(const char *words)
{
	return strcspn(words, " ");
}

/*
 * How many request words the verb's words take, 0 if the request does
 * not start with all of them.
 */
static size_t
verb_match(const struct control_word *w, size_t nw, const char *words)
{
	const char *p = words;
	size_t i, n;

	for (i = 0; *p != '\0'; i++) {
		n = first_len(p);
		if (i == nw || w[i].n != n || memcmp(w[i].p, p, n) != 0)
			return 0;
		p += n;
		if (*p == ' ')
			p++;
	}
	return i;
}

/*
 * Finds the verb the request's words name (pptpc_ctl.h's list) and
 * returns how many words it takes; 0 with a message in err if none.
 */
static size_t
verb_find(const struct control_word *w, size_t nw, enum ctl_verb *verb,
    char *err, size_t errlen)
{
	const char *words, *sep = "";
	size_t n, len, alts = 0;
	int v;

	for (v = 0; v < CTL_VERB_MAX; v++) {
		words = ctl_verb_words(v);
		if ((n = verb_match(w, nw, words)) > 0) {
			*verb = v;
			return n;
		}
	}
	/* "show foo": say what may follow the first word. */
	for (v = 0; v < CTL_VERB_MAX; v++) {
		words = ctl_verb_words(v);
		n = first_len(words);
		if (w[0].n != n || memcmp(w[0].p, words, n) != 0 ||
		    words[n] == '\0')
			continue;
		if (alts++ == 0)
			snprintf(err, errlen, "%.*s needs ", (int)n, words);
		len = strlen(err);
		snprintf(err + len, errlen - len, "%s\"%s%s\"", sep,
		    words + n + 1, ctl_verb_takes_name(v) ? " NAME" : "");
		sep = " or ";
	}
	if (alts == 0)
		snprintf(err, errlen, "unknown request \"%.*s\"",
		    (int)(w[0].n > 32 ? 32 : w[0].n), w[0].p);
	return 0;
}

int
control_parse_request(const uint8_t *buf, size_t len,
    struct control_req *req, char *err, size_t errlen)
{
	struct control_word w[CONTROL_WORDS_MAX];
	struct rbuf r;
	size_t nw = 0, off, want;
	int inword = 0;
	uint8_t c;

	memset(req, 0, sizeof(*req));
	if (len > CONTROL_REQ_MAX) {
		snprintf(err, errlen, "request is longer than %d bytes",
		    CONTROL_REQ_MAX);
		return -1;
	}
	rbuf_init(&r, buf, len);
	while (rbuf_left(&r) > 0) {
		off = r.off;
		if (rbuf_u8(&r, &c) == -1)
			break;
		if (c < 0x20 || c > 0x7e) {
			snprintf(err, errlen, "request has a byte that is not "
			    "printable ASCII (0x%02x at offset %zu)", c, off);
			return -1;
		}
		if (c == ' ') {
			inword = 0;
			continue;
		}
		if (inword) {
			w[nw - 1].n++;
			continue;
		}
		if (nw == CONTROL_WORDS_MAX) {
			snprintf(err, errlen, "request has more than %d words",
			    CONTROL_WORDS_MAX);
			return -1;
		}
		w[nw].p = (const char *)buf + off;
		w[nw].n = 1;
		nw++;
		inword = 1;
	}
	if (nw == 0) {
		snprintf(err, errlen, "empty request");
		return -1;
	}

	if ((want = verb_find(w, nw, &req->verb, err, errlen)) == 0)
		return -1;
	want += ctl_verb_takes_name(req->verb) ? 1 : 0;
	if (nw < want) {
		snprintf(err, errlen, "\"%.*s\" needs a tunnel name",
		    (int)w[0].n, w[0].p);
		return -1;
	}
	if (nw > want) {
		snprintf(err, errlen, "unexpected \"%.*s\" at the end of the "
		    "request", (int)(w[want].n > 32 ? 32 : w[want].n),
		    w[want].p);
		return -1;
	}
	if (ctl_verb_takes_name(req->verb))
		return take_name(&w[nw - 1], req->name, sizeof(req->name),
		    err, errlen);
	return 0;
}

void
control_reply_error(struct json *j, const char *msg)
{
	json_obj_open(j, NULL);
	json_str(j, CTL_KEY_ERROR, msg);
	json_obj_close(j);
}

struct control_visit {
	struct json	*j;		/* NULL: only look the name up */
	const char	*name;		/* NULL: every session */
	int		 found;
};

static void
control_visit(const struct session_info *si, void *arg)
{
	struct control_visit *v = arg;

	if (v->name == NULL) {
		session_info_json(v->j, NULL, si);
		return;
	}
	if (v->found ||
	    strncmp(si->name, v->name, sizeof(si->name)) != 0)
		return;
	v->found = 1;
	if (v->j != NULL)
		session_info_json(v->j, CTL_KEY_SESSION, si);
}

static int
control_known(const struct control_ops *ops, void *arg, const char *name)
{
	struct control_visit v = { NULL, name, 0 };

	ops->list(arg, control_visit, &v);
	return v.found;
}

/* "uid 0 pid 1234", for the log line of a request that changes things. */
static void
peer_describe(const struct control_peer *peer, char *buf, size_t len)
{
	if (peer == NULL || !peer->known)
		snprintf(buf, len, "an unknown client");
	else if (peer->pid <= 0)
		snprintf(buf, len, "uid %lu", (unsigned long)peer->uid);
	else
		snprintf(buf, len, "uid %lu pid %ld", (unsigned long)peer->uid,
		    (long)peer->pid);
}
void
control_reply(const struct control_ops *ops, void *arg,
    const struct control_req *req, struct json *j)
{
	control_reply_from(ops, arg, req, NULL, j);
}

void
control_reply_from(const struct control_ops *ops, void *arg,
    const struct control_req *req, const struct control_peer *peer,
    struct json *j)
{
	struct control_visit v = { j, NULL, 0 };
	char who[64];
	char msg[CONTROL_MSG_MAX];
	int rv = 0;

	msg[0] = '\0';
	switch (req->verb) {
	case CTL_VERB_SHOW_SESSIONS:
		json_obj_open(j, NULL);
		json_arr_open(j, CTL_KEY_SESSIONS);
		ops->list(arg, control_visit, &v);
		json_arr_close(j);
		json_obj_close(j);
		break;
	case CTL_VERB_SHOW_SESSION:
		v.name = req->name;
		json_obj_open(j, NULL);
		ops->list(arg, control_visit, &v);
		json_obj_close(j);
		if (!v.found) {
			json_reset(j);
			snprintf(msg, sizeof(msg), "no tunnel named \"%s\"",
			    req->name);
			control_reply_error(j, msg);
			return;
		}
		break;
	case CTL_VERB_CONNECT:
	case CTL_VERB_DISCONNECT:
		if (!control_known(ops, arg, req->name)) {
			snprintf(msg, sizeof(msg), "no tunnel named \"%s\"",
			    req->name);
			control_reply_error(j, msg);
			return;
		}
		peer_describe(peer, who, sizeof(who));
		log_info("%s: %s requested on the control socket by %s",
		    req->name, req->verb == CTL_VERB_CONNECT ? "connect" :
		    "disconnect", who);
		if (req->verb == CTL_VERB_CONNECT)
			rv = ops->connect(arg, req->name, msg, sizeof(msg));
		else
			rv = ops->disconnect(arg, req->name, msg, sizeof(msg));
		break;
	case CTL_VERB_RELOAD:
		peer_describe(peer, who, sizeof(who));
		log_info("reload requested on the control socket by %s", who);
		rv = ops->reload(arg, msg, sizeof(msg));
		break;
	case CTL_VERB_MONITOR:
		/* The events follow; conn_answer() keeps the client. */
		json_obj_open(j, NULL);
		json_bool(j, CTL_KEY_OK, 1);
		json_obj_close(j);
		return;
	default:
		control_reply_error(j, "unknown request");
		return;
	}

	/* An op's message is ours to bound, whatever the op did with it. */
	msg[sizeof(msg) - 1] = '\0';
	if (req->verb == CTL_VERB_CONNECT || req->verb == CTL_VERB_DISCONNECT ||
	    req->verb == CTL_VERB_RELOAD) {
		if (rv == -1) {
			control_reply_error(j, msg[0] != '\0' ? msg :
			    "the daemon refused without saying why");
			return;
		}
		json_obj_open(j, NULL);
		json_bool(j, CTL_KEY_OK, 1);
		if (msg[0] != '\0')
			json_str(j, CTL_KEY_MESSAGE, msg);
		json_obj_close(j);
	}
	if (json_failed(j)) {
		json_reset(j);
		snprintf(msg, sizeof(msg), "the reply would be larger than "
		    "%zu bytes", j->max);
		control_reply_error(j, msg);
	}
}

/*
 * Makes path free for our socket.  A socket file that refuses connections
 * is a stale one from a daemon that died and is removed; one that accepts
 * (or whose queue is full) belongs to a running daemon, and anything that
 * is not a socket is somebody else's file: both are refused.
 */
static int
control_claim(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, saved;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		log_warn("control socket %s", path);
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("control socket %s: exists and is not a socket; "
		    "not touching it", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("control socket %s: socket", path);
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0 ||
	    errno == EAGAIN || errno == EINPROGRESS) {
		close(fd);
		log_warnx("control socket %s: another pptpcd is listening "
		    "there", path);
		return -1;
	}
	saved = errno;
	close(fd);
	if (saved == ENOENT)
		return 0;
	if (saved != ECONNREFUSED) {
		errno = saved;
		log_warn("control socket %s: connect", path);
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		log_warn("control socket %s: cannot remove the stale socket",
		    path);
		return -1;
	}
	log_debug("control socket %s: removed a stale socket", path);
	return 0;
}

/*
 * Makes a relative path absolute where it fits, so that control_free()
 * still finds the socket after daemon(3) has changed to "/".
 */
static void
control_abspath(struct sockaddr_un *sun)
{
	char cwd[sizeof(sun->sun_path)];
	int n;

	if (sun->sun_path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return;
	n = snprintf(NULL, 0, "%s/%s", cwd, sun->sun_path);
	if (n < 0 || (size_t)n >= sizeof(sun->sun_path))
		return;
	memmove(sun->sun_path + strlen(cwd) + 1, sun->sun_path,
	    strlen(sun->sun_path) + 1);
	memcpy(sun->sun_path, cwd, strlen(cwd));
	sun->sun_path[strlen(cwd)] = '/';
}

struct control *
control_new(struct event_base *base, const char *path,
    const struct control_ops *ops, void *arg)
{
	struct sockaddr_un sun;
	struct control *ctl;
	struct stat st;
	mode_t old_umask;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("control socket %s: path is longer than %zu bytes",
		    path, sizeof(sun.sun_path) - 1);
		return NULL;
	}
	memcpy(sun.sun_path, path, strlen(path));
	control_abspath(&sun);
	path = sun.sun_path;
	if (control_claim(path, &sun) == -1)
		return NULL;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("control socket %s: socket", path);
		return NULL;
	}
	/*
	 * Born mode 0660, owned by our user and group: the umask is the only
	 * way to set a socket file's mode without naming it again (fchmod
	 * on a socket changes the socket, not the file, on Linux), and a
	 * chmod or chown by path would follow whatever link someone who may
	 * write the directory put there after the bind.  bind() itself never
	 * follows a link: it fails on any name that exists.
	 */
	old_umask = umask(S_IXUSR | S_IXGRP | S_IRWXO | S_IWOTH | S_IROTH);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("control socket %s: bind", path);
		umask(old_umask);
		close(fd);
		return NULL;
	}
	umask(old_umask);
	if (lstat(path, &st) == -1) {
		log_warn("control socket %s", path);
		goto fail;
	}
	if (listen(fd, CONTROL_CLIENTS_MAX) == -1) {
		log_warn("control socket %s: listen", path);
		goto fail;
	}

	if ((ctl = calloc(1, sizeof(*ctl))) == NULL) {
		log_warn("control socket %s", path);
		goto fail;
	}
	ctl->base = base;
	ctl->ops = ops;
	ctl->arg = arg;
	ctl->sun = sun;
	ctl->dev = st.st_dev;
	ctl->ino = st.st_ino;
	ctl->fd = fd;
	ctl->timeout_ms = CONTROL_TIMEOUT_MS;
	TAILQ_INIT(&ctl->conns);
	ctl->ev_accept = event_new(base, fd, EV_READ | EV_PERSIST,
	    control_accept, ctl);
	ctl->ev_resume = evtimer_new(base, control_resume, ctl);
	if (ctl->ev_accept == NULL || ctl->ev_resume == NULL ||
	    event_add(ctl->ev_accept, NULL) == -1) {
		log_warnx("control socket %s: cannot set up its events", path);
		control_free(ctl);
		return NULL;
	}
	log_debug("control socket %s: listening", path);
	return ctl;

 fail:
	unlink(path);
	close(fd);
	return NULL;
}

void
control_free(struct control *ctl)
{
	struct control_conn *c;
	struct stat st;

	if (ctl == NULL)
		return;
	while ((c = TAILQ_FIRST(&ctl->conns)) != NULL)
		conn_free(c);
	if (ctl->ev_accept != NULL)
		event_free(ctl->ev_accept);
	if (ctl->ev_resume != NULL)
		event_free(ctl->ev_resume);
	close(ctl->fd);
	/* Another daemon may have replaced the file since: leave it then. */
	if (lstat(ctl->sun.sun_path, &st) == 0 && st.st_dev == ctl->dev &&
	    st.st_ino == ctl->ino)
		unlink(ctl->sun.sun_path);
	free(ctl);
}

void
control_set_timeout(struct control *ctl, unsigned int ms)
{
	ctl->timeout_ms = ms;
}

static void
control_accept(evutil_socket_t fd, short what, void *arg)
{
	static const char busy[] = "{\"error\":\"too many control clients; "
	    "try again\"}\n";
	struct control *ctl = arg;
	struct timeval tv = { 1, 0 };
	int cfd;

	(void)what;
	for (;;) {
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd == -1) {
			switch (errno) {
			case EAGAIN:
#if EWOULDBLOCK != EAGAIN
			case EWOULDBLOCK:
#endif
			case EINTR:
			case ECONNABORTED:
				return;
			case EMFILE:
			case ENFILE:
			case ENOBUFS:
			case ENOMEM:
				/* Listening on would only spin: wait a bit. */
				log_warn("control socket: accept");
				event_del(ctl->ev_accept);
				evtimer_add(ctl->ev_resume, &tv);
				return;
			default:
				log_warn("control socket: accept");
				return;
			}
		}
		if (ctl->nconns >= CONTROL_CLIENTS_MAX) {
			/* Best effort: a full socket buffer just loses it. */
			(void)send(cfd, busy, sizeof(busy) - 1,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
			close(cfd);
			log_debug("control socket: too many clients, one "
			    "turned away");
			continue;
		}
		conn_new(ctl, cfd);
	}
}


static void
control_resume(evutil_socket_t fd, short what, void *arg)
{
	struct control *ctl = arg;

	(void)fd;
	(void)what;
	event_add(ctl->ev_accept, NULL);
}

static void
conn_new(struct control *ctl, int fd)
{
	struct control_conn *c;
	struct timeval tv;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("control socket: client");
		close(fd);
		return;
	}
	c->ctl = ctl;
	c->fd = fd;
	if (osdep_peer_cred(fd, &c->peer.uid, &c->peer.pid) == 0)
		c->peer.known = 1;
	else
		log_debug("control socket: peer credentials: %s",
		    strerror(errno));
	json_init(&c->reply, CONTROL_REPLY_MAX);
	TAILQ_INSERT_TAIL(&ctl->conns, c, entry);
	ctl->nconns++;
	c->ev_read = event_new(ctl->base, fd, EV_READ | EV_PERSIST,
	    conn_read, c);
	c->ev_write = event_new(ctl->base, fd, EV_WRITE | EV_PERSIST,
	    conn_write, c);
	c->ev_timeout = evtimer_new(ctl->base, conn_timeout, c);
	tv.tv_sec = ctl->timeout_ms / 1000;
	tv.tv_usec = (ctl->timeout_ms % 1000) * 1000;
	if (c->ev_read == NULL || c->ev_write == NULL ||
	    c->ev_timeout == NULL || event_add(c->ev_read, NULL) == -1 ||
	    evtimer_add(c->ev_timeout, &tv) == -1) {
		log_warnx("control socket: cannot set up a client's events");
		conn_free(c);
	}
}

static void
conn_free(struct control_conn *c)
{
	struct control *ctl = c->ctl;

	TAILQ_REMOVE(&ctl->conns, c, entry);
	ctl->nconns--;
	if (c->monitor)
		ctl->nmonitors--;
	if (c->ev_read != NULL)
		event_free(c->ev_read);
	if (c->ev_write != NULL)
		event_free(c->ev_write);
	if (c->ev_timeout != NULL)
		event_free(c->ev_timeout);
	if (c->out != NULL)
		evbuffer_free(c->out);
	close(c->fd);
	json_free(&c->reply);
	free(c);
}

static void
conn_read(evutil_socket_t fd, short what, void *arg)
{
	struct control_conn *c = arg;
	const uint8_t *nl;
	size_t linelen;
	ssize_t n;

	(void)what;
	if (c->monitor) {
		/* A monitor says nothing more; EOF or an error ends it. */
		n = recv(fd, c->req, sizeof(c->req), 0);
		if (n == 0 || (n == -1 && errno != EAGAIN &&
		    errno != EWOULDBLOCK && errno != EINTR))
			conn_free(c);
		return;
	}
	n = recv(fd, c->req + c->reqlen, sizeof(c->req) - c->reqlen, 0);
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		log_debug("control socket: client: recv: %s",
		    strerror(errno));
		conn_free(c);
		return;
	}
	if (n == 0 && c->reqlen == 0) {
		/* Connected and left without a word: nothing to answer. */
		conn_free(c);
		return;
	}
	c->reqlen += (size_t)n;
	nl = memchr(c->req, '\n', c->reqlen);
	if (nl == NULL && n > 0 && c->reqlen < sizeof(c->req))
		return;		/* more to come */

	event_del(c->ev_read);
	if (nl != NULL) {
		linelen = (size_t)(nl - c->req);
		if (linelen + 1 != c->reqlen) {
			conn_answer(c, NULL, 0,
			    "one request per connection");
			return;
		}
		/* Tolerate CRLF from line-oriented tools such as nc -C. */
		if (linelen > 0 && c->req[linelen - 1] == '\r')
			linelen--;
		conn_answer(c, c->req, linelen, NULL);
	} else {
		/* Ended by EOF, or too long: the parser tells which. */
		conn_answer(c, c->req, c->reqlen, NULL);
	}
}

/* Builds the reply for the request (or the error given) and sends it. */
static void
conn_answer(struct control_conn *c, const uint8_t *line, size_t len,
    const char *error)
{
	struct control *ctl = c->ctl;
	struct control_req req;
	char err[CONTROL_MSG_MAX];

	if (error == NULL &&
	    control_parse_request(line, len, &req, err, sizeof(err)) == -1)
		error = err;
	if (error == NULL && req.verb == CTL_VERB_MONITOR &&
	    ctl->nmonitors >= CONTROL_MONITORS_MAX)
		error = "too many monitors; try again later";
	if (error != NULL) {
		log_debug("control socket: bad request: %s", error);
		control_reply_error(&c->reply, error);
	} else
		control_reply_from(ctl->ops, ctl->arg, &req, &c->peer,
		    &c->reply);
	json_tail(&c->reply, "\n");
	if (error == NULL && req.verb == CTL_VERB_MONITOR) {
		conn_monitor(c);
		return;
	}
	conn_write(c->fd, EV_WRITE, c);
}

/*
 * The client asked to follow events: its reply ("ok") goes first, then
 * whatever control_event() queues, for as long as it stays connected.
 * A client that does not read is dropped once CONTROL_MONITOR_BACKLOG
 * bytes wait for it, so that it costs the daemon a bounded buffer.
 */
static void
conn_monitor(struct control_conn *c)
{
	const char *data;
	size_t len;

	c->monitor = 1;
	c->ctl->nmonitors++;
	evtimer_del(c->ev_timeout);
	if ((c->out = evbuffer_new()) == NULL ||
	    (data = json_data(&c->reply, &len)) == NULL ||
	    evbuffer_add(c->out, data, len) == -1 ||
	    event_add(c->ev_read, NULL) == -1) {
		log_warnx("control socket: cannot set up a monitor");
		conn_free(c);
		return;
	}
	json_free(&c->reply);
	json_init(&c->reply, CONTROL_REPLY_MAX);
	log_debug("control socket: a monitor joined");
	monitor_write(c);
}

static void
monitor_write(struct control_conn *c)
{
	int n;

	while (evbuffer_get_length(c->out) > 0) {
		n = evbuffer_write(c->out, c->fd);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			log_debug("control socket: monitor: send: %s",
			    strerror(errno));
			conn_free(c);
			return;
		}
	}
	if (evbuffer_get_length(c->out) > 0) {
		if (event_add(c->ev_write, NULL) == -1)
			conn_free(c);
	} else
		event_del(c->ev_write);
}

/* ISO 8601 UTC with milliseconds, for event lines. */
static void
event_time(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

void
control_event(struct control *ctl, const char *tunnel, enum ctl_event ev,
    const char *detail)
{
	struct control_conn *c, *next;
	struct json j;
	const char *data;
	char when[64];
	size_t len;

	if (ctl == NULL || ctl->nmonitors == 0)
		return;
	event_time(when, sizeof(when));
	json_init(&j, CONTROL_EVENT_MAX);
	json_obj_open(&j, NULL);
	json_str(&j, CTL_KEY_TIME, when);
	json_str(&j, CTL_KEY_TUNNEL, tunnel);
	json_str(&j, CTL_KEY_EVENT, ctl_event_name(ev));
	json_str(&j, CTL_KEY_DETAIL, detail);
	json_obj_close(&j);
	json_tail(&j, "\n");
	if ((data = json_data(&j, &len)) == NULL) {
		json_free(&j);
		return;
	}
	for (c = TAILQ_FIRST(&ctl->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (!c->monitor)
			continue;
		if (evbuffer_get_length(c->out) + len >
		    CONTROL_MONITOR_BACKLOG) {
			log_info("control socket: a monitor that does not "
			    "read was dropped");
			conn_free(c);
			continue;
		}
		if (evbuffer_add(c->out, data, len) == -1) {
			conn_free(c);
			continue;
		}
		monitor_write(c);
	}
	json_free(&j);
}

static void
conn_write(evutil_socket_t fd, short what, void *arg)
{
	struct control_conn *c = arg;
	const char *data;
	size_t len;
	ssize_t n;

	(void)what;
	if (c->monitor) {
		monitor_write(c);
		return;
	}
	if ((data = json_data(&c->reply, &len)) == NULL) {
		log_warnx("control socket: could not build a reply");
		conn_free(c);
		return;
	}
	while (c->sent < len) {
		n = send(fd, data + c->sent, len - c->sent, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				if (event_add(c->ev_write, NULL) == -1)
					conn_free(c);
				return;
			}
			log_debug("control socket: client: send: %s",
			    strerror(errno));
			conn_free(c);
			return;
		}
		c->sent += (size_t)n;
	}
	conn_free(c);
}

static void
conn_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct control_conn *c = arg;

	(void)fd;
	(void)what;
	log_debug("control socket: client %s in %u ms; dropped",
	    c->reqlen == 0 && c->sent == 0 ? "sent nothing" :
	    "did not finish", c->ctl->timeout_ms);
	conn_free(c);
}
