/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A client and a server struct ppp wired back to back through in-memory
 * queues on a manual clock, with the real authentication modules: every
 * method and MPPE mode reaches "up" with matching keys, and the failures
 * end with the reason a person needs.
 */
#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "auth_hooks.h"
#include "ccp.h"
#include "crypto.h"
#include "log.h"
#include "ppp.h"
#include "ppp_defs.h"
#include "timer.h"
#include "timer_manual.h"

#define QLEN	64
#define FMAX	1600

/* CHAP codes (RFC 1994 §4), counted as each side sends them. */
#define T_CHAP_CHALLENGE	1
#define T_CHAP_RESPONSE		2
#define T_CHAP_SUCCESS		3
#define T_CHAP_FAILURE		4

struct side;

struct queue {
	uint8_t		 frame[QLEN][FMAX];
	size_t		 len[QLEN];
	unsigned int	 head, n;
};

struct side {
	const char	*name;
	struct ppp	*ppp;
	struct queue	 out;		/* frames this side sent */
	int		 up, down, data;
	struct ppp_link	 link;
	char		 reason[256];
	enum ppp_phase	 phases[16];
	int		 nphases;
	int		 drop;		/* lose everything this side sends */
	int		 chap[5];	/* CHAP packets sent, by code */
	int		 ncp;		/* IPCP and CCP packets sent */
	char		 chap_text[128]; /* last Success/Failure message */
	/* Through auth_hooks.h, on the struct auth that PPP creates. */
	unsigned int	 quirks;	/* AUTH_QUIRK_*, a server's */
	const uint8_t	*challenge;	/* a server's first, or NULL */
	const uint8_t	*peer_challenge; /* a client's, or NULL */
	int		 hooked;	/* times the hook ran */
};

/* What a side said, so that a test can tell who did what. */
static void
s_count(struct side *s, const uint8_t *f, size_t len)
{
	uint16_t proto;
	size_t n;
	int off;

	if ((off = ppp_frame_decode(f, len, &proto)) == -1)
		return;
	f += off;
	len -= (size_t)off;
	if (proto == PPP_IPCP || proto == PPP_CCP)
		s->ncp++;
	if (proto != PPP_CHAP || len < 4 || f[0] < 1 || f[0] > 4)
		return;
	s->chap[f[0]]++;
	if (f[0] == T_CHAP_SUCCESS || f[0] == T_CHAP_FAILURE) {
		n = len - 4 < sizeof(s->chap_text) - 1 ? len - 4 :
		    sizeof(s->chap_text) - 1;
		memcpy(s->chap_text, f + 4, n);
		s->chap_text[n] = '\0';
	}
}

static void
s_send(void *arg, const uint8_t *f, size_t len)
{
	struct side *s = arg;
	unsigned int i;

	ATF_REQUIRE(len <= FMAX);
	ATF_REQUIRE(s->out.n < QLEN);
	if (s->drop)
		return;
	s_count(s, f, len);
	i = (s->out.head + s->out.n++) % QLEN;
	memcpy(s->out.frame[i], f, len);
	s->out.len[i] = len;
}

static void
s_phase(void *arg, enum ppp_phase ph)
{
	struct side *s = arg;

	if (s->nphases < 16)
		s->phases[s->nphases++] = ph;
}

static void
s_up(void *arg, const struct ppp_link *l)
{
	struct side *s = arg;

	s->up++;
	s->link = *l;
}

static void
s_down(void *arg, const char *reason)
{
	struct side *s = arg;

	s->down++;
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
}

static void
s_data(void *arg, uint16_t proto, const uint8_t *d, size_t len)
{
	struct side *s = arg;

	(void)proto;
	(void)d;
	(void)len;
	s->data++;
}

static void
s_auth_hook(void *arg, struct auth *a)
{
	struct side *s = arg;

	s->hooked++;
	auth_set_quirks(a, s->quirks);
	if (s->challenge != NULL)
		auth_set_challenge(a, s->challenge);
	if (s->peer_challenge != NULL)
		auth_set_peer_challenge(a, s->peer_challenge);
}

static const struct ppp_ops side_ops = {
	.send = s_send,
	.phase = s_phase,
	.up = s_up,
	.down = s_down,
	.data = s_data,
};

static int
deliver(struct side *from, struct side *to)
{
	unsigned int i;

	if (from->out.n == 0)
		return 0;
	i = from->out.head;
	from->out.head = (from->out.head + 1) % QLEN;
	from->out.n--;
	ppp_input(to->ppp, from->out.frame[i], from->out.len[i]);
	return 1;
}

/*
 * Runs the exchange until both ends are up or down, moving time only when
 * nothing else is in flight, for at most `ms` of simulated time.
 */
static void
run_for(struct timer_base *tb, struct side *c, struct side *s, uint64_t ms,
    int settle)
{
	uint64_t spent = 0, next;
	int moved;

	for (;;) {
		do {
			moved = deliver(c, s) | deliver(s, c);
			timer_manual_advance(tb, 0);
		} while (moved || c->out.n || s->out.n);
		if (settle && (c->up || c->down) && (s->up || s->down))
			break;
		/* The PPTP call goes with the first PPP link that ends. */
		if (c->down && !s->down)
			ppp_lower_down(s->ppp, "the call was cleared");
		if (s->down && !c->down)
			ppp_lower_down(c->ppp, "the call was cleared");
		if ((next = timer_manual_next(tb)) == UINT64_MAX ||
		    spent + next > ms) {
			if (!settle)
				timer_manual_advance(tb, ms - spent);
			break;
		}
		timer_manual_advance(tb, next);
		spent += next;
	}
}

static void
run(struct timer_base *tb, struct side *c, struct side *s, uint64_t ms)
{
	run_for(tb, c, s, ms, 1);
}

struct pair {
	struct timer_base	*tb;
	struct side		 c, s;
	struct ppp_config	 cc, sc;
};

static void
pair_init(struct pair *p, unsigned int cauth, unsigned int sauth)
{
	char err[128];

	ATF_REQUIRE_MSG(crypto_init(err, sizeof(err)) == 0, "%s", err);
	memset(p, 0, sizeof(*p));
	p->tb = timer_manual_new();
	p->c.name = "client";
	p->s.name = "server";
	p->cc.role = PPP_CLIENT;
	p->cc.tag = "office";
	p->cc.user = "nixcraft";
	p->cc.password = "candyBar";
	p->cc.password_len = 8;
	p->cc.auth_allow = cauth;
	p->sc = p->cc;
	p->sc.role = PPP_SERVER;
	p->sc.tag = "peer";
	p->sc.user = "nixcraft";	/* the user it accepts */
	p->sc.auth_allow = sauth;
	p->sc.mppe_strengths = MPPE_L | MPPE_M | MPPE_S;
	p->sc.local_addr = 0xc0000201;		/* 192.0.2.1 */
	p->sc.assign_addr = 0xc0000202;
	p->cc.auth_hook = p->sc.auth_hook = s_auth_hook;
	p->sc.dns[0] = 0xc0000235;
	p->sc.nbns[1] = 0xc0000236;
}

static void
pair_go(struct pair *p, uint64_t ms)
{
	p->c.ppp = ppp_new(&p->cc, &side_ops, &p->c, p->tb);
	p->s.ppp = ppp_new(&p->sc, &side_ops, &p->s, p->tb);
	ATF_REQUIRE(p->c.ppp != NULL && p->s.ppp != NULL);
	ppp_open(p->s.ppp);
	ppp_open(p->c.ppp);
	run(p->tb, &p->c, &p->s, ms);
}

static void
pair_free(struct pair *p)
{
	ppp_free(p->c.ppp);
	ppp_free(p->s.ppp);
	timer_manual_free(p->tb);
}

static void
check_up(struct pair *p, enum auth_method m)
{
	ATF_REQUIRE_MSG(p->c.up == 1, "client not up: %s", p->c.reason);
	ATF_REQUIRE_MSG(p->s.up == 1, "server not up: %s", p->s.reason);
	ATF_CHECK_EQ(p->c.down, 0);
	ATF_CHECK_EQ(ppp_phase(p->c.ppp), PPP_PHASE_RUNNING);
	ATF_CHECK_EQ(p->c.link.auth, m);
	ATF_CHECK_EQ(p->s.link.auth, m);
	ATF_CHECK_EQ(p->c.link.local_addr, 0xc0000202);
	ATF_CHECK_EQ(p->c.link.peer_addr, 0xc0000201);
	ATF_CHECK_EQ(p->s.link.local_addr, 0xc0000201);
	ATF_CHECK_EQ(p->s.link.peer_addr, 0xc0000202);
	ATF_CHECK_EQ(p->c.link.dns[0], 0xc0000235);
	ATF_CHECK_EQ(p->c.link.dns[1], 0);
	ATF_CHECK_EQ(p->c.link.nbns[0], 0);
	ATF_CHECK_EQ(p->c.link.nbns[1], 0xc0000236);
	ATF_CHECK_EQ(p->c.link.acfc_tx, 1);
	ATF_CHECK_EQ(p->c.link.pfc_rx, 1);
	ATF_CHECK_EQ(p->c.link.peer_mru, PPP_MRU_DEFAULT);
	/* Authentication is over: neither side keeps the password. */
	ATF_CHECK(!ppp_holds_password(p->c.ppp));
	ATF_CHECK(!ppp_holds_password(p->s.ppp));
	/* The phases a client goes through, in order. */
	ATF_CHECK_EQ(p->c.phases[0], PPP_PHASE_ESTABLISH);
	ATF_CHECK_EQ(p->c.phases[p->c.nphases - 1], PPP_PHASE_RUNNING);
}

static void
check_keys(struct pair *p, int keybits, int stateless)
{
	ATF_CHECK(p->c.link.mppe);
	ATF_CHECK(p->s.link.mppe);
	ATF_CHECK_EQ(p->c.link.mppe_keybits, keybits);
	ATF_CHECK_EQ(p->s.link.mppe_keybits, keybits);
	ATF_CHECK_EQ(p->c.link.mppe_stateless, stateless);
	ATF_CHECK_EQ(p->c.link.mppe_tx_bits, p->s.link.mppe_rx_bits);
	ATF_CHECK_EQ(p->c.link.mppe_rx_bits, p->s.link.mppe_tx_bits);
	ATF_REQUIRE(p->c.link.have_keys && p->s.link.have_keys);
	ATF_CHECK(memcmp(p->c.link.send_key, p->s.link.recv_key, 16) == 0);
	ATF_CHECK(memcmp(p->c.link.recv_key, p->s.link.send_key, 16) == 0);
}

static void
up_with(enum auth_method m, enum mppe_policy pol, uint32_t strengths,
    int keybits)
{
	struct pair p;

	pair_init(&p, AUTH_ALLOW(m), AUTH_ALLOW(m));
	p.cc.mppe = pol;
	p.cc.mppe_strengths = strengths;
	p.sc.mppe = pol == MPPE_OFF ? MPPE_OFF : MPPE_OPTIONAL;
	pair_go(&p, 60000);
	check_up(&p, m);
	if (keybits)
		check_keys(&p, keybits, 1);
	else {
		ATF_CHECK(!p.c.link.mppe);
		ATF_CHECK(!p.s.link.mppe);
	}
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(mschapv2_mppe128);
ATF_TC_BODY(mschapv2_mppe128, tc)
{
	up_with(AUTH_MSCHAPV2, MPPE_REQUIRED, MPPE_S, 128);
}

ATF_TC_WITHOUT_HEAD(mschapv2_mppe40);
ATF_TC_BODY(mschapv2_mppe40, tc)
{
	up_with(AUTH_MSCHAPV2, MPPE_REQUIRED, MPPE_L, 40);
}

ATF_TC_WITHOUT_HEAD(mschapv2_mppe56);
ATF_TC_BODY(mschapv2_mppe56, tc)
{
	up_with(AUTH_MSCHAPV2, MPPE_REQUIRED, MPPE_M, 56);
}

/* Offering every strength converges on the strongest. */
ATF_TC_WITHOUT_HEAD(mschapv2_mppe_any);
ATF_TC_BODY(mschapv2_mppe_any, tc)
{
	up_with(AUTH_MSCHAPV2, MPPE_OPTIONAL, MPPE_STRENGTHS, 128);
}

ATF_TC_WITHOUT_HEAD(mschapv2_mppe_off);
ATF_TC_BODY(mschapv2_mppe_off, tc)
{
	up_with(AUTH_MSCHAPV2, MPPE_OFF, 0, 0);
}

ATF_TC_WITHOUT_HEAD(mschapv1_mppe128);
ATF_TC_BODY(mschapv1_mppe128, tc)
{
	up_with(AUTH_MSCHAPV1, MPPE_REQUIRED, MPPE_S, 128);
}

ATF_TC_WITHOUT_HEAD(chap_md5_no_mppe);
ATF_TC_BODY(chap_md5_no_mppe, tc)
{
	up_with(AUTH_CHAP_MD5, MPPE_OPTIONAL, MPPE_S, 0);
}

ATF_TC_WITHOUT_HEAD(pap_no_mppe);
ATF_TC_BODY(pap_no_mppe, tc)
{
	up_with(AUTH_PAP, MPPE_OFF, 0, 0);
}

/* The client Naks a server's PAP towards MS-CHAPv2, which it prefers. */
ATF_TC_WITHOUT_HEAD(client_steers_method);
ATF_TC_BODY(client_steers_method, tc)
{
	struct pair p;

	/* Server asks MS-CHAPv1, client Naks v2, server falls back to PAP. */
	pair_init(&p, AUTH_ALLOW(AUTH_MSCHAPV2) | AUTH_ALLOW(AUTH_PAP),
	    AUTH_ALLOW(AUTH_MSCHAPV1) | AUTH_ALLOW(AUTH_PAP));
	p.cc.mppe = p.sc.mppe = MPPE_OFF;
	pair_go(&p, 60000);
	check_up(&p, AUTH_PAP);
	pair_free(&p);

	/* Server asks MS-CHAPv2, client Naks v1, server takes it. */
	pair_init(&p, AUTH_ALLOW(AUTH_MSCHAPV1),
	    AUTH_ALLOW(AUTH_MSCHAPV1) | AUTH_ALLOW(AUTH_MSCHAPV2));
	pair_go(&p, 60000);
	check_up(&p, AUTH_MSCHAPV1);
	check_keys(&p, 128, 1);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(wrong_password);
ATF_TC_BODY(wrong_password, tc)
{
	struct pair p;

	pair_init(&p, AUTH_ALLOW(AUTH_MSCHAPV2), AUTH_ALLOW(AUTH_MSCHAPV2));
	p.cc.password = "candyBaz";
	pair_go(&p, 120000);
	ATF_CHECK_EQ(p.c.up, 0);
	ATF_CHECK_EQ(p.s.up, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	printf("client: %s\nserver: %s\n", p.c.reason, p.s.reason);
	ATF_CHECK_MATCH("691", p.c.reason);
	ATF_CHECK_EQ(ppp_phase(p.c.ppp), PPP_PHASE_DEAD);
	ATF_CHECK(!ppp_holds_password(p.c.ppp));
	pair_free(&p);
}

/*
 * A refused password is one warning, not one from the authentication
 * module and another from PPP with the same text: a person reading the
 * log must not count two failures.
 */
ATF_TC_WITHOUT_HEAD(auth_failure_logged_once);
ATF_TC_BODY(auth_failure_logged_once, tc)
{
	static const char line[] = "office: authentication failed: E=691 "
	    "(bad user name or password), retry not allowed: "
	    "\"Authentication failure\"\n";
	char path[] = "/tmp/t_ppp_negotiate.XXXXXX", text[16384];
	const char *at;
	struct pair p;
	ssize_t n;
	int fd, saved, lines;

	log_init(1, 0);
	log_setverbose(0);
	ATF_REQUIRE((fd = mkstemp(path)) != -1);
	unlink(path);
	fflush(stderr);
	ATF_REQUIRE((saved = dup(2)) != -1);
	ATF_REQUIRE(dup2(fd, 2) != -1);

	pair_init(&p, AUTH_ALLOW(AUTH_MSCHAPV2), AUTH_ALLOW(AUTH_MSCHAPV2));
	p.cc.password = "candyBaz";
	pair_go(&p, 120000);
	pair_free(&p);

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	ATF_REQUIRE(n > 0);
	text[n] = '\0';
	/* Whole lines: "office: link down: ..." (info) carries it too. */
	lines = 0;
	for (at = text; (at = strstr(at, line)) != NULL; at++)
		if (at == text || at[-1] == '\n')
			lines++;
	ATF_CHECK_EQ_MSG(lines, 1, "%d lines of the failure in:\n%s", lines,
	    text);
	ATF_CHECK_MSG(strstr(text, "office: link down: authentication "
	    "failed: E=691 ") != NULL, "%s", text);
	ATF_CHECK(strstr(text, "candyBa") == NULL);
}

ATF_TC_WITHOUT_HEAD(mppe_refused);
ATF_TC_BODY(mppe_refused, tc)
{
	struct pair p;

	pair_init(&p, AUTH_ALLOW(AUTH_MSCHAPV2), AUTH_ALLOW(AUTH_MSCHAPV2));
	p.sc.mppe = MPPE_OFF;
	pair_go(&p, 120000);
	ATF_CHECK_EQ(p.c.up, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_STREQ(p.c.reason, "server refused MPPE; the configuration "
	    "requires it (mppe required)");
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(mppe_too_weak);
ATF_TC_BODY(mppe_too_weak, tc)
{
	struct pair p;

	pair_init(&p, AUTH_ALLOW(AUTH_MSCHAPV2), AUTH_ALLOW(AUTH_MSCHAPV2));
	p.sc.mppe_strengths = MPPE_L;
	pair_go(&p, 120000);
	ATF_CHECK_EQ(p.c.up, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_STREQ(p.c.reason, "server offers only 40-bit MPPE, the "
	    "configuration allows 128");
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(method_not_allowed);
ATF_TC_BODY(method_not_allowed, tc)
{
	struct pair p;

	pair_init(&p, AUTH_ALLOW(AUTH_MSCHAPV2), AUTH_ALLOW(AUTH_PAP));
	pair_go(&p, 120000);
	ATF_CHECK_EQ(p.c.up, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_STREQ(p.c.reason, "the server requires pap "
	    "authentication, which the configuration does not allow");
	pair_free(&p);
}

/*
 * A server that fails MS-CHAPv2's mutual authentication.  The server
 * accepted us (it sent a Success), but its S= does not prove it knows
 * the password: the client must refuse the link at once, before any
 * network-layer packet leaves it, and say why.
 */
static void
impostor(unsigned int quirk, const char *want)
{
	struct pair p;
	int i;

	pair_init(&p, AUTH_ALLOW(AUTH_MSCHAPV2), AUTH_ALLOW(AUTH_MSCHAPV2));
	p.s.quirks = quirk;
	pair_go(&p, 120000);
	printf("client: %s\nserver: %s\nserver said: %s\n", p.c.reason,
	    p.s.reason, p.s.chap_text);
	ATF_CHECK_EQ(p.s.chap[T_CHAP_SUCCESS], 1);
	ATF_CHECK_EQ(p.s.chap[T_CHAP_FAILURE], 0);
	ATF_CHECK_EQ(p.c.chap[T_CHAP_RESPONSE], 1);
	ATF_CHECK_EQ(p.c.up, 0);
	ATF_CHECK_EQ(p.s.up, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_MATCH(want, p.c.reason);
	ATF_CHECK_MATCH("^authentication failed: ", p.c.reason);
	ATF_CHECK_EQ(ppp_phase(p.c.ppp), PPP_PHASE_DEAD);
	/* Nothing past authentication: no IPCP, no CCP, no keys used. */
	ATF_CHECK_EQ(p.c.ncp, 0);
	for (i = 0; i < p.c.nphases; i++) {
		ATF_CHECK(p.c.phases[i] != PPP_PHASE_NETWORK);
		ATF_CHECK(p.c.phases[i] != PPP_PHASE_RUNNING);
	}
	ATF_CHECK_EQ(p.c.phases[p.c.nphases - 1], PPP_PHASE_DEAD);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(auth_wrong_s);
ATF_TC_BODY(auth_wrong_s, tc)
{
	impostor(AUTH_QUIRK_WRONG_S, "server's authenticator response is "
	    "wrong: it does not know the password, or is an impostor");
}

ATF_TC_WITHOUT_HEAD(auth_no_s);
ATF_TC_BODY(auth_no_s, tc)
{
	impostor(AUTH_QUIRK_NO_S, "server's Success has no authenticator "
	    "response \\(S=\\)");
}

/* A refusal with an error code: the words a person needs, no retry. */
static void
refused(enum auth_method m, unsigned int quirk, const char *code,
    const char *words)
{
	struct pair p;

	pair_init(&p, AUTH_ALLOW(m), AUTH_ALLOW(m));
	p.s.quirks = quirk;
	pair_go(&p, 120000);
	printf("client: %s\nserver: %s\nserver said: %s\n", p.c.reason,
	    p.s.reason, p.s.chap_text);
	ATF_CHECK_EQ(p.c.up, 0);
	ATF_CHECK_EQ(p.s.up, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_EQ(p.s.chap[T_CHAP_FAILURE], 1);
	ATF_CHECK_EQ(p.s.chap[T_CHAP_SUCCESS], 0);
	/* R=0: the client does not try again on its own. */
	ATF_CHECK_EQ(p.c.chap[T_CHAP_RESPONSE], 1);
	ATF_CHECK_MATCH(code, p.c.reason);
	ATF_CHECK_MATCH(words, p.c.reason);
	ATF_CHECK_MATCH("retry not allowed", p.c.reason);
	ATF_CHECK_EQ(p.c.ncp, 0);
	ATF_CHECK_EQ(ppp_phase(p.c.ppp), PPP_PHASE_DEAD);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(auth_e648);
ATF_TC_BODY(auth_e648, tc)
{
	refused(AUTH_MSCHAPV2, AUTH_QUIRK_E648, "E=648", "password expired");
	refused(AUTH_MSCHAPV1, AUTH_QUIRK_E648, "E=648", "password expired");
}

ATF_TC_WITHOUT_HEAD(auth_e649);
ATF_TC_BODY(auth_e649, tc)
{
	refused(AUTH_MSCHAPV2, AUTH_QUIRK_E649, "E=649",
	    "no dial-in permission");
}

/* The right password refused once without R=1: that is the end. */
ATF_TC_WITHOUT_HEAD(auth_fail_first);
ATF_TC_BODY(auth_fail_first, tc)
{
	refused(AUTH_MSCHAPV2, AUTH_QUIRK_FAIL_FIRST, "E=691",
	    "bad user name or password");
}

/*
 * R=1 allows one retry, not a loop: the forced 691 with R=1, a second
 * Response on the new challenge (with the wrong password), and the
 * server's real 691 without R=1 ends it.
 */
ATF_TC_WITHOUT_HEAD(auth_retry_then_wrong);
ATF_TC_BODY(auth_retry_then_wrong, tc)
{
	struct pair p;

	pair_init(&p, AUTH_ALLOW(AUTH_MSCHAPV2), AUTH_ALLOW(AUTH_MSCHAPV2));
	p.s.quirks = AUTH_QUIRK_RETRY | AUTH_QUIRK_FAIL_FIRST;
	p.cc.password = "candyBaz";
	pair_go(&p, 120000);
	printf("client: %s\nserver: %s\n", p.c.reason, p.s.reason);
	ATF_CHECK_EQ(p.c.up, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	/* One retry on the new challenge, then the server's verdict. */
	ATF_CHECK_EQ(p.c.chap[T_CHAP_RESPONSE], 2);
	ATF_CHECK_EQ(p.s.chap[T_CHAP_FAILURE], 2);
	ATF_CHECK_MATCH("E=691", p.c.reason);
	ATF_CHECK_MATCH("retry not allowed", p.c.reason);
	pair_free(&p);
}

/* R=1 once: the client answers the new challenge and the link comes up. */
static void
retry_up(enum auth_method m)
{
	struct pair p;

	pair_init(&p, AUTH_ALLOW(m), AUTH_ALLOW(m));
	p.s.quirks = AUTH_QUIRK_RETRY | AUTH_QUIRK_FAIL_FIRST;
	pair_go(&p, 120000);
	check_up(&p, m);
	/* The keys come from the second exchange, on both sides alike. */
	check_keys(&p, 128, 1);
	ATF_CHECK_EQ(p.s.chap[T_CHAP_CHALLENGE], 1);
	ATF_CHECK_EQ(p.s.chap[T_CHAP_FAILURE], 1);
	ATF_CHECK_EQ(p.s.chap[T_CHAP_SUCCESS], 1);
	ATF_CHECK_EQ(p.c.chap[T_CHAP_RESPONSE], 2);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(auth_retry);
ATF_TC_BODY(auth_retry, tc)
{
	retry_up(AUTH_MSCHAPV2);
	retry_up(AUTH_MSCHAPV1);
}

/* The quirks are a server's misbehaviour: a client's auth ignores them. */
ATF_TC_WITHOUT_HEAD(auth_quirks_client_ignored);
ATF_TC_BODY(auth_quirks_client_ignored, tc)
{
	struct pair p;

	pair_init(&p, AUTH_ALLOW(AUTH_MSCHAPV2), AUTH_ALLOW(AUTH_MSCHAPV2));
	p.c.quirks = AUTH_QUIRK_WRONG_S | AUTH_QUIRK_E648;
	pair_go(&p, 60000);
	check_up(&p, AUTH_MSCHAPV2);
	check_keys(&p, 128, 1);
	ATF_CHECK_EQ(p.c.hooked, 1);
	pair_free(&p);
}

/*
 * The hook reaches the auth of each side: with RFC 2759 §9.2's
 * challenges fixed, a whole negotiation reproduces its authenticator
 * response and RFC 3079 §3.5's start keys (doc/vectors.md §1.1, §3.2-3.3).
 */
ATF_TC_WITHOUT_HEAD(auth_hook_rfc_vectors);
ATF_TC_BODY(auth_hook_rfc_vectors, tc)
{
	static const uint8_t auth_ch[16] = {
		0x5b, 0x5d, 0x7c, 0x7d, 0x7b, 0x3f, 0x2f, 0x3e,
		0x3c, 0x2c, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28,
	};
	static const uint8_t peer_ch[16] = {
		0x21, 0x40, 0x23, 0x24, 0x25, 0x5e, 0x26, 0x2a,
		0x28, 0x29, 0x5f, 0x2b, 0x3a, 0x33, 0x7c, 0x7e,
	};
	static const uint8_t client_send[16] = {	/* Magic2 */
		0xd5, 0xf0, 0xe9, 0x52, 0x1e, 0x3e, 0xa9, 0x58,
		0x96, 0x45, 0xe8, 0x60, 0x51, 0xc8, 0x22, 0x26,
	};
	static const uint8_t client_recv[16] = {	/* Magic3 */
		0x8b, 0x7c, 0xdc, 0x14, 0x9b, 0x99, 0x3a, 0x1b,
		0xa1, 0x18, 0xcb, 0x15, 0x3f, 0x56, 0xdc, 0xcb,
	};
	struct pair p;

	pair_init(&p, AUTH_ALLOW(AUTH_MSCHAPV2), AUTH_ALLOW(AUTH_MSCHAPV2));
	p.cc.user = p.sc.user = "User";
	p.cc.password = p.sc.password = "clientPass";
	p.cc.password_len = p.sc.password_len = 10;
	p.s.challenge = auth_ch;
	p.c.peer_challenge = peer_ch;
	pair_go(&p, 60000);
	check_up(&p, AUTH_MSCHAPV2);
	check_keys(&p, 128, 1);
	ATF_CHECK_EQ(p.c.hooked, 1);
	ATF_CHECK_EQ(p.s.hooked, 1);
	ATF_CHECK_MATCH("^S=407A5589115FD0D6209F510FE9C04566932CDA56 ",
	    p.s.chap_text);
	ATF_CHECK(memcmp(p.c.link.send_key, client_send, 16) == 0);
	ATF_CHECK(memcmp(p.c.link.recv_key, client_recv, 16) == 0);
	pair_free(&p);
}

/* Keepalive over a live link, then the server goes silent. */
ATF_TC_WITHOUT_HEAD(keepalive);
ATF_TC_BODY(keepalive, tc)
{
	struct pair p;

	pair_init(&p, AUTH_ALLOW(AUTH_MSCHAPV2), AUTH_ALLOW(AUTH_MSCHAPV2));
	p.cc.keepalive_s = 10;
	pair_go(&p, 60000);
	check_up(&p, AUTH_MSCHAPV2);
	ATF_CHECK_EQ(ppp_echo_rtt(p.c.ppp), -1);
	run_for(p.tb, &p.c, &p.s, 35000, 0);
	ATF_CHECK_EQ(p.c.down, 0);
	ATF_CHECK_EQ(ppp_echo_rtt(p.c.ppp), 0);
	p.s.drop = 1;
	run_for(p.tb, &p.c, &p.s, 60000, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_STREQ(p.c.reason, "peer not responding: 4 LCP echo "
	    "requests unanswered");
	pair_free(&p);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mschapv2_mppe128);
	ATF_TP_ADD_TC(tp, mschapv2_mppe40);
	ATF_TP_ADD_TC(tp, mschapv2_mppe56);
	ATF_TP_ADD_TC(tp, mschapv2_mppe_any);
	ATF_TP_ADD_TC(tp, mschapv2_mppe_off);
	ATF_TP_ADD_TC(tp, mschapv1_mppe128);
	ATF_TP_ADD_TC(tp, chap_md5_no_mppe);
	ATF_TP_ADD_TC(tp, pap_no_mppe);
	ATF_TP_ADD_TC(tp, client_steers_method);
	ATF_TP_ADD_TC(tp, wrong_password);
	ATF_TP_ADD_TC(tp, auth_failure_logged_once);
	ATF_TP_ADD_TC(tp, mppe_refused);
	ATF_TP_ADD_TC(tp, mppe_too_weak);
	ATF_TP_ADD_TC(tp, method_not_allowed);
	ATF_TP_ADD_TC(tp, keepalive);
	ATF_TP_ADD_TC(tp, auth_wrong_s);
	ATF_TP_ADD_TC(tp, auth_no_s);
	ATF_TP_ADD_TC(tp, auth_e648);
	ATF_TP_ADD_TC(tp, auth_e649);
	ATF_TP_ADD_TC(tp, auth_fail_first);
	ATF_TP_ADD_TC(tp, auth_retry_then_wrong);
	ATF_TP_ADD_TC(tp, auth_retry);
	ATF_TP_ADD_TC(tp, auth_quirks_client_ignored);
	ATF_TP_ADD_TC(tp, auth_hook_rfc_vectors);
	return atf_no_error();
}
