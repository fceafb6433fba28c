/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * fake-dns ADDR ANSWER: a name server for the e2e tests, on ADDR port 53
 * (UDP), that answers every A query with ANSWER and every other query
 * with no record, and prints "query NAME" for each on stdout, so that a
 * test sees which server pptpcd asked.  Only what evdns sends is
 * understood; anything shorter than a header is dropped.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The question's name as text, or "?" if it does not parse. */
static void
qname(const uint8_t *q, size_t n, size_t end, char *out, size_t size)
{
	size_t off, o = 0;

	for (off = 12; off < end && q[off] != 0; off += q[off] + 1) {
		if (off + 1 + q[off] > n || o + q[off] + 2 > size) {
			snprintf(out, size, "?");
			return;
		}
		if (o > 0)
			out[o++] = '.';
		memcpy(out + o, q + off + 1, q[off]);
		o += q[off];
	}
	out[o] = '\0';
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in sin, from;
	struct in_addr answer;
	socklen_t fromlen;
	uint8_t q[512], r[600];
	char name[256];
	ssize_t n;
	size_t off, qend;
	uint16_t qtype;
	int fd;

	if (argc != 3 || inet_pton(AF_INET, argv[2], &answer) != 1) {
		fprintf(stderr, "usage: fake-dns address answer\n");
		return 2;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(53);
	if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1 ||
	    (fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		perror("fake-dns");
		return 1;
	}
	printf("listening on %s\n", argv[1]);
	fflush(stdout);
	for (;;) {
		fromlen = sizeof(from);
		if ((n = recvfrom(fd, q, sizeof(q), 0,
		    (struct sockaddr *)&from, &fromlen)) < 12)
			continue;
		/* The question: labels up to the root, type and class. */
		for (off = 12; off < (size_t)n && q[off] != 0;
		    off += q[off] + 1)
			;
		if (off + 5 > (size_t)n)
			continue;
		qend = off + 5;
		qname(q, (size_t)n, off, name, sizeof(name));
		printf("query %s\n", name);
		fflush(stdout);
		qtype = (uint16_t)(q[off + 1] << 8 | q[off + 2]);
		memcpy(r, q, qend);
		r[2] = 0x81;		/* response, recursion desired */
		r[3] = 0x80;		/* recursion available, no error */
		r[6] = 0;
		r[7] = qtype == 1 ? 1 : 0;
		memset(r + 8, 0, 4);
		off = qend;
		if (qtype == 1) {
			static const uint8_t rr[] = { 0xc0, 0x0c, 0, 1, 0, 1,
			    0, 0, 0, 60, 0, 4 };

			memcpy(r + off, rr, sizeof(rr));
			off += sizeof(rr);
			memcpy(r + off, &answer, 4);
			off += 4;
		}
		(void)sendto(fd, r, off, 0, (struct sockaddr *)&from,
		    fromlen);
	}
}
