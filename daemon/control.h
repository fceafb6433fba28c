/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The control socket: pptpctl's way into the daemon.
 *
 * A client connects to a UNIX stream socket (mode 0660, owned by the user
 * and group pptpcd runs as: root),
 * sends one request line of at most CONTROL_REQ_MAX printable ASCII bytes
 * ended by a newline (or by shutting down its side), and gets one JSON
 * document, ended by a newline, before the daemon closes the connection:
 *
 *	show sessions		{"sessions":[{...},...]}
 *	show session NAME	{"session":{...}}
 *	connect NAME		{"ok":true} or {"ok":true,"message":"..."}
 *	disconnect NAME		likewise
 *	reload			likewise
 *	monitor			{"ok":true}, then one event object a line
 *				(pptpc_ctl.h) until the client leaves
 *	anything else		{"error":"..."}
 *
 * Words are separated by spaces.  A request that is too long, holds a
 * byte that is not printable ASCII, has an unknown verb, a missing or
 * extra argument, or a tunnel name with characters other than letters,
 * digits, "_" and "-", gets an error and changes nothing.  A client has
 * CONTROL_TIMEOUT_MS from connecting to being answered in full, so one
 * that sends nothing or reads nothing is dropped, and the reply is built
 * at once into a buffer of at most CONTROL_REPLY_MAX bytes: no client can
 * block the daemon or make it hold more than that.  connect, disconnect
 * and reload are logged with the client's uid and pid, as the kernel
 * gives them (SO_PEERCRED).
 */
#ifndef PPTPC_CONTROL_H
#define PPTPC_CONTROL_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "pptpc_ctl.h"
#include "session_info.h"

#define CONTROL_REQ_MAX		PPTPC_CTL_REQ_MAX
#define CONTROL_CLIENTS_MAX	16
#define CONTROL_TIMEOUT_MS	5000
/* show sessions: about 1 kB a tunnel in JSON; 4000 tunnels fit. */
#define CONTROL_REPLY_MAX	(4 * 1024 * 1024)
#define CONTROL_MSG_MAX		256
/* Monitors: how many at once, one event's size, what may wait unread. */
#define CONTROL_MONITORS_MAX	8
#define CONTROL_EVENT_MAX	1024
#define CONTROL_MONITOR_BACKLOG	(256 * 1024)

struct event_base;
struct json;
struct control;

/*
 * The daemon's side.  Each op gets the arg given to control_new().  An op
 * that fails returns -1 and writes why into msg (msglen bytes, NUL-
 * terminated; it becomes the "error" text, so it must never hold a
 * secret); one that succeeds returns 0 and may leave a note in msg.
 * control.c checks that NAME is a configured tunnel (through list) before
 * it calls connect or disconnect.  No op may free the struct control.
 */
struct control_ops {
	/*
	 * Calls visit once for every tunnel, in configuration order, with
	 * a struct session_info that need only live during the call.
	 */
	void	(*list)(void *arg,
		    void (*visit)(const struct session_info *, void *),
		    void *visit_arg);
	int	(*connect)(void *arg, const char *name, char *msg,
		    size_t msglen);
	int	(*disconnect)(void *arg, const char *name, char *msg,
		    size_t msglen);
	int	(*reload)(void *arg, char *msg, size_t msglen);
};


/* Who sent a request, from the kernel (osdep_peer_cred()). */
struct control_peer {
	int			known;
	uid_t			uid;
	pid_t			pid;	/* <= 0 where the system does not say */
};

struct control_req {
	enum ctl_verb	verb;
	char			name[SESSION_NAME_MAX];	/* "" for no name */
};

/*
 * Creates the socket at path and serves it on base.  A socket file that
 * nothing listens on is replaced; one that another pptpcd answers on, or
 * a path that is not a socket, is refused.  Returns NULL, having logged
 * why, on failure.
 */
struct control	*control_new(struct event_base *, const char *path,
		    const struct control_ops *, void *arg);
/* Drops every client, closes and removes the socket. */
void		 control_free(struct control *);
/*
 * Tells every monitoring client: tunnel is NULL for the daemon's own
 * events, detail may be NULL.  Never blocks: a client that does not read
 * is dropped once CONTROL_MONITOR_BACKLOG bytes wait for it.  ctl may be
 * NULL (no control socket).
 */
void		 control_event(struct control *, const char *tunnel,
		    enum ctl_event, const char *detail);
/* Overrides CONTROL_TIMEOUT_MS (tests use a short one). */
void		 control_set_timeout(struct control *, unsigned int ms);

/*
 * The pure halves, for tests and the fuzz target.  control_parse_request
 * reads one request line (without its newline) and returns 0, or -1 with
 * a message for the client in err.  control_reply writes the whole reply
 * document for a request into j; it calls the ops.
 */
int		 control_parse_request(const uint8_t *, size_t,
		    struct control_req *, char *err, size_t errlen);
void		 control_reply(const struct control_ops *, void *arg,
		    const struct control_req *, struct json *j);
/* The same, naming peer in the log line of connect, disconnect, reload. */
void		 control_reply_from(const struct control_ops *, void *arg,
		    const struct control_req *, const struct control_peer *,
		    struct json *j);
/* The error document {"error":msg}. */
void		 control_reply_error(struct json *j, const char *msg);

#endif /* PPTPC_CONTROL_H */
