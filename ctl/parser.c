/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The token tables of pptpctl's commands (parser.h).  Each table lists
 * what may come next; NOTOKEN marks a place where the command may end,
 * and next leads to the table for the word after.
 */
#include <stdio.h>
#include <string.h>

#include "parser.h"

enum token_type {
	NOTOKEN,
	ENDTOKEN,
	KEYWORD,
	TUNNELNAME,
};

struct token {
	enum token_type		 type;
	const char		*keyword;
	enum ctl_verb		 value;
	const struct token	*next;
	enum ctl_view		 view;
};

static const struct token t_main[];
static const struct token t_show[];
static const struct token t_name[];

static const struct token t_main[] = {
	{ KEYWORD,	"connect",	CTL_VERB_CONNECT,		t_name,
	    CTL_VIEW_DEFAULT },
	{ KEYWORD,	"disconnect",	CTL_VERB_DISCONNECT,		t_name,
	    CTL_VIEW_DEFAULT },
	{ KEYWORD,	"monitor",	CTL_VERB_MONITOR,		NULL,
	    CTL_VIEW_DEFAULT },
	{ KEYWORD,	"reload",	CTL_VERB_RELOAD,		NULL,
	    CTL_VIEW_DEFAULT },
	{ KEYWORD,	"show",		CTL_VERB_SHOW_SESSIONS,	t_show,
	    CTL_VIEW_DEFAULT },
	{ ENDTOKEN,	"",		CTL_VERB_MAX,		NULL,
	    CTL_VIEW_DEFAULT },
};

static const struct token t_show[] = {
	{ NOTOKEN,	"",		CTL_VERB_MAX,		NULL,
	    CTL_VIEW_DEFAULT },
	{ KEYWORD,	"metrics",	CTL_VERB_SHOW_SESSIONS,	NULL,
	    CTL_VIEW_METRICS },
	{ KEYWORD,	"session",	CTL_VERB_SHOW_SESSION,	t_name,
	    CTL_VIEW_DEFAULT },
	{ KEYWORD,	"sessions",	CTL_VERB_SHOW_SESSIONS,	NULL,
	    CTL_VIEW_DEFAULT },
	{ ENDTOKEN,	"",		CTL_VERB_MAX,		NULL,
	    CTL_VIEW_DEFAULT },
};

static const struct token t_name[] = {
	{ TUNNELNAME,	"",		CTL_VERB_MAX,		NULL,
	    CTL_VIEW_DEFAULT },
	{ ENDTOKEN,	"",		CTL_VERB_MAX,		NULL,
	    CTL_VIEW_DEFAULT },
};

/* "a, b or c": the keywords of a table, for messages. */
static void
keywords(const struct token *table, char *buf, size_t len)
{
	size_t i, n = 0, k = 0;

	for (i = 0; table[i].type != ENDTOKEN; i++)
		if (table[i].type == KEYWORD)
			n++;
	buf[0] = '\0';
	for (i = 0; table[i].type != ENDTOKEN; i++) {
		if (table[i].type != KEYWORD)
			continue;
		k++;
		strncat(buf, table[i].keyword, len - strlen(buf) - 1);
		if (k + 1 < n)
			strncat(buf, ", ", len - strlen(buf) - 1);
		else if (k + 1 == n)
			strncat(buf, " or ", len - strlen(buf) - 1);
	}
}

static int
valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > PPTPC_NAME_MAX)
		return 0;
	/* The same characters config.c allows in a tunnel's name. */
	return strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

/*
 * The token in table that word names: an exact keyword, the one keyword
 * it is a prefix of, or a tunnel name where one is expected.
 */
static const struct token *
match(const char *word, const struct token *table, char *err, size_t errlen)
{
	const struct token *t = NULL;
	char list[128];
	size_t i, len = strlen(word), n = 0;

	for (i = 0; table[i].type != ENDTOKEN; i++) {
		switch (table[i].type) {
		case KEYWORD:
			if (strcmp(word, table[i].keyword) == 0)
				return &table[i];
			if (len > 0 &&
			    strncmp(word, table[i].keyword, len) == 0) {
				t = &table[i];
				n++;
			}
			break;
		case TUNNELNAME:
			if (!valid_name(word)) {
				snprintf(err, errlen, "invalid tunnel name "
				    "\"%s\": 1 to %d letters, digits, \"_\" "
				    "or \"-\"", word, PPTPC_NAME_MAX);
				return NULL;
			}
			return &table[i];
		default:
			break;
		}
	}
	keywords(table, list, sizeof(list));
	if (n == 1)
		return t;
	if (n > 1)
		snprintf(err, errlen, "ambiguous argument \"%s\": %s", word,
		    list);
	else
		snprintf(err, errlen, "unknown argument \"%s\" (expected %s)",
		    word, list);
	return NULL;
}

int
ctl_parse(int argc, char *const argv[], struct ctl_cmd *cmd, char *err,
    size_t errlen)
{
	const struct token *table = t_main, *t;
	const char *prev = NULL;
	char list[128];
	int i;

	memset(cmd, 0, sizeof(*cmd));
	cmd->action = CTL_VERB_MAX;
	for (i = 0; i < argc; i++) {
		if (table == NULL) {
			snprintf(err, errlen, "unexpected argument \"%s\"",
			    argv[i]);
			return -1;
		}
		if ((t = match(argv[i], table, err, errlen)) == NULL)
			return -1;
		if (t->value != CTL_VERB_MAX)
			cmd->action = t->value;
		if (t->view != CTL_VIEW_DEFAULT)
			cmd->view = t->view;
		if (t->type == TUNNELNAME)
			memcpy(cmd->name, argv[i], strlen(argv[i]) + 1);
		prev = t->type == KEYWORD ? t->keyword : argv[i];
		table = t->next;
	}
	if (table != NULL && table[0].type != NOTOKEN) {
		if (table == t_main)
			snprintf(err, errlen, "missing command");
		else if (table == t_name)
			snprintf(err, errlen, "missing tunnel name after "
			    "\"%s\"", prev);
		else {
			keywords(table, list, sizeof(list));
			snprintf(err, errlen, "missing argument after \"%s\" "
			    "(expected %s)", prev, list);
		}
		return -1;
	}
	return 0;
}

int
ctl_request(const struct ctl_cmd *cmd, char *buf, size_t len)
{
	const char *words;
	int n;

	if ((words = ctl_verb_words(cmd->action)) == NULL)
		return -1;
	if (ctl_verb_takes_name(cmd->action))
		n = snprintf(buf, len, "%s %s", words, cmd->name);
	else
		n = snprintf(buf, len, "%s", words);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

void
ctl_print_commands(FILE *fp)
{
	fprintf(fp,
	    "commands:\n"
	    "\tshow [sessions]\t\tevery tunnel, one line each\n"
	    "\tshow session NAME\tone tunnel, every field\n"
	    "\tshow metrics\t\tevery tunnel's counters for Prometheus\n"
	    "\tconnect NAME\t\tbring a tunnel up now\n"
	    "\tdisconnect NAME\t\ttake a tunnel down\n"
	    "\treload\t\t\tre-read the configuration file\n"
	    "\tmonitor\t\t\tfollow events as they happen, until "
	    "interrupted\n");
}
