/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A small, strict JSON reader for the daemon's replies (RFC 8259).
 *
 * It refuses anything a conforming writer would not produce: trailing
 * commas, comments, single quotes, leading zeros, raw control characters
 * or invalid UTF-8 in strings, unpaired surrogates, "\u0000", duplicate
 * member names, more than JV_DEPTH_MAX levels of nesting, and anything
 * but white space after the value.  Errors say what and at which byte.
 */
#ifndef PPTPCTL_JSON_READ_H
#define PPTPCTL_JSON_READ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JV_DEPTH_MAX	32

enum jv_type {
	JV_NULL,
	JV_FALSE,
	JV_TRUE,
	JV_NUMBER,
	JV_STRING,
	JV_ARRAY,
	JV_OBJECT,
};

struct jv {
	enum jv_type	 type;
	char		*key;		/* member name inside an object */
	/*
	 * JV_STRING: the decoded text.  JV_NUMBER: the number as written,
	 * so that printing it back loses nothing.
	 */
	char		*str;
	int		 is_u64;	/* JV_NUMBER: whole, 0..2^64-1 */
	uint64_t	 u64;
	struct jv	*child;		/* JV_ARRAY, JV_OBJECT: first element */
	struct jv	*next;		/* the next element of the parent */
};

/* Parses a whole document; NULL with a message in err on failure. */
struct jv	*jv_parse(const char *, size_t, char *err, size_t errlen);
void		 jv_free(struct jv *);
/* The member key of an object, or NULL. */
const struct jv	*jv_get(const struct jv *, const char *key);
/* The string of member key, or NULL if absent or not a string. */
const char	*jv_get_str(const struct jv *, const char *key);
/* Prints v as indented JSON, ending with a newline. */
void		 jv_print(FILE *, const struct jv *);

#endif /* PPTPCTL_JSON_READ_H */
