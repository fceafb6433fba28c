/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The cryptographic primitives pptpc needs, from OpenSSL's libcrypto.
 *
 * OpenSSL 3 keeps MD4, DES and RC4 in its "legacy" provider.  crypto_init()
 * loads "legacy" and "default" once, at start, and fetches every algorithm
 * once; nothing fetches per packet.  The fetched algorithms are read-only
 * after crypto_init().
 */
#ifndef PPTPC_CRYPTO_H
#define PPTPC_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Loads the providers and fetches MD4, MD5, SHA-1, DES-ECB and RC4.
 * Returns 0, or -1 with a message in err that says what is missing
 * (for instance that the legacy provider could not be loaded).
 * Safe to call more than once.
 */
int	crypto_init(char *err, size_t errlen);

/* One-shot digests; crypto_init() must have succeeded. */
void	crypto_md4(const void *, size_t, uint8_t out[16]);
void	crypto_md5_vec(const void *const *parts, const size_t *lens, int n,
	    uint8_t out[16]);
void	crypto_sha1_vec(const void *const *parts, const size_t *lens, int n,
	    uint8_t out[20]);
/*
 * SHA-1 with a context created once and reused, for the MPPE key change
 * that runs on every packet in stateless mode: no allocation and no
 * fetch per digest (crypto.c says why it is not EVP's).
 */
struct crypto_sha1;

struct crypto_sha1	*crypto_sha1_new(void);
int			 crypto_sha1_ctx_vec(struct crypto_sha1 *,
			    const void *const *parts, const size_t *lens, int n,
			    uint8_t out[20]);
void			 crypto_sha1_free(struct crypto_sha1 *);

/* DES-ECB of one block with a 7-byte key expanded to 8 (RFC 2759 §8.6). */
void	crypto_des_7(const uint8_t key7[7], const uint8_t in[8],
	    uint8_t out[8]);
/* Expands a 56-bit key to 8 bytes with odd parity in bit 0 of each. */
void	crypto_des_expand_key(const uint8_t key7[7], uint8_t key8[8]);

/* Constant-time comparison: 0 when equal. */
int	crypto_memeq_ct(const void *, const void *, size_t);
/* Wipes a secret so that the compiler cannot drop the store. */
void	crypto_wipe(void *, size_t);

/*
 * An RC4 keystream that is created once per session direction and rekeyed
 * in place; it never allocates after crypto_rc4_new().
 */
struct crypto_rc4;

struct crypto_rc4	*crypto_rc4_new(void);
/* Sets a key of 1..16 bytes and restarts the keystream. */
int			 crypto_rc4_setkey(struct crypto_rc4 *,
			    const uint8_t *key, size_t keylen);
/* XORs len bytes with the keystream; in and out may be the same. */
int			 crypto_rc4_xor(struct crypto_rc4 *, const uint8_t *in,
			    uint8_t *out, size_t len);
void			 crypto_rc4_free(struct crypto_rc4 *);

#endif /* PPTPC_CRYPTO_H */
