/*
 * Name resolution over evdns (resolve.h).
 *
 * Answers always reach the caller from an event of their own, whether
 * evdns answered at once (an /etc/hosts entry) or later, so a tunnel never
 * sees its callback run inside its own call to resolve_start().  evdns
 * reports a cancellation through the callback too, later: a cancelled
 * request lives on, silenced, until then.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "resolve.h"

#define HOST_MAX	254
/*
 * evdns holds a request while every nameserver is marked down, which can
 * be forever; a tunnel would sit in "connecting" without a word.
 */
#define RESOLVE_TIMEOUT_S	15

struct resolver {
	struct event_base	*evbase;
	struct evdns_base	*dns;		/* made on first use */
};

struct resolve_req {
	struct evdns_getaddrinfo_request *req;	/* evdns still working */
	struct event		*ev;		/* the answer, or the timeout */
	void			(*cb)(void *, const struct in_addr *,
				    const char *);
	void			*arg;
	int			 cancelled;
	int			 ok;
	struct in_addr		 addr;
	char			 host[HOST_MAX + 1];
	char			 error[320];
};

struct resolver *
resolver_new(struct event_base *evbase)
{
	struct resolver *res;

	if ((res = calloc(1, sizeof(*res))) == NULL)
		return NULL;
	res->evbase = evbase;
	return res;
}

void
resolver_free(struct resolver *res)
{
	if (res == NULL)
		return;
	if (res->dns != NULL)
		evdns_base_free(res->dns, 1);
	free(res);
}

static void
req_free(struct resolve_req *rq)
{
	if (rq->ev != NULL)
		event_free(rq->ev);
	free(rq);
}

static void
deliver(evutil_socket_t fd, short what, void *arg)
{
	struct resolve_req *rq = arg;
	char error[sizeof(rq->error)];

	(void)fd;
	(void)what;
	if (rq->req != NULL) {
		/* No answer in time: say so, and let evdns drop it later. */
		snprintf(error, sizeof(error), "cannot resolve %s: no answer "
		    "within %d s", rq->host, RESOLVE_TIMEOUT_S);
		rq->cb(rq->arg, NULL, error);
		rq->cancelled = 1;
		evdns_getaddrinfo_cancel(rq->req);	/* may free rq */
		return;
	}
	if (!rq->cancelled)
		rq->cb(rq->arg, rq->ok ? &rq->addr : NULL,
		    rq->ok ? NULL : rq->error);
	req_free(rq);
}

static void
answered(int result, struct evutil_addrinfo *ai, void *arg)
{
	struct resolve_req *rq = arg;
	struct evutil_addrinfo *p;
	struct timeval now = { 0, 0 };

	rq->req = NULL;
	if (rq->cancelled) {
		if (ai != NULL)
			evutil_freeaddrinfo(ai);
		req_free(rq);
		return;
	}
	if (result != 0)
		snprintf(rq->error, sizeof(rq->error), "cannot resolve %s: %s",
		    rq->host, evutil_gai_strerror(result));
	else {
		for (p = ai; p != NULL; p = p->ai_next) {
			if (p->ai_family == AF_INET &&
			    p->ai_addrlen >= sizeof(struct sockaddr_in)) {
				memcpy(&rq->addr, &((struct sockaddr_in *)
				    (void *)p->ai_addr)->sin_addr,
				    sizeof(rq->addr));
				rq->ok = 1;
				break;
			}
		}
		if (!rq->ok)
			snprintf(rq->error, sizeof(rq->error), "cannot "
			    "resolve %s: no IPv4 address", rq->host);
	}
	if (ai != NULL)
		evutil_freeaddrinfo(ai);
	/* Replaces the timeout: the answer goes out from the loop. */
	event_add(rq->ev, &now);
}

struct resolve_req *
resolve_start(struct resolver *res, const char *host,
    void (*cb)(void *, const struct in_addr *, const char *), void *arg,
    char *err, size_t errlen)
{
	struct evutil_addrinfo hints;
	struct resolve_req *rq;
	struct timeval tv = { RESOLVE_TIMEOUT_S, 0 };

	if (strlen(host) > HOST_MAX) {
		snprintf(err, errlen, "cannot resolve %.32s...: name too long",
		    host);
		return NULL;
	}
	if (res->dns == NULL) {
		/* Reads resolv.conf and the hosts file now, not at start. */
		res->dns = evdns_base_new(res->evbase,
		    EVDNS_BASE_INITIALIZE_NAMESERVERS |
		    EVDNS_BASE_DISABLE_WHEN_INACTIVE);
		if (res->dns == NULL) {
			snprintf(err, errlen, "cannot resolve %s: the DNS "
			    "resolver could not start (see /etc/resolv.conf)",
			    host);
			return NULL;
		}
	}
	if ((rq = calloc(1, sizeof(*rq))) == NULL ||
	    (rq->ev = evtimer_new(res->evbase, deliver, rq)) == NULL) {
		free(rq);
		snprintf(err, errlen, "cannot resolve %s: out of memory",
		    host);
		return NULL;
	}
	snprintf(rq->host, sizeof(rq->host), "%s", host);
	rq->cb = cb;
	rq->arg = arg;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	event_add(rq->ev, &tv);
	/* NULL when answered() has run already; rq is then in its event. */
	rq->req = evdns_getaddrinfo(res->dns, host, NULL, &hints, answered,
	    rq);
	return rq;
}

void
resolve_cancel(struct resolve_req *rq)
{
	if (rq == NULL)
		return;
	if (rq->req != NULL) {
		/* answered() comes later with EVUTIL_EAI_CANCEL and frees. */
		event_del(rq->ev);
		rq->cancelled = 1;
		evdns_getaddrinfo_cancel(rq->req);
		return;
	}
	req_free(rq);
}
