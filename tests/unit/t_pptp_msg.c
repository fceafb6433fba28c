/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * PPTP control message codecs and framer (daemon/pptp_msg.c).
 */
#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "buf.h"
#include "pptp_msg.h"

/* A message of each type with every field set to something recognisable. */
static void
sample(unsigned int type, struct pptp_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	switch (type) {
	case PPTP_SCCRQ:
	case PPTP_SCCRP:
		m->u.scc.version = PPTP_VERSION;
		m->u.scc.result = type == PPTP_SCCRP ? 1 : 0;
		m->u.scc.error = 0;
		m->u.scc.framing = 3;
		m->u.scc.bearer = 2;
		m->u.scc.max_channels = 7;
		m->u.scc.firmware = 0x1234;
		strcpy(m->u.scc.hostname, "gw.example.org");
		strcpy(m->u.scc.vendor, "pptpc");
		break;
	case PPTP_STOPCCRQ:
		m->u.stopccrq.reason = 3;
		break;
	case PPTP_STOPCCRP:
		m->u.stopccrp.result = 2;
		m->u.stopccrp.error = 6;
		break;
	case PPTP_ECHORQ:
		m->u.echo.id = 0xdeadbeef;
		break;
	case PPTP_ECHORP:
		m->u.echo.id = 0x01020304;
		m->u.echo.result = 2;
		m->u.echo.error = 4;
		break;
	case PPTP_OCRQ:
		m->u.ocrq.call_id = 0xbeef;
		m->u.ocrq.serial = 9;
		m->u.ocrq.min_bps = 2400;
		m->u.ocrq.max_bps = 10000000;
		m->u.ocrq.bearer = 3;
		m->u.ocrq.framing = 3;
		m->u.ocrq.window = 64;
		m->u.ocrq.delay = 5;
		strcpy(m->u.ocrq.phone, "5551234");
		strcpy(m->u.ocrq.subaddr, "sub");
		break;
	case PPTP_OCRP:
		m->u.ocrp.call_id = 0x1111;
		m->u.ocrp.peer_call_id = 0x2222;
		m->u.ocrp.result = 1;
		m->u.ocrp.error = 0;
		m->u.ocrp.cause = 0x3333;
		m->u.ocrp.speed = 64000;
		m->u.ocrp.window = 16;
		m->u.ocrp.delay = 30;
		m->u.ocrp.channel = 0x44444444;
		break;
	case PPTP_ICRQ:
		m->u.icrq.call_id = 0x5555;
		m->u.icrq.serial = 6;
		m->u.icrq.bearer = 1;
		m->u.icrq.channel = 77;
		strcpy(m->u.icrq.dialed, "123");
		strcpy(m->u.icrq.dialing, "4567");
		strcpy(m->u.icrq.subaddr, "x");
		break;
	case PPTP_ICRP:
		m->u.icrp.call_id = 1;
		m->u.icrp.peer_call_id = 2;
		m->u.icrp.result = 3;
		m->u.icrp.error = 0;
		m->u.icrp.window = 8;
		m->u.icrp.delay = 1;
		break;
	case PPTP_ICCN:
		m->u.iccn.peer_call_id = 3;
		m->u.iccn.speed = 115200;
		m->u.iccn.window = 4;
		m->u.iccn.delay = 2;
		m->u.iccn.framing = 1;
		break;
	case PPTP_CCRQ:
		m->u.ccrq.call_id = 0xabcd;
		break;
	case PPTP_CDN:
		m->u.cdn.call_id = 0x1234;
		m->u.cdn.result = 3;
		m->u.cdn.error = 0;
		m->u.cdn.cause = 16;
		strcpy(m->u.cdn.stats, "rx 10 tx 20");
		break;
	case PPTP_WEN:
		m->u.wen.peer_call_id = 0x4321;
		m->u.wen.crc = 1;
		m->u.wen.framing = 2;
		m->u.wen.hw_overrun = 3;
		m->u.wen.buf_overrun = 4;
		m->u.wen.timeout = 5;
		m->u.wen.alignment = 6;
		break;
	case PPTP_SLI:
		m->u.sli.peer_call_id = 0x0102;
		m->u.sli.send_accm = 0xffffffff;
		m->u.sli.recv_accm = 0x000a0000;
		break;
	}
}

static size_t
encode(unsigned int type, uint8_t *buf, size_t cap)
{
	struct pptp_msg m;
	struct wbuf w;

	sample(type, &m);
	wbuf_init(&w, buf, cap);
	ATF_REQUIRE_EQ(pptp_msg_encode(&w, &m), 0);
	return wbuf_len(&w);
}

ATF_TC_WITHOUT_HEAD(sccrq_wire);
ATF_TC_BODY(sccrq_wire, tc)
{
	/* doc/vectors.md §5.2: the start of an SCCRQ, async framing, analog. */
	static const uint8_t want[] = {
		0x00, 0x9c, 0x00, 0x01, 0x1a, 0x2b, 0x3c, 0x4d,
		0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00,
	};
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	struct wbuf w;
	size_t i;

	memset(&m, 0, sizeof(m));
	m.type = PPTP_SCCRQ;
	m.u.scc.version = PPTP_VERSION;
	m.u.scc.framing = PPTP_FRAME_ASYNC;
	m.u.scc.bearer = PPTP_BEARER_ANALOG;
	strcpy(m.u.scc.hostname, "local");
	wbuf_init(&w, buf, sizeof(buf));
	ATF_REQUIRE_EQ(pptp_msg_encode(&w, &m), 0);
	ATF_REQUIRE_EQ(wbuf_len(&w), 156);
	ATF_REQUIRE(memcmp(buf, want, sizeof(want)) == 0);
	/* Host name at 28, zero-padded to 64; vendor empty. */
	ATF_REQUIRE(memcmp(buf + 28, "local", 6) == 0);
	for (i = 33; i < 156; i++)
		ATF_REQUIRE_EQ_MSG(buf[i], 0, "byte %zu", i);
}

ATF_TC_WITHOUT_HEAD(ocrp_wire);
ATF_TC_BODY(ocrp_wire, tc)
{
	static const uint8_t want[32] = {
		0x00, 0x20, 0x00, 0x01, 0x1a, 0x2b, 0x3c, 0x4d,
		0x00, 0x08, 0x00, 0x00, 0x11, 0x11, 0x22, 0x22,
		0x01, 0x00, 0x33, 0x33, 0x00, 0x00, 0xfa, 0x00,
		0x00, 0x10, 0x00, 0x1e, 0x44, 0x44, 0x44, 0x44,
	};
	uint8_t buf[64];

	ATF_REQUIRE_EQ(encode(PPTP_OCRP, buf, sizeof(buf)), 32);
	ATF_REQUIRE(memcmp(buf, want, sizeof(want)) == 0);
}

ATF_TC_WITHOUT_HEAD(roundtrip_every_type);
ATF_TC_BODY(roundtrip_every_type, tc)
{
	static const size_t lens[] = { 0, 156, 156, 16, 16, 16, 20, 168, 32,
	    220, 24, 28, 16, 148, 40, 24 };
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg want, got;
	unsigned int t;
	size_t len;
	char why[128];

	for (t = 1; t <= PPTP_TYPE_MAX; t++) {
		len = encode(t, buf, sizeof(buf));
		ATF_REQUIRE_EQ_MSG(len, lens[t], "type %u", t);
		ATF_REQUIRE_EQ(pptp_msg_len(t), lens[t]);
		ATF_REQUIRE_EQ(get_be16(buf), lens[t]);
		ATF_REQUIRE_EQ(get_be16(buf + 8), t);
		ATF_REQUIRE_EQ_MSG(pptp_msg_decode(buf, len, &got, why,
		    sizeof(why)), PPTP_MSG_OK, "type %u: %s", t, why);
		sample(t, &want);
		ATF_REQUIRE_EQ(got.type, t);
		ATF_REQUIRE_MSG(memcmp(&got, &want, sizeof(got)) == 0,
		    "type %u differs after a round trip", t);
	}
	ATF_REQUIRE_EQ(pptp_msg_len(0), 0);
	ATF_REQUIRE_EQ(pptp_msg_len(16), 0);
}

ATF_TC_WITHOUT_HEAD(truncated);
ATF_TC_BODY(truncated, tc)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	unsigned int t;
	size_t len, n;
	char why[128];

	for (t = 1; t <= PPTP_TYPE_MAX; t++) {
		len = encode(t, buf, sizeof(buf));
		for (n = 0; n < len; n++)
			ATF_REQUIRE_EQ_MSG(pptp_msg_decode(buf, n, &m, why,
			    sizeof(why)), PPTP_MSG_ETRUNC, "type %u, %zu bytes",
			    t, n);
	}
	encode(PPTP_SCCRQ, buf, sizeof(buf));
	pptp_msg_decode(buf, 100, &m, why, sizeof(why));
	ATF_REQUIRE_STREQ(why, "SCCRQ: 100 bytes, length field says 156");
	pptp_msg_decode(buf, 5, &m, why, sizeof(why));
	ATF_REQUIRE_STREQ(why, "5 bytes, shorter than the 12-byte header");
	/* No buffer at all. */
	ATF_REQUIRE_EQ(pptp_msg_decode(NULL, 0, &m, NULL, 0), PPTP_MSG_ETRUNC);
}

ATF_TC_WITHOUT_HEAD(length_field_lies);
ATF_TC_BODY(length_field_lies, tc)
{
	static const unsigned int lies[] = { 0, 1, 11, 12, 13, 155, 157,
	    221, 0xffff };
	uint8_t buf[1024];
	struct pptp_msg m;
	unsigned int t, i;
	size_t len;
	char why[128];

	for (t = 1; t <= PPTP_TYPE_MAX; t++) {
		for (i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
			memset(buf, 0, sizeof(buf));
			len = encode(t, buf, sizeof(buf));
			if (lies[i] == len)
				continue;
			put_be16(buf, (uint16_t)lies[i]);
			/* Buffer as long as the message really is... */
			ATF_REQUIRE_EQ_MSG(pptp_msg_decode(buf, len, &m, why,
			    sizeof(why)), PPTP_MSG_ELENGTH, "type %u, lie %u",
			    t, lies[i]);
			/* ...and as long as the lie, where that fits. */
			if (lies[i] >= PPTP_HDR_LEN && lies[i] <= sizeof(buf))
				ATF_REQUIRE_EQ_MSG(pptp_msg_decode(buf,
				    lies[i], &m, why, sizeof(why)),
				    PPTP_MSG_ELENGTH, "type %u, lie %u", t,
				    lies[i]);
		}
	}
	len = encode(PPTP_OCRP, buf, sizeof(buf));
	put_be16(buf, 30);
	pptp_msg_decode(buf, len, &m, why, sizeof(why));
	ATF_REQUIRE_STREQ(why, "OCRP: length field 30, expected 32");
	/* Right length field, extra bytes after it. */
	len = encode(PPTP_CCRQ, buf, sizeof(buf));
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len + 1, &m, why, sizeof(why)),
	    PPTP_MSG_ELENGTH);
	ATF_REQUIRE_STREQ(why, "CCRQ: 17 bytes, length field says 16");
}

ATF_TC_WITHOUT_HEAD(inner_lengths);
ATF_TC_BODY(inner_lengths, tc)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	size_t len;
	char why[128];

	/* OCRQ Phone Number Length beyond its 64-byte field. */
	len = encode(PPTP_OCRQ, buf, sizeof(buf));
	ATF_REQUIRE_EQ(get_be16(buf + 36), 7);
	put_be16(buf + 36, 65);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, why, sizeof(why)),
	    PPTP_MSG_EVALUE);
	ATF_REQUIRE_STREQ(why, "OCRQ: phone number length 65, at most 64");
	put_be16(buf + 36, 0xffff);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, NULL, 0),
	    PPTP_MSG_EVALUE);
	/* Shorter than the digits: only that many count. */
	put_be16(buf + 36, 3);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, why, sizeof(why)),
	    PPTP_MSG_OK);
	ATF_REQUIRE_STREQ(m.u.ocrq.phone, "555");
	put_be16(buf + 36, 64);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, why, sizeof(why)),
	    PPTP_MSG_OK);
	ATF_REQUIRE_STREQ(m.u.ocrq.phone, "5551234");

	/* ICRQ Dialed and Dialing Number Lengths. */
	len = encode(PPTP_ICRQ, buf, sizeof(buf));
	ATF_REQUIRE_EQ(get_be16(buf + 24), 3);
	ATF_REQUIRE_EQ(get_be16(buf + 26), 4);
	put_be16(buf + 24, 200);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, why, sizeof(why)),
	    PPTP_MSG_EVALUE);
	put_be16(buf + 24, 3);
	put_be16(buf + 26, 65);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, why, sizeof(why)),
	    PPTP_MSG_EVALUE);
	put_be16(buf + 26, 2);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, why, sizeof(why)),
	    PPTP_MSG_OK);
	ATF_REQUIRE_STREQ(m.u.icrq.dialed, "123");
	ATF_REQUIRE_STREQ(m.u.icrq.dialing, "45");
}

ATF_TC_WITHOUT_HEAD(header_checks);
ATF_TC_BODY(header_checks, tc)
{
	static const unsigned int unknown[] = { 0, 16, 99, 255, 0xffff };
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	size_t len, i;
	char why[128];

	len = encode(PPTP_ECHORQ, buf, sizeof(buf));
	put_be32(buf + 4, 0x1a2b3c4e);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, why, sizeof(why)),
	    PPTP_MSG_ECOOKIE);
	ATF_REQUIRE_STREQ(why, "magic cookie 0x1a2b3c4e, expected 0x1a2b3c4d");

	len = encode(PPTP_ECHORQ, buf, sizeof(buf));
	put_be16(buf + 2, 2);	/* management */
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, why, sizeof(why)),
	    PPTP_MSG_EMSGTYPE);
	put_be16(buf + 2, 0);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, why, sizeof(why)),
	    PPTP_MSG_EMSGTYPE);

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		len = encode(PPTP_ECHORQ, buf, sizeof(buf));
		put_be16(buf + 8, (uint16_t)unknown[i]);
		ATF_REQUIRE_EQ_MSG(pptp_msg_decode(buf, len, &m, why,
		    sizeof(why)), PPTP_MSG_EUNKNOWN, "type %u", unknown[i]);
	}
	ATF_REQUIRE_STREQ(why,
	    "unknown control message type 65535 (length 16)");

	/* Reserved fields are ignored, not refused. */
	len = encode(PPTP_CCRQ, buf, sizeof(buf));
	buf[10] = 0xff;
	buf[15] = 0xff;
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, why, sizeof(why)),
	    PPTP_MSG_OK);
	ATF_REQUIRE_EQ(m.u.ccrq.call_id, 0xabcd);
}

ATF_TC_WITHOUT_HEAD(version);
ATF_TC_BODY(version, tc)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	size_t len;
	char why[128];

	len = encode(PPTP_SCCRP, buf, sizeof(buf));
	put_be16(buf + 12, 0x0200);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, why, sizeof(why)),
	    PPTP_MSG_EVERSION);
	ATF_REQUIRE_STREQ(why,
	    "SCCRP: protocol version 2.0, only 1.0 is supported");
	/* Still filled, so that the engine can answer. */
	ATF_REQUIRE_EQ(m.type, PPTP_SCCRP);
	ATF_REQUIRE_EQ(m.u.scc.version, 0x0200);
	ATF_REQUIRE_EQ(m.u.scc.result, 1);
	ATF_REQUIRE_STREQ(m.u.scc.hostname, "gw.example.org");

	len = encode(PPTP_SCCRQ, buf, sizeof(buf));
	put_be16(buf + 12, 0x0000);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, NULL, 0),
	    PPTP_MSG_EVERSION);
}

ATF_TC_WITHOUT_HEAD(strings);
ATF_TC_BODY(strings, tc)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	size_t len;

	/* A host name that fills its field has no NUL on the wire. */
	len = encode(PPTP_SCCRP, buf, sizeof(buf));
	memset(buf + 28, 'h', 64);
	memset(buf + 92, 'v', 64);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, NULL, 0), PPTP_MSG_OK);
	ATF_REQUIRE_EQ(strlen(m.u.scc.hostname), 64);
	ATF_REQUIRE_EQ(strlen(m.u.scc.vendor), 64);
	ATF_REQUIRE_EQ(m.u.scc.hostname[0], 'h');

	/* Control characters cannot reach a log line. */
	len = encode(PPTP_SCCRP, buf, sizeof(buf));
	memcpy(buf + 28, "a\nb\033[2Jc\x80", 10);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, NULL, 0), PPTP_MSG_OK);
	ATF_REQUIRE_STREQ(m.u.scc.hostname, "a?b?[2Jc?");

	/* A NUL ends the string even with bytes after it. */
	len = encode(PPTP_CDN, buf, sizeof(buf));
	memcpy(buf + 20, "ab\0cd", 5);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, NULL, 0), PPTP_MSG_OK);
	ATF_REQUIRE_STREQ(m.u.cdn.stats, "ab");
	memset(buf + 20, 's', 128);
	ATF_REQUIRE_EQ(pptp_msg_decode(buf, len, &m, NULL, 0), PPTP_MSG_OK);
	ATF_REQUIRE_EQ(strlen(m.u.cdn.stats), 128);
}

ATF_TC_WITHOUT_HEAD(encode_limits);
ATF_TC_BODY(encode_limits, tc)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	struct wbuf w;
	unsigned int t;

	for (t = 1; t <= PPTP_TYPE_MAX; t++) {
		sample(t, &m);
		wbuf_init(&w, buf, pptp_msg_len(t) - 1);
		ATF_REQUIRE_EQ_MSG(pptp_msg_encode(&w, &m), -1, "type %u", t);
	}
	memset(&m, 0, sizeof(m));
	m.type = 16;
	wbuf_init(&w, buf, sizeof(buf));
	ATF_REQUIRE_EQ(pptp_msg_encode(&w, &m), -1);
	ATF_REQUIRE_EQ(wbuf_len(&w), 0);
}

/* Three messages of different lengths back to back. */
static size_t
stream3(uint8_t *buf, size_t cap)
{
	size_t n;

	n = encode(PPTP_SCCRP, buf, cap);
	n += encode(PPTP_ECHORQ, buf + n, cap - n);
	n += encode(PPTP_ICRQ, buf + n, cap - n);
	return n;
}

static void
check3(const unsigned int *types, size_t n)
{
	ATF_REQUIRE_EQ(n, 3);
	ATF_REQUIRE_EQ(types[0], PPTP_SCCRP);
	ATF_REQUIRE_EQ(types[1], PPTP_ECHORQ);
	ATF_REQUIRE_EQ(types[2], PPTP_ICRQ);
}

static void
drain(struct pptp_framer *f, unsigned int *types, size_t *n)
{
	const uint8_t *msg;
	struct pptp_msg m;
	size_t len;
	int r;

	while ((r = pptp_framer_next(f, &msg, &len, NULL, 0)) == 1) {
		ATF_REQUIRE_EQ(pptp_msg_decode(msg, len, &m, NULL, 0),
		    PPTP_MSG_OK);
		types[(*n)++] = m.type;
	}
	ATF_REQUIRE_EQ(r, 0);
}

ATF_TC_WITHOUT_HEAD(framer_byte_by_byte);
ATF_TC_BODY(framer_byte_by_byte, tc)
{
	struct pptp_framer f;
	uint8_t buf[600];
	unsigned int types[8];
	size_t len, i, n = 0;

	len = stream3(buf, sizeof(buf));
	pptp_framer_init(&f);
	for (i = 0; i < len; i++) {
		ATF_REQUIRE_EQ(pptp_framer_push(&f, buf + i, 1), 1);
		drain(&f, types, &n);
	}
	check3(types, n);
}

ATF_TC_WITHOUT_HEAD(framer_joined_and_split);
ATF_TC_BODY(framer_joined_and_split, tc)
{
	struct pptp_framer f;
	uint8_t buf[600];
	unsigned int types[8];
	size_t len, cut, n;

	len = stream3(buf, sizeof(buf));
	/* All at once. */
	pptp_framer_init(&f);
	n = 0;
	ATF_REQUIRE_EQ(pptp_framer_push(&f, buf, len), len);
	drain(&f, types, &n);
	check3(types, n);
	/* Every split into two reads. */
	for (cut = 1; cut < len; cut++) {
		pptp_framer_init(&f);
		n = 0;
		ATF_REQUIRE_EQ(pptp_framer_push(&f, buf, cut), cut);
		drain(&f, types, &n);
		ATF_REQUIRE_EQ(pptp_framer_push(&f, buf + cut, len - cut),
		    len - cut);
		drain(&f, types, &n);
		check3(types, n);
	}
}

ATF_TC_WITHOUT_HEAD(framer_full);
ATF_TC_BODY(framer_full, tc)
{
	struct pptp_framer f;
	uint8_t buf[100 * 20];
	const uint8_t *msg;
	size_t len, off, n, i, got = 0;

	/* 100 Echo-Replies of 20 bytes: more than the buffer holds. */
	for (i = 0; i < 100; i++)
		encode(PPTP_ECHORP, buf + i * 20, 20);
	pptp_framer_init(&f);
	off = pptp_framer_push(&f, buf, sizeof(buf));
	ATF_REQUIRE_EQ(off, PPTP_FRAMER_BUFSZ);
	ATF_REQUIRE_EQ(pptp_framer_push(&f, buf + off, 1), 0);
	for (;;) {
		while (pptp_framer_next(&f, &msg, &len, NULL, 0) == 1) {
			ATF_REQUIRE_EQ(len, 20);
			ATF_REQUIRE(memcmp(msg, buf, 20) == 0);
			got++;
		}
		if (off == sizeof(buf))
			break;
		n = pptp_framer_push(&f, buf + off, sizeof(buf) - off);
		ATF_REQUIRE(n > 0);
		off += n;
	}
	ATF_REQUIRE_EQ(got, 100);
	ATF_REQUIRE_EQ(f.end - f.start, 0);
}

ATF_TC_WITHOUT_HEAD(framer_loses_sync);
ATF_TC_BODY(framer_loses_sync, tc)
{
	static const uint16_t bad_lengths[] = { 0, 11, 221, 0xffff };
	struct pptp_framer f;
	uint8_t buf[64];
	const uint8_t *msg;
	size_t len, i;
	char why[128];

	/* Bad cookie: refused as soon as the cookie is here. */
	encode(PPTP_ECHORQ, buf, sizeof(buf));
	buf[7] ^= 1;
	pptp_framer_init(&f);
	pptp_framer_push(&f, buf, 7);
	ATF_REQUIRE_EQ(pptp_framer_next(&f, &msg, &len, why, sizeof(why)), 0);
	pptp_framer_push(&f, buf + 7, 1);
	ATF_REQUIRE_EQ(pptp_framer_next(&f, &msg, &len, why, sizeof(why)), -1);
	ATF_REQUIRE_STREQ(why, "magic cookie 0x1a2b3c4c, expected 0x1a2b3c4d");
	/* And stays lost, even with good bytes after. */
	encode(PPTP_ECHORQ, buf, sizeof(buf));
	pptp_framer_push(&f, buf, 16);
	ATF_REQUIRE_EQ(pptp_framer_next(&f, &msg, &len, NULL, 0), -1);

	/* Impossible lengths: refused with only the length field here. */
	for (i = 0; i < sizeof(bad_lengths) / sizeof(bad_lengths[0]); i++) {
		encode(PPTP_ECHORQ, buf, sizeof(buf));
		put_be16(buf, bad_lengths[i]);
		pptp_framer_init(&f);
		pptp_framer_push(&f, buf, 1);
		ATF_REQUIRE_EQ(pptp_framer_next(&f, &msg, &len, NULL, 0), 0);
		pptp_framer_push(&f, buf + 1, 1);
		ATF_REQUIRE_EQ_MSG(pptp_framer_next(&f, &msg, &len, why,
		    sizeof(why)), -1, "length %u", bad_lengths[i]);
	}
	ATF_REQUIRE_STREQ(why, "length field 65535, no message is shorter "
	    "than 12 or longer than 220");

	/* A message after a good one that lost sync: the good one first. */
	pptp_framer_init(&f);
	encode(PPTP_CCRQ, buf, sizeof(buf));
	encode(PPTP_CCRQ, buf + 16, sizeof(buf) - 16);
	buf[16 + 4] = 0;
	pptp_framer_push(&f, buf, 32);
	ATF_REQUIRE_EQ(pptp_framer_next(&f, &msg, &len, NULL, 0), 1);
	ATF_REQUIRE_EQ(len, 16);
	ATF_REQUIRE_EQ(pptp_framer_next(&f, &msg, &len, NULL, 0), -1);
}

/* What pptp_framer_feed() handed over, for the tests below. */
struct fed {
	unsigned int	 types[128];
	size_t		 n;
	size_t		 stop_after;	/* deliver says -1 after this many */
};

static int
fed_deliver(void *arg, const uint8_t *msg, size_t len)
{
	struct fed *fd = arg;
	struct pptp_msg m;

	ATF_REQUIRE_EQ(pptp_msg_decode(msg, len, &m, NULL, 0), PPTP_MSG_OK);
	ATF_REQUIRE(fd->n < sizeof(fd->types) / sizeof(fd->types[0]));
	fd->types[fd->n++] = m.type;
	return fd->n == fd->stop_after ? -1 : 0;
}

ATF_TC_WITHOUT_HEAD(framer_feed);
ATF_TC_BODY(framer_feed, tc)
{
	struct pptp_framer f;
	struct fed fd;
	uint8_t buf[100 * 20];
	size_t len, cut, i;
	char why[128];

	/* Every split of a stream into two reads. */
	len = stream3(buf, sizeof(buf));
	for (cut = 0; cut <= len; cut++) {
		memset(&fd, 0, sizeof(fd));
		pptp_framer_init(&f);
		ATF_REQUIRE_EQ(pptp_framer_feed(&f, buf, cut, fed_deliver, &fd,
		    why, sizeof(why)), 0);
		ATF_REQUIRE_EQ(pptp_framer_feed(&f, buf + cut, len - cut,
		    fed_deliver, &fd, why, sizeof(why)), 0);
		check3(fd.types, fd.n);
	}

	/* One read of more than the framer's buffer holds. */
	for (i = 0; i < 100; i++)
		encode(PPTP_ECHORP, buf + i * 20, 20);
	memset(&fd, 0, sizeof(fd));
	pptp_framer_init(&f);
	ATF_REQUIRE_EQ(pptp_framer_feed(&f, buf, sizeof(buf), fed_deliver,
	    &fd, why, sizeof(why)), 0);
	ATF_REQUIRE_EQ(fd.n, 100);

	/* A receiver that goes away stops delivery at once. */
	memset(&fd, 0, sizeof(fd));
	fd.stop_after = 2;
	pptp_framer_init(&f);
	ATF_REQUIRE_EQ(pptp_framer_feed(&f, buf, sizeof(buf), fed_deliver,
	    &fd, why, sizeof(why)), 1);
	ATF_REQUIRE_EQ(fd.n, 2);

	/* Lost sync after a good message: that one, then -1 and why. */
	encode(PPTP_CCRQ, buf, sizeof(buf));
	encode(PPTP_CCRQ, buf + 16, sizeof(buf) - 16);
	buf[16 + 4] = 0;
	memset(&fd, 0, sizeof(fd));
	pptp_framer_init(&f);
	ATF_REQUIRE_EQ(pptp_framer_feed(&f, buf, 32, fed_deliver, &fd, why,
	    sizeof(why)), -1);
	ATF_REQUIRE_EQ(fd.n, 1);
	ATF_REQUIRE_STREQ(why, "magic cookie 0x002b3c4d, expected 0x1a2b3c4d");
	/* And nothing more is taken from a stream out of sync. */
	ATF_REQUIRE_EQ(pptp_framer_feed(&f, buf, 16, fed_deliver, &fd, why,
	    sizeof(why)), -1);
	ATF_REQUIRE_EQ(fd.n, 1);
}

ATF_TC_WITHOUT_HEAD(msg_init_zeroes);
ATF_TC_BODY(msg_init_zeroes, tc)
{
	struct pptp_msg m;
	static const struct pptp_scc zero;

	memset(&m, 0xa5, sizeof(m));
	pptp_msg_init(&m, PPTP_SCCRQ);
	ATF_CHECK_EQ(m.type, PPTP_SCCRQ);
	ATF_CHECK(memcmp(&m.u.scc, &zero, sizeof(zero)) == 0);
}

ATF_TC_WITHOUT_HEAD(names);
ATF_TC_BODY(names, tc)
{
	ATF_REQUIRE_STREQ(pptp_error_name(0), "none");
	ATF_REQUIRE_STREQ(pptp_error_name(1), "not connected");
	ATF_REQUIRE_STREQ(pptp_error_name(2), "bad format");
	ATF_REQUIRE_STREQ(pptp_error_name(3), "bad value");
	ATF_REQUIRE_STREQ(pptp_error_name(4), "no resource");
	ATF_REQUIRE_STREQ(pptp_error_name(5), "bad call ID");
	ATF_REQUIRE_STREQ(pptp_error_name(6), "PAC error");
	ATF_REQUIRE_STREQ(pptp_error_name(7), "unknown");
	ATF_REQUIRE_STREQ(pptp_error_name(255), "unknown");

	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_SCCRP, 1), "success");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_SCCRP, 4),
	    "requester not authorized");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_SCCRP, 5),
	    "protocol version not supported");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_SCCRP, 6), "unknown");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_SCCRP, 0), "unknown");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_STOPCCRQ, 3),
	    "local shutdown");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_STOPCCRP, 1), "OK");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_ECHORP, 2), "general error");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_OCRP, 2), "general error");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_OCRP, 7), "do not accept");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_OCRP, 8), "unknown");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_ICRP, 3), "do not accept");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_CDN, 4), "request");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_CDN, 1), "lost carrier");
	ATF_REQUIRE_STREQ(pptp_result_name(PPTP_SLI, 1), "unknown");

	ATF_REQUIRE_STREQ(pptp_type_name(PPTP_SCCRP), "SCCRP");
	ATF_REQUIRE_STREQ(pptp_type_name(0), "unknown");
	ATF_REQUIRE_STREQ(pptp_type_name(16), "unknown");
	ATF_REQUIRE_STREQ(pptp_type_longname(PPTP_CDN),
	    "Call-Disconnect-Notify");
	ATF_REQUIRE_STREQ(pptp_msg_strerror(PPTP_MSG_ECOOKIE),
	    "bad magic cookie");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, sccrq_wire);
	ATF_TP_ADD_TC(tp, ocrp_wire);
	ATF_TP_ADD_TC(tp, roundtrip_every_type);
	ATF_TP_ADD_TC(tp, truncated);
	ATF_TP_ADD_TC(tp, length_field_lies);
	ATF_TP_ADD_TC(tp, inner_lengths);
	ATF_TP_ADD_TC(tp, header_checks);
	ATF_TP_ADD_TC(tp, version);
	ATF_TP_ADD_TC(tp, strings);
	ATF_TP_ADD_TC(tp, encode_limits);
	ATF_TP_ADD_TC(tp, framer_byte_by_byte);
	ATF_TP_ADD_TC(tp, framer_joined_and_split);
	ATF_TP_ADD_TC(tp, framer_full);
	ATF_TP_ADD_TC(tp, framer_loses_sync);
	ATF_TP_ADD_TC(tp, framer_feed);
	ATF_TP_ADD_TC(tp, msg_init_zeroes);
	ATF_TP_ADD_TC(tp, names);
	return atf_no_error();
}
