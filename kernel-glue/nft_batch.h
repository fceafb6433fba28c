/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * nf_tables netlink for pptpcd's own tables (Linux only): building one
 * batch of messages, running it atomically, and the few reads back that
 * the tables need.  nft_mss-linux.c (the kernel engine's TCP MSS clamp)
 * and nft_guard-linux.c (its cleartext guard) are the users; each owns
 * one table per ppp interface, named by a prefix of its own and the
 * interface name, so that tables a killed pptpcd left can be found and
 * removed once their interface is gone (nft_sweep()).
 *
 * A batch is BEGIN, messages, END in one datagram; nfnetlink runs it
 * inside our sendto() and commits all of it or none.  Every message asks
 * for an ack; when the batch fails, the earliest message's error is the
 * cause and is what nft_run() reports.  Errors: -1 with errno set and one
 * line in err saying what failed and what would fix it.
 */
#ifndef PPTPC_NFT_BATCH_H
#define PPTPC_NFT_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define NFT_BATCH_MAX	8192		/* the guard's batch is 4.6 KiB */
#define NFT_MSGS_MAX	12		/* the guard: BEGIN, 3 + 1 + 4, END */
#define NFT_IFNAME_LEN	16		/* IFNAMSIZ: meta's register width */
#define NFT_TABLE_NAME_MAX 32		/* ours: a prefix and an ifname */

struct nft_batch {
	struct wbuf	 w;
	uint32_t	 seq0;		/* message i has sequence seq0 + i */
	int		 n;
	size_t		 start;		/* offset of the open message */
	uint8_t		 family;	/* NFPROTO_IPV4 unless set */
	uint16_t	 type[NFT_MSGS_MAX];	/* for the error's words */
	const char	*what[NFT_MSGS_MAX];
	uint8_t		 buf[NFT_BATCH_MAX];
};

/* An expression being written: its list element and its data nest. */
struct nft_expr {
	size_t	 elem;
	size_t	 data;
};

/* Sets errno and err; returns -1. */
int	nft_fail(char *err, size_t errlen, int e, const char *fmt, ...)
	    __attribute__((__format__(printf, 4, 5)));

/* Attributes; nf_tables numbers are big-endian on the wire. */
void	nft_attr(struct wbuf *, uint16_t type, const void *, size_t);
void	nft_attr_be32(struct wbuf *, uint16_t type, uint32_t);
void	nft_attr_str(struct wbuf *, uint16_t type, const char *);
size_t	nft_nest_begin(struct wbuf *, uint16_t type);
void	nft_nest_end(struct wbuf *, size_t start);
/* An nft_data value: NFTA_DATA_VALUE inside the nest of type. */
void	nft_put_data(struct wbuf *, uint16_t type, const void *, size_t);

/* Starts a batch (BEGIN); nft_run() ends and runs it. */
void	nft_batch_init(struct nft_batch *);
/*
 * One message of the nf_tables subsystem, of the batch's family (ip, as
 * nft_batch_init() sets it, or what the caller set after); what names it.
 */
void	nft_msg(struct nft_batch *, uint16_t type, uint16_t flags,
	    const char *what);
void	nft_msg_end(struct nft_batch *);
void	nft_put_table(struct nft_batch *, uint16_t type, uint16_t flags,
	    const char *table, const char *what);
/* A base chain of type filter with policy accept. */
void	nft_put_chain(struct nft_batch *, const char *table,
	    const char *chain, uint32_t hooknum, int32_t priority);

struct nft_expr nft_expr_begin(struct wbuf *, const char *name);
void	nft_expr_end(struct wbuf *, struct nft_expr);
/* meta KEY -> register 1 */
void	nft_expr_meta(struct wbuf *, uint32_t key);
/* cmp register 1 OP value */
void	nft_expr_cmp(struct wbuf *, uint32_t op, const void *, size_t);
/* payload BASE[offset, len] -> register 1 */
void	nft_expr_payload(struct wbuf *, uint32_t base, uint32_t offset,
	    uint32_t len);
/* register 1 = register 1 & mask (len bytes) */
void	nft_expr_and(struct wbuf *, const void *mask, size_t len);

/*
 * Ends and runs the batch.  When the earliest error is skip_errno on
 * message skip (ENOENT of a delete), that is success.
 */
int	nft_run(struct nft_batch *, const char *table, int skip,
	    int skip_errno, char *err, size_t errlen);
/* A NETLINK_NETFILTER socket that never waits long; -1 with err. */
int	nft_socket(const char *what, char *err, size_t errlen);

/*
 * Requests outside a batch (a dump, or a get with NLM_F_ACK): fn gets
 * each answer's message type (without the subsystem) and its attributes
 * (after the nfgenmsg); -1 from fn makes the request fail.
 */
typedef int	 nft_reply_fn(uint16_t type, struct rbuf *attrs, void *arg);
/* Writes the header of a request into req; its length, 0 if too small. */
size_t	nft_request_init(uint8_t *req, size_t size, uint16_t type,
	    uint16_t flags);
int	nft_request(const uint8_t *req, size_t len, nft_reply_fn *fn,
	    void *arg, const char *what, char *err, size_t errlen);

/* Deletes table (family ip); one that is not there is not an error. */
int	nft_table_del(const char *table, char *err, size_t errlen);
/* The same in another family (NFPROTO_INET: nft_mss.h's tables). */
int	nft_table_del_family(uint8_t family, const char *table, char *err,
	    size_t errlen);
/*
 * Deletes every table, of family ip or inet, whose name is one of
 * prefixes[0..nprefixes) and an interface name that no longer exists.
 * Returns how many went, or -1.
 */
int	nft_sweep(const char *const *prefixes, int nprefixes, char *err,
	    size_t errlen);

#endif /* PPTPC_NFT_BATCH_H */
