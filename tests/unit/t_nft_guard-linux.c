/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The kernel engine's cleartext guard (nft_guard.h), against this host's
 * kernel, in a network namespace of the test's own.  GRE as a server
 * sends it is written into a tun device (so it is received from the
 * "server" 198.51.100.1), and a raw IPPROTO_GRE socket shows what passed
 * the input hook: a raw socket gets its copy where pptp.ko would get the
 * packet, after NF_INET_LOCAL_IN.  Every form the kernel would hand to
 * PPP is tried: with and without an acknowledgement, with and without
 * FF 03, with a 2-byte and a compressed 1-byte protocol.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "netns.h"
#include "nft_guard.h"
#include "nft_mss.h"
#include "tun.h"

#define ERRLEN		256
#define IF0		"pptpct0"
#define SERVER		"198.51.100.1"
#define US		"198.51.100.2"
#define CALL_ID		0x5d7e
#define NPKT_MAX	32

static struct in_addr
A(const char *s)
{
	return test_inaddr(s);
}

static void
tun_up(struct tun *t)
{
	char err[ERRLEN];

	ATF_REQUIRE_MSG(tun_open(t, IF0, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(iface_set_addr(t->name, A(US), A(SERVER), err,
	    sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(iface_set_up(t->name, 1, err, sizeof(err)) == 0, "%s",
	    err);
}

/*
 * A GRE packet from src for call_id with sequence number seq (which the
 * test reads back to tell packets apart), an acknowledgement if ack, and
 * the PPP frame ppp[0..n) as payload.
 */
static size_t
gre_pkt(uint8_t *p, const char *src, uint16_t call_id, uint32_t seq,
    int ack, const uint8_t *ppp, size_t n)
{
	struct in_addr s = A(src), d = A(US);
	size_t hl = 12 + (ack ? 4 : 0), len = 20 + hl + n;

	memset(p, 0, 20 + hl);
	p[0] = 0x45;
	put_be16(p + 2, (uint16_t)len);
	p[8] = 64;
	p[9] = IPPROTO_GRE;
	memcpy(p + 12, &s.s_addr, 4);
	memcpy(p + 16, &d.s_addr, 4);
	put_be16(p + 10, test_inet_cksum(p, 20));
	p[20] = 0x30;			/* K, S */
	p[21] = 0x01 | (ack ? 0x80 : 0);	/* A, version 1 */
	put_be16(p + 22, 0x880b);
	put_be16(p + 24, (uint16_t)n);
	put_be16(p + 26, call_id);
	put_be32(p + 28, seq);
	if (ack)
		put_be32(p + 32, 7);
	memcpy(p + 20 + hl, ppp, n);
	return len;
}

struct probe {
	const char	*src;
	uint16_t	 call_id;
	int		 ack;
	uint8_t		 ppp[8];
	size_t		 n;
	int		 drop;		/* the guard must drop it */
};

/* The PPP frames: "a" with FF 03, "b" without, "c" compressed. */
static const struct probe probes[] = {
	/* Cleartext IPv4, each form, with and without an ack. */
	{ SERVER, CALL_ID, 0, { 0xff, 0x03, 0x00, 0x21, 0x45 }, 5, 1 },
	{ SERVER, CALL_ID, 0, { 0x00, 0x21, 0x45, 0x00 }, 4, 1 },
	{ SERVER, CALL_ID, 0, { 0x21, 0x45, 0x00 }, 3, 1 },
	{ SERVER, CALL_ID, 1, { 0xff, 0x03, 0x00, 0x21, 0x45 }, 5, 1 },
	{ SERVER, CALL_ID, 1, { 0x00, 0x21, 0x45, 0x00 }, 4, 1 },
	{ SERVER, CALL_ID, 1, { 0x21, 0x45, 0x00 }, 3, 1 },
	/* VJ uncompressed, which becomes IP, and IPv6. */
	{ SERVER, CALL_ID, 0, { 0xff, 0x03, 0x00, 0x2f, 0x45 }, 5, 1 },
	{ SERVER, CALL_ID, 1, { 0x57, 0x60, 0x00 }, 3, 1 },
	/* MPPE (0x00FD), both forms, and control protocols: they pass. */
	{ SERVER, CALL_ID, 0, { 0xff, 0x03, 0x00, 0xfd, 0x90, 0x01 }, 6, 0 },
	{ SERVER, CALL_ID, 1, { 0x00, 0xfd, 0x90, 0x02 }, 4, 0 },
	{ SERVER, CALL_ID, 0, { 0xfd, 0x90, 0x03 }, 3, 0 },
	{ SERVER, CALL_ID, 1, { 0xff, 0x03, 0xc0, 0x21, 0x09, 0x01 }, 6, 0 },
	{ SERVER, CALL_ID, 0, { 0x80, 0xfd, 0x0e, 0x01, 0x00, 0x04 }, 6, 0 },
	{ SERVER, CALL_ID, 1, { 0xff, 0x03, 0x80, 0x21, 0x01, 0x01 }, 6, 0 },
	/* Another call, or another source: not this guard's business. */
	{ SERVER, CALL_ID + 1, 0, { 0xff, 0x03, 0x00, 0x21, 0x45 }, 5, 0 },
	{ "198.51.100.9", CALL_ID, 0, { 0x00, 0x21, 0x45, 0x00 }, 4, 0 },
};
#define NPROBES	(sizeof(probes) / sizeof(probes[0]))

/*
 * Writes every probe into t and returns, in passed[i], whether probe i
 * reached the raw GRE socket g.
 */
static void
send_probes(struct tun *t, int g, int passed[NPROBES])
{
	uint8_t pkt[128], buf[256];
	struct pollfd pfd;
	size_t i, len;
	ssize_t n;
	uint32_t seq;

	for (i = 0; i < NPROBES; i++) {
		passed[i] = 0;
		len = gre_pkt(pkt, probes[i].src, probes[i].call_id,
		    (uint32_t)i + 1, probes[i].ack, probes[i].ppp,
		    probes[i].n);
		ATF_REQUIRE(tun_write(t, pkt, len) == (ssize_t)len);
	}
	/* What passes arrives at once; 300 ms of silence ends it. */
	pfd.fd = g;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 300) == 1) {
		if ((n = recv(g, buf, sizeof(buf), 0)) < 20 + 12)
			continue;
		/* The raw socket gives the IPv4 header too. */
		seq = get_be32(buf + ((buf[0] & 15) * 4) + 8);
		if (seq >= 1 && seq <= NPROBES)
			passed[seq - 1] = 1;
	}
}

static int
raw_gre(void)
{
	int g;

	ATF_REQUIRE((g = socket(AF_INET, SOCK_RAW, IPPROTO_GRE)) != -1);
	return g;
}

ROOT_TC(drops_cleartext, "with the guard, GRE from the server for our "
    "call whose PPP protocol is under 0x8000 and not 0x00FD is dropped "
    "and counted, in every header form; MPPE, LCP, CCP, IPCP and other "
    "calls pass; without it everything passes")
{
	struct tun t;
	char err[ERRLEN];
	int g, passed[NPROBES];
	uint64_t dropped;
	size_t i, want = 0;

	test_netns_enter();
	tun_up(&t);
	g = raw_gre();

	/* No guard: every probe reaches where pptp.ko would take it. */
	send_probes(&t, g, passed);
	for (i = 0; i < NPROBES; i++)
		ATF_CHECK_MSG(passed[i], "probe %zu lost without a guard", i);

	ATF_REQUIRE_MSG(nft_guard_add(t.name, A(SERVER), CALL_ID, err,
	    sizeof(err)) == 0, "%s", err);
	send_probes(&t, g, passed);
	for (i = 0; i < NPROBES; i++) {
		ATF_CHECK_MSG(passed[i] == !probes[i].drop, "probe %zu: %s",
		    i, probes[i].drop ? "passed the guard" : "dropped");
		want += probes[i].drop;
	}
	ATF_REQUIRE_MSG(nft_guard_dropped(t.name, &dropped, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(dropped, want);

	/* Made again: the counter starts over, the rules are the same. */
	ATF_REQUIRE_MSG(nft_guard_add(t.name, A(SERVER), CALL_ID, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE(nft_guard_dropped(t.name, &dropped, err,
	    sizeof(err)) == 0);
	ATF_CHECK_EQ(dropped, 0);

	/* Removed: everything passes again; removing twice is fine. */
	ATF_REQUIRE_MSG(nft_guard_del(t.name, err, sizeof(err)) == 0, "%s",
	    err);
	ATF_REQUIRE_MSG(nft_guard_del(t.name, err, sizeof(err)) == 0, "%s",
	    err);
	send_probes(&t, g, passed);
	for (i = 0; i < NPROBES; i++)
		ATF_CHECK_MSG(passed[i], "probe %zu lost after the guard "
		    "went", i);
	ATF_CHECK(nft_guard_dropped(t.name, &dropped, err,
	    sizeof(err)) == -1);
	close(g);
	tun_close(&t);
}

ROOT_TC(sweep, "a guard left behind for an interface that is gone is "
    "removed by the sweep; a live interface's guard stays")
{
	struct tun t;
	char err[ERRLEN];
	uint64_t dropped;

	test_netns_enter();
	tun_up(&t);
	ATF_REQUIRE_MSG(nft_guard_add(t.name, A(SERVER), CALL_ID, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(nft_guard_add("ppp77", A(SERVER), CALL_ID + 1, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(nft_mss_sweep(err, sizeof(err)), 1);
	ATF_CHECK(nft_guard_dropped(t.name, &dropped, err,
	    sizeof(err)) == 0);
	ATF_CHECK(nft_guard_dropped("ppp77", &dropped, err,
	    sizeof(err)) == -1);
	tun_close(&t);
}

ATF_TC_WITHOUT_HEAD(bad_arguments);
ATF_TC_BODY(bad_arguments, tc)
{
	char err[ERRLEN];
	struct in_addr any = { INADDR_ANY };

	ATF_CHECK(nft_guard_add("", A(SERVER), 1, err, sizeof(err)) == -1);
	ATF_CHECK(nft_guard_add("this-name-is-too-long", A(SERVER), 1, err,
	    sizeof(err)) == -1);
	ATF_CHECK(nft_guard_add(IF0, any, 1, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strstr(err, "no server address") != NULL, "%s", err);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, drops_cleartext);
	ATF_TP_ADD_TC(tp, sweep);
	ATF_TP_ADD_TC(tp, bad_arguments);
	return atf_no_error();
}
