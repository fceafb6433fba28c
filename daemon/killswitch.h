/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The kill switch ("kill-switch yes", pptpcd.conf(5)): while a tunnel is
 * not up -- dialling, in backoff, idle after a failure or a disconnect --
 * what it would carry is refused instead of leaving in clear through the
 * WAN.
 *
 * It holds an unreachable route for each prefix the tunnel carries
 * (0.0.0.0/1 and 128.0.0.0/1 with default-route, and each route line) at
 * the lowest priority the kernel has (metric 4294967295 on Linux, RTP_MAX
 * on OpenBSD), and a host route that pins the way to the server so that
 * the dial still gets out.  The real routes of a session are the same
 * prefixes at the normal priority, so they win while the session is up,
 * and the moment one goes (teardown, the interface vanishing, pptpcd
 * killed) its unreachable twin is what the kernel finds.  There is no
 * instant, on the way up or down, in which a packet finds neither, and no
 * route to swap back and forth: that is make-before-break with nothing to
 * break.  Only killsw_disarm() removes them: when the tunnel leaves the
 * configuration or pptpcd stops.
 *
 * The pin.  The unreachable halves also hide the WAN's default from a
 * route lookup, so the way to the server is learnt (route_get()) before
 * the first of them goes in, and kept: a server that moves to another
 * address (DNS) is pinned through the same gateway, and a pin that
 * vanished with its interface is put back the same way.  While no way to
 * the server is known at all (no WAN when pptpcd started), the prefixes
 * that cover the server are not refused yet -- refusing them would hide
 * the WAN's default from every later lookup for good -- and the next arm
 * tries again; with no way to the server there is no way out to leak to.
 *
 * IPv6 ("ipv6 yes"): the same for the IPv6 prefixes the tunnel carries
 * (::/1 and 8000::/1 with default-route, and each IPv6 route line),
 * through killsw_arm6().  They need no pin: PPTP reaches the server over
 * IPv4 alone, so no IPv6 prefix hides the way to it.
 */
#ifndef PPTPC_KILLSWITCH_H
#define PPTPC_KILLSWITCH_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "route.h"

struct killsw_net {
	struct in_addr	 dst;		/* host bits zero */
	uint8_t		 plen;		/* 1-32 */
};

struct killsw_block {
	struct killsw_net net;
	int		 have;		/* ours, in the kernel */
};

struct killsw_net6 {
	struct in6_addr	 dst;		/* host bits zero */
	uint8_t		 plen;		/* 1-128 */
};

struct killsw_block6 {
	struct killsw_net6 net;
	int		 have;		/* ours, in the kernel */
};

struct killsw {
	char		 tunnel[32];	/* for log lines */
	struct route_where where;	/* route.h; zero unless set */
	struct killsw_block *blocks;
	size_t		 nblocks;
	struct killsw_block6 *blocks6;
	size_t		 nblocks6;
	struct route_spec pin;		/* the way to the server */
	int		 have_pin;	/* pin added by us */
	int		 pin_known;	/* pin holds a way out */
};

void	killsw_init(struct killsw *, const char *tunnel);
/*
 * The tables and lookup of what comes next (route.h struct route_where);
 * a change while armed disarms first (-1 with the first problem in err
 * if anything could not be removed).
 */
int	killsw_set_where(struct killsw *, const struct route_where *,
	    char *err, size_t errlen);
/*
 * Refuses exactly nets[0..n) from now on and pins the way to server when
 * one of them covers it.  New routes go in before old ones go; an
 * unreachable route found already there at our priority is a leftover of
 * an earlier pptpcd and is taken over.  Returns 0, or -1 with the first
 * problem in err after doing all it could.
 */
int	killsw_arm(struct killsw *, struct in_addr server,
	    const struct killsw_net *nets, size_t n, char *err, size_t errlen);
/*
 * The same for IPv6: refuses exactly nets[0..n) from now on (n 0: none),
 * new ones in before old ones go.  Returns 0, or -1 with the first
 * problem in err after doing all it could.
 */
int	killsw_arm6(struct killsw *, const struct killsw_net6 *nets, size_t n,
	    char *err, size_t errlen);
/* Removes everything it holds; -1 with the first problem in err. */
int	killsw_disarm(struct killsw *, char *err, size_t errlen);
/* 1 while it holds any route. */
int	killsw_armed(const struct killsw *);

#endif /* PPTPC_KILLSWITCH_H */
