/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * MPPE throughput on one core, per second of CPU time: 1400-byte packets
 * through mppe_tx_encrypt() and mppe_rx_decrypt(), 128-bit stateless (a
 * key change per packet) and stateful, beside the raw RC4 speed of the
 * same libcrypto over the same bytes with one key and no rekeying,
 * measured in the same run.
 *
 * usage: mppe_bench [seconds per figure, default 2]
 *
 * It prints figures and never fails on a time.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "crypto.h"
#include "mppe.h"

#define DATA_LEN	1400
#define PKT_LEN		(MPPE_HDRLEN + DATA_LEN)
#define RING		4096	/* one turn of the coherency count */
#define ROUNDS		4

/*
 * The CPU time of this process, not the wall clock: the figures are
 * what one core does per second of its own work, so that other load on
 * a shared machine slows the run without changing them, and pptpcd's
 * CPU seconds per GB (bench/e2e.sh) can be set against them.
 */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const uint8_t start_key[16] = {
	0xd5, 0xf0, 0xe9, 0x52, 0x1e, 0x3e, 0xa9, 0x58,
	0x96, 0x45, 0xe8, 0x60, 0x51, 0xc8, 0x22, 0x26,
};

/* 00 21 and an IPv4 header with its checksum, DATA_LEN bytes in all. */
static void
ipv4_frame(uint8_t *p)
{
	uint8_t *ip = p + 2;
	uint32_t sum = 0;
	int i;

	p[0] = 0x00;
	p[1] = 0x21;
	ip[0] = 0x45;
	ip[2] = (DATA_LEN - 2) >> 8;
	ip[3] = (DATA_LEN - 2) & 0xff;
	ip[10] = ip[11] = 0;
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
}

static double
bench_raw_rc4(uint8_t *ring, double secs)
{
	struct crypto_rc4 *r;
	double t0, t;
	uint64_t n = 0;
	int i;

	if ((r = crypto_rc4_new()) == NULL ||
	    crypto_rc4_setkey(r, start_key, 16) == -1) {
		fprintf(stderr, "mppe_bench: RC4 setup failed\n");
		exit(1);
	}
	t0 = now();
	do {
		/* The very bytes (and alignment) the encrypt figure uses. */
		for (i = 0; i < 256; i++)
			if (crypto_rc4_xor(r, ring + (size_t)i * PKT_LEN +
			    MPPE_HDRLEN, ring + (size_t)i * PKT_LEN + MPPE_HDRLEN,
			    DATA_LEN) == -1) {
				fprintf(stderr, "mppe_bench: RC4 failed\n");
				exit(1);
			}
		n += 256;
	} while ((t = now() - t0) < secs);
	crypto_rc4_free(r);
	return n / t;
}

static double
bench_encrypt(uint8_t *ring, int stateless, double secs)
{
	struct mppe_tx *tx;
	double t0, t;
	uint64_t n = 0;
	int i;

	if ((tx = mppe_tx_new(start_key, 128, stateless)) == NULL) {
		fprintf(stderr, "mppe_bench: mppe_tx_new failed\n");
		exit(1);
	}
	t0 = now();
	do {
		for (i = 0; i < 256; i++)
			if (mppe_tx_encrypt(tx, ring + (size_t)i * PKT_LEN,
			    PKT_LEN) == -1) {
				fprintf(stderr, "mppe_bench: encrypt failed\n");
				exit(1);
			}
		n += 256;
	} while ((t = now() - t0) < secs);
	mppe_tx_free(tx);
	return n / t;
}

static double
bench_decrypt(uint8_t *ring, int stateless, double secs)
{
	struct mppe_tx *tx;
	struct mppe_rx *rx;
	double t = 0, t0;
	uint64_t n = 0;
	int i;

	if ((tx = mppe_tx_new(start_key, 128, stateless)) == NULL ||
	    (rx = mppe_rx_new(start_key, 128, stateless)) == NULL) {
		fprintf(stderr, "mppe_bench: mppe_*_new failed\n");
		exit(1);
	}
	/*
	 * A turn of the count is encrypted untimed, then decrypted timed.
	 * The plaintexts are made afresh (the encrypt figures leave
	 * ciphertext behind): the receiver takes only IPv4 frames.
	 */
	while (t < secs) {
		for (i = 0; i < RING; i++)
			ipv4_frame(ring + (size_t)i * PKT_LEN + MPPE_HDRLEN);
		for (i = 0; i < RING; i++)
			if (mppe_tx_encrypt(tx, ring + (size_t)i * PKT_LEN,
			    PKT_LEN) == -1) {
				fprintf(stderr, "mppe_bench: encrypt failed\n");
				exit(1);
			}
		t0 = now();
		for (i = 0; i < RING; i++)
			if (mppe_rx_decrypt(rx, ring + (size_t)i * PKT_LEN,
			    PKT_LEN) != MPPE_OK) {
				fprintf(stderr, "mppe_bench: packet %d did not "
				    "decrypt\n", i);
				exit(1);
			}
		t += now() - t0;
		n += RING;
	}
	mppe_tx_free(tx);
	mppe_rx_free(rx);
	return n / t;
}

int
main(int argc, char *argv[])
{
	static const char *keys[5] = {
		"rc4", "stateless_encrypt", "stateless_decrypt",
		"stateful_encrypt", "stateful_decrypt",
	};
	static const char *names[5] = {
		"raw RC4, one key",
		"MPPE-128 stateless encrypt",
		"MPPE-128 stateless decrypt",
		"MPPE-128 stateful encrypt",
		"MPPE-128 stateful decrypt",
	};
	double best[5] = { 0 }, pps, secs = 2.0, slice;
	uint8_t *ring;
	char err[256];
	const char *csv;
	FILE *fp;
	int i, round;

	if (argc > 1 && ((secs = strtod(argv[1], NULL)) <= 0 || secs > 60)) {
		fprintf(stderr, "usage: mppe_bench [seconds per figure]\n");
		return 2;
	}
	if (crypto_init(err, sizeof(err)) == -1) {
		fprintf(stderr, "mppe_bench: %s\n", err);
		return 1;
	}
	if ((ring = calloc(RING, PKT_LEN)) == NULL) {
		fprintf(stderr, "mppe_bench: out of memory\n");
		return 1;
	}
	for (i = 0; i < RING * PKT_LEN; i++)
		ring[i] = (uint8_t)i;

	/*
	 * The figures are taken in interleaved slices and the best slice of
	 * each is kept, so that a burst of other work on a shared machine
	 * spoils one slice rather than one figure, and the ratios compare
	 * like with like.
	 */
	slice = secs / ROUNDS;
	for (round = 0; round < ROUNDS; round++) {
		for (i = 0; i < 5; i++) {
			switch (i) {
			case 0:
				pps = bench_raw_rc4(ring, slice);
				break;
			case 1:
			case 3:
				pps = bench_encrypt(ring, i == 1, slice);
				break;
			default:
				pps = bench_decrypt(ring, i == 2, slice);
				break;
			}
			if (pps > best[i])
				best[i] = pps;
		}
	}

	printf("MPPE, %d-byte packets, one core, %s\n", DATA_LEN,
	    OpenSSL_version(OPENSSL_VERSION));
	printf("best of %d slices of %.2f s per figure\n", ROUNDS, slice);
	printf("%-28s %12s %10s %8s\n", "", "packets/s", "MB/s", "vs RC4");
	for (i = 0; i < 5; i++)
		printf("%-28s %12.0f %10.1f %8.2f\n", names[i], best[i],
		    best[i] * DATA_LEN / 1e6, best[i] / best[0]);
	/* bench/run.sh collects every figure in one CSV file for its plot. */
	if ((csv = getenv("BENCH_CSV")) != NULL && csv[0] != '\0') {
		if ((fp = fopen(csv, "a")) == NULL)
			fprintf(stderr, "mppe_bench: %s: %s\n", csv,
			    strerror(errno));
		else {
			for (i = 0; i < 5; i++)
				fprintf(fp, "mppe,%s_mbyte_s,%.1f,MB/s,\n",
				    keys[i], best[i] * DATA_LEN / 1e6);
			fclose(fp);
		}
	}
	free(ring);
	return 0;
}
