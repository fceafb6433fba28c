/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * pptpctl's command line, after ikectl's and npppctl's parser.c: a tree of
 * token tables.  A keyword may be abbreviated to any prefix that no other
 * keyword at the same place shares ("sh ses" is ambiguous, "sh sessions"
 * and "disc office" are not).
 */
#ifndef PPTPCTL_PARSER_H
#define PPTPCTL_PARSER_H

#include <stddef.h>
#include <stdio.h>

#include "pptpc_ctl.h"

enum ctl_view {
	CTL_VIEW_DEFAULT,	/* a table, or JSON with -j */
	CTL_VIEW_METRICS,	/* Prometheus text format */
};

struct ctl_cmd {
	enum ctl_verb	 action;	/* CTL_VERB_MAX: none */
	enum ctl_view	 view;		/* how pptpctl shows the reply */
	char		 name[PPTPC_NAME_MAX + 1];
};

/*
 * Parses the words after the options.  Returns 0, or -1 with a message
 * fit for "pptpctl: %s" in err.
 */
int	ctl_parse(int argc, char *const argv[], struct ctl_cmd *,
	    char *err, size_t errlen);
/*
 * The request line for the daemon, without the newline.  Returns its
 * length, or -1 if it does not fit.
 */
int	ctl_request(const struct ctl_cmd *, char *buf, size_t len);
/* Lists the commands, for the usage text. */
void	ctl_print_commands(FILE *);

#endif /* PPTPCTL_PARSER_H */
