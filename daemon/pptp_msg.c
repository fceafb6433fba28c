/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * PPTP control message codecs and framer (RFC 2637 §1.4, §2).
 *
 * Every message type has one fixed length; RFC 2637 defines no optional
 * or trailing fields, so a length that differs from the type's is a peer
 * bug or a stream that has lost sync, and is refused.  Reserved fields are
 * written as zero and ignored on input, as robust receivers do.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "pptp_msg.h"

static const uint16_t msg_len[PPTP_TYPE_MAX + 1] = {
	[PPTP_SCCRQ] = 156,
	[PPTP_SCCRP] = 156,
	[PPTP_STOPCCRQ] = 16,
	[PPTP_STOPCCRP] = 16,
	[PPTP_ECHORQ] = 16,
	[PPTP_ECHORP] = 20,
	[PPTP_OCRQ] = 168,
	[PPTP_OCRP] = 32,
	[PPTP_ICRQ] = 220,
	[PPTP_ICRP] = 24,
	[PPTP_ICCN] = 28,
	[PPTP_CCRQ] = 16,
	[PPTP_CDN] = 148,
	[PPTP_WEN] = 40,
	[PPTP_SLI] = 24,
};

static const char *const type_names[PPTP_TYPE_MAX + 1] = {
	[PPTP_SCCRQ] = "SCCRQ",
	[PPTP_SCCRP] = "SCCRP",
	[PPTP_STOPCCRQ] = "StopCCRQ",
	[PPTP_STOPCCRP] = "StopCCRP",
	[PPTP_ECHORQ] = "Echo-Request",
	[PPTP_ECHORP] = "Echo-Reply",
	[PPTP_OCRQ] = "OCRQ",
	[PPTP_OCRP] = "OCRP",
	[PPTP_ICRQ] = "ICRQ",
	[PPTP_ICRP] = "ICRP",
	[PPTP_ICCN] = "ICCN",
	[PPTP_CCRQ] = "CCRQ",
	[PPTP_CDN] = "CDN",
	[PPTP_WEN] = "WEN",
	[PPTP_SLI] = "SLI",
};

static const char *const type_longnames[PPTP_TYPE_MAX + 1] = {
	[PPTP_SCCRQ] = "Start-Control-Connection-Request",
	[PPTP_SCCRP] = "Start-Control-Connection-Reply",
	[PPTP_STOPCCRQ] = "Stop-Control-Connection-Request",
	[PPTP_STOPCCRP] = "Stop-Control-Connection-Reply",
	[PPTP_ECHORQ] = "Echo-Request",
	[PPTP_ECHORP] = "Echo-Reply",
	[PPTP_OCRQ] = "Outgoing-Call-Request",
	[PPTP_OCRP] = "Outgoing-Call-Reply",
	[PPTP_ICRQ] = "Incoming-Call-Request",
	[PPTP_ICRP] = "Incoming-Call-Reply",
	[PPTP_ICCN] = "Incoming-Call-Connected",
	[PPTP_CCRQ] = "Call-Clear-Request",
	[PPTP_CDN] = "Call-Disconnect-Notify",
	[PPTP_WEN] = "WAN-Error-Notify",
	[PPTP_SLI] = "Set-Link-Info",
};

size_t
pptp_msg_len(unsigned int type)
{
	if (type == 0 || type > PPTP_TYPE_MAX)
		return 0;
	return msg_len[type];
}

void
pptp_msg_init(struct pptp_msg *m, enum pptp_type type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
}

const char *
pptp_type_name(unsigned int type)
{
	if (type == 0 || type > PPTP_TYPE_MAX)
		return "unknown";
	return type_names[type];
}

const char *
pptp_type_longname(unsigned int type)
{
	if (type == 0 || type > PPTP_TYPE_MAX)
		return "unknown message";
	return type_longnames[type];
}

const char *
pptp_error_name(unsigned int error)
{
	static const char *const names[] = {
		"none", "not connected", "bad format", "bad value",
		"no resource", "bad call ID", "PAC error",
	};

	if (error >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[error];
}

const char *
pptp_result_name(unsigned int type, unsigned int result)
{
	static const char *const sccrp[] = { NULL, "success",
	    "general error", "command channel already exists",
	    "requester not authorized", "protocol version not supported" };
	static const char *const stop_reason[] = { NULL, "none",
	    "stop protocol", "local shutdown" };
	static const char *const ok_general[] = { NULL, "OK",
	    "general error" };
	static const char *const ocrp[] = { NULL, "connected",
	    "general error", "no carrier", "busy", "no dial tone",
	    "time-out", "do not accept" };
	static const char *const icrp[] = { NULL, "connect", "general error",
	    "do not accept" };
	static const char *const cdn[] = { NULL, "lost carrier",
	    "general error", "admin shutdown", "request" };
	const char *const *t;
	size_t n;

#define TABLE(a)	do {						\
	t = (a);							\
	n = sizeof(a) / sizeof((a)[0]);					\
} while (0)
	switch (type) {
	case PPTP_SCCRP:
		TABLE(sccrp);
		break;
	case PPTP_STOPCCRQ:
		TABLE(stop_reason);
		break;
	case PPTP_STOPCCRP:
	case PPTP_ECHORP:
		TABLE(ok_general);
		break;
	case PPTP_OCRP:
		TABLE(ocrp);
		break;
	case PPTP_ICRP:
		TABLE(icrp);
		break;
	case PPTP_CDN:
		TABLE(cdn);
		break;
	default:
		return "unknown";
	}
#undef TABLE
	if (result >= n || t[result] == NULL)
		return "unknown";
	return t[result];
}

const char *
pptp_msg_strerror(enum pptp_msg_err e)
{
	switch (e) {
	case PPTP_MSG_OK:
		return "no error";
	case PPTP_MSG_ETRUNC:
		return "truncated message";
	case PPTP_MSG_ELENGTH:
		return "wrong length";
	case PPTP_MSG_ECOOKIE:
		return "bad magic cookie";
	case PPTP_MSG_EMSGTYPE:
		return "not a control message";
	case PPTP_MSG_EUNKNOWN:
		return "unknown control message type";
	case PPTP_MSG_EVERSION:
		return "unsupported protocol version";
	case PPTP_MSG_EVALUE:
		return "impossible field value";
	}
	return "unknown error";
}

static enum pptp_msg_err
fail(char *why, size_t whylen, enum pptp_msg_err e, const char *fmt, ...)
    __attribute__((__format__(printf, 4, 5)));

static enum pptp_msg_err
fail(char *why, size_t whylen, enum pptp_msg_err e, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return e;
}

/*
 * Copies a fixed-width string field.  It ends at the first NUL or at the
 * field's end, whichever comes first; bytes that are not printable ASCII
 * become '?', because these strings end up in log lines and a peer must not
 * be able to forge lines or send terminal escapes through them.
 */
static void
get_str(struct rbuf *r, char *dst, size_t width, size_t limit)
{
	const uint8_t *p;
	size_t i;

	dst[0] = '\0';
	if ((p = rbuf_take(r, width)) == NULL)
		return;
	if (limit > width)
		limit = width;
	for (i = 0; i < limit && p[i] != '\0'; i++)
		dst[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
	dst[i] = '\0';
}

/* Writes s into a field of width bytes, zero-padded, cut at width. */
static void
put_str(struct wbuf *w, const char *s, size_t width)
{
	size_t n;

	n = strnlen(s, width);
	wbuf_bytes(w, s, n);
	wbuf_zero(w, width - n);
}

static void
decode_scc(struct rbuf *r, struct pptp_scc *m)
{
	rbuf_u16(r, &m->version);
	rbuf_u8(r, &m->result);
	rbuf_u8(r, &m->error);
	rbuf_u32(r, &m->framing);
	rbuf_u32(r, &m->bearer);
	rbuf_u16(r, &m->max_channels);
	rbuf_u16(r, &m->firmware);
	get_str(r, m->hostname, PPTP_HOSTNAME_LEN, PPTP_HOSTNAME_LEN);
	get_str(r, m->vendor, PPTP_VENDOR_LEN, PPTP_VENDOR_LEN);
}

enum pptp_msg_err
pptp_msg_decode(const uint8_t *data, size_t len, struct pptp_msg *msg,
    char *why, size_t whylen)
{
	struct rbuf r;
	uint16_t length, msgtype, type, reserved, plen, plen2;
	uint32_t cookie;
	const char *name;

	memset(msg, 0, sizeof(*msg));
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	rbuf_init(&r, data, len);
	rbuf_u16(&r, &length);
	rbuf_u16(&r, &msgtype);
	rbuf_u32(&r, &cookie);
	rbuf_u16(&r, &type);
	rbuf_u16(&r, &reserved);
	if (rbuf_failed(&r))
		return fail(why, whylen, PPTP_MSG_ETRUNC,
		    "%zu bytes, shorter than the %d-byte header", len,
		    PPTP_HDR_LEN);
	if (cookie != PPTP_MAGIC)
		return fail(why, whylen, PPTP_MSG_ECOOKIE,
		    "magic cookie 0x%08x, expected 0x%08x", cookie,
		    PPTP_MAGIC);
	if (msgtype != PPTP_MSG_CONTROL)
		return fail(why, whylen, PPTP_MSG_EMSGTYPE,
		    "PPTP message type %u, expected %u (control)", msgtype,
		    PPTP_MSG_CONTROL);
	if (pptp_msg_len(type) == 0)
		return fail(why, whylen, PPTP_MSG_EUNKNOWN,
		    "unknown control message type %u (length %u)", type,
		    length);
	name = pptp_type_name(type);
	if (length != msg_len[type])
		return fail(why, whylen, PPTP_MSG_ELENGTH,
		    "%s: length field %u, expected %u", name, length,
		    msg_len[type]);
	if (len < length)
		return fail(why, whylen, PPTP_MSG_ETRUNC,
		    "%s: %zu bytes, length field says %u", name, len, length);
	if (len > length)
		return fail(why, whylen, PPTP_MSG_ELENGTH,
		    "%s: %zu bytes, length field says %u", name, len, length);

	msg->type = type;
	switch (type) {
	case PPTP_SCCRQ:
	case PPTP_SCCRP:
		decode_scc(&r, &msg->u.scc);
		break;
	case PPTP_STOPCCRQ:
		rbuf_u8(&r, &msg->u.stopccrq.reason);
		rbuf_skip(&r, 3);
		break;
	case PPTP_STOPCCRP:
		rbuf_u8(&r, &msg->u.stopccrp.result);
		rbuf_u8(&r, &msg->u.stopccrp.error);
		rbuf_skip(&r, 2);
		break;
	case PPTP_ECHORQ:
		rbuf_u32(&r, &msg->u.echo.id);
		break;
	case PPTP_ECHORP:
		rbuf_u32(&r, &msg->u.echo.id);
		rbuf_u8(&r, &msg->u.echo.result);
		rbuf_u8(&r, &msg->u.echo.error);
		rbuf_skip(&r, 2);
		break;
	case PPTP_OCRQ: {
		struct pptp_ocrq *m = &msg->u.ocrq;

		rbuf_u16(&r, &m->call_id);
		rbuf_u16(&r, &m->serial);
		rbuf_u32(&r, &m->min_bps);
		rbuf_u32(&r, &m->max_bps);
		rbuf_u32(&r, &m->bearer);
		rbuf_u32(&r, &m->framing);
		rbuf_u16(&r, &m->window);
		rbuf_u16(&r, &m->delay);
		rbuf_u16(&r, &plen);
		rbuf_skip(&r, 2);
		if (plen > PPTP_PHONE_LEN)
			return fail(why, whylen, PPTP_MSG_EVALUE,
			    "OCRQ: phone number length %u, at most %d", plen,
			    PPTP_PHONE_LEN);
		get_str(&r, m->phone, PPTP_PHONE_LEN, plen);
		get_str(&r, m->subaddr, PPTP_SUBADDR_LEN, PPTP_SUBADDR_LEN);
		break;
	}
	case PPTP_OCRP: {
		struct pptp_ocrp *m = &msg->u.ocrp;

		rbuf_u16(&r, &m->call_id);
		rbuf_u16(&r, &m->peer_call_id);
		rbuf_u8(&r, &m->result);
		rbuf_u8(&r, &m->error);
		rbuf_u16(&r, &m->cause);
		rbuf_u32(&r, &m->speed);
		rbuf_u16(&r, &m->window);
		rbuf_u16(&r, &m->delay);
		rbuf_u32(&r, &m->channel);
		break;
	}
	case PPTP_ICRQ: {
		struct pptp_icrq *m = &msg->u.icrq;

		rbuf_u16(&r, &m->call_id);
		rbuf_u16(&r, &m->serial);
		rbuf_u32(&r, &m->bearer);
		rbuf_u32(&r, &m->channel);
		rbuf_u16(&r, &plen);
		rbuf_u16(&r, &plen2);
		if (plen > PPTP_PHONE_LEN || plen2 > PPTP_PHONE_LEN)
			return fail(why, whylen, PPTP_MSG_EVALUE,
			    "ICRQ: dialed/dialing number lengths %u/%u, "
			    "at most %d", plen, plen2, PPTP_PHONE_LEN);
		get_str(&r, m->dialed, PPTP_PHONE_LEN, plen);
		get_str(&r, m->dialing, PPTP_PHONE_LEN, plen2);
		get_str(&r, m->subaddr, PPTP_SUBADDR_LEN, PPTP_SUBADDR_LEN);
		break;
	}
	case PPTP_ICRP: {
		struct pptp_icrp *m = &msg->u.icrp;

		rbuf_u16(&r, &m->call_id);
		rbuf_u16(&r, &m->peer_call_id);
		rbuf_u8(&r, &m->result);
		rbuf_u8(&r, &m->error);
		rbuf_u16(&r, &m->window);
		rbuf_u16(&r, &m->delay);
		rbuf_skip(&r, 2);
		break;
	}
	case PPTP_ICCN: {
		struct pptp_iccn *m = &msg->u.iccn;

		rbuf_u16(&r, &m->peer_call_id);
		rbuf_skip(&r, 2);
		rbuf_u32(&r, &m->speed);
		rbuf_u16(&r, &m->window);
		rbuf_u16(&r, &m->delay);
		rbuf_u32(&r, &m->framing);
		break;
	}
	case PPTP_CCRQ:
		rbuf_u16(&r, &msg->u.ccrq.call_id);
		rbuf_skip(&r, 2);
		break;
	case PPTP_CDN: {
		struct pptp_cdn *m = &msg->u.cdn;

		rbuf_u16(&r, &m->call_id);
		rbuf_u8(&r, &m->result);
		rbuf_u8(&r, &m->error);
		rbuf_u16(&r, &m->cause);
		rbuf_skip(&r, 2);
		get_str(&r, m->stats, PPTP_STATS_LEN, PPTP_STATS_LEN);
		break;
	}
	case PPTP_WEN: {
		struct pptp_wen *m = &msg->u.wen;

		rbuf_u16(&r, &m->peer_call_id);
		rbuf_skip(&r, 2);
		rbuf_u32(&r, &m->crc);
		rbuf_u32(&r, &m->framing);
		rbuf_u32(&r, &m->hw_overrun);
		rbuf_u32(&r, &m->buf_overrun);
		rbuf_u32(&r, &m->timeout);
		rbuf_u32(&r, &m->alignment);
		break;
	}
	case PPTP_SLI:
		rbuf_u16(&r, &msg->u.sli.peer_call_id);
		rbuf_skip(&r, 2);
		rbuf_u32(&r, &msg->u.sli.send_accm);
		rbuf_u32(&r, &msg->u.sli.recv_accm);
		break;
	}

	/*
	 * The fixed lengths above are the layouts' sums, so the reader can
	 * neither run short nor leave bytes over; checked anyway so that a
	 * mistake in a layout shows as an error rather than as garbage.
	 */
	if (rbuf_failed(&r) || rbuf_left(&r) != 0)
		return fail(why, whylen, PPTP_MSG_ELENGTH,
		    "%s: layout does not match length %u", name, length);

	if ((type == PPTP_SCCRQ || type == PPTP_SCCRP) &&
	    msg->u.scc.version != PPTP_VERSION)
		return fail(why, whylen, PPTP_MSG_EVERSION,
		    "%s: protocol version %u.%u, only 1.0 is supported", name,
		    msg->u.scc.version >> 8, msg->u.scc.version & 0xff);
	return PPTP_MSG_OK;
}

int
pptp_msg_encode(struct wbuf *w, const struct pptp_msg *msg)
{
	size_t start, len;

	if ((len = pptp_msg_len(msg->type)) == 0)
		return -1;
	start = wbuf_len(w);
	wbuf_u16(w, (uint16_t)len);
	wbuf_u16(w, PPTP_MSG_CONTROL);
	wbuf_u32(w, PPTP_MAGIC);
	wbuf_u16(w, (uint16_t)msg->type);
	wbuf_u16(w, 0);

	switch (msg->type) {
	case PPTP_SCCRQ:
	case PPTP_SCCRP: {
		const struct pptp_scc *m = &msg->u.scc;

		wbuf_u16(w, m->version);
		wbuf_u8(w, m->result);
		wbuf_u8(w, m->error);
		wbuf_u32(w, m->framing);
		wbuf_u32(w, m->bearer);
		wbuf_u16(w, m->max_channels);
		wbuf_u16(w, m->firmware);
		put_str(w, m->hostname, PPTP_HOSTNAME_LEN);
		put_str(w, m->vendor, PPTP_VENDOR_LEN);
		break;
	}
	case PPTP_STOPCCRQ:
		wbuf_u8(w, msg->u.stopccrq.reason);
		wbuf_zero(w, 3);
		break;
	case PPTP_STOPCCRP:
		wbuf_u8(w, msg->u.stopccrp.result);
		wbuf_u8(w, msg->u.stopccrp.error);
		wbuf_zero(w, 2);
		break;
	case PPTP_ECHORQ:
		wbuf_u32(w, msg->u.echo.id);
		break;
	case PPTP_ECHORP:
		wbuf_u32(w, msg->u.echo.id);
		wbuf_u8(w, msg->u.echo.result);
		wbuf_u8(w, msg->u.echo.error);
		wbuf_zero(w, 2);
		break;
	case PPTP_OCRQ: {
		const struct pptp_ocrq *m = &msg->u.ocrq;

		wbuf_u16(w, m->call_id);
		wbuf_u16(w, m->serial);
		wbuf_u32(w, m->min_bps);
		wbuf_u32(w, m->max_bps);
		wbuf_u32(w, m->bearer);
		wbuf_u32(w, m->framing);
		wbuf_u16(w, m->window);
		wbuf_u16(w, m->delay);
		wbuf_u16(w, (uint16_t)strnlen(m->phone, PPTP_PHONE_LEN));
		wbuf_zero(w, 2);
		put_str(w, m->phone, PPTP_PHONE_LEN);
		put_str(w, m->subaddr, PPTP_SUBADDR_LEN);
		break;
	}
	case PPTP_OCRP: {
		const struct pptp_ocrp *m = &msg->u.ocrp;

		wbuf_u16(w, m->call_id);
		wbuf_u16(w, m->peer_call_id);
		wbuf_u8(w, m->result);
		wbuf_u8(w, m->error);
		wbuf_u16(w, m->cause);
		wbuf_u32(w, m->speed);
		wbuf_u16(w, m->window);
		wbuf_u16(w, m->delay);
		wbuf_u32(w, m->channel);
		break;
	}
	case PPTP_ICRQ: {
		const struct pptp_icrq *m = &msg->u.icrq;

		wbuf_u16(w, m->call_id);
		wbuf_u16(w, m->serial);
		wbuf_u32(w, m->bearer);
		wbuf_u32(w, m->channel);
		wbuf_u16(w, (uint16_t)strnlen(m->dialed, PPTP_PHONE_LEN));
		wbuf_u16(w, (uint16_t)strnlen(m->dialing, PPTP_PHONE_LEN));
		put_str(w, m->dialed, PPTP_PHONE_LEN);
		put_str(w, m->dialing, PPTP_PHONE_LEN);
		put_str(w, m->subaddr, PPTP_SUBADDR_LEN);
		break;
	}
	case PPTP_ICRP: {
		const struct pptp_icrp *m = &msg->u.icrp;

		wbuf_u16(w, m->call_id);
		wbuf_u16(w, m->peer_call_id);
		wbuf_u8(w, m->result);
		wbuf_u8(w, m->error);
		wbuf_u16(w, m->window);
		wbuf_u16(w, m->delay);
		wbuf_zero(w, 2);
		break;
	}
	case PPTP_ICCN: {
		const struct pptp_iccn *m = &msg->u.iccn;

		wbuf_u16(w, m->peer_call_id);
		wbuf_zero(w, 2);
		wbuf_u32(w, m->speed);
		wbuf_u16(w, m->window);
		wbuf_u16(w, m->delay);
		wbuf_u32(w, m->framing);
		break;
	}
	case PPTP_CCRQ:
		wbuf_u16(w, msg->u.ccrq.call_id);
		wbuf_zero(w, 2);
		break;
	case PPTP_CDN: {
		const struct pptp_cdn *m = &msg->u.cdn;

		wbuf_u16(w, m->call_id);
		wbuf_u8(w, m->result);
		wbuf_u8(w, m->error);
		wbuf_u16(w, m->cause);
		wbuf_zero(w, 2);
		put_str(w, m->stats, PPTP_STATS_LEN);
		break;
	}
	case PPTP_WEN: {
		const struct pptp_wen *m = &msg->u.wen;

		wbuf_u16(w, m->peer_call_id);
		wbuf_zero(w, 2);
		wbuf_u32(w, m->crc);
		wbuf_u32(w, m->framing);
		wbuf_u32(w, m->hw_overrun);
		wbuf_u32(w, m->buf_overrun);
		wbuf_u32(w, m->timeout);
		wbuf_u32(w, m->alignment);
		break;
	}
	case PPTP_SLI:
		wbuf_u16(w, msg->u.sli.peer_call_id);
		wbuf_zero(w, 2);
		wbuf_u32(w, msg->u.sli.send_accm);
		wbuf_u32(w, msg->u.sli.recv_accm);
		break;
	}
	if (wbuf_failed(w) || wbuf_len(w) - start != len)
		return -1;
	return 0;
}

void
pptp_framer_init(struct pptp_framer *f)
{
	f->start = f->end = 0;
	f->lost = 0;
}

size_t
pptp_framer_push(struct pptp_framer *f, const uint8_t *data, size_t len)
{
	size_t room;

	if (f->start > 0) {
		memmove(f->buf, f->buf + f->start, f->end - f->start);
		f->end -= f->start;
		f->start = 0;
	}
	room = sizeof(f->buf) - f->end;
	if (len > room)
		len = room;
	if (len > 0)
		memcpy(f->buf + f->end, data, len);
	f->end += len;
	return len;
}

int
pptp_framer_next(struct pptp_framer *f, const uint8_t **msg, size_t *len,
    char *why, size_t whylen)
{
	const uint8_t *p = f->buf + f->start;
	size_t avail = f->end - f->start;
	uint16_t length;
	uint32_t cookie;

	*msg = NULL;
	*len = 0;
	if (f->lost) {
		fail(why, whylen, PPTP_MSG_ECOOKIE, "stream out of sync");
		return -1;
	}
	/*
	 * Judge each field as soon as its bytes are here, so that garbage is
	 * refused at once rather than after waiting for a length's worth.
	 */
	if (avail < 2)
		return 0;
	length = get_be16(p);
	if (length < PPTP_HDR_LEN || length > PPTP_MAX_MSG_LEN) {
		f->lost = 1;
		fail(why, whylen, PPTP_MSG_ELENGTH,
		    "length field %u, no message is shorter than %d or "
		    "longer than %d", length, PPTP_HDR_LEN, PPTP_MAX_MSG_LEN);
		return -1;
	}
	if (avail < 8)
		return 0;
	cookie = get_be32(p + 4);
	if (cookie != PPTP_MAGIC) {
		f->lost = 1;
		fail(why, whylen, PPTP_MSG_ECOOKIE,
		    "magic cookie 0x%08x, expected 0x%08x", cookie, PPTP_MAGIC);
		return -1;
	}
	if (avail < length)
		return 0;
	*msg = p;
	*len = length;
	f->start += length;
	if (f->start == f->end)
		f->start = f->end = 0;
	return 1;
}

int
pptp_framer_feed(struct pptp_framer *f, const uint8_t *data, size_t len,
    int (*deliver)(void *, const uint8_t *, size_t), void *arg, char *why,
    size_t whylen)
{
	const uint8_t *msg;
	size_t n, mlen;
	int r;

	do {
		n = pptp_framer_push(f, data, len);
		data += n;
		len -= n;
		while ((r = pptp_framer_next(f, &msg, &mlen, why, whylen)) == 1)
			if (deliver(arg, msg, mlen) == -1)
				return 1;
		if (r == -1)
			return -1;
		/*
		 * The buffer holds more than the longest message, so each
		 * round frees room or loses sync: this loop ends.
		 */
	} while (len > 0);
	return 0;
}
