/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Descriptors whose close() is slow, closed by a few threads of their
 * own so that the event loop goes on meanwhile.
 *
 * Closing a tun(4) descriptor on Linux removes the interface, and the
 * kernel waits for RCU grace periods before it returns: about 20 ms on
 * a loaded two-core machine.  A thousand tunnels stopping together would
 * hold the event loop for twenty seconds, and the PPTP goodbyes of every
 * other tunnel (and the server's replies) would wait behind it.  Several
 * closes in flight share the kernel's waits: 32 threads close 200 tun
 * descriptors in a quarter of a second where one thread takes four.
 *
 * The threads do nothing but close(2): no allocation, no lock but the
 * queue's, all signals blocked, so that fork() for a script and the
 * event loop's signal handling are unaffected.  fdcloser_free() returns
 * only once every descriptor handed over is closed, so that an exiting
 * daemon leaves no interface behind.
 */
#ifndef PPTPC_FDCLOSER_H
#define PPTPC_FDCLOSER_H

#define FDCLOSER_THREADS	32
#define FDCLOSER_QUEUE		4096	/* descriptors waiting, at most */

struct fdcloser;

/* NULL when out of memory: callers then close in place. */
struct fdcloser	*fdcloser_new(void);
/*
 * Closes fd, now or soon.  With fc NULL, or when no thread can take it
 * (none could be started, the queue is full), it is closed in place.
 */
void		 fdcloser_close(struct fdcloser *fc, int fd);
/* Waits for every close handed over, then ends the threads. */
void		 fdcloser_free(struct fdcloser *fc);

#endif /* PPTPC_FDCLOSER_H */
