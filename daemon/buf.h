/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Bounds-checked readers and writers for wire formats.
 *
 * Every decoder reads through a struct rbuf and every encoder writes through
 * a struct wbuf.  A read past the end or a write past the capacity fails,
 * returns -1 and latches the error, so a decoder may read a whole header and
 * check rbuf_failed() once.  Multi-byte integers are big-endian (network
 * order), as every PPTP, GRE and PPP field is.
 */
#ifndef PPTPC_BUF_H
#define PPTPC_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rbuf {
	const uint8_t	*data;
	size_t		 len;
	size_t		 off;
	int		 failed;
};

struct wbuf {
	uint8_t		*data;
	size_t		 cap;
	size_t		 off;
	int		 failed;
};

static inline void
rbuf_init(struct rbuf *r, const void *data, size_t len)
{
	r->data = data;
	r->len = len;
	r->off = 0;
	r->failed = 0;
}

static inline size_t
rbuf_left(const struct rbuf *r)
{
	return r->len - r->off;
}

static inline int
rbuf_failed(const struct rbuf *r)
{
	return r->failed;
}

/* Points at the next n bytes and consumes them, or NULL if fewer remain. */
static inline const uint8_t *
rbuf_take(struct rbuf *r, size_t n)
{
	const uint8_t *p;

	if (r->failed || n > r->len - r->off) {
		r->failed = 1;
		return NULL;
	}
	p = r->data + r->off;
	r->off += n;
	return p;
}

static inline int
rbuf_skip(struct rbuf *r, size_t n)
{
	return rbuf_take(r, n) == NULL ? -1 : 0;
}

static inline int
rbuf_bytes(struct rbuf *r, void *out, size_t n)
{
	const uint8_t *p;

	if ((p = rbuf_take(r, n)) == NULL) {
		memset(out, 0, n);
		return -1;
	}
	memcpy(out, p, n);
	return 0;
}

static inline int
rbuf_u8(struct rbuf *r, uint8_t *v)
{
	const uint8_t *p;

	if ((p = rbuf_take(r, 1)) == NULL) {
		*v = 0;
		return -1;
	}
	*v = p[0];
	return 0;
}

static inline int
rbuf_u16(struct rbuf *r, uint16_t *v)
{
	const uint8_t *p;

	if ((p = rbuf_take(r, 2)) == NULL) {
		*v = 0;
		return -1;
	}
	*v = (uint16_t)(p[0] << 8 | p[1]);
	return 0;
}

static inline int
rbuf_u32(struct rbuf *r, uint32_t *v)
{
	const uint8_t *p;

	if ((p = rbuf_take(r, 4)) == NULL) {
		*v = 0;
		return -1;
	}
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
	return 0;
}

static inline void
wbuf_init(struct wbuf *w, void *data, size_t cap)
{
	w->data = data;
	w->cap = cap;
	w->off = 0;
	w->failed = 0;
}

static inline size_t
wbuf_len(const struct wbuf *w)
{
	return w->off;
}

static inline int
wbuf_failed(const struct wbuf *w)
{
	return w->failed;
}

/* Reserves the next n bytes and returns them, or NULL if they do not fit. */
static inline uint8_t *
wbuf_reserve(struct wbuf *w, size_t n)
{
	uint8_t *p;

	if (w->failed || n > w->cap - w->off) {
		w->failed = 1;
		return NULL;
	}
	p = w->data + w->off;
	w->off += n;
	return p;
}

static inline int
wbuf_bytes(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *p;

	if ((p = wbuf_reserve(w, n)) == NULL)
		return -1;
	if (n > 0)
		memcpy(p, src, n);
	return 0;
}

static inline int
wbuf_zero(struct wbuf *w, size_t n)
{
	uint8_t *p;

	if ((p = wbuf_reserve(w, n)) == NULL)
		return -1;
	memset(p, 0, n);
	return 0;
}

static inline int
wbuf_u8(struct wbuf *w, uint8_t v)
{
	uint8_t *p;

	if ((p = wbuf_reserve(w, 1)) == NULL)
		return -1;
	p[0] = v;
	return 0;
}

static inline int
wbuf_u16(struct wbuf *w, uint16_t v)
{
	uint8_t *p;

	if ((p = wbuf_reserve(w, 2)) == NULL)
		return -1;
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return 0;
}

static inline int
wbuf_u32(struct wbuf *w, uint32_t v)
{
	uint8_t *p;

	if ((p = wbuf_reserve(w, 4)) == NULL)
		return -1;
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
	return 0;
}

/* Big-endian loads and stores for code that has already checked lengths. */
static inline uint16_t
get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

#endif /* PPTPC_BUF_H */
