/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * CCP negotiating MPPE.  Both sides send a Configure-Request with option
 * 18; the responder Naks with a single key strength (RFC 3078 §2.1), so a
 * request offering every strength we allow converges in one round.  What
 * we ack of the peer's request is how we send; what the peer acks of ours
 * is how we receive.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "ccp.h"
#include "log.h"
#include "ppp_defs.h"

int
ccp_mppe_keybits(uint32_t bits)
{
	if (bits & MPPE_S)
		return 128;
	if (bits & MPPE_M)
		return 56;
	if (bits & MPPE_L)
		return 40;
	return 0;
}

static uint32_t
strongest(uint32_t bits)
{
	if (bits & MPPE_S)
		return MPPE_S;
	if (bits & MPPE_M)
		return MPPE_M;
	return bits & MPPE_L;
}

const char *
ccp_mppe_str(uint32_t b, char *buf, size_t len)
{
	snprintf(buf, len, "<mppe %cH %cM %cS %cL %cD %cC>",
	    b & MPPE_H ? '+' : '-', b & MPPE_M ? '+' : '-',
	    b & MPPE_S ? '+' : '-', b & MPPE_L ? '+' : '-',
	    b & MPPE_D ? '+' : '-', b & MPPE_C ? '+' : '-');
	return buf;
}

/* "128", "40/128": the allowed strengths for messages. */
static const char *
strengths_str(uint32_t bits, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s",
	    bits & MPPE_L ? "40" : "",
	    (bits & MPPE_L) && (bits & (MPPE_M | MPPE_S)) ? "/" : "",
	    bits & MPPE_M ? "56" : "",
	    (bits & MPPE_M) && (bits & MPPE_S) ? "/" : "",
	    bits & MPPE_S ? "128" : "");
	return buf;
}

static const char *
peer_word(const struct ccp *c)
{
	return c->cfg.server ? "client" : "server";
}

static void
moment(struct ccp *c, enum ccp_moment m, uint32_t bits)
{
	if (c->cfg.moment != NULL)
		c->cfg.moment(c->arg, m, bits);
}

/* OPEN comes first in every negotiation, whichever frame goes out first. */
static void
moment_open(struct ccp *c)
{
	if (c->moment_open)
		return;
	c->moment_open = 1;
	moment(c, CCP_MOMENT_OPEN, c->want);
}

static void
ccp_resetci(struct fsm *f)
{
	struct ccp *c = f->ctx;

	/*
	 * Stateless unless told otherwise: it survives loss (RFC 3078 §9).
	 * Stateful changes keys every 256 packets instead of every packet.
	 */
	c->want = c->cfg.strengths | (c->cfg.prefer_stateful ? 0 : MPPE_H);
	c->rx_bits = c->tx_bits = c->peer_acked = 0;
	c->reset_wait = 0;
	c->naked_h = 0;
}

static int
ccp_addci(struct fsm *f, struct wbuf *w)
{
	struct ccp *c = f->ctx;

	/* The kernel needs our receive key before the peer's Ack of this. */
	moment_open(c);
	wbuf_u8(w, CCP_MPPE);
	wbuf_u8(w, 6);
	wbuf_u32(w, c->want);
	return wbuf_failed(w) ? -1 : 0;
}

static void
ccp_ackci(struct fsm *f)
{
	struct ccp *c = f->ctx;

	c->rx_bits = c->want;
}

/*
 * Why a peer's proposal v is unusable, or NULL if it names exactly one
 * allowed strength in an allowed mode and nothing else.
 */
static const char *
unusable(const struct ccp *c, uint32_t v, char *buf, size_t len)
{
	uint32_t s = v & MPPE_STRENGTHS;
	char a[16], b[16];

	if ((s & c->cfg.strengths) == 0) {
		if (s == 0)
			snprintf(buf, len, "%s offers MPPE without a key "
			    "length, the configuration allows %s",
			    peer_word(c), strengths_str(c->cfg.strengths, a,
			    sizeof(a)));
		else
			snprintf(buf, len, "%s offers only %s-bit MPPE, the "
			    "configuration allows %s", peer_word(c),
			    strengths_str(s, b, sizeof(b)),
			    strengths_str(c->cfg.strengths, a, sizeof(a)));
		return buf;
	}
	if (!(v & MPPE_H) && !c->cfg.allow_stateful) {
		snprintf(buf, len, "%s offers only stateful MPPE, the "
		    "configuration allows stateless only", peer_word(c));
		return buf;
	}
	return NULL;
}

static int
ccp_nakci(struct fsm *f, struct rbuf *r)
{
	struct ccp *c = f->ctx;
	const uint8_t *d;
	char why[160], bits[40];
	const char *bad;
	uint32_t v;
	size_t len;
	uint8_t type;
	int rv;

	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1) {
		if (type != CCP_MPPE)
			continue;	/* other compressors: not ours */
		if (len != 4)
			return FSM_CI_BAD;
		v = get_be32(d);
		log_debug("%s: CCP: %s proposes %s", f->tag, peer_word(c),
		    ccp_mppe_str(v, bits, sizeof(bits)));
		if ((bad = unusable(c, v, why, sizeof(why))) != NULL) {
			fsm_set_reason(f, "%s", bad);
			return FSM_CI_GIVEUP;
		}
		/* Re-request exactly one strength and nothing unknown. */
		c->want = strongest(v & c->cfg.strengths) | (v & MPPE_H);
	}
	return rv == 0 ? FSM_CI_OK : FSM_CI_BAD;
}

static int
ccp_rejci(struct fsm *f, struct rbuf *r)
{
	struct ccp *c = f->ctx;
	const uint8_t *d;
	size_t len;
	uint8_t type;
	int rv;

	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1) {
		if (type != CCP_MPPE || len != 4)
			return FSM_CI_BAD;
		fsm_set_reason(f, "%s refused MPPE%s", peer_word(c),
		    c->cfg.policy == MPPE_REQUIRED ? "; the configuration "
		    "requires it (mppe required)" : "");
		return FSM_CI_GIVEUP;
	}
	return rv == 0 ? FSM_CI_OK : FSM_CI_BAD;
}

/*
 * Our counter-proposal: a single allowed strength, and H per policy.  A
 * preference for stateful asks once to clear H; a peer that asks for H
 * again gets it.
 */
static uint32_t
counter(const struct ccp *c, uint32_t v)
{
	uint32_t s;

	if ((s = strongest(v & c->cfg.strengths)) == 0)
		s = strongest(c->cfg.strengths);
	if (c->cfg.prefer_stateful && !c->naked_h)
		return s;
	if ((v & MPPE_H) || !c->cfg.allow_stateful)
		s |= MPPE_H;
	return s;
}

static int
ccp_reqci(struct fsm *f, struct rbuf *r, struct fsm_reply *rp, int reject)
{
	struct ccp *c = f->ctx;
	const uint8_t *d;
	char why[160];
	uint8_t nak[4];
	uint32_t v, want;
	size_t len;
	uint8_t type;
	int rv, seen = 0;

	c->peer_acked = 0;
	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1) {
		if (type != CCP_MPPE || len != 4) {
			/* Deflate, BSD, Predictor, MPPC alone, ... */
			fsm_reply_option(rp, CONFREJ, type, d, len);
			continue;
		}
		seen = 1;
		v = get_be32(d);
		want = counter(c, v);
		if (v == want) {
			c->peer_acked = v;
			fsm_reply_option(rp, CONFACK, type, d, len);
			continue;
		}
		if (unusable(c, v, why, sizeof(why)) != NULL)
			fsm_set_reason(f, "%s", why);
		if (reject) {
			fsm_reply_option(rp, CONFREJ, type, d, len);
			continue;
		}
		if ((v & MPPE_H) && !(want & MPPE_H))
			c->naked_h = 1;
		put_be32(nak, want);
		fsm_reply_option(rp, CONFNAK, type, nak, sizeof(nak));
	}
	if (rv != 0)
		return -1;
	if (!seen && !reject) {
		/*
		 * An empty request would have us send in clear; ask the
		 * peer to include MPPE (RFC 1661 §5.3 allows adding).
		 */
		put_be32(nak, counter(c, 0));
		fsm_reply_option(rp, CONFNAK, CCP_MPPE, nak, sizeof(nak));
	}
	/*
	 * The reply is final now: an Ack of MPPE means we send with those
	 * bits, and the kernel must hold our send key before it passes.
	 */
	if (rp->code == CONFACK && c->peer_acked != 0) {
		moment_open(c);
		moment(c, CCP_MOMENT_ACK, c->peer_acked);
	}
	return 0;
}

static void
ccp_up(struct fsm *f)
{
	struct ccp *c = f->ctx;

	c->tx_bits = c->peer_acked;
	c->reset_wait = 0;
	moment(c, CCP_MOMENT_UP, c->tx_bits);
}

static void
ccp_down(struct fsm *f)
{
	moment(f->ctx, CCP_MOMENT_DOWN, 0);
}

static void
ccp_finished(struct fsm *f)
{
	struct ccp *c = f->ctx;

	/* Only a CCP that began reports its end. */
	if (!c->moment_open)
		return;
	c->moment_open = 0;
	moment(c, CCP_MOMENT_CLOSED, 0);
}

static int
ccp_extcode(struct fsm *f, uint8_t code, uint8_t id, struct rbuf *r)
{
	struct ccp *c = f->ctx;

	(void)r;
	switch (code) {
	case RESETREQ:
		if (f->state != FSM_OPENED)
			return 1;
		FSM_NOTE(f, RATELOG_DEBUG, "%s: CCP: Reset-Request from the "
		    "peer", f->tag);
		c->ops->reset_req(c->arg);
		fsm_send(f, RESETACK, id, NULL, 0);
		return 1;
	case RESETACK:
		c->reset_wait = 0;
		return 1;
	default:
		return 0;
	}
}

static int
ccp_codereject(struct fsm *f, uint8_t code)
{
	(void)f;
	(void)code;
	/* A peer without Reset support can still run stateless MPPE. */
	return 0;
}

static const struct fsm_callbacks ccp_callbacks = {
	.resetci = ccp_resetci,
	.addci = ccp_addci,
	.ackci = ccp_ackci,
	.nakci = ccp_nakci,
	.rejci = ccp_rejci,
	.reqci = ccp_reqci,
	.up = ccp_up,
	.down = ccp_down,
	.finished = ccp_finished,
	.extcode = ccp_extcode,
	.codereject = ccp_codereject,
};

void
ccp_init(struct ccp *c, const struct ccp_config *cfg, const char *tag,
    const struct fsm_owner *owner, const struct ccp_ops *ops, void *arg,
    struct timer_base *tb)
{
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	c->cfg.strengths &= MPPE_STRENGTHS;
	if (c->cfg.prefer_stateful)
		c->cfg.allow_stateful = 1;
	if (c->cfg.strengths == 0)
		c->cfg.strengths = MPPE_S;
	c->ops = ops;
	c->arg = arg;
	c->tb = tb;
	fsm_init(&c->fsm, PPP_CCP, "CCP", tag, &ccp_callbacks, c, owner, tb);
	ccp_resetci(&c->fsm);
}

void
ccp_free(struct ccp *c)
{
	fsm_free(&c->fsm);
}

int
ccp_send_reset_request(struct ccp *c)
{
	uint64_t now = timer_now(c->tb);

	if (c->fsm.state != FSM_OPENED)
		return -1;
	if (c->reset_wait && now - c->reset_sent_ms < CCP_RESET_INTERVAL_MS)
		return -1;
	c->reset_wait = 1;
	c->reset_sent_ms = now;
	fsm_send(&c->fsm, RESETREQ, fsm_next_id(&c->fsm), NULL, 0);
	return 0;
}
