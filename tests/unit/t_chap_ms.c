/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for the MS-CHAP message codecs of chap_ms.c: Failure
 * parsing, formatting and wording, the Success text, sanitising, and the
 * Response Values against the RFC 2433 and RFC 2759 vectors.
 */
#include <atf-c.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "chap_ms.h"
#include "crypto.h"
#include "mschap.h"

static void
init_crypto(void)
{
	char err[256];

	ATF_REQUIRE_MSG(crypto_init(err, sizeof(err)) == 0, "%s", err);
}

static int
parse(const char *s, size_t chlen, struct mschap_failure *f, char *err,
    size_t errlen)
{
	err[0] = '\0';
	return mschap_parse_failure((const uint8_t *)s, strlen(s), chlen, f,
	    err, errlen);
}

ATF_TC_WITHOUT_HEAD(failure_all_fields_v2);
ATF_TC_BODY(failure_all_fields_v2, tc)
{
	static const uint8_t ch[16] = {
		0x5b, 0x5d, 0x7c, 0x7d, 0x7b, 0x3f, 0x2f, 0x3e,
		0x3c, 0x2c, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28,
	};
	struct mschap_failure f;
	char err[96];

	ATF_REQUIRE_EQ(parse("E=691 R=1 C=5B5D7C7D7B3F2F3E3C2C602132262628 "
	    "V=3 M=Access denied, try again", 16, &f, err, sizeof(err)), 0);
	ATF_CHECK_EQ(f.error, 691);
	ATF_CHECK_EQ(f.retry, 1);
	ATF_CHECK(f.have_challenge);
	ATF_CHECK(memcmp(f.challenge, ch, 16) == 0);
	ATF_CHECK(f.have_version);
	ATF_CHECK_EQ(f.version, 3);
	ATF_REQUIRE(f.text != NULL);
	ATF_CHECK_EQ(f.textlen, strlen("Access denied, try again"));
	ATF_CHECK(memcmp(f.text, "Access denied, try again", f.textlen) == 0);
}

ATF_TC_WITHOUT_HEAD(failure_lower_case_and_pppd_v0);
ATF_TC_BODY(failure_lower_case_and_pppd_v0, tc)
{
	struct mschap_failure f;
	char err[96];

	/* pppd's authenticator sends V=0; lower-case hex is still hex. */
	ATF_REQUIRE_EQ(parse("E=691 R=1 C=5b5d7c7d7b3f2f3e3c2c602132262628 "
	    "V=0 M=Access denied", 16, &f, err, sizeof(err)), 0);
	ATF_CHECK_EQ(f.challenge[0], 0x5b);
	ATF_CHECK_EQ(f.version, 0);
}

ATF_TC_WITHOUT_HEAD(failure_v1_fields);
ATF_TC_BODY(failure_v1_fields, tc)
{
	struct mschap_failure f;
	char err[96];

	ATF_REQUIRE_EQ(parse("E=649 R=0 C=102DB5DF085D3041 V=2", 8, &f, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(f.error, 649);
	ATF_CHECK_EQ(f.retry, 0);
	ATF_CHECK(f.have_challenge);
	ATF_CHECK_EQ(f.challenge[0], 0x10);
	ATF_CHECK_EQ(f.challenge[7], 0x41);
	ATF_CHECK(f.text == NULL);
	/* A v2-sized challenge is wrong for v1. */
	ATF_CHECK_EQ(parse("E=691 R=1 C=5B5D7C7D7B3F2F3E3C2C602132262628",
	    8, &f, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "must be 16 hex digits") != NULL);
}

ATF_TC_WITHOUT_HEAD(failure_minimal_and_missing);
ATF_TC_BODY(failure_minimal_and_missing, tc)
{
	struct mschap_failure f;
	char err[96];

	ATF_REQUIRE_EQ(parse("E=691", 16, &f, err, sizeof(err)), 0);
	ATF_CHECK_EQ(f.error, 691);
	ATF_CHECK_EQ(f.retry, 0);
	ATF_CHECK(!f.have_challenge);
	ATF_CHECK(!f.have_version);
	/* R=1 without C= parses; the client decides it cannot retry. */
	ATF_REQUIRE_EQ(parse("E=691 R=1 V=3", 16, &f, err, sizeof(err)), 0);
	ATF_CHECK(f.retry && !f.have_challenge);

	ATF_CHECK_EQ(parse("", 16, &f, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "no E= error code");
	ATF_CHECK_EQ(parse("R=0 V=3 M=x", 16, &f, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "no E= error code");
	/* M= alone, which some servers send for CHAP-MD5 style text. */
	ATF_CHECK_EQ(parse("M=Access denied", 16, &f, err, sizeof(err)), -1);
}

ATF_TC_WITHOUT_HEAD(failure_garbage);
ATF_TC_BODY(failure_garbage, tc)
{
	static const char *bad[] = {
		"Access denied",		/* plain text */
		"E=",				/* empty number */
		"E=69x",			/* not a number */
		"E=-691",
		"E=691 R=2",			/* R is 0 or 1 */
		"E=691 R=11",
		"E=691 R=",
		"E=691 R=1 C=5B5D7C7D7B3F2F3E3C2C60213226262",	/* 31 */
		"E=691 R=1 C=5B5D7C7D7B3F2F3E3C2C6021322626280",	/* 33 */
		"E=691 R=1 C=5B5D7C7D7B3F2F3E3C2C60213226262G",	/* not hex */
		"E=691 V=x",
		"E=691 X=1",			/* unknown field */
		"E=691 E=691",			/* twice */
		"E=691 C=5B5D7C7D7B3F2F3E3C2C602132262628 "
		    "C=5B5D7C7D7B3F2F3E3C2C602132262628",
		"E=691 R",			/* cut off */
		"E=691 \x01=1",
		"E=12345678901",		/* overlong number */
		"E=4294967296",			/* over 32 bits */
	};
	struct mschap_failure f;
	char err[96];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ATF_CHECK_EQ_MSG(parse(bad[i], 16, &f, err, sizeof(err)), -1,
		    "accepted \"%s\"", bad[i]);
		ATF_CHECK_MSG(err[0] != '\0', "no reason for \"%s\"", bad[i]);
	}
	/* A NUL terminator sent along is not garbage. */
	ATF_REQUIRE_EQ(mschap_parse_failure((const uint8_t *)"E=691 R=0\0",
	    10, 16, &f, err, sizeof(err)), 0);
	ATF_CHECK_EQ(f.error, 691);
	ATF_REQUIRE_EQ(parse("E=4294967295 V=4294967295", 16, &f, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(f.error, 4294967295u);
}

ATF_TC_WITHOUT_HEAD(failure_overlong_and_binary);
ATF_TC_BODY(failure_overlong_and_binary, tc)
{
	uint8_t msg[4096];
	struct mschap_failure f;
	char err[96], desc[200];

	/* A huge M= text is kept by reference and shown cut. */
	memset(msg, 'A', sizeof(msg));
	memcpy(msg, "E=691 R=0 M=", 12);
	msg[100] = 0x07;
	ATF_REQUIRE_EQ(mschap_parse_failure(msg, sizeof(msg), 16, &f, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(f.textlen, sizeof(msg) - 12);
	mschap_describe_failure(&f, ", retry not allowed", desc, sizeof(desc));
	ATF_CHECK(strlen(desc) < sizeof(desc));
	ATF_CHECK(strstr(desc, "...\"") != NULL);
	ATF_CHECK(strchr(desc, 0x07) == NULL);
	ATF_CHECK(strstr(desc, "?") != NULL);
	/* A NUL in the middle of the fields is garbage, not an end. */
	ATF_CHECK_EQ(mschap_parse_failure((const uint8_t *)"E=691\0R=1", 9,
	    16, &f, err, sizeof(err)), -1);
}

ATF_TC_WITHOUT_HEAD(describe_failure_words);
ATF_TC_BODY(describe_failure_words, tc)
{
	static const struct {
		unsigned int	 code;
		const char	*words;
	} codes[] = {
		{ 646, "restricted logon hours" },
		{ 647, "account disabled" },
		{ 648, "password expired" },
		{ 649, "no dial-in permission" },
		{ 691, "bad user name or password" },
		{ 709, "error changing password" },
	};
	struct mschap_failure f;
	char err[96], desc[200];
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		ATF_CHECK_STREQ(mschap_error_text(codes[i].code),
		    codes[i].words);
	ATF_CHECK(mschap_error_text(700) == NULL);

	ATF_REQUIRE_EQ(parse("E=691 R=0 C=5B5D7C7D7B3F2F3E3C2C602132262628 "
	    "V=3 M=Access denied", 16, &f, err, sizeof(err)), 0);
	mschap_describe_failure(&f, ", retry not allowed", desc, sizeof(desc));
	ATF_CHECK_STREQ(desc, "E=691 (bad user name or password), retry not "
	    "allowed: \"Access denied\"");
	ATF_REQUIRE_EQ(parse("E=700 R=0", 16, &f, err, sizeof(err)), 0);
	mschap_describe_failure(&f, ", retry not allowed", desc, sizeof(desc));
	ATF_CHECK_STREQ(desc, "E=700, retry not allowed");
}

ATF_TC_WITHOUT_HEAD(format_failure_round_trip);
ATF_TC_BODY(format_failure_round_trip, tc)
{
	static const uint8_t ch[16] = {
		0x00, 0x01, 0xab, 0xcd, 0xef, 0x10, 0x20, 0x30,
		0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xff,
	};
	struct mschap_failure f;
	char msg[160], small[20], err[96];
	int n;

	n = mschap_format_failure(msg, sizeof(msg), 691, 0, ch, 16, 3,
	    "Authentication failure");
	ATF_CHECK_STREQ(msg, "E=691 R=0 C=0001ABCDEF102030405060708090A0FF "
	    "V=3 M=Authentication failure");
	ATF_CHECK_EQ(n, (int)strlen(msg));
	ATF_REQUIRE_EQ(parse(msg, 16, &f, err, sizeof(err)), 0);
	ATF_CHECK(memcmp(f.challenge, ch, 16) == 0);
	n = mschap_format_failure(msg, sizeof(msg), 648, 1, ch, 8, 2, NULL);
	ATF_CHECK_STREQ(msg, "E=648 R=1 C=0001ABCDEF102030 V=2");
	ATF_CHECK_EQ(mschap_format_failure(small, sizeof(small), 691, 0, ch,
	    16, 3, NULL), -1);
}

ATF_TC_WITHOUT_HEAD(success_text);
ATF_TC_BODY(success_text, tc)
{
	static const struct {
		const char *in, *text;
	} cases[] = {
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Welcome",
		    "Welcome" },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56M=Welcome",
		    "Welcome" },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA56", "" },
		{ "M=Access granted", "M=Access granted" },
		{ "S=407A", "S=407A" },
		{ "", "" },
	};
	const uint8_t *t;
	size_t i, tl;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mschapv2_success_text((const uint8_t *)cases[i].in,
		    strlen(cases[i].in), &t, &tl);
		ATF_CHECK_EQ_MSG(tl, strlen(cases[i].text), "case %zu", i);
		ATF_CHECK_MSG(memcmp(t, cases[i].text, tl) == 0, "case %zu",
		    i);
	}
}

ATF_TC_WITHOUT_HEAD(sanitize);
ATF_TC_BODY(sanitize, tc)
{
	char out[8];

	auth_sanitize((const uint8_t *)"ok", 2, out, sizeof(out));
	ATF_CHECK_STREQ(out, "ok");
	auth_sanitize((const uint8_t *)"a\nb\"c\xff", 6, out, sizeof(out));
	ATF_CHECK_STREQ(out, "a?b'c?");
	auth_sanitize((const uint8_t *)"0123456789", 10, out, sizeof(out));
	ATF_CHECK_STREQ(out, "0123...");
	auth_sanitize(NULL, 0, out, sizeof(out));
	ATF_CHECK_STREQ(out, "");
	auth_sanitize((const uint8_t *)"abc", 3, out, 2);
	ATF_CHECK_STREQ(out, "a");
	auth_sanitize((const uint8_t *)"abc", 3, out, 1);
	ATF_CHECK_STREQ(out, "");
}

/* RFC 2759 §9.2, as doc/vectors.md §1.1 and §1.5 have it. */
ATF_TC_WITHOUT_HEAD(response_value_rfc2759);
ATF_TC_BODY(response_value_rfc2759, tc)
{
	static const uint8_t auth_ch[16] = {
		0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
		0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28,
	};
	static const uint8_t peer_ch[16] = {
		0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
		0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E,
	};
	static const uint8_t nt[24] = {
		0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
		0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
		0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF,
	};
	static const uint8_t zero[8];
	uint8_t v[MSCHAP_VALUE_LEN], v2[MSCHAP_VALUE_LEN];

	init_crypto();
	ATF_REQUIRE_EQ(mschapv2_response_value(auth_ch, peer_ch, "User",
	    "clientPass", 10, v), 0);
	ATF_CHECK(memcmp(v, peer_ch, 16) == 0);
	ATF_CHECK(memcmp(v + 16, zero, 8) == 0);
	ATF_CHECK(memcmp(v + 24, nt, 24) == 0);
	ATF_CHECK_EQ(v[48], 0);
	/* DOMAIN\ does not enter the ChallengeHash. */
	ATF_REQUIRE_EQ(mschapv2_response_value(auth_ch, peer_ch,
	    "OFFICE\\User", "clientPass", 10, v2), 0);
	ATF_CHECK(memcmp(v, v2, sizeof(v)) == 0);
	/* Not UTF-8: refused, not hashed as something else. */
	ATF_CHECK_EQ(mschapv2_response_value(auth_ch, peer_ch, "User",
	    "\xff\xfe", 2, v), -1);
}

/* RFC 2433 Appendix B.2. */
ATF_TC_WITHOUT_HEAD(response_value_rfc2433);
ATF_TC_BODY(response_value_rfc2433, tc)
{
	static const uint8_t ch[8] = {
		0x10, 0x2D, 0xB5, 0xDF, 0x08, 0x5D, 0x30, 0x41,
	};
	static const uint8_t nt[24] = {
		0x4E, 0x9D, 0x3C, 0x8F, 0x9C, 0xFD, 0x38, 0x5D,
		0x5B, 0xF4, 0xD3, 0x24, 0x67, 0x91, 0x95, 0x6C,
		0xA4, 0xC3, 0x51, 0xAB, 0x40, 0x9A, 0x3D, 0x61,
	};
	static const uint8_t zero[24];
	uint8_t v[MSCHAP_VALUE_LEN];

	init_crypto();
	ATF_REQUIRE_EQ(mschapv1_response_value(ch, "MyPw", 4, v), 0);
	ATF_CHECK(memcmp(v, zero, 24) == 0);
	ATF_CHECK(memcmp(v + 24, nt, 24) == 0);
	ATF_CHECK_EQ(v[48], 1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, failure_all_fields_v2);
	ATF_TP_ADD_TC(tp, failure_lower_case_and_pppd_v0);
	ATF_TP_ADD_TC(tp, failure_v1_fields);
	ATF_TP_ADD_TC(tp, failure_minimal_and_missing);
	ATF_TP_ADD_TC(tp, failure_garbage);
	ATF_TP_ADD_TC(tp, failure_overlong_and_binary);
	ATF_TP_ADD_TC(tp, describe_failure_words);
	ATF_TP_ADD_TC(tp, format_failure_round_trip);
	ATF_TP_ADD_TC(tp, success_text);
	ATF_TP_ADD_TC(tp, sanitize);
	ATF_TP_ADD_TC(tp, response_value_rfc2759);
	ATF_TP_ADD_TC(tp, response_value_rfc2433);
	return atf_no_error();
}
