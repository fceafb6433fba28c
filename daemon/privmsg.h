/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The framing between pptpcd's two processes (doc/privsep.md): one
 * message per SOCK_SEQPACKET record, so that the kernel keeps the
 * boundaries and a short read cannot split or join messages.
 *
 * A message is a fixed header (type, payload length, tunnel name) and a
 * payload of at most PRIVMSG_PAYLOAD_MAX bytes, with at most one
 * descriptor (SCM_RIGHTS).  privmsg_recv() checks the frame: the record
 * and the header's length agree exactly, nothing was truncated (data or
 * control), at most one descriptor came, the name is NUL-terminated and
 * made of the characters a tunnel name may hold.  Which types exist, how
 * long each payload is and whether it may carry a descriptor is the
 * reader's to check (priv.c, priv_parent.c): this layer knows no types.
 *
 * Errors are returned, never asserted: a peer that sends garbage is
 * refused, its descriptor closed, and the reader goes on.
 */
#ifndef PPTPC_PRIVMSG_H
#define PPTPC_PRIVMSG_H

#include <stddef.h>
#include <stdint.h>

#define PRIVMSG_NAME_MAX	16	/* PPTPC_NAME_MAX + NUL */
#define PRIVMSG_PAYLOAD_MAX	1024

struct privmsg_hdr {
	uint16_t	 type;
	uint16_t	 flags;		/* 0: reserved */
	uint32_t	 len;		/* payload bytes after the header */
	char		 tunnel[PRIVMSG_NAME_MAX];	/* "" for none */
};

struct privmsg {
	struct privmsg_hdr hdr;
	uint8_t		 payload[PRIVMSG_PAYLOAD_MAX];
	int		 fd;		/* -1: none came */
};

/* Results of privmsg_recv(). */
#define PRIVMSG_OK	0
#define PRIVMSG_EOF	1	/* the other process has gone */
#define PRIVMSG_AGAIN	2	/* nothing waiting (non-blocking socket) */
#define PRIVMSG_BAD	3	/* refused; why in err */
#define PRIVMSG_ERR	4	/* the socket failed; errno */

/*
 * Sends one message; fd -1 for none (the descriptor stays the caller's).
 * tunnel may be NULL.  Returns 0, or -1 with errno (EMSGSIZE when len is
 * over PRIVMSG_PAYLOAD_MAX, EINVAL for a name too long).
 */
int	privmsg_send(int sock, uint16_t type, const char *tunnel,
	    const void *payload, size_t len, int fd);
/*
 * Receives one message into m, checked as above.  On PRIVMSG_BAD every
 * descriptor that came is closed and m->fd is -1.
 */
int	privmsg_recv(int sock, struct privmsg *m, char *err, size_t errlen);
/* Checks a name the way privmsg_recv() does: 0 or -1. */
int	privmsg_check_name(const char *name, size_t size);

#endif /* PPTPC_PRIVMSG_H */
