/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * pptpctl's strict JSON reader: good documents, every kind of malformed
 * one, limits, and the pretty printer; and that what the daemon's writer
 * produces reads back the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "json.h"
#include "json_read.h"

static struct jv *
ok(const char *s)
{
	struct jv *v;
	char err[256];

	v = jv_parse(s, strlen(s), err, sizeof(err));
	ATF_REQUIRE_MSG(v != NULL, "'%s': %s", s, err);
	return v;
}

static void
fails(const char *s, size_t len, const char *msg)
{
	struct jv *v;
	char err[256];

	err[0] = '\0';
	v = jv_parse(s, len, err, sizeof(err));
	ATF_CHECK_MSG(v == NULL, "'%s' parsed", s);
	jv_free(v);
	if (msg != NULL)
		ATF_CHECK_STREQ_MSG(err, msg, "'%s'", s);
}

#define FAILS(s, msg)	fails((s), strlen(s), (msg))

ATF_TC_WITHOUT_HEAD(values);
ATF_TC_BODY(values, tc)
{
	const struct jv *m;
	struct jv *v;

	v = ok(" {\"a\" : [1, -2.5e3, true, false, null, \"x\"], "
	    "\"b\":{}, \"c\":[]}\n");
	ATF_REQUIRE_EQ(v->type, JV_OBJECT);
	ATF_REQUIRE((m = jv_get(v, "a")) != NULL);
	ATF_REQUIRE_EQ(m->type, JV_ARRAY);
	m = m->child;
	ATF_CHECK(m->type == JV_NUMBER && m->is_u64 && m->u64 == 1);
	m = m->next;
	ATF_CHECK(m->type == JV_NUMBER && !m->is_u64);
	ATF_CHECK_STREQ(m->str, "-2.5e3");
	ATF_CHECK_EQ((m = m->next)->type, JV_TRUE);
	ATF_CHECK_EQ((m = m->next)->type, JV_FALSE);
	ATF_CHECK_EQ((m = m->next)->type, JV_NULL);
	ATF_CHECK_EQ((m = m->next)->type, JV_STRING);
	ATF_CHECK_STREQ(m->str, "x");
	ATF_CHECK(m->next == NULL);
	ATF_CHECK_EQ(jv_get(v, "b")->type, JV_OBJECT);
	ATF_CHECK_EQ(jv_get(v, "c")->type, JV_ARRAY);
	ATF_CHECK(jv_get(v, "d") == NULL);
	ATF_CHECK(jv_get_str(v, "a") == NULL);
	jv_free(v);

	/* Bare scalars are documents too. */
	jv_free(ok("0"));
	jv_free(ok("\"\""));
	jv_free(ok("null"));
}

ATF_TC_WITHOUT_HEAD(numbers);
ATF_TC_BODY(numbers, tc)
{
	struct jv *v;

	v = ok("18446744073709551615");
	ATF_CHECK(v->is_u64 && v->u64 == UINT64_MAX);
	jv_free(v);
	v = ok("18446744073709551616");
	ATF_CHECK(!v->is_u64);
	ATF_CHECK_STREQ(v->str, "18446744073709551616");
	jv_free(v);
	v = ok("-0");
	ATF_CHECK(!v->is_u64);
	jv_free(v);
	v = ok("0.5");
	ATF_CHECK(!v->is_u64);
	jv_free(v);
	v = ok("1E+2");
	ATF_CHECK(!v->is_u64);
	jv_free(v);
	FAILS("01", "leading zero in number at byte 1");
	FAILS("-", "bad number at byte 1");
	FAILS("1.", "bad fraction at byte 2");
	FAILS(".5", "unexpected character at byte 0");
	FAILS("1e", "bad exponent at byte 2");
	FAILS("+1", "unexpected character at byte 0");
	FAILS("0x10", "trailing data at byte 1");
}

ATF_TC_WITHOUT_HEAD(strings);
ATF_TC_BODY(strings, tc)
{
	struct jv *v;

	v = ok("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20ac"
	    "\\ud83d\\udd12\"");
	ATF_CHECK_STREQ(v->str, "a\"\\/\b\f\n\r\tA\xc3\xa9\xe2\x82\xac"
	    "\xf0\x9f\x94\x92");
	jv_free(v);
	v = ok("\"caf\xc3\xa9\"");
	ATF_CHECK_STREQ(v->str, "caf\xc3\xa9");
	jv_free(v);
	FAILS("\"abc", "unterminated string at byte 1");
	FAILS("\"abc\\\"", "unterminated string at byte 1");
	FAILS("\"a\nb\"", "control character in string at byte 2");
	FAILS("\"\\x\"", "bad escape in string at byte 3");
	FAILS("\"\\u12\"", "truncated \\u escape at byte 3");
	FAILS("\"\\u12x4\"", "bad hex digit in \\u escape at byte 7");
	FAILS("\"\\u0000\"", "\\u0000 in string at byte 7");
	FAILS("\"\\udc00\"", "unpaired low surrogate at byte 7");
	FAILS("\"\\ud800\"", "unpaired high surrogate at byte 8");
	FAILS("\"\\ud800\\u0041\"", "unpaired high surrogate at byte 13");
	FAILS("\"\xff\"", "invalid UTF-8 in string at byte 1");
	FAILS("\"\xc3\"", "invalid UTF-8 in string at byte 1");
	FAILS("\"\xed\xa0\x80\"", "invalid UTF-8 in string at byte 1");
	FAILS("'a'", "unexpected character at byte 0");
	/* A NUL inside the input is not a string's end. */
	fails("\"a\0b\"", 5, "control character in string at byte 2");
}

ATF_TC_WITHOUT_HEAD(structure);
ATF_TC_BODY(structure, tc)
{
	char deep[2 * JV_DEPTH_MAX + 2], err[64];
	struct jv *v;
	size_t i;

	FAILS("", "unexpected end of input at byte 0");
	FAILS("   ", "unexpected end of input at byte 3");
	FAILS("[1,]", "unexpected character at byte 3");
	FAILS("[1 2]", "expected \",\" or \"]\" at byte 4");
	FAILS("{\"a\":1,}", "expected a member name at byte 8");
	FAILS("{\"a\" 1}", "expected \":\" at byte 6");
	FAILS("{a:1}", "expected a member name at byte 2");
	FAILS("{\"a\":1,\"a\":2}", "duplicate member \"a\" at byte 10");
	/* The message reaches a terminal: no escape sequence gets through. */
	FAILS("{\"\\u001b[2J\xc2\x9b\":1,\"\\u001b[2J\xc2\x9b\":2}",
	    "duplicate member \"?[2J??\" at byte 30");
	FAILS("{\"0123456789abcdef0123456789abcdefXYZ\":1,"
	    "\"0123456789abcdef0123456789abcdefXYZ\":2}",
	    "duplicate member \"0123456789abcdef0123456789abcdef\" at byte 78");
	FAILS("[1", "expected \",\" or \"]\" at byte 2");
	FAILS("{\"a\":1", "expected \",\" or \"}\" at byte 6");
	FAILS("{} {}", "trailing data at byte 3");
	FAILS("tru", "unexpected character at byte 0");
	FAILS("nul!", "unexpected character at byte 4");
	FAILS("[1] // c", "trailing data at byte 4");

	/* Nesting up to the limit is fine, one more is not. */
	for (i = 0; i < JV_DEPTH_MAX; i++) {
		deep[i] = '[';
		deep[JV_DEPTH_MAX + i] = ']';
	}
	v = jv_parse(deep, 2 * JV_DEPTH_MAX, err, sizeof(err));
	ATF_CHECK_MSG(v != NULL, "%s", err);
	jv_free(v);
	memmove(deep + 1, deep, 2 * JV_DEPTH_MAX);
	deep[0] = '[';
	deep[2 * JV_DEPTH_MAX + 1] = ']';
	fails(deep, 2 * JV_DEPTH_MAX + 2, "nested deeper than 32 at byte 33");
}

ATF_TC_WITHOUT_HEAD(member_limit);
ATF_TC_BODY(member_limit, tc)
{
	char *buf, *p;
	struct jv *v;
	char err[128];
	int i, n;

	/* 1024 members read; 1025 do not. */
	for (n = 1024; n <= 1025; n++) {
		ATF_REQUIRE((buf = malloc(16 * (size_t)n + 3)) != NULL);
		p = buf;
		*p++ = '{';
		for (i = 0; i < n; i++)
			p += sprintf(p, "%s\"k%d\":0", i > 0 ? "," : "", i);
		*p++ = '}';
		v = jv_parse(buf, (size_t)(p - buf), err, sizeof(err));
		if (n == 1024)
			ATF_CHECK_MSG(v != NULL, "%s", err);
		else
			ATF_CHECK(v == NULL);
		jv_free(v);
		free(buf);
	}
}

/* What json.c writes, jv_parse reads back to the same values. */
ATF_TC_WITHOUT_HEAD(round_trip);
ATF_TC_BODY(round_trip, tc)
{
	static const char nasty[] = "q\"b\\c\x01\x1f\x7f\n\xc3\xa9\xff";
	const char *d;
	struct json j;
	struct jv *v;
	char err[128];
	size_t len;

	json_init(&j, 4096);
	json_obj_open(&j, NULL);
	json_str(&j, "s", nasty);
	json_u64(&j, "n", UINT64_MAX);
	json_arr_open(&j, "a");
	json_null(&j, NULL);
	json_bool(&j, NULL, 1);
	json_arr_close(&j);
	json_obj_close(&j);
	json_tail(&j, "\n");
	ATF_REQUIRE((d = json_data(&j, &len)) != NULL);
	v = jv_parse(d, len, err, sizeof(err));
	ATF_REQUIRE_MSG(v != NULL, "%s", err);
	ATF_CHECK_STREQ(jv_get_str(v, "s"),
	    "q\"b\\c\x01\x1f\x7f\n\xc3\xa9\xef\xbf\xbd");
	ATF_CHECK(jv_get(v, "n")->is_u64 && jv_get(v, "n")->u64 == UINT64_MAX);
	ATF_CHECK_EQ(jv_get(v, "a")->child->type, JV_NULL);
	jv_free(v);
	json_free(&j);
}

ATF_TC_WITHOUT_HEAD(print);
ATF_TC_BODY(print, tc)
{
	struct jv *v;
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp;

	v = ok("{\"a\":[1,{\"b\":null}],\"e\":{},\"s\":\"x\\\"\\u0001\"}");
	ATF_REQUIRE((fp = open_memstream(&out, &outlen)) != NULL);
	jv_print(fp, v);
	fclose(fp);
	ATF_CHECK_STREQ(out, "{\n"
	    "  \"a\": [\n"
	    "    1,\n"
	    "    {\n"
	    "      \"b\": null\n"
	    "    }\n"
	    "  ],\n"
	    "  \"e\": {},\n"
	    "  \"s\": \"x\\\"\\u0001\"\n"
	    "}\n");
	free(out);
	jv_free(v);

	/* C1 controls are escaped like C0 ones; other UTF-8 passes. */
	v = ok("[\"a\xc2\x9b" "b\xc2\x80\xc2\xa0\xc3\xa9\"]");
	out = NULL;
	ATF_REQUIRE((fp = open_memstream(&out, &outlen)) != NULL);
	jv_print(fp, v);
	fclose(fp);
	ATF_CHECK_STREQ(out, "[\n  \"a\\u009bb\\u0080\xc2\xa0\xc3\xa9\"\n]\n");
	free(out);
	jv_free(v);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, values);
	ATF_TP_ADD_TC(tp, numbers);
	ATF_TP_ADD_TC(tp, strings);
	ATF_TP_ADD_TC(tp, structure);
	ATF_TP_ADD_TC(tp, member_limit);
	ATF_TP_ADD_TC(tp, round_trip);
	ATF_TP_ADD_TC(tp, print);
	return atf_no_error();
}
