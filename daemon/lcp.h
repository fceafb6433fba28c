/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * LCP (RFC 1661): MRU, ACCM, Authentication-Protocol, Magic-Number with
 * loopback detection, PFC, ACFC; Echo keepalive with round-trip time;
 * Protocol-Reject and the codes RFC 1570 adds.  Every other option is
 * Configure-Rejected.
 */
#ifndef PPTPC_LCP_H
#define PPTPC_LCP_H

#include <stdint.h>

#include "auth.h"
#include "fsm.h"

#define LCP_MRU		1
#define LCP_ACCM	2
#define LCP_AUTH	3
#define LCP_MAGIC	5
#define LCP_PFC		7
#define LCP_ACFC	8

#define LCP_ECHO_FAILS_DEFAULT	4
/*
 * Echo-Requests whose identifiers are remembered: a reply is accepted for
 * any of them, so that a path slower than the echo interval still proves
 * life, and for nothing else.
 */
#define LCP_ECHO_OUTSTANDING	8

struct lcp_config {
	int		 server;	/* we authenticate the peer */
	unsigned int	 auth_allow;	/* AUTH_ALLOW() bits */
	uint16_t	 mru;		/* 0: PPP_MRU_DEFAULT, not negotiated */
	int		 no_hdrcomp;	/* neither ask for nor allow PFC/ACFC */
	unsigned int	 echo_interval_ms;	/* 0: no keepalive */
	unsigned int	 echo_fails;	/* 0: LCP_ECHO_FAILS_DEFAULT */
};

struct lcp_ops {
	/* The peer Protocol-Rejected proto (not LCP itself). */
	void	(*protrej)(void *arg, uint16_t proto);
	/* Keepalive gave up or the link is looped back; LCP stays as is. */
	void	(*dead)(void *arg, const char *reason);
};

/* One side's negotiated options. */
struct lcp_opts {
	int		 neg_mru;
	uint16_t	 mru;
	int		 neg_magic;
	uint32_t	 magic;
	int		 neg_auth;
	enum auth_method auth;
	int		 neg_pfc;
	int		 neg_acfc;
	int		 neg_accm;
	uint32_t	 accm;
};

/* One Echo-Request we sent and have not seen answered. */
struct lcp_echo_out {
	uint64_t	 sent_ms;
	uint8_t		 id;
	int		 valid;
};

/* Keepalive counters, for people (pptpctl). */
struct lcp_echo_stats {
	uint64_t	 sent;		/* Echo-Requests sent */
	uint64_t	 missed;	/* not answered within an interval */
	uint64_t	 bad_replies;	/* wrong identifier or magic: dropped */
	int64_t		 rtt_ms;	/* last round trip, -1 if none yet */
};

struct lcp {
	struct fsm		 fsm;
	struct lcp_config	 cfg;
	const struct lcp_ops	*ops;
	void			*arg;
	struct timer_base	*tb;
	struct lcp_opts		 want;	/* our request; once acked, ours */
	struct lcp_opts		 his;	/* what we acked of the peer's */
	unsigned int		 auth_tried;	/* server: methods Naked */
	unsigned int		 loops;	/* our magic seen coming back */
	int			 looped;
	struct timer		 echo_timer;
	unsigned int		 echo_pending;	/* sent since the last life */
	struct lcp_echo_out	 echo_out[LCP_ECHO_OUTSTANDING];
	unsigned int		 echo_next;	/* echo_out slot to use next */
	int			 echo_wait;	/* the last one is unanswered */
	struct lcp_echo_stats	 echo_st;
	/* Per-packet lines (ratelog.h): echo drops, signs of a loop. */
	struct ratelog		 rl_echo;
	struct ratelog		 rl_loop;
};

void	lcp_init(struct lcp *, const struct lcp_config *, const char *tag,
	    const struct fsm_owner *, const struct lcp_ops *, void *arg,
	    struct timer_base *);
void	lcp_free(struct lcp *);
/* Sends a Protocol-Reject for a frame of protocol proto. */
void	lcp_send_protrej(struct lcp *, uint16_t proto, const uint8_t *info,
	    size_t len, uint16_t peer_mru);
/*
 * Proof from outside LCP that the peer is alive (a kernel engine received
 * data): resets the count of unanswered echoes.  LCP itself counts only
 * an Echo-Reply to one of its outstanding requests carrying the peer's
 * magic number; anything else on the wire can be forged blind.
 */
void	lcp_alive(struct lcp *);
/* Last echo round trip in ms, or -1 if none yet. */
int64_t	lcp_echo_rtt(const struct lcp *);
void	lcp_echo_stats(const struct lcp *, struct lcp_echo_stats *);
/* Best allowed method by mschapv2 > mschap > chap-md5 > pap, or NONE. */
enum auth_method lcp_best_auth(unsigned int allow);

#endif /* PPTPC_LCP_H */
