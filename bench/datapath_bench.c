/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The userspace engine end to end on one core: 1400-byte IPv4 packets
 * written into the client's tun (an AF_UNIX datagram socketpair), through
 * PPP, MPPE and GRE on a raw socket over loopback, into the server's
 * datapath and out of its tun, for a few seconds per mode.  Both
 * datapaths and the test's own reads and writes share one thread, so the
 * figure is a floor for one direction of a real tunnel.
 *
 * usage: datapath_bench [seconds per mode, default 3]
 *
 * It needs root for a private network namespace and raw sockets; without
 * them it says so and exits 0.  It prints figures and never fails on a
 * time.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "datapath.h"
#include "gre_call.h"
#include "log.h"
#include "ppp.h"
#include "timer_event.h"
#include "tun.h"

#define PKT		1400
#define INFLIGHT	256	/* packets written and not yet read back */

struct side {
	struct datapath	*dp;
	struct dp_call	*call;
	int		 tun[2];
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
b_ctrl(void *arg, const uint8_t *frame, size_t len)
{
	(void)arg;
	(void)frame;
	(void)len;
}

static const struct dp_call_ops b_ops = { b_ctrl, NULL, NULL };

static int
side_open(struct event_base *eb, struct timer_base *tb, struct side *s,
    uint16_t ours, uint16_t theirs, const struct ppp_link *l)
{
	struct dp_call_config cfg;
	char err[256];
	int sz = 8 * 1024 * 1024, i;

	memset(s, 0, sizeof(*s));
	if ((s->dp = datapath_new(eb, tb, err, sizeof(err))) == NULL) {
		fprintf(stderr, "datapath_bench: %s\n", err);
		return -1;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.tag = "bench";
	cfg.local.s_addr = htonl(INADDR_LOOPBACK);
	cfg.peer.s_addr = htonl(INADDR_LOOPBACK);
	gre_call_config_default(&cfg.gre);
	cfg.gre.our_call_id = ours;
	cfg.gre.peer_call_id = theirs;
	if ((s->call = dp_call_new(s->dp, &cfg, &b_ops, s, err,
	    sizeof(err))) == NULL ||
	    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, s->tun) == -1) {
		fprintf(stderr, "datapath_bench: %s\n", err);
		return -1;
	}
#ifdef SO_SNDBUFFORCE
	for (i = 0; i < 2; i++) {
		(void)setsockopt(s->tun[i], SOL_SOCKET, SO_SNDBUFFORCE, &sz,
		    sizeof(sz));
		(void)setsockopt(s->tun[i], SOL_SOCKET, SO_RCVBUFFORCE, &sz,
		    sizeof(sz));
	}
#else
	(void)sz;
	(void)i;
#endif
	(void)fcntl(s->tun[1], F_SETFL, O_NONBLOCK);
	if (dp_call_start_data(s->call, s->tun[0], l, 0, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "datapath_bench: %s\n", err);
		return -1;
	}
	return 0;
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
mklink(struct ppp_link *l, int is_cli, int bits, int stateless)
{
	int i;

	memset(l, 0, sizeof(*l));
	l->mru = l->peer_mru = 1500;
	if (bits == 0)
		return;
	l->mppe = 1;
	l->mppe_keybits = bits;
	l->mppe_stateless = stateless;
	l->have_keys = 1;
	for (i = 0; i < 16; i++) {
		l->send_key[i] = (uint8_t)(is_cli ? i : 0xa0 + i);
		l->recv_key[i] = (uint8_t)(is_cli ? 0xa0 + i : i);
	}
}

/* A valid header checksum, as every real sender's: MPPE checks it. */
static void
ip_csum(uint8_t *ip)
{
	uint32_t sum = 0;
	int i;

	ip[10] = ip[11] = 0;
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
}

static int
run(const char *name, int bits, int stateless, double secs)
{
	struct event_base *eb;
	struct timer_base *tb;
	struct side cli, srv;
	struct ppp_link l;
	struct dp_stats st;
	uint8_t pkt[PKT], in[2048];
	uint64_t sent = 0, recvd = 0;
	double t0, t;
	int rc = -1;

	memset(pkt, 0x5a, sizeof(pkt));
	pkt[0] = 0x45;
	pkt[2] = PKT >> 8;
	pkt[3] = PKT & 0xff;
	pkt[9] = 17;
	ip_csum(pkt);
	if ((eb = event_base_new()) == NULL ||
	    (tb = timer_base_new(eb)) == NULL) {
		fprintf(stderr, "datapath_bench: libevent failed\n");
		return -1;
	}
	mklink(&l, 1, bits, stateless);
	if (side_open(eb, tb, &cli, 0x1111, 0x2222, &l) == -1)
		goto out;
	mklink(&l, 0, bits, stateless);
	if (side_open(eb, tb, &srv, 0x2222, 0x1111, &l) == -1)
		goto out;

	t0 = now();
	do {
		while (sent - recvd < INFLIGHT &&
		    send(cli.tun[1], pkt, sizeof(pkt), MSG_DONTWAIT) ==
		    (ssize_t)sizeof(pkt))
			sent++;
		event_base_loop(eb, EVLOOP_NONBLOCK);
		while (recv(srv.tun[1], in, sizeof(in), MSG_DONTWAIT) > 0)
			recvd++;
		t = now() - t0;
	} while (t < secs);

	dp_call_get_stats(srv.call, &st);
	printf("%-20s %9.0f packets/s %8.1f MB/s  (GRE lost %llu, "
	    "rx errors %llu)\n", name, recvd / t, recvd * (double)PKT / t / 1e6,
	    (unsigned long long)st.rx_lost, (unsigned long long)st.rx_errors);
	rc = 0;
	side_close(&cli);
	side_close(&srv);
out:
	timer_base_free(tb);
	event_base_free(eb);
	return rc;
}

int
main(int argc, char *argv[])
{
	double secs = 3.0;
	char err[256];

	if (argc > 1 && ((secs = strtod(argv[1], NULL)) <= 0 || secs > 60)) {
		fprintf(stderr, "usage: datapath_bench [seconds per mode]\n");
		return 2;
	}
#ifdef CLONE_NEWNET
	if (geteuid() != 0 || unshare(CLONE_NEWNET) == -1) {
		printf("datapath_bench: skipped: needs root and a private "
		    "network namespace (%s)\n", geteuid() != 0 ?
		    "not root" : strerror(errno));
		return 0;
	}
#else
	/* Raw GRE on the host's own network would see real traffic. */
	printf("datapath_bench: skipped: needs a private network namespace "
	    "(Linux)\n");
	return 0;
#endif
	log_init(1, 0);
	if (iface_set_up("lo", 1, err, sizeof(err)) == -1 ||
	    crypto_init(err, sizeof(err)) == -1) {
		fprintf(stderr, "datapath_bench: %s\n", err);
		return 1;
	}
	printf("userspace engine, %d-byte packets, one core, one way "
	    "(tun -> GRE -> tun)\n", PKT);
	if (run("no MPPE", 0, 0, secs) == -1 ||
	    run("MPPE-128 stateless", 128, 1, secs) == -1 ||
	    run("MPPE-128 stateful", 128, 0, secs) == -1)
		return 1;
	return 0;
}
