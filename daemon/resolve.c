/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Name resolution over evdns (resolve.h).
 *
 * Answers always reach the caller from an event of their own, whether
 * evdns answered at once (an /etc/hosts entry) or later, so a tunnel never
 * sees its callback run inside its own call to resolve_start().
 *
 * evdns is never asked to cancel a lookup.  In libevent 2.1.12,
 * evdns_getaddrinfo_cancel() on a lookup that evdns is about to give up
 * on itself (every name server down, its last try timing out) leaks the
 * request, 648 bytes each time: a gateway redialling a name it cannot
 * resolve would grow for as long as it runs.  So evdns is told how long
 * to try, and always ends a lookup itself, well before our backstop; a
 * lookup nobody wants any more (the tunnel stopped, or the backstop
 * answered for it) is detached: evdns runs it to its end, then the answer
 * is dropped and the request freed.
 *
 * A gateway's resolv.conf changes under it (DHCP on the WAN, a new
 * uplink), and evdns reads it only when told to.  So every lookup first
 * compares the files' identity (device, inode, size, mtime) with what the
 * current evdns base was made from; when they differ, or after
 * resolver_reload(), a new base is made from the files as they are now.
 * The old one is retired rather than freed: lookups still running in it
 * end there (see above), and it is freed once none is left.  A fresh base
 * rather than evdns_base_resolv_conf_parse() again on the old one, since
 * that would add the hosts files' entries after those it has, and the
 * old entries would win.
 *
 * In pptpcd's sandboxed engine no file can be opened or even stat'ed.
 * There resolver_set_fetch() gives the resolver a way to ask for the
 * files' text (the parent reads them), and the new base is configured
 * from that text with resolv_text.c's parsers: same change detection
 * (the parent compares the identity), same fresh base on a change.  The
 * hosts text becomes a table that is searched before evdns is asked,
 * since evdns can load hosts only from a path.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <errno.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "resolv_text.h"
#include "resolve.h"

#define HOST_MAX	254
#define RESOLV_CONF	RESOLVE_RESOLV_CONF
#define HOSTS_FILE	RESOLVE_HOSTS	/* evdns reads it with resolv.conf */

#if RESOLVE_BACKSTOP_S <= RESOLVE_TRY_S * RESOLVE_TRIES
#error "the backstop must leave evdns time to give up by itself"
#endif

/* What a file was when an evdns base read it. */
struct file_id {
	int			 err;		/* stat()'s errno, 0: found */
	dev_t			 dev;
	ino_t			 ino;
	off_t			 size;
	struct timespec		 mtime;
};

#define RESOLVE_FILES	3	/* resolv.conf, /etc/hosts, our hosts */

/* One evdns base, current or retired. */
struct dns {
	TAILQ_ENTRY(dns)	 entry;
	struct evdns_base	*base;
	unsigned int		 running;	/* lookups evdns still runs */
	struct file_id		 files[RESOLVE_FILES];
	/* Made from text (resolver_set_fetch()): */
	struct resolve_file_id	 tid[RESOLVE_TEXT_FILES];
	struct hosts_table	 hosts;
};
TAILQ_HEAD(dns_list, dns);

struct resolver {
	struct event_base	*evbase;
	struct dns		*cur;		/* made on first use */
	struct dns_list		 retired;	/* freed when not running */
	int			 stale;		/* resolver_reload() called */
	unsigned int		 running;	/* lookups evdns still runs */
	unsigned int		 try_s, tries, backstop_s;
	resolve_fetch_fn	 fetch;		/* NULL: read the files */
	void			*fetch_arg;
	char			 resolv_conf[PATH_MAX];
	char			 hosts[PATH_MAX];	/* "" for none */
};

struct resolve_req {
	struct resolver		*res;
	struct dns		*dns;		/* where it runs */
	struct event		*ev;		/* the answer, or the backstop */
	void			(*cb)(void *, const struct in_addr *,
				    const char *);
	void			*arg;
	int			 in_evdns;	/* answered() is yet to come */
	int			 detached;	/* nobody waits for the answer */
	int			 ok;
	struct in_addr		 addr;
	char			 host[HOST_MAX + 1];
	char			 error[400];
};

struct resolver *
resolver_new_params(struct event_base *evbase,
    const struct resolver_params *p)
{
	struct resolver *res;
	const char *conf = p->resolv_conf != NULL ? p->resolv_conf :
	    RESOLV_CONF;

	if (strlen(conf) >= sizeof(res->resolv_conf) || (p->hosts != NULL &&
	    strlen(p->hosts) >= sizeof(res->hosts))) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if ((res = calloc(1, sizeof(*res))) == NULL)
		return NULL;
	res->evbase = evbase;
	TAILQ_INIT(&res->retired);
	res->try_s = p->try_s != 0 ? p->try_s : RESOLVE_TRY_S;
	res->tries = p->tries != 0 ? p->tries : RESOLVE_TRIES;
	res->backstop_s = p->backstop_s != 0 ? p->backstop_s :
	    RESOLVE_BACKSTOP_S;
	snprintf(res->resolv_conf, sizeof(res->resolv_conf), "%s", conf);
	if (p->hosts != NULL)
		snprintf(res->hosts, sizeof(res->hosts), "%s", p->hosts);
	return res;
}

struct resolver *
resolver_new(struct event_base *evbase)
{
	struct resolver_params p;

	memset(&p, 0, sizeof(p));
	return resolver_new_params(evbase, &p);
}

static void
dns_free(struct dns *d, int fail_requests)
{
	if (d->base != NULL)
		evdns_base_free(d->base, fail_requests);
	hosts_free(&d->hosts);
	free(d);
}

void
resolver_free(struct resolver *res)
{
	struct dns *d;
	int i, any = 0;

	if (res == NULL)
		return;
	/*
	 * Detached lookups are failed here, but their memory goes only
	 * when evdns's deferred callbacks run, in answered(); the struct
	 * dns they point at must outlive that, so it goes after the loop.
	 */
	if (res->cur != NULL) {
		TAILQ_INSERT_TAIL(&res->retired, res->cur, entry);
		res->cur = NULL;
	}
	TAILQ_FOREACH(d, &res->retired, entry) {
		evdns_base_free(d->base, 1);
		d->base = NULL;
		any = 1;
	}
	for (i = 0; any && i < 3 && res->running > 0; i++)
		event_base_loop(res->evbase, EVLOOP_NONBLOCK);
	if (res->running > 0)
		log_debug("resolver: %u lookup(s) not released", res->running);
	else
		while ((d = TAILQ_FIRST(&res->retired)) != NULL) {
			TAILQ_REMOVE(&res->retired, d, entry);
			dns_free(d, 0);
		}
	free(res);
}

void
resolver_reload(struct resolver *res)
{
	res->stale = 1;
}

void
resolver_set_fetch(struct resolver *res, resolve_fetch_fn fetch, void *arg)
{
	res->fetch = fetch;
	res->fetch_arg = arg;
	res->stale = 1;
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
	if (rq->in_evdns) {
		/* The backstop: answer now, let evdns finish on its own. */
		snprintf(error, sizeof(error), "cannot resolve %s: no answer "
		    "within %u s", rq->host, rq->res->backstop_s);
		rq->detached = 1;
		rq->cb(rq->arg, NULL, error);
		return;
	}
	rq->cb(rq->arg, rq->ok ? &rq->addr : NULL, rq->ok ? NULL : rq->error);
	req_free(rq);
}

static void
answered(int result, struct evutil_addrinfo *ai, void *arg)
{
	struct resolve_req *rq = arg;
	struct evutil_addrinfo *p;
	struct timeval now = { 0, 0 };

	rq->in_evdns = 0;
	rq->res->running--;
	rq->dns->running--;
	if (rq->detached) {
		if (ai != NULL)
			evutil_freeaddrinfo(ai);
		req_free(rq);
		return;
	}
	if (result == EVUTIL_EAI_FAIL)
		/* What evdns says for timeouts: "non-recoverable" misleads. */
		snprintf(rq->error, sizeof(rq->error), "cannot resolve %s: "
		    "no answer from the name servers in %.64s", rq->host,
		    rq->res->resolv_conf);
	else if (result != 0)
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
	/* Replaces the backstop: the answer goes out from the loop. */
	event_add(rq->ev, &now);
}

static void
file_id_get(const char *path, struct file_id *id)
{
	struct stat st;

	memset(id, 0, sizeof(*id));
	if (path[0] == '\0')
		return;
	if (stat(path, &st) == -1) {
		id->err = errno;
		return;
	}
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	id->size = st.st_size;
	id->mtime = st.st_mtim;
}

static int
file_id_equal(const struct file_id *a, const struct file_id *b)
{
	return a->err == b->err && a->dev == b->dev && a->ino == b->ino &&
	    a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static void
files_get(const struct resolver *res, struct file_id files[RESOLVE_FILES])
{
	file_id_get(res->resolv_conf, &files[0]);
	file_id_get(HOSTS_FILE, &files[1]);
	file_id_get(res->hosts, &files[2]);
}

/* Frees the retired bases that no lookup runs in any more. */
static void
dns_reap(struct resolver *res)
{
	struct dns *d, *next;

	for (d = TAILQ_FIRST(&res->retired); d != NULL; d = next) {
		next = TAILQ_NEXT(d, entry);
		if (d->running == 0) {
			TAILQ_REMOVE(&res->retired, d, entry);
			dns_free(d, 0);
		}
	}
}

/* Our timing over resolv.conf's (see the top). */
static int
set_timing(struct resolver *res, struct evdns_base *base)
{
	char v[16];

	snprintf(v, sizeof(v), "%u", res->try_s);
	if (evdns_base_set_option(base, "timeout:", v) != 0)
		return -1;
	snprintf(v, sizeof(v), "%u", res->tries);
	return evdns_base_set_option(base, "attempts:", v);
}

/* A new evdns base from resolv.conf and hosts as they are, our timing. */
static struct dns *
dns_open(struct resolver *res, const struct file_id files[RESOLVE_FILES],
    const char *host, char *err, size_t errlen)
{
	struct dns *d;
	int r;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		goto fail;
	memcpy(d->files, files, sizeof(d->files));
	if ((d->base = evdns_base_new(res->evbase,
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE)) == NULL)
		goto fail;
	/*
	 * As EVDNS_BASE_INITIALIZE_NAMESERVERS does: no file means the
	 * defaults (a name server on localhost), as in the C library.
	 */
	r = evdns_base_resolv_conf_parse(d->base, DNS_OPTIONS_ALL,
	    res->resolv_conf);
	if (r != 0 && r != 1 && r != 6)
		goto fail;
	if (res->hosts[0] != '\0' &&
	    evdns_base_load_hosts(d->base, res->hosts) != 0)
		goto fail;
	/* After the file: these bound every lookup (see the top). */
	if (set_timing(res, d->base) == -1)
		goto fail;
	return d;
fail:
	snprintf(err, errlen, "cannot resolve %s: the DNS resolver could not "
	    "start (see %.64s)", host, res->resolv_conf);
	if (d != NULL)
		dns_free(d, 0);
	return NULL;
}

/*
 * A new evdns base from the files' text, as dns_open() from the files.
 * resolv.conf's timeout and attempts are parsed but overridden, as
 * there; no name server means 127.0.0.1, as glibc and evdns do.
 */
static struct dns *
dns_open_text(struct resolver *res, const struct resolve_text *t,
    const char *host, char *err, size_t errlen)
{
	struct resolv_text rc;
	struct dns *d;
	char v[16], why[160];
	int i;

	if (resolv_conf_parse(t->text[0], t->len[0], &rc, why,
	    sizeof(why)) == -1)
		goto bad;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		goto nomem;
	memcpy(d->tid, t->id, sizeof(d->tid));
	if (hosts_parse(t->text[1], t->len[1], &d->hosts, why,
	    sizeof(why)) == -1) {
		dns_free(d, 0);
		goto bad;
	}
	if ((d->base = evdns_base_new(res->evbase,
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE)) == NULL)
		goto fail;
	if (rc.nns == 0)
		snprintf(rc.ns[rc.nns++], sizeof(rc.ns[0]), "127.0.0.1");
	for (i = 0; i < rc.nns; i++)
		if (evdns_base_nameserver_ip_add(d->base, rc.ns[i]) != 0)
			log_warnx("resolver: name server %s refused", rc.ns[i]);
	for (i = 0; i < rc.nsearch; i++)
		evdns_base_search_add(d->base, rc.search[i]);
	if (rc.ndots != -1) {
		snprintf(v, sizeof(v), "%d", rc.ndots);
		if (evdns_base_set_option(d->base, "ndots:", v) != 0)
			goto fail;
	}
	if (set_timing(res, d->base) == -1)
		goto fail;
	return d;
fail:
	dns_free(d, 0);
nomem:
	snprintf(err, errlen, "cannot resolve %s: the DNS resolver could not "
	    "start", host);
	return NULL;
bad:
	snprintf(err, errlen, "cannot resolve %s: %s", host, why);
	return NULL;
}

/* Makes d the current base; the old one runs its lookups to their end. */
static void
dns_switch(struct resolver *res, struct dns *d)
{
	if (res->cur != NULL) {
		log_debug("resolver: reading %s again", res->resolv_conf);
		if (res->cur->running == 0)
			dns_free(res->cur, 0);
		else
			TAILQ_INSERT_TAIL(&res->retired, res->cur, entry);
	}
	res->cur = d;
	res->stale = 0;
}

/* dns_get() for a resolver that is handed the files' text. */
static struct dns *
dns_get_text(struct resolver *res, const char *host, char *err,
    size_t errlen)
{
	struct resolve_text t;
	struct dns *d;
	char why[300];
	int r;

	r = res->fetch(res->fetch_arg, res->cur != NULL && !res->stale ?
	    res->cur->tid : NULL, &t, why, sizeof(why));
	if (r == 0 && res->cur != NULL)
		return res->cur;
	if (r == 1) {
		d = dns_open_text(res, &t, host, err, errlen);
		resolve_text_free(&t);
	} else {
		if (r == 0)	/* "unchanged" when we have nothing */
			snprintf(why, sizeof(why), "no resolver files");
		snprintf(err, errlen, "cannot resolve %s: %s", host, why);
		d = NULL;
	}
	if (d == NULL) {
		if (res->cur == NULL)
			return NULL;
		/* The old base is better than none; try again next time. */
		log_warnx("%s", err);
		res->stale = 1;
		return res->cur;
	}
	dns_switch(res, d);
	return d;
}

/*
 * The base to look up in: the current one, unless the files changed
 * since it read them or a reload asked for a fresh look.
 */
static struct dns *
dns_get(struct resolver *res, const char *host, char *err, size_t errlen)
{
	struct file_id files[RESOLVE_FILES];
	struct dns *d;
	int i;

	dns_reap(res);
	if (res->fetch != NULL)
		return dns_get_text(res, host, err, errlen);
	files_get(res, files);
	if (res->cur != NULL && !res->stale) {
		for (i = 0; i < RESOLVE_FILES; i++)
			if (!file_id_equal(&res->cur->files[i], &files[i]))
				break;
		if (i == RESOLVE_FILES)
			return res->cur;
	}
	if ((d = dns_open(res, files, host, err, errlen)) == NULL) {
		if (res->cur == NULL)
			return NULL;
		/* The old base is better than none; try again next time. */
		log_warnx("%s", err);
		res->stale = 1;
		return res->cur;
	}
	dns_switch(res, d);
	return d;
}

struct resolve_req *
resolve_start(struct resolver *res, const char *host,
    void (*cb)(void *, const struct in_addr *, const char *), void *arg,
    char *err, size_t errlen)
{
	struct evutil_addrinfo hints;
	struct resolve_req *rq;
	struct dns *d;
	struct timeval tv = { 0, 0 };

	if (strlen(host) > HOST_MAX) {
		snprintf(err, errlen, "cannot resolve %.32s...: name too long",
		    host);
		return NULL;
	}
	if ((d = dns_get(res, host, err, errlen)) == NULL)
		return NULL;
	if ((rq = calloc(1, sizeof(*rq))) == NULL ||
	    (rq->ev = evtimer_new(res->evbase, deliver, rq)) == NULL) {
		free(rq);
		snprintf(err, errlen, "cannot resolve %s: out of memory",
		    host);
		return NULL;
	}
	rq->res = res;
	rq->dns = d;
	snprintf(rq->host, sizeof(rq->host), "%s", host);
	rq->cb = cb;
	rq->arg = arg;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	/* The hosts text, as evdns answers from its hosts file. */
	if (hosts_lookup(&d->hosts, host, &rq->addr) == 0) {
		rq->ok = 1;
		event_add(rq->ev, &tv);
		return rq;
	}
	tv.tv_sec = res->backstop_s;
	event_add(rq->ev, &tv);
	rq->in_evdns = 1;
	res->running++;
	d->running++;
	/*
	 * evdns calls answered() exactly once, maybe before this returns
	 * (the hosts file); the request handle it returns is of no use to
	 * us, since we never cancel.
	 */
	(void)evdns_getaddrinfo(d->base, host, NULL, &hints, answered, rq);
	return rq;
}

void
resolve_cancel(struct resolve_req *rq)
{
	if (rq == NULL)
		return;
	if (rq->in_evdns) {
		/* answered() comes when evdns is done, and frees it. */
		event_del(rq->ev);
		rq->detached = 1;
		return;
	}
	req_free(rq);
}
