/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * MPPE key derivation (RFC 3079).  Pure functions; callers wipe results.
 *
 * Directions are a client's: a client's send key is derived with Magic2 and
 * its receive key with Magic3 (the RFC's §3.5 "SendStartKey" sample is the
 * server's send key).  The server side of the test peer passes is_server.
 */
#ifndef PPTPC_MPPE_KEYS_H
#define PPTPC_MPPE_KEYS_H

#include <stdint.h>

#define MPPE_KEY_MAX	16

/* GetMasterKey from the password hash-hash and the NT response. */
void	mppe_master_key(const uint8_t hashhash[16], const uint8_t ntresp[24],
	    uint8_t master[16]);
/* GetAsymmetricStartKey: 16 bytes, of which 8 are used for 40/56-bit. */
void	mppe_start_key(const uint8_t master[16], int is_send, int is_server,
	    uint8_t start[16]);
/*
 * MS-CHAPv1 (RFC 3079 §2.4): one start key for both directions, from the
 * password hash-hash and the 8-byte challenge.
 */
void	mppe_start_key_v1(const uint8_t hashhash[16],
	    const uint8_t challenge[8], uint8_t start[16]);
/* GetNewKeyFromSHA over keylen (8 or 16) bytes. */
void	mppe_new_key_from_sha(const uint8_t *start, const uint8_t *current,
	    int keylen, uint8_t *out);
/*
 * The same with a SHA-1 context created once (crypto_sha1_new()), for the
 * per-packet key change: no allocation.  -1 if libcrypto fails.
 */
struct crypto_sha1;
int	mppe_new_key_from_sha_ctx(struct crypto_sha1 *, const uint8_t *start,
	    const uint8_t *current, int keylen, uint8_t *out);
/*
 * One key change (RFC 3078 §7.3, RFC 3079 §3.3) of key (keylen bytes,
 * already reduced) in place: interim = GetNewKeyFromSHA(start, key),
 * key = RC4(interim, interim), reduced to bits.  rc4 is keyed in the
 * process and, if setkey, left keyed with the new key for data.
 * -1 if libcrypto fails.
 */
struct crypto_rc4;
int	mppe_change_key(struct crypto_sha1 *, struct crypto_rc4 *,
	    const uint8_t *start, uint8_t *key, int keylen, int bits,
	    int setkey);
/* The 40- and 56-bit reductions (bits 40, 56; 128 leaves the key as is). */
void	mppe_reduce_key(uint8_t *key, int bits);

#endif /* PPTPC_MPPE_KEYS_H */
