/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The strict JSON reader of json_read.h: recursive descent over a struct
 * rbuf, one allocation per value.  It reads the replies of one local
 * daemon, so it favours plain code and exact errors over speed; the
 * limits below keep even a hostile reply cheap.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json_read.h"
#include "utf8.h"

/* Members of one object: the duplicate check is quadratic in this. */
#define JV_MEMBERS_MAX	1024

struct jp {
	struct rbuf	 r;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static struct jv	*parse_value(struct jp *, unsigned int);

static void
jp_error(struct jp *jp, const char *fmt, ...)
    __attribute__((__format__(printf, 2, 3)));

static void
jp_error(struct jp *jp, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	if (jp->failed)
		return;
	jp->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(jp->err, jp->errlen, "%s at byte %zu", msg, jp->r.off);
}

/* The next byte without taking it, or -1 at the end. */
static int
peek(const struct jp *jp)
{
	if (rbuf_left(&jp->r) == 0)
		return -1;
	return jp->r.data[jp->r.off];
}

static int
next(struct jp *jp)
{
	uint8_t c;

	if (rbuf_u8(&jp->r, &c) == -1)
		return -1;
	return c;
}

static void
skip_ws(struct jp *jp)
{
	int c;

	while ((c = peek(jp)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		(void)next(jp);
}

static struct jv *
jv_new(enum jv_type type)
{
	struct jv *v;

	if ((v = calloc(1, sizeof(*v))) != NULL)
		v->type = type;
	return v;
}

void
jv_free(struct jv *v)
{
	struct jv *c, *n;

	if (v == NULL)
		return;
	for (c = v->child; c != NULL; c = n) {
		n = c->next;
		jv_free(c);
	}
	free(v->key);
	free(v->str);
	free(v);
}

static int
hex4(struct jp *jp, unsigned int *u)
{
	const uint8_t *p;
	int i;

	if ((p = rbuf_take(&jp->r, 4)) == NULL) {
		jp_error(jp, "truncated \\u escape");
		return -1;
	}
	*u = 0;
	for (i = 0; i < 4; i++) {
		*u <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			*u |= p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			*u |= p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			*u |= p[i] - 'A' + 10;
		else {
			jp_error(jp, "bad hex digit in \\u escape");
			return -1;
		}
	}
	return 0;
}

static size_t
put_utf8(char *o, unsigned int u)
{
	if (u < 0x80) {
		o[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		o[0] = (char)(0xc0 | u >> 6);
		o[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		o[0] = (char)(0xe0 | u >> 12);
		o[1] = (char)(0x80 | ((u >> 6) & 0x3f));
		o[2] = (char)(0x80 | (u & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | u >> 18);
	o[1] = (char)(0x80 | ((u >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((u >> 6) & 0x3f));
	o[3] = (char)(0x80 | (u & 0x3f));
	return 4;
}

/*
 * A string, the opening quote already taken.  Its decoded form is never
 * longer than its escaped form, so the span up to the closing quote sizes
 * the buffer.
 */
static char *
parse_string(struct jp *jp)
{
	const uint8_t *d = jp->r.data;
	size_t end, o = 0, seq;
	unsigned int u, lo;
	char *s;
	int c;

	for (end = jp->r.off; end < jp->r.len && d[end] != '"'; end++)
		if (d[end] == '\\')
			end++;
	if (end >= jp->r.len) {
		jp_error(jp, "unterminated string");
		return NULL;
	}
	if ((s = malloc(end - jp->r.off + 1)) == NULL) {
		jp_error(jp, "out of memory");
		return NULL;
	}
	while ((c = peek(jp)) != '"') {
		if (c < 0x20) {
			jp_error(jp, "control character in string");
			goto bad;
		}
		if (c != '\\') {
			seq = utf8_seq(d + jp->r.off, rbuf_left(&jp->r));
			if (seq == 0) {
				jp_error(jp, "invalid UTF-8 in string");
				goto bad;
			}
			if (rbuf_bytes(&jp->r, s + o, seq) == -1)
				goto bad;
			o += seq;
			continue;
		}
		(void)next(jp);
		switch (c = next(jp)) {
		case '"':
		case '\\':
		case '/':
			s[o++] = (char)c;
			break;
		case 'b':
			s[o++] = '\b';
			break;
		case 'f':
			s[o++] = '\f';
			break;
		case 'n':
			s[o++] = '\n';
			break;
		case 'r':
			s[o++] = '\r';
			break;
		case 't':
			s[o++] = '\t';
			break;
		case 'u':
			if (hex4(jp, &u) == -1)
				goto bad;
			if (u >= 0xdc00 && u <= 0xdfff) {
				jp_error(jp, "unpaired low surrogate");
				goto bad;
			}
			if (u >= 0xd800 && u <= 0xdbff) {
				if (next(jp) != '\\' || next(jp) != 'u' ||
				    hex4(jp, &lo) == -1 ||
				    lo < 0xdc00 || lo > 0xdfff) {
					jp_error(jp, "unpaired high surrogate");
					goto bad;
				}
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (lo - 0xdc00);
			}
			if (u == 0) {
				/* It would cut the C string short. */
				jp_error(jp, "\\u0000 in string");
				goto bad;
			}
			o += put_utf8(s + o, u);
			break;
		default:
			jp_error(jp, "bad escape in string");
			goto bad;
		}
	}
	(void)next(jp);
	s[o] = '\0';
	return s;
 bad:
	free(s);
	return NULL;
}

static int
digits(struct jp *jp)
{
	int c, n = 0;

	while ((c = peek(jp)) >= '0' && c <= '9') {
		(void)next(jp);
		n++;
	}
	return n;
}

static struct jv *
parse_number(struct jp *jp)
{
	size_t start = jp->r.off, i, len;
	const char *p;
	struct jv *v;
	int whole = 1, neg = 0;

	if (peek(jp) == '-') {
		(void)next(jp);
		neg = 1;
	}
	if (peek(jp) == '0')
		(void)next(jp);
	else if (digits(jp) == 0) {
		jp_error(jp, "bad number");
		return NULL;
	}
	if (peek(jp) == '.') {
		(void)next(jp);
		whole = 0;
		if (digits(jp) == 0) {
			jp_error(jp, "bad fraction");
			return NULL;
		}
	}
	if (peek(jp) == 'e' || peek(jp) == 'E') {
		(void)next(jp);
		whole = 0;
		if (peek(jp) == '+' || peek(jp) == '-')
			(void)next(jp);
		if (digits(jp) == 0) {
			jp_error(jp, "bad exponent");
			return NULL;
		}
	}
	if (peek(jp) >= '0' && peek(jp) <= '9') {
		jp_error(jp, "leading zero in number");
		return NULL;
	}
	p = (const char *)jp->r.data + start;
	len = jp->r.off - start;
	/* Not strndup: the input need not have a NUL anywhere. */
	if ((v = jv_new(JV_NUMBER)) == NULL ||
	    (v->str = malloc(len + 1)) == NULL) {
		jv_free(v);
		jp_error(jp, "out of memory");
		return NULL;
	}
	memcpy(v->str, p, len);
	v->str[len] = '\0';
	if (whole && !neg) {
		v->is_u64 = 1;
		for (i = 0; i < len; i++) {
			if (v->u64 > (UINT64_MAX - (uint64_t)(p[i] - '0')) /
			    10) {
				v->is_u64 = 0;
				v->u64 = 0;
				break;
			}
			v->u64 = v->u64 * 10 + (uint64_t)(p[i] - '0');
		}
	}
	return v;
}

static int
literal(struct jp *jp, const char *word)
{
	size_t n = strlen(word);
	const uint8_t *p;

	if ((p = rbuf_take(&jp->r, n)) == NULL || memcmp(p, word, n) != 0) {
		jp_error(jp, "unexpected character");
		return -1;
	}
	return 0;
}

/*
 * The start of a decoded member name for an error message, which ends up
 * on a terminal: everything but printable ASCII becomes "?".
 */
static void
printable(char *out, size_t outlen, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < outlen; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
}

static struct jv *
parse_container(struct jp *jp, unsigned int depth, int is_obj)
{
	struct jv *v, *item, *last = NULL;
	const struct jv *o;
	unsigned int count = 0;
	char *key = NULL, shown[33];
	int c;

	if (depth >= JV_DEPTH_MAX) {
		jp_error(jp, "nested deeper than %d", JV_DEPTH_MAX);
		return NULL;
	}
	if ((v = jv_new(is_obj ? JV_OBJECT : JV_ARRAY)) == NULL) {
		jp_error(jp, "out of memory");
		return NULL;
	}
	skip_ws(jp);
	if (peek(jp) == (is_obj ? '}' : ']')) {
		(void)next(jp);
		return v;
	}
	for (;;) {
		if (is_obj) {
			skip_ws(jp);
			if (next(jp) != '"') {
				jp_error(jp, "expected a member name");
				goto bad;
			}
			if ((key = parse_string(jp)) == NULL)
				goto bad;
			for (o = v->child; o != NULL; o = o->next) {
				if (strcmp(o->key, key) == 0) {
					printable(shown, sizeof(shown), key);
					jp_error(jp, "duplicate member \"%s\"",
					    shown);
					goto bad;
				}
			}
			if (++count > JV_MEMBERS_MAX) {
				jp_error(jp, "more than %d members",
				    JV_MEMBERS_MAX);
				goto bad;
			}
			skip_ws(jp);
			if (next(jp) != ':') {
				jp_error(jp, "expected \":\"");
				goto bad;
			}
		}
		if ((item = parse_value(jp, depth + 1)) == NULL)
			goto bad;
		item->key = key;
		key = NULL;
		if (last == NULL)
			v->child = item;
		else
			last->next = item;
		last = item;
		skip_ws(jp);
		c = next(jp);
		if (c == (is_obj ? '}' : ']'))
			return v;
		if (c != ',') {
			jp_error(jp, "expected \",\" or \"%c\"",
			    is_obj ? '}' : ']');
			goto bad;
		}
	}
 bad:
	free(key);
	jv_free(v);
	return NULL;
}

static struct jv *
parse_value(struct jp *jp, unsigned int depth)
{
	struct jv *v;
	int c;

	skip_ws(jp);
	switch (c = peek(jp)) {
	case '{':
	case '[':
		(void)next(jp);
		return parse_container(jp, depth, c == '{');
	case '"':
		(void)next(jp);
		if ((v = jv_new(JV_STRING)) == NULL) {
			jp_error(jp, "out of memory");
			return NULL;
		}
		if ((v->str = parse_string(jp)) == NULL) {
			jv_free(v);
			return NULL;
		}
		return v;
	case 't':
	case 'f':
	case 'n':
		if (literal(jp, c == 't' ? "true" : c == 'f' ? "false" :
		    "null") == -1)
			return NULL;
		if ((v = jv_new(c == 't' ? JV_TRUE : c == 'f' ? JV_FALSE :
		    JV_NULL)) == NULL)
			jp_error(jp, "out of memory");
		return v;
	case -1:
		jp_error(jp, "unexpected end of input");
		return NULL;
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return parse_number(jp);
		jp_error(jp, "unexpected character");
		return NULL;
	}
}

struct jv *
jv_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	struct jp jp;
	struct jv *v;

	memset(&jp, 0, sizeof(jp));
	rbuf_init(&jp.r, buf, len);
	jp.err = err;
	jp.errlen = errlen;
	if ((v = parse_value(&jp, 0)) == NULL)
		return NULL;
	skip_ws(&jp);
	if (rbuf_left(&jp.r) != 0) {
		jp_error(&jp, "trailing data");
		jv_free(v);
		return NULL;
	}
	return v;
}

const struct jv *
jv_get(const struct jv *obj, const char *key)
{
	const struct jv *c;

	if (obj == NULL || obj->type != JV_OBJECT)
		return NULL;
	for (c = obj->child; c != NULL; c = c->next)
		if (strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

const char *
jv_get_str(const struct jv *obj, const char *key)
{
	const struct jv *v;

	if ((v = jv_get(obj, key)) == NULL || v->type != JV_STRING)
		return NULL;
	return v->str;
}

static void
print_string(FILE *fp, const char *s)
{
	const unsigned char *p;

	fputc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			/*
			 * The rest is valid UTF-8: the reader checked.  C1
			 * controls (U+0080-U+009F) are escaped with C0 and
			 * DEL, since some terminals obey them.
			 */
			if (*p < 0x20 || *p == 0x7f)
				fprintf(fp, "\\u%04x", *p);
			else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
				fprintf(fp, "\\u%04x", *++p);
			else
				fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

static void
print_value(FILE *fp, const struct jv *v, unsigned int indent)
{
	const struct jv *c;

	switch (v->type) {
	case JV_NULL:
		fputs("null", fp);
		break;
	case JV_FALSE:
		fputs("false", fp);
		break;
	case JV_TRUE:
		fputs("true", fp);
		break;
	case JV_NUMBER:
		fputs(v->str, fp);
		break;
	case JV_STRING:
		print_string(fp, v->str);
		break;
	case JV_ARRAY:
	case JV_OBJECT:
		fputc(v->type == JV_OBJECT ? '{' : '[', fp);
		if (v->child == NULL) {
			fputc(v->type == JV_OBJECT ? '}' : ']', fp);
			break;
		}
		for (c = v->child; c != NULL; c = c->next) {
			fprintf(fp, "\n%*s", (int)(indent + 2), "");
			if (c->key != NULL) {
				print_string(fp, c->key);
				fputs(": ", fp);
			}
			print_value(fp, c, indent + 2);
			if (c->next != NULL)
				fputc(',', fp);
		}
		fprintf(fp, "\n%*s%c", (int)indent, "",
		    v->type == JV_OBJECT ? '}' : ']');
		break;
	}
}

void
jv_print(FILE *fp, const struct jv *v)
{
	print_value(fp, v, 0);
	fputc('\n', fp);
}
