/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/* Unit tests for the enhanced GRE codec and the IPv4 header check. */
#include <arpa/inet.h>
#include <atf-c.h>
#include <stdint.h>
#include <string.h>

#include "gre.h"

/* RFC 2637 §4.1 shapes, doc/vectors.md §5.6. */
static const uint8_t data_noack[] = {
	0x30, 0x01, 0x88, 0x0b, 0x00, 0x03, 0x12, 0x34,
	0x00, 0x00, 0x00, 0x07, 0xff, 0x03, 0xc0,
};
static const uint8_t data_ack[] = {
	0x30, 0x81, 0x88, 0x0b, 0x00, 0x02, 0x12, 0x34,
	0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x05, 0xc0, 0x21,
};
static const uint8_t ack_only[] = {
	0x20, 0x81, 0x88, 0x0b, 0x00, 0x00, 0x12, 0x34,
	0x00, 0x00, 0x00, 0x05,
};

ATF_TC_WITHOUT_HEAD(encode_three_shapes);
ATF_TC_BODY(encode_three_shapes, tc)
{
	struct gre_hdr h;
	uint8_t out[GRE_HDR_MAX];

	memset(&h, 0, sizeof(h));
	h.call_id = 0x1234;
	h.has_seq = 1;
	h.seq = 7;
	h.payload_len = 3;
	ATF_REQUIRE_EQ(gre_encode_hdr(out, sizeof(out), &h), 12);
	ATF_CHECK(memcmp(out, data_noack, 12) == 0);

	h.has_ack = 1;
	h.ack = 5;
	h.payload_len = 2;
	ATF_REQUIRE_EQ(gre_encode_hdr(out, sizeof(out), &h), 16);
	ATF_CHECK(memcmp(out, data_ack, 16) == 0);

	memset(&h, 0, sizeof(h));
	h.call_id = 0x1234;
	h.has_ack = 1;
	h.ack = 5;
	ATF_REQUIRE_EQ(gre_encode_hdr(out, sizeof(out), &h), 12);
	ATF_CHECK(memcmp(out, ack_only, sizeof(ack_only)) == 0);

	ATF_CHECK_EQ(gre_hdr_len(0, 0), 8);
	ATF_CHECK_EQ(gre_hdr_len(1, 0), 12);
	ATF_CHECK_EQ(gre_hdr_len(0, 1), 12);
	ATF_CHECK_EQ(gre_hdr_len(1, 1), 16);
}

ATF_TC_WITHOUT_HEAD(encode_refuses);
ATF_TC_BODY(encode_refuses, tc)
{
	struct gre_hdr h;
	uint8_t out[GRE_HDR_MAX];

	memset(&h, 0, sizeof(h));
	h.has_seq = 1;
	h.has_ack = 1;
	/* Too small a buffer, at every size. */
	for (size_t cap = 0; cap < 16; cap++)
		ATF_CHECK_EQ(gre_encode_hdr(out, cap, &h), 0);
	/* Neither field, or a payload without a sequence number. */
	h.has_seq = h.has_ack = 0;
	ATF_CHECK_EQ(gre_encode_hdr(out, sizeof(out), &h), 0);
	h.has_ack = 1;
	h.payload_len = 1;
	ATF_CHECK_EQ(gre_encode_hdr(out, sizeof(out), &h), 0);
}

ATF_TC_WITHOUT_HEAD(decode_three_shapes);
ATF_TC_BODY(decode_three_shapes, tc)
{
	struct gre_hdr h;

	ATF_REQUIRE_EQ(gre_decode(data_noack, sizeof(data_noack), &h), GRE_OK);
	ATF_CHECK(h.has_seq && !h.has_ack);
	ATF_CHECK_EQ(h.seq, 7);
	ATF_CHECK_EQ(h.call_id, 0x1234);
	ATF_CHECK_EQ(h.payload_len, 3);
	ATF_CHECK_EQ(h.hdr_len, 12);

	ATF_REQUIRE_EQ(gre_decode(data_ack, sizeof(data_ack), &h), GRE_OK);
	ATF_CHECK(h.has_seq && h.has_ack);
	ATF_CHECK_EQ(h.seq, 7);
	ATF_CHECK_EQ(h.ack, 5);
	ATF_CHECK_EQ(h.payload_len, 2);
	ATF_CHECK_EQ(h.hdr_len, 16);

	/* The ack of an ack-only packet sits where the sequence would. */
	ATF_REQUIRE_EQ(gre_decode(ack_only, sizeof(ack_only), &h), GRE_OK);
	ATF_CHECK(!h.has_seq && h.has_ack);
	ATF_CHECK_EQ(h.ack, 5);
	ATF_CHECK_EQ(h.seq, 0);
	ATF_CHECK_EQ(h.payload_len, 0);
	ATF_CHECK_EQ(h.hdr_len, 12);
}

ATF_TC_WITHOUT_HEAD(decode_truncated);
ATF_TC_BODY(decode_truncated, tc)
{
	struct gre_hdr h;
	size_t n;

	/* Every cut inside the header is short; inside the payload, long. */
	for (n = 0; n < sizeof(data_ack); n++) {
		enum gre_err e = gre_decode(data_ack, n, &h);

		if (n < 16)
			ATF_CHECK_EQ_MSG(e, GRE_E_SHORT, "cut at %zu", n);
		else
			ATF_CHECK_EQ_MSG(e, GRE_E_LENGTH, "cut at %zu", n);
	}
	for (n = 0; n < sizeof(ack_only); n++)
		ATF_CHECK_EQ(gre_decode(ack_only, n, &h), GRE_E_SHORT);
	for (n = 0; n < 12; n++)
		ATF_CHECK_EQ(gre_decode(data_noack, n, &h), GRE_E_SHORT);
}

ATF_TC_WITHOUT_HEAD(decode_payload_length_lies);
ATF_TC_BODY(decode_payload_length_lies, tc)
{
	uint8_t p[sizeof(data_noack) + 4];
	struct gre_hdr h;

	memcpy(p, data_noack, sizeof(data_noack));
	/* One more than present, and the largest the field can say. */
	p[4] = 0x00;
	p[5] = 0x04;
	ATF_CHECK_EQ(gre_decode(p, sizeof(data_noack), &h), GRE_E_LENGTH);
	p[4] = p[5] = 0xff;
	ATF_CHECK_EQ(gre_decode(p, sizeof(data_noack), &h), GRE_E_LENGTH);
	/* Fewer than present: link padding after the payload is ignored. */
	p[4] = 0x00;
	p[5] = 0x01;
	ATF_REQUIRE_EQ(gre_decode(p, sizeof(p), &h), GRE_OK);
	ATF_CHECK_EQ(h.payload_len, 1);
	/* Zero is a valid (if useless) data packet. */
	p[5] = 0x00;
	ATF_CHECK_EQ(gre_decode(p, 12, &h), GRE_OK);

	/* An ack-only packet that claims a payload has no sequence for it. */
	memcpy(p, ack_only, sizeof(ack_only));
	p[5] = 0x01;
	ATF_CHECK_EQ(gre_decode(p, sizeof(ack_only) + 1, &h), GRE_E_NOSEQ);
}

ATF_TC_WITHOUT_HEAD(decode_bad_flags_version_protocol);
ATF_TC_BODY(decode_bad_flags_version_protocol, tc)
{
	static const uint16_t badflags[] = {
		GRE_FL_C, GRE_FL_R, GRE_FL_SSR, 0x0100, 0x0200, 0x0400,
		0x0008, 0x0010, 0x0020, 0x0040,
	};
	uint8_t p[sizeof(data_ack)];
	struct gre_hdr h;
	uint16_t fl;
	size_t i;

	for (i = 0; i < sizeof(badflags) / sizeof(badflags[0]); i++) {
		memcpy(p, data_ack, sizeof(p));
		fl = 0x3081 | badflags[i];
		p[0] = fl >> 8;
		p[1] = fl & 0xff;
		ATF_CHECK_EQ_MSG(gre_decode(p, sizeof(p), &h), GRE_E_FLAGS,
		    "flag %#x", badflags[i]);
	}

	memcpy(p, data_ack, sizeof(p));
	p[0] &= ~0x20;				/* K clear */
	ATF_CHECK_EQ(gre_decode(p, sizeof(p), &h), GRE_E_NOKEY);

	for (i = 0; i < 8; i++) {
		if (i == 1)
			continue;
		memcpy(p, data_ack, sizeof(p));
		p[1] = (p[1] & ~0x07) | i;
		ATF_CHECK_EQ_MSG(gre_decode(p, sizeof(p), &h), GRE_E_VERSION,
		    "version %zu", i);
	}

	memcpy(p, data_ack, sizeof(p));
	p[2] = 0x08;				/* 0x080B */
	ATF_CHECK_EQ(gre_decode(p, sizeof(p), &h), GRE_E_PROTO);
	p[2] = 0x88;
	p[3] = 0x0c;
	ATF_CHECK_EQ(gre_decode(p, sizeof(p), &h), GRE_E_PROTO);

	memcpy(p, data_ack, sizeof(p));
	p[0] = 0x20;				/* K only: no S */
	p[1] = 0x01;				/* no A */
	ATF_CHECK_EQ(gre_decode(p, sizeof(p), &h), GRE_E_EMPTY);
}

/* A 20-byte IPv4 header from 192.0.2.1 to 198.51.100.2, protocol 47. */
static void
ipv4_hdr(uint8_t *p, size_t totlen)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = totlen >> 8;
	p[3] = totlen & 0xff;
	p[6] = 0x40;				/* DF: allowed */
	p[8] = 64;
	p[9] = 47;
	p[12] = 192; p[13] = 0; p[14] = 2; p[15] = 1;
	p[16] = 198; p[17] = 51; p[18] = 100; p[19] = 2;
}

ATF_TC_WITHOUT_HEAD(ipv4_good);
ATF_TC_BODY(ipv4_good, tc)
{
	uint8_t p[64];
	struct in_addr src;
	size_t off, len;

	ipv4_hdr(p, 20 + sizeof(ack_only));
	memcpy(p + 20, ack_only, sizeof(ack_only));
	ATF_REQUIRE_EQ(gre_ipv4_decode(p, 20 + sizeof(ack_only), &src, &off,
	    &len), GRE_OK);
	ATF_CHECK_EQ(off, 20);
	ATF_CHECK_EQ(len, sizeof(ack_only));
	ATF_CHECK_EQ(src.s_addr, inet_addr("192.0.2.1"));

	/* Trailing bytes beyond the total length are not GRE. */
	ATF_REQUIRE_EQ(gre_ipv4_decode(p, sizeof(p), &src, &off, &len),
	    GRE_OK);
	ATF_CHECK_EQ(len, sizeof(ack_only));

	/* With 4 bytes of options. */
	ipv4_hdr(p, 24 + sizeof(ack_only));
	p[0] = 0x46;
	ATF_REQUIRE_EQ(gre_ipv4_decode(p, 24 + sizeof(ack_only), &src, &off,
	    &len), GRE_OK);
	ATF_CHECK_EQ(off, 24);
	ATF_CHECK_EQ(len, sizeof(ack_only));

	/* A header alone is a valid, empty datagram. */
	ipv4_hdr(p, 20);
	ATF_CHECK_EQ(gre_ipv4_decode(p, 20, &src, &off, &len), GRE_OK);
	ATF_CHECK_EQ(len, 0);
}

ATF_TC_WITHOUT_HEAD(ipv4_bad);
ATF_TC_BODY(ipv4_bad, tc)
{
	uint8_t p[40];
	struct in_addr src;
	size_t off, len, n;

	ipv4_hdr(p, sizeof(p));
	for (n = 0; n < 20; n++)
		ATF_CHECK_EQ(gre_ipv4_decode(p, n, &src, &off, &len),
		    GRE_E_IP_SHORT);

	ipv4_hdr(p, sizeof(p));
	p[0] = 0x65;
	ATF_CHECK_EQ(gre_ipv4_decode(p, sizeof(p), &src, &off, &len),
	    GRE_E_IP_VERSION);

	ipv4_hdr(p, sizeof(p));
	p[0] = 0x44;				/* IHL 16 bytes */
	ATF_CHECK_EQ(gre_ipv4_decode(p, sizeof(p), &src, &off, &len),
	    GRE_E_IP_HDRLEN);
	p[0] = 0x4f;				/* IHL 60 > 40 read */
	ATF_CHECK_EQ(gre_ipv4_decode(p, sizeof(p), &src, &off, &len),
	    GRE_E_IP_HDRLEN);

	ipv4_hdr(p, 19);			/* total below the header */
	ATF_CHECK_EQ(gre_ipv4_decode(p, sizeof(p), &src, &off, &len),
	    GRE_E_IP_TOTLEN);
	ipv4_hdr(p, 41);			/* total beyond the read */
	ATF_CHECK_EQ(gre_ipv4_decode(p, sizeof(p), &src, &off, &len),
	    GRE_E_IP_TOTLEN);
	ipv4_hdr(p, 0xffff);
	ATF_CHECK_EQ(gre_ipv4_decode(p, sizeof(p), &src, &off, &len),
	    GRE_E_IP_TOTLEN);

	ipv4_hdr(p, sizeof(p));
	p[9] = 17;
	ATF_CHECK_EQ(gre_ipv4_decode(p, sizeof(p), &src, &off, &len),
	    GRE_E_IP_PROTO);

	ipv4_hdr(p, sizeof(p));
	p[6] = 0x20;				/* MF */
	ATF_CHECK_EQ(gre_ipv4_decode(p, sizeof(p), &src, &off, &len),
	    GRE_E_IP_FRAG);
	p[6] = 0x00;
	p[7] = 0x01;				/* offset 8 */
	ATF_CHECK_EQ(gre_ipv4_decode(p, sizeof(p), &src, &off, &len),
	    GRE_E_IP_FRAG);
	p[6] = 0x1f;
	p[7] = 0xff;
	ATF_CHECK_EQ(gre_ipv4_decode(p, sizeof(p), &src, &off, &len),
	    GRE_E_IP_FRAG);
	ATF_CHECK_EQ(off, 0);
	ATF_CHECK_EQ(len, 0);
}

ATF_TC_WITHOUT_HEAD(strerror_names_every_error);
ATF_TC_BODY(strerror_names_every_error, tc)
{
	int e, f;

	for (e = GRE_OK; e <= GRE_E_IP_FRAG; e++) {
		ATF_CHECK(strcmp(gre_strerror(e), "unknown GRE error") != 0);
		for (f = GRE_OK; f < e; f++)
			ATF_CHECK(strcmp(gre_strerror(e), gre_strerror(f)));
	}
	ATF_CHECK_STREQ(gre_strerror(GRE_E_IP_FRAG + 1), "unknown GRE error");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, encode_three_shapes);
	ATF_TP_ADD_TC(tp, encode_refuses);
	ATF_TP_ADD_TC(tp, decode_three_shapes);
	ATF_TP_ADD_TC(tp, decode_truncated);
	ATF_TP_ADD_TC(tp, decode_payload_length_lies);
	ATF_TP_ADD_TC(tp, decode_bad_flags_version_protocol);
	ATF_TP_ADD_TC(tp, ipv4_good);
	ATF_TP_ADD_TC(tp, ipv4_bad);
	ATF_TP_ADD_TC(tp, strerror_names_every_error);
	return atf_no_error();
}
