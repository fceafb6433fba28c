/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * PPP authentication: the object ppp.c talks to.  It keeps the copy of
 * the credentials, the one timer, the last packet sent (for retransmission
 * and for answering a repeated packet), and reports the end exactly once.
 * The methods live in pap.c, chap.c and chap_ms.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "auth_hooks.h"
#include "auth_local.h"
#include "crypto.h"
#include "log.h"
#include "ppp_defs.h"
#include "ratelog.h"
#include "timer.h"

static void	auth_timeout(void *);

struct auth *
auth_new(const struct auth_config *cfg, const struct auth_ops *ops,
    void *arg, struct timer_base *tb)
{
	struct auth *a;
	const char *tag;
	size_t namelen;

	tag = cfg->tag != NULL ? cfg->tag : "auth";
	if (cfg->name == NULL || cfg->password == NULL) {
		log_warnx("%s: authentication needs a user name and a password",
		    tag);
		return NULL;
	}
	if ((namelen = strlen(cfg->name)) > AUTH_NAME_MAX) {
		log_warnx("%s: user name is longer than %d bytes", tag,
		    AUTH_NAME_MAX);
		return NULL;
	}
	if (cfg->password_len > AUTH_PASSWORD_MAX) {
		log_warnx("%s: password is longer than %d bytes", tag,
		    AUTH_PASSWORD_MAX);
		return NULL;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		log_warn("%s: auth", tag);
		return NULL;
	}
	/* NUL-terminated too, though every use passes the length. */
	if ((a->password = malloc(cfg->password_len + 1)) == NULL) {
		log_warn("%s: auth", tag);
		free(a);
		return NULL;
	}
	memcpy(a->password, cfg->password, cfg->password_len);
	a->password[cfg->password_len] = '\0';
	a->password_len = cfg->password_len;
	memcpy(a->name, cfg->name, namelen + 1);
	a->namelen = namelen;
	snprintf(a->tag, sizeof(a->tag), "%s", tag);
	a->role = cfg->role;
	a->ops = ops;
	a->arg = arg;
	a->timeout_ms = cfg->timeout_ms ? cfg->timeout_ms :
	    AUTH_TIMEOUT_DEFAULT;
	a->max_tries = cfg->max_tries ? cfg->max_tries : AUTH_TRIES_DEFAULT;
	a->state = AUTH_ST_INITIAL;
	timer_init(&a->timer, tb, auth_timeout, a);
	return a;
}

void
auth_start(struct auth *a, enum auth_method m)
{
	if (a->state != AUTH_ST_INITIAL) {
		log_warnx("%s: authentication started twice, ignored", a->tag);
		return;
	}
	a->method = m;
	switch (m) {
	case AUTH_NONE:
		auth_succeed(a);
		break;
	case AUTH_PAP:
		pap_start(a);
		break;
	case AUTH_CHAP_MD5:
	case AUTH_MSCHAPV1:
	case AUTH_MSCHAPV2:
		chap_start(a);
		break;
	default:
		auth_fail(a, 0, "authentication method %d is unknown", (int)m);
		break;
	}
}

void
auth_input(struct auth *a, uint16_t proto, const uint8_t *pkt, size_t len)
{
	if (a->state == AUTH_ST_INITIAL) {
		auth_discard(a, "%s packet before authentication started",
		    proto == PPP_PAP ? "PAP" : "CHAP");
		return;
	}
	if (proto == PPP_PAP && a->method == AUTH_PAP)
		pap_input(a, pkt, len);
	else if (proto == PPP_CHAP && (a->method == AUTH_CHAP_MD5 ||
	    a->method == AUTH_MSCHAPV1 || a->method == AUTH_MSCHAPV2))
		chap_input(a, pkt, len);
	else
		auth_discard(a, "protocol 0x%04x packet while using %s",
		    proto, auth_method_label(a->method));
}

void
auth_free(struct auth *a)
{
	if (a == NULL)
		return;
	timer_free(&a->timer);
	if (a->password != NULL) {
		crypto_wipe(a->password, a->password_len + 1);
		free(a->password);
	}
	crypto_wipe(a, sizeof(*a));
	free(a);
}

const char *
auth_method_name(enum auth_method m)
{
	/* The words of the configuration file and of pptpctl's "auth". */
	switch (m) {
	case AUTH_NONE:
		return "none";
	case AUTH_PAP:
		return "pap";
	case AUTH_CHAP_MD5:
		return "chap-md5";
	case AUTH_MSCHAPV1:
		return "mschap";
	case AUTH_MSCHAPV2:
		return "mschapv2";
	}
	return "unknown";
}

/* The names people know from RFCs and other clients' logs. */
const char *
auth_method_label(enum auth_method m)
{
	switch (m) {
	case AUTH_NONE:
		return "no";
	case AUTH_PAP:
		return "PAP";
	case AUTH_CHAP_MD5:
		return "CHAP-MD5";
	case AUTH_MSCHAPV1:
		return "MS-CHAPv1";
	case AUTH_MSCHAPV2:
		return "MS-CHAPv2";
	}
	return "unknown";
}

void
auth_set_quirks(struct auth *a, unsigned int quirks)
{
	a->quirks = quirks;
}

void
auth_set_peer_challenge(struct auth *a, const uint8_t pc[16])
{
	memcpy(a->test_peer_ch, pc, sizeof(a->test_peer_ch));
	a->have_test_peer_ch = 1;
}

void
auth_set_challenge(struct auth *a, const uint8_t ch[16])
{
	memcpy(a->test_ch, ch, sizeof(a->test_ch));
	a->have_test_ch = 1;
}

const char *
auth_refusal(const struct auth *a)
{
	return a->refusal[0] != '\0' ? a->refusal : NULL;
}

const char *
auth_last_discard(const struct auth *a)
{
	return a->discard;
}

/* A server's challenge: random, unless a test fixed the first one. */
void
auth_random_challenge(struct auth *a, uint8_t *ch, size_t len)
{
	if (a->have_test_ch && len <= sizeof(a->test_ch)) {
		memcpy(ch, a->test_ch, len);
		a->have_test_ch = 0;
		return;
	}
	arc4random_buf(ch, len);
}

/* Sends a packet and keeps it for auth_resend(). */
void
auth_send(struct auth *a, uint16_t proto, const uint8_t *pkt, size_t len)
{
	if (len <= sizeof(a->last)) {
		memcpy(a->last, pkt, len);
		a->last_len = len;
		a->last_proto = proto;
	} else
		a->last_len = 0;
	a->ops->send(a->arg, proto, pkt, len);
}

void
auth_resend(struct auth *a)
{
	if (a->last_len > 0)
		a->ops->send(a->arg, a->last_proto, a->last, a->last_len);
}

void
auth_arm(struct auth *a, unsigned int ms)
{
	timer_set(&a->timer, ms);
}

static void
auth_timeout(void *arg)
{
	struct auth *a = arg;

	if (a->state == AUTH_ST_DONE)
		return;
	if (a->method == AUTH_PAP)
		pap_timeout(a);
	else
		chap_timeout(a);
}

/*
 * What only the exchange needed goes the moment it ends, success or
 * failure, rather than when the link goes down hours later: the password
 * copy, the challenges, the expected authenticator response and the keys
 * (handed over in the result first).  A client's last packet (its
 * Response, or nothing for PAP) goes too; it never sends again after the
 * end.  A server keeps its last packet, a Success or Failure without a
 * secret, to answer a repeated Response.  Nothing after the end reads
 * any of them: every input in AUTH_ST_DONE is discarded or resent.
 */
static void
auth_forget_secrets(struct auth *a)
{
	if (a->password != NULL) {
		crypto_wipe(a->password, a->password_len + 1);
		free(a->password);
		a->password = NULL;
	}
	a->password_len = 0;
	crypto_wipe(a->challenge, sizeof(a->challenge));
	a->chlen = 0;
	crypto_wipe(a->test_peer_ch, sizeof(a->test_peer_ch));
	a->have_test_peer_ch = 0;
	crypto_wipe(a->test_ch, sizeof(a->test_ch));
	a->have_test_ch = 0;
	crypto_wipe(a->send_key, sizeof(a->send_key));
	crypto_wipe(a->recv_key, sizeof(a->recv_key));
	crypto_wipe(a->authresp, sizeof(a->authresp));
	a->have_keys = 0;
	if (a->role == AUTH_CLIENT) {
		crypto_wipe(a->last, sizeof(a->last));
		a->last_len = 0;
	}
}

/*
 * The end: the owner learns the result once.  The done callback may free
 * the object, so this is the last thing every caller does with it.  The
 * keys are copied into a result on the stack, which is wiped when the
 * owner has taken its copy.
 */
static void
auth_finish(struct auth *a, struct auth_result *res)
{
	const struct auth_ops *ops = a->ops;
	void *arg = a->arg;

	timer_stop(&a->timer);
	a->state = AUTH_ST_DONE;
	res->method = a->method;
	if (res->success && a->have_keys) {
		res->have_keys = 1;
		memcpy(res->send_key, a->send_key, sizeof(res->send_key));
		memcpy(res->recv_key, a->recv_key, sizeof(res->recv_key));
	}
	auth_forget_secrets(a);
	ops->done(arg, res);
	crypto_wipe(res, sizeof(*res));
}

static int
all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= b[i];
	return acc == 0;
}

int
auth_holds_secrets(const struct auth *a)
{
	int held = 0;

	if (a->password != NULL || a->password_len != 0)
		held |= AUTH_HELD_PASSWORD;
	if (!all_zero(a->challenge, sizeof(a->challenge)) || a->chlen != 0 ||
	    !all_zero(a->test_peer_ch, sizeof(a->test_peer_ch)) ||
	    !all_zero(a->test_ch, sizeof(a->test_ch)))
		held |= AUTH_HELD_CHALLENGE;
	if (!all_zero(a->send_key, sizeof(a->send_key)) ||
	    !all_zero(a->recv_key, sizeof(a->recv_key)) ||
	    !all_zero(a->authresp, sizeof(a->authresp)))
		held |= AUTH_HELD_DERIVED;
	if (a->role == AUTH_CLIENT && (a->last_len != 0 ||
	    !all_zero(a->last, sizeof(a->last))))
		held |= AUTH_HELD_RESPONSE;
	return held;
}

void
auth_succeed(struct auth *a)
{
	struct auth_result res;

	memset(&res, 0, sizeof(res));
	res.success = 1;
	if (a->method == AUTH_NONE)
		snprintf(res.message, sizeof(res.message),
		    "no authentication required");
	else if (a->role == AUTH_SERVER)
		snprintf(res.message, sizeof(res.message),
		    "%s authentication of \"%.100s\" succeeded",
		    auth_method_label(a->method), a->name);
	else
		snprintf(res.message, sizeof(res.message),
		    "%s authentication succeeded",
		    auth_method_label(a->method));
	log_info("%s: %s", a->tag, res.message);
	auth_finish(a, &res);
}

void
auth_fail(struct auth *a, int code, const char *fmt, ...)
{
	struct auth_result res;
	va_list ap;
	int n;

	memset(&res, 0, sizeof(res));
	res.error_code = code;
	n = snprintf(res.message, sizeof(res.message),
	    "authentication failed: ");
	va_start(ap, fmt);
	vsnprintf(res.message + n, sizeof(res.message) - n, fmt, ap);
	va_end(ap);
	/*
	 * Not logged here: the owner logs the failure as the reason its
	 * link ends (ppp.c), and a second line with the same text would
	 * only make the log look like two failures.
	 */
	auth_finish(a, &res);
}

/*
 * A packet we do not act on.  The reason is logged (at debug level and
 * rate-limited: a peer can send any number of them) and kept, so that a timeout can say
 * what the last unusable packet was.
 */
void
auth_discard(struct auth *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->discard, sizeof(a->discard), fmt, ap);
	va_end(ap);
	RATELOG_LINE(&a->rl_discard, a->timer.base, RATELOG_DEBUG,
	    "%s: %s, dropped", a->tag, a->discard);
}

/*
 * The header every PAP and CHAP packet starts with: Code, Identifier,
 * Length.  Length covers the header and must fit in what arrived; octets
 * beyond it are padding (RFC 1661 §5) and are left out of body.
 */
int
auth_parse_header(struct auth *a, const char *proto, const uint8_t *pkt,
    size_t len, uint8_t *code, uint8_t *id, struct rbuf *body)
{
	struct rbuf r;
	uint16_t plen;

	rbuf_init(&r, pkt, len);
	if (rbuf_u8(&r, code) == -1 || rbuf_u8(&r, id) == -1 ||
	    rbuf_u16(&r, &plen) == -1) {
		auth_discard(a, "%s packet of %zu octets is shorter than its "
		    "4-octet header", proto, len);
		return -1;
	}
	if (plen < 4) {
		auth_discard(a, "%s packet Length %u is less than its header",
		    proto, plen);
		return -1;
	}
	if (plen > len) {
		auth_discard(a, "%s packet Length %u exceeds the %zu octets "
		    "received", proto, plen, len);
		return -1;
	}
	rbuf_init(body, pkt + 4, plen - 4);
	return 0;
}
