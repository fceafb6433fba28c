/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * pptpcd and pptpctl share one definition of their protocol
 * (daemon/pptpc_ctl.h).  These cases fail if either side drifts from it:
 * every verb pptpctl can say is the verb pptpcd parses, every verb's
 * words reach it through pptpctl's own command line, and the session
 * object has exactly the shared keys, in their order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "control.h"
#include "json.h"
#include "json_read.h"
#include "parser.h"
#include "pptpc_ctl.h"
#include "session_info.h"

ATF_TC_WITHOUT_HEAD(verbs_round_trip);
ATF_TC_BODY(verbs_round_trip, tc)
{
	struct control_req req;
	struct ctl_cmd cmd;
	char line[PPTPC_CTL_REQ_MAX + 1], err[256];
	int v, n;

	for (v = 0; v < CTL_VERB_MAX; v++) {
		memset(&cmd, 0, sizeof(cmd));
		cmd.action = v;
		strcpy(cmd.name, "office");
		n = ctl_request(&cmd, line, sizeof(line));
		ATF_REQUIRE_MSG(n > 0, "verb %d has no request", v);
		ATF_REQUIRE_MSG(control_parse_request((const uint8_t *)line,
		    (size_t)n, &req, err, sizeof(err)) == 0,
		    "pptpcd refuses \"%s\": %s", line, err);
		ATF_CHECK_EQ_MSG((int)req.verb, v, "\"%s\"", line);
		if (ctl_verb_takes_name(v))
			ATF_CHECK_STREQ(req.name, "office");
		else
			ATF_CHECK_STREQ(req.name, "");
	}
}

/* Each verb's words, typed on pptpctl's command line, select that verb. */
ATF_TC_WITHOUT_HEAD(verbs_on_the_command_line);
ATF_TC_BODY(verbs_on_the_command_line, tc)
{
	struct ctl_cmd cmd;
	char words[64], err[256], *argv[8], *p;
	int v, argc;

	for (v = 0; v < CTL_VERB_MAX; v++) {
		snprintf(words, sizeof(words), "%s", ctl_verb_words(v));
		argc = 0;
		for (p = strtok(words, " "); p != NULL; p = strtok(NULL, " "))
			argv[argc++] = p;
		if (ctl_verb_takes_name(v))
			argv[argc++] = "office";
		ATF_REQUIRE_MSG(ctl_parse(argc, argv, &cmd, err,
		    sizeof(err)) == 0, "%s: %s", ctl_verb_words(v), err);
		ATF_CHECK_EQ_MSG((int)cmd.action, v, "%s",
		    ctl_verb_words(v));
	}
}

ATF_TC_WITHOUT_HEAD(session_keys);
ATF_TC_BODY(session_keys, tc)
{
	struct session_info si;
	const struct jv *m;
	struct json j;
	struct jv *doc;
	const char *data;
	char err[256];
	size_t len;
	int k;

	memset(&si, 0, sizeof(si));
	strcpy(si.name, "office");
	strcpy(si.server, "192.0.2.1");
	json_init(&j, 8192);
	session_info_json(&j, NULL, &si);
	ATF_REQUIRE((data = json_data(&j, &len)) != NULL);
	ATF_REQUIRE_MSG((doc = jv_parse(data, len, err, sizeof(err))) !=
	    NULL, "%s", err);
	for (m = doc->child, k = 0; m != NULL; m = m->next, k++) {
		ATF_REQUIRE_MSG(k < SESSION_KEY_MAX, "extra key \"%s\"",
		    m->key);
		ATF_CHECK_STREQ(m->key, session_key(k));
	}
	ATF_CHECK_EQ(k, SESSION_KEY_MAX);
	jv_free(doc);
	json_free(&j);
}

/* A counter no engine could tell is null, never a made-up 0. */
ATF_TC_WITHOUT_HEAD(unknown_counters_are_null);
ATF_TC_BODY(unknown_counters_are_null, tc)
{
	struct session_info si;
	struct json j;
	const char *data;
	char *doc;
	size_t len;

	memset(&si, 0, sizeof(si));
	strcpy(si.name, "office");
	strcpy(si.server, "192.0.2.1");
	session_info_counters_unknown(&si);
	si.gre_late = 3;
	json_init(&j, 8192);
	session_info_json(&j, NULL, &si);
	ATF_REQUIRE((data = json_data(&j, &len)) != NULL);
	/* json_data() is not a C string. */
	ATF_REQUIRE((doc = malloc(len + 1)) != NULL);
	memcpy(doc, data, len);
	doc[len] = '\0';
	ATF_CHECK(strstr(doc, "\"gre_late\":3,") != NULL);
	ATF_CHECK(strstr(doc, "\"gre_duplicate\":null,") != NULL);
	ATF_CHECK(strstr(doc, "\"mppe_undecryptable\":null,") != NULL);
	ATF_CHECK(strstr(doc, "\"lcp_echo_rtt_ms\":null,") != NULL);
	free(doc);
	json_free(&j);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, verbs_round_trip);
	ATF_TP_ADD_TC(tp, verbs_on_the_command_line);
	ATF_TP_ADD_TC(tp, session_keys);
	ATF_TP_ADD_TC(tp, unknown_counters_are_null);
	return atf_no_error();
}
