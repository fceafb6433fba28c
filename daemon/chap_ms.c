/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * MS-CHAPv1 (RFC 2433) and MS-CHAPv2 (RFC 2759) on top of chap.c: the
 * Response Value, the Success and Failure messages, the one retry a
 * Failure with R=1 allows, and the MPPE start keys (RFC 3079).
 *
 * The password hash lives only inside the functions that need it: the
 * client computes the authenticator response it expects and the start
 * keys together with its Response, and wipes the hashes at once.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_hooks.h"
#include "auth_local.h"
#include "buf.h"
#include "chap_ms.h"
#include "crypto.h"
#include "log.h"
#include "mppe_keys.h"
#include "mschap.h"

#define MSCHAP_NUM_MAX_DIGITS	10	/* E= and V= are 32-bit decimals */

static const char	 hexdigits[] = "0123456789ABCDEF";

void
auth_sanitize(const uint8_t *in, size_t len, char *out, size_t outlen)
{
	size_t i, room;
	int cut = 0;

	if (outlen == 0)
		return;
	room = outlen - 1;
	if (len > room) {
		cut = room >= 3;
		room = cut ? room - 3 : room;
		len = room;
	}
	for (i = 0; i < len; i++) {
		/* A quote would end the quoted text in our own log line. */
		if (in[i] == '"')
			out[i] = '\'';
		else if (in[i] >= 0x20 && in[i] < 0x7f)
			out[i] = (char)in[i];
		else
			out[i] = '?';
	}
	if (cut) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
}

const char *
mschap_error_text(unsigned int code)
{
	switch (code) {
	case 646:
		return "restricted logon hours";
	case 647:
		return "account disabled";
	case 648:
		return "password expired";
	case 649:
		return "no dial-in permission";
	case 691:
		return "bad user name or password";
	case 709:
		return "error changing password";
	}
	return NULL;
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
parse_decimal(const uint8_t *p, size_t n, unsigned int *v)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > MSCHAP_NUM_MAX_DIGITS)
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		x = x * 10 + (p[i] - '0');
	}
	if (x > UINT32_MAX)
		return -1;
	*v = (unsigned int)x;
	return 0;
}

/*
 * "E=eeeeeeeeee R=r C=cccc... V=vvvvvvvvvv M=<msg>" (RFC 2759 §6, RFC
 * 2433 §3).  Fields are taken in any order, each at most once; M= takes
 * the rest of the message, spaces included.  Only E= is required.
 */
int
mschap_parse_failure(const uint8_t *msg, size_t len, size_t chlen,
    struct mschap_failure *f, char *err, size_t errlen)
{
	struct rbuf r;
	const uint8_t *kv, *val;
	unsigned int seen = 0, bit;
	size_t start, vlen, i;
	int hi, lo;

	memset(f, 0, sizeof(*f));
	if (chlen > sizeof(f->challenge)) {
		snprintf(err, errlen, "challenge length %zu is not 8 or 16",
		    chlen);
		return -1;
	}
	/* A C string's terminator sent along is not part of the text. */
	while (len > 0 && msg[len - 1] == '\0')
		len--;
	rbuf_init(&r, msg, len);
	for (;;) {
		while (rbuf_left(&r) > 0 && r.data[r.off] == ' ')
			rbuf_skip(&r, 1);
		if (rbuf_left(&r) == 0)
			break;
		start = r.off;
		if ((kv = rbuf_take(&r, 2)) == NULL || kv[1] != '=') {
			snprintf(err, errlen, "unexpected text at offset %zu",
			    start);
			return -1;
		}
		if (kv[0] == 'M') {
			f->textlen = rbuf_left(&r);
			f->text = rbuf_take(&r, f->textlen);
			break;
		}
		for (vlen = 0; vlen < rbuf_left(&r); vlen++)
			if (r.data[r.off + vlen] == ' ')
				break;
		val = rbuf_take(&r, vlen);
		switch (kv[0]) {
		case 'E':
			bit = 1;
			break;
		case 'R':
			bit = 2;
			break;
		case 'C':
			bit = 4;
			break;
		case 'V':
			bit = 8;
			break;
		default:
			snprintf(err, errlen, "unknown field at offset %zu",
			    start);
			return -1;
		}
		if (seen & bit) {
			snprintf(err, errlen, "%c= appears twice", kv[0]);
			return -1;
		}
		seen |= bit;
		switch (kv[0]) {
		case 'E':
			if (parse_decimal(val, vlen, &f->error) == -1) {
				snprintf(err, errlen, "E= is not a number of "
				    "1 to %d digits", MSCHAP_NUM_MAX_DIGITS);
				return -1;
			}
			break;
		case 'R':
			if (vlen != 1 || (val[0] != '0' && val[0] != '1')) {
				snprintf(err, errlen, "R= is not 0 or 1");
				return -1;
			}
			f->retry = val[0] == '1';
			break;
		case 'C':
			if (vlen != 2 * chlen) {
				snprintf(err, errlen, "C= has %zu characters, "
				    "must be %zu hex digits", vlen, 2 * chlen);
				return -1;
			}
			for (i = 0; i < chlen; i++) {
				hi = hexval(val[2 * i]);
				lo = hexval(val[2 * i + 1]);
				if (hi < 0 || lo < 0) {
					snprintf(err, errlen, "C= is not "
					    "hexadecimal");
					return -1;
				}
				f->challenge[i] = (uint8_t)(hi << 4 | lo);
			}
			f->have_challenge = 1;
			break;
		case 'V':
			if (parse_decimal(val, vlen, &f->version) == -1) {
				snprintf(err, errlen, "V= is not a number of "
				    "1 to %d digits", MSCHAP_NUM_MAX_DIGITS);
				return -1;
			}
			f->have_version = 1;
			break;
		}
	}
	if (!(seen & 1)) {
		snprintf(err, errlen, "no E= error code");
		return -1;
	}
	return 0;
}

void
mschap_describe_failure(const struct mschap_failure *f,
    const char *what_next, char *out, size_t outlen)
{
	const char *words = mschap_error_text(f->error);
	char text[AUTH_TEXT_MAX];

	auth_sanitize(f->text, f->textlen, text, sizeof(text));
	snprintf(out, outlen, "E=%u%s%s%s%s%s%s%s", f->error,
	    words ? " (" : "", words ? words : "", words ? ")" : "",
	    what_next, f->text ? ": \"" : "", f->text ? text : "",
	    f->text ? "\"" : "");
}

int
mschap_format_failure(char *out, size_t outlen, unsigned int error,
    int retry, const uint8_t *challenge, size_t chlen, unsigned int version,
    const char *text)
{
	char hex[2 * 16 + 1];
	size_t i;
	int n;

	if (chlen > 16)
		return -1;
	for (i = 0; challenge != NULL && i < chlen; i++) {
		hex[2 * i] = hexdigits[challenge[i] >> 4];
		hex[2 * i + 1] = hexdigits[challenge[i] & 0xf];
	}
	hex[2 * i] = '\0';
	n = snprintf(out, outlen, "E=%u R=%d%s%s V=%u%s%s", error,
	    retry ? 1 : 0, challenge ? " C=" : "", hex, version,
	    text ? " M=" : "", text ? text : "");
	if (n < 0 || (size_t)n >= outlen)
		return -1;
	return n;
}

void
mschapv2_success_text(const uint8_t *msg, size_t len, const uint8_t **text,
    size_t *textlen)
{
	size_t off = 0;

	if (len >= MSCHAPV2_AUTHRESP_LEN && msg[0] == 'S' && msg[1] == '=') {
		off = MSCHAPV2_AUTHRESP_LEN;
		if (off < len && msg[off] == ' ')
			off++;
		if (len - off >= 2 && msg[off] == 'M' && msg[off + 1] == '=')
			off += 2;
	}
	*text = msg + off;
	*textlen = len - off;
}

int
mschapv2_response_value(const uint8_t auth_ch[16], const uint8_t peer_ch[16],
    const char *user, const char *pw, size_t pwlen,
    uint8_t value[MSCHAP_VALUE_LEN])
{
	memset(value, 0, MSCHAP_VALUE_LEN);
	memcpy(value, peer_ch, MSCHAPV2_CHALLENGE_LEN);
	/* 8 reserved octets and the Flags octet stay zero. */
	return mschapv2_nt_response(auth_ch, peer_ch, user, pw, pwlen,
	    value + 24);
}

int
mschapv1_response_value(const uint8_t challenge[8], const char *pw,
    size_t pwlen, uint8_t value[MSCHAP_VALUE_LEN])
{
	/*
	 * The LM response stays zero (RFC 2433 §A.7 lets it be): LM hashes
	 * are weak and Windows servers accept the NT response alone.
	 */
	memset(value, 0, MSCHAP_VALUE_LEN);
	value[48] = 1;		/* use the NT response */
	return mschapv1_nt_response(challenge, pw, pwlen, value + 24);
}

/* The password hash-hash, for the authenticator response and the keys. */
static int
chapms_hashhash(struct auth *a, uint8_t hashhash[MSCHAP_HASH_LEN])
{
	uint8_t hash[MSCHAP_HASH_LEN];

	if (mschap_nt_password_hash(a->password, a->password_len, hash) == -1)
		return -1;
	mschap_hash_nt_password_hash(hash, hashhash);
	crypto_wipe(hash, sizeof(hash));
	return 0;
}

/*
 * MPPE start keys from this side's point of view: a client sends with the
 * Magic2 key, a server with the Magic3 one (RFC 3079 §3.4).  MS-CHAPv1
 * has one key for both directions (§2.4); only its 128-bit form, as
 * 40-bit keys from MS-CHAPv1 come from the LM hash, which we never use.
 */
static void
chapms_keys(struct auth *a, const uint8_t hashhash[MSCHAP_HASH_LEN],
    const uint8_t ntresp[MSCHAP_NTRESP_LEN])
{
	uint8_t master[16];
	int server = a->role == AUTH_SERVER;

	if (a->method == AUTH_MSCHAPV1) {
		mppe_start_key_v1(hashhash, a->challenge, a->send_key);
		memcpy(a->recv_key, a->send_key, sizeof(a->recv_key));
	} else {
		mppe_master_key(hashhash, ntresp, master);
		mppe_start_key(master, 1, server, a->send_key);
		mppe_start_key(master, 0, server, a->recv_key);
		crypto_wipe(master, sizeof(master));
	}
	a->have_keys = 1;
}

/* Client: the Response Value to a->challenge; fails the exchange on -1. */
int
chapms_client_value(struct auth *a, uint8_t value[MSCHAP_VALUE_LEN])
{
	uint8_t peer_ch[MSCHAPV2_CHALLENGE_LEN], hashhash[MSCHAP_HASH_LEN];
	int rc;

	if (a->method == AUTH_MSCHAPV1) {
		rc = mschapv1_response_value(a->challenge, a->password,
		    a->password_len, value);
	} else {
		if (a->have_test_peer_ch)
			memcpy(peer_ch, a->test_peer_ch, sizeof(peer_ch));
		else
			arc4random_buf(peer_ch, sizeof(peer_ch));
		rc = mschapv2_response_value(a->challenge, peer_ch, a->name,
		    a->password, a->password_len, value);
	}
	if (rc == -1 || chapms_hashhash(a, hashhash) == -1) {
		crypto_wipe(value, MSCHAP_VALUE_LEN);
		crypto_wipe(hashhash, sizeof(hashhash));
		auth_fail(a, 0, "the password cannot be used with %s: it is "
		    "not valid UTF-8 or longer than %d characters",
		    auth_method_label(a->method), MSCHAP_PASSWORD_MAX);
		return -1;
	}
	if (a->method == AUTH_MSCHAPV2)
		mschapv2_authenticator_response(hashhash, value + 24, peer_ch,
		    a->challenge, a->name, a->authresp);
	chapms_keys(a, hashhash, value + 24);
	crypto_wipe(hashhash, sizeof(hashhash));
	return 0;
}

void
chapms_client_success(struct auth *a, const uint8_t *msg, size_t len)
{
	const uint8_t *text;
	size_t textlen;
	char shown[AUTH_TEXT_MAX];

	/* A C string's terminator sent along is not part of the text. */
	while (len > 0 && msg[len - 1] == '\0')
		len--;
	mschapv2_success_text(msg, len, &text, &textlen);
	auth_sanitize(text, textlen, shown, sizeof(shown));
	if (a->method == AUTH_MSCHAPV2) {
		/* RFC 2759 §5: without a right S= the server is not proven. */
		if (len < 2 || msg[0] != 'S' || msg[1] != '=') {
			auth_fail(a, 0, "server's Success has no authenticator "
			    "response (S=): it does not know the password, or "
			    "is an impostor");
			return;
		}
		if (mschapv2_check_success(a->authresp, msg, len) != 0) {
			auth_fail(a, 0, "server's authenticator response is "
			    "wrong: it does not know the password, or is an "
			    "impostor");
			return;
		}
	}
	if (textlen > 0)
		log_debug("%s: server says \"%s\"", a->tag, shown);
	auth_succeed(a);
}

void
chapms_client_failure(struct auth *a, const uint8_t *msg, size_t len)
{
	struct mschap_failure f;
	char err[96], desc[200], shown[AUTH_TEXT_MAX];
	uint8_t value[MSCHAP_VALUE_LEN];
	const char *next;
	int v2 = a->method == AUTH_MSCHAPV2;

	if (mschap_parse_failure(msg, len, v2 ? MSCHAPV2_CHALLENGE_LEN :
	    MSCHAPV1_CHALLENGE_LEN, &f, err, sizeof(err)) == -1) {
		auth_sanitize(msg, len, shown, sizeof(shown));
		auth_fail(a, 0, "server's Failure message is unreadable (%s): "
		    "\"%s\"", err, shown);
		return;
	}
	/*
	 * One retry, on the new challenge: RFC 2759 requires C=; RFC 2433
	 * lets it out, and then the old challenge plus 23 in its first
	 * octet is the new one.  E=648 asks for a new password, which a
	 * daemon cannot type.
	 */
	if (!f.retry)
		next = ", retry not allowed";
	else if (a->retried)
		next = ", retry already used";
	else if (f.error == 648)
		next = ", changing the password is not supported";
	else if (v2 && !f.have_challenge)
		next = ", retry allowed but the Failure has no C= challenge";
	else
		next = NULL;
	if (next != NULL) {
		mschap_describe_failure(&f, next, desc, sizeof(desc));
		auth_fail(a, f.error > INT_MAX ? 0 : (int)f.error, "%s", desc);
		return;
	}
	mschap_describe_failure(&f, "", desc, sizeof(desc));
	snprintf(a->refusal, sizeof(a->refusal), "authentication failed: %s",
	    desc);
	mschap_describe_failure(&f, ", retrying", desc, sizeof(desc));
	log_info("%s: server refused our %s Response: %s", a->tag,
	    auth_method_label(a->method), desc);
	if (f.have_challenge)
		memcpy(a->challenge, f.challenge, a->chlen);
	else
		a->challenge[0] += 23;
	a->retried = 1;
	a->id++;
	crypto_wipe(a->send_key, sizeof(a->send_key));
	crypto_wipe(a->recv_key, sizeof(a->recv_key));
	a->have_keys = 0;
	if (chapms_client_value(a, value) == -1)
		return;
	chap_send_response(a, value, sizeof(value));
	crypto_wipe(value, sizeof(value));
}

static void
chapms_server_failure(struct auth *a, unsigned int code, int retry,
    const char *text)
{
	uint8_t newch[MSCHAPV2_CHALLENGE_LEN];
	char msg[160];
	int n;

	auth_random_challenge(a, newch, a->chlen);
	n = mschap_format_failure(msg, sizeof(msg), code, retry, newch,
	    a->chlen, a->method == AUTH_MSCHAPV2 ? 3 : 2, text);
	if (n > 0)
		chap_send(a, CHAP_FAILURE, a->id, (const uint8_t *)msg, n);
	if (retry) {
		memcpy(a->challenge, newch, a->chlen);
		a->id++;
		a->tries = 1;
		auth_arm(a, a->timeout_ms);
	}
}

void
chapms_server_response(struct auth *a, const uint8_t *value, size_t vlen,
    const uint8_t *name, size_t namelen)
{
	uint8_t want[MSCHAP_NTRESP_LEN], hashhash[MSCHAP_HASH_LEN];
	char user[AUTH_NAME_MAX + 1], shown[AUTH_TEXT_MAX];
	char msg[MSCHAPV2_AUTHRESP_LEN + 1 + 32];
	const char *label = auth_method_label(a->method);
	unsigned int forced = 0;
	int good, rc, retry;

	if (vlen != MSCHAP_VALUE_LEN) {
		auth_discard(a, "%s Response Value-Size %zu, must be %d",
		    label, vlen, MSCHAP_VALUE_LEN);
		return;
	}
	auth_sanitize(name, namelen, shown, sizeof(shown));
	if (namelen > AUTH_NAME_MAX || memchr(name, '\0', namelen) != NULL) {
		auth_discard(a, "%s Response Name \"%s\" is too long or holds "
		    "a NUL", label, shown);
		return;
	}
	memcpy(user, name, namelen);
	user[namelen] = '\0';

	if (a->method == AUTH_MSCHAPV1 && value[48] != 1) {
		chapms_server_failure(a, 691, 0, "LM responses are not "
		    "supported");
		auth_fail(a, 691, "peer \"%s\" sent only an LM response",
		    shown);
		return;
	}
	if (a->method == AUTH_MSCHAPV2)
		rc = mschapv2_nt_response(a->challenge, value, user,
		    a->password, a->password_len, want);
	else
		rc = mschapv1_nt_response(a->challenge, a->password,
		    a->password_len, want);
	good = rc == 0 && namelen == a->namelen &&
	    memcmp(user, a->name, namelen) == 0 &&
	    crypto_memeq_ct(want, value + 24, sizeof(want)) == 0;
	crypto_wipe(want, sizeof(want));

	if (a->quirks & AUTH_QUIRK_E648)
		forced = 648;
	else if (a->quirks & AUTH_QUIRK_E649)
		forced = 649;
	else if ((a->quirks & AUTH_QUIRK_FAIL_FIRST) && a->failures == 0)
		forced = 691;
	if (forced != 0 || !good) {
		retry = (a->quirks & AUTH_QUIRK_RETRY) && a->failures == 0 &&
		    forced != 648 && forced != 649;
		a->failures++;
		chapms_server_failure(a, forced ? forced : 691, retry,
		    forced == 648 ? "Password expired" :
		    forced == 649 ? "No dial-in permission" :
		    "Authentication failure");
		if (retry)
			log_info("%s: %s authentication of \"%s\" failed, "
			    "retry allowed", a->tag, label, shown);
		else
			auth_fail(a, forced ? (int)forced : 691,
			    "peer \"%s\" sent a wrong user name or password%s",
			    shown, forced ? " (failure forced by a quirk)" :
			    "");
		return;
	}

	if (chapms_hashhash(a, hashhash) == -1) {
		/* mschapv2_nt_response accepted it, so this cannot happen. */
		auth_fail(a, 0, "the password cannot be hashed");
		return;
	}
	chapms_keys(a, hashhash, value + 24);
	if (a->method == AUTH_MSCHAPV2) {
		mschapv2_authenticator_response(hashhash, value + 24, value,
		    a->challenge, user, a->authresp);
		if (a->quirks & AUTH_QUIRK_WRONG_S)
			a->authresp[2] = a->authresp[2] == '0' ? '1' : '0';
		if (a->quirks & AUTH_QUIRK_NO_S)
			snprintf(msg, sizeof(msg), "M=Access granted");
		else
			snprintf(msg, sizeof(msg), "%s M=Access granted",
			    a->authresp);
	} else
		snprintf(msg, sizeof(msg), "Access granted");
	crypto_wipe(hashhash, sizeof(hashhash));
	chap_send(a, CHAP_SUCCESS, a->id, (const uint8_t *)msg, strlen(msg));
	auth_succeed(a);
}
