/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * CHAP-MD5 (RFC 1994), MS-CHAPv1 (RFC 2433) and MS-CHAPv2 (RFC 2759)
 * computations.  Pure functions of their inputs: no I/O, no state.
 * Passwords arrive as UTF-8 from the configuration and are hashed as
 * UTF-16LE; callers wipe what they pass in.
 */
#ifndef PPTPC_MSCHAP_H
#define PPTPC_MSCHAP_H

#include <stddef.h>
#include <stdint.h>

#define MSCHAP_PASSWORD_MAX	256	/* UTF-16 code units, RFC 2759 */
#define MSCHAP_HASH_LEN		16
#define MSCHAP_NTRESP_LEN	24
#define MSCHAPV1_CHALLENGE_LEN	8
#define MSCHAPV2_CHALLENGE_LEN	16
#define MSCHAPV2_AUTHRESP_LEN	42	/* "S=" and 40 upper-case hex digits */

/*
 * MD4 of the UTF-16LE form of a UTF-8 password.  Returns 0, or -1 if the
 * password is not valid UTF-8 or is longer than MSCHAP_PASSWORD_MAX UTF-16
 * code units (a character outside the BMP takes two).
 */
int	mschap_nt_password_hash(const char *pw, size_t pwlen,
	    uint8_t hash[MSCHAP_HASH_LEN]);
/*
 * The same checks as mschap_nt_password_hash() without hashing, for the
 * configuration parser: 0, or -1 with the reason in err ("password is not
 * valid UTF-8 (at byte 5)"); the message never quotes the password.
 */
int	mschap_password_check(const char *pw, size_t pwlen, char *err,
	    size_t errlen);
void	mschap_hash_nt_password_hash(const uint8_t hash[MSCHAP_HASH_LEN],
	    uint8_t hashhash[MSCHAP_HASH_LEN]);
/* DES of an 8-byte challenge under the 21-byte zero-padded hash. */
void	mschap_challenge_response(const uint8_t challenge[8],
	    const uint8_t hash[MSCHAP_HASH_LEN],
	    uint8_t resp[MSCHAP_NTRESP_LEN]);

/*
 * RFC 2759 ChallengeHash.  The user name is the one sent in the Response;
 * a "DOMAIN\" prefix is removed here, as RFC 2759 §4 asks.
 */
void	mschapv2_challenge_hash(const uint8_t peer_ch[16],
	    const uint8_t auth_ch[16], const char *user, uint8_t out[8]);
/* GenerateNTResponse; -1 for a password mschap_nt_password_hash refuses. */
int	mschapv2_nt_response(const uint8_t auth_ch[16],
	    const uint8_t peer_ch[16], const char *user, const char *pw,
	    size_t pwlen, uint8_t resp[MSCHAP_NTRESP_LEN]);
/*
 * GenerateAuthenticatorResponse from the password hash-hash, written as
 * "S=" and 40 upper-case hex digits, NUL-terminated.
 */
void	mschapv2_authenticator_response(
	    const uint8_t hashhash[MSCHAP_HASH_LEN],
	    const uint8_t ntresp[MSCHAP_NTRESP_LEN], const uint8_t peer_ch[16],
	    const uint8_t auth_ch[16], const char *user,
	    char out[MSCHAPV2_AUTHRESP_LEN + 1]);
/*
 * Checks the message of a CHAP Success against the expected
 * authenticator response in constant time: it must start with the 42
 * characters (hex digits in either case) and may go on only with " M=..."
 * or "M=...".  Returns 0 if it matches, -1 if it is missing or wrong.
 */
int	mschapv2_check_success(const char expected[MSCHAPV2_AUTHRESP_LEN + 1],
	    const uint8_t *msg, size_t len);

/* MS-CHAPv1 NT response to an 8-byte challenge; -1 for a bad password. */
int	mschapv1_nt_response(const uint8_t challenge[8], const char *pw,
	    size_t pwlen, uint8_t resp[MSCHAP_NTRESP_LEN]);

/* CHAP-MD5: MD5(Identifier || secret || challenge). */
void	chap_md5_response(uint8_t id, const uint8_t *secret, size_t secretlen,
	    const uint8_t *challenge, size_t challengelen, uint8_t out[16]);

#endif /* PPTPC_MSCHAP_H */
