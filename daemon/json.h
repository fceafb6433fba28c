/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A small JSON writer for the control socket's replies.
 *
 * Output goes into a buffer that grows up to a fixed limit.  Every call
 * either appends well-formed JSON or latches an error (out of memory, over
 * the limit, nesting too deep, a value without a key inside an object or
 * a key outside one, a close that does not match), after which all calls
 * do nothing and json_failed() says so.  A caller therefore writes a
 * whole document and checks once at the end, as with struct wbuf.
 *
 * Strings are escaped for JSON: quotes, backslashes and control characters
 * are escaped, valid UTF-8 passes through unchanged, and bytes that are not
 * valid UTF-8 (a server's text that reached last_error, say) become
 * U+FFFD, so that the document is always valid UTF-8 and valid JSON.
 *
 * key is the member name inside an object and must be NULL inside an
 * array and at the top level.
 */
#ifndef PPTPC_JSON_H
#define PPTPC_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_DEPTH_MAX	16

struct json {
	char		*buf;
	size_t		 len;
	size_t		 cap;
	size_t		 max;		/* the buffer never grows past this */
	int		 failed;
	int		 done;		/* the top-level value is complete */
	unsigned int	 depth;
	/* Per open container: 1 for an object; whether a member came yet. */
	uint8_t		 is_obj[JSON_DEPTH_MAX];
	uint8_t		 has_item[JSON_DEPTH_MAX];
};

/* Starts an empty document that may grow to max bytes. */
void		 json_init(struct json *, size_t max);
/* Empties the document, keeping the buffer, and clears a latched error. */
void		 json_reset(struct json *);
void		 json_free(struct json *);

void		 json_obj_open(struct json *, const char *key);
void		 json_obj_close(struct json *);
void		 json_arr_open(struct json *, const char *key);
void		 json_arr_close(struct json *);
/* A string, or null when s is NULL. */
void		 json_str(struct json *, const char *key, const char *s);
/* At most n bytes of s, stopping early at a NUL: for fixed char arrays. */
void		 json_strn(struct json *, const char *key, const char *s,
		    size_t n);
void		 json_u64(struct json *, const char *key, uint64_t);
void		 json_bool(struct json *, const char *key, int);
void		 json_null(struct json *, const char *key);
/* Appends raw bytes after the document is complete (a final newline). */
void		 json_tail(struct json *, const char *);

int		 json_failed(const struct json *);
/* The document so far; NULL if it failed.  Not NUL-terminated. */
const char	*json_data(const struct json *, size_t *len);

#endif /* PPTPC_JSON_H */
