/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The daemon proper, as main.c starts it once the configuration has
 * parsed: dial the tunnels, serve the control socket, reload on SIGHUP.
 */
#ifndef PPTPC_PPTPCD_H
#define PPTPC_PPTPCD_H

struct config;

/*
 * Runs until told to stop; returns the process's exit status.  It takes
 * ownership of conf (a reload replaces it and frees the old one).
 * conffile is what SIGHUP and `pptpctl reload` read again; give it as an
 * absolute path, since the daemon changes to / when it detaches.
 * foreground is -d: stay attached with logs on stderr.  privfd is -1 for
 * the single process (pptpcd -S), else the engine's end of the channel to
 * the parent (priv_run.h), which has detached already.
 */
int	pptpcd_run(struct config *conf, const char *conffile,
	    const char *sockpath, int foreground, int privfd);

#endif /* PPTPC_PPTPCD_H */
