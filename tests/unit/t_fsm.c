/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for the RFC 1661 automaton: the whole transition table of
 * §4.1 (every state against every event, actions in order), the restart
 * counters, Max-Failure, identifiers and malformed packets.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "fsm.h"
#include "ppp_defs.h"
#include "timer.h"
#include "timer_manual.h"

/* A test protocol whose verdicts the test chooses. */
struct tproto {
	struct fsm	 fsm;
	struct fsm_owner owner;
	char		 log[256];	/* actions, space-separated */
	int		 verdict;	/* CONFACK, CONFNAK or CONFREJ */
	int		 nakrv;		/* what nakci returns */
	int		 last_reject_flag;
	int		 codereject_fatal;
	uint8_t		 last[FSM_PKT_MAX];
	size_t		 lastlen;
};

static void
logact(struct tproto *t, const char *a)
{
	size_t n = strlen(t->log);

	snprintf(t->log + n, sizeof(t->log) - n, "%s%s", n ? " " : "", a);
}

static void
t_send(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct tproto *t = arg;
	const char *a = "?";

	ATF_REQUIRE_EQ(proto, 0x8001);
	ATF_REQUIRE(len >= 4 && len <= sizeof(t->last));
	ATF_REQUIRE_EQ(get_be16(pkt + 2), len);
	memcpy(t->last, pkt, len);
	t->lastlen = len;
	switch (pkt[0]) {
	case CONFREQ: a = "scr"; break;
	case CONFACK: a = "sca"; break;
	case CONFNAK: case CONFREJ: a = "scn"; break;
	case TERMREQ: a = "str"; break;
	case TERMACK: a = "sta"; break;
	case CODEREJ: a = "scj"; break;
	case ECHOREP: a = "ser"; break;
	}
	logact(t, a);
}

static void
t_event(void *arg, struct fsm *f, enum fsm_layer_event ev)
{
	struct tproto *t = arg;
	static const char *const n[] = { "tlu", "tld", "tls", "tlf" };

	(void)f;
	logact(t, n[ev]);
}

static int
t_addci(struct fsm *f, struct wbuf *w)
{
	(void)f;
	wbuf_u8(w, 1);
	wbuf_u8(w, 4);
	wbuf_u16(w, 0x1234);
	return wbuf_failed(w) ? -1 : 0;
}

static int
t_nakci(struct fsm *f, struct rbuf *r)
{
	struct tproto *t = f->ctx;

	(void)r;
	return t->nakrv;
}

static int
t_rejci(struct fsm *f, struct rbuf *r)
{
	struct tproto *t = f->ctx;

	(void)r;
	return t->nakrv;
}

static int
t_reqci(struct fsm *f, struct rbuf *r, struct fsm_reply *rp, int reject)
{
	struct tproto *t = f->ctx;
	const uint8_t *d;
	uint8_t type;
	size_t len;
	int rv;

	t->last_reject_flag = reject;
	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1)
		fsm_reply_option(rp, t->verdict == CONFNAK && reject ?
		    CONFREJ : t->verdict, type, d, len);
	return rv == 0 ? 0 : -1;
}

static int
t_extcode(struct fsm *f, uint8_t code, uint8_t id, struct rbuf *r)
{
	(void)r;
	if (code != ECHOREQ)
		return 0;
	if (f->state == FSM_OPENED)
		fsm_send(f, ECHOREP, id, NULL, 0);
	return 1;
}

static int
t_codereject(struct fsm *f, uint8_t code)
{
	struct tproto *t = f->ctx;

	(void)code;
	return t->codereject_fatal;
}

static const struct fsm_callbacks tcb = {
	.addci = t_addci,
	.nakci = t_nakci,
	.rejci = t_rejci,
	.reqci = t_reqci,
	.extcode = t_extcode,
	.codereject = t_codereject,
};

static void
tp_init(struct tproto *t, struct timer_base *tb)
{
	memset(t, 0, sizeof(*t));
	t->owner.send = t_send;
	t->owner.event = t_event;
	t->owner.arg = t;
	t->verdict = CONFACK;
	fsm_init(&t->fsm, 0x8001, "TEST", "t", &tcb, t, &t->owner, tb);
}

static void
input(struct tproto *t, uint8_t code, uint8_t id, const uint8_t *d,
    size_t len)
{
	uint8_t pkt[64];

	pkt[0] = code;
	pkt[1] = id;
	put_be16(pkt + 2, (uint16_t)(4 + len));
	if (len > 0)
		memcpy(pkt + 4, d, len);
	fsm_input(&t->fsm, pkt, 4 + len);
}

enum ev {
	EV_UP, EV_DOWN, EV_OPEN, EV_CLOSE, EV_TOP, EV_TOM, EV_RCRP, EV_RCRM,
	EV_RCA, EV_RCN, EV_RTR, EV_RTA, EV_RUC, EV_RXJP, EV_RXJM, EV_RXR,
	EV_MAX
};

static const char *const ev_names[] = {
	"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-", "RCA",
	"RCN", "RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR",
};

static void
apply(struct tproto *t, enum ev e)
{
	const uint8_t opt[] = { 1, 4, 0x12, 0x34 };
	uint8_t cr[4] = { CODEREJ, 0, 0, 4 };

	/* A request of ours is outstanding in every state. */
	t->fsm.reqid = 77;
	t->fsm.reqid_valid = 1;
	memcpy(t->fsm.req, opt, sizeof(opt));
	t->fsm.reqlen = sizeof(opt);
	switch (e) {
	case EV_UP:
		fsm_up(&t->fsm);
		break;
	case EV_DOWN:
		fsm_down(&t->fsm);
		break;
	case EV_OPEN:
		fsm_open(&t->fsm);
		break;
	case EV_CLOSE:
		fsm_close(&t->fsm, "test");
		break;
	case EV_TOP:
	case EV_TOM:
		t->fsm.restarts = e == EV_TOP ? 2 : 0;
		t->fsm.timer.cb(t->fsm.timer.arg);
		break;
	case EV_RCRP:
	case EV_RCRM:
		t->verdict = e == EV_RCRP ? CONFACK : CONFNAK;
		input(t, CONFREQ, 5, opt, sizeof(opt));
		break;
	case EV_RCA:
		input(t, CONFACK, 77, opt, sizeof(opt));
		break;
	case EV_RCN:
		t->nakrv = FSM_CI_OK;
		input(t, CONFNAK, 77, opt, sizeof(opt));
		break;
	case EV_RTR:
		input(t, TERMREQ, 9, NULL, 0);
		break;
	case EV_RTA:
		input(t, TERMACK, 9, NULL, 0);
		break;
	case EV_RUC:
		input(t, 99, 9, NULL, 0);
		break;
	case EV_RXJP:
	case EV_RXJM:
		/* A rejected Echo is harmless; a rejected Conf-Req is not. */
		cr[0] = e == EV_RXJP ? ECHOREQ : CONFREQ;
		input(t, CODEREJ, 9, cr, sizeof(cr));
		break;
	case EV_RXR:
		input(t, ECHOREQ, 9, NULL, 0);
		break;
	default:
		break;
	}
}

struct cell {
	enum fsm_state	 to;
	const char	*acts;
};

#define ST(s)	FSM_##s
/* -1 in .to: the state does not change. */
#define SAME	((enum fsm_state)-1)

/*
 * RFC 1661 §4.1, one row per event, one column per state:
 * Initial Starting Closed Stopped Closing Stopping Req-Sent Ack-Rcvd
 * Ack-Sent Opened.  In Initial and Starting every packet is discarded.
 */
static const struct cell table[EV_MAX][10] = {
	[EV_UP] = {
		{ ST(CLOSED), "" }, { ST(REQSENT), "scr" }, { SAME, "" },
		{ SAME, "" }, { SAME, "" }, { SAME, "" }, { SAME, "" },
		{ SAME, "" }, { SAME, "" }, { SAME, "" } },
	[EV_DOWN] = {
		{ SAME, "" }, { SAME, "" }, { ST(INITIAL), "" },
		{ ST(STARTING), "tls" }, { ST(INITIAL), "" },
		{ ST(STARTING), "" }, { ST(STARTING), "" },
		{ ST(STARTING), "" }, { ST(STARTING), "" },
		{ ST(STARTING), "tld" } },
	[EV_OPEN] = {
		{ ST(STARTING), "tls" }, { SAME, "" }, { ST(REQSENT), "scr" },
		{ SAME, "" }, { ST(STOPPING), "" }, { SAME, "" },
		{ SAME, "" }, { SAME, "" }, { SAME, "" }, { SAME, "" } },
	[EV_CLOSE] = {
		{ SAME, "" }, { ST(INITIAL), "tlf" }, { SAME, "" },
		{ ST(CLOSED), "" }, { SAME, "" }, { ST(CLOSING), "" },
		{ ST(CLOSING), "str" }, { ST(CLOSING), "str" },
		{ ST(CLOSING), "str" }, { ST(CLOSING), "tld str" } },
	[EV_TOP] = {
		{ SAME, "" }, { SAME, "" }, { SAME, "" }, { SAME, "" },
		{ SAME, "str" }, { SAME, "str" }, { SAME, "scr" },
		{ ST(REQSENT), "scr" }, { SAME, "scr" }, { SAME, "" } },
	[EV_TOM] = {
		{ SAME, "" }, { SAME, "" }, { SAME, "" }, { SAME, "" },
		{ ST(CLOSED), "tlf" }, { ST(STOPPED), "tlf" },
		{ ST(STOPPED), "tlf" }, { ST(STOPPED), "tlf" },
		{ ST(STOPPED), "tlf" }, { SAME, "" } },
	[EV_RCRP] = {
		{ SAME, "" }, { SAME, "" }, { SAME, "sta" },
		{ ST(ACKSENT), "scr sca" }, { SAME, "" }, { SAME, "" },
		{ ST(ACKSENT), "sca" }, { ST(OPENED), "sca tlu" },
		{ SAME, "sca" }, { ST(ACKSENT), "tld scr sca" } },
	[EV_RCRM] = {
		{ SAME, "" }, { SAME, "" }, { SAME, "sta" },
		{ ST(REQSENT), "scr scn" }, { SAME, "" }, { SAME, "" },
		{ SAME, "scn" }, { SAME, "scn" }, { ST(REQSENT), "scn" },
		{ ST(REQSENT), "tld scr scn" } },
	[EV_RCA] = {
		{ SAME, "" }, { SAME, "" }, { SAME, "sta" }, { SAME, "sta" },
		{ SAME, "" }, { SAME, "" }, { ST(ACKRCVD), "" },
		{ ST(REQSENT), "scr" }, { ST(OPENED), "tlu" },
		{ ST(REQSENT), "tld scr" } },
	[EV_RCN] = {
		{ SAME, "" }, { SAME, "" }, { SAME, "sta" }, { SAME, "sta" },
		{ SAME, "" }, { SAME, "" }, { SAME, "scr" },
		{ ST(REQSENT), "scr" }, { SAME, "scr" },
		{ ST(REQSENT), "tld scr" } },
	[EV_RTR] = {
		{ SAME, "" }, { SAME, "" }, { SAME, "sta" }, { SAME, "sta" },
		{ SAME, "sta" }, { SAME, "sta" }, { SAME, "sta" },
		{ ST(REQSENT), "sta" }, { ST(REQSENT), "sta" },
		{ ST(STOPPING), "tld sta" } },
	[EV_RTA] = {
		{ SAME, "" }, { SAME, "" }, { SAME, "" }, { SAME, "" },
		{ ST(CLOSED), "tlf" }, { ST(STOPPED), "tlf" }, { SAME, "" },
		{ ST(REQSENT), "" }, { SAME, "" },
		{ ST(REQSENT), "tld scr" } },
	[EV_RUC] = {
		{ SAME, "" }, { SAME, "" }, { SAME, "scj" }, { SAME, "scj" },
		{ SAME, "scj" }, { SAME, "scj" }, { SAME, "scj" },
		{ SAME, "scj" }, { SAME, "scj" }, { SAME, "scj" } },
	[EV_RXJP] = {
		{ SAME, "" }, { SAME, "" }, { SAME, "" }, { SAME, "" },
		{ SAME, "" }, { SAME, "" }, { SAME, "" },
		{ ST(REQSENT), "" }, { SAME, "" }, { SAME, "" } },
	[EV_RXJM] = {
		{ SAME, "" }, { SAME, "" }, { SAME, "tlf" }, { SAME, "tlf" },
		{ ST(CLOSED), "tlf" }, { ST(STOPPED), "tlf" },
		{ ST(STOPPED), "tlf" }, { ST(STOPPED), "tlf" },
		{ ST(STOPPED), "tlf" }, { ST(STOPPING), "tld str" } },
	[EV_RXR] = {
		{ SAME, "" }, { SAME, "" }, { SAME, "" }, { SAME, "" },
		{ SAME, "" }, { SAME, "" }, { SAME, "" }, { SAME, "" },
		{ SAME, "" }, { SAME, "ser" } },
};

ATF_TC_WITHOUT_HEAD(transition_table);
ATF_TC_BODY(transition_table, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct tproto t;
	enum fsm_state s, want;
	int e, bad = 0;

	for (s = FSM_INITIAL; s <= FSM_OPENED; s++) {
		for (e = 0; e < EV_MAX; e++) {
			tp_init(&t, tb);
			t.fsm.state = s;
			apply(&t, e);
			want = table[e][s].to == SAME ? s : table[e][s].to;
			if (t.fsm.state != want ||
			    strcmp(t.log, table[e][s].acts) != 0) {
				printf("%s + %s: got %s \"%s\", want %s "
				    "\"%s\"\n", fsm_state_name(s), ev_names[e],
				    fsm_state_name(t.fsm.state), t.log,
				    fsm_state_name(want), table[e][s].acts);
				bad++;
			}
			fsm_free(&t.fsm);
		}
	}
	ATF_CHECK_EQ_MSG(bad, 0, "%d transitions differ from RFC 1661", bad);
	timer_manual_free(tb);
}

/* Max-Configure Configure-Requests, 3 s apart, then This-Layer-Finished. */
ATF_TC_WITHOUT_HEAD(max_configure);
ATF_TC_BODY(max_configure, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct tproto t;
	int n = 0;

	tp_init(&t, tb);
	fsm_open(&t.fsm);
	fsm_up(&t.fsm);
	ATF_CHECK_STREQ(t.log, "tls scr");
	ATF_CHECK_EQ(timer_manual_next(tb), 3000);
	while (timer_manual_step(tb))
		n++;
	/* 9 retransmissions and the final timeout. */
	ATF_CHECK_EQ(n, 10);
	ATF_CHECK_EQ(t.fsm.state, FSM_STOPPED);
	ATF_CHECK(strstr(t.log, "scr scr scr scr scr scr scr scr scr scr "
	    "tlf") != NULL);
	ATF_CHECK(strstr(t.fsm.reason, "no answer") != NULL);
	fsm_free(&t.fsm);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(max_terminate);
ATF_TC_BODY(max_terminate, tc)
{
	struct timer_base *tb = timer_manual_new();
	struct tproto t;

	tp_init(&t, tb);
	fsm_open(&t.fsm);
	fsm_up(&t.fsm);
	t.log[0] = '\0';
	fsm_close(&t.fsm, "admin");
	ATF_CHECK_EQ(t.fsm.state, FSM_CLOSING);
	while (timer_manual_step(tb))
		;
	ATF_CHECK_STREQ(t.log, "str str tlf");
	ATF_CHECK_EQ(t.fsm.state, FSM_CLOSED);
	ATF_CHECK_STREQ(t.fsm.reason, "admin");
	fsm_free(&t.fsm);
	timer_manual_free(tb);
}

/* After Max-Failure Naks, reqci is told to Reject instead. */
ATF_TC_WITHOUT_HEAD(max_failure);
ATF_TC_BODY(max_failure, tc)
{
	struct timer_base *tb = timer_manual_new();
	const uint8_t opt[] = { 1, 4, 0, 1 };
	struct tproto t;
	int i;

	tp_init(&t, tb);
	fsm_open(&t.fsm);
	fsm_up(&t.fsm);
	t.verdict = CONFNAK;
	for (i = 0; i < 5; i++) {
		input(&t, CONFREQ, (uint8_t)i, opt, sizeof(opt));
		ATF_CHECK_EQ(t.last[0], CONFNAK);
		ATF_CHECK_EQ(t.last_reject_flag, 0);
	}
	input(&t, CONFREQ, 6, opt, sizeof(opt));
	ATF_CHECK_EQ(t.last_reject_flag, 1);
	ATF_CHECK_EQ(t.last[0], CONFREJ);
	ATF_CHECK_EQ(t.last[1], 6);
	/* An Ack resets the count. */
	t.verdict = CONFACK;
	input(&t, CONFREQ, 7, opt, sizeof(opt));
	ATF_CHECK_EQ(t.last[0], CONFACK);
	t.verdict = CONFNAK;
	input(&t, CONFREQ, 8, opt, sizeof(opt));
	ATF_CHECK_EQ(t.last_reject_flag, 0);
	fsm_free(&t.fsm);
	timer_manual_free(tb);
}

/* Replies with the wrong identifier or content change nothing. */
ATF_TC_WITHOUT_HEAD(stale_replies);
ATF_TC_BODY(stale_replies, tc)
{
	struct timer_base *tb = timer_manual_new();
	const uint8_t opt[] = { 1, 4, 0x12, 0x34 };
	const uint8_t other[] = { 1, 4, 0x12, 0x35 };
	struct tproto t;
	uint8_t id;

	tp_init(&t, tb);
	fsm_open(&t.fsm);
	fsm_up(&t.fsm);
	id = t.fsm.reqid;
	t.log[0] = '\0';
	input(&t, CONFACK, (uint8_t)(id + 1), opt, sizeof(opt));
	input(&t, CONFACK, id, other, sizeof(other));
	input(&t, CONFACK, id, opt, 2);
	input(&t, CONFNAK, (uint8_t)(id - 1), opt, sizeof(opt));
	ATF_CHECK_EQ(t.fsm.state, FSM_REQSENT);
	ATF_CHECK_STREQ(t.log, "");
	input(&t, CONFACK, id, opt, sizeof(opt));
	ATF_CHECK_EQ(t.fsm.state, FSM_ACKRCVD);
	/* The same Ack again is stale now. */
	input(&t, CONFACK, id, opt, sizeof(opt));
	ATF_CHECK_EQ(t.fsm.state, FSM_ACKRCVD);
	ATF_CHECK_STREQ(t.log, "");
	fsm_free(&t.fsm);
	timer_manual_free(tb);
}

/* Header lies: short packets, Length below 4 or past the end; padding. */
ATF_TC_WITHOUT_HEAD(length_checks);
ATF_TC_BODY(length_checks, tc)
{
	struct timer_base *tb = timer_manual_new();
	const uint8_t shorthdr[] = { CONFREQ, 1, 0 };
	const uint8_t lowlen[] = { CONFREQ, 1, 0, 3 };
	const uint8_t longlen[] = { CONFREQ, 1, 0, 9, 1, 4, 0, 0 };
	const uint8_t badopt[] = { CONFREQ, 1, 0, 7, 1, 4, 0 };
	const uint8_t zeroopt[] = { CONFREQ, 1, 0, 6, 1, 0 };
	const uint8_t padded[] = { CONFREQ, 1, 0, 8, 1, 4, 0, 0, 0xee, 0xee };
	struct tproto t;

	tp_init(&t, tb);
	fsm_open(&t.fsm);
	fsm_up(&t.fsm);
	t.log[0] = '\0';
	fsm_input(&t.fsm, shorthdr, sizeof(shorthdr));
	fsm_input(&t.fsm, lowlen, sizeof(lowlen));
	fsm_input(&t.fsm, longlen, sizeof(longlen));
	fsm_input(&t.fsm, badopt, sizeof(badopt));
	fsm_input(&t.fsm, zeroopt, sizeof(zeroopt));
	fsm_input(&t.fsm, NULL, 0);
	ATF_CHECK_STREQ(t.log, "");
	ATF_CHECK_EQ(t.fsm.state, FSM_REQSENT);
	fsm_input(&t.fsm, padded, sizeof(padded));
	ATF_CHECK_STREQ(t.log, "sca");
	ATF_CHECK_EQ(t.lastlen, 8);	/* the padding is not echoed */
	ATF_CHECK_EQ(t.fsm.state, FSM_ACKSENT);
	fsm_free(&t.fsm);
	timer_manual_free(tb);
}

/* A Code-Reject quotes the rejected packet; a Nak may give up. */
ATF_TC_WITHOUT_HEAD(code_reject_and_giveup);
ATF_TC_BODY(code_reject_and_giveup, tc)
{
	struct timer_base *tb = timer_manual_new();
	const uint8_t unk[] = { 42, 3, 0, 6, 0xab, 0xcd };
	const uint8_t opt[] = { 1, 4, 0x12, 0x34 };
	struct tproto t;

	tp_init(&t, tb);
	fsm_open(&t.fsm);
	fsm_up(&t.fsm);
	fsm_input(&t.fsm, unk, sizeof(unk));
	ATF_CHECK_EQ(t.last[0], CODEREJ);
	ATF_CHECK_EQ(t.lastlen, 4 + sizeof(unk));
	ATF_CHECK(memcmp(t.last + 4, unk, sizeof(unk)) == 0);
	t.nakrv = FSM_CI_BAD;
	input(&t, CONFREJ, t.fsm.reqid, opt, sizeof(opt));
	ATF_CHECK_EQ(t.fsm.state, FSM_REQSENT);
	t.nakrv = FSM_CI_GIVEUP;
	t.log[0] = '\0';
	input(&t, CONFREJ, t.fsm.reqid, opt, sizeof(opt));
	ATF_CHECK_EQ(t.fsm.state, FSM_CLOSING);
	ATF_CHECK_STREQ(t.log, "str");
	fsm_free(&t.fsm);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(options_and_replies);
ATF_TC_BODY(options_and_replies, tc)
{
	const uint8_t opts[] = { 1, 2, 2, 3, 9, 3, 4, 0 };
	uint8_t out[32];
	struct fsm_reply rp;
	const uint8_t *d;
	struct rbuf r;
	uint8_t type;
	size_t len;

	rbuf_init(&r, opts, sizeof(opts));
	ATF_CHECK_EQ(fsm_next_option(&r, &type, &d, &len), 1);
	ATF_CHECK_EQ(type, 1);
	ATF_CHECK_EQ(len, 0);
	ATF_CHECK_EQ(fsm_next_option(&r, &type, &d, &len), 1);
	ATF_CHECK_EQ(type, 2);
	ATF_CHECK_EQ(len, 1);
	ATF_CHECK_EQ(d[0], 9);
	/* Length 4 with 2 bytes left. */
	ATF_CHECK_EQ(fsm_next_option(&r, &type, &d, &len), -1);

	rp.code = CONFACK;
	wbuf_init(&rp.w, out, sizeof(out));
	fsm_reply_option(&rp, CONFACK, 1, (const uint8_t *)"a", 1);
	fsm_reply_option(&rp, CONFNAK, 2, (const uint8_t *)"b", 1);
	fsm_reply_option(&rp, CONFACK, 3, (const uint8_t *)"c", 1);
	fsm_reply_option(&rp, CONFNAK, 4, (const uint8_t *)"d", 1);
	ATF_CHECK_EQ(rp.code, CONFNAK);
	ATF_CHECK_EQ(wbuf_len(&rp.w), 6);
	ATF_CHECK_EQ(out[0], 2);
	ATF_CHECK_EQ(out[3], 4);
	fsm_reply_option(&rp, CONFREJ, 5, NULL, 0);
	ATF_CHECK_EQ(rp.code, CONFREJ);
	ATF_CHECK_EQ(wbuf_len(&rp.w), 2);
	ATF_CHECK_EQ(out[0], 5);
}

/* Every Length below 2, and an option cut inside its header. */
ATF_TC_WITHOUT_HEAD(option_lengths);
ATF_TC_BODY(option_lengths, tc)
{
	static const uint8_t bad[][2] = { { 3, 0 }, { 3, 1 } };
	uint8_t big[300], out[300];
	const uint8_t *d;
	struct wbuf w;
	struct rbuf r;
	uint8_t type;
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rbuf_init(&r, bad[i], sizeof(bad[i]));
		ATF_CHECK_EQ(fsm_next_option(&r, &type, &d, &len), -1);
	}
	rbuf_init(&r, bad[0], 1);
	ATF_CHECK_EQ(fsm_next_option(&r, &type, &d, &len), -1);
	rbuf_init(&r, bad[0], 0);
	ATF_CHECK_EQ(fsm_next_option(&r, &type, &d, &len), 0);

	/* The longest option fits its Length octet; one more does not. */
	memset(big, 0xcd, sizeof(big));
	wbuf_init(&w, out, sizeof(out));
	fsm_put_option(&w, 9, big, 253);
	ATF_REQUIRE(!wbuf_failed(&w));
	ATF_CHECK_EQ(wbuf_len(&w), 255);
	ATF_CHECK_EQ(out[0], 9);
	ATF_CHECK_EQ(out[1], 255);
	rbuf_init(&r, out, wbuf_len(&w));
	ATF_CHECK_EQ(fsm_next_option(&r, &type, &d, &len), 1);
	ATF_CHECK_EQ(len, 253);
	wbuf_init(&w, out, sizeof(out));
	fsm_put_option(&w, 9, big, 254);
	ATF_CHECK(wbuf_failed(&w));
	/* And one that does not fit the buffer fails it too. */
	wbuf_init(&w, out, 4);
	fsm_put_option(&w, 9, big, 3);
	ATF_CHECK(wbuf_failed(&w));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, transition_table);
	ATF_TP_ADD_TC(tp, max_configure);
	ATF_TP_ADD_TC(tp, max_terminate);
	ATF_TP_ADD_TC(tp, max_failure);
	ATF_TP_ADD_TC(tp, stale_replies);
	ATF_TP_ADD_TC(tp, length_checks);
	ATF_TP_ADD_TC(tp, code_reject_and_giveup);
	ATF_TP_ADD_TC(tp, options_and_replies);
	ATF_TP_ADD_TC(tp, option_lengths);
	return atf_no_error();
}
