/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The kernel engine's cleartext guard, by nf_tables netlink (Linux).
 *
 * With MPPE negotiated, ppp_generic passes a frame whose PPP protocol is
 * not 0x00FD (compressed/encrypted) past ppp_mppe, whose incomp hook
 * only counts it, and delivers it: plain IPv4 (0x0021) injected into the
 * call by anyone who can send GRE with the server's address and a
 * sequence number in the window reaches the stack on pppN, unencrypted
 * and unauthenticated.  (Seen in the interop VM: 30 of 30 such frames
 * were delivered.)  The userspace engine and pipex drop them; here an
 * input rule does, before pptp.ko sees the packet.
 *
 * One table per ppp interface, family ip, named "pptpcg_" and the
 * interface name (the MSS clamp's sweep, nft_mss_sweep(), removes it
 * once the interface is gone), with one base chain:
 *
 *   input (priority filter, 0), policy accept, four rules of the form
 *	ip saddr SERVER, ip protocol gre, GRE call ID == OURS,
 *	GRE S bit set, GRE A bit (clear | set),
 *	PPP payload at 12 (no ack) | 16 (ack):
 *	    [FF 03 and] protocol field P (at +2 | +0):
 *	P[0] & 0x80 == 0 and P[0..2] != 00 FD  ->  counter, drop
 *
 * (a counter in each rule; their sum is what nft_guard_dropped() says).
 *
 * That is exactly what pptp.ko and ppp_generic do with the packet: the
 * payload follows a 12-byte header, 16 with an acknowledgement (pptp.ko
 * drops what has no sequence number); FF 03 is taken off when present;
 * a first byte that is odd is a compressed protocol 0x00XX (RFC 1661
 * PFC), which pptp.ko expands.  Allowed: 0x00FD in either form (FD is
 * odd and has the high bit) and every protocol from 0x8000 up, which
 * ppp_generic never hands to the stack (LCP, authentication, CCP with
 * its Reset-Requests, IPCP: pptpcd reads them).  Every other protocol
 * under 0x8000 is dropped, not just IPv4: VJ (0x002D/0x002F) would be
 * decompressed into IP, and IPv6 or multilink have no business here.
 *
 * Errors: -1 with errno set and one line in err.  The kernel engine
 * treats a failure as a warning, like the MSS clamp: the tunnel works,
 * unguarded.
 */
#ifndef PPTPC_NFT_GUARD_H
#define PPTPC_NFT_GUARD_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define NFT_GUARD_TABLE_PREFIX	"pptpcg_"

/*
 * Makes (or remakes, with its counter at 0) ifname's guard for the call
 * from server to our_call_id (host order).
 */
int	nft_guard_add(const char *ifname, struct in_addr server,
	    uint16_t our_call_id, char *err, size_t errlen);
/* Deletes ifname's guard; one that is not there is not an error. */
int	nft_guard_del(const char *ifname, char *err, size_t errlen);
/* The frames the guard dropped so far (a dump of its rules). */
int	nft_guard_dropped(const char *ifname, uint64_t *packets, char *err,
	    size_t errlen);

#endif /* PPTPC_NFT_GUARD_H */
