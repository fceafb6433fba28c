/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The kernel engine's cleartext guard (see nft_guard.h), one nf_tables
 * batch per change (nft_batch.h).
 *
 * A rule, in the kernel's expressions, on 16-byte legacy register 1:
 *
 *	meta l4proto -> reg1;			cmp == IPPROTO_GRE
 *	payload network [12, 4] (saddr);	cmp == SERVER
 *	payload transport [6, 2] (call ID);	cmp == OURS
 *	payload transport [0, 1]; & 0x10;	cmp != 0	(S: sequence)
 *	payload transport [1, 1]; & 0x80;	cmp == 0 | 0x80	(A: ack)
 *	payload transport [O, 2];		cmp == | != FF 03
 *	payload transport [P, 1]; & 0x80;	cmp == 0
 *	payload transport [P, 2];		cmp != 00 FD
 *	counter; immediate verdict drop
 *
 * with O = 12 or 16 (ack) and P = O + 2 (FF 03) or O.  The transport
 * header of a GRE packet is GRE's: nf_tables sets it from the IPv4
 * header length for any protocol, and at the input hook the packet is
 * whole (IPv4 reassembles before NF_INET_LOCAL_IN), so a fragmented
 * frame is judged like any other.  A load past the end of the packet
 * makes a rule not match; every frame pptp.ko hands to PPP is long
 * enough for each load (at least two bytes at P), except a frame of one
 * compressed byte, which carries nothing.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <netinet/in.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "nft_batch.h"
#include "nft_guard.h"
#include "nl-linux.h"
#include "tun.h"

#define GUARD_PRIO_FILTER	0	/* NF_IP_PRI_FILTER */
#define GUARD_TABLE_MAX		(sizeof(NFT_GUARD_TABLE_PREFIX) - 1 + 16)
#define GRE_S_BYTE		0	/* flags byte with S (0x10) */
#define GRE_S			0x10
#define GRE_A_BYTE		1	/* flags byte with A (0x80), version */
#define GRE_A			0x80
#define GRE_CALL_ID		6
#define GRE_PAYLOAD		12	/* after seq; 16 with an ack */
#define GRE_ACK_LEN		4
#define IP_SADDR		12

/* "pptpcg_" + ifname into table[GUARD_TABLE_MAX], or -1 with err. */
static int
table_name(const char *ifname, char *table, char *err, size_t errlen)
{
	if (iface_check_name("nftables cleartext guard", ifname, err,
	    errlen) == -1)
		return -1;
	snprintf(table, GUARD_TABLE_MAX, "%s%s", NFT_GUARD_TABLE_PREFIX,
	    ifname);
	return 0;
}

/* payload transport [off, 1] & mask, compared with op to v. */
static void
masked_byte(struct wbuf *w, uint32_t off, uint8_t mask, uint32_t op,
    uint8_t v)
{
	nft_expr_payload(w, NFT_PAYLOAD_TRANSPORT_HEADER, off, 1);
	nft_expr_and(w, &mask, 1);
	nft_expr_cmp(w, op, &v, 1);
}

static void
put_drop(struct wbuf *w)
{
	struct nft_expr e;
	size_t data, verdict;

	/* A counter in the rule: a named one needs nft_objref, a module. */
	e = nft_expr_begin(w, "counter");
	nft_expr_end(w, e);

	e = nft_expr_begin(w, "immediate");
	nft_attr_be32(w, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	data = nft_nest_begin(w, NFTA_IMMEDIATE_DATA);
	verdict = nft_nest_begin(w, NFTA_DATA_VERDICT);
	nft_attr_be32(w, NFTA_VERDICT_CODE, NF_DROP);
	nft_nest_end(w, verdict);
	nft_nest_end(w, data);
	nft_expr_end(w, e);
}

static void
put_rule(struct nft_batch *b, const char *table, struct in_addr server,
    uint16_t call_id, int ack, int ff03, const char *what)
{
	struct wbuf *w = &b->w;
	uint8_t gre = IPPROTO_GRE, cid[2], ac[2] = { 0xff, 0x03 };
	uint8_t mppe[2] = { 0x00, 0xfd };
	uint32_t o, p;
	size_t list;

	o = GRE_PAYLOAD + (ack ? GRE_ACK_LEN : 0);
	p = o + (ff03 ? 2 : 0);
	put_be16(cid, call_id);
	nft_msg(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, what);
	nft_attr_str(w, NFTA_RULE_TABLE, table);
	nft_attr_str(w, NFTA_RULE_CHAIN, "input");
	list = nft_nest_begin(w, NFTA_RULE_EXPRESSIONS);

	/* The transport header is GRE's only once l4proto says so. */
	nft_expr_meta(w, NFT_META_L4PROTO);
	nft_expr_cmp(w, NFT_CMP_EQ, &gre, 1);
	nft_expr_payload(w, NFT_PAYLOAD_NETWORK_HEADER, IP_SADDR, 4);
	nft_expr_cmp(w, NFT_CMP_EQ, &server.s_addr, 4);
	nft_expr_payload(w, NFT_PAYLOAD_TRANSPORT_HEADER, GRE_CALL_ID, 2);
	nft_expr_cmp(w, NFT_CMP_EQ, cid, 2);
	masked_byte(w, GRE_S_BYTE, GRE_S, NFT_CMP_NEQ, 0);
	masked_byte(w, GRE_A_BYTE, GRE_A, NFT_CMP_EQ, ack ? GRE_A : 0);
	nft_expr_payload(w, NFT_PAYLOAD_TRANSPORT_HEADER, o, 2);
	nft_expr_cmp(w, ff03 ? NFT_CMP_EQ : NFT_CMP_NEQ, ac, 2);
	/* Under 0x8000, whether compressed (odd) or not ... */
	masked_byte(w, p, 0x80, NFT_CMP_EQ, 0);
	/* ... and not MPPE. */
	nft_expr_payload(w, NFT_PAYLOAD_TRANSPORT_HEADER, p, 2);
	nft_expr_cmp(w, NFT_CMP_NEQ, mppe, 2);
	put_drop(w);

	nft_nest_end(w, list);
	nft_msg_end(b);
}

int
nft_guard_add(const char *ifname, struct in_addr server,
    uint16_t our_call_id, char *err, size_t errlen)
{
	struct nft_batch b;
	char table[GUARD_TABLE_MAX];

	if (table_name(ifname, table, err, errlen) == -1)
		return -1;
	if (server.s_addr == INADDR_ANY)
		return nft_fail(err, errlen, EINVAL, "nftables %s: no server "
		    "address", table);
	nft_batch_init(&b);
	/* As the MSS clamp: whatever a crashed pptpcd left, atomically. */
	nft_put_table(&b, NFT_MSG_NEWTABLE, NLM_F_CREATE, table, "make table");
	nft_put_table(&b, NFT_MSG_DELTABLE, 0, table, "delete old table");
	nft_put_table(&b, NFT_MSG_NEWTABLE, NLM_F_CREATE, table, "table");

	nft_put_chain(&b, table, "input", NF_INET_LOCAL_IN, GUARD_PRIO_FILTER);
	put_rule(&b, table, server, our_call_id, 0, 1, "rule: no ack, FF03");
	put_rule(&b, table, server, our_call_id, 0, 0, "rule: no ack");
	put_rule(&b, table, server, our_call_id, 1, 1, "rule: ack, FF03");
	put_rule(&b, table, server, our_call_id, 1, 0, "rule: ack");
	return nft_run(&b, table, -1, 0, err, errlen);
}

int
nft_guard_del(const char *ifname, char *err, size_t errlen)
{
	char table[GUARD_TABLE_MAX];

	if (table_name(ifname, table, err, errlen) == -1)
		return -1;
	return nft_table_del(table, err, errlen);
}

/* The next attribute of r into *a, or 0 at the end; -1 if malformed. */
static int
next_attr(struct rbuf *r, uint16_t *type, struct rbuf *a)
{
	struct nlattr h;
	const uint8_t *v;
	size_t vlen;

	if (rbuf_left(r) == 0)
		return 0;
	if (rbuf_bytes(r, &h, sizeof(h)) == -1 || h.nla_len < sizeof(h))
		return -1;
	vlen = h.nla_len - sizeof(h);
	if ((v = rbuf_take(r, vlen)) == NULL)
		return -1;
	rbuf_skip(r, NLA_ALIGN(vlen) - vlen < rbuf_left(r) ?
	    NLA_ALIGN(vlen) - vlen : rbuf_left(r));
	*type = h.nla_type & NLA_TYPE_MASK;
	rbuf_init(a, v, vlen);
	return 1;
}

struct count {
	uint64_t	 packets;
	int		 rules;
};

/* One rule of the dump: adds its counter's packets. */
static int
rule_reply(uint16_t type, struct rbuf *attrs, void *arg)
{
	struct rbuf tb[NFTA_RULE_MAX + 1], etb[NFTA_EXPR_MAX + 1];
	struct rbuf ctb[NFTA_COUNTER_MAX + 1], list, elem, data;
	struct count *n = arg;
	uint16_t t;
	int rv;

	if (type != NFT_MSG_NEWRULE)
		return 0;
	n->rules++;
	if (nl_attrs(attrs, tb, NFTA_RULE_MAX + 1) == -1 ||
	    tb[NFTA_RULE_EXPRESSIONS].data == NULL)
		return -1;
	list = tb[NFTA_RULE_EXPRESSIONS];
	while ((rv = next_attr(&list, &t, &elem)) == 1) {
		if (t != NFTA_LIST_ELEM ||
		    nl_attrs(&elem, etb, NFTA_EXPR_MAX + 1) == -1)
			return -1;
		if (etb[NFTA_EXPR_NAME].len != sizeof("counter") ||
		    memcmp(etb[NFTA_EXPR_NAME].data, "counter",
		    sizeof("counter")) != 0)
			continue;
		data = etb[NFTA_EXPR_DATA];
		if (data.data == NULL ||
		    nl_attrs(&data, ctb, NFTA_COUNTER_MAX + 1) == -1 ||
		    ctb[NFTA_COUNTER_PACKETS].len != 8)
			return -1;
		n->packets += (uint64_t)get_be32(ctb[NFTA_COUNTER_PACKETS].data)
		    << 32 | get_be32(ctb[NFTA_COUNTER_PACKETS].data + 4);
	}
	return rv;
}

int
nft_guard_dropped(const char *ifname, uint64_t *packets, char *err,
    size_t errlen)
{
	char table[GUARD_TABLE_MAX];
	uint8_t req[256];
	struct count n;
	struct wbuf w;
	uint32_t len;
	size_t hl;

	*packets = 0;
	if (table_name(ifname, table, err, errlen) == -1)
		return -1;
	/* A dump of the table's rules, each with its counter. */
	if ((hl = nft_request_init(req, sizeof(req), NFT_MSG_GETRULE,
	    NLM_F_DUMP)) == 0)
		return nft_fail(err, errlen, EMSGSIZE, "nftables %s: request "
		    "too large", table);
	wbuf_init(&w, req + hl, sizeof(req) - hl);
	nft_attr_str(&w, NFTA_RULE_TABLE, table);
	nft_attr_str(&w, NFTA_RULE_CHAIN, "input");
	if (wbuf_failed(&w))
		return nft_fail(err, errlen, EMSGSIZE, "nftables %s: request "
		    "too large", table);
	len = (uint32_t)(hl + wbuf_len(&w));
	memcpy(req + offsetof(struct nlmsghdr, nlmsg_len), &len, sizeof(len));
	memset(&n, 0, sizeof(n));
	if (nft_request(req, len, rule_reply, &n, table, err, errlen) == -1)
		return -1;
	/* A table that is gone dumps nothing at all. */
	if (n.rules == 0)
		return nft_fail(err, errlen, ENOENT, "nftables %s: no guard",
		    table);
	*packets = n.packets;
	return 0;
}
