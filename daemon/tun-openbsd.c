/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * tun(4) and interface settings on OpenBSD.  Each packet on /dev/tunN
 * carries a 4-byte address family in network order in front of it; it is
 * added and stripped here with readv/writev, so the data path never sees
 * it and never copies for it.  Addresses, MTU and flags are set with the
 * usual ioctls on a datagram socket.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <net/if.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tun.h"

#define TUN_UNITS	256	/* how far "the first free one" looks */

/* OpenBSD's tun devices are tunN: nothing else has a /dev node here. */
static int
tun_check_name(const char *want, char *err, size_t errlen)
{
	size_t i;

	if (iface_check_name("tun", want, err, errlen) == -1)
		return -1;
	if (strncmp(want, "tun", 3) != 0 || want[3] == '\0')
		goto bad;
	for (i = 3; want[i] != '\0'; i++)
		if (want[i] < '0' || want[i] > '9')
			goto bad;
	return 0;
 bad:
	snprintf(err, errlen, "tun %s: not a tun(4) device name (tunN)",
	    want);
	errno = EINVAL;
	return -1;
}

static int
tun_open_dev(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/dev/%s", name);
	return open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

int
tun_open(struct tun *t, const char *want, char *err, size_t errlen)
{
	char name[TUN_NAME_MAX];
	int fd = -1, i, saved;

	t->fd = -1;
	t->name[0] = '\0';
	t->vnet = t->offload = 0;
	if (want != NULL && want[0] != '\0') {
		if (tun_check_name(want, err, errlen) == -1)
			return -1;
		snprintf(name, sizeof(name), "%s", want);
		if ((fd = tun_open_dev(name)) == -1) {
			saved = errno;
			snprintf(err, errlen, "tun %s: %s", name,
			    saved == EBUSY ? "in use by another process" :
			    strerror(saved));
			errno = saved;
			return -1;
		}
	} else {
		/* Opening a free unit clones its interface; busy: EBUSY. */
		for (i = 0; i < TUN_UNITS; i++) {
			snprintf(name, sizeof(name), "tun%d", i);
			if ((fd = tun_open_dev(name)) != -1 || errno != EBUSY)
				break;
		}
		if (fd == -1) {
			saved = i == TUN_UNITS ? EBUSY : errno;
			snprintf(err, errlen, "tun: no free device (%s%s): %s",
			    saved == ENOENT ? "no /dev/" : "last tried ",
			    name, strerror(saved));
			errno = saved;
			return -1;
		}
	}
	/*
	 * No TUNSIFMODE: tun(4) is born IFF_POINTOPOINT|IFF_MULTICAST, and
	 * since if_tun.c's rewrite the ioctl only accepts the flags the
	 * interface already has (EINVAL for IFF_POINTOPOINT alone).
	 */
	t->fd = fd;
	snprintf(t->name, sizeof(t->name), "%s", name);
	return 0;
}

ssize_t
tun_read(struct tun *t, uint8_t *buf, size_t len)
{
	struct iovec iov[3];
	uint32_t af;
	uint8_t spill;
	ssize_t n;

	iov[0].iov_base = &af;
	iov[0].iov_len = sizeof(af);
	iov[1].iov_base = buf;
	iov[1].iov_len = len;
	/* The kernel cuts a long packet silently; a spare byte notices. */
	iov[2].iov_base = &spill;
	iov[2].iov_len = sizeof(spill);
	if ((n = readv(t->fd, iov, 3)) == -1)
		return -1;
	if ((size_t)n < sizeof(af)) {
		errno = EBADMSG;
		return -1;
	}
	n -= sizeof(af);
	if ((size_t)n > len) {
		errno = EMSGSIZE;
		return -1;
	}
	return n;
}

ssize_t
tun_write(struct tun *t, const uint8_t *pkt, size_t len)
{
	struct iovec iov[2];
	uint32_t af;
	ssize_t n;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	switch (pkt[0] >> 4) {
	case 4:
		af = htonl(AF_INET);
		break;
	case 6:
		af = htonl(AF_INET6);
		break;
	default:
		errno = EAFNOSUPPORT;
		return -1;
	}
	iov[0].iov_base = &af;
	iov[0].iov_len = sizeof(af);
	iov[1].iov_base = (void *)pkt;
	iov[1].iov_len = len;
	if ((n = writev(t->fd, iov, 2)) == -1)
		return -1;
	return n < (ssize_t)sizeof(af) ? 0 : n - (ssize_t)sizeof(af);
}

/*
 * tun(4) here has no offloads: the data path takes one packet per read
 * and per write, as it always did (tun.h).
 */
int
tun_offload_on(struct tun *t)
{
	t->vnet = t->offload = 0;
	return 0;
}

void
tun_offload_off(struct tun *t)
{
	t->offload = 0;
}

ssize_t
tun_read_vnet(struct tun *t, struct vnet_hdr *h, uint8_t *buf, size_t len)
{
	(void)t;
	(void)h;
	(void)buf;
	(void)len;
	errno = EOPNOTSUPP;
	return -1;
}

ssize_t
tun_write_vnet(struct tun *t, const struct vnet_hdr *h, const uint8_t *pkt,
    size_t len)
{
	(void)t;
	(void)h;
	(void)pkt;
	(void)len;
	errno = EOPNOTSUPP;
	return -1;
}

/* Runs one interface ioctl on a throwaway socket; "what: why" on error. */
static int
iface_ioctl(const char *what, const char *ifname, unsigned long req,
    void *arg, char *err, size_t errlen)
{
	int s, saved;

	if (iface_check_name(what, ifname, err, errlen) == -1)
		return -1;
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "%s: socket: %s", what,
		    strerror(errno));
		return -1;
	}
	if (ioctl(s, req, arg) == -1) {
		saved = errno;
		snprintf(err, errlen, "%s: %s", what, saved == ENXIO ?
		    "no such interface" : strerror(saved));
		close(s);
		errno = saved;
		return -1;
	}
	close(s);
	return 0;
}

static void
sin_set(struct sockaddr_in *sin, struct in_addr a)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_len = sizeof(*sin);
	sin->sin_family = AF_INET;
	sin->sin_addr = a;
}

static void
addr_what(char *what, size_t len, const char *ifname, struct in_addr local,
    struct in_addr peer)
{
	char l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &local, l, sizeof(l));
	inet_ntop(AF_INET, &peer, p, sizeof(p));
	snprintf(what, len, "address %s peer %s on %s", l, p, ifname);
}

int
iface_set_addr(const char *ifname, struct in_addr local, struct in_addr peer,
    char *err, size_t errlen)
{
	struct in_aliasreq ifra;
	struct in_addr all = { INADDR_BROADCAST };
	char what[96];

	addr_what(what, sizeof(what), ifname, local, peer);
	memset(&ifra, 0, sizeof(ifra));
	snprintf(ifra.ifra_name, sizeof(ifra.ifra_name), "%s", ifname);
	sin_set(&ifra.ifra_addr, local);
	sin_set(&ifra.ifra_dstaddr, peer);
	sin_set(&ifra.ifra_mask, all);
	/* SIOCAIFADDR on an existing local address updates it in place. */
	return iface_ioctl(what, ifname, SIOCAIFADDR, &ifra, err, errlen);
}

int
iface_del_addr(const char *ifname, struct in_addr local, struct in_addr peer,
    char *err, size_t errlen)
{
	struct sockaddr_in sin;
	struct ifreq ifr;
	char what[96];

	addr_what(what, sizeof(what), ifname, local, peer);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	sin_set(&sin, local);
	memcpy(&ifr.ifr_addr, &sin, sizeof(sin));
	return iface_ioctl(what, ifname, SIOCDIFADDR, &ifr, err, errlen);
}

int
iface_set_mtu(const char *ifname, unsigned int mtu, char *err, size_t errlen)
{
	struct ifreq ifr;
	char what[64];

	snprintf(what, sizeof(what), "MTU %u on %s", mtu, ifname);
	if (iface_check_mtu(ifname, mtu, err, errlen) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	/* tun(4) itself refuses more than TUNMRU (16384); EINVAL says so. */
	ifr.ifr_mtu = (int)mtu;
	return iface_ioctl(what, ifname, SIOCSIFMTU, &ifr, err, errlen);
}

int
iface_set_up(const char *ifname, int up, char *err, size_t errlen)
{
	struct ifreq ifr;
	char what[64];

	snprintf(what, sizeof(what), "link %s %s", up ? "up" : "down",
	    ifname);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (iface_ioctl(what, ifname, SIOCGIFFLAGS, &ifr, err, errlen) == -1)
		return -1;
	if (up)
		ifr.ifr_flags |= IFF_UP;
	else
		ifr.ifr_flags &= ~IFF_UP;
	return iface_ioctl(what, ifname, SIOCSIFFLAGS, &ifr, err, errlen);
}

/*
 * SIOCSIFRDOMAIN (sys/sys/sockio.h; ifr_rdomainid in sys/net/if.h): the
 * kernel creates the rdomain with its loopback if it does not exist,
 * and detaches the interface's addresses if it moves.
 */
int
iface_set_rdomain(const char *ifname, unsigned int rdomain, char *err,
    size_t errlen)
{
	struct ifreq ifr;
	char what[64];

	snprintf(what, sizeof(what), "rdomain %u on %s", rdomain, ifname);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_rdomainid = (int)rdomain;
	return iface_ioctl(what, ifname, SIOCSIFRDOMAIN, &ifr, err, errlen);
}
