/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Fuzz target for the PPTP control connection: the message decoders (with
 * a decode/encode/decode round-trip check), the framer, the client engine
 * brought into each of its states first, and the test peer's PAC engine.
 *
 * The first input byte picks what is fuzzed; for the engines the next one
 * picks the starting state, and the rest is cut into reads by length
 * bytes taken from the input itself, with a length of 0 meaning "let time
 * pass", so that timers fire between reads too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "pptp_ctrl.h"
#include "pptp_msg.h"
#include "timer_manual.h"
#include "../peer/pptp_pac.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * log.c would print every line; these format into a buffer instead, so
 * that format strings are still exercised but the fuzzer runs quietly.
 */
void
vlog(int pri, const char *fmt, va_list ap)
{
	char buf[1024];

	(void)pri;
	vsnprintf(buf, sizeof(buf), fmt, ap);
}

#define QUIET(name)						\
void								\
name(const char *fmt, ...)					\
{								\
	va_list ap;						\
								\
	va_start(ap, fmt);					\
	vlog(0, fmt, ap);					\
	va_end(ap);						\
}
QUIET(log_warn)
QUIET(log_warnx)
QUIET(log_info)
QUIET(log_debug)

/* As with -v: the rate-limited debug lines (ratelog.h) are formatted too. */
int
log_getverbose(void)
{
	return 1;
}

void
fatal(const char *fmt, ...)
{
	(void)fmt;
	abort();
}

void
fatalx(const char *fmt, ...)
{
	(void)fmt;
	abort();
}

struct fz {
	struct pptp_ctrl	*c;
	struct pptp_pac		*p;
	int			 free_in_closed;
	int			 closed;
	size_t			 written;
};

static int
fz_write(void *arg, const uint8_t *data, size_t len)
{
	struct fz *fz = arg;

	(void)data;
	fz->written += len;
	return 0;
}

static void
fz_up(void *arg, const struct pptp_call_info *ci)
{
	(void)arg;
	(void)ci;
}

static void
fz_down(void *arg, const struct pptp_ctrl_reason *r)
{
	(void)arg;
	(void)r;
}

static void
fz_closed(void *arg, const struct pptp_ctrl_reason *r)
{
	struct fz *fz = arg;

	(void)r;
	fz->closed = 1;
	if (fz->free_in_closed) {
		pptp_ctrl_free(fz->c);
		fz->c = NULL;
	}
}

static void
fz_sli(void *arg, uint32_t s, uint32_t r)
{
	(void)arg;
	(void)s;
	(void)r;
}

static void
fz_pac_up(void *arg, const struct pptp_pac_call *call)
{
	(void)arg;
	(void)call;
}

static void
fz_pac_down(void *arg)
{
	(void)arg;
}

static void
fz_pac_closed(void *arg, const char *reason)
{
	struct fz *fz = arg;

	(void)reason;
	fz->closed = 1;
}

static const struct pptp_ctrl_ops ctrl_ops = {
	.write = fz_write,
	.call_up = fz_up,
	.call_down = fz_down,
	.closed = fz_closed,
	.sli = fz_sli,
};

static const struct pptp_pac_ops pac_ops = {
	.write = fz_write,
	.call_up = fz_pac_up,
	.call_down = fz_pac_down,
	.closed = fz_pac_closed,
};

static void
fuzz_decode(const uint8_t *data, size_t size)
{
	uint8_t buf[PPTP_MAX_MSG_LEN], again[PPTP_MAX_MSG_LEN];
	struct pptp_msg m, m2;
	struct wbuf w;
	unsigned int t;
	size_t len;
	char why[128];

	pptp_msg_decode(data, size, &m, why, sizeof(why));

	/* The rest as the body of each type, behind a good header. */
	for (t = 1; t <= PPTP_TYPE_MAX; t++) {
		len = pptp_msg_len(t);
		memset(buf, 0, sizeof(buf));
		put_be16(buf, (uint16_t)len);
		put_be16(buf + 2, PPTP_MSG_CONTROL);
		put_be32(buf + 4, PPTP_MAGIC);
		put_be16(buf + 8, (uint16_t)t);
		memcpy(buf + PPTP_HDR_LEN, data, size < len - PPTP_HDR_LEN ?
		    size : len - PPTP_HDR_LEN);
		if (pptp_msg_decode(buf, len, &m, why, sizeof(why)) !=
		    PPTP_MSG_OK)
			continue;
		/* What decodes must encode and decode to the same. */
		wbuf_init(&w, again, sizeof(again));
		if (pptp_msg_encode(&w, &m) != 0 || wbuf_len(&w) != len)
			abort();
		if (pptp_msg_decode(again, len, &m2, why, sizeof(why)) !=
		    PPTP_MSG_OK || memcmp(&m, &m2, sizeof(m)) != 0)
			abort();
	}
}

static void
fuzz_framer(const uint8_t *data, size_t size)
{
	struct pptp_framer f;
	const uint8_t *msg;
	size_t chunk, n, len;
	struct pptp_msg m;
	int r;

	pptp_framer_init(&f);
	while (size > 0) {
		chunk = 1 + data[0] % 64;
		data++;
		size--;
		if (chunk > size)
			chunk = size;
		while (chunk > 0) {
			n = pptp_framer_push(&f, data, chunk);
			data += n;
			size -= n;
			chunk -= n;
			while ((r = pptp_framer_next(&f, &msg, &len, NULL,
			    0)) == 1) {
				if (len < PPTP_HDR_LEN ||
				    len > PPTP_MAX_MSG_LEN ||
				    get_be16(msg) != len)
					abort();
				pptp_msg_decode(msg, len, &m, NULL, 0);
			}
			if (r == -1)
				return;
		}
	}
}

static void
feed_msg(struct fz *fz, const struct pptp_msg *m)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	pptp_msg_encode(&w, m);
	if (fz->c != NULL)
		pptp_ctrl_input(fz->c, buf, wbuf_len(&w));
	else
		pptp_pac_input(fz->p, buf, wbuf_len(&w));
}

/* Walks the client to one of its states with well-formed replies. */
static void
client_setup(struct fz *fz, unsigned int target)
{
	struct pptp_msg m;

	pptp_ctrl_start(fz->c);
	if (target == 0)
		return;
	memset(&m, 0, sizeof(m));
	m.type = PPTP_SCCRP;
	m.u.scc.version = PPTP_VERSION;
	m.u.scc.result = PPTP_SCCRP_SUCCESS;
	feed_msg(fz, &m);
	if (target == 1)
		return;
	memset(&m, 0, sizeof(m));
	m.type = PPTP_OCRP;
	m.u.ocrp.call_id = 0x4242;
	m.u.ocrp.peer_call_id = 0x1234;
	m.u.ocrp.result = PPTP_OCRP_CONNECTED;
	feed_msg(fz, &m);
	if (target == 2)
		return;
	pptp_ctrl_close(fz->c);		/* wait-cdn */
	if (target == 3)
		return;
	memset(&m, 0, sizeof(m));
	m.type = PPTP_CDN;
	m.u.cdn.call_id = 0x4242;
	feed_msg(fz, &m);		/* wait-stop-reply */
}

static void
pac_setup(struct fz *fz, unsigned int target)
{
	struct pptp_msg m;

	if (target == 0)
		return;
	memset(&m, 0, sizeof(m));
	m.type = PPTP_SCCRQ;
	m.u.scc.version = PPTP_VERSION;
	feed_msg(fz, &m);
	if (target == 1)
		return;
	memset(&m, 0, sizeof(m));
	m.type = PPTP_OCRQ;
	m.u.ocrq.call_id = 0x1234;
	feed_msg(fz, &m);
	if (target == 3)
		pptp_pac_stop(fz->p, PPTP_STOP_SHUTDOWN);
}

static void
fuzz_engine(const uint8_t *data, size_t size, int pac)
{
	struct pptp_ctrl_config cfg;
	struct pptp_pac_config pcfg;
	struct timer_base *tb;
	struct fz fz;
	size_t chunk;
	unsigned int sel;

	if (size < 1)
		return;
	sel = data[0];
	data++;
	size--;
	memset(&fz, 0, sizeof(fz));
	tb = timer_manual_new();
	if (pac) {
		memset(&pcfg, 0, sizeof(pcfg));
		pcfg.tag = "fuzz";
		pcfg.call_id = 0x4242;
		pcfg.echo_interval_ms = (sel & 0x40) ? 5000 : 0;
		pcfg.ignore_echo = (sel & 0x80) != 0;
		if ((fz.p = pptp_pac_new(&pcfg, &pac_ops, &fz, tb)) == NULL)
			abort();
		pac_setup(&fz, sel % 4);
	} else {
		memset(&cfg, 0, sizeof(cfg));
		cfg.tag = "fuzz";
		cfg.call_id = 0x1234;
		cfg.echo_interval_ms = 5000;
		cfg.echo_max_failures = 1 + (sel >> 6);
		fz.free_in_closed = (sel & 0x20) != 0;
		if ((fz.c = pptp_ctrl_new(&cfg, &ctrl_ops, &fz, tb)) == NULL)
			abort();
		client_setup(&fz, sel % 5);
	}
	while (size > 0 && !fz.closed) {
		chunk = data[0];
		data++;
		size--;
		if (chunk == 0) {
			timer_manual_advance(tb, 4000);
			continue;
		}
		if (chunk > size)
			chunk = size;
		if (pac)
			pptp_pac_input(fz.p, data, chunk);
		else
			pptp_ctrl_input(fz.c, data, chunk);
		data += chunk;
		size -= chunk;
	}
	if (!fz.closed)
		timer_manual_advance(tb, 120000);
	if (pac)
		pptp_pac_free(fz.p);
	else
		pptp_ctrl_free(fz.c);
	if (timer_manual_next(tb) != UINT64_MAX)
		abort();	/* a timer outlived its engine */
	timer_manual_free(tb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_decode(data + 1, size - 1);
		break;
	case 1:
		fuzz_framer(data + 1, size - 1);
		break;
	case 2:
		fuzz_engine(data + 1, size - 1, 0);
		break;
	case 3:
		fuzz_engine(data + 1, size - 1, 1);
		break;
	}
	return 0;
}
