/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * From a negotiated PPTP session to pipex(4)'s requests (pipex_map.h says
 * what goes where and why).  Pure: no system calls, no globals.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "ccp.h"
#include "gre.h"
#include "offload.h"
#include "pipex_map.h"
#include "ppp.h"
#include "ppp_defs.h"
#include "priv.h"

/* pptp_ctrl's receive window when the configuration gives none. */
#define PIPEX_RWIN_DEFAULT	64

void
pipex_gre_init(struct pipex_gre_state *g)
{
	memset(g, 0, sizeof(*g));
	g->snd_nxt = 1;
	g->snd_una = 1;
}

/* a comes after b in sequence space (RFC 1982 for 32 bits). */
static int
seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

void
pipex_gre_track_out(struct pipex_gre_state *g, const uint8_t *pkt, size_t len)
{
	struct gre_hdr h;

	if (gre_decode(pkt, len, &h) != GRE_OK)
		return;
	if (h.has_seq)
		g->snd_nxt = h.seq + 1;
	/*
	 * The ack number itself, as pipex_pptp_output() stores it (npppd
	 * hands over one more, which only delays the kernel's first ack).
	 */
	if (h.has_ack)
		g->rcv_acked = h.ack;
}

void
pipex_gre_track_in(struct pipex_gre_state *g, const uint8_t *pkt, size_t len)
{
	struct gre_hdr h;

	if (gre_decode(pkt, len, &h) != GRE_OK)
		return;
	if (h.has_seq && (!g->rcv_any || !seq_after(g->rcv_nxt, h.seq))) {
		g->rcv_nxt = h.seq + 1;
		g->rcv_any = 1;
	}
	if (h.has_ack && seq_after(h.ack + 1, g->snd_una))
		g->snd_una = h.ack + 1;
}

static void
map_sin(struct sockaddr_storage *ss, struct in_addr addr)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
#ifndef PIPEX_LAYOUT_NO_SIN_LEN
	/* pipex_add_session() wants exactly sizeof(struct sockaddr_in). */
	sin.sin_len = sizeof(sin);
#endif
	sin.sin_addr = addr;
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, &sin, sizeof(sin));
}

/* One direction's key; the kernel keeps 64 old keys for stateless rx. */
static int
map_mppe(struct pipex_mppe_req *m, const uint8_t key[16], uint32_t bits,
    int fallback_bits, const char *dir, char *err, size_t errlen)
{
	int kb;

	if ((kb = ccp_mppe_keybits(bits)) == 0)
		kb = fallback_bits;
	if (kb != 40 && kb != 56 && kb != 128) {
		snprintf(err, errlen, "pipex: MPPE %s key length %d is not "
		    "40, 56 or 128 bits", dir, kb);
		return -1;
	}
	m->stateless = (bits & MPPE_H) != 0;
	m->keylenbits = kb;
	/* Always 16 bytes: the kernel takes the first 8 for 40/56 bits. */
	memcpy(m->master_key, key, PIPEX_MPPE_KEYLEN);
	return 0;
}

int
pipex_map_session(const struct pipex_map_in *in,
    struct pipex_session_req *req, char *err, size_t errlen)
{
	const struct ppp_link *l = in->link;
	uint16_t rwin;

	memset(req, 0, sizeof(*req));
	if (in->local.s_addr == INADDR_ANY || in->peer.s_addr == INADDR_ANY) {
		snprintf(err, errlen, "pipex: the control connection's %s "
		    "address is 0.0.0.0", in->local.s_addr == INADDR_ANY ?
		    "local" : "peer");
		return -1;
	}
	if (l->local_addr == 0 || l->peer_addr == 0) {
		/* pppx would make a pointless interface; pppac ignores 0. */
		snprintf(err, errlen, "pipex: IPCP gave no %s address",
		    l->local_addr == 0 ? "local" : "peer");
		return -1;
	}

	req->pr_protocol = PIPEX_PROTO_PPTP;
	req->pr_session_id = in->our_call_id;
	req->pr_peer_session_id = in->peer_call_id;
	req->pr_ppp_id = in->ppp_id;
	/* 0 is an MRU LCP never heard: RFC 1661's default, as datapath.c. */
	req->pr_peer_mru = l->peer_mru != 0 ? l->peer_mru : PPP_MRU_DEFAULT;
	req->pr_timeout_sec = 0;
	req->pr_ccp_id = 0;	/* unread by the kernel (doc/pipex.md §2.2) */

	req->pr_ppp_flags = PIPEX_PPP_HAS_ACF;
	if (l->acfc_rx)
		req->pr_ppp_flags |= PIPEX_PPP_ACFC_ACCEPTED;
	if (l->pfc_rx)
		req->pr_ppp_flags |= PIPEX_PPP_PFC_ACCEPTED;
	if (l->acfc_tx)
		req->pr_ppp_flags |= PIPEX_PPP_ACFC_ENABLED;
	if (l->pfc_tx)
		req->pr_ppp_flags |= PIPEX_PPP_PFC_ENABLED;
	if (in->adjust_tcpmss)
		req->pr_ppp_flags |= PIPEX_PPP_ADJUST_TCPMSS;

	req->pr_ip_srcaddr.s_addr = htonl(l->local_addr);
	req->pr_ip_address.s_addr = htonl(l->peer_addr);
	req->pr_ip_netmask.s_addr = htonl(0xffffffffU);

	rwin = in->our_rwin != 0 ? in->our_rwin : PIPEX_RWIN_DEFAULT;
	req->pr_proto.pptp.snd_nxt = in->gre.snd_nxt;
	req->pr_proto.pptp.snd_una = in->gre.snd_una;
	req->pr_proto.pptp.rcv_nxt = in->gre.rcv_nxt;
	req->pr_proto.pptp.rcv_acked = in->gre.rcv_acked;
	/* npppd's ack threshold: a little over half the window (33 of 64). */
	req->pr_proto.pptp.winsz = rwin / 2 + 1;
	req->pr_proto.pptp.maxwinsz = rwin;
	req->pr_proto.pptp.peer_maxwinsz = in->peer_rwin;

	map_sin(&req->pr_peer_address, in->peer);
	map_sin(&req->pr_local_address, in->local);

	if (l->mppe) {
		if (!l->have_keys) {
			snprintf(err, errlen, "pipex: MPPE is on but there "
			    "are no keys");
			goto fail;
		}
		if (map_mppe(&req->pr_mppe_send, l->send_key,
		    l->mppe_tx_bits, l->mppe_keybits, "send", err,
		    errlen) == -1 ||
		    map_mppe(&req->pr_mppe_recv, l->recv_key,
		    l->mppe_rx_bits, l->mppe_keybits, "receive", err,
		    errlen) == -1)
			goto fail;
		req->pr_ppp_flags |= PIPEX_PPP_MPPE_ACCEPTED |
		    PIPEX_PPP_MPPE_ENABLED | PIPEX_PPP_MPPE_REQUIRED;
	}
	return 0;
 fail:
	explicit_bzero(req, sizeof(*req));
	return -1;
}

void
pipex_map_to_priv(const struct pipex_map_in *in, struct priv_pipex_add *q)
{
	const struct ppp_link *l = in->link;

	memset(q, 0, sizeof(*q));
	q->our_call_id = in->our_call_id;
	q->peer_call_id = in->peer_call_id;
	q->our_rwin = in->our_rwin;
	q->peer_rwin = in->peer_rwin;
	q->local = in->local;
	q->peer = in->peer;
	q->ip_local.s_addr = htonl(l->local_addr);
	q->ip_peer.s_addr = htonl(l->peer_addr);
	q->snd_nxt = in->gre.snd_nxt;
	q->snd_una = in->gre.snd_una;
	q->rcv_nxt = in->gre.rcv_nxt;
	q->rcv_acked = in->gre.rcv_acked;
	q->peer_mru = l->peer_mru;
	if (l->acfc_tx)
		q->flags |= PRIV_PX_ACFC_TX;
	if (l->pfc_tx)
		q->flags |= PRIV_PX_PFC_TX;
	if (l->acfc_rx)
		q->flags |= PRIV_PX_ACFC_RX;
	if (l->pfc_rx)
		q->flags |= PRIV_PX_PFC_RX;
	if (in->adjust_tcpmss)
		q->flags |= PRIV_PX_TCPMSS;
	/* MPPE without keys stays without: pipex_map_session() says so. */
	if (l->mppe && l->have_keys) {
		q->flags |= PRIV_PX_MPPE;
		q->mppe_keybits = (uint8_t)l->mppe_keybits;
		q->mppe_tx_bits = l->mppe_tx_bits;
		q->mppe_rx_bits = l->mppe_rx_bits;
		memcpy(q->send_key, l->send_key, sizeof(q->send_key));
		memcpy(q->recv_key, l->recv_key, sizeof(q->recv_key));
	}
}

static int
all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

int
pipex_map_from_priv(const struct priv_pipex_add *q, struct pipex_map_in *in,
    struct ppp_link *l, char *err, size_t errlen)
{
	const uint32_t mppe_ok = MPPE_H | MPPE_STRENGTHS;

	memset(in, 0, sizeof(*in));
	memset(l, 0, sizeof(*l));
	if ((q->flags & ~PRIV_PX_FLAGS) != 0) {
		snprintf(err, errlen, "flags 0x%02x", q->flags);
		return -1;
	}
	if (q->peer_mru != 0 && q->peer_mru < PPP_MRU_MIN) {
		snprintf(err, errlen, "peer MRU %u", q->peer_mru);
		return -1;
	}
	if (q->flags & PRIV_PX_MPPE) {
		if (q->mppe_keybits != 40 && q->mppe_keybits != 56 &&
		    q->mppe_keybits != 128) {
			snprintf(err, errlen, "MPPE key length %u",
			    q->mppe_keybits);
			return -1;
		}
		if ((q->mppe_tx_bits & ~mppe_ok) != 0 ||
		    (q->mppe_rx_bits & ~mppe_ok) != 0) {
			snprintf(err, errlen, "MPPE bits 0x%08x/0x%08x",
			    q->mppe_tx_bits, q->mppe_rx_bits);
			return -1;
		}
	} else if (q->mppe_keybits != 0 || q->mppe_tx_bits != 0 ||
	    q->mppe_rx_bits != 0 || !all_zero(q->send_key,
	    sizeof(q->send_key)) || !all_zero(q->recv_key,
	    sizeof(q->recv_key))) {
		snprintf(err, errlen, "MPPE material without MPPE");
		return -1;
	}
	l->local_addr = ntohl(q->ip_local.s_addr);
	l->peer_addr = ntohl(q->ip_peer.s_addr);
	l->peer_mru = q->peer_mru;
	l->acfc_tx = (q->flags & PRIV_PX_ACFC_TX) != 0;
	l->pfc_tx = (q->flags & PRIV_PX_PFC_TX) != 0;
	l->acfc_rx = (q->flags & PRIV_PX_ACFC_RX) != 0;
	l->pfc_rx = (q->flags & PRIV_PX_PFC_RX) != 0;
	if (q->flags & PRIV_PX_MPPE) {
		l->mppe = 1;
		l->have_keys = 1;
		l->mppe_keybits = q->mppe_keybits;
		l->mppe_tx_bits = q->mppe_tx_bits;
		l->mppe_rx_bits = q->mppe_rx_bits;
		memcpy(l->send_key, q->send_key, sizeof(l->send_key));
		memcpy(l->recv_key, q->recv_key, sizeof(l->recv_key));
	}
	in->our_call_id = q->our_call_id;
	in->peer_call_id = q->peer_call_id;
	in->our_rwin = q->our_rwin;
	in->peer_rwin = q->peer_rwin;
	in->local = q->local;
	in->peer = q->peer;
	in->link = l;
	in->gre.snd_nxt = q->snd_nxt;
	in->gre.snd_una = q->snd_una;
	in->gre.rcv_nxt = q->rcv_nxt;
	in->gre.rcv_acked = q->rcv_acked;
	/* The cookie is the parent's choice, never the engine's. */
	in->ppp_id = q->our_call_id;
	in->adjust_tcpmss = (q->flags & PRIV_PX_TCPMSS) != 0;
	return 0;
}

void
pipex_map_stat_req(uint16_t our_call_id, struct pipex_session_stat_req *r)
{
	memset(r, 0, sizeof(*r));
	r->psr_protocol = PIPEX_PROTO_PPTP;
	r->psr_session_id = our_call_id;
}

void
pipex_map_close_req(uint16_t our_call_id, struct pipex_session_close_req *r)
{
	memset(r, 0, sizeof(*r));
	r->pcr_protocol = PIPEX_PROTO_PPTP;
	r->pcr_session_id = our_call_id;
}

void
pipex_map_descr_req(uint16_t our_call_id, const char *tag,
    struct pipex_session_descr_req *r)
{
	memset(r, 0, sizeof(*r));
	r->pdr_protocol = PIPEX_PROTO_PPTP;
	r->pdr_session_id = our_call_id;
	snprintf(r->pdr_descr, sizeof(r->pdr_descr), "pptpc %s", tag);
}

void
pipex_map_stats(const struct pipex_statistics *ps, struct offload_stats *st)
{
	st->tx_packets = ps->opackets;
	st->tx_bytes = ps->obytes;
	st->tx_errors = ps->oerrors;
	st->rx_packets = ps->ipackets;
	st->rx_bytes = ps->ibytes;
	st->rx_errors = ps->ierrors;
	st->rx_lost = 0;	/* pipex does not count sequence gaps */
	st->rx_idle_s = -1;	/* idle_time is 0 without a timeout */
}

void
pipex_idle_init(struct pipex_idle *id, uint64_t now_ms)
{
	id->ipackets = 0;
	id->since_ms = now_ms;
}

int64_t
pipex_idle_update(struct pipex_idle *id, uint64_t ipackets, uint64_t now_ms)
{
	if (ipackets != id->ipackets) {
		id->ipackets = ipackets;
		id->since_ms = now_ms;
	}
	/* A clock that seems to go back means "just now", never negative. */
	if (now_ms < id->since_ms)
		return 0;
	return (int64_t)((now_ms - id->since_ms) / 1000);
}
