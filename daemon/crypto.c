/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The few primitives MS-CHAP and MPPE need, through libcrypto's EVP API.
 *
 * OpenSSL 3 moved MD4, DES and RC4 into the "legacy" provider, which is
 * not loaded by default; crypto_init() loads it with "default" (loading any
 * provider explicitly stops the implicit load of "default") and fetches
 * every algorithm once, because an implicit fetch by name on each call
 * costs a lock and a lookup.  LibreSSL and OpenSSL before 3.0 have no
 * providers and use the built-in EVP_md4() and friends.
 */
/*
 * The per-packet SHA-1 (struct crypto_sha1) uses libcrypto's SHA1_Init(),
 * _Update() and _Final(), deprecated in OpenSSL 3 but present there and in
 * LibreSSL: OpenSSL 3.0's EVP_DigestInit_ex() frees the provider's digest
 * context and allocates a new one on every call, even for the digest the
 * context already has (one malloc and free per digest, measured with
 * CRYPTO_set_mem_functions() on 3.0.19), and no EVP call re-initialises
 * a digest context without it.  That made every stateless MPPE packet
 * allocate.  Everything else here stays on EVP.
 */
#define OPENSSL_SUPPRESS_DEPRECATED	1

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/sha.h>

#if OPENSSL_VERSION_NUMBER >= 0x30000000L && !defined(LIBRESSL_VERSION_NUMBER)
#define CRYPTO_HAVE_PROVIDERS	1
#include <openssl/provider.h>
#endif

#include "crypto.h"
#include "log.h"

/*
 * The fetched algorithms.  Written only by crypto_init(), read-only after
 * it: the one piece of file-static state, and it holds no secret.  The
 * objects live as long as the process, as the providers do.
 */
static struct {
	int			 ready;
	const EVP_MD		*md4;
	const EVP_MD		*md5;
	const EVP_MD		*sha1;
	const EVP_CIPHER	*des_ecb;
	const EVP_CIPHER	*rc4;
} algs;

struct crypto_rc4 {
	EVP_CIPHER_CTX	*ctx;
	size_t		 keylen;	/* the length the context is set to */
};

struct crypto_sha1 {
	SHA_CTX		 ctx;
};

#ifdef CRYPTO_HAVE_PROVIDERS
/* Only the providers' path has OpenSSL errors worth reporting. */
static void
ossl_error(char *err, size_t errlen, const char *what)
{
	unsigned long e;
	char buf[256];

	/* The last queued error is the most specific one. */
	e = ERR_peek_last_error();
	if (e != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		snprintf(err, errlen, "%s (%s)", what, buf);
	} else
		snprintf(err, errlen, "%s", what);
	ERR_clear_error();
}

int
crypto_init(char *err, size_t errlen)
{
	static const struct {
		const char	*name;
		int		 cipher;
	} want[] = {
		{ "MD4", 0 }, { "MD5", 0 }, { "SHA1", 0 },
		{ "DES-ECB", 1 }, { "RC4", 1 },
	};
	void *got[5] = { NULL };
	char what[128];
	size_t i;

	if (algs.ready)
		return 0;
	/*
	 * A provider stays loaded until unloaded; loading twice after a
	 * failed fetch below only bumps its reference count.
	 */
	if (OSSL_PROVIDER_load(NULL, "legacy") == NULL) {
		ossl_error(err, errlen, "OpenSSL 3's legacy provider could not "
		    "be loaded; MD4, DES and RC4 need it");
		return -1;
	}
	if (OSSL_PROVIDER_load(NULL, "default") == NULL) {
		ossl_error(err, errlen,
		    "OpenSSL 3's default provider could not be loaded");
		return -1;
	}
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (want[i].cipher)
			got[i] = EVP_CIPHER_fetch(NULL, want[i].name, NULL);
		else
			got[i] = EVP_MD_fetch(NULL, want[i].name, NULL);
		if (got[i] == NULL) {
			snprintf(what, sizeof(what), "libcrypto has no %s even "
			    "with the legacy provider loaded", want[i].name);
			ossl_error(err, errlen, what);
			goto fail;
		}
	}
	algs.md4 = got[0];
	algs.md5 = got[1];
	algs.sha1 = got[2];
	algs.des_ecb = got[3];
	algs.rc4 = got[4];
	algs.ready = 1;
	return 0;
fail:
	while (i-- > 0) {
		if (want[i].cipher)
			EVP_CIPHER_free(got[i]);
		else
			EVP_MD_free(got[i]);
	}
	return -1;
}
#else
int
crypto_init(char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	algs.md4 = EVP_md4();
	algs.md5 = EVP_md5();
	algs.sha1 = EVP_sha1();
	algs.des_ecb = EVP_des_ecb();
	algs.rc4 = EVP_rc4();
	algs.ready = 1;
	return 0;
}
#endif

static void
need_init(void)
{
	if (!algs.ready)
		fatalx("crypto: used before crypto_init()");
}

/*
 * The one-shot digests serve authentication, once per session, so a
 * context allocated per call is fine here; the data path uses
 * struct crypto_sha1.  They can only fail when memory runs out, and their
 * callers have no way to go on without the digest.
 */
static void
digest_vec(const EVP_MD *md, const char *name, const void *const *parts,
    const size_t *lens, int n, uint8_t *out)
{
	EVP_MD_CTX *ctx;
	int i, ok;

	need_init();
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		fatalx("crypto: %s: out of memory", name);
	ok = EVP_DigestInit_ex(ctx, md, NULL);
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, parts[i], lens[i]);
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		fatalx("crypto: %s digest failed", name);
}

void
crypto_md4(const void *data, size_t len, uint8_t out[16])
{
	const void *parts[1] = { data };
	size_t lens[1] = { len };

	digest_vec(algs.md4, "MD4", parts, lens, 1, out);
}

void
crypto_md5_vec(const void *const *parts, const size_t *lens, int n,
    uint8_t out[16])
{
	digest_vec(algs.md5, "MD5", parts, lens, n, out);
}

void
crypto_sha1_vec(const void *const *parts, const size_t *lens, int n,
    uint8_t out[20])
{
	digest_vec(algs.sha1, "SHA-1", parts, lens, n, out);
}

struct crypto_sha1 *
crypto_sha1_new(void)
{
	struct crypto_sha1 *s;

	/* As the EVP objects: nothing before crypto_init(). */
	if (!algs.ready) {
		errno = EINVAL;
		return NULL;
	}
	return calloc(1, sizeof(*s));
}

int
crypto_sha1_ctx_vec(struct crypto_sha1 *s, const void *const *parts,
    const size_t *lens, int n, uint8_t out[20])
{
	int i, ok;

	ok = SHA1_Init(&s->ctx);
	for (i = 0; ok && i < n; i++)
		ok = SHA1_Update(&s->ctx, parts[i], lens[i]);
	if (ok)
		ok = SHA1_Final(out, &s->ctx);
	/* The chaining state is the digest: not left behind. */
	OPENSSL_cleanse(&s->ctx, sizeof(s->ctx));
	return ok ? 0 : -1;
}

void
crypto_sha1_free(struct crypto_sha1 *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s, sizeof(*s));
	free(s);
}

void
crypto_des_expand_key(const uint8_t key7[7], uint8_t key8[8])
{
	uint8_t b;
	int i;

	/* Seven bits of key in the high bits of each byte (RFC 2759 §8.6). */
	key8[0] = key7[0];
	for (i = 1; i < 7; i++)
		key8[i] = (uint8_t)(key7[i - 1] << (8 - i) | key7[i] >> i);
	key8[7] = (uint8_t)(key7[6] << 1);
	/*
	 * DES ignores the low bit, but the RFC's examples set it to odd
	 * parity, and so do we so that the expanded keys match them.
	 */
	for (i = 0; i < 8; i++) {
		b = key8[i] & 0xfe;
		b ^= b >> 4;
		b ^= b >> 2;
		b ^= b >> 1;
		key8[i] = (key8[i] & 0xfe) | ((b & 1) ^ 1);
	}
}

void
crypto_des_7(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8])
{
	EVP_CIPHER_CTX *ctx;
	uint8_t key8[8];
	int outl, ok;

	need_init();
	crypto_des_expand_key(key7, key8);
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		fatalx("crypto: DES: out of memory");
	ok = EVP_EncryptInit_ex(ctx, algs.des_ecb, NULL, key8, NULL) &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) &&
	    EVP_EncryptUpdate(ctx, out, &outl, in, 8) && outl == 8;
	EVP_CIPHER_CTX_free(ctx);
	crypto_wipe(key8, sizeof(key8));
	if (!ok)
		fatalx("crypto: DES-ECB failed");
}

int
crypto_memeq_ct(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0 ? 0 : 1;
}

void
crypto_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}

struct crypto_rc4 *
crypto_rc4_new(void)
{
	struct crypto_rc4 *r;

	if (!algs.ready) {
		errno = EINVAL;
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->ctx = EVP_CIPHER_CTX_new()) == NULL)
		goto fail;
	/*
	 * Bind the cipher now, without a key, so that every later
	 * crypto_rc4_setkey() only runs the key schedule (EVP with a NULL
	 * cipher reuses the bound one and fetches nothing).
	 */
	if (!EVP_EncryptInit_ex(r->ctx, algs.rc4, NULL, NULL, NULL))
		goto fail;
	r->keylen = (size_t)EVP_CIPHER_CTX_key_length(r->ctx);
	return r;
fail:
	EVP_CIPHER_CTX_free(r->ctx);
	free(r);
	errno = ENOMEM;
	return NULL;
}

int
crypto_rc4_setkey(struct crypto_rc4 *r, const uint8_t *key, size_t keylen)
{
	if (keylen < 1 || keylen > 16)
		return -1;
	/* EVP's RC4 defaults to 16-byte keys; 40/56-bit MPPE uses 8. */
	if (keylen != r->keylen) {
		if (!EVP_CIPHER_CTX_set_key_length(r->ctx, (int)keylen))
			return -1;
		r->keylen = keylen;
	}
	if (!EVP_EncryptInit_ex(r->ctx, NULL, NULL, key, NULL))
		return -1;
	return 0;
}

int
crypto_rc4_xor(struct crypto_rc4 *r, const uint8_t *in, uint8_t *out,
    size_t len)
{
	int outl;

	if (len > INT_MAX)
		return -1;
	if (len == 0)
		return 0;
	if (!EVP_EncryptUpdate(r->ctx, out, &outl, in, (int)len) ||
	    (size_t)outl != len)
		return -1;
	return 0;
}

void
crypto_rc4_free(struct crypto_rc4 *r)
{
	if (r == NULL)
		return;
	/* The provider cleanses its key schedule when the context goes. */
	EVP_CIPHER_CTX_free(r->ctx);
	free(r);
}
