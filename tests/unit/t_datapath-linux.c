/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Tests of the userspace engine against the real kernel: two datapaths
 * (the client's and the server's view) in one process, each with one call
 * on 127.0.0.1 with crossed call IDs, exchanging GRE over real raw
 * sockets.  The tun side of each call is an AF_UNIX SOCK_DGRAM socketpair:
 * one packet per read and write, like a tun fd, so the test injects IPv4
 * packets at one end and reads what comes out at the other.
 *
 * Every case runs in a network namespace of its own, entered with
 * unshare(CLONE_NEWNET) before anything else: the raw GRE sockets see only
 * this test's packets and nothing reaches the host's network.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "datapath.h"
#include "datapath_sync.h"
#include "gre.h"
#include "gre_call.h"
#include "log.h"
#include "mppe.h"
#include "netns.h"
#include "ppp.h"
#include "ppp_defs.h"
#include "timer.h"
#include "timer_event.h"
#include "tun.h"

#define ERRLEN		256
#define CLI_ID		0x1111
#define SRV_ID		0x2222
#define FRAME_MAX	4096

struct side {
	struct datapath	*dp;
	struct dp_call	*call;
	int		 tun[2];	/* [0] the datapath's, [1] the test's */
	/* What the callbacks saw. */
	int		 ctrl;
	uint8_t		 last[FRAME_MAX];
	size_t		 last_len;
	int		 resets;
	int		 fails;
	char		 why[256];	/* the last failure's */
	int		 free_in_ctrl;	/* dp_call_free() from ctrl_frame */
};

struct env {
	struct event_base	*eb;
	struct timer_base	*tb;
	struct side		 cli, srv;
};

static struct in_addr
A(const char *s)
{
	return test_inaddr(s);
}

/* ---- callbacks ---- */

static void
cb_ctrl(void *arg, const uint8_t *frame, size_t len)
{
	struct side *s = arg;

	s->ctrl++;
	s->last_len = len < sizeof(s->last) ? len : sizeof(s->last);
	memcpy(s->last, frame, s->last_len);
	if (s->free_in_ctrl && s->call != NULL) {
		dp_call_free(s->call);
		s->call = NULL;
	}
}

static void
cb_reset(void *arg)
{
	struct side *s = arg;

	s->resets++;
}

static void
cb_failed(void *arg, const char *why)
{
	struct side *s = arg;

	snprintf(s->why, sizeof(s->why), "%s", why);
	s->fails++;
}

static const struct dp_call_ops ops = { cb_ctrl, cb_reset, cb_failed };

/* ---- setup ---- */

static void
big_bufs(int fd)
{
	int sz = 8 * 1024 * 1024;

	ATF_REQUIRE(setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz,
	    sizeof(sz)) == 0);
	ATF_REQUIRE(setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
	    sizeof(sz)) == 0);
}

/* Registers the side's call on 127.0.0.1. */
static void
side_call(struct side *s, uint16_t ours, uint16_t theirs)
{
	struct dp_call_config cfg;
	char err[ERRLEN];

	memset(&cfg, 0, sizeof(cfg));
	cfg.tag = ours == CLI_ID ? "cli" : "srv";
	cfg.local = A("127.0.0.1");
	cfg.peer = A("127.0.0.1");
	gre_call_config_default(&cfg.gre);
	cfg.gre.our_call_id = ours;
	cfg.gre.peer_call_id = theirs;
	s->call = dp_call_new(s->dp, &cfg, &ops, s, err, sizeof(err));
	ATF_REQUIRE_MSG(s->call != NULL, "%s", err);
}

static void
side_open(struct env *e, struct side *s, uint16_t ours, uint16_t theirs)
{
	char err[ERRLEN];

	memset(s, 0, sizeof(*s));
	s->dp = datapath_new(e->eb, e->tb, err, sizeof(err));
	ATF_REQUIRE_MSG(s->dp != NULL, "%s", err);
	side_call(s, ours, theirs);
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0,
	    s->tun) == 0);
	big_bufs(s->tun[0]);
	big_bufs(s->tun[1]);
	ATF_REQUIRE(fcntl(s->tun[1], F_SETFL, O_NONBLOCK) == 0);
}

static void
env_open(struct env *e)
{
	char err[ERRLEN];

	test_netns_enter();
	ATF_REQUIRE_MSG(crypto_init(err, sizeof(err)) == 0, "%s", err);
	memset(e, 0, sizeof(*e));
	ATF_REQUIRE((e->eb = event_base_new()) != NULL);
	ATF_REQUIRE((e->tb = timer_base_new(e->eb)) != NULL);
	side_open(e, &e->cli, CLI_ID, SRV_ID);
	side_open(e, &e->srv, SRV_ID, CLI_ID);
}

static void
side_close(struct side *s)
{
	dp_call_free(s->call);
	datapath_free(s->dp);
	close(s->tun[0]);
	close(s->tun[1]);
}

static void
env_close(struct env *e)
{
	side_close(&e->cli);
	side_close(&e->srv);
	timer_base_free(e->tb);
	event_base_free(e->eb);
}

/* A link as PPP would hand it over; keys crossed between the sides. */
static void
mklink(struct ppp_link *l, int is_cli, int bits, int stateless)
{
	uint8_t k1[16], k2[16];
	int i;

	for (i = 0; i < 16; i++) {
		k1[i] = (uint8_t)(0x11 * i + 1);
		k2[i] = (uint8_t)(0x5a ^ (7 * i));
	}
	memset(l, 0, sizeof(*l));
	l->mru = 1500;
	l->peer_mru = 1500;
	if (bits != 0) {
		l->mppe = 1;
		l->mppe_keybits = bits;
		l->mppe_stateless = stateless;
		l->have_keys = 1;
		memcpy(l->send_key, is_cli ? k1 : k2, 16);
		memcpy(l->recv_key, is_cli ? k2 : k1, 16);
	}
}

static void
start(struct env *e, int bits, int stateless, uint16_t mss)
{
	struct ppp_link l;
	char err[ERRLEN];

	mklink(&l, 1, bits, stateless);
	ATF_REQUIRE_MSG(dp_call_start_data(e->cli.call, e->cli.tun[0], &l,
	    mss, err, sizeof(err)) == 0, "%s", err);
	mklink(&l, 0, bits, stateless);
	ATF_REQUIRE_MSG(dp_call_start_data(e->srv.call, e->srv.tun[0], &l,
	    mss, err, sizeof(err)) == 0, "%s", err);
}

/* Runs the event loop for ms milliseconds. */
static void
pump(struct env *e, int ms)
{
	struct timeval tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	event_base_loopexit(e->eb, &tv);
	event_base_dispatch(e->eb);
}

/* ---- packets ---- */

/*
 * Sets the IPv4 header checksum, as every real sender does: MPPE takes
 * only frames whose header verifies.
 */
static void
ip_csum(uint8_t *p)
{
	uint32_t sum = 0;
	size_t i;

	put_be16(p + 10, 0);
	for (i = 0; i < (size_t)(p[0] & 0x0f) * 4; i += 2)
		sum += get_be16(p + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put_be16(p + 10, (uint16_t)~sum);
}

/* An IPv4/UDP packet of len bytes whose payload says n. */
static size_t
mkip(uint8_t *p, size_t len, uint32_t n)
{
	size_t i;

	memset(p, 0, 28);
	p[0] = 0x45;
	put_be16(p + 2, (uint16_t)len);
	p[8] = 64;
	p[9] = 17;
	put_be32(p + 12, ntohl(A("198.51.100.1").s_addr));
	put_be32(p + 16, ntohl(A("198.51.100.2").s_addr));
	put_be32(p + 24, n);
	for (i = 28; i < len; i++)
		p[i] = (uint8_t)(n + i);
	ip_csum(p);
	return len;
}

/* Reads one packet from the test's end of a tun pair; 0 if none. */
static size_t
tun_recv(struct side *s, uint8_t *buf, size_t cap)
{
	ssize_t n;

	n = recv(s->tun[1], buf, cap, MSG_DONTWAIT);
	if (n == -1) {
		ATF_REQUIRE_MSG(errno == EAGAIN, "recv: %s", strerror(errno));
		return 0;
	}
	return (size_t)n;
}

static void
tun_send(struct side *s, const uint8_t *p, size_t len)
{
	ATF_REQUIRE_MSG(send(s->tun[1], p, len, 0) == (ssize_t)len,
	    "send: %s", strerror(errno));
}

/*
 * Sends count packets of varying size from one side's tun and checks that
 * they come out of the other's, in order and byte for byte.
 */
static void
cross(struct env *e, struct side *from, struct side *to, int count,
    uint32_t base)
{
	uint8_t out[2048], in[2048];
	size_t len, got;
	int i, recvd = 0, tries;

	for (i = 0; i < count; i++) {
		len = mkip(out, 28 + (size_t)(i * 97) % 1372, base + i);
		tun_send(from, out, len);
	}
	for (tries = 0; recvd < count && tries < 400; tries++) {
		pump(e, 5);
		while ((got = tun_recv(to, in, sizeof(in))) > 0) {
			len = mkip(out, 28 + (size_t)(recvd * 97) % 1372,
			    base + recvd);
			ATF_REQUIRE_EQ_MSG(got, len, "packet %d: %zu bytes, "
			    "want %zu", recvd, got, len);
			ATF_REQUIRE_MSG(memcmp(in, out, len) == 0,
			    "packet %d differs", recvd);
			recvd++;
		}
	}
	ATF_REQUIRE_EQ_MSG(recvd, count, "%d of %d packets crossed", recvd,
	    count);
}

static void
stats(struct side *s, struct dp_stats *st)
{
	ATF_REQUIRE(s->call != NULL);
	dp_call_get_stats(s->call, st);
}

/* A raw GRE socket bound to src, for packets the datapaths did not make. */
static int
raw_open(const char *src)
{
	struct sockaddr_in sin;
	int fd;

	ATF_REQUIRE((fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC,
	    IPPROTO_GRE)) != -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = A(src);
	ATF_REQUIRE_MSG(bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "bind %s: %s", src, strerror(errno));
	/* It sees all GRE too; it only sends. */
	ATF_REQUIRE(shutdown(fd, SHUT_RD) == 0 || errno == ENOTCONN);
	return fd;
}

static void
raw_send(int fd, const uint8_t *pkt, size_t len)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = A("127.0.0.1");
	ATF_REQUIRE(sendto(fd, pkt, len, 0, (struct sockaddr *)&sin,
	    sizeof(sin)) == (ssize_t)len);
}

/* Sends a GRE data packet with the given call ID and sequence number. */
static void
raw_gre(int fd, uint16_t call_id, uint32_t seq, const uint8_t *frame,
    size_t len)
{
	struct gre_hdr h;
	uint8_t pkt[GRE_HDR_MAX + FRAME_MAX];
	size_t hl;

	memset(&h, 0, sizeof(h));
	h.payload_len = (uint16_t)len;
	h.call_id = call_id;
	h.has_seq = 1;
	h.seq = seq;
	ATF_REQUIRE((hl = gre_encode_hdr(pkt, sizeof(pkt), &h)) > 0);
	memcpy(pkt + hl, frame, len);
	raw_send(fd, pkt, hl + len);
}

/* The sequence number the server's call expects next from the client. */
static uint32_t
next_seq_to_srv(struct env *e)
{
	struct dp_stats st;

	stats(&e->cli, &st);
	return (uint32_t)st.gre.tx_packets + 1;
}

static const uint8_t lcp_echo[] = {
	0xff, 0x03, 0xc0, 0x21, ECHOREQ, 0x07, 0x00, 0x08,
	0x12, 0x34, 0x56, 0x78,
};

/* ---- cases ---- */

ROOT_TC(control_before_start, "every frame goes to ctrl_frame before "
    "start_data, only control frames after it, all again after stop")
{
	struct env e;
	struct datapath_stats ds;
	struct dp_stats st;
	uint8_t f[2048], in[2048];
	struct ppp_link l;
	char err[ERRLEN];
	size_t n;

	env_open(&e);
	ATF_REQUIRE(dp_call_send_frame(e.cli.call, lcp_echo,
	    sizeof(lcp_echo)) == 0);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 1);
	ATF_REQUIRE_EQ(e.srv.last_len, sizeof(lcp_echo));
	ATF_REQUIRE(memcmp(e.srv.last, lcp_echo, sizeof(lcp_echo)) == 0);
	ATF_REQUIRE_EQ(e.cli.ctrl, 0);

	/* An IPv4 frame before the data path runs: PPP's business. */
	put_be16(f, PPP_IP);
	n = mkip(f + 2, 100, 1) + 2;
	ATF_REQUIRE(dp_call_send_frame(e.cli.call, f, n) == 0);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 2);
	ATF_REQUIRE_EQ(e.srv.last_len, n);
	ATF_REQUIRE_EQ(tun_recv(&e.srv, in, sizeof(in)), 0);

	/* Running: IPv4 to tun, LCP and IPCP still to the control plane. */
	mklink(&l, 0, 0, 0);
	ATF_REQUIRE_MSG(dp_call_start_data(e.srv.call, e.srv.tun[0], &l, 0,
	    err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE(dp_call_start_data(e.srv.call, e.srv.tun[0], &l, 0,
	    err, sizeof(err)) == -1);
	ATF_REQUIRE_MATCH("already running", err);
	ATF_REQUIRE(dp_call_send_frame(e.cli.call, f, n) == 0);
	ATF_REQUIRE(dp_call_send_frame(e.cli.call, lcp_echo,
	    sizeof(lcp_echo)) == 0);
	f[0] = 0x80;	/* IPCP Configure-Request, empty */
	f[1] = 0x21;
	memcpy(f + 2, "\x01\x01\x00\x04", 4);
	ATF_REQUIRE(dp_call_send_frame(e.cli.call, f, 6) == 0);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 4);
	ATF_REQUIRE_EQ(e.srv.last_len, 6);
	ATF_REQUIRE_EQ(tun_recv(&e.srv, in, sizeof(in)), 100);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.rx_packets, 1);
	ATF_REQUIRE_EQ(st.rx_bytes, 100);
	ATF_REQUIRE_EQ(st.gre.rx_packets, 5);

	/* Stopped: back to the control plane. */
	dp_call_stop_data(e.srv.call);
	put_be16(f, PPP_IP);
	n = mkip(f + 2, 100, 2) + 2;
	ATF_REQUIRE(dp_call_send_frame(e.cli.call, f, n) == 0);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 5);
	ATF_REQUIRE_EQ(tun_recv(&e.srv, in, sizeof(in)), 0);

	/* The client's socket saw its own packets: not its call. */
	datapath_get_stats(e.cli.dp, &ds);
	ATF_REQUIRE(ds.rx_unknown >= 5);
	ATF_REQUIRE_EQ(ds.rx_malformed, 0);
	env_close(&e);
}

static void
both_ways(int bits, int stateless, int acfc_pfc)
{
	struct env e;
	struct dp_stats st;
	struct ppp_link l;
	char err[ERRLEN];

	env_open(&e);
	if (acfc_pfc) {
		/* The client compresses, the server does not. */
		mklink(&l, 1, bits, stateless);
		l.acfc_tx = l.pfc_tx = 1;
		ATF_REQUIRE_MSG(dp_call_start_data(e.cli.call, e.cli.tun[0],
		    &l, 0, err, sizeof(err)) == 0, "%s", err);
		mklink(&l, 0, bits, stateless);
		ATF_REQUIRE_MSG(dp_call_start_data(e.srv.call, e.srv.tun[0],
		    &l, 0, err, sizeof(err)) == 0, "%s", err);
	} else
		start(&e, bits, stateless, 0);
	cross(&e, &e.cli, &e.srv, 300, 0);
	cross(&e, &e.srv, &e.cli, 300, 1000);
	stats(&e.cli, &st);
	ATF_REQUIRE_EQ(st.tx_packets, 300);
	ATF_REQUIRE_EQ(st.rx_packets, 300);
	ATF_REQUIRE_EQ(st.tx_errors, 0);
	ATF_REQUIRE_EQ(st.rx_errors, 0);
	ATF_REQUIRE_EQ(st.rx_lost, 0);
	ATF_REQUIRE_EQ(st.mppe_tx.packets, bits ? 300 : 0);
	ATF_REQUIRE_EQ(st.mppe_rx.packets, bits ? 300 : 0);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.tx_packets, 300);
	ATF_REQUIRE_EQ(st.rx_packets, 300);
	ATF_REQUIRE_EQ(st.rx_errors, 0);
	ATF_REQUIRE_EQ(e.cli.ctrl + e.srv.ctrl, 0);
	ATF_REQUIRE_EQ(e.cli.resets + e.srv.resets, 0);
	ATF_REQUIRE_EQ(e.cli.fails + e.srv.fails, 0);
	env_close(&e);
}

ROOT_TC(mppe128_stateless, "IPv4 crosses both ways with 128-bit stateless "
    "MPPE, bytes intact")
{
	both_ways(128, 1, 0);
}

ROOT_TC(mppe40_stateless, "IPv4 crosses both ways with 40-bit MPPE")
{
	both_ways(40, 1, 0);
}

ROOT_TC(mppe56_stateful_compressed, "IPv4 crosses with 56-bit stateful "
    "MPPE and ACFC/PFC one way")
{
	both_ways(56, 0, 1);
}

ROOT_TC(mppe128_stateful, "IPv4 crosses with 128-bit stateful MPPE, past "
    "the flag packets at every 256th count")
{
	struct env e;
	struct dp_stats st;

	env_open(&e);
	start(&e, 128, 0, 0);
	cross(&e, &e.cli, &e.srv, 600, 0);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.rx_packets, 600);
	ATF_REQUIRE_EQ(st.mppe_rx.discarded, 0);
	env_close(&e);
}

ROOT_TC(no_mppe, "IPv4 crosses as plain 0x0021 on a link without MPPE, "
    "compressed or not")
{
	both_ways(0, 0, 0);
	both_ways(0, 0, 1);
}

ROOT_TC(mss_clamp, "TCP SYN MSS is clamped both ways")
{
	struct env e;
	uint8_t syn[44], in[2048];
	size_t n = 0;
	int i;

	env_open(&e);
	start(&e, 128, 1, 1300);
	memset(syn, 0, sizeof(syn));
	syn[0] = 0x45;
	put_be16(syn + 2, sizeof(syn));
	syn[8] = 64;
	syn[9] = 6;
	put_be32(syn + 12, 0xc6336401);
	put_be32(syn + 16, 0xc6336402);
	put_be16(syn + 20, 40000);
	put_be16(syn + 22, 80);
	syn[32] = 6 << 4;		/* data offset: 24 bytes */
	syn[33] = 0x02;			/* SYN */
	put_be16(syn + 34, 65535);
	memcpy(syn + 40, "\x02\x04\x05\xb4", 4);	/* MSS 1460 */
	ip_csum(syn);
	tun_send(&e.cli, syn, sizeof(syn));
	for (i = 0; i < 50 && n == 0; i++) {
		pump(&e, 5);
		n = tun_recv(&e.srv, in, sizeof(in));
	}
	ATF_REQUIRE_EQ(n, sizeof(syn));
	ATF_REQUIRE_EQ(get_be16(in + 42), 1300);
	/* The incremental checksum moved by exactly the difference. */
	ATF_REQUIRE_EQ((uint16_t)~get_be16(in + 36),
	    (uint16_t)(1300 - 1460 + 0xffff));

	/* The other way, clamped on the way out of the tunnel as well. */
	tun_send(&e.srv, syn, sizeof(syn));
	for (i = 0, n = 0; i < 50 && n == 0; i++) {
		pump(&e, 5);
		n = tun_recv(&e.cli, in, sizeof(in));
	}
	ATF_REQUIRE_EQ(n, sizeof(syn));
	ATF_REQUIRE_EQ(get_be16(in + 42), 1300);
	env_close(&e);
}

ROOT_TC(wrong_call_or_address, "GRE for another call ID or from another "
    "address is dropped and counted at the datapath")
{
	struct env e;
	struct datapath_stats before, after;
	struct dp_stats st;
	uint8_t f[256], in[2048];
	size_t n;
	int fd1, fd2;

	env_open(&e);
	start(&e, 0, 0, 0);
	cross(&e, &e.cli, &e.srv, 3, 0);
	fd1 = raw_open("127.0.0.1");
	fd2 = raw_open("127.0.0.2");
	put_be16(f, PPP_IP);
	n = mkip(f + 2, 64, 7) + 2;
	datapath_get_stats(e.srv.dp, &before);
	raw_gre(fd1, SRV_ID + 1, next_seq_to_srv(&e), f, n);
	raw_gre(fd2, SRV_ID, next_seq_to_srv(&e), f, n);
	raw_gre(fd2, SRV_ID, next_seq_to_srv(&e), lcp_echo,
	    sizeof(lcp_echo));
	pump(&e, 30);
	datapath_get_stats(e.srv.dp, &after);
	ATF_REQUIRE_EQ(after.rx_unknown - before.rx_unknown, 3);
	ATF_REQUIRE_EQ(tun_recv(&e.srv, in, sizeof(in)), 0);
	ATF_REQUIRE_EQ(e.srv.ctrl, 0);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.rx_packets, 3);
	ATF_REQUIRE_EQ(st.gre.rx_packets, 3);

	/* The same packet with the right call ID and address gets in. */
	raw_gre(fd1, SRV_ID, next_seq_to_srv(&e), f, n);
	pump(&e, 30);
	ATF_REQUIRE_EQ(tun_recv(&e.srv, in, sizeof(in)), 64);

	/* Not PPTP's GRE (version 0): quietly someone else's. */
	memset(f, 0, 8);
	put_be16(f + 2, 0x0800);
	raw_send(fd1, f, 28);
	pump(&e, 30);
	datapath_get_stats(e.srv.dp, &after);
	ATF_REQUIRE(after.rx_foreign - before.rx_foreign >= 1);
	close(fd1);
	close(fd2);
	env_close(&e);
}

ROOT_TC(plaintext_under_mppe, "unencrypted IPv4 is dropped when MPPE is on; "
    "bad MPPE and bad PPP are rx_errors; IPv6 is dropped")
{
	struct env e;
	struct dp_stats st0, st;
	uint8_t f[256], in[2048];
	size_t n;
	int fd;

	env_open(&e);
	start(&e, 128, 1, 0);
	cross(&e, &e.cli, &e.srv, 3, 0);
	fd = raw_open("127.0.0.1");
	stats(&e.srv, &st0);

	put_be16(f, PPP_IP);
	n = mkip(f + 2, 64, 7) + 2;
	raw_gre(fd, SRV_ID, next_seq_to_srv(&e), f, n);
	/* PFC-compressed plaintext is no better. */
	f[1] = 0x21;
	raw_gre(fd, SRV_ID, next_seq_to_srv(&e) + 1, f + 1, n - 1);
	/* MPPE without the D bit. */
	memcpy(f, "\x00\xfd\x80\x05\x00\x21", 6);
	raw_gre(fd, SRV_ID, next_seq_to_srv(&e) + 2, f, 40);
	/* An even one-byte protocol: not a PPP header. */
	raw_gre(fd, SRV_ID, next_seq_to_srv(&e) + 3, (const uint8_t *)"\x00",
	    1);
	/* IPv6 while IPV6CP is not open. */
	memcpy(f, "\x00\x57\x60\x00", 4);
	raw_gre(fd, SRV_ID, next_seq_to_srv(&e) + 4, f, 44);
	pump(&e, 30);
	ATF_REQUIRE_EQ(tun_recv(&e.srv, in, sizeof(in)), 0);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.rx_errors - st0.rx_errors, 4);
	ATF_REQUIRE_EQ(st.rx_cleartext - st0.rx_cleartext, 2);
	ATF_REQUIRE_EQ(st.rx_dropped - st0.rx_dropped, 1);
	ATF_REQUIRE_EQ(st.rx_packets, st0.rx_packets);
	ATF_REQUIRE_EQ(st.mppe_rx.errors - st0.mppe_rx.errors, 1);
	ATF_REQUIRE_EQ(e.srv.ctrl, 0);
	close(fd);
	env_close(&e);
}

/* A forged stateless MPPE frame (PPP header on) with count c. */
static size_t
forged_mppe(uint8_t *f, unsigned int c, uint32_t salt)
{
	size_t i;

	f[0] = 0x00;
	f[1] = 0xfd;
	f[2] = (uint8_t)(0x90 | (c >> 8 & 0x0f));
	f[3] = (uint8_t)c;
	for (i = 4; i < 100; i++)
		f[i] = (uint8_t)(salt * 2654435761u >> (i % 24));
	return 100;
}

ROOT_TC(forged_mppe_interleaved, "forged MPPE packets between genuine "
    "ones, in the GRE window and far outside it, move nothing: every "
    "genuine packet crosses, no reset, no failure")
{
	struct env e;
	struct dp_stats st;
	uint8_t f[256];
	int fd, i;

	env_open(&e);
	start(&e, 128, 1, 0);
	cross(&e, &e.cli, &e.srv, 5, 0);
	fd = raw_open("127.0.0.1");
	for (i = 0; i < 2 * DP_SYNC_PKTS; i++) {
		/* In the window, with a far count (it takes a GRE number)... */
		raw_gre(fd, SRV_ID, next_seq_to_srv(&e),
		    f, forged_mppe(f, (unsigned int)(5 + 100 * i), i));
		/* ... and far outside it, where the probe refutes it. */
		raw_gre(fd, SRV_ID, next_seq_to_srv(&e) + 5000 + 977 * i,
		    f, forged_mppe(f, (unsigned int)(7 + 33 * i), ~i));
		pump(&e, 5);
		/* Spend the GRE number the forgery took. */
		ATF_REQUIRE(dp_call_send_frame(e.cli.call, lcp_echo,
		    sizeof(lcp_echo)) == 0);
		cross(&e, &e.cli, &e.srv, 1, 100 + i);
	}
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.rx_packets, 5 + 2 * DP_SYNC_PKTS);
	ATF_REQUIRE_EQ(st.mppe_rx.lost, 0);
	/*
	 * Each forgery was tried and refuted, or, once the key-change
	 * budget was spent, dropped untried.  A far one the probe could
	 * not judge is refused all the same on a stateless link, never
	 * left to GRE's agreement rule: every far one is refused.
	 */
	ATF_REQUIRE(st.mppe_rx.undecryptable > 0);
	ATF_REQUIRE_EQ(st.gre.rx_far_refused, 2 * DP_SYNC_PKTS);
	ATF_REQUIRE_EQ(st.gre.rx_out_of_window, 0);
	/* The window's forgeries, and the far ones over the budget. */
	ATF_REQUIRE(st.mppe_rx.undecryptable + st.mppe_rx.budget_dropped >=
	    2 * DP_SYNC_PKTS);
	ATF_REQUIRE(st.mppe_rx.undecryptable + st.mppe_rx.budget_dropped <=
	    4 * DP_SYNC_PKTS);
	ATF_REQUIRE_EQ(st.gre.rx_resync, 0);
	ATF_REQUIRE_EQ(st.mppe_reset_requests, 0);
	ATF_REQUIRE_EQ(e.srv.resets + e.srv.fails, 0);
	close(fd);
	env_close(&e);
}

ROOT_TC(far_genuine_followed, "after a loss longer than the GRE window, "
    "a genuine MPPE packet is verified and followed at once")
{
	struct env e;
	struct dp_stats st;
	struct ppp_link l;
	struct mppe_tx *tx;
	uint8_t f[256], in[2048];
	size_t n = 0;
	int fd, i;

	env_open(&e);
	start(&e, 128, 1, 0);
	cross(&e, &e.cli, &e.srv, 5, 0);
	/* The client's sender, 100 packets further on. */
	mklink(&l, 1, 128, 1);
	ATF_REQUIRE((tx = mppe_tx_new(l.send_key, 128, 1)) != NULL);
	for (i = 0; i < 5 + 100; i++) {
		put_be16(f + 4, PPP_IP);
		mkip(f + 6, 100, 0);
		ATF_REQUIRE(mppe_tx_encrypt(tx, f + 2, 104) == 0);
	}
	put_be16(f, PPP_COMP);
	put_be16(f + 4, PPP_IP);
	mkip(f + 6, 100, 77);
	ATF_REQUIRE(mppe_tx_encrypt(tx, f + 2, 104) == 0);
	fd = raw_open("127.0.0.1");
	raw_gre(fd, SRV_ID, next_seq_to_srv(&e) + 1000, f, 106);
	for (i = 0; i < 50 && n == 0; i++) {
		pump(&e, 5);
		n = tun_recv(&e.srv, in, sizeof(in));
	}
	ATF_REQUIRE_EQ(n, 100);
	ATF_REQUIRE_EQ(get_be32(in + 24), 77);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.gre.rx_resync, 1);
	ATF_REQUIRE_EQ(st.gre.rx_out_of_window + st.gre.rx_far_refused, 0);
	ATF_REQUIRE_EQ(st.mppe_rx.lost, 100);
	mppe_tx_free(tx);
	close(fd);
	env_close(&e);
}

/*
 * The client's sender, made outside the client's data path so that the
 * test decides which of its packets are lost on the way: both the GRE
 * number and the MPPE count of a lost one are spent, as when a flood
 * overflows a socket buffer after encryption.
 */
struct fake_cli {
	struct mppe_tx	*tx;
	unsigned int	 idx;		/* MPPE packets made */
	uint32_t	 seq0;		/* GRE number of packet 5 */
	int		 fd;
};

static void
fake_open(struct env *e, struct fake_cli *fc)
{
	struct ppp_link l;
	uint8_t f[256];

	mklink(&l, 1, 128, 1);
	ATF_REQUIRE((fc->tx = mppe_tx_new(l.send_key, 128, 1)) != NULL);
	/* The 5 packets cross() has sent already. */
	for (fc->idx = 0; fc->idx < 5; fc->idx++) {
		put_be16(f + 4, PPP_IP);
		mkip(f + 6, 100, 0);
		ATF_REQUIRE(mppe_tx_encrypt(fc->tx, f + 2, 104) == 0);
	}
	fc->seq0 = next_seq_to_srv(e);
	fc->fd = raw_open("127.0.0.1");
}

static void
fake_close(struct fake_cli *fc)
{
	mppe_tx_free(fc->tx);
	close(fc->fd);
}

/*
 * lost packets lost, then a small genuine one (a 53-byte TCP
 * retransmit) marked mark sent; 1 if it reached the server's tun.
 */
static int
fake_after_loss(struct env *e, struct fake_cli *fc, unsigned int lost,
    uint32_t mark)
{
	uint8_t f[256], in[2048];
	size_t n = 0;
	unsigned int i;
	int j;

	for (i = 0; i < lost; i++, fc->idx++) {
		put_be16(f + 4, PPP_IP);
		mkip(f + 6, 100, 0);
		ATF_REQUIRE(mppe_tx_encrypt(fc->tx, f + 2, 104) == 0);
	}
	put_be16(f, PPP_COMP);
	put_be16(f + 4, PPP_IP);
	mkip(f + 6, 53, mark);
	ATF_REQUIRE(mppe_tx_encrypt(fc->tx, f + 2, 57) == 0);
	raw_gre(fc->fd, SRV_ID, fc->seq0 + (fc->idx - 5), f, 59);
	fc->idx++;
	for (j = 0; j < 50 && n == 0; j++) {
		pump(e, 5);
		n = tun_recv(&e->srv, in, sizeof(in));
	}
	return n == 53 && get_be32(in + 24) == mark;
}

ROOT_TC(far_genuine_bursts, "a flood's burst losses of 64-200 packets, "
    "far more key changes in all than the budget holds: the packet after "
    "each burst is verified and followed at once")
{
	struct env e;
	struct fake_cli fc;
	struct dp_stats st;
	unsigned int i, lost = 0;

	env_open(&e);
	start(&e, 128, 1, 0);
	cross(&e, &e.cli, &e.srv, 5, 0);
	fake_open(&e, &fc);
	for (i = 0; i < 300; i++) {
		ATF_REQUIRE_MSG(fake_after_loss(&e, &fc, 64 + i * 37 % 137,
		    1000 + i), "burst %u", i);
		lost += 64 + i * 37 % 137;
	}
	ATF_REQUIRE(lost > 2 * MPPE_BUDGET_MAX);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.gre.rx_far_refused, 0);
	ATF_REQUIRE_EQ(st.mppe_rx.budget_dropped, 0);
	ATF_REQUIRE_EQ(st.mppe_rx.lost, lost);
	fake_close(&fc);
	env_close(&e);
}

ROOT_TC(far_genuine_past_count_wrap, "after a loss of more than the 4096 "
    "MPPE counts (a flood overflowing a socket buffer), the next genuine "
    "packet, which the GRE numbers say is that far, is verified and "
    "followed at once")
{
	struct env e;
	struct fake_cli fc;
	struct dp_stats st;

	env_open(&e);
	start(&e, 128, 1, 0);
	cross(&e, &e.cli, &e.srv, 5, 0);
	fake_open(&e, &fc);
	ATF_REQUIRE(fake_after_loss(&e, &fc, MPPE_CCOUNT_SPACE + 150, 77));
	fake_close(&fc);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.gre.rx_resync, 1);
	ATF_REQUIRE_EQ(st.gre.rx_far_refused, 0);
	ATF_REQUIRE_EQ(st.mppe_rx.lost, MPPE_CCOUNT_SPACE + 150);
	env_close(&e);
}

/* GRE_RESYNC_PKTS LCP frames that agree, far ahead of the window. */
static void
far_lcp_run(struct env *e, int bits, struct dp_stats *st)
{
	uint32_t seq;
	int fd, i;

	start(e, bits, 1, 0);
	cross(e, &e->cli, &e->srv, 3, 0);
	fd = raw_open("127.0.0.1");
	seq = next_seq_to_srv(e) + 10000;
	for (i = 0; i < GRE_RESYNC_PKTS; i++)
		raw_gre(fd, SRV_ID, seq + (uint32_t)i, lcp_echo,
		    sizeof(lcp_echo));
	pump(e, 30);
	stats(&e->srv, st);
	close(fd);
}

ROOT_TC(far_control_refused_under_mppe, "with stateless MPPE, far LCP "
    "frames never move the GRE window, however many agree")
{
	struct env e;
	struct dp_stats st;

	env_open(&e);
	far_lcp_run(&e, 128, &st);
	ATF_REQUIRE_EQ(e.srv.ctrl, 0);
	ATF_REQUIRE_EQ(st.gre.rx_far_refused, GRE_RESYNC_PKTS);
	ATF_REQUIRE_EQ(st.gre.rx_resync, 0);
	/* Not MPPE's business: its watch saw nothing. */
	ATF_REQUIRE_EQ(st.mppe_rx.undecryptable, 0);
	cross(&e, &e.cli, &e.srv, 5, 10);
	env_close(&e);
}

ROOT_TC(far_control_followed_without_mppe, "without MPPE, far LCP frames "
    "that agree are an outage: the window follows them")
{
	struct env e;
	struct dp_stats st;

	env_open(&e);
	far_lcp_run(&e, 0, &st);
	ATF_REQUIRE_EQ(e.srv.ctrl, 1);
	ATF_REQUIRE_EQ(st.gre.rx_out_of_window, GRE_RESYNC_PKTS - 1);
	ATF_REQUIRE_EQ(st.gre.rx_resync, 1);
	env_close(&e);
}

ROOT_TC(far_forgeries_do_not_count, "far forged MPPE packets on an idle "
    "link are refused and never feed the sync watch (takes 7 s)")
{
	struct env e;
	struct dp_stats st;
	uint8_t f[256];
	uint32_t seq;
	int fd, i;

	env_open(&e);
	start(&e, 128, 1, 0);
	cross(&e, &e.cli, &e.srv, 3, 0);
	fd = raw_open("127.0.0.1");
	seq = next_seq_to_srv(&e) + 5000;
	/* More than DP_SYNC_PKTS over more than DP_SYNC_RESET_MS. */
	for (i = 0; i < DP_SYNC_PKTS + 13; i++) {
		raw_gre(fd, SRV_ID, seq + 977 * (uint32_t)i, f,
		    forged_mppe(f, (unsigned int)(4 + i % 8), i));
		pump(&e, (DP_SYNC_RESET_MS + 1500) / (DP_SYNC_PKTS + 13));
	}
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.gre.rx_far_refused, DP_SYNC_PKTS + 13);
	ATF_REQUIRE_EQ(st.mppe_reset_requests, 0);
	ATF_REQUIRE_EQ(e.srv.resets + e.srv.fails, 0);
	cross(&e, &e.cli, &e.srv, 3, 10);
	close(fd);
	env_close(&e);
}

ROOT_TC(far_run_over_budget_refused, "a run of agreeing far MPPE "
    "forgeries that spends the key-change budget is still never followed")
{
	struct env e;
	struct dp_stats st;
	uint8_t f[256];
	uint32_t seq;
	int fd, i;

	env_open(&e);
	start(&e, 128, 1, 0);
	cross(&e, &e.cli, &e.srv, 3, 0);
	fd = raw_open("127.0.0.1");
	/*
	 * One stream of consecutive numbers, as an on-path spoofer who
	 * read the call ID sends it, each packet 2000 counts ahead: the
	 * first few spend the budget, the rest cannot be judged.
	 */
	seq = next_seq_to_srv(&e) + 0x40000000;
	for (i = 0; i < 40; i++)
		raw_gre(fd, SRV_ID, seq + (uint32_t)i, f,
		    forged_mppe(f, 2000u + (unsigned int)i, (uint32_t)i));
	pump(&e, 200);
	stats(&e.srv, &st);
	ATF_REQUIRE(st.mppe_rx.budget_dropped > 0);
	ATF_REQUIRE_EQ(st.gre.rx_resync, 0);
	ATF_REQUIRE_EQ(st.gre.rx_far_refused, 40);
	cross(&e, &e.cli, &e.srv, 5, 10);
	close(fd);
	env_close(&e);
}

ROOT_TC(lost_sync_fails_the_call, "when nothing decrypts for long, the "
    "call asks for a reset, then fails with a reason (takes 15 s)")
{
	struct env e;
	struct dp_stats st;
	uint8_t f[256];
	uint32_t seq;
	int fd, i;

	env_open(&e);
	start(&e, 128, 1, 0);
	cross(&e, &e.cli, &e.srv, 5, 0);
	fd = raw_open("127.0.0.1");
	seq = next_seq_to_srv(&e);
	/* Ten packets a second that do not decrypt, and nothing else. */
	for (i = 0; i < 200 && e.srv.fails == 0; i++) {
		raw_gre(fd, SRV_ID, seq++, f, forged_mppe(f,
		    (unsigned int)(5 + i), i));
		pump(&e, 100);
		if (i == 30)
			ATF_REQUIRE_EQ(e.srv.resets, 0);
	}
	ATF_REQUIRE_EQ(e.srv.fails, 1);
	ATF_REQUIRE_EQ(e.srv.resets, 1);
	ATF_REQUIRE_MATCH("^MPPE lost synchronisation: [0-9]+ packets in "
	    "1[5-9] s did not decrypt$", e.srv.why);
	ATF_REQUIRE(i >= 140);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.mppe_reset_requests, 1);
	close(fd);
	env_close(&e);
}

ROOT_TC(stateful_reset, "a stateful count gap asks for a reset; after the "
    "sender's reset the stream resumes")
{
	struct env e;
	struct dp_stats st;
	uint8_t f[256];
	uint32_t seq;
	int fd;

	env_open(&e);
	start(&e, 128, 0, 0);
	cross(&e, &e.cli, &e.srv, 10, 0);
	fd = raw_open("127.0.0.1");
	/* Counts 0..9 went; 12 skips two. */
	memcpy(f, "\x00\xfd\x10\x0c\x00\x21", 6);
	seq = next_seq_to_srv(&e);
	raw_gre(fd, SRV_ID, seq, f, 60);
	pump(&e, 30);
	ATF_REQUIRE_EQ(e.srv.resets, 1);
	/* The client's next GRE number was used by the forgery: spend it. */
	ATF_REQUIRE(dp_call_send_frame(e.cli.call, lcp_echo,
	    sizeof(lcp_echo)) == 0);
	pump(&e, 30);
	ATF_REQUIRE_EQ(e.srv.ctrl, 0);	/* a duplicate at the GRE level */

	/*
	 * Until the sender resets, everything is discarded, and each packet
	 * asks again (CCP sends one a second): the request or its answer
	 * may have been lost.
	 */
	tun_send(&e.cli, f, mkip(f, 100, 1));
	pump(&e, 30);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.rx_packets, 10);
	ATF_REQUIRE_EQ(st.mppe_rx.discarded, 2);
	ATF_REQUIRE_EQ(e.srv.resets, 2);

	/* The server's CCP hears the Reset-Request and resets its sender. */
	dp_call_mppe_reset(e.cli.call);
	cross(&e, &e.cli, &e.srv, 20, 100);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.rx_packets, 30);
	ATF_REQUIRE_EQ(st.mppe_rx.resets, 1);
	stats(&e.cli, &st);
	ATF_REQUIRE_EQ(st.mppe_tx.resets, 1);
	close(fd);
	env_close(&e);
}

ROOT_TC(oversize, "a packet larger than the peer's MRU allows is dropped and "
    "counted")
{
	struct env e;
	struct dp_stats st;
	struct ppp_link l;
	uint8_t p[2048];
	char err[ERRLEN];

	env_open(&e);
	mklink(&l, 1, 128, 1);
	l.peer_mru = 1000;
	ATF_REQUIRE_MSG(dp_call_start_data(e.cli.call, e.cli.tun[0], &l, 0,
	    err, sizeof(err)) == 0, "%s", err);
	mklink(&l, 0, 128, 1);
	ATF_REQUIRE(dp_call_start_data(e.srv.call, e.srv.tun[0], &l, 0,
	    err, sizeof(err)) == 0);
	tun_send(&e.cli, p, mkip(p, 997, 1));	/* 1000 - 4 is the most */
	tun_send(&e.cli, p, mkip(p, 996, 2));
	tun_send(&e.cli, p, mkip(p, 2000, 3));	/* beyond any slot */
	pump(&e, 30);
	stats(&e.cli, &st);
	ATF_REQUIRE_EQ(st.tx_errors, 2);
	ATF_REQUIRE_EQ(st.tx_packets, 1);
	ATF_REQUIRE_EQ(tun_recv(&e.srv, p, sizeof(p)), 996);
	ATF_REQUIRE_EQ(tun_recv(&e.srv, p, sizeof(p)), 0);

	/* IPv6 from tun (router solicitations) is not for this link. */
	memset(p, 0, 48);
	p[0] = 0x60;
	tun_send(&e.cli, p, 48);
	pump(&e, 20);
	stats(&e.cli, &st);
	ATF_REQUIRE_EQ(st.tx_dropped, 1);
	ATF_REQUIRE_EQ(st.tx_errors, 2);
	env_close(&e);
}

ROOT_TC(burst, "a burst of 4000 packets crosses loopback without loss")
{
	struct env e;
	struct dp_stats st;
	uint8_t out[2048], in[2048];
	size_t got;
	int sent = 0, recvd = 0, i, tries;

	env_open(&e);
	start(&e, 128, 1, 0);
	for (tries = 0; recvd < 4000 && tries < 2000; tries++) {
		/* Bursts of 250, the next while the last is in flight. */
		for (i = 0; i < 250 && sent < 4000 && sent - recvd < 500;
		    i++, sent++)
			tun_send(&e.cli, out, mkip(out, 1400, (uint32_t)sent));
		pump(&e, 2);
		while ((got = tun_recv(&e.srv, in, sizeof(in))) > 0) {
			ATF_REQUIRE_EQ(got, 1400);
			ATF_REQUIRE_EQ_MSG(get_be32(in + 24), (uint32_t)recvd,
			    "packet %u where %d was due", get_be32(in + 24),
			    recvd);
			recvd++;
		}
	}
	ATF_REQUIRE_EQ(recvd, 4000);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.rx_packets, 4000);
	ATF_REQUIRE_EQ(st.rx_lost, 0);
	ATF_REQUIRE_EQ(st.rx_errors, 0);
	/* Acks flowed back with no data to ride on. */
	ATF_REQUIRE(st.gre.tx_ack_only > 0);
	stats(&e.cli, &st);
	ATF_REQUIRE_EQ(st.tx_packets, 4000);
	ATF_REQUIRE_EQ(st.tx_errors, 0);
	env_close(&e);
}

ROOT_TC(tun_queue, "tun_open() gives the device a transmit queue of 2048 "
    "packets, so that a busy pptpcd does not make tun drop TCP")
{
	struct ifreq ifr;
	struct tun t;
	char err[ERRLEN];
	int s;

	test_netns_enter();
	if (access("/dev/net/tun", R_OK | W_OK) == -1)
		atf_tc_skip("no /dev/net/tun: %s", strerror(errno));
	ATF_REQUIRE_MSG(tun_open(&t, NULL, err, sizeof(err)) == 0, "%s", err);
	/* The namespace's own view; /sys still shows the host's. */
	ATF_REQUIRE((s = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", t.name);
	ATF_REQUIRE_MSG(ioctl(s, SIOCGIFTXQLEN, &ifr) == 0, "%s",
	    strerror(errno));
	ATF_REQUIRE_EQ(ifr.ifr_qlen, 2048);
	close(s);
	tun_close(&t);
}

ROOT_TC(free_in_callback, "dp_call_free() from ctrl_frame is safe, in one "
    "batch and while gre_call drains its reorder buffer")
{
	struct env e;
	struct datapath_stats before, after;
	int fd, i;

	env_open(&e);
	e.srv.free_in_ctrl = 1;
	/* Three frames in one read batch; the first frees the call. */
	for (i = 0; i < 3; i++)
		ATF_REQUIRE(dp_call_send_frame(e.cli.call, lcp_echo,
		    sizeof(lcp_echo)) == 0);
	datapath_get_stats(e.srv.dp, &before);
	pump(&e, 30);
	ATF_REQUIRE_EQ(e.srv.ctrl, 1);
	ATF_REQUIRE(e.srv.call == NULL);
	datapath_get_stats(e.srv.dp, &after);
	/* The two that came after the free. */
	ATF_REQUIRE_EQ(after.rx_unknown - before.rx_unknown, 2);

	/* Again, freed from a frame that releases a held one behind it. */
	side_close(&e.srv);
	side_open(&e, &e.srv, SRV_ID, CLI_ID);
	fd = raw_open("127.0.0.1");
	raw_gre(fd, SRV_ID, 100, lcp_echo, sizeof(lcp_echo));
	pump(&e, 20);
	e.srv.free_in_ctrl = 1;
	raw_gre(fd, SRV_ID, 102, lcp_echo, sizeof(lcp_echo));	/* held */
	raw_gre(fd, SRV_ID, 101, lcp_echo, sizeof(lcp_echo));
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 2);
	ATF_REQUIRE(e.srv.call == NULL);
	/* And from the reorder timer: 105 waits for 104, which never comes. */
	side_close(&e.srv);
	side_open(&e, &e.srv, SRV_ID, CLI_ID);
	raw_gre(fd, SRV_ID, 103, lcp_echo, sizeof(lcp_echo));
	pump(&e, 20);
	e.srv.free_in_ctrl = 1;
	raw_gre(fd, SRV_ID, 105, lcp_echo, sizeof(lcp_echo));
	raw_gre(fd, SRV_ID, 106, lcp_echo, sizeof(lcp_echo));
	pump(&e, GRE_REORDER_WAIT_DEF + 50);
	ATF_REQUIRE_EQ(e.srv.ctrl, 2);
	ATF_REQUIRE(e.srv.call == NULL);
	close(fd);
	env_close(&e);
}

ROOT_TC(call_errors, "dp_call_new and dp_call_start_data refuse bad input "
    "with a message")
{
	struct env e;
	struct dp_call_config cfg;
	struct ppp_link l;
	char err[ERRLEN];

	env_open(&e);
	memset(&cfg, 0, sizeof(cfg));
	cfg.tag = "dup";
	cfg.peer = A("127.0.0.1");
	gre_call_config_default(&cfg.gre);
	cfg.gre.our_call_id = SRV_ID;
	ATF_REQUIRE(dp_call_new(e.srv.dp, &cfg, &ops, NULL, err,
	    sizeof(err)) == NULL);
	ATF_REQUIRE_MATCH("already registered", err);
	cfg.gre.our_call_id = 7;
	cfg.gre.reorder_slots = GRE_REORDER_SLOTS_MAX + 1;
	ATF_REQUIRE(dp_call_new(e.srv.dp, &cfg, &ops, NULL, err,
	    sizeof(err)) == NULL);
	ATF_REQUIRE_MATCH("bad configuration", err);
	cfg.peer.s_addr = 0;
	ATF_REQUIRE(dp_call_new(e.srv.dp, &cfg, &ops, NULL, err,
	    sizeof(err)) == NULL);
	ATF_REQUIRE_MATCH("no peer", err);

	mklink(&l, 1, 128, 1);
	l.have_keys = 0;
	ATF_REQUIRE(dp_call_start_data(e.cli.call, e.cli.tun[0], &l, 0, err,
	    sizeof(err)) == -1);
	ATF_REQUIRE_MATCH("MPPE: no keys", err);
	l.have_keys = 1;
	l.mppe_keybits = 64;
	ATF_REQUIRE(dp_call_start_data(e.cli.call, e.cli.tun[0], &l, 0, err,
	    sizeof(err)) == -1);
	ATF_REQUIRE_MATCH("key length", err);
	ATF_REQUIRE(dp_call_start_data(e.cli.call, -1, &l, 0, err,
	    sizeof(err)) == -1);
	/* After the failures it still starts cleanly. */
	l.mppe_keybits = 128;
	ATF_REQUIRE_MSG(dp_call_start_data(e.cli.call, e.cli.tun[0], &l, 0,
	    err, sizeof(err)) == 0, "%s", err);
	env_close(&e);
}

ROOT_TC(tun_gone, "a tun read error stops the data path and calls failed "
    "once")
{
	struct env e;
	struct ppp_link l;
	char err[ERRLEN];
	int fd;

	env_open(&e);
	/* An unconnected TCP socket: readable (hung up), reads fail. */
	ATF_REQUIRE((fd = socket(AF_INET, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE(dup2(fd, e.cli.tun[0]) == e.cli.tun[0]);
	close(fd);
	mklink(&l, 1, 0, 0);
	ATF_REQUIRE_MSG(dp_call_start_data(e.cli.call, e.cli.tun[0], &l, 0,
	    err, sizeof(err)) == 0, "%s", err);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.cli.fails, 1);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.cli.fails, 1);
	/* Stopped: it can start again (on a working fd). */
	dp_call_stop_data(e.cli.call);
	env_close(&e);
}

/* ---- GRE before its call (dp_expect) ---- */

/* The server side without its call yet, expecting it. */
static void
early_open(struct env *e)
{
	env_open(e);
	dp_call_free(e->srv.call);
	e->srv.call = NULL;
	ATF_REQUIRE(dp_expect(e->srv.dp, A("127.0.0.1"), SRV_ID) == 0);
}

/* An LCP Echo-Request from the client, told apart by its identifier. */
static void
early_send(struct env *e, uint8_t id)
{
	uint8_t f[sizeof(lcp_echo)];

	memcpy(f, lcp_echo, sizeof(f));
	f[5] = id;
	ATF_REQUIRE(dp_call_send_frame(e->cli.call, f, sizeof(f)) == 0);
}

ROOT_TC(early_gre_delivered, "GRE that comes before dp_call_new() for an "
    "expected call is held and delivered from the loop after it, in order")
{
	struct env e;
	struct datapath_stats ds;
	struct dp_stats st;

	early_open(&e);
	early_send(&e, 1);
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held, 1);
	ATF_REQUIRE_EQ(ds.rx_unknown, 0);
	side_call(&e.srv, SRV_ID, CLI_ID);
	/* Not from inside dp_call_new(): the caller's PPP is not made yet. */
	ATF_REQUIRE_EQ(e.srv.ctrl, 0);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 1);
	ATF_REQUIRE_EQ(e.srv.last_len, sizeof(lcp_echo));
	ATF_REQUIRE_EQ(e.srv.last[5], 1);
	early_send(&e, 2);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 2);
	ATF_REQUIRE_EQ(e.srv.last[5], 2);

	/*
	 * Again, with newer GRE racing the hold's timer: the socket may be
	 * read before the timer runs, and the held packet must still go
	 * first (gre_call starts at the first sequence number it sees).
	 */
	side_close(&e.srv);
	side_open(&e, &e.srv, SRV_ID, CLI_ID);
	dp_call_free(e.srv.call);
	e.srv.call = NULL;
	ATF_REQUIRE(dp_expect(e.srv.dp, A("127.0.0.1"), SRV_ID) == 0);
	early_send(&e, 3);
	pump(&e, 20);
	side_call(&e.srv, SRV_ID, CLI_ID);
	early_send(&e, 4);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 2);
	ATF_REQUIRE_EQ(e.srv.last[5], 4);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.gre.rx_packets, 2);
	ATF_REQUIRE_EQ(st.gre.rx_late, 0);
	ATF_REQUIRE_EQ(st.gre.rx_lost, 0);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held, 1);
	ATF_REQUIRE_EQ(ds.rx_held_dropped, 0);
	/* The expectation ended with the call: nothing more is held. */
	dp_call_free(e.srv.call);
	e.srv.call = NULL;
	early_send(&e, 5);
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held, 1);
	ATF_REQUIRE_EQ(ds.rx_unknown, 1);
	env_close(&e);
}

ROOT_TC(early_gre_bounded, "the hold keeps the newest DP_HOLD_PKTS packets")
{
	struct env e;
	struct datapath_stats ds;
	struct dp_stats st;
	int i;

	early_open(&e);
	for (i = 1; i <= DP_HOLD_PKTS + 4; i++)
		early_send(&e, (uint8_t)i);
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held, DP_HOLD_PKTS + 4);
	ATF_REQUIRE_EQ(ds.rx_held_dropped, 4);
	side_call(&e.srv, SRV_ID, CLI_ID);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, DP_HOLD_PKTS);
	ATF_REQUIRE_EQ(e.srv.last[5], DP_HOLD_PKTS + 4);
	stats(&e.srv, &st);
	/* The newest, in order, from where they start. */
	ATF_REQUIRE_EQ(st.gre.rx_packets, DP_HOLD_PKTS);
	ATF_REQUIRE_EQ(st.gre.rx_lost, 0);
	ATF_REQUIRE_EQ(st.gre.rx_late, 0);
	env_close(&e);
}

ROOT_TC(early_gre_expires, "a packet held longer than DP_HOLD_MS is "
    "dropped, not delivered")
{
	struct env e;
	struct datapath_stats ds;

	early_open(&e);
	early_send(&e, 1);
	pump(&e, DP_HOLD_MS + 200);
	side_call(&e.srv, SRV_ID, CLI_ID);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 0);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held, 1);
	ATF_REQUIRE_EQ(ds.rx_held_dropped, 1);
	/* The call itself works. */
	early_send(&e, 2);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 1);
	ATF_REQUIRE_EQ(e.srv.last[5], 2);

	/* An old packet also gives way to a new one for another call. */
	ATF_REQUIRE(dp_expect(e.srv.dp, A("127.0.0.1"), SRV_ID + 1) == 0);
	dp_call_free(e.cli.call);
	side_call(&e.cli, CLI_ID, SRV_ID + 1);
	early_send(&e, 3);
	pump(&e, DP_HOLD_MS + 200);
	early_send(&e, 4);
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held, 3);
	ATF_REQUIRE_EQ(ds.rx_held_dropped, 2);
	env_close(&e);
}

/* dp_expect_take()'s frames, as a kernel engine's tunnel gets them. */
struct taken {
	unsigned int	 n;
	uint8_t		 ids[DP_HOLD_PKTS];
	size_t		 len;
};

static void
take_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct taken *tk = arg;

	ATF_REQUIRE(tk->n < DP_HOLD_PKTS);
	ATF_REQUIRE(len == sizeof(lcp_echo));
	ATF_REQUIRE(memcmp(frame, lcp_echo, 5) == 0);
	tk->ids[tk->n++] = frame[5];
	tk->len = len;
}

ROOT_TC(early_gre_taken, "another engine takes what is held for its call: "
    "the PPP frames without GRE, oldest first, acknowledgement-only and "
    "other calls' packets left out, and nothing is held after it")
{
	struct env e;
	struct datapath_stats ds;
	struct taken tk;
	struct gre_hdr h;
	uint8_t ack[GRE_HDR_MAX];
	size_t hl;
	int fd;

	early_open(&e);
	ATF_REQUIRE(dp_expect(e.srv.dp, A("127.0.0.1"), SRV_ID + 1) == 0);
	fd = raw_open("127.0.0.1");
	raw_gre(fd, SRV_ID, 7, lcp_echo, sizeof(lcp_echo));
	early_send(&e, 2);
	memset(&h, 0, sizeof(h));
	h.call_id = SRV_ID;
	h.has_ack = 1;
	h.ack = 1;
	ATF_REQUIRE((hl = gre_encode_hdr(ack, sizeof(ack), &h)) > 0);
	raw_send(fd, ack, hl);
	raw_gre(fd, SRV_ID + 1, 1, lcp_echo, sizeof(lcp_echo));
	early_send(&e, 3);
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held, 5);

	memset(&tk, 0, sizeof(tk));
	ATF_REQUIRE_EQ(dp_expect_take(e.srv.dp, A("127.0.0.1"), SRV_ID,
	    take_frame, &tk), 3);
	ATF_REQUIRE_EQ(tk.n, 3);
	ATF_REQUIRE_EQ(tk.ids[0], 0x07);	/* lcp_echo's own */
	ATF_REQUIRE_EQ(tk.ids[1], 2);
	ATF_REQUIRE_EQ(tk.ids[2], 3);
	/* Taken, not dropped; the other call's packet stays held. */
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held_dropped, 0);
	memset(&tk, 0, sizeof(tk));
	ATF_REQUIRE_EQ(dp_expect_take(e.srv.dp, A("127.0.0.1"), SRV_ID,
	    take_frame, &tk), 0);

	/* The expectation is gone: later GRE for the call is not held. */
	early_send(&e, 4);
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held, 5);
	ATF_REQUIRE_EQ(ds.rx_unknown, 1);
	ATF_REQUIRE_EQ(dp_expect_take(e.srv.dp, A("127.0.0.1"), SRV_ID + 1,
	    take_frame, &tk), 1);
	ATF_REQUIRE_EQ(tk.n, 1);

	/* Too old to be of use: dropped, not handed over. */
	ATF_REQUIRE(dp_expect(e.srv.dp, A("127.0.0.1"), SRV_ID) == 0);
	early_send(&e, 5);
	pump(&e, DP_HOLD_MS + 200);
	memset(&tk, 0, sizeof(tk));
	ATF_REQUIRE_EQ(dp_expect_take(e.srv.dp, A("127.0.0.1"), SRV_ID,
	    take_frame, &tk), 0);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held_dropped, 1);
	close(fd);
	env_close(&e);
}

ROOT_TC(early_gre_unexpected, "GRE from an address or for a call ID nobody "
    "expects is dropped at once; a cancelled expectation holds nothing")
{
	struct env e;
	struct datapath_stats ds;
	int fd1, fd2;

	early_open(&e);
	fd1 = raw_open("127.0.0.1");
	fd2 = raw_open("127.0.0.2");
	raw_gre(fd2, SRV_ID, 1, lcp_echo, sizeof(lcp_echo));
	raw_gre(fd1, SRV_ID + 1, 1, lcp_echo, sizeof(lcp_echo));
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held, 0);
	ATF_REQUIRE_EQ(ds.rx_unknown, 2);

	/* Cancelled: what was held goes, and nothing more is held. */
	raw_gre(fd1, SRV_ID, 1, lcp_echo, sizeof(lcp_echo));
	pump(&e, 20);
	dp_expect_cancel(e.srv.dp, A("127.0.0.1"), SRV_ID);
	raw_gre(fd1, SRV_ID, 2, lcp_echo, sizeof(lcp_echo));
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held, 1);
	ATF_REQUIRE_EQ(ds.rx_held_dropped, 1);
	ATF_REQUIRE_EQ(ds.rx_unknown, 3);
	side_call(&e.srv, SRV_ID, CLI_ID);
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 0);

	ATF_REQUIRE(dp_expect(e.srv.dp, A("0.0.0.0"), SRV_ID) == -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	close(fd1);
	close(fd2);
	env_close(&e);
}

ROOT_TC(early_gre_call_freed, "held packets of a call freed before they are "
    "handed over, or while they are, are dropped safely")
{
	struct env e;
	struct datapath_stats ds;

	early_open(&e);
	early_send(&e, 1);
	pump(&e, 20);
	side_call(&e.srv, SRV_ID, CLI_ID);
	dp_call_free(e.srv.call);
	e.srv.call = NULL;
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held_dropped, 1);
	ATF_REQUIRE_EQ(e.srv.ctrl, 0);

	/* Freed from ctrl_frame by the first of three held packets. */
	ATF_REQUIRE(dp_expect(e.srv.dp, A("127.0.0.1"), SRV_ID) == 0);
	early_send(&e, 2);
	early_send(&e, 3);
	early_send(&e, 4);
	pump(&e, 20);
	side_call(&e.srv, SRV_ID, CLI_ID);
	e.srv.free_in_ctrl = 1;
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 1);
	ATF_REQUIRE_EQ(e.srv.last[5], 2);
	ATF_REQUIRE(e.srv.call == NULL);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held, 4);
	ATF_REQUIRE_EQ(ds.rx_held_dropped, 3);
	env_close(&e);
}

ROOT_TC(read_idle_off, "with datapath_read_idle(dp, 0) the socket is not "
    "read while no call is registered or expected; what came meanwhile is "
    "discarded when reading resumes and never reaches a new call")
{
	struct env e;
	struct datapath_stats ds;
	int fd1;

	early_open(&e);
	datapath_read_idle(e.srv.dp, 0);
	fd1 = raw_open("127.0.0.1");
	/* Expected: read (and held) as before. */
	raw_gre(fd1, SRV_ID, 1, lcp_echo, sizeof(lcp_echo));
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held, 1);
	ATF_REQUIRE_EQ(ds.rx_idle, 0);
	/* Nothing registered or expected: unread. */
	dp_expect_cancel(e.srv.dp, A("127.0.0.1"), SRV_ID);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_held_dropped, 1);
	raw_gre(fd1, SRV_ID, 2, lcp_echo, sizeof(lcp_echo));
	raw_gre(fd1, SRV_ID + 1, 1, lcp_echo, sizeof(lcp_echo));
	raw_gre(fd1, SRV_ID, 3, lcp_echo, sizeof(lcp_echo));
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	{
		uint64_t rxp = ds.rx_packets;
		ATF_REQUIRE_EQ(ds.rx_unknown, 0);
		/* The call comes: the three stale packets go unread. */
		side_call(&e.srv, SRV_ID, CLI_ID);
		pump(&e, 20);
		ATF_REQUIRE_EQ(e.srv.ctrl, 0);
		datapath_get_stats(e.srv.dp, &ds);
		ATF_REQUIRE_EQ(ds.rx_idle, 3);
		ATF_REQUIRE_EQ(ds.rx_packets, rxp);
	}
	/* Registered: read as usual. */
	raw_gre(fd1, SRV_ID, 10, lcp_echo, sizeof(lcp_echo));
	pump(&e, 20);
	ATF_REQUIRE_EQ(e.srv.ctrl, 1);
	/* Gone: unread again, and reading back on (the default) drains. */
	dp_call_free(e.srv.call);
	e.srv.call = NULL;
	raw_gre(fd1, SRV_ID, 11, lcp_echo, sizeof(lcp_echo));
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_unknown, 0);
	datapath_read_idle(e.srv.dp, 1);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_idle, 4);
	raw_gre(fd1, SRV_ID, 12, lcp_echo, sizeof(lcp_echo));
	pump(&e, 20);
	datapath_get_stats(e.srv.dp, &ds);
	ATF_REQUIRE_EQ(ds.rx_unknown, 1);
	close(fd1);
	env_close(&e);
}

/* ---- IPv6 (0x0057, once IPv6CP is up) ---- */

/* An IPv6/UDP packet of len bytes (at least 48) whose payload says n. */
static size_t
mkip6(uint8_t *p, size_t len, uint32_t n)
{
	size_t i;

	memset(p, 0, 48);
	p[0] = 0x60;
	put_be16(p + 4, (uint16_t)(len - 40));
	p[6] = 17;
	p[7] = 64;
	inet_pton(AF_INET6, "2001:db8::1", p + 8);
	inet_pton(AF_INET6, "2001:db8::2", p + 24);
	put_be32(p + 44, n);
	for (i = 48; i < len; i++)
		p[i] = (uint8_t)(n ^ i);
	return len;
}

static void
start6(struct env *e, int bits, int cli6, int srv6, uint16_t mss)
{
	struct ppp_link l;
	char err[ERRLEN];

	mklink(&l, 1, bits, 1);
	l.ipv6 = cli6;
	ATF_REQUIRE_MSG(dp_call_start_data(e->cli.call, e->cli.tun[0], &l,
	    mss, err, sizeof(err)) == 0, "%s", err);
	mklink(&l, 0, bits, 1);
	l.ipv6 = srv6;
	ATF_REQUIRE_MSG(dp_call_start_data(e->srv.call, e->srv.tun[0], &l,
	    mss, err, sizeof(err)) == 0, "%s", err);
}

/* IPv6 packets from one tun come out of the other, in order, intact. */
static void
cross6(struct env *e, struct side *from, struct side *to, int count,
    uint32_t base)
{
	uint8_t out[2048], in[2048];
	size_t len, got;
	int i, recvd = 0, tries;

	for (i = 0; i < count; i++) {
		len = mkip6(out, 48 + (size_t)(i * 89) % 1352, base + i);
		tun_send(from, out, len);
	}
	for (tries = 0; recvd < count && tries < 400; tries++) {
		pump(e, 5);
		while ((got = tun_recv(to, in, sizeof(in))) > 0) {
			len = mkip6(out, 48 + (size_t)(recvd * 89) % 1352,
			    base + recvd);
			ATF_REQUIRE_EQ_MSG(got, len, "packet %d: %zu bytes, "
			    "want %zu", recvd, got, len);
			ATF_REQUIRE_MSG(memcmp(in, out, len) == 0,
			    "packet %d differs", recvd);
			recvd++;
		}
	}
	ATF_REQUIRE_EQ_MSG(recvd, count, "%d of %d IPv6 packets crossed",
	    recvd, count);
}

static void
ipv6_both_ways(int bits)
{
	struct env e;
	struct dp_stats st;

	env_open(&e);
	start6(&e, bits, 1, 1, 0);
	cross6(&e, &e.cli, &e.srv, 200, 0);
	cross6(&e, &e.srv, &e.cli, 200, 5000);
	/* IPv4 beside it, unchanged. */
	cross(&e, &e.cli, &e.srv, 50, 9000);
	stats(&e.cli, &st);
	ATF_REQUIRE_EQ(st.tx_packets, 250);
	ATF_REQUIRE_EQ(st.rx_packets, 200);
	ATF_REQUIRE_EQ(st.tx_dropped, 0);
	ATF_REQUIRE_EQ(st.rx_errors, 0);
	ATF_REQUIRE_EQ(st.mppe_tx.packets, bits ? 250 : 0);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.rx_packets, 250);
	ATF_REQUIRE_EQ(st.rx_errors, 0);
	ATF_REQUIRE_EQ(st.rx_dropped, 0);
	ATF_REQUIRE_EQ(e.cli.ctrl + e.srv.ctrl, 0);
	ATF_REQUIRE_EQ(e.cli.resets + e.srv.resets, 0);
	env_close(&e);
}

ROOT_TC(ipv6_mppe128, "IPv6 (0x0057) crosses both ways under 128-bit "
    "MPPE once IPv6CP is up, bytes intact, IPv4 beside it")
{
	ipv6_both_ways(128);
}

ROOT_TC(ipv6_plain, "IPv6 crosses as plain 0x0057 on a link without MPPE")
{
	ipv6_both_ways(0);
}

ROOT_TC(ipv6_mss_clamp, "an IPv6 TCP SYN's MSS is clamped both ways, to "
    "the IPv4 clamp less IPv6's 20 extra header bytes")
{
	struct env e;
	uint8_t syn[64], in[2048];
	size_t n = 0;
	int i;

	env_open(&e);
	start6(&e, 128, 1, 1, 1300);
	memset(syn, 0, sizeof(syn));
	syn[0] = 0x60;
	put_be16(syn + 4, 24);
	syn[6] = 6;
	syn[7] = 64;
	inet_pton(AF_INET6, "2001:db8::1", syn + 8);
	inet_pton(AF_INET6, "2001:db8::2", syn + 24);
	put_be16(syn + 40, 40000);
	put_be16(syn + 42, 80);
	syn[52] = 6 << 4;		/* data offset: 24 bytes */
	syn[53] = 0x02;			/* SYN */
	put_be16(syn + 54, 65535);
	memcpy(syn + 60, "\x02\x04\x05\xa0", 4);	/* MSS 1440 */
	tun_send(&e.cli, syn, sizeof(syn));
	for (i = 0; i < 50 && n == 0; i++) {
		pump(&e, 5);
		n = tun_recv(&e.srv, in, sizeof(in));
	}
	ATF_REQUIRE_EQ(n, sizeof(syn));
	ATF_REQUIRE_EQ(get_be16(in + 62), 1280);
	/* The incremental checksum moved by exactly the difference. */
	ATF_REQUIRE_EQ((uint16_t)~get_be16(in + 56),
	    (uint16_t)(1280 - 1440 + 0xffff));
	tun_send(&e.srv, syn, sizeof(syn));
	for (i = 0, n = 0; i < 50 && n == 0; i++) {
		pump(&e, 5);
		n = tun_recv(&e.cli, in, sizeof(in));
	}
	ATF_REQUIRE_EQ(n, sizeof(syn));
	ATF_REQUIRE_EQ(get_be16(in + 62), 1280);
	env_close(&e);
}

ROOT_TC(ipv6_without_ipv6cp, "without IPv6CP, IPv6 from tun is not sent "
    "and IPv6 from the peer never reaches tun")
{
	struct env e;
	struct dp_stats st;
	uint8_t out[2048], in[2048];
	size_t len;
	int i;

	env_open(&e);
	/* The server side runs IPv6; the client did not open IPv6CP. */
	start6(&e, 128, 0, 1, 0);
	for (i = 0; i < 5; i++) {
		len = mkip6(out, 100, (uint32_t)i);
		tun_send(&e.cli, out, len);
		tun_send(&e.srv, out, len);
	}
	pump(&e, 50);
	ATF_REQUIRE_EQ(tun_recv(&e.srv, in, sizeof(in)), 0);
	ATF_REQUIRE_EQ(tun_recv(&e.cli, in, sizeof(in)), 0);
	stats(&e.cli, &st);
	ATF_REQUIRE_EQ(st.tx_dropped, 5);
	ATF_REQUIRE_EQ(st.tx_packets, 0);
	ATF_REQUIRE_EQ(st.rx_packets, 0);
	ATF_REQUIRE_EQ(st.rx_dropped, 5);
	/* IPv4 still goes. */
	cross(&e, &e.cli, &e.srv, 10, 0);
	env_close(&e);
}

ROOT_TC(ipv6_cleartext_dropped, "unencrypted IPv6 on an MPPE link is "
    "dropped and counted, never delivered")
{
	struct env e;
	struct dp_stats st;
	uint8_t f[2048], in[2048];
	size_t n;

	env_open(&e);
	start6(&e, 128, 1, 1, 0);
	put_be16(f, PPP_IPV6);
	n = mkip6(f + 2, 100, 7) + 2;
	/* Past the data path's encryption: as a spoofer would send it. */
	ATF_REQUIRE(dp_call_send_frame(e.cli.call, f, n) == 0);
	pump(&e, 50);
	ATF_REQUIRE_EQ(tun_recv(&e.srv, in, sizeof(in)), 0);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.rx_cleartext, 1);
	ATF_REQUIRE_EQ(st.rx_packets, 0);
	env_close(&e);
	/* A truncated IPv6 header inside 0x0057 on a plain link: refused. */
	env_open(&e);
	start6(&e, 0, 1, 1, 0);
	put_be16(f, PPP_IPV6);
	n = mkip6(f + 2, 100, 8) + 2;
	ATF_REQUIRE(dp_call_send_frame(e.cli.call, f, 2 + 39) == 0);
	pump(&e, 50);
	ATF_REQUIRE_EQ(tun_recv(&e.srv, in, sizeof(in)), 0);
	stats(&e.srv, &st);
	ATF_REQUIRE_EQ(st.rx_errors, 1);
	ATF_REQUIRE(dp_call_send_frame(e.cli.call, f, n) == 0);
	pump(&e, 50);
	ATF_REQUIRE_EQ(tun_recv(&e.srv, in, sizeof(in)), n - 2);
	env_close(&e);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ipv6_mppe128);
	ATF_TP_ADD_TC(tp, ipv6_plain);
	ATF_TP_ADD_TC(tp, ipv6_without_ipv6cp);
	ATF_TP_ADD_TC(tp, ipv6_mss_clamp);
	ATF_TP_ADD_TC(tp, ipv6_cleartext_dropped);
	log_init(1, 0);
	ATF_TP_ADD_TC(tp, control_before_start);
	ATF_TP_ADD_TC(tp, mppe128_stateless);
	ATF_TP_ADD_TC(tp, mppe40_stateless);
	ATF_TP_ADD_TC(tp, mppe56_stateful_compressed);
	ATF_TP_ADD_TC(tp, mppe128_stateful);
	ATF_TP_ADD_TC(tp, no_mppe);
	ATF_TP_ADD_TC(tp, mss_clamp);
	ATF_TP_ADD_TC(tp, wrong_call_or_address);
	ATF_TP_ADD_TC(tp, plaintext_under_mppe);
	ATF_TP_ADD_TC(tp, forged_mppe_interleaved);
	ATF_TP_ADD_TC(tp, far_genuine_followed);
	ATF_TP_ADD_TC(tp, far_genuine_bursts);
	ATF_TP_ADD_TC(tp, far_genuine_past_count_wrap);
	ATF_TP_ADD_TC(tp, far_control_refused_under_mppe);
	ATF_TP_ADD_TC(tp, far_run_over_budget_refused);
	ATF_TP_ADD_TC(tp, far_control_followed_without_mppe);
	ATF_TP_ADD_TC(tp, far_forgeries_do_not_count);
	ATF_TP_ADD_TC(tp, lost_sync_fails_the_call);
	ATF_TP_ADD_TC(tp, stateful_reset);
	ATF_TP_ADD_TC(tp, oversize);
	ATF_TP_ADD_TC(tp, burst);
	ATF_TP_ADD_TC(tp, tun_queue);
	ATF_TP_ADD_TC(tp, free_in_callback);
	ATF_TP_ADD_TC(tp, call_errors);
	ATF_TP_ADD_TC(tp, tun_gone);
	ATF_TP_ADD_TC(tp, early_gre_delivered);
	ATF_TP_ADD_TC(tp, early_gre_bounded);
	ATF_TP_ADD_TC(tp, early_gre_expires);
	ATF_TP_ADD_TC(tp, early_gre_taken);
	ATF_TP_ADD_TC(tp, early_gre_unexpected);
	ATF_TP_ADD_TC(tp, early_gre_call_freed);
	ATF_TP_ADD_TC(tp, read_idle_off);
	return atf_no_error();
}
