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
 * foreground is -d: stay attached with logs on stderr.
 */
int	pptpcd_run(struct config *conf, const char *sockpath,
	    int foreground);

#endif /* PPTPC_PPTPCD_H */
