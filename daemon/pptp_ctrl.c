/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * PPTP control connection, client (PNS) side: RFC 2637 §3.1.1 (control
 * connection originator) and §3.1.3 (outgoing call originator).
 *
 * Policy for what the server sends:
 *   - a message that breaks framing (bad cookie, impossible length) or is
 *     malformed (wrong length for its type, impossible field) ends the
 *     connection at once: after that we cannot trust where the next
 *     message starts, and answering a broken peer helps nobody;
 *   - a well-framed message of an unknown type, or one that makes no sense
 *     in the current state, is logged and ignored, so that a server with
 *     extensions or a late reply does not take the tunnel down;
 *   - Echo-Request, StopCCRQ and CDN are honoured in every state.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "compat.h"
#include "log.h"
#include "pptp_ctrl.h"
#include "pptp_msg.h"
#include "ratelog.h"
#include "timer.h"

#define DEF_WINDOW		64
#define DEF_ECHO_MS		60000	/* §3: 60 s idle, then Echo-Request */
#define DEF_CONNECT_MS		60000	/* §3: 60 s to set up */
#define DEF_REPLY_MS		60000	/* §3: 60 s for any expected reply */
#define DEF_CLOSE_MS		10000	/* hanging up need not wait a minute */
#define DEF_VENDOR		"pptpc"
/* What pptpclient asks for; servers ignore the figures. */
#define OCRQ_MIN_BPS		2400
#define OCRQ_MAX_BPS		10000000
#define FIRMWARE_REVISION	1

struct pptp_ctrl {
	char			 tag[32];
	char			 hostname[PPTP_HOSTNAME_LEN + 1];
	char			 vendor[PPTP_VENDOR_LEN + 1];
	uint16_t		 call_id;
	uint16_t		 recv_window;
	uint16_t		 proc_delay;
	unsigned int		 echo_ms;
	unsigned int		 echo_max;
	unsigned int		 connect_ms;
	unsigned int		 reply_ms;
	unsigned int		 close_ms;

	struct pptp_ctrl_ops	 ops;
	void			*arg;
	struct timer_base	*tb;
	struct timer		 state_timer;	/* connect, reply, close */
	struct timer		 echo_timer;

	enum pptp_ctrl_state	 state;
	struct pptp_framer	 framer;
	struct pptp_call_info	 call;
	int			 have_peer_id;	/* call.peer_call_id is known */
	int			 call_is_up;	/* call_down() owed */
	/* Why we are stopping: given to closed() once StopCCRP arrives. */
	struct pptp_ctrl_reason	 pending;
	int			 have_pending;
	char			 peer_hostname[PPTP_HOSTNAME_LEN + 1];
	char			 peer_vendor[PPTP_VENDOR_LEN + 1];

	uint32_t		 echo_id;
	int			 echo_outstanding;
	uint64_t		 echo_sent_at;
	uint64_t		 last_rx;
	struct pptp_ctrl_stats	 st;

	/*
	 * Lines the server can trigger per message (ratelog.h): messages
	 * ignored, WAN error reports, and the debug trace of what came and
	 * went, by type so that a handshake still shows every step.
	 */
	struct ratelog		 rl_ignored;
	struct ratelog		 rl_wen;
	struct ratelog		 rl_sent[PPTP_TYPE_MAX + 1];
	struct ratelog		 rl_recv[PPTP_TYPE_MAX + 1];
	struct ratelog		 rl_stale;

	int			 depth;		/* entry points on the stack */
	int			 dead;		/* freed while on the stack */
	int			 broken;	/* ops.write failed */
};

static const char *const state_names[] = {
	[PPTP_CTRL_IDLE] = "idle",
	[PPTP_CTRL_WAIT_CTL_REPLY] = "wait-ctl-reply",
	[PPTP_CTRL_ESTABLISHED] = "established",
	[PPTP_CTRL_WAIT_REPLY] = "wait-call-reply",
	[PPTP_CTRL_CALL_ESTABLISHED] = "call-established",
	[PPTP_CTRL_WAIT_CDN] = "wait-cdn",
	[PPTP_CTRL_WAIT_STOP_REPLY] = "wait-stop-reply",
	[PPTP_CTRL_CLOSED] = "closed",
};

static void	state_timeout(void *);
static void	echo_timeout(void *);

const char *
pptp_ctrl_state_name(enum pptp_ctrl_state s)
{
	if ((unsigned int)s >= sizeof(state_names) / sizeof(state_names[0]))
		return "unknown";
	return state_names[s];
}

static int
alive(const struct pptp_ctrl *c)
{
	return !c->dead && c->state != PPTP_CTRL_CLOSED;
}

static void
reason_set(struct pptp_ctrl_reason *r, enum pptp_ctrl_why why,
    const char *fmt, ...) __attribute__((__format__(printf, 3, 4)));

static void
reason_set(struct pptp_ctrl_reason *r, enum pptp_ctrl_why why,
    const char *fmt, ...)
{
	va_list ap;

	memset(r, 0, sizeof(*r));
	r->why = why;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof(r->text), fmt, ap);
	va_end(ap);
}

/* "result 2 (general error), error 4 (no resource)[, cause 7]" */
static void
reason_codes(struct pptp_ctrl_reason *r, enum pptp_ctrl_why why,
    const char *what, unsigned int type, uint8_t result, uint8_t error,
    uint16_t cause)
{
	reason_set(r, why, "%s: result %u (%s), error %u (%s)", what, result,
	    pptp_result_name(type, result), error, pptp_error_name(error));
	if (cause != 0) {
		size_t n = strlen(r->text);

		snprintf(r->text + n, sizeof(r->text) - n, ", cause %u",
		    cause);
	}
	r->msg_type = type;
	r->result = result;
	r->error = error;
	r->cause = cause;
}

/* Durations in log lines: "60 s", or "1500 ms" when not whole seconds. */
static const char *
duration(char *buf, size_t len, unsigned int ms)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%u s", ms / 1000);
	else
		snprintf(buf, len, "%u ms", ms);
	return buf;
}

static void
set_state(struct pptp_ctrl *c, enum pptp_ctrl_state s)
{
	if (c->state != s)
		log_debug("%s: pptp: %s -> %s", c->tag,
		    pptp_ctrl_state_name(c->state), pptp_ctrl_state_name(s));
	c->state = s;
}

static void
send_msg(struct pptp_ctrl *c, const struct pptp_msg *m)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct wbuf w;

	if (c->broken)
		return;
	wbuf_init(&w, buf, sizeof(buf));
	if (pptp_msg_encode(&w, m) == -1) {
		/* Only a bug gets here: every type fits the buffer. */
		log_warnx("%s: pptp: cannot encode %s", c->tag,
		    pptp_type_name(m->type));
		c->broken = 1;
		return;
	}
	RATELOG_LINE(&c->rl_sent[m->type <= PPTP_TYPE_MAX ? m->type : 0],
	    c->tb, RATELOG_DEBUG, "%s: pptp: sent %s", c->tag,
	    pptp_type_name(m->type));
	/* A failed write is acted on when the engine's frame unwinds. */
	if (c->ops.write(c->arg, buf, wbuf_len(&w)) == -1) {
		c->broken = 1;
		return;
	}
	c->st.msgs_out++;
	c->st.bytes_out += wbuf_len(&w);
}

/*
 * The end: owes call_down() if the call was up, then closed().  Exactly
 * one log line says why, at warning level unless we asked for it.
 */
static void
finish(struct pptp_ctrl *c, const struct pptp_ctrl_reason *r)
{
	struct pptp_ctrl_reason copy = *r;

	timer_stop(&c->state_timer);
	timer_stop(&c->echo_timer);
	if (copy.why == PPTP_WHY_LOCAL)
		log_info("%s: %s", c->tag, copy.text);
	else
		log_warnx("%s: %s", c->tag, copy.text);
	if (c->call_is_up) {
		c->call_is_up = 0;
		if (c->ops.call_down != NULL)
			c->ops.call_down(c->arg, &copy);
		if (c->dead)
			return;
	}
	set_state(c, PPTP_CTRL_CLOSED);
	c->ops.closed(c->arg, &copy);
}

/* Tells the tunnel its call is gone; returns whether we still live. */
static int
call_ended(struct pptp_ctrl *c, const struct pptp_ctrl_reason *r)
{
	if (c->call_is_up) {
		c->call_is_up = 0;
		if (c->ops.call_down != NULL)
			c->ops.call_down(c->arg, r);
	}
	return alive(c);
}

/* Sends StopCCRQ; closed() will report r (or an earlier reason). */
static void
begin_stop(struct pptp_ctrl *c, uint8_t stop_reason,
    const struct pptp_ctrl_reason *r)
{
	struct pptp_msg m;

	if (!c->have_pending) {
		c->pending = *r;
		c->have_pending = 1;
	}
	timer_stop(&c->echo_timer);
	pptp_msg_init(&m, PPTP_STOPCCRQ);
	m.u.stopccrq.reason = stop_reason;
	send_msg(c, &m);
	set_state(c, PPTP_CTRL_WAIT_STOP_REPLY);
	timer_set(&c->state_timer, c->close_ms);
}

static void
local_reason(struct pptp_ctrl_reason *r)
{
	reason_set(r, PPTP_WHY_LOCAL, "control connection closed on request");
}

static void
enter(struct pptp_ctrl *c)
{
	c->depth++;
}

static void
destroy(struct pptp_ctrl *c)
{
	timer_free(&c->state_timer);
	timer_free(&c->echo_timer);
	free(c);
}

/* Unwinds one entry point; c may be gone afterwards. */
static void
leave(struct pptp_ctrl *c)
{
	struct pptp_ctrl_reason r;

	if (c->depth == 1 && c->broken && alive(c)) {
		reason_set(&r, PPTP_WHY_IO,
		    "cannot write to the control connection");
		finish(c, &r);
	}
	if (--c->depth == 0 && c->dead)
		destroy(c);
}

struct pptp_ctrl *
pptp_ctrl_new(const struct pptp_ctrl_config *cfg,
    const struct pptp_ctrl_ops *ops, void *arg, struct timer_base *tb)
{
	struct pptp_ctrl *c;

	if (ops->write == NULL || ops->closed == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	strlcpy(c->tag, cfg->tag != NULL ? cfg->tag : "pptp", sizeof(c->tag));
	strlcpy(c->hostname, cfg->hostname != NULL ? cfg->hostname : "",
	    sizeof(c->hostname));
	strlcpy(c->vendor, cfg->vendor != NULL ? cfg->vendor : DEF_VENDOR,
	    sizeof(c->vendor));
	c->call_id = cfg->call_id;
	c->recv_window = cfg->recv_window ? cfg->recv_window : DEF_WINDOW;
	c->proc_delay = cfg->proc_delay;
	c->echo_ms = cfg->echo_interval_ms ? cfg->echo_interval_ms :
	    DEF_ECHO_MS;
	c->echo_max = cfg->echo_max_failures ? cfg->echo_max_failures : 1;
	c->connect_ms = cfg->connect_timeout_ms ? cfg->connect_timeout_ms :
	    DEF_CONNECT_MS;
	c->reply_ms = cfg->reply_timeout_ms ? cfg->reply_timeout_ms :
	    DEF_REPLY_MS;
	c->close_ms = cfg->close_timeout_ms ? cfg->close_timeout_ms :
	    DEF_CLOSE_MS;
	c->ops = *ops;
	c->arg = arg;
	c->tb = tb;
	c->state = PPTP_CTRL_IDLE;
	c->call.call_id = c->call_id;
	c->st.echo_rtt_ms = -1;
	/* Unpredictable, so that a blind spoofer cannot answer our echo. */
	c->echo_id = arc4random();
	pptp_framer_init(&c->framer);
	timer_init(&c->state_timer, tb, state_timeout, c);
	timer_init(&c->echo_timer, tb, echo_timeout, c);
	timer_set(&c->state_timer, c->connect_ms);
	return c;
}

void
pptp_ctrl_free(struct pptp_ctrl *c)
{
	if (c == NULL)
		return;
	timer_stop(&c->state_timer);
	timer_stop(&c->echo_timer);
	if (c->depth > 0) {
		c->dead = 1;
		return;
	}
	destroy(c);
}

void
pptp_ctrl_start(struct pptp_ctrl *c)
{
	struct pptp_msg m;

	if (!alive(c) || c->state != PPTP_CTRL_IDLE)
		return;
	enter(c);
	pptp_msg_init(&m, PPTP_SCCRQ);
	m.u.scc.version = PPTP_VERSION;
	m.u.scc.framing = PPTP_FRAME_ASYNC | PPTP_FRAME_SYNC;
	m.u.scc.bearer = PPTP_BEARER_ANALOG | PPTP_BEARER_DIGITAL;
	m.u.scc.max_channels = 0;	/* §2.1: a PNS sends 0 */
	m.u.scc.firmware = FIRMWARE_REVISION;
	strlcpy(m.u.scc.hostname, c->hostname, sizeof(m.u.scc.hostname));
	strlcpy(m.u.scc.vendor, c->vendor, sizeof(m.u.scc.vendor));
	send_msg(c, &m);
	set_state(c, PPTP_CTRL_WAIT_CTL_REPLY);
	timer_set(&c->state_timer, c->reply_ms);
	leave(c);
}

static void
send_ocrq(struct pptp_ctrl *c)
{
	struct pptp_msg m;

	pptp_msg_init(&m, PPTP_OCRQ);
	m.u.ocrq.call_id = c->call_id;
	/* Only for the server's logs; the Call ID is what must be unique. */
	m.u.ocrq.serial = c->call_id;
	m.u.ocrq.min_bps = OCRQ_MIN_BPS;
	m.u.ocrq.max_bps = OCRQ_MAX_BPS;
	m.u.ocrq.bearer = PPTP_BEARER_ANY;
	m.u.ocrq.framing = PPTP_FRAME_ANY;
	m.u.ocrq.window = c->recv_window;
	m.u.ocrq.delay = c->proc_delay;
	send_msg(c, &m);
	set_state(c, PPTP_CTRL_WAIT_REPLY);
	timer_set(&c->state_timer, c->reply_ms);
}

static void
on_sccrp(struct pptp_ctrl *c, const struct pptp_scc *m, int bad_version)
{
	struct pptp_ctrl_reason r;

	/* A refusal may carry any version; the refusal is the news. */
	if (m->result != PPTP_SCCRP_SUCCESS) {
		reason_codes(&r, PPTP_WHY_REFUSED,
		    "server refused the control connection", PPTP_SCCRP,
		    m->result, m->error, 0);
		finish(c, &r);
		return;
	}
	if (bad_version) {
		reason_set(&r, PPTP_WHY_PROTOCOL,
		    "server speaks PPTP version %u.%u, only 1.0 is supported",
		    m->version >> 8, m->version & 0xff);
		r.msg_type = PPTP_SCCRP;
		begin_stop(c, PPTP_STOP_PROTOCOL, &r);
		return;
	}
	strlcpy(c->peer_hostname, m->hostname, sizeof(c->peer_hostname));
	strlcpy(c->peer_vendor, m->vendor, sizeof(c->peer_vendor));
	log_info("%s: control connection established with \"%s\" "
	    "(vendor \"%s\", firmware 0x%04x)", c->tag, m->hostname,
	    m->vendor, m->firmware);
	set_state(c, PPTP_CTRL_ESTABLISHED);
	send_ocrq(c);
}

static void
on_ocrp(struct pptp_ctrl *c, const struct pptp_ocrp *m)
{
	struct pptp_ctrl_reason r;

	if (m->peer_call_id != c->call_id) {
		c->st.ignored_in++;
		RATELOG_LINE(&c->rl_ignored, c->tb, RATELOG_WARN, "%s: "
		    "ignoring OCRP for call ID %u, ours is %u", c->tag,
		    m->peer_call_id, c->call_id);
		return;
	}
	if (m->result != PPTP_OCRP_CONNECTED) {
		reason_codes(&r, PPTP_WHY_REFUSED, "server refused the call",
		    PPTP_OCRP, m->result, m->error, m->cause);
		begin_stop(c, PPTP_STOP_NONE, &r);
		return;
	}
	timer_stop(&c->state_timer);
	c->call.peer_call_id = m->call_id;
	c->call.peer_window = m->window;
	c->call.peer_delay = m->delay;
	c->call.connect_speed = m->speed;
	c->have_peer_id = 1;
	set_state(c, PPTP_CTRL_CALL_ESTABLISHED);
	/* Until now the reply timers watched the server; now echo does. */
	c->last_rx = timer_now(c->tb);
	timer_set(&c->echo_timer, c->echo_ms);
	log_info("%s: call established: call ID %u, server's call ID %u, "
	    "window %u, delay %u.%u s, speed %u bps", c->tag, c->call_id,
	    m->call_id, m->window, m->delay / 10, m->delay % 10, m->speed);
	c->call_is_up = 1;
	if (c->ops.call_up != NULL)
		c->ops.call_up(c->arg, &c->call);
}

static void
on_stopccrq(struct pptp_ctrl *c, const struct pptp_stopccrq *m)
{
	struct pptp_msg rep;
	struct pptp_ctrl_reason r;

	pptp_msg_init(&rep, PPTP_STOPCCRP);
	rep.u.stopccrp.result = PPTP_STOPCCRP_OK;
	send_msg(c, &rep);
	/* If we were stopping already, our reason is the real story. */
	if (c->have_pending)
		r = c->pending;
	else {
		reason_set(&r, PPTP_WHY_PEER, "server stopped the control "
		    "connection: reason %u (%s)", m->reason,
		    pptp_result_name(PPTP_STOPCCRQ, m->reason));
		r.msg_type = PPTP_STOPCCRQ;
		r.result = m->reason;
	}
	finish(c, &r);
}

static int
cdn_is_ours(struct pptp_ctrl *c, const struct pptp_cdn *m)
{
	/* Before OCRP we do not know the server's Call ID: take any. */
	if (!c->have_peer_id || m->call_id == c->call.peer_call_id)
		return 1;
	c->st.ignored_in++;
	RATELOG_LINE(&c->rl_ignored, c->tb, RATELOG_WARN, "%s: ignoring CDN "
	    "for call ID %u, the server's is %u", c->tag, m->call_id,
	    c->call.peer_call_id);
	return 0;
}

static void
on_cdn(struct pptp_ctrl *c, const struct pptp_cdn *m)
{
	struct pptp_ctrl_reason r;

	switch (c->state) {
	case PPTP_CTRL_WAIT_REPLY:
	case PPTP_CTRL_CALL_ESTABLISHED:
		if (!cdn_is_ours(c, m))
			return;
		reason_codes(&r, PPTP_WHY_PEER, "server cleared the call",
		    PPTP_CDN, m->result, m->error, m->cause);
		if (m->stats[0] != '\0')
			log_info("%s: call statistics from the server: %s",
			    c->tag, m->stats);
		if (!call_ended(c, &r))
			return;
		begin_stop(c, PPTP_STOP_NONE, &r);
		break;
	case PPTP_CTRL_WAIT_CDN:
		if (!cdn_is_ours(c, m))
			return;
		local_reason(&r);
		if (!call_ended(c, &r))
			return;
		begin_stop(c, PPTP_STOP_NONE, &r);
		break;
	default:
		c->st.ignored_in++;
		RATELOG_LINE(&c->rl_ignored, c->tb, RATELOG_WARN, "%s: "
		    "ignoring CDN from server in state %s", c->tag,
		    pptp_ctrl_state_name(c->state));
		break;
	}
}

static void
on_echo_request(struct pptp_ctrl *c, const struct pptp_echo *m)
{
	struct pptp_msg rep;

	pptp_msg_init(&rep, PPTP_ECHORP);
	rep.u.echo.id = m->id;
	rep.u.echo.result = PPTP_ECHO_OK;
	send_msg(c, &rep);
	c->st.echo_answered++;
}

static void
on_echo_reply(struct pptp_ctrl *c, const struct pptp_echo *m)
{
	if (!c->echo_outstanding || m->id != c->echo_id) {
		/* A late answer to an earlier request: alive, nothing more. */
		RATELOG_LINE(&c->rl_stale, c->tb, RATELOG_DEBUG, "%s: pptp: "
		    "stale Echo-Reply %08x", c->tag, m->id);
		return;
	}
	c->echo_outstanding = 0;
	c->st.echo_replies++;
	c->st.echo_rtt_ms = (int64_t)(timer_now(c->tb) - c->echo_sent_at);
}

static void
on_icrq(struct pptp_ctrl *c, const struct pptp_icrq *m)
{
	struct pptp_msg rep;

	/*
	 * We never offered to take incoming calls; §2.10 result 3 tells the
	 * PAC to stop trying rather than to look for another PNS.
	 */
	RATELOG_LINE(&c->rl_ignored, c->tb, RATELOG_WARN, "%s: refusing "
	    "incoming call %u from the server", c->tag, m->call_id);
	pptp_msg_init(&rep, PPTP_ICRP);
	rep.u.icrp.call_id = 0;
	rep.u.icrp.peer_call_id = m->call_id;
	rep.u.icrp.result = PPTP_ICRP_DONOTACCEPT;
	send_msg(c, &rep);
}

static void
unexpected(struct pptp_ctrl *c, unsigned int type)
{
	c->st.ignored_in++;
	RATELOG_LINE(&c->rl_ignored, c->tb, RATELOG_WARN, "%s: ignoring %s "
	    "from server in state %s", c->tag, pptp_type_longname(type),
	    pptp_ctrl_state_name(c->state));
}

static void
fail_protocol(struct pptp_ctrl *c, const char *what, const char *why)
{
	struct pptp_ctrl_reason r;

	reason_set(&r, PPTP_WHY_PROTOCOL, "%s: %s", what, why);
	finish(c, &r);
}

static void
handle_msg(struct pptp_ctrl *c, const uint8_t *data, size_t len)
{
	struct pptp_msg m;
	enum pptp_msg_err e;
	char why[128];

	c->st.msgs_in++;
	e = pptp_msg_decode(data, len, &m, why, sizeof(why));
	if (e == PPTP_MSG_EUNKNOWN || e == PPTP_MSG_EMSGTYPE) {
		c->st.ignored_in++;
		RATELOG_LINE(&c->rl_ignored, c->tb, RATELOG_WARN, "%s: "
		    "ignoring a message from server: %s", c->tag, why);
		return;
	}
	if (e != PPTP_MSG_OK && e != PPTP_MSG_EVERSION) {
		fail_protocol(c, "malformed message from server", why);
		return;
	}
	RATELOG_LINE(&c->rl_recv[m.type <= PPTP_TYPE_MAX ? m.type : 0],
	    c->tb, RATELOG_DEBUG, "%s: pptp: received %s", c->tag,
	    pptp_type_name(m.type));
	/* Anything well-formed shows the server is alive. */
	c->last_rx = timer_now(c->tb);
	c->st.echo_failures = 0;

	if (e == PPTP_MSG_EVERSION && m.type != PPTP_SCCRP) {
		/* Only an SCCRP's version concerns us; SCCRQ is unexpected. */
		unexpected(c, m.type);
		return;
	}
	switch (m.type) {
	case PPTP_SCCRP:
		if (c->state != PPTP_CTRL_WAIT_CTL_REPLY)
			unexpected(c, m.type);
		else
			on_sccrp(c, &m.u.scc, e == PPTP_MSG_EVERSION);
		break;
	case PPTP_STOPCCRQ:
		on_stopccrq(c, &m.u.stopccrq);
		break;
	case PPTP_STOPCCRP:
		if (c->state != PPTP_CTRL_WAIT_STOP_REPLY)
			unexpected(c, m.type);
		else
			finish(c, &c->pending);
		break;
	case PPTP_ECHORQ:
		on_echo_request(c, &m.u.echo);
		break;
	case PPTP_ECHORP:
		on_echo_reply(c, &m.u.echo);
		break;
	case PPTP_OCRP:
		if (c->state != PPTP_CTRL_WAIT_REPLY)
			unexpected(c, m.type);
		else
			on_ocrp(c, &m.u.ocrp);
		break;
	case PPTP_ICRQ:
		on_icrq(c, &m.u.icrq);
		break;
	case PPTP_CDN:
		on_cdn(c, &m.u.cdn);
		break;
	case PPTP_WEN:
		if (c->state != PPTP_CTRL_CALL_ESTABLISHED ||
		    m.u.wen.peer_call_id != c->call_id) {
			unexpected(c, m.type);
			break;
		}
		RATELOG_LINE(&c->rl_wen, c->tb, RATELOG_INFO, "%s: server "
		    "reports WAN errors: CRC %u, framing %u, hardware overrun "
		    "%u, buffer overrun %u, time-out %u, alignment %u", c->tag,
		    m.u.wen.crc, m.u.wen.framing, m.u.wen.hw_overrun,
		    m.u.wen.buf_overrun, m.u.wen.timeout, m.u.wen.alignment);
		break;
	case PPTP_SLI:
		/* §2.15 has the PNS send it, but RRAS sends it to us too. */
		if (c->state != PPTP_CTRL_CALL_ESTABLISHED ||
		    m.u.sli.peer_call_id != c->call_id) {
			unexpected(c, m.type);
			break;
		}
		if (c->ops.sli != NULL)
			c->ops.sli(c->arg, m.u.sli.send_accm,
			    m.u.sli.recv_accm);
		break;
	case PPTP_SCCRQ:	/* we are the only originator here */
	case PPTP_OCRQ:		/* a PAC does not dial a PNS */
	case PPTP_ICRP:		/* PNS-to-PAC messages */
	case PPTP_ICCN:
	case PPTP_CCRQ:
		unexpected(c, m.type);
		break;
	}
}

/* For pptp_framer_feed(): -1 once a message has closed or freed us. */
static int
deliver(void *arg, const uint8_t *msg, size_t len)
{
	struct pptp_ctrl *c = arg;

	handle_msg(c, msg, len);
	return alive(c) ? 0 : -1;
}

void
pptp_ctrl_input(struct pptp_ctrl *c, const uint8_t *data, size_t len)
{
	char why[128];

	if (!alive(c))
		return;
	enter(c);
	c->st.bytes_in += len;
	if (pptp_framer_feed(&c->framer, data, len, deliver, c, why,
	    sizeof(why)) == -1)
		fail_protocol(c, "control connection out of sync", why);
	leave(c);
}

void
pptp_ctrl_tcp_down(struct pptp_ctrl *c, const char *why)
{
	struct pptp_ctrl_reason r;

	if (!alive(c))
		return;
	enter(c);
	if (c->state == PPTP_CTRL_WAIT_STOP_REPLY)
		/* Dropping TCP instead of a StopCCRP still ends it. */
		finish(c, &c->pending);
	else {
		reason_set(&r, PPTP_WHY_IO, "%s: %s",
		    c->state == PPTP_CTRL_IDLE ? "cannot connect to server" :
		    "control connection lost", why != NULL ? why : "closed");
		finish(c, &r);
	}
	leave(c);
}

void
pptp_ctrl_close(struct pptp_ctrl *c)
{
	struct pptp_ctrl_reason r;
	struct pptp_msg m;

	if (!alive(c))
		return;
	enter(c);
	local_reason(&r);
	switch (c->state) {
	case PPTP_CTRL_IDLE:
	case PPTP_CTRL_WAIT_CTL_REPLY:
		/* Nothing established to take down: dropping TCP is enough. */
		finish(c, &r);
		break;
	case PPTP_CTRL_ESTABLISHED:
		begin_stop(c, PPTP_STOP_NONE, &r);
		break;
	case PPTP_CTRL_WAIT_REPLY:
	case PPTP_CTRL_CALL_ESTABLISHED:
		/* CCRQ carries our own Call ID, so it works before OCRP too. */
		timer_stop(&c->echo_timer);
		pptp_msg_init(&m, PPTP_CCRQ);
		m.u.ccrq.call_id = c->call_id;
		send_msg(c, &m);
		set_state(c, PPTP_CTRL_WAIT_CDN);
		timer_set(&c->state_timer, c->close_ms);
		break;
	case PPTP_CTRL_WAIT_CDN:
	case PPTP_CTRL_WAIT_STOP_REPLY:
	case PPTP_CTRL_CLOSED:
		break;
	}
	leave(c);
}

static void
state_timeout(void *arg)
{
	struct pptp_ctrl *c = arg;
	struct pptp_ctrl_reason r;
	char d[32];

	if (!alive(c))
		return;
	enter(c);
	switch (c->state) {
	case PPTP_CTRL_IDLE:
		reason_set(&r, PPTP_WHY_TIMEOUT, "TCP connect timed out "
		    "after %s", duration(d, sizeof(d), c->connect_ms));
		finish(c, &r);
		break;
	case PPTP_CTRL_WAIT_CTL_REPLY:
		reason_set(&r, PPTP_WHY_TIMEOUT, "server did not answer "
		    "Start-Control-Connection-Request within %s",
		    duration(d, sizeof(d), c->reply_ms));
		finish(c, &r);
		break;
	case PPTP_CTRL_WAIT_REPLY:
		reason_set(&r, PPTP_WHY_TIMEOUT, "server did not answer "
		    "Outgoing-Call-Request within %s",
		    duration(d, sizeof(d), c->reply_ms));
		begin_stop(c, PPTP_STOP_NONE, &r);
		break;
	case PPTP_CTRL_WAIT_CDN:
		log_info("%s: server did not answer Call-Clear-Request "
		    "within %s; stopping anyway", c->tag,
		    duration(d, sizeof(d), c->close_ms));
		local_reason(&r);
		if (call_ended(c, &r))
			begin_stop(c, PPTP_STOP_NONE, &r);
		break;
	case PPTP_CTRL_WAIT_STOP_REPLY:
		log_debug("%s: pptp: no Stop-Control-Connection-Reply within "
		    "%s", c->tag, duration(d, sizeof(d), c->close_ms));
		finish(c, &c->pending);
		break;
	case PPTP_CTRL_ESTABLISHED:
	case PPTP_CTRL_CALL_ESTABLISHED:
	case PPTP_CTRL_CLOSED:
		break;
	}
	leave(c);
}

/*
 * Runs every echo interval.  A server that sent anything within the
 * interval is alive; one that stayed silent gets an Echo-Request, and one
 * that stays silent through echo_max of them is given up on (§3: 60 s
 * idle, then 60 s for the reply).
 */
static void
echo_timeout(void *arg)
{
	struct pptp_ctrl *c = arg;
	struct pptp_ctrl_reason r;
	struct pptp_msg m;
	uint64_t now, idle;

	if (!alive(c))
		return;
	enter(c);
	now = timer_now(c->tb);
	idle = now - c->last_rx;
	if (idle < c->echo_ms) {
		timer_set(&c->echo_timer, c->echo_ms - (unsigned int)idle);
		leave(c);
		return;
	}
	if (c->echo_outstanding &&
	    ++c->st.echo_failures >= c->echo_max) {
		reason_set(&r, PPTP_WHY_TIMEOUT, "server not responding: "
		    "%u Echo-Request%s unanswered", c->st.echo_failures,
		    c->st.echo_failures == 1 ? "" : "s");
		finish(c, &r);
		leave(c);
		return;
	}
	pptp_msg_init(&m, PPTP_ECHORQ);
	m.u.echo.id = ++c->echo_id;
	send_msg(c, &m);
	c->echo_outstanding = 1;
	c->echo_sent_at = now;
	c->st.echo_sent++;
	timer_set(&c->echo_timer, c->echo_ms);
	leave(c);
}

enum pptp_ctrl_state
pptp_ctrl_state(const struct pptp_ctrl *c)
{
	return c->state;
}

void
pptp_ctrl_get_stats(const struct pptp_ctrl *c, struct pptp_ctrl_stats *st)
{
	*st = c->st;
}

const struct pptp_call_info *
pptp_ctrl_call_info(const struct pptp_ctrl *c)
{
	return &c->call;
}

const char *
pptp_ctrl_peer_hostname(const struct pptp_ctrl *c)
{
	return c->peer_hostname;
}

const char *
pptp_ctrl_peer_vendor(const struct pptp_ctrl *c)
{
	return c->peer_vendor;
}
