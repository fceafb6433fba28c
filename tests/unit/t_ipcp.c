/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for IPCP: the client's request, taking the server's Naks,
 * dropping each rejected option, the server's address from its request,
 * VJ and unknown options refused, lying lengths, the addresses a client
 * refuses (addr_policy.h), and the server role assigning address and
 * name servers.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "fsm_feed.h"
#include "ipcp.h"
#include "ppp_defs.h"
#include "timer.h"
#include "timer_manual.h"

struct h {
	struct timer_base	*tb;
	struct ipcp		 ipcp;
	struct fsm_owner	 owner;
	uint8_t			 pkt[FSM_PKT_MAX];
	size_t			 len;
	int			 sent;
};

static void
h_send(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct h *h = arg;

	ATF_REQUIRE_EQ(proto, PPP_IPCP);
	ATF_REQUIRE(len <= sizeof(h->pkt));
	memcpy(h->pkt, pkt, len);
	h->len = len;
	h->sent++;
}

static void
h_init(struct h *h, const struct ipcp_config *c)
{
	memset(h, 0, sizeof(*h));
	h->tb = timer_manual_new();
	h->owner.send = h_send;
	h->owner.arg = h;
	ipcp_init(&h->ipcp, c, "t", &h->owner, h->tb);
	fsm_open(&h->ipcp.fsm);
	fsm_up(&h->ipcp.fsm);
}

static void
h_client(struct h *h, uint32_t local)
{
	struct ipcp_config c;

	memset(&c, 0, sizeof(c));
	c.local = local;
	h_init(h, &c);
}

static void
h_free(struct h *h)
{
	ipcp_free(&h->ipcp);
	timer_manual_free(h->tb);
}

static void
in(struct h *h, uint8_t code, uint8_t id, const uint8_t *d, size_t len)
{
	h->sent = 0;
	test_fsm_feed(&h->ipcp.fsm, code, id, d, len);
}

static void
reply_is(struct h *h, uint8_t code, const uint8_t *d, size_t len)
{
	ATF_REQUIRE_EQ(h->sent, 1);
	ATF_CHECK_EQ_MSG(h->pkt[0], code, "code %u, want %u", h->pkt[0],
	    code);
	ATF_REQUIRE_EQ_MSG(h->len, 4 + len, "length %zu, want %zu", h->len,
	    4 + len);
	ATF_CHECK(len == 0 || memcmp(h->pkt + 4, d, len) == 0);
}

ATF_TC_WITHOUT_HEAD(client_request);
ATF_TC_BODY(client_request, tc)
{
	const uint8_t want[] = {
		IPCP_ADDR, 6, 0, 0, 0, 0,
		IPCP_DNS1, 6, 0, 0, 0, 0,
		IPCP_NBNS1, 6, 0, 0, 0, 0,
		IPCP_DNS2, 6, 0, 0, 0, 0,
		IPCP_NBNS2, 6, 0, 0, 0, 0,
	};
	struct h h;

	h_client(&h, 0);
	ATF_CHECK_EQ(h.pkt[0], CONFREQ);
	ATF_REQUIRE_EQ(h.len, 4 + sizeof(want));
	ATF_CHECK(memcmp(h.pkt + 4, want, sizeof(want)) == 0);
	h_free(&h);
	h_client(&h, 0xc0000263);
	ATF_CHECK_EQ(get_be32(h.pkt + 6), 0xc0000263);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(client_takes_naks);
ATF_TC_BODY(client_takes_naks, tc)
{
	const uint8_t nak[] = {
		IPCP_ADDR, 6, 192, 0, 2, 2,
		IPCP_DNS1, 6, 192, 0, 2, 53,
		IPCP_DNS2, 6, 0, 0, 0, 0,	/* says nothing */
		IPCP_COMP, 6, 0, 0x2d, 15, 1,	/* never asked: ignored */
	};
	const uint8_t bad[] = { IPCP_DNS1, 5, 1, 2, 3 };
	struct h h;

	h_client(&h, 0);
	in(&h, CONFNAK, h.ipcp.fsm.reqid, nak, sizeof(nak));
	ATF_CHECK_EQ(h.ipcp.addr, 0xc0000202);
	ATF_CHECK_EQ(h.ipcp.dns[0], 0xc0000235);
	ATF_CHECK_EQ(h.ipcp.dns[1], 0);
	ATF_REQUIRE_EQ(h.pkt[0], CONFREQ);
	ATF_CHECK_EQ(get_be32(h.pkt + 6), 0xc0000202);
	ATF_CHECK_EQ(get_be32(h.pkt + 12), 0xc0000235);
	in(&h, CONFNAK, h.ipcp.fsm.reqid, bad, sizeof(bad));
	ATF_CHECK_EQ(h.sent, 0);
	ATF_CHECK_EQ(h.ipcp.dns[0], 0xc0000235);
	/* The server acks: opened with what it gave. */
	in(&h, CONFACK, h.ipcp.fsm.reqid, h.ipcp.fsm.req, h.ipcp.fsm.reqlen);
	ATF_CHECK_EQ(h.ipcp.fsm.state, FSM_ACKRCVD);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(client_drops_rejected);
ATF_TC_BODY(client_drops_rejected, tc)
{
	const uint8_t rej[] = {
		IPCP_NBNS1, 6, 0, 0, 0, 0,
		IPCP_NBNS2, 6, 0, 0, 0, 0,
	};
	const uint8_t rej_dns2[] = { IPCP_DNS2, 6, 0, 0, 0, 0 };
	const uint8_t rej_addr[] = { IPCP_ADDR, 6, 0, 0, 0, 0 };
	const uint8_t rej_vj[] = { IPCP_COMP, 6, 0, 0x2d, 15, 1 };
	struct h h;

	h_client(&h, 0);
	in(&h, CONFREJ, h.ipcp.fsm.reqid, rej, sizeof(rej));
	ATF_CHECK_EQ(h.ipcp.neg, IPCP_NEG_ADDR | IPCP_NEG_DNS1 |
	    IPCP_NEG_DNS2);
	ATF_CHECK_EQ(h.len, 4 + 18);
	in(&h, CONFREJ, h.ipcp.fsm.reqid, rej_dns2, sizeof(rej_dns2));
	ATF_CHECK_EQ(h.len, 4 + 12);
	/* Rejecting what we no longer ask, or never asked: discarded. */
	in(&h, CONFREJ, h.ipcp.fsm.reqid, rej_dns2, sizeof(rej_dns2));
	ATF_CHECK_EQ(h.sent, 0);
	in(&h, CONFREJ, h.ipcp.fsm.reqid, rej_vj, sizeof(rej_vj));
	ATF_CHECK_EQ(h.sent, 0);
	/* No address for us at all: IPCP gives up. */
	in(&h, CONFREJ, h.ipcp.fsm.reqid, rej_addr, sizeof(rej_addr));
	ATF_CHECK_EQ(h.ipcp.fsm.state, FSM_CLOSING);
	ATF_CHECK_STREQ(h.ipcp.fsm.reason, "IPCP: the server refused to "
	    "assign an address");
	h_free(&h);

	/* With a configured address, a Reject only stops asking. */
	h_client(&h, 0xc0000263);
	in(&h, CONFREJ, h.ipcp.fsm.reqid, rej_addr, sizeof(rej_addr));
	ATF_CHECK_EQ(h.ipcp.fsm.state, FSM_REQSENT);
	ATF_CHECK(!(h.ipcp.neg & IPCP_NEG_ADDR));
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(client_judges_server_request);
ATF_TC_BODY(client_judges_server_request, tc)
{
	const uint8_t good[] = { IPCP_ADDR, 6, 192, 0, 2, 1 };
	const uint8_t req[] = {
		IPCP_ADDR, 6, 192, 0, 2, 1,
		IPCP_COMP, 6, 0, 0x2d, 15, 1,
		IPCP_ADDRS, 10, 1, 2, 3, 4, 5, 6, 7, 8,
		IPCP_DNS1, 6, 1, 1, 1, 1,
		IPCP_ADDR, 5, 1, 2, 3,
		200, 2,
	};
	const uint8_t rej[] = {
		IPCP_COMP, 6, 0, 0x2d, 15, 1,
		IPCP_ADDRS, 10, 1, 2, 3, 4, 5, 6, 7, 8,
		IPCP_DNS1, 6, 1, 1, 1, 1,
		IPCP_ADDR, 5, 1, 2, 3,
		200, 2,
	};
	const uint8_t zero[] = { IPCP_ADDR, 6, 0, 0, 0, 0 };
	const uint8_t lie[] = { IPCP_ADDR, 8, 192, 0, 2, 1 };
	struct h h;

	h_client(&h, 0);
	in(&h, CONFREQ, 1, req, sizeof(req));
	reply_is(&h, CONFREJ, rej, sizeof(rej));
	in(&h, CONFREQ, 2, zero, sizeof(zero));
	reply_is(&h, CONFREJ, zero, sizeof(zero));
	in(&h, CONFREQ, 3, lie, sizeof(lie));
	ATF_CHECK_EQ(h.sent, 0);
	in(&h, CONFREQ, 4, good, sizeof(good));
	reply_is(&h, CONFACK, good, sizeof(good));
	ATF_CHECK_EQ(h.ipcp.peer_addr, 0xc0000201);
	h_free(&h);
}

/* The host as the tunnel would ask it: a LAN and a "DNS server". */
struct judge {
	int		 calls;
	uint32_t	 last;
	int		 last_peer;
};

static int
h_check(void *arg, uint32_t addr, int peer, char *why, size_t whylen)
{
	struct judge *j = arg;

	j->calls++;
	j->last = addr;
	j->last_peer = peer;
	if (addr == 0xc0a80135) {		/* 192.168.1.53 */
		snprintf(why, whylen, "a /32 route to it would override "
		    "route 192.168.1.0/24 via eth0");
		return -1;
	}
	if (addr == 0xc0a8010a) {		/* 192.168.1.10 */
		snprintf(why, whylen, "already on a local interface");
		return -1;
	}
	return 0;
}

static void
h_judged(struct h *h, struct judge *j)
{
	struct ipcp_config c;

	memset(&c, 0, sizeof(c));
	memset(j, 0, sizeof(*j));
	c.check = h_check;
	c.check_arg = j;
	h_init(h, &c);
}

/*
 * An address for us that the rules refuse ends IPCP with a reason: there
 * is nothing to Nak back to a Nak.
 */
ATF_TC_WITHOUT_HEAD(client_refuses_our_address);
ATF_TC_BODY(client_refuses_our_address, tc)
{
	static const struct {
		uint8_t		 a[4];
		const char	*why;
	} bad[] = {
		{ { 127, 0, 0, 1 }, "^IPCP: server assigned 127.0.0.1 as our "
		    "address \\(loopback\\); refused$" },
		{ { 0, 0, 0, 7 }, "0.0.0.7 as our address \\(\"this "
		    "network\", 0.0.0.0/8\\)" },
		{ { 224, 0, 0, 5 }, "224.0.0.5 as our address "
		    "\\(multicast\\)" },
		{ { 240, 1, 2, 3 }, "\\(reserved, 240.0.0.0/4\\)" },
		{ { 255, 255, 255, 255 }, "\\(broadcast\\)" },
		{ { 192, 168, 1, 10 }, "^IPCP: server assigned 192.168.1.10 "
		    "as our address \\(already on a local interface\\); "
		    "refused$" },
	};
	uint8_t nak[] = { IPCP_ADDR, 6, 0, 0, 0, 0 };
	struct judge j;
	struct h h;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		h_judged(&h, &j);
		memcpy(nak + 2, bad[i].a, 4);
		in(&h, CONFNAK, h.ipcp.fsm.reqid, nak, sizeof(nak));
		ATF_CHECK_EQ_MSG(h.ipcp.addr, 0, "case %zu", i);
		ATF_CHECK_MATCH_MSG(bad[i].why, h.ipcp.fsm.reason, "case %zu: "
		    "\"%s\"", i, h.ipcp.fsm.reason);
		/* The layer gives up: Terminate-Request, not a new request. */
		ATF_CHECK_EQ_MSG(h.pkt[0], TERMREQ, "case %zu: code %u", i,
		    h.pkt[0]);
		h_free(&h);
	}
	/* The legitimate case. */
	h_judged(&h, &j);
	nak[2] = 192, nak[3] = 168, nak[4] = 100, nak[5] = 10;
	in(&h, CONFNAK, h.ipcp.fsm.reqid, nak, sizeof(nak));
	ATF_CHECK_EQ(h.ipcp.addr, 0xc0a8640a);
	ATF_CHECK_EQ(h.pkt[0], CONFREQ);
	ATF_CHECK_EQ(j.calls, 1);
	ATF_CHECK_EQ(j.last_peer, 0);
	ATF_CHECK_STREQ(h.ipcp.refused, "");
	h_free(&h);
}

/*
 * The server's own address, refused: Naked with 0.0.0.0 ("name another",
 * RFC 1332 §3.3) until Max-Failure, then Rejected; the refusal stays for
 * ppp.c.  A better address afterwards is taken.
 */
ATF_TC_WITHOUT_HEAD(client_refuses_peer_address);
ATF_TC_BODY(client_refuses_peer_address, tc)
{
	const uint8_t dns[] = { IPCP_ADDR, 6, 192, 168, 1, 53 };
	const uint8_t loop[] = { IPCP_ADDR, 6, 127, 0, 0, 2 };
	const uint8_t zero[] = { IPCP_ADDR, 6, 0, 0, 0, 0 };
	const uint8_t good[] = { IPCP_ADDR, 6, 192, 168, 100, 1 };
	struct judge j;
	struct h h;
	unsigned int i;

	h_judged(&h, &j);
	for (i = 0; i < FSM_MAX_FAILURE; i++) {
		in(&h, CONFREQ, (uint8_t)(10 + i), dns, sizeof(dns));
		reply_is(&h, CONFNAK, zero, sizeof(zero));
		ATF_CHECK_EQ(h.ipcp.peer_addr, 0);
	}
	in(&h, CONFREQ, 20, dns, sizeof(dns));
	reply_is(&h, CONFREJ, dns, sizeof(dns));
	ATF_CHECK_STREQ(h.ipcp.refused, "IPCP: server named 192.168.1.53 as "
	    "its own address (a /32 route to it would override route "
	    "192.168.1.0/24 via eth0); refused");
	ATF_CHECK_EQ(j.last_peer, 1);
	/* The host was asked once, not for every repetition. */
	ATF_CHECK_EQ(j.calls, 1);
	h_free(&h);

	/* The class rules, and then an address that passes. */
	h_judged(&h, &j);
	in(&h, CONFREQ, 1, loop, sizeof(loop));
	reply_is(&h, CONFNAK, zero, sizeof(zero));
	ATF_CHECK_MATCH("127.0.0.2 as its own address \\(loopback\\)",
	    h.ipcp.refused);
	ATF_CHECK_EQ(j.calls, 0);
	in(&h, CONFREQ, 2, good, sizeof(good));
	reply_is(&h, CONFACK, good, sizeof(good));
	ATF_CHECK_EQ(h.ipcp.peer_addr, 0xc0a86401);
	ATF_CHECK_STREQ(h.ipcp.refused, "");
	h_free(&h);
}

/* Without a judge the class rules still hold. */
ATF_TC_WITHOUT_HEAD(client_class_rules_always);
ATF_TC_BODY(client_class_rules_always, tc)
{
	const uint8_t mcast[] = { IPCP_ADDR, 6, 239, 1, 1, 1 };
	const uint8_t zero[] = { IPCP_ADDR, 6, 0, 0, 0, 0 };
	uint8_t nak[] = { IPCP_ADDR, 6, 127, 9, 9, 9 };
	struct h h;

	h_client(&h, 0);
	in(&h, CONFREQ, 1, mcast, sizeof(mcast));
	reply_is(&h, CONFNAK, zero, sizeof(zero));
	in(&h, CONFNAK, h.ipcp.fsm.reqid, nak, sizeof(nak));
	ATF_CHECK_EQ(h.ipcp.addr, 0);
	ATF_CHECK_MATCH("127.9.9.9 as our address \\(loopback\\)",
	    h.ipcp.fsm.reason);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(server_assigns);
ATF_TC_BODY(server_assigns, tc)
{
	struct ipcp_config c;
	const uint8_t ask[] = {
		IPCP_ADDR, 6, 0, 0, 0, 0,
		IPCP_DNS1, 6, 0, 0, 0, 0,
		IPCP_NBNS1, 6, 0, 0, 0, 0,
	};
	const uint8_t nak[] = {
		IPCP_ADDR, 6, 192, 0, 2, 2,
		IPCP_DNS1, 6, 192, 0, 2, 53,
	};
	const uint8_t rej[] = { IPCP_NBNS1, 6, 0, 0, 0, 0 };
	const uint8_t right[] = {
		IPCP_ADDR, 6, 192, 0, 2, 2,
		IPCP_DNS1, 6, 192, 0, 2, 53,
	};
	const uint8_t none[] = { IPCP_DNS1, 6, 192, 0, 2, 53 };
	const uint8_t addnak[] = { IPCP_ADDR, 6, 192, 0, 2, 2 };
	struct h h;
	int i;

	memset(&c, 0, sizeof(c));
	c.server = 1;
	c.local = 0xc0000201;
	c.assign = 0xc0000202;
	c.dns[0] = 0xc0000235;
	h_init(&h, &c);
	/* Our own request carries only our address. */
	ATF_CHECK_EQ(h.len, 4 + 6);
	ATF_CHECK_EQ(get_be32(h.pkt + 6), 0xc0000201);
	in(&h, CONFREQ, 1, ask, sizeof(ask));
	reply_is(&h, CONFREJ, rej, sizeof(rej));
	in(&h, CONFREQ, 2, ask, 12);
	reply_is(&h, CONFNAK, nak, sizeof(nak));
	/* No address asked: we Nak one in. */
	in(&h, CONFREQ, 3, none, sizeof(none));
	reply_is(&h, CONFNAK, addnak, sizeof(addnak));
	in(&h, CONFREQ, 4, right, sizeof(right));
	reply_is(&h, CONFACK, right, sizeof(right));
	ATF_CHECK_EQ(h.ipcp.peer_addr, 0xc0000202);
	/* A client that insists is Rejected after Max-Failure. */
	for (i = 0; i < 5; i++) {
		in(&h, CONFREQ, (uint8_t)(10 + i), ask, 12);
		ATF_CHECK_EQ(h.pkt[0], CONFNAK);
	}
	in(&h, CONFREQ, 20, ask, 12);
	reply_is(&h, CONFREJ, ask, 12);
	h_free(&h);
}

ATF_TC_WITHOUT_HEAD(ntoa);
ATF_TC_BODY(ntoa, tc)
{
	char b[16];

	ATF_CHECK_STREQ(ipcp_ntoa(0xc0000201, b, sizeof(b)), "192.0.2.1");
	ATF_CHECK_STREQ(ipcp_ntoa(0xffffffff, b, sizeof(b)),
	    "255.255.255.255");
	ATF_CHECK_STREQ(ipcp_ntoa(0, b, sizeof(b)), "0.0.0.0");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, client_refuses_our_address);
	ATF_TP_ADD_TC(tp, client_refuses_peer_address);
	ATF_TP_ADD_TC(tp, client_class_rules_always);
	ATF_TP_ADD_TC(tp, client_request);
	ATF_TP_ADD_TC(tp, client_takes_naks);
	ATF_TP_ADD_TC(tp, client_drops_rejected);
	ATF_TP_ADD_TC(tp, client_judges_server_request);
	ATF_TP_ADD_TC(tp, server_assigns);
	ATF_TP_ADD_TC(tp, ntoa);
	return atf_no_error();
}
