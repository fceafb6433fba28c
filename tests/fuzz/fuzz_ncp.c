/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Arbitrary packets straight into the automaton of LCP, IPCP or CCP, as
 * client or server, starting from any of the ten states, so that option
 * parsing is reached in states the whole link rarely visits.
 *
 * Input: byte 0 picks the module and role (mod 6), byte 1 the state
 * (mod 10); then records of [len packet...]; len 0xff fires the next
 * timer instead.  Logging is silenced here: it would only slow the fuzzer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "ccp.h"
#include "fsm.h"
#include "ipcp.h"
#include "lcp.h"
#include "log.h"
#include "timer.h"
#include "timer_manual.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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

static void
o_send(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	size_t *total = arg;

	(void)proto;
	/* What we send must be a well-formed packet. */
	if (len < 4 || len > FSM_PKT_MAX || get_be16(pkt + 2) != len)
		abort();
	*total += len;
}

static void
o_protrej(void *arg, uint16_t proto)
{
	(void)arg;
	(void)proto;
}

static void
o_dead(void *arg, const char *why)
{
	(void)arg;
	(void)why;
}

static void
o_reset(void *arg)
{
	(void)arg;
}

static const struct lcp_ops lops = { o_protrej, o_dead };
static const struct ccp_ops cops = { o_reset };

union mod {
	struct lcp	 lcp;
	struct ipcp	 ipcp;
	struct ccp	 ccp;
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct timer_base *tb;
	struct fsm_owner owner;
	struct lcp_config lc;
	struct ipcp_config ic;
	struct ccp_config cc;
	union mod *m;
	struct fsm *f;
	size_t off, len, total = 0;
	int which, server;

	if (size < 2)
		return 0;
	which = data[0] % 6 / 2;
	server = data[0] % 2;
	tb = timer_manual_new();
	if ((m = calloc(1, sizeof(*m))) == NULL)
		abort();
	memset(&owner, 0, sizeof(owner));
	owner.send = o_send;
	owner.arg = &total;
	switch (which) {
	case 0:
		memset(&lc, 0, sizeof(lc));
		lc.server = server;
		lc.auth_allow = data[0] & 0x80 ? 0x1f :
		    AUTH_ALLOW(AUTH_MSCHAPV2) | AUTH_ALLOW(AUTH_PAP);
		lc.mru = data[0] & 0x40 ? 1400 : 0;
		lc.echo_interval_ms = 1000;
		lcp_init(&m->lcp, &lc, "f", &owner, &lops, NULL, tb);
		f = &m->lcp.fsm;
		break;
	case 1:
		memset(&ic, 0, sizeof(ic));
		ic.server = server;
		ic.local = server ? 0xc0000201 : 0;
		ic.assign = 0xc0000202;
		ic.dns[0] = 0xc0000235;
		ipcp_init(&m->ipcp, &ic, "f", &owner, tb);
		f = &m->ipcp.fsm;
		break;
	default:
		memset(&cc, 0, sizeof(cc));
		cc.server = server;
		cc.policy = data[0] & 0x80 ? MPPE_OPTIONAL : MPPE_REQUIRED;
		cc.strengths = data[0] & 0x40 ? MPPE_STRENGTHS : MPPE_S;
		cc.allow_stateful = (data[0] & 0x20) != 0;
		ccp_init(&m->ccp, &cc, "f", &owner, &cops, NULL, tb);
		f = &m->ccp.fsm;
		break;
	}
	fsm_open(f);
	fsm_up(f);
	f->state = (enum fsm_state)(data[1] % 10);

	for (off = 2; off < size; off += len) {
		len = data[off++];
		if (len == 0xff) {
			timer_manual_step(tb);
			len = 0;
			continue;
		}
		if (len > size - off)
			len = size - off;
		fsm_input(f, data + off, len);
	}
	if (which == 2)
		ccp_send_reset_request(&m->ccp);
	fsm_close(f, "fuzz");
	fsm_down(f);
	switch (which) {
	case 0:
		lcp_free(&m->lcp);
		break;
	case 1:
		ipcp_free(&m->ipcp);
		break;
	default:
		ccp_free(&m->ccp);
		break;
	}
	free(m);
	timer_manual_free(tb);
	return 0;
}
