/*
 * TEMPORARY: stands in for the daemon's run loop until it lands, so that
 * main.c, "pptpcd -n" and the configuration tests build today.  The lead
 * deletes this file when the real pptpcd_run() is committed.
 */
#include <stdio.h>

#include "config.h"
#include "pptpcd.h"

int
pptpcd_run(struct config *conf, const char *sockpath, int foreground)
{
	(void)sockpath;
	(void)foreground;
	config_free(conf);
	fprintf(stderr, "pptpcd: the daemon itself is not built yet\n");
	return 1;
}
