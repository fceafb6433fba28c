/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The RFC 1661 option negotiation automaton, shared by LCP, IPCP and CCP.
 *
 * A protocol module embeds a struct fsm and supplies struct fsm_callbacks:
 * how to build its Configure-Request, how to take the peer's Nak and Reject,
 * how to judge the peer's Configure-Request, and its own extra codes.  The
 * automaton owns packet headers, identifiers, the restart timer and the
 * counters, and tells the owner (ppp.c) about This-Layer-Up/Down/Started/
 * Finished.  Option data reaches the callbacks as a struct rbuf limited to
 * the packet's own Length field.
 */
#ifndef PPTPC_FSM_H
#define PPTPC_FSM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ratelog.h"
#include "timer.h"

/* RFC 1661 §4.2 state numbers. */
enum fsm_state {
	FSM_INITIAL = 0,
	FSM_STARTING,
	FSM_CLOSED,
	FSM_STOPPED,
	FSM_CLOSING,
	FSM_STOPPING,
	FSM_REQSENT,
	FSM_ACKRCVD,
	FSM_ACKSENT,
	FSM_OPENED,
};

/* What the automaton tells its owner. */
enum fsm_layer_event {
	FSM_LAYER_UP,		/* tlu: entered Opened */
	FSM_LAYER_DOWN,		/* tld: left Opened */
	FSM_LAYER_STARTED,	/* tls: needs the lower layer */
	FSM_LAYER_FINISHED,	/* tlf: done with the lower layer */
};

#define FSM_TIMEOUT_MS		3000
#define FSM_MAX_CONFIGURE	10
#define FSM_MAX_TERMINATE	2
#define FSM_MAX_FAILURE		5

#define FSM_HDRLEN		4
/* Our own Configure-Request options never exceed this. */
#define FSM_REQ_MAX		64
/* Largest packet the automaton builds or answers. */
#define FSM_PKT_MAX		1500

/* Results of a module's nakci/rejci. */
#define FSM_CI_OK	0
#define FSM_CI_BAD	(-1)	/* malformed: discard the packet */
#define FSM_CI_GIVEUP	1	/* nothing acceptable is left: close the layer */

struct fsm;

/*
 * A reply being built to the peer's Configure-Request.  A module reports
 * each option with fsm_reply_option(); the reply keeps only the options of
 * the worst verdict so far (Ack < Nak < Reject), as RFC 1661 §5.3-5.4 want.
 */
struct fsm_reply {
	int		 code;		/* CONFACK, CONFNAK or CONFREJ */
	struct wbuf	 w;
};

struct fsm_callbacks {
	/* Before the first Configure-Request of a negotiation. */
	void	(*resetci)(struct fsm *);
	/* Writes our options; fails (-1) only if they do not fit. */
	int	(*addci)(struct fsm *, struct wbuf *);
	/* The peer acked exactly what we sent (optional). */
	void	(*ackci)(struct fsm *);
	/* The peer's Nak of our request; returns FSM_CI_*. */
	int	(*nakci)(struct fsm *, struct rbuf *);
	/* The peer's Reject of our request; returns FSM_CI_*. */
	int	(*rejci)(struct fsm *, struct rbuf *);
	/*
	 * Judges the peer's Configure-Request option by option into the
	 * reply.  With reject_if_disagree set (Max-Failure reached) it must
	 * Reject instead of Nak.  Returns 0, or -1 for a malformed request.
	 */
	int	(*reqci)(struct fsm *, struct rbuf *, struct fsm_reply *,
		    int reject_if_disagree);
	/* Layer events, seen by the module before the owner (optional). */
	void	(*up)(struct fsm *);
	void	(*down)(struct fsm *);
	void	(*finished)(struct fsm *);
	/*
	 * Codes beyond 1-7 (LCP echo, CCP reset): returns 1 if handled,
	 * 0 if the code is unknown and must be Code-Rejected.
	 */
	int	(*extcode)(struct fsm *, uint8_t code, uint8_t id,
		    struct rbuf *);
	/* A Code-Reject of a code beyond 1-7: 0 if harmless (RXJ+). */
	int	(*codereject)(struct fsm *, uint8_t code);
};

struct fsm_owner {
	/* Sends one packet (code, id, length, data) of protocol proto. */
	void	(*send)(void *arg, uint16_t proto, const uint8_t *pkt,
		    size_t len);
	void	(*event)(void *arg, struct fsm *, enum fsm_layer_event);
	void	*arg;
};

struct fsm {
	const struct fsm_callbacks *cb;
	const struct fsm_owner *owner;
	void		*ctx;		/* the module that embeds this */
	const char	*name;		/* "LCP" */
	const char	*tag;		/* tunnel name */
	uint16_t	 proto;
	enum fsm_state	 state;
	uint8_t		 id;		/* last identifier used */
	uint8_t		 reqid;		/* identifier of our last request */
	uint8_t		 termid;	/* identifier of our last Terminate */
	int		 reqid_valid;
	unsigned int	 restarts;	/* the restart counter */
	unsigned int	 naks_sent;	/* Naks since our last Ack */
	unsigned int	 timeout_ms;
	unsigned int	 max_configure;
	unsigned int	 max_terminate;
	unsigned int	 max_failure;
	struct timer	 timer;
	struct timer_base *tb;
	/*
	 * Lines a peer or a spoofer triggers per packet (ratelog.h): drops
	 * of what the automaton cannot use, and what is worth telling.  The
	 * modules' own per-packet lines may use them too.
	 */
	struct ratelog	 rl_drop;
	struct ratelog	 rl_note;
	uint8_t		 req[FSM_REQ_MAX];	/* options of our last request */
	size_t		 reqlen;
	char		 reason[192];	/* why the layer gave up, "" if not */
};

void	fsm_init(struct fsm *, uint16_t proto, const char *name,
	    const char *tag, const struct fsm_callbacks *, void *ctx,
	    const struct fsm_owner *, struct timer_base *);
void	fsm_free(struct fsm *);

/* RFC 1661 administrative and lower-layer events. */
void	fsm_up(struct fsm *);
void	fsm_down(struct fsm *);
void	fsm_open(struct fsm *);
void	fsm_close(struct fsm *, const char *reason);
/* A packet of this protocol: code, id, length, data; padding allowed. */
void	fsm_input(struct fsm *, const uint8_t *, size_t);
/* The peer Protocol-Rejected this protocol (RXJ-). */
void	fsm_protreject(struct fsm *);

/* Sends a packet of this protocol with a fresh or given identifier. */
void	fsm_send(struct fsm *, uint8_t code, uint8_t id, const void *data,
	    size_t len);
uint8_t	fsm_next_id(struct fsm *);

/* Records why the layer gives up; the first reason is kept. */
void	fsm_set_reason(struct fsm *, const char *, ...)
	    __attribute__((__format__(printf, 2, 3)));

/*
 * Reads the next option: 1 with type, data and data length, 0 at the end,
 * -1 if its Length is below 2 or runs past the packet.
 */
int	fsm_next_option(struct rbuf *, uint8_t *type, const uint8_t **data,
	    size_t *len);
/* Writes one option; an option too long for its Length octet fails w. */
void	fsm_put_option(struct wbuf *, uint8_t type, const void *data,
	    size_t len);
/* Adds one option to a Configure-Request reply with a verdict. */
void	fsm_reply_option(struct fsm_reply *, int code, uint8_t type,
	    const uint8_t *data, size_t len);

const char *fsm_state_name(enum fsm_state);

/* A per-packet line about f at debug level, rate-limited. */
#define FSM_DROP(f, ...)						\
	RATELOG_LINE(&(f)->rl_drop, (f)->tb, RATELOG_DEBUG, __VA_ARGS__)
/* A per-packet line about f at a level of its own, rate-limited. */
#define FSM_NOTE(f, level, ...)						\
	RATELOG_LINE(&(f)->rl_note, (f)->tb, (level), __VA_ARGS__)

#endif /* PPTPC_FSM_H */
