/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The server (PAC) side of a PPTP control connection, for the test peer
 * and for back-to-back tests of the client engine.  Built from the same
 * codecs (daemon/pptp_msg.h) and, like the client, a pure engine: bytes in
 * through pptp_pac_input(), bytes out through ops->write, timers from
 * daemon/timer.h.
 *
 * It answers SCCRQ, OCRQ (with a Call ID of its own), Echo-Request, CCRQ
 * and StopCCRQ; on request it sends SLI, CDN, StopCCRQ and Echo-Request;
 * and it misbehaves when the config or pptp_pac_send_malformed() asks.
 * Callbacks may call pptp_pac_free(); it is deferred.
 */
#ifndef PPTPC_PPTP_PAC_H
#define PPTPC_PPTP_PAC_H

#include <stddef.h>
#include <stdint.h>

struct timer_base;

enum pptp_pac_state {
	PPTP_PAC_IDLE,			/* waiting for SCCRQ */
	PPTP_PAC_ESTABLISHED,		/* control connection up, no call */
	PPTP_PAC_CALL_ESTABLISHED,
	PPTP_PAC_WAIT_STOP_REPLY,	/* our StopCCRQ sent */
	PPTP_PAC_CLOSED,
};

struct pptp_pac_config {
	const char	*tag;
	const char	*hostname;	/* NULL: "pptp-peer" */
	const char	*vendor;	/* NULL: "pptpc test peer" */
	uint16_t	 call_id;	/* ours for the call; 0: random */
	uint16_t	 recv_window;	/* 0: 64 */
	uint16_t	 proc_delay;
	uint32_t	 connect_speed;	/* 0: 100000000 */
	unsigned int	 echo_interval_ms;	/* our Echo-Request; 0: none */
	unsigned int	 stop_timeout_ms;	/* wait for StopCCRP; 0: 10 s */

	/* Misbehaviour for tests. */
	uint8_t		 refuse_ctrl_result;	/* SCCRP result if not 0 */
	uint8_t		 refuse_ctrl_error;
	uint8_t		 refuse_call_result;	/* OCRP result if not 0 */
	uint8_t		 refuse_call_error;
	int		 ignore_echo;		/* never answer Echo-Request */
	int		 ignore_ccrq;		/* never answer CCRQ with CDN */
	int		 ignore_stop;		/* never answer StopCCRQ */
	/*
	 * Bring the call up (ops->call_up: PPP starts and its first GRE
	 * leaves) this long before the OCRP is sent: the fast server whose
	 * GRE overtakes its OCRP, made certain.  0: OCRP first.
	 */
	unsigned int	 ocrp_delay_ms;
};

struct pptp_pac_call {
	uint16_t	 call_id;	/* the PAC's */
	uint16_t	 peer_call_id;	/* the client's, from OCRQ */
	uint16_t	 peer_window;
	uint16_t	 peer_delay;
};

struct pptp_pac_ops {
	int	(*write)(void *arg, const uint8_t *, size_t);
	void	(*call_up)(void *arg, const struct pptp_pac_call *);
	void	(*call_down)(void *arg);
	/* Once, last; reason is for the log. */
	void	(*closed)(void *arg, const char *reason);
};

struct pptp_pac_stats {
	uint64_t	 msgs_in;
	uint64_t	 msgs_out;
	uint64_t	 echo_answered;	/* the client's that we answered */
	uint64_t	 echo_replies;	/* answers to ours */
	uint64_t	 sli_in;
};

/* Broken messages pptp_pac_send_malformed() can send. */
enum pptp_pac_malformed {
	PPTP_PAC_BAD_COOKIE,	/* an Echo-Request with cookie 0xdeadbeef */
	PPTP_PAC_SHORT_LENGTH,	/* an SLI whose length field says 20 */
	PPTP_PAC_HUGE_LENGTH,	/* a length field of 65535 */
	PPTP_PAC_UNKNOWN_TYPE,	/* control message type 99, well framed */
	PPTP_PAC_BAD_VERSION,	/* an SCCRP-like reply claiming version 2.0 */
};

struct pptp_pac	*pptp_pac_new(const struct pptp_pac_config *,
		    const struct pptp_pac_ops *, void *arg,
		    struct timer_base *);
void		 pptp_pac_input(struct pptp_pac *, const uint8_t *, size_t);
void		 pptp_pac_free(struct pptp_pac *);

/* Requests; each returns -1 if the state does not allow it. */
int		 pptp_pac_send_sli(struct pptp_pac *, uint32_t send_accm,
		    uint32_t recv_accm);
int		 pptp_pac_clear_call(struct pptp_pac *, uint8_t result,
		    uint8_t error);
int		 pptp_pac_stop(struct pptp_pac *, uint8_t reason);
int		 pptp_pac_send_echo(struct pptp_pac *);
int		 pptp_pac_send_malformed(struct pptp_pac *,
		    enum pptp_pac_malformed);
/* Writes arbitrary bytes, for tests that script their own garbage. */
int		 pptp_pac_send_raw(struct pptp_pac *, const uint8_t *, size_t);

enum pptp_pac_state pptp_pac_state(const struct pptp_pac *);
const char	*pptp_pac_state_name(enum pptp_pac_state);
void		 pptp_pac_get_stats(const struct pptp_pac *,
		    struct pptp_pac_stats *);
const struct pptp_pac_call *pptp_pac_call_info(const struct pptp_pac *);

#endif /* PPTPC_PPTP_PAC_H */
