/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Logging with the OpenBSD daemons' API.  Lines go to stderr in the
 * foreground (-d) and to syslog's daemon facility otherwise.  Every line
 * about a tunnel starts with the tunnel's name: "office: LCP opened".
 * Never pass a password, a hash or a key to these functions.
 */
#ifndef PPTPC_LOG_H
#define PPTPC_LOG_H

#include <stdarg.h>

void	log_init(int foreground, int facility);
void	log_setverbose(int);
/* Drops every line: for fuzz targets, whose inputs make noise by design. */
void	log_setquiet(int);
int	log_getverbose(void);
void	log_warn(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	log_warnx(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	log_info(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	log_debug(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	vlog(int, const char *, va_list)
	    __attribute__((__format__(printf, 2, 0)));
void	fatal(const char *, ...)
	    __attribute__((__format__(printf, 1, 2), __noreturn__));
void	fatalx(const char *, ...)
	    __attribute__((__format__(printf, 1, 2), __noreturn__));

#endif /* PPTPC_LOG_H */
