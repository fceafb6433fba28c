/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The pipex request built for a client, field by field against the layout
 * of <net/pipex.h> (tests/lib/pipex_layout.h here), and the GRE state it
 * carries, tracked from the packets userland sent and received.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <netinet/in.h>
#include <string.h>

#include "ccp.h"
#include "offload.h"
#include "pipex_map.h"
#include "ppp.h"

#define OUR_CALL	0x2a01
#define PEER_CALL	0x0b17

static void
link_init(struct ppp_link *l)
{
	int i;

	memset(l, 0, sizeof(*l));
	l->local_addr = 0x0a000002;	/* 10.0.0.2: ours */
	l->peer_addr = 0x0a000001;	/* 10.0.0.1: the server's */
	l->mru = 1400;
	l->peer_mru = 1450;
	l->mppe = 1;
	l->mppe_tx_bits = MPPE_H | MPPE_S;
	l->mppe_rx_bits = MPPE_H | MPPE_S;
	l->mppe_keybits = 128;
	l->mppe_stateless = 1;
	l->have_keys = 1;
	for (i = 0; i < 16; i++) {
		l->send_key[i] = (uint8_t)(0xa0 + i);
		l->recv_key[i] = (uint8_t)(0x50 + i);
	}
}

static void
in_init(struct pipex_map_in *in, const struct ppp_link *l)
{
	memset(in, 0, sizeof(*in));
	in->our_call_id = OUR_CALL;
	in->peer_call_id = PEER_CALL;
	in->our_rwin = 64;
	in->peer_rwin = 16;
	in->local.s_addr = htonl(0xc0a80105);	/* 192.168.1.5 behind NAT */
	in->peer.s_addr = htonl(0xcb007102);	/* 203.0.113.2 */
	in->link = l;
	pipex_gre_init(&in->gre);
	in->ppp_id = OUR_CALL;
}

static const struct sockaddr_in *
sin_of(const struct sockaddr_storage *ss)
{
	return (const struct sockaddr_in *)ss;
}

ATF_TC_WITHOUT_HEAD(ids_addresses_flags);
ATF_TC_BODY(ids_addresses_flags, tc)
{
	struct pipex_session_req req;
	struct pipex_map_in in;
	struct ppp_link l;
	char err[128];

	link_init(&l);
	in_init(&in, &l);
	memset(&req, 0xee, sizeof(req));	/* no stale byte survives */
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);

	ATF_CHECK_EQ(req.pr_protocol, PIPEX_PROTO_PPTP);
	ATF_CHECK_EQ(req.pr_session_id, OUR_CALL);
	ATF_CHECK_EQ(req.pr_peer_session_id, PEER_CALL);
	ATF_CHECK_EQ(req.pr_ppp_id, OUR_CALL);
	ATF_CHECK_EQ(req.pr_peer_mru, 1450);
	ATF_CHECK_EQ(req.pr_timeout_sec, 0);	/* pppx refuses others */
	ATF_CHECK_EQ(req.pr_ccp_id, 0);

	/* An MRU LCP never heard is RFC 1661's 1500, never a 0 MTU. */
	l.peer_mru = 0;
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);
	ATF_CHECK_EQ(req.pr_peer_mru, 1500);
	l.peer_mru = 1450;
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);

	/* Peer = the server, local = our end of the control connection. */
	ATF_CHECK_EQ(req.pr_peer_address.ss_family, AF_INET);
	ATF_CHECK_EQ(sin_of(&req.pr_peer_address)->sin_addr.s_addr,
	    htonl(0xcb007102));
	ATF_CHECK_EQ(sin_of(&req.pr_peer_address)->sin_port, 0);
	ATF_CHECK_EQ(req.pr_local_address.ss_family, AF_INET);
	ATF_CHECK_EQ(sin_of(&req.pr_local_address)->sin_addr.s_addr,
	    htonl(0xc0a80105));

	/* The client's IPCP address is the source, the server's the /32. */
	ATF_CHECK_EQ(req.pr_ip_srcaddr.s_addr, htonl(0x0a000002));
	ATF_CHECK_EQ(req.pr_ip_address.s_addr, htonl(0x0a000001));
	ATF_CHECK_EQ(req.pr_ip_netmask.s_addr, htonl(0xffffffff));
	ATF_CHECK_EQ(req.pr_ip6_prefixlen, 0);

	ATF_CHECK_EQ(req.pr_ppp_flags, PIPEX_PPP_HAS_ACF |
	    PIPEX_PPP_MPPE_ACCEPTED | PIPEX_PPP_MPPE_ENABLED |
	    PIPEX_PPP_MPPE_REQUIRED);
	ATF_CHECK((req.pr_ppp_flags & PIPEX_PPP_INGRESS_FILTER) == 0);
}

ATF_TC_WITHOUT_HEAD(header_compression_flags);
ATF_TC_BODY(header_compression_flags, tc)
{
	struct pipex_session_req req;
	struct pipex_map_in in;
	struct ppp_link l;
	char err[128];

	link_init(&l);
	in_init(&in, &l);
	l.acfc_rx = 1;
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);
	ATF_CHECK_EQ(req.pr_ppp_flags & 0x0f, PIPEX_PPP_ACFC_ACCEPTED);
	l.acfc_rx = 0;
	l.pfc_rx = 1;
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);
	ATF_CHECK_EQ(req.pr_ppp_flags & 0x0f, PIPEX_PPP_PFC_ACCEPTED);
	l.pfc_rx = 0;
	l.acfc_tx = 1;
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);
	ATF_CHECK_EQ(req.pr_ppp_flags & 0x0f, PIPEX_PPP_ACFC_ENABLED);
	l.acfc_tx = 0;
	l.pfc_tx = 1;
	in.adjust_tcpmss = 1;
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);
	ATF_CHECK_EQ(req.pr_ppp_flags & 0x0f, PIPEX_PPP_PFC_ENABLED);
	ATF_CHECK(req.pr_ppp_flags & PIPEX_PPP_ADJUST_TCPMSS);
	ATF_CHECK(req.pr_ppp_flags & PIPEX_PPP_HAS_ACF);
}

ATF_TC_WITHOUT_HEAD(mppe_keys_per_direction);
ATF_TC_BODY(mppe_keys_per_direction, tc)
{
	struct pipex_session_req req;
	struct pipex_map_in in;
	struct ppp_link l;
	char err[128];

	link_init(&l);
	in_init(&in, &l);
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);
	/* Our send start key encrypts what we send; recv what we get. */
	ATF_CHECK(memcmp(req.pr_mppe_send.master_key, l.send_key, 16) == 0);
	ATF_CHECK(memcmp(req.pr_mppe_recv.master_key, l.recv_key, 16) == 0);
	ATF_CHECK_EQ(req.pr_mppe_send.keylenbits, 128);
	ATF_CHECK_EQ(req.pr_mppe_recv.keylenbits, 128);
	ATF_CHECK_EQ(req.pr_mppe_send.stateless, 1);
	ATF_CHECK_EQ(req.pr_mppe_recv.stateless, 1);

	/* Each direction from its own bits: 40 stateful out, 56 in. */
	l.mppe_tx_bits = MPPE_L;
	l.mppe_rx_bits = MPPE_M | MPPE_H;
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);
	ATF_CHECK_EQ(req.pr_mppe_send.keylenbits, 40);
	ATF_CHECK_EQ(req.pr_mppe_send.stateless, 0);
	ATF_CHECK_EQ(req.pr_mppe_recv.keylenbits, 56);
	ATF_CHECK_EQ(req.pr_mppe_recv.stateless, 1);
	/* All 16 bytes are passed; the kernel takes 8 for 40/56 bits. */
	ATF_CHECK(memcmp(req.pr_mppe_send.master_key, l.send_key, 16) == 0);

	/* No strength bit in a word: the link's key length. */
	l.mppe_tx_bits = MPPE_H;
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);
	ATF_CHECK_EQ(req.pr_mppe_send.keylenbits, 128);
}

ATF_TC_WITHOUT_HEAD(mppe_off);
ATF_TC_BODY(mppe_off, tc)
{
	struct pipex_session_req req;
	struct pipex_map_in in;
	struct ppp_link l;
	static const uint8_t zero[16];
	char err[128];

	link_init(&l);
	in_init(&in, &l);
	l.mppe = 0;
	l.mppe_keybits = 0;
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);
	ATF_CHECK_EQ(req.pr_ppp_flags, PIPEX_PPP_HAS_ACF);
	ATF_CHECK(memcmp(req.pr_mppe_send.master_key, zero, 16) == 0);
	ATF_CHECK(memcmp(req.pr_mppe_recv.master_key, zero, 16) == 0);
	ATF_CHECK_EQ(req.pr_mppe_send.keylenbits, 0);
}

ATF_TC_WITHOUT_HEAD(refusals);
ATF_TC_BODY(refusals, tc)
{
	struct pipex_session_req req;
	struct pipex_map_in in;
	struct ppp_link l;
	static const uint8_t zero[sizeof(struct pipex_session_req)];
	char err[128];

	link_init(&l);
	in_init(&in, &l);
	l.mppe_tx_bits = MPPE_H;
	l.mppe_keybits = 0;
	ATF_CHECK_EQ(pipex_map_session(&in, &req, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "pipex: MPPE send key length 0 is not 40, 56 "
	    "or 128 bits");
	/* A refused request holds no key. */
	ATF_CHECK(memcmp(&req, zero, sizeof(req)) == 0);

	link_init(&l);
	l.have_keys = 0;
	ATF_CHECK_EQ(pipex_map_session(&in, &req, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "no keys") != NULL);

	link_init(&l);
	l.peer_addr = 0;
	ATF_CHECK_EQ(pipex_map_session(&in, &req, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "pipex: IPCP gave no peer address");
	link_init(&l);
	l.local_addr = 0;
	ATF_CHECK_EQ(pipex_map_session(&in, &req, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "pipex: IPCP gave no local address");

	link_init(&l);
	in.local.s_addr = 0;
	ATF_CHECK_EQ(pipex_map_session(&in, &req, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "local address is 0.0.0.0") != NULL);
	in_init(&in, &l);
	in.peer.s_addr = 0;
	ATF_CHECK_EQ(pipex_map_session(&in, &req, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "peer address is 0.0.0.0") != NULL);
}

/* GRE header bytes: K, S and/or A, version 1, protocol 0x880B. */
static size_t
gre_pkt(uint8_t *p, int s, uint32_t seq, int a, uint32_t ack,
    uint16_t plen)
{
	size_t n = 0;
	uint16_t fl = 0x2000 | 1 | (s ? 0x1000 : 0) | (a ? 0x0080 : 0);

	p[n++] = fl >> 8;
	p[n++] = fl & 0xff;
	p[n++] = 0x88;
	p[n++] = 0x0b;
	p[n++] = plen >> 8;
	p[n++] = plen & 0xff;
	p[n++] = PEER_CALL >> 8;
	p[n++] = PEER_CALL & 0xff;
	if (s) {
		p[n++] = seq >> 24; p[n++] = seq >> 16;
		p[n++] = seq >> 8; p[n++] = seq;
	}
	if (a) {
		p[n++] = ack >> 24; p[n++] = ack >> 16;
		p[n++] = ack >> 8; p[n++] = ack;
	}
	memset(p + n, 0x21, plen);
	return n + plen;
}

ATF_TC_WITHOUT_HEAD(gre_state_tracking);
ATF_TC_BODY(gre_state_tracking, tc)
{
	struct pipex_gre_state g;
	uint8_t p[64];
	size_t n;

	pipex_gre_init(&g);
	ATF_CHECK_EQ(g.snd_nxt, 1);
	ATF_CHECK_EQ(g.snd_una, 1);
	ATF_CHECK_EQ(g.rcv_any, 0);

	/*
	 * We send seq 1..3; the third acks the peer's 9.  rcv_acked is the
	 * ack number itself, as pipex_pptp_output() keeps it.
	 */
	pipex_gre_track_out(&g, p, gre_pkt(p, 1, 1, 0, 0, 4));
	pipex_gre_track_out(&g, p, gre_pkt(p, 1, 2, 0, 0, 4));
	pipex_gre_track_out(&g, p, gre_pkt(p, 1, 3, 1, 9, 4));
	ATF_CHECK_EQ(g.snd_nxt, 4);
	ATF_CHECK_EQ(g.rcv_acked, 9);
	/* An ack-only packet moves only the ack. */
	pipex_gre_track_out(&g, p, gre_pkt(p, 0, 0, 1, 11, 0));
	ATF_CHECK_EQ(g.snd_nxt, 4);
	ATF_CHECK_EQ(g.rcv_acked, 11);

	/* The peer's first seq is taken whatever it is. */
	pipex_gre_track_in(&g, p, gre_pkt(p, 1, 9, 1, 2, 4));
	ATF_CHECK_EQ(g.rcv_any, 1);
	ATF_CHECK_EQ(g.rcv_nxt, 10);
	ATF_CHECK_EQ(g.snd_una, 3);
	/* Reordered (older) seq and old acks do not go back. */
	pipex_gre_track_in(&g, p, gre_pkt(p, 1, 11, 1, 3, 4));
	pipex_gre_track_in(&g, p, gre_pkt(p, 1, 10, 1, 1, 4));
	ATF_CHECK_EQ(g.rcv_nxt, 12);
	ATF_CHECK_EQ(g.snd_una, 4);
	/* Across the 32-bit wrap. */
	g.rcv_nxt = 0xffffffff;
	pipex_gre_track_in(&g, p, gre_pkt(p, 1, 0xffffffff, 0, 0, 4));
	pipex_gre_track_in(&g, p, gre_pkt(p, 1, 1, 0, 0, 4));
	ATF_CHECK_EQ(g.rcv_nxt, 2);

	/* Malformed packets are ignored: truncated, lying length, bad. */
	n = gre_pkt(p, 1, 500, 1, 500, 4);
	pipex_gre_track_in(&g, p, n - 5);
	pipex_gre_track_in(&g, p, 7);
	pipex_gre_track_in(&g, p, 0);
	p[5] = 60;	/* payload length beyond the packet */
	pipex_gre_track_in(&g, p, n);
	pipex_gre_track_out(&g, p, n);
	n = gre_pkt(p, 1, 500, 0, 0, 4);
	p[1] = 0x00;	/* version 0: not PPTP */
	pipex_gre_track_in(&g, p, n);
	ATF_CHECK_EQ(g.rcv_nxt, 2);
	ATF_CHECK_EQ(g.snd_una, 4);
	ATF_CHECK_EQ(g.snd_nxt, 4);
}

ATF_TC_WITHOUT_HEAD(window_and_sequence_fields);
ATF_TC_BODY(window_and_sequence_fields, tc)
{
	struct pipex_session_req req;
	struct pipex_map_in in;
	struct ppp_link l;
	char err[128];

	link_init(&l);
	in_init(&in, &l);
	in.gre.snd_nxt = 7;
	in.gre.snd_una = 5;
	in.gre.rcv_nxt = 12;
	in.gre.rcv_acked = 11;
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);
	ATF_CHECK_EQ(req.pr_proto.pptp.snd_nxt, 7);
	ATF_CHECK_EQ(req.pr_proto.pptp.snd_una, 5);
	ATF_CHECK_EQ(req.pr_proto.pptp.rcv_nxt, 12);
	ATF_CHECK_EQ(req.pr_proto.pptp.rcv_acked, 11);
	ATF_CHECK_EQ(req.pr_proto.pptp.maxwinsz, 64);
	ATF_CHECK_EQ(req.pr_proto.pptp.winsz, 33);	/* npppd's */
	ATF_CHECK_EQ(req.pr_proto.pptp.peer_maxwinsz, 16);

	in.our_rwin = 0;	/* pptp_ctrl's default */
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);
	ATF_CHECK_EQ(req.pr_proto.pptp.maxwinsz, 64);
	in.our_rwin = 10;
	ATF_REQUIRE_EQ(pipex_map_session(&in, &req, err, sizeof(err)), 0);
	ATF_CHECK_EQ(req.pr_proto.pptp.winsz, 6);
}

ATF_TC_WITHOUT_HEAD(small_requests_and_stats);
ATF_TC_BODY(small_requests_and_stats, tc)
{
	struct pipex_session_stat_req sr;
	struct pipex_session_close_req cr;
	struct pipex_session_descr_req dr;
	struct pipex_statistics ps;
	struct offload_stats st;

	memset(&sr, 0xee, sizeof(sr));
	pipex_map_stat_req(OUR_CALL, &sr);
	ATF_CHECK_EQ(sr.psr_protocol, PIPEX_PROTO_PPTP);
	ATF_CHECK_EQ(sr.psr_session_id, OUR_CALL);
	ATF_CHECK_EQ(sr.psr_stat.ipackets, 0);
	memset(&cr, 0xee, sizeof(cr));
	pipex_map_close_req(OUR_CALL, &cr);
	ATF_CHECK_EQ(cr.pcr_protocol, PIPEX_PROTO_PPTP);
	ATF_CHECK_EQ(cr.pcr_session_id, OUR_CALL);
	pipex_map_descr_req(OUR_CALL, "office", &dr);
	ATF_CHECK_EQ(dr.pdr_protocol, PIPEX_PROTO_PPTP);
	ATF_CHECK_EQ(dr.pdr_session_id, OUR_CALL);
	ATF_CHECK_STREQ(dr.pdr_descr, "pptpc office");

	memset(&ps, 0, sizeof(ps));
	ps.ipackets = 5;
	ps.ierrors = 1;
	ps.ibytes = 5000000000ULL;
	ps.opackets = 7;
	ps.oerrors = 2;
	ps.obytes = 700;
	ps.idle_time = 3;
	pipex_map_stats(&ps, &st);
	ATF_CHECK_EQ(st.rx_packets, 5);
	ATF_CHECK_EQ(st.rx_errors, 1);
	ATF_CHECK_EQ(st.rx_bytes, 5000000000ULL);
	ATF_CHECK_EQ(st.tx_packets, 7);
	ATF_CHECK_EQ(st.tx_errors, 2);
	ATF_CHECK_EQ(st.tx_bytes, 700);
	ATF_CHECK_EQ(st.rx_lost, 0);
	/* idle_time stays 0 without a pipex timeout: not a figure. */
	ATF_CHECK_EQ(st.rx_idle_s, -1);

	ATF_CHECK_EQ(ccp_mppe_keybits(MPPE_S | MPPE_L), 128);
	ATF_CHECK_EQ(ccp_mppe_keybits(MPPE_M | MPPE_L), 56);
	ATF_CHECK_EQ(ccp_mppe_keybits(MPPE_L | MPPE_H), 40);
	ATF_CHECK_EQ(ccp_mppe_keybits(MPPE_H | MPPE_C), 0);
}

/*
 * pppx(4) refuses an idle timeout, so pipex never advances idle_time:
 * the engine tells data from ipackets moving between PIPEXGSTATs.
 */
ATF_TC_WITHOUT_HEAD(idle_from_counters);
ATF_TC_BODY(idle_from_counters, tc)
{
	struct pipex_idle id;

	pipex_idle_init(&id, 100000);
	/* Right after attach: the link was just negotiated. */
	ATF_CHECK_EQ(pipex_idle_update(&id, 0, 100000), 0);
	ATF_CHECK_EQ(pipex_idle_update(&id, 0, 102999), 2);
	/* Data arrives: idle starts again from that sample. */
	ATF_CHECK_EQ(pipex_idle_update(&id, 4, 103500), 0);
	ATF_CHECK_EQ(pipex_idle_update(&id, 4, 110500), 7);
	ATF_CHECK_EQ(pipex_idle_update(&id, 4, 190500), 87);
	/* Any change counts, a 32-bit wrap of the kernel's too. */
	ATF_CHECK_EQ(pipex_idle_update(&id, 3, 191000), 0);
	ATF_CHECK_EQ(pipex_idle_update(&id, 3, 192000), 1);
	/* A clock that goes back is "just now", never negative. */
	ATF_CHECK_EQ(pipex_idle_update(&id, 3, 150000), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ids_addresses_flags);
	ATF_TP_ADD_TC(tp, header_compression_flags);
	ATF_TP_ADD_TC(tp, mppe_keys_per_direction);
	ATF_TP_ADD_TC(tp, mppe_off);
	ATF_TP_ADD_TC(tp, refusals);
	ATF_TP_ADD_TC(tp, gre_state_tracking);
	ATF_TP_ADD_TC(tp, window_and_sequence_fields);
	ATF_TP_ADD_TC(tp, small_requests_and_stats);
	ATF_TP_ADD_TC(tp, idle_from_counters);
	return atf_no_error();
}
