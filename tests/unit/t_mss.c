/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for TCP MSS clamping.  Every packet that is changed has its
 * TCP checksum recomputed from scratch, so the incremental update is
 * checked against the definition, not against itself.
 */
#include <atf-c.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "mss.h"

#define SYN	0x02
#define ACK	0x10

struct pkt {
	uint8_t	 b[128];
	size_t	 len;
	size_t	 tcpoff;
};

/* One's-complement sum of a byte run, as if it started on a word boundary. */
static uint32_t
sum_bytes(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += get_be16(p + i);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The TCP checksum of the segment, computed with its checksum field zero. */
static uint16_t
tcp_cksum(const struct pkt *p)
{
	uint8_t seg[128];
	size_t tcplen = p->len - p->tcpoff;
	uint32_t sum = 0;

	memcpy(seg, p->b + p->tcpoff, tcplen);
	seg[16] = seg[17] = 0;
	sum = sum_bytes(sum, p->b + 12, 8);	/* source and destination */
	sum += 6;				/* zero, protocol */
	sum += (uint32_t)tcplen;
	sum = sum_bytes(sum, seg, tcplen);
	return (uint16_t)~fold(sum);
}

static int
tcp_cksum_ok(const struct pkt *p)
{
	return get_be16(p->b + p->tcpoff + 16) == tcp_cksum(p);
}

/*
 * An IPv4 TCP packet from 192.0.2.1:port to 198.51.100.7:443 with the given
 * options (padded to 4 bytes with EOL) and a few payload bytes, with a
 * valid checksum.
 */
static void
mkpkt(struct pkt *p, uint8_t flags, const uint8_t *opt, size_t optlen,
    uint16_t port)
{
	size_t optpad = (optlen + 3) & ~(size_t)3;
	size_t payload = 3;
	uint8_t *ip = p->b, *tcp;

	memset(p, 0, sizeof(*p));
	p->tcpoff = 20;
	p->len = 20 + 20 + optpad + payload;
	ip[0] = 0x45;
	put_be16(ip + 2, (uint16_t)p->len);
	put_be16(ip + 4, 0x1234);
	put_be16(ip + 6, 0x4000);		/* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\xc0\x00\x02\x01", 4);
	memcpy(ip + 16, "\xc6\x33\x64\x07", 4);
	tcp = ip + 20;
	put_be16(tcp, port);
	put_be16(tcp + 2, 443);
	put_be32(tcp + 4, 0x01020304u * port);
	put_be32(tcp + 8, flags & ACK ? 0xa0b0c0d0 : 0);
	tcp[12] = (uint8_t)(((20 + optpad) / 4) << 4);
	tcp[13] = flags;
	put_be16(tcp + 14, 64240);
	if (optlen > 0)
		memcpy(tcp + 20, opt, optlen);
	memcpy(tcp + 20 + optpad, "abc", payload);
	put_be16(tcp + 16, tcp_cksum(p));
}

static const uint8_t opt_mss1460[] = { 2, 4, 0x05, 0xb4 };
/* Linux's SYN: MSS, SACK permitted, timestamps, NOP, window scale. */
static const uint8_t opt_linux[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10,
    0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7 };
/* A NOP first puts the MSS value at an odd offset in the header. */
static const uint8_t opt_odd[] = { 1, 2, 4, 0x05, 0xb4 };

static uint16_t
mss_of(const struct pkt *p, size_t optoff)
{
	return get_be16(p->b + p->tcpoff + 20 + optoff + 2);
}

ATF_TC_WITHOUT_HEAD(syn_above_limit_is_lowered);
ATF_TC_BODY(syn_above_limit_is_lowered, tc)
{
	struct pkt p;

	mkpkt(&p, SYN, opt_mss1460, sizeof(opt_mss1460), 40000);
	ATF_REQUIRE(tcp_cksum_ok(&p));
	ATF_CHECK_EQ(mss_clamp(p.b, p.len, 1360), 1);
	ATF_CHECK_EQ(mss_of(&p, 0), 1360);
	ATF_CHECK(tcp_cksum_ok(&p));
}

ATF_TC_WITHOUT_HEAD(synack_is_lowered);
ATF_TC_BODY(synack_is_lowered, tc)
{
	struct pkt p;

	mkpkt(&p, SYN | ACK, opt_linux, sizeof(opt_linux), 51000);
	ATF_CHECK_EQ(mss_clamp(p.b, p.len, 1400), 1);
	ATF_CHECK_EQ(mss_of(&p, 0), 1400);
	ATF_CHECK(tcp_cksum_ok(&p));
	/* The other options are untouched. */
	ATF_CHECK_EQ(memcmp(p.b + 44, opt_linux + 4, sizeof(opt_linux) - 4),
	    0);
}

ATF_TC_WITHOUT_HEAD(mss_at_odd_offset);
ATF_TC_BODY(mss_at_odd_offset, tc)
{
	struct pkt p;

	mkpkt(&p, SYN, opt_odd, sizeof(opt_odd), 40001);
	ATF_CHECK_EQ(mss_clamp(p.b, p.len, 1200), 1);
	ATF_CHECK_EQ(mss_of(&p, 1), 1200);
	ATF_CHECK(tcp_cksum_ok(&p));
}

/* Many ports and limits, so every carry path of the update is taken. */
ATF_TC_WITHOUT_HEAD(checksum_sweep);
ATF_TC_BODY(checksum_sweep, tc)
{
	struct pkt p;
	unsigned int port, lim;

	for (port = 1; port < 65536; port += 251) {
		for (lim = 536; lim < 1460; lim += 97) {
			mkpkt(&p, SYN, opt_mss1460, sizeof(opt_mss1460),
			    (uint16_t)port);
			ATF_REQUIRE_EQ(mss_clamp(p.b, p.len, (uint16_t)lim),
			    1);
			ATF_REQUIRE(tcp_cksum_ok(&p));
			mkpkt(&p, SYN, opt_odd, sizeof(opt_odd),
			    (uint16_t)port);
			ATF_REQUIRE_EQ(mss_clamp(p.b, p.len, (uint16_t)lim),
			    1);
			ATF_REQUIRE(tcp_cksum_ok(&p));
		}
	}
}

/* Checks that mss_clamp leaves the packet byte for byte as it was. */
static void
check_untouched(const struct pkt *p, size_t len, uint16_t max)
{
	struct pkt q;

	memcpy(&q, p, sizeof(q));
	ATF_CHECK_EQ(mss_clamp(q.b, len, max), 0);
	ATF_CHECK_EQ(memcmp(q.b, p->b, sizeof(q.b)), 0);
}

ATF_TC_WITHOUT_HEAD(small_enough_is_untouched);
ATF_TC_BODY(small_enough_is_untouched, tc)
{
	struct pkt p;

	mkpkt(&p, SYN, opt_mss1460, sizeof(opt_mss1460), 40000);
	check_untouched(&p, p.len, 1460);
	check_untouched(&p, p.len, 1500);
}

ATF_TC_WITHOUT_HEAD(not_syn_is_untouched);
ATF_TC_BODY(not_syn_is_untouched, tc)
{
	struct pkt p;

	mkpkt(&p, ACK, opt_mss1460, sizeof(opt_mss1460), 40000);
	check_untouched(&p, p.len, 1000);
}

ATF_TC_WITHOUT_HEAD(no_mss_option);
ATF_TC_BODY(no_mss_option, tc)
{
	static const uint8_t opt[] = { 1, 1, 4, 2, 1, 3, 3, 7 };
	struct pkt p;

	mkpkt(&p, SYN, opt, sizeof(opt), 40000);
	check_untouched(&p, p.len, 1000);
	mkpkt(&p, SYN, NULL, 0, 40000);
	check_untouched(&p, p.len, 1000);
}

ATF_TC_WITHOUT_HEAD(eol_ends_options);
ATF_TC_BODY(eol_ends_options, tc)
{
	static const uint8_t opt[] = { 1, 0, 2, 4, 0x05, 0xb4 };
	struct pkt p;

	mkpkt(&p, SYN, opt, sizeof(opt), 40000);
	check_untouched(&p, p.len, 1000);
}

ATF_TC_WITHOUT_HEAD(truncated_packets);
ATF_TC_BODY(truncated_packets, tc)
{
	struct pkt p;
	size_t n;

	/* Cut short with the IP total length left as it was. */
	mkpkt(&p, SYN, opt_linux, sizeof(opt_linux), 40000);
	for (n = 0; n < p.len; n++)
		check_untouched(&p, n, 1000);
	/*
	 * Cut short with the IP total length agreeing: the TCP data offset
	 * now claims options past the end of the datagram.
	 */
	for (n = 20; n < 20 + 24; n++) {
		mkpkt(&p, SYN, opt_linux, sizeof(opt_linux), 40000);
		put_be16(p.b + 2, (uint16_t)n);
		check_untouched(&p, n, 1000);
	}
}

ATF_TC_WITHOUT_HEAD(lying_ip_lengths);
ATF_TC_BODY(lying_ip_lengths, tc)
{
	struct pkt p;
	unsigned int ihl;

	for (ihl = 0; ihl < 16; ihl++) {
		mkpkt(&p, SYN, opt_mss1460, sizeof(opt_mss1460), 40000);
		p.b[0] = (uint8_t)(0x40 | ihl);
		if (ihl < 5 || ihl * 4 > p.len) {
			/* Below the minimum, or past the whole datagram. */
			check_untouched(&p, p.len, 1000);
		} else if (ihl > 5) {
			/*
			 * The TCP header is now read from the wrong place;
			 * whatever it claims must be bounds-checked (ASan
			 * watches), and the checksum is still consistent
			 * if anything was changed.
			 */
			struct pkt q = p;

			(void)mss_clamp(q.b, q.len, 1000);
		}
	}
	mkpkt(&p, SYN, opt_mss1460, sizeof(opt_mss1460), 40000);
	put_be16(p.b + 2, 19);			/* total length < IHL */
	check_untouched(&p, p.len, 1000);
	put_be16(p.b + 2, (uint16_t)(p.len + 1));	/* past the buffer */
	check_untouched(&p, p.len, 1000);
	put_be16(p.b + 2, 0xffff);
	check_untouched(&p, p.len, 1000);
}

ATF_TC_WITHOUT_HEAD(lying_tcp_lengths);
ATF_TC_BODY(lying_tcp_lengths, tc)
{
	struct pkt p;
	unsigned int doff;

	for (doff = 0; doff < 5; doff++) {
		mkpkt(&p, SYN, opt_mss1460, sizeof(opt_mss1460), 40000);
		p.b[32] = (uint8_t)(doff << 4);
		check_untouched(&p, p.len, 1000);
	}
	/* Data offset past the end of the segment. */
	mkpkt(&p, SYN, opt_mss1460, sizeof(opt_mss1460), 40000);
	p.b[32] = 0xf0;
	check_untouched(&p, p.len, 1000);
}

ATF_TC_WITHOUT_HEAD(lying_option_lengths);
ATF_TC_BODY(lying_option_lengths, tc)
{
	static const uint8_t zero[] = { 4, 0, 2, 4, 0x05, 0xb4 };
	static const uint8_t one[] = { 4, 1, 2, 4, 0x05, 0xb4 };
	static const uint8_t past[] = { 8, 40, 2, 4, 0x05, 0xb4 };
	static const uint8_t mss3[] = { 2, 3, 0x05, 0xb4 };
	static const uint8_t mss5[] = { 2, 5, 0x05, 0xb4, 1, 1, 1, 1 };
	static const uint8_t mss_cut[] = { 1, 1, 1, 1, 1, 1, 1, 2, 4, 0x05 };
	struct pkt p;

	mkpkt(&p, SYN, zero, sizeof(zero), 40000);
	check_untouched(&p, p.len, 1000);
	mkpkt(&p, SYN, one, sizeof(one), 40000);
	check_untouched(&p, p.len, 1000);
	mkpkt(&p, SYN, past, sizeof(past), 40000);
	check_untouched(&p, p.len, 1000);
	mkpkt(&p, SYN, mss3, sizeof(mss3), 40000);
	check_untouched(&p, p.len, 1000);
	mkpkt(&p, SYN, mss5, sizeof(mss5), 40000);
	check_untouched(&p, p.len, 1000);
	/*
	 * The MSS option's value lies past the data offset, in the payload:
	 * the option list ends before it, so it is not an option.
	 */
	mkpkt(&p, SYN, mss_cut, sizeof(mss_cut), 40000);
	p.b[32] = 0x70;				/* 28 bytes: options end at 8 */
	check_untouched(&p, p.len, 1000);
}

ATF_TC_WITHOUT_HEAD(fragments_are_skipped);
ATF_TC_BODY(fragments_are_skipped, tc)
{
	struct pkt p;

	mkpkt(&p, SYN, opt_mss1460, sizeof(opt_mss1460), 40000);
	put_be16(p.b + 6, 0x2000);		/* MF */
	check_untouched(&p, p.len, 1000);
	put_be16(p.b + 6, 0x0001);		/* offset 8 */
	check_untouched(&p, p.len, 1000);
	put_be16(p.b + 6, 0x1fff);
	check_untouched(&p, p.len, 1000);
}

ATF_TC_WITHOUT_HEAD(non_tcp_is_untouched);
ATF_TC_BODY(non_tcp_is_untouched, tc)
{
	struct pkt p;

	mkpkt(&p, SYN, opt_mss1460, sizeof(opt_mss1460), 40000);
	p.b[9] = 17;				/* UDP */
	check_untouched(&p, p.len, 1000);
	p.b[9] = 6;
	p.b[0] = 0x65;				/* version 6 */
	check_untouched(&p, p.len, 1000);
}

ATF_TC_WITHOUT_HEAD(link_padding_is_ignored);
ATF_TC_BODY(link_padding_is_ignored, tc)
{
	struct pkt p;
	size_t iplen;

	mkpkt(&p, SYN, opt_mss1460, sizeof(opt_mss1460), 40000);
	iplen = p.len;
	memset(p.b + iplen, 0xee, 6);
	ATF_CHECK_EQ(mss_clamp(p.b, iplen + 6, 1300), 1);
	ATF_CHECK_EQ(mss_of(&p, 0), 1300);
	ATF_CHECK(tcp_cksum_ok(&p));
	ATF_CHECK_EQ(p.b[iplen], 0xee);
	ATF_CHECK_EQ(p.b[iplen + 5], 0xee);
}

ATF_TC_WITHOUT_HEAD(mss_for_mtu_bounds);
ATF_TC_BODY(mss_for_mtu_bounds, tc)
{
	ATF_CHECK_EQ(mss_for_mtu(1400), 1360);
	ATF_CHECK_EQ(mss_for_mtu(1500), 1460);
	ATF_CHECK_EQ(mss_for_mtu(576), 536);
	ATF_CHECK_EQ(mss_for_mtu(100), 536);
	ATF_CHECK_EQ(mss_for_mtu(0), 536);
	ATF_CHECK_EQ(mss_for_mtu(70000), 65535);
}

/* ---- IPv6 ---- */

/* The TCP checksum over IPv6's pseudo-header (RFC 8200 §8.1). */
static uint16_t
tcp6_cksum(const struct pkt *p)
{
	uint8_t seg[128];
	size_t tcplen = p->len - p->tcpoff;
	uint32_t sum = 0;

	memcpy(seg, p->b + p->tcpoff, tcplen);
	seg[16] = seg[17] = 0;
	sum = sum_bytes(sum, p->b + 8, 32);	/* source and destination */
	sum += (uint32_t)tcplen;
	sum += 6;				/* next header */
	sum = sum_bytes(sum, seg, tcplen);
	return (uint16_t)~fold(sum);
}

/* An IPv6 TCP SYN from 2001:db8::1 to 2001:db8::2 with these options. */
static void
mkpkt6(struct pkt *p, uint8_t flags, const uint8_t *opt, size_t optlen)
{
	size_t optpad = (optlen + 3) & ~(size_t)3;
	uint8_t *ip = p->b, *tcp;

	memset(p, 0, sizeof(*p));
	p->tcpoff = 40;
	p->len = 40 + 20 + optpad + 3;
	ip[0] = 0x60;
	put_be16(ip + 4, (uint16_t)(p->len - 40));
	ip[6] = 6;
	ip[7] = 64;
	ip[8] = 0x20; ip[9] = 0x01; ip[10] = 0x0d; ip[11] = 0xb8; ip[23] = 1;
	ip[24] = 0x20; ip[25] = 0x01; ip[26] = 0x0d; ip[27] = 0xb8; ip[39] = 2;
	tcp = ip + 40;
	put_be16(tcp, 40000);
	put_be16(tcp + 2, 443);
	put_be32(tcp + 4, 0x11223344);
	tcp[12] = (uint8_t)(((20 + optpad) / 4) << 4);
	tcp[13] = flags;
	put_be16(tcp + 14, 64800);
	if (optlen > 0)
		memcpy(tcp + 20, opt, optlen);
	memcpy(tcp + 20 + optpad, "xyz", 3);
	put_be16(tcp + 16, tcp6_cksum(p));
}

ATF_TC_WITHOUT_HEAD(ipv6_syn_is_lowered);
ATF_TC_BODY(ipv6_syn_is_lowered, tc)
{
	struct pkt p;

	mkpkt6(&p, SYN, opt_linux, sizeof(opt_linux));
	ATF_REQUIRE_EQ(mss_clamp6(p.b, p.len, 1336), 1);
	ATF_CHECK_EQ(mss_of(&p, 0), 1336);
	ATF_CHECK(get_be16(p.b + 56) == tcp6_cksum(&p));
	/* Odd offset, and a SYN-ACK. */
	mkpkt6(&p, SYN | ACK, opt_odd, sizeof(opt_odd));
	ATF_REQUIRE_EQ(mss_clamp6(p.b, p.len, 1336), 1);
	ATF_CHECK(get_be16(p.b + 56) == tcp6_cksum(&p));
	/* Small enough, not a SYN: untouched. */
	mkpkt6(&p, SYN, opt_mss1460, sizeof(opt_mss1460));
	ATF_CHECK_EQ(mss_clamp6(p.b, p.len, 1460), 0);
	mkpkt6(&p, ACK, opt_mss1460, sizeof(opt_mss1460));
	ATF_CHECK_EQ(mss_clamp6(p.b, p.len, 1336), 0);
	/* IPv4 is not IPv6, nor the other way round. */
	ATF_CHECK_EQ(mss_clamp(p.b, p.len, 1336), 0);
	mkpkt(&p, SYN, opt_mss1460, sizeof(opt_mss1460), 1);
	ATF_CHECK_EQ(mss_clamp6(p.b, p.len, 1336), 0);
}

ATF_TC_WITHOUT_HEAD(ipv6_lying_lengths);
ATF_TC_BODY(ipv6_lying_lengths, tc)
{
	struct pkt p;
	size_t n;

	/* Every truncation leaves the packet as it was. */
	mkpkt6(&p, SYN, opt_linux, sizeof(opt_linux));
	for (n = 0; n < p.len; n++) {
		struct pkt q = p;

		ATF_CHECK_EQ(mss_clamp6(q.b, n, 1336), 0);
		ATF_CHECK(memcmp(q.b, p.b, sizeof(p.b)) == 0);
	}
	/* A payload length past what came, or 0 (jumbogram). */
	put_be16(p.b + 4, (uint16_t)(p.len - 40 + 1));
	ATF_CHECK_EQ(mss_clamp6(p.b, p.len, 1336), 0);
	put_be16(p.b + 4, 0);
	ATF_CHECK_EQ(mss_clamp6(p.b, p.len, 1336), 0);
	/* A payload length that cuts into the options. */
	put_be16(p.b + 4, 22);
	ATF_CHECK_EQ(mss_clamp6(p.b, p.len, 1336), 0);
	/* An extension header before TCP: left alone. */
	mkpkt6(&p, SYN, opt_mss1460, sizeof(opt_mss1460));
	p.b[6] = 0;
	ATF_CHECK_EQ(mss_clamp6(p.b, p.len, 1336), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, syn_above_limit_is_lowered);
	ATF_TP_ADD_TC(tp, synack_is_lowered);
	ATF_TP_ADD_TC(tp, mss_at_odd_offset);
	ATF_TP_ADD_TC(tp, checksum_sweep);
	ATF_TP_ADD_TC(tp, small_enough_is_untouched);
	ATF_TP_ADD_TC(tp, not_syn_is_untouched);
	ATF_TP_ADD_TC(tp, no_mss_option);
	ATF_TP_ADD_TC(tp, eol_ends_options);
	ATF_TP_ADD_TC(tp, truncated_packets);
	ATF_TP_ADD_TC(tp, lying_ip_lengths);
	ATF_TP_ADD_TC(tp, lying_tcp_lengths);
	ATF_TP_ADD_TC(tp, lying_option_lengths);
	ATF_TP_ADD_TC(tp, fragments_are_skipped);
	ATF_TP_ADD_TC(tp, non_tcp_is_untouched);
	ATF_TP_ADD_TC(tp, link_padding_is_ignored);
	ATF_TP_ADD_TC(tp, mss_for_mtu_bounds);
	ATF_TP_ADD_TC(tp, ipv6_syn_is_lowered);
	ATF_TP_ADD_TC(tp, ipv6_lying_lengths);
	return atf_no_error();
}
