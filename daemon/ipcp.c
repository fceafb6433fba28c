/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * IPCP.  A client asks for 0.0.0.0 (or its configured address) and for
 * DNS and NBNS servers as 0.0.0.0, takes what the server Naks, and drops
 * each option the server rejects.  A server Naks the client towards the
 * address and servers it assigns.
 *
 * A client judges both addresses the server names (addr_policy.h): an
 * address for us that it refuses ends IPCP, as there is nothing to Nak
 * back; an address of the server's own that it refuses is Naked with
 * 0.0.0.0, asking for another (RFC 1332 §3.3), and Rejected once
 * Max-Failure is reached, which leaves the link without a peer address:
 * ppp.c then ends it with the refusal as the reason.
 */
#include <stdio.h>
#include <string.h>

#include "addr_policy.h"
#include "buf.h"
#include "ipcp.h"
#include "log.h"
#include "ppp_defs.h"

struct ipcp_opt {
	uint8_t		 type;
	unsigned int	 neg;
};

static const struct ipcp_opt client_opts[] = {
	{ IPCP_ADDR, IPCP_NEG_ADDR },
	{ IPCP_DNS1, IPCP_NEG_DNS1 },
	{ IPCP_NBNS1, IPCP_NEG_NBNS1 },
	{ IPCP_DNS2, IPCP_NEG_DNS2 },
	{ IPCP_NBNS2, IPCP_NEG_NBNS2 },
};
#define NOPTS	(sizeof(client_opts) / sizeof(client_opts[0]))

const char *
ipcp_ntoa(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
	return buf;
}

/* Where the value of one of our options lives. */
static uint32_t *
slot(struct ipcp *p, uint8_t type)
{
	switch (type) {
	case IPCP_ADDR:
		return &p->addr;
	case IPCP_DNS1:
		return &p->dns[0];
	case IPCP_DNS2:
		return &p->dns[1];
	case IPCP_NBNS1:
		return &p->nbns[0];
	case IPCP_NBNS2:
		return &p->nbns[1];
	default:
		return NULL;
	}
}

static unsigned int
negbit(uint8_t type)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (client_opts[i].type == type)
			return client_opts[i].neg;
	return 0;
}

/* Client: 0 if the server's address may be taken, -1 if refused. */
static int
judge(struct ipcp *p, uint32_t v, int peer)
{
	const char *cls;
	char a[16];
	int i = peer != 0;

	if (!p->judged[i].valid || p->judged[i].addr != v) {
		p->judged[i].valid = 1;
		p->judged[i].addr = v;
		p->judged[i].why[0] = '\0';
		if ((cls = addr_policy_class(v)) != NULL) {
			snprintf(p->judged[i].why, sizeof(p->judged[i].why),
			    "%s", cls);
			p->judged[i].ok = 0;
		} else
			p->judged[i].ok = p->cfg.check == NULL ||
			    p->cfg.check(p->cfg.check_arg, v, peer,
			    p->judged[i].why, sizeof(p->judged[i].why)) == 0;
	}
	if (p->judged[i].ok)
		return 0;
	snprintf(p->refused, sizeof(p->refused), "IPCP: server %s %s as %s "
	    "(%s); refused", peer ? "named" : "assigned",
	    ipcp_ntoa(v, a, sizeof(a)), peer ? "its own address" :
	    "our address", p->judged[i].why[0] != '\0' ?
	    p->judged[i].why : "not allowed");
	/* A server may repeat it at will: rate-limited. */
	FSM_NOTE(&p->fsm, RATELOG_WARN, "%s: %s", p->fsm.tag, p->refused);
	return -1;
}

static void
ipcp_resetci(struct fsm *f)
{
	struct ipcp *p = f->ctx;

	p->addr = p->cfg.local;
	memset(p->dns, 0, sizeof(p->dns));
	memset(p->nbns, 0, sizeof(p->nbns));
	p->peer_addr = 0;
	p->refused[0] = '\0';
	memset(p->judged, 0, sizeof(p->judged));
	if (p->cfg.server)
		p->neg = p->cfg.local != 0 ? IPCP_NEG_ADDR : 0;
	else
		p->neg = IPCP_NEG_ADDR | IPCP_NEG_DNS1 | IPCP_NEG_DNS2 |
		    IPCP_NEG_NBNS1 | IPCP_NEG_NBNS2;
}

static int
ipcp_addci(struct fsm *f, struct wbuf *w)
{
	struct ipcp *p = f->ctx;
	uint8_t d[4];
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		if (!(p->neg & client_opts[i].neg))
			continue;
		put_be32(d, *slot(p, client_opts[i].type));
		fsm_put_option(w, client_opts[i].type, d, sizeof(d));
	}
	return wbuf_failed(w) ? -1 : 0;
}

static int
ipcp_nakci(struct fsm *f, struct rbuf *r)
{
	struct ipcp *p = f->ctx;
	const uint8_t *d;
	unsigned int bit;
	uint32_t v;
	size_t len;
	uint8_t type;
	int rv;

	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1) {
		if ((bit = negbit(type)) == 0 || !(p->neg & bit))
			continue;	/* not asked for: we do not add it */
		if (len != 4)
			return FSM_CI_BAD;
		v = get_be32(d);
		/* Nothing to Nak back: an address we refuse ends IPCP. */
		if (v != 0 && type == IPCP_ADDR && !p->cfg.server &&
		    judge(p, v, 0) == -1) {
			fsm_set_reason(f, "%s", p->refused);
			return FSM_CI_GIVEUP;
		}
		/* A Nak of 0.0.0.0 tells nothing; ask again as we were. */
		if (v != 0)
			*slot(p, type) = v;
	}
	return rv == 0 ? FSM_CI_OK : FSM_CI_BAD;
}

static int
ipcp_rejci(struct fsm *f, struct rbuf *r)
{
	struct ipcp *p = f->ctx;
	const uint8_t *d;
	unsigned int bit;
	size_t len;
	uint8_t type;
	int rv;

	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1) {
		if ((bit = negbit(type)) == 0 || !(p->neg & bit) || len != 4)
			return FSM_CI_BAD;
		if (type == IPCP_ADDR && !p->cfg.server && p->addr == 0) {
			fsm_set_reason(f, "IPCP: the server refused to assign "
			    "an address");
			return FSM_CI_GIVEUP;
		}
		p->neg &= ~bit;
		*slot(p, type) = 0;
	}
	return rv == 0 ? FSM_CI_OK : FSM_CI_BAD;
}

/* Server: what it hands out for an option, 0 for nothing. */
static uint32_t
assigned(const struct ipcp *p, uint8_t type)
{
	switch (type) {
	case IPCP_ADDR:
		return p->cfg.assign;
	case IPCP_DNS1:
		return p->cfg.dns[0];
	case IPCP_DNS2:
		return p->cfg.dns[1];
	case IPCP_NBNS1:
		return p->cfg.nbns[0];
	case IPCP_NBNS2:
		return p->cfg.nbns[1];
	default:
		return 0;
	}
}

/* A server's answer to an address or server option it hands out. */
static void
reqci_assigned(struct fsm_reply *rp, uint8_t type, const uint8_t *d,
    uint32_t mine, int reject)
{
	uint8_t nak[4];

	if (mine == 0) {
		fsm_reply_option(rp, CONFREJ, type, d, 4);
		return;
	}
	if (get_be32(d) == mine) {
		fsm_reply_option(rp, CONFACK, type, d, 4);
		return;
	}
	if (reject) {
		fsm_reply_option(rp, CONFREJ, type, d, 4);
		return;
	}
	put_be32(nak, mine);
	fsm_reply_option(rp, CONFNAK, type, nak, 4);
}

static int
ipcp_reqci(struct fsm *f, struct rbuf *r, struct fsm_reply *rp, int reject)
{
	struct ipcp *p = f->ctx;
	const uint8_t *d;
	uint8_t nak[4];
	uint32_t v;
	size_t len;
	uint8_t type;
	int rv, seen_addr = 0;

	p->peer_addr = 0;
	while ((rv = fsm_next_option(r, &type, &d, &len)) == 1) {
		if (len != 4 || negbit(type) == 0) {
			/* VJ compression, IP-Addresses, unknown. */
			fsm_reply_option(rp, CONFREJ, type, d, len);
			continue;
		}
		v = get_be32(d);
		if (p->cfg.server) {
			reqci_assigned(rp, type, d, assigned(p, type), reject);
			if (type == IPCP_ADDR) {
				seen_addr = 1;
				if (v == p->cfg.assign)
					p->peer_addr = v;
			}
			continue;
		}
		/* Client: the server tells its own address, nothing else. */
		if (type != IPCP_ADDR || v == 0) {
			fsm_reply_option(rp, CONFREJ, type, d, len);
			continue;
		}
		if (judge(p, v, 1) == -1) {
			/* 0.0.0.0: "name another" (RFC 1332 §3.3). */
			memset(nak, 0, sizeof(nak));
			fsm_reply_option(rp, reject ? CONFREJ : CONFNAK, type,
			    reject ? d : nak, 4);
			continue;
		}
		p->peer_addr = v;
		p->refused[0] = '\0';
		fsm_reply_option(rp, CONFACK, type, d, len);
	}
	if (rv != 0)
		return -1;
	if (p->cfg.server && !seen_addr && p->cfg.assign != 0 && !reject) {
		/* Ask the client to take the address it is given. */
		put_be32(nak, p->cfg.assign);
		fsm_reply_option(rp, CONFNAK, IPCP_ADDR, nak, sizeof(nak));
	}
	return 0;
}

static const struct fsm_callbacks ipcp_callbacks = {
	.resetci = ipcp_resetci,
	.addci = ipcp_addci,
	.nakci = ipcp_nakci,
	.rejci = ipcp_rejci,
	.reqci = ipcp_reqci,
};

void
ipcp_init(struct ipcp *p, const struct ipcp_config *cfg, const char *tag,
    const struct fsm_owner *owner, struct timer_base *tb)
{
	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	fsm_init(&p->fsm, PPP_IPCP, "IPCP", tag, &ipcp_callbacks, p, owner,
	    tb);
	ipcp_resetci(&p->fsm);
}

void
ipcp_free(struct ipcp *p)
{
	fsm_free(&p->fsm);
}
