/*
 * Asynchronous IPv4 name resolution for the tunnels' server names, over
 * libevent's evdns, so that a slow or dead DNS server never stalls the
 * other tunnels.  The resolver reads /etc/resolv.conf and /etc/hosts the
 * first time a name (not an address) has to be looked up, so that a daemon
 * whose servers are all addresses never depends on them.
 */
#ifndef PPTPC_RESOLVE_H
#define PPTPC_RESOLVE_H

#include <netinet/in.h>
#include <stddef.h>

struct event_base;
struct resolver;
struct resolve_req;

struct resolver	*resolver_new(struct event_base *);
/* Pending requests must have been cancelled. */
void		 resolver_free(struct resolver *);
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
/* Forgets a request; its callback will not be called. */
void		 resolve_cancel(struct resolve_req *);

#endif /* PPTPC_RESOLVE_H */
