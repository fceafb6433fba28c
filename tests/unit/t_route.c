/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * OS-neutral route logic (daemon/route.c) against a scripted fake kernel:
 * the order of the default-route dance, what it owns, how it reports
 * failures, and the routing-socket sockaddr splitter that only OpenBSD
 * uses (tested here so that the Linux build exercises it), and the kill
 * switch's bookkeeping (killswitch.c).  The real kernel is
 * t_iface-linux's job.
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "killswitch.h"
#include "net6.h"
#include "route.h"
#include "tun.h"

/* The fake kernel: a log of calls and an errno to fail a chosen call. */
struct fake {
	char		 log[1024];
	int		 calls;
	int		 fail_call;	/* 1-based; 0: none */
	int		 fail_errno;
	struct route_nexthop nh;
	int		 get_errno;
	struct route_where get_where;	/* of the last lookup */
	uint32_t	 reject_table;	/* of the last reject route */
};

static struct fake fk;	/* the stubs below have no other way in */

int
kroute_change(int add, const struct route_spec *r, const char *what, char *err,
    size_t errlen)
{
	char line[128];

	fk.calls++;
	snprintf(line, sizeof(line), "%s %s\n", add ? "add" : "del", what);
	strncat(fk.log, line, sizeof(fk.log) - strlen(fk.log) - 1);
	(void)r;
	if (fk.calls == fk.fail_call) {
		snprintf(err, errlen, "%s: %s", what, strerror(fk.fail_errno));
		errno = fk.fail_errno;
		return -1;
	}
	return 0;
}

int
kroute_reject(int add, struct in_addr dst, uint8_t plen, uint32_t table,
    const char *what, char *err, size_t errlen)
{
	char line[128];

	(void)dst;
	(void)plen;
	fk.reject_table = table;
	fk.calls++;
	snprintf(line, sizeof(line), "%s %s\n", add ? "add" : "del", what);
	strncat(fk.log, line, sizeof(fk.log) - strlen(fk.log) - 1);
	if (fk.calls == fk.fail_call) {
		snprintf(err, errlen, "%s: %s", what, strerror(fk.fail_errno));
		errno = fk.fail_errno;
		return -1;
	}
	return 0;
}

int
net6_reject_change(int add, struct in6_addr dst, uint8_t plen,
    uint32_t table, char *err, size_t errlen)
{
	char line[128], a[INET6_ADDRSTRLEN];

	fk.reject_table = table;
	fk.calls++;
	inet_ntop(AF_INET6, &dst, a, sizeof(a));
	snprintf(line, sizeof(line), "%s unreachable route6 %s/%u\n",
	    add ? "add" : "del", a, plen);
	strncat(fk.log, line, sizeof(fk.log) - strlen(fk.log) - 1);
	if (fk.calls == fk.fail_call) {
		snprintf(err, errlen, "%s: %s", line, strerror(fk.fail_errno));
		errno = fk.fail_errno;
		return -1;
	}
	return 0;
}

int
kroute_get(struct in_addr dst, const struct route_where *w,
    struct route_nexthop *nh, char *err, size_t errlen)
{
	(void)dst;
	fk.get_where = *w;
	if (fk.get_errno) {
		snprintf(err, errlen, "route lookup: %s",
		    strerror(fk.get_errno));
		errno = fk.get_errno;
		return -1;
	}
	*nh = fk.nh;
	return 0;
}

/* tun.c (linked for the name checks) reads through this; unused here. */
ssize_t
tun_read(struct tun *t, uint8_t *buf, size_t len)
{
	(void)t;
	(void)buf;
	(void)len;
	errno = EAGAIN;
	return -1;
}

static struct in_addr
A(const char *s)
{
	struct in_addr a;

	ATF_REQUIRE(inet_pton(AF_INET, s, &a) == 1);
	return a;
}

static void
fake_reset(void)
{
	memset(&fk, 0, sizeof(fk));
	fk.nh.flags = ROUTE_GATEWAY;
	fk.nh.gateway = A("198.51.100.254");
	snprintf(fk.nh.ifname, sizeof(fk.nh.ifname), "em0");
}

ATF_TC_WITHOUT_HEAD(dance_order);
ATF_TC_BODY(dance_order, tc)
{
	struct defroute d;
	char err[ROUTE_ERR_MAX];

	fake_reset();
	defroute_init(&d, "office");
	ATF_REQUIRE_MSG(defroute_up(&d, A("198.18.0.1"), "tun0", err,
	    sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(defroute_down(&d, err, sizeof(err)) == 0, "%s", err);
	/* Pin the server first; on the way down, halves before the pin. */
	ATF_CHECK_STREQ(fk.log,
	    "add route 198.18.0.1/32 via 198.51.100.254 on em0\n"
	    "add route 0.0.0.0/1 via tun0\n"
	    "add route 128.0.0.0/1 via tun0\n"
	    "del route 128.0.0.0/1 via tun0\n"
	    "del route 0.0.0.0/1 via tun0\n"
	    "del route 198.18.0.1/32 via 198.51.100.254 on em0\n");
}

/*
 * Several WANs: the lookup carries the tunnel's mark and source, the pin
 * and the halves go into the tunnel's table.  Without the where, the pin
 * would follow main's lowest-metric default, the other WAN.
 */
ATF_TC_WITHOUT_HEAD(dance_table_and_mark);
ATF_TC_BODY(dance_table_and_mark, tc)
{
	struct defroute d;
	struct route_where w;
	char err[ROUTE_ERR_MAX];

	fake_reset();
	memset(&w, 0, sizeof(w));
	w.table = w.wan_table = 101;
	w.mark = 0x65;
	w.src = A("198.51.100.2");
	defroute_init(&d, "wan1");
	defroute_set_where(&d, &w);
	ATF_REQUIRE_MSG(defroute_up(&d, A("198.18.0.1"), "tun0", err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(fk.get_where.mark, 0x65);
	ATF_CHECK_EQ(fk.get_where.src.s_addr, A("198.51.100.2").s_addr);
	ATF_CHECK_EQ(fk.get_where.wan_table, 101);
	ATF_REQUIRE_MSG(defroute_down(&d, err, sizeof(err)) == 0, "%s", err);
	ATF_CHECK_STREQ(fk.log,
	    "add route 198.18.0.1/32 via 198.51.100.254 on em0 table 101\n"
	    "add route 0.0.0.0/1 via tun0 table 101\n"
	    "add route 128.0.0.0/1 via tun0 table 101\n"
	    "del route 128.0.0.0/1 via tun0 table 101\n"
	    "del route 0.0.0.0/1 via tun0 table 101\n"
	    "del route 198.18.0.1/32 via 198.51.100.254 on em0 table 101\n");

	/* Without a where (one WAN): main, no mark, as before. */
	fake_reset();
	defroute_init(&d, "office");
	ATF_REQUIRE(defroute_up(&d, A("198.18.0.1"), "tun0", err,
	    sizeof(err)) == 0);
	ATF_CHECK_EQ(fk.get_where.mark, 0);
	ATF_CHECK_EQ(fk.get_where.src.s_addr, INADDR_ANY);
	ATF_CHECK(strstr(fk.log, "table") == NULL);
}

ATF_TC_WITHOUT_HEAD(dance_directly_connected_server);
ATF_TC_BODY(dance_directly_connected_server, tc)
{
	struct defroute d;
	char err[ROUTE_ERR_MAX];

	fake_reset();
	fk.nh.flags = 0;
	defroute_init(&d, "office");
	ATF_REQUIRE(defroute_up(&d, A("198.51.100.9"), "tun0", err,
	    sizeof(err)) == 0);
	ATF_CHECK(strncmp(fk.log, "add route 198.51.100.9/32 via em0\n",
	    34) == 0);
}

ATF_TC_WITHOUT_HEAD(dance_failures);
ATF_TC_BODY(dance_failures, tc)
{
	struct defroute d;
	char err[ROUTE_ERR_MAX];

	/* The second half fails: the first half and the pin are undone. */
	fake_reset();
	fk.fail_call = 3;
	fk.fail_errno = EPERM;
	defroute_init(&d, "office");
	ATF_CHECK(defroute_up(&d, A("198.18.0.1"), "tun0", err,
	    sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EPERM);
	ATF_CHECK_STREQ(err, "route 128.0.0.0/1 via tun0: Operation not "
	    "permitted");
	ATF_CHECK(!defroute_active(&d));
	ATF_CHECK_STREQ(fk.log,
	    "add route 198.18.0.1/32 via 198.51.100.254 on em0\n"
	    "add route 0.0.0.0/1 via tun0\n"
	    "add route 128.0.0.0/1 via tun0\n"
	    "del route 0.0.0.0/1 via tun0\n"
	    "del route 198.18.0.1/32 via 198.51.100.254 on em0\n");

	/* The pin fails for a reason other than EEXIST: nothing else done. */
	fake_reset();
	fk.fail_call = 1;
	fk.fail_errno = ENETUNREACH;
	ATF_CHECK(defroute_up(&d, A("198.18.0.1"), "tun0", err,
	    sizeof(err)) == -1);
	ATF_CHECK_EQ(fk.calls, 1);

	/* A delete that fails (not "gone") is reported; the rest go on. */
	fake_reset();
	ATF_REQUIRE(defroute_up(&d, A("198.18.0.1"), "tun0", err,
	    sizeof(err)) == 0);
	fk.fail_call = 4;
	fk.fail_errno = EPERM;
	ATF_CHECK(defroute_down(&d, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "route 128.0.0.0/1 via tun0: Operation not "
	    "permitted");
	ATF_CHECK_EQ(fk.calls, 6);
	ATF_CHECK(!defroute_active(&d));

	/* Vanished (ESRCH) and gone with the interface (ENODEV) are fine. */
	fake_reset();
	ATF_REQUIRE(defroute_up(&d, A("198.18.0.1"), "tun0", err,
	    sizeof(err)) == 0);
	fk.fail_call = 5;
	fk.fail_errno = ESRCH;
	ATF_CHECK(defroute_down(&d, err, sizeof(err)) == 0);
	ATF_CHECK_EQ(fk.calls, 6);

	/* Lookup failure. */
	fake_reset();
	fk.get_errno = EHOSTUNREACH;
	ATF_CHECK(defroute_up(&d, A("198.18.0.1"), "tun0", err,
	    sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EHOSTUNREACH);
	ATF_CHECK_EQ(fk.calls, 0);
}

ATF_TC_WITHOUT_HEAD(route_text_and_checks);
ATF_TC_BODY(route_text_and_checks, tc)
{
	struct route_spec r;
	char buf[ROUTE_ERR_MAX];
	unsigned int plen;

	route_init(&r, A("10.0.0.0"), 8, "tun0");
	route_describe(&r, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "route 10.0.0.0/8 via tun0");
	ATF_CHECK(route_check(&r, buf, sizeof(buf)) == 0);
	for (plen = 0; plen <= 32; plen++) {
		route_init(&r, A("0.0.0.0"), (uint8_t)plen, "tun0");
		ATF_CHECK(route_check(&r, buf, sizeof(buf)) == 0);
		route_init(&r, A("255.255.255.255"), (uint8_t)plen, "tun0");
		ATF_CHECK_EQ(route_check(&r, buf, sizeof(buf)),
		    plen == 32 ? 0 : -1);
	}
	route_init(&r, A("10.0.0.0"), 8, "tun0\n");
	ATF_CHECK(route_check(&r, buf, sizeof(buf)) == -1);
	ATF_CHECK_STREQ(buf, "route 10.0.0.0/8 via tun0\n: bad character "
	    "0x0a in interface name");
	route_init(&r, A("10.0.0.0"), 8, "../../x");
	ATF_CHECK(route_check(&r, buf, sizeof(buf)) == -1);
	route_init(&r, A("10.0.0.0"), 8, "");
	ATF_CHECK(route_check(&r, buf, sizeof(buf)) == -1);
}

ATF_TC_WITHOUT_HEAD(sockaddrs_split);
ATF_TC_BODY(sockaddrs_split, tc)
{
	/* DST (16 bytes), NETMASK of length 0, IFP of 5 unpadded at the end. */
	static const uint8_t msg[] = {
		16, 2, 0, 0, 198, 18, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		5, 18, 1, 2, 3,
	};
	struct rbuf r, sa[8];
	uint8_t bad[sizeof(msg)];
	size_t n;

	rbuf_init(&r, msg, sizeof(msg));
	ATF_REQUIRE(route_sockaddrs(&r, 0x1 | 0x4 | 0x10, sa, 8, 8) == 0);
	ATF_CHECK_EQ(sa[0].len, 16);
	ATF_CHECK_EQ(sa[0].data[4], 198);
	ATF_CHECK(sa[1].data == NULL);
	ATF_CHECK(sa[2].data != NULL && sa[2].len == 0);
	ATF_CHECK_EQ(sa[4].len, 5);
	ATF_CHECK_EQ(sa[4].data[1], 18);
	ATF_CHECK_EQ(rbuf_left(&r), 0);

	/* Every cut: never a read past the end (ASan watches). */
	for (n = 0; n < sizeof(msg); n++) {
		rbuf_init(&r, msg, n);
		ATF_CHECK_EQ(route_sockaddrs(&r, 0x1 | 0x4 | 0x10, sa, 8, 8),
		    -1);
	}
	/* A length of 1, and one past the end. */
	memcpy(bad, msg, sizeof(msg));
	bad[0] = 1;
	rbuf_init(&r, bad, sizeof(bad));
	ATF_CHECK(route_sockaddrs(&r, 0x1, sa, 8, 8) == -1);
	bad[0] = 200;
	rbuf_init(&r, bad, sizeof(bad));
	ATF_CHECK(route_sockaddrs(&r, 0x1, sa, 8, 8) == -1);
	/* More present than the buffer holds. */
	rbuf_init(&r, msg, sizeof(msg));
	ATF_CHECK(route_sockaddrs(&r, 0xff, sa, 8, 8) == -1);
	/* Bits past nout are ignored. */
	rbuf_init(&r, msg, 16);
	ATF_CHECK(route_sockaddrs(&r, 0x1 | 0x100, sa, 8, 8) == 0);
}

/* ---- the kill switch ---- */

/* What "default-route yes" plus "route 10.0.0.0/8" carries. */
static size_t
ks_nets(struct killsw_net *n, int defroute)
{
	size_t i = 0;

	if (defroute) {
		n[i].dst = A("0.0.0.0");
		n[i++].plen = 1;
		n[i].dst = A("128.0.0.0");
		n[i++].plen = 1;
	}
	n[i].dst = A("10.0.0.0");
	n[i++].plen = 8;
	return i;
}

#define KS_PIN	"add route 198.18.0.1/32 via 198.51.100.254 on em0\n"
#define KS_ARM	KS_PIN \
	"add unreachable route 0.0.0.0/1\n" \
	"add unreachable route 128.0.0.0/1\n" \
	"add unreachable route 10.0.0.0/8\n"

ATF_TC_WITHOUT_HEAD(killswitch_order);
ATF_TC_BODY(killswitch_order, tc)
{
	struct killsw k;
	struct killsw_net n[3];
	struct defroute d;
	char err[ROUTE_ERR_MAX];
	size_t nn;

	fake_reset();
	nn = ks_nets(n, 1);
	killsw_init(&k, "office");
	ATF_CHECK(!killsw_armed(&k));
	/* The way out to the server before anything that would hide it. */
	ATF_REQUIRE_MSG(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK(killsw_armed(&k));
	ATF_CHECK_STREQ(fk.log, KS_ARM);

	/* A redial: the lookup finds the pin; nothing to do. */
	fake_reset();
	ATF_REQUIRE(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0);
	ATF_CHECK_STREQ(fk.log, "");

	/*
	 * A session comes up and goes: its routes come and go on top, the
	 * pin is the kill switch's (EEXIST to the dance), and the
	 * unreachable routes stay through the teardown.
	 */
	fake_reset();
	fk.fail_call = 1;
	fk.fail_errno = EEXIST;
	defroute_init(&d, "office");
	ATF_REQUIRE(defroute_up(&d, A("198.18.0.1"), "tun0", err,
	    sizeof(err)) == 0);
	ATF_REQUIRE(defroute_down(&d, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(fk.log,
	    KS_PIN
	    "add route 0.0.0.0/1 via tun0\n"
	    "add route 128.0.0.0/1 via tun0\n"
	    "del route 128.0.0.0/1 via tun0\n"
	    "del route 0.0.0.0/1 via tun0\n");
	ATF_CHECK(killsw_armed(&k));

	/* Removal: the refusals, then the pin; nothing held after. */
	fake_reset();
	ATF_REQUIRE(killsw_disarm(&k, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(fk.log,
	    "del unreachable route 10.0.0.0/8\n"
	    "del unreachable route 128.0.0.0/1\n"
	    "del unreachable route 0.0.0.0/1\n"
	    "del route 198.18.0.1/32 via 198.51.100.254 on em0\n");
	ATF_CHECK(!killsw_armed(&k));
	fake_reset();
	ATF_CHECK(killsw_disarm(&k, err, sizeof(err)) == 0);
	ATF_CHECK_EQ(fk.calls, 0);
}

ATF_TC_WITHOUT_HEAD(killswitch_server_moves);
ATF_TC_BODY(killswitch_server_moves, tc)
{
	struct killsw k;
	struct killsw_net n[3];
	char err[ROUTE_ERR_MAX];
	size_t nn;

	fake_reset();
	nn = ks_nets(n, 1);
	killsw_init(&k, "office");
	ATF_REQUIRE(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0);
	/*
	 * The name now resolves to another address, which the halves hide
	 * from the lookup: pinned the way learnt before, then the old pin
	 * goes.  The refusals are not touched.
	 */
	fake_reset();
	fk.get_errno = EHOSTUNREACH;
	ATF_REQUIRE_MSG(killsw_arm(&k, A("198.18.0.2"), n, nn, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_STREQ(fk.log,
	    "add route 198.18.0.2/32 via 198.51.100.254 on em0\n"
	    "del route 198.18.0.1/32 via 198.51.100.254 on em0\n");

	/* The pin vanished (its interface went and came back): put back. */
	fake_reset();
	fk.get_errno = EHOSTUNREACH;
	ATF_REQUIRE(killsw_arm(&k, A("198.18.0.2"), n, nn, err,
	    sizeof(err)) == 0);
	ATF_CHECK_STREQ(fk.log,
	    "add route 198.18.0.2/32 via 198.51.100.254 on em0\n");
	/* Still there (EEXIST): still ours, removed at the end. */
	fake_reset();
	fk.get_errno = EHOSTUNREACH;
	fk.fail_call = 1;
	fk.fail_errno = EEXIST;
	ATF_REQUIRE(killsw_arm(&k, A("198.18.0.2"), n, nn, err,
	    sizeof(err)) == 0);
	fake_reset();
	ATF_REQUIRE(killsw_disarm(&k, err, sizeof(err)) == 0);
	ATF_CHECK(strstr(fk.log,
	    "del route 198.18.0.2/32 via 198.51.100.254 on em0\n") != NULL);
}

ATF_TC_WITHOUT_HEAD(killswitch_no_way_yet);
ATF_TC_BODY(killswitch_no_way_yet, tc)
{
	struct killsw k;
	struct killsw_net n[3];
	char err[ROUTE_ERR_MAX];
	size_t nn;

	/*
	 * No WAN yet: refusing 128.0.0.0/1 would hide the server from
	 * every later lookup for good.  Only what does not cover it goes
	 * in, and arming says why it is not whole.
	 */
	fake_reset();
	fk.get_errno = ENETUNREACH;
	nn = ks_nets(n, 1);
	killsw_init(&k, "office");
	ATF_CHECK(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == -1);
	ATF_CHECK(strstr(err, "no way to server 198.18.0.1 known") != NULL);
	ATF_CHECK_STREQ(fk.log,
	    "add unreachable route 0.0.0.0/1\n"
	    "add unreachable route 10.0.0.0/8\n");
	/* The WAN is up: the next arm completes it. */
	fake_reset();
	ATF_REQUIRE_MSG(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_STREQ(fk.log, KS_PIN "add unreachable route 128.0.0.0/1\n");
	killsw_disarm(&k, err, sizeof(err));

	/* The server is this host: nothing to pin, all refused. */
	fake_reset();
	fk.nh.flags = ROUTE_LOCAL;
	ATF_REQUIRE(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0);
	ATF_CHECK_STREQ(fk.log,
	    "add unreachable route 0.0.0.0/1\n"
	    "add unreachable route 128.0.0.0/1\n"
	    "add unreachable route 10.0.0.0/8\n");
	killsw_disarm(&k, err, sizeof(err));
}

ATF_TC_WITHOUT_HEAD(killswitch_reconfigure);
ATF_TC_BODY(killswitch_reconfigure, tc)
{
	struct killsw k;
	struct killsw_net n[4];
	char err[ROUTE_ERR_MAX];
	size_t nn;

	fake_reset();
	nn = ks_nets(n, 1);
	killsw_init(&k, "office");
	ATF_REQUIRE(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0);
	/*
	 * Reload: default-route no, another route.  The new refusal goes
	 * in before the old ones go, the pin last; a duplicate is one.
	 */
	fake_reset();
	nn = ks_nets(n, 0);
	n[nn].dst = A("172.16.0.0");
	n[nn++].plen = 12;
	n[nn++] = n[0];
	ATF_REQUIRE_MSG(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_STREQ(fk.log,
	    "add unreachable route 172.16.0.0/12\n"
	    "del unreachable route 128.0.0.0/1\n"
	    "del unreachable route 0.0.0.0/1\n"
	    "del route 198.18.0.1/32 via 198.51.100.254 on em0\n");
	fake_reset();
	ATF_REQUIRE(killsw_disarm(&k, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(fk.log,
	    "del unreachable route 172.16.0.0/12\n"
	    "del unreachable route 10.0.0.0/8\n");
}

ATF_TC_WITHOUT_HEAD(killswitch_failures);
ATF_TC_BODY(killswitch_failures, tc)
{
	struct killsw k;
	struct killsw_net n[3], bad;
	char err[ROUTE_ERR_MAX];
	size_t nn;

	/* A leftover of an earlier pptpcd (EEXIST) is taken over. */
	fake_reset();
	fk.fail_call = 2;
	fk.fail_errno = EEXIST;
	nn = ks_nets(n, 1);
	killsw_init(&k, "office");
	ATF_REQUIRE(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0);
	ATF_CHECK_STREQ(fk.log, KS_ARM);
	fake_reset();
	ATF_REQUIRE(killsw_disarm(&k, err, sizeof(err)) == 0);
	ATF_CHECK(strstr(fk.log, "del unreachable route 0.0.0.0/1\n") != NULL);

	/* One refused: reported, the others still go in. */
	fake_reset();
	fk.fail_call = 3;
	fk.fail_errno = EPERM;
	ATF_CHECK(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "kill switch: unreachable route 128.0.0.0/1: "
	    "Operation not permitted");
	ATF_CHECK_STREQ(fk.log, KS_ARM);
	/* The next arm tries it again, and only it. */
	fake_reset();
	ATF_REQUIRE(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0);
	ATF_CHECK_STREQ(fk.log, "add unreachable route 128.0.0.0/1\n");

	/* Gone already (ESRCH) is fine; anything else is reported. */
	fake_reset();
	fk.fail_call = 1;
	fk.fail_errno = ESRCH;
	ATF_CHECK(killsw_disarm(&k, err, sizeof(err)) == 0);
	ATF_CHECK_EQ(fk.calls, 4);
	ATF_REQUIRE(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0);
	fake_reset();
	fk.fail_call = 2;
	fk.fail_errno = EPERM;
	ATF_CHECK(killsw_disarm(&k, err, sizeof(err)) == -1);
	ATF_CHECK_EQ(fk.calls, 4);
	ATF_CHECK(!killsw_armed(&k));

	/* Not a prefix: never reaches the kernel. */
	fake_reset();
	bad.dst = A("10.0.0.1");
	bad.plen = 8;
	ATF_CHECK(killsw_arm(&k, A("198.18.0.1"), &bad, 1, err,
	    sizeof(err)) == -1);
	ATF_CHECK_EQ(fk.calls, 0);
	killsw_disarm(&k, err, sizeof(err));
}

/*
 * The kill switch of a tunnel with a table: its unreachable routes and
 * its pin in that table, its lookup with the mark; a change of table
 * takes the routes out of the old one first.
 */
ATF_TC_WITHOUT_HEAD(killswitch_table);
ATF_TC_BODY(killswitch_table, tc)
{
	struct killsw k;
	struct killsw_net n[3];
	struct route_where w;
	char err[ROUTE_ERR_MAX];
	size_t nn;

	fake_reset();
	nn = ks_nets(n, 1);
	memset(&w, 0, sizeof(w));
	w.table = w.wan_table = 7;
	w.mark = 7;
	killsw_init(&k, "wan1");
	ATF_REQUIRE(killsw_set_where(&k, &w, err, sizeof(err)) == 0);
	ATF_REQUIRE_MSG(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(fk.reject_table, 7);
	ATF_CHECK_EQ(fk.get_where.mark, 7);
	ATF_CHECK(strstr(fk.log, "add route 198.18.0.1/32 via "
	    "198.51.100.254 on em0 table 7\n") != NULL);

	/* Another table: all out of table 7 before anything goes in. */
	fake_reset();
	w.table = w.wan_table = 8;
	ATF_REQUIRE(killsw_set_where(&k, &w, err, sizeof(err)) == 0);
	ATF_CHECK(!killsw_armed(&k));
	ATF_CHECK(strstr(fk.log, "del route 198.18.0.1/32 via "
	    "198.51.100.254 on em0 table 7\n") != NULL);
	ATF_CHECK_EQ(fk.reject_table, 7);
	ATF_REQUIRE(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0);
	ATF_CHECK_EQ(fk.reject_table, 8);
	ATF_REQUIRE(killsw_disarm(&k, err, sizeof(err)) == 0);
}

static struct killsw_net6
N6(const char *s, uint8_t plen)
{
	struct killsw_net6 n;

	memset(&n, 0, sizeof(n));
	ATF_REQUIRE(inet_pton(AF_INET6, s, &n.dst) == 1);
	n.plen = plen;
	return n;
}

/*
 * "ipv6 yes": the IPv6 prefixes refused beside the IPv4 ones, in the
 * tunnel's table, without a pin of their own (the server is IPv4);
 * kept over a redial, following the configuration, and all gone with
 * killsw_disarm().  Without them IPv6 leaks by the WAN while down.
 */
ATF_TC_WITHOUT_HEAD(killswitch_ipv6);
ATF_TC_BODY(killswitch_ipv6, tc)
{
	struct killsw k;
	struct killsw_net n[3];
	struct killsw_net6 n6[5];
	struct route_where w;
	char err[ROUTE_ERR_MAX];
	size_t nn;

	fake_reset();
	nn = ks_nets(n, 1);
	n6[0] = N6("::", 1);
	n6[1] = N6("8000::", 1);
	n6[2] = N6("2001:db8:5::", 48);
	n6[3] = N6("::", 1);		/* twice: once in the kernel */
	killsw_init(&k, "office");
	memset(&w, 0, sizeof(w));
	w.table = w.wan_table = 9;
	ATF_REQUIRE(killsw_set_where(&k, &w, err, sizeof(err)) == 0);
	ATF_REQUIRE_MSG(killsw_arm(&k, A("198.18.0.1"), n, nn, err,
	    sizeof(err)) == 0, "%s", err);
	fake_reset();
	ATF_REQUIRE_MSG(killsw_arm6(&k, n6, 4, err, sizeof(err)) == 0, "%s",
	    err);
	ATF_CHECK_STREQ(fk.log,
	    "add unreachable route6 ::/1\n"
	    "add unreachable route6 8000::/1\n"
	    "add unreachable route6 2001:db8:5::/48\n");
	ATF_CHECK_EQ(fk.reject_table, 9);

	/* A redial: nothing to do. */
	fake_reset();
	ATF_REQUIRE(killsw_arm6(&k, n6, 3, err, sizeof(err)) == 0);
	ATF_CHECK_EQ(fk.calls, 0);

	/* A route line removed: only its refusal goes, after the rest. */
	fake_reset();
	n6[2] = N6("2001:db8:6::", 48);
	ATF_REQUIRE(killsw_arm6(&k, n6, 3, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(fk.log,
	    "add unreachable route6 2001:db8:6::/48\n"
	    "del unreachable route6 2001:db8:5::/48\n");

	/* Left by an earlier pptpcd: taken over, and removed later. */
	fake_reset();
	fk.fail_call = 1;
	fk.fail_errno = EEXIST;
	n6[3] = N6("2001:db8:7::", 64);
	ATF_REQUIRE(killsw_arm6(&k, n6, 4, err, sizeof(err)) == 0);

	/* What no kill switch may refuse: ::/0, host bits; no call. */
	fake_reset();
	n6[4] = N6("::", 0);
	ATF_CHECK(killsw_arm6(&k, n6, 5, err, sizeof(err)) == -1);
	n6[4] = N6("2001:db8:7::1", 64);
	ATF_CHECK(killsw_arm6(&k, n6, 5, err, sizeof(err)) == -1);
	ATF_CHECK_EQ(fk.calls, 0);

	/* "ipv6 no": the IPv6 ones go, the IPv4 ones stay. */
	fake_reset();
	ATF_REQUIRE(killsw_arm6(&k, NULL, 0, err, sizeof(err)) == 0);
	ATF_CHECK_EQ(fk.calls, 4);
	ATF_CHECK(strstr(fk.log, "add") == NULL);
	ATF_CHECK(killsw_armed(&k));

	/* IPv6 alone keeps it armed; the stop takes everything. */
	ATF_REQUIRE(killsw_arm(&k, A("198.18.0.1"), NULL, 0, err,
	    sizeof(err)) == 0);
	ATF_CHECK(!killsw_armed(&k));
	ATF_REQUIRE(killsw_arm6(&k, n6, 2, err, sizeof(err)) == 0);
	ATF_CHECK(killsw_armed(&k));
	fake_reset();
	ATF_REQUIRE(killsw_disarm(&k, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(fk.log,
	    "del unreachable route6 8000::/1\n"
	    "del unreachable route6 ::/1\n");
	ATF_CHECK(!killsw_armed(&k));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, killswitch_ipv6);
	ATF_TP_ADD_TC(tp, dance_order);
	ATF_TP_ADD_TC(tp, dance_table_and_mark);
	ATF_TP_ADD_TC(tp, killswitch_table);
	ATF_TP_ADD_TC(tp, dance_directly_connected_server);
	ATF_TP_ADD_TC(tp, dance_failures);
	ATF_TP_ADD_TC(tp, route_text_and_checks);
	ATF_TP_ADD_TC(tp, sockaddrs_split);
	ATF_TP_ADD_TC(tp, killswitch_order);
	ATF_TP_ADD_TC(tp, killswitch_server_moves);
	ATF_TP_ADD_TC(tp, killswitch_no_way_yet);
	ATF_TP_ADD_TC(tp, killswitch_reconfigure);
	ATF_TP_ADD_TC(tp, killswitch_failures);
	return atf_no_error();
}
