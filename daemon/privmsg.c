/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * One message per SOCK_SEQPACKET record, checked on receipt (privmsg.h).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "privmsg.h"

int
privmsg_check_name(const char *name, size_t size)
{
	size_t i;

	for (i = 0; i < size && name[i] != '\0'; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return -1;
	}
	return i < size ? 0 : -1;
}

int
privmsg_send(int sock, uint16_t type, const char *tunnel,
    const void *payload, size_t len, int fd)
{
	struct privmsg_hdr h;
	struct msghdr mh;
	struct iovec iov[2];
	union {
		struct cmsghdr	 align;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct cmsghdr *c;
	ssize_t n;

	if (len > PRIVMSG_PAYLOAD_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(&h, 0, sizeof(h));
	h.type = type;
	h.len = (uint32_t)len;
	if (tunnel != NULL) {
		if (strlen(tunnel) >= sizeof(h.tunnel)) {
			errno = EINVAL;
			return -1;
		}
		memcpy(h.tunnel, tunnel, strlen(tunnel));
	}
	memset(&mh, 0, sizeof(mh));
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = (void *)(uintptr_t)payload;
	iov[1].iov_len = len;
	mh.msg_iov = iov;
	mh.msg_iovlen = len > 0 ? 2 : 1;
	if (fd != -1) {
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if ((size_t)n != sizeof(h) + len) {
		/* A SOCK_SEQPACKET record goes whole or not at all. */
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* Closes every descriptor an SCM_RIGHTS block holds. */
static void
close_rights(struct msghdr *mh)
{
	struct cmsghdr *c;
	size_t i, nfd;
	int fd;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
		    c->cmsg_len < CMSG_LEN(0))
			continue;
		nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfd; i++) {
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			(void)close(fd);
		}
	}
}

int
privmsg_recv(int sock, struct privmsg *m, char *err, size_t errlen)
{
	struct msghdr mh;
	struct iovec iov[2];
	union {
		struct cmsghdr	 align;
		/* Room for more than one, so that extras are seen and closed. */
		char		 buf[CMSG_SPACE(4 * sizeof(int))];
	} cm;
	struct cmsghdr *c;
	ssize_t n;
	int nctl = 0;

	m->fd = -1;
	memset(&mh, 0, sizeof(mh));
	memset(&cm, 0, sizeof(cm));
	iov[0].iov_base = &m->hdr;
	iov[0].iov_len = sizeof(m->hdr);
	iov[1].iov_base = m->payload;
	iov[1].iov_len = sizeof(m->payload);
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof(cm.buf);
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return PRIVMSG_AGAIN;
		snprintf(err, errlen, "recvmsg: %s", strerror(errno));
		return PRIVMSG_ERR;
	}
	if (n == 0 && mh.msg_controllen == 0)
		return PRIVMSG_EOF;

	if (mh.msg_flags & MSG_CTRUNC) {
		close_rights(&mh);
		snprintf(err, errlen, "control data truncated");
		return PRIVMSG_BAD;
	}
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET ||
		    c->cmsg_type != SCM_RIGHTS ||
		    c->cmsg_len != CMSG_LEN(sizeof(int)) || nctl++ > 0) {
			close_rights(&mh);
			m->fd = -1;
			snprintf(err, errlen, "unexpected control data");
			return PRIVMSG_BAD;
		}
		memcpy(&m->fd, CMSG_DATA(c), sizeof(int));
	}
	if (mh.msg_flags & MSG_TRUNC) {
		snprintf(err, errlen, "message over %zu bytes",
		    sizeof(m->hdr) + sizeof(m->payload));
		goto bad;
	}
	if ((size_t)n < sizeof(m->hdr)) {
		snprintf(err, errlen, "short message (%zd bytes)", n);
		goto bad;
	}
	if (m->hdr.len != (size_t)n - sizeof(m->hdr)) {
		snprintf(err, errlen, "length %u but %zu bytes came",
		    m->hdr.len, (size_t)n - sizeof(m->hdr));
		goto bad;
	}
	if (m->hdr.flags != 0) {
		snprintf(err, errlen, "flags 0x%x", m->hdr.flags);
		goto bad;
	}
	if (privmsg_check_name(m->hdr.tunnel, sizeof(m->hdr.tunnel)) == -1) {
		snprintf(err, errlen, "bad tunnel name");
		goto bad;
	}
	return PRIVMSG_OK;
bad:
	if (m->fd != -1) {
		(void)close(m->fd);
		m->fd = -1;
	}
	return PRIVMSG_BAD;
}
