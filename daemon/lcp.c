/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * LCP option negotiation and link maintenance.
 *
 * PPTP runs PPP over synchronous GRE framing, so the ACCM is irrelevant;
 * we accept whatever ACCM a server asks for (some send one) and never ask
 * for one ourselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lcp.h"
#include "log.h"
#include "ppp_defs.h"

#define LCP_LOOPS_MAX	5

static void	lcp_echo_timeout(void *);
static void	echo_forget(struct lcp *);

static const enum auth_method auth_order[] = {
	AUTH_MSCHAPV2, AUTH_MSCHAPV1, AUTH_CHAP_MD5, AUTH_PAP,
};

enum auth_method
lcp_best_auth(unsigned int allow)
{
	size_t i;

	for (i = 0; i < sizeof(auth_order) / sizeof(auth_order[0]); i++)
		if (allow & AUTH_ALLOW(auth_order[i]))
			return auth_order[i];
	return AUTH_NONE;
}

static uint32_t
new_magic(void)
{
	uint32_t m;

	/* Zero means "no magic number" to most peers. */
	do {
		arc4random_buf(&m, sizeof(m));
	} while (m == 0);
	return m;
}

/* Writes the Authentication-Protocol option data for a method. */
static size_t
auth_encode(enum auth_method m, uint8_t out[3])
{
	switch (m) {
	case AUTH_PAP:
		put_be16(out, PPP_PAP);
		return 2;
	case AUTH_CHAP_MD5:
		out[2] = CHAP_MD5;
		break;
	case AUTH_MSCHAPV1:
		out[2] = CHAP_MSV1;
		break;
	case AUTH_MSCHAPV2:
		out[2] = CHAP_MSV2;
		break;
	default:
		return 0;
	}
	put_be16(out, PPP_CHAP);
	return 3;
}

/* The method an Authentication-Protocol option names, or AUTH_NONE. */
static enum auth_method
auth_decode(const uint8_t *d, size_t len)
{
	if (len == 2 && get_be16(d) == PPP_PAP)
		return AUTH_PAP;
	if (len != 3 || get_be16(d) != PPP_CHAP)
		return AUTH_NONE;
	switch (d[2]) {
	case CHAP_MD5:
		return AUTH_CHAP_MD5;
	case CHAP_MSV1:
		return AUTH_MSCHAPV1;
	case CHAP_MSV2:
		return AUTH_MSCHAPV2;
	default:
		return AUTH_NONE;
	}
}

static void
lcp_resetci(struct fsm *f)
{
	struct lcp *l = f->ctx;

	memset(&l->want, 0, sizeof(l->want));
	memset(&l->his, 0, sizeof(l->his));
	l->want.mru = l->cfg.mru;
	l->want.neg_mru = l->cfg.mru != PPP_MRU_DEFAULT;
	l->want.neg_magic = 1;
	l->want.magic = new_magic();
	l->want.neg_pfc = l->want.neg_acfc = !l->cfg.no_hdrcomp;
	if (l->cfg.server) {
		l->want.auth = lcp_best_auth(l->cfg.auth_allow);
		l->want.neg_auth = l->want.auth != AUTH_NONE;
	}
	l->his.mru = PPP_MRU_DEFAULT;
	l->loops = 0;
	l->looped = 0;
	l->auth_tried = 0;
}

static int
lcp_addci(struct fsm *f, struct wbuf *w)
{
	struct lcp *l = f->ctx;
	uint8_t d[4];
	size_t n;

	if (l->want.neg_mru) {
		put_be16(d, l->want.mru);
		fsm_put_option(w, LCP_MRU, d, 2);
	}
	if (l->want.neg_auth) {
		n = auth_encode(l->want.auth, d);
		fsm_put_option(w, LCP_AUTH, d, n);
	}
	if (l->want.neg_magic) {
		put_be32(d, l->want.magic);
		fsm_put_option(w, LCP_MAGIC, d, 4);
	}
	if (l->want.neg_pfc)
		fsm_put_option(w, LCP_PFC, NULL, 0);
	if (l->want.neg_acfc)
		fsm_put_option(w, LCP_ACFC, NULL, 0);
	return wbuf_failed(w) ? -1 : 0;
}

static int
lcp_nakci(struct fsm *f, struct rbuf *r)
{
	struct lcp *l = f->ctx;
	const uint8_t *d;
	enum auth_method m;
	size_t len;
	uint8_t type;
	uint16_t mru;
	int rv;

	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1) {
		switch (type) {
		case LCP_MRU:
			if (len != 2)
				return FSM_CI_BAD;
			mru = get_be16(d);
			/* Below the minimum we would rather use the default. */
			if (mru < PPP_MRU_MIN || mru > PPP_MRU_DEFAULT) {
				l->want.neg_mru = 0;
				l->want.mru = PPP_MRU_DEFAULT;
			} else if (l->want.neg_mru)
				l->want.mru = mru;
			break;
		case LCP_AUTH:
			if (len < 2)
				return FSM_CI_BAD;
			if (!l->want.neg_auth)
				break;
			m = auth_decode(d, len);
			if (m != AUTH_NONE && (l->cfg.auth_allow &
			    AUTH_ALLOW(m))) {
				l->want.auth = m;
				break;
			}
			/* Offer our next method, if any is left. */
			l->auth_tried |= AUTH_ALLOW(l->want.auth);
			m = lcp_best_auth(l->cfg.auth_allow & ~l->auth_tried);
			if (m != AUTH_NONE) {
				l->want.auth = m;
				break;
			}
			fsm_set_reason(f, "the client refused every "
			    "authentication method the configuration allows");
			return FSM_CI_GIVEUP;
		case LCP_MAGIC:
			if (len != 4)
				return FSM_CI_BAD;
			/* The peer saw our magic come back: pick another. */
			if (l->want.neg_magic)
				l->want.magic = new_magic();
			break;
		case LCP_PFC:
		case LCP_ACFC:
			/* A Nak of a boolean option can only mean no. */
			if (len != 0)
				return FSM_CI_BAD;
			if (type == LCP_PFC)
				l->want.neg_pfc = 0;
			else
				l->want.neg_acfc = 0;
			break;
		default:
			/* Options the peer would like us to add: we do not. */
			break;
		}
	}
	return rv == 0 ? FSM_CI_OK : FSM_CI_BAD;
}

static int
lcp_rejci(struct fsm *f, struct rbuf *r)
{
	struct lcp *l = f->ctx;
	const uint8_t *d;
	size_t len;
	uint8_t type;
	int rv;

	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1) {
		switch (type) {
		case LCP_MRU:
			if (!l->want.neg_mru || len != 2)
				return FSM_CI_BAD;
			l->want.neg_mru = 0;
			l->want.mru = PPP_MRU_DEFAULT;
			break;
		case LCP_AUTH:
			if (!l->want.neg_auth)
				return FSM_CI_BAD;
			fsm_set_reason(f, "the client refused to "
			    "authenticate");
			return FSM_CI_GIVEUP;
		case LCP_MAGIC:
			if (!l->want.neg_magic || len != 4)
				return FSM_CI_BAD;
			l->want.neg_magic = 0;
			l->want.magic = 0;
			break;
		case LCP_PFC:
			if (!l->want.neg_pfc || len != 0)
				return FSM_CI_BAD;
			l->want.neg_pfc = 0;
			break;
		case LCP_ACFC:
			if (!l->want.neg_acfc || len != 0)
				return FSM_CI_BAD;
			l->want.neg_acfc = 0;
			break;
		default:
			/* We never asked for it: not a Reject of our request. */
			return FSM_CI_BAD;
		}
	}
	return rv == 0 ? FSM_CI_OK : FSM_CI_BAD;
}

/* The peer's Authentication-Protocol: only a client ever accepts one. */
static void
reqci_auth(struct lcp *l, struct fsm_reply *rp, const uint8_t *d,
    size_t len, int reject)
{
	enum auth_method m, best;
	uint8_t nak[3];
	size_t n;

	best = lcp_best_auth(l->cfg.auth_allow);
	if (l->cfg.server || best == AUTH_NONE) {
		/* We do not authenticate ourselves to a client. */
		fsm_reply_option(rp, CONFREJ, LCP_AUTH, d, len);
		return;
	}
	m = auth_decode(d, len);
	if (m != AUTH_NONE && (l->cfg.auth_allow & AUTH_ALLOW(m))) {
		l->his.neg_auth = 1;
		l->his.auth = m;
		fsm_reply_option(rp, CONFACK, LCP_AUTH, d, len);
		return;
	}
	/*
	 * Never accept a method the configuration does not allow.  If the
	 * server insists, this reason is what the link dies of.
	 */
	if (m != AUTH_NONE)
		fsm_set_reason(&l->fsm, "the server requires %s "
		    "authentication, which the configuration does not allow",
		    auth_method_name(m));
	else
		fsm_set_reason(&l->fsm, "the server requires an unknown "
		    "authentication protocol");
	if (reject) {
		fsm_reply_option(rp, CONFREJ, LCP_AUTH, d, len);
		return;
	}
	n = auth_encode(best, nak);
	fsm_reply_option(rp, CONFNAK, LCP_AUTH, nak, n);
}

static int
lcp_reqci(struct fsm *f, struct rbuf *r, struct fsm_reply *rp, int reject)
{
	struct lcp *l = f->ctx;
	const uint8_t *d;
	uint8_t nak[4];
	uint32_t magic;
	size_t len;
	uint8_t type;
	int rv;

	memset(&l->his, 0, sizeof(l->his));
	l->his.mru = PPP_MRU_DEFAULT;
	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1) {
		switch (type) {
		case LCP_MRU:
			if (len != 2) {
				fsm_reply_option(rp, CONFREJ, type, d, len);
				break;
			}
			if (get_be16(d) < PPP_MRU_MIN) {
				put_be16(nak, PPP_MRU_MIN);
				fsm_reply_option(rp, reject ? CONFREJ :
				    CONFNAK, type, reject ? d : nak, 2);
				break;
			}
			l->his.neg_mru = 1;
			l->his.mru = get_be16(d);
			fsm_reply_option(rp, CONFACK, type, d, len);
			break;
		case LCP_ACCM:
			if (len != 4) {
				fsm_reply_option(rp, CONFREJ, type, d, len);
				break;
			}
			l->his.neg_accm = 1;
			l->his.accm = get_be32(d);
			fsm_reply_option(rp, CONFACK, type, d, len);
			break;
		case LCP_AUTH:
			if (len < 2) {
				fsm_reply_option(rp, CONFREJ, type, d, len);
				break;
			}
			reqci_auth(l, rp, d, len, reject);
			break;
		case LCP_MAGIC:
			if (len != 4) {
				fsm_reply_option(rp, CONFREJ, type, d, len);
				break;
			}
			magic = get_be32(d);
			if (magic != 0 && l->want.neg_magic &&
			    magic == l->want.magic) {
				/*
				 * Our own magic number: the link may be
				 * looped back (RFC 1661 §6.4).  Both sides
				 * choose anew; a real peer will differ.
				 */
				if (++l->loops >= LCP_LOOPS_MAX && !l->looped) {
					l->looped = 1;
					/* Not from inside the automaton. */
					timer_set(&l->echo_timer, 0);
				}
				l->want.magic = new_magic();
				put_be32(nak, new_magic());
				fsm_reply_option(rp, reject ? CONFREJ :
				    CONFNAK, type, reject ? d : nak, 4);
				break;
			}
			l->his.neg_magic = magic != 0;
			l->his.magic = magic;
			fsm_reply_option(rp, CONFACK, type, d, len);
			break;
		case LCP_PFC:
		case LCP_ACFC:
			if (len != 0 || l->cfg.no_hdrcomp) {
				fsm_reply_option(rp, CONFREJ, type, d, len);
				break;
			}
			if (type == LCP_PFC)
				l->his.neg_pfc = 1;
			else
				l->his.neg_acfc = 1;
			fsm_reply_option(rp, CONFACK, type, d, len);
			break;
		default:
			/* Callback, multilink, endpoint discriminator, ... */
			fsm_reply_option(rp, CONFREJ, type, d, len);
			break;
		}
	}
	return rv == 0 ? 0 : -1;
}

static void
lcp_up(struct fsm *f)
{
	struct lcp *l = f->ctx;

	l->loops = 0;
	echo_forget(l);
	if (l->cfg.echo_interval_ms > 0)
		timer_set(&l->echo_timer, l->cfg.echo_interval_ms);
}

static void
lcp_down(struct fsm *f)
{
	struct lcp *l = f->ctx;

	if (!l->looped)
		timer_stop(&l->echo_timer);
}

static void
lcp_send_echo(struct lcp *l)
{
	struct lcp_echo_out *o;
	uint8_t d[4];

	put_be32(d, l->want.neg_magic ? l->want.magic : 0);
	/* The oldest slot goes: its request is long past answering. */
	o = &l->echo_out[l->echo_next];
	l->echo_next = (l->echo_next + 1) % LCP_ECHO_OUTSTANDING;
	o->id = fsm_next_id(&l->fsm);
	o->sent_ms = timer_now(l->tb);
	o->valid = 1;
	l->echo_pending++;
	l->echo_wait = 1;
	l->echo_st.sent++;
	fsm_send(&l->fsm, ECHOREQ, o->id, d, sizeof(d));
}

/*
 * An Echo-Reply's identifier against our outstanding requests: the slot
 * it answers, or NULL.  Identifiers are shared with the automaton's own
 * packets, so a stale one may come round again, but only as one of ours.
 */
static struct lcp_echo_out *
echo_match(struct lcp *l, uint8_t id)
{
	size_t i;

	for (i = 0; i < LCP_ECHO_OUTSTANDING; i++)
		if (l->echo_out[i].valid && l->echo_out[i].id == id)
			return &l->echo_out[i];
	return NULL;
}

static void
echo_forget(struct lcp *l)
{
	memset(l->echo_out, 0, sizeof(l->echo_out));
	l->echo_next = 0;
	l->echo_wait = 0;
	l->echo_pending = 0;
}

static void
lcp_echo_timeout(void *arg)
{
	struct lcp *l = arg;
	unsigned int fails;
	char why[96];

	if (l->looped) {
		l->ops->dead(l->arg, "the link is looped back (our own "
		    "magic number keeps coming back)");
		return;
	}
	if (l->fsm.state != FSM_OPENED || l->cfg.echo_interval_ms == 0)
		return;
	/* The last request had its whole interval to be answered. */
	if (l->echo_wait) {
		l->echo_wait = 0;
		l->echo_st.missed++;
	}
	fails = l->cfg.echo_fails ? l->cfg.echo_fails : LCP_ECHO_FAILS_DEFAULT;
	if (l->echo_pending >= fails) {
		snprintf(why, sizeof(why), "peer not responding: %u LCP echo "
		    "requests unanswered", l->echo_pending);
		l->ops->dead(l->arg, why);
		return;
	}
	lcp_send_echo(l);
	timer_set(&l->echo_timer, l->cfg.echo_interval_ms);
}

/*
 * The only frame LCP takes as a sign of life: it answers a request of
 * ours still outstanding and carries the magic number the peer chose,
 * or zero if it chose none (RFC 1661 §5.8).  A blind spoofer must guess
 * both; everything else about the link can be forged.
 */
static int
lcp_echo_reply(struct lcp *l, uint8_t id, struct rbuf *r)
{
	struct fsm *f = &l->fsm;
	struct lcp_echo_out *o;
	uint32_t magic, want;

	if (rbuf_u32(r, &magic) == -1) {
		l->echo_st.bad_replies++;
		RATELOG_LINE(&l->rl_echo, l->tb, RATELOG_DEBUG,
		    "%s: LCP: Echo-Reply too short", f->tag);
		return 1;
	}
	if (l->want.neg_magic && magic == l->want.magic) {
		RATELOG_LINE(&l->rl_loop, l->tb, RATELOG_WARN,
		    "%s: LCP: Echo-Reply carries our own magic number; the "
		    "link may be looped back", f->tag);
		return 1;
	}
	want = l->his.neg_magic ? l->his.magic : 0;
	if (magic != want) {
		l->echo_st.bad_replies++;
		RATELOG_LINE(&l->rl_echo, l->tb, RATELOG_DEBUG,
		    "%s: LCP: Echo-Reply with a foreign magic number "
		    "discarded", f->tag);
		return 1;
	}
	if ((o = echo_match(l, id)) == NULL) {
		l->echo_st.bad_replies++;
		RATELOG_LINE(&l->rl_echo, l->tb, RATELOG_DEBUG,
		    "%s: LCP: Echo-Reply %u answers no request of ours; "
		    "discarded", f->tag, id);
		return 1;
	}
	l->echo_st.rtt_ms = (int64_t)(timer_now(l->tb) - o->sent_ms);
	o->valid = 0;
	if (o == &l->echo_out[(l->echo_next + LCP_ECHO_OUTSTANDING - 1) %
	    LCP_ECHO_OUTSTANDING])
		l->echo_wait = 0;
	l->echo_pending = 0;
	return 1;
}

static int
lcp_extcode(struct fsm *f, uint8_t code, uint8_t id, struct rbuf *r)
{
	struct lcp *l = f->ctx;
	uint8_t out[FSM_PKT_MAX - FSM_HDRLEN];
	uint32_t magic;
	uint16_t proto;
	size_t n;

	switch (code) {
	case PROTREJ:
		if (f->state != FSM_OPENED)
			return 1;
		if (rbuf_u16(r, &proto) == -1) {
			FSM_DROP(f, "%s: LCP: Protocol-Reject too short",
			    f->tag);
			return 1;
		}
		FSM_NOTE(f, RATELOG_INFO, "%s: LCP: peer rejected protocol "
		    "0x%04x", f->tag, proto);
		if (proto == PPP_LCP)
			fsm_protreject(f);
		else
			l->ops->protrej(l->arg, proto);
		return 1;
	case ECHOREQ:
		if (f->state != FSM_OPENED)
			return 1;
		if (rbuf_u32(r, &magic) == -1) {
			RATELOG_LINE(&l->rl_echo, l->tb, RATELOG_DEBUG,
			    "%s: LCP: Echo-Request too short", f->tag);
			return 1;
		}
		if (l->want.neg_magic && magic == l->want.magic) {
			RATELOG_LINE(&l->rl_loop, l->tb, RATELOG_WARN,
			    "%s: LCP: our own Echo-Request came back; the "
			    "link may be looped back", f->tag);
			return 1;
		}
		/* Echo the data after the magic, as much as fits. */
		put_be32(out, l->want.neg_magic ? l->want.magic : 0);
		n = rbuf_left(r);
		if (n > sizeof(out) - 4)
			n = sizeof(out) - 4;
		rbuf_bytes(r, out + 4, n);
		fsm_send(f, ECHOREP, id, out, 4 + n);
		return 1;
	case ECHOREP:
		if (f->state != FSM_OPENED)
			return 1;
		return lcp_echo_reply(l, id, r);
	case DISCREQ:
	case IDENT:
	case TIMEREM:
		/* Windows sends Identification ("MSRASV5.20"): no answer. */
		return 1;
	default:
		return 0;
	}
}

static int
lcp_codereject(struct fsm *f, uint8_t code)
{
	(void)f;
	/* Without echo we merely lose keepalive; anything else is fatal. */
	return !(code == ECHOREQ || code == ECHOREP || code == DISCREQ ||
	    code == IDENT || code == TIMEREM);
}

static const struct fsm_callbacks lcp_callbacks = {
	.resetci = lcp_resetci,
	.addci = lcp_addci,
	.nakci = lcp_nakci,
	.rejci = lcp_rejci,
	.reqci = lcp_reqci,
	.up = lcp_up,
	.down = lcp_down,
	.extcode = lcp_extcode,
	.codereject = lcp_codereject,
};

void
lcp_init(struct lcp *l, const struct lcp_config *cfg, const char *tag,
    const struct fsm_owner *owner, const struct lcp_ops *ops, void *arg,
    struct timer_base *tb)
{
	memset(l, 0, sizeof(*l));
	l->cfg = *cfg;
	if (l->cfg.mru == 0)
		l->cfg.mru = PPP_MRU_DEFAULT;
	l->ops = ops;
	l->arg = arg;
	l->tb = tb;
	l->echo_st.rtt_ms = -1;
	fsm_init(&l->fsm, PPP_LCP, "LCP", tag, &lcp_callbacks, l, owner, tb);
	timer_init(&l->echo_timer, tb, lcp_echo_timeout, l);
	lcp_resetci(&l->fsm);
}

void
lcp_free(struct lcp *l)
{
	timer_free(&l->echo_timer);
	fsm_free(&l->fsm);
}

void
lcp_send_protrej(struct lcp *l, uint16_t proto, const uint8_t *info,
    size_t len, uint16_t peer_mru)
{
	uint8_t out[FSM_PKT_MAX - FSM_HDRLEN];
	size_t max;

	if (l->fsm.state != FSM_OPENED)
		return;
	/*
	 * The reject must fit the peer's MRU (RFC 1661 §5.7).  We never ack
	 * one below PPP_MRU_MIN, and a smaller value would underflow max.
	 */
	if (peer_mru < PPP_MRU_MIN)
		peer_mru = PPP_MRU_MIN;
	max = (peer_mru < sizeof(out) ? peer_mru : sizeof(out)) -
	    FSM_HDRLEN - 2;
	if (len > max)
		len = max;
	put_be16(out, proto);
	if (len > 0)
		memcpy(out + 2, info, len);
	fsm_send(&l->fsm, PROTREJ, fsm_next_id(&l->fsm), out, 2 + len);
}

void
lcp_alive(struct lcp *l)
{
	l->echo_pending = 0;
}

int64_t
lcp_echo_rtt(const struct lcp *l)
{
	return l->echo_st.rtt_ms;
}

void
lcp_echo_stats(const struct lcp *l, struct lcp_echo_stats *st)
{
	*st = l->echo_st;
}
