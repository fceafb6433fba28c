/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Arbitrary packets straight into IPv6CP's automaton, starting from any
 * of the ten states, with either identifier fixed or random, so that the
 * Interface-Identifier parsing (Request, Nak, Reject) is reached in
 * every state.
 *
 * Input: byte 0 picks our first identifier (bit 0: fixed to 1, else
 * random), byte 1 the state (mod 10); then records of [len packet...];
 * len 0xff fires the next timer instead.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsm.h"
#include "ipv6cp.h"
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
	(void)arg;
	/* What we send must be a well-formed IPv6CP packet. */
	if (proto != 0x8057 || len < 4 || len > FSM_PKT_MAX ||
	    get_be16(pkt + 2) != len)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct timer_base *tb;
	struct fsm_owner owner;
	struct ipv6cp_config c;
	struct ipv6cp *p;
	size_t off, len;

	if (size < 2)
		return 0;
	tb = timer_manual_new();
	if ((p = calloc(1, sizeof(*p))) == NULL)
		abort();
	memset(&owner, 0, sizeof(owner));
	owner.send = o_send;
	memset(&c, 0, sizeof(c));
	c.ifid = data[0] & 1 ? 1 : 0;
	ipv6cp_init(p, &c, "f", &owner, tb);
	fsm_open(&p->fsm);
	fsm_up(&p->fsm);
	p->fsm.state = (enum fsm_state)(data[1] % 10);
	for (off = 2; off < size; off += len) {
		len = data[off++];
		if (len == 0xff) {
			timer_manual_step(tb);
			len = 0;
			continue;
		}
		if (len > size - off)
			len = size - off;
		fsm_input(&p->fsm, data + off, len);
		/* Whatever came, ours is never zero. */
		if (p->ifid == 0)
			abort();
	}
	fsm_close(&p->fsm, "fuzz");
	fsm_down(&p->fsm);
	ipv6cp_free(p);
	free(p);
	timer_manual_free(tb);
	return 0;
}
