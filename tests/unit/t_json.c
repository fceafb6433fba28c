/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The JSON writer: escaping, nesting and its checks, the size limit, and
 * the session object of session_info.c with every key of pptpc_ctl.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "control.h"
#include "json.h"
#include "session_info.h"

/* The document as a C string, for comparisons. */
static const char *
doc(struct json *j)
{
	static char out[4096];
	const char *d;
	size_t len;

	ATF_REQUIRE_MSG((d = json_data(j, &len)) != NULL, "json failed");
	ATF_REQUIRE(len < sizeof(out));
	memcpy(out, d, len);
	out[len] = '\0';
	return out;
}

static const char *
one_string(struct json *j, const char *s, size_t n)
{
	json_reset(j);
	json_strn(j, NULL, s, n);
	return doc(j);
}

ATF_TC_WITHOUT_HEAD(escapes);
ATF_TC_BODY(escapes, tc)
{
	struct json j;

	json_init(&j, 4096);
	ATF_CHECK_STREQ(one_string(&j, "plain", 5), "\"plain\"");
	ATF_CHECK_STREQ(one_string(&j, "", 0), "\"\"");
	ATF_CHECK_STREQ(one_string(&j, "a\"b", 3), "\"a\\\"b\"");
	ATF_CHECK_STREQ(one_string(&j, "a\\b", 3), "\"a\\\\b\"");
	ATF_CHECK_STREQ(one_string(&j, "\b\f\n\r\t", 5),
	    "\"\\b\\f\\n\\r\\t\"");
	ATF_CHECK_STREQ(one_string(&j, "\x01\x1f\x7f", 3),
	    "\"\\u0001\\u001f\\u007f\"");
	ATF_CHECK_STREQ(one_string(&j, "\x1b[31m", 5), "\"\\u001b[31m\"");
	/* "/" needs no escape and gets none. */
	ATF_CHECK_STREQ(one_string(&j, "a/b", 3), "\"a/b\"");
	/* Stops at a NUL inside the bound, never reads past the bound. */
	ATF_CHECK_STREQ(one_string(&j, "ab\0cd", 5), "\"ab\"");
	ATF_CHECK_STREQ(one_string(&j, "abcdef", 3), "\"abc\"");
	json_free(&j);
}

ATF_TC_WITHOUT_HEAD(utf8);
ATF_TC_BODY(utf8, tc)
{
	struct json j;

	json_init(&j, 4096);
	/* Valid UTF-8 of every length passes through untouched. */
	ATF_CHECK_STREQ(one_string(&j, "caf\xc3\xa9", 5), "\"caf\xc3\xa9\"");
	ATF_CHECK_STREQ(one_string(&j, "\xe2\x82\xac", 3),
	    "\"\xe2\x82\xac\"");
	ATF_CHECK_STREQ(one_string(&j, "\xf0\x9f\x94\x92", 4),
	    "\"\xf0\x9f\x94\x92\"");
	ATF_CHECK_STREQ(one_string(&j, "\xf4\x8f\xbf\xbf", 4),
	    "\"\xf4\x8f\xbf\xbf\"");
	/* Broken UTF-8 becomes U+FFFD, one per bad byte. */
	ATF_CHECK_STREQ(one_string(&j, "a\xff" "b", 3),
	    "\"a\xef\xbf\xbd" "b\"");
	ATF_CHECK_STREQ(one_string(&j, "\xc3", 1), "\"\xef\xbf\xbd\"");
	/* Overlong "/", a surrogate, above U+10FFFF, a lone continuation. */
	ATF_CHECK_STREQ(one_string(&j, "\xc0\xaf", 2),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	ATF_CHECK_STREQ(one_string(&j, "\xed\xa0\x80", 3),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	ATF_CHECK_STREQ(one_string(&j, "\xf4\x90\x80\x80", 4),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	ATF_CHECK_STREQ(one_string(&j, "\x80", 1), "\"\xef\xbf\xbd\"");
	/* A sequence cut by the bound is broken too. */
	ATF_CHECK_STREQ(one_string(&j, "\xe2\x82\xac", 2),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	json_free(&j);
}

ATF_TC_WITHOUT_HEAD(numbers);
ATF_TC_BODY(numbers, tc)
{
	struct json j;

	json_init(&j, 4096);
	json_arr_open(&j, NULL);
	json_u64(&j, NULL, 0);
	json_u64(&j, NULL, 1);
	json_u64(&j, NULL, UINT32_MAX);
	json_u64(&j, NULL, (uint64_t)UINT32_MAX + 1);
	json_u64(&j, NULL, UINT64_MAX);
	json_bool(&j, NULL, 1);
	json_bool(&j, NULL, 0);
	json_null(&j, NULL);
	json_str(&j, NULL, NULL);
	json_arr_close(&j);
	ATF_CHECK_STREQ(doc(&j), "[0,1,4294967295,4294967296,"
	    "18446744073709551615,true,false,null,null]");
	json_free(&j);
}

ATF_TC_WITHOUT_HEAD(nesting);
ATF_TC_BODY(nesting, tc)
{
	struct json j;

	json_init(&j, 4096);
	json_obj_open(&j, NULL);
	json_arr_open(&j, "a");
	json_obj_open(&j, NULL);
	json_obj_close(&j);
	json_arr_open(&j, NULL);
	json_arr_close(&j);
	json_arr_close(&j);
	json_str(&j, "k\"ey", "v");
	json_obj_open(&j, "o");
	json_u64(&j, "n", 5);
	json_obj_close(&j);
	json_obj_close(&j);
	ATF_CHECK_STREQ(doc(&j), "{\"a\":[{},[]],\"k\\\"ey\":\"v\","
	    "\"o\":{\"n\":5}}");
	json_tail(&j, "\n");
	ATF_CHECK_STREQ(doc(&j), "{\"a\":[{},[]],\"k\\\"ey\":\"v\","
	    "\"o\":{\"n\":5}}\n");
	json_free(&j);
}

ATF_TC_WITHOUT_HEAD(misuse);
ATF_TC_BODY(misuse, tc)
{
	struct json j;
	size_t len;
	int i;

	json_init(&j, 4096);
	/* A key at the top level. */
	json_str(&j, "k", "v");
	ATF_CHECK(json_failed(&j));
	ATF_CHECK(json_data(&j, &len) == NULL);
	/* No key inside an object; and the error sticks. */
	json_reset(&j);
	json_obj_open(&j, NULL);
	json_u64(&j, NULL, 1);
	ATF_CHECK(json_failed(&j));
	json_obj_close(&j);
	ATF_CHECK(json_failed(&j));
	/* A key inside an array. */
	json_reset(&j);
	json_arr_open(&j, NULL);
	json_null(&j, "k");
	ATF_CHECK(json_failed(&j));
	/* Mismatched and extra closes. */
	json_reset(&j);
	json_arr_open(&j, NULL);
	json_obj_close(&j);
	ATF_CHECK(json_failed(&j));
	json_reset(&j);
	json_obj_close(&j);
	ATF_CHECK(json_failed(&j));
	/* Unfinished: no data. */
	json_reset(&j);
	json_arr_open(&j, NULL);
	ATF_CHECK(!json_failed(&j));
	ATF_CHECK(json_data(&j, &len) == NULL);
	/* Two top-level values. */
	json_reset(&j);
	json_u64(&j, NULL, 1);
	ATF_CHECK(json_data(&j, &len) != NULL);
	json_u64(&j, NULL, 2);
	ATF_CHECK(json_failed(&j));
	/* A tail before the document is complete. */
	json_reset(&j);
	json_tail(&j, "\n");
	ATF_CHECK(json_failed(&j));
	/* Too deep. */
	json_reset(&j);
	for (i = 0; i < JSON_DEPTH_MAX; i++)
		json_arr_open(&j, NULL);
	ATF_CHECK(!json_failed(&j));
	json_arr_open(&j, NULL);
	ATF_CHECK(json_failed(&j));
	/* json_reset clears the error. */
	json_reset(&j);
	json_null(&j, NULL);
	ATF_CHECK_STREQ(doc(&j), "null");
	json_free(&j);
}

ATF_TC_WITHOUT_HEAD(limit);
ATF_TC_BODY(limit, tc)
{
	struct json j;
	char big[100];
	size_t len;
	int i;

	/* Exactly at the limit is fine; one byte over fails. */
	json_init(&j, 7);
	json_str(&j, NULL, "abcde");
	ATF_CHECK_STREQ(doc(&j), "\"abcde\"");
	json_reset(&j);
	json_str(&j, NULL, "abcdef");
	ATF_CHECK(json_failed(&j));
	json_free(&j);

	/* Growth past the first chunk, up to a limit. */
	memset(big, 'x', sizeof(big));
	json_init(&j, 5000);
	json_arr_open(&j, NULL);
	for (i = 0; i < 100 && !json_failed(&j); i++)
		json_strn(&j, NULL, big, sizeof(big));
	ATF_CHECK(json_failed(&j));
	ATF_CHECK(i > 40 && i < 50);
	ATF_CHECK(json_data(&j, &len) == NULL);
	json_free(&j);
}

static void
fill(struct session_info *si)
{
	memset(si, 0, sizeof(*si));
	strcpy(si->name, "office");
	si->state = SESSION_UP;
	strcpy(si->server, "vpn.example.com port 1723");
	strcpy(si->server_addr, "192.0.2.1");
	strcpy(si->interface, "tun0");
	strcpy(si->local_ip, "198.51.100.7");
	strcpy(si->peer_ip, "198.51.100.1");
	strcpy(si->local_ip6, "fe80::1");
	strcpy(si->peer_ip6, "fe80::2");
	strcpy(si->dns[0], "203.0.113.53");
	strcpy(si->dns_applied, "resolved");
	strcpy(si->engine, "userspace");
	strcpy(si->mppe, "128 stateless");
	strcpy(si->auth, "mschapv2");
	si->mtu = 1400;
	si->tcp_mss = 1360;
	strcpy(si->kill_switch, "armed");
	si->uptime_s = 11040;
	si->tx_packets = 1;
	si->tx_bytes = 2;
	si->rx_packets = 3;
	si->rx_bytes = UINT64_MAX;
	si->rx_errors = 5;
	si->rx_lost = 6;
	si->gre_reordered = 10;
	si->gre_late = 11;
	si->gre_duplicate = 12;
	si->gre_out_of_window = 13;
	si->gre_resyncs = 14;
	si->mppe_undecryptable = 15;
	si->mppe_over_budget = 21;
	si->mppe_resets_sent = 16;
	si->mppe_resets_received = 17;
	si->cleartext_dropped = 18;
	si->lcp_echo_rtt_ms = 19;
	si->lcp_echoes_missed = 20;
	si->reconnects = 7;
	si->next_attempt_s = 8;
}

ATF_TC_WITHOUT_HEAD(session_object);
ATF_TC_BODY(session_object, tc)
{
	struct session_info si;
	struct json j;

	fill(&si);
	json_init(&j, 4096);
	session_info_json(&j, NULL, &si);
	ATF_CHECK_STREQ(doc(&j), "{\"name\":\"office\",\"state\":\"up\","
	    "\"server\":\"vpn.example.com port 1723\","
	    "\"server_addr\":\"192.0.2.1\",\"interface\":\"tun0\","
	    "\"local_ip\":\"198.51.100.7\",\"peer_ip\":\"198.51.100.1\","
	    "\"local_ip6\":\"fe80::1\",\"peer_ip6\":\"fe80::2\","
	    "\"dns\":[\"203.0.113.53\"],\"dns_applied\":\"resolved\","
	    "\"engine\":\"userspace\","
	    "\"mppe\":\"128 stateless\",\"auth\":\"mschapv2\",\"mtu\":1400,"
	    "\"tcp_mss\":1360,\"kill_switch\":\"armed\","
	    "\"uptime_s\":11040,\"tx_packets\":1,\"tx_bytes\":2,"
	    "\"rx_packets\":3,\"rx_bytes\":18446744073709551615,"
	    "\"rx_errors\":5,\"rx_lost\":6,"
	    "\"gre_reordered\":10,\"gre_late\":11,\"gre_duplicate\":12,"
	    "\"gre_out_of_window\":13,\"gre_resyncs\":14,"
	    "\"mppe_undecryptable\":15,\"mppe_over_budget\":21,"
	    "\"mppe_resets_sent\":16,"
	    "\"mppe_resets_received\":17,\"cleartext_dropped\":18,"
	    "\"lcp_echo_rtt_ms\":19,\"lcp_echoes_missed\":20,"
	    "\"reconnects\":7,"
	    "\"next_attempt_s\":8,\"last_error\":null}");

	/* A fresh tunnel: unknown strings are null, dns is empty. */
	memset(&si, 0, sizeof(si));
	strcpy(si.name, "x");
	si.state = SESSION_BACKOFF;
	strcpy(si.server, "192.0.2.9");
	strcpy(si.dns[1], "203.0.113.54");
	strcpy(si.last_error, "E=691 \"denied\"\n");
	session_info_counters_unknown(&si);
	json_reset(&j);
	session_info_json(&j, NULL, &si);
	ATF_CHECK_STREQ(doc(&j), "{\"name\":\"x\",\"state\":\"backoff\","
	    "\"server\":\"192.0.2.9\",\"server_addr\":null,"
	    "\"interface\":null,\"local_ip\":null,\"peer_ip\":null,"
	    "\"local_ip6\":null,\"peer_ip6\":null,"
	    "\"dns\":[\"203.0.113.54\"],\"dns_applied\":null,"
	    "\"engine\":null,\"mppe\":null,"
	    "\"auth\":null,\"mtu\":0,\"tcp_mss\":null,\"kill_switch\":null,"
	    "\"uptime_s\":0,"
	    "\"tx_packets\":0,"
	    "\"tx_bytes\":0,\"rx_packets\":0,\"rx_bytes\":0,"
	    "\"rx_errors\":0,\"rx_lost\":0,"
	    "\"gre_reordered\":null,\"gre_late\":null,"
	    "\"gre_duplicate\":null,\"gre_out_of_window\":null,"
	    "\"gre_resyncs\":null,\"mppe_undecryptable\":null,"
	    "\"mppe_over_budget\":null,"
	    "\"mppe_resets_sent\":null,\"mppe_resets_received\":null,"
	    "\"cleartext_dropped\":null,\"lcp_echo_rtt_ms\":null,"
	    "\"lcp_echoes_missed\":null,\"reconnects\":0,"
	    "\"next_attempt_s\":0,"
	    "\"last_error\":\"E=691 \\\"denied\\\"\\n\"}");

	/* Arrays filled to the brim, no NUL: bounded, not overrun. */
	memset(&si, 'A', sizeof(si));
	si.state = SESSION_IDLE;
	json_reset(&j);
	session_info_json(&j, NULL, &si);
	ATF_CHECK(!json_failed(&j));
	ATF_CHECK(strstr(doc(&j), "\"name\":\"AAAAAAAAAAAAAAAA\",") != NULL);
	json_free(&j);
}

ATF_TC_WITHOUT_HEAD(state_names);
ATF_TC_BODY(state_names, tc)
{
	ATF_CHECK_STREQ(session_state_name(SESSION_IDLE), "idle");
	ATF_CHECK_STREQ(session_state_name(SESSION_CONNECTING), "connecting");
	ATF_CHECK_STREQ(session_state_name(SESSION_AUTHENTICATING),
	    "authenticating");
	ATF_CHECK_STREQ(session_state_name(SESSION_NETWORK), "network");
	ATF_CHECK_STREQ(session_state_name(SESSION_UP), "up");
	ATF_CHECK_STREQ(session_state_name(SESSION_CLOSING), "closing");
	ATF_CHECK_STREQ(session_state_name(SESSION_BACKOFF), "backoff");
	ATF_CHECK_STREQ(session_state_name((enum session_state)99),
	    "unknown");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, escapes);
	ATF_TP_ADD_TC(tp, utf8);
	ATF_TP_ADD_TC(tp, numbers);
	ATF_TP_ADD_TC(tp, nesting);
	ATF_TP_ADD_TC(tp, misuse);
	ATF_TP_ADD_TC(tp, limit);
	ATF_TP_ADD_TC(tp, session_object);
	ATF_TP_ADD_TC(tp, state_names);
	return atf_no_error();
}
