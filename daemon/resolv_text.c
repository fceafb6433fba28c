/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * resolv.conf and /etc/hosts from their text (resolv_text.h).  Each line
 * is cut into words that are copied into bounded buffers first; a word
 * too long for its buffer makes the line not parse, and it is ignored.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "resolv_text.h"

#define WORDS_MAX	(RESOLV_SEARCH_MAX + 2)

struct line {
	const char	*p;
	size_t		 len;
};

/* The next line of text from *off, without its newline: 0, or -1 at end. */
static int
next_line(const char *text, size_t len, size_t *off, struct line *l)
{
	const char *nl;

	if (*off >= len)
		return -1;
	l->p = text + *off;
	if ((nl = memchr(l->p, '\n', len - *off)) != NULL) {
		l->len = (size_t)(nl - l->p);
		*off += l->len + 1;
	} else {
		l->len = len - *off;
		*off = len;
	}
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* strchr() would find a NUL byte "in" any set. */
static int
is_comment(const char *set, char c)
{
	return c != '\0' && strchr(set, c) != NULL;
}

/*
 * The line's words up to a comment character, each NUL-terminated in
 * words[i] of wsize bytes.  Returns how many (at most max; the rest are
 * dropped), or -1 if a word is too long or holds a NUL.
 */
static int
split(const struct line *l, const char *comment, char words[][RESOLV_NAME_MAX
    + 1], int max)
{
	size_t i = 0, start;
	int n = 0;

	for (;;) {
		while (i < l->len && is_space(l->p[i]))
			i++;
		if (i >= l->len || is_comment(comment, l->p[i]))
			return n;
		start = i;
		while (i < l->len && !is_space(l->p[i]) &&
		    !is_comment(comment, l->p[i])) {
			if (l->p[i] == '\0')
				return -1;
			i++;
		}
		if (i - start > RESOLV_NAME_MAX)
			return -1;
		if (n < max) {
			memcpy(words[n], l->p + start, i - start);
			words[n][i - start] = '\0';
			n++;
		}
	}
}

/* A decimal 0..cap (larger values are capped), or -1. */
static int
number(const char *s, int cap)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v <= cap)
			v = v * 10 + (*s - '0');
	}
	return v > cap ? cap : (int)v;
}

static void
nameserver(struct resolv_text *rc, const char *w)
{
	struct in_addr a4;
	struct in6_addr a6;
	char t[INET6_ADDRSTRLEN];

	/* Written again from the address: evdns gets what we checked. */
	if (rc->nns >= RESOLV_NS_MAX)
		return;
	if (inet_pton(AF_INET, w, &a4) == 1 &&
	    inet_ntop(AF_INET, &a4, t, sizeof(t)) != NULL)
		snprintf(rc->ns[rc->nns++], sizeof(rc->ns[0]), "%s", t);
	else if (inet_pton(AF_INET6, w, &a6) == 1 &&
	    inet_ntop(AF_INET6, &a6, t, sizeof(t)) != NULL)
		snprintf(rc->ns[rc->nns++], sizeof(rc->ns[0]), "[%s]:53", t);
}

static void
option(struct resolv_text *rc, const char *w)
{
	int v;

	if (strncmp(w, "timeout:", 8) == 0 && (v = number(w + 8, 30)) != -1)
		rc->timeout = v > 0 ? v : 1;
	else if (strncmp(w, "attempts:", 9) == 0 &&
	    (v = number(w + 9, 5)) != -1)
		rc->attempts = v > 0 ? v : 1;
	else if (strncmp(w, "ndots:", 6) == 0 && (v = number(w + 6, 15)) != -1)
		rc->ndots = v;
}

int
resolv_conf_parse(const char *text, size_t len, struct resolv_text *rc,
    char *err, size_t errlen)
{
	char w[WORDS_MAX][RESOLV_NAME_MAX + 1];
	struct line l;
	size_t off = 0;
	int i, n;

	memset(rc, 0, sizeof(*rc));
	rc->timeout = rc->attempts = rc->ndots = -1;
	if (len > RESOLV_TEXT_MAX) {
		snprintf(err, errlen, "resolv.conf is over %d bytes",
		    RESOLV_TEXT_MAX);
		return -1;
	}
	while (next_line(text, len, &off, &l) == 0) {
		if (l.len > RESOLV_LINE_MAX)
			continue;
		if ((n = split(&l, "#;", w, WORDS_MAX)) < 2)
			continue;
		if (strcmp(w[0], "nameserver") == 0)
			nameserver(rc, w[1]);
		else if (strcmp(w[0], "domain") == 0) {
			snprintf(rc->search[0], sizeof(rc->search[0]), "%s",
			    w[1]);
			rc->nsearch = 1;
		} else if (strcmp(w[0], "search") == 0) {
			rc->nsearch = 0;
			for (i = 1; i < n && rc->nsearch < RESOLV_SEARCH_MAX;
			    i++)
				snprintf(rc->search[rc->nsearch++],
				    sizeof(rc->search[0]), "%s", w[i]);
		} else if (strcmp(w[0], "options") == 0)
			for (i = 1; i < n; i++)
				option(rc, w[i]);
	}
	return 0;
}

static int
hosts_add(struct hosts_table *t, struct in_addr a, const char *name)
{
	struct hosts_entry *e;
	size_t cap;

	if (t->n == t->cap) {
		cap = t->cap != 0 ? t->cap * 2 : 16;
		if ((e = reallocarray(t->e, cap, sizeof(*e))) == NULL)
			return -1;
		t->e = e;
		t->cap = cap;
	}
	t->e[t->n].addr = a;
	snprintf(t->e[t->n].name, sizeof(t->e[0].name), "%s", name);
	t->n++;
	return 0;
}

int
hosts_parse(const char *text, size_t len, struct hosts_table *t, char *err,
    size_t errlen)
{
	/* As many names as a line of RESOLV_LINE_MAX can hold. */
	static const int max = RESOLV_LINE_MAX / 2 + 1;
	char (*w)[RESOLV_NAME_MAX + 1];
	struct in_addr a;
	struct line l;
	size_t off = 0;
	int i, n;

	memset(t, 0, sizeof(*t));
	if (len > RESOLV_TEXT_MAX) {
		snprintf(err, errlen, "the hosts file is over %d bytes",
		    RESOLV_TEXT_MAX);
		return -1;
	}
	if ((w = calloc((size_t)max, sizeof(*w))) == NULL)
		goto nomem;
	while (next_line(text, len, &off, &l) == 0) {
		if (l.len > RESOLV_LINE_MAX)
			continue;
		if ((n = split(&l, "#", w, max)) < 2 ||
		    inet_pton(AF_INET, w[0], &a) != 1)
			continue;
		for (i = 1; i < n; i++)
			if (hosts_add(t, a, w[i]) == -1)
				goto nomem;
	}
	free(w);
	return 0;
nomem:
	free(w);
	hosts_free(t);
	snprintf(err, errlen, "the hosts file: %s", strerror(ENOMEM));
	return -1;
}

int
hosts_lookup(const struct hosts_table *t, const char *name,
    struct in_addr *a)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcasecmp(t->e[i].name, name) == 0) {
			*a = t->e[i].addr;
			return 0;
		}
	return -1;
}

void
hosts_free(struct hosts_table *t)
{
	free(t->e);
	memset(t, 0, sizeof(*t));
}
