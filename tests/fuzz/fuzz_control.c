/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Arbitrary request lines into the control socket's parser, and the
 * replies they cause checked by pptpctl's strict JSON reader.
 *
 * The input is the request (what a client sends before the newline).
 * Whatever it is, the parser must either refuse it or produce a request
 * with a valid tunnel name; and the reply the daemon builds, with fake
 * tunnels whose last_error and server hold the same arbitrary bytes (a
 * server's text reaches last_error), must always be one valid JSON
 * object that pptpctl reads.  The input is also given to that reader
 * directly, which must refuse or accept it without harm.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"
#include "control.h"
#include "json.h"
#include "log.h"
#include "session_info.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzz {
	const uint8_t	*data;
	size_t		 len;
};

static void
copy(char *dst, size_t dstlen, const uint8_t *src, size_t len)
{
	if (len > dstlen - 1)
		len = dstlen - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void
fz_list(void *arg, void (*visit)(const struct session_info *, void *),
    void *varg)
{
	struct fuzz *f = arg;
	struct session_info si;

	memset(&si, 0, sizeof(si));
	strcpy(si.name, "office");
	si.state = SESSION_UP;
	copy(si.server, sizeof(si.server), f->data, f->len);
	copy(si.last_error, sizeof(si.last_error), f->data, f->len);
	si.rx_bytes = UINT64_MAX;
	visit(&si, varg);
	/* Every byte of the struct arbitrary: no NULs, an odd state. */
	memset(&si, 0, sizeof(si));
	memcpy(&si, f->data, f->len < sizeof(si) ? f->len : sizeof(si));
	si.state = (enum session_state)(f->len % 9);
	visit(&si, varg);
}

static int
fz_op(void *arg, const char *name, char *msg, size_t msglen)
{
	struct fuzz *f = arg;

	(void)name;
	/* An op that fills all of msg, NUL or not. */
	memset(msg, 'm', msglen);
	if (f->len > 0)
		memcpy(msg, f->data, f->len < msglen ? f->len : msglen);
	return f->len % 2 ? -1 : 0;
}

static int
fz_reload(void *arg, char *msg, size_t msglen)
{
	return fz_op(arg, "", msg, msglen);
}

static const struct control_ops fz_ops = {
	fz_list, fz_op, fz_op, fz_reload,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct fuzz f = { data, len };
	struct control_req req;
	struct json j;
	struct jv *v;
	const char *d;
	char err[CONTROL_MSG_MAX];
	size_t dlen, i, n;

	log_setquiet(1);
	json_init(&j, CONTROL_REPLY_MAX);
	if (control_parse_request(data, len, &req, err, sizeof(err)) == -1) {
		if (strlen(err) == 0)
			abort();
		control_reply_error(&j, err);
	} else {
		n = strlen(req.name);
		if (n >= sizeof(req.name))
			abort();
		for (i = 0; i < n; i++)
			if (strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
			    req.name[i]) == NULL)
				abort();
		control_reply(&fz_ops, &f, &req, &j);
	}
	json_tail(&j, "\n");
	if ((d = json_data(&j, &dlen)) == NULL)
		abort();
	if ((v = jv_parse(d, dlen, err, sizeof(err))) == NULL ||
	    v->type != JV_OBJECT)
		abort();
	jv_free(v);
	json_free(&j);

	jv_free(jv_parse((const char *)data, len, err, sizeof(err)));
	return 0;
}
