/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * CHAP-MD5 (RFC 1994), MS-CHAPv1 (RFC 2433) and MS-CHAPv2 (RFC 2759).
 *
 * Compositions of the primitives in crypto.c.  Every intermediate that
 * is derived from the password is wiped before returning.
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "mschap.h"

/* RFC 2759 §8.7; the terminating NUL is not hashed. */
static const char magic1[] = "Magic server to client signing constant";
static const char magic2[] = "Pad to make it do more than one iteration";

/*
 * Decodes one UTF-8 sequence at s[*i] strictly (RFC 3629): no overlong
 * forms, no UTF-16 surrogates, nothing above U+10FFFF, no truncation.
 * Returns the code point, or -1.
 */
static long
utf8_next(const uint8_t *s, size_t len, size_t *i)
{
	uint8_t c = s[*i];
	unsigned long cp;
	size_t n, k;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 1;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3;
		cp = c & 0x07;
	} else {
		/* A continuation byte, overlong 0xc0/0xc1, or above 0xf4. */
		return -1;
	}
	if (n > len - *i - 1)
		return -1;
	for (k = 1; k <= n; k++) {
		c = s[*i + k];
		if ((c & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (c & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000))
		return -1;	/* overlong */
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return -1;
	*i += n + 1;
	return (long)cp;
}

/*
 * Writes the UTF-16LE form of a UTF-8 password into out (room for
 * MSCHAP_PASSWORD_MAX units) and returns its length in bytes, or -1 with
 * a reason in err.  Only the offset of a bad byte is reported, never a
 * byte of the password.
 */
static int
utf8_to_utf16le(const char *pw, size_t pwlen,
    uint8_t out[MSCHAP_PASSWORD_MAX * 2], char *err, size_t errlen)
{
	const uint8_t *s = (const uint8_t *)pw;
	size_t i = 0, units = 0, at;
	unsigned long hi, lo;
	long cp;

	while (i < pwlen) {
		at = i;
		if ((cp = utf8_next(s, pwlen, &i)) < 0) {
			if (err != NULL)
				snprintf(err, errlen, "password is not valid "
				    "UTF-8 (at byte %zu)", at);
			return -1;
		}
		if (units + (cp >= 0x10000 ? 2 : 1) > MSCHAP_PASSWORD_MAX) {
			if (err != NULL)
				snprintf(err, errlen, "password is longer than "
				    "%d UTF-16 units", MSCHAP_PASSWORD_MAX);
			return -1;
		}
		if (cp >= 0x10000) {
			/* Outside the BMP: a surrogate pair. */
			hi = 0xd800 + (((unsigned long)cp - 0x10000) >> 10);
			lo = 0xdc00 + (((unsigned long)cp - 0x10000) & 0x3ff);
			out[units * 2] = hi & 0xff;
			out[units * 2 + 1] = hi >> 8;
			units++;
			out[units * 2] = lo & 0xff;
			out[units * 2 + 1] = lo >> 8;
			units++;
		} else {
			out[units * 2] = cp & 0xff;
			out[units * 2 + 1] = (unsigned long)cp >> 8;
			units++;
		}
	}
	return (int)(units * 2);
}

int
mschap_password_check(const char *pw, size_t pwlen, char *err, size_t errlen)
{
	uint8_t u16[MSCHAP_PASSWORD_MAX * 2];
	int n;

	n = utf8_to_utf16le(pw, pwlen, u16, err, errlen);
	crypto_wipe(u16, sizeof(u16));
	return n < 0 ? -1 : 0;
}

int
mschap_nt_password_hash(const char *pw, size_t pwlen,
    uint8_t hash[MSCHAP_HASH_LEN])
{
	uint8_t u16[MSCHAP_PASSWORD_MAX * 2];
	int n;

	if ((n = utf8_to_utf16le(pw, pwlen, u16, NULL, 0)) < 0) {
		crypto_wipe(u16, sizeof(u16));
		return -1;
	}
	/* No terminating zero is hashed (RFC 2759 erratum 1924). */
	crypto_md4(u16, (size_t)n, hash);
	crypto_wipe(u16, sizeof(u16));
	return 0;
}

void
mschap_hash_nt_password_hash(const uint8_t hash[MSCHAP_HASH_LEN],
    uint8_t hashhash[MSCHAP_HASH_LEN])
{
	crypto_md4(hash, MSCHAP_HASH_LEN, hashhash);
}

void
mschap_challenge_response(const uint8_t challenge[8],
    const uint8_t hash[MSCHAP_HASH_LEN], uint8_t resp[MSCHAP_NTRESP_LEN])
{
	uint8_t z[21];

	/* Three DES keys from the hash padded with zeroes to 21 bytes. */
	memset(z, 0, sizeof(z));
	memcpy(z, hash, MSCHAP_HASH_LEN);
	crypto_des_7(z, challenge, resp);
	crypto_des_7(z + 7, challenge, resp + 8);
	crypto_des_7(z + 14, challenge, resp + 16);
	crypto_wipe(z, sizeof(z));
}

/* The user name without a "DOMAIN\" prefix (RFC 2759 §4). */
static const char *
strip_domain(const char *user)
{
	const char *p;

	if ((p = strrchr(user, '\\')) != NULL)
		return p + 1;
	return user;
}

void
mschapv2_challenge_hash(const uint8_t peer_ch[16], const uint8_t auth_ch[16],
    const char *user, uint8_t out[8])
{
	const char *u = strip_domain(user);
	const void *parts[3] = { peer_ch, auth_ch, u };
	size_t lens[3] = { 16, 16, strlen(u) };
	uint8_t md[20];

	crypto_sha1_vec(parts, lens, 3, md);
	memcpy(out, md, 8);
}

int
mschapv2_nt_response(const uint8_t auth_ch[16], const uint8_t peer_ch[16],
    const char *user, const char *pw, size_t pwlen,
    uint8_t resp[MSCHAP_NTRESP_LEN])
{
	uint8_t ch[8], hash[MSCHAP_HASH_LEN];

	if (mschap_nt_password_hash(pw, pwlen, hash) == -1)
		return -1;
	mschapv2_challenge_hash(peer_ch, auth_ch, user, ch);
	mschap_challenge_response(ch, hash, resp);
	crypto_wipe(hash, sizeof(hash));
	return 0;
}

void
mschapv2_authenticator_response(const uint8_t hashhash[MSCHAP_HASH_LEN],
    const uint8_t ntresp[MSCHAP_NTRESP_LEN], const uint8_t peer_ch[16],
    const uint8_t auth_ch[16], const char *user,
    char out[MSCHAPV2_AUTHRESP_LEN + 1])
{
	static const char hex[] = "0123456789ABCDEF";
	uint8_t digest[20], ch[8];
	const void *p1[3] = { hashhash, ntresp, magic1 };
	size_t l1[3] = { MSCHAP_HASH_LEN, MSCHAP_NTRESP_LEN,
	    sizeof(magic1) - 1 };
	const void *p2[3] = { digest, ch, magic2 };
	size_t l2[3] = { sizeof(digest), sizeof(ch), sizeof(magic2) - 1 };
	int i;

	crypto_sha1_vec(p1, l1, 3, digest);
	mschapv2_challenge_hash(peer_ch, auth_ch, user, ch);
	crypto_sha1_vec(p2, l2, 3, digest);
	/* Upper-case hex, as RFC 2759 §5 requires. */
	out[0] = 'S';
	out[1] = '=';
	for (i = 0; i < 20; i++) {
		out[2 + 2 * i] = hex[digest[i] >> 4];
		out[3 + 2 * i] = hex[digest[i] & 0x0f];
	}
	out[MSCHAPV2_AUTHRESP_LEN] = '\0';
	crypto_wipe(digest, sizeof(digest));
}

int
mschapv2_check_success(const char expected[MSCHAPV2_AUTHRESP_LEN + 1],
    const uint8_t *msg, size_t len)
{
	uint8_t got[MSCHAPV2_AUTHRESP_LEN];
	size_t i;
	int tail_ok;

	if (len < MSCHAPV2_AUTHRESP_LEN)
		return -1;
	/*
	 * The server's digits may be lower case; fold them to the upper
	 * case we generate.  This branches on the server's bytes only, which
	 * the server already knows; the comparison with our secret-derived
	 * value below is constant-time.
	 */
	for (i = 0; i < MSCHAPV2_AUTHRESP_LEN; i++) {
		got[i] = msg[i];
		if (i >= 2 && got[i] >= 'a' && got[i] <= 'f')
			got[i] -= 'a' - 'A';
	}
	/* What may follow: nothing, " M=..." or "M=..." (as pppd accepts). */
	msg += MSCHAPV2_AUTHRESP_LEN;
	len -= MSCHAPV2_AUTHRESP_LEN;
	tail_ok = len == 0 ||
	    (len >= 3 && memcmp(msg, " M=", 3) == 0) ||
	    (len >= 2 && memcmp(msg, "M=", 2) == 0);
	if (crypto_memeq_ct(got, expected, MSCHAPV2_AUTHRESP_LEN) != 0 ||
	    !tail_ok)
		return -1;
	return 0;
}

int
mschapv1_nt_response(const uint8_t challenge[8], const char *pw,
    size_t pwlen, uint8_t resp[MSCHAP_NTRESP_LEN])
{
	uint8_t hash[MSCHAP_HASH_LEN];

	if (mschap_nt_password_hash(pw, pwlen, hash) == -1)
		return -1;
	mschap_challenge_response(challenge, hash, resp);
	crypto_wipe(hash, sizeof(hash));
	return 0;
}

void
chap_md5_response(uint8_t id, const uint8_t *secret, size_t secretlen,
    const uint8_t *challenge, size_t challengelen, uint8_t out[16])
{
	const void *parts[3] = { &id, secret, challenge };
	size_t lens[3] = { 1, secretlen, challengelen };

	crypto_md5_vec(parts, lens, 3, out);
}
