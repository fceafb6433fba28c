/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * net6-linux.c against the real kernel, on a tun device in a network
 * namespace of the test's own: the link-local address with the peer's
 * as the other end, an address6, IPv6 routes via the interface, and the
 * errors tunnel_ipv6_down() relies on (a route added twice is refused,
 * not replaced; one already gone says ESRCH).
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net6.h"
#include "netns.h"
#include "route.h"
#include "tun.h"

#define MAIN	ROUTE_TABLE_DEFAULT

static struct in6_addr
A6(const char *s)
{
	struct in6_addr a;

	ATF_REQUIRE(inet_pton(AF_INET6, s, &a) == 1);
	return a;
}

/* Runs cmd (ip(8) in this namespace); 1 if grep found what it wanted. */
static int
shows(const char *cmd)
{
	return system(cmd) == 0;
}

static void
tun_up(struct tun *t)
{
	char err[IFACE_ERR_MAX];

	test_netns_enter();
	/* The namespace starts with IPv6 off; this test needs it. */
	test_write_proc("/proc/sys/net/ipv6/conf/all/disable_ipv6", "0");
	test_write_proc("/proc/sys/net/ipv6/conf/default/disable_ipv6", "0");
	ATF_REQUIRE_MSG(tun_open(t, NULL, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(iface_set_up(t->name, 1, err, sizeof(err)) == 0, "%s",
	    err);
}

ROOT_TC(link_local_peer, "fe80::ours/128 with fe80::peer as the other end "
    "of the link, then removed")
{
	struct in6_addr ll = A6("fe80::211:2233:4455:6677");
	struct tun t;
	char err[NET6_ERR_MAX], cmd[256];

	tun_up(&t);
	ATF_REQUIRE_MSG(net6_addr_change(1, t.name, ll, 128, A6("fe80::1"),
	    err, sizeof(err)) == 0, "%s", err);
	snprintf(cmd, sizeof(cmd), "ip -6 addr show dev %s | grep -q "
	    "'inet6 fe80::211:2233:4455:6677 peer fe80::1/128 scope link'",
	    t.name);
	ATF_CHECK(shows(cmd));
	/* The kernel routes the peer to this interface alone. */
	snprintf(cmd, sizeof(cmd), "ip -6 route show dev %s | grep -q "
	    "'^fe80::1 '", t.name);
	ATF_CHECK(shows(cmd));
	/* Again after a redial: replaced, not an error. */
	ATF_CHECK_MSG(net6_addr_change(1, t.name, ll, 128, A6("fe80::1"),
	    err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(net6_addr_change(0, t.name, ll, 128, A6("fe80::1"),
	    err, sizeof(err)) == 0, "%s", err);
	snprintf(cmd, sizeof(cmd), "ip -6 addr show dev %s | grep -q "
	    "'fe80::211:2233:4455:6677'", t.name);
	ATF_CHECK(!shows(cmd));
	/* Without the peer's identifier: a /64. */
	ATF_REQUIRE_MSG(net6_addr_change(1, t.name, A6("fe80::5"), 64,
	    in6addr_any, err, sizeof(err)) == 0, "%s", err);
	snprintf(cmd, sizeof(cmd), "ip -6 addr show dev %s | grep -q "
	    "'inet6 fe80::5/64 scope link'", t.name);
	ATF_CHECK(shows(cmd));
	/* address6: global scope. */
	ATF_REQUIRE_MSG(net6_addr_change(1, t.name, A6("2001:db8:ff::2"), 64,
	    in6addr_any, err, sizeof(err)) == 0, "%s", err);
	snprintf(cmd, sizeof(cmd), "ip -6 addr show dev %s | grep -q "
	    "'inet6 2001:db8:ff::2/64 scope global'", t.name);
	ATF_CHECK(shows(cmd));
	tun_close(&t);
}

ROOT_TC(routes, "IPv6 routes via the interface: added once, refused "
    "twice, deleted, ESRCH once gone; bad lengths and interfaces refused")
{
	struct tun t;
	char err[NET6_ERR_MAX], cmd[256];

	tun_up(&t);
	ATF_REQUIRE_MSG(net6_route_change(1, t.name, A6("::"), 1, MAIN, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(net6_route_change(1, t.name, A6("8000::"), 1, MAIN, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(net6_route_change(1, t.name, A6("2001:db8:5::"), 48,
	    MAIN,	    err, sizeof(err)) == 0, "%s", err);
	snprintf(cmd, sizeof(cmd), "ip -6 route show dev %s | grep -q "
	    "'^8000::/1 proto static'", t.name);
	ATF_CHECK(shows(cmd));
	snprintf(cmd, sizeof(cmd), "ip -6 route show dev %s | grep -q "
	    "'^2001:db8:5::/48 proto static'", t.name);
	ATF_CHECK(shows(cmd));
	/* Never silently replaced: down must not remove another's. */
	ATF_CHECK(net6_route_change(1, t.name, A6("2001:db8:5::"), 48, MAIN, err,
	    sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EEXIST);
	ATF_REQUIRE_MSG(net6_route_change(0, t.name, A6("2001:db8:5::"), 48,
	    MAIN,	    err, sizeof(err)) == 0, "%s", err);
	ATF_CHECK(net6_route_change(0, t.name, A6("2001:db8:5::"), 48, MAIN, err,
	    sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, ESRCH);
	ATF_CHECK(net6_route_change(1, t.name, A6("2001:db8::"), 0, MAIN, err,
	    sizeof(err)) == -1);
	ATF_CHECK(net6_route_change(1, t.name, A6("2001:db8::"), 129, MAIN, err,
	    sizeof(err)) == -1);
	ATF_CHECK(net6_route_change(1, "nosuch0", A6("2001:db8::"), 32, MAIN, err,
	    sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, ENODEV);
	ATF_CHECK_MATCH("no such interface", err);
	tun_close(&t);
}

ROOT_TC(route_table, "\"table N\": an IPv6 route goes into table N, "
    "ids above 255 too, and not into main")
{
	static const uint32_t tables[] = { 100, 1000 };
	struct tun t;
	char err[NET6_ERR_MAX], cmd[256];
	size_t i;

	tun_up(&t);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		ATF_REQUIRE_MSG(net6_route_change(1, t.name,
		    A6("2001:db8:7::"), 48, tables[i], err, sizeof(err)) == 0,
		    "%s", err);
		snprintf(cmd, sizeof(cmd), "ip -6 route show table %u dev %s "
		    "| grep -q '^2001:db8:7::/48 proto static'", tables[i],
		    t.name);
		ATF_CHECK_MSG(shows(cmd), "not in table %u", tables[i]);
		snprintf(cmd, sizeof(cmd), "ip -6 route show table main dev "
		    "%s | grep -q '^2001:db8:7::/48'", t.name);
		ATF_CHECK_MSG(!shows(cmd), "in main too (table %u)",
		    tables[i]);
		ATF_REQUIRE_MSG(net6_route_change(0, t.name,
		    A6("2001:db8:7::"), 48, tables[i], err, sizeof(err)) == 0,
		    "%s", err);
	}
	tun_close(&t);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, link_local_peer);
	ATF_TP_ADD_TC(tp, routes);
	ATF_TP_ADD_TC(tp, route_table);
	return atf_no_error();
}
