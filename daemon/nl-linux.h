/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A small rtnetlink request/reply helper for the Linux interface and route
 * code.  One request per call on a socket of its own: these run when a
 * tunnel comes up or goes down, never per packet, and a private socket
 * means no reply of one request can be mistaken for another's.
 *
 * Requests are built in a fixed buffer through struct wbuf; replies are
 * read through struct rbuf, every nlmsg_len and rta_len checked against
 * both the datagram and its own minimum.  Kernel errors come back as
 * "WHAT: strerror (extended ack text)" in the caller's buffer, with errno
 * set to the kernel's code so callers can tell EEXIST from ESRCH.
 */
#ifndef PPTPC_NL_LINUX_H
#define PPTPC_NL_LINUX_H

#include <linux/netlink.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define NL_REQ_MAX	512

struct nl_req {
	struct wbuf	 w;
	uint8_t		 buf[NL_REQ_MAX];
};

/*
 * Called for each reply message other than acks, errors and NLMSG_DONE,
 * with its type and its payload (after the nlmsghdr).  Returns 0, or -1 if
 * the message is malformed.
 */
typedef int	(*nl_reply_cb)(uint16_t type, struct rbuf *payload, void *arg);

/*
 * Starts a request of the given type and flags (NLM_F_REQUEST is added;
 * NLM_F_ACK is added unless NLM_F_DUMP is set) whose payload begins with
 * the family header fam[0..famlen).
 */
void	nl_req_init(struct nl_req *, uint16_t type, uint16_t flags,
	    const void *fam, size_t famlen);
/* Appends one attribute, padded to NLA_ALIGNTO. */
void	nl_req_attr(struct nl_req *, uint16_t type, const void *, size_t);
void	nl_req_attr_u32(struct nl_req *, uint16_t type, uint32_t);
void	nl_req_attr_in(struct nl_req *, uint16_t type, struct in_addr);

/*
 * Sends the request and reads replies until the kernel's ack, error or
 * NLMSG_DONE.  Returns 0, or -1 with errno set and "what: reason" in err.
 */
int	nl_request(struct nl_req *, nl_reply_cb, void *arg, const char *what,
	    char *err, size_t errlen);

/*
 * Splits the attributes in r into tb[0..ntb): tb[type] covers the value of
 * the last attribute of that type, tb[type].data is NULL where absent, and
 * types >= ntb are ignored.  Returns -1 if an attribute's length is below
 * its header or past the end.
 */
int	nl_attrs(struct rbuf *r, struct rbuf *tb, size_t ntb);
/* Reads a host-order u32 or an IPv4 address attribute of exact size. */
int	nl_attr_u32(const struct rbuf *, uint32_t *);
int	nl_attr_in(const struct rbuf *, struct in_addr *);

#endif /* PPTPC_NL_LINUX_H */
