/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * IPv4 routes through the tunnel, and the default-route dance.
 *
 * route.c holds what is the same everywhere (checks, messages, the order
 * of the dance and what it owns); route-linux.c (rtnetlink) and
 * route-openbsd.c (routing socket) implement the two kernel calls below
 * the line.  Errors: -1 with errno set (EEXIST, ESRCH, ...) and
 * "route 10.0.0.0/8 via tun0: File exists" in err.
 *
 * Default route.  "default-route yes" must send everything through the
 * tunnel except the tunnel's own PPTP and GRE packets, and must leave the
 * host's routes exactly as they were when it is over.  defroute_up():
 *   1. asks the kernel how it reaches the server now (gateway, interface);
 *   2. pins that path with a host route server/32 (unless the server is
 *      this host's own address or such a route exists already, in which
 *      case it is not ours and is left alone);
 *   3. adds 0.0.0.0/1 and 128.0.0.0/1 through the tunnel.
 * The two halves are more specific than any default, so they win without
 * touching it: the old default is never deleted, replaced or re-metric'd,
 * a DHCP client that re-adds it changes nothing, and if pptpcd dies the
 * halves vanish with the tunnel interface while the old default still
 * works.  A second default with a lower metric would need a metric below
 * the existing one (impossible when that is 0, as static and most DHCP
 * defaults are) and would be shadowed by any default added later.  Routes
 * more specific than /1 (the LAN, other VPNs) keep winning, which is what
 * a gateway wants.  defroute_down() removes only what up added, halves
 * first so that no packet to the server is routed into the dying tunnel.
 */
#ifndef PPTPC_ROUTE_H
#define PPTPC_ROUTE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define ROUTE_IFNAME_MAX	16
#define ROUTE_ERR_MAX		160

/*
 * A routing table: Linux's table id, OpenBSD's rtable.  0 is the
 * default: Linux's main table, on OpenBSD the daemon's own rtable.
 */
#define ROUTE_TABLE_DEFAULT	0

/* Not "struct route": OpenBSD's <net/route.h> has one of its own. */
struct route_spec {
	struct in_addr	 dst;		/* host bits must be zero */
	uint8_t		 plen;		/* 0-32 */
	int		 flags;
	struct in_addr	 gateway;	/* if ROUTE_GATEWAY */
	char		 ifname[ROUTE_IFNAME_MAX];
	uint32_t	 table;		/* ROUTE_TABLE_DEFAULT or an id */
	/*
	 * The tunnel the route is for, "" for none: under privilege
	 * separation the parent puts a server's pin in that tunnel's own
	 * table, which two tunnels to one server would otherwise share.
	 */
	char		 tunnel[32];
};

/*
 * Where a tunnel's routes go and how its own PPTP and GRE packets are
 * routed (pptpcd.conf(5) "Several WANs").  All zero: the main table, no
 * mark, the source routing picks, as before.
 *   table	the tunnel's routes, the default-route halves and the kill
 *		switch's unreachable routes (Linux "table", OpenBSD
 *		"interface-rdomain": where the tunnel interface is)
 *   wan_table	the host route to the server, and the table a lookup of
 *		the server reads on OpenBSD ("rdomain"; Linux: = table,
 *		so that the pin sits beside the halves it must beat)
 *   mark, src	what the tunnel's sockets carry (Linux "fwmark",
 *		"local-address"): a lookup of the server passes both, so
 *		that policy rules choose the gateway the tunnel's own
 *		packets take, not the lowest-metric default of main.
 */
struct route_where {
	uint32_t	 table;
	uint32_t	 wan_table;
	uint32_t	 mark;
	struct in_addr	 src;
};
struct tunnel_conf;
/* A tunnel's route_where from its configuration (route_where.c). */
void	route_where_conf(const struct tunnel_conf *, struct route_where *);

#define ROUTE_GATEWAY	0x01	/* through gateway, else directly on ifname */
#define ROUTE_ONLINK	0x02	/* the kernel said the gateway is on ifname */

/* How the kernel reaches an address (route_get()). */
struct route_nexthop {
	int		 flags;		/* ROUTE_GATEWAY, ROUTE_LOCAL */
	struct in_addr	 gateway;
	char		 ifname[ROUTE_IFNAME_MAX];
};
#define ROUTE_LOCAL	0x04	/* the address is this host's own */

/* Fills r with dst/plen directly via ifname; checks nothing. */
void	route_init(struct route_spec *r, struct in_addr dst, uint8_t plen,
	    const char *ifname);
/* "route 203.0.113.0/24 via tun0" or "... via 198.51.100.1 on eth0". */
void	route_describe(const struct route_spec *, char *buf, size_t len);
/* Rejects plen > 32, host bits past plen, bad interface names. */
int	route_check(const struct route_spec *, char *err, size_t errlen);

int	route_add(const struct route_spec *, char *err, size_t errlen);
int	route_delete(const struct route_spec *, char *err, size_t errlen);
int	route_get(struct in_addr dst, struct route_nexthop *, char *err,
	    size_t errlen);
/* How the tunnel's own packets to dst go, under w's mark and source. */
int	route_get_from(struct in_addr dst, const struct route_where *w,
	    struct route_nexthop *, char *err, size_t errlen);

/* The default-route dance; what it added, so that down removes just that. */
struct defroute {
	char		 tunnel[32];		/* for log lines */
	struct route_where	 where;		/* zero unless set */
	struct route_spec	 host;
	struct route_spec	 half[2];
	int		 have_host;
	int		 have_half[2];
};

void	defroute_init(struct defroute *, const char *tunnel);
/* Before defroute_up(): the tables and lookup of the next session. */
void	defroute_set_where(struct defroute *, const struct route_where *);
int	defroute_up(struct defroute *, struct in_addr server,
	    const char *tunif, char *err, size_t errlen);
/*
 * Removes what defroute_up() added.  A route that vanished under us is
 * logged and skipped; returns -1 (first problem in err) if anything could
 * not be removed, 0 otherwise, and forgets the routes either way.
 */
int	defroute_down(struct defroute *, char *err, size_t errlen);
int	defroute_active(const struct defroute *);

/*
 * For routing-socket backends: splits the sockaddrs that follow a routing
 * message header.  Bit i of addrs says sockaddr i is present; each starts
 * with its length byte and takes that length rounded up to align (0 takes
 * align bytes).  out[i] covers sockaddr i, out[i].data is NULL where
 * absent.  Returns -1 if a length is below 2 (and not 0) or past the end.
 * OS-neutral, so the Linux build tests it.
 */
int	route_sockaddrs(struct rbuf *r, unsigned int addrs, struct rbuf *out,
	    unsigned int nout, size_t align);

/* ---- per-OS backend (route-linux.c, route-openbsd.c) ---- */

/* Adds (add != 0) or deletes a checked route; what names it in errors. */
int	kroute_change(int add, const struct route_spec *, const char *what,
	    char *err, size_t errlen);
int	kroute_get(struct in_addr dst, const struct route_where *,
	    struct route_nexthop *, char *err, size_t errlen);
/*
 * Adds (add != 0) or deletes an unreachable route for dst/plen at the
 * lowest priority, for the kill switch (killswitch.h).  Deleting touches
 * only such a route, never a real one for the same prefix.
 */
int	kroute_reject(int add, struct in_addr dst, uint8_t plen,
	    uint32_t table, const char *what, char *err, size_t errlen);

/*
 * The route the kernel would pick for dst, as the prefix it matched
 * (what a more specific route would override): for addr_host.c.  Returns
 * 0 with m filled (m->found 0 if no route matches at all), or -1 with
 * errno set and the reason in err.  m->plen is -1 where the kernel does
 * not report the extent (Linux: a reject route; any route before 4.13).
 */
struct route_match {
	int		 found;
	int		 reject;	/* unreachable, blackhole, prohibit */
	int		 local;		/* dst is this host's own */
	int		 gateway;	/* through a gateway */
	struct in_addr	 dst;		/* the matched prefix */
	int		 plen;
	char		 ifname[ROUTE_IFNAME_MAX];	/* "" if none */
};
int	kroute_match(struct in_addr dst, struct route_match *m, char *err,
	    size_t errlen);

#ifdef __OpenBSD__
/*
 * Opens the routing socket kroute_get() and kroute_match() then use, for
 * a process about to pledge(2), which forbids making one later.  0 or
 * -1 with a message in err.
 */
int	kroute_keep_socket(char *err, size_t errlen);
#endif

#endif /* PPTPC_ROUTE_H */
