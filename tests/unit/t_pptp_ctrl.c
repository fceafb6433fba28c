/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The client's PPTP control connection (daemon/pptp_ctrl.c), driven by a
 * scripted server in memory and the manual clock, then back to back with
 * the test peer's PAC engine (tests/peer/pptp_pac.c).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "buf.h"
#include "log.h"
#include "logcap.h"
#include "pptp_ctrl.h"
#include "pptp_msg.h"
#include "timer.h"
#include "timer_manual.h"
#include "../peer/pptp_pac.h"

#define OUR_ID		0x1234
#define PAC_ID		0x4242
#define WINDOW		32

enum action {
	ACT_NONE,
	ACT_FREE,
	ACT_CLOSE,
};

struct h {
	struct timer_base	*tb;
	struct pptp_ctrl	*c;
	uint8_t			 out[16384];	/* what the client wrote */
	size_t			 outlen;
	size_t			 rd;
	int			 write_fail;
	int			 ups;
	int			 downs;
	int			 closes;
	int			 slis;
	struct pptp_call_info	 info;
	struct pptp_ctrl_reason	 down_reason;
	struct pptp_ctrl_reason	 closed_reason;
	uint32_t		 sli_send;
	uint32_t		 sli_recv;
	enum action		 in_up;
	enum action		 in_down;
	enum action		 in_closed;
	enum action		 in_sli;
	int			 freed;
};

static void
act(struct h *h, enum action a)
{
	switch (a) {
	case ACT_NONE:
		break;
	case ACT_FREE:
		pptp_ctrl_free(h->c);
		h->freed = 1;
		break;
	case ACT_CLOSE:
		pptp_ctrl_close(h->c);
		break;
	}
}

static int
cb_write(void *arg, const uint8_t *data, size_t len)
{
	struct h *h = arg;

	if (h->write_fail)
		return -1;
	ATF_REQUIRE(len <= sizeof(h->out) - h->outlen);
	memcpy(h->out + h->outlen, data, len);
	h->outlen += len;
	return 0;
}

static void
cb_up(void *arg, const struct pptp_call_info *ci)
{
	struct h *h = arg;

	h->ups++;
	h->info = *ci;
	act(h, h->in_up);
}

static void
cb_down(void *arg, const struct pptp_ctrl_reason *r)
{
	struct h *h = arg;

	h->downs++;
	h->down_reason = *r;
	ATF_REQUIRE_EQ(h->closes, 0);
	act(h, h->in_down);
}

static void
cb_closed(void *arg, const struct pptp_ctrl_reason *r)
{
	struct h *h = arg;

	h->closes++;
	h->closed_reason = *r;
	act(h, h->in_closed);
}

static void
cb_sli(void *arg, uint32_t send_accm, uint32_t recv_accm)
{
	struct h *h = arg;

	h->slis++;
	h->sli_send = send_accm;
	h->sli_recv = recv_accm;
	act(h, h->in_sli);
}

static const struct pptp_ctrl_ops ops = {
	.write = cb_write,
	.call_up = cb_up,
	.call_down = cb_down,
	.closed = cb_closed,
	.sli = cb_sli,
};

static void
default_config(struct pptp_ctrl_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->tag = "office";
	cfg->call_id = OUR_ID;
	cfg->recv_window = WINDOW;
	cfg->proc_delay = 3;
	cfg->hostname = "gw1";
}

static struct h *
h_new_cfg(const struct pptp_ctrl_config *cfg)
{
	struct h *h;

	ATF_REQUIRE((h = calloc(1, sizeof(*h))) != NULL);
	h->tb = timer_manual_new();
	ATF_REQUIRE((h->c = pptp_ctrl_new(cfg, &ops, h, h->tb)) != NULL);
	return h;
}

static struct h *
h_new(void)
{
	struct pptp_ctrl_config cfg;

	default_config(&cfg);
	return h_new_cfg(&cfg);
}

static void
h_free(struct h *h)
{
	if (!h->freed)
		pptp_ctrl_free(h->c);
	ATF_REQUIRE_EQ(timer_manual_next(h->tb), UINT64_MAX);
	timer_manual_free(h->tb);
	free(h);
}

static enum pptp_ctrl_state
state(struct h *h)
{
	return pptp_ctrl_state(h->c);
}

/* The next message the client wrote. */
static unsigned int
next_msg(struct h *h, struct pptp_msg *m)
{
	size_t len;
	char why[128];

	ATF_REQUIRE_MSG(h->outlen - h->rd >= PPTP_HDR_LEN,
	    "client wrote nothing more");
	len = get_be16(h->out + h->rd);
	ATF_REQUIRE(len <= h->outlen - h->rd);
	ATF_REQUIRE_EQ_MSG(pptp_msg_decode(h->out + h->rd, len, m, why,
	    sizeof(why)), PPTP_MSG_OK, "client sent a bad message: %s", why);
	h->rd += len;
	return m->type;
}

static void
expect(struct h *h, unsigned int type, struct pptp_msg *m)
{
	struct pptp_msg tmp;

	if (m == NULL)
		m = &tmp;
	ATF_REQUIRE_EQ_MSG(next_msg(h, m), type, "expected %s",
	    pptp_type_name(type));
}

static void
nothing_sent(struct h *h)
{
	ATF_REQUIRE_EQ_MSG(h->outlen, h->rd, "client sent %zu bytes more",
	    h->outlen - h->rd);
}

static void
feed(struct h *h, const struct pptp_msg *m)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	ATF_REQUIRE_EQ(pptp_msg_encode(&w, m), 0);
	pptp_ctrl_input(h->c, buf, wbuf_len(&w));
}

static void
mk(struct pptp_msg *m, unsigned int type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
}

static void
feed_sccrp(struct h *h, uint8_t result, uint8_t error)
{
	struct pptp_msg m;

	mk(&m, PPTP_SCCRP);
	m.u.scc.version = PPTP_VERSION;
	m.u.scc.result = result;
	m.u.scc.error = error;
	m.u.scc.framing = 3;
	m.u.scc.bearer = 3;
	m.u.scc.max_channels = 1;
	m.u.scc.firmware = 0x0500;
	strcpy(m.u.scc.hostname, "rras");
	strcpy(m.u.scc.vendor, "Microsoft");
	feed(h, &m);
}

static void
feed_ocrp(struct h *h, uint16_t peer_call_id, uint8_t result, uint8_t error)
{
	struct pptp_msg m;

	mk(&m, PPTP_OCRP);
	m.u.ocrp.call_id = PAC_ID;
	m.u.ocrp.peer_call_id = peer_call_id;
	m.u.ocrp.result = result;
	m.u.ocrp.error = error;
	m.u.ocrp.speed = 64000;
	m.u.ocrp.window = 16;
	m.u.ocrp.delay = 7;
	feed(h, &m);
}

static void
feed_cdn(struct h *h, uint16_t call_id, uint8_t result, uint8_t error)
{
	struct pptp_msg m;

	mk(&m, PPTP_CDN);
	m.u.cdn.call_id = call_id;
	m.u.cdn.result = result;
	m.u.cdn.error = error;
	feed(h, &m);
}

static void
feed_simple(struct h *h, unsigned int type, uint8_t code)
{
	struct pptp_msg m;

	mk(&m, type);
	if (type == PPTP_STOPCCRQ)
		m.u.stopccrq.reason = code;
	else if (type == PPTP_STOPCCRP)
		m.u.stopccrp.result = code;
	feed(h, &m);
}

static void
to_ctl_reply(struct h *h)
{
	pptp_ctrl_start(h->c);
	expect(h, PPTP_SCCRQ, NULL);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_CTL_REPLY);
}

static void
to_call_reply(struct h *h)
{
	to_ctl_reply(h);
	feed_sccrp(h, PPTP_SCCRP_SUCCESS, 0);
	expect(h, PPTP_OCRQ, NULL);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_REPLY);
}

static void
to_call(struct h *h)
{
	to_call_reply(h);
	feed_ocrp(h, OUR_ID, PPTP_OCRP_CONNECTED, 0);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_CALL_ESTABLISHED);
	ATF_REQUIRE_EQ(h->ups, 1);
	nothing_sent(h);
}

static void
to_wait_cdn(struct h *h)
{
	to_call(h);
	pptp_ctrl_close(h->c);
	expect(h, PPTP_CCRQ, NULL);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_CDN);
}

static void
to_wait_stop(struct h *h)
{
	to_wait_cdn(h);
	feed_cdn(h, PAC_ID, PPTP_CDN_REQUEST, 0);
	expect(h, PPTP_STOPCCRQ, NULL);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_STOP_REPLY);
}

static void
closed_with(struct h *h, enum pptp_ctrl_why why, const char *text)
{
	ATF_REQUIRE_EQ(h->closes, 1);
	ATF_REQUIRE_EQ(h->closed_reason.why, why);
	ATF_REQUIRE_STREQ(h->closed_reason.text, text);
	if (!h->freed)
		ATF_REQUIRE_EQ(state(h), PPTP_CTRL_CLOSED);
	ATF_REQUIRE_EQ(timer_manual_next(h->tb), UINT64_MAX);
}

/* Ends a capture; the number of lines logged, the first of them in buf. */
static size_t
capture_lines(struct capture *cap, char *buf, size_t len)
{
	char chunk[4096];
	size_t n, i, lines = 0, have = 0;

	fflush(stderr);
	ATF_REQUIRE(dup2(cap->saved, 2) != -1);
	close(cap->saved);
	rewind(cap->f);
	buf[0] = '\0';
	while ((n = fread(chunk, 1, sizeof(chunk), cap->f)) > 0) {
		for (i = 0; i < n; i++) {
			if (lines == 0 && chunk[i] != '\n' && have + 1 < len) {
				buf[have++] = chunk[i];
				buf[have] = '\0';
			}
			if (chunk[i] == '\n')
				lines++;
		}
	}
	fclose(cap->f);
	return lines;
}

/*
 * A server (or whoever took over its TCP connection) sending message
 * after message we ignore: the log does not grow with them.
 */
ATF_TC_WITHOUT_HEAD(log_flood_bounded);
ATF_TC_BODY(log_flood_bounded, tc)
{
	uint8_t raw[PPTP_MAX_MSG_LEN];
	struct capture cap;
	struct pptp_msg m;
	struct wbuf w;
	struct h *h = h_new();
	char first[256];
	size_t lines, rawlen;
	unsigned int i;

	to_call(h);
	/* A message of a type nobody defined. */
	mk(&m, PPTP_ECHORQ);
	wbuf_init(&w, raw, sizeof(raw));
	ATF_REQUIRE_EQ(pptp_msg_encode(&w, &m), 0);
	rawlen = wbuf_len(&w);
	raw[8] = 0;
	raw[9] = 99;
	log_setverbose(1);
	capture_begin(&cap);
	for (i = 0; i < 10000; i++) {
		switch (i % 5) {
		case 0:
			feed_sccrp(h, PPTP_SCCRP_SUCCESS, 0);
			break;
		case 1:
			feed_ocrp(h, OUR_ID, PPTP_OCRP_CONNECTED, 0);
			break;
		case 2:
			feed_cdn(h, PAC_ID + 1, PPTP_CDN_REQUEST, 0);
			break;
		case 3:
			mk(&m, PPTP_ECHORP);
			m.u.echo.id = i;
			feed(h, &m);
			break;
		default:
			pptp_ctrl_input(h->c, raw, rawlen);
			break;
		}
	}
	/* A second later the debug trace may speak again, once. */
	timer_manual_advance(h->tb, 1000);
	feed_sccrp(h, PPTP_SCCRP_SUCCESS, 0);
	lines = capture_lines(&cap, first, sizeof(first));
	log_setverbose(0);
	/*
	 * One line per kind: the trace of four message types, a stale
	 * Echo-Reply, the messages ignored; a second later one trace line.
	 */
	ATF_CHECK_MSG(lines <= 7, "%zu lines for 10000 messages", lines);
	ATF_CHECK_MATCH("^office: ", first);
	ATF_CHECK_EQ(state(h), PPTP_CTRL_CALL_ESTABLISHED);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(connect_timeout);
ATF_TC_BODY(connect_timeout, tc)
{
	struct h *h = h_new();

	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_IDLE);
	ATF_REQUIRE_STREQ(pptp_ctrl_state_name(state(h)), "idle");
	timer_manual_advance(h->tb, 59999);
	ATF_REQUIRE_EQ(h->closes, 0);
	timer_manual_advance(h->tb, 1);
	closed_with(h, PPTP_WHY_TIMEOUT, "TCP connect timed out after 60 s");
	nothing_sent(h);
	/* Nothing more happens to a closed engine. */
	pptp_ctrl_start(h->c);
	pptp_ctrl_close(h->c);
	pptp_ctrl_tcp_down(h->c, "EOF");
	nothing_sent(h);
	ATF_REQUIRE_EQ(h->closes, 1);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(new_needs_ops);
ATF_TC_BODY(new_needs_ops, tc)
{
	struct pptp_ctrl_config cfg;
	struct pptp_ctrl_ops bad = ops;
	struct timer_base *tb = timer_manual_new();

	default_config(&cfg);
	bad.write = NULL;
	ATF_REQUIRE(pptp_ctrl_new(&cfg, &bad, NULL, tb) == NULL);
	bad = ops;
	bad.closed = NULL;
	ATF_REQUIRE(pptp_ctrl_new(&cfg, &bad, NULL, tb) == NULL);
	/* Optional callbacks may be left out. */
	bad = ops;
	bad.call_up = NULL;
	bad.call_down = NULL;
	bad.sli = NULL;
	pptp_ctrl_free(pptp_ctrl_new(&cfg, &bad, NULL, tb));
	pptp_ctrl_free(NULL);
	ATF_REQUIRE_EQ(timer_manual_next(tb), UINT64_MAX);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(connect_refused);
ATF_TC_BODY(connect_refused, tc)
{
	struct h *h = h_new();

	pptp_ctrl_tcp_down(h->c, "Connection refused");
	closed_with(h, PPTP_WHY_IO,
	    "cannot connect to server: Connection refused");
	ATF_REQUIRE_EQ(h->downs, 0);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(sccrq_sent);
ATF_TC_BODY(sccrq_sent, tc)
{
	struct h *h = h_new();
	struct pptp_msg m;

	pptp_ctrl_start(h->c);
	expect(h, PPTP_SCCRQ, &m);
	ATF_REQUIRE_EQ(m.u.scc.version, PPTP_VERSION);
	ATF_REQUIRE_EQ(m.u.scc.max_channels, 0);
	ATF_REQUIRE_EQ(m.u.scc.framing, 3);
	ATF_REQUIRE_EQ(m.u.scc.bearer, 3);
	ATF_REQUIRE_STREQ(m.u.scc.hostname, "gw1");
	ATF_REQUIRE_STREQ(m.u.scc.vendor, "pptpc");
	nothing_sent(h);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_CTL_REPLY);
	ATF_REQUIRE_STREQ(pptp_ctrl_state_name(state(h)), "wait-ctl-reply");
	/* A second start does nothing. */
	pptp_ctrl_start(h->c);
	nothing_sent(h);
	/* The connect timer gave way to the reply timer. */
	timer_manual_advance(h->tb, 59999);
	ATF_REQUIRE_EQ(h->closes, 0);
	timer_manual_advance(h->tb, 1);
	closed_with(h, PPTP_WHY_TIMEOUT, "server did not answer "
	    "Start-Control-Connection-Request within 60 s");
	nothing_sent(h);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(call_established);
ATF_TC_BODY(call_established, tc)
{
	struct h *h = h_new();
	struct pptp_ctrl_stats st;
	struct pptp_msg m;

	to_ctl_reply(h);
	feed_sccrp(h, PPTP_SCCRP_SUCCESS, 0);
	expect(h, PPTP_OCRQ, &m);
	ATF_REQUIRE_EQ(m.u.ocrq.call_id, OUR_ID);
	ATF_REQUIRE_EQ(m.u.ocrq.window, WINDOW);
	ATF_REQUIRE_EQ(m.u.ocrq.delay, 3);
	ATF_REQUIRE_EQ(m.u.ocrq.bearer, 3);
	ATF_REQUIRE_EQ(m.u.ocrq.framing, 3);
	ATF_REQUIRE_STREQ(m.u.ocrq.phone, "");
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_REPLY);
	ATF_REQUIRE_STREQ(pptp_ctrl_state_name(state(h)), "wait-call-reply");
	ATF_REQUIRE_STREQ(pptp_ctrl_peer_hostname(h->c), "rras");
	ATF_REQUIRE_STREQ(pptp_ctrl_peer_vendor(h->c), "Microsoft");

	feed_ocrp(h, OUR_ID, PPTP_OCRP_CONNECTED, 0);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_CALL_ESTABLISHED);
	ATF_REQUIRE_STREQ(pptp_ctrl_state_name(state(h)), "call-established");
	ATF_REQUIRE_EQ(h->ups, 1);
	ATF_REQUIRE_EQ(h->info.call_id, OUR_ID);
	ATF_REQUIRE_EQ(h->info.peer_call_id, PAC_ID);
	ATF_REQUIRE_EQ(h->info.peer_window, 16);
	ATF_REQUIRE_EQ(h->info.peer_delay, 7);
	ATF_REQUIRE_EQ(h->info.connect_speed, 64000);
	ATF_REQUIRE_EQ(pptp_ctrl_call_info(h->c)->peer_call_id, PAC_ID);
	nothing_sent(h);

	pptp_ctrl_get_stats(h->c, &st);
	ATF_REQUIRE_EQ(st.msgs_in, 2);
	ATF_REQUIRE_EQ(st.msgs_out, 2);
	ATF_REQUIRE_EQ(st.bytes_in, 156 + 32);
	ATF_REQUIRE_EQ(st.bytes_out, 156 + 168);
	ATF_REQUIRE_EQ(st.echo_rtt_ms, -1);
	ATF_REQUIRE_EQ(st.ignored_in, 0);
	/* Only the echo timer runs now. */
	ATF_REQUIRE_EQ(timer_manual_next(h->tb), 60000);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(sccrp_refused);
ATF_TC_BODY(sccrp_refused, tc)
{
	struct capture cap;
	struct h *h = h_new();
	char log[2048];

	to_ctl_reply(h);
	capture_begin(&cap);
	feed_sccrp(h, PPTP_SCCRP_NOTAUTH, 0);
	capture_end(&cap, log, sizeof(log));
	closed_with(h, PPTP_WHY_REFUSED, "server refused the control "
	    "connection: result 4 (requester not authorized), error 0 (none)");
	ATF_REQUIRE_STREQ(log, "office: server refused the control "
	    "connection: result 4 (requester not authorized), "
	    "error 0 (none)\n");
	ATF_REQUIRE_EQ(h->closed_reason.msg_type, PPTP_SCCRP);
	ATF_REQUIRE_EQ(h->closed_reason.result, 4);
	nothing_sent(h);
	ATF_REQUIRE_EQ(h->ups + h->downs, 0);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(sccrp_general_error);
ATF_TC_BODY(sccrp_general_error, tc)
{
	struct h *h = h_new();

	to_ctl_reply(h);
	feed_sccrp(h, PPTP_SCCRP_GENERAL, PPTP_ERR_NORESOURCE);
	closed_with(h, PPTP_WHY_REFUSED, "server refused the control "
	    "connection: result 2 (general error), error 4 (no resource)");
	ATF_REQUIRE_EQ(h->closed_reason.error, 4);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(sccrp_bad_version);
ATF_TC_BODY(sccrp_bad_version, tc)
{
	struct h *h = h_new();
	struct pptp_msg m;

	to_ctl_reply(h);
	mk(&m, PPTP_SCCRP);
	m.u.scc.version = 0x0200;
	m.u.scc.result = PPTP_SCCRP_SUCCESS;
	feed(h, &m);
	expect(h, PPTP_STOPCCRQ, &m);
	ATF_REQUIRE_EQ(m.u.stopccrq.reason, PPTP_STOP_PROTOCOL);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_STOP_REPLY);
	feed_simple(h, PPTP_STOPCCRP, PPTP_STOPCCRP_OK);
	closed_with(h, PPTP_WHY_PROTOCOL,
	    "server speaks PPTP version 2.0, only 1.0 is supported");
	nothing_sent(h);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(sccrp_bad_version_refusal);
ATF_TC_BODY(sccrp_bad_version_refusal, tc)
{
	struct h *h = h_new();
	struct pptp_msg m;

	/* A refusal with a version of 0: the refusal is what matters. */
	to_ctl_reply(h);
	mk(&m, PPTP_SCCRP);
	m.u.scc.version = 0;
	m.u.scc.result = PPTP_SCCRP_VERSION;
	feed(h, &m);
	closed_with(h, PPTP_WHY_REFUSED, "server refused the control "
	    "connection: result 5 (protocol version not supported), "
	    "error 0 (none)");
	nothing_sent(h);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(ocrp_refused);
ATF_TC_BODY(ocrp_refused, tc)
{
	struct capture cap;
	struct h *h = h_new();
	struct pptp_msg m;
	char log[2048];

	to_call_reply(h);
	capture_begin(&cap);
	feed_ocrp(h, OUR_ID, PPTP_OCRP_GENERAL, PPTP_ERR_NORESOURCE);
	expect(h, PPTP_STOPCCRQ, &m);
	ATF_REQUIRE_EQ(m.u.stopccrq.reason, PPTP_STOP_NONE);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_STOP_REPLY);
	ATF_REQUIRE_EQ(h->closes, 0);
	feed_simple(h, PPTP_STOPCCRP, PPTP_STOPCCRP_OK);
	capture_end(&cap, log, sizeof(log));
	closed_with(h, PPTP_WHY_REFUSED, "server refused the call: "
	    "result 2 (general error), error 4 (no resource)");
	ATF_REQUIRE_STREQ(log, "office: server refused the call: "
	    "result 2 (general error), error 4 (no resource)\n");
	ATF_REQUIRE_EQ(h->closed_reason.msg_type, PPTP_OCRP);
	ATF_REQUIRE_EQ(h->ups + h->downs, 0);
	nothing_sent(h);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(ocrp_refused_with_cause);
ATF_TC_BODY(ocrp_refused_with_cause, tc)
{
	struct h *h = h_new();
	struct pptp_msg m;

	to_call_reply(h);
	mk(&m, PPTP_OCRP);
	m.u.ocrp.peer_call_id = OUR_ID;
	m.u.ocrp.result = PPTP_OCRP_BUSY;
	m.u.ocrp.cause = 17;
	feed(h, &m);
	expect(h, PPTP_STOPCCRQ, NULL);
	/* No StopCCRP: the close timer ends it with the same reason. */
	timer_manual_advance(h->tb, 10000);
	closed_with(h, PPTP_WHY_REFUSED, "server refused the call: "
	    "result 4 (busy), error 0 (none), cause 17");
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(ocrp_other_call);
ATF_TC_BODY(ocrp_other_call, tc)
{
	struct h *h = h_new();
	struct pptp_ctrl_stats st;

	to_call_reply(h);
	feed_ocrp(h, OUR_ID + 1, PPTP_OCRP_CONNECTED, 0);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_REPLY);
	ATF_REQUIRE_EQ(h->ups, 0);
	pptp_ctrl_get_stats(h->c, &st);
	ATF_REQUIRE_EQ(st.ignored_in, 1);
	feed_ocrp(h, OUR_ID, PPTP_OCRP_CONNECTED, 0);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_CALL_ESTABLISHED);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(ocrp_timeout);
ATF_TC_BODY(ocrp_timeout, tc)
{
	struct h *h = h_new();

	to_call_reply(h);
	/* The echo timer (60 s) and the reply timer (60 s) both run. */
	timer_manual_advance(h->tb, 60000);
	expect(h, PPTP_STOPCCRQ, NULL);
	nothing_sent(h);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_STOP_REPLY);
	timer_manual_advance(h->tb, 9999);
	ATF_REQUIRE_EQ(h->closes, 0);
	timer_manual_advance(h->tb, 1);
	closed_with(h, PPTP_WHY_TIMEOUT, "server did not answer "
	    "Outgoing-Call-Request within 60 s");
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(set_link_info);
ATF_TC_BODY(set_link_info, tc)
{
	struct h *h = h_new();
	struct pptp_ctrl_stats st;
	struct pptp_msg m;

	to_call_reply(h);
	mk(&m, PPTP_SLI);
	m.u.sli.peer_call_id = OUR_ID;
	m.u.sli.send_accm = 0x000a0000;
	m.u.sli.recv_accm = 0xffffffff;
	feed(h, &m);		/* before the call: ignored */
	ATF_REQUIRE_EQ(h->slis, 0);
	feed_ocrp(h, OUR_ID, PPTP_OCRP_CONNECTED, 0);
	feed(h, &m);
	ATF_REQUIRE_EQ(h->slis, 1);
	ATF_REQUIRE_EQ(h->sli_send, 0x000a0000);
	ATF_REQUIRE_EQ(h->sli_recv, 0xffffffff);
	m.u.sli.peer_call_id = PAC_ID;	/* not our Call ID */
	feed(h, &m);
	ATF_REQUIRE_EQ(h->slis, 1);
	pptp_ctrl_get_stats(h->c, &st);
	ATF_REQUIRE_EQ(st.ignored_in, 2);
	nothing_sent(h);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_CALL_ESTABLISHED);
	h_free(h);
}

static void
echo_answered_in(struct h *h, uint32_t id)
{
	struct pptp_msg m;

	mk(&m, PPTP_ECHORQ);
	m.u.echo.id = id;
	feed(h, &m);
	expect(h, PPTP_ECHORP, &m);
	ATF_REQUIRE_EQ(m.u.echo.id, id);
	ATF_REQUIRE_EQ(m.u.echo.result, PPTP_ECHO_OK);
	nothing_sent(h);
}

ATF_TC_WITHOUT_HEAD(echo_answered);
ATF_TC_BODY(echo_answered, tc)
{
	struct h *h = h_new();
	struct pptp_ctrl_stats st;

	to_ctl_reply(h);
	echo_answered_in(h, 1);
	feed_sccrp(h, PPTP_SCCRP_SUCCESS, 0);
	expect(h, PPTP_OCRQ, NULL);
	echo_answered_in(h, 0xffffffff);
	feed_ocrp(h, OUR_ID, PPTP_OCRP_CONNECTED, 0);
	echo_answered_in(h, 0);
	pptp_ctrl_close(h->c);
	expect(h, PPTP_CCRQ, NULL);
	echo_answered_in(h, 7);
	feed_cdn(h, PAC_ID, PPTP_CDN_REQUEST, 0);
	expect(h, PPTP_STOPCCRQ, NULL);
	echo_answered_in(h, 8);
	pptp_ctrl_get_stats(h->c, &st);
	ATF_REQUIRE_EQ(st.echo_answered, 5);
	ATF_REQUIRE_EQ(st.echo_sent, 0);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(echo_keepalive);
ATF_TC_BODY(echo_keepalive, tc)
{
	struct h *h = h_new();
	struct pptp_ctrl_stats st;
	struct pptp_msg m, rep;

	to_call(h);
	timer_manual_advance(h->tb, 59999);
	nothing_sent(h);
	timer_manual_advance(h->tb, 1);
	expect(h, PPTP_ECHORQ, &m);
	nothing_sent(h);
	timer_manual_advance(h->tb, 250);
	/* A reply to something else is not ours, but shows life. */
	mk(&rep, PPTP_ECHORP);
	rep.u.echo.id = m.u.echo.id + 1;
	rep.u.echo.result = PPTP_ECHO_OK;
	feed(h, &rep);
	pptp_ctrl_get_stats(h->c, &st);
	ATF_REQUIRE_EQ(st.echo_replies, 0);
	rep.u.echo.id = m.u.echo.id;
	feed(h, &rep);
	pptp_ctrl_get_stats(h->c, &st);
	ATF_REQUIRE_EQ(st.echo_sent, 1);
	ATF_REQUIRE_EQ(st.echo_replies, 1);
	ATF_REQUIRE_EQ(st.echo_rtt_ms, 250);
	ATF_REQUIRE_EQ(st.echo_failures, 0);
	/* Next one 60 s after the last message, with a new identifier. */
	timer_manual_advance(h->tb, 59999);
	nothing_sent(h);
	timer_manual_advance(h->tb, 1);
	expect(h, PPTP_ECHORQ, &rep);
	ATF_REQUIRE(rep.u.echo.id != m.u.echo.id);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_CALL_ESTABLISHED);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(echo_traffic_aware);
ATF_TC_BODY(echo_traffic_aware, tc)
{
	struct h *h = h_new();
	struct pptp_msg m;

	to_call(h);
	timer_manual_advance(h->tb, 30000);
	/* The server's own echo counts as traffic. */
	echo_answered_in(h, 42);
	timer_manual_advance(h->tb, 30000);
	nothing_sent(h);
	timer_manual_advance(h->tb, 29999);
	nothing_sent(h);
	timer_manual_advance(h->tb, 1);
	expect(h, PPTP_ECHORQ, NULL);
	/* Silence from here; traffic before the deadline still saves it. */
	timer_manual_advance(h->tb, 59000);
	mk(&m, PPTP_WEN);
	m.u.wen.peer_call_id = OUR_ID;
	m.u.wen.crc = 5;
	feed(h, &m);
	timer_manual_advance(h->tb, 1000);
	nothing_sent(h);
	ATF_REQUIRE_EQ(h->closes, 0);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(echo_lost_default);
ATF_TC_BODY(echo_lost_default, tc)
{
	struct h *h = h_new();

	/* RFC 2637 §3: 60 s idle, Echo-Request, 60 s for the reply. */
	to_call(h);
	timer_manual_advance(h->tb, 60000);
	expect(h, PPTP_ECHORQ, NULL);
	timer_manual_advance(h->tb, 59999);
	ATF_REQUIRE_EQ(h->closes, 0);
	timer_manual_advance(h->tb, 1);
	ATF_REQUIRE_EQ(h->downs, 1);
	ATF_REQUIRE_STREQ(h->down_reason.text,
	    "server not responding: 1 Echo-Request unanswered");
	closed_with(h, PPTP_WHY_TIMEOUT,
	    "server not responding: 1 Echo-Request unanswered");
	nothing_sent(h);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(echo_lost_configured);
ATF_TC_BODY(echo_lost_configured, tc)
{
	struct pptp_ctrl_config cfg;
	struct pptp_ctrl_stats st;
	struct h *h;
	int i;

	default_config(&cfg);
	cfg.echo_interval_ms = 10000;
	cfg.echo_max_failures = 3;
	h = h_new_cfg(&cfg);
	to_call(h);
	for (i = 0; i < 3; i++) {
		timer_manual_advance(h->tb, 10000);
		expect(h, PPTP_ECHORQ, NULL);
		pptp_ctrl_get_stats(h->c, &st);
		ATF_REQUIRE_EQ(st.echo_failures, (unsigned int)i);
	}
	timer_manual_advance(h->tb, 10000);
	ATF_REQUIRE_EQ(h->downs, 1);
	closed_with(h, PPTP_WHY_TIMEOUT,
	    "server not responding: 3 Echo-Requests unanswered");
	nothing_sent(h);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(close_orderly);
ATF_TC_BODY(close_orderly, tc)
{
	struct h *h = h_new();
	struct pptp_msg m;

	to_call(h);
	pptp_ctrl_close(h->c);
	expect(h, PPTP_CCRQ, &m);
	ATF_REQUIRE_EQ(m.u.ccrq.call_id, OUR_ID);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_CDN);
	ATF_REQUIRE_STREQ(pptp_ctrl_state_name(state(h)), "wait-cdn");
	ATF_REQUIRE_EQ(h->downs, 0);
	/* Closing again changes nothing. */
	pptp_ctrl_close(h->c);
	nothing_sent(h);
	/* A CDN for another call is not ours. */
	feed_cdn(h, PAC_ID + 1, PPTP_CDN_REQUEST, 0);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_CDN);
	feed_cdn(h, PAC_ID, PPTP_CDN_REQUEST, 0);
	ATF_REQUIRE_EQ(h->downs, 1);
	ATF_REQUIRE_EQ(h->down_reason.why, PPTP_WHY_LOCAL);
	expect(h, PPTP_STOPCCRQ, &m);
	ATF_REQUIRE_EQ(m.u.stopccrq.reason, PPTP_STOP_NONE);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_STOP_REPLY);
	ATF_REQUIRE_STREQ(pptp_ctrl_state_name(state(h)), "wait-stop-reply");
	pptp_ctrl_close(h->c);
	nothing_sent(h);
	feed_simple(h, PPTP_STOPCCRP, PPTP_STOPCCRP_OK);
	closed_with(h, PPTP_WHY_LOCAL, "control connection closed on request");
	ATF_REQUIRE_EQ(h->downs, 1);
	ATF_REQUIRE_STREQ(pptp_ctrl_state_name(state(h)), "closed");
	nothing_sent(h);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(close_timeouts);
ATF_TC_BODY(close_timeouts, tc)
{
	struct pptp_ctrl_config cfg;
	struct h *h;

	default_config(&cfg);
	cfg.close_timeout_ms = 2500;
	h = h_new_cfg(&cfg);
	to_wait_cdn(h);
	timer_manual_advance(h->tb, 2499);
	nothing_sent(h);
	timer_manual_advance(h->tb, 1);
	ATF_REQUIRE_EQ(h->downs, 1);
	expect(h, PPTP_STOPCCRQ, NULL);
	timer_manual_advance(h->tb, 2500);
	closed_with(h, PPTP_WHY_LOCAL, "control connection closed on request");
	nothing_sent(h);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(close_every_state);
ATF_TC_BODY(close_every_state, tc)
{
	struct h *h;

	/* idle: nothing to take down. */
	h = h_new();
	pptp_ctrl_close(h->c);
	closed_with(h, PPTP_WHY_LOCAL, "control connection closed on request");
	nothing_sent(h);
	h_free(h);

	/* wait-ctl-reply: not established, so no StopCCRQ. */
	h = h_new();
	to_ctl_reply(h);
	pptp_ctrl_close(h->c);
	closed_with(h, PPTP_WHY_LOCAL, "control connection closed on request");
	nothing_sent(h);
	h_free(h);

	/* wait-call-reply: CCRQ with our Call ID, any CDN will do. */
	h = h_new();
	to_call_reply(h);
	pptp_ctrl_close(h->c);
	expect(h, PPTP_CCRQ, NULL);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_CDN);
	/* A late OCRP is not a call any more. */
	feed_ocrp(h, OUR_ID, PPTP_OCRP_CONNECTED, 0);
	ATF_REQUIRE_EQ(h->ups, 0);
	feed_cdn(h, 999, PPTP_CDN_REQUEST, 0);
	expect(h, PPTP_STOPCCRQ, NULL);
	feed_simple(h, PPTP_STOPCCRP, PPTP_STOPCCRP_OK);
	closed_with(h, PPTP_WHY_LOCAL, "control connection closed on request");
	ATF_REQUIRE_EQ(h->downs, 0);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(server_cdn_every_state);
ATF_TC_BODY(server_cdn_every_state, tc)
{
	struct pptp_ctrl_stats st;
	struct h *h;

	/* wait-ctl-reply: no call, ignored. */
	h = h_new();
	to_ctl_reply(h);
	feed_cdn(h, PAC_ID, PPTP_CDN_ADMIN, 0);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_CTL_REPLY);
	pptp_ctrl_get_stats(h->c, &st);
	ATF_REQUIRE_EQ(st.ignored_in, 1);
	nothing_sent(h);
	h_free(h);

	/* wait-call-reply: the call failed before it was up. */
	h = h_new();
	to_call_reply(h);
	feed_cdn(h, PAC_ID, PPTP_CDN_GENERAL, PPTP_ERR_NORESOURCE);
	expect(h, PPTP_STOPCCRQ, NULL);
	ATF_REQUIRE_EQ(h->downs, 0);
	feed_simple(h, PPTP_STOPCCRP, PPTP_STOPCCRP_OK);
	closed_with(h, PPTP_WHY_PEER, "server cleared the call: "
	    "result 2 (general error), error 4 (no resource)");
	h_free(h);

	/* call-established: down at once, then stop. */
	h = h_new();
	to_call(h);
	feed_cdn(h, PAC_ID + 1, PPTP_CDN_ADMIN, 0);	/* not ours */
	ATF_REQUIRE_EQ(h->downs, 0);
	feed_cdn(h, PAC_ID, PPTP_CDN_ADMIN, 0);
	ATF_REQUIRE_EQ(h->downs, 1);
	ATF_REQUIRE_EQ(h->down_reason.why, PPTP_WHY_PEER);
	ATF_REQUIRE_STREQ(h->down_reason.text, "server cleared the call: "
	    "result 3 (admin shutdown), error 0 (none)");
	ATF_REQUIRE_EQ(h->down_reason.msg_type, PPTP_CDN);
	expect(h, PPTP_STOPCCRQ, NULL);
	ATF_REQUIRE_EQ(h->closes, 0);
	feed_simple(h, PPTP_STOPCCRP, PPTP_STOPCCRP_OK);
	closed_with(h, PPTP_WHY_PEER, "server cleared the call: "
	    "result 3 (admin shutdown), error 0 (none)");
	ATF_REQUIRE_EQ(h->downs, 1);
	h_free(h);

	/* wait-stop-reply: too late, ignored. */
	h = h_new();
	to_wait_stop(h);
	feed_cdn(h, PAC_ID, PPTP_CDN_ADMIN, 0);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_STOP_REPLY);
	ATF_REQUIRE_EQ(h->downs, 1);
	nothing_sent(h);
	h_free(h);
}

static void
stop_in(struct h *h, int call_was_up, const char *text)
{
	struct pptp_msg m;

	feed_simple(h, PPTP_STOPCCRQ, PPTP_STOP_SHUTDOWN);
	expect(h, PPTP_STOPCCRP, &m);
	ATF_REQUIRE_EQ(m.u.stopccrp.result, PPTP_STOPCCRP_OK);
	nothing_sent(h);
	ATF_REQUIRE_EQ(h->downs, call_was_up);
	closed_with(h, text[0] == 's' ? PPTP_WHY_PEER : PPTP_WHY_LOCAL, text);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(server_stop_every_state);
ATF_TC_BODY(server_stop_every_state, tc)
{
	static const char peer[] = "server stopped the control connection: "
	    "reason 3 (local shutdown)";
	struct h *h;

	h = h_new();
	to_ctl_reply(h);
	stop_in(h, 0, peer);

	h = h_new();
	to_call_reply(h);
	stop_in(h, 0, peer);

	h = h_new();
	to_call(h);
	stop_in(h, 1, peer);

	/* wait-cdn: the call is still up until the CDN. */
	h = h_new();
	to_wait_cdn(h);
	stop_in(h, 1, peer);

	/* wait-stop-reply: both sides stop; ours is the story. */
	h = h_new();
	to_wait_stop(h);
	stop_in(h, 1, "control connection closed on request");
}

ATF_TC_WITHOUT_HEAD(icrq_refused);
ATF_TC_BODY(icrq_refused, tc)
{
	struct h *h = h_new();
	struct pptp_msg m;

	to_call(h);
	mk(&m, PPTP_ICRQ);
	m.u.icrq.call_id = 0x7777;
	feed(h, &m);
	expect(h, PPTP_ICRP, &m);
	ATF_REQUIRE_EQ(m.u.icrp.peer_call_id, 0x7777);
	ATF_REQUIRE_EQ(m.u.icrp.result, PPTP_ICRP_DONOTACCEPT);
	nothing_sent(h);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_CALL_ESTABLISHED);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(unexpected_ignored);
ATF_TC_BODY(unexpected_ignored, tc)
{
	static const unsigned int types[] = { PPTP_SCCRQ, PPTP_SCCRP,
	    PPTP_STOPCCRP, PPTP_OCRQ, PPTP_OCRP, PPTP_ICRP, PPTP_ICCN,
	    PPTP_CCRQ };
	struct h *h = h_new();
	struct pptp_ctrl_stats st;
	struct pptp_msg m;
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct wbuf w;
	size_t i;

	to_call(h);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		mk(&m, types[i]);
		m.u.scc.version = PPTP_VERSION;
		m.u.ocrp.peer_call_id = OUR_ID;
		feed(h, &m);
	}
	/* Unknown control type and a management message, well framed. */
	mk(&m, PPTP_ECHORQ);
	wbuf_init(&w, buf, sizeof(buf));
	pptp_msg_encode(&w, &m);
	put_be16(buf + 8, 99);
	pptp_ctrl_input(h->c, buf, 16);
	put_be16(buf + 8, PPTP_ECHORQ);
	put_be16(buf + 2, 2);
	pptp_ctrl_input(h->c, buf, 16);
	pptp_ctrl_get_stats(h->c, &st);
	ATF_REQUIRE_EQ(st.ignored_in, 10);
	ATF_REQUIRE_EQ(st.msgs_in, 12);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_CALL_ESTABLISHED);
	ATF_REQUIRE_EQ(h->ups, 1);
	ATF_REQUIRE_EQ(h->downs + h->closes, 0);
	nothing_sent(h);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(malformed_is_fatal);
ATF_TC_BODY(malformed_is_fatal, tc)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	struct wbuf w;
	struct h *h;

	/* Well framed, wrong length for its type. */
	h = h_new();
	to_call(h);
	mk(&m, PPTP_SLI);
	wbuf_init(&w, buf, sizeof(buf));
	pptp_msg_encode(&w, &m);
	put_be16(buf, 20);
	pptp_ctrl_input(h->c, buf, 20);
	ATF_REQUIRE_EQ(h->downs, 1);
	closed_with(h, PPTP_WHY_PROTOCOL, "malformed message from server: "
	    "SLI: length field 20, expected 24");
	nothing_sent(h);
	h_free(h);

	/* Bad cookie: out of sync. */
	h = h_new();
	to_call_reply(h);
	mk(&m, PPTP_OCRP);
	wbuf_init(&w, buf, sizeof(buf));
	pptp_msg_encode(&w, &m);
	put_be32(buf + 4, 0x11223344);
	pptp_ctrl_input(h->c, buf, 8);
	closed_with(h, PPTP_WHY_PROTOCOL, "control connection out of sync: "
	    "magic cookie 0x11223344, expected 0x1a2b3c4d");
	ATF_REQUIRE_EQ(h->downs, 0);
	h_free(h);

	/* Impossible length. */
	h = h_new();
	to_ctl_reply(h);
	buf[0] = 0xff;
	buf[1] = 0xff;
	pptp_ctrl_input(h->c, buf, 2);
	closed_with(h, PPTP_WHY_PROTOCOL, "control connection out of sync: "
	    "length field 65535, no message is shorter than 12 or longer "
	    "than 220");
	h_free(h);

	/* Bad value inside (an OCRQ phone length), after a good message. */
	h = h_new();
	to_call(h);
	mk(&m, PPTP_ECHORQ);
	wbuf_init(&w, buf, sizeof(buf));
	pptp_msg_encode(&w, &m);
	mk(&m, PPTP_OCRQ);
	pptp_msg_encode(&w, &m);
	put_be16(buf + 16 + 36, 100);
	pptp_ctrl_input(h->c, buf, wbuf_len(&w));
	expect(h, PPTP_ECHORP, NULL);
	closed_with(h, PPTP_WHY_PROTOCOL, "malformed message from server: "
	    "OCRQ: phone number length 100, at most 64");
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(split_and_joined_input);
ATF_TC_BODY(split_and_joined_input, tc)
{
	uint8_t buf[512];
	struct pptp_msg m;
	struct wbuf w;
	struct h *h;
	size_t i;

	/* SCCRP, OCRP and SLI in one buffer, fed a byte at a time. */
	mk(&m, PPTP_SCCRP);
	m.u.scc.version = PPTP_VERSION;
	m.u.scc.result = PPTP_SCCRP_SUCCESS;
	wbuf_init(&w, buf, sizeof(buf));
	pptp_msg_encode(&w, &m);
	mk(&m, PPTP_OCRP);
	m.u.ocrp.call_id = PAC_ID;
	m.u.ocrp.peer_call_id = OUR_ID;
	m.u.ocrp.result = PPTP_OCRP_CONNECTED;
	pptp_msg_encode(&w, &m);
	mk(&m, PPTP_SLI);
	m.u.sli.peer_call_id = OUR_ID;
	m.u.sli.send_accm = 1;
	pptp_msg_encode(&w, &m);
	ATF_REQUIRE(!wbuf_failed(&w));

	h = h_new();
	to_ctl_reply(h);
	for (i = 0; i < wbuf_len(&w); i++)
		pptp_ctrl_input(h->c, buf + i, 1);
	expect(h, PPTP_OCRQ, NULL);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_CALL_ESTABLISHED);
	ATF_REQUIRE_EQ(h->slis, 1);
	h_free(h);

	/* All in one read. */
	h = h_new();
	to_ctl_reply(h);
	pptp_ctrl_input(h->c, buf, wbuf_len(&w));
	expect(h, PPTP_OCRQ, NULL);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_CALL_ESTABLISHED);
	ATF_REQUIRE_EQ(h->slis, 1);
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(tcp_lost);
ATF_TC_BODY(tcp_lost, tc)
{
	struct h *h;

	h = h_new();
	to_call(h);
	pptp_ctrl_tcp_down(h->c, "EOF");
	ATF_REQUIRE_EQ(h->downs, 1);
	closed_with(h, PPTP_WHY_IO, "control connection lost: EOF");
	nothing_sent(h);
	h_free(h);

	/* While stopping, a dropped connection ends it as planned. */
	h = h_new();
	to_wait_stop(h);
	pptp_ctrl_tcp_down(h->c, NULL);
	closed_with(h, PPTP_WHY_LOCAL, "control connection closed on request");
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(write_failure);
ATF_TC_BODY(write_failure, tc)
{
	struct h *h;

	h = h_new();
	h->write_fail = 1;
	pptp_ctrl_start(h->c);
	closed_with(h, PPTP_WHY_IO, "cannot write to the control connection");
	h_free(h);

	/* Failing while answering an echo during the call. */
	h = h_new();
	to_call(h);
	h->write_fail = 1;
	feed_simple(h, PPTP_ECHORQ, 0);
	ATF_REQUIRE_EQ(h->downs, 1);
	closed_with(h, PPTP_WHY_IO, "cannot write to the control connection");
	h_free(h);
}

ATF_TC_WITHOUT_HEAD(free_inside_callbacks);
ATF_TC_BODY(free_inside_callbacks, tc)
{
	uint8_t buf[512];
	struct pptp_msg m;
	struct wbuf w;
	struct h *h;

	/* Freed in call_up with more input behind the OCRP. */
	mk(&m, PPTP_OCRP);
	m.u.ocrp.call_id = PAC_ID;
	m.u.ocrp.peer_call_id = OUR_ID;
	m.u.ocrp.result = PPTP_OCRP_CONNECTED;
	wbuf_init(&w, buf, sizeof(buf));
	pptp_msg_encode(&w, &m);
	mk(&m, PPTP_SLI);
	m.u.sli.peer_call_id = OUR_ID;
	pptp_msg_encode(&w, &m);
	h = h_new();
	h->in_up = ACT_FREE;
	to_call_reply(h);
	pptp_ctrl_input(h->c, buf, wbuf_len(&w));
	ATF_REQUIRE_EQ(h->ups, 1);
	ATF_REQUIRE_EQ(h->slis, 0);
	ATF_REQUIRE_EQ(h->closes, 0);
	h_free(h);

	/* Closed in call_up: CCRQ goes out, the SLI behind is ignored. */
	h = h_new();
	h->in_up = ACT_CLOSE;
	to_call_reply(h);
	pptp_ctrl_input(h->c, buf, wbuf_len(&w));
	expect(h, PPTP_CCRQ, NULL);
	ATF_REQUIRE_EQ(state(h), PPTP_CTRL_WAIT_CDN);
	ATF_REQUIRE_EQ(h->slis, 0);
	h_free(h);

	/* Freed in sli. */
	h = h_new();
	h->in_sli = ACT_FREE;
	to_call(h);
	feed(h, &m);
	ATF_REQUIRE_EQ(h->slis, 1);
	h_free(h);

	/* Freed in call_down: no closed() after it. */
	h = h_new();
	h->in_down = ACT_FREE;
	to_call(h);
	feed_cdn(h, PAC_ID, PPTP_CDN_ADMIN, 0);
	ATF_REQUIRE_EQ(h->downs, 1);
	ATF_REQUIRE_EQ(h->closes, 0);
	h_free(h);

	/* Freed in closed, from a timer and from input. */
	h = h_new();
	h->in_closed = ACT_FREE;
	timer_manual_advance(h->tb, 60000);
	ATF_REQUIRE_EQ(h->closes, 1);
	h_free(h);
	h = h_new();
	h->in_closed = ACT_FREE;
	to_wait_stop(h);
	feed_simple(h, PPTP_STOPCCRP, PPTP_STOPCCRP_OK);
	ATF_REQUIRE_EQ(h->closes, 1);
	h_free(h);

	/* Closing from closed() is harmless. */
	h = h_new();
	h->in_closed = ACT_CLOSE;
	to_call(h);
	pptp_ctrl_tcp_down(h->c, "reset");
	ATF_REQUIRE_EQ(h->closes, 1);
	h_free(h);
}

/*
 * Back to back with the PAC.  Each side's writes go into a queue and
 * pump() carries them across, because an engine's write callback must not
 * call back into an engine.
 */
struct b2b {
	struct timer_base	*tb;
	struct h		 cli;
	struct pptp_pac		*pac;
	uint8_t			 to_pac[4096];
	size_t			 to_pac_len;
	uint8_t			 to_cli[4096];
	size_t			 to_cli_len;
	int			 pac_ups;
	int			 pac_downs;
	int			 pac_closes;
	char			 pac_reason[192];
};

static int
b2b_cli_write(void *arg, const uint8_t *data, size_t len)
{
	struct b2b *b = (struct b2b *)((char *)arg - offsetof(struct b2b, cli));

	ATF_REQUIRE(len <= sizeof(b->to_pac) - b->to_pac_len);
	memcpy(b->to_pac + b->to_pac_len, data, len);
	b->to_pac_len += len;
	return 0;
}

static int
b2b_pac_write(void *arg, const uint8_t *data, size_t len)
{
	struct b2b *b = arg;

	ATF_REQUIRE(len <= sizeof(b->to_cli) - b->to_cli_len);
	memcpy(b->to_cli + b->to_cli_len, data, len);
	b->to_cli_len += len;
	return 0;
}

static void
b2b_pac_up(void *arg, const struct pptp_pac_call *call)
{
	struct b2b *b = arg;

	(void)call;
	b->pac_ups++;
}

static void
b2b_pac_down(void *arg)
{
	struct b2b *b = arg;

	b->pac_downs++;
}

static void
b2b_pac_closed(void *arg, const char *reason)
{
	struct b2b *b = arg;

	b->pac_closes++;
	snprintf(b->pac_reason, sizeof(b->pac_reason), "%s", reason);
}

static const struct pptp_ctrl_ops b2b_cli_ops = {
	.write = b2b_cli_write,
	.call_up = cb_up,
	.call_down = cb_down,
	.closed = cb_closed,
	.sli = cb_sli,
};

static const struct pptp_pac_ops b2b_pac_ops = {
	.write = b2b_pac_write,
	.call_up = b2b_pac_up,
	.call_down = b2b_pac_down,
	.closed = b2b_pac_closed,
};

static struct b2b *
b2b_new(const struct pptp_pac_config *pcfg)
{
	struct pptp_ctrl_config cfg;
	struct pptp_pac_config def;
	struct b2b *b;

	ATF_REQUIRE((b = calloc(1, sizeof(*b))) != NULL);
	b->tb = timer_manual_new();
	b->cli.tb = b->tb;
	default_config(&cfg);
	cfg.echo_interval_ms = 5000;
	cfg.echo_max_failures = 2;
	ATF_REQUIRE((b->cli.c = pptp_ctrl_new(&cfg, &b2b_cli_ops, &b->cli,
	    b->tb)) != NULL);
	if (pcfg == NULL) {
		memset(&def, 0, sizeof(def));
		pcfg = &def;
	}
	ATF_REQUIRE((b->pac = pptp_pac_new(pcfg, &b2b_pac_ops, b,
	    b->tb)) != NULL);
	return b;
}

static void
pump(struct b2b *b)
{
	uint8_t tmp[4096];
	size_t n;

	while (b->to_pac_len > 0 || b->to_cli_len > 0) {
		if ((n = b->to_pac_len) > 0) {
			memcpy(tmp, b->to_pac, n);
			b->to_pac_len = 0;
			pptp_pac_input(b->pac, tmp, n);
		}
		if ((n = b->to_cli_len) > 0) {
			memcpy(tmp, b->to_cli, n);
			b->to_cli_len = 0;
			pptp_ctrl_input(b->cli.c, tmp, n);
		}
	}
}

static void
b2b_free(struct b2b *b)
{
	pptp_ctrl_free(b->cli.c);
	pptp_pac_free(b->pac);
	ATF_REQUIRE_EQ(timer_manual_next(b->tb), UINT64_MAX);
	timer_manual_free(b->tb);
	free(b);
}

static void
b2b_to_call(struct b2b *b)
{
	pptp_ctrl_start(b->cli.c);
	pump(b);
	ATF_REQUIRE_EQ(pptp_ctrl_state(b->cli.c), PPTP_CTRL_CALL_ESTABLISHED);
	ATF_REQUIRE_EQ(pptp_pac_state(b->pac), PPTP_PAC_CALL_ESTABLISHED);
	ATF_REQUIRE_EQ(b->cli.ups, 1);
	ATF_REQUIRE_EQ(b->pac_ups, 1);
	ATF_REQUIRE_EQ(b->cli.info.peer_call_id,
	    pptp_pac_call_info(b->pac)->call_id);
	ATF_REQUIRE_EQ(pptp_pac_call_info(b->pac)->peer_call_id, OUR_ID);
	ATF_REQUIRE_EQ(pptp_pac_call_info(b->pac)->peer_window, WINDOW);
}

ATF_TC_WITHOUT_HEAD(pac_full_session);
ATF_TC_BODY(pac_full_session, tc)
{
	struct pptp_ctrl_stats st;
	struct pptp_pac_stats pst;
	struct b2b *b = b2b_new(NULL);

	b2b_to_call(b);
	ATF_REQUIRE_STREQ(pptp_ctrl_peer_hostname(b->cli.c), "pptp-peer");
	ATF_REQUIRE(b->cli.info.peer_call_id != 0);

	ATF_REQUIRE_EQ(pptp_pac_send_sli(b->pac, 0, 0xffffffff), 0);
	pump(b);
	ATF_REQUIRE_EQ(b->cli.slis, 1);
	ATF_REQUIRE_EQ(b->cli.sli_recv, 0xffffffff);

	/* Our echo, answered; the PAC's, answered. */
	timer_manual_advance(b->tb, 5000);
	pump(b);
	ATF_REQUIRE_EQ(pptp_pac_send_echo(b->pac), 0);
	pump(b);
	pptp_ctrl_get_stats(b->cli.c, &st);
	ATF_REQUIRE_EQ(st.echo_sent, 1);
	ATF_REQUIRE_EQ(st.echo_replies, 1);
	ATF_REQUIRE_EQ(st.echo_rtt_ms, 0);
	ATF_REQUIRE_EQ(st.echo_answered, 1);
	pptp_pac_get_stats(b->pac, &pst);
	ATF_REQUIRE_EQ(pst.echo_answered, 1);
	ATF_REQUIRE_EQ(pst.echo_replies, 1);

	/* Hang up: CCRQ/CDN, StopCCRQ/StopCCRP, both ends closed. */
	pptp_ctrl_close(b->cli.c);
	pump(b);
	closed_with(&b->cli, PPTP_WHY_LOCAL,
	    "control connection closed on request");
	ATF_REQUIRE_EQ(b->cli.downs, 1);
	ATF_REQUIRE_EQ(b->pac_downs, 1);
	ATF_REQUIRE_EQ(b->pac_closes, 1);
	ATF_REQUIRE_EQ(pptp_pac_state(b->pac), PPTP_PAC_CLOSED);
	ATF_REQUIRE_STREQ(b->pac_reason,
	    "client stopped the control connection: reason 1 (none)");
	pptp_ctrl_get_stats(b->cli.c, &st);
	pptp_pac_get_stats(b->pac, &pst);
	ATF_REQUIRE_EQ(st.msgs_out, pst.msgs_in);
	ATF_REQUIRE_EQ(st.msgs_in, pst.msgs_out);
	b2b_free(b);
}

ATF_TC_WITHOUT_HEAD(pac_refuses);
ATF_TC_BODY(pac_refuses, tc)
{
	struct pptp_pac_config pcfg;
	struct b2b *b;

	memset(&pcfg, 0, sizeof(pcfg));
	pcfg.refuse_ctrl_result = PPTP_SCCRP_GENERAL;
	pcfg.refuse_ctrl_error = PPTP_ERR_NORESOURCE;
	b = b2b_new(&pcfg);
	pptp_ctrl_start(b->cli.c);
	pump(b);
	closed_with(&b->cli, PPTP_WHY_REFUSED, "server refused the control "
	    "connection: result 2 (general error), error 4 (no resource)");
	b2b_free(b);

	memset(&pcfg, 0, sizeof(pcfg));
	pcfg.refuse_call_result = PPTP_OCRP_GENERAL;
	pcfg.refuse_call_error = PPTP_ERR_NORESOURCE;
	b = b2b_new(&pcfg);
	pptp_ctrl_start(b->cli.c);
	pump(b);
	closed_with(&b->cli, PPTP_WHY_REFUSED, "server refused the call: "
	    "result 2 (general error), error 4 (no resource)");
	ATF_REQUIRE_EQ(b->cli.ups + b->cli.downs, 0);
	ATF_REQUIRE_EQ(b->pac_closes, 1);
	b2b_free(b);
}

ATF_TC_WITHOUT_HEAD(pac_silent_echo);
ATF_TC_BODY(pac_silent_echo, tc)
{
	struct pptp_pac_config pcfg;
	struct b2b *b;

	memset(&pcfg, 0, sizeof(pcfg));
	pcfg.ignore_echo = 1;
	b = b2b_new(&pcfg);
	b2b_to_call(b);
	timer_manual_advance(b->tb, 5000);
	pump(b);
	timer_manual_advance(b->tb, 5000);
	pump(b);
	ATF_REQUIRE_EQ(b->cli.closes, 0);
	timer_manual_advance(b->tb, 5000);
	ATF_REQUIRE_EQ(b->cli.downs, 1);
	closed_with(&b->cli, PPTP_WHY_TIMEOUT,
	    "server not responding: 2 Echo-Requests unanswered");
	b2b_free(b);
}

ATF_TC_WITHOUT_HEAD(pac_clears_and_stops);
ATF_TC_BODY(pac_clears_and_stops, tc)
{
	struct b2b *b;

	b = b2b_new(NULL);
	b2b_to_call(b);
	ATF_REQUIRE_EQ(pptp_pac_clear_call(b->pac, PPTP_CDN_ADMIN, 0), 0);
	pump(b);
	ATF_REQUIRE_EQ(b->cli.downs, 1);
	closed_with(&b->cli, PPTP_WHY_PEER, "server cleared the call: "
	    "result 3 (admin shutdown), error 0 (none)");
	ATF_REQUIRE_EQ(b->pac_closes, 1);
	b2b_free(b);

	b = b2b_new(NULL);
	b2b_to_call(b);
	ATF_REQUIRE_EQ(pptp_pac_stop(b->pac, PPTP_STOP_SHUTDOWN), 0);
	pump(b);
	ATF_REQUIRE_EQ(b->cli.downs, 1);
	closed_with(&b->cli, PPTP_WHY_PEER, "server stopped the control "
	    "connection: reason 3 (local shutdown)");
	ATF_REQUIRE_EQ(b->pac_closes, 1);
	ATF_REQUIRE_STREQ(b->pac_reason, "control connection stopped");
	b2b_free(b);
}

ATF_TC_WITHOUT_HEAD(pac_malformed);
ATF_TC_BODY(pac_malformed, tc)
{
	static const struct {
		enum pptp_pac_malformed	 kind;
		const char		*text;
	} cases[] = {
		{ PPTP_PAC_BAD_COOKIE, "control connection out of sync: "
		    "magic cookie 0xdeadbeef, expected 0x1a2b3c4d" },
		{ PPTP_PAC_SHORT_LENGTH, "malformed message from server: "
		    "SLI: length field 20, expected 24" },
		{ PPTP_PAC_HUGE_LENGTH, "control connection out of sync: "
		    "length field 65535, no message is shorter than 12 or "
		    "longer than 220" },
	};
	struct pptp_ctrl_stats st;
	struct b2b *b;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b = b2b_new(NULL);
		b2b_to_call(b);
		ATF_REQUIRE_EQ(pptp_pac_send_malformed(b->pac, cases[i].kind),
		    0);
		pump(b);
		ATF_REQUIRE_EQ(b->cli.downs, 1);
		closed_with(&b->cli, PPTP_WHY_PROTOCOL, cases[i].text);
		b2b_free(b);
	}

	/* Unknown type and a stray SCCRP of another version: ignored. */
	b = b2b_new(NULL);
	b2b_to_call(b);
	ATF_REQUIRE_EQ(pptp_pac_send_malformed(b->pac, PPTP_PAC_UNKNOWN_TYPE),
	    0);
	ATF_REQUIRE_EQ(pptp_pac_send_malformed(b->pac, PPTP_PAC_BAD_VERSION),
	    0);
	pump(b);
	pptp_ctrl_get_stats(b->cli.c, &st);
	ATF_REQUIRE_EQ(st.ignored_in, 2);
	ATF_REQUIRE_EQ(pptp_ctrl_state(b->cli.c), PPTP_CTRL_CALL_ESTABLISHED);
	pptp_ctrl_close(b->cli.c);
	pump(b);
	ATF_REQUIRE_EQ(b->cli.closes, 1);
	b2b_free(b);
}

ATF_TC_WITHOUT_HEAD(pac_bad_version);
ATF_TC_BODY(pac_bad_version, tc)
{
	struct pptp_pac_config pcfg;
	struct pptp_msg m;
	struct b2b *b;

	/* The PAC never answers; a version-2.0 SCCRP comes instead. */
	memset(&pcfg, 0, sizeof(pcfg));
	b = b2b_new(&pcfg);
	pptp_ctrl_start(b->cli.c);
	b->to_pac_len = 0;
	ATF_REQUIRE_EQ(pptp_pac_send_malformed(b->pac, PPTP_PAC_BAD_VERSION),
	    0);
	ATF_REQUIRE_EQ(b->to_cli_len, 156);
	pptp_ctrl_input(b->cli.c, b->to_cli, b->to_cli_len);
	b->to_cli_len = 0;
	ATF_REQUIRE_EQ(b->to_pac_len, 16);
	ATF_REQUIRE_EQ(pptp_msg_decode(b->to_pac, 16, &m, NULL, 0),
	    PPTP_MSG_OK);
	ATF_REQUIRE_EQ(m.u.stopccrq.reason, PPTP_STOP_PROTOCOL);
	b->to_pac_len = 0;
	timer_manual_advance(b->tb, 10000);
	closed_with(&b->cli, PPTP_WHY_PROTOCOL,
	    "server speaks PPTP version 2.0, only 1.0 is supported");
	b2b_free(b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, log_flood_bounded);
	ATF_TP_ADD_TC(tp, connect_timeout);
	ATF_TP_ADD_TC(tp, new_needs_ops);
	ATF_TP_ADD_TC(tp, connect_refused);
	ATF_TP_ADD_TC(tp, sccrq_sent);
	ATF_TP_ADD_TC(tp, call_established);
	ATF_TP_ADD_TC(tp, sccrp_refused);
	ATF_TP_ADD_TC(tp, sccrp_general_error);
	ATF_TP_ADD_TC(tp, sccrp_bad_version);
	ATF_TP_ADD_TC(tp, sccrp_bad_version_refusal);
	ATF_TP_ADD_TC(tp, ocrp_refused);
	ATF_TP_ADD_TC(tp, ocrp_refused_with_cause);
	ATF_TP_ADD_TC(tp, ocrp_other_call);
	ATF_TP_ADD_TC(tp, ocrp_timeout);
	ATF_TP_ADD_TC(tp, set_link_info);
	ATF_TP_ADD_TC(tp, echo_answered);
	ATF_TP_ADD_TC(tp, echo_keepalive);
	ATF_TP_ADD_TC(tp, echo_traffic_aware);
	ATF_TP_ADD_TC(tp, echo_lost_default);
	ATF_TP_ADD_TC(tp, echo_lost_configured);
	ATF_TP_ADD_TC(tp, close_orderly);
	ATF_TP_ADD_TC(tp, close_timeouts);
	ATF_TP_ADD_TC(tp, close_every_state);
	ATF_TP_ADD_TC(tp, server_cdn_every_state);
	ATF_TP_ADD_TC(tp, server_stop_every_state);
	ATF_TP_ADD_TC(tp, icrq_refused);
	ATF_TP_ADD_TC(tp, unexpected_ignored);
	ATF_TP_ADD_TC(tp, malformed_is_fatal);
	ATF_TP_ADD_TC(tp, split_and_joined_input);
	ATF_TP_ADD_TC(tp, tcp_lost);
	ATF_TP_ADD_TC(tp, write_failure);
	ATF_TP_ADD_TC(tp, free_inside_callbacks);
	ATF_TP_ADD_TC(tp, pac_full_session);
	ATF_TP_ADD_TC(tp, pac_refuses);
	ATF_TP_ADD_TC(tp, pac_silent_echo);
	ATF_TP_ADD_TC(tp, pac_clears_and_stops);
	ATF_TP_ADD_TC(tp, pac_malformed);
	ATF_TP_ADD_TC(tp, pac_bad_version);
	return atf_no_error();
}
