/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A tunnel's own sockets on Linux (daemon/wansock-linux.c), in a network
 * namespace of the test's own: the bind to local-address and its error,
 * the mark, the refusal of rtables, and the GRE socket that sends but
 * never receives (the shared raw socket gets every GRE packet already;
 * a second copy of each would reach the data path twice).
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <atf-c.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "wansock.h"

ROOT_TC(tcp_local_address, "local-address: bound before connect; an "
    "address the host lacks is named as such")
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	char err[WANSOCK_ERR_MAX];
	int fd;

	test_netns_enter();
	ATF_CHECK_EQ(wansock_tcp(0, 0, test_inaddr("198.18.5.5"), err,
	    sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EADDRNOTAVAIL);
	ATF_CHECK_STREQ(err, "local-address 198.18.5.5 is not an address "
	    "of this host");

	fd = wansock_tcp(0, 0, test_inaddr("127.0.0.1"), err, sizeof(err));
	ATF_REQUIRE_MSG(fd != -1, "%s", err);
	ATF_REQUIRE(getsockname(fd, (struct sockaddr *)&sin, &slen) == 0);
	ATF_CHECK_EQ(sin.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	close(fd);
}

ROOT_TC(tcp_mark, "fwmark: SO_MARK on the socket; no rtables on Linux")
{
	char err[WANSOCK_ERR_MAX];
	uint32_t mark = 0;
	socklen_t len = sizeof(mark);
	int fd;

	test_netns_enter();
	fd = wansock_tcp(101, 0, test_inaddr("0.0.0.0"), err, sizeof(err));
	ATF_REQUIRE_MSG(fd != -1, "%s", err);
	ATF_REQUIRE(getsockopt(fd, SOL_SOCKET, SO_MARK, &mark, &len) == 0);
	ATF_CHECK_EQ(mark, 101);
	close(fd);

	ATF_CHECK_EQ(wansock_tcp(0, 3, test_inaddr("0.0.0.0"), err,
	    sizeof(err)), -1);
	ATF_CHECK_EQ(errno, EOPNOTSUPP);
	ATF_CHECK(wansock_gre_needed(101, 0));
	ATF_CHECK(!wansock_gre_needed(0, 0));
}

/* Whether fd has a packet waiting; the loopback delivers at once. */
static int
readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 200) == 1;
}

ROOT_TC(gre_send_only, "a tunnel's own GRE socket sends, marked, and "
    "receives nothing: the shared socket alone reads GRE")
{
	/* Enhanced GRE, no payload: flags K, version 1, PPP, call 7. */
	static const uint8_t pkt[8] = { 0x20, 0x01, 0x88, 0x0b, 0, 0, 0, 7 };
	struct sockaddr_in to;
	char err[WANSOCK_ERR_MAX];
	uint8_t buf[256];
	uint32_t mark = 0;
	socklen_t len = sizeof(mark);
	int shared, own;

	test_netns_enter();
	ATF_REQUIRE((shared = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK,
	    IPPROTO_GRE)) != -1);
	own = wansock_gre(102, 0, test_inaddr("127.0.0.1"), err,
	    sizeof(err));
	ATF_REQUIRE_MSG(own != -1, "%s", err);
	ATF_REQUIRE(getsockopt(own, SOL_SOCKET, SO_MARK, &mark, &len) == 0);
	ATF_CHECK_EQ(mark, 102);

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ATF_REQUIRE(sendto(own, pkt, sizeof(pkt), 0, (struct sockaddr *)&to,
	    sizeof(to)) == (ssize_t)sizeof(pkt));
	ATF_CHECK_MSG(readable(shared), "the shared socket got nothing");
	ATF_CHECK(recv(shared, buf, sizeof(buf), 0) > 0);
	ATF_CHECK_MSG(!readable(own), "the tunnel's own socket got a copy");
	close(own);
	close(shared);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, tcp_local_address);
	ATF_TP_ADD_TC(tp, tcp_mark);
	ATF_TP_ADD_TC(tp, gre_send_only);
	return atf_no_error();
}
