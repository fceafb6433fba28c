/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The control protocol between pptpcd and pptpctl, written once (as
 * npppd_ctl.h serves npppd and npppctl): the request verbs and their
 * words, the limits, and the keys of the session object with how pptpctl
 * shows each.  Both programs build their tables from the lists below, so
 * a verb or a field cannot be added to one side only; t_ctl_proto checks
 * that what pptpctl sends is what pptpcd parses and that the daemon
 * writes exactly these keys in this order.
 *
 * The wire format itself is described in control.h.
 */
#ifndef PPTPC_CTL_H
#define PPTPC_CTL_H

/* A tunnel's name: 1 to 15 of [A-Za-z0-9_-]. */
#define PPTPC_NAME_MAX		15
/* One request line, without its newline. */
#define PPTPC_CTL_REQ_MAX	512

/*
 * V(id, words, takes_name): the request is the words, then the tunnel's
 * name where takes_name is 1.
 */
#define PPTPC_CTL_VERBS(V)					\
	V(SHOW_SESSIONS,	"show sessions",	0)	\
	V(SHOW_SESSION,		"show session",		1)	\
	V(CONNECT,		"connect",		1)	\
	V(DISCONNECT,		"disconnect",		1)	\
	V(RELOAD,		"reload",		0)	\
	V(MONITOR,		"monitor",		0)

#define PPTPC_CTL_VERB_ENUM(id, words, name)	CTL_VERB_##id,
enum ctl_verb {
	PPTPC_CTL_VERBS(PPTPC_CTL_VERB_ENUM)
	CTL_VERB_MAX
};
#undef PPTPC_CTL_VERB_ENUM

/* The words of a verb's request ("show session"), NULL for no verb. */
static inline const char *
ctl_verb_words(enum ctl_verb v)
{
#define PPTPC_CTL_VERB_WORDS(id, words, name)			\
	case CTL_VERB_##id:					\
		return words;
	switch (v) {
	PPTPC_CTL_VERBS(PPTPC_CTL_VERB_WORDS)
	default:
		break;
	}
#undef PPTPC_CTL_VERB_WORDS
	return NULL;
}

static inline int
ctl_verb_takes_name(enum ctl_verb v)
{
#define PPTPC_CTL_VERB_NAME(id, words, name)			\
	case CTL_VERB_##id:					\
		return name;
	switch (v) {
	PPTPC_CTL_VERBS(PPTPC_CTL_VERB_NAME)
	default:
		break;
	}
#undef PPTPC_CTL_VERB_NAME
	return 0;
}

/* The reply document's own keys (control.h). */
#define CTL_KEY_SESSIONS	"sessions"
#define CTL_KEY_SESSION		"session"
#define CTL_KEY_OK		"ok"
#define CTL_KEY_MESSAGE		"message"
#define CTL_KEY_ERROR		"error"

/*
 * "monitor": after {"ok":true} the connection stays open and carries one
 * JSON object a line for each event, {"time":"2026-12-06T20:50:01.123Z",
 * "tunnel":"office","event":"state","detail":"up"}, "tunnel" null for
 * the daemon's own events.  E(id, name): the events.
 */
#define CTL_KEY_TIME		"time"
#define CTL_KEY_TUNNEL		"tunnel"
#define CTL_KEY_EVENT		"event"
#define CTL_KEY_DETAIL		"detail"

#define PPTPC_CTL_EVENTS(E)					\
	E(STATE,		"state")	/* detail: the new state */ \
	E(ENGINE,		"engine")	/* detail: its name */	\
	E(ERROR,		"error")	/* detail: what failed */ \
	E(RELOAD,		"reload")	/* detail: what changed */ \
	E(ADDED,		"added")	/* a tunnel, by a reload */ \
	E(REMOVED,		"removed")	/* likewise */

#define PPTPC_CTL_EVENT_ENUM(id, name)	CTL_EVENT_##id,
enum ctl_event {
	PPTPC_CTL_EVENTS(PPTPC_CTL_EVENT_ENUM)
	CTL_EVENT_MAX
};
#undef PPTPC_CTL_EVENT_ENUM

static inline const char *
ctl_event_name(enum ctl_event e)
{
#define PPTPC_CTL_EVENT_NAME(id, name)				\
	case CTL_EVENT_##id:					\
		return name;
	switch (e) {
	PPTPC_CTL_EVENTS(PPTPC_CTL_EVENT_NAME)
	default:
		break;
	}
#undef PPTPC_CTL_EVENT_NAME
	return "unknown";
}

/* S(id, name): a session's states, in the order of its life. */
#define PPTPC_CTL_STATES(S)					\
	S(IDLE,			"idle")				\
	S(CONNECTING,		"connecting")			\
	S(AUTHENTICATING,	"authenticating")		\
	S(NETWORK,		"network")			\
	S(UP,			"up")				\
	S(CLOSING,		"closing")			\
	S(BACKOFF,		"backoff")

#define PPTPC_CTL_STATE_ENUM(id, name)	SESSION_##id,
enum session_state {
	PPTPC_CTL_STATES(PPTPC_CTL_STATE_ENUM)
};
#undef PPTPC_CTL_STATE_ENUM

/* "up", ...; "unknown" for a value outside the enum (a bug elsewhere). */
static inline const char *
session_state_name(enum session_state st)
{
#define PPTPC_CTL_STATE_NAME(id, name)				\
	case SESSION_##id:					\
		return name;
	switch (st) {
	PPTPC_CTL_STATES(PPTPC_CTL_STATE_NAME)
	default:
		break;
	}
#undef PPTPC_CTL_STATE_NAME
	return "unknown";
}

/*
 * K(id, key, label, kind): the session object's keys in the order the
 * daemon writes them, the label pptpctl's "show session" gives each, and
 * how it formats the value (enum ctl_show).  Counters the engine carrying
 * the session cannot tell are null (see session_info.h).  These names are
 * the contract with scripts: add, never rename.
 */
#define PPTPC_CTL_KEYS(K)						\
	K(NAME,		"name",		"name",			TEXT)	\
	K(STATE,	"state",	"state",		TEXT)	\
	K(SERVER,	"server",	"server",		TEXT)	\
	K(SERVER_ADDR,	"server_addr",	"server address",	TEXT)	\
	K(INTERFACE,	"interface",	"interface",		TEXT)	\
	K(LOCAL_IP,	"local_ip",	"local address",	TEXT)	\
	K(PEER_IP,	"peer_ip",	"peer address",		TEXT)	\
	K(LOCAL_IP6,	"local_ip6",	"local ipv6",		TEXT)	\
	K(PEER_IP6,	"peer_ip6",	"peer ipv6",		TEXT)	\
	K(DNS,		"dns",		"dns",			DNS)	\
	K(DNS_APPLIED,	"dns_applied",	"dns applied by",	TEXT)	\
	K(ENGINE,	"engine",	"engine",		TEXT)	\
	K(MPPE,		"mppe",		"mppe",			TEXT)	\
	K(AUTH,		"auth",		"auth",			TEXT)	\
	K(MTU,		"mtu",		"mtu",			TEXT)	\
	K(TCP_MSS,	"tcp_mss",	"tcp mss clamp",	TEXT)	\
	K(KILL_SWITCH,	"kill_switch",	"kill switch",		TEXT)	\
	K(UPTIME,	"uptime_s",	"uptime",		DURATION) \
	K(TX_PACKETS,	"tx_packets",	"tx packets",		COUNT)	\
	K(TX_BYTES,	"tx_bytes",	"tx bytes",		BYTES)	\
	K(RX_PACKETS,	"rx_packets",	"rx packets",		COUNT)	\
	K(RX_BYTES,	"rx_bytes",	"rx bytes",		BYTES)	\
	K(RX_ERRORS,	"rx_errors",	"rx errors",		COUNT)	\
	K(RX_LOST,	"rx_lost",	"rx lost",		COUNT)	\
	K(GRE_REORDERED, "gre_reordered", "gre reordered",	COUNT)	\
	K(GRE_LATE,	"gre_late",	"gre late",		COUNT)	\
	K(GRE_DUPLICATE, "gre_duplicate", "gre duplicate",	COUNT)	\
	K(GRE_OUT_OF_WINDOW, "gre_out_of_window", "gre out of window", COUNT) \
	K(GRE_RESYNCS,	"gre_resyncs",	"gre resyncs",		COUNT)	\
	K(MPPE_UNDECRYPTABLE, "mppe_undecryptable", "mppe undecryptable", COUNT) \
	K(MPPE_OVER_BUDGET, "mppe_over_budget", "mppe over budget",	COUNT) \
	K(MPPE_RESETS_SENT, "mppe_resets_sent", "mppe resets sent", COUNT) \
	K(MPPE_RESETS_RECEIVED, "mppe_resets_received",		\
	    "mppe resets rcvd",	COUNT)					\
	K(CLEARTEXT_DROPPED, "cleartext_dropped", "cleartext dropped", COUNT) \
	K(LCP_ECHO_RTT,	"lcp_echo_rtt_ms", "lcp echo rtt",	MS)	\
	K(LCP_ECHOES_MISSED, "lcp_echoes_missed", "lcp echoes missed", COUNT) \
	K(RECONNECTS,	"reconnects",	"reconnects",		COUNT)	\
	K(NEXT_ATTEMPT,	"next_attempt_s", "next attempt in",	DURATION) \
	K(LAST_ERROR,	"last_error",	"last error",		TEXT)

enum ctl_show {
	CTL_SHOW_TEXT,		/* as it comes; null is "-" */
	CTL_SHOW_COUNT,		/* a number */
	CTL_SHOW_BYTES,		/* a number, and 1.2M beside it */
	CTL_SHOW_DURATION,	/* seconds as 3h04m */
	CTL_SHOW_MS,		/* milliseconds, "12 ms" */
	CTL_SHOW_DNS,		/* an array of addresses */
};

#define PPTPC_CTL_KEY_ENUM(id, key, label, kind)	SK_##id,
enum session_key {
	PPTPC_CTL_KEYS(PPTPC_CTL_KEY_ENUM)
	SESSION_KEY_MAX
};
#undef PPTPC_CTL_KEY_ENUM

/* The JSON key of a session field, "" for no field. */
static inline const char *
session_key(enum session_key k)
{
#define PPTPC_CTL_KEY_NAME(id, key, label, kind)		\
	case SK_##id:						\
		return key;
	switch (k) {
	PPTPC_CTL_KEYS(PPTPC_CTL_KEY_NAME)
	default:
		break;
	}
#undef PPTPC_CTL_KEY_NAME
	return "";
}

#endif /* PPTPC_CTL_H */
