/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The sockets of a tunnel's way to its server, for hosts with several
 * WANs (pptpcd.conf(5) "Several WANs"): the TCP control connection and,
 * where the shared raw GRE socket cannot carry them, a GRE socket of the
 * tunnel's own.  Each is marked for policy routing (Linux SO_MARK, which
 * takes CAP_NET_ADMIN) or put in a routing domain (OpenBSD SO_RTABLE),
 * and bound to the local address, before anything is sent.
 *
 * Privileged: a separated daemon opens these in the parent and passes
 * the descriptor; the arguments are plain values it can check against
 * its own copy of the tunnel's configuration.  One file per system:
 * wansock-linux.c, wansock-openbsd.c.
 *
 * mark is 0 for none (Linux only), rtable 0 for the daemon's own
 * (OpenBSD only), local INADDR_ANY for routing's choice.  A value the
 * system does not have is refused with EOPNOTSUPP.  Each returns a
 * non-blocking, close-on-exec descriptor, or -1 with errno set and the
 * reason in err (an address this host lacks named as such).
 */
#ifndef PPTPC_WANSOCK_H
#define PPTPC_WANSOCK_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#define WANSOCK_ERR_MAX	160

/* TCP, not yet connected. */
int	wansock_tcp(uint32_t mark, unsigned int rtable, struct in_addr local,
	    char *err, size_t errlen);

/*
 * Raw IPPROTO_GRE for one tunnel's GRE.  Linux: send only (a filter
 * drops all it would receive: the shared socket already gets every GRE
 * packet of the namespace).  OpenBSD: it also receives, as the shared
 * socket does not see another rdomain's packets.
 */
int	wansock_gre(uint32_t mark, unsigned int rtable, struct in_addr local,
	    char *err, size_t errlen);

/*
 * Whether a tunnel with this mark and rtable needs wansock_gre(): the
 * shared socket gives every packet the local address (IP_PKTINFO), but
 * cannot mark it or send it in another rdomain.
 */
int	wansock_gre_needed(uint32_t mark, unsigned int rtable);

/*
 * Marks a socket that is not ours to open (the Linux kernel engine's
 * pptp socket: pptp.ko routes its GRE by the socket's mark since Linux
 * 6.5 and the stable kernels that took the fix; doc/linux-pptp.md §2.3).
 */
int	wansock_mark(int fd, uint32_t mark, char *err, size_t errlen);

#endif /* PPTPC_WANSOCK_H */
