/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * TCP segmentation and coalescing for a tun device with offloads (Linux
 * IFF_VNET_HDR + TUNSETOFFLOAD; doc/datapath.md §9).
 *
 * With offloads on, one read from tun brings a TCP "super-packet" of up
 * to 64 kB with a virtio_net_hdr that names its segment size; the data
 * path cuts it into segments here (tso_begin()/tso_next()), each with its
 * own IPv4/IPv6 and TCP headers and checksums, as a NIC would.  The
 * other way, consecutive in-order segments of one TCP flow are joined
 * into one super-packet (gro_start()/gro_append()/gro_finish()) that one
 * write hands to the kernel, which then treats it as what the segments
 * were.
 *
 * Everything here is OS-neutral arithmetic on buffers: no system calls,
 * no allocation.  Every header read is bounds-checked; a packet that
 * does not add up is refused, never passed on half-fixed.
 */
#ifndef PPTPC_TSO_H
#define PPTPC_TSO_H

#include <stddef.h>
#include <stdint.h>

/*
 * The virtio_net_hdr (legacy layout, native byte order) that precedes
 * every packet on a tun device opened with IFF_VNET_HDR.
 */
struct vnet_hdr {
	uint8_t		 flags;
	uint8_t		 gso_type;
	uint16_t	 hdr_len;
	uint16_t	 gso_size;
	uint16_t	 csum_start;
	uint16_t	 csum_offset;
};
#define VNET_HDR_LEN		10
#define VNET_F_NEEDS_CSUM	1	/* checksum from csum_start to do */
#define VNET_GSO_NONE		0
#define VNET_GSO_TCPV4		1
#define VNET_GSO_UDP		3
#define VNET_GSO_TCPV6		4
#define VNET_GSO_ECN		0x80

/* The largest packet: IPv4's total length, IPv6's 40 + payload length. */
#define TSO_IP_LEN_MAX		65535
#define TSO_PKT_MAX		(40 + TSO_IP_LEN_MAX)

/* Why tso_begin() refused a packet. */
enum tso_err {
	TSO_OK = 0,
	TSO_BAD_TYPE,		/* not TCP GSO (UDP, unknown) */
	TSO_BAD_HEADER,		/* headers that do not add up */
	TSO_EXT_HEADER,		/* IPv6 extension headers before TCP */
	TSO_TOO_SMALL,		/* the link's packet cannot hold a segment */
};

/* A super-packet being cut (tso_begin()). */
struct tso {
	const uint8_t	*pkt;
	size_t		 len;
	size_t		 iphl;		/* IP header, options included */
	size_t		 hlen;		/* IP and TCP headers */
	size_t		 mss;		/* payload bytes per segment */
	size_t		 off;		/* payload bytes already cut */
	int		 v6;
	uint32_t	 seq;		/* of the first payload byte */
	uint32_t	 urg_end;	/* seq + urgent pointer, if URG */
	uint16_t	 id;		/* IPv4 ID of the first segment */
	uint8_t		 flags;		/* TCP flags of the super-packet */
	unsigned int	 n;		/* segments cut */
};

/*
 * The Internet checksum (RFC 1071) of p[0..len) added to sum: a 16-bit
 * one's-complement sum kept in memory byte order, so that it can be
 * stored with memcpy() as it is.  Regions summed one after the other
 * must each start at an even offset of the whole.
 */
uint32_t	 cs_sum(const uint8_t *p, size_t len, uint32_t sum);
/* Folds a cs_sum() result to 16 bits (not complemented). */
uint16_t	 cs_fold(uint32_t sum);

/*
 * A non-GSO packet with VNET_F_NEEDS_CSUM: the stack left the checksum
 * field at csum_start + csum_offset holding the pseudo-header sum; sums
 * the rest and stores the checksum.  -1 if the offsets fall outside pkt.
 */
int		 tso_csum_finish(uint8_t *pkt, size_t len,
		    const struct vnet_hdr *);

/*
 * Starts cutting the super-packet pkt[0..len) described by h into
 * segments of at most seg_max bytes each (headers included): the
 * header's segment size, or less if seg_max says so.  pkt must stay
 * unchanged until the last tso_next().
 */
enum tso_err	 tso_begin(struct tso *, const struct vnet_hdr *h,
		    const uint8_t *pkt, size_t len, size_t seg_max);
/*
 * Writes the next segment into out (room for seg_max bytes) and returns
 * its length, 0 when all are out.  IPv4: total length, ID (the first
 * segment's plus one per segment) and header checksum; TCP: sequence
 * number, FIN and PSH on the last segment only, CWR on the first only,
 * URG and the urgent pointer on those that hold urgent data, and the
 * checksum of each, computed in full.
 */
size_t		 tso_next(struct tso *, uint8_t *out);
const char	*tso_strerror(enum tso_err);

/* Segments being joined (gro_start()). */
struct gro {
	uint8_t		*buf;		/* the super-packet, TSO_PKT_MAX */
	size_t		 len;		/* 0: empty */
	size_t		 iphl, hlen;
	size_t		 gso_size;	/* payload of the first segment */
	size_t		 bytes;		/* the segments' own lengths, summed */
	unsigned int	 nseg;
	int		 v6;
	int		 closed;	/* a short or PSH segment came last */
	uint32_t	 next_seq;
	uint16_t	 next_id;
	void		*owner;		/* the caller's: whose segments */
};

/*
 * Takes pkt as the first segment of a new super-packet (copied into
 * g->buf) if it could be joined by more: a TCP segment with payload and
 * only ACK set, IPv4 without options or fragmentation, or IPv6 with TCP
 * right after its header, lengths that add up and checksums that verify.
 * 1 if taken, 0 if not (then g is left empty: write pkt alone).
 */
int		 gro_start(struct gro *, const uint8_t *pkt, size_t len);
/*
 * Appends pkt's payload if it is the next segment of the same flow: the
 * same addresses, ports, ACK, window, options and IP fields but length
 * and ID, the sequence number that follows, a payload no larger than the
 * first's, ACK or ACK|PSH, valid checksums, and room left.  A shorter
 * segment or PSH closes the super-packet.  1 if appended, 0 if not.
 */
int		 gro_append(struct gro *, const uint8_t *pkt, size_t len);
/*
 * Readies g->buf[0..len) for one write: with more than one segment the
 * IP length and header checksum are rewritten, the PSH of the last
 * segment kept, and the TCP checksum field set to the pseudo-header sum
 * for the kernel to complete (VNET_F_NEEDS_CSUM, GSO TCPv4/TCPv6);
 * one segment goes as it came, with an empty header.  Returns the
 * length; the caller empties g (g->len = 0) after writing.
 */
size_t		 gro_finish(struct gro *, struct vnet_hdr *h);

#endif /* PPTPC_TSO_H */
