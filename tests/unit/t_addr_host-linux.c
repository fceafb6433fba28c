/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The host's side of what a server may assign (addr_host.c) against the
 * real Linux kernel, in a network namespace of the test's own: interface
 * addresses through getifaddrs(), the far end of a point-to-point link,
 * and the prefix the route lookup matched (RTM_F_FIB_MATCH), reject
 * routes included; then the whole policy on top of it.
 *
 * The uplink is a tun device, up0, 198.51.100.1 with peer 198.51.100.254
 * and a default route through the peer, as a LAN uplink would be.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "addr_policy.h"
#include "netns.h"
#include "nl-linux.h"
#include "route.h"
#include "tun.h"

#define ERRLEN	256

static uint32_t
H(const char *s)
{
	return ntohl(test_inaddr(s).s_addr);
}

static void
p2p_up(struct tun *t, const char *want, const char *local, const char *peer)
{
	char err[ERRLEN];

	ATF_REQUIRE_MSG(tun_open(t, want, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(iface_set_addr(t->name, test_inaddr(local),
	    test_inaddr(peer), err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(iface_set_up(t->name, 1, err, sizeof(err)) == 0, "%s",
	    err);
}

static void
add_route(const char *dst, uint8_t plen, const char *ifname,
    const char *gateway)
{
	struct route_spec r;
	char err[ERRLEN];

	route_init(&r, test_inaddr(dst), plen, ifname);
	if (gateway != NULL) {
		r.flags = ROUTE_GATEWAY;
		r.gateway = test_inaddr(gateway);
	}
	ATF_REQUIRE_MSG(route_add(&r, err, sizeof(err)) == 0, "%s", err);
}

/* A reject route of the given type, as the kill switch or an admin adds. */
static void
add_reject(const char *dst, uint8_t plen, uint8_t type)
{
	struct rtmsg rtm;
	struct nl_req req;
	char err[ERRLEN];

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_dst_len = plen;
	rtm.rtm_table = RT_TABLE_MAIN;
	rtm.rtm_protocol = RTPROT_STATIC;
	rtm.rtm_scope = RT_SCOPE_UNIVERSE;
	rtm.rtm_type = type;
	nl_req_init(&req, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rtm,
	    sizeof(rtm));
	nl_req_attr_in(&req, RTA_DST, test_inaddr(dst));
	ATF_REQUIRE_MSG(nl_request(&req, NULL, NULL, "reject route", err,
	    sizeof(err)) == 0, "%s", err);
}

static void
lookup(const char *a, struct addr_host_info *hi)
{
	char err[ERRLEN] = "";

	ATF_REQUIRE_MSG(addr_host_lookup(NULL, H(a), hi, err,
	    sizeof(err)) == 0, "%s: %s", a, err);
}

ROOT_TC(host_lookup, "local addresses, point-to-point peers and the "
    "matched route prefix, reject routes included")
{
	struct addr_host_info hi;
	struct tun up, other;

	test_netns_enter();
	p2p_up(&up, "up0", "198.51.100.1", "198.51.100.254");
	add_route("0.0.0.0", 0, "up0", "198.51.100.254");
	add_route("198.18.0.0", 15, "up0", "198.51.100.254");
	add_reject("192.0.2.128", 25, RTN_UNREACHABLE);
	add_reject("192.0.2.64", 26, RTN_BLACKHOLE);
	add_reject("192.0.2.32", 27, RTN_PROHIBIT);
	/* Another tunnel whose server is 203.0.113.1 inside. */
	p2p_up(&other, "pptp9", "203.0.113.2", "203.0.113.1");

	lookup("198.51.100.1", &hi);
	ATF_CHECK(hi.local);
	lookup("203.0.113.2", &hi);
	ATF_CHECK(hi.local);

	lookup("198.51.100.254", &hi);
	ATF_CHECK(!hi.local);
	ATF_CHECK_STREQ(hi.p2p_ifname, "up0");
	ATF_CHECK(hi.route.found && !hi.route.reject && !hi.route.gateway);
	ATF_CHECK_EQ(hi.route.plen, 32);
	ATF_CHECK_STREQ(hi.route.ifname, "up0");

	lookup("203.0.113.1", &hi);
	ATF_CHECK_STREQ(hi.p2p_ifname, "pptp9");
	ATF_CHECK_EQ(hi.route.plen, 32);
	ATF_CHECK_STREQ(hi.route.ifname, "pptp9");

	/* The default route: the prefix it matched, not a /32. */
	lookup("100.100.1.1", &hi);
	ATF_CHECK(!hi.local);
	ATF_CHECK_STREQ(hi.p2p_ifname, "");
	ATF_CHECK(hi.route.found && hi.route.gateway);
	ATF_CHECK_EQ(hi.route.plen, 0);
	ATF_CHECK_STREQ(hi.route.ifname, "up0");

	lookup("198.18.200.7", &hi);
	ATF_CHECK_EQ(hi.route.plen, 15);
	ATF_CHECK_EQ(hi.route.dst, H("198.18.0.0"));
	ATF_CHECK(hi.route.gateway);

	/* Reject routes fail the lookup; how far they reach is unknown. */
	lookup("192.0.2.200", &hi);
	ATF_CHECK(hi.route.found && hi.route.reject);
	ATF_CHECK_EQ(hi.route.plen, -1);
	lookup("192.0.2.70", &hi);
	ATF_CHECK(hi.route.found && hi.route.reject);
	lookup("192.0.2.33", &hi);
	ATF_CHECK(hi.route.found && hi.route.reject);

	tun_close(&other);
	tun_close(&up);
}

ROOT_TC(host_lookup_no_route, "an address no route reaches")
{
	struct addr_host_info hi;
	struct tun up;

	test_netns_enter();
	p2p_up(&up, "up0", "198.51.100.1", "198.51.100.254");
	lookup("100.100.1.1", &hi);
	ATF_CHECK(!hi.local);
	ATF_CHECK(!hi.route.found);
	tun_close(&up);
}

static int
check(const struct addr_policy *ap, const char *a, enum addr_role role,
    char *why, size_t len)
{
	why[0] = '\0';
	return addr_policy_check(ap, H(a), role, why, len);
}

ROOT_TC(policy_on_host, "the whole policy against the kernel's answers")
{
	const struct addr_prefix owned[] = { { 0xc0000280, 25 } };
	struct addr_policy ap;
	struct tun up, other;
	char why[ADDR_WHY_MAX];

	test_netns_enter();
	p2p_up(&up, "up0", "198.51.100.1", "198.51.100.254");
	add_route("0.0.0.0", 0, "up0", "198.51.100.254");
	add_route("198.18.0.0", 15, "up0", "198.51.100.254");
	/* The kill switch's route for the tunnel's `route 192.0.2.128/25`. */
	add_reject("192.0.2.128", 25, RTN_UNREACHABLE);

	memset(&ap, 0, sizeof(ap));
	ap.server = H("198.51.100.7");
	ap.lookup = addr_host_lookup;
	ap.owned = owned;
	ap.nowned = 1;

	/* A private pair routed through the default route. */
	ATF_CHECK_EQ_MSG(check(&ap, "100.64.0.10", ADDR_LOCAL, why,
	    sizeof(why)), 0, "%s", why);
	ATF_CHECK_EQ_MSG(check(&ap, "100.64.0.1", ADDR_PEER, why,
	    sizeof(why)), 0, "%s", why);
	/* Inside the tunnel's own prefix, behind the kill switch. */
	ATF_CHECK_EQ_MSG(check(&ap, "192.0.2.129", ADDR_PEER, why,
	    sizeof(why)), 0, "%s", why);

	ATF_CHECK_EQ(check(&ap, "198.51.100.1", ADDR_LOCAL, why,
	    sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "already on a local interface");
	ATF_CHECK_EQ(check(&ap, "198.51.100.1", ADDR_PEER, why,
	    sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "already on a local interface");
	ATF_CHECK_EQ(check(&ap, "198.51.100.7", ADDR_PEER, why,
	    sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "the server's own address");
	ATF_CHECK_EQ(check(&ap, "198.18.3.3", ADDR_PEER, why,
	    sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "a /32 route to it would override route "
	    "198.18.0.0/15 via up0");
	/* The uplink's own net (its gateway). */
	ATF_CHECK_EQ(check(&ap, "198.51.100.254", ADDR_PEER, why,
	    sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "a /32 route to it would override route "
	    "198.51.100.254/32 via up0");
	/* Another tunnel's server with the same address stands beside. */
	p2p_up(&other, "pptp9", "203.0.113.2", "203.0.113.1");
	ATF_CHECK_EQ_MSG(check(&ap, "203.0.113.1", ADDR_PEER, why,
	    sizeof(why)), 0, "%s", why);
	tun_close(&other);
	tun_close(&up);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, host_lookup);
	ATF_TP_ADD_TC(tp, host_lookup_no_route);
	ATF_TP_ADD_TC(tp, policy_on_host);
	return atf_no_error();
}
