/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The userspace engine with a real tun and its offloads on (tso.h,
 * doc/datapath.md §9), in a network namespace of its own: a TCP
 * connection of the kernel's goes out through the client's tun, MPPE
 * and GRE over loopback, and reaches the test, which plays the far host
 * on the server's end (a socketpair, as in t_datapath-linux).  What the
 * kernel hands the engine as super-packets must leave as valid segments
 * no larger than the link, in order; and segments the test sends back
 * in one burst must reach the client's socket intact, joined into fewer
 * writes than there were segments.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "datapath.h"
#include "gre_call.h"
#include "log.h"
#include "netns.h"
#include "ppp.h"
#include "timer.h"
#include "timer_event.h"
#include "tun.h"

#define ERRLEN		256
#define CLI_ID		0x1111
#define SRV_ID		0x2222
#define MTU		1396
#define MSS		(MTU - 40)
#define PORT		7000
#define SRV_ISN		0x7ffff000u	/* wraps during the test */
#define CLI_ADDR	"192.0.2.10"
#define SRV_ADDR	"192.0.2.1"

struct side {
	struct datapath	*dp;
	struct dp_call	*call;
	int		 fails;
};

static struct in_addr
A(const char *s)
{
	struct in_addr a;

	ATF_REQUIRE(inet_pton(AF_INET, s, &a) == 1);
	return a;
}

static void
cb_ctrl(void *arg, const uint8_t *frame, size_t len)
{
	(void)arg;
	(void)frame;
	(void)len;
}

static void
cb_reset(void *arg)
{
	(void)arg;
}

static void
cb_failed(void *arg, const char *why)
{
	struct side *s = arg;

	(void)why;
	s->fails++;
}

static const struct dp_call_ops ops = { cb_ctrl, cb_reset, cb_failed };

static void
side_open(struct event_base *eb, struct timer_base *tb, struct side *s,
    uint16_t ours, uint16_t theirs)
{
	struct dp_call_config cfg;
	char err[ERRLEN];

	memset(s, 0, sizeof(*s));
	s->dp = datapath_new(eb, tb, err, sizeof(err));
	ATF_REQUIRE_MSG(s->dp != NULL, "%s", err);
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
start(struct side *s, int fd, int is_cli)
{
	struct ppp_link l;
	uint8_t k1[16], k2[16];
	char err[ERRLEN];
	int i;

	for (i = 0; i < 16; i++) {
		k1[i] = (uint8_t)(0x11 * i + 1);
		k2[i] = (uint8_t)(0x5a ^ (7 * i));
	}
	memset(&l, 0, sizeof(l));
	l.mru = l.peer_mru = 1500;
	l.mppe = 1;
	l.mppe_keybits = 128;
	l.mppe_stateless = 1;
	l.have_keys = 1;
	memcpy(l.send_key, is_cli ? k1 : k2, 16);
	memcpy(l.recv_key, is_cli ? k2 : k1, 16);
	ATF_REQUIRE_MSG(dp_call_start_data(s->call, fd, &l, 0, err,
	    sizeof(err)) == 0, "%s", err);
}

static void
pump(struct event_base *eb, int ms)
{
	struct timeval tv;

	tv.tv_sec = 0;
	tv.tv_usec = ms * 1000;
	event_base_loopexit(eb, &tv);
	event_base_dispatch(eb);
}

/* ---- a plain RFC 1071 checksum, 16 bits at a time ---- */

static uint32_t
sum16(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += get_be16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static uint32_t
pseudo(const uint8_t *ip, size_t len)
{
	return sum16(0, ip + 12, 8) + 6 + (uint32_t)(len - 20);
}

static int
valid(const uint8_t *ip, size_t len)
{
	return len >= 40 && ip[0] == 0x45 && get_be16(ip + 2) == len &&
	    fold(sum16(0, ip, 20)) == 0xffff &&
	    fold(sum16(pseudo(ip, len), ip + 20, len - 20)) == 0xffff;
}

static uint8_t
pattern(uint32_t off)
{
	return (uint8_t)(off * 31 + (off >> 9));
}

/* A segment from the far host to the client, checksums set. */
static size_t
mkseg(uint8_t *p, uint16_t cport, uint16_t id, uint32_t seq, uint32_t ack,
    uint8_t flags, uint32_t data_off, size_t dlen, int mss_opt)
{
	size_t thl = mss_opt ? 24 : 20, len = 20 + thl + dlen, i;
	uint8_t *th = p + 20;

	memset(p, 0, 20 + thl);
	p[0] = 0x45;
	put_be16(p + 2, (uint16_t)len);
	put_be16(p + 4, id);
	p[6] = 0x40;
	p[8] = 64;
	p[9] = 6;
	put_be32(p + 12, ntohl(A(SRV_ADDR).s_addr));
	put_be32(p + 16, ntohl(A(CLI_ADDR).s_addr));
	put_be16(p + 10, (uint16_t)~fold(sum16(0, p, 20)));
	put_be16(th, PORT);
	put_be16(th + 2, cport);
	put_be32(th + 4, seq);
	put_be32(th + 8, ack);
	th[12] = (uint8_t)((thl / 4) << 4);
	th[13] = flags;
	put_be16(th + 14, 65535);
	if (mss_opt) {
		th[20] = 2;
		th[21] = 4;
		put_be16(th + 22, MSS);
	}
	for (i = 0; i < dlen; i++)
		p[20 + thl + i] = pattern(data_off + (uint32_t)i);
	put_be16(th + 16, (uint16_t)~fold(sum16(pseudo(p, len), th,
	    len - 20)));
	return len;
}

/*
 * Packets the kernel sent to tun (each read, a super-packet counting
 * one) and got from it (each write), from /proc/net/dev: the
 * namespace's own view, where /sys still shows the host's.
 */
static void
ifstats(const char *name, uint32_t *tx, uint32_t *rx)
{
	char line[512], *p;
	unsigned long long v[10];
	size_t nl = strlen(name);
	FILE *fp;

	*tx = *rx = 0;
	ATF_REQUIRE((fp = fopen("/proc/net/dev", "r")) != NULL);
	while (fgets(line, sizeof(line), fp) != NULL) {
		for (p = line; *p == ' '; p++)
			;
		if (strncmp(p, name, nl) != 0 || p[nl] != ':')
			continue;
		ATF_REQUIRE(sscanf(p + nl + 1, "%llu %llu %llu %llu %llu %llu "
		    "%llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
		    &v[5], &v[6], &v[7], &v[8], &v[9]) == 10);
		*rx = (uint32_t)v[1];
		*tx = (uint32_t)v[9];
	}
	fclose(fp);
}

#define TOTAL	(300 * 1024)	/* client to far host */
#define BACK	40		/* full segments the far host sends back */

ROOT_TC(offload_tcp, "with tun offloads on, a TCP connection's "
    "super-packets leave as valid MPPE-carried segments in order, and a "
    "burst of segments back reaches the socket in fewer writes")
{
	static uint8_t buf[2048], data[TOTAL], rbuf[BACK * MSS];
	struct event_base *eb;
	struct timer_base *tb;
	struct side cli, srv;
	struct sockaddr_in sin;
	struct dp_stats st;
	struct pollfd pfd;
	struct tun t;
	socklen_t sl;
	char err[ERRLEN];
	uint32_t cisn = 0, rcv_next = 0, got = 0, tx0, rx0, tx1, rx1, back;
	uint16_t cport, id = 1;
	size_t n, sent = 0, segs = 0, len;
	ssize_t r;
	int sp[2], s, tries, syn = 0, connected = 0, acked, i, e;

	test_netns_enter();
	if (access("/dev/net/tun", R_OK | W_OK) == -1)
		atf_tc_skip("no /dev/net/tun: %s", strerror(errno));
	ATF_REQUIRE_MSG(crypto_init(err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	ATF_REQUIRE((tb = timer_base_new(eb)) != NULL);
	side_open(eb, tb, &cli, CLI_ID, SRV_ID);
	side_open(eb, tb, &srv, SRV_ID, CLI_ID);

	ATF_REQUIRE_MSG(tun_open(&t, NULL, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE(t.vnet);
	ATF_REQUIRE_MSG(iface_set_mtu(t.name, MTU, err, sizeof(err)) == 0 &&
	    iface_set_addr(t.name, A(CLI_ADDR), A(SRV_ADDR), err,
	    sizeof(err)) == 0 && iface_set_up(t.name, 1, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp) ==
	    0);
	ATF_REQUIRE(fcntl(sp[1], F_SETFL, O_NONBLOCK) == 0);
	start(&cli, t.fd, 1);
	start(&srv, sp[0], 0);

	for (i = 0; i < TOTAL; i++)
		data[i] = pattern((uint32_t)i);
	ATF_REQUIRE((s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) !=
	    -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(PORT);
	sin.sin_addr = A(SRV_ADDR);
	ATF_REQUIRE(connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno == EINPROGRESS);
	sl = sizeof(sin);
	ATF_REQUIRE(getsockname(s, (struct sockaddr *)&sin, &sl) == 0);
	cport = ntohs(sin.sin_port);
	ifstats(t.name, &tx0, &rx0);

	/* The far host: answer the SYN, take the data, acknowledge it. */
	for (tries = 0; got < TOTAL && tries < 3000; tries++) {
		if (connected && sent < TOTAL) {
			r = send(s, data + sent, TOTAL - sent, 0);
			if (r > 0)
				sent += (size_t)r;
			else
				ATF_REQUIRE_MSG(errno == EAGAIN, "send: %s",
				    strerror(errno));
		}
		pump(eb, 2);
		acked = 0;
		while ((r = recv(sp[1], buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
			len = (size_t)r;
			ATF_REQUIRE_MSG(len <= MTU, "a %zu-byte packet left a "
			    "link of MTU %d", len, MTU);
			ATF_REQUIRE_MSG(valid(buf, len), "a segment with a bad "
			    "header or checksum (%zu bytes)", len);
			if (buf[33] & 0x02) {
				cisn = get_be32(buf + 24);
				rcv_next = cisn + 1;
				syn = 1;
				len = mkseg(buf, cport, id++, SRV_ISN, rcv_next,
				    0x12, 0, 0, 1);
				ATF_REQUIRE(send(sp[1], buf, len, 0) ==
				    (ssize_t)len);
				continue;
			}
			n = len - 20 - (size_t)(buf[32] >> 4) * 4;
			if (n == 0)
				continue;
			/* Retransmissions of what we have are dropped. */
			if (get_be32(buf + 24) != rcv_next)
				continue;
			ATF_REQUIRE(got + n <= TOTAL);
			ATF_REQUIRE_MSG(memcmp(buf + len - n, data + got, n) ==
			    0, "data at offset %u differs", got);
			got += (uint32_t)n;
			rcv_next += (uint32_t)n;
			segs++;
			acked = 1;
		}
		ATF_REQUIRE(r == -1 && errno == EAGAIN);
		if (acked || (syn && !connected)) {
			len = mkseg(buf, cport, id++, SRV_ISN + 1, rcv_next,
			    0x10, 0, 0, 0);
			ATF_REQUIRE(send(sp[1], buf, len, 0) == (ssize_t)len);
		}
		if (syn && !connected) {
			pfd.fd = s;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, 0) == 1) {
				sl = sizeof(e);
				ATF_REQUIRE(getsockopt(s, SOL_SOCKET, SO_ERROR,
				    &e, &sl) == 0);
				ATF_REQUIRE_MSG(e == 0, "connect: %s",
				    strerror(e));
				connected = 1;
			}
		}
	}
	ATF_REQUIRE_MSG(got == TOTAL, "%u of %d bytes crossed", got, TOTAL);
	ifstats(t.name, &tx1, &rx1);
	/* Fewer packets left the kernel than segments reached the host. */
	ATF_CHECK_MSG(tx1 - tx0 < segs, "%u reads from tun, %zu segments: "
	    "no super-packets", tx1 - tx0, segs);
	dp_call_get_stats(cli.call, &st);
	ATF_CHECK_EQ(st.tx_errors, 0);
	ATF_CHECK(st.tx_packets >= segs);

	/* A burst of full segments back, the last with PSH. */
	for (i = 0; i < BACK; i++) {
		len = mkseg(buf, cport, id++, SRV_ISN + 1 + (uint32_t)i * MSS,
		    rcv_next, i == BACK - 1 ? 0x18 : 0x10, (uint32_t)i * MSS,
		    MSS, 0);
		ATF_REQUIRE(send(sp[1], buf, len, 0) == (ssize_t)len);
	}
	for (back = 0, tries = 0; back < sizeof(rbuf) && tries < 500;
	    tries++) {
		pump(eb, 2);
		while ((r = recv(s, rbuf + back, sizeof(rbuf) - back, 0)) > 0)
			back += (uint32_t)r;
		ATF_REQUIRE(r == -1 && errno == EAGAIN);
	}
	ATF_REQUIRE_MSG(back == sizeof(rbuf), "%u of %zu bytes came back",
	    back, sizeof(rbuf));
	for (i = 0; i < (int)sizeof(rbuf); i++)
		ATF_REQUIRE_MSG(rbuf[i] == pattern((uint32_t)i), "byte %d "
		    "came back wrong", i);
	ifstats(t.name, &tx0, &rx0);
	ATF_CHECK_MSG(rx0 - rx1 < BACK, "%u writes to tun for %d segments: "
	    "none joined", rx0 - rx1, BACK);
	dp_call_get_stats(cli.call, &st);
	ATF_CHECK_EQ(st.rx_errors, 0);
	ATF_CHECK_EQ(st.rx_dropped, 0);
	ATF_CHECK(st.rx_packets >= BACK);
	ATF_CHECK_EQ(cli.fails + srv.fails, 0);

	close(s);
	dp_call_free(cli.call);
	dp_call_free(srv.call);
	datapath_free(cli.dp);
	datapath_free(srv.dp);
	tun_close(&t);
	close(sp[0]);
	close(sp[1]);
	timer_base_free(tb);
	event_base_free(eb);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, offload_tcp);
	return atf_no_error();
}
