/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for daemon/mppe_keys.c: RFC 3079 §3.5 (with the 56-bit
 * ciphertext corrected to end in B8, doc/vectors.md §0 item 3), the client's
 * other direction (Magic2), RFC 3079 §2.5 for MS-CHAPv1 (with the §2.5.3
 * typo corrected), and the key-change chains K0..K3, K256 of doc/vectors.md
 * §4.7 for 40, 56 and 128 bits in both directions.
 */
#include <atf-c.h>
#include <stdint.h>
#include <string.h>

#include "crypto.h"
#include "mppe_keys.h"
#include "mschap.h"
#include "testutil.h"

static void
init(void)
{
	char err[256];

	ATF_REQUIRE_MSG(crypto_init(err, sizeof(err)) == 0, "%s", err);
}

/* The RFC 2759 §9.2 / RFC 3079 §3.5 master key. */
static void
master(uint8_t m[16])
{
	uint8_t hh[16], ntresp[24];

	test_hex("41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F", hh, 16);
	test_hex("82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54"
	    "42 33 11 4A 3D 85 D6 DF", ntresp, 24);
	mppe_master_key(hh, ntresp, m);
}

/* Initial session key as mppe.c makes it: GetNewKeyFromSHA + reduce. */
static void
initial(const uint8_t *start, int bits, uint8_t *key)
{
	int kl = bits == 128 ? 16 : 8;

	mppe_new_key_from_sha(start, start, kl, key);
	mppe_reduce_key(key, bits);
}

static void
rc4_msg(const uint8_t *key, size_t kl, const char *msg, size_t len,
    uint8_t *out)
{
	struct crypto_rc4 *r;

	ATF_REQUIRE((r = crypto_rc4_new()) != NULL);
	ATF_REQUIRE_EQ(crypto_rc4_setkey(r, key, kl), 0);
	ATF_REQUIRE_EQ(crypto_rc4_xor(r, (const uint8_t *)msg, out, len), 0);
	crypto_rc4_free(r);
}

ATF_TC_WITHOUT_HEAD(rfc3079_3_5_master_and_start_keys);
ATF_TC_BODY(rfc3079_3_5_master_and_start_keys, tc)
{
	uint8_t m[16], k[16], k2[16];

	init();
	master(m);
	CHECK_HEX(m, 16, "FD EC E3 71 7A 8C 83 8C B3 88 E5 27 AE 3C DD 31");
	/* The RFC's "SendStartKey" is the server's send key (Magic3). */
	mppe_start_key(m, 1, 1, k);
	CHECK_HEX(k, 16, "8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB");
	/* ... which is the client's receive key. */
	mppe_start_key(m, 0, 0, k2);
	ATF_CHECK(memcmp(k, k2, 16) == 0);
	/* The client's send key (Magic2) = the server's receive key. */
	mppe_start_key(m, 1, 0, k);
	CHECK_HEX(k, 16, "D5 F0 E9 52 1E 3E A9 58 96 45 E8 60 51 C8 22 26");
	mppe_start_key(m, 0, 1, k2);
	ATF_CHECK(memcmp(k, k2, 16) == 0);
}

ATF_TC_WITHOUT_HEAD(rfc3079_3_5_session_keys_and_ciphertext);
ATF_TC_BODY(rfc3079_3_5_session_keys_and_ciphertext, tc)
{
	uint8_t m[16], start[16], key[16], raw[16], out[12];

	init();
	master(m);
	mppe_start_key(m, 1, 1, start);
	/* 40 bits. */
	mppe_new_key_from_sha(start, start, 8, raw);
	CHECK_HEX(raw, 8, "96 5C 00 C4 9F A6 2E 3E");
	initial(start, 40, key);
	CHECK_HEX(key, 8, "D1 26 9E C4 9F A6 2E 3E");
	rc4_msg(key, 8, "test message", 12, out);
	CHECK_HEX(out, 12, "92 91 37 91 7E 58 03 D6 68 D7 58 98");
	/* 56 bits; the RFC's last byte 58 is a typo for B8. */
	initial(start, 56, key);
	CHECK_HEX(key, 8, "D1 5C 00 C4 9F A6 2E 3E");
	rc4_msg(key, 8, "test message", 12, out);
	CHECK_HEX(out, 12, "3F 10 68 33 FA 44 8D A8 42 BC 57 B8");
	/* 128 bits. */
	initial(start, 128, key);
	CHECK_HEX(key, 16, "40 5C B2 24 7A 79 56 E6 E2 11 00 7A E2 7B 22 D4");
	rc4_msg(key, 16, "test message", 12, out);
	CHECK_HEX(out, 12, "81 84 83 17 DF 68 84 62 72 FB 5A BE");
}

ATF_TC_WITHOUT_HEAD(client_send_direction_magic2);
ATF_TC_BODY(client_send_direction_magic2, tc)
{
	uint8_t m[16], start[16], key[16], raw[16];

	init();
	master(m);
	mppe_start_key(m, 1, 0, start);
	initial(start, 128, key);
	CHECK_HEX(key, 16, "49 D1 1D 0F 0C C6 BE FB A2 A9 B4 B6 88 F9 1E EE");
	mppe_new_key_from_sha(start, start, 8, raw);
	CHECK_HEX(raw, 8, "70 6A 9B D2 AE 99 90 38");
	initial(start, 40, key);
	CHECK_HEX(key, 8, "D1 26 9E D2 AE 99 90 38");
	initial(start, 56, key);
	CHECK_HEX(key, 8, "D1 6A 9B D2 AE 99 90 38");
}

ATF_TC_WITHOUT_HEAD(rfc3079_2_5_mschapv1);
ATF_TC_BODY(rfc3079_2_5_mschapv1, tc)
{
	uint8_t lm[16], hash[16], hh[16], ch[8], start[16], key[16];

	init();
	/*
	 * §2.5.1/2.5.2: 40/56-bit keys from the LM hash (given here; pptpc
	 * does not compute LM hashes) through the same GetKey.
	 */
	test_hex("76 A1 52 93 60 96 D7 83 0E 23 90 22 74 04 AF D2", lm, 16);
	mppe_new_key_from_sha(lm, lm, 8, key);
	CHECK_HEX(key, 8, "D8 08 01 53 8C EC 4A 08");
	mppe_reduce_key(key, 40);
	CHECK_HEX(key, 8, "D1 26 9E 53 8C EC 4A 08");
	mppe_new_key_from_sha(lm, lm, 8, key);
	mppe_reduce_key(key, 56);
	CHECK_HEX(key, 8, "D1 08 01 53 8C EC 4A 08");
	/* §2.5.3: 128 bits from the NT hash-hash and the challenge. */
	ATF_REQUIRE_EQ(mschap_nt_password_hash("clientPass", 10, hash), 0);
	mschap_hash_nt_password_hash(hash, hh);
	test_hex("10 2D B5 DF 08 5D 30 41", ch, 8);
	mppe_start_key_v1(hh, ch, start);
	CHECK_HEX(start, 16, "A8 94 78 50 CF C0 AC C1 D1 78 9F B6 2D DC DD B0");
	initial(start, 128, key);
	CHECK_HEX(key, 16, "59 D1 59 BC 09 F7 6F 1D A2 A8 6A 28 FF EC 0B 1E");
	/* 128 leaves a key alone. */
	mppe_reduce_key(key, 128);
	CHECK_HEX(key, 16, "59 D1 59 BC 09 F7 6F 1D A2 A8 6A 28 FF EC 0B 1E");
}

struct chain {
	int		 bits;
	const char	*k[5];		/* K0, K1, K2, K3, K256 */
	const char	*c0, *c1;	/* rc4(K0 / K1, 00 21 "test message") */
};

static void
check_chain(int is_send, const struct chain *c)
{
	static const char plain[] = "\x00\x21test message";
	struct crypto_sha1 *sha;
	struct crypto_rc4 *rc4;
	uint8_t m[16], start[16], key[16], out[14];
	int kl = c->bits == 128 ? 16 : 8, n;

	master(m);
	mppe_start_key(m, is_send, 0, start);
	ATF_REQUIRE((sha = crypto_sha1_new()) != NULL);
	ATF_REQUIRE((rc4 = crypto_rc4_new()) != NULL);
	initial(start, c->bits, key);
	CHECK_HEX(key, kl, c->k[0]);
	rc4_msg(key, (size_t)kl, plain, 14, out);
	CHECK_HEX(out, 14, c->c0);
	for (n = 1; n <= 256; n++) {
		/* Leaving the context unkeyed must not change the chain. */
		ATF_REQUIRE_EQ(mppe_change_key(sha, rc4, start, key, kl,
		    c->bits, n % 2), 0);
		if (n == 1) {
			/* setkey: the context now encrypts with K1. */
			ATF_REQUIRE_EQ(crypto_rc4_xor(rc4,
			    (const uint8_t *)plain, out, 14), 0);
			CHECK_HEX(out, 14, c->c1);
		}
		if (n <= 3)
			CHECK_HEX(key, kl, c->k[n]);
	}
	CHECK_HEX(key, kl, c->k[4]);
	crypto_sha1_free(sha);
	crypto_rc4_free(rc4);
}

ATF_TC_WITHOUT_HEAD(key_change_chains_client_to_server);
ATF_TC_BODY(key_change_chains_client_to_server, tc)
{
	static const struct chain c[] = {
		{ 40, { "D1269ED2AE999038", "D1269E772B557EC1",
		    "D1269ED36D6287C8", "D1269E668C5DD844",
		    "D1269EDE56E3365A" },
		  "AE6BFB41E13F57CA09B5E6BFF56B",
		  "B24393F56C0429ADF45CE898F3A8" },
		{ 56, { "D16A9BD2AE999038", "D1EF3D78B562DEA9",
		    "D158DCB865DB5E4C", "D1F665A1EA7713F6",
		    "D1CB599C60615FAC" },
		  "3EF2D870272E635633E971586BC6",
		  "B655E15C73B823EF221407E16022" },
		{ 128, { "49D11D0F0CC6BEFBA2A9B4B688F91EEE",
		    "0E09C108101DFDDEF6C0E2F2D95D0BAD",
		    "03273439AC5F94C97F13D9133DF4DFC5",
		    "146489FCDBCDDFED41085FB0E7DB0166",
		    "F9365D685C307F4E2C64020DAF26085C" },
		  "C128AE47C6F80FD503E3AE38E565",
		  "3F79A9FD0590D2482F52F50EEE55" },
	};
	size_t i;

	init();
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		check_chain(1, &c[i]);
}

ATF_TC_WITHOUT_HEAD(key_change_chains_server_to_client);
ATF_TC_BODY(key_change_chains_server_to_client, tc)
{
	static const struct chain c[] = {
		{ 40, { "D1269EC49FA62E3E", "D1269ECE4D98D181",
		    "D1269EDEEFBD8AFF", "D1269EB1A7FCB215",
		    "D1269EEC59C203CD" },
		  "E6D530802D4146C87EC54C9C54DD",
		  "9EDCA503E79A60E2522DAE2433ED" },
		{ 56, { "D15C00C49FA62E3E", "D16182A2AB481407",
		    "D178CC274F63FAF1", "D1894870DAAB684A",
		    "D1DF4D3F9A8E8702" },
		  "4B546F22A95DC8B654AE43BCD702",
		  "68DA873ED60FA7346AF19674DDE1" },
		{ 128, { "405CB2247A7956E6E211007AE27B22D4",
		    "726F10500E2B54135B1B74D7682F0471",
		    "2805BC7869BEC825573A7803E95A3ACD",
		    "58128C36CABD54968139FD94B5883D4A",
		    "7DEACF489DA29586FAEAF17F14FC1773" },
		  "F5C084068C71C17C64E94EBAF8A7",
		  "7058224E931B78D7B615FA441831" },
	};
	size_t i;

	init();
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		check_chain(0, &c[i]);
}

ATF_TC_WITHOUT_HEAD(bad_key_length_is_refused);
ATF_TC_BODY(bad_key_length_is_refused, tc)
{
	struct crypto_sha1 *sha;
	struct crypto_rc4 *rc4;
	uint8_t start[16] = { 0 }, key[16] = { 0 };

	init();
	ATF_REQUIRE((sha = crypto_sha1_new()) != NULL);
	ATF_REQUIRE((rc4 = crypto_rc4_new()) != NULL);
	ATF_CHECK_EQ(mppe_new_key_from_sha_ctx(sha, start, key, 5, key), -1);
	ATF_CHECK_EQ(mppe_change_key(sha, rc4, start, key, 12, 128, 1), -1);
	ATF_CHECK_EQ(mppe_new_key_from_sha_ctx(sha, start, key, 16, key), 0);
	crypto_sha1_free(sha);
	crypto_rc4_free(rc4);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rfc3079_3_5_master_and_start_keys);
	ATF_TP_ADD_TC(tp, rfc3079_3_5_session_keys_and_ciphertext);
	ATF_TP_ADD_TC(tp, client_send_direction_magic2);
	ATF_TP_ADD_TC(tp, rfc3079_2_5_mschapv1);
	ATF_TP_ADD_TC(tp, key_change_chains_client_to_server);
	ATF_TP_ADD_TC(tp, key_change_chains_server_to_client);
	ATF_TP_ADD_TC(tp, bad_key_length_is_refused);
	return atf_no_error();
}
