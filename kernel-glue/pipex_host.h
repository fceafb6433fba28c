/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The privileged half of the pipex engine (pipex_host-openbsd.c): the
 * sysctls, /dev/pppxN, the raw GRE socket with IP_PIPEX and the PIPEX*
 * ioctls, none of which a pledged process may do.  pptpcd -S's engine
 * calls them in place (pipex-openbsd.c); under privilege separation the
 * root parent calls them for the engine (priv_pipex.c's checks, then
 * priv_run.c's ops, the pipex_parent_*() below).  OpenBSD only.
 */
#ifndef PPTPC_PIPEX_HOST_H
#define PPTPC_PIPEX_HOST_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "offload.h"
#include "pipex_map.h"

struct priv_pipex_counters;

/* sys, or the real system calls for NULL. */
const struct offload_sys *pipex_host_sys(const struct offload_sys *);
/* 0 if pipex can carry a tunnel; -1 with why. */
int	pipex_host_probe(const struct offload_sys *, char *why, size_t len);
/* The first free /dev/pppxN, or -1 with why. */
int	pipex_host_open_pppx(const struct offload_sys *, char *why,
	    size_t len);
/* A raw GRE socket bound to local, IP_PIPEX set, non-blocking. */
int	pipex_host_socket(struct in_addr local, char *err, size_t errlen);
/*
 * PIPEXASESSION of req on fd, "pptpc TAG" on it, and its pppxM: 0, or -1
 * with err.  *peer_mru gets pppxM's MTU as made.
 */
int	pipex_host_add(const struct offload_sys *, int fd,
	    struct pipex_session_req *req, const char *tag, char *ifname,
	    size_t iflen, uint16_t *peer_mru, char *err, size_t errlen);
int	pipex_host_stat(const struct offload_sys *, int fd, uint16_t call_id,
	    struct pipex_statistics *);
int	pipex_host_del(const struct offload_sys *, int fd, uint16_t call_id,
	    struct pipex_statistics *);

/* The parent's struct priv_ops entries (priv_parent.h). */
int	pipex_parent_probe(char *why, size_t len);
int	pipex_parent_socket(struct in_addr local, char *err, size_t errlen);
int	pipex_parent_add(const struct pipex_session_req *, const char *tag,
	    char *ifname, size_t iflen, uint16_t *peer_mru, char *err,
	    size_t errlen);
int	pipex_parent_del(int fd, uint16_t call_id,
	    struct priv_pipex_counters *);
int	pipex_parent_stat(int fd, uint16_t call_id,
	    struct priv_pipex_counters *);
void	pipex_parent_close(int fd);

#endif /* PPTPC_PIPEX_HOST_H */
