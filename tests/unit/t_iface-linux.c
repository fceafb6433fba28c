/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Tests of the Linux tun, interface and route code against the real
 * kernel.  Each test case runs in a network namespace of its own, entered
 * with unshare(CLONE_NEWNET) in the test process before anything else, so
 * that nothing here can touch the host's interfaces or routes.  Every
 * effect is read back through rtnetlink, never by parsing ip(8) output.
 *
 * The "upstream" is a second tun device, up0, 198.51.100.1 with peer
 * 198.51.100.254: the peer is reachable on the point-to-point link, so a
 * default route through it is a real gateway route, as through a LAN.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "killswitch.h"
#include "netns.h"
#include "nl-linux.h"
#include "route.h"
#include "tun.h"

#define ERRLEN	256

static struct in_addr
A(const char *s)
{
	return test_inaddr(s);
}

/* ---- reading the kernel's state back ---- */

#define LINES_MAX	64

struct lines {
	char	 l[LINES_MAX][96];
	int	 n;
};

static int
route_dump_cb(uint16_t type, struct rbuf *p, void *arg)
{
	struct lines *ls = arg;
	struct rbuf tb[RTA_MAX + 1];
	struct rtmsg rtm;
	struct in_addr dst = { 0 }, gw;
	uint32_t oif = 0, table;
	char d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN + 6] = "";
	char ifn[IF_NAMESIZE] = "?";

	if (type != RTM_NEWROUTE)
		return 0;
	if (rbuf_bytes(p, &rtm, sizeof(rtm)) == -1 ||
	    nl_attrs(p, tb, RTA_MAX + 1) == -1)
		return -1;
	table = rtm.rtm_table;
	if (tb[RTA_TABLE].data != NULL && nl_attr_u32(&tb[RTA_TABLE],
	    &table) == -1)
		return -1;
	if (table != RT_TABLE_MAIN || rtm.rtm_family != AF_INET)
		return 0;
	if (tb[RTA_DST].data != NULL && nl_attr_in(&tb[RTA_DST], &dst) == -1)
		return -1;
	if (rtm.rtm_type == RTN_UNREACHABLE) {
		/* The kill switch's: no device, and its metric matters. */
		if (nl_attr_u32(&tb[RTA_PRIORITY], &oif) == -1 ||
		    ls->n == LINES_MAX)
			return -1;
		inet_ntop(AF_INET, &dst, d, sizeof(d));
		snprintf(ls->l[ls->n++], sizeof(ls->l[0]),
		    "unreachable %s/%u metric %u", d, rtm.rtm_dst_len, oif);
		return 0;
	}
	if (tb[RTA_GATEWAY].data != NULL) {
		if (nl_attr_in(&tb[RTA_GATEWAY], &gw) == -1)
			return -1;
		strcpy(g, " via ");
		inet_ntop(AF_INET, &gw, g + 5, INET_ADDRSTRLEN);
	}
	if (tb[RTA_OIF].data != NULL && (nl_attr_u32(&tb[RTA_OIF],
	    &oif) == -1 || if_indextoname(oif, ifn) == NULL))
		return -1;
	inet_ntop(AF_INET, &dst, d, sizeof(d));
	if (ls->n == LINES_MAX)
		return -1;
	snprintf(ls->l[ls->n++], sizeof(ls->l[0]), "%s/%u%s dev %s", d,
	    rtm.rtm_dst_len, g, ifn);
	return 0;
}

static int
line_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The main IPv4 table, one sorted line per route. */
static void
route_table(char *out, size_t len)
{
	struct lines ls;
	struct rtmsg rtm;
	struct nl_req req;
	char err[ERRLEN];
	int i;

	memset(&ls, 0, sizeof(ls));
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	nl_req_init(&req, RTM_GETROUTE, NLM_F_DUMP, &rtm, sizeof(rtm));
	ATF_REQUIRE_MSG(nl_request(&req, route_dump_cb, &ls, "route dump",
	    err, sizeof(err)) == 0, "%s", err);
	qsort(ls.l, (size_t)ls.n, sizeof(ls.l[0]), line_cmp);
	out[0] = '\0';
	for (i = 0; i < ls.n; i++) {
		strncat(out, ls.l[i], len - strlen(out) - 1);
		strncat(out, "\n", len - strlen(out) - 1);
	}
}

static int
has_route(const char *line)
{
	char t[4096], want[128];

	route_table(t, sizeof(t));
	snprintf(want, sizeof(want), "%s\n", line);
	return strstr(t, want) == t || (strstr(t, want) != NULL &&
	    strstr(t, want)[-1] == '\n');
}

struct link_info {
	unsigned int	 flags;
	uint32_t	 mtu;
};

static int
link_cb(uint16_t type, struct rbuf *p, void *arg)
{
	struct link_info *li = arg;
	struct rbuf tb[IFLA_MAX + 1];
	struct ifinfomsg ifi;

	if (type != RTM_NEWLINK)
		return 0;
	if (rbuf_bytes(p, &ifi, sizeof(ifi)) == -1 ||
	    nl_attrs(p, tb, IFLA_MAX + 1) == -1 ||
	    nl_attr_u32(&tb[IFLA_MTU], &li->mtu) == -1)
		return -1;
	li->flags = ifi.ifi_flags;
	return 0;
}

static struct link_info
link_get(const char *ifname)
{
	struct link_info li = { 0, 0 };
	struct ifinfomsg ifi;
	struct nl_req req;
	char err[ERRLEN];

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = (int)if_nametoindex(ifname);
	ATF_REQUIRE(ifi.ifi_index != 0);
	nl_req_init(&req, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	ATF_REQUIRE_MSG(nl_request(&req, link_cb, &li, "link get", err,
	    sizeof(err)) == 0, "%s", err);
	return li;
}

struct addr_dump {
	unsigned int	 index;
	struct lines	 ls;
};

static int
addr_cb(uint16_t type, struct rbuf *p, void *arg)
{
	struct addr_dump *ad = arg;
	struct rbuf tb[IFA_MAX + 1];
	struct ifaddrmsg ifa;
	struct in_addr l, a;
	char ls[INET_ADDRSTRLEN], as[INET_ADDRSTRLEN];

	if (type != RTM_NEWADDR)
		return 0;
	if (rbuf_bytes(p, &ifa, sizeof(ifa)) == -1 ||
	    nl_attrs(p, tb, IFA_MAX + 1) == -1)
		return -1;
	if (ifa.ifa_index != ad->index || ifa.ifa_family != AF_INET)
		return 0;
	if (nl_attr_in(&tb[IFA_LOCAL], &l) == -1 ||
	    nl_attr_in(&tb[IFA_ADDRESS], &a) == -1 || ad->ls.n == LINES_MAX)
		return -1;
	inet_ntop(AF_INET, &l, ls, sizeof(ls));
	inet_ntop(AF_INET, &a, as, sizeof(as));
	snprintf(ad->ls.l[ad->ls.n++], sizeof(ad->ls.l[0]), "%s peer %s/%u",
	    ls, as, ifa.ifa_prefixlen);
	return 0;
}

/* The IPv4 addresses of ifname, "" if none, else the first of them. */
static void
addr_get(const char *ifname, char *out, size_t len, int *count)
{
	struct addr_dump ad;
	struct ifaddrmsg ifa;
	struct nl_req req;
	char err[ERRLEN];

	memset(&ad, 0, sizeof(ad));
	ad.index = if_nametoindex(ifname);
	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = AF_INET;
	nl_req_init(&req, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof(ifa));
	ATF_REQUIRE_MSG(nl_request(&req, addr_cb, &ad, "address dump", err,
	    sizeof(err)) == 0, "%s", err);
	snprintf(out, len, "%s", ad.ls.n > 0 ? ad.ls.l[0] : "");
	*count = ad.ls.n;
}

/* ---- fixtures ---- */

/* A tun device with a point-to-point address, up. */
static void
p2p_up(struct tun *t, const char *want, const char *local, const char *peer,
    unsigned int mtu)
{
	char err[ERRLEN];

	ATF_REQUIRE_MSG(tun_open(t, want, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(iface_set_addr(t->name, A(local), A(peer), err,
	    sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(iface_set_mtu(t->name, mtu, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_REQUIRE_MSG(iface_set_up(t->name, 1, err, sizeof(err)) == 0, "%s",
	    err);
}

/* up0 with a default route through its peer, as a LAN uplink would be. */
static void
uplink(struct tun *up)
{
	struct route_spec r;
	char err[ERRLEN];

	p2p_up(up, "up0", "198.51.100.1", "198.51.100.254", 1500);
	route_init(&r, A("0.0.0.0"), 0, "up0");
	r.flags = ROUTE_GATEWAY;
	r.gateway = A("198.51.100.254");
	ATF_REQUIRE_MSG(route_add(&r, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE(has_route("0.0.0.0/0 via 198.51.100.254 dev up0"));
}

/* ---- tun device ---- */

/* Reads the next IPv4 packet from t, waiting up to a second. */
static ssize_t
read_ipv4(struct tun *t, uint8_t *buf, size_t len)
{
	ssize_t n;
	int i;

	for (i = 0; i < 1000; i++) {
		n = tun_read(t, buf, len);
		if (n > 0 && buf[0] >> 4 == 4)
			return n;
		if (n == -1 && errno != EAGAIN)
			return -1;
		if (n == -1)
			usleep(1000);
	}
	errno = ETIMEDOUT;
	return -1;
}

static void
udp_send(const char *dst, const char *data, size_t len)
{
	struct sockaddr_in sin;
	int s;

	ATF_REQUIRE((s = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr = A(dst);
	ATF_REQUIRE_MSG(sendto(s, data, len, 0, (struct sockaddr *)&sin,
	    sizeof(sin)) == (ssize_t)len, "sendto: %s", strerror(errno));
	close(s);
}

ROOT_TC(tun_open_names, "tun_open picks free names, honours a wanted "
    "one and reports clashes and bad names")
{
	struct tun a, b, c, d;
	char err[ERRLEN];

	test_netns_enter();
	ATF_REQUIRE_MSG(tun_open(&a, NULL, err, sizeof(err)) == 0, "%s", err);
	ATF_CHECK_STREQ(a.name, "tun0");
	ATF_REQUIRE_MSG(tun_open(&b, "", err, sizeof(err)) == 0, "%s", err);
	ATF_CHECK_STREQ(b.name, "tun1");
	ATF_REQUIRE_MSG(tun_open(&c, "pptpc7", err, sizeof(err)) == 0, "%s",
	    err);
	ATF_CHECK_STREQ(c.name, "pptpc7");
	ATF_CHECK(if_nametoindex("pptpc7") != 0);
	/* Non-blocking: nothing to read is EAGAIN, not a hang. */
	ATF_CHECK(fcntl(c.fd, F_GETFL) & O_NONBLOCK);
	ATF_CHECK(fcntl(c.fd, F_GETFD) & FD_CLOEXEC);

	ATF_CHECK(tun_open(&d, "pptpc7", err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EBUSY);
	ATF_CHECK_STREQ(err, "tun pptpc7: in use by another process");
	ATF_CHECK_EQ(d.fd, -1);
	ATF_CHECK(tun_open(&d, "lo", err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "tun lo: exists and is not a free tun device");
	ATF_CHECK(tun_open(&d, "a/b", err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_STREQ(err, "tun: bad character 0x2f in interface name");
	ATF_CHECK(tun_open(&d, "abcdefghijklmnop", err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, ENAMETOOLONG);

	tun_close(&c);
	ATF_CHECK_EQ(c.fd, -1);
	tun_close(&c);				/* twice is harmless */
	/* A closed, non-persistent tun device is gone. */
	ATF_CHECK_EQ(if_nametoindex("pptpc7"), 0);
	tun_close(&b);
	tun_close(&a);
}

ROOT_TC(tun_packets, "packets go through tun_read, tun_read_batch and "
    "tun_write without framing")
{
	struct tun t;
	struct tun_pkt pk[8];
	uint8_t buf[8][2048], pkt[84];
	ssize_t n;
	int i;

	test_netns_enter();
	p2p_up(&t, NULL, "192.0.2.2", "192.0.2.1", 1400);

	/* Nothing waiting. */
	ATF_CHECK_EQ(tun_read(&t, buf[0], sizeof(buf[0])), -1);
	ATF_CHECK_EQ(errno, EAGAIN);

	udp_send("192.0.2.1", "hello", 5);
	ATF_REQUIRE((n = read_ipv4(&t, buf[0], sizeof(buf[0]))) == 20 + 8 + 5);
	ATF_CHECK_EQ(buf[0][9], 17);
	ATF_CHECK_EQ(memcmp(buf[0] + 16, "\xc0\x00\x02\x01", 4), 0);
	ATF_CHECK_EQ(memcmp(buf[0] + 28, "hello", 5), 0);

	/* Three packets, one batch. */
	for (i = 0; i < 8; i++) {
		pk[i].buf = buf[i];
		pk[i].cap = sizeof(buf[i]);
		pk[i].len = 0;
	}
	udp_send("192.0.2.1", "one", 3);
	udp_send("192.0.2.1", "two", 3);
	udp_send("192.0.2.1", "three", 5);
	ATF_CHECK_EQ(tun_read_batch(&t, pk, 8), 3);
	ATF_CHECK_EQ(pk[0].len, 31);
	ATF_CHECK_EQ(memcmp(buf[1] + 28, "two", 3), 0);
	ATF_CHECK_EQ(pk[2].len, 33);
	ATF_CHECK_EQ(tun_read_batch(&t, pk, 8), 0);
	/* A batch never reads more than it has slots for. */
	for (i = 0; i < 3; i++)
		udp_send("192.0.2.1", "x", 1);
	ATF_CHECK_EQ(tun_read_batch(&t, pk, 2), 2);
	ATF_CHECK_EQ(tun_read_batch(&t, pk, 2), 1);

	/* Too long for the buffer: reported, not silently cut. */
	udp_send("192.0.2.1", "a longer datagram", 17);
	ATF_CHECK_EQ(tun_read(&t, buf[0], 20), -1);
	ATF_CHECK_EQ(errno, EMSGSIZE);

	/* An ICMP echo request from the peer is answered through the tun. */
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x45;
	put_be16(pkt + 2, sizeof(pkt));
	pkt[8] = 64;
	pkt[9] = 1;
	memcpy(pkt + 12, "\xc0\x00\x02\x01\xc0\x00\x02\x02", 8);
	put_be16(pkt + 10, test_inet_cksum(pkt, 20));
	pkt[20] = 8;				/* echo request */
	put_be16(pkt + 24, 0x4242);
	put_be16(pkt + 26, 1);
	memset(pkt + 28, 0x5a, sizeof(pkt) - 28);
	put_be16(pkt + 22, test_inet_cksum(pkt + 20, sizeof(pkt) - 20));
	ATF_REQUIRE_EQ(tun_write(&t, pkt, sizeof(pkt)), (ssize_t)sizeof(pkt));
	ATF_REQUIRE((n = read_ipv4(&t, buf[0], sizeof(buf[0]))) ==
	    (ssize_t)sizeof(pkt));
	ATF_CHECK_EQ(buf[0][9], 1);
	ATF_CHECK_EQ(buf[0][20], 0);		/* echo reply */
	ATF_CHECK_EQ(memcmp(buf[0] + 16, "\xc0\x00\x02\x01", 4), 0);
	ATF_CHECK_EQ(get_be16(buf[0] + 24), 0x4242);
	tun_close(&t);
}

/* ---- interface settings ---- */

ROOT_TC(iface_settings, "address, MTU and link state, read back through "
    "netlink, and the errors for bad ones")
{
	struct tun t;
	struct link_info li;
	char a[128], err[ERRLEN];
	int n;

	test_netns_enter();
	ATF_REQUIRE_MSG(tun_open(&t, NULL, err, sizeof(err)) == 0, "%s", err);
	li = link_get(t.name);
	ATF_CHECK((li.flags & IFF_UP) == 0);
	ATF_CHECK_EQ(li.mtu, 1500);
	addr_get(t.name, a, sizeof(a), &n);
	ATF_CHECK_EQ(n, 0);

	ATF_REQUIRE_MSG(iface_set_addr(t.name, A("192.0.2.2"), A("192.0.2.1"),
	    err, sizeof(err)) == 0, "%s", err);
	addr_get(t.name, a, sizeof(a), &n);
	ATF_CHECK_EQ(n, 1);
	ATF_CHECK_STREQ(a, "192.0.2.2 peer 192.0.2.1/32");
	/* Again, as after a redial with the same address: no error. */
	ATF_CHECK_MSG(iface_set_addr(t.name, A("192.0.2.2"), A("192.0.2.1"),
	    err, sizeof(err)) == 0, "%s", err);
	addr_get(t.name, a, sizeof(a), &n);
	ATF_CHECK_EQ(n, 1);

	ATF_CHECK_MSG(iface_set_mtu(t.name, 1400, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK_MSG(iface_set_up(t.name, 1, err, sizeof(err)) == 0, "%s",
	    err);
	li = link_get(t.name);
	ATF_CHECK(li.flags & IFF_UP);
	ATF_CHECK(li.flags & IFF_POINTOPOINT);
	ATF_CHECK_EQ(li.mtu, 1400);
	/* The kernel's own route to the peer. */
	ATF_CHECK(has_route("192.0.2.1/32 dev tun0"));

	ATF_CHECK(iface_set_mtu(t.name, 40, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "MTU 40 on tun0: out of range 68-65535");
	ATF_CHECK(iface_set_mtu(t.name, 70000, err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_EQ(link_get(t.name).mtu, 1400);
	ATF_CHECK(iface_set_mtu("nosuch0", 1400, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "MTU 1400 on nosuch0: no such interface");
	ATF_CHECK(iface_set_up("nosuch0", 1, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "link up nosuch0: no such interface");
	ATF_CHECK(iface_set_addr("", A("192.0.2.2"), A("192.0.2.1"), err,
	    sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "address 192.0.2.2 peer 192.0.2.1 on : no "
	    "interface name");

	ATF_CHECK_MSG(iface_set_up(t.name, 0, err, sizeof(err)) == 0, "%s",
	    err);
	ATF_CHECK((link_get(t.name).flags & IFF_UP) == 0);
	ATF_CHECK_MSG(iface_del_addr(t.name, A("192.0.2.2"), A("192.0.2.1"),
	    err, sizeof(err)) == 0, "%s", err);
	addr_get(t.name, a, sizeof(a), &n);
	ATF_CHECK_EQ(n, 0);
	ATF_CHECK(iface_del_addr(t.name, A("192.0.2.2"), A("192.0.2.1"),
	    err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EADDRNOTAVAIL);
	/* The kernel's extended ack, where it gives one, is passed on. */
	ATF_CHECK_MSG(strncmp(err, "address 192.0.2.2 peer 192.0.2.1 on tun0: "
	    "Cannot assign requested address", 73) == 0, "%s", err);
	tun_close(&t);
}

/* ---- routes ---- */

ROOT_TC(routes, "routes via the tunnel: add, exists, delete, gone, bad "
    "prefixes, lookups")
{
	struct tun t, up;
	struct route_spec r, g;
	struct route_nexthop nh;
	char err[ERRLEN];

	test_netns_enter();
	p2p_up(&t, NULL, "192.0.2.2", "192.0.2.1", 1400);
	p2p_up(&up, "up0", "198.51.100.1", "198.51.100.254", 1500);

	/* Nothing reaches 203.0.113.0/24 yet. */
	ATF_CHECK(route_get(A("203.0.113.9"), &nh, err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, ENETUNREACH);
	ATF_CHECK_STREQ(err, "route lookup 203.0.113.9: Network is "
	    "unreachable");

	route_init(&r, A("203.0.113.0"), 24, t.name);
	ATF_REQUIRE_MSG(route_add(&r, err, sizeof(err)) == 0, "%s", err);
	ATF_CHECK(has_route("203.0.113.0/24 dev tun0"));
	ATF_CHECK_MSG(route_get(A("203.0.113.9"), &nh, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK_STREQ(nh.ifname, "tun0");
	ATF_CHECK_EQ(nh.flags, 0);

	ATF_CHECK(route_add(&r, err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EEXIST);
	ATF_CHECK_STREQ(err, "route 203.0.113.0/24 via tun0: File exists");

	ATF_CHECK_MSG(route_delete(&r, err, sizeof(err)) == 0, "%s", err);
	ATF_CHECK(!has_route("203.0.113.0/24 dev tun0"));
	ATF_CHECK(route_delete(&r, err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, ESRCH);
	ATF_CHECK_STREQ(err, "route 203.0.113.0/24 via tun0: not found");

	/* Through a gateway. */
	route_init(&g, A("198.18.0.0"), 15, "up0");
	g.flags = ROUTE_GATEWAY;
	g.gateway = A("198.51.100.254");
	ATF_REQUIRE_MSG(route_add(&g, err, sizeof(err)) == 0, "%s", err);
	ATF_CHECK(has_route("198.18.0.0/15 via 198.51.100.254 dev up0"));
	ATF_CHECK_MSG(route_get(A("198.19.1.1"), &nh, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK_STREQ(nh.ifname, "up0");
	ATF_CHECK_EQ(nh.flags, ROUTE_GATEWAY);
	ATF_CHECK_EQ(nh.gateway.s_addr, A("198.51.100.254").s_addr);
	/* A gateway nothing reaches. */
	g.gateway = A("203.0.113.1");
	route_init(&r, A("198.18.7.0"), 24, "up0");
	r.flags = ROUTE_GATEWAY;
	r.gateway = A("203.0.113.1");
	ATF_CHECK(route_add(&r, err, sizeof(err)) == -1);
	ATF_CHECK_MSG(strncmp(err, "route 198.18.7.0/24 via 203.0.113.1 on "
	    "up0: ", 39) == 0, "%s", err);

	/* Our own address. */
	ATF_CHECK_MSG(route_get(A("192.0.2.2"), &nh, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK(nh.flags & ROUTE_LOCAL);

	/* Bad prefixes never reach the kernel. */
	route_init(&r, A("203.0.113.1"), 24, t.name);
	ATF_CHECK(route_add(&r, err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_STREQ(err, "route 203.0.113.1/24 via tun0: address has "
	    "bits set past the prefix length");
	route_init(&r, A("203.0.113.0"), 33, t.name);
	ATF_CHECK(route_add(&r, err, sizeof(err)) == -1);
	ATF_CHECK_STREQ(err, "route 203.0.113.0/33 via tun0: prefix length "
	    "above 32");
	route_init(&r, A("203.0.113.0"), 24, "nosuch0");
	ATF_CHECK(route_add(&r, err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, ENODEV);
	ATF_CHECK_STREQ(err, "route 203.0.113.0/24 via nosuch0: no such "
	    "interface");
	route_init(&r, A("0.0.0.0"), 0, t.name);
	ATF_CHECK_MSG(route_check(&r, err, sizeof(err)) == 0, "%s", err);
	tun_close(&up);
	tun_close(&t);
}

/* ---- the default-route dance ---- */

ROOT_TC(default_route_dance, "default-route yes: host route to the "
    "server via the old gateway, the two halves via the tunnel, and "
    "everything back as it was")
{
	struct tun t, up;
	struct defroute d;
	struct route_nexthop nh;
	char pristine[4096], before[4096], during[4096], after[4096];
	char err[ERRLEN];

	test_netns_enter();
	uplink(&up);
	route_table(pristine, sizeof(pristine));
	p2p_up(&t, NULL, "192.0.2.2", "192.0.2.1", 1400);
	route_table(before, sizeof(before));

	defroute_init(&d, "office");
	ATF_CHECK(!defroute_active(&d));
	ATF_REQUIRE_MSG(defroute_up(&d, A("198.18.0.1"), t.name, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK(defroute_active(&d));
	route_table(during, sizeof(during));
	ATF_CHECK_STREQ_MSG(during,
	    "0.0.0.0/0 via 198.51.100.254 dev up0\n"
	    "0.0.0.0/1 dev tun0\n"
	    "128.0.0.0/1 dev tun0\n"
	    "192.0.2.1/32 dev tun0\n"
	    "198.18.0.1/32 via 198.51.100.254 dev up0\n"
	    "198.51.100.254/32 dev up0\n", "%s", during);
	/* Everything goes into the tunnel, except the server. */
	ATF_REQUIRE(route_get(A("203.0.113.5"), &nh, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(nh.ifname, "tun0");
	ATF_REQUIRE(route_get(A("198.18.200.1"), &nh, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(nh.ifname, "tun0");
	ATF_REQUIRE(route_get(A("198.18.0.1"), &nh, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(nh.ifname, "up0");
	ATF_CHECK_EQ(nh.gateway.s_addr, A("198.51.100.254").s_addr);

	/* Twice is refused and changes nothing. */
	ATF_CHECK(defroute_up(&d, A("198.18.0.1"), t.name, err,
	    sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EALREADY);
	route_table(after, sizeof(after));
	ATF_CHECK_STREQ(after, during);

	ATF_CHECK_MSG(defroute_down(&d, err, sizeof(err)) == 0, "%s", err);
	ATF_CHECK(!defroute_active(&d));
	route_table(after, sizeof(after));
	ATF_CHECK_STREQ_MSG(after, before, "%s", after);
	/* Down again: nothing left to do. */
	ATF_CHECK(defroute_down(&d, err, sizeof(err)) == 0);

	/* Take the tunnel away: the host is as it was before it. */
	ATF_CHECK(iface_set_up(t.name, 0, err, sizeof(err)) == 0);
	ATF_CHECK(iface_del_addr(t.name, A("192.0.2.2"), A("192.0.2.1"), err,
	    sizeof(err)) == 0);
	tun_close(&t);
	route_table(after, sizeof(after));
	ATF_CHECK_STREQ_MSG(after, pristine, "%s", after);
	tun_close(&up);
}

/*
 * Several WANs: with a mark and a table, the dance happens in that table
 * (an id above 255, which rtm_table cannot hold), and the pin goes via
 * the gateway the marked packets take (a rule sends them to the table),
 * not via main's default; main is left alone.
 */
ROOT_TC(default_route_table_mark, "default-route in table 1000 for a "
    "tunnel marked 7: the pin via the marked packets' WAN")
{
	struct tun t, up, wan2;
	struct defroute d;
	struct route_where w;
	struct route_spec r;
	struct route_nexthop nh;
	char main_before[4096], main_during[4096];
	char err[ERRLEN];

	test_netns_enter();
	uplink(&up);
	p2p_up(&wan2, "wan2", "198.18.1.1", "198.18.1.254", 1500);
	route_init(&r, A("0.0.0.0"), 0, "wan2");
	r.flags = ROUTE_GATEWAY;
	r.gateway = A("198.18.1.254");
	r.table = 1000;
	ATF_REQUIRE_MSG(route_add(&r, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE(system("ip rule add fwmark 7 lookup 1000") == 0);
	p2p_up(&t, NULL, "192.0.2.2", "192.0.2.1", 1400);
	route_table(main_before, sizeof(main_before));

	memset(&w, 0, sizeof(w));
	w.table = w.wan_table = 1000;
	w.mark = 7;
	defroute_init(&d, "wan2");
	defroute_set_where(&d, &w);
	ATF_REQUIRE_MSG(defroute_up(&d, A("198.18.0.1"), t.name, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_STREQ(d.host.ifname, "wan2");
	ATF_CHECK_EQ(d.host.gateway.s_addr, A("198.18.1.254").s_addr);
	/* Main as it was; the marked packets see the dance. */
	route_table(main_during, sizeof(main_during));
	ATF_CHECK_STREQ(main_during, main_before);
	ATF_REQUIRE(route_get(A("203.0.113.5"), &nh, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(nh.ifname, "up0");
	ATF_REQUIRE(route_get_from(A("203.0.113.5"), &w, &nh, err,
	    sizeof(err)) == 0);
	ATF_CHECK_STREQ(nh.ifname, t.name);
	ATF_REQUIRE(route_get_from(A("198.18.0.1"), &w, &nh, err,
	    sizeof(err)) == 0);
	ATF_CHECK_STREQ(nh.ifname, "wan2");

	ATF_CHECK_MSG(defroute_down(&d, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE(route_get_from(A("203.0.113.5"), &w, &nh, err,
	    sizeof(err)) == 0);
	ATF_CHECK_STREQ(nh.ifname, "wan2");
	ATF_CHECK_MSG(route_delete(&r, err, sizeof(err)) == 0, "%s", err);
	tun_close(&t);
	tun_close(&wan2);
	tun_close(&up);
}

ROOT_TC(default_route_vanished, "routes removed under us are reported "
    "and skipped; down still cleans up the rest")
{
	struct tun t, up;
	struct defroute d;
	struct route_spec r;
	char before[4096], after[4096], err[ERRLEN];

	test_netns_enter();
	uplink(&up);
	p2p_up(&t, NULL, "192.0.2.2", "192.0.2.1", 1400);
	route_table(before, sizeof(before));

	defroute_init(&d, "office");
	ATF_REQUIRE_MSG(defroute_up(&d, A("198.18.0.1"), t.name, err,
	    sizeof(err)) == 0, "%s", err);
	/* An administrator deletes two of them by hand. */
	route_init(&r, A("0.0.0.0"), 1, "tun0");
	ATF_REQUIRE(route_delete(&r, err, sizeof(err)) == 0);
	route_init(&r, A("198.18.0.1"), 32, "up0");
	r.flags = ROUTE_GATEWAY;
	r.gateway = A("198.51.100.254");
	ATF_REQUIRE(route_delete(&r, err, sizeof(err)) == 0);
	ATF_CHECK_MSG(defroute_down(&d, err, sizeof(err)) == 0, "%s", err);
	route_table(after, sizeof(after));
	ATF_CHECK_STREQ_MSG(after, before, "%s", after);

	/*
	 * The tunnel interface disappears before down (the link died): the
	 * kernel took the halves with it, and the host route still goes.
	 */
	ATF_REQUIRE_MSG(defroute_up(&d, A("198.18.0.1"), t.name, err,
	    sizeof(err)) == 0, "%s", err);
	tun_close(&t);
	ATF_CHECK_MSG(defroute_down(&d, err, sizeof(err)) == 0, "%s", err);
	ATF_CHECK(!has_route("198.18.0.1/32 via 198.51.100.254 dev up0"));
	ATF_CHECK(has_route("0.0.0.0/0 via 198.51.100.254 dev up0"));
	tun_close(&up);
}

ROOT_TC(default_route_not_ours, "routes that exist already are left "
    "alone, and a clash undoes what was added")
{
	struct tun t, up;
	struct defroute d;
	struct route_spec host, half;
	char before[4096], after[4096], err[ERRLEN];

	test_netns_enter();
	uplink(&up);
	p2p_up(&t, NULL, "192.0.2.2", "192.0.2.1", 1400);

	/* Someone pinned the server already: not ours to remove. */
	route_init(&host, A("198.18.0.1"), 32, "up0");
	host.flags = ROUTE_GATEWAY;
	host.gateway = A("198.51.100.254");
	ATF_REQUIRE(route_add(&host, err, sizeof(err)) == 0);
	route_table(before, sizeof(before));
	defroute_init(&d, "office");
	ATF_REQUIRE_MSG(defroute_up(&d, A("198.18.0.1"), t.name, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK(has_route("0.0.0.0/1 dev tun0"));
	ATF_CHECK(defroute_down(&d, err, sizeof(err)) == 0);
	route_table(after, sizeof(after));
	ATF_CHECK_STREQ_MSG(after, before, "%s", after);
	ATF_REQUIRE(route_delete(&host, err, sizeof(err)) == 0);

	/* Another VPN holds 128.0.0.0/1: fail, and leave nothing behind. */
	route_init(&half, A("128.0.0.0"), 1, "up0");
	ATF_REQUIRE(route_add(&half, err, sizeof(err)) == 0);
	route_table(before, sizeof(before));
	ATF_CHECK(defroute_up(&d, A("198.18.0.1"), t.name, err,
	    sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EEXIST);
	ATF_CHECK_STREQ(err, "route 128.0.0.0/1 via tun0: File exists");
	ATF_CHECK(!defroute_active(&d));
	route_table(after, sizeof(after));
	ATF_CHECK_STREQ_MSG(after, before, "%s", after);
	tun_close(&t);
	tun_close(&up);
}

ROOT_TC(default_route_server_cases, "a server on this host, behind the "
    "tunnel itself, or unreachable")
{
	struct tun t, up;
	struct defroute d;
	char before[4096], after[4096], err[ERRLEN];

	test_netns_enter();
	p2p_up(&t, NULL, "192.0.2.2", "192.0.2.1", 1400);
	defroute_init(&d, "office");

	/* No default route: the server cannot be reached at all. */
	ATF_CHECK(defroute_up(&d, A("203.0.113.80"), t.name, err,
	    sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, ENETUNREACH);
	ATF_CHECK_STREQ(err, "default route via tun0: how to reach server "
	    "203.0.113.80: route lookup 203.0.113.80: Network is "
	    "unreachable");

	/* The server is the tunnel's own peer. */
	ATF_CHECK(defroute_up(&d, A("192.0.2.1"), t.name, err,
	    sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, ELOOP);
	ATF_CHECK_STREQ(err, "default route via tun0: server 192.0.2.1 is "
	    "routed through tun0 itself");
	ATF_CHECK(!defroute_active(&d));

	/* The server is this host: no host route, only the halves. */
	uplink(&up);
	route_table(before, sizeof(before));
	ATF_REQUIRE_MSG(defroute_up(&d, A("198.51.100.1"), t.name, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK(!d.have_host);
	ATF_CHECK(has_route("128.0.0.0/1 dev tun0"));
	ATF_CHECK(defroute_down(&d, err, sizeof(err)) == 0);
	route_table(after, sizeof(after));
	ATF_CHECK_STREQ_MSG(after, before, "%s", after);
	tun_close(&up);
	tun_close(&t);
}

ROOT_TC(kill_switch, "kill switch: while the tunnel's routes are gone "
    "what it carries is unreachable, never routed by the uplink; the "
    "server is; removal leaves the table as it was")
{
	struct tun t, up;
	struct killsw k;
	struct killsw_net n[3];
	struct defroute d;
	struct route_spec r;
	struct route_nexthop nh;
	char pristine[4096], armed[4096], tbl[4096], err[ERRLEN];

	test_netns_enter();
	uplink(&up);
	route_table(pristine, sizeof(pristine));
	n[0].dst = A("0.0.0.0");
	n[0].plen = 1;
	n[1].dst = A("128.0.0.0");
	n[1].plen = 1;
	n[2].dst = A("203.0.113.0");
	n[2].plen = 24;

	/* Armed at the dial, before there is a tunnel. */
	killsw_init(&k, "office");
	ATF_REQUIRE_MSG(killsw_arm(&k, A("198.18.0.1"), n, 3, err,
	    sizeof(err)) == 0, "%s", err);
	route_table(armed, sizeof(armed));
	ATF_CHECK_STREQ_MSG(armed,
	    "0.0.0.0/0 via 198.51.100.254 dev up0\n"
	    "198.18.0.1/32 via 198.51.100.254 dev up0\n"
	    "198.51.100.254/32 dev up0\n"
	    "unreachable 0.0.0.0/1 metric 4294967295\n"
	    "unreachable 128.0.0.0/1 metric 4294967295\n"
	    "unreachable 203.0.113.0/24 metric 4294967295\n", "%s", armed);
	ATF_CHECK(route_get(A("203.0.113.5"), &nh, err, sizeof(err)) == -1);
	ATF_CHECK_EQ(errno, EHOSTUNREACH);
	ATF_CHECK(route_get(A("8.8.8.8"), &nh, err, sizeof(err)) == -1);
	ATF_REQUIRE_MSG(route_get(A("198.18.0.1"), &nh, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_STREQ(nh.ifname, "up0");
	/* The uplink's own net is more specific: still reachable. */
	ATF_CHECK(route_get(A("198.51.100.254"), &nh, err, sizeof(err)) == 0);

	/* The session: its routes go in beside them, at metric 0, and win. */
	p2p_up(&t, NULL, "192.0.2.2", "192.0.2.1", 1400);
	defroute_init(&d, "office");
	ATF_REQUIRE_MSG(defroute_up(&d, A("198.18.0.1"), t.name, err,
	    sizeof(err)) == 0, "%s", err);
	route_init(&r, A("203.0.113.0"), 24, t.name);
	ATF_REQUIRE_MSG(route_add(&r, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE(route_get(A("203.0.113.5"), &nh, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(nh.ifname, "tun0");
	ATF_REQUIRE(route_get(A("8.8.8.8"), &nh, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(nh.ifname, "tun0");
	/* Re-armed at session up: nothing changes. */
	ATF_REQUIRE_MSG(killsw_arm(&k, A("198.18.0.1"), n, 3, err,
	    sizeof(err)) == 0, "%s", err);

	/* Teardown: the real routes go; unreachable, not the uplink. */
	ATF_REQUIRE(route_delete(&r, err, sizeof(err)) == 0);
	ATF_CHECK(defroute_down(&d, err, sizeof(err)) == 0);
	ATF_CHECK(route_get(A("203.0.113.5"), &nh, err, sizeof(err)) == -1);
	ATF_CHECK(route_get(A("8.8.8.8"), &nh, err, sizeof(err)) == -1);
	/* The interface gone too (a killed engine): the same. */
	tun_close(&t);
	route_table(tbl, sizeof(tbl));
	ATF_CHECK_STREQ_MSG(tbl, armed, "%s", tbl);

	/* A redial to a server that moved: pinned past the halves. */
	ATF_REQUIRE_MSG(killsw_arm(&k, A("198.18.0.2"), n, 3, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK(has_route("198.18.0.2/32 via 198.51.100.254 dev up0"));
	ATF_CHECK(!has_route("198.18.0.1/32 via 198.51.100.254 dev up0"));

	/*
	 * A pptpcd killed and restarted takes the leftovers over.  (The
	 * dead one's bookkeeping went with it.)
	 */
	free(k.blocks);
	killsw_init(&k, "office");
	ATF_REQUIRE_MSG(killsw_arm(&k, A("198.18.0.2"), n, 3, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK(killsw_armed(&k));

	/* Removal: back to how it was. */
	ATF_CHECK_MSG(killsw_disarm(&k, err, sizeof(err)) == 0, "%s", err);
	route_table(tbl, sizeof(tbl));
	ATF_CHECK(has_route("198.18.0.2/32 via 198.51.100.254 dev up0"));
	/* That pin was not this killsw's (EEXIST): the test removes it. */
	route_init(&r, A("198.18.0.2"), 32, "up0");
	r.flags = ROUTE_GATEWAY;
	r.gateway = A("198.51.100.254");
	ATF_REQUIRE(route_delete(&r, err, sizeof(err)) == 0);
	route_table(tbl, sizeof(tbl));
	ATF_CHECK_STREQ_MSG(tbl, pristine, "%s", tbl);
	ATF_REQUIRE(route_get(A("8.8.8.8"), &nh, err, sizeof(err)) == 0);
	ATF_CHECK_STREQ(nh.ifname, "up0");
	tun_close(&up);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, tun_open_names);
	ATF_TP_ADD_TC(tp, tun_packets);
	ATF_TP_ADD_TC(tp, iface_settings);
	ATF_TP_ADD_TC(tp, routes);
	ATF_TP_ADD_TC(tp, default_route_dance);
	ATF_TP_ADD_TC(tp, default_route_table_mark);
	ATF_TP_ADD_TC(tp, default_route_vanished);
	ATF_TP_ADD_TC(tp, default_route_not_ours);
	ATF_TP_ADD_TC(tp, default_route_server_cases);
	ATF_TP_ADD_TC(tp, kill_switch);
	return atf_no_error();
}
