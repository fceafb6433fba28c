/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * PAP (RFC 1334).  The client sends Authenticate-Request until it hears
 * Ack or Nak; the server (the test peer) checks the request against its
 * configured user and password and answers a repeated request again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_local.h"
#include "buf.h"
#include "chap_ms.h"
#include "crypto.h"
#include "ppp_defs.h"

static void
pap_send_request(struct auth *a)
{
	uint8_t pkt[4 + 1 + AUTH_NAME_MAX + 1 + 255];
	struct wbuf w;

	wbuf_init(&w, pkt, sizeof(pkt));
	wbuf_u8(&w, PAP_AUTHREQ);
	wbuf_u8(&w, a->id);
	wbuf_u16(&w, (uint16_t)(4 + 1 + a->namelen + 1 + a->password_len));
	wbuf_u8(&w, (uint8_t)a->namelen);
	wbuf_bytes(&w, a->name, a->namelen);
	wbuf_u8(&w, (uint8_t)a->password_len);
	wbuf_bytes(&w, a->password, a->password_len);
	/*
	 * pap_start() checked the lengths, so this cannot fail.  Not through
	 * auth_send(): the packet carries the password in clear, so it is
	 * built anew for each retransmission rather than kept.
	 */
	if (!wbuf_failed(&w))
		a->ops->send(a->arg, PPP_PAP, pkt, wbuf_len(&w));
	crypto_wipe(pkt, sizeof(pkt));
}

static void
pap_send_reply(struct auth *a, uint8_t code, const char *msg)
{
	uint8_t pkt[4 + 1 + 64];
	size_t mlen = strlen(msg);
	struct wbuf w;

	wbuf_init(&w, pkt, sizeof(pkt));
	wbuf_u8(&w, code);
	wbuf_u8(&w, a->id);
	wbuf_u16(&w, (uint16_t)(4 + 1 + mlen));
	wbuf_u8(&w, (uint8_t)mlen);
	wbuf_bytes(&w, msg, mlen);
	if (!wbuf_failed(&w))
		auth_send(a, PPP_PAP, pkt, wbuf_len(&w));
}

void
pap_start(struct auth *a)
{
	if (a->role == AUTH_SERVER) {
		a->state = AUTH_ST_WAIT_RESPONSE;
		auth_arm(a, a->timeout_ms * a->max_tries);
		return;
	}
	if (a->password_len > 255) {
		auth_fail(a, 0, "password is longer than the 255 octets PAP "
		    "can carry");
		return;
	}
	arc4random_buf(&a->id, sizeof(a->id));
	a->state = AUTH_ST_WAIT_RESULT;
	a->tries = 1;
	pap_send_request(a);
	auth_arm(a, a->timeout_ms);
}

void
pap_timeout(struct auth *a)
{
	if (a->role == AUTH_SERVER) {
		auth_fail(a, 0, "peer sent no PAP Authenticate-Request "
		    "within %u s%s%s", a->timeout_ms * a->max_tries / 1000,
		    a->discard[0] ? "; last dropped: " : "", a->discard);
		return;
	}
	if (a->tries >= a->max_tries) {
		auth_fail(a, 0, "server did not answer %u PAP "
		    "Authenticate-Requests%s%s", a->tries,
		    a->discard[0] ? "; last dropped: " : "", a->discard);
		return;
	}
	/* RFC 1334 §2.2.1: every new Authenticate-Request has a new id. */
	a->id++;
	a->tries++;
	pap_send_request(a);
	auth_arm(a, a->timeout_ms);
}

static void
pap_client_input(struct auth *a, uint8_t code, uint8_t id, struct rbuf *r)
{
	const char *what = code == PAP_AUTHACK ? "Ack" : "Nak";
	char text[AUTH_TEXT_MAX];
	const uint8_t *msg = NULL;
	uint8_t mlen = 0;

	if (a->state != AUTH_ST_WAIT_RESULT) {
		auth_discard(a, "PAP %s after authentication ended", what);
		return;
	}
	if (id != a->id) {
		auth_discard(a, "PAP %s has Identifier %u, expected %u", what,
		    id, a->id);
		return;
	}
	/* Some servers leave Msg-Length out of an Ack with no message. */
	if (rbuf_left(r) > 0) {
		rbuf_u8(r, &mlen);
		if ((msg = rbuf_take(r, mlen)) == NULL) {
			auth_discard(a, "PAP %s Msg-Length %u exceeds the %zu "
			    "octets left", what, mlen, rbuf_left(r));
			return;
		}
	}
	auth_sanitize(msg, mlen, text, sizeof(text));
	if (code == PAP_AUTHACK)
		auth_succeed(a);
	else
		auth_fail(a, 0, "PAP rejected by server: \"%s\"", text);
}

static void
pap_server_input(struct auth *a, uint8_t id, struct rbuf *r)
{
	const uint8_t *peer, *pw;
	uint8_t plen, pwlen;
	char shown[AUTH_TEXT_MAX];
	int ok;

	if (a->state == AUTH_ST_DONE) {
		/* Our Ack or Nak was lost: the same answer again. */
		if (id == a->id)
			auth_resend(a);
		else
			auth_discard(a, "PAP Authenticate-Request after "
			    "authentication ended");
		return;
	}
	if (rbuf_u8(r, &plen) == -1 || (peer = rbuf_take(r, plen)) == NULL) {
		auth_discard(a, "PAP Authenticate-Request Peer-ID-Length "
		    "exceeds the packet");
		return;
	}
	if (rbuf_u8(r, &pwlen) == -1 || (pw = rbuf_take(r, pwlen)) == NULL) {
		auth_discard(a, "PAP Authenticate-Request Passwd-Length "
		    "exceeds the packet");
		return;
	}
	a->id = id;
	ok = plen == a->namelen && memcmp(peer, a->name, plen) == 0 &&
	    pwlen == a->password_len &&
	    crypto_memeq_ct(pw, a->password, pwlen) == 0;
	if (ok) {
		pap_send_reply(a, PAP_AUTHACK, "Login ok");
		auth_succeed(a);
	} else {
		auth_sanitize(peer, plen, shown, sizeof(shown));
		pap_send_reply(a, PAP_AUTHNAK, "Login incorrect");
		auth_fail(a, 691, "peer \"%s\" sent a wrong user name or "
		    "password", shown);
	}
}

void
pap_input(struct auth *a, const uint8_t *pkt, size_t len)
{
	struct rbuf r;
	uint8_t code, id;

	if (auth_parse_header(a, "PAP", pkt, len, &code, &id, &r) == -1)
		return;
	switch (code) {
	case PAP_AUTHREQ:
		if (a->role == AUTH_SERVER)
			pap_server_input(a, id, &r);
		else
			auth_discard(a, "PAP Authenticate-Request sent to "
			    "the client");
		break;
	case PAP_AUTHACK:
	case PAP_AUTHNAK:
		if (a->role == AUTH_CLIENT)
			pap_client_input(a, code, id, &r);
		else
			auth_discard(a, "PAP Ack or Nak sent to the server");
		break;
	default:
		auth_discard(a, "unknown PAP code %u", code);
		break;
	}
}
