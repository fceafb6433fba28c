/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * One PPP link over PPTP: framing, protocol demultiplexing, the phases of
 * RFC 1661 §3, and the LCP, authentication, CCP and IPCP layers it owns.
 *
 * PPP does not know its transport: frames go out through ops->send ready
 * for GRE and come in through ppp_input().  The owner learns the moment
 * both IPCP and CCP (when MPPE is in use) are opened through ops->up, with
 * everything the data path needs, before any data is passed either way; a
 * kernel engine can be loaded right then.
 */
#ifndef PPTPC_PPP_H
#define PPTPC_PPP_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "ccp.h"

struct timer_base;

enum ppp_role {
	PPP_CLIENT = 0,
	PPP_SERVER,		/* the test peer */
};

enum ppp_phase {
	PPP_PHASE_DEAD = 0,
	PPP_PHASE_ESTABLISH,
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,
	PPP_PHASE_RUNNING,
	PPP_PHASE_TERMINATE,
};

/* What ppp_config.ccp_hook gets. */
struct ppp_mppe_keys {
	uint8_t		 send_key[16];	/* RFC 3079 start keys */
	uint8_t		 recv_key[16];
	uint32_t	 bits;		/* OPEN: our request; ACK: the peer's */
};

/* Zero is a sane client default for every field but the credentials. */
#define PPP_MPPE_STATEFUL_ALLOW		1
#define PPP_MPPE_STATEFUL_PREFER	2

struct ppp_config {
	enum ppp_role	 role;
	const char	*tag;		/* tunnel name; copied */
	const char	*user;		/* copied; a server: its host name */
	const char	*password;	/* copied, wiped on free */
	size_t		 password_len;
	unsigned int	 auth_allow;	/* AUTH_ALLOW() bits; 0: default */
	enum mppe_policy mppe;		/* default: required */
	uint32_t	 mppe_strengths; /* MPPE_L|M|S; 0: MPPE_S */
	int		 mppe_stateful;	/* 0, PPP_MPPE_STATEFUL_ALLOW or
					   _PREFER (ccp.h's allow_stateful,
					   prefer_stateful) */
	uint16_t	 mru;		/* 0: 1500, not negotiated */
	int		 no_hdrcomp;	/* no PFC/ACFC */
	unsigned int	 keepalive_s;	/* LCP echo interval, 0: none */
	unsigned int	 keepalive_fails; /* 0: 4 */
	unsigned int	 restart_ms;	/* restart timer, 0: 3000 */
	uint32_t	 local_addr;	/* host order; client: 0 to be given */
	/* Server role: what the client is given. */
	uint32_t	 assign_addr;
	uint32_t	 dns[2];
	uint32_t	 nbns[2];
	/*
	 * Tests only, NULL in the daemon: called with the link's struct auth
	 * (and the arg given to ppp_new) after auth_new() and before
	 * auth_start(), so that the test peer and unit tests can make a
	 * server misbehave or fix random values through auth_hooks.h.  A
	 * callback rather than quirk bits keeps ppp.c from linking the hooks,
	 * which the auth stub of the PPP unit tests does not have.
	 */
	void		(*auth_hook)(void *arg, struct auth *);
	/*
	 * Optional: CCP's moments (ccp.h), with ppp_new()'s arg, for a
	 * kernel that follows CCP itself (offload.h); called before the
	 * frame concerned goes out.  The keys are the MPPE start keys, there
	 * from authentication on, and wiped when this returns.  -1 with a
	 * message in err closes the link.
	 */
	int		(*ccp_hook)(void *arg, enum ccp_moment,
			    const struct ppp_mppe_keys *, char *err,
			    size_t errlen);
	/*
	 * Client, optional: judges an address the server assigns us (peer
	 * 0) or names as its own (peer 1) in IPCP, with ppp_new()'s arg;
	 * 0 takes it, -1 refuses it with a phrase in why (addr_policy.h).
	 * The class rules (loopback, multicast, ...) apply without it.
	 */
	int		(*addr_check)(void *arg, uint32_t addr, int peer,
			    char *why, size_t whylen);
	/*
	 * IPv6CP beside IPCP.  The link comes up once IPCP is opened and
	 * IPv6CP has settled: opened, or refused by the peer (Protocol-
	 * Reject, no agreement), which leaves the link on IPv4 alone.
	 */
	int		 ipv6;
	uint64_t	 ipv6_ifid;	/* tests: our first identifier; 0:
					   random */
};

/* The negotiated link, for the data path and for people. */
struct ppp_link {
	uint32_t	 local_addr;	/* host order */
	uint32_t	 peer_addr;
	uint32_t	 dns[2];
	uint32_t	 nbns[2];
	int		 ipv6;		/* IPv6CP opened: 0x0057 may flow */
	uint64_t	 ifid;		/* IPv6CP: ours, host order */
	uint64_t	 peer_ifid;	/* the peer's; 0 if it named none */
	uint16_t	 mru;		/* largest frame we accept */
	uint16_t	 peer_mru;	/* largest frame we may send */
	int		 acfc_tx, pfc_tx;	/* we may compress what we send */
	int		 acfc_rx, pfc_rx;	/* the peer may compress to us */
	int		 mppe;		/* MPPE in use both ways */
	uint32_t	 mppe_tx_bits;	/* option 18 bits for our sending */
	uint32_t	 mppe_rx_bits;
	int		 mppe_keybits;	/* 40, 56, 128; 0 without MPPE */
	int		 mppe_stateless;
	enum auth_method auth;
	int		 have_keys;
	uint8_t		 send_key[16];	/* MPPE start keys (RFC 3079) */
	uint8_t		 recv_key[16];
};

struct ppp_ops {
	/* A whole PPP frame (address/control as negotiated), for GRE. */
	void	(*send)(void *arg, const uint8_t *frame, size_t len);
	void	(*phase)(void *arg, enum ppp_phase);
	/*
	 * IPCP and CCP (if used) are opened, and IPv6CP (if asked for) has
	 * settled.  The keys in the link are
	 * wiped when this returns: copy what the data path needs.
	 */
	void	(*up)(void *arg, const struct ppp_link *);
	/* The link is finished; called once, after ppp_open(). */
	void	(*down)(void *arg, const char *reason);
	/* An IPv4, IPv6 or MPPE datagram (protocol field removed). */
	void	(*data)(void *arg, uint16_t proto, const uint8_t *, size_t);
	/* The peer's CCP Reset-Request: reset the MPPE sender. */
	void	(*reset_req)(void *arg);
};

/*
 * Callbacks may run from inside ppp_input(), ppp_open() and timers: the
 * owner must not ppp_free() from inside one, but defer it.
 */
struct ppp;

struct ppp	*ppp_new(const struct ppp_config *, const struct ppp_ops *,
		    void *arg, struct timer_base *);
void		 ppp_free(struct ppp *);
/* Starts LCP on a transport that is already up. */
void		 ppp_open(struct ppp *);
/*
 * Closes the link gracefully (Terminate-Request) with a reason, from a
 * 0 ms timer; ops->down follows when the peer answers or gives up.
 */
void		 ppp_close(struct ppp *, const char *reason);
/* The transport is gone: finishes at once. */
void		 ppp_lower_down(struct ppp *, const char *reason);
/* One frame from the transport. */
void		 ppp_input(struct ppp *, const uint8_t *frame, size_t len);
/*
 * Data the owner has verified (a kernel engine received and decrypted
 * it) shows the peer is alive.  ppp_input() itself counts only an LCP
 * Echo-Reply to an outstanding request with the peer's magic number:
 * any other frame may be forged.
 */
void		 ppp_alive(struct ppp *);
/* Asks the peer to reset its MPPE sender; rate-limited, 0 if sent. */
int		 ppp_ccp_reset_request(struct ppp *);
enum ppp_phase	 ppp_phase(const struct ppp *);
/* Last LCP echo round trip in ms, -1 if none measured. */
int64_t		 ppp_echo_rtt(const struct ppp *);

/* LCP keepalive counters of this link, for pptpctl. */
struct ppp_echo_stats {
	uint64_t	 sent;		/* Echo-Requests sent */
	uint64_t	 missed;	/* not answered within an interval */
	uint64_t	 bad_replies;	/* wrong identifier or magic */
	int64_t		 rtt_ms;	/* last round trip, -1 if none yet */
};
void		 ppp_echo_stats(const struct ppp *, struct ppp_echo_stats *);
/* Whether PPP's copy of the password still holds it (for tests). */
int		 ppp_holds_password(const struct ppp *);
const char	*ppp_phase_name(enum ppp_phase);

/*
 * Framing, usable without a struct ppp.  ppp_frame_hdrlen() is the header
 * length for proto under the given compression; LCP is never compressed.
 * ppp_frame_prepend() writes the header right before payload, which must
 * have at least that much headroom, and returns the frame's start, or
 * NULL if headroom is short.  ppp_frame_decode() accepts a frame with or
 * without FF 03 and with a 1- or 2-byte protocol, and returns the header
 * length, or -1 if the frame is malformed.
 */
size_t		 ppp_frame_hdrlen(uint16_t proto, int acfc, int pfc);
uint8_t		*ppp_frame_prepend(uint8_t *payload, size_t headroom,
		    uint16_t proto, int acfc, int pfc);
int		 ppp_frame_decode(const uint8_t *, size_t, uint16_t *proto);
/* The same with the compression the peer agreed to receive. */
uint8_t		*ppp_prepend(const struct ppp *, uint8_t *payload,
		    size_t headroom, uint16_t proto);

#endif /* PPTPC_PPP_H */
