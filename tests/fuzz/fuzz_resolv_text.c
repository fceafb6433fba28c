/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Fuzzes the engine's parsers of resolv.conf and /etc/hosts text
 * (daemon/resolv_text.c): the whole input is both files.  What comes out
 * must be what evdns may be given: at most RESOLV_NS_MAX name servers,
 * each an address as inet_ntop() writes it; search names and host names
 * NUL-terminated, non-empty, without blanks or comment characters; and a
 * lookup of every host name answers its first entry.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "resolv_text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
word_ok(const char *w, size_t size, const char *bad)
{
	size_t len = strnlen(w, size);

	if (len == 0 || len >= size || strpbrk(w, bad) != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct resolv_text rc;
	struct hosts_table t;
	struct in6_addr a6;
	struct in_addr a;
	char err[128], ns[RESOLV_NS_TEXT];
	size_t i, j, n;
	int r;

	r = resolv_conf_parse((const char *)data, size, &rc, err,
	    sizeof(err));
	if ((r == -1) != (size > RESOLV_TEXT_MAX))
		abort();
	if (rc.nns < 0 || rc.nns > RESOLV_NS_MAX || rc.nsearch < 0 ||
	    rc.nsearch > RESOLV_SEARCH_MAX)
		abort();
	for (i = 0; i < (size_t)rc.nns; i++) {
		memcpy(ns, rc.ns[i], sizeof(ns));
		if (strnlen(ns, sizeof(ns)) == sizeof(ns))
			abort();
		if (ns[0] == '[') {
			n = strlen(ns);
			if (n < 5 || strcmp(ns + n - 4, "]:53") != 0)
				abort();
			ns[n - 4] = '\0';
			if (inet_pton(AF_INET6, ns + 1, &a6) != 1)
				abort();
		} else if (inet_pton(AF_INET, ns, &a) != 1)
			abort();
	}
	for (i = 0; i < (size_t)rc.nsearch; i++)
		word_ok(rc.search[i], sizeof(rc.search[i]), " \t\r\n#;");
	if (rc.timeout > 30 || rc.attempts > 5 || rc.ndots > 15 ||
	    rc.timeout == 0 || rc.attempts == 0)
		abort();

	r = hosts_parse((const char *)data, size, &t, err, sizeof(err));
	if (r == -1 && size <= RESOLV_TEXT_MAX)
		abort();	/* only out of memory, not here */
	for (i = 0; i < t.n && i < 256; i++) {
		word_ok(t.e[i].name, sizeof(t.e[i].name), " \t\r\n#");
		if (hosts_lookup(&t, t.e[i].name, &a) != 0)
			abort();
		for (j = 0; j < i; j++)
			if (strcasecmp(t.e[j].name, t.e[i].name) == 0)
				break;
		if (a.s_addr != t.e[j].addr.s_addr)
			abort();
	}
	hosts_free(&t);
	return 0;
}
