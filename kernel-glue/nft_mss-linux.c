/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * TCP MSS clamping by nf_tables netlink (see nft_mss.h).
 *
 * Each change is one nf_tables batch (nft_batch.h): all of it or none.
 *
 * A rule, in the kernel's expressions, on 16-byte legacy register 1:
 *
 *	meta oifname (iifname) -> reg1;	cmp reg1 == IFNAME (16 bytes)
 *	meta nfproto -> reg1;		cmp reg1 == NFPROTO_IPV4 (IPV6)
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
#include "mss.h"
#include "nft_batch.h"
#include "nft_mss.h"
#include "nl-linux.h"
#include "tun.h"

#define NFT_PRIO_MANGLE	(-150)		/* NF_IP_PRI_MANGLE */
#define NFT_TCP_FLAGS	13		/* offset of the flags in TCP */
#define NFT_TCP_SYN	0x02
#define NFT_TCPOPT_MSS	2		/* RFC 9293 maxseg */

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

static void
put_rule(struct nft_batch *b, const char *table, const char *chain,
    uint32_t ifkey, const char ifname[NFT_IFNAME_LEN], uint8_t nfproto,
    uint16_t mss, const char *what)
{
	struct wbuf *w = &b->w;
	struct nft_expr e;
	size_t list;
	uint8_t tcp = IPPROTO_TCP, syn = NFT_TCP_SYN, zero = 0;
	uint8_t opt = NFT_TCPOPT_MSS, be[2];

	nft_msg(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, what);
	nft_attr_str(w, NFTA_RULE_TABLE, table);
	nft_attr_str(w, NFTA_RULE_CHAIN, chain);
	list = nft_nest_begin(w, NFTA_RULE_EXPRESSIONS);

	/* The whole 16-byte name, so "ppp1" does not match "ppp10". */
	nft_expr_meta(w, ifkey);
	nft_expr_cmp(w, NFT_CMP_EQ, ifname, NFT_IFNAME_LEN);
	/* IPv4 or IPv6: the family of an inet table's packet. */
	nft_expr_meta(w, NFT_META_NFPROTO);
	nft_expr_cmp(w, NFT_CMP_EQ, &nfproto, sizeof(nfproto));
	/* The transport header is TCP's only once l4proto says so. */
	nft_expr_meta(w, NFT_META_L4PROTO);
	nft_expr_cmp(w, NFT_CMP_EQ, &tcp, sizeof(tcp));

	e = nft_expr_begin(w, "payload");
	nft_attr_be32(w, NFTA_PAYLOAD_DREG, NFT_REG_1);
	nft_attr_be32(w, NFTA_PAYLOAD_BASE, NFT_PAYLOAD_TRANSPORT_HEADER);
	nft_attr_be32(w, NFTA_PAYLOAD_OFFSET, NFT_TCP_FLAGS);
	nft_attr_be32(w, NFTA_PAYLOAD_LEN, 1);
	nft_expr_end(w, e);

	e = nft_expr_begin(w, "bitwise");
	nft_attr_be32(w, NFTA_BITWISE_SREG, NFT_REG_1);
	nft_attr_be32(w, NFTA_BITWISE_DREG, NFT_REG_1);
	nft_attr_be32(w, NFTA_BITWISE_LEN, 1);
	nft_put_data(w, NFTA_BITWISE_MASK, &syn, 1);
	nft_put_data(w, NFTA_BITWISE_XOR, &zero, 1);
	nft_expr_end(w, e);
	nft_expr_cmp(w, NFT_CMP_NEQ, &zero, 1);

	/* The exthdr write copies the register's bytes as they are. */
	put_be16(be, mss);
	e = nft_expr_begin(w, "immediate");
	nft_attr_be32(w, NFTA_IMMEDIATE_DREG, NFT_REG_1);
	nft_put_data(w, NFTA_IMMEDIATE_DATA, be, sizeof(be));
	nft_expr_end(w, e);

	e = nft_expr_begin(w, "exthdr");
	nft_attr_be32(w, NFTA_EXTHDR_SREG, NFT_REG_1);
	nft_attr(w, NFTA_EXTHDR_TYPE, &opt, sizeof(opt));
	nft_attr_be32(w, NFTA_EXTHDR_OFFSET, 2);	/* past kind and length */
	nft_attr_be32(w, NFTA_EXTHDR_LEN, 2);
	nft_attr_be32(w, NFTA_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT);
	nft_expr_end(w, e);

	nft_nest_end(w, list);
	nft_msg_end(b);
}

int
nft_mss_clamp_add(const char *ifname, uint16_t mss, char *err,
    size_t errlen)
{
	struct nft_batch b;
	char table[NFT_MSS_TABLE_MAX], name[NFT_IFNAME_LEN];

	if (table_name(ifname, table, err, errlen) == -1)
		return -1;
	if (mss < MSS_MIN)
		return nft_fail(err, errlen, EINVAL, "nftables %s: TCP MSS %u "
		    "is below %u", table, mss, MSS_MIN);
	/* Checked above: shorter than the register, the rest zeros. */
	memset(name, 0, sizeof(name));
	memcpy(name, ifname, strlen(ifname));
	nft_batch_init(&b);
	b.family = NFPROTO_INET;
	/*
	 * A crashed pptpcd may have left the table, with another MSS.
	 * Create-if-absent, delete, create: one batch whatever was there,
	 * and atomic, so no moment without a clamp and no error to tell
	 * "exists" from "failed".
	 */
	nft_put_table(&b, NFT_MSG_NEWTABLE, NLM_F_CREATE, table, "make table");
	nft_put_table(&b, NFT_MSG_DELTABLE, 0, table, "delete old table");
	nft_put_table(&b, NFT_MSG_NEWTABLE, NLM_F_CREATE, table, "table");
	nft_put_chain(&b, table, "postrouting", NF_INET_POST_ROUTING,
	    NFT_PRIO_MANGLE);
	nft_put_chain(&b, table, "forward", NF_INET_FORWARD, NFT_PRIO_MANGLE);
	put_rule(&b, table, "postrouting", NFT_META_OIFNAME, name,
	    NFPROTO_IPV4, mss, "rule in postrouting");
	put_rule(&b, table, "postrouting", NFT_META_OIFNAME, name,
	    NFPROTO_IPV6, mss - MSS_IPV6_EXTRA, "IPv6 rule in postrouting");
	put_rule(&b, table, "forward", NFT_META_IIFNAME, name, NFPROTO_IPV4,
	    mss, "rule in forward");
	put_rule(&b, table, "forward", NFT_META_IIFNAME, name, NFPROTO_IPV6,
	    mss - MSS_IPV6_EXTRA, "IPv6 rule in forward");
	return nft_run(&b, table, -1, 0, err, errlen);
}

int
nft_mss_clamp_del(const char *ifname, char *err, size_t errlen)
{
	char table[NFT_MSS_TABLE_MAX];

	if (table_name(ifname, table, err, errlen) == -1)
		return -1;
	return nft_table_del_family(NFPROTO_INET, table, err, errlen);
}

int
nft_mss_sweep(char *err, size_t errlen)
{
	/* The guard's tables (nft_guard.h) go with the same interfaces. */
	static const char *const prefixes[] = { NFT_MSS_TABLE_PREFIX,
	    "pptpcg_" };

	return nft_sweep(prefixes, 2, err, errlen);
}
