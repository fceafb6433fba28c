/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The client (PNS) side of one PPTP control connection, RFC 2637 §3.
 *
 * A pure engine: the caller owns the TCP socket, hands every byte read to
 * pptp_ctrl_input() and writes what ops->write gives it.  Timers come from
 * daemon/timer.h.  One control connection carries exactly one outgoing
 * call, which is what a PPTP client dials:
 *
 *   pptp_ctrl_new()          TCP connect begins; the connect timer runs
 *   pptp_ctrl_start()        TCP is up: SCCRQ, then OCRQ after SCCRP
 *   ops->call_up()           OCRP accepted: GRE may flow
 *   pptp_ctrl_close()        CCRQ -> CDN, StopCCRQ -> StopCCRP
 *   ops->call_down()         once, if call_up() was called
 *   ops->closed()            once, last: flush what was written (it may
 *                            end with a StopCCRP), close the socket, free
 *
 * Re-entrancy: callbacks may call pptp_ctrl_close() and pptp_ctrl_free()
 * on the same object; freeing is deferred until the engine's own frame
 * returns.  ops->write must not call back into the engine.
 */
#ifndef PPTPC_PPTP_CTRL_H
#define PPTPC_PPTP_CTRL_H

#include <stddef.h>
#include <stdint.h>

struct timer_base;

/* The RFC's state names (§3.1.1, §3.1.3 originator side). */
enum pptp_ctrl_state {
	PPTP_CTRL_IDLE,			/* TCP connecting */
	PPTP_CTRL_WAIT_CTL_REPLY,	/* SCCRQ sent */
	PPTP_CTRL_ESTABLISHED,		/* SCCRP accepted, no call */
	PPTP_CTRL_WAIT_REPLY,		/* OCRQ sent */
	PPTP_CTRL_CALL_ESTABLISHED,	/* OCRP accepted */
	PPTP_CTRL_WAIT_CDN,		/* CCRQ sent */
	PPTP_CTRL_WAIT_STOP_REPLY,	/* StopCCRQ sent */
	PPTP_CTRL_CLOSED,		/* ops->closed() called; free it */
};

struct pptp_ctrl_config {
	const char	*tag;		/* tunnel name, starts log lines */
	uint16_t	 call_id;	/* ours: random and unique per host */
	uint16_t	 recv_window;	/* our GRE receive window; 0: 64 */
	uint16_t	 proc_delay;	/* tenths of a second, for the OCRQ */
	const char	*hostname;	/* SCCRQ Host Name; NULL: "" */
	const char	*vendor;	/* SCCRQ Vendor; NULL: "pptpc" */
	/* Echo-Request after this long without a message; 0: 60 s (§3). */
	unsigned int	 echo_interval_ms;
	/* Unanswered Echo-Requests (one interval each) to give up; 0: 1. */
	unsigned int	 echo_max_failures;
	unsigned int	 connect_timeout_ms;	/* TCP connect; 0: 60 s */
	unsigned int	 reply_timeout_ms;	/* SCCRP, OCRP; 0: 60 s */
	unsigned int	 close_timeout_ms;	/* CDN, StopCCRP; 0: 10 s */
};

/* What the server's OCRP told us; the GRE layer needs all of it. */
struct pptp_call_info {
	uint16_t	 call_id;	/* ours: the server puts it in GRE */
	uint16_t	 peer_call_id;	/* the server's: goes in GRE we send */
	uint16_t	 peer_window;	/* the server's receive window */
	uint16_t	 peer_delay;	/* processing delay, 1/10 s */
	uint32_t	 connect_speed;	/* bits per second, informational */
};

enum pptp_ctrl_why {
	PPTP_WHY_LOCAL,		/* pptp_ctrl_close(): we hung up */
	PPTP_WHY_PEER,		/* the server cleared the call or stopped */
	PPTP_WHY_REFUSED,	/* SCCRP or OCRP said no */
	PPTP_WHY_TIMEOUT,	/* connect, reply or echo timed out */
	PPTP_WHY_PROTOCOL,	/* malformed input, lost sync, bad version */
	PPTP_WHY_IO,		/* TCP closed or failed under us */
};

/* Why a call or the connection ended: for the log and for pptpctl. */
struct pptp_ctrl_reason {
	enum pptp_ctrl_why why;
	unsigned int	 msg_type;	/* message carrying the codes, or 0 */
	uint8_t		 result;
	uint8_t		 error;
	uint16_t	 cause;
	char		 text[128];	/* fits session_info last_error */
};

struct pptp_ctrl_stats {
	uint64_t	 msgs_in;
	uint64_t	 msgs_out;
	uint64_t	 bytes_in;
	uint64_t	 bytes_out;
	uint64_t	 ignored_in;	/* unknown or unexpected, dropped */
	uint64_t	 echo_sent;
	uint64_t	 echo_replies;	/* answers to ours */
	uint64_t	 echo_answered;	/* the server's that we answered */
	unsigned int	 echo_failures;	/* consecutive, now */
	int64_t		 echo_rtt_ms;	/* last round trip, -1 if none yet */
};

struct pptp_ctrl_ops {
	/* Queues bytes on the TCP connection; 0, or -1 if it is broken. */
	int	(*write)(void *arg, const uint8_t *, size_t);
	void	(*call_up)(void *arg, const struct pptp_call_info *);
	void	(*call_down)(void *arg, const struct pptp_ctrl_reason *);
	void	(*closed)(void *arg, const struct pptp_ctrl_reason *);
	/* Set-Link-Info from the server; optional (NULL: ignored). */
	void	(*sli)(void *arg, uint32_t send_accm, uint32_t recv_accm);
};

struct pptp_ctrl;

/* NULL if out of memory.  The connect timer starts now. */
struct pptp_ctrl *pptp_ctrl_new(const struct pptp_ctrl_config *,
		    const struct pptp_ctrl_ops *, void *arg,
		    struct timer_base *);
/* TCP is connected: sends SCCRQ. */
void		 pptp_ctrl_start(struct pptp_ctrl *);
/* Bytes read from TCP, split or joined anyhow. */
void		 pptp_ctrl_input(struct pptp_ctrl *, const uint8_t *, size_t);
/* TCP failed, was refused or reached EOF; why is for the log ("EOF"). */
void		 pptp_ctrl_tcp_down(struct pptp_ctrl *, const char *why);
/* Orderly hang-up; ops->closed() follows, now or after the replies. */
void		 pptp_ctrl_close(struct pptp_ctrl *);
/* Stops everything without callbacks; safe inside a callback. */
void		 pptp_ctrl_free(struct pptp_ctrl *);

enum pptp_ctrl_state pptp_ctrl_state(const struct pptp_ctrl *);
const char	*pptp_ctrl_state_name(enum pptp_ctrl_state);
void		 pptp_ctrl_get_stats(const struct pptp_ctrl *,
		    struct pptp_ctrl_stats *);
/* Valid once call_up() has been called. */
const struct pptp_call_info *pptp_ctrl_call_info(const struct pptp_ctrl *);
/* The server's SCCRP Host Name and Vendor, "" until then. */
const char	*pptp_ctrl_peer_hostname(const struct pptp_ctrl *);
const char	*pptp_ctrl_peer_vendor(const struct pptp_ctrl *);

#endif /* PPTPC_PPTP_CTRL_H */
