/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * auth.h without cryptography, for the PPP unit tests and fuzz targets that
 * must not depend on the real authentication.  auth_start() reports the
 * result from a 0 ms timer: success unless the password is "wrong", with
 * fixed MPPE start keys for the MS-CHAP methods (a client's send key is a
 * server's receive key).  Packets given to auth_input() are counted only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "timer.h"

#define STUB_KEY_C2S	0xc5	/* every byte of the client->server key */
#define STUB_KEY_S2C	0x5c

struct auth {
	enum auth_role		 role;
	enum auth_method	 method;
	const struct auth_ops	*ops;
	void			*arg;
	struct timer		 timer;
	int			 wrong;
	int			 done;
	unsigned int		 packets;
};

static void
stub_done(void *arg)
{
	struct auth *a = arg;
	struct auth_result res;
	int client = a->role == AUTH_CLIENT;

	if (a->done)
		return;
	a->done = 1;
	memset(&res, 0, sizeof(res));
	res.method = a->method;
	res.success = !a->wrong;
	if (a->wrong) {
		res.error_code = 691;
		snprintf(res.message, sizeof(res.message), "authentication "
		    "failed: error 691 (stub: wrong password)");
	} else if (a->method == AUTH_MSCHAPV1 || a->method == AUTH_MSCHAPV2) {
		res.have_keys = 1;
		memset(res.send_key, client ? STUB_KEY_C2S : STUB_KEY_S2C, 16);
		memset(res.recv_key, client ? STUB_KEY_S2C : STUB_KEY_C2S, 16);
	}
	a->ops->done(a->arg, &res);
}

struct auth *
auth_new(const struct auth_config *cfg, const struct auth_ops *ops,
    void *arg, struct timer_base *tb)
{
	struct auth *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->role = cfg->role;
	a->ops = ops;
	a->arg = arg;
	a->wrong = cfg->password != NULL && cfg->password_len == 5 &&
	    memcmp(cfg->password, "wrong", 5) == 0;
	timer_init(&a->timer, tb, stub_done, a);
	return a;
}

void
auth_start(struct auth *a, enum auth_method m)
{
	a->method = m;
	timer_set(&a->timer, 0);
}

void
auth_input(struct auth *a, uint16_t proto, const uint8_t *pkt, size_t len)
{
	(void)proto;
	(void)pkt;
	(void)len;
	a->packets++;
}

void
auth_free(struct auth *a)
{
	if (a == NULL)
		return;
	timer_free(&a->timer);
	free(a);
}

const char *
auth_method_name(enum auth_method m)
{
	switch (m) {
	case AUTH_PAP:
		return "pap";
	case AUTH_CHAP_MD5:
		return "chap-md5";
	case AUTH_MSCHAPV1:
		return "mschap";
	case AUTH_MSCHAPV2:
		return "mschapv2";
	default:
		return "none";
	}
}

const char *
auth_refusal(const struct auth *a)
{
	(void)a;
	return NULL;
}
