/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * TCP MSS clamping for the Linux kernel engine, by nf_tables netlink.
 *
 * With the kernel engine, IP never passes through pptpcd, so the clamp
 * daemon/mss.c applies in the userspace engine must be done by the
 * kernel's firewall.  pptpcd speaks nf_tables netlink itself (no libnftnl,
 * no nft binary) and owns one table per tunnel interface, family inet
 * (IPv4 and IPv6: "ipv6 yes" carries both through pppN), named "pptpc_"
 * and the interface name, with two base chains:
 *
 *   postrouting (priority mangle, -150):
 *	oifname IF meta nfproto ipv4 tcp flags & syn == syn
 *	    tcp option maxseg size set MSS
 *	oifname IF meta nfproto ipv6 tcp flags & syn == syn
 *	    tcp option maxseg size set MSS - 20
 *   forward (priority mangle, -150):
 *	the same two with iifname IF
 *
 * The first chain covers SYNs into the tunnel, forwarded or our own; the
 * second SYN-ACKs out of the tunnel towards LAN hosts.  IPv6's header is
 * 20 bytes longer than IPv4's (mss.h MSS_IPV6_EXTRA), so its MSS is the
 * MTU less 60.  The kernel only ever lowers an MSS option this way,
 * never raises it.
 *
 * Both calls are one atomic nf_tables batch: after either, the table is
 * there whole or not at all.  Errors: -1 with errno set and one line in
 * err saying what failed and what would fix it.
 */
#ifndef PPTPC_NFT_MSS_H
#define PPTPC_NFT_MSS_H

#include <stddef.h>
#include <stdint.h>

#define NFT_MSS_TABLE_PREFIX	"pptpc_"
/* The prefix, an interface name (IFNAMSIZ - 1) and the NUL. */
#define NFT_MSS_TABLE_MAX	(sizeof(NFT_MSS_TABLE_PREFIX) - 1 + 16)

/*
 * Makes (or remakes) ifname's table clamping TCP MSS to mss (IPv4) and
 * mss - MSS_IPV6_EXTRA (IPv6); mss is at least MSS_MIN.  A table
 * left by an earlier pptpcd is replaced in the same batch, so calling
 * this twice is harmless.  The interface need not exist yet.
 */
int	nft_mss_clamp_add(const char *ifname, uint16_t mss, char *err,
	    size_t errlen);
/* Deletes ifname's table; a table that is not there is not an error. */
int	nft_mss_clamp_del(const char *ifname, char *err, size_t errlen);
/*
 * Deletes the tables of ours whose interface no longer exists: what a
 * pptpcd that was killed left behind, which would otherwise clamp the
 * next interface of that name, whoever makes it.  A table is made only
 * once its interface exists, and goes before it, so a table without one
 * is stale.  Returns how many went, or -1 with err.
 */
int	nft_mss_sweep(char *err, size_t errlen);

#endif /* PPTPC_NFT_MSS_H */
