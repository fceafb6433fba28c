/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The JSON writer of json.h: one growable buffer, a latched error, and
 * just enough state to put commas and check nesting.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

/* The first allocation; most replies fit. */
#define JSON_CHUNK	1024

static void	json_put(struct json *, const char *, size_t);
static int	json_begin(struct json *, const char *);
static void	json_quote(struct json *, const char *, size_t);

void
json_init(struct json *j, size_t max)
{
	memset(j, 0, sizeof(*j));
	j->max = max;
}

void
json_reset(struct json *j)
{
	j->len = 0;
	j->failed = 0;
	j->done = 0;
	j->depth = 0;
}

void
json_free(struct json *j)
{
	free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
	j->failed = 1;
}

int
json_failed(const struct json *j)
{
	return j->failed;
}

const char *
json_data(const struct json *j, size_t *len)
{
	if (j->failed || !j->done || j->depth != 0) {
		*len = 0;
		return NULL;
	}
	*len = j->len;
	return j->buf;
}

static void
json_put(struct json *j, const char *s, size_t n)
{
	size_t ncap;
	char *nbuf;

	if (j->failed || n == 0)
		return;
	if (n > j->max || j->len > j->max - n) {
		j->failed = 1;
		return;
	}
	if (j->len + n > j->cap) {
		ncap = j->cap == 0 ? JSON_CHUNK : j->cap;
		while (ncap < j->len + n)
			ncap = ncap > SIZE_MAX / 2 ? SIZE_MAX : ncap * 2;
		if (ncap > j->max)
			ncap = j->max;
		if ((nbuf = realloc(j->buf, ncap)) == NULL) {
			j->failed = 1;
			return;
		}
		j->buf = nbuf;
		j->cap = ncap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

/*
 * Everything before a value: the check that a key is there exactly when
 * the container is an object, the comma, and the key itself.
 */
static int
json_begin(struct json *j, const char *key)
{
	int in_obj;

	if (j->failed)
		return -1;
	if (j->done) {
		/* One document per buffer. */
		j->failed = 1;
		return -1;
	}
	in_obj = j->depth > 0 && j->is_obj[j->depth - 1];
	if ((key != NULL) != in_obj) {
		j->failed = 1;
		return -1;
	}
	if (j->depth > 0) {
		if (j->has_item[j->depth - 1])
			json_put(j, ",", 1);
		j->has_item[j->depth - 1] = 1;
	}
	if (key != NULL) {
		json_quote(j, key, strlen(key));
		json_put(j, ":", 1);
	}
	return j->failed ? -1 : 0;
}

/* A scalar closes the document when it is the top-level value. */
static void
json_end_value(struct json *j)
{
	if (j->depth == 0)
		j->done = 1;
}

static void
json_open(struct json *j, const char *key, int is_obj)
{
	if (json_begin(j, key) == -1)
		return;
	if (j->depth == JSON_DEPTH_MAX) {
		j->failed = 1;
		return;
	}
	j->is_obj[j->depth] = is_obj;
	j->has_item[j->depth] = 0;
	j->depth++;
	json_put(j, is_obj ? "{" : "[", 1);
}

static void
json_close(struct json *j, int is_obj)
{
	if (j->failed)
		return;
	if (j->depth == 0 || j->is_obj[j->depth - 1] != is_obj) {
		j->failed = 1;
		return;
	}
	j->depth--;
	json_put(j, is_obj ? "}" : "]", 1);
	json_end_value(j);
}

void
json_obj_open(struct json *j, const char *key)
{
	json_open(j, key, 1);
}

void
json_obj_close(struct json *j)
{
	json_close(j, 1);
}

void
json_arr_open(struct json *j, const char *key)
{
	json_open(j, key, 0);
}

void
json_arr_close(struct json *j)
{
	json_close(j, 0);
}

static void
json_quote(struct json *j, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)s;
	size_t i, run, seq = 0;
	char esc[6];

	json_put(j, "\"", 1);
	i = 0;
	while (i < n && !j->failed) {
		/* Copy the longest stretch that needs no escaping at once. */
		for (run = i; run < n; run += seq) {
			if (p[run] < 0x20 || p[run] == '"' ||
			    p[run] == '\\' || p[run] == 0x7f)
				break;
			if ((seq = utf8_seq(p + run, n - run)) == 0)
				break;
		}
		json_put(j, s + i, run - i);
		if ((i = run) == n)
			break;
		switch (p[i]) {
		case '"':
			json_put(j, "\\\"", 2);
			break;
		case '\\':
			json_put(j, "\\\\", 2);
			break;
		case '\b':
			json_put(j, "\\b", 2);
			break;
		case '\f':
			json_put(j, "\\f", 2);
			break;
		case '\n':
			json_put(j, "\\n", 2);
			break;
		case '\r':
			json_put(j, "\\r", 2);
			break;
		case '\t':
			json_put(j, "\\t", 2);
			break;
		default:
			if (p[i] < 0x20 || p[i] == 0x7f) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[p[i] >> 4];
				esc[5] = hex[p[i] & 0xf];
				json_put(j, esc, sizeof(esc));
			} else {
				/* Not UTF-8: the replacement character. */
				json_put(j, "\xef\xbf\xbd", 3);
			}
			break;
		}
		i++;
	}
	json_put(j, "\"", 1);
}

void
json_str(struct json *j, const char *key, const char *s)
{
	if (s == NULL) {
		json_null(j, key);
		return;
	}
	json_strn(j, key, s, strlen(s));
}

void
json_strn(struct json *j, const char *key, const char *s, size_t n)
{
	if (json_begin(j, key) == -1)
		return;
	json_quote(j, s, strnlen(s, n));
	json_end_value(j);
}

void
json_u64(struct json *j, const char *key, uint64_t v)
{
	char num[24];
	int n;

	if (json_begin(j, key) == -1)
		return;
	n = snprintf(num, sizeof(num), "%" PRIu64, v);
	json_put(j, num, (size_t)n);
	json_end_value(j);
}

void
json_bool(struct json *j, const char *key, int v)
{
	if (json_begin(j, key) == -1)
		return;
	if (v)
		json_put(j, "true", 4);
	else
		json_put(j, "false", 5);
	json_end_value(j);
}

void
json_null(struct json *j, const char *key)
{
	if (json_begin(j, key) == -1)
		return;
	json_put(j, "null", 4);
	json_end_value(j);
}

void
json_tail(struct json *j, const char *s)
{
	if (!j->done) {
		j->failed = 1;
		return;
	}
	json_put(j, s, strlen(s));
}
