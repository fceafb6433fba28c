/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * MPPE allocates nothing per packet, libcrypto included: every
 * allocation libcrypto makes goes through counting functions
 * (CRYPTO_set_mem_functions(), which works only before libcrypto's
 * first allocation, hence a program of its own), and a run of packets
 * through mppe_tx_encrypt() and mppe_rx_decrypt() must not move the
 * count.  OpenSSL 3.0's EVP_DigestInit_ex() allocated once per key
 * change (crypto.c).
 */
#include <atf-c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto.h"
#include "mppe.h"

#define DATA_LEN	1400
#define RUN		600	/* more than two stateful flag packets */

/* Written by libcrypto's allocator hooks, read by the test: the case's. */
static unsigned long	allocs;

static void *
count_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	allocs++;
	return malloc(n);
}

static void *
count_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	allocs++;
	return realloc(p, n);
}

static void
count_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

/* 00 21 and an IPv4 header with its checksum: what the receiver keeps. */
static void
ipv4_frame(uint8_t *p, size_t len)
{
	uint8_t *ip = p + 2;
	uint32_t sum = 0;
	size_t i;

	memset(p, 0x5a, len);
	p[0] = 0x00;
	p[1] = 0x21;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (uint8_t)((len - 2) >> 8);
	ip[3] = (uint8_t)(len - 2);
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
}

static void
run(int stateless)
{
	static const uint8_t start[16] = {
		0xd5, 0xf0, 0xe9, 0x52, 0x1e, 0x3e, 0xa9, 0x58,
		0x96, 0x45, 0xe8, 0x60, 0x51, 0xc8, 0x22, 0x26,
	};
	uint8_t pkt[MPPE_HDRLEN + DATA_LEN];
	struct mppe_tx *tx;
	struct mppe_rx *rx;
	unsigned long before;
	char err[256];
	int i;

	ATF_REQUIRE_MSG(CRYPTO_set_mem_functions(count_malloc, count_realloc,
	    count_free) == 1, "libcrypto allocated before the test");
	ATF_REQUIRE_MSG(crypto_init(err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE((tx = mppe_tx_new(start, 128, stateless)) != NULL);
	ATF_REQUIRE((rx = mppe_rx_new(start, 128, stateless)) != NULL);
	/* The first packet may set up what libcrypto keeps for good. */
	ipv4_frame(pkt + MPPE_HDRLEN, DATA_LEN);
	ATF_REQUIRE(mppe_tx_encrypt(tx, pkt, sizeof(pkt)) == 0);
	ATF_REQUIRE_EQ(mppe_rx_decrypt(rx, pkt, sizeof(pkt)), MPPE_OK);
	before = allocs;
	for (i = 0; i < RUN; i++) {
		ipv4_frame(pkt + MPPE_HDRLEN, DATA_LEN);
		ATF_REQUIRE(mppe_tx_encrypt(tx, pkt, sizeof(pkt)) == 0);
		ATF_REQUIRE_EQ(mppe_rx_decrypt(rx, pkt, sizeof(pkt)),
		    MPPE_OK);
	}
	ATF_CHECK_EQ_MSG(allocs, before, "%lu allocations in %d packets",
	    allocs - before, RUN);
	ATF_CHECK_EQ(mppe_rx_stats(rx)->packets, RUN + 1);
	mppe_tx_free(tx);
	mppe_rx_free(rx);
}

ATF_TC_WITHOUT_HEAD(stateless_allocates_nothing);
ATF_TC_BODY(stateless_allocates_nothing, tc)
{
	run(1);
}

ATF_TC_WITHOUT_HEAD(stateful_allocates_nothing);
ATF_TC_BODY(stateful_allocates_nothing, tc)
{
	run(0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, stateless_allocates_nothing);
	ATF_TP_ADD_TC(tp, stateful_allocates_nothing);
	return atf_no_error();
}
