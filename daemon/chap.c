/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * CHAP (RFC 1994): the packet layer shared by CHAP-MD5, MS-CHAPv1 and
 * MS-CHAPv2, and CHAP-MD5 itself.  The MS-CHAP Values and messages are
 * built and read by chap_ms.c.
 *
 * The client never retransmits on its own: the server retransmits its
 * Challenge, and a Challenge repeated with the same Identifier and Value
 * gets the Response we sent before (a new Response would carry a new
 * MS-CHAPv2 Peer-Challenge and could cross the server's Success).  The
 * server retransmits its Challenge, or its Failure that allowed a retry,
 * until the peer answers or the tries run out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_local.h"
#include "buf.h"
#include "chap_ms.h"
#include "crypto.h"
#include "mschap.h"
#include "ppp_defs.h"

static size_t
chap_challenge_len(enum auth_method m)
{
	switch (m) {
	case AUTH_MSCHAPV1:
		return MSCHAPV1_CHALLENGE_LEN;
	case AUTH_MSCHAPV2:
		return MSCHAPV2_CHALLENGE_LEN;
	default:
		return CHAP_MD5_CHALLENGE_LEN;
	}
}

/* Sends Code, Identifier, Length and data: Success, Failure. */
void
chap_send(struct auth *a, uint8_t code, uint8_t id, const uint8_t *data,
    size_t len)
{
	uint8_t pkt[AUTH_PKT_MAX];
	struct wbuf w;

	wbuf_init(&w, pkt, sizeof(pkt));
	wbuf_u8(&w, code);
	wbuf_u8(&w, id);
	wbuf_u16(&w, (uint16_t)(4 + len));
	wbuf_bytes(&w, data, len);
	if (!wbuf_failed(&w))
		auth_send(a, PPP_CHAP, pkt, wbuf_len(&w));
}

/* Challenge and Response: Value-Size, Value, Name. */
static void
chap_send_value(struct auth *a, uint8_t code, const uint8_t *value,
    size_t vlen, const char *name, size_t namelen)
{
	uint8_t pkt[AUTH_PKT_MAX];
	struct wbuf w;

	wbuf_init(&w, pkt, sizeof(pkt));
	wbuf_u8(&w, code);
	wbuf_u8(&w, a->id);
	wbuf_u16(&w, (uint16_t)(4 + 1 + vlen + namelen));
	wbuf_u8(&w, (uint8_t)vlen);
	wbuf_bytes(&w, value, vlen);
	wbuf_bytes(&w, name, namelen);
	if (!wbuf_failed(&w))
		auth_send(a, PPP_CHAP, pkt, wbuf_len(&w));
}

/* Client: our Response to a->challenge, then wait for the verdict. */
void
chap_send_response(struct auth *a, const uint8_t *value, size_t vlen)
{
	a->state = AUTH_ST_WAIT_RESULT;
	chap_send_value(a, CHAP_RESPONSE, value, vlen, a->name, a->namelen);
	auth_arm(a, a->timeout_ms * a->max_tries);
}

/* Server: a new random Challenge, the first or the one after a Failure. */
void
chap_send_challenge(struct auth *a)
{
	a->chlen = chap_challenge_len(a->method);
	auth_random_challenge(a, a->challenge, a->chlen);
	a->state = AUTH_ST_WAIT_RESPONSE;
	a->tries = 1;
	chap_send_value(a, CHAP_CHALLENGE, a->challenge, a->chlen,
	    AUTH_SERVER_NAME, strlen(AUTH_SERVER_NAME));
	auth_arm(a, a->timeout_ms);
}

void
chap_start(struct auth *a)
{
	if (a->role == AUTH_SERVER) {
		arc4random_buf(&a->id, sizeof(a->id));
		chap_send_challenge(a);
		return;
	}
	a->state = AUTH_ST_WAIT_CHALLENGE;
	auth_arm(a, a->timeout_ms * a->max_tries);
}

void
chap_timeout(struct auth *a)
{
	unsigned int secs = a->timeout_ms * a->max_tries / 1000;
	const char *sep = a->discard[0] ? "; last dropped: " : "";

	if (a->role == AUTH_CLIENT) {
		if (a->state == AUTH_ST_WAIT_CHALLENGE)
			auth_fail(a, 0, "server sent no %s Challenge within "
			    "%u s%s%s", auth_method_label(a->method), secs,
			    sep, a->discard);
		else
			auth_fail(a, 0, "server did not answer our %s "
			    "Response within %u s%s%s",
			    auth_method_label(a->method), secs, sep,
			    a->discard);
		return;
	}
	if (a->tries >= a->max_tries) {
		auth_fail(a, 0, "peer did not answer %u %s Challenges%s%s",
		    a->tries, auth_method_label(a->method), sep, a->discard);
		return;
	}
	a->tries++;
	auth_resend(a);
	auth_arm(a, a->timeout_ms);
}

static void
chap_client_challenge(struct auth *a, uint8_t id, struct rbuf *r)
{
	uint8_t value[MSCHAP_VALUE_LEN];
	const uint8_t *ch;
	uint8_t vsize;
	size_t want, vlen;

	if (a->state == AUTH_ST_DONE) {
		/*
		 * A periodic re-challenge (RFC 1994 §2) would need new MPPE
		 * keys with MS-CHAP; no server we target sends one.
		 */
		auth_discard(a, "CHAP Challenge after authentication ended");
		return;
	}
	if (rbuf_u8(r, &vsize) == -1) {
		auth_discard(a, "CHAP Challenge has no Value-Size");
		return;
	}
	if ((ch = rbuf_take(r, vsize)) == NULL) {
		auth_discard(a, "CHAP Challenge Value-Size %u exceeds the %zu "
		    "octets left in the packet", vsize, rbuf_left(r));
		return;
	}
	want = chap_challenge_len(a->method);
	if (a->method == AUTH_CHAP_MD5 ? vsize == 0 : vsize != want) {
		if (a->method == AUTH_CHAP_MD5)
			auth_discard(a, "CHAP-MD5 Challenge is empty");
		else
			auth_discard(a, "%s Challenge Value-Size %u, must be "
			    "%zu", auth_method_label(a->method), vsize, want);
		return;
	}
	/* The rest is the server's Name, which we only show in debug logs. */
	if (a->state == AUTH_ST_WAIT_RESULT && id == a->id &&
	    vsize == a->chlen && memcmp(ch, a->challenge, vsize) == 0) {
		auth_resend(a);
		return;
	}
	if (a->method == AUTH_CHAP_MD5 && vsize > sizeof(a->challenge)) {
		/* Only MD5 allows any size; kept only to spot repeats. */
		a->chlen = 0;
	} else {
		memcpy(a->challenge, ch, vsize);
		a->chlen = vsize;
	}
	a->id = id;
	if (a->method == AUTH_CHAP_MD5) {
		chap_md5_response(id, (const uint8_t *)a->password,
		    a->password_len, ch, vsize, value);
		vlen = 16;
	} else {
		if (chapms_client_value(a, value) == -1)
			return;		/* chapms_client_value failed it */
		vlen = MSCHAP_VALUE_LEN;
	}
	chap_send_response(a, value, vlen);
	crypto_wipe(value, sizeof(value));
}

static void
chap_client_result(struct auth *a, uint8_t code, uint8_t id, struct rbuf *r)
{
	const char *what = code == CHAP_SUCCESS ? "Success" : "Failure";
	char text[AUTH_TEXT_MAX];
	size_t len = rbuf_left(r);
	const uint8_t *msg = rbuf_take(r, len);

	if (a->state != AUTH_ST_WAIT_RESULT) {
		auth_discard(a, "CHAP %s %s", what,
		    a->state == AUTH_ST_DONE ? "after authentication ended" :
		    "before any Response");
		return;
	}
	if (code == CHAP_FAILURE && a->retried && id == (uint8_t)(a->id - 1)) {
		/*
		 * The server repeats the Failure that allowed a retry: our
		 * retry Response was lost.
		 */
		auth_resend(a);
		return;
	}
	if (id != a->id) {
		auth_discard(a, "CHAP %s has Identifier %u, our Response %u",
		    what, id, a->id);
		return;
	}
	if (a->method != AUTH_CHAP_MD5) {
		if (code == CHAP_SUCCESS)
			chapms_client_success(a, msg, len);
		else
			chapms_client_failure(a, msg, len);
		return;
	}
	if (code == CHAP_SUCCESS) {
		auth_succeed(a);
		return;
	}
	auth_sanitize(msg, len, text, sizeof(text));
	auth_fail(a, 0, "CHAP-MD5 rejected by server: \"%s\"", text);
}

static void
chap_md5_verify(struct auth *a, const uint8_t *value, size_t vlen,
    const uint8_t *name, size_t namelen)
{
	static const char ok[] = "Welcome", bad[] = "Access denied";
	char shown[AUTH_TEXT_MAX];
	uint8_t want[16];
	int good;

	if (vlen != sizeof(want)) {
		auth_discard(a, "CHAP-MD5 Response Value-Size %zu, must be 16",
		    vlen);
		return;
	}
	chap_md5_response(a->id, (const uint8_t *)a->password,
	    a->password_len, a->challenge, a->chlen, want);
	good = crypto_memeq_ct(want, value, sizeof(want)) == 0;
	crypto_wipe(want, sizeof(want));
	auth_sanitize(name, namelen, shown, sizeof(shown));
	if (namelen != a->namelen || memcmp(name, a->name, namelen) != 0) {
		chap_send(a, CHAP_FAILURE, a->id, (const uint8_t *)bad,
		    strlen(bad));
		auth_fail(a, 691, "peer sent unknown user name \"%s\"", shown);
	} else if (!good) {
		chap_send(a, CHAP_FAILURE, a->id, (const uint8_t *)bad,
		    strlen(bad));
		auth_fail(a, 691, "peer \"%s\" sent a wrong CHAP-MD5 Response",
		    shown);
	} else {
		chap_send(a, CHAP_SUCCESS, a->id, (const uint8_t *)ok,
		    strlen(ok));
		auth_succeed(a);
	}
}

static void
chap_server_response(struct auth *a, uint8_t id, struct rbuf *r)
{
	const uint8_t *value, *name;
	uint8_t vsize;
	size_t namelen;

	if (a->state == AUTH_ST_DONE) {
		/* Our Success or Failure was lost: the same answer again. */
		if (id == a->id)
			auth_resend(a);
		else
			auth_discard(a, "CHAP Response after authentication "
			    "ended");
		return;
	}
	if (id != a->id) {
		auth_discard(a, "CHAP Response has Identifier %u, our "
		    "Challenge %u", id, a->id);
		return;
	}
	if (rbuf_u8(r, &vsize) == -1) {
		auth_discard(a, "CHAP Response has no Value-Size");
		return;
	}
	if ((value = rbuf_take(r, vsize)) == NULL) {
		auth_discard(a, "CHAP Response Value-Size %u exceeds the %zu "
		    "octets left in the packet", vsize, rbuf_left(r));
		return;
	}
	namelen = rbuf_left(r);
	name = rbuf_take(r, namelen);
	if (a->method == AUTH_CHAP_MD5)
		chap_md5_verify(a, value, vsize, name, namelen);
	else
		chapms_server_response(a, value, vsize, name, namelen);
}

void
chap_input(struct auth *a, const uint8_t *pkt, size_t len)
{
	struct rbuf r;
	uint8_t code, id;

	if (auth_parse_header(a, "CHAP", pkt, len, &code, &id, &r) == -1)
		return;
	switch (code) {
	case CHAP_CHALLENGE:
		if (a->role == AUTH_CLIENT)
			chap_client_challenge(a, id, &r);
		else
			auth_discard(a, "CHAP Challenge sent to the server");
		break;
	case CHAP_RESPONSE:
		if (a->role == AUTH_SERVER)
			chap_server_response(a, id, &r);
		else
			auth_discard(a, "CHAP Response sent to the client");
		break;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		if (a->role == AUTH_CLIENT)
			chap_client_result(a, code, id, &r);
		else
			auth_discard(a, "CHAP Success or Failure sent to the "
			    "server");
		break;
	default:
		auth_discard(a, "unknown CHAP code %u", code);
		break;
	}
}
