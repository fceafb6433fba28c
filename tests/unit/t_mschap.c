/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for daemon/mschap.c: RFC 2759 §9.2/§9.3, RFC 2433 B.2 and
 * CHAP-MD5 byte for byte, the UTF-8 to UTF-16LE conversion of passwords
 * (including what must be refused), and the check of the server's "S=".
 */
#include <atf-c.h>
#include <stdint.h>
#include <string.h>

#include "crypto.h"
#include "mschap.h"
#include "testutil.h"

static void
init(void)
{
	char err[256];

	ATF_REQUIRE_MSG(crypto_init(err, sizeof(err)) == 0, "%s", err);
}

/* RFC 2759 §9.2 inputs. */
static void
rfc2759_inputs(uint8_t auth_ch[16], uint8_t peer_ch[16])
{
	test_hex("5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28", auth_ch,
	    16);
	test_hex("21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E", peer_ch,
	    16);
}

ATF_TC_WITHOUT_HEAD(rfc2759_9_2_hash_example);
ATF_TC_BODY(rfc2759_9_2_hash_example, tc)
{
	uint8_t auth_ch[16], peer_ch[16], ch[8], hash[16], hh[16], resp[24];
	char ar[MSCHAPV2_AUTHRESP_LEN + 1];

	init();
	rfc2759_inputs(auth_ch, peer_ch);
	mschapv2_challenge_hash(peer_ch, auth_ch, "User", ch);
	CHECK_HEX(ch, 8, "D0 2E 43 86 BC E9 12 26");
	ATF_REQUIRE_EQ(mschap_nt_password_hash("clientPass", 10, hash), 0);
	CHECK_HEX(hash, 16, "44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE");
	mschap_hash_nt_password_hash(hash, hh);
	CHECK_HEX(hh, 16, "41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F");
	mschap_challenge_response(ch, hash, resp);
	CHECK_HEX(resp, 24, "82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54"
	    "42 33 11 4A 3D 85 D6 DF");
	memset(resp, 0, sizeof(resp));
	ATF_REQUIRE_EQ(mschapv2_nt_response(auth_ch, peer_ch, "User",
	    "clientPass", 10, resp), 0);
	CHECK_HEX(resp, 24, "82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54"
	    "42 33 11 4A 3D 85 D6 DF");
	mschapv2_authenticator_response(hh, resp, peer_ch, auth_ch, "User",
	    ar);
	ATF_CHECK_STREQ(ar, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
}

ATF_TC_WITHOUT_HEAD(rfc2759_domain_prefix_is_stripped);
ATF_TC_BODY(rfc2759_domain_prefix_is_stripped, tc)
{
	uint8_t auth_ch[16], peer_ch[16], ch[8], resp[24], hh[16], hash[16];
	char ar[MSCHAPV2_AUTHRESP_LEN + 1];

	init();
	rfc2759_inputs(auth_ch, peer_ch);
	mschapv2_challenge_hash(peer_ch, auth_ch, "OFFICE\\User", ch);
	CHECK_HEX(ch, 8, "D0 2E 43 86 BC E9 12 26");
	mschapv2_challenge_hash(peer_ch, auth_ch, "A\\B\\User", ch);
	CHECK_HEX(ch, 8, "D0 2E 43 86 BC E9 12 26");
	ATF_REQUIRE_EQ(mschapv2_nt_response(auth_ch, peer_ch, "OFFICE\\User",
	    "clientPass", 10, resp), 0);
	CHECK_HEX(resp, 24, "82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54"
	    "42 33 11 4A 3D 85 D6 DF");
	ATF_REQUIRE_EQ(mschap_nt_password_hash("clientPass", 10, hash), 0);
	mschap_hash_nt_password_hash(hash, hh);
	mschapv2_authenticator_response(hh, resp, peer_ch, auth_ch,
	    "OFFICE\\User", ar);
	ATF_CHECK_STREQ(ar, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
	/* A different name gives a different hash: the name is used. */
	mschapv2_challenge_hash(peer_ch, auth_ch, "user", ch);
	ATF_CHECK(memcmp(ch, "\xD0\x2E\x43\x86", 4) != 0);
}

ATF_TC_WITHOUT_HEAD(rfc2759_9_3_and_rfc2433_b2);
ATF_TC_BODY(rfc2759_9_3_and_rfc2433_b2, tc)
{
	uint8_t hash[16], ch[8], resp[24];

	init();
	/* The RFC prints ASCII; the hash is of UTF-16LE (erratum 391). */
	ATF_REQUIRE_EQ(mschap_nt_password_hash("MyPw", 4, hash), 0);
	CHECK_HEX(hash, 16, "FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC");
	test_hex("10 2D B5 DF 08 5D 30 41", ch, sizeof(ch));
	ATF_REQUIRE_EQ(mschapv1_nt_response(ch, "MyPw", 4, resp), 0);
	CHECK_HEX(resp, 24, "4E 9D 3C 8F 9C FD 38 5D 5B F4 D3 24 67 91 95 6C"
	    "A4 C3 51 AB 40 9A 3D 61");
	ATF_CHECK_EQ(mschapv1_nt_response(ch, "\xff", 1, resp), -1);
}

ATF_TC_WITHOUT_HEAD(chap_md5_rfc1994);
ATF_TC_BODY(chap_md5_rfc1994, tc)
{
	uint8_t ch[16], out[16];

	init();
	test_hex("5B5D7C7D7B3F2F3E3C2C602132262628", ch, sizeof(ch));
	chap_md5_response(1, (const uint8_t *)"clientPass", 10, ch, 16, out);
	CHECK_HEX(out, 16, "5F 09 D7 E9 52 D4 B4 81 10 88 61 30 4E 6D E8 73");
}

/* The hash of a UTF-8 password equals MD4 of the UTF-16LE we expect. */
static void
check_utf16(const char *utf8, const char *utf16hex)
{
	uint8_t u16[1024], want[16], got[16];
	size_t n;

	n = test_hex(utf16hex, u16, sizeof(u16));
	crypto_md4(u16, n, want);
	ATF_REQUIRE_EQ_MSG(mschap_nt_password_hash(utf8, strlen(utf8), got),
	    0, "refused %s", utf16hex);
	ATF_CHECK_MSG(memcmp(got, want, 16) == 0, "wrong UTF-16 for %s",
	    utf16hex);
}

ATF_TC_WITHOUT_HEAD(utf8_to_utf16le);
ATF_TC_BODY(utf8_to_utf16le, tc)
{
	init();
	check_utf16("", "");
	check_utf16("a", "61 00");
	check_utf16("\xc3\xa9", "E9 00");			/* é */
	check_utf16("\xe2\x82\xac", "AC 20");			/* € */
	check_utf16("\xf0\x9f\x98\x80", "3D D8 00 DE");		/* 😀 */
	check_utf16("p\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80!",
	    "70 00 E9 00 AC 20 3D D8 00 DE 21 00");
	check_utf16("\xc2\x80", "80 00");			/* U+0080 */
	check_utf16("\xdf\xbf", "FF 07");			/* U+07FF */
	check_utf16("\xe0\xa0\x80", "00 08");			/* U+0800 */
	check_utf16("\xed\x9f\xbf", "FF D7");			/* U+D7FF */
	check_utf16("\xee\x80\x80", "00 E0");			/* U+E000 */
	check_utf16("\xef\xbf\xbf", "FF FF");			/* U+FFFF */
	check_utf16("\xf0\x90\x80\x80", "00 D8 00 DC");		/* U+10000 */
	check_utf16("\xf4\x8f\xbf\xbf", "FF DB FF DF");		/* U+10FFFF */
}

ATF_TC_WITHOUT_HEAD(utf8_invalid_is_refused);
ATF_TC_BODY(utf8_invalid_is_refused, tc)
{
	static const char *bad[] = {
		"\x80",			/* lone continuation */
		"a\xbf",
		"\xc0\xaf",		/* overlong '/' */
		"\xc1\xbf",		/* overlong */
		"\xe0\x80\xaf",		/* overlong, 3 bytes */
		"\xe0\x9f\xbf",		/* overlong U+07FF */
		"\xf0\x80\x80\xaf",	/* overlong, 4 bytes */
		"\xf0\x8f\xbf\xbf",	/* overlong U+FFFF */
		"\xed\xa0\x80",		/* U+D800, a surrogate */
		"\xed\xbf\xbf",		/* U+DFFF */
		"\xed\xa0\xbd\xed\xb8\x80", /* CESU-8 surrogate pair */
		"\xf4\x90\x80\x80",	/* U+110000 */
		"\xf5\x80\x80\x80",
		"\xf8\x88\x80\x80\x80",
		"\xfe", "\xff",
		"\xc3",			/* truncated */
		"\xe2\x82",
		"\xf0\x9f\x98",
		"x\xe2\x82",		/* truncated at the end */
		"\xe2\x28\xa1",		/* bad continuation */
		"\xc3\xc3\xa9",
	};
	uint8_t hash[16];
	char err[128];
	size_t i;

	init();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ATF_CHECK_EQ_MSG(mschap_nt_password_hash(bad[i],
		    strlen(bad[i]), hash), -1, "case %zu accepted", i);
		ATF_CHECK_EQ(mschap_password_check(bad[i], strlen(bad[i]),
		    err, sizeof(err)), -1);
		ATF_CHECK_MSG(strstr(err, "not valid UTF-8") != NULL, "%s",
		    err);
	}
	/* The length is honoured: a NUL inside is a character, the end is
	 * not read past. */
	ATF_CHECK_EQ(mschap_nt_password_hash("\xc3\xa9", 1, hash), -1);
	ATF_CHECK_EQ(mschap_password_check("ab\xe2\x82", 4, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "password is not valid UTF-8 (at byte 2)");
	ATF_CHECK_EQ(mschap_password_check("a\0b", 3, err, sizeof(err)), 0);
}

ATF_TC_WITHOUT_HEAD(password_length_limit);
ATF_TC_BODY(password_length_limit, tc)
{
	char pw[1200];
	uint8_t hash[16];
	char err[128];
	size_t i, n;

	init();
	memset(pw, 'a', 257);
	ATF_CHECK_EQ(mschap_nt_password_hash(pw, 256, hash), 0);
	ATF_CHECK_EQ(mschap_nt_password_hash(pw, 257, hash), -1);
	ATF_CHECK_EQ(mschap_password_check(pw, 257, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "password is longer than 256 UTF-16 units");
	/* 256 BMP characters of 3 bytes each: 768 bytes, 256 units. */
	for (i = 0; i < 256; i++)
		memcpy(pw + 3 * i, "\xe2\x82\xac", 3);
	ATF_CHECK_EQ(mschap_nt_password_hash(pw, 768, hash), 0);
	pw[768] = 'x';
	ATF_CHECK_EQ(mschap_nt_password_hash(pw, 769, hash), -1);
	/* 128 characters outside the BMP are 256 units (surrogate pairs). */
	for (i = 0; i < 128; i++)
		memcpy(pw + 4 * i, "\xf0\x9f\x98\x80", 4);
	n = 512;
	ATF_CHECK_EQ(mschap_nt_password_hash(pw, n, hash), 0);
	pw[n] = 'x';
	ATF_CHECK_EQ(mschap_nt_password_hash(pw, n + 1, hash), -1);
	/* 255 units and a pair: 257, although only 256 characters. */
	memset(pw, 'a', 255);
	memcpy(pw + 255, "\xf0\x9f\x98\x80", 4);
	ATF_CHECK_EQ(mschap_nt_password_hash(pw, 259, hash), -1);
	ATF_CHECK_EQ(mschap_nt_password_hash(pw, 255, hash), 0);
}

static int
check_success(const char *msg)
{
	static const char expected[] =
	    "S=407A5589115FD0D6209F510FE9C04566932CDA56";

	return mschapv2_check_success(expected, (const uint8_t *)msg,
	    strlen(msg));
}

ATF_TC_WITHOUT_HEAD(check_success_message);
ATF_TC_BODY(check_success_message, tc)
{
	ATF_CHECK_EQ(check_success(
	    "S=407A5589115FD0D6209F510FE9C04566932CDA56"), 0);
	ATF_CHECK_EQ(check_success(
	    "S=407a5589115fd0d6209f510fe9c04566932cda56"), 0);
	ATF_CHECK_EQ(check_success(
	    "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Welcome"), 0);
	ATF_CHECK_EQ(check_success(
	    "S=407A5589115FD0D6209F510FE9C04566932CDA56M=Welcome"), 0);
	ATF_CHECK_EQ(check_success(
	    "S=407A5589115FD0D6209F510FE9C04566932CDA56 M="), 0);
	/* Wrong, missing or followed by something else. */
	ATF_CHECK_EQ(check_success(""), -1);
	ATF_CHECK_EQ(check_success("M=Welcome"), -1);
	ATF_CHECK_EQ(check_success(
	    "S=407A5589115FD0D6209F510FE9C04566932CDA5"), -1);
	ATF_CHECK_EQ(check_success(
	    "S=407A5589115FD0D6209F510FE9C04566932CDA57"), -1);
	ATF_CHECK_EQ(check_success(
	    "S=507A5589115FD0D6209F510FE9C04566932CDA56"), -1);
	ATF_CHECK_EQ(check_success(
	    "s=407A5589115FD0D6209F510FE9C04566932CDA56"), -1);
	ATF_CHECK_EQ(check_success(
	    "S:407A5589115FD0D6209F510FE9C04566932CDA56"), -1);
	ATF_CHECK_EQ(check_success(
	    "S=407A5589115FD0D6209F510FE9C04566932CDA56 "), -1);
	ATF_CHECK_EQ(check_success(
	    "S=407A5589115FD0D6209F510FE9C04566932CDA56 M"), -1);
	ATF_CHECK_EQ(check_success(
	    "S=407A5589115FD0D6209F510FE9C04566932CDA56M"), -1);
	ATF_CHECK_EQ(check_success(
	    "S=407A5589115FD0D6209F510FE9C04566932CDA560"), -1);
	ATF_CHECK_EQ(check_success(
	    "S=407A5589115FD0D6209F510FE9C04566932CDA56 X=1"), -1);
	/* Only a-f fold to upper case: 'g' is not a hex digit. */
	ATF_CHECK_EQ(check_success(
	    "S=407g5589115FD0D6209F510FE9C04566932CDA56"), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rfc2759_9_2_hash_example);
	ATF_TP_ADD_TC(tp, rfc2759_domain_prefix_is_stripped);
	ATF_TP_ADD_TC(tp, rfc2759_9_3_and_rfc2433_b2);
	ATF_TP_ADD_TC(tp, chap_md5_rfc1994);
	ATF_TP_ADD_TC(tp, utf8_to_utf16le);
	ATF_TP_ADD_TC(tp, utf8_invalid_is_refused);
	ATF_TP_ADD_TC(tp, password_length_limit);
	ATF_TP_ADD_TC(tp, check_success_message);
	return atf_no_error();
}
