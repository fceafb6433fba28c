/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Asynchronous IPv4 name resolution for the tunnels' server names, over
 * libevent's evdns, so that a slow or dead DNS server never stalls the
 * other tunnels.  The resolver reads /etc/resolv.conf and /etc/hosts the
 * first time a name (not an address) has to be looked up, so that a daemon
 * whose servers are all addresses never depends on them, and reads them
 * again for a lookup when they have changed since (a new uplink, a DHCP
 * lease) or after resolver_reload().
 *
 * A lookup ends within RESOLVE_TRY_S * RESOLVE_TRIES seconds, when evdns
 * gives up on it; RESOLVE_BACKSTOP_S is only a backstop for what evdns
 * might do beyond that (a long search list).  resolv.conf's own "timeout:"
 * and "attempts:" options are overridden to keep that promise.
 */
#ifndef PPTPC_RESOLVE_H
#define PPTPC_RESOLVE_H

#include <netinet/in.h>
#include <stddef.h>

struct event_base;
struct resolver;
struct resolve_req;

#define RESOLVE_TRY_S		3	/* per query sent */
#define RESOLVE_TRIES		3	/* each to the next name server */
#define RESOLVE_BACKSTOP_S	30

/* Where and how to look; resolver_new() takes the defaults. */
struct resolver_params {
	const char	*resolv_conf;	/* NULL: /etc/resolv.conf */
	const char	*hosts;		/* read after /etc/hosts, or NULL */
	unsigned int	 try_s;		/* 0: RESOLVE_TRY_S */
	unsigned int	 tries;		/* 0: RESOLVE_TRIES */
	unsigned int	 backstop_s;	/* 0: RESOLVE_BACKSTOP_S */
};

struct resolver	*resolver_new(struct event_base *);
/* NULL with errno (ENOMEM, ENAMETOOLONG for a path). */
struct resolver	*resolver_new_params(struct event_base *,
		    const struct resolver_params *);
/*
 * Pending requests must have been cancelled.  Lookups that evdns still
 * runs for them are failed; libevent releases their memory only from
 * callbacks it defers to the event loop, so if there are any, this runs
 * the loop once without blocking: call it at exit, after everything else
 * whose events could fire has been stopped.
 */
void		 resolver_free(struct resolver *);
/*
 * The next lookup reads resolv.conf and the hosts files again, even if
 * they look unchanged (pptpcd's reload).
 */
void		 resolver_reload(struct resolver *);
/*
 * Starts looking up host.  NULL with a message in err if it cannot start
 * (no memory, no usable resolv.conf).  Otherwise cb is called exactly
 * once, from the event loop and never from inside resolve_start(), unless
 * resolve_cancel() comes first: with the address, or with NULL and a
 * message for people ("cannot resolve vpn.example.com: ...").
 */
struct resolve_req *resolve_start(struct resolver *, const char *host,
		    void (*cb)(void *arg, const struct in_addr *addr,
		    const char *error), void *arg, char *err, size_t errlen);
/*
 * Forgets a request; its callback will not be called.  A lookup still
 * under way runs to its end and its answer is dropped.
 */
void		 resolve_cancel(struct resolve_req *);

#endif /* PPTPC_RESOLVE_H */
