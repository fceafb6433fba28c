/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * For the unit tests that build network state of their own (t_*-linux):
 * a private network namespace, and addresses written the way they read.
 */
#ifndef PPTPC_NETNS_H
#define PPTPC_NETNS_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include <atf-c.h>

/* An atf-c test case that needs root (for its namespace). */
#define ROOT_TC(name, descr)						\
	ATF_TC(name);							\
	ATF_TC_HEAD(name, tc)						\
	{								\
		atf_tc_set_md_var(tc, "descr", descr);			\
		atf_tc_set_md_var(tc, "require.user", "root");		\
	}								\
	ATF_TC_BODY(name, tc)

/* A dotted quad, or the test fails: a typo must not become 0.0.0.0. */
struct in_addr	 test_inaddr(const char *);

/*
 * Moves the calling test into a network namespace of its own, with lo up
 * and IPv6 off (no router solicitations or MLD on its devices).  Skips
 * the test without root.
 */
void		 test_netns_enter(void);

/* The Internet checksum (RFC 1071) of p[0..n), for packets tests make. */
uint16_t	 test_inet_cksum(const uint8_t *p, size_t n);

/* Writes v to a /proc/sys file, best effort (it may not exist). */
void		 test_write_proc(const char *path, const char *v);

#endif /* PPTPC_NETNS_H */
