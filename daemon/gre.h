/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Enhanced GRE (RFC 2637 §4.1) as PPTP carries PPP frames in it, and the
 * IPv4 header in front of it on a raw IPPROTO_GRE socket.
 *
 * Pure codec: no state, no I/O, no allocation.  The per-call sequence,
 * acknowledgement and reorder logic lives in gre_call.h.
 *
 *	|C|R|K|S|s|Recur|A| Flags | Ver |  Protocol Type (0x880B)  |
 *	|     Payload Length        |          Call ID             |
 *	|             Sequence Number (present if S)               |
 *	|          Acknowledgment Number (present if A)            |
 *
 * An ack-only packet (S=0, A=1) carries its acknowledgement right after
 * the call ID, at offset 8.
 */
#ifndef PPTPC_GRE_H
#define PPTPC_GRE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define GRE_PROTO_PPP	0x880b
#define GRE_VERSION	1

/* The first 16 bits as a big-endian word (Linux include/net/pptp.h). */
#define GRE_FL_C	0x8000	/* checksum present: never in PPTP */
#define GRE_FL_R	0x4000	/* routing present: never in PPTP */
#define GRE_FL_K	0x2000	/* key present: always in PPTP */
#define GRE_FL_S	0x1000	/* sequence number present */
#define GRE_FL_SSR	0x0800	/* strict source route: never */
#define GRE_FL_RECUR	0x0700	/* recursion control: always 0 */
#define GRE_FL_A	0x0080	/* acknowledgement number present */
#define GRE_FL_FLAGS	0x0078	/* reserved flags: always 0 */
#define GRE_FL_VER	0x0007

#define GRE_HDR_BASE	8	/* flags, protocol, payload length, call ID */
#define GRE_HDR_MAX	16	/* with both sequence and acknowledgement */
#define GRE_PAYLOAD_MAX	0xffff	/* what the 16-bit length field can say */

enum gre_err {
	GRE_OK = 0,
	GRE_E_SHORT,		/* shorter than the header its flags announce */
	GRE_E_FLAGS,		/* C, R, s, Recur or reserved flags set */
	GRE_E_NOKEY,		/* K clear: no payload length and call ID */
	GRE_E_VERSION,		/* version is not 1 */
	GRE_E_PROTO,		/* protocol type is not 0x880B */
	GRE_E_LENGTH,		/* payload length exceeds the bytes present */
	GRE_E_NOSEQ,		/* payload without a sequence number */
	GRE_E_EMPTY,		/* neither sequence nor acknowledgement */
	GRE_E_IP_SHORT,		/* shorter than an IPv4 header */
	GRE_E_IP_VERSION,	/* IP version is not 4 */
	GRE_E_IP_HDRLEN,	/* IHL below 5 or beyond the packet */
	GRE_E_IP_TOTLEN,	/* total length below IHL or beyond packet */
	GRE_E_IP_PROTO,		/* IP protocol is not 47 */
	GRE_E_IP_FRAG,		/* a fragment (MF set or offset non-zero) */
};

/* One decoded (or to be encoded) GRE header. */
struct gre_hdr {
	uint16_t	 payload_len;
	uint16_t	 call_id;
	uint8_t		 has_seq;
	uint8_t		 has_ack;
	uint32_t	 seq;
	uint32_t	 ack;
	size_t		 hdr_len;	/* decode: bytes before the payload */
};

/* Header length for the given optional fields: 8, 12 or 16. */
size_t		 gre_hdr_len(int has_seq, int has_ack);

/*
 * Decodes the GRE header at pkt with the receiver checks of pptpclient and
 * Linux.  On GRE_OK the payload is pkt[h->hdr_len .. + h->payload_len];
 * bytes after it (link padding) are ignored.
 */
enum gre_err	 gre_decode(const uint8_t *pkt, size_t len, struct gre_hdr *h);

/*
 * Writes the header for h (has_seq/has_ack select the fields; payload_len
 * is written as given) to out, which holds cap bytes.  Returns the header
 * length, or 0 if it does not fit or S is clear while payload_len is not
 * 0, or neither S nor A is set.
 */
size_t		 gre_encode_hdr(uint8_t *out, size_t cap,
		    const struct gre_hdr *h);

/*
 * Checks the IPv4 header of a packet read from a raw IPPROTO_GRE socket on
 * Linux (which delivers the IP header, in network byte order, with
 * fragments already reassembled).  On GRE_OK, *src is the sender and the
 * GRE packet is pkt[*gre_off .. *gre_off + *gre_len] (total length, not the
 * read length, bounds it).
 */
enum gre_err	 gre_ipv4_decode(const uint8_t *pkt, size_t len,
		    struct in_addr *src, size_t *gre_off, size_t *gre_len);

/* A constant English phrase for an error, for log lines. */
const char	*gre_strerror(enum gre_err);

#endif /* PPTPC_GRE_H */
