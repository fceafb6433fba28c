/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * resolv.conf and /etc/hosts parsed from text, for the sandboxed engine,
 * which cannot open either file: the parent reads them and sends their
 * text (doc/privsep.md), and resolve.c configures evdns from what these
 * parsers make of it.  libevent 2.1 parses both only from a path.
 *
 * The text is untrusted in the sense that every line is checked: a line
 * that does not parse is ignored, as the C library does, never read past.
 */
#ifndef PPTPC_RESOLV_TEXT_H
#define PPTPC_RESOLV_TEXT_H

#include <netinet/in.h>
#include <stddef.h>

#define RESOLV_TEXT_MAX		(64 * 1024)	/* per file */
#define RESOLV_LINE_MAX		1024	/* a longer line is ignored */
#define RESOLV_NS_MAX		3	/* glibc's MAXNS: more are ignored */
#define RESOLV_SEARCH_MAX	6	/* as glibc did: more are ignored */
#define RESOLV_NAME_MAX		253
#define RESOLV_NS_TEXT		(46 + 8)	/* "[v6]:53" */

/* What evdns is told.  -1 in an option: not given. */
struct resolv_text {
	char	ns[RESOLV_NS_MAX][RESOLV_NS_TEXT];	/* evdns's syntax */
	int	nns;
	char	search[RESOLV_SEARCH_MAX][RESOLV_NAME_MAX + 1];
	int	nsearch;
	int	timeout;	/* options timeout:N, capped at 30 */
	int	attempts;	/* attempts:N, capped at 5 */
	int	ndots;		/* ndots:N, capped at 15 */
};

/*
 * Parses resolv.conf's text: nameserver (IPv4 or IPv6, no port, no
 * scope), search and domain (the last one wins, as in glibc), options
 * timeout:, attempts:, ndots:.  Comments start with '#' or ';'; unknown
 * keywords and malformed lines are ignored.  No name server at all is
 * left as nns 0: the caller uses 127.0.0.1, as glibc and evdns do.
 * Returns 0, or -1 with err if the text is over RESOLV_TEXT_MAX.
 */
int	resolv_conf_parse(const char *text, size_t len, struct resolv_text *,
	    char *err, size_t errlen);

struct hosts_entry {
	struct in_addr	 addr;
	char		 name[RESOLV_NAME_MAX + 1];
};

/* /etc/hosts' IPv4 names, in file order. */
struct hosts_table {
	struct hosts_entry	*e;
	size_t			 n;
	size_t			 cap;
};

/*
 * Parses /etc/hosts' text: "address name [alias...]", '#' to the end of
 * a line a comment.  Lines whose address is not IPv4 (the resolver only
 * wants A answers) or does not parse are ignored, as is a line over
 * RESOLV_LINE_MAX or with a word over RESOLV_NAME_MAX (not cut short).
 * Returns 0, or -1 with err (over RESOLV_TEXT_MAX, out of memory); the
 * table is then empty.  hosts_free() it either way.
 */
int	hosts_parse(const char *text, size_t len, struct hosts_table *,
	    char *err, size_t errlen);
/* evdns's answer: the first entry for name, compared without case. */
int	hosts_lookup(const struct hosts_table *, const char *name,
	    struct in_addr *);
void	hosts_free(struct hosts_table *);

#endif /* PPTPC_RESOLV_TEXT_H */
