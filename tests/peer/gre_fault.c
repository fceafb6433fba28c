/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * GRE fault injection for the test peer; see gre_fault.h for why it works
 * by standing in for the send system calls.
 *
 * State: one static pointer.  The wrappers are called by code that knows
 * nothing of them, so they cannot be handed a context; this is a test
 * instrument and the only global the test peer has.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <netinet/in.h>

#include <event2/event.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gre_fault.h"

#define HOLD_MAX	65536

struct gre_fault {
	struct gre_fault_config	 cfg;
	struct gre_fault_stats	 st;
	int			 armed;
	struct event		*flush_ev;
	/* The packet held back to be sent after the next one. */
	int			 held;
	int			 held_fd;
	int			 held_flags;
	struct sockaddr_storage	 held_to;
	socklen_t		 held_tolen;
	size_t			 held_len;
	uint8_t			 held_buf[HOLD_MAX];
};

static struct gre_fault *gf;

/* The system calls themselves, past any wrapper, ours included. */
static ssize_t
sys_sendmsg(int fd, const struct msghdr *m, int flags)
{
	return syscall(SYS_sendmsg, fd, m, flags);
}

static ssize_t
sys_sendto(int fd, const void *buf, size_t len, int flags,
    const struct sockaddr *to, socklen_t tolen)
{
	return syscall(SYS_sendto, fd, buf, len, flags, to, tolen);
}

static int
is_gre_socket(int fd)
{
	int type, proto;
	socklen_t len;

	len = sizeof(type);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_RAW)
		return 0;
	len = sizeof(proto);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) == -1)
		return 0;
	return proto == IPPROTO_GRE;
}

static int
active(int fd)
{
	return gf != NULL && gf->armed && is_gre_socket(fd);
}

static void
flush_held(void)
{
	if (gf == NULL || !gf->held)
		return;
	gf->held = 0;
	sys_sendto(gf->held_fd, gf->held_buf, gf->held_len, gf->held_flags,
	    gf->held_tolen ? (struct sockaddr *)&gf->held_to : NULL,
	    gf->held_tolen);
}

static void
flush_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	flush_held();
}

/* Copies the packet aside; 0 if held, -1 if it cannot be. */
static int
hold(int fd, const struct msghdr *m, int flags)
{
	struct timeval tv = { 0, GRE_FAULT_HOLD_MS * 1000 };
	size_t i, n = 0;

	if (gf->held || m->msg_namelen > sizeof(gf->held_to))
		return -1;
	for (i = 0; i < m->msg_iovlen; i++) {
		if (m->msg_iov[i].iov_len > HOLD_MAX - n)
			return -1;
		memcpy(gf->held_buf + n, m->msg_iov[i].iov_base,
		    m->msg_iov[i].iov_len);
		n += m->msg_iov[i].iov_len;
	}
	gf->held_len = n;
	gf->held_fd = fd;
	gf->held_flags = flags;
	gf->held_tolen = m->msg_name != NULL ? m->msg_namelen : 0;
	if (gf->held_tolen != 0)
		memcpy(&gf->held_to, m->msg_name, gf->held_tolen);
	gf->held = 1;
	evtimer_add(gf->flush_ev, &tv);
	return 0;
}

/* One GRE packet through the faults; returns what sendmsg would. */
static ssize_t
faulty_sendmsg(int fd, const struct msghdr *m, int flags)
{
	size_t i, total = 0;
	ssize_t r;
	int was_held;

	for (i = 0; i < m->msg_iovlen; i++)
		total += m->msg_iov[i].iov_len;
	gf->st.seen++;
	if (gf->cfg.drop_pm != 0 &&
	    arc4random_uniform(1000) < gf->cfg.drop_pm) {
		gf->st.dropped++;
		return (ssize_t)total;
	}
	if (gf->cfg.reorder_pm != 0 &&
	    arc4random_uniform(1000) < gf->cfg.reorder_pm &&
	    hold(fd, m, flags) == 0) {
		gf->st.reordered++;
		return (ssize_t)total;
	}
	was_held = gf->held;
	r = sys_sendmsg(fd, m, flags);
	if (was_held) {
		evtimer_del(gf->flush_ev);
		flush_held();
	}
	if (r >= 0 && gf->cfg.dup_pm != 0 &&
	    arc4random_uniform(1000) < gf->cfg.dup_pm) {
		gf->st.duplicated++;
		sys_sendmsg(fd, m, flags);
	}
	return r;
}

ssize_t
sendmsg(int fd, const struct msghdr *m, int flags)
{
	if (!active(fd))
		return sys_sendmsg(fd, m, flags);
	return faulty_sendmsg(fd, m, flags);
}

ssize_t
sendto(int fd, const void *buf, size_t len, int flags,
    const struct sockaddr *to, socklen_t tolen)
{
	struct msghdr m;
	struct iovec iov;

	if (!active(fd))
		return sys_sendto(fd, buf, len, flags, to, tolen);
	memset(&m, 0, sizeof(m));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	m.msg_name = (void *)(uintptr_t)to;
	m.msg_namelen = to != NULL ? tolen : 0;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	return faulty_sendmsg(fd, &m, flags);
}

ssize_t
send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

int
sendmmsg(int fd, struct mmsghdr *vec, unsigned int vlen, int flags)
{
	unsigned int i;
	ssize_t r;

	if (!active(fd))
		return (int)syscall(SYS_sendmmsg, fd, vec, vlen, flags);
	/* One at a time, so that every packet meets the faults. */
	for (i = 0; i < vlen; i++) {
		if ((r = faulty_sendmsg(fd, &vec[i].msg_hdr, flags)) == -1) {
			if (i == 0)
				return -1;
			break;
		}
		vec[i].msg_len = (unsigned int)r;
	}
	return (int)i;
}

int
gre_fault_init(struct event_base *evbase, const struct gre_fault_config *cfg)
{
	if (cfg->drop_pm > 1000 || cfg->dup_pm > 1000 ||
	    cfg->reorder_pm > 1000) {
		errno = EINVAL;
		return -1;
	}
	if (cfg->drop_pm == 0 && cfg->dup_pm == 0 && cfg->reorder_pm == 0)
		return 0;
	if ((gf = calloc(1, sizeof(*gf))) == NULL)
		return -1;
	gf->cfg = *cfg;
	if ((gf->flush_ev = evtimer_new(evbase, flush_cb, NULL)) == NULL) {
		free(gf);
		gf = NULL;
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void
gre_fault_arm(int on)
{
	if (gf != NULL)
		gf->armed = on;
}

void
gre_fault_get_stats(struct gre_fault_stats *st)
{
	if (gf == NULL)
		memset(st, 0, sizeof(*st));
	else
		*st = gf->st;
}

void
gre_fault_free(void)
{
	struct gre_fault *g = gf;

	if (g == NULL)
		return;
	flush_held();
	gf = NULL;
	event_free(g->flush_ev);
	free(g);
}
