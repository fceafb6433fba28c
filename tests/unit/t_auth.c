/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for PPP authentication (auth.c, pap.c, chap.c, chap_ms.c):
 * a client and a server back to back for every method, the RFC 2759
 * vectors through the packet layer, the server's misbehaviour hooks,
 * malformed packets and timeouts on the manual clock.
 */
#include <atf-c.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "auth_hooks.h"
#include "auth_local.h"
#include "crypto.h"
#include "log.h"
#include "mschap.h"
#include "ppp_defs.h"
#include "timer.h"
#include "timer_manual.h"

#define QMAX	16
#define PKTMAX	600

struct pkt {
	uint16_t	 proto;
	size_t		 len;
	uint8_t		 data[PKTMAX];
};

/* One side: its auth object, what it sent, how it ended. */
struct end {
	struct auth		*a;
	struct pkt		 q[QMAX];	/* sent, not yet delivered */
	int			 nq;
	int			 sent;
	struct pkt		 last;		/* the last packet sent */
	int			 done;
	struct auth_result	 res;
};

struct pair {
	struct timer_base	*tb;
	struct end		 c, s;
};

static const uint8_t auth_ch_2759[16] = {
	0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
	0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28,
};
static const uint8_t peer_ch_2759[16] = {
	0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
	0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E,
};
static const char authresp_2759[] =
    "S=407A5589115FD0D6209F510FE9C04566932CDA56";

static void
t_send(void *arg, uint16_t proto, const uint8_t *p, size_t len)
{
	struct end *e = arg;

	ATF_REQUIRE(len <= PKTMAX);
	ATF_REQUIRE(e->nq < QMAX);
	e->q[e->nq].proto = proto;
	e->q[e->nq].len = len;
	memcpy(e->q[e->nq].data, p, len);
	e->last = e->q[e->nq];
	e->nq++;
	e->sent++;
}

static void
t_done(void *arg, const struct auth_result *r)
{
	struct end *e = arg;

	e->done++;
	e->res = *r;
}

static const struct auth_ops ops = { t_send, t_done };

static void
init(void)
{
	char err[256];

	ATF_REQUIRE_MSG(crypto_init(err, sizeof(err)) == 0, "%s", err);
	log_init(1, 0);
	log_setverbose(1);
}

static struct auth *
end_new(struct end *e, struct timer_base *tb, enum auth_role role,
    const char *name, const char *pw, unsigned int timeout,
    unsigned int tries)
{
	struct auth_config cfg;

	memset(e, 0, sizeof(*e));
	memset(&cfg, 0, sizeof(cfg));
	cfg.role = role;
	cfg.name = name;
	cfg.password = pw;
	cfg.password_len = strlen(pw);
	cfg.tag = "office";
	cfg.timeout_ms = timeout;
	cfg.max_tries = tries;
	e->a = auth_new(&cfg, &ops, e, tb);
	ATF_REQUIRE(e->a != NULL);
	return e->a;
}

/* Takes the oldest packet e sent. */
static int
take(struct end *e, struct pkt *p)
{
	if (e->nq == 0)
		return 0;
	*p = e->q[0];
	memmove(&e->q[0], &e->q[1], (e->nq - 1) * sizeof(e->q[0]));
	e->nq--;
	return 1;
}

/* Delivers everything in flight, both ways, until nothing moves. */
static void
pump(struct pair *p)
{
	struct pkt k;
	int n;

	for (n = 0; n < 100; n++) {
		if (take(&p->c, &k))
			auth_input(p->s.a, k.proto, k.data, k.len);
		else if (take(&p->s, &k))
			auth_input(p->c.a, k.proto, k.data, k.len);
		else
			return;
	}
	atf_tc_fail("packets still moving after 100 deliveries");
}

static void
pair_new(struct pair *p, const char *cuser, const char *cpw,
    const char *suser, const char *spw, unsigned int quirks)
{
	p->tb = timer_manual_new();
	end_new(&p->c, p->tb, AUTH_CLIENT, cuser, cpw, 0, 0);
	end_new(&p->s, p->tb, AUTH_SERVER, suser, spw, 0, 0);
	auth_set_quirks(p->s.a, quirks);
}

static void
pair_run(struct pair *p, enum auth_method m)
{
	auth_start(p->c.a, m);
	auth_start(p->s.a, m);
	pump(p);
}

static void
pair_free(struct pair *p)
{
	auth_free(p->c.a);
	auth_free(p->s.a);
	timer_manual_free(p->tb);
}

/* A PAP or CHAP packet: Code, Identifier, Length, data. */
static size_t
mk(uint8_t *buf, uint8_t code, uint8_t id, const void *data, size_t len)
{
	buf[0] = code;
	buf[1] = id;
	buf[2] = (uint8_t)((4 + len) >> 8);
	buf[3] = (uint8_t)(4 + len);
	if (len > 0)
		memcpy(buf + 4, data, len);
	return 4 + len;
}

/* A CHAP Challenge with a Value and a Name. */
static size_t
mk_challenge(uint8_t *buf, uint8_t id, const uint8_t *v, size_t vlen,
    const char *name)
{
	uint8_t body[300];

	body[0] = (uint8_t)vlen;
	memcpy(body + 1, v, vlen);
	memcpy(body + 1 + vlen, name, strlen(name));
	return mk(buf, 1, id, body, 1 + vlen + strlen(name));
}

/* The v1 Response Value for password "pw", as a client builds it. */
static int
mschapv1_response_value_for_test(const uint8_t ch[8], uint8_t value[49])
{
	memset(value, 0, 49);
	value[48] = 1;
	return mschapv1_nt_response(ch, "pw", 2, value + 24);
}

static void
feed(struct end *e, uint16_t proto, const uint8_t *p, size_t len)
{
	auth_input(e->a, proto, p, len);
}

static void
feed_str(struct end *e, uint8_t code, uint8_t id, const char *s)
{
	uint8_t buf[PKTMAX];

	feed(e, PPP_CHAP, buf, mk(buf, code, id, s, strlen(s)));
}

/* Nothing happened: no verdict, nothing sent, and this reason logged. */
static void
check_dropped(struct end *e, int sent_before, const char *why)
{
	ATF_CHECK_EQ(e->done, 0);
	ATF_CHECK_EQ(e->sent, sent_before);
	ATF_CHECK_MSG(strstr(auth_last_discard(e->a), why) != NULL,
	    "discard reason \"%s\" lacks \"%s\"", auth_last_discard(e->a),
	    why);
}

static void
check_failed(struct end *e, int code, const char *text)
{
	ATF_REQUIRE_EQ(e->done, 1);
	ATF_CHECK_EQ(e->res.success, 0);
	ATF_CHECK_EQ(e->res.have_keys, 0);
	ATF_CHECK_EQ(e->res.error_code, code);
	ATF_CHECK_MSG(strstr(e->res.message, text) != NULL,
	    "message \"%s\" lacks \"%s\"", e->res.message, text);
}

/*
 * PAP
 */

ATF_TC_WITHOUT_HEAD(pap_success);
ATF_TC_BODY(pap_success, tc)
{
	struct pair p;

	init();
	pair_new(&p, "nixcraft", "candyBar", "nixcraft", "candyBar", 0);
	pair_run(&p, AUTH_PAP);
	ATF_REQUIRE_EQ(p.c.done, 1);
	ATF_CHECK(p.c.res.success);
	ATF_CHECK_EQ(p.c.res.method, AUTH_PAP);
	ATF_CHECK(!p.c.res.have_keys);
	ATF_CHECK_STREQ(p.c.res.message, "PAP authentication succeeded");
	ATF_REQUIRE_EQ(p.s.done, 1);
	ATF_CHECK(p.s.res.success);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(pap_wrong_password);
ATF_TC_BODY(pap_wrong_password, tc)
{
	struct pair p;

	init();
	pair_new(&p, "nixcraft", "candyBaR", "nixcraft", "candyBar", 0);
	pair_run(&p, AUTH_PAP);
	check_failed(&p.c, 0, "PAP rejected by server: \"Login incorrect\"");
	check_failed(&p.s, 691, "peer \"nixcraft\" sent a wrong user name");
	pair_free(&p);

	pair_new(&p, "nixcraf", "candyBar", "nixcraft", "candyBar", 0);
	pair_run(&p, AUTH_PAP);
	check_failed(&p.c, 0, "Login incorrect");
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(pap_request_bytes_and_duplicate);
ATF_TC_BODY(pap_request_bytes_and_duplicate, tc)
{
	struct pair p;
	struct pkt req, ack;

	init();
	pair_new(&p, "bob", "pw", "bob", "pw", 0);
	auth_start(p.c.a, AUTH_PAP);
	auth_start(p.s.a, AUTH_PAP);
	ATF_REQUIRE(take(&p.c, &req));
	ATF_CHECK_EQ(req.proto, PPP_PAP);
	ATF_REQUIRE_EQ(req.len, 4 + 1 + 3 + 1 + 2);
	ATF_CHECK_EQ(req.data[0], 1);
	ATF_CHECK(memcmp(req.data + 2, "\x00\x0b\x03" "bob\x02" "pw", 9) == 0);
	feed(&p.s, req.proto, req.data, req.len);
	ATF_REQUIRE_EQ(p.s.done, 1);
	ATF_REQUIRE(take(&p.s, &ack));
	ATF_CHECK_EQ(ack.data[0], 2);
	ATF_CHECK_EQ(ack.data[1], req.data[1]);
	/* Our Ack was lost: the repeated request gets it again. */
	feed(&p.s, req.proto, req.data, req.len);
	ATF_CHECK_EQ(p.s.sent, 2);
	ATF_CHECK(p.s.last.len == ack.len &&
	    memcmp(p.s.last.data, ack.data, ack.len) == 0);
	ATF_CHECK_EQ(p.s.done, 1);
	feed(&p.c, ack.proto, ack.data, ack.len);
	ATF_CHECK_EQ(p.c.done, 1);
	ATF_CHECK(p.c.res.success);
	/* Anything after the end is dropped. */
	feed(&p.c, ack.proto, ack.data, ack.len);
	ATF_CHECK_EQ(p.c.done, 1);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(pap_retransmit_and_timeout);
ATF_TC_BODY(pap_retransmit_and_timeout, tc)
{
	struct timer_base *tb;
	struct end c;
	uint8_t id0;

	init();
	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "bob", "pw", 1000, 3);
	auth_start(c.a, AUTH_PAP);
	ATF_REQUIRE_EQ(c.sent, 1);
	id0 = c.last.data[1];
	/* The request holds the password in clear: it is not kept. */
	ATF_CHECK_EQ(c.a->last_len, 0);
	ATF_CHECK(memmem(c.a->last, sizeof(c.a->last), "\x02pw", 3) == NULL);
	timer_manual_advance(tb, 999);
	ATF_CHECK_EQ(c.sent, 1);
	timer_manual_advance(tb, 1);
	ATF_REQUIRE_EQ(c.sent, 2);
	/* RFC 1334: a new request, a new Identifier. */
	ATF_CHECK_EQ(c.last.data[1], (uint8_t)(id0 + 1));
	timer_manual_advance(tb, 1000);
	ATF_CHECK_EQ(c.sent, 3);
	ATF_CHECK_EQ(c.done, 0);
	timer_manual_advance(tb, 1000);
	ATF_CHECK_EQ(c.sent, 3);
	check_failed(&c, 0, "server did not answer 3 PAP "
	    "Authenticate-Requests");
	ATF_CHECK_EQ(timer_manual_next(tb), UINT64_MAX);
	auth_free(c.a);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(pap_malformed_to_client);
ATF_TC_BODY(pap_malformed_to_client, tc)
{
	struct timer_base *tb;
	struct end c;
	uint8_t buf[64], id;

	init();
	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "bob", "pw", 0, 0);
	feed(&c, PPP_PAP, (const uint8_t *)"\x02\x00\x00\x04", 4);
	check_dropped(&c, 0, "before authentication started");
	auth_start(c.a, AUTH_PAP);
	id = c.last.data[1];

	feed(&c, PPP_PAP, (const uint8_t *)"\x02\x01\x00", 3);
	check_dropped(&c, 1, "shorter than its 4-octet header");
	feed(&c, PPP_PAP, NULL, 0);
	check_dropped(&c, 1, "shorter than its 4-octet header");
	buf[0] = 2; buf[1] = id; buf[2] = 0; buf[3] = 3;
	feed(&c, PPP_PAP, buf, 4);
	check_dropped(&c, 1, "Length 3 is less than its header");
	buf[3] = 9;
	feed(&c, PPP_PAP, buf, 8);
	check_dropped(&c, 1, "Length 9 exceeds the 8 octets received");
	feed(&c, PPP_PAP, buf, mk(buf, 2, id, "\x32" "abc", 4));
	check_dropped(&c, 1, "Msg-Length 50 exceeds the 3 octets left");
	feed(&c, PPP_PAP, buf, mk(buf, 2, (uint8_t)(id + 1), "\x00", 1));
	check_dropped(&c, 1, "Identifier");
	feed(&c, PPP_PAP, buf, mk(buf, 9, id, NULL, 0));
	check_dropped(&c, 1, "unknown PAP code 9");
	feed(&c, PPP_PAP, buf, mk(buf, 1, id, "\x00\x00", 2));
	check_dropped(&c, 1, "Authenticate-Request sent to the client");
	feed(&c, PPP_CHAP, buf, mk(buf, 3, id, NULL, 0));
	check_dropped(&c, 1, "protocol 0xc223 packet while using PAP");

	/* An Ack without Msg-Length, and padding past Length. */
	mk(buf, 2, id, NULL, 0);
	memset(buf + 4, 0xee, 10);
	feed(&c, PPP_PAP, buf, 14);
	ATF_REQUIRE_EQ(c.done, 1);
	ATF_CHECK(c.res.success);
	auth_free(c.a);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(pap_nak_message_sanitised);
ATF_TC_BODY(pap_nak_message_sanitised, tc)
{
	struct timer_base *tb;
	struct end c;
	uint8_t buf[64];

	init();
	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "bob", "pw", 0, 0);
	auth_start(c.a, AUTH_PAP);
	feed(&c, PPP_PAP, buf, mk(buf, 3, c.last.data[1],
	    "\x07No\nway\x1b", 8));
	check_failed(&c, 0, "PAP rejected by server: \"No?way?\"");
	auth_free(c.a);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(pap_malformed_to_server);
ATF_TC_BODY(pap_malformed_to_server, tc)
{
	struct timer_base *tb;
	struct end s;
	uint8_t buf[64];

	init();
	tb = timer_manual_new();
	end_new(&s, tb, AUTH_SERVER, "bob", "pw", 1000, 2);
	auth_start(s.a, AUTH_PAP);
	ATF_CHECK_EQ(s.sent, 0);
	feed(&s, PPP_PAP, buf, mk(buf, 1, 1, "\x09" "bob", 4));
	check_dropped(&s, 0, "Peer-ID-Length exceeds the packet");
	feed(&s, PPP_PAP, buf, mk(buf, 1, 1, NULL, 0));
	check_dropped(&s, 0, "Peer-ID-Length exceeds the packet");
	feed(&s, PPP_PAP, buf, mk(buf, 1, 1, "\x03" "bob\x05pw", 7));
	check_dropped(&s, 0, "Passwd-Length exceeds the packet");
	feed(&s, PPP_PAP, buf, mk(buf, 1, 1, "\x03" "bob", 4));
	check_dropped(&s, 0, "Passwd-Length exceeds the packet");
	feed(&s, PPP_PAP, buf, mk(buf, 2, 1, NULL, 0));
	check_dropped(&s, 0, "Ack or Nak sent to the server");
	timer_manual_advance(tb, 2000);
	check_failed(&s, 0, "peer sent no PAP Authenticate-Request within "
	    "2 s; last dropped: PAP Ack or Nak");
	auth_free(s.a);
	timer_manual_free(tb);
}

/*
 * CHAP-MD5
 */

ATF_TC_WITHOUT_HEAD(chap_md5_success_and_failure);
ATF_TC_BODY(chap_md5_success_and_failure, tc)
{
	struct pair p;

	init();
	pair_new(&p, "bob", "clientPass", "bob", "clientPass", 0);
	pair_run(&p, AUTH_CHAP_MD5);
	ATF_REQUIRE_EQ(p.c.done, 1);
	ATF_CHECK(p.c.res.success);
	ATF_CHECK_EQ(p.c.res.method, AUTH_CHAP_MD5);
	ATF_CHECK(!p.c.res.have_keys);
	ATF_CHECK(p.s.done == 1 && p.s.res.success);
	pair_free(&p);

	pair_new(&p, "bob", "clientPas", "bob", "clientPass", 0);
	pair_run(&p, AUTH_CHAP_MD5);
	check_failed(&p.c, 0, "CHAP-MD5 rejected by server: "
	    "\"Access denied\"");
	check_failed(&p.s, 691, "wrong CHAP-MD5 Response");
	pair_free(&p);

	pair_new(&p, "eve", "clientPass", "bob", "clientPass", 0);
	pair_run(&p, AUTH_CHAP_MD5);
	check_failed(&p.c, 0, "Access denied");
	check_failed(&p.s, 691, "unknown user name \"eve\"");
	pair_free(&p);
}

/* doc/vectors.md §2.3. */
ATF_TC_WITHOUT_HEAD(chap_md5_vector);
ATF_TC_BODY(chap_md5_vector, tc)
{
	static const uint8_t want[16] = {
		0x5F, 0x09, 0xD7, 0xE9, 0x52, 0xD4, 0xB4, 0x81,
		0x10, 0x88, 0x61, 0x30, 0x4E, 0x6D, 0xE8, 0x73,
	};
	struct timer_base *tb;
	struct end c;
	uint8_t buf[PKTMAX];

	init();
	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "bob", "clientPass", 0, 0);
	auth_start(c.a, AUTH_CHAP_MD5);
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 1, auth_ch_2759, 16, "srv"));
	ATF_REQUIRE_EQ(c.sent, 1);
	ATF_CHECK_EQ(c.last.proto, PPP_CHAP);
	ATF_REQUIRE_EQ(c.last.len, 4 + 1 + 16 + 3);
	ATF_CHECK(memcmp(c.last.data, "\x02\x01\x00\x18\x10", 5) == 0);
	ATF_CHECK(memcmp(c.last.data + 5, want, 16) == 0);
	ATF_CHECK(memcmp(c.last.data + 21, "bob", 3) == 0);
	/* Any size of MD5 challenge, even bigger than ours. */
	memset(buf + 100, 0xab, 200);
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 2, buf + 100, 200, ""));
	ATF_CHECK_EQ(c.sent, 2);
	ATF_CHECK_EQ(c.last.data[1], 2);
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 3, buf, 0, ""));
	check_dropped(&c, 2, "CHAP-MD5 Challenge is empty");
	feed_str(&c, 3, 2, "Welcome");
	ATF_CHECK(c.done == 1 && c.res.success);
	auth_free(c.a);
	timer_manual_free(tb);
}

/*
 * MS-CHAPv1
 */

ATF_TC_WITHOUT_HEAD(mschapv1_success_keys);
ATF_TC_BODY(mschapv1_success_keys, tc)
{
	/* RFC 3079 §2.5: challenge 102DB5DF085D3041, "clientPass". */
	static const uint8_t ch[16] = {
		0x10, 0x2D, 0xB5, 0xDF, 0x08, 0x5D, 0x30, 0x41,
	};
	static const uint8_t key[16] = {
		0xA8, 0x94, 0x78, 0x50, 0xCF, 0xC0, 0xAC, 0xC1,
		0xD1, 0x78, 0x9F, 0xB6, 0x2D, 0xDC, 0xDD, 0xB0,
	};
	struct pair p;

	init();
	pair_new(&p, "User", "clientPass", "User", "clientPass", 0);
	auth_set_challenge(p.s.a, ch);
	pair_run(&p, AUTH_MSCHAPV1);
	ATF_REQUIRE_EQ(p.c.done, 1);
	ATF_CHECK(p.c.res.success);
	ATF_CHECK_EQ(p.c.res.method, AUTH_MSCHAPV1);
	ATF_REQUIRE(p.c.res.have_keys);
	ATF_CHECK(memcmp(p.c.res.send_key, key, 16) == 0);
	ATF_CHECK(memcmp(p.c.res.recv_key, key, 16) == 0);
	ATF_REQUIRE(p.s.done == 1 && p.s.res.success && p.s.res.have_keys);
	ATF_CHECK(memcmp(p.s.res.send_key, key, 16) == 0);
	ATF_CHECK(memcmp(p.s.res.recv_key, key, 16) == 0);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(mschapv1_wrong_password);
ATF_TC_BODY(mschapv1_wrong_password, tc)
{
	struct pair p;

	init();
	pair_new(&p, "User", "clientpass", "User", "clientPass", 0);
	pair_run(&p, AUTH_MSCHAPV1);
	check_failed(&p.c, 691, "E=691 (bad user name or password), retry "
	    "not allowed: \"Authentication failure\"");
	check_failed(&p.s, 691, "wrong user name or password");
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(mschapv1_retry_plus_23);
ATF_TC_BODY(mschapv1_retry_plus_23, tc)
{
	uint8_t ch[8] = { 0x10, 0x2D, 0xB5, 0xDF, 0x08, 0x5D, 0x30, 0x41 };
	uint8_t nt[24], buf[PKTMAX];
	struct timer_base *tb;
	struct end c;

	init();
	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "User", "MyPw", 0, 0);
	auth_start(c.a, AUTH_MSCHAPV1);
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 5, ch, 8, "srv"));
	ATF_REQUIRE_EQ(c.sent, 1);
	ATF_REQUIRE_EQ(c.last.len, 4 + 1 + 49 + 4);
	ATF_CHECK_EQ(c.last.data[4], 49);
	ATF_CHECK_EQ(c.last.data[5 + 48], 1);
	/* No C=: the old challenge plus 23 in its first octet. */
	feed_str(&c, 4, 5, "E=691 R=1 V=2");
	ATF_REQUIRE_EQ(c.sent, 2);
	ATF_CHECK_EQ(c.done, 0);
	ATF_CHECK_EQ(c.last.data[1], 6);
	ch[0] += 23;
	ATF_REQUIRE_EQ(mschapv1_nt_response(ch, "MyPw", 4, nt), 0);
	ATF_CHECK(memcmp(c.last.data + 5 + 24, nt, 24) == 0);
	/* Only one retry. */
	feed_str(&c, 4, 6, "E=691 R=1 V=2");
	check_failed(&c, 691, "E=691 (bad user name or password), retry "
	    "already used");
	auth_free(c.a);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(mschapv1_retry_with_c);
ATF_TC_BODY(mschapv1_retry_with_c, tc)
{
	static const uint8_t ch[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	/* RFC 2433 B.2: the NT response to C= for "MyPw". */
	static const uint8_t nt[24] = {
		0x4E, 0x9D, 0x3C, 0x8F, 0x9C, 0xFD, 0x38, 0x5D,
		0x5B, 0xF4, 0xD3, 0x24, 0x67, 0x91, 0x95, 0x6C,
		0xA4, 0xC3, 0x51, 0xAB, 0x40, 0x9A, 0x3D, 0x61,
	};
	uint8_t buf[PKTMAX];
	struct timer_base *tb;
	struct end c;

	init();
	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "User", "MyPw", 0, 0);
	auth_start(c.a, AUTH_MSCHAPV1);
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 255, ch, 8, "srv"));
	feed_str(&c, 4, 255, "E=691 R=1 C=102db5df085d3041 V=2");
	ATF_REQUIRE_EQ(c.sent, 2);
	ATF_CHECK_EQ(c.last.data[1], 0);	/* 255 + 1 wraps */
	ATF_CHECK(memcmp(c.last.data + 5 + 24, nt, 24) == 0);
	feed_str(&c, 3, 0, "");
	ATF_REQUIRE_EQ(c.done, 1);
	ATF_CHECK(c.res.success && c.res.have_keys);
	auth_free(c.a);
	timer_manual_free(tb);
}

/* A Response that says "use the LM response" is refused: we have none. */
ATF_TC_WITHOUT_HEAD(mschapv1_server_lm_only);
ATF_TC_BODY(mschapv1_server_lm_only, tc)
{
	uint8_t buf[PKTMAX], v[1 + 49 + 3];
	struct timer_base *tb;
	struct end s;
	struct pkt ch;

	init();
	tb = timer_manual_new();
	end_new(&s, tb, AUTH_SERVER, "bob", "pw", 0, 0);
	auth_start(s.a, AUTH_MSCHAPV1);
	ATF_REQUIRE(take(&s, &ch));
	v[0] = 49;
	ATF_REQUIRE_EQ(mschapv1_response_value_for_test(ch.data + 5, v + 1),
	    0);
	v[49] = 0;
	memcpy(v + 50, "bob", 3);
	feed(&s, PPP_CHAP, buf, mk(buf, 2, ch.data[1], v, sizeof(v)));
	check_failed(&s, 691, "sent only an LM response");
	ATF_CHECK_EQ(s.last.data[0], 4);
	auth_free(s.a);
	timer_manual_free(tb);
}

/*
 * MS-CHAPv2
 */

ATF_TC_WITHOUT_HEAD(mschapv2_success_keys);
ATF_TC_BODY(mschapv2_success_keys, tc)
{
	struct pair p;

	init();
	pair_new(&p, "nixcraft", "candyBar", "nixcraft", "candyBar", 0);
	pair_run(&p, AUTH_MSCHAPV2);
	ATF_REQUIRE_EQ(p.c.done, 1);
	ATF_CHECK_STREQ(p.c.res.message, "MS-CHAPv2 authentication "
	    "succeeded");
	ATF_CHECK(p.c.res.success);
	ATF_CHECK_EQ(p.c.res.method, AUTH_MSCHAPV2);
	ATF_CHECK_EQ(p.c.res.error_code, 0);
	ATF_REQUIRE(p.c.res.have_keys);
	ATF_REQUIRE(p.s.done == 1 && p.s.res.success && p.s.res.have_keys);
	ATF_CHECK(memcmp(p.c.res.send_key, p.s.res.recv_key, 16) == 0);
	ATF_CHECK(memcmp(p.c.res.recv_key, p.s.res.send_key, 16) == 0);
	ATF_CHECK(memcmp(p.c.res.send_key, p.c.res.recv_key, 16) != 0);
	/* One Challenge, one Response, one Success. */
	ATF_CHECK_EQ(p.c.sent, 1);
	ATF_CHECK_EQ(p.s.sent, 2);
	pair_free(&p);
}

/* RFC 2759 §9.2 through the packet layer (doc/vectors.md §1.5, §3.2, §3.3). */
ATF_TC_WITHOUT_HEAD(mschapv2_rfc2759_packets);
ATF_TC_BODY(mschapv2_rfc2759_packets, tc)
{
	static const uint8_t response[] = {
		0x02, 0x01, 0x00, 0x3A, 0x31,
		0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
		0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E,
		0, 0, 0, 0, 0, 0, 0, 0,
		0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
		0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
		0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF,
		0x00, 'U', 's', 'e', 'r',
	};
	static const uint8_t send_key[16] = {
		0xD5, 0xF0, 0xE9, 0x52, 0x1E, 0x3E, 0xA9, 0x58,
		0x96, 0x45, 0xE8, 0x60, 0x51, 0xC8, 0x22, 0x26,
	};
	static const uint8_t recv_key[16] = {
		0x8B, 0x7C, 0xDC, 0x14, 0x9B, 0x99, 0x3A, 0x1B,
		0xA1, 0x18, 0xCB, 0x15, 0x3F, 0x56, 0xDC, 0xCB,
	};
	uint8_t buf[PKTMAX];
	struct timer_base *tb;
	struct end c;

	init();
	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "User", "clientPass", 0, 0);
	auth_set_peer_challenge(c.a, peer_ch_2759);
	auth_start(c.a, AUTH_MSCHAPV2);
	ATF_CHECK_EQ(c.sent, 0);
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 1, auth_ch_2759, 16,
	    "rras"));
	ATF_REQUIRE_EQ(c.sent, 1);
	ATF_CHECK_EQ(c.last.proto, PPP_CHAP);
	ATF_REQUIRE_EQ(c.last.len, sizeof(response));
	ATF_CHECK(memcmp(c.last.data, response, sizeof(response)) == 0);
	/* doc/vectors.md §1.5's Success, Length 46. */
	feed(&c, PPP_CHAP, buf, mk(buf, 3, 1, authresp_2759, 42));
	ATF_CHECK_EQ(buf[3], 46);
	ATF_REQUIRE_EQ(c.done, 1);
	ATF_CHECK(c.res.success);
	ATF_REQUIRE(c.res.have_keys);
	ATF_CHECK(memcmp(c.res.send_key, send_key, 16) == 0);
	ATF_CHECK(memcmp(c.res.recv_key, recv_key, 16) == 0);
	auth_free(c.a);
	timer_manual_free(tb);
}

/* DOMAIN\user goes whole into Name, only user into the ChallengeHash. */
ATF_TC_WITHOUT_HEAD(mschapv2_domain_user);
ATF_TC_BODY(mschapv2_domain_user, tc)
{
	uint8_t buf[PKTMAX];
	struct timer_base *tb;
	struct end c;
	struct pair p;

	init();
	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "OFFICE\\User", "clientPass", 0, 0);
	auth_set_peer_challenge(c.a, peer_ch_2759);
	auth_start(c.a, AUTH_MSCHAPV2);
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 1, auth_ch_2759, 16, ""));
	ATF_REQUIRE_EQ(c.last.len, 4 + 1 + 49 + 11);
	ATF_CHECK_EQ(c.last.data[3], 65);
	ATF_CHECK_EQ(c.last.data[29], 0x82);
	ATF_CHECK_EQ(c.last.data[52], 0xDF);
	ATF_CHECK(memcmp(c.last.data + 54, "OFFICE\\User", 11) == 0);
	feed_str(&c, 3, 1, "S=407A5589115FD0D6209F510FE9C04566932CDA56 "
	    "M=Welcome");
	ATF_REQUIRE_EQ(c.done, 1);
	ATF_CHECK(c.res.success);
	auth_free(c.a);
	timer_manual_free(tb);

	pair_new(&p, "OFFICE\\bob", "pw", "OFFICE\\bob", "pw", 0);
	pair_run(&p, AUTH_MSCHAPV2);
	ATF_CHECK(p.c.done == 1 && p.c.res.success);
	pair_free(&p);
	/* The server looks the whole name up. */
	pair_new(&p, "OTHER\\bob", "pw", "OFFICE\\bob", "pw", 0);
	pair_run(&p, AUTH_MSCHAPV2);
	check_failed(&p.c, 691, "E=691");
	pair_free(&p);
}

/* The S= check on every shape of Success. */
ATF_TC_WITHOUT_HEAD(mschapv2_success_message_check);
ATF_TC_BODY(mschapv2_success_message_check, tc)
{
	static const struct {
		const char	*msg;
		int		 ok;
		const char	*why;
	} cases[] = {
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56", 1, NULL },
		{ "S=407a5589115fd0d6209f510fe9c04566932cda56", 1, NULL },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Welcome",
		    1, NULL },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56M=Welcome",
		    1, NULL },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=", 1, NULL },
		/* Sent with its NUL terminator, see below. */
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Hi", 1,
		    NULL },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA57", 0,
		    "authenticator response is wrong: it does not know the "
		    "password, or is an impostor" },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA5", 0,
		    "is wrong" },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56X", 0,
		    "is wrong" },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56 Welcome", 0,
		    "is wrong" },
		{ "S=", 0, "is wrong" },
		{ "M=Access granted", 0, "has no authenticator response (S=):"
		    " it does not know the password, or is an impostor" },
		{ "", 0, "has no authenticator response" },
		{ "s=407A5589115FD0D6209F510FE9C04566932CDA56", 0,
		    "has no authenticator response" },
	};
	uint8_t buf[PKTMAX];
	struct timer_base *tb;
	struct end c;
	size_t i;

	init();
	tb = timer_manual_new();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		end_new(&c, tb, AUTH_CLIENT, "User", "clientPass", 0, 0);
		auth_set_peer_challenge(c.a, peer_ch_2759);
		auth_start(c.a, AUTH_MSCHAPV2);
		feed(&c, PPP_CHAP, buf, mk_challenge(buf, 9, auth_ch_2759, 16,
		    ""));
		feed(&c, PPP_CHAP, buf, mk(buf, 3, 9, cases[i].msg,
		    strlen(cases[i].msg) + (i == 5)));
		ATF_REQUIRE_EQ_MSG(c.done, 1, "case %zu", i);
		ATF_CHECK_EQ_MSG(c.res.success, cases[i].ok, "case %zu: %s",
		    i, c.res.message);
		ATF_CHECK_EQ_MSG(c.res.have_keys, cases[i].ok, "case %zu", i);
		if (!cases[i].ok)
			ATF_CHECK_MSG(strstr(c.res.message, cases[i].why) !=
			    NULL, "case %zu: %s", i, c.res.message);
		auth_free(c.a);
	}
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(mschapv2_wrong_password);
ATF_TC_BODY(mschapv2_wrong_password, tc)
{
	struct pair p;

	init();
	pair_new(&p, "nixcraft", "candybar", "nixcraft", "candyBar", 0);
	pair_run(&p, AUTH_MSCHAPV2);
	check_failed(&p.c, 691, "");
	ATF_CHECK_STREQ(p.c.res.message, "authentication failed: E=691 (bad "
	    "user name or password), retry not allowed: \"Authentication "
	    "failure\"");
	check_failed(&p.s, 691, "peer \"nixcraft\" sent a wrong user name "
	    "or password");
	/* Failure "E=691 R=0 C=<32 hex> V=3 M=Authentication failure". */
	ATF_REQUIRE_EQ(p.s.last.len, 4 + 73);
	ATF_CHECK(memcmp(p.s.last.data + 4, "E=691 R=0 C=", 12) == 0);
	ATF_CHECK(memcmp(p.s.last.data + 4 + 44, " V=3 M=Authentication "
	    "failure", 29) == 0);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(mschapv2_retry_after_r1);
ATF_TC_BODY(mschapv2_retry_after_r1, tc)
{
	struct pair p;
	struct pkt r1, f, r2;

	init();
	/* The server turns down the first, right, Response with R=1. */
	pair_new(&p, "bob", "pw", "bob", "pw",
	    AUTH_QUIRK_FAIL_FIRST | AUTH_QUIRK_RETRY);
	auth_start(p.c.a, AUTH_MSCHAPV2);
	auth_start(p.s.a, AUTH_MSCHAPV2);
	pump(&p);
	ATF_REQUIRE_EQ(p.c.done, 1);
	ATF_CHECK(p.c.res.success && p.c.res.have_keys);
	ATF_CHECK(p.s.done == 1 && p.s.res.success);
	ATF_CHECK(memcmp(p.c.res.send_key, p.s.res.recv_key, 16) == 0);
	ATF_CHECK_EQ(p.c.sent, 2);
	pair_free(&p);

	/* Step by step: the retry uses Identifier + 1 and C=. */
	pair_new(&p, "bob", "pw", "bob", "pw",
	    AUTH_QUIRK_FAIL_FIRST | AUTH_QUIRK_RETRY);
	auth_start(p.c.a, AUTH_MSCHAPV2);
	auth_start(p.s.a, AUTH_MSCHAPV2);
	ATF_REQUIRE(take(&p.s, &f));
	feed(&p.c, f.proto, f.data, f.len);
	ATF_REQUIRE(take(&p.c, &r1));
	feed(&p.s, r1.proto, r1.data, r1.len);
	ATF_REQUIRE(take(&p.s, &f));
	ATF_CHECK_EQ(f.data[0], 4);
	ATF_CHECK(memcmp(f.data + 4, "E=691 R=1 C=", 12) == 0);
	feed(&p.c, f.proto, f.data, f.len);
	ATF_REQUIRE(take(&p.c, &r2));
	ATF_CHECK_EQ(r2.data[1], (uint8_t)(r1.data[1] + 1));
	/* The retry Response is lost: the server repeats its Failure. */
	timer_manual_advance(p.tb, 3000);
	ATF_REQUIRE(take(&p.s, &f));
	ATF_CHECK_EQ(f.data[0], 4);
	feed(&p.c, f.proto, f.data, f.len);
	ATF_REQUIRE(take(&p.c, &r1));
	ATF_CHECK(r1.len == r2.len && memcmp(r1.data, r2.data, r1.len) == 0);
	feed(&p.s, r1.proto, r1.data, r1.len);
	pump(&p);
	ATF_CHECK(p.c.done == 1 && p.c.res.success);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(mschapv2_retry_wrong_password);
ATF_TC_BODY(mschapv2_retry_wrong_password, tc)
{
	struct pair p;

	init();
	pair_new(&p, "bob", "pW", "bob", "pw", AUTH_QUIRK_RETRY);
	pair_run(&p, AUTH_MSCHAPV2);
	ATF_CHECK_EQ(p.c.sent, 2);
	check_failed(&p.c, 691, "E=691 (bad user name or password), retry "
	    "not allowed");
	check_failed(&p.s, 691, "wrong user name or password");
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(mschapv2_quirks_s);
ATF_TC_BODY(mschapv2_quirks_s, tc)
{
	struct pair p;

	init();
	pair_new(&p, "bob", "pw", "bob", "pw", AUTH_QUIRK_WRONG_S);
	pair_run(&p, AUTH_MSCHAPV2);
	check_failed(&p.c, 0, "authentication failed: server's "
	    "authenticator response is wrong: it does not know the password, "
	    "or is an impostor");
	ATF_CHECK(p.s.done == 1 && p.s.res.success);
	pair_free(&p);

	pair_new(&p, "bob", "pw", "bob", "pw", AUTH_QUIRK_NO_S);
	pair_run(&p, AUTH_MSCHAPV2);
	check_failed(&p.c, 0, "has no authenticator response (S=)");
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(mschapv2_quirks_e648_e649);
ATF_TC_BODY(mschapv2_quirks_e648_e649, tc)
{
	struct pair p;

	init();
	pair_new(&p, "bob", "pw", "bob", "pw",
	    AUTH_QUIRK_E648 | AUTH_QUIRK_RETRY);
	pair_run(&p, AUTH_MSCHAPV2);
	check_failed(&p.c, 648, "E=648 (password expired), retry not "
	    "allowed: \"Password expired\"");
	check_failed(&p.s, 648, "forced");
	pair_free(&p);

	pair_new(&p, "bob", "pw", "bob", "pw", AUTH_QUIRK_E649);
	pair_run(&p, AUTH_MSCHAPV1);
	check_failed(&p.c, 649, "E=649 (no dial-in permission)");
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(mschapv2_failure_variants);
ATF_TC_BODY(mschapv2_failure_variants, tc)
{
	static const struct {
		const char	*msg;
		int		 code;
		int		 retried;
		const char	*why;
	} cases[] = {
		{ "E=691 R=1 V=3 M=x", 691, 0,
		    "retry allowed but the Failure has no C= challenge" },
		{ "E=648 R=1 C=00000000000000000000000000000000 V=3", 648, 0,
		    "changing the password is not supported" },
		{ "E=646 R=0 C=00000000000000000000000000000000 V=0 "
		    "M=Not now", 646, 0, "E=646 (restricted logon hours), "
		    "retry not allowed: \"Not now\"" },
		{ "E=647 R=0", 647, 0, "E=647 (account disabled)" },
		{ "E=709 R=0", 709, 0, "E=709 (error changing password)" },
		{ "E=123 R=0 M=odd", 123, 0, "E=123, retry not allowed: "
		    "\"odd\"" },
		{ "Access denied", 0, 0, "server's Failure message is "
		    "unreadable (unexpected text at offset 0): \"Access "
		    "denied\"" },
		{ "E=691 R=1 C=0000", 0, 0, "unreadable (C= has 4 characters" },
		{ "", 0, 0, "unreadable (no E= error code)" },
	};
	uint8_t buf[PKTMAX];
	struct timer_base *tb;
	struct end c;
	size_t i;

	init();
	tb = timer_manual_new();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		end_new(&c, tb, AUTH_CLIENT, "bob", "pw", 0, 0);
		auth_start(c.a, AUTH_MSCHAPV2);
		feed(&c, PPP_CHAP, buf, mk_challenge(buf, 9, auth_ch_2759, 16,
		    ""));
		feed_str(&c, 4, 9, cases[i].msg);
		ATF_CHECK_EQ_MSG(c.sent, 1, "case %zu", i);
		check_failed(&c, cases[i].code, cases[i].why);
		auth_free(c.a);
	}
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(chap_repeated_challenge);
ATF_TC_BODY(chap_repeated_challenge, tc)
{
	uint8_t buf[PKTMAX];
	struct timer_base *tb;
	struct end c;
	struct pkt r1;

	init();
	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "bob", "pw", 0, 0);
	auth_start(c.a, AUTH_MSCHAPV2);
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 7, auth_ch_2759, 16, "s"));
	ATF_REQUIRE_EQ(c.sent, 1);
	r1 = c.last;
	/* A retransmitted Challenge: the very same Response. */
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 7, auth_ch_2759, 16, "s"));
	ATF_REQUIRE_EQ(c.sent, 2);
	ATF_CHECK(c.last.len == r1.len &&
	    memcmp(c.last.data, r1.data, r1.len) == 0);
	/* A new Identifier: a new Response, with a new Peer-Challenge. */
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 8, auth_ch_2759, 16, "s"));
	ATF_REQUIRE_EQ(c.sent, 3);
	ATF_CHECK_EQ(c.last.data[1], 8);
	ATF_CHECK(memcmp(c.last.data + 5, r1.data + 5, 16) != 0);
	/* Only the Success to the latest Response counts. */
	feed_str(&c, 3, 7, "S=0000000000000000000000000000000000000000");
	check_dropped(&c, 3, "CHAP Success has Identifier 7, our Response 8");
	auth_free(c.a);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(chap_malformed_to_client);
ATF_TC_BODY(chap_malformed_to_client, tc)
{
	uint8_t buf[PKTMAX];
	struct timer_base *tb;
	struct end c;

	init();
	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "bob", "pw", 0, 0);
	auth_start(c.a, AUTH_MSCHAPV2);
	feed_str(&c, 3, 1, "S=");
	check_dropped(&c, 0, "CHAP Success before any Response");
	feed_str(&c, 4, 1, "E=691");
	check_dropped(&c, 0, "CHAP Failure before any Response");
	feed(&c, PPP_CHAP, (const uint8_t *)"\x01", 1);
	check_dropped(&c, 0, "CHAP packet of 1 octets is shorter");
	feed(&c, PPP_CHAP, (const uint8_t *)"\x01\x01\x00\x02", 4);
	check_dropped(&c, 0, "CHAP packet Length 2 is less than its header");
	/* Length says more than arrived. */
	mk_challenge(buf, 1, auth_ch_2759, 16, "s");
	feed(&c, PPP_CHAP, buf, 21);
	check_dropped(&c, 0, "CHAP packet Length 22 exceeds the 21 octets");
	/* Length says less than arrived: the rest is padding. */
	buf[3] = 20;
	feed(&c, PPP_CHAP, buf, 22);
	check_dropped(&c, 0, "Value-Size 16 exceeds the 15 octets left");
	feed(&c, PPP_CHAP, buf, mk(buf, 1, 1, NULL, 0));
	check_dropped(&c, 0, "CHAP Challenge has no Value-Size");
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 1, auth_ch_2759, 8, "s"));
	check_dropped(&c, 0, "MS-CHAPv2 Challenge Value-Size 8, must be 16");
	feed(&c, PPP_CHAP, buf, mk(buf, 2, 1, "\x00", 1));
	check_dropped(&c, 0, "CHAP Response sent to the client");
	feed(&c, PPP_CHAP, buf, mk(buf, 7, 1, NULL, 0));
	check_dropped(&c, 0, "unknown CHAP code 7");
	feed(&c, PPP_PAP, buf, mk(buf, 2, 1, NULL, 0));
	check_dropped(&c, 0, "protocol 0xc023 packet while using MS-CHAPv2");

	/* And a good Challenge with padding after it still works. */
	mk_challenge(buf, 1, auth_ch_2759, 16, "s");
	feed(&c, PPP_CHAP, buf, 40);
	ATF_CHECK_EQ(c.sent, 1);
	feed_str(&c, 4, 1, "E=691 R=0 C=00000000000000000000000000000000 V=3");
	check_failed(&c, 691, "retry not allowed");
	feed_str(&c, 3, 1, "S=");
	ATF_CHECK_EQ(c.done, 1);
	ATF_CHECK(strstr(auth_last_discard(c.a), "after authentication ended")
	    != NULL);
	auth_free(c.a);
	timer_manual_free(tb);

	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "bob", "pw", 0, 0);
	auth_start(c.a, AUTH_MSCHAPV1);
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 1, auth_ch_2759, 16, "s"));
	check_dropped(&c, 0, "MS-CHAPv1 Challenge Value-Size 16, must be 8");
	auth_free(c.a);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(chap_malformed_to_server);
ATF_TC_BODY(chap_malformed_to_server, tc)
{
	uint8_t buf[PKTMAX], v[60];
	struct pair p;
	struct pkt ch, resp, ok;

	init();
	pair_new(&p, "bob", "pw", "bob", "pw", 0);
	auth_start(p.c.a, AUTH_MSCHAPV2);
	auth_start(p.s.a, AUTH_MSCHAPV2);
	ATF_REQUIRE(take(&p.s, &ch));
	ATF_CHECK_EQ(ch.data[4], 16);
	ATF_CHECK(memcmp(ch.data + 21, "pptpc-peer", 10) == 0);
	memset(v, 0, sizeof(v));
	v[0] = 48;
	feed(&p.s, PPP_CHAP, buf, mk(buf, 2, ch.data[1], v, 49));
	check_dropped(&p.s, 1, "MS-CHAPv2 Response Value-Size 48, must be 49");
	v[0] = 49;
	feed(&p.s, PPP_CHAP, buf, mk(buf, 2, ch.data[1], v, 30));
	check_dropped(&p.s, 1, "Response Value-Size 49 exceeds the 29 octets");
	feed(&p.s, PPP_CHAP, buf, mk(buf, 2, ch.data[1], NULL, 0));
	check_dropped(&p.s, 1, "CHAP Response has no Value-Size");
	feed(&p.s, PPP_CHAP, buf, mk(buf, 2, (uint8_t)(ch.data[1] + 1), v,
	    50));
	check_dropped(&p.s, 1, "CHAP Response has Identifier");
	feed(&p.s, PPP_CHAP, buf, mk(buf, 2, ch.data[1], v, 52));
	check_dropped(&p.s, 1, "holds a NUL");
	feed(&p.s, PPP_CHAP, ch.data, ch.len);
	check_dropped(&p.s, 1, "CHAP Challenge sent to the server");
	feed_str(&p.s, 3, ch.data[1], "x");
	check_dropped(&p.s, 1, "CHAP Success or Failure sent to the server");

	feed(&p.c, ch.proto, ch.data, ch.len);
	ATF_REQUIRE(take(&p.c, &resp));
	feed(&p.s, resp.proto, resp.data, resp.len);
	ATF_REQUIRE(p.s.done == 1 && p.s.res.success);
	ATF_REQUIRE(take(&p.s, &ok));
	/* Our Success was lost: the repeated Response gets it again. */
	feed(&p.s, resp.proto, resp.data, resp.len);
	ATF_REQUIRE(take(&p.s, &ch));
	ATF_CHECK(ch.len == ok.len && memcmp(ch.data, ok.data, ok.len) == 0);
	feed(&p.c, ok.proto, ok.data, ok.len);
	ATF_CHECK(p.c.done == 1 && p.c.res.success);
	pair_free(&p);
}

/*
 * Timeouts on the manual clock.
 */

ATF_TC_WITHOUT_HEAD(timeout_client_no_challenge);
ATF_TC_BODY(timeout_client_no_challenge, tc)
{
	struct timer_base *tb;
	struct end c;
	uint8_t buf[PKTMAX];

	init();
	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "bob", "pw", 1000, 5);
	auth_start(c.a, AUTH_MSCHAPV2);
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 1, auth_ch_2759, 8, "s"));
	timer_manual_advance(tb, 4999);
	ATF_CHECK_EQ(c.done, 0);
	timer_manual_advance(tb, 1);
	check_failed(&c, 0, "server sent no MS-CHAPv2 Challenge within 5 s; "
	    "last dropped: MS-CHAPv2 Challenge Value-Size 8, must be 16");
	ATF_CHECK_EQ(c.sent, 0);
	auth_free(c.a);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(timeout_client_no_verdict);
ATF_TC_BODY(timeout_client_no_verdict, tc)
{
	struct timer_base *tb;
	struct end c;
	uint8_t buf[PKTMAX];

	init();
	tb = timer_manual_new();
	end_new(&c, tb, AUTH_CLIENT, "bob", "pw", 1000, 5);
	auth_start(c.a, AUTH_CHAP_MD5);
	timer_manual_advance(tb, 4000);
	feed(&c, PPP_CHAP, buf, mk_challenge(buf, 1, auth_ch_2759, 16, "s"));
	ATF_REQUIRE_EQ(c.sent, 1);
	/* The Challenge restarted the wait. */
	timer_manual_advance(tb, 4999);
	ATF_CHECK_EQ(c.done, 0);
	ATF_CHECK_EQ(c.sent, 1);	/* the client never retransmits */
	timer_manual_advance(tb, 1);
	check_failed(&c, 0, "server did not answer our CHAP-MD5 Response "
	    "within 5 s");
	auth_free(c.a);
	timer_manual_free(tb);
}

ATF_TC_WITHOUT_HEAD(timeout_server_retransmits);
ATF_TC_BODY(timeout_server_retransmits, tc)
{
	struct timer_base *tb;
	struct end s;
	struct pkt first;
	int i;

	init();
	tb = timer_manual_new();
	end_new(&s, tb, AUTH_SERVER, "bob", "pw", 1000, 4);
	auth_start(s.a, AUTH_MSCHAPV1);
	ATF_REQUIRE_EQ(s.sent, 1);
	first = s.last;
	ATF_CHECK_EQ(first.data[0], 1);
	ATF_CHECK_EQ(first.data[4], 8);
	for (i = 2; i <= 4; i++) {
		timer_manual_advance(tb, 1000);
		ATF_REQUIRE_EQ(s.sent, i);
		ATF_CHECK(s.last.len == first.len &&
		    memcmp(s.last.data, first.data, first.len) == 0);
	}
	ATF_CHECK_EQ(s.done, 0);
	timer_manual_advance(tb, 1000);
	check_failed(&s, 0, "peer did not answer 4 MS-CHAPv1 Challenges");
	ATF_CHECK_EQ(timer_manual_next(tb), UINT64_MAX);
	auth_free(s.a);
	timer_manual_free(tb);
}

/*
 * The object itself.
 */

ATF_TC_WITHOUT_HEAD(object_lifecycle);
ATF_TC_BODY(object_lifecycle, tc)
{
	struct timer_base *tb;
	struct auth_config cfg;
	struct end c;
	char longname[300];

	init();
	tb = timer_manual_new();
	memset(&cfg, 0, sizeof(cfg));
	cfg.password = "pw";
	cfg.password_len = 2;
	ATF_CHECK(auth_new(&cfg, &ops, NULL, tb) == NULL);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	cfg.name = longname;
	ATF_CHECK(auth_new(&cfg, &ops, NULL, tb) == NULL);
	auth_free(NULL);

	ATF_CHECK_STREQ(auth_method_name(AUTH_NONE), "none");
	ATF_CHECK_STREQ(auth_method_name(AUTH_PAP), "pap");
	ATF_CHECK_STREQ(auth_method_name(AUTH_CHAP_MD5), "chap-md5");
	ATF_CHECK_STREQ(auth_method_name(AUTH_MSCHAPV1), "mschap");
	ATF_CHECK_STREQ(auth_method_name(AUTH_MSCHAPV2), "mschapv2");

	end_new(&c, tb, AUTH_CLIENT, "bob", "pw", 0, 0);
	auth_start(c.a, AUTH_NONE);
	ATF_REQUIRE_EQ(c.done, 1);
	ATF_CHECK(c.res.success);
	auth_start(c.a, AUTH_PAP);	/* twice: ignored */
	ATF_CHECK_EQ(c.sent, 0);
	ATF_CHECK_EQ(c.done, 1);
	auth_free(c.a);

	/* Freed while waiting: the timer goes with it. */
	end_new(&c, tb, AUTH_CLIENT, "bob", "pw", 0, 0);
	auth_start(c.a, AUTH_PAP);
	auth_free(c.a);
	ATF_CHECK_EQ(timer_manual_next(tb), UINT64_MAX);

	/* A password MS-CHAP cannot hash is a clear failure. */
	end_new(&c, tb, AUTH_CLIENT, "bob", "\xc3\x28", 0, 0);
	auth_start(c.a, AUTH_MSCHAPV2);
	{
		uint8_t buf[PKTMAX];

		feed(&c, PPP_CHAP, buf, mk_challenge(buf, 1, auth_ch_2759, 16,
		    ""));
	}
	check_failed(&c, 0, "password cannot be used with MS-CHAPv2");
	ATF_CHECK_EQ(c.sent, 0);
	auth_free(c.a);

	/* PAP carries at most 255 octets of password. */
	{
		char pw[257];

		memset(pw, 'x', sizeof(pw) - 1);
		pw[sizeof(pw) - 1] = '\0';
		end_new(&c, tb, AUTH_CLIENT, "bob", pw, 0, 0);
		auth_start(c.a, AUTH_PAP);
		check_failed(&c, 0, "password is longer than the 255 octets "
		    "PAP can carry");
		ATF_CHECK_EQ(c.sent, 0);
		auth_free(c.a);
	}
	timer_manual_free(tb);
}

/*
 * Secrets' lifetime: the password copy, the challenges, the derived keys
 * and a client's Response are wiped (and the password freed) as soon as
 * the exchange ends, success or failure, not when the object is freed.
 */

/* Whether the len bytes at hay hold needle anywhere. */
static int
holds(const uint8_t *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

static void
check_wiped(struct end *e, const char *who)
{
	ATF_CHECK_EQ_MSG(auth_holds_secrets(e->a), 0, "%s still holds 0x%x",
	    who, auth_holds_secrets(e->a));
	/* The same, field by field (auth_local.h). */
	ATF_CHECK(e->a->password == NULL);
	ATF_CHECK_EQ(e->a->password_len, 0);
	ATF_CHECK(!holds((const uint8_t *)e->a, sizeof(*e->a), "Zq7pw"));
}

ATF_TC_WITHOUT_HEAD(secrets_wiped_at_end);
ATF_TC_BODY(secrets_wiped_at_end, tc)
{
	static const enum auth_method methods[] = { AUTH_PAP, AUTH_CHAP_MD5,
	    AUTH_MSCHAPV1, AUTH_MSCHAPV2 };
	struct pair p;
	size_t i;
	int right;

	init();
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		for (right = 0; right < 2; right++) {
			pair_new(&p, "bob", "Zq7pw", "bob",
			    right ? "Zq7pw" : "other", 0);
			auth_start(p.c.a, methods[i]);
			auth_start(p.s.a, methods[i]);
			/* Under way, both hold the password. */
			ATF_CHECK(auth_holds_secrets(p.c.a) &
			    AUTH_HELD_PASSWORD);
			ATF_CHECK(auth_holds_secrets(p.s.a) &
			    AUTH_HELD_PASSWORD);
			pump(&p);
			ATF_REQUIRE_EQ(p.c.done, 1);
			ATF_REQUIRE_EQ(p.s.done, 1);
			ATF_CHECK_EQ(p.c.res.success, right);
			/* Ended, not freed: nothing secret is left. */
			check_wiped(&p.c, "client");
			check_wiped(&p.s, "server");
			if (right && methods[i] >= AUTH_MSCHAPV1)
				ATF_CHECK(p.c.res.have_keys);
			pair_free(&p);
		}
	}
}

ATF_TC_WITHOUT_HEAD(secrets_wiped_mid_exchange);
ATF_TC_BODY(secrets_wiped_mid_exchange, tc)
{
	struct pair p;
	struct pkt k;

	init();
	/* MS-CHAPv2 waiting for the verdict holds the expected S= ... */
	pair_new(&p, "bob", "Zq7pw", "bob", "Zq7pw", 0);
	auth_start(p.c.a, AUTH_MSCHAPV2);
	auth_start(p.s.a, AUTH_MSCHAPV2);
	ATF_REQUIRE(take(&p.s, &k));
	auth_input(p.c.a, k.proto, k.data, k.len);
	ATF_CHECK_EQ(auth_holds_secrets(p.c.a), AUTH_HELD_PASSWORD |
	    AUTH_HELD_CHALLENGE | AUTH_HELD_DERIVED | AUTH_HELD_RESPONSE);
	/* ... and a timeout ends it as surely as a verdict. */
	p.c.nq = 0;
	while (p.c.done == 0 && timer_manual_next(p.tb) != UINT64_MAX)
		timer_manual_advance(p.tb, timer_manual_next(p.tb));
	ATF_REQUIRE_EQ(p.c.done, 1);
	ATF_CHECK(!p.c.res.success);
	check_wiped(&p.c, "client after a timeout");
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(pap_buffers_wiped);
ATF_TC_BODY(pap_buffers_wiped, tc)
{
	struct pair p;
	struct pkt k;

	init();
	pair_new(&p, "bob", "Zq7pw", "bob", "Zq7pw", 0);
	auth_start(p.c.a, AUTH_PAP);
	auth_start(p.s.a, AUTH_PAP);
	/* The request carries it in clear, as PAP must ... */
	ATF_REQUIRE(take(&p.c, &k));
	ATF_CHECK(holds(k.data, k.len, "Zq7pw"));
	/* ... but the object keeps no copy of the packet to resend. */
	ATF_CHECK_EQ(p.c.a->last_len, 0);
	ATF_CHECK(!holds(p.c.a->last, sizeof(p.c.a->last), "Zq7pw"));
	/* A retransmission is built anew, and still not kept. */
	timer_manual_advance(p.tb, timer_manual_next(p.tb));
	ATF_CHECK_EQ(p.c.sent, 2);
	ATF_CHECK(!holds(p.c.a->last, sizeof(p.c.a->last), "Zq7pw"));
	ATF_REQUIRE(take(&p.c, &k));
	auth_input(p.s.a, k.proto, k.data, k.len);
	/* The server's Ack, kept to answer a repeat, holds no secret. */
	ATF_CHECK(!holds(p.s.a->last, sizeof(p.s.a->last), "Zq7pw"));
	pump(&p);
	ATF_REQUIRE_EQ(p.c.done, 1);
	ATF_CHECK(p.c.res.success);
	check_wiped(&p.c, "PAP client");
	check_wiped(&p.s, "PAP server");
	pair_free(&p);
}

/* The log lines people grep for, with the tunnel's name first. */
ATF_TC_WITHOUT_HEAD(log_lines);
ATF_TC_BODY(log_lines, tc)
{
	char path[] = "/tmp/t_auth.XXXXXX", text[4096];
	struct pair p;
	ssize_t n;
	int fd, saved;

	init();
	log_setverbose(0);
	ATF_REQUIRE((fd = mkstemp(path)) != -1);
	unlink(path);
	fflush(stderr);
	ATF_REQUIRE((saved = dup(2)) != -1);
	ATF_REQUIRE(dup2(fd, 2) != -1);

	pair_new(&p, "bob", "secretPw1", "bob", "secretPw1", 0);
	pair_run(&p, AUTH_MSCHAPV2);
	pair_free(&p);
	pair_new(&p, "bob", "secretPw2", "bob", "secretPw1", 0);
	pair_run(&p, AUTH_MSCHAPV2);
	ATF_CHECK_STREQ(p.c.res.message, "authentication failed: E=691 "
	    "(bad user name or password), retry not allowed: "
	    "\"Authentication failure\"");
	pair_free(&p);

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	ATF_REQUIRE(n > 0);
	text[n] = '\0';
	ATF_CHECK_MSG(strstr(text, "office: MS-CHAPv2 authentication "
	    "succeeded\n") != NULL, "%s", text);
	/*
	 * A failure goes to the owner in the result, and the owner logs it
	 * as the reason its link ends (t_ppp_negotiate, case
	 * auth_failure_logged_once): a line here would say it twice.
	 */
	ATF_CHECK_MSG(strstr(text, "authentication failed") == NULL, "%s",
	    text);
	ATF_CHECK(strstr(text, "secretPw") == NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, secrets_wiped_at_end);
	ATF_TP_ADD_TC(tp, secrets_wiped_mid_exchange);
	ATF_TP_ADD_TC(tp, pap_buffers_wiped);
	ATF_TP_ADD_TC(tp, pap_success);
	ATF_TP_ADD_TC(tp, pap_wrong_password);
	ATF_TP_ADD_TC(tp, pap_request_bytes_and_duplicate);
	ATF_TP_ADD_TC(tp, pap_retransmit_and_timeout);
	ATF_TP_ADD_TC(tp, pap_malformed_to_client);
	ATF_TP_ADD_TC(tp, pap_nak_message_sanitised);
	ATF_TP_ADD_TC(tp, pap_malformed_to_server);
	ATF_TP_ADD_TC(tp, chap_md5_success_and_failure);
	ATF_TP_ADD_TC(tp, chap_md5_vector);
	ATF_TP_ADD_TC(tp, mschapv1_success_keys);
	ATF_TP_ADD_TC(tp, mschapv1_wrong_password);
	ATF_TP_ADD_TC(tp, mschapv1_retry_plus_23);
	ATF_TP_ADD_TC(tp, mschapv1_retry_with_c);
	ATF_TP_ADD_TC(tp, mschapv1_server_lm_only);
	ATF_TP_ADD_TC(tp, mschapv2_success_keys);
	ATF_TP_ADD_TC(tp, mschapv2_rfc2759_packets);
	ATF_TP_ADD_TC(tp, mschapv2_domain_user);
	ATF_TP_ADD_TC(tp, mschapv2_success_message_check);
	ATF_TP_ADD_TC(tp, mschapv2_wrong_password);
	ATF_TP_ADD_TC(tp, mschapv2_retry_after_r1);
	ATF_TP_ADD_TC(tp, mschapv2_retry_wrong_password);
	ATF_TP_ADD_TC(tp, mschapv2_quirks_s);
	ATF_TP_ADD_TC(tp, mschapv2_quirks_e648_e649);
	ATF_TP_ADD_TC(tp, mschapv2_failure_variants);
	ATF_TP_ADD_TC(tp, chap_repeated_challenge);
	ATF_TP_ADD_TC(tp, chap_malformed_to_client);
	ATF_TP_ADD_TC(tp, chap_malformed_to_server);
	ATF_TP_ADD_TC(tp, timeout_client_no_challenge);
	ATF_TP_ADD_TC(tp, timeout_client_no_verdict);
	ATF_TP_ADD_TC(tp, timeout_server_retransmits);
	ATF_TP_ADD_TC(tp, object_lifecycle);
	ATF_TP_ADD_TC(tp, log_lines);
	return atf_no_error();
}
