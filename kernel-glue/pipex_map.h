/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The pure half of the pipex engine: from a negotiated session to the
 * requests of pipex(4), and back from its counters.  No system calls, so
 * that it builds and is tested everywhere; pipex-openbsd.c does the ioctls.
 *
 * The request is filled from a client's point of view (doc/pipex.md
 * §3.5), where npppd fills it as a server:
 *
 *	pr_session_id		our call ID: the server puts it in its GRE
 *	pr_peer_session_id	the server's call ID: goes in our GRE
 *	pr_peer_address		the server (the control connection's peer)
 *	pr_local_address	getsockname() of the control connection
 *	pr_ip_srcaddr		our IPCP address (pppx: the local end)
 *	pr_ip_address/netmask	the server's IPCP address /32 (pppx: the
 *				destination; a /32 so that a default route
 *				through pppxM carries everything)
 *	pr_mppe_send/recv	the client's start keys (Magic2/Magic3) with
 *				the key length and mode of each direction
 *	flags			HAS_ACF always (PPTP frames may carry FF 03);
 *				ACFC/PFC as LCP agreed; MPPE accepted,
 *				enabled and required when MPPE is in use;
 *				never INGRESS_FILTER (the server's traffic
 *				comes from anywhere); ADJUST_TCPMSS if asked
 *	pr_timeout_sec		0: pppx refuses anything else, and idling
 *				out is LCP echo's job
 *	pr_proto.pptp		the userland GRE state at the handover,
 *				tracked with pipex_gre_track_*()
 */
#ifndef PPTPC_PIPEX_MAP_H
#define PPTPC_PIPEX_MAP_H

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __OpenBSD__
#include <net/if.h>
#include <net/pipex.h>
#else
#include "pipex_layout.h"	/* tests/lib: the same names, for tests */
#endif

struct ppp_link;
struct offload_stats;
struct priv_pipex_add;

/*
 * The GRE numbers of pr_proto.pptp, kept from every packet userland sends
 * and receives before the handover (npppd's meanings, doc/pipex.md §2.3).
 */
struct pipex_gre_state {
	uint32_t	 snd_nxt;	/* our next sequence number */
	uint32_t	 snd_una;	/* the last ack received + 1 */
	uint32_t	 rcv_nxt;	/* the highest seq received + 1 */
	uint32_t	 rcv_acked;	/* the last ack number we sent */
	int		 rcv_any;	/* a sequence number was received */
};

/* Sequence numbers start at 1 (gre_call.h); nothing acked yet. */
void	pipex_gre_init(struct pipex_gre_state *);
/*
 * One GRE packet (header first, no IP header) we send or received for
 * this call.  Packets that do not decode are ignored: the GRE layer
 * counts them.
 */
void	pipex_gre_track_out(struct pipex_gre_state *, const uint8_t *pkt,
	    size_t len);
void	pipex_gre_track_in(struct pipex_gre_state *, const uint8_t *pkt,
	    size_t len);

struct pipex_map_in {
	uint16_t	 our_call_id;
	uint16_t	 peer_call_id;
	uint16_t	 our_rwin;	/* 0: 64, pptp_ctrl's default */
	uint16_t	 peer_rwin;
	struct in_addr	 local;		/* outer addresses */
	struct in_addr	 peer;
	const struct ppp_link *link;
	struct pipex_gre_state gre;
	int		 ppp_id;	/* our cookie, e.g. the call ID */
	int		 adjust_tcpmss;
};

/*
 * Fills req (zeroed first, so no stale bytes reach the kernel).  -1 with
 * a message in err if the session cannot be expressed: an address of 0,
 * MPPE with a key length pipex does not know.
 */
int	pipex_map_session(const struct pipex_map_in *,
	    struct pipex_session_req *req, char *err, size_t errlen);
/*
 * Privilege separation (priv.h): the engine sends the session as plain
 * values, the parent takes them back and builds the request itself.
 * pipex_map_from_priv() is the parent's check of the engine's message:
 * -1 with why in err for an unknown flag, a key, key length or MPPE bit
 * without MPPE or out of range, an MRU below PPP's least; *in refers to
 * *l, which gets the link's fields (and the keys: the caller wipes it).
 */
void	pipex_map_to_priv(const struct pipex_map_in *,
	    struct priv_pipex_add *);
int	pipex_map_from_priv(const struct priv_pipex_add *,
	    struct pipex_map_in *, struct ppp_link *l, char *err,
	    size_t errlen);
/* PIPEXGSTAT and PIPEXDSESSION requests for our call ID. */
void	pipex_map_stat_req(uint16_t our_call_id,
	    struct pipex_session_stat_req *);
void	pipex_map_close_req(uint16_t our_call_id,
	    struct pipex_session_close_req *);
/* PIPEXSIFDESCR: "pptpc NAME" on pppxM, which is how it is found. */
void	pipex_map_descr_req(uint16_t our_call_id, const char *tag,
	    struct pipex_session_descr_req *);
/*
 * The kernel's counters as pptpctl shows them.  rx_idle_s is -1: pipex
 * advances idle_time only for a session with an idle timeout, which
 * pppx(4) refuses (pipex.c pipex_timer(), if_pppx.c pppx_add_session()),
 * so PIPEXGSTAT always says 0.  pipex_idle_update() stands in for it.
 */
void	pipex_map_stats(const struct pipex_statistics *,
	    struct offload_stats *);

/*
 * When data last arrived, told from ipackets moving between two
 * PIPEXGSTATs: without it the tunnel would take the constant idle_time 0
 * for traffic and treat a dead server as alive.
 */
struct pipex_idle {
	uint64_t	 ipackets;	/* as of the last change */
	uint64_t	 since_ms;	/* monotonic time of that change */
};

/* At attach: no data yet, and the link was just negotiated. */
void	pipex_idle_init(struct pipex_idle *, uint64_t now_ms);
/* Whole seconds since ipackets last moved, as of now_ms. */
int64_t	pipex_idle_update(struct pipex_idle *, uint64_t ipackets,
	    uint64_t now_ms);

#endif /* PPTPC_PIPEX_MAP_H */
