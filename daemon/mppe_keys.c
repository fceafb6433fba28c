/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * MPPE key derivation (RFC 3079 §2.4, §3): from the MS-CHAP password
 * hash-hash and NT response to the start key of each direction, and the
 * SHA-1 step of every key change.
 */
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "mppe_keys.h"

static const char magic1[] = "This is the MPPE Master Key";
static const char magic2[] = "On the client side, this is the send key; "
    "on the server side, it is the receive key.";
static const char magic3[] = "On the client side, this is the receive key; "
    "on the server side, it is the send key.";

_Static_assert(sizeof(magic2) == 85 && sizeof(magic3) == 85,
    "Magic2 and Magic3 are 84 bytes (RFC 3079 section 3.4)");

/* SHApad1 and SHApad2 (RFC 3078 §7.3), 40 bytes each. */
static const uint8_t shapad1[40] = { 0 };
static const uint8_t shapad2[40] = {
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
};

void
mppe_master_key(const uint8_t hashhash[16], const uint8_t ntresp[24],
    uint8_t master[16])
{
	const void *parts[3] = { hashhash, ntresp, magic1 };
	size_t lens[3] = { 16, 24, sizeof(magic1) - 1 };
	uint8_t md[20];

	crypto_sha1_vec(parts, lens, 3, md);
	memcpy(master, md, 16);
	crypto_wipe(md, sizeof(md));
}

void
mppe_start_key(const uint8_t master[16], int is_send, int is_server,
    uint8_t start[16])
{
	const char *s;
	const void *parts[4];
	size_t lens[4];
	uint8_t md[20];

	/*
	 * Magic2 is the client's send key and the server's receive key; the
	 * RFC's "SendStartKey" sample (§3.5) is the server's, with Magic3.
	 */
	s = (is_send && is_server) || (!is_send && !is_server) ?
	    magic3 : magic2;
	parts[0] = master;
	lens[0] = 16;
	parts[1] = shapad1;
	lens[1] = sizeof(shapad1);
	parts[2] = s;
	lens[2] = sizeof(magic2) - 1;	/* Magic2 and Magic3: 84 bytes */
	parts[3] = shapad2;
	lens[3] = sizeof(shapad2);
	crypto_sha1_vec(parts, lens, 4, md);
	memcpy(start, md, 16);
	crypto_wipe(md, sizeof(md));
}

void
mppe_start_key_v1(const uint8_t hashhash[16], const uint8_t challenge[8],
    uint8_t start[16])
{
	/* RFC 3079 §2.4: SHA1(PasswordHashHash || PasswordHashHash || ch). */
	const void *parts[3] = { hashhash, hashhash, challenge };
	size_t lens[3] = { 16, 16, 8 };
	uint8_t md[20];

	crypto_sha1_vec(parts, lens, 3, md);
	memcpy(start, md, 16);
	crypto_wipe(md, sizeof(md));
}

static void
new_key_parts(const uint8_t *start, const uint8_t *current, int keylen,
    const void *parts[4], size_t lens[4])
{
	parts[0] = start;
	lens[0] = (size_t)keylen;
	parts[1] = shapad1;
	lens[1] = sizeof(shapad1);
	parts[2] = current;
	lens[2] = (size_t)keylen;
	parts[3] = shapad2;
	lens[3] = sizeof(shapad2);
}

void
mppe_new_key_from_sha(const uint8_t *start, const uint8_t *current,
    int keylen, uint8_t *out)
{
	const void *parts[4];
	size_t lens[4];
	uint8_t md[20];

	if (keylen != 8 && keylen != 16)
		fatalx("%s: key length %d", __func__, keylen);
	new_key_parts(start, current, keylen, parts, lens);
	crypto_sha1_vec(parts, lens, 4, md);
	memcpy(out, md, (size_t)keylen);
	crypto_wipe(md, sizeof(md));
}

int
mppe_new_key_from_sha_ctx(struct crypto_sha1 *sha, const uint8_t *start,
    const uint8_t *current, int keylen, uint8_t *out)
{
	const void *parts[4];
	size_t lens[4];
	uint8_t md[20];
	int rv;

	if (keylen != 8 && keylen != 16)
		return -1;
	new_key_parts(start, current, keylen, parts, lens);
	if ((rv = crypto_sha1_ctx_vec(sha, parts, lens, 4, md)) == 0)
		memcpy(out, md, (size_t)keylen);
	crypto_wipe(md, sizeof(md));
	return rv;
}

int
mppe_change_key(struct crypto_sha1 *sha, struct crypto_rc4 *rc4,
    const uint8_t *start, uint8_t *key, int keylen, int bits, int setkey)
{
	uint8_t interim[MPPE_KEY_MAX];
	int rv = -1;

	if (keylen != 8 && keylen != 16)
		return -1;
	if (mppe_new_key_from_sha_ctx(sha, start, key, keylen, interim) == -1)
		goto out;
	if (crypto_rc4_setkey(rc4, interim, (size_t)keylen) == -1 ||
	    crypto_rc4_xor(rc4, interim, key, (size_t)keylen) == -1)
		goto out;
	mppe_reduce_key(key, bits);
	if (setkey && crypto_rc4_setkey(rc4, key, (size_t)keylen) == -1)
		goto out;
	rv = 0;
out:
	crypto_wipe(interim, sizeof(interim));
	return rv;
}

void
mppe_reduce_key(uint8_t *key, int bits)
{
	/* RFC 3079 §3.3: fixed salt bytes take the place of the key's top. */
	switch (bits) {
	case 40:
		key[0] = 0xd1;
		key[1] = 0x26;
		key[2] = 0x9e;
		break;
	case 56:
		key[0] = 0xd1;
		break;
	default:
		break;
	}
}
