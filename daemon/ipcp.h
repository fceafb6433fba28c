/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * IPCP (RFC 1332) with the DNS and NBNS options of RFC 1877.  Addresses
 * are IPv4 in host byte order; 0 means none.  Van Jacobson compression and
 * the old IP-Addresses option are refused.
 */
#ifndef PPTPC_IPCP_H
#define PPTPC_IPCP_H

#include <stdint.h>

#include "addr_policy.h"
#include "fsm.h"

#define IPCP_ADDRS	1
#define IPCP_COMP	2
#define IPCP_ADDR	3
#define IPCP_DNS1	129
#define IPCP_NBNS1	130
#define IPCP_DNS2	131
#define IPCP_NBNS2	132

struct ipcp_config {
	int		 server;
	uint32_t	 local;		/* client: address to ask for (0: any);
					   server: its own address */
	/* Server only: what the client is given (0: nothing). */
	uint32_t	 assign;
	uint32_t	 dns[2];
	uint32_t	 nbns[2];
	/*
	 * Client: judges an address the server assigns us (peer 0) or names
	 * as its own (peer 1) beyond addr_policy_class(), which is always
	 * applied: 0 takes it, -1 refuses it with a phrase in why.  NULL:
	 * the class rules only.
	 */
	int		(*check)(void *arg, uint32_t addr, int peer, char *why,
			    size_t whylen);
	void		*check_arg;
};

#define IPCP_REFUSED_MAX	224

/* Which of our options are still being asked for. */
#define IPCP_NEG_ADDR	0x01
#define IPCP_NEG_DNS1	0x02
#define IPCP_NEG_DNS2	0x04
#define IPCP_NEG_NBNS1	0x08
#define IPCP_NEG_NBNS2	0x10

struct ipcp {
	struct fsm		 fsm;
	struct ipcp_config	 cfg;
	unsigned int		 neg;		/* IPCP_NEG_* still asked for */
	uint32_t		 addr;		/* ours, as asked or Naked */
	uint32_t		 dns[2];
	uint32_t		 nbns[2];
	uint32_t		 peer_addr;	/* from the peer's request */
	/*
	 * Client: the last address refused, as a sentence for last_error;
	 * "" once an address of the server's own is taken.
	 */
	char			 refused[IPCP_REFUSED_MAX];
	/*
	 * Client: the last verdict on each address the server named (ours,
	 * its own), so that a server or spoofer repeating a request does not
	 * make the host be asked again for each one.
	 */
	struct {
		uint32_t	 addr;
		int		 valid;
		int		 ok;
		char		 why[ADDR_WHY_MAX];
	}			 judged[2];
};

void	ipcp_init(struct ipcp *, const struct ipcp_config *, const char *tag,
	    const struct fsm_owner *, struct timer_base *);
void	ipcp_free(struct ipcp *);
/* Dotted quad of a host-order address into buf (at least 16 bytes). */
const char *ipcp_ntoa(uint32_t, char *buf, size_t len);

#endif /* PPTPC_IPCP_H */
