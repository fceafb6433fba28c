/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The test peer: the server side of PPTP and PPP, built from the daemon's
 * own modules, for make demo, the end-to-end tests and the benchmarks.
 *
 * peer.c parses the options, listens and runs the event loop; peer_conn.c
 * is one control connection with its call, PPP link, tun and data path;
 * gre_fault.c makes the GRE it sends lossy on request.
 */
#ifndef PPTPC_PEER_H
#define PPTPC_PEER_H

#include <sys/queue.h>
#include <netinet/in.h>
#include <stdint.h>

#include "auth.h"
#include "ccp.h"
#include "pptp_pac.h"

struct event_base;
struct timer_base;
struct datapath;
struct fdcloser;
struct peer_conn;

/*
 * Client addresses handed out: remote, remote + 1, ...  The scale
 * benchmark serves a thousand tunnels; give it --remote in a range as
 * large (198.18.0.0/15).
 */
#define PEER_MAX_CONNS		4096
#define PEER_CALL_IDS		65536	/* PPTP call IDs, 0 unused */
#define PEER_PASSWORD_MAX	256

/* Everything the command line says; read-only once the loop runs. */
struct peer_config {
	struct in_addr	 listen_addr;
	uint16_t	 port;
	const char	*user;
	char		 password[PEER_PASSWORD_MAX + 1];
	size_t		 password_len;
	unsigned int	 auth_allow;	/* AUTH_ALLOW() bits */
	enum mppe_policy mppe;
	uint32_t	 mppe_strengths;
	int		 mppe_stateful;
	struct in_addr	 local;		/* the server's tunnel address */
	struct in_addr	 remote;	/* the first client's */
	uint32_t	 dns[2];	/* host order, 0: none */
	uint32_t	 nbns[2];
	unsigned int	 mtu;		/* 0: from the negotiated MRU */
	unsigned int	 keepalive_s;	/* our LCP echo interval, 0: none */

	/* Misbehaviour. */
	int		 ignore_lcp_echo;
	int		 ignore_pptp_echo;
	unsigned int	 pptp_echo_s;	/* our PPTP Echo-Request interval */
	uint8_t		 refuse_ctrl;	/* SCCRP result code, 0: accept */
	uint8_t		 refuse_call;	/* OCRP result code, 0: accept */
	int		 malformed;	/* enum pptp_pac_malformed, -1: none */
	unsigned int	 malformed_s;	/* after the call is up */
	unsigned int	 clear_call_s;	/* CDN after the call is up, 0: no */
	unsigned int	 stop_ctrl_s;	/* StopCCRQ after the call is up */
	unsigned int	 exit_s;	/* whole program, 0: never */
	unsigned int	 gre_drop_pm;	/* per mille of data packets sent */
	unsigned int	 gre_dup_pm;
	unsigned int	 gre_reorder_pm;
	unsigned int	 auth_quirks;	/* AUTH_QUIRK_* (auth_hooks.h) */
	unsigned int	 ocrp_delay_ms;	/* PPP before the OCRP, 0: no */
	unsigned int	 cleartext_n;	/* unencrypted IPv4 frames to send
					   once the data path is up */
	int		 ipv6;		/* answer IPv6CP, carry 0x0057 */
};

/* Where --inject-cleartext's UDP datagrams go on the client. */
#define PEER_CLEARTEXT_PORT	5399

struct peer {
	const struct peer_config *cfg;
	struct event_base	*evbase;
	struct timer_base	*tb;
	struct datapath		*dp;
	struct fdcloser		*closer;	/* tun(4)s close off the loop */
	TAILQ_HEAD(, peer_conn)	 conns;
	uint64_t		 addr_used[PEER_MAX_CONNS / 64];
					/* bit i: remote + i taken */
	/*
	 * Our call IDs in use: the data path finds a call by (client
	 * address, our call ID), and many clients behind one address (a
	 * hub's thousand tunnels) would meet on a random ID now and then.
	 */
	uint64_t		 call_id_used[PEER_CALL_IDS / 64];
	unsigned int		 next_id;
	int			 stopping;
};

/* Takes a connected TCP socket; closes it on failure. */
int	peer_conn_new(struct peer *, int fd, const struct sockaddr_in *);
/* Ends every connection gracefully: CDN, StopCCRQ, then close. */
void	peer_conns_stop(struct peer *);
/* Frees every connection at once, without a goodbye. */
void	peer_conns_free(struct peer *);

#endif /* PPTPC_PEER_H */
