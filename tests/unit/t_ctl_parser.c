/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * pptpctl's token-table parser: every command, abbreviations, ambiguity,
 * missing and extra words, tunnel names, and the request line each
 * command sends.
 */
#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "parser.h"

#define MAXW	8

/* Splits words on spaces and parses them; err gets the message. */
static int
parse(const char *line, struct ctl_cmd *cmd, char *err, size_t errlen)
{
	static char buf[256];
	char *argv[MAXW], *p, *w;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (p = buf; (w = strsep(&p, " ")) != NULL;) {
		if (*w == '\0')
			continue;
		ATF_REQUIRE(argc < MAXW);
		argv[argc++] = w;
	}
	err[0] = '\0';
	return ctl_parse(argc, argv, cmd, err, errlen);
}

static void
good(const char *line, enum ctl_verb action, const char *name,
    const char *request)
{
	struct ctl_cmd cmd;
	char err[256], req[600];

	ATF_REQUIRE_EQ_MSG(parse(line, &cmd, err, sizeof(err)), 0,
	    "\"%s\": %s", line, err);
	ATF_CHECK_EQ_MSG(cmd.action, action, "\"%s\"", line);
	ATF_CHECK_STREQ_MSG(cmd.name, name, "\"%s\"", line);
	ATF_CHECK_EQ(ctl_request(&cmd, req, sizeof(req)),
	    (int)strlen(request));
	ATF_CHECK_STREQ_MSG(req, request, "\"%s\"", line);
}

static void
bad(const char *line, const char *msg)
{
	struct ctl_cmd cmd;
	char err[256];

	ATF_CHECK_EQ_MSG(parse(line, &cmd, err, sizeof(err)), -1,
	    "\"%s\" parsed", line);
	ATF_CHECK_STREQ_MSG(err, msg, "\"%s\"", line);
}

ATF_TC_WITHOUT_HEAD(commands);
ATF_TC_BODY(commands, tc)
{
	good("show", CTL_VERB_SHOW_SESSIONS, "", "show sessions");
	good("show sessions", CTL_VERB_SHOW_SESSIONS, "", "show sessions");
	good("show session office", CTL_VERB_SHOW_SESSION, "office",
	    "show session office");
	good("connect office", CTL_VERB_CONNECT, "office", "connect office");
	good("disconnect office", CTL_VERB_DISCONNECT, "office",
	    "disconnect office");
	good("reload", CTL_VERB_RELOAD, "", "reload");
	/* Names at the edges of what config.c allows. */
	good("connect a", CTL_VERB_CONNECT, "a", "connect a");
	good("connect A-z_09-_xxxxxxx", CTL_VERB_CONNECT, "A-z_09-_xxxxxxx",
	    "connect A-z_09-_xxxxxxx");
	/* A tunnel may be named like a keyword. */
	good("connect show", CTL_VERB_CONNECT, "show", "connect show");
	good("show session sessions", CTL_VERB_SHOW_SESSION, "sessions",
	    "show session sessions");
}

ATF_TC_WITHOUT_HEAD(abbreviations);
ATF_TC_BODY(abbreviations, tc)
{
	good("sh", CTL_VERB_SHOW_SESSIONS, "", "show sessions");
	good("s sessions", CTL_VERB_SHOW_SESSIONS, "", "show sessions");
	/* Every prefix of "session" is one of "sessions" too. */
	bad("sh sessi office",
	    "ambiguous argument \"sessi\": metrics, session or sessions");
	good("c office", CTL_VERB_CONNECT, "office", "connect office");
	good("d office", CTL_VERB_DISCONNECT, "office", "disconnect office");
	good("disc office", CTL_VERB_DISCONNECT, "office", "disconnect office");
	good("rel", CTL_VERB_RELOAD, "", "reload");
	good("r", CTL_VERB_RELOAD, "", "reload");
	/* "session" is a prefix of "sessions" but matches exactly. */
	good("show session s", CTL_VERB_SHOW_SESSION, "s", "show session s");
	bad("show ses",
	    "ambiguous argument \"ses\": metrics, session or sessions");
	bad("show s office",
	    "ambiguous argument \"s\": metrics, session or sessions");
	/* Longer than the keyword is no match. */
	bad("shows", "unknown argument \"shows\" (expected connect, "
	    "disconnect, monitor, reload or show)");
	bad("reloads", "unknown argument \"reloads\" (expected connect, "
	    "disconnect, monitor, reload or show)");
}

ATF_TC_WITHOUT_HEAD(errors);
ATF_TC_BODY(errors, tc)
{
	bad("", "missing command");
	bad("frobnicate", "unknown argument \"frobnicate\" (expected "
	    "connect, disconnect, monitor, reload or show)");
	bad("connect", "missing tunnel name after \"connect\"");
	bad("disc", "missing tunnel name after \"disconnect\"");
	bad("show session", "missing tunnel name after \"session\"");
	bad("show foo", "unknown argument \"foo\" (expected metrics, "
	    "session or sessions)");
	bad("reload now", "unexpected argument \"now\"");
	bad("show sessions office", "unexpected argument \"office\"");
	bad("connect office home", "unexpected argument \"home\"");
	bad("show session office x", "unexpected argument \"x\"");
	bad("connect off.ice", "invalid tunnel name \"off.ice\": 1 to 15 "
	    "letters, digits, \"_\" or \"-\"");
	bad("connect 0123456789abcdef", "invalid tunnel name "
	    "\"0123456789abcdef\": 1 to 15 letters, digits, \"_\" or \"-\"");
	bad("connect caf\xc3\xa9", "invalid tunnel name \"caf\xc3\xa9\": 1 "
	    "to 15 letters, digits, \"_\" or \"-\"");
}

ATF_TC_WITHOUT_HEAD(odd_words);
ATF_TC_BODY(odd_words, tc)
{
	struct ctl_cmd cmd;
	char err[256];
	char *argv[3];

	/* An empty word is neither a keyword nor a name. */
	argv[0] = (char *)"";
	ATF_CHECK_EQ(ctl_parse(1, argv, &cmd, err, sizeof(err)), -1);
	argv[0] = (char *)"connect";
	argv[1] = (char *)"";
	ATF_CHECK_EQ(ctl_parse(2, argv, &cmd, err, sizeof(err)), -1);
	argv[1] = (char *)"a b";
	ATF_CHECK_EQ(ctl_parse(2, argv, &cmd, err, sizeof(err)), -1);
	argv[1] = (char *)"a\nshow";
	ATF_CHECK_EQ(ctl_parse(2, argv, &cmd, err, sizeof(err)), -1);
	/* A short error buffer is cut, not overrun. */
	argv[0] = (char *)"frobnicate";
	ATF_CHECK_EQ(ctl_parse(1, argv, &cmd, err, 8), -1);
	ATF_CHECK_STREQ(err, "unknown");
}

ATF_TC_WITHOUT_HEAD(request_fits);
ATF_TC_BODY(request_fits, tc)
{
	struct ctl_cmd cmd;
	char req[32];

	memset(&cmd, 0, sizeof(cmd));
	cmd.action = CTL_VERB_MAX;	/* none */
	ATF_CHECK_EQ(ctl_request(&cmd, req, sizeof(req)), -1);
	cmd.action = CTL_VERB_CONNECT;
	strcpy(cmd.name, "office");
	ATF_CHECK_EQ(ctl_request(&cmd, req, 15), 14);
	ATF_CHECK_EQ(ctl_request(&cmd, req, 14), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, commands);
	ATF_TP_ADD_TC(tp, abbreviations);
	ATF_TP_ADD_TC(tp, errors);
	ATF_TP_ADD_TC(tp, odd_words);
	ATF_TP_ADD_TC(tp, request_fits);
	return atf_no_error();
}
