/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * CCP (RFC 1962) with the MPPE option only (RFC 3078 §2).  Every other
 * compressor, and the MPPC bit inside the MPPE option, is refused.
 */
#ifndef PPTPC_CCP_H
#define PPTPC_CCP_H

#include <stdint.h>

#include "fsm.h"

#define CCP_MPPE	18	/* option type */

/* Supported Bits of the MPPE option, as a 32-bit word in wire order. */
#define MPPE_H		0x01000000u	/* stateless */
#define MPPE_M		0x00000080u	/* 56-bit */
#define MPPE_S		0x00000040u	/* 128-bit */
#define MPPE_L		0x00000020u	/* 40-bit */
#define MPPE_D		0x00000010u	/* obsolete */
#define MPPE_C		0x00000001u	/* MPPC compression */
#define MPPE_STRENGTHS	(MPPE_L | MPPE_M | MPPE_S)

/* "mppe required | optional | off" of the configuration. */
enum mppe_policy {
	MPPE_REQUIRED = 0,
	MPPE_OPTIONAL,
	MPPE_OFF,
};


/*
 * CCP's moments, for a kernel that follows CCP itself (Linux ppp_mppe
 * snoops the Configure-Acks, offload.h): each is reported synchronously,
 * before the frame it concerns goes out, so the kernel holds the right key
 * when that frame passes it.
 */
enum ccp_moment {
	CCP_MOMENT_OPEN = 0,	/* before our first Configure-Request of a
				   negotiation; bits: what we request */
	CCP_MOMENT_ACK,		/* before each Configure-Ack of the peer's
				   MPPE request; bits: what we ack */
	CCP_MOMENT_UP,		/* entered Opened */
	CCP_MOMENT_DOWN,	/* left Opened */
	CCP_MOMENT_CLOSED,	/* finished */
};

struct ccp_config {
	int		 server;	/* only changes the words in messages */
	enum mppe_policy policy;
	uint32_t	 strengths;	/* MPPE_L|M|S allowed; 0: MPPE_S */
	int		 allow_stateful;
	/*
	 * Ask for stateful mode both ways (implies allow_stateful): our
	 * request leaves H clear and a peer's request with H set is Naked
	 * once without it.  pppd with mppe-stateful agrees, but asks for
	 * stateless itself and never otherwise goes stateful.
	 */
	int		 prefer_stateful;
	/* Optional (NULL): CCP's moments, above, with ccp_init()'s arg. */
	void		(*moment)(void *arg, enum ccp_moment, uint32_t bits);
};

struct ccp_ops {
	/* The peer sent a Reset-Request: reset the MPPE sender. */
	void	(*reset_req)(void *arg);
};

struct ccp {
	struct fsm		 fsm;
	struct ccp_config	 cfg;
	const struct ccp_ops	*ops;
	void			*arg;
	struct timer_base	*tb;
	uint32_t		 want;		/* our request */
	uint32_t		 rx_bits;	/* acked request: what we receive */
	uint32_t		 tx_bits;	/* acked peer's: what we send */
	uint32_t		 peer_acked;	/* last peer request we acked */
	int			 reset_wait;	/* Reset-Request unanswered */
	int			 moment_open;	/* OPEN told this negotiation */
	int			 naked_h;	/* we Naked the peer's H once */
	uint64_t		 reset_sent_ms;
};

#define CCP_RESET_INTERVAL_MS	1000

void	ccp_init(struct ccp *, const struct ccp_config *, const char *tag,
	    const struct fsm_owner *, const struct ccp_ops *, void *arg,
	    struct timer_base *);
void	ccp_free(struct ccp *);
/*
 * Asks the peer to reset its MPPE sender (our receiver lost sync).  At most
 * one unanswered request per CCP_RESET_INTERVAL_MS; returns 0 if sent, -1
 * if CCP is not opened or it was rate-limited.
 */
int	ccp_send_reset_request(struct ccp *);
/* "<mppe +H -M +S -L -D -C>", as pppd prints it. */
const char *ccp_mppe_str(uint32_t bits, char *buf, size_t len);
/* 128, 56, 40 or 0 for the strongest strength in bits. */
int	ccp_mppe_keybits(uint32_t bits);

#endif /* PPTPC_CCP_H */
