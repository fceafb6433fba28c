/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * TCP segmentation and coalescing for tun offloads (tso.h).  The rules
 * follow what Linux's own GSO and GRO do to a TCP stream, so that the
 * segments that leave are those the kernel would have made, and the
 * super-packets it gets back are ones its GRO could have built.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "tso.h"

#define IPPROTO_TCP_	6
#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_RST		0x04
#define TH_PSH		0x08
#define TH_ACK		0x10
#define TH_URG		0x20
#define TH_CWR		0x80
#define TCP_HDR_MIN	20
#define IP4_HDR_MIN	20
#define IP6_HDR_LEN	40

uint32_t
cs_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	uint64_t acc = sum;
	uint32_t w[4];
	uint16_t h;
	uint8_t last[2];

	/* 32-bit words into 64 bits: the carries fold in at the end. */
	while (len >= sizeof(w)) {
		memcpy(w, p, sizeof(w));
		acc += (uint64_t)w[0] + w[1] + w[2] + w[3];
		p += sizeof(w);
		len -= sizeof(w);
	}
	while (len >= 4) {
		memcpy(w, p, 4);
		acc += w[0];
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		acc += h;
		p += 2;
		len -= 2;
	}
	if (len == 1) {
		/* A last odd byte is the high half of a zero-padded word. */
		last[0] = p[0];
		last[1] = 0;
		memcpy(&h, last, 2);
		acc += h;
	}
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t
cs_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Stores ~sum at p, in memory byte order as cs_sum() keeps it. */
static void
cs_store(uint8_t *p, uint32_t sum)
{
	uint16_t v = (uint16_t)~cs_fold(sum);

	memcpy(p, &v, 2);
}

/* The TCP pseudo-header's sum (RFC 793, RFC 8200 §8.1). */
static uint32_t
pseudo_sum(const uint8_t *ip, int v6, size_t l4len)
{
	uint8_t t[8];

	if (v6) {
		memset(t, 0, sizeof(t));
		put_be32(t, (uint32_t)l4len);
		t[7] = IPPROTO_TCP_;
		return cs_sum(t, 8, cs_sum(ip + 8, 32, 0));
	}
	t[0] = 0;
	t[1] = IPPROTO_TCP_;
	put_be16(t + 2, (uint16_t)l4len);
	return cs_sum(t, 4, cs_sum(ip + 12, 8, 0));
}

int
tso_csum_finish(uint8_t *pkt, size_t len, const struct vnet_hdr *h)
{
	size_t start = h->csum_start, at = start + h->csum_offset;
	uint16_t v;

	if (start >= len || at + 2 > len || at < start)
		return -1;
	v = (uint16_t)~cs_fold(cs_sum(pkt + start, len - start, 0));
	/* 0 means "no checksum" to UDP; 0xffff is the same sum. */
	if (v == 0)
		v = 0xffff;
	memcpy(pkt + at, &v, 2);
	return 0;
}

const char *
tso_strerror(enum tso_err e)
{
	switch (e) {
	case TSO_OK:
		return "no error";
	case TSO_BAD_TYPE:
		return "not TCP segmentation";
	case TSO_BAD_HEADER:
		return "headers that do not add up";
	case TSO_EXT_HEADER:
		return "IPv6 extension headers before TCP";
	case TSO_TOO_SMALL:
		return "the link cannot carry a segment";
	}
	return "unknown";
}

enum tso_err
tso_begin(struct tso *t, const struct vnet_hdr *h, const uint8_t *pkt,
    size_t len, size_t seg_max)
{
	uint8_t type = h->gso_type & (uint8_t)~VNET_GSO_ECN;
	const uint8_t *th;
	size_t thl;

	memset(t, 0, sizeof(*t));
	if (type != VNET_GSO_TCPV4 && type != VNET_GSO_TCPV6)
		return TSO_BAD_TYPE;
	if (type == VNET_GSO_TCPV4) {
		if (len < IP4_HDR_MIN || pkt[0] >> 4 != 4)
			return TSO_BAD_HEADER;
		t->iphl = (size_t)(pkt[0] & 0x0f) * 4;
		/* No fragment: the kernel never segments one. */
		if (t->iphl < IP4_HDR_MIN || len < t->iphl ||
		    pkt[9] != IPPROTO_TCP_ || (get_be16(pkt + 6) & 0x3fff) ||
		    get_be16(pkt + 2) != len)
			return TSO_BAD_HEADER;
		t->id = get_be16(pkt + 4);
	} else {
		if (len < IP6_HDR_LEN || pkt[0] >> 4 != 6)
			return TSO_BAD_HEADER;
		if (pkt[6] != IPPROTO_TCP_)
			return TSO_EXT_HEADER;
		if ((size_t)get_be16(pkt + 4) + IP6_HDR_LEN != len)
			return TSO_BAD_HEADER;
		t->iphl = IP6_HDR_LEN;
		t->v6 = 1;
	}
	if (len < t->iphl + TCP_HDR_MIN)
		return TSO_BAD_HEADER;
	th = pkt + t->iphl;
	thl = (size_t)(th[12] >> 4) * 4;
	t->hlen = t->iphl + thl;
	t->flags = th[13];
	/* A SYN or RST repeated on every segment would be a new meaning. */
	if (thl < TCP_HDR_MIN || len <= t->hlen || h->gso_size == 0 ||
	    (t->flags & (TH_SYN | TH_RST)))
		return TSO_BAD_HEADER;
	if (seg_max <= t->hlen)
		return TSO_TOO_SMALL;
	/* Smaller segments than asked, if the link needs them, are TCP. */
	t->mss = h->gso_size;
	if (t->mss > seg_max - t->hlen)
		t->mss = seg_max - t->hlen;
	t->pkt = pkt;
	t->len = len;
	t->seq = get_be32(th + 4);
	if (t->flags & TH_URG)
		t->urg_end = t->seq + get_be16(th + 18);
	return TSO_OK;
}

size_t
tso_next(struct tso *t, uint8_t *out)
{
	size_t left, n, tot;
	uint8_t *ip = out, *th = out + t->iphl, fl;
	uint32_t seq, up;

	if (t->pkt == NULL || (left = t->len - t->hlen - t->off) == 0)
		return 0;
	n = left < t->mss ? left : t->mss;
	tot = t->hlen + n;
	memcpy(out, t->pkt, t->hlen);
	memcpy(out + t->hlen, t->pkt + t->hlen + t->off, n);
	seq = t->seq + (uint32_t)t->off;

	if (t->v6)
		put_be16(ip + 4, (uint16_t)(tot - IP6_HDR_LEN));
	else {
		put_be16(ip + 2, (uint16_t)tot);
		put_be16(ip + 4, (uint16_t)(t->id + t->n));
		ip[10] = ip[11] = 0;
		cs_store(ip + 10, cs_sum(ip, t->iphl, 0));
	}
	put_be32(th + 4, seq);
	fl = t->flags;
	if (n < left)
		fl &= (uint8_t)~(TH_FIN | TH_PSH);
	if (t->n > 0)
		fl &= (uint8_t)~TH_CWR;
	if (t->flags & TH_URG) {
		/* The pointer is relative: each segment gets its own. */
		if ((int32_t)(t->urg_end - seq) > 0) {
			up = t->urg_end - seq;
			put_be16(th + 18, (uint16_t)(up > 0xffff ? 0xffff : up));
		} else {
			fl &= (uint8_t)~TH_URG;
			put_be16(th + 18, 0);
		}
	}
	th[13] = fl;
	th[16] = th[17] = 0;
	cs_store(th + 16, cs_sum(th, tot - t->iphl,
	    pseudo_sum(ip, t->v6, tot - t->iphl)));
	t->off += n;
	t->n++;
	return tot;
}

/* ---- Coalescing. ---- */

/* What gro_start() and gro_append() need of a segment. */
struct seg {
	int		 v6;
	size_t		 iphl, hlen, plen;
	uint8_t		 flags;
	uint32_t	 seq;
};

/*
 * A TCP segment that could be joined to others, with valid checksums.
 * Checking the TCP checksum here is not optional: the kernel trusts a
 * super-packet marked VNET_F_NEEDS_CSUM, so a segment damaged on the way
 * (MPPE carries no integrity check) would otherwise be accepted.
 */
static int
seg_parse(const uint8_t *p, size_t len, struct seg *s)
{
	const uint8_t *th;
	size_t thl;

	if (len < IP4_HDR_MIN || len > TSO_PKT_MAX)
		return -1;
	s->v6 = p[0] >> 4 == 6;
	if (!s->v6) {
		/* No options, no fragment, a length that adds up. */
		if (p[0] != 0x45 || p[9] != IPPROTO_TCP_ ||
		    (get_be16(p + 6) & 0x3fff) || get_be16(p + 2) != len ||
		    cs_fold(cs_sum(p, IP4_HDR_MIN, 0)) != 0xffff)
			return -1;
		s->iphl = IP4_HDR_MIN;
	} else {
		if (len < IP6_HDR_LEN || p[6] != IPPROTO_TCP_ ||
		    (size_t)get_be16(p + 4) + IP6_HDR_LEN != len)
			return -1;
		s->iphl = IP6_HDR_LEN;
	}
	if (len < s->iphl + TCP_HDR_MIN)
		return -1;
	th = p + s->iphl;
	thl = (size_t)(th[12] >> 4) * 4;
	s->hlen = s->iphl + thl;
	if (thl < TCP_HDR_MIN || len <= s->hlen)
		return -1;
	s->plen = len - s->hlen;
	s->flags = th[13];
	s->seq = get_be32(th + 4);
	if (cs_fold(cs_sum(th, len - s->iphl,
	    pseudo_sum(p, s->v6, len - s->iphl))) != 0xffff)
		return -1;
	return 0;
}

int
gro_start(struct gro *g, const uint8_t *pkt, size_t len)
{
	struct seg s;

	g->len = 0;
	if (seg_parse(pkt, len, &s) == -1 || s.flags != TH_ACK)
		return 0;
	memcpy(g->buf, pkt, len);
	g->len = len;
	g->v6 = s.v6;
	g->iphl = s.iphl;
	g->hlen = s.hlen;
	g->gso_size = s.plen;
	g->bytes = len;
	g->nseg = 1;
	g->closed = 0;
	g->next_seq = s.seq + (uint32_t)s.plen;
	g->next_id = s.v6 ? 0 : (uint16_t)(get_be16(pkt + 4) + 1);
	return 1;
}

int
gro_append(struct gro *g, const uint8_t *pkt, size_t len)
{
	const uint8_t *a = g->buf, *ta, *tb;
	struct seg s;

	if (g->len == 0 || g->closed || seg_parse(pkt, len, &s) == -1 ||
	    s.v6 != g->v6 || s.hlen != g->hlen || s.seq != g->next_seq ||
	    s.plen > g->gso_size || (g->v6 ? g->len - IP6_HDR_LEN : g->len) +
	    s.plen > TSO_IP_LEN_MAX ||
	    (s.flags != TH_ACK && s.flags != (TH_ACK | TH_PSH)))
		return 0;
	if (!g->v6) {
		/* TOS (and ECN), DF, TTL, addresses the same; IDs in a row. */
		if (a[1] != pkt[1] || memcmp(a + 6, pkt + 6, 4) != 0 ||
		    memcmp(a + 12, pkt + 12, 8) != 0 ||
		    get_be16(pkt + 4) != g->next_id)
			return 0;
	} else if (memcmp(a, pkt, 4) != 0 || memcmp(a + 6, pkt + 6, 34) != 0)
		return 0;
	/* Ports, ACK, header length, window and options the same. */
	ta = a + g->iphl;
	tb = pkt + s.iphl;
	if (memcmp(ta, tb, 4) != 0 || memcmp(ta + 8, tb + 8, 5) != 0 ||
	    memcmp(ta + 14, tb + 14, 2) != 0 ||
	    memcmp(ta + TCP_HDR_MIN, tb + TCP_HDR_MIN,
	    g->hlen - g->iphl - TCP_HDR_MIN) != 0)
		return 0;
	memcpy(g->buf + g->len, pkt + s.hlen, s.plen);
	g->len += s.plen;
	g->bytes += len;
	g->nseg++;
	g->next_seq += (uint32_t)s.plen;
	g->next_id++;
	if (s.plen < g->gso_size || (s.flags & TH_PSH)) {
		g->closed = 1;
		g->buf[g->iphl + 13] |= s.flags & TH_PSH;
	}
	return 1;
}

size_t
gro_finish(struct gro *g, struct vnet_hdr *h)
{
	uint8_t *ip = g->buf, *th = g->buf + g->iphl;
	uint16_t ps;

	memset(h, 0, sizeof(*h));
	if (g->nseg <= 1)
		return g->len;
	if (g->v6) {
		put_be16(ip + 4, (uint16_t)(g->len - IP6_HDR_LEN));
		h->gso_type = VNET_GSO_TCPV6;
	} else {
		put_be16(ip + 2, (uint16_t)g->len);
		ip[10] = ip[11] = 0;
		cs_store(ip + 10, cs_sum(ip, g->iphl, 0));
		h->gso_type = VNET_GSO_TCPV4;
	}
	/* The kernel adds the segment's own sum to the pseudo-header's. */
	ps = cs_fold(pseudo_sum(ip, g->v6, g->len - g->iphl));
	memcpy(th + 16, &ps, 2);
	h->flags = VNET_F_NEEDS_CSUM;
	h->hdr_len = (uint16_t)g->hlen;
	h->gso_size = (uint16_t)g->gso_size;
	h->csum_start = (uint16_t)g->iphl;
	h->csum_offset = 16;
	return g->len;
}
