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
#include <stdint.h>

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

/* The files a resolver reads; the one place that names them. */
#define RESOLVE_RESOLV_CONF	"/etc/resolv.conf"
#define RESOLVE_HOSTS		"/etc/hosts"
#define RESOLVE_TEXT_FILES	2	/* resolv.conf, /etc/hosts */

/*
 * A file's identity as stat(2) saw it, in fixed-width fields so that it
 * crosses between pptpcd's processes as is.  err: stat's errno, 0 found.
 */
struct resolve_file_id {
	int32_t		 err;
	uint32_t	 pad;
	uint64_t	 dev;
	uint64_t	 ino;
	uint64_t	 size;
	int64_t		 mtime_sec;
	int64_t		 mtime_nsec;
};

/* The files' text, each NULL (len 0) if missing; resolve_text_free(). */
struct resolve_text {
	struct resolve_file_id	 id[RESOLVE_TEXT_FILES];
	char			*text[RESOLVE_TEXT_FILES];
	size_t			 len[RESOLVE_TEXT_FILES];
};

/*
 * Where a sandboxed resolver gets the files' text, which it may not
 * open: have is the identity of what it has (NULL: nothing yet, or a
 * reload).  Returns 1 with the text in *out, 0 if the files are still
 * have, -1 with err (the resolver keeps what it has).
 */
typedef int (*resolve_fetch_fn)(void *arg,
    const struct resolve_file_id *have, struct resolve_text *out,
    char *err, size_t errlen);

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
 * From now on the resolver never opens a file: every lookup asks fetch
 * for the files' text (pptpcd's engine: the parent, through priv.h), and
 * evdns is configured from it (resolv_text.h); names in the hosts text
 * are answered before evdns is asked.  resolver_params' hosts file is
 * not read in this mode.
 */
void		 resolver_set_fetch(struct resolver *, resolve_fetch_fn,
		    void *arg);
/*
 * Reads the files at paths (RESOLVE_TEXT_FILES of them) if their
 * identity differs from have (NULL: always), as a fetch does.  A missing
 * or unreadable file is empty text; one over RESOLV_TEXT_MAX is an error.
 */
int		 resolve_text_read(const char *const paths[RESOLVE_TEXT_FILES],
		    const struct resolve_file_id *have,
		    struct resolve_text *out, char *err, size_t errlen);
void		 resolve_text_free(struct resolve_text *);
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
