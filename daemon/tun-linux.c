/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * tun(4) and interface settings on Linux: /dev/net/tun with IFF_NO_PI, so
 * packets carry no framing, and rtnetlink for address, MTU and link state
 * (never ip(8) in a shell).
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <arpa/inet.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "nl-linux.h"
#include "tun.h"

#define TUN_CLONE_DEV	"/dev/net/tun"

/*
 * Packets the kernel queues on the tun device for us to read.  tun drops
 * (tx_dropped) when its ring is full and never stops the queue, so a
 * local TCP sender sees loss, not back-pressure, whenever pptpcd falls
 * behind while encrypting: Linux's default of 500 cost 300-2,600
 * retransmissions per 5 s of iperf3, 1000 still about 45 in 10 s, 2048
 * none, because it holds a whole TCP receive window.  The queue fills
 * only while pptpcd itself is the bottleneck, and then adds at most
 * 2048 packets of delay (about 50 ms at 500 Mbit/s).  The tun driver
 * resizes its ring when the length changes.
 */
#define TUN_TXQLEN	2048

static int	iface_index(const char *, const char *, char *, size_t);
static int	tun_set_txqlen(const char *, unsigned int, char *, size_t);

int
tun_open(struct tun *t, const char *want, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd, saved;

	t->fd = -1;
	t->name[0] = '\0';
	memset(&ifr, 0, sizeof(ifr));
	if (want != NULL && want[0] != '\0') {
		if (iface_check_name("tun", want, err, errlen) == -1)
			return -1;
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", want);
	} else {
		/* The kernel picks the lowest free number. */
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "tun%%d");
	}
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;

	if ((fd = open(TUN_CLONE_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC)) ==
	    -1) {
		snprintf(err, errlen, "tun: %s: %s", TUN_CLONE_DEV,
		    strerror(errno));
		return -1;
	}
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		saved = errno;
		snprintf(err, errlen, "tun %s: %s", want != NULL &&
		    want[0] != '\0' ? want : "(any)", saved == EBUSY ?
		    "in use by another process" : saved == EINVAL ?
		    "exists and is not a free tun device" : strerror(saved));
		close(fd);
		errno = saved;
		return -1;
	}
	t->fd = fd;
	snprintf(t->name, sizeof(t->name), "%.*s", (int)sizeof(ifr.ifr_name),
	    ifr.ifr_name);
	/* The device works with the default queue, only lossier. */
	if (tun_set_txqlen(t->name, TUN_TXQLEN, err, errlen) == -1) {
		log_debug("%s", err);
		if (errlen > 0)
			err[0] = '\0';
	}
	return 0;
}

static int
tun_set_txqlen(const char *ifname, unsigned int qlen, char *err,
    size_t errlen)
{
	struct ifinfomsg ifi;
	struct nl_req req;
	char what[64];
	int idx;

	snprintf(what, sizeof(what), "transmit queue length %u on %s", qlen,
	    ifname);
	if ((idx = iface_index(what, ifname, err, errlen)) == -1)
		return -1;
	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = idx;
	nl_req_init(&req, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	nl_req_attr_u32(&req, IFLA_TXQLEN, qlen);
	return nl_request(&req, NULL, NULL, what, err, errlen);
}

ssize_t
tun_read(struct tun *t, uint8_t *buf, size_t len)
{
	struct iovec iov[2];
	uint8_t spill;
	ssize_t n;

	/*
	 * Linux cuts a packet to the buffer and returns the cut length, so
	 * a byte past the buffer is the only way to notice.
	 */
	iov[0].iov_base = buf;
	iov[0].iov_len = len;
	iov[1].iov_base = &spill;
	iov[1].iov_len = sizeof(spill);
	if ((n = readv(t->fd, iov, 2)) == -1)
		return -1;
	if ((size_t)n > len) {
		errno = EMSGSIZE;
		return -1;
	}
	return n;
}

ssize_t
tun_write(struct tun *t, const uint8_t *pkt, size_t len)
{
	return write(t->fd, pkt, len);
}

static int
iface_index(const char *what, const char *ifname, char *err, size_t errlen)
{
	unsigned int idx;

	if (iface_check_name(what, ifname, err, errlen) == -1)
		return -1;
	if ((idx = if_nametoindex(ifname)) == 0) {
		snprintf(err, errlen, "%s: %s", what, errno == ENODEV ||
		    errno == ENXIO ? "no such interface" : strerror(errno));
		return -1;
	}
	return (int)idx;
}

static int
iface_addr(int add, const char *ifname, struct in_addr local,
    struct in_addr peer, char *err, size_t errlen)
{
	struct ifaddrmsg ifa;
	struct nl_req req;
	char what[96], l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];
	int idx;

	inet_ntop(AF_INET, &local, l, sizeof(l));
	inet_ntop(AF_INET, &peer, p, sizeof(p));
	snprintf(what, sizeof(what), "address %s peer %s on %s", l, p,
	    ifname);
	if ((idx = iface_index(what, ifname, err, errlen)) == -1)
		return -1;
	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = AF_INET;
	ifa.ifa_prefixlen = 32;
	ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	ifa.ifa_index = (unsigned int)idx;
	/* REPLACE: setting the same address again after a redial is fine. */
	nl_req_init(&req, add ? RTM_NEWADDR : RTM_DELADDR,
	    add ? NLM_F_CREATE | NLM_F_REPLACE : 0, &ifa, sizeof(ifa));
	nl_req_attr_in(&req, IFA_LOCAL, local);
	/* On a point-to-point link IFA_ADDRESS is the peer. */
	nl_req_attr_in(&req, IFA_ADDRESS, peer);
	return nl_request(&req, NULL, NULL, what, err, errlen);
}

int
iface_set_addr(const char *ifname, struct in_addr local, struct in_addr peer,
    char *err, size_t errlen)
{
	return iface_addr(1, ifname, local, peer, err, errlen);
}

int
iface_del_addr(const char *ifname, struct in_addr local, struct in_addr peer,
    char *err, size_t errlen)
{
	return iface_addr(0, ifname, local, peer, err, errlen);
}

int
iface_set_mtu(const char *ifname, unsigned int mtu, char *err, size_t errlen)
{
	struct ifinfomsg ifi;
	struct nl_req req;
	char what[64];
	int idx;

	snprintf(what, sizeof(what), "MTU %u on %s", mtu, ifname);
	if ((idx = iface_index(what, ifname, err, errlen)) == -1 ||
	    iface_check_mtu(ifname, mtu, err, errlen) == -1)
		return -1;
	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = idx;
	nl_req_init(&req, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	nl_req_attr_u32(&req, IFLA_MTU, mtu);
	return nl_request(&req, NULL, NULL, what, err, errlen);
}

int
iface_set_up(const char *ifname, int up, char *err, size_t errlen)
{
	struct ifinfomsg ifi;
	struct nl_req req;
	char what[64];
	int idx;

	snprintf(what, sizeof(what), "link %s %s", up ? "up" : "down",
	    ifname);
	if ((idx = iface_index(what, ifname, err, errlen)) == -1)
		return -1;
	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = idx;
	/* Only IFF_UP changes; the kernel keeps every other flag. */
	ifi.ifi_flags = up ? IFF_UP : 0;
	ifi.ifi_change = IFF_UP;
	nl_req_init(&req, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	return nl_request(&req, NULL, NULL, what, err, errlen);
}

/* Linux has no rdomains: the parser refuses "interface-rdomain". */
int
iface_set_rdomain(const char *ifname, unsigned int rdomain, char *err,
    size_t errlen)
{
	snprintf(err, errlen, "rdomain %u on %s: Linux has no routing "
	    "domains", rdomain, ifname);
	errno = EOPNOTSUPP;
	return -1;
}
