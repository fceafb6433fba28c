/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * IPv6CP (RFC 5072): the Interface-Identifier option only.  Each end
 * picks a random non-zero 64-bit identifier; the link-local addresses
 * are fe80::ID.  IPv6-Compression-Protocol and unknown options are
 * Rejected.  Identifiers are kept in host byte order; 0 means none.
 */
#ifndef PPTPC_IPV6CP_H
#define PPTPC_IPV6CP_H

#include <stddef.h>
#include <stdint.h>

#include "fsm.h"

#define IPV6CP_IFID		1
#define IPV6CP_COMP		2
#define IPV6CP_IFID_LEN		8

struct ipv6cp_config {
	/*
	 * Our first identifier; 0 for a random one.  Tests fix it to make
	 * the two ends collide; the daemon leaves it 0.
	 */
	uint64_t	 ifid;
};

struct ipv6cp {
	struct fsm		 fsm;
	struct ipv6cp_config	 cfg;
	int			 neg_ifid;	/* still asking for ours */
	uint64_t		 ifid;		/* ours */
	uint64_t		 peer_ifid;	/* acked from the peer */
};

void	ipv6cp_init(struct ipv6cp *, const struct ipv6cp_config *,
	    const char *tag, const struct fsm_owner *, struct timer_base *);
void	ipv6cp_free(struct ipv6cp *);
/* A random non-zero identifier that differs from avoid. */
uint64_t ipv6cp_new_ifid(uint64_t avoid);
/* fe80::ID in text into buf (at least 46 bytes); "" for ID 0. */
const char *ipv6cp_ll_text(uint64_t ifid, char *buf, size_t len);
/* fe80::ID as 16 bytes in network order. */
void	ipv6cp_ll_addr(uint64_t ifid, uint8_t addr[16]);

#endif /* PPTPC_IPV6CP_H */
