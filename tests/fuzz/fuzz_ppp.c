/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Arbitrary frames into a struct ppp in each phase, as client or server.
 *
 * Input: byte 0 picks the side under attack (bit 3) and the phase to bring
 * the link to first (bits 0-2: establish, authenticate, network, running,
 * terminate); then records of [len_hi len_lo frame...], each fed to that
 * side, whose answers go to the honest other side and back.  A record
 * with length 0xffff instead moves the clock by the next byte in seconds.
 * The authentication stub stands in for the real one, so that every phase
 * is reachable.  Logging is silenced here: it would only slow the fuzzer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "ccp.h"
#include "log.h"
#include "ppp.h"
#include "timer.h"
#include "timer_manual.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* log.h, quietly. */
void log_init(int f, int fac) { (void)f; (void)fac; }
void log_setverbose(int v) { (void)v; }
int log_getverbose(void) { return 0; }
void vlog(int p, const char *f, va_list ap) { (void)p; (void)f; (void)ap; }
void log_warn(const char *f, ...) { (void)f; }
void log_warnx(const char *f, ...) { (void)f; }
void log_info(const char *f, ...) { (void)f; }
void log_debug(const char *f, ...) { (void)f; }
void fatal(const char *f, ...) { (void)f; abort(); }
void fatalx(const char *f, ...) { (void)f; abort(); }

#define QLEN	32
#define FMAX	1600

struct side {
	struct ppp	*ppp;
	uint8_t		 q[QLEN][FMAX];
	size_t		 qlen[QLEN];
	unsigned int	 n;
	/* Frames being delivered while new ones queue up. */
	uint8_t		 w[QLEN][FMAX];
	size_t		 wlen[QLEN];
	int		 up, down;
	enum ppp_phase	 phase;
};

static void
s_send(void *arg, const uint8_t *f, size_t len)
{
	struct side *s = arg;

	/* A full queue loses frames, as a network would. */
	if (s->n == QLEN || len > FMAX)
		return;
	memcpy(s->q[s->n], f, len);
	s->qlen[s->n++] = len;
}

static void
s_phase(void *arg, enum ppp_phase ph)
{
	((struct side *)arg)->phase = ph;
}

static void
s_up(void *arg, const struct ppp_link *l)
{
	(void)l;
	((struct side *)arg)->up++;
}

static void
s_down(void *arg, const char *reason)
{
	(void)reason;
	((struct side *)arg)->down++;
}

static void
s_data(void *arg, uint16_t proto, const uint8_t *d, size_t len)
{
	(void)arg;
	(void)proto;
	/* Touch every byte so that ASan checks the bounds handed out. */
	while (len-- > 0)
		if (d[len] == 0x5a)
			__asm__ volatile("" ::: "memory");
}

static void
s_reset(void *arg)
{
	(void)arg;
}

static const struct ppp_ops ops = {
	s_send, s_phase, s_up, s_down, s_data, s_reset,
};

/* Delivers what a sent, in order, to b. */
static int
flush(struct side *a, struct side *b)
{
	unsigned int i, n = a->n;

	for (i = 0; i < n; i++) {
		memcpy(a->w[i], a->q[i], a->qlen[i]);
		a->wlen[i] = a->qlen[i];
	}
	a->n = 0;
	for (i = 0; i < n; i++)
		ppp_input(b->ppp, a->w[i], a->wlen[i]);
	return n > 0;
}

static void
pump(struct timer_base *tb, struct side *a, struct side *b, int timers)
{
	int i;

	for (i = 0; i < 64; i++) {
		if (!(flush(a, b) | flush(b, a))) {
			if (!timers || timer_manual_next(tb) != 0)
				break;
		}
		if (timers)
			timer_manual_advance(tb, 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct timer_base *tb;
	struct ppp_config cc, sc;
	struct side *c, *s, *t, *o;
	enum ppp_phase want;
	size_t off, len;
	int i;

	if (size < 1)
		return 0;
	want = (enum ppp_phase)(1 + data[0] % 5);
	tb = timer_manual_new();
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (s = calloc(1, sizeof(*s))) == NULL)
		abort();
	memset(&cc, 0, sizeof(cc));
	cc.role = PPP_CLIENT;
	cc.tag = "fuzz";
	cc.user = "u";
	cc.password = "pw";
	cc.password_len = 2;
	cc.auth_allow = AUTH_ALLOW(AUTH_MSCHAPV2) | AUTH_ALLOW(AUTH_PAP);
	cc.mppe = (data[0] & 0x10) ? MPPE_OPTIONAL : MPPE_REQUIRED;
	cc.mppe_strengths = MPPE_STRENGTHS;
	cc.mppe_stateful = (data[0] & 0x20) != 0;
	cc.keepalive_s = 10;
	sc = cc;
	sc.role = PPP_SERVER;
	sc.local_addr = 0xc0000201;
	sc.assign_addr = 0xc0000202;
	sc.dns[0] = 0xc0000235;
	c->ppp = ppp_new(&cc, &ops, c, tb);
	s->ppp = ppp_new(&sc, &ops, s, tb);
	if (c->ppp == NULL || s->ppp == NULL)
		abort();
	t = (data[0] & 0x08) ? s : c;
	o = t == c ? s : c;

	/* Bring the link to the phase asked for. */
	ppp_open(s->ppp);
	ppp_open(c->ppp);
	for (i = 0; i < 64 && t->phase < want && !t->down; i++) {
		/* Authentication finishes on a timer: hold it there. */
		pump(tb, c, s, want != PPP_PHASE_AUTHENTICATE);
		if (t->phase == PPP_PHASE_AUTHENTICATE &&
		    want == PPP_PHASE_AUTHENTICATE)
			break;
	}
	if (want == PPP_PHASE_TERMINATE)
		ppp_close(t->ppp, "fuzz");

	for (off = 1; off + 2 <= size; off += len) {
		len = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (len == 0xffff) {
			if (off < size)
				timer_manual_advance(tb,
				    (uint64_t)data[off] * 1000);
			len = 1;
			continue;
		}
		if (len > size - off)
			len = size - off;
		ppp_input(t->ppp, data + off, len);
		/* The peer answers, and the target answers that. */
		pump(tb, t, o, 1);
	}
	ppp_ccp_reset_request(t->ppp);
	(void)ppp_echo_rtt(t->ppp);
	ppp_lower_down(c->ppp, "fuzz");
	ppp_lower_down(s->ppp, "fuzz");
	ppp_free(c->ppp);
	ppp_free(s->ppp);
	free(c);
	free(s);
	timer_manual_free(tb);
	return 0;
}
