/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Network namespace helpers for the unit tests (see netns.h).
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "buf.h"
#include "netns.h"
#include "tun.h"

struct in_addr
test_inaddr(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		atf_tc_fail("bad address %s in the test", s);
	return a;
}

void
test_write_proc(const char *path, const char *v)
{
	int fd;

	/* Best effort: a kernel without IPv6 has no such file. */
	if ((fd = open(path, O_WRONLY)) == -1)
		return;
	(void)!write(fd, v, strlen(v));
	close(fd);
}

void
test_netns_enter(void)
{
	char err[256];

	if (geteuid() != 0)
		atf_tc_skip("needs root for a network namespace");
	ATF_REQUIRE_MSG(unshare(CLONE_NEWNET) == 0, "unshare: %s",
	    strerror(errno));
	test_write_proc("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	test_write_proc("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	ATF_REQUIRE_MSG(iface_set_up("lo", 1, err, sizeof(err)) == 0, "%s",
	    err);
}

uint16_t
test_inet_cksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += get_be16(p + i);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
