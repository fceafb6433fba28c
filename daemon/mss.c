/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * TCP MSS clamping (see mss.h).  The packet is read through a struct rbuf,
 * so every header and option length is checked against what is really
 * there before the one field we change is written.
 */
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "mss.h"

#define IPV4_HDR_MIN	20
#define IPV6_HDR_LEN	40
#define IP_PROTO_TCP	6
#define IP_MF		0x2000
#define IP_OFFMASK	0x1fff
#define TCP_HDR_MIN	20
#define TCP_SYN		0x02
#define TCPOPT_EOL	0
#define TCPOPT_NOP	1
#define TCPOPT_MSS	2
#define TCPOLEN_MSS	4

/* Offsets inside the TCP header. */
#define TCP_OFF_DOFF	12
#define TCP_OFF_FLAGS	13
#define TCP_OFF_SUM	16

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m').  Unlike eqn. 2 it never yields
 * 0x0000 from a non-zero sum, so it cannot turn a valid checksum into the
 * "no checksum" value some stacks special-case.
 */
static uint16_t
cksum_adjust(uint16_t hc, uint16_t old, uint16_t new)
{
	uint32_t sum;

	sum = (uint32_t)(uint16_t)~hc + (uint16_t)~old + new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t
swap16(uint16_t v)
{
	return (uint16_t)(v << 8 | v >> 8);
}

uint16_t
mss_for_mtu(unsigned int mtu)
{
	if (mtu < MSS_MIN + MSS_IPV4_TCP_OVERHEAD)
		return MSS_MIN;
	if (mtu - MSS_IPV4_TCP_OVERHEAD > UINT16_MAX)
		return UINT16_MAX;
	return (uint16_t)(mtu - MSS_IPV4_TCP_OVERHEAD);
}

/*
 * The TCP segment at pkt[tcpoff..end) of a packet whose IP header was
 * checked by the caller: lowers a SYN's MSS option above maxmss.
 */
static int
tcp_clamp(uint8_t *pkt, size_t tcpoff, size_t end, uint16_t maxmss)
{
	struct rbuf r;
	const uint8_t *tcp;
	size_t doff, optend, valoff;
	uint16_t mss, sum;
	uint8_t kind, olen;

	rbuf_init(&r, pkt, end);
	if (rbuf_skip(&r, tcpoff) == -1)
		return 0;
	if ((tcp = rbuf_take(&r, TCP_HDR_MIN)) == NULL)
		return 0;
	if ((tcp[TCP_OFF_FLAGS] & TCP_SYN) == 0)
		return 0;
	doff = (size_t)(tcp[TCP_OFF_DOFF] >> 4) * 4;
	if (doff < TCP_HDR_MIN || doff > end - tcpoff)
		return 0;

	/* Walk the options inside the data offset only. */
	optend = tcpoff + doff;
	rbuf_init(&r, pkt, optend);
	rbuf_skip(&r, tcpoff + TCP_HDR_MIN);
	while (rbuf_left(&r) > 0) {
		if (rbuf_u8(&r, &kind) == -1 || kind == TCPOPT_EOL)
			return 0;
		if (kind == TCPOPT_NOP)
			continue;
		if (rbuf_u8(&r, &olen) == -1 || olen < 2 ||
		    rbuf_left(&r) < (size_t)olen - 2)
			return 0;
		if (kind != TCPOPT_MSS) {
			rbuf_skip(&r, (size_t)olen - 2);
			continue;
		}
		if (olen != TCPOLEN_MSS)
			return 0;
		valoff = r.off;
		if (rbuf_u16(&r, &mss) == -1 || mss <= maxmss)
			return 0;
		put_be16(pkt + valoff, maxmss);
		/*
		 * The checksum sums 16-bit words from the start of the TCP
		 * header (the pseudo-header is 12 bytes for IPv4 and 40 for
		 * IPv6, so that alignment holds).  An MSS at an odd offset
		 * straddles two words, and its contribution to the one's-
		 * complement sum is then its byte-swapped value.
		 */
		sum = get_be16(pkt + tcpoff + TCP_OFF_SUM);
		if ((valoff - tcpoff) & 1)
			sum = cksum_adjust(sum, swap16(mss), swap16(maxmss));
		else
			sum = cksum_adjust(sum, mss, maxmss);
		put_be16(pkt + tcpoff + TCP_OFF_SUM, sum);
		return 1;
	}
	return 0;
}

int
mss_clamp(uint8_t *pkt, size_t len, uint16_t maxmss)
{
	struct rbuf r;
	const uint8_t *ip;
	size_t ihl, iplen;
	uint16_t frag;

	rbuf_init(&r, pkt, len);
	if ((ip = rbuf_take(&r, IPV4_HDR_MIN)) == NULL)
		return 0;
	if (ip[0] >> 4 != 4 || ip[9] != IP_PROTO_TCP)
		return 0;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	iplen = get_be16(ip + 2);
	/* Trailing bytes past the total length (link padding) are not ours. */
	if (ihl < IPV4_HDR_MIN || iplen < ihl || iplen > len)
		return 0;
	/*
	 * A later fragment holds no TCP header; a first fragment of a SYN
	 * does not occur in practice, and its checksum spans bytes we
	 * cannot see.
	 */
	frag = get_be16(ip + 6);
	if (frag & (IP_MF | IP_OFFMASK))
		return 0;
	return tcp_clamp(pkt, ihl, iplen, maxmss);
}

int
mss_clamp6(uint8_t *pkt, size_t len, uint16_t maxmss)
{
	struct rbuf r;
	const uint8_t *ip;
	size_t iplen;

	rbuf_init(&r, pkt, len);
	if ((ip = rbuf_take(&r, IPV6_HDR_LEN)) == NULL)
		return 0;
	/*
	 * TCP right after the fixed header only: a SYN behind extension
	 * headers (a fragment header, say) is rare, and walking them for
	 * it is more code on the wire path than it is worth.
	 */
	if (ip[0] >> 4 != 6 || ip[6] != IP_PROTO_TCP)
		return 0;
	iplen = IPV6_HDR_LEN + get_be16(ip + 4);
	/* A jumbogram (payload length 0) or one longer than what came. */
	if (iplen == IPV6_HDR_LEN || iplen > len)
		return 0;
	return tcp_clamp(pkt, IPV6_HDR_LEN, iplen, maxmss);
}
