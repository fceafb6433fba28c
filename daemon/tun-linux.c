/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * tun(4) and interface settings on Linux: /dev/net/tun with IFF_NO_PI and
 * IFF_VNET_HDR, and rtnetlink for address, MTU and link state (never
 * ip(8) in a shell).  The virtio_net_hdr in front of every packet is what
 * lets the data path turn on the device's offloads (tun_offload_on(),
 * tso.h); tun_read() and tun_write() hide it from everyone else.
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
#include "tso.h"
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

_Static_assert(sizeof(struct vnet_hdr) == VNET_HDR_LEN,
    "struct vnet_hdr must be the kernel's virtio_net_hdr");

static int	iface_index(const char *, const char *, char *, size_t);
static int	tun_set_txqlen(const char *, unsigned int, char *, size_t);

int
tun_open(struct tun *t, const char *want, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd, saved;

	t->fd = -1;
	t->name[0] = '\0';
	t->vnet = t->offload = 0;
	memset(&ifr, 0, sizeof(ifr));
	if (want != NULL && want[0] != '\0') {
		if (iface_check_name("tun", want, err, errlen) == -1)
			return -1;
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", want);
	} else {
		/* The kernel picks the lowest free number. */
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "tun%%d");
	}
	/* The header can only be chosen now; offloads come later, or not. */
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR;

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
	t->vnet = 1;
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

/* readv() of a packet after its virtio_net_hdr into buf[0..len). */
static ssize_t
read_vnet(int fd, struct vnet_hdr *h, uint8_t *buf, size_t len)
{
	struct iovec iov[3];
	uint8_t spill;
	ssize_t n;

	/*
	 * Linux cuts a packet to the buffer and returns the cut length, so
	 * a byte past the buffer is the only way to notice.
	 */
	iov[0].iov_base = h;
	iov[0].iov_len = VNET_HDR_LEN;
	iov[1].iov_base = buf;
	iov[1].iov_len = len;
	iov[2].iov_base = &spill;
	iov[2].iov_len = sizeof(spill);
	if ((n = readv(fd, iov, 3)) == -1)
		return -1;
	if (n < VNET_HDR_LEN) {
		errno = EBADMSG;
		return -1;
	}
	n -= VNET_HDR_LEN;
	if ((size_t)n > len) {
		errno = EMSGSIZE;
		return -1;
	}
	return n;
}

ssize_t
tun_read(struct tun *t, uint8_t *buf, size_t len)
{
	struct vnet_hdr h;
	struct iovec iov[2];
	uint8_t spill;
	ssize_t n;

	if (t->vnet) {
		if ((n = read_vnet(t->fd, &h, buf, len)) == -1)
			return -1;
		/*
		 * Offloads on (someone else's, or left behind): a
		 * super-packet cannot be one packet, and an unfinished
		 * checksum is finished here.
		 */
		if (h.gso_type != VNET_GSO_NONE ||
		    ((h.flags & VNET_F_NEEDS_CSUM) &&
		    tso_csum_finish(buf, (size_t)n, &h) == -1)) {
			errno = EMSGSIZE;
			return -1;
		}
		return n;
	}
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
	struct vnet_hdr h;

	if (!t->vnet)
		return write(t->fd, pkt, len);
	memset(&h, 0, sizeof(h));
	return tun_write_vnet(t, &h, pkt, len);
}

ssize_t
tun_read_vnet(struct tun *t, struct vnet_hdr *h, uint8_t *buf, size_t len)
{
	if (!t->vnet) {
		errno = EINVAL;
		return -1;
	}
	return read_vnet(t->fd, h, buf, len);
}

ssize_t
tun_write_vnet(struct tun *t, const struct vnet_hdr *h, const uint8_t *pkt,
    size_t len)
{
	struct iovec iov[2];
	ssize_t n;

	if (!t->vnet) {
		errno = EINVAL;
		return -1;
	}
	iov[0].iov_base = (void *)(uintptr_t)h;
	iov[0].iov_len = VNET_HDR_LEN;
	iov[1].iov_base = (void *)(uintptr_t)pkt;
	iov[1].iov_len = len;
	if ((n = writev(t->fd, iov, 2)) == -1)
		return -1;
	return n < VNET_HDR_LEN ? 0 : n - VNET_HDR_LEN;
}

int
tun_offload_on(struct tun *t)
{
	struct ifreq ifr;

	t->vnet = t->offload = 0;
	/* Not a tun (a test's socketpair), or no header: plain packets. */
	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(t->fd, TUNGETIFF, &ifr) == -1 ||
	    !(ifr.ifr_flags & IFF_VNET_HDR))
		return 0;
	t->vnet = 1;
	/*
	 * TCP super-packets both ways and checksums left to us; never UDP
	 * segmentation (USO), nor ECN-marked super-packets (the kernel
	 * cuts those itself when TUN_F_TSO_ECN is off).
	 */
	if (ioctl(t->fd, TUNSETOFFLOAD, (unsigned long)(TUN_F_CSUM |
	    TUN_F_TSO4 | TUN_F_TSO6)) == -1) {
		log_debug("tun: offloads: %s", strerror(errno));
		return 0;
	}
	t->offload = 1;
	return 1;
}

void
tun_offload_off(struct tun *t)
{
	if (t->offload && ioctl(t->fd, TUNSETOFFLOAD, 0UL) == -1)
		log_debug("tun: offloads off: %s", strerror(errno));
	t->offload = 0;
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
