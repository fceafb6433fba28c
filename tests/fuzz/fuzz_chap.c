/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Fuzz target for PPP authentication.  The first octet picks what the
 * rest feeds:
 *   sel & 3 == 0: the MS-CHAP Failure parser (C= of 8 or 16 octets),
 *   sel & 3 == 1: the MS-CHAPv2 Success text and S= check,
 *   otherwise: a client or a server of one method (the next two
 *   octets say which, its state and the server's quirks), brought
 *   first into that state (fresh; after a valid Challenge or Response;
 *   after a Failure that allows a retry), then given a series of
 *   packets, each "flags, length, bytes", the clock moved between them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "auth.h"
#include "auth_hooks.h"
#include "chap_ms.h"
#include "crypto.h"
#include "log.h"
#include "mschap.h"
#include "ppp_defs.h"
#include "timer.h"
#include "timer_manual.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct sink {
	int	 done;
	uint8_t	 last[600];
	size_t	 lastlen;
};

static const uint8_t fixed_ch[16] = {
	0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
	0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28,
};

static void
f_send(void *arg, uint16_t proto, const uint8_t *p, size_t len)
{
	struct sink *s = arg;

	(void)proto;
	if (len > sizeof(s->last))
		abort();	/* we never send more than AUTH_PKT_MAX */
	memcpy(s->last, p, len);
	s->lastlen = len;
}

static void
f_done(void *arg, const struct auth_result *r)
{
	struct sink *s = arg;

	if (s->done++ != 0)
		abort();	/* the verdict comes exactly once */
	if (memchr(r->message, '\0', sizeof(r->message)) == NULL)
		abort();
}

static const struct auth_ops fops = { f_send, f_done };

static void
feed(struct auth *a, uint16_t proto, uint8_t code, uint8_t id,
    const void *body, size_t len)
{
	uint8_t pkt[300];

	pkt[0] = code;
	pkt[1] = id;
	pkt[2] = (uint8_t)((4 + len) >> 8);
	pkt[3] = (uint8_t)(4 + len);
	memcpy(pkt + 4, body, len);
	auth_input(a, proto, pkt, 4 + len);
}

/* Brings a client or server into the state the input asked for. */
static void
prepare(struct auth *a, struct sink *s, enum auth_role role,
    enum auth_method m, unsigned int prep)
{
	uint8_t body[80], peer_ch[16];
	size_t chlen = m == AUTH_MSCHAPV1 ? 8 : 16;

	if (prep == 0 || m == AUTH_PAP)
		return;
	if (role == AUTH_CLIENT) {
		body[0] = (uint8_t)chlen;
		memcpy(body + 1, fixed_ch, chlen);
		feed(a, PPP_CHAP, 1, 1, body, 1 + chlen);
		if (prep == 2 && m != AUTH_CHAP_MD5) {
			static const char f2[] = "E=691 R=1 "
			    "C=00112233445566778899AABBCCDDEEFF V=3 M=again";
			static const char f1[] = "E=691 R=1 V=2";

			if (m == AUTH_MSCHAPV2)
				feed(a, PPP_CHAP, 4, 1, f2, sizeof(f2) - 1);
			else
				feed(a, PPP_CHAP, 4, 1, f1, sizeof(f1) - 1);
		}
		return;
	}
	/* A server: answer its Challenge rightly, to reach its end state. */
	if (s->lastlen < 2 || m == AUTH_CHAP_MD5)
		return;
	memset(peer_ch, 0x42, sizeof(peer_ch));
	body[0] = MSCHAP_VALUE_LEN;
	if (m == AUTH_MSCHAPV2)
		mschapv2_response_value(fixed_ch, peer_ch, "bob", "pw", 2,
		    body + 1);
	else
		mschapv1_response_value(fixed_ch, "pw", 2, body + 1);
	memcpy(body + 1 + MSCHAP_VALUE_LEN, "bob", 3);
	feed(a, PPP_CHAP, 2, s->last[1], body, 1 + MSCHAP_VALUE_LEN + 3);
}

/* data[0]: method, role, state; data[1]: the server's quirks. */
static void
session(const uint8_t *data, size_t size)
{
	struct auth_config cfg;
	struct timer_base *tb;
	struct auth *a;
	struct sink s;
	enum auth_method m;
	enum auth_role role;
	unsigned int prep, quirks;
	uint8_t flags, len;

	if (size < 2)
		return;
	m = (enum auth_method)(AUTH_PAP + data[0] % 4);
	role = data[0] & 4 ? AUTH_SERVER : AUTH_CLIENT;
	prep = (data[0] >> 3) % 3;
	quirks = data[1];
	data += 2;
	size -= 2;

	memset(&s, 0, sizeof(s));
	memset(&cfg, 0, sizeof(cfg));
	cfg.role = role;
	cfg.name = "bob";
	cfg.password = "pw";
	cfg.password_len = 2;
	cfg.tag = "fuzz";
	cfg.timeout_ms = 1000;
	cfg.max_tries = 3;
	tb = timer_manual_new();
	if ((a = auth_new(&cfg, &fops, &s, tb)) == NULL)
		abort();
	if (role == AUTH_SERVER) {
		auth_set_challenge(a, fixed_ch);
		auth_set_quirks(a, quirks);
	}
	auth_start(a, m);
	prepare(a, &s, role, m, prep);
	while (size >= 2) {
		flags = data[0];
		len = data[1];
		data += 2;
		size -= 2;
		if (len > size)
			len = (uint8_t)size;
		if (flags & 0x80)
			timer_manual_advance(tb, 500u * (flags & 0x0f));
		auth_input(a, flags & 0x40 ? PPP_PAP : PPP_CHAP, data, len);
		data += len;
		size -= len;
	}
	/* Run the clock out: every exchange must end. */
	while (timer_manual_step(tb))
		;
	if (s.done != 1)
		abort();
	auth_free(a);
	timer_manual_free(tb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char expected[] =
	    "S=407A5589115FD0D6209F510FE9C04566932CDA56";
	static int ready;
	struct mschap_failure f;
	const uint8_t *text;
	size_t textlen;
	char err[96], out[200];
	uint8_t sel;

	if (!ready) {
		if (crypto_init(err, sizeof(err)) == -1)
			abort();
		/* To syslog, which drops it here: stderr is for crashes. */
		log_init(0, LOG_DAEMON);
		ready = 1;
	}
	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	switch (sel & 3) {
	case 0:
		if (mschap_parse_failure(data, size, sel & 4 ? 8 : 16, &f, err,
		    sizeof(err)) == 0) {
			if (f.text != NULL && (f.text < data ||
			    f.text + f.textlen > data + size))
				abort();
			mschap_describe_failure(&f, ", x", out, sizeof(out));
		}
		break;
	case 1:
		mschapv2_success_text(data, size, &text, &textlen);
		if (text < data || text + textlen > data + size)
			abort();
		auth_sanitize(text, textlen, out, sizeof(out));
		(void)mschapv2_check_success(expected, data, size);
		break;
	default:
		session(data, size);
		break;
	}
	return 0;
}
