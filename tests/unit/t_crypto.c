/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for daemon/crypto.c: each primitive against published
 * answers, the RC4 context's rekeying and key lengths, and the DES key
 * expansion of RFC 2759 §9.3.
 */
#include <atf-c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "testutil.h"

static void
init(void)
{
	char err[256];

	ATF_REQUIRE_MSG(crypto_init(err, sizeof(err)) == 0, "%s", err);
}

ATF_TC_WITHOUT_HEAD(init_is_idempotent);
ATF_TC_BODY(init_is_idempotent, tc)
{
	char err[256];

	ATF_CHECK_EQ(crypto_init(err, sizeof(err)), 0);
	ATF_CHECK_EQ(crypto_init(err, sizeof(err)), 0);
}

ATF_TC_WITHOUT_HEAD(init_names_missing_legacy_provider);
ATF_TC_BODY(init_names_missing_legacy_provider, tc)
{
	char err[256];

	/*
	 * Each test case runs in a process of its own, so libcrypto has not
	 * looked for its modules yet and will look only here.
	 */
	ATF_REQUIRE_EQ(setenv("OPENSSL_MODULES", "/nonexistent", 1), 0);
	ATF_CHECK_EQ(crypto_init(err, sizeof(err)), -1);
	ATF_CHECK_MSG(strstr(err, "OpenSSL 3's legacy provider could not be "
	    "loaded; MD4, DES and RC4 need it") != NULL, "%s", err);
	/* Nothing was half set up: the RC4 context is refused. */
	ATF_CHECK(crypto_rc4_new() == NULL);
	ATF_CHECK(crypto_sha1_new() == NULL);
}

ATF_TC_WITHOUT_HEAD(md4_known_answers);
ATF_TC_BODY(md4_known_answers, tc)
{
	uint8_t md[16];

	init();
	crypto_md4("", 0, md);
	CHECK_HEX(md, 16, "31D6CFE0D16AE931B73C59D7E0C089C0");
	crypto_md4("abc", 3, md);
	CHECK_HEX(md, 16, "A448017AAF21D8525FC10AE87AA6729D");
}

ATF_TC_WITHOUT_HEAD(md5_sha1_vectors_split_anywhere);
ATF_TC_BODY(md5_sha1_vectors_split_anywhere, tc)
{
	const void *one[1] = { "abc" };
	size_t onel[1] = { 3 };
	const void *three[3] = { "a", "", "bc" };
	size_t threel[3] = { 1, 0, 2 };
	uint8_t md[20];

	init();
	crypto_md5_vec(one, onel, 1, md);
	CHECK_HEX(md, 16, "900150983CD24FB0D6963F7D28E17F72");
	crypto_md5_vec(three, threel, 3, md);
	CHECK_HEX(md, 16, "900150983CD24FB0D6963F7D28E17F72");
	crypto_sha1_vec(one, onel, 1, md);
	CHECK_HEX(md, 20, "A9993E364706816ABA3E25717850C26C9CD0D89D");
	crypto_sha1_vec(three, threel, 3, md);
	CHECK_HEX(md, 20, "A9993E364706816ABA3E25717850C26C9CD0D89D");
	crypto_sha1_vec(NULL, NULL, 0, md);
	CHECK_HEX(md, 20, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709");
}

ATF_TC_WITHOUT_HEAD(sha1_context_is_reusable);
ATF_TC_BODY(sha1_context_is_reusable, tc)
{
	const void *abc[1] = { "abc" };
	size_t abcl[1] = { 3 };
	const void *e[1] = { "" };
	size_t el[1] = { 0 };
	struct crypto_sha1 *s;
	uint8_t md[20];
	int i;

	init();
	ATF_REQUIRE((s = crypto_sha1_new()) != NULL);
	for (i = 0; i < 3; i++) {
		ATF_CHECK_EQ(crypto_sha1_ctx_vec(s, abc, abcl, 1, md), 0);
		CHECK_HEX(md, 20, "A9993E364706816ABA3E25717850C26C9CD0D89D");
		ATF_CHECK_EQ(crypto_sha1_ctx_vec(s, e, el, 1, md), 0);
		CHECK_HEX(md, 20, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709");
	}
	crypto_sha1_free(s);
	crypto_sha1_free(NULL);
}

ATF_TC_WITHOUT_HEAD(des_key_expansion_rfc2759_9_3);
ATF_TC_BODY(des_key_expansion_rfc2759_9_3, tc)
{
	uint8_t k7[7], k8[8];

	test_hex("FC 15 6A F7 ED CD 6C", k7, sizeof(k7));
	crypto_des_expand_key(k7, k8);
	CHECK_HEX(k8, 8, "FD 0B 5B 5E 7F 6E 34 D9");
	test_hex("0E DD E3 33 7D 42 7F", k7, sizeof(k7));
	crypto_des_expand_key(k7, k8);
	CHECK_HEX(k8, 8, "0E 6E 79 67 37 EA 08 FE");
	memset(k7, 0, sizeof(k7));
	crypto_des_expand_key(k7, k8);
	CHECK_HEX(k8, 8, "01 01 01 01 01 01 01 01");
}

ATF_TC_WITHOUT_HEAD(des_block_rfc2759_9_2);
ATF_TC_BODY(des_block_rfc2759_9_2, tc)
{
	uint8_t k7[7], in[8], out[8];

	init();
	/* The three DES operations of the §9.2 NT-Response. */
	test_hex("D0 2E 43 86 BC E9 12 26", in, sizeof(in));
	test_hex("44EBBA8D5312B8", k7, sizeof(k7));
	crypto_des_7(k7, in, out);
	CHECK_HEX(out, 8, "82 30 9E CD 8D 70 8B 5E");
	test_hex("D611474411F569", k7, sizeof(k7));
	crypto_des_7(k7, in, out);
	CHECK_HEX(out, 8, "A0 8F AA 39 81 CD 83 54");
	test_hex("89AE0000000000", k7, sizeof(k7));
	crypto_des_7(k7, in, out);
	CHECK_HEX(out, 8, "42 33 11 4A 3D 85 D6 DF");
}

ATF_TC_WITHOUT_HEAD(rc4_key_lengths_and_rekeying);
ATF_TC_BODY(rc4_key_lengths_and_rekeying, tc)
{
	struct crypto_rc4 *r;
	uint8_t k8[8], k16[16], buf[32];
	int i;

	init();
	test_hex("D1 26 9E C4 9F A6 2E 3E", k8, sizeof(k8));
	test_hex("40 5C B2 24 7A 79 56 E6 E2 11 00 7A E2 7B 22 D4", k16,
	    sizeof(k16));
	ATF_REQUIRE((r = crypto_rc4_new()) != NULL);
	/* Switching 8 -> 16 -> 8 bytes on one context (RFC 3079 §3.5). */
	for (i = 0; i < 2; i++) {
		ATF_CHECK_EQ(crypto_rc4_setkey(r, k8, 8), 0);
		memcpy(buf, "test message", 12);
		ATF_CHECK_EQ(crypto_rc4_xor(r, buf, buf, 12), 0);
		CHECK_HEX(buf, 12, "92 91 37 91 7E 58 03 D6 68 D7 58 98");
		ATF_CHECK_EQ(crypto_rc4_setkey(r, k16, 16), 0);
		memcpy(buf, "test message", 12);
		ATF_CHECK_EQ(crypto_rc4_xor(r, buf, buf, 12), 0);
		CHECK_HEX(buf, 12, "81 84 83 17 DF 68 84 62 72 FB 5A BE");
	}
	/* The keystream runs on across calls until the next setkey. */
	ATF_CHECK_EQ(crypto_rc4_setkey(r, k16, 16), 0);
	memcpy(buf, "test message", 12);
	ATF_CHECK_EQ(crypto_rc4_xor(r, buf, buf, 5), 0);
	ATF_CHECK_EQ(crypto_rc4_xor(r, buf + 5, buf + 5, 0), 0);
	ATF_CHECK_EQ(crypto_rc4_xor(r, buf + 5, buf + 5, 7), 0);
	CHECK_HEX(buf, 12, "81 84 83 17 DF 68 84 62 72 FB 5A BE");
	/* Not in place. */
	ATF_CHECK_EQ(crypto_rc4_setkey(r, k16, 16), 0);
	ATF_CHECK_EQ(crypto_rc4_xor(r, (const uint8_t *)"test message",
	    buf + 16, 12), 0);
	CHECK_HEX(buf + 16, 12, "81 84 83 17 DF 68 84 62 72 FB 5A BE");
	/* Key lengths outside 1..16 are refused. */
	ATF_CHECK_EQ(crypto_rc4_setkey(r, k16, 0), -1);
	ATF_CHECK_EQ(crypto_rc4_setkey(r, k16, 17), -1);
	crypto_rc4_free(r);
	crypto_rc4_free(NULL);
}

ATF_TC_WITHOUT_HEAD(memeq_ct_and_wipe);
ATF_TC_BODY(memeq_ct_and_wipe, tc)
{
	uint8_t a[20], b[20];
	size_t i;

	memset(a, 0x5a, sizeof(a));
	memcpy(b, a, sizeof(b));
	ATF_CHECK_EQ(crypto_memeq_ct(a, b, sizeof(a)), 0);
	ATF_CHECK_EQ(crypto_memeq_ct(a, b, 0), 0);
	for (i = 0; i < sizeof(b); i++) {
		b[i] ^= 0x01;
		ATF_CHECK(crypto_memeq_ct(a, b, sizeof(a)) != 0);
		b[i] ^= 0x01;
	}
	crypto_wipe(a, sizeof(a));
	for (i = 0; i < sizeof(a); i++)
		ATF_CHECK_EQ(a[i], 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, init_is_idempotent);
	ATF_TP_ADD_TC(tp, init_names_missing_legacy_provider);
	ATF_TP_ADD_TC(tp, md4_known_answers);
	ATF_TP_ADD_TC(tp, md5_sha1_vectors_split_anywhere);
	ATF_TP_ADD_TC(tp, sha1_context_is_reusable);
	ATF_TP_ADD_TC(tp, des_key_expansion_rfc2759_9_3);
	ATF_TP_ADD_TC(tp, des_block_rfc2759_9_2);
	ATF_TP_ADD_TC(tp, rc4_key_lengths_and_rekeying);
	ATF_TP_ADD_TC(tp, memeq_ct_and_wipe);
	return atf_no_error();
}
