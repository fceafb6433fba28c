/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The RFC 1661 §4 automaton.  Each event handler below is one column of
 * the state transition table in §4.1, in the RFC's order; the actions use
 * the RFC's names (irc, zrc, scr, sca, scn, str, sta, scj, tlu, tld, tls,
 * tlf).  A packet in Initial or Starting cannot happen by the RFC; it is
 * discarded.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsm.h"
#include "log.h"
#include "ppp_defs.h"

static void	fsm_timeout(void *);

static const char *const state_names[] = {
	"Initial", "Starting", "Closed", "Stopped", "Closing", "Stopping",
	"Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened",
};

const char *
fsm_state_name(enum fsm_state s)
{
	if ((unsigned int)s >= sizeof(state_names) / sizeof(state_names[0]))
		return "?";
	return state_names[s];
}

void
fsm_init(struct fsm *f, uint16_t proto, const char *name, const char *tag,
    const struct fsm_callbacks *cb, void *ctx, const struct fsm_owner *owner,
    struct timer_base *tb)
{
	memset(f, 0, sizeof(*f));
	f->proto = proto;
	f->name = name;
	f->tag = tag;
	f->cb = cb;
	f->ctx = ctx;
	f->owner = owner;
	f->state = FSM_INITIAL;
	f->timeout_ms = FSM_TIMEOUT_MS;
	f->max_configure = FSM_MAX_CONFIGURE;
	f->max_terminate = FSM_MAX_TERMINATE;
	f->max_failure = FSM_MAX_FAILURE;
	/* A random start makes a stale reply from a former link unlikely. */
	arc4random_buf(&f->id, sizeof(f->id));
	f->tb = tb;
	timer_init(&f->timer, tb, fsm_timeout, f);
}

void
fsm_free(struct fsm *f)
{
	timer_free(&f->timer);
}

void
fsm_set_reason(struct fsm *f, const char *fmt, ...)
{
	va_list ap;

	if (f->reason[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(f->reason, sizeof(f->reason), fmt, ap);
	va_end(ap);
}

uint8_t
fsm_next_id(struct fsm *f)
{
	return ++f->id;
}

void
fsm_send(struct fsm *f, uint8_t code, uint8_t id, const void *data,
    size_t len)
{
	uint8_t pkt[FSM_PKT_MAX];
	struct wbuf w;

	wbuf_init(&w, pkt, sizeof(pkt));
	wbuf_u8(&w, code);
	wbuf_u8(&w, id);
	wbuf_u16(&w, (uint16_t)(FSM_HDRLEN + len));
	wbuf_bytes(&w, data, len);
	if (wbuf_failed(&w)) {
		log_warnx("%s: %s: packet of code %u too long (%zu bytes)",
		    f->tag, f->name, code, len);
		return;
	}
	f->owner->send(f->owner->arg, f->proto, pkt, wbuf_len(&w));
}

static void
newstate(struct fsm *f, enum fsm_state s)
{
	if (f->state != s)
		log_debug("%s: %s: %s -> %s", f->tag, f->name,
		    fsm_state_name(f->state), fsm_state_name(s));
	f->state = s;
}

static void
layer(struct fsm *f, enum fsm_layer_event ev)
{
	switch (ev) {
	case FSM_LAYER_UP:
		if (f->cb->up != NULL)
			f->cb->up(f);
		break;
	case FSM_LAYER_DOWN:
		if (f->cb->down != NULL)
			f->cb->down(f);
		break;
	case FSM_LAYER_FINISHED:
		if (f->cb->finished != NULL)
			f->cb->finished(f);
		break;
	case FSM_LAYER_STARTED:
		break;
	}
	if (f->owner->event != NULL)
		f->owner->event(f->owner->arg, f, ev);
}

/* tlu and tld change state first so the owner sees the new one. */
static void
tlu(struct fsm *f)
{
	newstate(f, FSM_OPENED);
	f->naks_sent = 0;
	/* Reasons from the negotiation are stale once it succeeded. */
	f->reason[0] = '\0';
	layer(f, FSM_LAYER_UP);
}

static void
tld(struct fsm *f)
{
	layer(f, FSM_LAYER_DOWN);
}

static void
tls(struct fsm *f)
{
	layer(f, FSM_LAYER_STARTED);
}

static void
tlf(struct fsm *f)
{
	layer(f, FSM_LAYER_FINISHED);
}

static void
irc_configure(struct fsm *f)
{
	f->restarts = f->max_configure;
}

static void
irc_terminate(struct fsm *f)
{
	f->restarts = f->max_terminate;
}

static void
zrc(struct fsm *f)
{
	f->restarts = 0;
	timer_set(&f->timer, f->timeout_ms);
}

/* Send-Configure-Request: always a fresh identifier (RFC 1661 §5.1). */
static void
scr(struct fsm *f)
{
	struct wbuf w;

	wbuf_init(&w, f->req, sizeof(f->req));
	if (f->cb->addci != NULL && f->cb->addci(f, &w) == -1) {
		log_warnx("%s: %s: our request does not fit", f->tag, f->name);
		wbuf_init(&w, f->req, sizeof(f->req));
	}
	f->reqlen = wbuf_len(&w);
	f->reqid = fsm_next_id(f);
	f->reqid_valid = 1;
	fsm_send(f, CONFREQ, f->reqid, f->req, f->reqlen);
	if (f->restarts > 0)
		f->restarts--;
	timer_set(&f->timer, f->timeout_ms);
}

static void
str(struct fsm *f)
{
	f->termid = fsm_next_id(f);
	fsm_send(f, TERMREQ, f->termid, NULL, 0);
	if (f->restarts > 0)
		f->restarts--;
	timer_set(&f->timer, f->timeout_ms);
}

static void
sta(struct fsm *f, uint8_t id)
{
	fsm_send(f, TERMACK, id, NULL, 0);
}

/* The peer renegotiates an open link: tld and a fresh request. */
static void
renegotiate(struct fsm *f, enum fsm_state s)
{
	newstate(f, s);
	tld(f);
	scr(f);
}

/* Into Closed or Stopped with tlf: the restart timer has no more use. */
static void
finish(struct fsm *f, enum fsm_state s)
{
	timer_stop(&f->timer);
	newstate(f, s);
	tlf(f);
}

/* The first Configure-Request of a negotiation. */
static void
start_negotiation(struct fsm *f)
{
	if (f->cb->resetci != NULL)
		f->cb->resetci(f);
	irc_configure(f);
	f->naks_sent = 0;
	scr(f);
}

void
fsm_up(struct fsm *f)
{
	switch (f->state) {
	case FSM_INITIAL:
		newstate(f, FSM_CLOSED);
		break;
	case FSM_STARTING:
		newstate(f, FSM_REQSENT);
		start_negotiation(f);
		break;
	default:
		log_debug("%s: %s: Up in state %s", f->tag, f->name,
		    fsm_state_name(f->state));
		break;
	}
}

void
fsm_down(struct fsm *f)
{
	switch (f->state) {
	case FSM_CLOSED:
		newstate(f, FSM_INITIAL);
		break;
	case FSM_STOPPED:
		newstate(f, FSM_STARTING);
		tls(f);
		break;
	case FSM_CLOSING:
		timer_stop(&f->timer);
		newstate(f, FSM_INITIAL);
		break;
	case FSM_STOPPING:
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		timer_stop(&f->timer);
		newstate(f, FSM_STARTING);
		break;
	case FSM_OPENED:
		newstate(f, FSM_STARTING);
		tld(f);
		break;
	default:
		log_debug("%s: %s: Down in state %s", f->tag, f->name,
		    fsm_state_name(f->state));
		break;
	}
}

void
fsm_open(struct fsm *f)
{
	switch (f->state) {
	case FSM_INITIAL:
		newstate(f, FSM_STARTING);
		tls(f);
		break;
	case FSM_CLOSED:
		newstate(f, FSM_REQSENT);
		start_negotiation(f);
		break;
	case FSM_CLOSING:
		newstate(f, FSM_STOPPING);
		break;
	default:
		/* Starting, Stopped, Stopping and the open states stay. */
		break;
	}
}

void
fsm_close(struct fsm *f, const char *reason)
{
	if (reason != NULL)
		fsm_set_reason(f, "%s", reason);
	switch (f->state) {
	case FSM_STARTING:
		newstate(f, FSM_INITIAL);
		tlf(f);
		break;
	case FSM_STOPPED:
		newstate(f, FSM_CLOSED);
		break;
	case FSM_STOPPING:
		newstate(f, FSM_CLOSING);
		break;
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		newstate(f, FSM_CLOSING);
		irc_terminate(f);
		str(f);
		break;
	case FSM_OPENED:
		newstate(f, FSM_CLOSING);
		tld(f);
		irc_terminate(f);
		str(f);
		break;
	default:
		/* Initial, Closed and Closing stay. */
		break;
	}
}

static void
fsm_timeout(void *arg)
{
	struct fsm *f = arg;

	if (f->restarts > 0) {
		/* TO+ */
		switch (f->state) {
		case FSM_CLOSING:
		case FSM_STOPPING:
			str(f);
			break;
		case FSM_ACKRCVD:
			newstate(f, FSM_REQSENT);
			scr(f);
			break;
		case FSM_REQSENT:
		case FSM_ACKSENT:
			scr(f);
			break;
		default:
			break;
		}
		return;
	}
	/* TO- */
	switch (f->state) {
	case FSM_CLOSING:
		newstate(f, FSM_CLOSED);
		tlf(f);
		break;
	case FSM_STOPPING:
		newstate(f, FSM_STOPPED);
		tlf(f);
		break;
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		fsm_set_reason(f, "%s: no answer from the peer after %u "
		    "Configure-Requests", f->name, f->max_configure);
		newstate(f, FSM_STOPPED);
		tlf(f);
		break;
	default:
		break;
	}
}

/* RCR+ / RCR- */
static void
rcr(struct fsm *f, uint8_t id, const uint8_t *data, size_t len)
{
	uint8_t out[FSM_PKT_MAX - FSM_HDRLEN];
	struct fsm_reply reply;
	struct rbuf r;
	int good;

	switch (f->state) {
	case FSM_CLOSED:
		sta(f, id);
		return;
	case FSM_CLOSING:
	case FSM_STOPPING:
		return;
	default:
		break;
	}

	/* Stopped restarts negotiation: forget before judging the request. */
	if (f->state == FSM_STOPPED && f->cb->resetci != NULL)
		f->cb->resetci(f);
	rbuf_init(&r, data, len);
	reply.code = CONFACK;
	wbuf_init(&reply.w, out, sizeof(out));
	if (f->cb->reqci != NULL && f->cb->reqci(f, &r, &reply,
	    f->naks_sent >= f->max_failure) == -1) {
		FSM_DROP(f, "%s: %s: malformed Configure-Request discarded",
		    f->tag, f->name);
		return;
	}
	if (wbuf_failed(&reply.w)) {
		FSM_NOTE(f, RATELOG_WARN, "%s: %s: reply to "
		    "Configure-Request too long", f->tag, f->name);
		return;
	}
	good = reply.code == CONFACK;

	switch (f->state) {
	case FSM_STOPPED:
		irc_configure(f);
		scr(f);
		newstate(f, good ? FSM_ACKSENT : FSM_REQSENT);
		break;
	case FSM_REQSENT:
		newstate(f, good ? FSM_ACKSENT : FSM_REQSENT);
		break;
	case FSM_ACKRCVD:
		if (good) {
			fsm_send(f, CONFACK, id, out, wbuf_len(&reply.w));
			timer_stop(&f->timer);
			tlu(f);
			return;
		}
		break;
	case FSM_ACKSENT:
		newstate(f, good ? FSM_ACKSENT : FSM_REQSENT);
		break;
	case FSM_OPENED:
		renegotiate(f, good ? FSM_ACKSENT : FSM_REQSENT);
		break;
	default:
		return;
	}
	fsm_send(f, reply.code, id, out, wbuf_len(&reply.w));
	if (good)
		f->naks_sent = 0;
	else
		f->naks_sent++;
}

/*
 * What RCA and RCN share: in Closed and Stopped a reply to a request we
 * have not sent is answered with Terminate-Ack, in Closing and Stopping it
 * is ignored, and in the other states one that does not carry the
 * identifier of our last request is stale.  Returns 1 if the reply is for
 * the caller to act on.
 */
static int
our_reply(struct fsm *f, uint8_t id, const char *what)
{
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
		sta(f, id);
		return 0;
	case FSM_CLOSING:
	case FSM_STOPPING:
		return 0;
	default:
		break;
	}
	if (!f->reqid_valid || id != f->reqid) {
		FSM_DROP(f, "%s: %s: stale Configure-%s (id %u) discarded",
		    f->tag, f->name, what, id);
		return 0;
	}
	return 1;
}

/* RCA */
static void
rca(struct fsm *f, uint8_t id, const uint8_t *data, size_t len)
{
	if (!our_reply(f, id, "Ack"))
		return;
	/* An Ack must repeat our request exactly (RFC 1661 §5.2). */
	if (len != f->reqlen || (len > 0 && memcmp(data, f->req, len) != 0)) {
		FSM_DROP(f, "%s: %s: Configure-Ack does not match our "
		    "request", f->tag, f->name);
		return;
	}
	f->reqid_valid = 0;
	if (f->cb->ackci != NULL && f->state != FSM_ACKRCVD)
		f->cb->ackci(f);
	switch (f->state) {
	case FSM_REQSENT:
		irc_configure(f);
		timer_set(&f->timer, f->timeout_ms);
		newstate(f, FSM_ACKRCVD);
		break;
	case FSM_ACKRCVD:
		/* Crossed connection (x): start over. */
		newstate(f, FSM_REQSENT);
		scr(f);
		break;
	case FSM_ACKSENT:
		irc_configure(f);
		timer_stop(&f->timer);
		tlu(f);
		break;
	case FSM_OPENED:
		renegotiate(f, FSM_REQSENT);
		break;
	default:
		break;
	}
}

/* RCN: a Configure-Nak or Configure-Reject of our request. */
static void
rcn(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data,
    size_t len)
{
	const char *what = code == CONFNAK ? "Nak" : "Reject";
	struct rbuf r;
	int rv;

	if (!our_reply(f, id, what))
		return;
	rbuf_init(&r, data, len);
	if (code == CONFNAK)
		rv = f->cb->nakci != NULL ? f->cb->nakci(f, &r) : FSM_CI_OK;
	else
		rv = f->cb->rejci != NULL ? f->cb->rejci(f, &r) : FSM_CI_BAD;
	if (rv == FSM_CI_BAD) {
		FSM_DROP(f, "%s: %s: bad Configure-%s discarded", f->tag,
		    f->name, what);
		return;
	}
	f->reqid_valid = 0;
	if (rv == FSM_CI_GIVEUP) {
		/* Nothing we may ask for is left: the Close event. */
		fsm_close(f, NULL);
		return;
	}
	switch (f->state) {
	case FSM_REQSENT:
	case FSM_ACKSENT:
		irc_configure(f);
		scr(f);
		break;
	case FSM_ACKRCVD:
		newstate(f, FSM_REQSENT);
		scr(f);
		break;
	case FSM_OPENED:
		renegotiate(f, FSM_REQSENT);
		break;
	default:
		break;
	}
}

/* RTR */
static void
rtr(struct fsm *f, uint8_t id)
{
	switch (f->state) {
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		newstate(f, FSM_REQSENT);
		break;
	case FSM_OPENED:
		fsm_set_reason(f, "%s terminated by the peer", f->name);
		newstate(f, FSM_STOPPING);
		tld(f);
		zrc(f);
		break;
	default:
		break;
	}
	sta(f, id);
}

/* RTA */
static void
rta(struct fsm *f, uint8_t id)
{
	(void)id;
	switch (f->state) {
	case FSM_CLOSING:
		finish(f, FSM_CLOSED);
		break;
	case FSM_STOPPING:
		finish(f, FSM_STOPPED);
		break;
	case FSM_ACKRCVD:
		newstate(f, FSM_REQSENT);
		break;
	case FSM_OPENED:
		renegotiate(f, FSM_REQSENT);
		break;
	default:
		break;
	}
}

/* RXJ- : the peer refuses something this layer cannot do without. */
static void
rxj_bad(struct fsm *f)
{
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
		tlf(f);
		break;
	case FSM_CLOSING:
		finish(f, FSM_CLOSED);
		break;
	case FSM_STOPPING:
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		finish(f, FSM_STOPPED);
		break;
	case FSM_OPENED:
		newstate(f, FSM_STOPPING);
		tld(f);
		irc_terminate(f);
		str(f);
		break;
	default:
		break;
	}
}

/* RXJ+ */
static void
rxj_good(struct fsm *f)
{
	if (f->state == FSM_ACKRCVD)
		newstate(f, FSM_REQSENT);
}

void
fsm_protreject(struct fsm *f)
{
	fsm_set_reason(f, "the peer rejected the %s protocol", f->name);
	rxj_bad(f);
}

static void
rxj(struct fsm *f, const uint8_t *data, size_t len)
{
	uint8_t code;

	if (len < FSM_HDRLEN) {
		FSM_DROP(f, "%s: %s: Code-Reject too short", f->tag, f->name);
		return;
	}
	code = data[0];
	FSM_NOTE(f, RATELOG_INFO, "%s: %s: peer rejected code %u", f->tag,
	    f->name, code);
	/* The automaton cannot work without its own codes 1-7. */
	if ((code >= CONFREQ && code <= CODEREJ) ||
	    (f->cb->codereject != NULL && f->cb->codereject(f, code))) {
		fsm_set_reason(f, "%s: the peer rejected code %u", f->name,
		    code);
		rxj_bad(f);
	} else
		rxj_good(f);
}

void
fsm_input(struct fsm *f, const uint8_t *pkt, size_t len)
{
	const uint8_t *data;
	struct rbuf r;
	uint16_t plen;
	uint8_t code, id;
	size_t dlen;

	rbuf_init(&r, pkt, len);
	rbuf_u8(&r, &code);
	rbuf_u8(&r, &id);
	rbuf_u16(&r, &plen);
	if (rbuf_failed(&r)) {
		FSM_DROP(f, "%s: %s: packet of %zu bytes too short for a "
		    "header", f->tag, f->name, len);
		return;
	}
	if (plen < FSM_HDRLEN || plen > len) {
		FSM_DROP(f, "%s: %s: Length %u wrong for a %zu-byte packet",
		    f->tag, f->name, plen, len);
		return;
	}
	/* Octets beyond Length are padding (RFC 1661 §5). */
	dlen = plen - FSM_HDRLEN;
	data = rbuf_take(&r, dlen);
	if (f->state == FSM_INITIAL || f->state == FSM_STARTING) {
		FSM_DROP(f, "%s: %s: code %u in state %s discarded", f->tag,
		    f->name, code, fsm_state_name(f->state));
		return;
	}
	switch (code) {
	case CONFREQ:
		rcr(f, id, data, dlen);
		break;
	case CONFACK:
		rca(f, id, data, dlen);
		break;
	case CONFNAK:
	case CONFREJ:
		rcn(f, code, id, data, dlen);
		break;
	case TERMREQ:
		rtr(f, id);
		break;
	case TERMACK:
		rta(f, id);
		break;
	case CODEREJ:
		rxj(f, data, dlen);
		break;
	default:
		rbuf_init(&r, data, dlen);
		if (f->cb->extcode != NULL && f->cb->extcode(f, code, id, &r))
			break;
		/* RUC: scj, echoing as much of the packet as fits. */
		FSM_DROP(f, "%s: %s: unknown code %u rejected", f->tag,
		    f->name, code);
		fsm_send(f, CODEREJ, fsm_next_id(f), pkt,
		    plen > FSM_PKT_MAX - 2 * FSM_HDRLEN ?
		    FSM_PKT_MAX - 2 * FSM_HDRLEN : plen);
		break;
	}
}

int
fsm_next_option(struct rbuf *r, uint8_t *type, const uint8_t **data,
    size_t *len)
{
	uint8_t olen;

	if (rbuf_left(r) == 0)
		return 0;
	if (rbuf_u8(r, type) == -1 || rbuf_u8(r, &olen) == -1 || olen < 2)
		return -1;
	if ((*data = rbuf_take(r, olen - 2)) == NULL)
		return -1;
	*len = olen - 2;
	return 1;
}

void
fsm_put_option(struct wbuf *w, uint8_t type, const void *data, size_t len)
{
	/* The Length octet counts the type and itself. */
	if (len > 255 - 2) {
		w->failed = 1;
		return;
	}
	wbuf_u8(w, type);
	wbuf_u8(w, (uint8_t)(len + 2));
	wbuf_bytes(w, data, len);
}

static int
verdict_rank(int code)
{
	switch (code) {
	case CONFACK:
		return 0;
	case CONFNAK:
		return 1;
	default:
		return 2;
	}
}

void
fsm_reply_option(struct fsm_reply *rp, int code, uint8_t type,
    const uint8_t *data, size_t len)
{
	if (verdict_rank(code) < verdict_rank(rp->code))
		return;
	if (verdict_rank(code) > verdict_rank(rp->code)) {
		/* A worse verdict replaces everything said so far. */
		rp->code = code;
		rp->w.off = 0;
	}
	fsm_put_option(&rp->w, type, data, len);
}
