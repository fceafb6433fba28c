/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * pptpcd [-dnSv] [-f file] [-s socket]
 *
 * Reads the configuration, then either stops there (-n, -nv prints the
 * normalised configuration) or hands it to the daemon: a root parent and
 * its unprivileged engine (priv_run.h, doc/privsep.md), or with -S the
 * single process of old, for debugging.  Until the daemon detaches,
 * messages go to stderr.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "osdep.h"
#include "pptpcd.h"
#include "priv_run.h"

static void	usage(void) __attribute__((__noreturn__));

static void
usage(void)
{
	fprintf(stderr, "usage: pptpcd [-dnSv] [-f file] [-s socket]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	const char *conffile = PPTPCD_CONF_FILE, *sockpath = PPTPCD_SOCKET;
	char conffull[PATH_MAX], err[256];
	struct config *conf;
	int ch, foreground = 0, noaction = 0, single = 0, verbose = 0;

	while ((ch = getopt(argc, argv, "df:nSs:v")) != -1) {
		switch (ch) {
		case 'd':
			foreground = 1;
			break;
		case 'f':
			conffile = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'S':
			single = 1;
			break;
		case 's':
			sockpath = optarg;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	log_init(1, LOG_DAEMON);
	log_setverbose(verbose);

	/*
	 * Before the first password is read: a crash must never write it,
	 * the MS-CHAP hashes or the MPPE keys into a core file.
	 */
	if (osdep_no_core_dumps(err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return 1;
	}

	if ((conf = parse_config(conffile, 0)) == NULL)
		return 1;
	if (noaction) {
		if (verbose)
			print_config(stdout, conf);
		else
			fprintf(stderr, "configuration OK\n");
		config_free(conf);
		if (fflush(stdout) == EOF || ferror(stdout)) {
			log_warn("stdout");
			return 1;
		}
		return 0;
	}

	/*
	 * A reload reads the file again after the daemon has changed to /,
	 * so it needs the absolute path of the file that just parsed.
	 */
	if (realpath(conffile, conffull) == NULL) {
		log_warn("%s", conffile);
		config_free(conf);
		return 1;
	}

	/* The daemon owns the configuration from here on. */
	if (single)
		return pptpcd_run(conf, conffull, sockpath, foreground, -1);
	return priv_run(conf, conffull, sockpath, foreground);
}
