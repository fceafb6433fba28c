/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * IPv6CP.  Both roles behave alike, as RFC 5072 §4.1 is symmetric: we
 * ask for our identifier, take a Nak's suggestion unless it is zero or
 * the peer's own (then draw again), and judge the peer's identifier:
 * zero or equal to ours is Naked with a fresh random one (Rejected at
 * Max-Failure), anything else is acked and becomes the peer's link-local
 * address.  A peer that rejects our identifier leaves us with it: it is
 * still ours on the interface.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ipv6cp.h"
#include "log.h"
#include "ppp_defs.h"

static uint64_t
get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static void
put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

uint64_t
ipv6cp_new_ifid(uint64_t avoid)
{
	uint64_t v;

	/* Two draws in a row that hit 0 or avoid are 2^-63 likely. */
	do
		arc4random_buf(&v, sizeof(v));
	while (v == 0 || v == avoid);
	return v;
}

void
ipv6cp_ll_addr(uint64_t ifid, uint8_t addr[16])
{
	memset(addr, 0, 16);
	addr[0] = 0xfe;
	addr[1] = 0x80;
	put_be64(addr + 8, ifid);
}

const char *
ipv6cp_ll_text(uint64_t ifid, char *buf, size_t len)
{
	uint8_t a[16];

	if (len > 0)
		buf[0] = '\0';
	if (ifid == 0 || len < INET6_ADDRSTRLEN)
		return buf;
	ipv6cp_ll_addr(ifid, a);
	if (inet_ntop(AF_INET6, a, buf, (socklen_t)len) == NULL)
		buf[0] = '\0';
	return buf;
}

static void
ipv6cp_resetci(struct fsm *f)
{
	struct ipv6cp *p = f->ctx;

	p->ifid = p->cfg.ifid != 0 ? p->cfg.ifid : ipv6cp_new_ifid(0);
	p->peer_ifid = 0;
	p->neg_ifid = 1;
}

static int
ipv6cp_addci(struct fsm *f, struct wbuf *w)
{
	struct ipv6cp *p = f->ctx;
	uint8_t d[IPV6CP_IFID_LEN];

	if (p->neg_ifid) {
		put_be64(d, p->ifid);
		fsm_put_option(w, IPV6CP_IFID, d, sizeof(d));
	}
	return wbuf_failed(w) ? -1 : 0;
}

static int
ipv6cp_nakci(struct fsm *f, struct rbuf *r)
{
	struct ipv6cp *p = f->ctx;
	const uint8_t *d;
	uint64_t v;
	size_t len;
	uint8_t type;
	int rv;

	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1) {
		if (type != IPV6CP_IFID || !p->neg_ifid)
			continue;	/* not asked for: we do not add it */
		if (len != IPV6CP_IFID_LEN)
			return FSM_CI_BAD;
		v = get_be64(d);
		/*
		 * A suggestion of zero, or of the peer's own identifier,
		 * would make the link-local addresses collide: draw anew.
		 */
		if (v == 0 || (p->peer_ifid != 0 && v == p->peer_ifid))
			p->ifid = ipv6cp_new_ifid(p->peer_ifid);
		else
			p->ifid = v;
	}
	return rv == 0 ? FSM_CI_OK : FSM_CI_BAD;
}

static int
ipv6cp_rejci(struct fsm *f, struct rbuf *r)
{
	struct ipv6cp *p = f->ctx;
	const uint8_t *d;
	size_t len;
	uint8_t type;
	int rv;

	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1) {
		if (type != IPV6CP_IFID || !p->neg_ifid ||
		    len != IPV6CP_IFID_LEN)
			return FSM_CI_BAD;
		/* Ours stays ours on the interface; the peer just won't say. */
		p->neg_ifid = 0;
	}
	return rv == 0 ? FSM_CI_OK : FSM_CI_BAD;
}

static int
ipv6cp_reqci(struct fsm *f, struct rbuf *r, struct fsm_reply *rp,
    int reject)
{
	struct ipv6cp *p = f->ctx;
	const uint8_t *d;
	uint8_t nak[IPV6CP_IFID_LEN];
	uint64_t v;
	size_t len;
	uint8_t type;
	int rv, seen = 0;

	p->peer_ifid = 0;
	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1) {
		/* Compression, unknown, a lying length, a second IFID. */
		if (type != IPV6CP_IFID || len != IPV6CP_IFID_LEN || seen) {
			fsm_reply_option(rp, CONFREJ, type, d, len);
			continue;
		}
		seen = 1;
		v = get_be64(d);
		if (v != 0 && v != p->ifid) {
			p->peer_ifid = v;
			fsm_reply_option(rp, CONFACK, type, d, len);
			continue;
		}
		/* RFC 5072 §4.1: zero or ours; suggest another. */
		FSM_NOTE(&p->fsm, RATELOG_DEBUG, "%s: IPv6CP: the peer's "
		    "interface identifier is %s", p->fsm.tag, v == 0 ?
		    "zero" : "equal to ours");
		if (reject) {
			fsm_reply_option(rp, CONFREJ, type, d, len);
			continue;
		}
		put_be64(nak, ipv6cp_new_ifid(p->ifid));
		fsm_reply_option(rp, CONFNAK, type, nak, sizeof(nak));
	}
	return rv == 0 ? 0 : -1;
}

static const struct fsm_callbacks ipv6cp_callbacks = {
	.resetci = ipv6cp_resetci,
	.addci = ipv6cp_addci,
	.nakci = ipv6cp_nakci,
	.rejci = ipv6cp_rejci,
	.reqci = ipv6cp_reqci,
};

void
ipv6cp_init(struct ipv6cp *p, const struct ipv6cp_config *cfg,
    const char *tag, const struct fsm_owner *owner, struct timer_base *tb)
{
	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	fsm_init(&p->fsm, PPP_IPV6CP, "IPv6CP", tag, &ipv6cp_callbacks, p,
	    owner, tb);
	ipv6cp_resetci(&p->fsm);
}

void
ipv6cp_free(struct ipv6cp *p)
{
	fsm_free(&p->fsm);
}
