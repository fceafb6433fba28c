/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * PPTP control connection, server (PAC) side, for the test peer: RFC 2637
 * §3.1.1 (receiver) and §3.1.3 (outgoing call, PAC side).  It is a test
 * instrument, so it is strict where the client is lenient (it closes on
 * anything unexpected) and can be told to misbehave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "compat.h"
#include "log.h"
#include "pptp_msg.h"
#include "pptp_pac.h"
#include "timer.h"

#define DEF_WINDOW	64
#define DEF_SPEED	100000000
#define DEF_STOP_MS	10000

struct pptp_pac {
	char			 tag[32];
	struct pptp_pac_config	 cfg;		/* string pointers unused */
	char			 hostname[PPTP_HOSTNAME_LEN + 1];
	char			 vendor[PPTP_VENDOR_LEN + 1];
	struct pptp_pac_ops	 ops;
	void			*arg;
	struct timer_base	*tb;
	struct timer		 echo_timer;
	struct timer		 stop_timer;
	struct timer		 ocrp_timer;	/* cfg.ocrp_delay_ms */
	struct pptp_msg		 ocrp;		/* what it sends */
	enum pptp_pac_state	 state;
	struct pptp_framer	 framer;
	struct pptp_pac_call	 call;
	uint32_t		 echo_id;
	struct pptp_pac_stats	 st;
	int			 depth;
	int			 dead;
};

static const char *const state_names[] = {
	[PPTP_PAC_IDLE] = "idle",
	[PPTP_PAC_ESTABLISHED] = "established",
	[PPTP_PAC_CALL_ESTABLISHED] = "call-established",
	[PPTP_PAC_WAIT_STOP_REPLY] = "wait-stop-reply",
	[PPTP_PAC_CLOSED] = "closed",
};

static void	echo_timeout(void *);
static void	stop_timeout(void *);
static void	ocrp_timeout(void *);

const char *
pptp_pac_state_name(enum pptp_pac_state s)
{
	if ((unsigned int)s >= sizeof(state_names) / sizeof(state_names[0]))
		return "unknown";
	return state_names[s];
}

static int
alive(const struct pptp_pac *p)
{
	return !p->dead && p->state != PPTP_PAC_CLOSED;
}

static void
destroy(struct pptp_pac *p)
{
	timer_free(&p->echo_timer);
	timer_free(&p->stop_timer);
	timer_free(&p->ocrp_timer);
	free(p);
}

static void
enter(struct pptp_pac *p)
{
	p->depth++;
}

static void
leave(struct pptp_pac *p)
{
	if (--p->depth == 0 && p->dead)
		destroy(p);
}

static int
send_msg(struct pptp_pac *p, const struct pptp_msg *m)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	if (pptp_msg_encode(&w, m) == -1)
		return -1;
	log_debug("%s: pac: sent %s", p->tag, pptp_type_name(m->type));
	p->st.msgs_out++;
	return p->ops.write(p->arg, buf, wbuf_len(&w));
}

static void
finish(struct pptp_pac *p, const char *fmt, ...)
    __attribute__((__format__(printf, 2, 3)));

static void
finish(struct pptp_pac *p, const char *fmt, ...)
{
	char reason[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	timer_stop(&p->echo_timer);
	timer_stop(&p->stop_timer);
	timer_stop(&p->ocrp_timer);
	log_info("%s: pac: %s", p->tag, reason);
	if (p->state == PPTP_PAC_CALL_ESTABLISHED && p->ops.call_down != NULL) {
		p->state = PPTP_PAC_ESTABLISHED;
		p->ops.call_down(p->arg);
		if (p->dead)
			return;
	}
	p->state = PPTP_PAC_CLOSED;
	p->ops.closed(p->arg, reason);
}

struct pptp_pac *
pptp_pac_new(const struct pptp_pac_config *cfg, const struct pptp_pac_ops *ops,
    void *arg, struct timer_base *tb)
{
	struct pptp_pac *p;

	if (ops->write == NULL || ops->closed == NULL)
		return NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->cfg = *cfg;
	strlcpy(p->tag, cfg->tag != NULL ? cfg->tag : "peer", sizeof(p->tag));
	strlcpy(p->hostname, cfg->hostname != NULL ? cfg->hostname :
	    "pptp-peer", sizeof(p->hostname));
	strlcpy(p->vendor, cfg->vendor != NULL ? cfg->vendor :
	    "pptpc test peer", sizeof(p->vendor));
	if (p->cfg.recv_window == 0)
		p->cfg.recv_window = DEF_WINDOW;
	if (p->cfg.connect_speed == 0)
		p->cfg.connect_speed = DEF_SPEED;
	if (p->cfg.stop_timeout_ms == 0)
		p->cfg.stop_timeout_ms = DEF_STOP_MS;
	p->ops = *ops;
	p->arg = arg;
	p->tb = tb;
	p->state = PPTP_PAC_IDLE;
	p->echo_id = arc4random();
	pptp_framer_init(&p->framer);
	timer_init(&p->echo_timer, tb, echo_timeout, p);
	timer_init(&p->stop_timer, tb, stop_timeout, p);
	timer_init(&p->ocrp_timer, tb, ocrp_timeout, p);
	return p;
}

void
pptp_pac_free(struct pptp_pac *p)
{
	if (p == NULL)
		return;
	timer_stop(&p->echo_timer);
	timer_stop(&p->stop_timer);
	timer_stop(&p->ocrp_timer);
	if (p->depth > 0) {
		p->dead = 1;
		return;
	}
	destroy(p);
}

static void
on_sccrq(struct pptp_pac *p, const struct pptp_scc *m, int bad_version)
{
	struct pptp_msg rep;

	pptp_msg_init(&rep, PPTP_SCCRP);
	rep.u.scc.version = PPTP_VERSION;
	rep.u.scc.framing = PPTP_FRAME_ASYNC | PPTP_FRAME_SYNC;
	rep.u.scc.bearer = PPTP_BEARER_ANALOG | PPTP_BEARER_DIGITAL;
	rep.u.scc.max_channels = 1;
	rep.u.scc.firmware = 1;
	strlcpy(rep.u.scc.hostname, p->hostname, sizeof(rep.u.scc.hostname));
	strlcpy(rep.u.scc.vendor, p->vendor, sizeof(rep.u.scc.vendor));
	if (bad_version) {
		rep.u.scc.result = PPTP_SCCRP_VERSION;
		send_msg(p, &rep);
		finish(p, "refused SCCRQ of version 0x%04x", m->version);
		return;
	}
	if (p->cfg.refuse_ctrl_result != 0) {
		rep.u.scc.result = p->cfg.refuse_ctrl_result;
		rep.u.scc.error = p->cfg.refuse_ctrl_error;
		send_msg(p, &rep);
		finish(p, "refused the control connection as told");
		return;
	}
	rep.u.scc.result = PPTP_SCCRP_SUCCESS;
	send_msg(p, &rep);
	p->state = PPTP_PAC_ESTABLISHED;
	if (p->cfg.echo_interval_ms != 0)
		timer_set(&p->echo_timer, p->cfg.echo_interval_ms);
}

static void
on_ocrq(struct pptp_pac *p, const struct pptp_ocrq *m)
{
	struct pptp_msg rep;

	pptp_msg_init(&rep, PPTP_OCRP);
	rep.u.ocrp.peer_call_id = m->call_id;
	if (p->cfg.refuse_call_result != 0) {
		rep.u.ocrp.result = p->cfg.refuse_call_result;
		rep.u.ocrp.error = p->cfg.refuse_call_error;
		send_msg(p, &rep);
		return;
	}
	p->call.call_id = p->cfg.call_id != 0 ? p->cfg.call_id :
	    (uint16_t)(arc4random_uniform(0xffff) + 1);
	p->call.peer_call_id = m->call_id;
	p->call.peer_window = m->window;
	p->call.peer_delay = m->delay;
	rep.u.ocrp.call_id = p->call.call_id;
	rep.u.ocrp.result = PPTP_OCRP_CONNECTED;
	rep.u.ocrp.speed = p->cfg.connect_speed;
	rep.u.ocrp.window = p->cfg.recv_window;
	rep.u.ocrp.delay = p->cfg.proc_delay;
	if (p->cfg.ocrp_delay_ms != 0) {
		/* The call's GRE goes first; the OCRP follows. */
		p->ocrp = rep;
		timer_set(&p->ocrp_timer, p->cfg.ocrp_delay_ms);
	} else
		send_msg(p, &rep);
	p->state = PPTP_PAC_CALL_ESTABLISHED;
	if (p->ops.call_up != NULL)
		p->ops.call_up(p->arg, &p->call);
}

static void
ocrp_timeout(void *arg)
{
	struct pptp_pac *p = arg;

	enter(p);
	if (alive(p) && p->state == PPTP_PAC_CALL_ESTABLISHED) {
		log_info("%s: pac: OCRP sent %u ms after the call went up",
		    p->tag, p->cfg.ocrp_delay_ms);
		send_msg(p, &p->ocrp);
	}
	leave(p);
}

static void
on_ccrq(struct pptp_pac *p, const struct pptp_ccrq *m)
{
	struct pptp_msg rep;

	if (p->cfg.ignore_ccrq)
		return;
	if (m->call_id != p->call.peer_call_id) {
		log_warnx("%s: pac: CCRQ for call ID %u, the client's is %u",
		    p->tag, m->call_id, p->call.peer_call_id);
		return;
	}
	pptp_msg_init(&rep, PPTP_CDN);
	rep.u.cdn.call_id = p->call.call_id;
	rep.u.cdn.result = PPTP_CDN_REQUEST;
	send_msg(p, &rep);
	p->state = PPTP_PAC_ESTABLISHED;
	if (p->ops.call_down != NULL)
		p->ops.call_down(p->arg);
}

static void
handle_msg(struct pptp_pac *p, const uint8_t *data, size_t len)
{
	struct pptp_msg m, rep;
	enum pptp_msg_err e;
	char why[128];

	p->st.msgs_in++;
	e = pptp_msg_decode(data, len, &m, why, sizeof(why));
	if (e == PPTP_MSG_EVERSION && m.type == PPTP_SCCRQ &&
	    p->state == PPTP_PAC_IDLE) {
		on_sccrq(p, &m.u.scc, 1);
		return;
	}
	if (e != PPTP_MSG_OK) {
		finish(p, "bad message from client: %s", why);
		return;
	}
	log_debug("%s: pac: received %s", p->tag, pptp_type_name(m.type));
	switch (m.type) {
	case PPTP_SCCRQ:
		if (p->state != PPTP_PAC_IDLE)
			break;
		on_sccrq(p, &m.u.scc, 0);
		return;
	case PPTP_OCRQ:
		if (p->state != PPTP_PAC_ESTABLISHED)
			break;
		on_ocrq(p, &m.u.ocrq);
		return;
	case PPTP_ECHORQ:
		if (p->cfg.ignore_echo)
			return;
		pptp_msg_init(&rep, PPTP_ECHORP);
		rep.u.echo.id = m.u.echo.id;
		rep.u.echo.result = PPTP_ECHO_OK;
		send_msg(p, &rep);
		p->st.echo_answered++;
		return;
	case PPTP_ECHORP:
		if (m.u.echo.id == p->echo_id)
			p->st.echo_replies++;
		return;
	case PPTP_CCRQ:
		if (p->state != PPTP_PAC_CALL_ESTABLISHED)
			break;
		on_ccrq(p, &m.u.ccrq);
		return;
	case PPTP_SLI:
		p->st.sli_in++;
		return;
	case PPTP_STOPCCRQ:
		if (p->cfg.ignore_stop)
			return;
		pptp_msg_init(&rep, PPTP_STOPCCRP);
		rep.u.stopccrp.result = PPTP_STOPCCRP_OK;
		send_msg(p, &rep);
		finish(p, "client stopped the control connection: reason %u "
		    "(%s)", m.u.stopccrq.reason,
		    pptp_result_name(PPTP_STOPCCRQ, m.u.stopccrq.reason));
		return;
	case PPTP_STOPCCRP:
		if (p->state != PPTP_PAC_WAIT_STOP_REPLY)
			break;
		finish(p, "control connection stopped");
		return;
	case PPTP_ICRP:
		/* The answer to an ICRQ a test sent raw. */
		return;
	default:
		break;
	}
	/* A test instrument is strict: the client sent what it must not. */
	finish(p, "unexpected %s from client in state %s",
	    pptp_type_name(m.type), pptp_pac_state_name(p->state));
}

static int
deliver(void *arg, const uint8_t *msg, size_t len)
{
	struct pptp_pac *p = arg;

	handle_msg(p, msg, len);
	return alive(p) ? 0 : -1;
}

void
pptp_pac_input(struct pptp_pac *p, const uint8_t *data, size_t len)
{
	char why[128];

	if (!alive(p))
		return;
	enter(p);
	if (pptp_framer_feed(&p->framer, data, len, deliver, p, why,
	    sizeof(why)) == -1)
		finish(p, "client stream out of sync: %s", why);
	leave(p);
}

int
pptp_pac_send_sli(struct pptp_pac *p, uint32_t send_accm, uint32_t recv_accm)
{
	struct pptp_msg m;

	if (!alive(p) || p->state != PPTP_PAC_CALL_ESTABLISHED)
		return -1;
	pptp_msg_init(&m, PPTP_SLI);
	m.u.sli.peer_call_id = p->call.peer_call_id;
	m.u.sli.send_accm = send_accm;
	m.u.sli.recv_accm = recv_accm;
	return send_msg(p, &m);
}

int
pptp_pac_clear_call(struct pptp_pac *p, uint8_t result, uint8_t error)
{
	struct pptp_msg m;

	if (!alive(p) || p->state != PPTP_PAC_CALL_ESTABLISHED)
		return -1;
	enter(p);
	pptp_msg_init(&m, PPTP_CDN);
	m.u.cdn.call_id = p->call.call_id;
	m.u.cdn.result = result;
	m.u.cdn.error = error;
	strlcpy(m.u.cdn.stats, "cleared by the test peer",
	    sizeof(m.u.cdn.stats));
	send_msg(p, &m);
	p->state = PPTP_PAC_ESTABLISHED;
	if (p->ops.call_down != NULL)
		p->ops.call_down(p->arg);
	leave(p);
	return 0;
}

int
pptp_pac_stop(struct pptp_pac *p, uint8_t reason)
{
	struct pptp_msg m;

	if (!alive(p) || p->state == PPTP_PAC_IDLE ||
	    p->state == PPTP_PAC_WAIT_STOP_REPLY)
		return -1;
	enter(p);
	pptp_msg_init(&m, PPTP_STOPCCRQ);
	m.u.stopccrq.reason = reason;
	send_msg(p, &m);
	/* §3.1.1: Stop clears every call implicitly. */
	if (p->state == PPTP_PAC_CALL_ESTABLISHED && p->ops.call_down != NULL) {
		p->state = PPTP_PAC_ESTABLISHED;
		p->ops.call_down(p->arg);
	}
	if (alive(p)) {
		p->state = PPTP_PAC_WAIT_STOP_REPLY;
		timer_stop(&p->echo_timer);
		timer_set(&p->stop_timer, p->cfg.stop_timeout_ms);
	}
	leave(p);
	return 0;
}

int
pptp_pac_send_echo(struct pptp_pac *p)
{
	struct pptp_msg m;

	if (!alive(p) || p->state == PPTP_PAC_IDLE)
		return -1;
	pptp_msg_init(&m, PPTP_ECHORQ);
	m.u.echo.id = ++p->echo_id;
	return send_msg(p, &m);
}

int
pptp_pac_send_raw(struct pptp_pac *p, const uint8_t *data, size_t len)
{
	if (!alive(p))
		return -1;
	return p->ops.write(p->arg, data, len);
}

int
pptp_pac_send_malformed(struct pptp_pac *p, enum pptp_pac_malformed kind)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	struct wbuf w;

	if (!alive(p))
		return -1;
	wbuf_init(&w, buf, sizeof(buf));
	switch (kind) {
	case PPTP_PAC_BAD_COOKIE:
		pptp_msg_init(&m, PPTP_ECHORQ);
		pptp_msg_encode(&w, &m);
		put_be32(buf + 4, 0xdeadbeef);
		break;
	case PPTP_PAC_SHORT_LENGTH:
		/* Well framed, but not the length an SLI has. */
		pptp_msg_init(&m, PPTP_SLI);
		m.u.sli.peer_call_id = p->call.peer_call_id;
		pptp_msg_encode(&w, &m);
		put_be16(buf, 20);
		w.off = 20;
		break;
	case PPTP_PAC_HUGE_LENGTH:
		pptp_msg_init(&m, PPTP_ECHORQ);
		pptp_msg_encode(&w, &m);
		put_be16(buf, 0xffff);
		break;
	case PPTP_PAC_UNKNOWN_TYPE:
		pptp_msg_init(&m, PPTP_ECHORQ);
		pptp_msg_encode(&w, &m);
		put_be16(buf + 8, 99);
		break;
	case PPTP_PAC_BAD_VERSION:
		pptp_msg_init(&m, PPTP_SCCRP);
		m.u.scc.version = 0x0200;
		m.u.scc.result = PPTP_SCCRP_SUCCESS;
		pptp_msg_encode(&w, &m);
		break;
	default:
		return -1;
	}
	if (wbuf_failed(&w))
		return -1;
	return p->ops.write(p->arg, buf, wbuf_len(&w));
}

static void
echo_timeout(void *arg)
{
	struct pptp_pac *p = arg;

	if (!alive(p))
		return;
	enter(p);
	pptp_pac_send_echo(p);
	timer_set(&p->echo_timer, p->cfg.echo_interval_ms);
	leave(p);
}

static void
stop_timeout(void *arg)
{
	struct pptp_pac *p = arg;

	if (!alive(p))
		return;
	enter(p);
	finish(p, "client did not answer StopCCRQ");
	leave(p);
}

enum pptp_pac_state
pptp_pac_state(const struct pptp_pac *p)
{
	return p->state;
}

void
pptp_pac_get_stats(const struct pptp_pac *p, struct pptp_pac_stats *st)
{
	*st = p->st;
}

const struct pptp_pac_call *
pptp_pac_call_info(const struct pptp_pac *p)
{
	return &p->call;
}
