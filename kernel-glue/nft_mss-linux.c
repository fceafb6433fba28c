/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * TCP MSS clamping by nf_tables netlink (see nft_mss.h).
 *
 * Each change is one nf_tables batch (BEGIN, messages, END) in one datagram
 * on a NETLINK_NETFILTER socket of its own.  nfnetlink runs it inside our
 * sendto() and commits all of it or none; every message asks for an ack.
 * When it fails, the earliest message's error is the cause and the later
 * ones its consequences ("no such table"): that one is reported.
 *
 * The rule, in the kernel's expressions, on 16-byte legacy register 1:
 *
 *	meta oifname (iifname) -> reg1;	cmp reg1 == IFNAME (16 bytes)
 *	meta l4proto -> reg1;		cmp reg1 == IPPROTO_TCP
 *	payload transport header [13], 1 byte (the TCP flags) -> reg1
 *	bitwise reg1 = reg1 & 0x02 ^ 0;	cmp reg1 != 0 (SYN is set)
 *	immediate MSS, big-endian -> reg1
 *	exthdr TCP option 2 (maxseg), offset 2, length 2 = reg1
 *
 * The exthdr write only lowers: for the maxseg option the kernel
 * (net/netfilter/nft_exthdr.c, nft_exthdr_tcp_set_eval) leaves the option
 * alone when its value is already at or below the register's, because a
 * raised MSS can stall the connection.  It also rewrites only an option
 * that is present and never adds one.  So a clamp above what a host
 * announces changes nothing, and "set" means "clamp".
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "nft_mss.h"
#include "nl-linux.h"
#include "tun.h"

#define NFT_BATCH_MAX	4096		/* the add batch is 1.3 KiB */
#define NFT_MSGS_MAX	9		/* BEGIN, 3 + 2 + 2, END */
#define NFT_RCVBUF	8192		/* even an uncapped error fits */
/* Answers are queued before sendto() returns; this is a backstop only. */
#define NFT_TIMEOUT_S	2
#define NFT_RECV_MAX	(4 * NFT_MSGS_MAX)	/* datagrams per batch */
#define NFT_IFNAME_LEN	16		/* IFNAMSIZ: meta's register width */
#define NFT_PRIO_MANGLE	(-150)		/* NF_IP_PRI_MANGLE */
#define NFT_TCP_FLAGS	13		/* offset of the flags in TCP */
#define NFT_TCP_SYN	0x02
#define NFT_TCPOPT_MSS	2		/* RFC 9293 maxseg */
#define NFT_SWEEP_MAX	32		/* stale tables removed per sweep */
#define NFT_DUMP_RCVBUF	16384		/* one dump datagram */
#define NFT_DUMP_RECV_MAX 256

struct nft_batch {
	struct wbuf	 w;
	uint32_t	 seq0;		/* message i has sequence seq0 + i */
	int		 n;
	size_t		 start;		/* offset of the open message */
	uint16_t	 type[NFT_MSGS_MAX];	/* for the error's words */
	const char	*what[NFT_MSGS_MAX];
	uint8_t		 buf[NFT_BATCH_MAX];
};

/* The outcome of reading a batch's answers. */
struct nft_answer {
	int		 nanswered;	/* each message answers once */
	int		 bad;		/* earliest failed message, or -1 */
	int		 bad_errno;
};

/* Sets errno and err; returns -1. */
static int __attribute__((__format__(printf, 4, 5)))
fail(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	errno = e;
	return -1;
}

/* "pptpc_" + ifname into table[NFT_MSS_TABLE_MAX], or -1 with err. */
static int
table_name(const char *ifname, char *table, char *err, size_t errlen)
{
	if (iface_check_name("nftables MSS clamp", ifname, err, errlen) == -1)
		return -1;
	/* Cannot be cut: the name is under 16 bytes. */
	snprintf(table, NFT_MSS_TABLE_MAX, "%s%s", NFT_MSS_TABLE_PREFIX,
	    ifname);
	return 0;
}

/* ---- writing a batch ---- */


/* No 16-bit length check: the wbuf (NFT_BATCH_MAX) fails long before. */
static void
attr(struct wbuf *w, uint16_t type, const void *data, size_t len)
{
	struct nlattr a;

	a.nla_type = type;
	a.nla_len = (uint16_t)(NLA_HDRLEN + len);
	wbuf_bytes(w, &a, sizeof(a));
	wbuf_bytes(w, data, len);
	wbuf_zero(w, NLA_ALIGN(len) - len);
}

/* nf_tables numbers are big-endian on the wire (NLA_U32 "be32"). */
static void
attr_be32(struct wbuf *w, uint16_t type, uint32_t v)
{
	uint32_t be = htonl(v);

	attr(w, type, &be, sizeof(be));
}

static void
attr_str(struct wbuf *w, uint16_t type, const char *s)
{
	attr(w, type, s, strlen(s) + 1);
}

/* Opens a nested attribute; nest_end() fills in its length. */
static size_t
nest_begin(struct wbuf *w, uint16_t type)
{
	struct nlattr a = { .nla_len = 0, .nla_type = type | NLA_F_NESTED };
	size_t start = wbuf_len(w);

	wbuf_bytes(w, &a, sizeof(a));
	return start;
}

static void
nest_end(struct wbuf *w, size_t start)
{
	uint16_t len = (uint16_t)(wbuf_len(w) - start);

	if (!wbuf_failed(w))
		memcpy(w->data + start + offsetof(struct nlattr, nla_len),
		    &len, sizeof(len));
}

static void
msg_begin(struct nft_batch *b, uint16_t type, uint16_t flags, uint8_t family,
    const char *what)
{
	struct nlmsghdr h = { .nlmsg_type = type,
	    .nlmsg_flags = NLM_F_REQUEST | flags,
	    .nlmsg_seq = b->seq0 + (uint32_t)b->n };
	/* Batch delimiters name the subsystem; the rest leave it 0. */
	struct nfgenmsg g = { .nfgen_family = family,
	    .version = NFNETLINK_V0,
	    .res_id = htons(family == AF_UNSPEC ? NFNL_SUBSYS_NFTABLES : 0) };

	if (b->n == NFT_MSGS_MAX) {
		b->w.failed = 1;
		return;
	}
	b->start = wbuf_len(&b->w);
	b->type[b->n] = type;
	b->what[b->n++] = what;
	wbuf_bytes(&b->w, &h, sizeof(h));
	wbuf_bytes(&b->w, &g, sizeof(g));
}

static void
msg_end(struct nft_batch *b)
{
	uint32_t len = (uint32_t)(wbuf_len(&b->w) - b->start);

	/* nfgenmsg and attributes keep every length 4-aligned. */
	if (!wbuf_failed(&b->w))
		memcpy(b->buf + b->start + offsetof(struct nlmsghdr,
		    nlmsg_len), &len, sizeof(len));
}

static void
nft_msg(struct nft_batch *b, uint16_t type, uint16_t flags, const char *what)
{
	msg_begin(b, (uint16_t)(NFNL_SUBSYS_NFTABLES << 8 | type),
	    flags | NLM_F_ACK, NFPROTO_IPV4, what);
}

static void
batch_mark(struct nft_batch *b, uint16_t type)
{
	msg_begin(b, type, 0, AF_UNSPEC, "batch");
	msg_end(b);
}

/* Starts a batch; nft_run() ends it. */
static void
batch_init(struct nft_batch *b)
{
	memset(b, 0, sizeof(*b));
	wbuf_init(&b->w, b->buf, sizeof(b->buf));
	/* Unpredictable, so a stray datagram cannot pass for an answer. */
	b->seq0 = arc4random();
	batch_mark(b, NFNL_MSG_BATCH_BEGIN);
}

static void
put_table(struct nft_batch *b, uint16_t type, uint16_t flags,
    const char *table, const char *what)
{
	nft_msg(b, type, flags, what);
	attr_str(&b->w, NFTA_TABLE_NAME, table);
	msg_end(b);
}

static void
put_chain(struct nft_batch *b, const char *table, const char *chain,
    uint32_t hooknum)
{
	size_t hook;

	nft_msg(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE, chain);
	attr_str(&b->w, NFTA_CHAIN_TABLE, table);
	attr_str(&b->w, NFTA_CHAIN_NAME, chain);
	hook = nest_begin(&b->w, NFTA_CHAIN_HOOK);
	attr_be32(&b->w, NFTA_HOOK_HOOKNUM, hooknum);
	attr_be32(&b->w, NFTA_HOOK_PRIORITY, (uint32_t)NFT_PRIO_MANGLE);
	nest_end(&b->w, hook);
	/* Accept: the chain only edits packets, it never filters. */
	attr_be32(&b->w, NFTA_CHAIN_POLICY, NF_ACCEPT);
	attr_str(&b->w, NFTA_CHAIN_TYPE, "filter");
	msg_end(b);
}

/* An nft_data value: NFTA_DATA_VALUE inside the nest of type. */
static void
put_data(struct wbuf *w, uint16_t type, const void *v, size_t len)
{
	size_t d = nest_begin(w, type);

	attr(w, NFTA_DATA_VALUE, v, len);
	nest_end(w, d);
}

struct expr {
	size_t	 elem;
	size_t	 data;
};

static struct expr
expr_begin(struct wbuf *w, const char *name)
{
	struct expr e;

	e.elem = nest_begin(w, NFTA_LIST_ELEM);
	attr_str(w, NFTA_EXPR_NAME, name);
	e.data = nest_begin(w, NFTA_EXPR_DATA);
	return e;
}

static void
expr_end(struct wbuf *w, struct expr e)
{
	nest_end(w, e.data);
	nest_end(w, e.elem);
}

static void
expr_meta(struct wbuf *w, uint32_t key)
{
	struct expr e = expr_begin(w, "meta");

	attr_be32(w, NFTA_META_KEY, key);
	attr_be32(w, NFTA_META_DREG, NFT_REG_1);
	expr_end(w, e);
}

static void
expr_cmp(struct wbuf *w, uint32_t op, const void *v, size_t len)
{
	struct expr e = expr_begin(w, "cmp");

	attr_be32(w, NFTA_CMP_SREG, NFT_REG_1);
	attr_be32(w, NFTA_CMP_OP, op);
	put_data(w, NFTA_CMP_DATA, v, len);
	expr_end(w, e);
}

static void
put_rule(struct nft_batch *b, const char *table, const char *chain,
    uint32_t ifkey, const char ifname[NFT_IFNAME_LEN], uint16_t mss,
    const char *what)
{
	struct wbuf *w = &b->w;
	struct expr e;
	size_t list;
	uint8_t tcp = IPPROTO_TCP, syn = NFT_TCP_SYN, zero = 0;
	uint8_t opt = NFT_TCPOPT_MSS, be[2];

	nft_msg(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, what);
	attr_str(w, NFTA_RULE_TABLE, table);
	attr_str(w, NFTA_RULE_CHAIN, chain);
	list = nest_begin(w, NFTA_RULE_EXPRESSIONS);

	/* The whole 16-byte name, so "ppp1" does not match "ppp10". */
	expr_meta(w, ifkey);
	expr_cmp(w, NFT_CMP_EQ, ifname, NFT_IFNAME_LEN);
	/* The transport header is TCP's only once l4proto says so. */
	expr_meta(w, NFT_META_L4PROTO);
	expr_cmp(w, NFT_CMP_EQ, &tcp, sizeof(tcp));

	e = expr_begin(w, "payload");
	attr_be32(w, NFTA_PAYLOAD_DREG, NFT_REG_1);
	attr_be32(w, NFTA_PAYLOAD_BASE, NFT_PAYLOAD_TRANSPORT_HEADER);
	attr_be32(w, NFTA_PAYLOAD_OFFSET, NFT_TCP_FLAGS);
	attr_be32(w, NFTA_PAYLOAD_LEN, 1);
	expr_end(w, e);

	e = expr_begin(w, "bitwise");
	attr_be32(w, NFTA_BITWISE_SREG, NFT_REG_1);
	attr_be32(w, NFTA_BITWISE_DREG, NFT_REG_1);
	attr_be32(w, NFTA_BITWISE_LEN, 1);
	put_data(w, NFTA_BITWISE_MASK, &syn, 1);
	put_data(w, NFTA_BITWISE_XOR, &zero, 1);
	expr_end(w, e);
	expr_cmp(w, NFT_CMP_NEQ, &zero, 1);

	/* The exthdr write copies the register's bytes as they are. */
	put_be16(be, mss);
	e = expr_begin(w, "immediate");
	attr_be32(w, NFTA_IMMEDIATE_DREG, NFT_REG_1);
	put_data(w, NFTA_IMMEDIATE_DATA, be, sizeof(be));
	expr_end(w, e);

	e = expr_begin(w, "exthdr");
	attr_be32(w, NFTA_EXTHDR_SREG, NFT_REG_1);
	attr(w, NFTA_EXTHDR_TYPE, &opt, sizeof(opt));
	attr_be32(w, NFTA_EXTHDR_OFFSET, 2);	/* past kind and length */
	attr_be32(w, NFTA_EXTHDR_LEN, 2);
	attr_be32(w, NFTA_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT);
	expr_end(w, e);

	nest_end(w, list);
	msg_end(b);
}

/* ---- running a batch ---- */

static void
nft_why(char *err, size_t errlen, const char *table, const char *what,
    uint16_t type, int e)
{
	const char *hint = NULL;
	int begin = type == NFNL_MSG_BATCH_BEGIN;

	switch (e) {
	case EPERM:
	case EACCES:
		/* Capabilities fail BEGIN; later messages, owned tables. */
		hint = begin ? "pptpcd needs root or CAP_NET_ADMIN" :
		    "another program owns this table";
		break;
	case EOPNOTSUPP:
	case ENOENT:
	case EPROTONOSUPPORT:
		/* No subsystem fails BEGIN; no expression, a rule. */
		if (begin)
			hint = "the kernel has no nf_tables: modprobe "
			    "nf_tables";
		else if (type == (NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWRULE))
			hint = "the kernel's nf_tables lacks an expression "
			    "the rule needs (meta, cmp, payload, bitwise, "
			    "immediate, exthdr TCP option writes)";
		break;
	}
	snprintf(err, errlen, "nftables %s: %s: %s%s%s", table, what,
	    strerror(e), hint != NULL ? ": " : "", hint != NULL ? hint : "");
}

/* Reads the answers in one datagram; -1 if it is malformed. */
static int
nft_datagram(const struct nft_batch *b, const uint8_t *p, size_t n,
    struct nft_answer *ans)
{
	struct rbuf r, body;
	struct nlmsghdr h;
	const uint8_t *v;
	int32_t code;
	uint32_t i;
	size_t pad;

	rbuf_init(&r, p, n);
	while (rbuf_left(&r) > 0) {
		if (rbuf_bytes(&r, &h, sizeof(h)) == -1 ||
		    h.nlmsg_len < sizeof(h) ||
		    (v = rbuf_take(&r, h.nlmsg_len - sizeof(h))) == NULL)
			return -1;
		pad = NLMSG_ALIGN(h.nlmsg_len) - h.nlmsg_len;
		rbuf_skip(&r, pad < rbuf_left(&r) ? pad : rbuf_left(&r));
		i = h.nlmsg_seq - b->seq0;
		/* Not ours (a late answer), or not an answer at all. */
		if (i >= (uint32_t)b->n || h.nlmsg_type != NLMSG_ERROR)
			continue;
		rbuf_init(&body, v, h.nlmsg_len - sizeof(h));
		if (rbuf_bytes(&body, &code, sizeof(code)) == -1 ||
		    code > 0 || code < -4095)
			return -1;
		ans->nanswered++;
		if (code != 0 && (ans->bad == -1 || (int)i < ans->bad)) {
			ans->bad = (int)i;
			ans->bad_errno = -code;
		}
	}
	return 0;
}

/*
 * Sends the batch and reads the answers into ans: one to every message,
 * then, without waiting, whatever else is queued (a failed commit is
 * reported besides, on BEGIN's sequence number).  -1 with err if the
 * exchange itself fails.
 */
static int
nft_exchange(int s, const struct nft_batch *b, const char *table,
    struct nft_answer *ans, char *err, size_t errlen)
{
	struct sockaddr_nl sa, from;
	socklen_t fromlen;
	uint8_t buf[NFT_RCVBUF];
	ssize_t n;
	int i, want = b->n - 2;		/* all but BEGIN and END ask */

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(s, b->buf, wbuf_len(&b->w), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) != (ssize_t)wbuf_len(&b->w))
		return fail(err, errlen, errno, "nftables %s: netlink send: "
		    "%s", table, strerror(errno));
	for (i = 0; i < NFT_RECV_MAX; i++) {
		fromlen = sizeof(from);
		/* MSG_TRUNC: the datagram's real length, to see a cut. */
		n = recvfrom(s, buf, sizeof(buf), MSG_TRUNC |
		    (ans->nanswered < want && ans->bad == -1 ? 0 :
		    MSG_DONTWAIT), (struct sockaddr *)&from, &fromlen);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN && (ans->nanswered >= want ||
		    ans->bad != -1))
			return 0;
		if (n == -1)
			return fail(err, errlen, errno, "nftables %s: netlink "
			    "receive: %s", table, errno == EAGAIN ?
			    "no answer from the kernel" : strerror(errno));
		if ((size_t)n > sizeof(buf))
			return fail(err, errlen, EMSGSIZE, "nftables %s: "
			    "netlink answer truncated", table);
		/* Only the kernel (port 0) answers. */
		if (fromlen != sizeof(from) || from.nl_pid != 0)
			continue;
		if (nft_datagram(b, buf, (size_t)n, ans) == -1)
			return fail(err, errlen, EBADMSG, "nftables %s: "
			    "malformed netlink answer", table);
	}
	return fail(err, errlen, EPROTO, "nftables %s: the kernel keeps "
	    "answering", table);
}

/*
 * Ends and runs the batch.  When the earliest error is skip_errno on
 * message skip (ENOENT of a delete), that is success.
 */
/* A NETLINK_NETFILTER socket that never waits long; -1 with err. */
static int
nft_socket(const char *what, char *err, size_t errlen)
{
	struct timeval tv = { NFT_TIMEOUT_S, 0 };
	int s, one = 1, e;

	if ((s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_NETFILTER)) == -1) {
		e = errno;
		return fail(err, errlen, e, "nftables %s: netlink socket: "
		    "%s%s", what, strerror(e), e == EPROTONOSUPPORT ? ": the "
		    "kernel has no nfnetlink: modprobe nf_tables" :
		    e == EPERM || e == EACCES ? ": pptpcd needs root or "
		    "CAP_NET_ADMIN" : "");
	}
	/*
	 * Errors need not echo our messages (best effort).  No extended
	 * acks: nf_tables gives attribute offsets there, seldom words.
	 */
	setsockopt(s, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return s;
}

static int
nft_run(struct nft_batch *b, const char *table, int skip, int skip_errno,
    char *err, size_t errlen)
{
	struct nft_answer ans;
	int s, rc, e;

	batch_mark(b, NFNL_MSG_BATCH_END);
	if (wbuf_failed(&b->w))
		return fail(err, errlen, EMSGSIZE, "nftables %s: batch too "
		    "large", table);
	if ((s = nft_socket(table, err, errlen)) == -1)
		return -1;
	memset(&ans, 0, sizeof(ans));
	ans.bad = -1;
	rc = nft_exchange(s, b, table, &ans, err, errlen);
	e = errno;
	close(s);
	errno = e;
	if (rc == -1 || ans.bad == -1 ||
	    (ans.bad == skip && ans.bad_errno == skip_errno))
		return rc;
	nft_why(err, errlen, table, b->what[ans.bad], b->type[ans.bad],
	    ans.bad_errno);
	errno = ans.bad_errno;
	return -1;
}

int
nft_mss_clamp_add(const char *ifname, uint16_t mss, char *err,
    size_t errlen)
{
	struct nft_batch b;
	char table[NFT_MSS_TABLE_MAX], name[NFT_IFNAME_LEN];

	if (table_name(ifname, table, err, errlen) == -1)
		return -1;
	if (mss == 0)
		return fail(err, errlen, EINVAL, "nftables %s: TCP MSS 0 is "
		    "no clamp", table);
	/* Checked above: shorter than the register, the rest zeros. */
	memset(name, 0, sizeof(name));
	memcpy(name, ifname, strlen(ifname));
	batch_init(&b);
	/*
	 * A crashed pptpcd may have left the table, with another MSS.
	 * Create-if-absent, delete, create: one batch whatever was there,
	 * and atomic, so no moment without a clamp and no error to tell
	 * "exists" from "failed".
	 */
	put_table(&b, NFT_MSG_NEWTABLE, NLM_F_CREATE, table, "make table");
	put_table(&b, NFT_MSG_DELTABLE, 0, table, "delete old table");
	put_table(&b, NFT_MSG_NEWTABLE, NLM_F_CREATE, table, "table");
	put_chain(&b, table, "postrouting", NF_INET_POST_ROUTING);
	put_chain(&b, table, "forward", NF_INET_FORWARD);
	put_rule(&b, table, "postrouting", NFT_META_OIFNAME, name, mss,
	    "rule in postrouting");
	put_rule(&b, table, "forward", NFT_META_IIFNAME, name, mss,
	    "rule in forward");
	return nft_run(&b, table, -1, 0, err, errlen);
}

int
nft_mss_clamp_del(const char *ifname, char *err, size_t errlen)
{
	struct nft_batch b;
	char table[NFT_MSS_TABLE_MAX];

	if (table_name(ifname, table, err, errlen) == -1)
		return -1;
	batch_init(&b);
	put_table(&b, NFT_MSG_DELTABLE, 0, table, "delete table");
	/* Message 1, the delete: ENOENT means it is gone already. */
	return nft_run(&b, table, 1, ENOENT, err, errlen);
}

/*
 * One table of a GETTABLE dump: if it is ours and its interface is
 * gone, its interface name goes into stale[*n].
 */
static void
sweep_note(struct rbuf *p, char stale[][NFT_IFNAME_LEN], int *n)
{
	struct rbuf tb[NFTA_TABLE_MAX + 1], *name;
	const char *ifname;
	size_t plen = sizeof(NFT_MSS_TABLE_PREFIX) - 1, len;

	if (rbuf_skip(p, sizeof(struct nfgenmsg)) == -1 ||
	    nl_attrs(p, tb, NFTA_TABLE_MAX + 1) == -1)
		return;
	name = &tb[NFTA_TABLE_NAME];
	/* NUL-terminated inside the attribute, or not a name of ours. */
	if (name->data == NULL || name->len <= plen + 1 ||
	    name->data[name->len - 1] != '\0' ||
	    memcmp(name->data, NFT_MSS_TABLE_PREFIX, plen) != 0)
		return;
	ifname = (const char *)name->data + plen;
	if ((len = strlen(ifname)) == 0 || len >= NFT_IFNAME_LEN ||
	    if_nametoindex(ifname) != 0 || *n == NFT_SWEEP_MAX)
		return;
	memcpy(stale[(*n)++], ifname, len + 1);
}

int
nft_mss_sweep(char *err, size_t errlen)
{
	char stale[NFT_SWEEP_MAX][NFT_IFNAME_LEN];
	uint8_t req[NLMSG_HDRLEN + sizeof(struct nfgenmsg)];
	uint8_t buf[NFT_DUMP_RCVBUF];
	struct nlmsghdr h;
	struct nfgenmsg g;
	struct sockaddr_nl sa;
	struct rbuf r, p;
	const uint8_t *body;
	ssize_t got;
	size_t pad;
	int32_t code;
	int s, i, n = 0, done = 0, e = 0, gone = 0;

	if ((s = nft_socket("sweep", err, errlen)) == -1)
		return -1;
	memset(&h, 0, sizeof(h));
	h.nlmsg_len = sizeof(req);
	h.nlmsg_type = NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETTABLE;
	h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h.nlmsg_seq = arc4random();
	memset(&g, 0, sizeof(g));
	g.nfgen_family = NFPROTO_IPV4;
	g.version = NFNETLINK_V0;
	memcpy(req, &h, sizeof(h));
	memcpy(req + NLMSG_HDRLEN, &g, sizeof(g));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(s, req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) != (ssize_t)sizeof(req))
		e = errno;
	/* Bounded: a table dump of a few hundred tables, at most. */
	for (i = 0; e == 0 && !done && i < NFT_DUMP_RECV_MAX; i++) {
		if ((got = recv(s, buf, sizeof(buf), 0)) <= 0) {
			e = got == 0 ? EPROTO : errno;
			break;
		}
		rbuf_init(&r, buf, (size_t)got);
		while (rbuf_left(&r) > 0 && !done && e == 0) {
			if (rbuf_bytes(&r, &h, sizeof(h)) == -1 ||
			    h.nlmsg_len < sizeof(h) || (body = rbuf_take(&r,
			    h.nlmsg_len - sizeof(h))) == NULL) {
				e = EBADMSG;
				break;
			}
			pad = NLMSG_ALIGN(h.nlmsg_len) - h.nlmsg_len;
			rbuf_skip(&r, pad < rbuf_left(&r) ? pad :
			    rbuf_left(&r));
			rbuf_init(&p, body, h.nlmsg_len - sizeof(h));
			if (h.nlmsg_type == NLMSG_DONE)
				done = 1;
			else if (h.nlmsg_type == NLMSG_ERROR) {
				code = 0;
				(void)rbuf_bytes(&p, &code, sizeof(code));
				e = code < 0 && code >= -4095 ? -code : EPROTO;
			} else if ((h.nlmsg_type & 0xff) == NFT_MSG_NEWTABLE)
				sweep_note(&p, stale, &n);
		}
	}
	close(s);
	if (e == 0 && !done)
		e = EPROTO;
	if (e != 0)
		return fail(err, errlen, e, "nftables sweep: listing tables: "
		    "%s", strerror(e));
	for (i = 0; i < n; i++)
		if (nft_mss_clamp_del(stale[i], err, errlen) == 0)
			gone++;
	return gone;
}
