/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for TCP segmentation and coalescing (daemon/tso.c).  Every
 * checksum is checked against a plain RFC 1071 sum written here, 16 bits
 * at a time in network order, never against tso.c's own arithmetic.
 */
#include <atf-c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tso.h"

#define FIN	0x01
#define SYN	0x02
#define RST	0x04
#define PSH	0x08
#define ACK	0x10
#define URG	0x20
#define ECE	0x40
#define CWR	0x80

#define SEG_MAX	1396	/* the tunnel MTU of the benchmark */
#define BIG	(TSO_PKT_MAX + 64)

/* ---- a reference checksum ---- */

static uint32_t
ref_sum(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += get_be16(p + i);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t
ref_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Whether the IPv4 header checksum verifies. */
static int
ip4_ok(const uint8_t *ip)
{
	return ref_fold(ref_sum(0, ip, (size_t)(ip[0] & 0x0f) * 4)) == 0xffff;
}

/* The pseudo-header sum of the TCP segment in ip[0..len). */
static uint32_t
ref_pseudo(const uint8_t *ip, size_t iphl, size_t len)
{
	uint32_t s;

	if (ip[0] >> 4 == 6) {
		s = ref_sum(0, ip + 8, 32);
		s += (uint32_t)(len - iphl) >> 16;
		s += (uint32_t)(len - iphl) & 0xffff;
		return s + 6;
	}
	s = ref_sum(0, ip + 12, 8);
	return s + 6 + (uint32_t)(len - iphl);
}

/* Whether the TCP checksum of the packet verifies. */
static int
tcp_ok(const uint8_t *ip, size_t len)
{
	size_t iphl = ip[0] >> 4 == 6 ? 40 : (size_t)(ip[0] & 0x0f) * 4;

	return ref_fold(ref_sum(ref_pseudo(ip, iphl, len), ip + iphl,
	    len - iphl)) == 0xffff;
}

/* ---- packets ---- */

struct flow {
	int		 v6;
	size_t		 ipopt;		/* IPv4 option bytes (multiple of 4) */
	size_t		 tcpopt;	/* TCP option bytes (multiple of 4) */
	uint32_t	 seq;
	uint16_t	 id;
};

static size_t
iphl_of(const struct flow *f)
{
	return f->v6 ? 40 : 20 + f->ipopt;
}

static uint8_t
payload_byte(uint32_t seq)
{
	return (uint8_t)(seq * 7 + (seq >> 8));
}

/*
 * A TCP packet of the flow with plen payload bytes from f->seq, flags,
 * urgent pointer urp; valid checksums.  Returns its length.
 */
static size_t
mkseg(uint8_t *p, const struct flow *f, size_t plen, uint8_t flags,
    uint16_t urp)
{
	size_t iphl = iphl_of(f), thl = 20 + f->tcpopt, len, i;
	uint8_t *th = p + iphl;
	uint16_t c;

	len = iphl + thl + plen;
	memset(p, 0, iphl + thl);
	if (f->v6) {
		p[0] = 0x60;
		p[1] = 0x0a;	/* a traffic class and flow label to keep */
		p[3] = 0x42;
		put_be16(p + 4, (uint16_t)(len - 40));
		p[6] = 6;
		p[7] = 64;
		p[8] = 0x20;
		p[9] = 0x01;
		p[10] = 0x0d;
		p[11] = 0xb8;
		p[23] = 1;
		p[24] = 0x20;
		p[25] = 0x01;
		p[26] = 0x0d;
		p[27] = 0xb8;
		p[39] = 2;
	} else {
		p[0] = (uint8_t)(0x40 | iphl / 4);
		p[1] = 0x02;	/* ECT(0) */
		put_be16(p + 2, (uint16_t)len);
		put_be16(p + 4, f->id);
		p[6] = 0x40;	/* DF */
		p[8] = 64;
		p[9] = 6;
		put_be32(p + 12, 0xc0000201);	/* 192.0.2.1 */
		put_be32(p + 16, 0xc6336402);	/* 198.51.100.2 */
		/* Options: router alert (RFC 2113), then NOPs. */
		for (i = 0; i < f->ipopt; i++)
			p[20 + i] = 1;
		if (f->ipopt >= 4) {
			p[20] = 0x94;
			p[21] = 4;
			p[22] = p[23] = 0;
		}
		c = (uint16_t)~ref_fold(ref_sum(0, p, iphl));
		put_be16(p + 10, c);
	}
	put_be16(th, 40000);
	put_be16(th + 2, 5201);
	put_be32(th + 4, f->seq);
	put_be32(th + 8, 0x01020304);
	th[12] = (uint8_t)((thl / 4) << 4);
	th[13] = flags;
	put_be16(th + 14, 512);
	put_be16(th + 18, urp);
	/* Options: timestamps (kind 8) padded with NOPs. */
	for (i = 0; i < f->tcpopt; i++)
		th[20 + i] = 1;
	if (f->tcpopt >= 12) {
		th[22] = 8;
		th[23] = 10;
		put_be32(th + 24, 0x11223344);
		put_be32(th + 28, 0x55667788);
	}
	for (i = 0; i < plen; i++)
		p[iphl + thl + i] = payload_byte(f->seq + (uint32_t)i);
	c = (uint16_t)~ref_fold(ref_sum(ref_pseudo(p, iphl, len), th,
	    len - iphl));
	put_be16(th + 16, c);
	return len;
}

static void
gso_hdr(struct vnet_hdr *h, const struct flow *f, uint16_t mss)
{
	memset(h, 0, sizeof(*h));
	h->flags = VNET_F_NEEDS_CSUM;
	h->gso_type = f->v6 ? VNET_GSO_TCPV6 : VNET_GSO_TCPV4;
	h->gso_size = mss;
	h->csum_start = (uint16_t)iphl_of(f);
	h->csum_offset = 16;
	h->hdr_len = (uint16_t)(iphl_of(f) + 20 + f->tcpopt);
}

/*
 * Cuts the super-packet and checks every segment against what the
 * kernel's own segmentation makes; returns the number of segments.
 */
static unsigned int
check_split(const struct flow *f, size_t plen, uint8_t flags, uint16_t urp,
    uint16_t mss, size_t seg_max)
{
	static uint8_t big[BIG];
	uint8_t seg[2048];
	struct vnet_hdr h;
	struct tso t;
	size_t len, n, iphl = iphl_of(f), hlen, off = 0, want, emss;
	uint32_t s0 = f->seq, seq, urg_end = f->seq + urp;
	unsigned int i = 0;
	uint8_t fl;

	len = mkseg(big, f, plen, flags, urp);
	hlen = iphl + 20 + f->tcpopt;
	gso_hdr(&h, f, mss);
	ATF_REQUIRE_EQ(tso_begin(&t, &h, big, len, seg_max), TSO_OK);
	emss = mss < seg_max - hlen ? mss : seg_max - hlen;
	while ((n = tso_next(&t, seg)) > 0) {
		ATF_REQUIRE(i < 1000);
		want = plen - off < emss ? plen - off : emss;
		ATF_REQUIRE_EQ_MSG(n, hlen + want, "segment %u: %zu bytes, "
		    "want %zu", i, n, hlen + want);
		ATF_REQUIRE(n <= seg_max);
		seq = s0 + (uint32_t)off;
		/* IP: everything copied but length, ID and checksum. */
		if (f->v6) {
			ATF_CHECK_EQ(get_be16(seg + 4), n - 40);
			ATF_CHECK(memcmp(seg, big, 4) == 0);
			ATF_CHECK(memcmp(seg + 6, big + 6, 34) == 0);
		} else {
			ATF_CHECK_EQ(get_be16(seg + 2), n);
			ATF_CHECK_EQ(get_be16(seg + 4), (uint16_t)(f->id + i));
			ATF_CHECK(ip4_ok(seg));
			ATF_CHECK(memcmp(seg + 12, big + 12, iphl - 12) == 0);
			ATF_CHECK(memcmp(seg, big, 2) == 0);
			ATF_CHECK(memcmp(seg + 6, big + 6, 4) == 0);
		}
		ATF_CHECK_EQ(get_be32(seg + iphl + 4), seq);
		ATF_CHECK(memcmp(seg + iphl, big + iphl, 4) == 0);
		ATF_CHECK(memcmp(seg + iphl + 8, big + iphl + 8, 5) == 0);
		ATF_CHECK(memcmp(seg + iphl + 14, big + iphl + 14, 2) == 0);
		ATF_CHECK(memcmp(seg + iphl + 20, big + iphl + 20,
		    f->tcpopt) == 0);
		fl = flags;
		if (off + want < plen)
			fl &= (uint8_t)~(FIN | PSH);
		if (i > 0)
			fl &= (uint8_t)~CWR;
		if (flags & URG) {
			if ((int32_t)(urg_end - seq) > 0)
				ATF_CHECK_EQ(get_be16(seg + iphl + 18),
				    urg_end - seq);
			else {
				fl &= (uint8_t)~URG;
				ATF_CHECK_EQ(get_be16(seg + iphl + 18), 0);
			}
		}
		ATF_CHECK_EQ_MSG(seg[iphl + 13], fl, "segment %u: flags "
		    "0x%02x, want 0x%02x", i, seg[iphl + 13], fl);
		ATF_CHECK_MSG(tcp_ok(seg, n), "segment %u: bad TCP checksum",
		    i);
		ATF_CHECK(memcmp(seg + hlen, big + hlen + off, want) == 0);
		off += want;
		i++;
	}
	ATF_CHECK_EQ(off, plen);
	ATF_CHECK_EQ(t.n, i);
	ATF_CHECK_EQ(tso_next(&t, seg), 0);
	return i;
}

/* ---- cases ---- */

ATF_TC_WITHOUT_HEAD(cs_sum_matches_reference);
ATF_TC_BODY(cs_sum_matches_reference, tc)
{
	uint8_t buf[300], out[2];
	uint16_t v;
	size_t len, i, split;

	srandom(12);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)random();
	buf[0] = buf[1] = 0xff;		/* carries from the start */
	for (len = 0; len < 200; len++) {
		v = (uint16_t)~cs_fold(cs_sum(buf, len, 0));
		memcpy(out, &v, 2);
		ATF_CHECK_EQ_MSG(get_be16(out),
		    (uint16_t)~ref_fold(ref_sum(0, buf, len)), "len %zu", len);
		/* In two parts, the first of even length. */
		for (split = 0; split <= len; split += 2) {
			v = (uint16_t)~cs_fold(cs_sum(buf + split,
			    len - split, cs_sum(buf, split, 0)));
			memcpy(out, &v, 2);
			ATF_CHECK_EQ(get_be16(out),
			    (uint16_t)~ref_fold(ref_sum(0, buf, len)));
		}
	}
	memset(buf, 0xff, sizeof(buf));
	v = (uint16_t)~cs_fold(cs_sum(buf, sizeof(buf), 0));
	ATF_CHECK_EQ(v, 0);
}

ATF_TC_WITHOUT_HEAD(csum_finish);
ATF_TC_BODY(csum_finish, tc)
{
	uint8_t p[200];
	struct vnet_hdr h;
	uint32_t ps;
	size_t len = 28 + 61, i;

	/* IPv4/UDP as the stack leaves it: the pseudo-header sum only. */
	memset(p, 0, sizeof(p));
	p[0] = 0x45;
	put_be16(p + 2, (uint16_t)len);
	p[8] = 64;
	p[9] = 17;
	put_be32(p + 12, 0xc0000201);
	put_be32(p + 16, 0xc0000202);
	put_be16(p + 20, 53);
	put_be16(p + 22, 5353);
	put_be16(p + 24, (uint16_t)(len - 20));
	for (i = 28; i < len; i++)
		p[i] = (uint8_t)(i * 13);
	ps = ref_sum(0, p + 12, 8) + 17 + (uint32_t)(len - 20);
	put_be16(p + 26, ref_fold(ps));
	memset(&h, 0, sizeof(h));
	h.flags = VNET_F_NEEDS_CSUM;
	h.csum_start = 20;
	h.csum_offset = 6;
	ATF_REQUIRE_EQ(tso_csum_finish(p, len, &h), 0);
	ATF_CHECK(get_be16(p + 26) != 0);
	ATF_CHECK_EQ(ref_fold(ref_sum(ps, p + 20, len - 20)), 0xffff);

	/* Offsets outside the packet are refused, nothing written. */
	h.csum_start = (uint16_t)len;
	ATF_CHECK_EQ(tso_csum_finish(p, len, &h), -1);
	h.csum_start = 20;
	h.csum_offset = (uint16_t)(len - 21);
	ATF_CHECK_EQ(tso_csum_finish(p, len, &h), -1);
	h.csum_offset = 0xffff;
	ATF_CHECK_EQ(tso_csum_finish(p, len, &h), -1);
}

ATF_TC_WITHOUT_HEAD(split_ipv4);
ATF_TC_BODY(split_ipv4, tc)
{
	struct flow f = { .seq = 0xfffff000u, .id = 0xfffe };

	/* Sequence and ID wrap; the last segment short, PSH|FIN on it. */
	ATF_CHECK_EQ(check_split(&f, 10000, ACK | PSH | FIN, 0, 1356,
	    SEG_MAX), 8);
	/* A multiple of the segment size: the last one is full. */
	ATF_CHECK_EQ(check_split(&f, 1356 * 5, ACK | PSH, 0, 1356, SEG_MAX),
	    5);
	/* One byte more: a one-byte last segment. */
	ATF_CHECK_EQ(check_split(&f, 1356 * 5 + 1, ACK, 0, 1356, SEG_MAX), 6);
	/* Less than one segment. */
	ATF_CHECK_EQ(check_split(&f, 100, ACK | PSH, 0, 1356, SEG_MAX), 1);
	/* The largest packet there is. */
	ATF_CHECK_EQ(check_split(&f, 65535 - 40, ACK, 0, 1356, SEG_MAX), 49);
}

ATF_TC_WITHOUT_HEAD(split_ipv4_options);
ATF_TC_BODY(split_ipv4_options, tc)
{
	struct flow f = { .seq = 1000, .id = 7, .ipopt = 4, .tcpopt = 12 };

	ATF_CHECK_EQ(check_split(&f, 5000, ACK | PSH, 0, 1340, SEG_MAX), 4);
	f.ipopt = 40;		/* the most IPv4 options there are */
	f.tcpopt = 40;
	ATF_CHECK_EQ(check_split(&f, 5000, ACK, 0, 1000, SEG_MAX), 5);
}

ATF_TC_WITHOUT_HEAD(split_ipv6);
ATF_TC_BODY(split_ipv6, tc)
{
	struct flow f = { .v6 = 1, .seq = 0x7ffffff0u, .tcpopt = 12 };

	ATF_CHECK_EQ(check_split(&f, 20000, ACK | PSH | FIN, 0, 1324,
	    SEG_MAX), 16);
	ATF_CHECK_EQ(check_split(&f, 1324, ACK, 0, 1324, SEG_MAX), 1);
	/* A payload length of 65535, 40 bytes more in all than IPv4's. */
	ATF_CHECK_EQ(check_split(&f, 65535 - 32, ACK, 0, 1324, SEG_MAX), 50);
}

ATF_TC_WITHOUT_HEAD(split_flags);
ATF_TC_BODY(split_flags, tc)
{
	struct flow f = { .seq = 5000, .id = 1 };

	/* CWR on the first segment only, ECE on all. */
	check_split(&f, 4000, ACK | CWR | ECE | PSH, 0, 1000, SEG_MAX);
	/* Urgent data that ends in the second segment. */
	check_split(&f, 4000, ACK | URG, 1500, 1000, SEG_MAX);
	/* ... and at the very end of the first. */
	check_split(&f, 4000, ACK | URG, 1000, 1000, SEG_MAX);
	/* ... past the end of the whole super-packet. */
	check_split(&f, 4000, ACK | URG, 6000, 1000, SEG_MAX);
	f.v6 = 1;
	check_split(&f, 4000, ACK | URG | CWR | FIN, 2500, 1000, SEG_MAX);
}

ATF_TC_WITHOUT_HEAD(split_link_smaller);
ATF_TC_BODY(split_link_smaller, tc)
{
	struct flow f = { .seq = 1, .id = 100, .tcpopt = 12 };
	static uint8_t big[BIG];
	struct vnet_hdr h;
	struct tso t;
	size_t len;

	/* Segments cut to what the link takes rather than dropped. */
	ATF_CHECK_EQ(check_split(&f, 9000, ACK, 0, 1448, 1000), 10);
	/* A link that cannot hold the headers and a byte. */
	len = mkseg(big, &f, 3000, ACK, 0);
	gso_hdr(&h, &f, 1000);
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, 52), TSO_TOO_SMALL);
	ATF_CHECK_EQ(tso_next(&t, big), 0);
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, 53), TSO_OK);
}

ATF_TC_WITHOUT_HEAD(split_refused);
ATF_TC_BODY(split_refused, tc)
{
	struct flow f = { .seq = 1, .id = 1 }, f6 = { .v6 = 1, .seq = 1 };
	static uint8_t big[BIG], seg[2048];
	struct vnet_hdr h;
	struct tso t;
	size_t len;

	len = mkseg(big, &f, 3000, ACK, 0);
	gso_hdr(&h, &f, 1000);
	ATF_REQUIRE_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_OK);
	/* UDP segmentation, unknown types: never asked for. */
	h.gso_type = VNET_GSO_UDP;
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_BAD_TYPE);
	ATF_CHECK_EQ(tso_next(&t, seg), 0);
	h.gso_type = 5;
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_BAD_TYPE);
	/* The family of the header must be the packet's. */
	h.gso_type = VNET_GSO_TCPV6;
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_BAD_HEADER);
	/* ECN-marked is still TCP. */
	h.gso_type = VNET_GSO_TCPV4 | VNET_GSO_ECN;
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_OK);
	h.gso_type = VNET_GSO_TCPV4;
	/* Lengths: one byte short, one long, no payload, no size. */
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len - 1, SEG_MAX),
	    TSO_BAD_HEADER);
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len + 1, SEG_MAX),
	    TSO_BAD_HEADER);
	ATF_CHECK_EQ(tso_begin(&t, &h, big, 19, SEG_MAX), TSO_BAD_HEADER);
	len = mkseg(big, &f, 0, ACK, 0);
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_BAD_HEADER);
	len = mkseg(big, &f, 3000, ACK, 0);
	h.gso_size = 0;
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_BAD_HEADER);
	h.gso_size = 1000;
	/* SYN or RST on every segment would change their meaning. */
	len = mkseg(big, &f, 3000, SYN, 0);
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_BAD_HEADER);
	len = mkseg(big, &f, 3000, RST | ACK, 0);
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_BAD_HEADER);
	/* A fragment, not TCP, a TCP header that runs past the end. */
	len = mkseg(big, &f, 3000, ACK, 0);
	big[6] |= 0x20;
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_BAD_HEADER);
	big[6] &= (uint8_t)~0x20;
	big[9] = 17;
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_BAD_HEADER);
	big[9] = 6;
	ATF_CHECK_EQ(tso_begin(&t, &h, big, 40, SEG_MAX), TSO_BAD_HEADER);
	big[20 + 12] = 0x40;	/* a 16-byte TCP header */
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_BAD_HEADER);
	big[0] = 0x44;		/* a 16-byte IPv4 header */
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_BAD_HEADER);
	/* IPv6: extension headers before TCP, a wrong payload length. */
	len = mkseg(big, &f6, 3000, ACK, 0);
	gso_hdr(&h, &f6, 1000);
	ATF_REQUIRE_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_OK);
	big[6] = 0;		/* hop-by-hop options */
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_EXT_HEADER);
	big[6] = 6;
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len - 1, SEG_MAX),
	    TSO_BAD_HEADER);
	h.gso_type = VNET_GSO_TCPV4;
	ATF_CHECK_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_BAD_HEADER);
}

/* ---- coalescing ---- */

struct groenv {
	struct gro	 g;
	uint8_t		 segs[64][2048];
	size_t		 lens[64];
	unsigned int	 n;
};

static void
groenv_init(struct groenv *e)
{
	memset(e, 0, sizeof(*e));
	ATF_REQUIRE((e->g.buf = malloc(TSO_PKT_MAX)) != NULL);
}

/* n segments of the flow as the kernel's TSO would cut them. */
static void
segments(struct groenv *e, const struct flow *f, size_t plen, uint8_t flags,
    uint16_t mss)
{
	static uint8_t big[BIG];
	struct vnet_hdr h;
	struct tso t;
	size_t len, n;

	len = mkseg(big, f, plen, flags, 0);
	gso_hdr(&h, f, mss);
	ATF_REQUIRE_EQ(tso_begin(&t, &h, big, len, SEG_MAX), TSO_OK);
	e->n = 0;
	while ((n = tso_next(&t, e->segs[e->n])) > 0) {
		e->lens[e->n] = n;
		ATF_REQUIRE(++e->n < 64);
	}
}

/*
 * Checks the super-packet against the segments it was built from: the
 * header the kernel gets, lengths, checksums as the kernel completes
 * them, and the payload; then cuts it again and expects the very same
 * segments back.
 */
static void
check_joined(struct groenv *e, unsigned int nseg, int v6)
{
	static uint8_t copy[BIG];
	uint8_t seg[2048];
	struct vnet_hdr h, h2;
	struct tso t;
	size_t len, iphl, hlen, off, i, n;

	len = gro_finish(&e->g, &h);
	ATF_REQUIRE_EQ(e->g.nseg, nseg);
	iphl = v6 ? 40 : 20;
	hlen = iphl + (size_t)(e->segs[0][iphl + 12] >> 4) * 4;
	ATF_CHECK_EQ(h.flags, VNET_F_NEEDS_CSUM);
	ATF_CHECK_EQ(h.gso_type, v6 ? VNET_GSO_TCPV6 : VNET_GSO_TCPV4);
	ATF_CHECK_EQ(h.hdr_len, hlen);
	ATF_CHECK_EQ(h.gso_size, e->lens[0] - hlen);
	ATF_CHECK_EQ(h.csum_start, iphl);
	ATF_CHECK_EQ(h.csum_offset, 16);
	if (v6)
		ATF_CHECK_EQ(get_be16(e->g.buf + 4), len - 40);
	else {
		ATF_CHECK_EQ(get_be16(e->g.buf + 2), len);
		ATF_CHECK_EQ(get_be16(e->g.buf + 4),
		    get_be16(e->segs[0] + 4));
		ATF_CHECK(ip4_ok(e->g.buf));
	}
	/* The kernel's share: the pseudo-header sum is in place. */
	ATF_CHECK_EQ(get_be16(e->g.buf + iphl + 16),
	    ref_fold(ref_pseudo(e->g.buf, iphl, len)));
	off = hlen;
	for (i = 0; i < nseg; i++) {
		ATF_CHECK(memcmp(e->g.buf + off, e->segs[i] + hlen,
		    e->lens[i] - hlen) == 0);
		off += e->lens[i] - hlen;
	}
	ATF_CHECK_EQ(off, len);
	/* Completed as the kernel would, it is a valid TCP packet. */
	memcpy(copy, e->g.buf, len);
	ATF_REQUIRE_EQ(tso_csum_finish(copy, len, &h), 0);
	ATF_CHECK(tcp_ok(copy, len));
	/* Cut again: the segments it was made of. */
	h2 = h;
	ATF_REQUIRE_EQ(tso_begin(&t, &h2, copy, len, SEG_MAX), TSO_OK);
	for (i = 0; (n = tso_next(&t, seg)) > 0; i++) {
		ATF_REQUIRE(i < nseg);
		ATF_CHECK_EQ(n, e->lens[i]);
		ATF_CHECK_MSG(memcmp(seg, e->segs[i], n) == 0,
		    "segment %zu differs once joined and cut again", i);
	}
	ATF_CHECK_EQ(i, nseg);
}

static void
join_all(struct groenv *e)
{
	unsigned int i;

	ATF_REQUIRE_EQ(gro_start(&e->g, e->segs[0], e->lens[0]), 1);
	for (i = 1; i < e->n; i++)
		ATF_REQUIRE_EQ_MSG(gro_append(&e->g, e->segs[i], e->lens[i]),
		    1, "segment %u not joined", i);
}

ATF_TC_WITHOUT_HEAD(join_ipv4);
ATF_TC_BODY(join_ipv4, tc)
{
	static struct groenv e;
	struct flow f = { .seq = 0xffffff00u, .id = 0xffff, .tcpopt = 12 };

	groenv_init(&e);
	/* Full segments, a short last one with PSH. */
	segments(&e, &f, 10000, ACK | PSH, 1344);
	join_all(&e);
	ATF_CHECK(e.g.closed);
	ATF_CHECK(e.g.buf[20 + 13] & PSH);
	check_joined(&e, e.n, 0);
	/* Closed: nothing more joins, not even the next segment. */
	f.seq += 10000;
	f.id = (uint16_t)(f.id + e.n);
	e.lens[0] = mkseg(e.segs[0], &f, 1344, ACK, 0);
	ATF_CHECK_EQ(gro_append(&e.g, e.segs[0], e.lens[0]), 0);
	/*
	 * As large as a packet gets, and not a byte more: 48 full
	 * segments, then a full one that does not fit, and the 971 bytes
	 * that do.
	 */
	f.seq = 5;
	f.id = 5;
	segments(&e, &f, 48 * 1344, ACK, 1344);
	join_all(&e);
	ATF_CHECK(!e.g.closed);
	f.seq += 48 * 1344;
	f.id += 48;
	e.lens[e.n] = mkseg(e.segs[e.n], &f, 1344, ACK, 0);
	ATF_CHECK_EQ(gro_append(&e.g, e.segs[e.n], e.lens[e.n]), 0);
	e.lens[e.n] = mkseg(e.segs[e.n], &f, 971, ACK, 0);
	ATF_CHECK_EQ(gro_append(&e.g, e.segs[e.n], e.lens[e.n]), 1);
	e.n++;
	ATF_CHECK_EQ(e.g.len, 65535);
	ATF_CHECK(e.g.closed);
	check_joined(&e, e.n, 0);
	free(e.g.buf);
}

ATF_TC_WITHOUT_HEAD(join_ipv6);
ATF_TC_BODY(join_ipv6, tc)
{
	static struct groenv e;
	struct flow f = { .v6 = 1, .seq = 77, .tcpopt = 12 };

	groenv_init(&e);
	segments(&e, &f, 1324 * 6, ACK, 1324);
	join_all(&e);
	ATF_CHECK(!e.g.closed);
	check_joined(&e, e.n, 1);
	free(e.g.buf);
}

ATF_TC_WITHOUT_HEAD(join_one_segment);
ATF_TC_BODY(join_one_segment, tc)
{
	static struct groenv e;
	struct flow f = { .seq = 77, .id = 3 };
	struct vnet_hdr h;

	/* One segment goes as it came, with an empty header. */
	groenv_init(&e);
	e.lens[0] = mkseg(e.segs[0], &f, 1000, ACK, 0);
	ATF_REQUIRE_EQ(gro_start(&e.g, e.segs[0], e.lens[0]), 1);
	ATF_CHECK_EQ(gro_finish(&e.g, &h), e.lens[0]);
	ATF_CHECK(memcmp(e.g.buf, e.segs[0], e.lens[0]) == 0);
	ATF_CHECK_EQ(h.flags, 0);
	ATF_CHECK_EQ(h.gso_type, VNET_GSO_NONE);
	free(e.g.buf);
}

/* Whether the second of two consecutive segments joins once changed. */
static int
joins_after(void (*change)(uint8_t *, size_t *), int v6)
{
	static struct groenv e;
	struct flow f = { .v6 = v6, .seq = 1000, .id = 50, .tcpopt = 12 };
	int r;

	groenv_init(&e);
	segments(&e, &f, 3000, ACK, 1000);
	ATF_REQUIRE_EQ(gro_start(&e.g, e.segs[0], e.lens[0]), 1);
	if (change != NULL)
		change(e.segs[1], &e.lens[1]);
	r = gro_append(&e.g, e.segs[1], e.lens[1]);
	free(e.g.buf);
	return r;
}

/* Fixes both checksums after a change, as a sender would have made it. */
static void
resum(uint8_t *p, size_t len)
{
	size_t iphl = p[0] >> 4 == 6 ? 40 : (size_t)(p[0] & 0x0f) * 4;

	if (p[0] >> 4 == 4) {
		put_be16(p + 10, 0);
		put_be16(p + 10, (uint16_t)~ref_fold(ref_sum(0, p, iphl)));
	}
	put_be16(p + iphl + 16, 0);
	put_be16(p + iphl + 16, (uint16_t)~ref_fold(ref_sum(ref_pseudo(p,
	    iphl, len), p + iphl, len - iphl)));
}

static void
ch_none(uint8_t *p, size_t *l)
{
	resum(p, *l);
}

static void
ch_seq(uint8_t *p, size_t *l)
{
	p[20 + 7]++;
	resum(p, *l);
}

static void
ch_ack(uint8_t *p, size_t *l)
{
	p[20 + 11]++;
	resum(p, *l);
}

static void
ch_win(uint8_t *p, size_t *l)
{
	p[20 + 15]++;
	resum(p, *l);
}

static void
ch_opt(uint8_t *p, size_t *l)
{
	p[20 + 31]++;
	resum(p, *l);
}

static void
ch_port(uint8_t *p, size_t *l)
{
	p[20 + 1]++;
	resum(p, *l);
}

static void
ch_ttl(uint8_t *p, size_t *l)
{
	p[8]--;
	resum(p, *l);
}

static void
ch_tos(uint8_t *p, size_t *l)
{
	p[1] |= 3;
	resum(p, *l);
}

static void
ch_id(uint8_t *p, size_t *l)
{
	p[5]++;
	resum(p, *l);
}

static void
ch_df(uint8_t *p, size_t *l)
{
	p[6] = 0;
	resum(p, *l);
}

static void
ch_src(uint8_t *p, size_t *l)
{
	p[15]++;
	resum(p, *l);
}

static void
ch_tcpsum(uint8_t *p, size_t *l)
{
	(void)l;
	p[20 + 16]++;
}

static void
ch_ipsum(uint8_t *p, size_t *l)
{
	(void)l;
	p[10]++;
}

static void
ch_data(uint8_t *p, size_t *l)
{
	p[*l - 1]++;
}

static void
ch_fin(uint8_t *p, size_t *l)
{
	p[33] |= FIN;
	resum(p, *l);
}

static void
ch_syn(uint8_t *p, size_t *l)
{
	p[33] |= SYN;
	resum(p, *l);
}

static void
ch_rst(uint8_t *p, size_t *l)
{
	p[33] |= RST;
	resum(p, *l);
}

static void
ch_urg(uint8_t *p, size_t *l)
{
	p[33] |= URG;
	resum(p, *l);
}

static void
ch_cwr(uint8_t *p, size_t *l)
{
	p[33] |= CWR;
	resum(p, *l);
}

static void
ch_ece(uint8_t *p, size_t *l)
{
	p[33] |= ECE;
	resum(p, *l);
}

static void
ch_noack(uint8_t *p, size_t *l)
{
	p[33] = PSH;
	resum(p, *l);
}

static void
ch_psh(uint8_t *p, size_t *l)
{
	p[33] |= PSH;
	resum(p, *l);
}

static void
ch_trunc(uint8_t *p, size_t *l)
{
	(*l)--;
	resum(p, *l);
}

static void
ch_longer(uint8_t *p, size_t *l)
{
	/* One payload byte more than the first segment's. */
	p[*l] = 0;
	(*l)++;
	put_be16(p + 2, (uint16_t)*l);
	resum(p, *l);
}

static void
ch_ipopt(uint8_t *p, size_t *l)
{
	/* The same segment with a 4-byte NOP option in its IPv4 header. */
	memmove(p + 24, p + 20, *l - 20);
	memset(p + 20, 1, 4);
	p[0] = 0x46;
	*l += 4;
	put_be16(p + 2, (uint16_t)*l);
	resum(p, *l);
}

static void
ch_frag(uint8_t *p, size_t *l)
{
	p[6] |= 0x20;
	resum(p, *l);
}

static void
ch_v6flow(uint8_t *p, size_t *l)
{
	p[3]++;
	resum(p, *l);
}

static void
ch_v6ext(uint8_t *p, size_t *l)
{
	(void)l;
	p[6] = 60;
}

ATF_TC_WITHOUT_HEAD(join_refused);
ATF_TC_BODY(join_refused, tc)
{
	static const struct {
		const char	*what;
		void		(*fn)(uint8_t *, size_t *);
	} no[] = {
		{ "a gap or overlap", ch_seq },
		{ "another ACK", ch_ack },
		{ "another window", ch_win },
		{ "other options", ch_opt },
		{ "another port", ch_port },
		{ "another TTL", ch_ttl },
		{ "another TOS (ECN CE)", ch_tos },
		{ "an ID out of order", ch_id },
		{ "another DF", ch_df },
		{ "another source", ch_src },
		{ "a bad TCP checksum", ch_tcpsum },
		{ "a bad IPv4 checksum", ch_ipsum },
		{ "damaged data (checksum no longer matches)", ch_data },
		{ "FIN", ch_fin },
		{ "SYN", ch_syn },
		{ "RST", ch_rst },
		{ "URG", ch_urg },
		{ "CWR", ch_cwr },
		{ "ECE", ch_ece },
		{ "no ACK", ch_noack },
		{ "a payload longer than the first", ch_longer },
		{ "IPv4 options", ch_ipopt },
		{ "a fragment", ch_frag },
		{ "a length that does not add up", ch_trunc },
	};
	size_t i;

	ATF_CHECK_EQ(joins_after(NULL, 0), 1);
	ATF_CHECK_EQ(joins_after(ch_none, 0), 1);
	ATF_CHECK_EQ(joins_after(ch_psh, 0), 1);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ATF_CHECK_EQ_MSG(joins_after(no[i].fn, 0), 0, "joined with %s",
		    no[i].what);
	ATF_CHECK_EQ(joins_after(ch_none, 1), 1);
	ATF_CHECK_EQ(joins_after(ch_v6flow, 1), 0);
	ATF_CHECK_EQ(joins_after(ch_v6ext, 1), 0);
}

ATF_TC_WITHOUT_HEAD(start_refused);
ATF_TC_BODY(start_refused, tc)
{
	static struct groenv e;
	struct flow f = { .seq = 9, .id = 9 }, fo = { .seq = 9, .ipopt = 4 };
	size_t len;

	groenv_init(&e);
	/* Pure ACKs, PSH, FIN, SYN and URG segments go alone. */
	len = mkseg(e.segs[0], &f, 0, ACK, 0);
	ATF_CHECK_EQ(gro_start(&e.g, e.segs[0], len), 0);
	ATF_CHECK_EQ(e.g.len, 0);
	len = mkseg(e.segs[0], &f, 100, ACK | PSH, 0);
	ATF_CHECK_EQ(gro_start(&e.g, e.segs[0], len), 0);
	len = mkseg(e.segs[0], &f, 100, ACK | FIN, 0);
	ATF_CHECK_EQ(gro_start(&e.g, e.segs[0], len), 0);
	len = mkseg(e.segs[0], &f, 100, SYN, 0);
	ATF_CHECK_EQ(gro_start(&e.g, e.segs[0], len), 0);
	len = mkseg(e.segs[0], &f, 100, ACK | URG, 10);
	ATF_CHECK_EQ(gro_start(&e.g, e.segs[0], len), 0);
	/* IPv4 options, a bad checksum, not TCP, too short. */
	len = mkseg(e.segs[0], &fo, 100, ACK, 0);
	ATF_CHECK_EQ(gro_start(&e.g, e.segs[0], len), 0);
	len = mkseg(e.segs[0], &f, 100, ACK, 0);
	ATF_REQUIRE_EQ(gro_start(&e.g, e.segs[0], len), 1);
	e.segs[0][len - 1] ^= 1;
	ATF_CHECK_EQ(gro_start(&e.g, e.segs[0], len), 0);
	e.segs[0][len - 1] ^= 1;
	e.segs[0][9] = 17;
	ATF_CHECK_EQ(gro_start(&e.g, e.segs[0], len), 0);
	ATF_CHECK_EQ(gro_start(&e.g, e.segs[0], 19), 0);
	ATF_CHECK_EQ(gro_start(&e.g, e.segs[0], 39), 0);
	/* Nothing appends to an empty one. */
	e.g.len = 0;
	len = mkseg(e.segs[0], &f, 100, ACK, 0);
	ATF_CHECK_EQ(gro_append(&e.g, e.segs[0], len), 0);
	free(e.g.buf);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, cs_sum_matches_reference);
	ATF_TP_ADD_TC(tp, csum_finish);
	ATF_TP_ADD_TC(tp, split_ipv4);
	ATF_TP_ADD_TC(tp, split_ipv4_options);
	ATF_TP_ADD_TC(tp, split_ipv6);
	ATF_TP_ADD_TC(tp, split_flags);
	ATF_TP_ADD_TC(tp, split_link_smaller);
	ATF_TP_ADD_TC(tp, split_refused);
	ATF_TP_ADD_TC(tp, join_ipv4);
	ATF_TP_ADD_TC(tp, join_ipv6);
	ATF_TP_ADD_TC(tp, join_one_segment);
	ATF_TP_ADD_TC(tp, join_refused);
	ATF_TP_ADD_TC(tp, start_refused);
	return atf_no_error();
}
