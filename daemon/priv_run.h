/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * pptpcd's root parent (doc/privsep.md): starts the engine, serves its
 * requests (priv_parent.h), restarts it when it dies, reloads on SIGHUP
 * and stops it on SIGTERM.  main.c calls it unless -S asks for the single
 * process of old.
 */
#ifndef PPTPC_PRIV_RUN_H
#define PPTPC_PRIV_RUN_H

struct config;

/* As pptpcd_run(): takes conf, returns the exit status. */
int	priv_run(struct config *conf, const char *conffile,
	    const char *sockpath, int foreground);

#endif /* PPTPC_PRIV_RUN_H */
