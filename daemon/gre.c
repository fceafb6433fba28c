/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Enhanced GRE codec (RFC 2637 §4.1) and the IPv4 header check for raw
 * IPPROTO_GRE sockets.  See gre.h.
 */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "gre.h"

#define IPV4_HDR_MIN	20
#define IPV4_FL_MF	0x2000
#define IPV4_OFFMASK	0x1fff

size_t
gre_hdr_len(int has_seq, int has_ack)
{
	return GRE_HDR_BASE + (has_seq ? 4 : 0) + (has_ack ? 4 : 0);
}

enum gre_err
gre_decode(const uint8_t *pkt, size_t len, struct gre_hdr *h)
{
	struct rbuf r;
	uint16_t flags, proto;

	memset(h, 0, sizeof(*h));
	rbuf_init(&r, pkt, len);
	if (rbuf_u16(&r, &flags) == -1 || rbuf_u16(&r, &proto) == -1)
		return GRE_E_SHORT;

	/*
	 * The checks pptpclient and Linux make, in the order that gives the
	 * most telling error: version first, since a version 0 packet is
	 * plain GRE that found its way to this socket, not a broken PPTP one.
	 */
	if ((flags & GRE_FL_VER) != GRE_VERSION)
		return GRE_E_VERSION;
	if (proto != GRE_PROTO_PPP)
		return GRE_E_PROTO;
	if (flags & (GRE_FL_C | GRE_FL_R | GRE_FL_SSR | GRE_FL_RECUR |
	    GRE_FL_FLAGS))
		return GRE_E_FLAGS;
	if (!(flags & GRE_FL_K))
		return GRE_E_NOKEY;

	h->has_seq = (flags & GRE_FL_S) != 0;
	h->has_ack = (flags & GRE_FL_A) != 0;
	if (!h->has_seq && !h->has_ack)
		return GRE_E_EMPTY;

	rbuf_u16(&r, &h->payload_len);
	rbuf_u16(&r, &h->call_id);
	if (h->has_seq)
		rbuf_u32(&r, &h->seq);
	/* Without S the acknowledgement sits where the sequence would. */
	if (h->has_ack)
		rbuf_u32(&r, &h->ack);
	if (rbuf_failed(&r))
		return GRE_E_SHORT;
	h->hdr_len = r.off;

	if (!h->has_seq && h->payload_len != 0)
		return GRE_E_NOSEQ;
	if (h->payload_len > rbuf_left(&r))
		return GRE_E_LENGTH;
	return GRE_OK;
}

size_t
gre_encode_hdr(uint8_t *out, size_t cap, const struct gre_hdr *h)
{
	struct wbuf w;
	uint16_t flags = GRE_FL_K | GRE_VERSION;

	if (!h->has_seq && (h->payload_len != 0 || !h->has_ack))
		return 0;
	if (h->has_seq)
		flags |= GRE_FL_S;
	if (h->has_ack)
		flags |= GRE_FL_A;

	wbuf_init(&w, out, cap);
	wbuf_u16(&w, flags);
	wbuf_u16(&w, GRE_PROTO_PPP);
	wbuf_u16(&w, h->payload_len);
	wbuf_u16(&w, h->call_id);
	if (h->has_seq)
		wbuf_u32(&w, h->seq);
	if (h->has_ack)
		wbuf_u32(&w, h->ack);
	if (wbuf_failed(&w))
		return 0;
	return wbuf_len(&w);
}

enum gre_err
gre_ipv4_decode(const uint8_t *pkt, size_t len, struct in_addr *src,
    size_t *gre_off, size_t *gre_len)
{
	struct rbuf r;
	uint8_t vhl, proto;
	uint16_t totlen, off;
	size_t hlen;

	*gre_off = 0;
	*gre_len = 0;
	memset(src, 0, sizeof(*src));

	rbuf_init(&r, pkt, len);
	rbuf_u8(&r, &vhl);
	rbuf_skip(&r, 1);			/* TOS */
	rbuf_u16(&r, &totlen);
	rbuf_skip(&r, 2);			/* identification */
	rbuf_u16(&r, &off);
	rbuf_skip(&r, 1);			/* TTL */
	rbuf_u8(&r, &proto);
	rbuf_skip(&r, 2);			/* checksum: kernel checked */
	rbuf_bytes(&r, &src->s_addr, 4);	/* stays in network order */
	rbuf_skip(&r, 4);			/* destination */
	if (rbuf_failed(&r))
		return GRE_E_IP_SHORT;

	if (vhl >> 4 != 4)
		return GRE_E_IP_VERSION;
	hlen = (size_t)(vhl & 0x0f) * 4;
	if (hlen < IPV4_HDR_MIN || hlen > len)
		return GRE_E_IP_HDRLEN;
	if (totlen < hlen || totlen > len)
		return GRE_E_IP_TOTLEN;
	if (proto != IPPROTO_GRE)
		return GRE_E_IP_PROTO;
	if (off & (IPV4_FL_MF | IPV4_OFFMASK))
		return GRE_E_IP_FRAG;

	*gre_off = hlen;
	*gre_len = totlen - hlen;
	return GRE_OK;
}

const char *
gre_strerror(enum gre_err e)
{
	switch (e) {
	case GRE_OK:
		return "no error";
	case GRE_E_SHORT:
		return "GRE header truncated";
	case GRE_E_FLAGS:
		return "GRE C, R, s, Recur or reserved flag set";
	case GRE_E_NOKEY:
		return "GRE K flag clear (no call ID)";
	case GRE_E_VERSION:
		return "GRE version not 1";
	case GRE_E_PROTO:
		return "GRE protocol type not 0x880B";
	case GRE_E_LENGTH:
		return "GRE payload length beyond end of packet";
	case GRE_E_NOSEQ:
		return "GRE payload without sequence number";
	case GRE_E_EMPTY:
		return "GRE packet with neither sequence nor ack";
	case GRE_E_IP_SHORT:
		return "IPv4 header truncated";
	case GRE_E_IP_VERSION:
		return "IP version not 4";
	case GRE_E_IP_HDRLEN:
		return "IPv4 header length below 20 or beyond end of packet";
	case GRE_E_IP_TOTLEN:
		return "IPv4 total length below header or beyond end of packet";
	case GRE_E_IP_PROTO:
		return "IPv4 protocol not GRE (47)";
	case GRE_E_IP_FRAG:
		return "IPv4 fragment";
	}
	return "unknown GRE error";
}
