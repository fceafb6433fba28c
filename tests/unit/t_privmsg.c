/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The framing between pptpcd's two processes (daemon/privmsg.c): a good
 * message with and without a descriptor, and every malformed record a
 * compromised engine could send instead -- lengths that disagree, a
 * short header, flags, a tunnel name without its NUL or with odd bytes,
 * a record too long, two descriptors, control data cut short -- each
 * refused with every descriptor that came closed.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "privmsg.h"

static void
pair(int sv[2])
{
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    sv) == 0);
}

static int
open_fds(void)
{
	int fd, n = 0;

	for (fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			n++;
	return n;
}

/* A raw record with n descriptors (of /dev/null) in one SCM_RIGHTS. */
static void
send_raw(int s, const void *buf, size_t len, int nfd)
{
	struct msghdr mh;
	struct iovec iov;
	union {
		struct cmsghdr	 align;
		char		 buf[CMSG_SPACE(16 * sizeof(int))];
	} cm;
	struct cmsghdr *c;
	int fds[16], i;

	ATF_REQUIRE(nfd <= 16);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfd > 0) {
		for (i = 0; i < nfd; i++)
			ATF_REQUIRE((fds[i] = open("/dev/null", O_RDONLY)) !=
			    -1);
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = CMSG_SPACE(nfd * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfd * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfd * sizeof(int));
	}
	ATF_REQUIRE(sendmsg(s, &mh, 0) == (ssize_t)len);
	for (i = 0; i < nfd; i++)
		close(fds[i]);
}

static void
hdr(struct privmsg_hdr *h, uint16_t type, uint32_t len, const char *name)
{
	memset(h, 0, sizeof(*h));
	h->type = type;
	h->len = len;
	snprintf(h->tunnel, sizeof(h->tunnel), "%s", name);
}

/* What privmsg_recv() says of one raw record, fds checked. */
static int
recv_raw(const void *buf, size_t len, int nfd, char *err, size_t errlen)
{
	struct privmsg m;
	int sv[2], before, r;

	pair(sv);
	before = open_fds();
	send_raw(sv[0], buf, len, nfd);
	r = privmsg_recv(sv[1], &m, err, errlen);
	if (r != PRIVMSG_OK)
		ATF_CHECK_EQ(m.fd, -1);
	else if (m.fd != -1)
		close(m.fd);
	/* Nothing that came stays open. */
	ATF_CHECK_EQ(open_fds(), before);
	close(sv[0]);
	close(sv[1]);
	return r;
}

ATF_TC_WITHOUT_HEAD(round_trip);
ATF_TC_BODY(round_trip, tc)
{
	struct privmsg m;
	char err[128], payload[] = "hello";
	int sv[2], fd;

	pair(sv);
	ATF_REQUIRE(privmsg_send(sv[0], 7, "office", payload,
	    sizeof(payload), -1) == 0);
	ATF_REQUIRE_EQ(privmsg_recv(sv[1], &m, err, sizeof(err)), PRIVMSG_OK);
	ATF_CHECK_EQ(m.hdr.type, 7);
	ATF_CHECK_EQ(m.hdr.len, sizeof(payload));
	ATF_CHECK_STREQ(m.hdr.tunnel, "office");
	ATF_CHECK(memcmp(m.payload, payload, sizeof(payload)) == 0);
	ATF_CHECK_EQ(m.fd, -1);

	ATF_REQUIRE((fd = open("/dev/null", O_RDONLY)) != -1);
	ATF_REQUIRE(privmsg_send(sv[0], 8, NULL, NULL, 0, fd) == 0);
	close(fd);
	ATF_REQUIRE_EQ(privmsg_recv(sv[1], &m, err, sizeof(err)), PRIVMSG_OK);
	ATF_CHECK_EQ(m.hdr.len, 0);
	ATF_CHECK_STREQ(m.hdr.tunnel, "");
	ATF_REQUIRE(m.fd != -1);
	/* Close-on-exec: a script the parent runs must not inherit it. */
	ATF_CHECK(fcntl(m.fd, F_GETFD) & FD_CLOEXEC);
	close(m.fd);

	close(sv[0]);
	ATF_CHECK_EQ(privmsg_recv(sv[1], &m, err, sizeof(err)), PRIVMSG_EOF);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(send_limits);
ATF_TC_BODY(send_limits, tc)
{
	static char big[PRIVMSG_PAYLOAD_MAX + 1];
	int sv[2];

	pair(sv);
	errno = 0;
	ATF_CHECK(privmsg_send(sv[0], 1, NULL, big, sizeof(big), -1) == -1);
	ATF_CHECK_EQ(errno, EMSGSIZE);
	errno = 0;
	ATF_CHECK(privmsg_send(sv[0], 1, "a-name-too-long-for-it", NULL, 0,
	    -1) == -1);
	ATF_CHECK_EQ(errno, EINVAL);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(length_mismatch);
ATF_TC_BODY(length_mismatch, tc)
{
	struct {
		struct privmsg_hdr h;
		char		 p[8];
	} rec;
	char err[128];

	/* Says 9 bytes follow, 8 do; says 7, 8 do; with a descriptor too. */
	hdr(&rec.h, 2, 9, "office");
	ATF_CHECK_EQ(recv_raw(&rec, sizeof(rec), 0, err, sizeof(err)),
	    PRIVMSG_BAD);
	ATF_CHECK(strstr(err, "length") != NULL);
	hdr(&rec.h, 2, 7, "office");
	ATF_CHECK_EQ(recv_raw(&rec, sizeof(rec), 1, err, sizeof(err)),
	    PRIVMSG_BAD);
	/* Exact: accepted. */
	hdr(&rec.h, 2, 8, "office");
	ATF_CHECK_EQ(recv_raw(&rec, sizeof(rec), 0, err, sizeof(err)),
	    PRIVMSG_OK);
}

ATF_TC_WITHOUT_HEAD(short_header);
ATF_TC_BODY(short_header, tc)
{
	struct privmsg_hdr h;
	char err[128];
	size_t n;

	hdr(&h, 2, 0, "office");
	for (n = 1; n < sizeof(h); n++)
		ATF_CHECK_EQ(recv_raw(&h, n, n == 5 ? 1 : 0, err,
		    sizeof(err)), PRIVMSG_BAD);
}

ATF_TC_WITHOUT_HEAD(flags_and_names);
ATF_TC_BODY(flags_and_names, tc)
{
	struct privmsg_hdr h;
	char err[128];

	hdr(&h, 2, 0, "office");
	h.flags = 1;
	ATF_CHECK_EQ(recv_raw(&h, sizeof(h), 0, err, sizeof(err)),
	    PRIVMSG_BAD);
	/* No NUL within the field. */
	hdr(&h, 2, 0, "");
	memset(h.tunnel, 'a', sizeof(h.tunnel));
	ATF_CHECK_EQ(recv_raw(&h, sizeof(h), 1, err, sizeof(err)),
	    PRIVMSG_BAD);
	/* Characters no tunnel name has: path and log tricks. */
	hdr(&h, 2, 0, "../etc");
	ATF_CHECK_EQ(recv_raw(&h, sizeof(h), 0, err, sizeof(err)),
	    PRIVMSG_BAD);
	hdr(&h, 2, 0, "a\nb");
	ATF_CHECK_EQ(recv_raw(&h, sizeof(h), 0, err, sizeof(err)),
	    PRIVMSG_BAD);
	/* Bytes after the NUL are not looked at, but the name is whole. */
	hdr(&h, 2, 0, "ok_name-1");
	ATF_CHECK_EQ(recv_raw(&h, sizeof(h), 0, err, sizeof(err)),
	    PRIVMSG_OK);
}

ATF_TC_WITHOUT_HEAD(too_long);
ATF_TC_BODY(too_long, tc)
{
	static struct {
		struct privmsg_hdr h;
		char		 p[PRIVMSG_PAYLOAD_MAX + 16];
	} rec;
	char err[128];

	hdr(&rec.h, 2, PRIVMSG_PAYLOAD_MAX + 16, "office");
	ATF_CHECK_EQ(recv_raw(&rec, sizeof(rec), 1, err, sizeof(err)),
	    PRIVMSG_BAD);
}

ATF_TC_WITHOUT_HEAD(descriptors);
ATF_TC_BODY(descriptors, tc)
{
	struct privmsg_hdr h;
	char err[128];

	hdr(&h, 2, 0, "office");
	/* Two in one message: both closed, the message refused. */
	ATF_CHECK_EQ(recv_raw(&h, sizeof(h), 2, err, sizeof(err)),
	    PRIVMSG_BAD);
	/* More than the control buffer holds: MSG_CTRUNC, refused. */
	ATF_CHECK_EQ(recv_raw(&h, sizeof(h), 16, err, sizeof(err)),
	    PRIVMSG_BAD);
	ATF_CHECK(strstr(err, "truncated") != NULL ||
	    strstr(err, "control") != NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, round_trip);
	ATF_TP_ADD_TC(tp, send_limits);
	ATF_TP_ADD_TC(tp, length_mismatch);
	ATF_TP_ADD_TC(tp, short_header);
	ATF_TP_ADD_TC(tp, flags_and_names);
	ATF_TP_ADD_TC(tp, too_long);
	ATF_TP_ADD_TC(tp, descriptors);
	return atf_no_error();
}
