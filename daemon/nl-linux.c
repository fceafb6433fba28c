/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * rtnetlink request/reply helper (see nl-linux.h).
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "nl-linux.h"

/*
 * Big enough for any single datagram the kernel sends us: dumps are cut
 * into chunks that fit the reader's buffer up to 32 KiB.
 */
#define NL_RCVBUF	32768
/* The kernel always answers; this only keeps a lost answer from wedging. */
#define NL_TIMEOUT_S	5

static size_t
nl_align(size_t n)
{
	return (n + NLMSG_ALIGNTO - 1) & ~(size_t)(NLMSG_ALIGNTO - 1);
}

void
nl_req_init(struct nl_req *req, uint16_t type, uint16_t flags,
    const void *fam, size_t famlen)
{
	struct nlmsghdr h;

	memset(req->buf, 0, sizeof(req->buf));
	wbuf_init(&req->w, req->buf, sizeof(req->buf));
	memset(&h, 0, sizeof(h));
	h.nlmsg_type = type;
	h.nlmsg_flags = flags | NLM_F_REQUEST;
	if ((flags & NLM_F_DUMP) != NLM_F_DUMP)
		h.nlmsg_flags |= NLM_F_ACK;
	/* Length and sequence are filled in by nl_request(). */
	wbuf_bytes(&req->w, &h, sizeof(h));
	wbuf_bytes(&req->w, fam, famlen);
	wbuf_zero(&req->w, nl_align(famlen) - famlen);
}

void
nl_req_attr(struct nl_req *req, uint16_t type, const void *data, size_t len)
{
	struct rtattr rta;

	if (len > UINT16_MAX - sizeof(rta)) {
		req->w.failed = 1;
		return;
	}
	rta.rta_type = type;
	rta.rta_len = (unsigned short)(sizeof(rta) + len);
	wbuf_bytes(&req->w, &rta, sizeof(rta));
	wbuf_bytes(&req->w, data, len);
	wbuf_zero(&req->w, RTA_ALIGN(len) - len);
}

void
nl_req_attr_u32(struct nl_req *req, uint16_t type, uint32_t v)
{
	nl_req_attr(req, type, &v, sizeof(v));
}

void
nl_req_attr_in(struct nl_req *req, uint16_t type, struct in_addr a)
{
	nl_req_attr(req, type, &a.s_addr, sizeof(a.s_addr));
}

int
nl_attrs(struct rbuf *r, struct rbuf *tb, size_t ntb)
{
	struct rtattr rta;
	const uint8_t *v;
	size_t i, vlen;

	for (i = 0; i < ntb; i++)
		rbuf_init(&tb[i], NULL, 0);
	while (rbuf_left(r) > 0) {
		if (rbuf_bytes(r, &rta, sizeof(rta)) == -1 ||
		    rta.rta_len < sizeof(rta))
			return -1;
		vlen = rta.rta_len - sizeof(rta);
		if ((v = rbuf_take(r, vlen)) == NULL)
			return -1;
		/* The last attribute may omit its padding. */
		rbuf_skip(r, RTA_ALIGN(vlen) - vlen < rbuf_left(r) ?
		    RTA_ALIGN(vlen) - vlen : rbuf_left(r));
		/* Nested and byte-order flags are not part of the type. */
		i = rta.rta_type & NLA_TYPE_MASK;
		if (i < ntb)
			rbuf_init(&tb[i], v, vlen);
	}
	return 0;
}

int
nl_attr_u32(const struct rbuf *a, uint32_t *v)
{
	if (a->data == NULL || a->len != sizeof(*v))
		return -1;
	memcpy(v, a->data, sizeof(*v));
	return 0;
}

int
nl_attr_in(const struct rbuf *a, struct in_addr *in)
{
	if (a->data == NULL || a->len != sizeof(in->s_addr))
		return -1;
	memcpy(&in->s_addr, a->data, sizeof(in->s_addr));
	return 0;
}

/*
 * The text of an NLMSGERR_ATTR_MSG extended ack after the nlmsgerr in r,
 * or NULL.  With NETLINK_CAP_ACK the echoed request is only its header.
 */
static const char *
nl_extack(struct rbuf *r, uint16_t flags, const struct nlmsghdr *orig,
    char *buf, size_t buflen)
{
	struct rbuf tb[NLMSGERR_ATTR_MAX + 1];
	size_t echoed;

	if ((flags & NLM_F_ACK_TLVS) == 0)
		return NULL;
	echoed = (flags & NLM_F_CAPPED) ? 0 :
	    nl_align(orig->nlmsg_len) - sizeof(*orig);
	if (echoed > rbuf_left(r) || rbuf_skip(r, echoed) == -1)
		return NULL;
	if (nl_attrs(r, tb, NLMSGERR_ATTR_MAX + 1) == -1 ||
	    tb[NLMSGERR_ATTR_MSG].data == NULL ||
	    tb[NLMSGERR_ATTR_MSG].len == 0)
		return NULL;
	/* A string attribute; print it only up to its NUL, if any. */
	snprintf(buf, buflen, "%.*s", (int)strnlen(
	    (const char *)tb[NLMSGERR_ATTR_MSG].data,
	    tb[NLMSGERR_ATTR_MSG].len), tb[NLMSGERR_ATTR_MSG].data);
	return buf;
}

static const char *
nl_strerror(int e)
{
	/* The kernel answers ESRCH for "no such route"; say so. */
	if (e == ESRCH)
		return "not found";
	return strerror(e);
}

/*
 * Handles one datagram.  Returns 1 when the reply is complete, 0 when more
 * is to come, -1 on an error (errno set, err filled).
 */
static int
nl_datagram(const uint8_t *p, size_t n, const struct nlmsghdr *req,
    nl_reply_cb cb, void *arg, const char *what, char *err, size_t errlen)
{
	struct rbuf r, payload;
	struct nlmsghdr h;
	const uint8_t *body;
	char ext[160];
	const char *xt;
	int32_t code;
	size_t blen;

	rbuf_init(&r, p, n);
	while (rbuf_left(&r) > 0) {
		if (rbuf_bytes(&r, &h, sizeof(h)) == -1 ||
		    h.nlmsg_len < sizeof(h) ||
		    (body = rbuf_take(&r, h.nlmsg_len - sizeof(h))) == NULL)
			goto bad;
		blen = h.nlmsg_len - sizeof(h);
		rbuf_skip(&r, nl_align(h.nlmsg_len) - h.nlmsg_len <
		    rbuf_left(&r) ? nl_align(h.nlmsg_len) - h.nlmsg_len :
		    rbuf_left(&r));
		/* Not an answer to this request: a late reply, ignore it. */
		if (h.nlmsg_seq != req->nlmsg_seq)
			continue;
		rbuf_init(&payload, body, blen);
		switch (h.nlmsg_type) {
		case NLMSG_NOOP:
			continue;
		case NLMSG_ERROR:
			if (rbuf_bytes(&payload, &code, sizeof(code)) == -1 ||
			    rbuf_skip(&payload, sizeof(struct nlmsghdr)) == -1)
				goto bad;
			if (code == 0)
				return 1;
			if (code > 0 || code < -4095)
				goto bad;
			xt = nl_extack(&payload, h.nlmsg_flags, req, ext,
			    sizeof(ext));
			snprintf(err, errlen, "%s: %s%s%s%s", what,
			    nl_strerror(-code), xt ? " (" : "", xt ? xt : "",
			    xt ? ")" : "");
			errno = -code;
			return -1;
		case NLMSG_DONE:
			/* A dump may end with an error in place of the data. */
			if (rbuf_left(&payload) >= sizeof(code)) {
				rbuf_bytes(&payload, &code, sizeof(code));
				if (code < 0 && code >= -4095) {
					snprintf(err, errlen, "%s: %s", what,
					    nl_strerror(-code));
					errno = -code;
					return -1;
				}
			}
			return 1;
		default:
			if (cb != NULL && cb(h.nlmsg_type, &payload, arg) == -1)
				goto bad;
			break;
		}
	}
	return 0;
 bad:
	snprintf(err, errlen, "%s: malformed netlink reply", what);
	errno = EBADMSG;
	return -1;
}

int
nl_request(struct nl_req *req, nl_reply_cb cb, void *arg, const char *what,
    char *err, size_t errlen)
{
	struct sockaddr_nl sa, from;
	struct nlmsghdr h;
	struct timeval tv = { NL_TIMEOUT_S, 0 };
	struct iovec iov;
	struct msghdr msg;
	uint8_t *buf = NULL;
	ssize_t n;
	int s = -1, one = 1, done = 0, rc = -1, saved;

	if (wbuf_failed(&req->w)) {
		snprintf(err, errlen, "%s: request too large", what);
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(&h, req->buf, sizeof(h));
	h.nlmsg_len = (uint32_t)wbuf_len(&req->w);
	/* Unpredictable, so a stray datagram cannot pass for our answer. */
	h.nlmsg_seq = arc4random();
	memcpy(req->buf, &h, sizeof(h));

	if ((buf = malloc(NL_RCVBUF)) == NULL) {
		snprintf(err, errlen, "%s: %s", what, strerror(errno));
		return -1;
	}
	if ((s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) == -1) {
		snprintf(err, errlen, "%s: netlink socket: %s", what,
		    strerror(errno));
		goto out;
	}
	/* Best effort: older kernels lack them and give plain errno. */
	setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(s, req->buf, h.nlmsg_len, 0, (struct sockaddr *)&sa,
	    sizeof(sa)) != (ssize_t)h.nlmsg_len) {
		snprintf(err, errlen, "%s: netlink send: %s", what,
		    strerror(errno));
		goto out;
	}
	/*
	 * rc stays -1 until the kernel's answer is complete: a receive error
	 * after the first datagrams of a dump must not pass for success.
	 */
	while (done == 0) {
		iov.iov_base = buf;
		iov.iov_len = NL_RCVBUF;
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if ((n = recvmsg(s, &msg, MSG_TRUNC)) == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "%s: netlink receive: %s", what,
			    errno == EAGAIN ? "no answer from the kernel" :
			    strerror(errno));
			goto out;
		}
		if ((size_t)n > NL_RCVBUF || (msg.msg_flags & MSG_TRUNC)) {
			snprintf(err, errlen, "%s: netlink reply truncated",
			    what);
			errno = EMSGSIZE;
			goto out;
		}
		/* Only the kernel (port 0) answers requests. */
		if (msg.msg_namelen != sizeof(from) || from.nl_pid != 0)
			continue;
		done = nl_datagram(buf, (size_t)n, &h, cb, arg, what, err,
		    errlen);
	}
	if (done == 1)
		rc = 0;
 out:
	saved = errno;
	if (s != -1)
		close(s);
	free(buf);
	errno = saved;
	return rc;
}
