/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * nf_tables netlink batches for pptpcd's own tables (see nft_batch.h).
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
#include "nft_batch.h"
#include "nl-linux.h"

#define NFT_RCVBUF	8192		/* even an uncapped error fits */
/* Answers are queued before sendto() returns; this is a backstop only. */
#define NFT_TIMEOUT_S	2
#define NFT_RECV_MAX	(4 * NFT_MSGS_MAX)	/* datagrams per batch */
#define NFT_SWEEP_MAX	32		/* stale tables removed per sweep */
#define NFT_DUMP_RCVBUF	16384		/* one dump datagram */
#define NFT_DUMP_RECV_MAX 256

/* The outcome of reading a batch's answers. */
struct nft_answer {
	int		 nanswered;	/* each message answers once */
	int		 bad;		/* earliest failed message, or -1 */
	int		 bad_errno;
};

int
nft_fail(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	errno = e;
	return -1;
}

/* "pptpc_" + ifname into table[NFT_MSS_TABLE_MAX], or -1 with err. */

/* ---- writing a batch ---- */


/* No 16-bit length check: the wbuf (NFT_BATCH_MAX) fails long before. */
void
nft_attr(struct wbuf *w, uint16_t type, const void *data, size_t len)
{
	struct nlattr a;

	a.nla_type = type;
	a.nla_len = (uint16_t)(NLA_HDRLEN + len);
	wbuf_bytes(w, &a, sizeof(a));
	wbuf_bytes(w, data, len);
	wbuf_zero(w, NLA_ALIGN(len) - len);
}

/* nf_tables numbers are big-endian on the wire (NLA_U32 "be32"). */
void
nft_attr_be32(struct wbuf *w, uint16_t type, uint32_t v)
{
	uint32_t be = htonl(v);

	nft_attr(w, type, &be, sizeof(be));
}

void
nft_attr_str(struct wbuf *w, uint16_t type, const char *s)
{
	nft_attr(w, type, s, strlen(s) + 1);
}

/* Opens a nested attribute; nft_nest_end() fills in its length. */
size_t
nft_nest_begin(struct wbuf *w, uint16_t type)
{
	struct nlattr a = { .nla_len = 0, .nla_type = type | NLA_F_NESTED };
	size_t start = wbuf_len(w);

	wbuf_bytes(w, &a, sizeof(a));
	return start;
}

void
nft_nest_end(struct wbuf *w, size_t start)
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

void
nft_msg_end(struct nft_batch *b)
{
	uint32_t len = (uint32_t)(wbuf_len(&b->w) - b->start);

	/* nfgenmsg and attributes keep every length 4-aligned. */
	if (!wbuf_failed(&b->w))
		memcpy(b->buf + b->start + offsetof(struct nlmsghdr,
		    nlmsg_len), &len, sizeof(len));
}

void
nft_msg(struct nft_batch *b, uint16_t type, uint16_t flags, const char *what)
{
	msg_begin(b, (uint16_t)(NFNL_SUBSYS_NFTABLES << 8 | type),
	    flags | NLM_F_ACK, b->family, what);
}

static void
batch_mark(struct nft_batch *b, uint16_t type)
{
	msg_begin(b, type, 0, AF_UNSPEC, "batch");
	nft_msg_end(b);
}

/* Starts a batch; nft_run() ends it. */
void
nft_batch_init(struct nft_batch *b)
{
	memset(b, 0, sizeof(*b));
	b->family = NFPROTO_IPV4;
	wbuf_init(&b->w, b->buf, sizeof(b->buf));
	/* Unpredictable, so a stray datagram cannot pass for an answer. */
	b->seq0 = arc4random();
	batch_mark(b, NFNL_MSG_BATCH_BEGIN);
}

void
nft_put_table(struct nft_batch *b, uint16_t type, uint16_t flags,
    const char *table, const char *what)
{
	nft_msg(b, type, flags, what);
	nft_attr_str(&b->w, NFTA_TABLE_NAME, table);
	nft_msg_end(b);
}

void
nft_put_chain(struct nft_batch *b, const char *table, const char *chain,
    uint32_t hooknum, int32_t priority)
{
	size_t hook;

	nft_msg(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE, chain);
	nft_attr_str(&b->w, NFTA_CHAIN_TABLE, table);
	nft_attr_str(&b->w, NFTA_CHAIN_NAME, chain);
	hook = nft_nest_begin(&b->w, NFTA_CHAIN_HOOK);
	nft_attr_be32(&b->w, NFTA_HOOK_HOOKNUM, hooknum);
	nft_attr_be32(&b->w, NFTA_HOOK_PRIORITY, (uint32_t)priority);
	nft_nest_end(&b->w, hook);
	/* Accept: what a rule does not drop goes on. */
	nft_attr_be32(&b->w, NFTA_CHAIN_POLICY, NF_ACCEPT);
	nft_attr_str(&b->w, NFTA_CHAIN_TYPE, "filter");
	nft_msg_end(b);
}

void
nft_put_data(struct wbuf *w, uint16_t type, const void *v, size_t len)
{
	size_t d = nft_nest_begin(w, type);

	nft_attr(w, NFTA_DATA_VALUE, v, len);
	nft_nest_end(w, d);
}

struct nft_expr
nft_expr_begin(struct wbuf *w, const char *name)
{
	struct nft_expr e;

	e.elem = nft_nest_begin(w, NFTA_LIST_ELEM);
	nft_attr_str(w, NFTA_EXPR_NAME, name);
	e.data = nft_nest_begin(w, NFTA_EXPR_DATA);
	return e;
}

void
nft_expr_end(struct wbuf *w, struct nft_expr e)
{
	nft_nest_end(w, e.data);
	nft_nest_end(w, e.elem);
}

void
nft_expr_meta(struct wbuf *w, uint32_t key)
{
	struct nft_expr e = nft_expr_begin(w, "meta");

	nft_attr_be32(w, NFTA_META_KEY, key);
	nft_attr_be32(w, NFTA_META_DREG, NFT_REG_1);
	nft_expr_end(w, e);
}

void
nft_expr_cmp(struct wbuf *w, uint32_t op, const void *v, size_t len)
{
	struct nft_expr e = nft_expr_begin(w, "cmp");

	nft_attr_be32(w, NFTA_CMP_SREG, NFT_REG_1);
	nft_attr_be32(w, NFTA_CMP_OP, op);
	nft_put_data(w, NFTA_CMP_DATA, v, len);
	nft_expr_end(w, e);
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
			    "immediate, exthdr TCP option writes, counter)";
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
		return nft_fail(err, errlen, errno, "nftables %s: netlink send: "
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
			return nft_fail(err, errlen, errno, "nftables %s: netlink "
			    "receive: %s", table, errno == EAGAIN ?
			    "no answer from the kernel" : strerror(errno));
		if ((size_t)n > sizeof(buf))
			return nft_fail(err, errlen, EMSGSIZE, "nftables %s: "
			    "netlink answer truncated", table);
		/* Only the kernel (port 0) answers. */
		if (fromlen != sizeof(from) || from.nl_pid != 0)
			continue;
		if (nft_datagram(b, buf, (size_t)n, ans) == -1)
			return nft_fail(err, errlen, EBADMSG, "nftables %s: "
			    "malformed netlink answer", table);
	}
	return nft_fail(err, errlen, EPROTO, "nftables %s: the kernel keeps "
	    "answering", table);
}

int
nft_socket(const char *what, char *err, size_t errlen)
{
	struct timeval tv = { NFT_TIMEOUT_S, 0 };
	int s, one = 1, e;

	if ((s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_NETFILTER)) == -1) {
		e = errno;
		return nft_fail(err, errlen, e, "nftables %s: netlink socket: "
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

int
nft_run(struct nft_batch *b, const char *table, int skip, int skip_errno,
    char *err, size_t errlen)
{
	struct nft_answer ans;
	int s, rc, e;

	batch_mark(b, NFNL_MSG_BATCH_END);
	if (wbuf_failed(&b->w))
		return nft_fail(err, errlen, EMSGSIZE, "nftables %s: batch too "
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


void
nft_expr_payload(struct wbuf *w, uint32_t base, uint32_t offset,
    uint32_t len)
{
	struct nft_expr e = nft_expr_begin(w, "payload");

	nft_attr_be32(w, NFTA_PAYLOAD_DREG, NFT_REG_1);
	nft_attr_be32(w, NFTA_PAYLOAD_BASE, base);
	nft_attr_be32(w, NFTA_PAYLOAD_OFFSET, offset);
	nft_attr_be32(w, NFTA_PAYLOAD_LEN, len);
	nft_expr_end(w, e);
}

void
nft_expr_and(struct wbuf *w, const void *mask, size_t len)
{
	static const uint8_t zero[16];
	struct nft_expr e = nft_expr_begin(w, "bitwise");

	if (len > sizeof(zero)) {
		w->failed = 1;
		return;
	}
	nft_attr_be32(w, NFTA_BITWISE_SREG, NFT_REG_1);
	nft_attr_be32(w, NFTA_BITWISE_DREG, NFT_REG_1);
	nft_attr_be32(w, NFTA_BITWISE_LEN, (uint32_t)len);
	nft_put_data(w, NFTA_BITWISE_MASK, mask, len);
	nft_put_data(w, NFTA_BITWISE_XOR, zero, len);
	nft_expr_end(w, e);
}

int
nft_table_del(const char *table, char *err, size_t errlen)
{
	return nft_table_del_family(NFPROTO_IPV4, table, err, errlen);
}

int
nft_table_del_family(uint8_t family, const char *table, char *err,
    size_t errlen)
{
	struct nft_batch b;

	nft_batch_init(&b);
	b.family = family;
	nft_put_table(&b, NFT_MSG_DELTABLE, 0, table, "delete table");
	/* Message 1, the delete: ENOENT means it is gone already. */
	return nft_run(&b, table, 1, ENOENT, err, errlen);
}

/* ---- requests outside a batch: dumps and gets ---- */

int
nft_request(const uint8_t *req, size_t len, nft_reply_fn *fn, void *arg,
    const char *what, char *err, size_t errlen)
{
	uint8_t buf[NFT_DUMP_RCVBUF];
	struct sockaddr_nl sa;
	struct nlmsghdr h;
	struct rbuf r, p;
	const uint8_t *body;
	uint32_t seq;
	ssize_t got;
	size_t pad;
	int32_t code;
	int s, i, done = 0, e = 0;

	if (len < NLMSG_HDRLEN)
		return nft_fail(err, errlen, EINVAL, "nftables %s: short "
		    "request", what);
	memcpy(&h, req, sizeof(h));
	seq = h.nlmsg_seq;
	if ((s = nft_socket(what, err, errlen)) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(s, req, len, 0, (struct sockaddr *)&sa, sizeof(sa)) !=
	    (ssize_t)len)
		e = errno;
	/* Bounded: a dump of a few hundred objects, at most. */
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
			if (h.nlmsg_seq != seq)
				continue;	/* not an answer to this */
			rbuf_init(&p, body, h.nlmsg_len - sizeof(h));
			if (h.nlmsg_type == NLMSG_DONE)
				done = 1;
			else if (h.nlmsg_type == NLMSG_ERROR) {
				code = 0;
				(void)rbuf_bytes(&p, &code, sizeof(code));
				/* An ack (0) ends a get; an error, anything. */
				if (code == 0)
					done = 1;
				else
					e = code < 0 && code >= -4095 ? -code :
					    EPROTO;
			} else if (rbuf_skip(&p, sizeof(struct nfgenmsg)) ==
			    -1 || fn(h.nlmsg_type & 0xff, &p, arg) == -1)
				e = EBADMSG;
		}
	}
	close(s);
	if (e == 0 && !done)
		e = EPROTO;
	if (e != 0)
		return nft_fail(err, errlen, e, "nftables %s: %s", what,
		    strerror(e));
	return 0;
}

/* A request of the nf_tables subsystem, of family, into req. */
static size_t
request_init(uint8_t *req, size_t size, uint8_t family, uint16_t type,
    uint16_t flags)
{
	struct nlmsghdr h;
	struct nfgenmsg g;

	if (size < NLMSG_HDRLEN + sizeof(g))
		return 0;
	memset(&h, 0, sizeof(h));
	h.nlmsg_len = NLMSG_HDRLEN + sizeof(g);
	h.nlmsg_type = NFNL_SUBSYS_NFTABLES << 8 | type;
	h.nlmsg_flags = NLM_F_REQUEST | flags;
	h.nlmsg_seq = arc4random();
	memset(&g, 0, sizeof(g));
	g.nfgen_family = family;
	g.version = NFNETLINK_V0;
	memcpy(req, &h, sizeof(h));
	memcpy(req + NLMSG_HDRLEN, &g, sizeof(g));
	return h.nlmsg_len;
}

size_t
nft_request_init(uint8_t *req, size_t size, uint16_t type, uint16_t flags)
{
	return request_init(req, size, NFPROTO_IPV4, type, flags);
}

struct sweep {
	const char *const *prefixes;
	int		 nprefixes;
	char		 stale[NFT_SWEEP_MAX][NFT_TABLE_NAME_MAX];
	int		 n;
};

/*
 * One table of a GETTABLE dump: if it is ours and its interface is
 * gone, its name goes into stale[].
 */
static int
sweep_note(uint16_t type, struct rbuf *p, void *arg)
{
	struct sweep *sw = arg;
	struct rbuf tb[NFTA_TABLE_MAX + 1], *name;
	const char *ifname;
	size_t plen, len;
	int i;

	if (type != NFT_MSG_NEWTABLE || nl_attrs(p, tb, NFTA_TABLE_MAX + 1)
	    == -1)
		return 0;
	name = &tb[NFTA_TABLE_NAME];
	/* NUL-terminated inside the attribute, or not a name of ours. */
	if (name->data == NULL || name->len < 2 ||
	    name->data[name->len - 1] != '\0' ||
	    name->len > NFT_TABLE_NAME_MAX)
		return 0;
	for (i = 0; i < sw->nprefixes; i++) {
		plen = strlen(sw->prefixes[i]);
		if (name->len <= plen + 1 ||
		    memcmp(name->data, sw->prefixes[i], plen) != 0)
			continue;
		ifname = (const char *)name->data + plen;
		if ((len = strlen(ifname)) == 0 || len >= NFT_IFNAME_LEN ||
		    if_nametoindex(ifname) != 0 || sw->n == NFT_SWEEP_MAX)
			return 0;
		memcpy(sw->stale[sw->n++], name->data, name->len);
		return 0;
	}
	return 0;
}

int
nft_sweep(const char *const *prefixes, int nprefixes, char *err,
    size_t errlen)
{
	/*
	 * The guard's tables are ip's, the MSS clamp's inet's (ip's when
	 * an older pptpcd made them).
	 */
	static const uint8_t families[] = { NFPROTO_IPV4, NFPROTO_INET };
	struct sweep sw;
	uint8_t req[64];
	size_t len, f;
	int i, gone = 0;

	for (f = 0; f < sizeof(families); f++) {
		memset(&sw, 0, sizeof(sw));
		sw.prefixes = prefixes;
		sw.nprefixes = nprefixes;
		len = request_init(req, sizeof(req), families[f],
		    NFT_MSG_GETTABLE, NLM_F_DUMP);
		if (nft_request(req, len, sweep_note, &sw,
		    "sweep: listing tables", err, errlen) == -1)
			return -1;
		for (i = 0; i < sw.n; i++)
			if (nft_table_del_family(families[f], sw.stale[i],
			    err, errlen) == 0)
				gone++;
	}
	return gone;
}
