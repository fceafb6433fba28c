/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for what a server may assign through IPCP (addr_policy.h):
 * each refused class, the server's own address, an address on a local
 * interface, a peer /32 that would override someone else's route, and the
 * legitimate cases beside them.  The host is a fake lookup.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "addr_policy.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))

/* The fake host: one answer for the server, one for every other address. */
struct fake {
	struct addr_host_info	 info;
	struct addr_host_info	 server;
	uint32_t		 server_addr;
	int			 fail;
	int			 calls;
};

static int
fake_lookup(void *arg, uint32_t addr, struct addr_host_info *hi, char *err,
    size_t errlen)
{
	struct fake *f = arg;

	f->calls++;
	if (f->fail) {
		snprintf(err, errlen, "netlink said no");
		return -1;
	}
	*hi = addr == f->server_addr ? f->server : f->info;
	return 0;
}

static void
route_via(struct fake *f, uint32_t dst, int plen, const char *ifname,
    int gateway)
{
	memset(&f->info.route, 0, sizeof(f->info.route));
	f->info.route.found = 1;
	f->info.route.dst = dst;
	f->info.route.plen = plen;
	f->info.route.gateway = gateway;
	snprintf(f->info.route.ifname, sizeof(f->info.route.ifname), "%s",
	    ifname);
}

static const struct addr_prefix owned[] = {
	{ IP(10, 0, 0, 0), 8 },
	{ IP(172, 16, 5, 0), 24 },
};

static void
policy(struct addr_policy *ap, struct fake *f)
{
	memset(ap, 0, sizeof(*ap));
	memset(f, 0, sizeof(*f));
	ap->server = IP(203, 0, 113, 7);
	ap->owned = owned;
	ap->nowned = sizeof(owned) / sizeof(owned[0]);
	ap->lookup = fake_lookup;
	ap->lookup_arg = f;
	/* A host with a LAN and a default route through its gateway. */
	route_via(f, 0, 0, "eth0", 1);
	f->server_addr = ap->server;
	f->server.route = f->info.route;
}

static void
refused(const struct addr_policy *ap, uint32_t a, enum addr_role role,
    const char *why)
{
	char buf[ADDR_WHY_MAX];

	buf[0] = '\0';
	ATF_CHECK_EQ_MSG(addr_policy_check(ap, a, role, buf, sizeof(buf)),
	    -1, "%08x accepted", a);
	ATF_CHECK_MATCH_MSG(why, buf, "%08x: \"%s\"", a, buf);
}

static void
accepted(const struct addr_policy *ap, uint32_t a, enum addr_role role)
{
	char buf[ADDR_WHY_MAX] = "";

	ATF_CHECK_EQ_MSG(addr_policy_check(ap, a, role, buf, sizeof(buf)),
	    0, "%08x refused: %s", a, buf);
}

ATF_TC_WITHOUT_HEAD(classes);
ATF_TC_BODY(classes, tc)
{
	struct addr_policy ap;
	struct fake f;
	enum addr_role r;

	policy(&ap, &f);
	for (r = ADDR_LOCAL; r <= ADDR_PEER; r++) {
		refused(&ap, IP(0, 0, 0, 0), r, "this network");
		refused(&ap, IP(0, 1, 2, 3), r, "this network");
		refused(&ap, IP(127, 0, 0, 1), r, "^loopback$");
		refused(&ap, IP(127, 255, 255, 254), r, "^loopback$");
		refused(&ap, IP(224, 0, 0, 1), r, "^multicast$");
		refused(&ap, IP(239, 255, 255, 250), r, "^multicast$");
		refused(&ap, IP(240, 0, 0, 1), r, "reserved");
		refused(&ap, IP(255, 255, 255, 254), r, "reserved");
		refused(&ap, IP(255, 255, 255, 255), r, "^broadcast$");
	}
	/* Decided without asking the host. */
	ATF_CHECK_EQ(f.calls, 0);
	/* Their neighbours are ordinary addresses. */
	accepted(&ap, IP(1, 0, 0, 0), ADDR_LOCAL);
	accepted(&ap, IP(126, 255, 255, 255), ADDR_PEER);
	accepted(&ap, IP(128, 0, 0, 1), ADDR_PEER);
	accepted(&ap, IP(223, 255, 255, 254), ADDR_PEER);
	ATF_CHECK(addr_policy_class(IP(192, 168, 0, 1)) == NULL);
}

ATF_TC_WITHOUT_HEAD(server_own_address);
ATF_TC_BODY(server_own_address, tc)
{
	struct addr_policy ap;
	struct fake f;

	policy(&ap, &f);
	refused(&ap, IP(203, 0, 113, 7), ADDR_PEER, "server's own address");
	refused(&ap, IP(203, 0, 113, 7), ADDR_LOCAL, "server's own address");
	accepted(&ap, IP(203, 0, 113, 8), ADDR_PEER);
}

ATF_TC_WITHOUT_HEAD(local_interface);
ATF_TC_BODY(local_interface, tc)
{
	struct addr_policy ap;
	struct fake f;

	policy(&ap, &f);
	f.info.local = 1;
	refused(&ap, IP(192, 168, 1, 10), ADDR_LOCAL,
	    "already on a local interface");
	refused(&ap, IP(192, 168, 1, 10), ADDR_PEER,
	    "already on a local interface");
	/* A host that cannot be asked refuses rather than guesses. */
	f.info.local = 0;
	f.fail = 1;
	refused(&ap, IP(192, 168, 1, 10), ADDR_LOCAL,
	    "cannot check it: netlink said no");
}

/* The legitimate case: a private pair routed by the default route. */
ATF_TC_WITHOUT_HEAD(private_pair_via_default);
ATF_TC_BODY(private_pair_via_default, tc)
{
	struct addr_policy ap;
	struct fake f;

	policy(&ap, &f);
	accepted(&ap, IP(192, 168, 100, 10), ADDR_LOCAL);
	accepted(&ap, IP(192, 168, 100, 1), ADDR_PEER);
	ATF_CHECK_EQ(f.calls, 2);
	/* No route at all is nothing to override either. */
	memset(&f.info.route, 0, sizeof(f.info.route));
	accepted(&ap, IP(192, 168, 100, 1), ADDR_PEER);
	/* Without a host lookup only the static rules apply. */
	ap.lookup = NULL;
	accepted(&ap, IP(192, 168, 100, 1), ADDR_PEER);
}

ATF_TC_WITHOUT_HEAD(peer_route_override);
ATF_TC_BODY(peer_route_override, tc)
{
	struct addr_policy ap;
	struct fake f;

	policy(&ap, &f);
	/* The LAN's DNS server, on the LAN. */
	route_via(&f, IP(192, 168, 1, 0), 24, "eth0", 0);
	refused(&ap, IP(192, 168, 1, 53), ADDR_PEER, "^a /32 route to it "
	    "would override route 192.168.1.0/24 via eth0$");
	/* Our own address may be on such a net: no /32 is made for it. */
	accepted(&ap, IP(192, 168, 1, 53), ADDR_LOCAL);
	/* Another VPN's or an admin's route through a gateway. */
	route_via(&f, IP(198, 18, 0, 0), 15, "wg0", 1);
	refused(&ap, IP(198, 18, 4, 4), ADDR_PEER, "198.18.0.0/15 via wg0");
	/* An admin's /32 pin of that very host. */
	route_via(&f, IP(198, 51, 100, 9), 32, "eth1", 1);
	refused(&ap, IP(198, 51, 100, 9), ADDR_PEER, "198.51.100.9/32");
	/* An admin's blackhole whose extent is reported. */
	route_via(&f, IP(100, 64, 0, 0), 10, "", 0);
	f.info.route.reject = 1;
	refused(&ap, IP(100, 64, 1, 1), ADDR_PEER, "reject route "
	    "100.64.0.0/10");
	/* A reject route of unknown extent (Linux) outside our prefixes. */
	route_via(&f, 0, -1, "", 0);
	f.info.route.reject = 1;
	refused(&ap, IP(100, 64, 1, 1), ADDR_PEER, "unreachable, blackhole "
	    "or prohibit route covers it");
	/* A kernel that does not report the prefix it matched. */
	route_via(&f, IP(100, 64, 1, 1), -1, "eth0", 1);
	refused(&ap, IP(100, 64, 1, 1), ADDR_PEER, "does not say which "
	    "route");
	accepted(&ap, IP(10, 64, 1, 1), ADDR_PEER);
}

/* Routes the tunnel owns may have a /32 beside them. */
ATF_TC_WITHOUT_HEAD(peer_route_owned);
ATF_TC_BODY(peer_route_owned, tc)
{
	struct addr_policy ap;
	struct fake f;

	policy(&ap, &f);
	/* A peer address inside a configured `route` prefix. */
	route_via(&f, IP(10, 0, 0, 0), 8, "eth0", 1);
	accepted(&ap, IP(10, 1, 2, 3), ADDR_PEER);
	route_via(&f, IP(172, 16, 5, 0), 24, "tun3", 0);
	accepted(&ap, IP(172, 16, 5, 1), ADDR_PEER);
	/* A prefix inside ours is not ours. */
	route_via(&f, IP(10, 9, 0, 0), 16, "eth0", 1);
	refused(&ap, IP(10, 9, 0, 1), ADDR_PEER, "10.9.0.0/16 via eth0");
	/* The kill switch's unreachable route for a prefix of ours. */
	route_via(&f, IP(172, 16, 5, 0), 24, "", 0);
	f.info.route.reject = 1;
	accepted(&ap, IP(172, 16, 5, 1), ADDR_PEER);
	/* The same where the kernel does not say how far it reaches. */
	route_via(&f, 0, -1, "", 0);
	f.info.route.reject = 1;
	accepted(&ap, IP(10, 7, 7, 7), ADDR_PEER);
	refused(&ap, IP(11, 7, 7, 7), ADDR_PEER, "covers it");
	ap.default_route = 1;
	accepted(&ap, IP(11, 7, 7, 7), ADDR_PEER);
	ap.default_route = 0;
	/* The default-route pair, ours or another VPN's. */
	route_via(&f, IP(128, 0, 0, 0), 1, "tun0", 0);
	accepted(&ap, IP(192, 168, 100, 1), ADDR_PEER);
	route_via(&f, 0, 1, "", 0);
	f.info.route.reject = 1;
	accepted(&ap, IP(100, 100, 100, 1), ADDR_PEER);
	/* Through the tunnel's own interface. */
	route_via(&f, IP(192, 168, 100, 0), 24, "tun7", 0);
	refused(&ap, IP(192, 168, 100, 1), ADDR_PEER, "via tun7");
	ap.ifname = "tun7";
	accepted(&ap, IP(192, 168, 100, 1), ADDR_PEER);
	/*
	 * The far end of another tunnel with the same server address
	 * (Poptop's one "localip" for every client): a /32 beside a /32.
	 */
	ap.ifname = NULL;
	route_via(&f, IP(192, 168, 0, 1), 32, "ppp0", 0);
	refused(&ap, IP(192, 168, 0, 1), ADDR_PEER, "192.168.0.1/32 via "
	    "ppp0");
	snprintf(f.info.p2p_ifname, sizeof(f.info.p2p_ifname), "ppp0");
	accepted(&ap, IP(192, 168, 0, 1), ADDR_PEER);
	/* Not the far end of the uplink that reaches our server. */
	snprintf(f.server.route.ifname, sizeof(f.server.route.ifname),
	    "ppp0");
	refused(&ap, IP(192, 168, 0, 1), ADDR_PEER, "192.168.0.1/32 via "
	    "ppp0");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, classes);
	ATF_TP_ADD_TC(tp, server_own_address);
	ATF_TP_ADD_TC(tp, local_interface);
	ATF_TP_ADD_TC(tp, private_pair_via_default);
	ATF_TP_ADD_TC(tp, peer_route_override);
	ATF_TP_ADD_TC(tp, peer_route_owned);
	return atf_no_error();
}
