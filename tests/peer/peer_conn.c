/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * One client of the test peer: its PPTP control connection (pptp_pac),
 * and once the call is up its GRE call and data path (datapath.h), its
 * PPP link in the server role and, when PPP is up, a tun interface with
 * the server's tunnel address and the client's as peer.
 *
 * Every end (the client's CCRQ or StopCCRQ, PPP going down, TCP closing,
 * our own misbehaviour) only sets a flag and arms the reap timer; the
 * teardown runs from the event loop, never from inside the PPP automaton
 * or the PAC that reported it, since they touch themselves after their
 * callbacks return.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth_hooks.h"
#include "buf.h"
#include "datapath.h"
#include "fdcloser.h"
#include "gre_fault.h"
#include "ipv6cp.h"
#include "log.h"
#include "net6.h"
#include "peer.h"
#include "ppp.h"
#include "ppp_defs.h"
#include "pptp_msg.h"
#include "timer.h"
#include "tun.h"

/* Time for a StopCCRP and the TCP close after we said goodbye. */
#define LINGER_MS	3000
/* PPTP: MPPE header (2) and the inner protocol field (2) per packet. */
#define MPPE_OVERHEAD	4
/* --inject-cleartext: one frame this often. */
#define CLEARTEXT_MS	100
#define CLEARTEXT_PAYLOAD 32

struct peer_conn {
	TAILQ_ENTRY(peer_conn)	 entry;
	struct peer		*peer;
	char			 tag[32];
	struct bufferevent	*bev;
	struct in_addr		 outer_local;	/* the address they dialled */
	struct in_addr		 outer_peer;
	struct pptp_pac		*pac;
	struct dp_call		*call;
	struct ppp		*ppp;
	struct tun		 tun;
	int			 have_tun;
	int			 slot;		/* remote + slot, -1: none */
	uint16_t		 call_id;	/* ours, held in call_id_used */
	uint64_t		 lcp_echo_dropped;

	int			 call_gone;	/* PAC says no call */
	int			 ppp_done;	/* PPP's down came */
	int			 ctrl_closed;	/* PAC closed, or TCP gone */
	int			 tcp_gone;
	int			 said_goodbye;	/* CDN and StopCCRQ sent */

	struct timer		 reap;
	struct timer		 linger;
	struct timer		 t_clear;	/* misbehaviour timers */
	struct timer		 t_stop;
	struct timer		 t_malformed;
	struct timer		 t_cleartext;
	unsigned int		 cleartext_sent;
	uint32_t		 tun_local;	/* host order, from PPP's up */
	uint32_t		 tun_peer;
};

static void	conn_reap(void *);
static void	conn_destroy(struct peer_conn *);

static void
schedule_reap(struct peer_conn *c)
{
	timer_set(&c->reap, 0);
}

/* PAC */

static int
pac_write(void *arg, const uint8_t *buf, size_t len)
{
	struct peer_conn *c = arg;

	if (c->tcp_gone)
		return -1;
	return bufferevent_write(c->bev, buf, len) == 0 ? 0 : -1;
}

static void
ppp_send(void *arg, const uint8_t *frame, size_t len)
{
	struct peer_conn *c = arg;

	if (c->call != NULL)
		dp_call_send_frame(c->call, frame, len);
}

/* --ipv6: fe80::ours, with the client's as the other end, on the tun. */
static int
peer_ipv6_up(struct peer_conn *c, const struct ppp_link *l)
{
	struct in6_addr ours, theirs;
	char err[NET6_ERR_MAX], a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	ipv6cp_ll_addr(l->ifid, ours.s6_addr);
	memset(&theirs, 0, sizeof(theirs));
	if (l->peer_ifid != 0)
		ipv6cp_ll_addr(l->peer_ifid, theirs.s6_addr);
	if (net6_addr_change(1, c->tun.name, ours, l->peer_ifid != 0 ? 128 :
	    64, theirs, err, sizeof(err)) == -1) {
		log_warnx("%s: %s", c->tag, err);
		return -1;
	}
	log_info("%s: IPv6 on %s: %s -> %s", c->tag, c->tun.name,
	    ipv6cp_ll_text(l->ifid, a, sizeof(a)),
	    ipv6cp_ll_text(l->peer_ifid, b, sizeof(b)));
	return 0;
}

static void
ppp_up(void *arg, const struct ppp_link *l)
{
	struct peer_conn *c = arg;
	struct in_addr local, peer;
	char err[IFACE_ERR_MAX], dperr[160], a[INET_ADDRSTRLEN],
	    b[INET_ADDRSTRLEN];
	unsigned int mtu;

	local.s_addr = htonl(l->local_addr);
	peer.s_addr = htonl(l->peer_addr);
	mtu = c->peer->cfg->mtu;
	if (mtu == 0)
		mtu = l->peer_mru - (l->mppe ? MPPE_OVERHEAD : 0);
	if (tun_open(&c->tun, NULL, err, sizeof(err)) == -1) {
		log_warnx("%s: %s", c->tag, err);
		ppp_close(c->ppp, "the test peer could not open a tun");
		return;
	}
	c->have_tun = 1;
	if (iface_set_addr(c->tun.name, local, peer, err, sizeof(err)) == -1 ||
	    iface_set_mtu(c->tun.name, mtu, err, sizeof(err)) == -1 ||
	    iface_set_up(c->tun.name, 1, err, sizeof(err)) == -1) {
		log_warnx("%s: %s", c->tag, err);
		ppp_close(c->ppp, "the test peer could not set up its tun");
		return;
	}
	if (dp_call_start_data(c->call, c->tun.fd, l, 0, dperr,
	    sizeof(dperr)) == -1) {
		log_warnx("%s: data path: %s", c->tag, dperr);
		ppp_close(c->ppp, "the test peer's data path failed");
		return;
	}
	if (l->ipv6 && peer_ipv6_up(c, l) == -1) {
		ppp_close(c->ppp, "the test peer could not set up IPv6");
		return;
	}
	gre_fault_arm(1);
	c->tun_local = l->local_addr;
	c->tun_peer = l->peer_addr;
	if (c->peer->cfg->cleartext_n != 0 && c->cleartext_sent == 0)
		timer_set(&c->t_cleartext, CLEARTEXT_MS);
	log_info("%s: up on %s: %s -> %s, mtu %u, %s, mppe %s", c->tag,
	    c->tun.name, inet_ntop(AF_INET, &local, a, sizeof(a)),
	    inet_ntop(AF_INET, &peer, b, sizeof(b)), mtu,
	    auth_method_name(l->auth), l->mppe ?
	    mppe_mode_name(l->mppe_keybits, l->mppe_stateless) : "none");
}

static void
ppp_down(void *arg, const char *reason)
{
	struct peer_conn *c = arg;

	log_info("%s: PPP down: %s", c->tag, reason);
	c->ppp_done = 1;
	schedule_reap(c);
}

static void
ppp_data(void *arg, uint16_t proto, const uint8_t *d, size_t len)
{
	struct peer_conn *c = arg;

	(void)d;
	/* The data path carries datagrams once started; none come here. */
	log_debug("%s: protocol 0x%04x datagram of %zu bytes outside the data "
	    "path dropped", c->tag, proto, len);
}

static void
ppp_reset_req(void *arg)
{
	struct peer_conn *c = arg;

	if (c->call != NULL)
		dp_call_mppe_reset(c->call);
}

/* --auth-*: this call's authentication misbehaves as told. */
static void
conn_auth_hook(void *arg, struct auth *a)
{
	struct peer_conn *c = arg;

	auth_set_quirks(a, c->peer->cfg->auth_quirks);
}

static const struct ppp_ops conn_ppp_ops = {
	.send = ppp_send,
	.phase = NULL,		/* ppp.c logs the phases */
	.up = ppp_up,
	.down = ppp_down,
	.data = ppp_data,
	.reset_req = ppp_reset_req,
};

/* Data path */

static int
is_lcp_echo_request(const uint8_t *frame, size_t len)
{
	uint16_t proto;
	int off;

	if ((off = ppp_frame_decode(frame, len, &proto)) == -1)
		return 0;
	return proto == PPP_LCP && (size_t)off < len && frame[off] == ECHOREQ;
}

static void
dp_ctrl_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct peer_conn *c = arg;

	if (c->ppp == NULL || c->ppp_done)
		return;
	if (c->peer->cfg->ignore_lcp_echo && is_lcp_echo_request(frame, len)) {
		/* Only the first few, so that a long test does not flood. */
		if (c->lcp_echo_dropped++ < 3)
			log_info("%s: LCP Echo-Request ignored as told",
			    c->tag);
		return;
	}
	ppp_input(c->ppp, frame, len);
}

static void
dp_reset_needed(void *arg)
{
	struct peer_conn *c = arg;

	if (c->ppp != NULL && !c->ppp_done)
		ppp_ccp_reset_request(c->ppp);
}

static void
dp_failed(void *arg, const char *why)
{
	struct peer_conn *c = arg;

	log_warnx("%s: data path failed: %s", c->tag, why);
	if (c->ppp != NULL && !c->ppp_done)
		ppp_close(c->ppp, "the test peer's data path failed");
}

static const struct dp_call_ops conn_dp_ops = {
	.ctrl_frame = dp_ctrl_frame,
	.reset_needed = dp_reset_needed,
	.failed = dp_failed,
};

static int
bit_isset(const uint64_t *map, unsigned int i)
{
	return (map[i / 64] >> (i % 64)) & 1;
}

static void
bit_set(uint64_t *map, unsigned int i, int on)
{
	if (on)
		map[i / 64] |= UINT64_C(1) << (i % 64);
	else
		map[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

/* The lowest free address: a call gets the same one on every run. */
static int
slot_take(struct peer *p)
{
	unsigned int w, i;

	for (w = 0; w < PEER_MAX_CONNS / 64; w++) {
		if (p->addr_used[w] == UINT64_MAX)
			continue;
		for (i = w * 64; i < w * 64 + 64; i++)
			if (!bit_isset(p->addr_used, i)) {
				bit_set(p->addr_used, i, 1);
				return (int)i;
			}
	}
	return -1;
}

static void
slot_release(struct peer *p, int slot)
{
	if (slot >= 0)
		bit_set(p->addr_used, (unsigned int)slot, 0);
}

/* A random call ID no other connection of ours holds; 0: none left. */
static uint16_t
call_id_take(struct peer *p)
{
	unsigned int i, id;

	id = 1 + arc4random_uniform(PEER_CALL_IDS - 1);
	for (i = 0; i < PEER_CALL_IDS - 1; i++) {
		if (!bit_isset(p->call_id_used, id)) {
			bit_set(p->call_id_used, id, 1);
			return (uint16_t)id;
		}
		if (++id == PEER_CALL_IDS)
			id = 1;
	}
	return 0;
}

static void
call_id_release(struct peer *p, uint16_t id)
{
	if (id != 0)
		bit_set(p->call_id_used, id, 0);
}

static void
pac_call_up(void *arg, const struct pptp_pac_call *pc)
{
	struct peer_conn *c = arg;
	const struct peer_config *cfg = c->peer->cfg;
	struct dp_call_config dc;
	struct ppp_config pc_ppp;
	char err[160];

	log_info("%s: call up: our call ID %u, theirs %u, their window %u",
	    c->tag, pc->call_id, pc->peer_call_id, pc->peer_window);
	if ((c->slot = slot_take(c->peer)) == -1) {
		log_warnx("%s: no client address left (%d in use)", c->tag,
		    PEER_MAX_CONNS);
		pptp_pac_clear_call(c->pac, PPTP_CDN_GENERAL, 0);
		return;
	}

	memset(&dc, 0, sizeof(dc));
	dc.tag = c->tag;
	dc.local = c->outer_local;
	dc.peer = c->outer_peer;
	gre_call_config_default(&dc.gre);
	dc.gre.tag = c->tag;
	dc.gre.our_call_id = pc->call_id;
	dc.gre.peer_call_id = pc->peer_call_id;
	dc.gre.peer_rwin = pc->peer_window;
	dc.gre.our_rwin = 64;
	if ((c->call = dp_call_new(c->peer->dp, &dc, &conn_dp_ops, c, err,
	    sizeof(err))) == NULL) {
		log_warnx("%s: %s", c->tag, err);
		pptp_pac_clear_call(c->pac, PPTP_CDN_GENERAL, 0);
		return;
	}

	memset(&pc_ppp, 0, sizeof(pc_ppp));
	pc_ppp.role = PPP_SERVER;
	pc_ppp.tag = c->tag;
	pc_ppp.user = cfg->user;
	pc_ppp.password = cfg->password;
	pc_ppp.password_len = cfg->password_len;
	pc_ppp.auth_allow = cfg->auth_allow;
	pc_ppp.mppe = cfg->mppe;
	pc_ppp.mppe_strengths = cfg->mppe_strengths;
	pc_ppp.mppe_stateful = cfg->mppe_stateful;
	pc_ppp.keepalive_s = cfg->keepalive_s;
	pc_ppp.local_addr = ntohl(cfg->local.s_addr);
	pc_ppp.assign_addr = ntohl(cfg->remote.s_addr) + (uint32_t)c->slot;
	pc_ppp.ipv6 = cfg->ipv6;
	memcpy(pc_ppp.dns, cfg->dns, sizeof(pc_ppp.dns));
	memcpy(pc_ppp.nbns, cfg->nbns, sizeof(pc_ppp.nbns));
	if (cfg->auth_quirks != 0)
		pc_ppp.auth_hook = conn_auth_hook;
	if ((c->ppp = ppp_new(&pc_ppp, &conn_ppp_ops, c, c->peer->tb)) ==
	    NULL) {
		log_warnx("%s: out of memory for PPP", c->tag);
		pptp_pac_clear_call(c->pac, PPTP_CDN_GENERAL, 0);
		return;
	}
	ppp_open(c->ppp);

	if (cfg->clear_call_s != 0)
		timer_set(&c->t_clear, cfg->clear_call_s * 1000);
	if (cfg->stop_ctrl_s != 0)
		timer_set(&c->t_stop, cfg->stop_ctrl_s * 1000);
	if (cfg->malformed != -1)
		timer_set(&c->t_malformed, cfg->malformed_s * 1000);
}

static void
pac_call_down(void *arg)
{
	struct peer_conn *c = arg;

	log_info("%s: call down", c->tag);
	c->call_gone = 1;
	schedule_reap(c);
}

static void
pac_closed(void *arg, const char *reason)
{
	struct peer_conn *c = arg;

	log_info("%s: control connection closed: %s", c->tag, reason);
	c->ctrl_closed = 1;
	c->call_gone = 1;
	schedule_reap(c);
}

static const struct pptp_pac_ops conn_pac_ops = {
	.write = pac_write,
	.call_up = pac_call_up,
	.call_down = pac_call_down,
	.closed = pac_closed,
};

/* Misbehaviour on a timer */

static void
t_clear_cb(void *arg)
{
	struct peer_conn *c = arg;

	log_info("%s: clearing the call as told (CDN)", c->tag);
	pptp_pac_clear_call(c->pac, PPTP_CDN_ADMIN, 0);
}

static void
t_stop_cb(void *arg)
{
	struct peer_conn *c = arg;

	log_info("%s: stopping the control connection as told (StopCCRQ)",
	    c->tag);
	c->said_goodbye = 1;
	pptp_pac_stop(c->pac, PPTP_STOP_SHUTDOWN);
}

static void
t_malformed_cb(void *arg)
{
	struct peer_conn *c = arg;

	log_info("%s: sending a malformed control message as told", c->tag);
	pptp_pac_send_malformed(c->pac,
	    (enum pptp_pac_malformed)c->peer->cfg->malformed);
}

/* The RFC 1071 sum of an IPv4 header. */
static uint16_t
ip_cksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * An IPv4 UDP datagram to the client's tunnel address in a PPP frame of
 * protocol 0x0021, sent in clear inside the call (right GRE sequence),
 * as an attacker on the path or a broken server would.  With MPPE
 * negotiated the client must drop it.  The PPP header takes turns: FF03
 * and 00 21, then 00 21 alone, then 21 alone (protocol compression):
 * each is a form a receiver may accept.
 */
static void
t_cleartext_cb(void *arg)
{
	struct peer_conn *c = arg;
	uint8_t f[4 + 20 + 8 + CLEARTEXT_PAYLOAD], *ip, *udp;
	size_t hdr, iplen = 20 + 8 + CLEARTEXT_PAYLOAD;
	unsigned int n = c->cleartext_sent;
	uint16_t sum;

	if (c->call == NULL || c->ppp_done)
		return;
	switch (n % 3) {
	case 0:
		f[0] = PPP_ALLSTATIONS;
		f[1] = PPP_UI;
		f[2] = 0x00;
		f[3] = 0x21;
		hdr = 4;
		break;
	case 1:
		f[0] = 0x00;
		f[1] = 0x21;
		hdr = 2;
		break;
	default:
		f[0] = 0x21;
		hdr = 1;
		break;
	}
	ip = f + hdr;
	memset(ip, 0, iplen);
	ip[0] = 0x45;
	put_be16(ip + 2, (uint16_t)iplen);
	put_be16(ip + 4, (uint16_t)n);
	ip[8] = 64;
	ip[9] = 17;			/* UDP */
	put_be32(ip + 12, c->tun_local);
	put_be32(ip + 16, c->tun_peer);
	sum = ip_cksum(ip, 20);
	put_be16(ip + 10, sum);
	udp = ip + 20;
	put_be16(udp, PEER_CLEARTEXT_PORT);
	put_be16(udp + 2, PEER_CLEARTEXT_PORT);
	put_be16(udp + 4, 8 + CLEARTEXT_PAYLOAD);
	/* UDP checksum 0: none, which IPv4 allows. */
	snprintf((char *)udp + 8, CLEARTEXT_PAYLOAD, "cleartext %u", n);
	dp_call_send_frame(c->call, f, hdr + iplen);
	c->cleartext_sent = ++n;
	if (n < c->peer->cfg->cleartext_n)
		timer_set(&c->t_cleartext, CLEARTEXT_MS);
	else
		log_info("%s: sent %u cleartext IPv4 frames as told", c->tag,
		    n);
}

/* TCP */

static void
tcp_read(struct bufferevent *bev, void *arg)
{
	struct peer_conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	uint8_t buf[4096];
	int n;

	while (!c->ctrl_closed &&
	    (n = evbuffer_remove(in, buf, sizeof(buf))) > 0)
		pptp_pac_input(c->pac, buf, (size_t)n);
	if (c->ctrl_closed)
		evbuffer_drain(in, evbuffer_get_length(in));
}

static void
tcp_event(struct bufferevent *bev, short what, void *arg)
{
	struct peer_conn *c = arg;

	(void)bev;
	if (what & BEV_EVENT_EOF)
		log_info("%s: client closed the TCP connection", c->tag);
	else if (what & BEV_EVENT_ERROR)
		log_warn("%s: TCP connection", c->tag);
	else
		return;
	c->tcp_gone = 1;
	c->ctrl_closed = 1;
	c->call_gone = 1;
	schedule_reap(c);
}

static void
tcp_drained(struct bufferevent *bev, void *arg)
{
	(void)bev;
	conn_destroy(arg);
}

static void
linger_cb(void *arg)
{
	struct peer_conn *c = arg;

	log_debug("%s: gave up flushing the control connection", c->tag);
	conn_destroy(c);
}

/* Takes down the call's half: PPP, data path, tun, GRE call. */
static void
call_teardown(struct peer_conn *c)
{
	if (c->ppp != NULL && !c->ppp_done)
		ppp_lower_down(c->ppp, "the PPTP call is gone");
	if (c->call != NULL)
		dp_call_stop_data(c->call);
	if (c->have_tun) {
		/* A thousand calls ending must not stall the loop (fdcloser.h). */
		fdcloser_close(c->peer->closer, c->tun.fd);
		c->tun.fd = -1;
		c->have_tun = 0;
	}
	dp_call_free(c->call);
	c->call = NULL;
	ppp_free(c->ppp);
	c->ppp = NULL;
	slot_release(c->peer, c->slot);
	c->slot = -1;
	timer_stop(&c->t_clear);
	timer_stop(&c->t_stop);
	timer_stop(&c->t_malformed);
	timer_stop(&c->t_cleartext);
}

static void
conn_reap(void *arg)
{
	struct peer_conn *c = arg;

	/*
	 * PPP ended by itself (authentication failed, the client terminated
	 * LCP, echoes went unanswered): hang up the way Poptop does, a CDN
	 * and then a StopCCRQ, and let the client answer.
	 */
	if (c->ppp_done && !c->call_gone && !c->said_goodbye) {
		c->said_goodbye = 1;
		pptp_pac_clear_call(c->pac, PPTP_CDN_ADMIN, 0);
		pptp_pac_stop(c->pac, PPTP_STOP_NONE);
	}
	if (c->call_gone)
		call_teardown(c);
	if (!c->ctrl_closed)
		return;

	timer_stop(&c->reap);
	pptp_pac_free(c->pac);
	c->pac = NULL;
	if (c->tcp_gone ||
	    evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
		conn_destroy(c);
		return;
	}
	/* Let the last message (a StopCCRP) reach the client first. */
	bufferevent_disable(c->bev, EV_READ);
	bufferevent_setcb(c->bev, NULL, tcp_drained, tcp_event, c);
	timer_set(&c->linger, LINGER_MS);
}

int
peer_conn_new(struct peer *p, int fd, const struct sockaddr_in *sin)
{
	const struct peer_config *cfg = p->cfg;
	struct pptp_pac_config pc;
	struct sockaddr_in self;
	socklen_t slen = sizeof(self);
	struct peer_conn *c;
	char a[INET_ADDRSTRLEN];

	if (getsockname(fd, (struct sockaddr *)&self, &slen) == -1) {
		log_warn("getsockname");
		close(fd);
		return -1;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("new connection");
		close(fd);
		return -1;
	}
	c->peer = p;
	c->slot = -1;
	c->tun.fd = -1;
	c->outer_local = self.sin_addr;
	c->outer_peer = sin->sin_addr;
	snprintf(c->tag, sizeof(c->tag), "conn%u", ++p->next_id);
	timer_init(&c->reap, p->tb, conn_reap, c);
	timer_init(&c->linger, p->tb, linger_cb, c);
	timer_init(&c->t_clear, p->tb, t_clear_cb, c);
	timer_init(&c->t_stop, p->tb, t_stop_cb, c);
	timer_init(&c->t_malformed, p->tb, t_malformed_cb, c);
	timer_init(&c->t_cleartext, p->tb, t_cleartext_cb, c);

	if ((c->bev = bufferevent_socket_new(p->evbase, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		log_warnx("%s: bufferevent", c->tag);
		close(fd);
		goto fail;
	}
	memset(&pc, 0, sizeof(pc));
	pc.tag = c->tag;
	pc.echo_interval_ms = cfg->pptp_echo_s * 1000;
	pc.refuse_ctrl_result = cfg->refuse_ctrl;
	pc.refuse_call_result = cfg->refuse_call;
	pc.ignore_echo = cfg->ignore_pptp_echo;
	pc.ocrp_delay_ms = cfg->ocrp_delay_ms;
	if ((c->call_id = call_id_take(p)) == 0) {
		log_warnx("%s: no free call ID", c->tag);
		goto fail;
	}
	pc.call_id = c->call_id;
	if ((c->pac = pptp_pac_new(&pc, &conn_pac_ops, c, p->tb)) == NULL) {
		log_warnx("%s: out of memory for the PAC", c->tag);
		goto fail;
	}
	bufferevent_setcb(c->bev, tcp_read, NULL, tcp_event, c);
	if (bufferevent_enable(c->bev, EV_READ) == -1) {
		log_warnx("%s: bufferevent_enable", c->tag);
		goto fail;
	}
	TAILQ_INSERT_TAIL(&p->conns, c, entry);
	log_info("%s: control connection from %s", c->tag,
	    inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a)));
	return 0;

fail:
	call_id_release(p, c->call_id);
	pptp_pac_free(c->pac);
	if (c->bev != NULL)
		bufferevent_free(c->bev);
	timer_free(&c->reap);
	timer_free(&c->linger);
	timer_free(&c->t_clear);
	timer_free(&c->t_stop);
	timer_free(&c->t_malformed);
	timer_free(&c->t_cleartext);
	free(c);
	return -1;
}

/* The last step: nothing of c may be on the stack. */
static void
conn_destroy(struct peer_conn *c)
{
	struct peer *p = c->peer;

	call_teardown(c);
	pptp_pac_free(c->pac);
	bufferevent_free(c->bev);
	timer_free(&c->reap);
	timer_free(&c->linger);
	timer_free(&c->t_clear);
	timer_free(&c->t_stop);
	timer_free(&c->t_malformed);
	timer_free(&c->t_cleartext);
	TAILQ_REMOVE(&p->conns, c, entry);
	call_id_release(p, c->call_id);
	log_debug("%s: freed", c->tag);
	free(c);
	if (p->stopping && TAILQ_EMPTY(&p->conns))
		event_base_loopexit(p->evbase, NULL);
}

void
peer_conns_stop(struct peer *p)
{
	struct peer_conn *c;

	TAILQ_FOREACH(c, &p->conns, entry) {
		if (c->ctrl_closed)
			continue;
		if (!c->said_goodbye) {
			c->said_goodbye = 1;
			if (c->ppp != NULL && !c->ppp_done)
				ppp_lower_down(c->ppp, "the test peer is "
				    "stopping");
			pptp_pac_clear_call(c->pac, PPTP_CDN_ADMIN, 0);
			pptp_pac_stop(c->pac, PPTP_STOP_SHUTDOWN);
		}
		/* The StopCCRP may not come: close after the linger. */
		timer_set(&c->linger, LINGER_MS);
	}
}

void
peer_conns_free(struct peer *p)
{
	struct peer_conn *c;

	while ((c = TAILQ_FIRST(&p->conns)) != NULL)
		conn_destroy(c);
}
