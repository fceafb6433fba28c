/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for the PPP link with the authentication stub: the frame
 * codec (ACFC/PFC both ways, LCP never compressed, zero-copy prepend),
 * demultiplexing and Protocol-Reject, the phases, data gating by MPPE,
 * CCP Reset-Request, close and lower-layer loss, and the order of the
 * network layers (IPCP after CCP, unless the peer starts IPCP first).
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "ccp.h"
#include "log.h"
#include "ppp.h"
#include "ppp_defs.h"
#include "timer.h"
#include "timer_manual.h"

#define QLEN	64
#define FMAX	1600
#define WLEN	128

/* Every control frame both sides sent, in the order they sent it. */
struct wire {
	struct {
		int		 client;
		uint16_t	 proto;
		uint8_t		 code;
	}		 f[WLEN];
	unsigned int	 n;
};

struct side {
	struct ppp	*ppp;
	uint8_t		 q[QLEN][FMAX];
	size_t		 qlen[QLEN];
	unsigned int	 head, n;
	int		 up, down, data, resets;
	uint16_t	 data_proto;
	size_t		 data_len;
	struct ppp_link	 link;
	char		 reason[256];
	enum ppp_phase	 phases[16];
	int		 nphases;
	struct wire	*wire;
	int		 client;
};

static void
s_send(void *arg, const uint8_t *f, size_t len)
{
	struct side *s = arg;
	unsigned int i;
	uint16_t proto;
	int off;

	ATF_REQUIRE(len <= FMAX && s->n < QLEN);
	if (s->wire != NULL && s->wire->n < WLEN &&
	    (off = ppp_frame_decode(f, len, &proto)) != -1 &&
	    (size_t)off < len) {
		s->wire->f[s->wire->n].client = s->client;
		s->wire->f[s->wire->n].proto = proto;
		s->wire->f[s->wire->n++].code = f[off];
	}
	i = (s->head + s->n++) % QLEN;
	memcpy(s->q[i], f, len);
	s->qlen[i] = len;
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

	(void)d;
	s->data++;
	s->data_proto = proto;
	s->data_len = len;
}

static void
s_reset(void *arg)
{
	((struct side *)arg)->resets++;
}

static const struct ppp_ops side_ops = {
	.send = s_send,
	.phase = s_phase,
	.up = s_up,
	.down = s_down,
	.data = s_data,
	.reset_req = s_reset,
};

static int
deliver(struct side *from, struct side *to)
{
	unsigned int i;

	if (from->n == 0)
		return 0;
	i = from->head;
	from->head = (from->head + 1) % QLEN;
	from->n--;
	ppp_input(to->ppp, from->q[i], from->qlen[i]);
	return 1;
}

static void
drain(struct side *s)
{
	s->head = s->n = 0;
}

struct pair {
	struct timer_base	*tb;
	struct side		 c, s;
	struct ppp_config	 cc, sc;
};

/* Moves frames both ways and fires due timers until all is quiet. */
static void
settle(struct pair *p)
{
	int moved;

	do {
		moved = deliver(&p->c, &p->s) | deliver(&p->s, &p->c);
		timer_manual_advance(p->tb, 0);
	} while (moved || p->c.n || p->s.n);
}

static void
pair_init(struct pair *p, enum auth_method m)
{
	memset(p, 0, sizeof(*p));
	p->tb = timer_manual_new();
	p->cc.role = PPP_CLIENT;
	p->cc.tag = "office";
	p->cc.user = "u";
	p->cc.password = "pw";
	p->cc.password_len = 2;
	p->cc.auth_allow = AUTH_ALLOW(m);
	p->sc = p->cc;
	p->sc.role = PPP_SERVER;
	p->sc.tag = "peer";
	p->sc.local_addr = 0xc0000201;
	p->sc.assign_addr = 0xc0000202;
	p->sc.mppe = MPPE_OPTIONAL;
}

static void
pair_start(struct pair *p)
{
	p->c.ppp = ppp_new(&p->cc, &side_ops, &p->c, p->tb);
	p->s.ppp = ppp_new(&p->sc, &side_ops, &p->s, p->tb);
	ATF_REQUIRE(p->c.ppp != NULL && p->s.ppp != NULL);
	ppp_open(p->s.ppp);
	ppp_open(p->c.ppp);
}

static void
pair_go(struct pair *p)
{
	pair_start(p);
	settle(p);
}

static void
pair_free(struct pair *p)
{
	ppp_free(p->c.ppp);
	ppp_free(p->s.ppp);
	timer_manual_free(p->tb);
}

/* Sends a frame to the client; returns how many frames it answered. */
static unsigned int
to_client(struct pair *p, const uint8_t *f, size_t len)
{
	drain(&p->c);
	ppp_input(p->c.ppp, f, len);
	return p->c.n;
}

ATF_TC_WITHOUT_HEAD(frame_codec);
ATF_TC_BODY(frame_codec, tc)
{
	uint8_t buf[16], *f;
	uint16_t proto;
	const uint8_t full[] = { 0xff, 0x03, 0x00, 0x21, 0x45 };
	const uint8_t comp[] = { 0x21, 0x45 };
	const uint8_t noac[] = { 0xc0, 0x21, 1 };
	const uint8_t even[] = { 0xff, 0x03, 0x00, 0x20 };
	const uint8_t ffonly[] = { 0xff, 0x03 };
	const uint8_t onebyte_even[] = { 0xff, 0x03, 0x80 };

	ATF_CHECK_EQ(ppp_frame_hdrlen(PPP_IP, 0, 0), 4);
	ATF_CHECK_EQ(ppp_frame_hdrlen(PPP_IP, 1, 0), 2);
	ATF_CHECK_EQ(ppp_frame_hdrlen(PPP_IP, 0, 1), 3);
	ATF_CHECK_EQ(ppp_frame_hdrlen(PPP_IP, 1, 1), 1);
	ATF_CHECK_EQ(ppp_frame_hdrlen(PPP_COMP, 1, 1), 1);
	ATF_CHECK_EQ(ppp_frame_hdrlen(PPP_IPCP, 1, 1), 2);
	ATF_CHECK_EQ(ppp_frame_hdrlen(PPP_LCP, 1, 1), 4);

	f = ppp_frame_prepend(buf + 8, 8, PPP_IP, 0, 0);
	ATF_REQUIRE(f == buf + 4);
	ATF_CHECK(memcmp(f, "\xff\x03\x00\x21", 4) == 0);
	f = ppp_frame_prepend(buf + 8, 8, PPP_COMP, 1, 1);
	ATF_REQUIRE(f == buf + 7);
	ATF_CHECK_EQ(f[0], 0xfd);
	f = ppp_frame_prepend(buf + 8, 8, PPP_COMP, 0, 1);
	ATF_REQUIRE(f == buf + 5);
	ATF_CHECK(memcmp(f, "\xff\x03\xfd", 3) == 0);
	f = ppp_frame_prepend(buf + 8, 8, PPP_CCP, 1, 1);
	ATF_CHECK(memcmp(f, "\x80\xfd", 2) == 0);
	f = ppp_frame_prepend(buf + 8, 8, PPP_LCP, 1, 1);
	ATF_CHECK(memcmp(f, "\xff\x03\xc0\x21", 4) == 0);
	ATF_CHECK(ppp_frame_prepend(buf + 3, 3, PPP_IP, 0, 0) == NULL);

	ATF_CHECK_EQ(ppp_frame_decode(full, sizeof(full), &proto), 4);
	ATF_CHECK_EQ(proto, PPP_IP);
	ATF_CHECK_EQ(ppp_frame_decode(comp, sizeof(comp), &proto), 1);
	ATF_CHECK_EQ(proto, PPP_IP);
	ATF_CHECK_EQ(ppp_frame_decode(noac, sizeof(noac), &proto), 2);
	ATF_CHECK_EQ(proto, PPP_LCP);
	ATF_CHECK_EQ(ppp_frame_decode(even, sizeof(even), &proto), -1);
	ATF_CHECK_EQ(ppp_frame_decode(ffonly, sizeof(ffonly), &proto), -1);
	ATF_CHECK_EQ(ppp_frame_decode(onebyte_even, sizeof(onebyte_even),
	    &proto), -1);
	ATF_CHECK_EQ(ppp_frame_decode(full, 0, &proto), -1);
	ATF_CHECK_EQ(ppp_frame_decode(full, 3, &proto), -1);
}

ATF_TC_WITHOUT_HEAD(phases_and_link);
ATF_TC_BODY(phases_and_link, tc)
{
	const enum ppp_phase want[] = { PPP_PHASE_ESTABLISH,
	    PPP_PHASE_AUTHENTICATE, PPP_PHASE_NETWORK, PPP_PHASE_RUNNING };
	struct pair p;
	uint8_t buf[16], *f;
	int i;

	pair_init(&p, AUTH_MSCHAPV2);
	pair_go(&p);
	ATF_REQUIRE_MSG(p.c.up == 1, "%s", p.c.reason);
	ATF_REQUIRE_EQ(p.c.nphases, 4);
	for (i = 0; i < 4; i++)
		ATF_CHECK_EQ(p.c.phases[i], want[i]);
	ATF_CHECK(p.c.link.mppe);
	ATF_CHECK_EQ(p.c.link.mppe_keybits, 128);
	ATF_CHECK(p.c.link.mppe_stateless);
	ATF_CHECK_EQ(p.c.link.send_key[0], 0xc5);
	ATF_CHECK_EQ(p.s.link.recv_key[0], 0xc5);
	ATF_CHECK(p.c.link.acfc_tx && p.c.link.pfc_tx);
	ATF_CHECK_EQ(p.c.link.mru, PPP_MRU_DEFAULT);
	/* The data path's header follows the negotiated compression. */
	f = ppp_prepend(p.c.ppp, buf + 8, 8, PPP_COMP);
	ATF_CHECK(f == buf + 7);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(mru_negotiated);
ATF_TC_BODY(mru_negotiated, tc)
{
	struct pair p;

	pair_init(&p, AUTH_MSCHAPV2);
	p.cc.mru = 1400;
	p.cc.no_hdrcomp = 1;
	pair_go(&p);
	ATF_REQUIRE(p.c.up == 1);
	ATF_CHECK_EQ(p.c.link.mru, 1400);
	ATF_CHECK_EQ(p.s.link.peer_mru, 1400);
	ATF_CHECK(!p.c.link.acfc_tx && !p.c.link.pfc_rx);
	ATF_CHECK(!p.s.link.acfc_tx && !p.s.link.pfc_tx);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(demux_and_protocol_reject);
ATF_TC_BODY(demux_and_protocol_reject, tc)
{
	const uint8_t unknown[] = { 0xff, 0x03, 0x12, 0x35, 1, 2, 3 };
	const uint8_t ipv6cp[] = { 0x80, 0x57, 1, 1, 0, 4 };
	const uint8_t ip[] = { 0x21, 0x45, 0, 0 };
	const uint8_t mppe[] = { 0xfd, 0x90, 0x00, 0xaa, 0xbb };
	const uint8_t mppe_full[] = { 0xff, 0x03, 0x00, 0xfd, 0x90, 1, 2 };
	const uint8_t garbage[] = { 0xff, 0x03, 0x00 };
	const uint8_t ipcp_early[] = { 0x80, 0x21, 1, 1, 0, 4 };
	struct pair p;
	uint16_t proto;
	int off;

	pair_init(&p, AUTH_MSCHAPV2);
	/* Before LCP is opened nothing but LCP is answered. */
	p.c.ppp = ppp_new(&p.cc, &side_ops, &p.c, p.tb);
	ppp_open(p.c.ppp);
	ATF_CHECK_EQ(to_client(&p, unknown, sizeof(unknown)), 0);
	ATF_CHECK_EQ(to_client(&p, ipcp_early, sizeof(ipcp_early)), 0);
	ATF_CHECK_EQ(to_client(&p, ip, sizeof(ip)), 0);
	ATF_CHECK_EQ(p.c.data, 0);
	ppp_free(p.c.ppp);
	memset(&p.c, 0, sizeof(p.c));

	pair_go(&p);
	ATF_REQUIRE(p.c.up == 1);
	ATF_REQUIRE_EQ(to_client(&p, unknown, sizeof(unknown)), 1);
	off = ppp_frame_decode(p.c.q[0], p.c.qlen[0], &proto);
	ATF_REQUIRE_EQ(off, 4);		/* LCP: full header */
	ATF_CHECK_EQ(proto, PPP_LCP);
	ATF_CHECK_EQ(p.c.q[0][4], PROTREJ);
	ATF_CHECK_EQ(get_be16(p.c.q[0] + 8), 0x1235);
	ATF_CHECK(memcmp(p.c.q[0] + 10, "\1\2\3", 3) == 0);
	ATF_REQUIRE_EQ(to_client(&p, ipv6cp, sizeof(ipv6cp)), 1);
	ATF_CHECK_EQ(get_be16(p.c.q[0] + 8), PPP_IPV6CP);
	ATF_CHECK_EQ(to_client(&p, garbage, sizeof(garbage)), 0);

	/* With MPPE only MPPE frames pass, in either header form. */
	ATF_CHECK_EQ(to_client(&p, ip, sizeof(ip)), 0);
	ATF_CHECK_EQ(p.c.data, 0);
	to_client(&p, mppe, sizeof(mppe));
	ATF_CHECK_EQ(p.c.data, 1);
	ATF_CHECK_EQ(p.c.data_proto, PPP_COMP);
	ATF_CHECK_EQ(p.c.data_len, 4);
	to_client(&p, mppe_full, sizeof(mppe_full));
	ATF_CHECK_EQ(p.c.data, 2);
	pair_free(&p);
}

/*
 * Frames anyone on the path can make (IPCP and CCP codes the automaton
 * discards, stray LCP codes, unknown protocols, data) are no sign of
 * life: keepalive declares a silent server dead on time.
 */
ATF_TC_WITHOUT_HEAD(injected_frames_not_alive);
ATF_TC_BODY(injected_frames_not_alive, tc)
{
	const uint8_t ipcp_ack[] = { 0x80, 0x21, 2, 0x77, 0, 4 };
	const uint8_t ipcp_code[] = { 0x80, 0x21, 12, 1, 0, 4 };
	const uint8_t ccp_ack[] = { 0x80, 0xfd, 2, 0x77, 0, 4 };
	const uint8_t lcp_disc[] = { 0xff, 0x03, 0xc0, 0x21, 11, 1, 0, 8,
	    0, 0, 0, 0 };
	const uint8_t lcp_echo[] = { 0xff, 0x03, 0xc0, 0x21, 10, 1, 0, 8,
	    0, 0, 0, 0 };
	const uint8_t unknown[] = { 0xff, 0x03, 0x12, 0x35, 1, 2, 3 };
	const uint8_t mppe[] = { 0xfd, 0x90, 0x00, 0xaa, 0xbb };
	struct ppp_echo_stats st;
	struct pair p;
	unsigned int i;

	pair_init(&p, AUTH_MSCHAPV2);
	p.cc.keepalive_s = 10;
	pair_go(&p);
	ATF_REQUIRE(p.c.up == 1);
	/* The server falls silent; a spoofer sends a frame a second. */
	for (i = 0; i < 120 && p.c.down == 0; i++) {
		timer_manual_advance(p.tb, 1000);
		drain(&p.c);
		to_client(&p, ipcp_ack, sizeof(ipcp_ack));
		to_client(&p, ipcp_code, sizeof(ipcp_code));
		to_client(&p, ccp_ack, sizeof(ccp_ack));
		to_client(&p, lcp_disc, sizeof(lcp_disc));
		to_client(&p, lcp_echo, sizeof(lcp_echo));
		to_client(&p, unknown, sizeof(unknown));
		to_client(&p, mppe, sizeof(mppe));
	}
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_STREQ(p.c.reason, "peer not responding: 4 LCP echo "
	    "requests unanswered");
	ATF_CHECK_EQ(i, 50);
	ppp_echo_stats(p.c.ppp, &st);
	ATF_CHECK_EQ(st.missed, 4);
	pair_free(&p);
}

/* A kernel engine's received data (ppp_alive()) still counts. */
ATF_TC_WITHOUT_HEAD(engine_data_alive);
ATF_TC_BODY(engine_data_alive, tc)
{
	struct pair p;
	unsigned int i;

	pair_init(&p, AUTH_MSCHAPV2);
	p.cc.keepalive_s = 10;
	pair_go(&p);
	ATF_REQUIRE(p.c.up == 1);
	for (i = 0; i < 120; i++) {
		timer_manual_advance(p.tb, 1000);
		drain(&p.c);
		ppp_alive(p.c.ppp);
	}
	ATF_CHECK_EQ(p.c.down, 0);
	pair_free(&p);
}

/* A hostile server's addresses end the link with a clear reason. */
ATF_TC_WITHOUT_HEAD(server_addresses_refused);
ATF_TC_BODY(server_addresses_refused, tc)
{
	struct pair p;

	/* Our address: the server Naks us towards loopback. */
	pair_init(&p, AUTH_MSCHAPV2);
	p.sc.assign_addr = 0x7f000001;
	pair_go(&p);
	ATF_CHECK_EQ(p.c.up, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_STREQ(p.c.reason, "IPCP: server assigned 127.0.0.1 as "
	    "our address (loopback); refused");
	pair_free(&p);

	/* Its own: Naked, then Rejected; it goes on without one. */
	pair_init(&p, AUTH_MSCHAPV2);
	p.sc.local_addr = 0xe0000001;
	pair_go(&p);
	ATF_CHECK_EQ(p.c.up, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_STREQ(p.c.reason, "IPCP: server named 224.0.0.1 as its "
	    "own address (multicast); refused");
	pair_free(&p);

	/* Both the same address. */
	pair_init(&p, AUTH_MSCHAPV2);
	p.sc.local_addr = p.sc.assign_addr;
	pair_go(&p);
	ATF_CHECK_EQ(p.c.up, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_STREQ(p.c.reason, "IPCP: server assigned 192.0.2.2 as "
	    "both our address and its own; refused");
	pair_free(&p);
}

/* Captures what the link logs to stderr (log.c in the foreground). */
struct capture {
	int	 saved;
	FILE	*f;
};

static void
capture_begin(struct capture *cap)
{
	fflush(stderr);
	ATF_REQUIRE((cap->f = tmpfile()) != NULL);
	ATF_REQUIRE((cap->saved = dup(2)) != -1);
	ATF_REQUIRE(dup2(fileno(cap->f), 2) != -1);
}

/* Ends a capture: the number of lines, and whether one contains s. */
static size_t
capture_end(struct capture *cap, const char *s, int *found)
{
	char line[512];
	size_t lines = 0;

	fflush(stderr);
	ATF_REQUIRE(dup2(cap->saved, 2) != -1);
	close(cap->saved);
	rewind(cap->f);
	*found = 0;
	while (fgets(line, sizeof(line), cap->f) != NULL) {
		if (strchr(line, '\n') != NULL)
			lines++;
		if (strstr(line, s) != NULL)
			*found = 1;
	}
	fclose(cap->f);
	return lines;
}

/*
 * 10,000 bad frames of every kind a spoofer can make, over ten seconds,
 * with -v: each kind of line at most once a second (debug) or once in
 * ten (info, warnings), with the count of those held back.
 */
ATF_TC_WITHOUT_HEAD(log_flood_bounded);
ATF_TC_BODY(log_flood_bounded, tc)
{
	static const uint8_t garbage[] = { 0xff, 0x03, 0x00 };
	static const uint8_t unknown[] = { 0xff, 0x03, 0x12, 0x35, 1, 2 };
	static const uint8_t lcp_short[] = { 0xc0, 0x21, 9 };
	static const uint8_t lcp_code[] = { 0xc0, 0x21, 99, 1, 0, 4 };
	static const uint8_t lcp_len[] = { 0xc0, 0x21, 9, 1, 0, 40, 0, 0 };
	static const uint8_t lcp_codrej[] = { 0xc0, 0x21, 7, 1, 0, 8,
	    12, 1, 0, 4 };
	static const uint8_t lcp_protrej[] = { 0xc0, 0x21, 8, 1, 0, 6,
	    0x12, 0x35 };
	static const uint8_t lcp_echorep[] = { 0xc0, 0x21, 10, 1, 0, 8,
	    0xde, 0xad, 0xbe, 0xef };
	static const uint8_t ipcp_ack[] = { 0x80, 0x21, 2, 0x77, 0, 4 };
	static const uint8_t ccp_reset[] = { 0x80, 0xfd, 14, 1, 0, 4 };
	static const uint8_t ip[] = { 0x21, 0x45, 0, 0 };
	static const struct {
		const uint8_t	*f;
		size_t		 len;
	} bad[] = {
		{ garbage, sizeof(garbage) },
		{ unknown, sizeof(unknown) },
		{ lcp_short, sizeof(lcp_short) },
		{ lcp_code, sizeof(lcp_code) },
		{ lcp_len, sizeof(lcp_len) },
		{ lcp_codrej, sizeof(lcp_codrej) },
		{ lcp_protrej, sizeof(lcp_protrej) },
		{ lcp_echorep, sizeof(lcp_echorep) },
		{ ipcp_ack, sizeof(ipcp_ack) },
		{ ccp_reset, sizeof(ccp_reset) },
		{ ip, sizeof(ip) },
	};
	const size_t nbad = sizeof(bad) / sizeof(bad[0]);
	struct capture cap;
	struct pair p;
	size_t lines;
	unsigned int i;
	int more;

	pair_init(&p, AUTH_MSCHAPV2);
	pair_go(&p);
	ATF_REQUIRE(p.c.up == 1);
	log_setverbose(1);
	capture_begin(&cap);
	for (i = 0; i < 10000; i++) {
		if (i % 1000 == 0)
			timer_manual_advance(p.tb, 1000);
		drain(&p.c);
		ppp_input(p.c.ppp, bad[i % nbad].f, bad[i % nbad].len);
	}
	lines = capture_end(&cap, "more since)", &more);
	log_setverbose(0);
	/* Eleven kinds, ten seconds: 110 would be one per kind a second. */
	ATF_CHECK_MSG(lines <= 100, "%zu lines for 10000 frames", lines);
	ATF_CHECK(more);
	ATF_CHECK_EQ(p.c.down, 0);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(no_mppe_plain_data);
ATF_TC_BODY(no_mppe_plain_data, tc)
{
	const uint8_t ip[] = { 0x21, 0x45, 0, 0 };
	const uint8_t mppe[] = { 0xfd, 0x90, 0x00, 0xaa, 0xbb };
	const uint8_t ccp[] = { 0x80, 0xfd, 1, 1, 0, 4 };
	struct pair p;

	pair_init(&p, AUTH_PAP);
	p.cc.mppe = MPPE_OPTIONAL;
	pair_go(&p);
	ATF_REQUIRE_MSG(p.c.up == 1, "%s", p.c.reason);
	ATF_CHECK(!p.c.link.mppe);
	ATF_CHECK_EQ(p.c.link.auth, AUTH_PAP);
	to_client(&p, ip, sizeof(ip));
	ATF_CHECK_EQ(p.c.data, 1);
	ATF_CHECK_EQ(p.c.data_proto, PPP_IP);
	to_client(&p, mppe, sizeof(mppe));
	ATF_CHECK_EQ(p.c.data, 1);
	/* CCP is not running: the peer hears a Protocol-Reject. */
	ATF_REQUIRE_EQ(to_client(&p, ccp, sizeof(ccp)), 1);
	ATF_CHECK_EQ(get_be16(p.c.q[0] + 8), PPP_CCP);
	ATF_CHECK_EQ(ppp_ccp_reset_request(p.c.ppp), -1);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(mppe_required_without_keys);
ATF_TC_BODY(mppe_required_without_keys, tc)
{
	struct pair p;

	pair_init(&p, AUTH_PAP);
	pair_go(&p);
	ATF_CHECK_EQ(p.c.up, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_STREQ(p.c.reason, "MPPE needs keys from MS-CHAP, which "
	    "this authentication method does not give");
	ATF_CHECK_EQ(ppp_phase(p.c.ppp), PPP_PHASE_DEAD);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(wrong_password);
ATF_TC_BODY(wrong_password, tc)
{
	struct pair p;

	pair_init(&p, AUTH_MSCHAPV2);
	p.cc.password = "wrong";
	p.cc.password_len = 5;
	pair_go(&p);
	ATF_CHECK_EQ(p.c.up, 0);
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_MATCH("error 691", p.c.reason);
	/* The server heard our Terminate-Request; it ends a restart later. */
	timer_manual_advance(p.tb, 3000);
	ATF_CHECK_EQ(p.s.down, 1);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(no_auth_requested);
ATF_TC_BODY(no_auth_requested, tc)
{
	struct pair p;

	pair_init(&p, AUTH_MSCHAPV2);
	p.sc.auth_allow = AUTH_ALLOW(AUTH_NONE);
	pair_go(&p);
	ATF_REQUIRE_EQ(p.c.down, 1);
	ATF_CHECK_MATCH("did not ask us to authenticate", p.c.reason);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(reset_request);
ATF_TC_BODY(reset_request, tc)
{
	struct pair p;

	pair_init(&p, AUTH_MSCHAPV2);
	pair_go(&p);
	ATF_REQUIRE(p.c.up == 1);
	ATF_CHECK_EQ(ppp_ccp_reset_request(p.s.ppp), 0);
	ATF_CHECK_EQ(ppp_ccp_reset_request(p.s.ppp), -1);
	settle(&p);
	ATF_CHECK_EQ(p.c.resets, 1);
	/* The Reset-Ack came back: another may go. */
	ATF_CHECK_EQ(ppp_ccp_reset_request(p.s.ppp), 0);
	settle(&p);
	ATF_CHECK_EQ(p.c.resets, 2);
	pair_free(&p);
}

ATF_TC_WITHOUT_HEAD(close_and_lower_down);
ATF_TC_BODY(close_and_lower_down, tc)
{
	struct pair p;

	pair_init(&p, AUTH_MSCHAPV2);
	pair_go(&p);
	ATF_REQUIRE(p.c.up == 1);
	ppp_close(p.c.ppp, "administrative close");
	settle(&p);
	ATF_CHECK_EQ(p.c.down, 1);
	ATF_CHECK_STREQ(p.c.reason, "administrative close");
	ATF_CHECK_EQ(p.c.phases[p.c.nphases - 2], PPP_PHASE_TERMINATE);
	ATF_CHECK_EQ(p.c.phases[p.c.nphases - 1], PPP_PHASE_DEAD);
	ATF_CHECK_EQ(p.s.down, 0);
	timer_manual_advance(p.tb, 3000);
	ATF_CHECK_EQ(p.s.down, 1);
	ATF_CHECK_STREQ(p.s.reason, "LCP terminated by the peer");
	/* Nothing happens twice. */
	ppp_lower_down(p.c.ppp, "again");
	ppp_close(p.c.ppp, "again");
	settle(&p);
	ATF_CHECK_EQ(p.c.down, 1);
	pair_free(&p);

	pair_init(&p, AUTH_MSCHAPV2);
	pair_go(&p);
	ppp_lower_down(p.c.ppp, "the call was cleared");
	ATF_CHECK_EQ(p.c.down, 1);
	ATF_CHECK_STREQ(p.c.reason, "the call was cleared");
	ATF_CHECK_EQ(p.c.n, 0);
	pair_free(&p);
}

/* A peer that renegotiates LCP after "up" takes the link down. */
ATF_TC_WITHOUT_HEAD(lcp_renegotiation);
ATF_TC_BODY(lcp_renegotiation, tc)
{
	const uint8_t cr[] = { 0xff, 0x03, 0xc0, 0x21, CONFREQ, 99, 0, 4 };
	struct pair p;

	pair_init(&p, AUTH_MSCHAPV2);
	pair_go(&p);
	ATF_REQUIRE(p.c.up == 1);
	ppp_input(p.c.ppp, cr, sizeof(cr));
	settle(&p);
	ATF_CHECK_EQ(p.c.down, 1);
	ATF_CHECK_STREQ(p.c.reason, "the peer renegotiated LCP");
	pair_free(&p);
}

/*
 * pppd with MPPE opens IPCP only when CCP is up and answers an earlier
 * IPCP Configure-Request with a Terminate-Ack, so a request sent with
 * CCP's waited out the 3 s restart timer: ours must follow CCP.
 */
ATF_TC_WITHOUT_HEAD(ipcp_after_ccp);
ATF_TC_BODY(ipcp_after_ccp, tc)
{
	struct wire w;
	struct pair p;
	unsigned int i;
	int acked_by_us = 0, acked_by_peer = 0, seen = 0;

	memset(&w, 0, sizeof(w));
	pair_init(&p, AUTH_MSCHAPV2);
	p.c.wire = p.s.wire = &w;
	p.c.client = 1;
	pair_go(&p);
	ATF_REQUIRE_MSG(p.c.up == 1, "%s", p.c.reason);
	ATF_REQUIRE(p.c.link.mppe);
	ATF_REQUIRE(w.n < WLEN);
	for (i = 0; i < w.n; i++) {
		if (w.f[i].proto == PPP_CCP && w.f[i].code == CONFACK) {
			if (w.f[i].client)
				acked_by_us = 1;
			else
				acked_by_peer = 1;
		}
		if (w.f[i].proto == PPP_IPCP && w.f[i].client) {
			ATF_CHECK_MSG(acked_by_us && acked_by_peer,
			    "client sent IPCP code %u before CCP opened",
			    w.f[i].code);
			seen = 1;
		}
	}
	ATF_CHECK(seen);
	pair_free(&p);
}

/* A peer that starts IPCP while CCP is still negotiating gets answered. */
ATF_TC_WITHOUT_HEAD(early_peer_ipcp);
ATF_TC_BODY(early_peer_ipcp, tc)
{
	const uint8_t cr[] = { 0xff, 0x03, 0x80, 0x21, CONFREQ, 7, 0, 10,
	    3, 6, 192, 0, 2, 1 };
	struct pair p;
	unsigned int i, n, req = 0, ack = 0;
	uint16_t proto;
	int off;

	pair_init(&p, AUTH_MSCHAPV2);
	pair_start(&p);
	/*
	 * One frame at a time until the client has authenticated (the
	 * stub finishes from a 0 ms timer) and has sent its CCP request.
	 */
	while (ppp_phase(p.c.ppp) != PPP_PHASE_NETWORK) {
		if (!deliver(&p.c, &p.s) && !deliver(&p.s, &p.c))
			ATF_REQUIRE(timer_manual_step(p.tb));
	}
	n = to_client(&p, cr, sizeof(cr));
	for (i = 0; i < n; i++) {
		off = ppp_frame_decode(p.c.q[i], p.c.qlen[i], &proto);
		ATF_REQUIRE(off != -1 && (size_t)off < p.c.qlen[i]);
		if (proto != PPP_IPCP)
			continue;
		if (p.c.q[i][off] == CONFREQ)
			req++;
		else if (p.c.q[i][off] == CONFACK)
			ack++;
	}
	ATF_CHECK_EQ(req, 1);
	ATF_CHECK_EQ(ack, 1);
	drain(&p.c);
	pair_free(&p);
}

/* Both ends do IPv6: one "up" with both identifiers, crosswise. */
ATF_TC_WITHOUT_HEAD(ipv6cp_both);
ATF_TC_BODY(ipv6cp_both, tc)
{
	const uint8_t ip6[] = { 0x57, 0x60, 0, 0, 0 };
	struct pair p;

	pair_init(&p, AUTH_PAP);
	p.cc.mppe = p.sc.mppe = MPPE_OFF;
	p.cc.ipv6 = p.sc.ipv6 = 1;
	pair_go(&p);
	ATF_REQUIRE_MSG(p.c.up == 1, "%s", p.c.reason);
	ATF_CHECK(p.c.link.ipv6);
	ATF_CHECK(p.c.link.ifid != 0 && p.c.link.peer_ifid != 0);
	ATF_CHECK(p.c.link.ifid != p.c.link.peer_ifid);
	ATF_CHECK_EQ(p.c.link.ifid, p.s.link.peer_ifid);
	ATF_CHECK_EQ(p.c.link.peer_ifid, p.s.link.ifid);
	ATF_CHECK_EQ(p.c.link.local_addr, 0xc0000202);
	to_client(&p, ip6, sizeof(ip6));
	ATF_CHECK_EQ(p.c.data, 1);
	ATF_CHECK_EQ(p.c.data_proto, PPP_IPV6);
	pair_free(&p);
}

/* Equal identifiers on both ends at first: settled apart. */
ATF_TC_WITHOUT_HEAD(ipv6cp_equal_ifids);
ATF_TC_BODY(ipv6cp_equal_ifids, tc)
{
	struct pair p;

	pair_init(&p, AUTH_PAP);
	p.cc.mppe = p.sc.mppe = MPPE_OFF;
	p.cc.ipv6 = p.sc.ipv6 = 1;
	p.cc.ipv6_ifid = p.sc.ipv6_ifid = 0x0200000000000001ULL;
	pair_go(&p);
	ATF_REQUIRE_MSG(p.c.up == 1, "%s", p.c.reason);
	ATF_REQUIRE(p.c.link.ipv6);
	ATF_CHECK(p.c.link.ifid != 0 && p.c.link.peer_ifid != 0);
	ATF_CHECK(p.c.link.ifid != p.c.link.peer_ifid);
	ATF_CHECK_EQ(p.c.link.ifid, p.s.link.peer_ifid);
	pair_free(&p);
}

/*
 * A server without IPv6 Protocol-Rejects IPv6CP: the link comes up on
 * IPv4, IPv6 frames are not passed, and nothing is retried.
 */
ATF_TC_WITHOUT_HEAD(ipv6cp_protocol_rejected);
ATF_TC_BODY(ipv6cp_protocol_rejected, tc)
{
	const uint8_t ip6[] = { 0x57, 0x60, 0, 0, 0 };
	const uint8_t ipv6cp_req[] = { 0xff, 0x03, 0x80, 0x57, 1, 9, 0, 14,
	    1, 10, 2, 0, 0, 0, 0, 0, 0, 9 };
	struct pair p;

	pair_init(&p, AUTH_PAP);
	p.cc.mppe = p.sc.mppe = MPPE_OFF;
	p.cc.ipv6 = 1;
	pair_go(&p);
	ATF_REQUIRE_MSG(p.c.up == 1, "%s", p.c.reason);
	ATF_CHECK(!p.c.link.ipv6);
	ATF_CHECK_EQ(p.c.link.ifid, 0);
	ATF_CHECK_EQ(p.c.down, 0);
	to_client(&p, ip6, sizeof(ip6));
	ATF_CHECK_EQ(p.c.data, 0);
	/* No IPv6CP retransmission after the reject. */
	drain(&p.c);
	timer_manual_advance(p.tb, 60000);
	ATF_CHECK_EQ(p.c.n, 0);
	ATF_CHECK_EQ(p.c.down, 0);
	/* A late IPv6CP from the server is refused: IPv4 only it is. */
	ATF_REQUIRE_EQ(to_client(&p, ipv6cp_req, sizeof(ipv6cp_req)), 1);
	ATF_CHECK_EQ(p.c.q[0][4], PROTREJ);
	ATF_CHECK_EQ(get_be16(p.c.q[0] + 8), PPP_IPV6CP);
	ATF_CHECK_EQ(p.c.down, 0);
	pair_free(&p);
}

/* "ipv6 no" (the default): no IPv6CP sent, the peer's refused. */
ATF_TC_WITHOUT_HEAD(ipv6cp_off_by_default);
ATF_TC_BODY(ipv6cp_off_by_default, tc)
{
	struct pair p;
	struct wire w;
	unsigned int i;
	uint16_t proto;

	pair_init(&p, AUTH_PAP);
	p.cc.mppe = p.sc.mppe = MPPE_OFF;
	p.sc.ipv6 = 1;
	pair_start(&p);
	memset(&w, 0, sizeof(w));
	p.c.wire = &w;
	p.c.client = 1;
	settle(&p);
	ATF_REQUIRE_MSG(p.c.up == 1, "%s", p.c.reason);
	ATF_CHECK(!p.c.link.ipv6);
	for (i = 0; i < w.n; i++) {
		proto = w.f[i].proto;
		ATF_CHECK(proto != PPP_IPV6CP);
	}
	ATF_CHECK(!p.s.link.ipv6);
	ATF_CHECK_EQ(p.s.up, 1);
	pair_free(&p);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ipv6cp_both);
	ATF_TP_ADD_TC(tp, ipv6cp_equal_ifids);
	ATF_TP_ADD_TC(tp, ipv6cp_protocol_rejected);
	ATF_TP_ADD_TC(tp, ipv6cp_off_by_default);
	ATF_TP_ADD_TC(tp, log_flood_bounded);
	ATF_TP_ADD_TC(tp, server_addresses_refused);
	ATF_TP_ADD_TC(tp, injected_frames_not_alive);
	ATF_TP_ADD_TC(tp, engine_data_alive);
	ATF_TP_ADD_TC(tp, frame_codec);
	ATF_TP_ADD_TC(tp, phases_and_link);
	ATF_TP_ADD_TC(tp, mru_negotiated);
	ATF_TP_ADD_TC(tp, demux_and_protocol_reject);
	ATF_TP_ADD_TC(tp, no_mppe_plain_data);
	ATF_TP_ADD_TC(tp, mppe_required_without_keys);
	ATF_TP_ADD_TC(tp, wrong_password);
	ATF_TP_ADD_TC(tp, no_auth_requested);
	ATF_TP_ADD_TC(tp, reset_request);
	ATF_TP_ADD_TC(tp, close_and_lower_down);
	ATF_TP_ADD_TC(tp, lcp_renegotiation);
	ATF_TP_ADD_TC(tp, ipcp_after_ccp);
	ATF_TP_ADD_TC(tp, early_peer_ipcp);
	return atf_no_error();
}
