/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * pipex_host.h: what the pipex engine asks of the kernel that needs
 * root.  sysctl net.pipex.* and net.inet.gre.* (pledge_sysctl()), the
 * PIPEX* ioctls (pledge_ioctl()), IP_PIPEX (pledge_sockopt()) and a raw
 * socket are outside every pledge(2) promise (kern_pledge.c rev. 1.304
 * to 1.333), so under privilege separation only the parent calls these.
 *
 * Compiled against OpenBSD 7.3's headers (make check-openbsd), never run.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sysctl.h>

#include <net/if.h>
#include <netinet/in.h>
/* After <netinet/in.h>: its structs embed in_addr and sockaddr_in6. */
#include <net/pipex.h>
#include <netinet/ip_gre.h>

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "pipex_host.h"
#include "pipex_map.h"
#include "priv.h"

#define PX_DEV_FMT	"/dev/pppx%d"
#define PX_UNITS	8	/* pppx0..7: npppd usually holds pppx0 */

static int
sys_open(const char *path, int flags)
{
	return open(path, flags);
}

static int
sys_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg);
}

static int
sys_sysctl(const int *mib, unsigned int miblen, void *old, size_t *oldlen)
{
	return sysctl(mib, miblen, old, oldlen, NULL, 0);
}

static const struct offload_sys real_sys = {
	.open = sys_open,
	.socket = socket,
	.ioctl = sys_ioctl,
	.close = close,
	.sysctl = sys_sysctl,
	.bind = bind,
	.connect = connect,
	.read = read,
	.write = write,
};

const struct offload_sys *
pipex_host_sys(const struct offload_sys *sys)
{
	return sys != NULL ? sys : &real_sys;
}

/* Reads an int sysctl; -1 with errno if the node does not exist. */
static int
sysctl_int(const struct offload_sys *sys, const int *mib, unsigned int n,
    int *val)
{
	size_t len = sizeof(*val);

	return sys->sysctl(mib, n, val, &len);
}

/*
 * Opens the first free pppx(4) device; each minor opens only once
 * (EBUSY), MAKEDEV makes only the first few (ENOENT), and a kernel
 * without pseudo-device pppx has the nodes but no driver (ENXIO).
 */
int
pipex_host_open_pppx(const struct offload_sys *sys, char *why, size_t len)
{
	char path[32];
	int fd, i, busy = 0, nodrv = 0, e = 0;

	sys = pipex_host_sys(sys);
	for (i = 0; i < PX_UNITS; i++) {
		snprintf(path, sizeof(path), PX_DEV_FMT, i);
		if ((fd = sys->open(path, O_RDWR | O_CLOEXEC)) != -1)
			return fd;
		if (errno == EBUSY)
			busy++;
		else if (errno == ENXIO)
			nodrv++;
		else if (errno != ENOENT && e == 0)
			e = errno;
	}
	if (e != 0)
		snprintf(why, len, "/dev/pppx: %s", strerror(e));
	else if (busy > 0)
		snprintf(why, len, "every /dev/pppxN there is (%d) is in use",
		    busy);
	else if (nodrv > 0)
		snprintf(why, len, "the kernel has no pppx(4) "
		    "(pseudo-device pppx)");
	else
		snprintf(why, len, "no pppx(4) device (/dev/pppx0 is "
		    "missing: cd /dev && sh MAKEDEV pppx)");
	return -1;
}

int
pipex_host_probe(const struct offload_sys *sys, char *why, size_t len)
{
	static const int pipex_mib[] = { CTL_NET, PF_PIPEX, PIPEXCTL_ENABLE };
	static const int gre_mib[] = { CTL_NET, PF_INET, IPPROTO_GRE,
	    GRECTL_ALLOW };
	int v, fd;

	sys = pipex_host_sys(sys);
	if (sysctl_int(sys, pipex_mib, 3, &v) == -1) {
		snprintf(why, len, "the kernel has no pipex (net.pipex: %s; "
		    "it needs option PIPEX)", strerror(errno));
		return -1;
	}
	if (v == 0) {
		snprintf(why, len, "pipex is disabled: set sysctl "
		    "net.pipex.enable=1");
		return -1;
	}
	if (sysctl_int(sys, gre_mib, 4, &v) == -1 || v == 0) {
		/* With gre.allow=0 every GRE packet bypasses pipex. */
		snprintf(why, len, "GRE is not allowed: set sysctl "
		    "net.inet.gre.allow=1");
		return -1;
	}
	if ((fd = pipex_host_open_pppx(sys, why, len)) == -1)
		return -1;
	sys->close(fd);
	if (len > 0)
		why[0] = '\0';
	return 0;
}

int
pipex_host_socket(struct in_addr local, char *err, size_t errlen)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    IPPROTO_GRE)) == -1) {
		snprintf(err, errlen, "pipex engine: raw GRE socket: %s "
		    "(pptpcd needs root)", strerror(errno));
		return -1;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_addr = local;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		snprintf(err, errlen, "pipex engine: bind GRE socket: %s",
		    strerror(errno));
		goto fail;
	}
	if (setsockopt(fd, IPPROTO_IP, IP_PIPEX, &one, sizeof(one)) == -1) {
		snprintf(err, errlen, "pipex engine: IP_PIPEX: %s",
		    strerror(errno));
		goto fail;
	}
	return fd;
 fail:
	close(fd);
	return -1;
}

/*
 * pppxM is not named by PIPEXASESSION (doc/pipex.md §3.5): find the
 * point-to-point interface with the session's addresses.
 */
static int
find_pppx(struct in_addr local, struct in_addr peer, char *name,
    size_t len)
{
	struct ifaddrs *ifa0, *ifa;
	const struct sockaddr_in *a, *d;
	int found = -1;

	if (getifaddrs(&ifa0) == -1)
		return -1;
	for (ifa = ifa0; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL || ifa->ifa_dstaddr == NULL ||
		    ifa->ifa_addr->sa_family != AF_INET ||
		    strncmp(ifa->ifa_name, "pppx", 4) != 0)
			continue;
		a = (const struct sockaddr_in *)ifa->ifa_addr;
		d = (const struct sockaddr_in *)ifa->ifa_dstaddr;
		if (a->sin_addr.s_addr == local.s_addr &&
		    d->sin_addr.s_addr == peer.s_addr) {
			snprintf(name, len, "%s", ifa->ifa_name);
			found = 0;
			break;
		}
	}
	freeifaddrs(ifa0);
	return found;
}

int
pipex_host_add(const struct offload_sys *sys, int fd,
    struct pipex_session_req *req, const char *tag, char *ifname,
    size_t iflen, uint16_t *peer_mru, char *err, size_t errlen)
{
	struct pipex_session_descr_req dr;
	uint16_t id = req->pr_session_id;
	int e;

	sys = pipex_host_sys(sys);
	if (sys->ioctl(fd, PIPEXASESSION, req) == -1) {
		e = errno;
		if (e == EEXIST)
			snprintf(err, errlen, "pipex: PIPEXASESSION: call ID "
			    "%u is in use by another pipex session (npppd?)",
			    id);
		else
			snprintf(err, errlen, "pipex: PIPEXASESSION: %s",
			    strerror(e));
		errno = e;
		return -1;
	}
	*peer_mru = req->pr_peer_mru;
	pipex_map_descr_req(id, tag, &dr);
	if (sys->ioctl(fd, PIPEXSIFDESCR, &dr) == -1)
		log_warn("%s: pipex: PIPEXSIFDESCR", tag);
	if (find_pppx(req->pr_ip_srcaddr, req->pr_ip_address, ifname,
	    iflen) == -1) {
		snprintf(err, errlen, "pipex: the pppx interface of the "
		    "session was not found");
		errno = ENXIO;
		return -1;
	}
	return 0;
}

int
pipex_host_stat(const struct offload_sys *sys, int fd, uint16_t call_id,
    struct pipex_statistics *ps)
{
	struct pipex_session_stat_req sr;

	pipex_map_stat_req(call_id, &sr);
	if (pipex_host_sys(sys)->ioctl(fd, PIPEXGSTAT, &sr) == -1)
		return -1;
	*ps = sr.psr_stat;
	return 0;
}

int
pipex_host_del(const struct offload_sys *sys, int fd, uint16_t call_id,
    struct pipex_statistics *ps)
{
	struct pipex_session_close_req cr;

	pipex_map_close_req(call_id, &cr);
	if (pipex_host_sys(sys)->ioctl(fd, PIPEXDSESSION, &cr) == -1)
		return -1;
	*ps = cr.pcr_stat;
	return 0;
}

/* ---- The parent's ops (priv_run.c) ---- */

int
pipex_parent_probe(char *why, size_t len)
{
	return pipex_host_probe(NULL, why, len);
}

int
pipex_parent_socket(struct in_addr local, char *err, size_t errlen)
{
	return pipex_host_socket(local, err, errlen);
}

/* The device is the parent's: the engine never holds it. */
int
pipex_parent_add(const struct pipex_session_req *req0, const char *tag,
    char *ifname, size_t iflen, uint16_t *peer_mru, char *err,
    size_t errlen)
{
	struct pipex_session_req req;
	int fd, e;

	if ((fd = pipex_host_open_pppx(NULL, err, errlen)) == -1) {
		errno = EBUSY;
		return -1;
	}
	/* The ioctl's argument is not const; the copy holds keys. */
	req = *req0;
	if (pipex_host_add(NULL, fd, &req, tag, ifname, iflen, peer_mru, err,
	    errlen) == -1) {
		e = errno;
		explicit_bzero(&req, sizeof(req));
		close(fd);
		errno = e;
		return -1;
	}
	explicit_bzero(&req, sizeof(req));
	return fd;
}

static void
counters(const struct pipex_statistics *ps, struct priv_pipex_counters *c)
{
	c->ipackets = ps->ipackets;
	c->ierrors = ps->ierrors;
	c->ibytes = ps->ibytes;
	c->opackets = ps->opackets;
	c->oerrors = ps->oerrors;
	c->obytes = ps->obytes;
}

int
pipex_parent_stat(int fd, uint16_t call_id, struct priv_pipex_counters *c)
{
	struct pipex_statistics ps;

	if (pipex_host_stat(NULL, fd, call_id, &ps) == -1) {
		c->error = errno;
		snprintf(c->msg, sizeof(c->msg), "pipex: PIPEXGSTAT: %s",
		    strerror(errno));
		return -1;
	}
	counters(&ps, c);
	return 0;
}

int
pipex_parent_del(int fd, uint16_t call_id, struct priv_pipex_counters *c)
{
	struct pipex_statistics ps;

	if (pipex_host_del(NULL, fd, call_id, &ps) == -1) {
		c->error = errno;
		snprintf(c->msg, sizeof(c->msg), "pipex: PIPEXDSESSION: %s",
		    strerror(errno));
		return -1;
	}
	counters(&ps, c);
	return 0;
}

void
pipex_parent_close(int fd)
{
	/* Closing the device removes pppxM and anything left in pipex. */
	close(fd);
}
