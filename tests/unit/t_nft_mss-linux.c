/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * TCP MSS clamping by nf_tables netlink, against this host's kernel.
 * Each case that touches the kernel first enters a network namespace of
 * its own (unshare(CLONE_NEWNET)), whose nf_tables ruleset starts empty
 * and vanishes with the test process.  What the code made is read back
 * over nf_tables netlink (GETTABLE, GETCHAIN, GETRULE dumps), and the
 * clamp is shown to work on a real SYN: a TCP connect() through a tun
 * device, whose SYN the test reads from the tun fd.
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "mss.h"
#include "net6.h"
#include "nft_batch.h"
#include "nft_mss.h"
#include "netns.h"
#include "nl-linux.h"
#include "tun.h"

#define ERRLEN		256
#define LINES_MAX	16
#define IF0		"pptpct0"
#define TABLE0		"pptpc_pptpct0"

static struct in_addr
A(const char *s)
{
	return test_inaddr(s);
}

/* ---- reading nf_tables back ---- */

struct lines {
	char	 l[LINES_MAX][160];
	int	 n;
};

static void
add_line(struct lines *ls, const char *s)
{
	ATF_REQUIRE_MSG(ls->n < LINES_MAX, "too many objects");
	snprintf(ls->l[ls->n++], sizeof(ls->l[0]), "%s", s);
}

/* A string attribute, checked to be NUL-terminated inside its length. */
static const char *
attr_str(const struct rbuf *a)
{
	if (a->data == NULL || a->len == 0 || a->data[a->len - 1] != '\0')
		return "?";
	return (const char *)a->data;
}

static uint32_t
attr_be32(const struct rbuf *a)
{
	uint32_t v;

	ATF_REQUIRE(nl_attr_u32(a, &v) == 0);
	return ntohl(v);
}

static void
table_line(struct rbuf *p, struct lines *ls)
{
	struct rbuf tb[NFTA_TABLE_MAX + 1];
	char s[160];

	ATF_REQUIRE(nl_attrs(p, tb, NFTA_TABLE_MAX + 1) == 0);
	snprintf(s, sizeof(s), "%s", attr_str(&tb[NFTA_TABLE_NAME]));
	add_line(ls, s);
}

static void
chain_line(struct rbuf *p, struct lines *ls)
{
	struct rbuf tb[NFTA_CHAIN_MAX + 1], hk[NFTA_HOOK_MAX + 1];
	char s[160];

	ATF_REQUIRE(nl_attrs(p, tb, NFTA_CHAIN_MAX + 1) == 0);
	ATF_REQUIRE(tb[NFTA_CHAIN_HOOK].data != NULL);
	ATF_REQUIRE(nl_attrs(&tb[NFTA_CHAIN_HOOK], hk, NFTA_HOOK_MAX + 1) ==
	    0);
	snprintf(s, sizeof(s), "%s %s hook %u prio %d type %s policy %u",
	    attr_str(&tb[NFTA_CHAIN_TABLE]), attr_str(&tb[NFTA_CHAIN_NAME]),
	    attr_be32(&hk[NFTA_HOOK_HOOKNUM]),
	    (int32_t)attr_be32(&hk[NFTA_HOOK_PRIORITY]),
	    attr_str(&tb[NFTA_CHAIN_TYPE]), attr_be32(&tb[NFTA_CHAIN_POLICY]));
	add_line(ls, s);
}

/* An nft_data value's bytes: NFTA_DATA_VALUE inside the nest. */
static struct rbuf
data_value(struct rbuf nest)
{
	struct rbuf d[NFTA_DATA_MAX + 1];

	ATF_REQUIRE(nl_attrs(&nest, d, NFTA_DATA_MAX + 1) == 0);
	ATF_REQUIRE(d[NFTA_DATA_VALUE].data != NULL);
	return d[NFTA_DATA_VALUE];
}

/*
 * "TABLE CHAIN: meta cmp(pptpct0) ... immediate(1360) exthdr(2,2,2)":
 * the expressions in order, with the values that make the clamp.
 */
static void
rule_line(struct rbuf *p, struct lines *ls)
{
	struct rbuf tb[NFTA_RULE_MAX + 1], e[NFTA_EXPR_MAX + 1];
	struct rbuf d[NFTA_EXTHDR_MAX + 1], list, el, v;
	struct nlattr a;
	const uint8_t *body;
	const char *name;
	char s[160], one[48];

	ATF_REQUIRE(nl_attrs(p, tb, NFTA_RULE_MAX + 1) == 0);
	snprintf(s, sizeof(s), "%s %s:", attr_str(&tb[NFTA_RULE_TABLE]),
	    attr_str(&tb[NFTA_RULE_CHAIN]));
	ATF_REQUIRE(tb[NFTA_RULE_EXPRESSIONS].data != NULL);
	list = tb[NFTA_RULE_EXPRESSIONS];
	/* nl_attrs keeps only the last of a type: walk the list by hand. */
	while (rbuf_left(&list) > 0) {
		ATF_REQUIRE(rbuf_bytes(&list, &a, sizeof(a)) == 0);
		ATF_REQUIRE(a.nla_len >= sizeof(a));
		ATF_REQUIRE((body = rbuf_take(&list, a.nla_len - sizeof(a))) !=
		    NULL);
		rbuf_skip(&list, NLA_ALIGN(a.nla_len) - a.nla_len);
		ATF_REQUIRE((a.nla_type & NLA_TYPE_MASK) == NFTA_LIST_ELEM);
		rbuf_init(&el, body, a.nla_len - sizeof(a));
		ATF_REQUIRE(nl_attrs(&el, e, NFTA_EXPR_MAX + 1) == 0);
		name = attr_str(&e[NFTA_EXPR_NAME]);
		snprintf(one, sizeof(one), " %s", name);
		ATF_REQUIRE(nl_attrs(&e[NFTA_EXPR_DATA], d,
		    NFTA_EXTHDR_MAX + 1) == 0);
		if (strcmp(name, "cmp") == 0) {
			v = data_value(d[NFTA_CMP_DATA]);
			if (v.len == 16)
				snprintf(one, sizeof(one), " cmp(%.16s)",
				    (const char *)v.data);
			else
				snprintf(one, sizeof(one), " cmp(%u,%u)",
				    attr_be32(&d[NFTA_CMP_OP]), v.data[0]);
		} else if (strcmp(name, "immediate") == 0) {
			v = data_value(d[NFTA_IMMEDIATE_DATA]);
			ATF_REQUIRE(v.len == 2);
			snprintf(one, sizeof(one), " immediate(%u)",
			    get_be16(v.data));
		} else if (strcmp(name, "exthdr") == 0) {
			ATF_REQUIRE(d[NFTA_EXTHDR_TYPE].len == 1);
			snprintf(one, sizeof(one), " exthdr(%u,%u,%u,%s)",
			    d[NFTA_EXTHDR_TYPE].data[0],
			    attr_be32(&d[NFTA_EXTHDR_OFFSET]),
			    attr_be32(&d[NFTA_EXTHDR_LEN]),
			    d[NFTA_EXTHDR_SREG].data != NULL ? "set" : "get");
		}
		strncat(s, one, sizeof(s) - strlen(s) - 1);
	}
	add_line(ls, s);
}

static int
line_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Dumps one kind of nf_tables object of family into ls, sorted. */
static void
nft_dump(uint8_t family, uint16_t type, struct lines *ls)
{
	struct sockaddr_nl sa;
	struct nlmsghdr h;
	struct nfgenmsg g;
	struct timeval tv = { 2, 0 };
	struct rbuf r, p;
	uint8_t req[sizeof(h) + sizeof(g)], *buf;
	const uint8_t *body;
	ssize_t n;
	int s, done = 0, i;

	memset(ls, 0, sizeof(*ls));
	ATF_REQUIRE((buf = malloc(32768)) != NULL);
	ATF_REQUIRE((s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_NETFILTER)) != -1);
	ATF_REQUIRE(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) == 0);
	memset(&h, 0, sizeof(h));
	h.nlmsg_len = sizeof(req);
	h.nlmsg_type = (uint16_t)(NFNL_SUBSYS_NFTABLES << 8 | type);
	h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h.nlmsg_seq = 7;
	memset(&g, 0, sizeof(g));
	g.nfgen_family = family;
	g.version = NFNETLINK_V0;
	memcpy(req, &h, sizeof(h));
	memcpy(req + sizeof(h), &g, sizeof(g));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	ATF_REQUIRE(sendto(s, req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == (ssize_t)sizeof(req));
	for (i = 0; i < 100 && !done; i++) {
		n = recv(s, buf, 32768, 0);
		ATF_REQUIRE_MSG(n > 0, "nf_tables dump: %s", strerror(errno));
		rbuf_init(&r, buf, (size_t)n);
		while (rbuf_left(&r) > 0 && !done) {
			ATF_REQUIRE(rbuf_bytes(&r, &h, sizeof(h)) == 0);
			ATF_REQUIRE(h.nlmsg_len >= sizeof(h));
			ATF_REQUIRE((body = rbuf_take(&r, h.nlmsg_len -
			    sizeof(h))) != NULL);
			rbuf_skip(&r, NLMSG_ALIGN(h.nlmsg_len) - h.nlmsg_len);
			ATF_REQUIRE(h.nlmsg_type != NLMSG_ERROR);
			if (h.nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			rbuf_init(&p, body, h.nlmsg_len - sizeof(h));
			ATF_REQUIRE(rbuf_skip(&p, sizeof(g)) == 0);
			switch (h.nlmsg_type & 0xff) {
			case NFT_MSG_NEWTABLE:
				table_line(&p, ls);
				break;
			case NFT_MSG_NEWCHAIN:
				chain_line(&p, ls);
				break;
			case NFT_MSG_NEWRULE:
				rule_line(&p, ls);
				break;
			}
		}
	}
	ATF_REQUIRE(done);
	close(s);
	free(buf);
	qsort(ls->l, (size_t)ls->n, sizeof(ls->l[0]), line_cmp);
}

/*
 * The whole ruleset of family inet is exactly ifn's table, clamping IPv4
 * to mss and IPv6 to mss - 20, and family ip has none.
 */
static void
check_ruleset(const char *ifn, unsigned int mss)
{
	struct lines ls;
	char want[4][160], table[NFT_MSS_TABLE_MAX];
	const char *chain[2] = { "forward", "postrouting" };
	int i;

	snprintf(table, sizeof(table), "pptpc_%s", ifn);
	nft_dump(NFPROTO_IPV4, NFT_MSG_GETTABLE, &ls);
	ATF_CHECK_EQ_MSG(ls.n, 0, "%d tables of family ip", ls.n);
	nft_dump(NFPROTO_INET, NFT_MSG_GETTABLE, &ls);
	ATF_REQUIRE_EQ_MSG(ls.n, 1, "%d tables", ls.n);
	ATF_CHECK_STREQ(ls.l[0], table);

	nft_dump(NFPROTO_INET, NFT_MSG_GETCHAIN, &ls);
	ATF_REQUIRE_EQ_MSG(ls.n, 2, "%d chains", ls.n);
	snprintf(want[0], sizeof(want[0]), "%s forward hook %d prio -150 "
	    "type filter policy %d", table, NF_INET_FORWARD, NF_ACCEPT);
	snprintf(want[1], sizeof(want[1]), "%s postrouting hook %d prio "
	    "-150 type filter policy %d", table, NF_INET_POST_ROUTING,
	    NF_ACCEPT);
	ATF_CHECK_STREQ(ls.l[0], want[0]);
	ATF_CHECK_STREQ(ls.l[1], want[1]);

	nft_dump(NFPROTO_INET, NFT_MSG_GETRULE, &ls);
	ATF_REQUIRE_EQ_MSG(ls.n, 4, "%d rules", ls.n);
	/*
	 * NFT_CMP_EQ is 0, NEQ 1; nfproto 2 is IPv4, 10 IPv6 (sorted
	 * first); 6 is TCP; 2 is the maxseg option.
	 */
	for (i = 0; i < 2; i++) {
		snprintf(want[2 * i], sizeof(want[0]), "%s %s: meta cmp(%s) "
		    "meta cmp(0,10) meta cmp(0,6) payload bitwise cmp(1,0) "
		    "immediate(%u) exthdr(2,2,2,set)", table, chain[i], ifn,
		    mss - MSS_IPV6_EXTRA);
		snprintf(want[2 * i + 1], sizeof(want[0]), "%s %s: meta "
		    "cmp(%s) meta cmp(0,2) meta cmp(0,6) payload bitwise "
		    "cmp(1,0) immediate(%u) exthdr(2,2,2,set)", table,
		    chain[i], ifn, mss);
	}
	for (i = 0; i < 4; i++)
		ATF_CHECK_STREQ(ls.l[i], want[i]);
}

/* Tables of family ip and inet: ours are inet's, none may be ip's. */
static int
ntables(void)
{
	struct lines ls;
	int n;

	nft_dump(NFPROTO_IPV4, NFT_MSG_GETTABLE, &ls);
	n = ls.n;
	nft_dump(NFPROTO_INET, NFT_MSG_GETTABLE, &ls);
	return n + ls.n;
}

/* ---- a SYN through a tun device ---- */

/*
 * 198.18.0.0/15 through dev with the given advmss, replacing any such
 * route: the SYN announces advmss whatever the MTU, like a LAN host's
 * SYN forwarded into the tunnel.
 */
static void
route_advmss(const char *dev, uint32_t advmss)
{
	struct nl_req req;
	struct rtmsg rtm;
	struct rtattr m;
	uint8_t metrics[8];
	char err[ERRLEN];

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_dst_len = 15;
	rtm.rtm_table = RT_TABLE_MAIN;
	rtm.rtm_protocol = RTPROT_BOOT;
	rtm.rtm_scope = RT_SCOPE_LINK;
	rtm.rtm_type = RTN_UNICAST;
	nl_req_init(&req, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, &rtm,
	    sizeof(rtm));
	nl_req_attr_in(&req, RTA_DST, A("198.18.0.0"));
	nl_req_attr_u32(&req, RTA_OIF, if_nametoindex(dev));
	m.rta_type = RTAX_ADVMSS;
	m.rta_len = sizeof(metrics);
	memcpy(metrics, &m, sizeof(m));
	memcpy(metrics + sizeof(m), &advmss, sizeof(advmss));
	nl_req_attr(&req, RTA_METRICS, metrics, sizeof(metrics));
	ATF_REQUIRE_MSG(nl_request(&req, NULL, NULL, "route", err,
	    sizeof(err)) == 0, "%s", err);
}

/* The same for 2001:db8:77::/64, for IPv6 SYNs. */
static void
route_advmss6(const char *dev, uint32_t advmss)
{
	struct nl_req req;
	struct rtmsg rtm;
	struct rtattr m;
	struct in6_addr dst;
	uint8_t metrics[8];
	char err[ERRLEN];

	ATF_REQUIRE(inet_pton(AF_INET6, "2001:db8:77::", &dst) == 1);
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET6;
	rtm.rtm_dst_len = 64;
	rtm.rtm_table = RT_TABLE_MAIN;
	rtm.rtm_protocol = RTPROT_BOOT;
	rtm.rtm_scope = RT_SCOPE_UNIVERSE;
	rtm.rtm_type = RTN_UNICAST;
	nl_req_init(&req, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, &rtm,
	    sizeof(rtm));
	nl_req_attr(&req, RTA_DST, &dst, sizeof(dst));
	nl_req_attr_u32(&req, RTA_OIF, if_nametoindex(dev));
	m.rta_type = RTAX_ADVMSS;
	m.rta_len = sizeof(metrics);
	memcpy(metrics, &m, sizeof(m));
	memcpy(metrics + sizeof(m), &advmss, sizeof(advmss));
	nl_req_attr(&req, RTA_METRICS, metrics, sizeof(metrics));
	ATF_REQUIRE_MSG(nl_request(&req, NULL, NULL, "route6", err,
	    sizeof(err)) == 0, "%s", err);
}

static void
tun_up(struct tun *t)
{
	char err[ERRLEN];

	ATF_REQUIRE_MSG(tun_open(t, IF0, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(iface_set_addr(t->name, A("198.18.0.1"),
	    A("198.18.0.2"), err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(iface_set_mtu(t->name, 1400, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_REQUIRE_MSG(iface_set_up(t->name, 1, err, sizeof(err)) == 0, "%s",
	    err);
}

/*
 * The MSS option of a TCP SYN (or SYN-ACK) from port sport in an IPv4
 * packet, 0 if it has none; -1 if it is not such a packet.
 */
static int
syn_mss(const uint8_t *pkt, size_t len, uint16_t sport)
{
	struct rbuf r, opt;
	uint8_t vihl, proto, off, flags, kind, olen;
	uint16_t sp, mss;
	const uint8_t *o;

	rbuf_init(&r, pkt, len);
	if (rbuf_u8(&r, &vihl) == -1 || vihl >> 4 != 4 || (vihl & 15) < 5 ||
	    rbuf_skip(&r, 8) == -1 || rbuf_u8(&r, &proto) == -1 ||
	    proto != IPPROTO_TCP || rbuf_skip(&r, (vihl & 15) * 4 - 10) == -1)
		return -1;
	/* Source port, then past ports, seq and ack to the offset. */
	if (rbuf_u16(&r, &sp) == -1 || sp != sport ||
	    rbuf_skip(&r, 10) == -1 || rbuf_u8(&r, &off) == -1 ||
	    rbuf_u8(&r, &flags) == -1 || (flags & 0x02) == 0 ||
	    off >> 4 < 5 || rbuf_skip(&r, 6) == -1 ||
	    (o = rbuf_take(&r, (size_t)(off >> 4) * 4 - 20)) == NULL)
		return -1;
	rbuf_init(&opt, o, (size_t)(off >> 4) * 4 - 20);
	while (rbuf_u8(&opt, &kind) == 0 && kind != 0) {
		if (kind == 1)
			continue;
		if (rbuf_u8(&opt, &olen) == -1 || olen < 2)
			return -1;
		if (kind == 2 && olen == 4)
			return rbuf_u16(&opt, &mss) == -1 ? -1 : mss;
		if (rbuf_skip(&opt, olen - 2) == -1)
			return -1;
	}
	return 0;
}

/*
 * The same for a TCP SYN right after IPv6's fixed header: the IPv4 code
 * on a TCP header at offset 40, behind a checked IPv6 header.
 */
static int
syn6_mss(const uint8_t *pkt, size_t len, uint16_t sport)
{
	uint8_t fake[2048];

	if (len < 40 + 20 || len - 40 + 20 > sizeof(fake) ||
	    pkt[0] >> 4 != 6 || pkt[6] != IPPROTO_TCP)
		return -1;
	/* An IPv4 header without options in front of the same TCP. */
	memset(fake, 0, 20);
	fake[0] = 0x45;
	fake[9] = IPPROTO_TCP;
	memcpy(fake + 20, pkt + 40, len - 40);
	return syn_mss(fake, len - 40 + 20, sport);
}

/* The MSS of the next SYN from port sport that t reads, -1 if none. */
static int
next_mss(struct tun *t, uint16_t sport)
{
	struct pollfd pfd;
	uint8_t buf[2048];
	ssize_t n;
	int i, mss = -1;

	for (i = 0; i < 20 && mss == -1; i++) {
		pfd.fd = t->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) < 1)
			continue;
		if ((n = tun_read(t, buf, sizeof(buf))) > 0) {
			mss = syn_mss(buf, (size_t)n, sport);
			if (mss == -1)
				mss = syn6_mss(buf, (size_t)n, sport);
		}
	}
	return mss;
}

/* Connects to 198.18.0.9:9 and returns the MSS its SYN carries on t. */
static int
connect_mss(struct tun *t)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int s, mss;

	ATF_REQUIRE((s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) !=
	    -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	/* Not the peer: its /32 would win over the advmss route. */
	sin.sin_addr = A("198.18.0.9");
	ATF_REQUIRE_MSG(connect(s, (struct sockaddr *)&sin, sizeof(sin)) ==
	    -1 && errno == EINPROGRESS, "connect: %s", strerror(errno));
	ATF_REQUIRE(getsockname(s, (struct sockaddr *)&sin, &sl) == 0);
	mss = next_mss(t, ntohs(sin.sin_port));
	close(s);
	ATF_REQUIRE_MSG(mss != -1, "no SYN on %s", t->name);
	return mss;
}

/* Connects to [2001:db8:77::9]:9; the MSS its SYN carries on t. */
static int
connect6_mss(struct tun *t)
{
	struct sockaddr_in6 sin6;
	socklen_t sl = sizeof(sin6);
	int s, mss;

	ATF_REQUIRE((s = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0)) !=
	    -1);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(9);
	ATF_REQUIRE(inet_pton(AF_INET6, "2001:db8:77::9", &sin6.sin6_addr) ==
	    1);
	ATF_REQUIRE_MSG(connect(s, (struct sockaddr *)&sin6, sizeof(sin6)) ==
	    -1 && errno == EINPROGRESS, "connect: %s", strerror(errno));
	ATF_REQUIRE(getsockname(s, (struct sockaddr *)&sin6, &sl) == 0);
	mss = next_mss(t, ntohs(sin6.sin6_port));
	close(s);
	ATF_REQUIRE_MSG(mss != -1, "no IPv6 SYN on %s", t->name);
	return mss;
}

/* ---- cases ---- */

ROOT_TC(add_dump_del, "add makes one table with both base chains and "
    "rules; add is idempotent, del removes it and del again is fine")
{
	char err[ERRLEN];

	test_netns_enter();
	ATF_REQUIRE_EQ(ntables(), 0);
	/* The interface need not exist: the match is by name. */
	ATF_REQUIRE_MSG(nft_mss_clamp_add(IF0, 1360, err, sizeof(err)) == 0,
	    "%s", err);
	check_ruleset(IF0, 1360);
	ATF_REQUIRE_MSG(nft_mss_clamp_add(IF0, 1360, err, sizeof(err)) == 0,
	    "%s", err);
	check_ruleset(IF0, 1360);

	/* Another interface's table is its own. */
	ATF_REQUIRE_MSG(nft_mss_clamp_add("ppp10", 1400, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(ntables(), 2);
	ATF_REQUIRE_MSG(nft_mss_clamp_del(IF0, err, sizeof(err)) == 0, "%s",
	    err);
	check_ruleset("ppp10", 1400);
	ATF_REQUIRE_MSG(nft_mss_clamp_del("ppp10", err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK_EQ(ntables(), 0);
	ATF_REQUIRE_MSG(nft_mss_clamp_del(IF0, err, sizeof(err)) == 0, "%s",
	    err);
	ATF_CHECK_EQ(ntables(), 0);
}

ROOT_TC(clamps_syn, "a SYN into the interface leaves with its MSS "
    "lowered to the clamp, never raised, and unclamped without a table")
{
	struct tun t;
	char err[ERRLEN];

	test_netns_enter();
	tun_up(&t);
	route_advmss(t.name, 1460);
	/* Baseline first: the SYN really carries 1460 here. */
	ATF_CHECK_EQ(connect_mss(&t), 1460);

	ATF_REQUIRE_MSG(nft_mss_clamp_add(t.name, 1360, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(connect_mss(&t), 1360);

	/* A clamp above the SYN's own MSS leaves it alone. */
	route_advmss(t.name, 1300);
	ATF_REQUIRE_MSG(nft_mss_clamp_add(t.name, 1460, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(connect_mss(&t), 1300);

	/* Deleted: 1460 goes through as it is, so the test can tell. */
	route_advmss(t.name, 1460);
	ATF_REQUIRE_MSG(nft_mss_clamp_del(t.name, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK_EQ(connect_mss(&t), 1460);
	tun_close(&t);
}

ROOT_TC(clamps_syn6, "an IPv6 SYN into the interface leaves with its "
    "MSS lowered to the clamp less 20 (IPv6's longer header), by the "
    "same table as IPv4's, and unclamped without it")
{
	struct tun t;
	struct in6_addr a;
	char err[ERRLEN];

	test_netns_enter();
	/* The namespace starts with IPv6 off; this case needs it. */
	test_write_proc("/proc/sys/net/ipv6/conf/all/disable_ipv6", "0");
	test_write_proc("/proc/sys/net/ipv6/conf/default/disable_ipv6", "0");
	tun_up(&t);
	ATF_REQUIRE(inet_pton(AF_INET6, "2001:db8:66::1", &a) == 1);
	ATF_REQUIRE_MSG(net6_addr_change(1, t.name, a, 64, in6addr_any, err,
	    sizeof(err)) == 0, "%s", err);
	route_advmss(t.name, 1460);
	route_advmss6(t.name, 1460);
	/* Baseline first: the SYN really carries 1460 here. */
	ATF_CHECK_EQ(connect6_mss(&t), 1460);

	ATF_REQUIRE_MSG(nft_mss_clamp_add(t.name, 1360, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(connect6_mss(&t), 1360 - MSS_IPV6_EXTRA);
	ATF_CHECK_EQ(connect_mss(&t), 1360);

	/* A clamp above the SYN's own MSS leaves it alone. */
	route_advmss6(t.name, 1300);
	ATF_REQUIRE_MSG(nft_mss_clamp_add(t.name, 1460, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_CHECK_EQ(connect6_mss(&t), 1300);

	/* Deleted with the IPv4 rules. */
	route_advmss6(t.name, 1460);
	ATF_REQUIRE_MSG(nft_mss_clamp_del(t.name, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_CHECK_EQ(connect6_mss(&t), 1460);
	ATF_CHECK_EQ(connect_mss(&t), 1460);
	tun_close(&t);
}

/*
 * A SYN-ACK from 198.18.0.9:80 to 198.51.100.2:40000 announcing MSS 1460,
 * as a server's answer arrives out of the tunnel for a LAN host.  The TCP
 * checksum is left 0: forwarding does not check it.
 */
static size_t
synack(uint8_t *p)
{
	static const uint8_t tcp[24] = {
		0x00, 0x50, 0x9c, 0x40, 0, 0, 0, 1, 0, 0, 0, 1,
		0x60, 0x12, 0xff, 0xff, 0, 0, 0, 0, 2, 4, 0x05, 0xb4
	};
	struct in_addr src = A("198.18.0.9"), dst = A("198.51.100.2");

	memset(p, 0, 20);
	p[0] = 0x45;
	put_be16(p + 2, 20 + sizeof(tcp));
	p[8] = 64;
	p[9] = IPPROTO_TCP;
	memcpy(p + 12, &src.s_addr, 4);
	memcpy(p + 16, &dst.s_addr, 4);
	put_be16(p + 10, test_inet_cksum(p, 20));
	memcpy(p + 20, tcp, sizeof(tcp));
	return 20 + sizeof(tcp);
}

ROOT_TC(clamps_forwarded_synack, "a SYN-ACK forwarded out of the "
    "interface towards the LAN has its MSS lowered to the clamp")
{
	struct tun t, lan;
	uint8_t pkt[64];
	char err[ERRLEN];
	size_t len;

	test_netns_enter();
	test_write_proc("/proc/sys/net/ipv4/ip_forward", "1");
	tun_up(&t);
	ATF_REQUIRE_MSG(tun_open(&lan, "lan0", err, sizeof(err)) == 0, "%s",
	    err);
	ATF_REQUIRE_MSG(iface_set_addr(lan.name, A("198.51.100.1"),
	    A("198.51.100.2"), err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(iface_set_up(lan.name, 1, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_REQUIRE_MSG(nft_mss_clamp_add(t.name, 1360, err,
	    sizeof(err)) == 0, "%s", err);

	len = synack(pkt);
	ATF_REQUIRE(tun_write(&t, pkt, len) == (ssize_t)len);
	ATF_CHECK_EQ(next_mss(&lan, 80), 1360);

	/* Without the table the same packet keeps its 1460. */
	ATF_REQUIRE_MSG(nft_mss_clamp_del(t.name, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_REQUIRE(tun_write(&t, pkt, len) == (ssize_t)len);
	ATF_CHECK_EQ(next_mss(&lan, 80), 1460);
	tun_close(&lan);
	tun_close(&t);
}

ROOT_TC(stale_table, "a table left by a crashed pptpcd, with another "
    "MSS, is replaced whole: one table, two chains, one rule each")
{
	char err[ERRLEN];

	test_netns_enter();
	ATF_REQUIRE_MSG(nft_mss_clamp_add(IF0, 1200, err, sizeof(err)) == 0,
	    "%s", err);
	check_ruleset(IF0, 1200);
	/* The new pptpcd knows nothing of it; each call is a new socket. */
	ATF_REQUIRE_MSG(nft_mss_clamp_add(IF0, 1360, err, sizeof(err)) == 0,
	    "%s", err);
	check_ruleset(IF0, 1360);
	ATF_REQUIRE_MSG(nft_mss_clamp_del(IF0, err, sizeof(err)) == 0, "%s",
	    err);
	ATF_CHECK_EQ(ntables(), 0);
}

ROOT_TC(sweep_stale, "the sweep removes the tables of ours whose "
    "interface is gone, and only those")
{
	struct nft_batch b;
	struct lines ls;
	struct tun t;
	char err[ERRLEN];

	test_netns_enter();
	ATF_REQUIRE_MSG(tun_open(&t, IF0, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_MSG(nft_mss_clamp_add(IF0, 1360, err, sizeof(err)) == 0,
	    "%s", err);
	/* Left by a killed pptpcd: their interfaces are gone. */
	ATF_REQUIRE_MSG(nft_mss_clamp_add("ppp7", 1356, err, sizeof(err)) ==
	    0, "%s", err);
	ATF_REQUIRE_MSG(nft_mss_clamp_add("ppp12", 1356, err, sizeof(err)) ==
	    0, "%s", err);
	/* An older pptpcd's, of family ip (IPv4 only). */
	nft_batch_init(&b);
	nft_put_table(&b, NFT_MSG_NEWTABLE, NLM_F_CREATE, "pptpc_ppp9",
	    "table");
	ATF_REQUIRE_MSG(nft_run(&b, "pptpc_ppp9", -1, 0, err, sizeof(err)) ==
	    0, "%s", err);
	ATF_REQUIRE_EQ(ntables(), 4);
	ATF_REQUIRE_EQ_MSG(nft_mss_sweep(err, sizeof(err)), 3, "%s", err);
	nft_dump(NFPROTO_INET, NFT_MSG_GETTABLE, &ls);
	ATF_REQUIRE_EQ(ls.n, 1);
	ATF_CHECK_STREQ(ls.l[0], TABLE0);
	/* Nothing stale: nothing goes. */
	ATF_REQUIRE_EQ_MSG(nft_mss_sweep(err, sizeof(err)), 0, "%s", err);
	check_ruleset(IF0, 1360);
	/* Its interface gone, the last one is stale too. */
	tun_close(&t);
	ATF_REQUIRE_EQ_MSG(nft_mss_sweep(err, sizeof(err)), 1, "%s", err);
	ATF_CHECK_EQ(ntables(), 0);
}

/*
 * Makes TABLE0 owned by a socket of the test's (NFT_TABLE_F_OWNER): only
 * that socket may change it, and it vanishes when the socket closes.
 * Returns the socket.
 */
static int
owned_table(void)
{
	struct sockaddr_nl sa;
	struct nlmsghdr h;
	struct nfgenmsg g;
	struct nlattr a;
	struct timeval tv = { 2, 0 };
	uint8_t req[256], ans[512];
	uint32_t flags = htonl(NFT_TABLE_F_OWNER);
	struct wbuf w;
	size_t start;
	ssize_t n;
	int s, i;
	int32_t code;

	wbuf_init(&w, req, sizeof(req));
	for (i = 0; i < 3; i++) {
		start = wbuf_len(&w);
		memset(&h, 0, sizeof(h));
		memset(&g, 0, sizeof(g));
		h.nlmsg_flags = NLM_F_REQUEST;
		h.nlmsg_seq = 100 + i;
		g.version = NFNETLINK_V0;
		if (i == 1) {
			h.nlmsg_type = NFNL_SUBSYS_NFTABLES << 8 |
			    NFT_MSG_NEWTABLE;
			h.nlmsg_flags |= NLM_F_CREATE | NLM_F_ACK;
			g.nfgen_family = NFPROTO_INET;
		} else {
			h.nlmsg_type = i == 0 ? NFNL_MSG_BATCH_BEGIN :
			    NFNL_MSG_BATCH_END;
			g.res_id = htons(NFNL_SUBSYS_NFTABLES);
		}
		wbuf_bytes(&w, &h, sizeof(h));
		wbuf_bytes(&w, &g, sizeof(g));
		if (i == 1) {
			a.nla_type = NFTA_TABLE_NAME;
			a.nla_len = NLA_HDRLEN + sizeof(TABLE0);
			wbuf_bytes(&w, &a, sizeof(a));
			wbuf_bytes(&w, TABLE0, sizeof(TABLE0));
			wbuf_zero(&w, NLA_ALIGN(sizeof(TABLE0)) -
			    sizeof(TABLE0));
			a.nla_type = NFTA_TABLE_FLAGS;
			a.nla_len = NLA_HDRLEN + sizeof(flags);
			wbuf_bytes(&w, &a, sizeof(a));
			wbuf_bytes(&w, &flags, sizeof(flags));
		}
		h.nlmsg_len = (uint32_t)(wbuf_len(&w) - start);
		memcpy(req + start, &h.nlmsg_len, sizeof(h.nlmsg_len));
	}
	ATF_REQUIRE(!wbuf_failed(&w));
	ATF_REQUIRE((s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_NETFILTER)) != -1);
	ATF_REQUIRE(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) == 0);
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	ATF_REQUIRE(sendto(s, req, wbuf_len(&w), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == (ssize_t)wbuf_len(&w));
	n = recv(s, ans, sizeof(ans), 0);
	ATF_REQUIRE((size_t)n >= sizeof(h) + sizeof(code));
	memcpy(&h, ans, sizeof(h));
	memcpy(&code, ans + sizeof(h), sizeof(code));
	ATF_REQUIRE_EQ(h.nlmsg_type, NLMSG_ERROR);
	ATF_REQUIRE_EQ_MSG(code, 0, "owned table: %s", strerror(-code));
	return s;
}

ROOT_TC(batch_is_atomic, "when a message of the add batch fails, the "
    "earliest failure is reported in words and nothing is changed")
{
	struct lines ls;
	char err[ERRLEN];
	int owner;

	test_netns_enter();
	owner = owned_table();
	ATF_CHECK_EQ(nft_mss_clamp_add(IF0, 1360, err, sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EPERM);
	ATF_CHECK_MSG(strncmp(err, "nftables pptpc_pptpct0: make table: ",
	    36) == 0 && strstr(err, "another program owns this table") !=
	    NULL, "%s", err);
	/* The owner's table is as it was: no chain, no rule of ours. */
	ATF_CHECK_EQ(ntables(), 1);
	nft_dump(NFPROTO_INET, NFT_MSG_GETCHAIN, &ls);
	ATF_CHECK_EQ(ls.n, 0);
	ATF_CHECK_EQ(nft_mss_clamp_del(IF0, err, sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EPERM);

	/* The owner gone, its table is too, and the clamp goes in. */
	close(owner);
	ATF_REQUIRE_MSG(nft_mss_clamp_add(IF0, 1360, err, sizeof(err)) == 0,
	    "%s", err);
	check_ruleset(IF0, 1360);
}

ATF_TC_WITHOUT_HEAD(bad_arguments);
ATF_TC_BODY(bad_arguments, tc)
{
	char err[ERRLEN];

	/*
	 * Refused before any netlink, so this case runs unprivileged too;
	 * as root, in a namespace, lest a regression touch the host.
	 */
	if (geteuid() == 0)
		ATF_REQUIRE_MSG(unshare(CLONE_NEWNET) == 0, "unshare: %s",
		    strerror(errno));
	ATF_CHECK_EQ(nft_mss_clamp_add("abcdefghijklmnop", 1360, err,
	    sizeof(err)), -1);
	ATF_CHECK_EQ(errno, ENAMETOOLONG);
	ATF_CHECK_STREQ(err, "nftables MSS clamp: interface name longer "
	    "than 15 characters");
	ATF_CHECK_EQ(nft_mss_clamp_del("abcdefghijklmnop", err, sizeof(err)),
	    -1);
	ATF_CHECK_EQ(errno, ENAMETOOLONG);
	ATF_CHECK_EQ(nft_mss_clamp_add("", 1360, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "nftables MSS clamp: no interface name");
	ATF_CHECK_EQ(nft_mss_clamp_add(NULL, 1360, err, sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_EQ(nft_mss_clamp_add("a b", 1360, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "nftables MSS clamp: bad character 0x20 in "
	    "interface name");
	ATF_CHECK_EQ(nft_mss_clamp_add("ppp0", 0, err, sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_STREQ(err, "nftables pptpc_ppp0: TCP MSS 0 is below 536");
	/* The IPv6 rule's MSS is 20 less: never below 516. */
	ATF_CHECK_EQ(nft_mss_clamp_add("ppp0", 535, err, sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EINVAL);
}

ROOT_TC(no_cap_net_admin, "without CAP_NET_ADMIN the error says what is "
    "needed, and nothing is made")
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];
	char err[ERRLEN];
	pid_t pid;
	int st, rc;

	test_netns_enter();
	if ((pid = fork()) == 0) {
		memset(&h, 0, sizeof(h));
		memset(d, 0, sizeof(d));
		h.version = _LINUX_CAPABILITY_VERSION_3;
		/* Keep nothing effective: as an unprivileged pptpcd. */
		if (syscall(SYS_capset, &h, d) == -1)
			_exit(2);
		rc = nft_mss_clamp_add(IF0, 1360, err, sizeof(err));
		if (rc != -1 || errno != EPERM || strstr(err, "needs root or "
		    "CAP_NET_ADMIN") == NULL) {
			fprintf(stderr, "rc %d: %s\n", rc, err);
			_exit(1);
		}
		fprintf(stderr, "%s\n", err);
		_exit(0);
	}
	ATF_REQUIRE(pid != -1);
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status "
	    "%#x", st);
	ATF_CHECK_EQ(ntables(), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, add_dump_del);
	ATF_TP_ADD_TC(tp, clamps_syn);
	ATF_TP_ADD_TC(tp, clamps_syn6);
	ATF_TP_ADD_TC(tp, clamps_forwarded_synack);
	ATF_TP_ADD_TC(tp, stale_table);
	ATF_TP_ADD_TC(tp, sweep_stale);
	ATF_TP_ADD_TC(tp, batch_is_atomic);
	ATF_TP_ADD_TC(tp, bad_arguments);
	ATF_TP_ADD_TC(tp, no_cap_net_admin);
	return atf_no_error();
}
