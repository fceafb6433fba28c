/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * TCP MSS clamping for IPv4 and IPv6 packets crossing the tunnel.
 *
 * A SYN or SYN-ACK announcing an MSS larger than the tunnel can carry makes
 * the far end send segments that do not fit, and where ICMP "fragmentation
 * needed" is filtered the connection hangs after the handshake.  Lowering
 * the MSS option in both directions fixes that without the hosts' help.
 * Called once per packet on the data path: no allocation, no copies.
 */
#ifndef PPTPC_MSS_H
#define PPTPC_MSS_H

#include <stddef.h>
#include <stdint.h>

/* IPv4 and TCP headers without options: what an MTU must hold besides MSS. */
#define MSS_IPV4_TCP_OVERHEAD	40
#define MSS_IPV6_EXTRA		20	/* IPv6's header over IPv4's */
/* RFC 879's default: mss_for_mtu() never goes below it. */
#define MSS_MIN			536

/*
 * Lowers the MSS option of a TCP SYN in the IPv4 packet pkt[0..len) to
 * maxmss if it is larger, and fixes the TCP checksum incrementally
 * (RFC 1624).  Returns 1 if the packet was changed and 0 if it was left
 * alone: not IPv4 TCP, not a SYN, a fragment, no MSS option, an MSS already
 * small enough, or headers that do not add up (the receiving stack drops
 * those; changing them would only hide the damage).
 */
int		mss_clamp(uint8_t *pkt, size_t len, uint16_t maxmss);
/*
 * The same for an IPv6 packet whose TCP header follows the fixed header.
 * Its IP header is 20 bytes longer: pass mss_for_mtu() less
 * MSS_IPV6_EXTRA.
 */
int		mss_clamp6(uint8_t *pkt, size_t len, uint16_t maxmss);

/* The MSS a tunnel of this MTU carries unfragmented, at least MSS_MIN. */
uint16_t	mss_for_mtu(unsigned int mtu);

#endif /* PPTPC_MSS_H */
