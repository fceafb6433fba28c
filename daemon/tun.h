/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The tunnel's network interface: the tun(4) device that carries packets
 * to and from the userspace data path, and the interface settings every
 * engine needs (point-to-point address, MTU, link state).
 *
 * One implementation per OS (tun-linux.c, tun-openbsd.c).  The interface
 * calls take a name, not a struct tun, because the kernel engines configure
 * a ppp(4)/pppx(4) interface the same way and because they are the
 * privileged half of a split daemon.
 *
 * Errors: -1 with errno set and a one-line "what: why" in err (callers
 * prefix the tunnel name when they log it or show it in pptpctl).
 */
#ifndef PPTPC_TUN_H
#define PPTPC_TUN_H

#include <sys/types.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define TUN_NAME_MAX	16		/* IFNAMSIZ on both systems */
#define IFACE_ERR_MAX	128
#define IFACE_MTU_MIN	68		/* RFC 791: every IPv4 link */
#define IFACE_MTU_MAX	65535

struct tun {
	int	 fd;
	char	 name[TUN_NAME_MAX];
	/*
	 * Linux: every packet on fd comes after a virtio_net_hdr (tso.h).
	 * tun_read() and tun_write() hide it; the data path uses it.
	 */
	int	 vnet;
	int	 offload;	/* TSO and checksum offload on (tun_offload_on) */
};
struct vnet_hdr;

/*
 * One packet slot for tun_read_batch().  buf and cap are set once by the
 * data path; len is the length of the IPv4/IPv6 packet read into it.
 */
struct tun_pkt {
	uint8_t	*buf;
	size_t	 cap;
	size_t	 len;
};

/*
 * Opens a tun device, non-blocking and close-on-exec: the one named want
 * ("tun0"), or the first free one if want is NULL or "".  Fills t->fd and
 * t->name.  The interface is left down and unaddressed.
 */
int	tun_open(struct tun *t, const char *want, char *err, size_t errlen);
/* Closes the device; the kernel removes a non-persistent interface. */
void	tun_close(struct tun *t);

/*
 * Reads one packet into buf, without any per-OS framing.  Returns its
 * length, or -1 with errno (EAGAIN when none is waiting).  A packet longer
 * than len is cut and reported as EMSGSIZE.
 */
ssize_t	tun_read(struct tun *t, uint8_t *buf, size_t len);
/* Writes one IPv4 or IPv6 packet; the family is taken from its header. */
ssize_t	tun_write(struct tun *t, const uint8_t *pkt, size_t len);
/*
 * Linux: asks the device for TCP super-packets and unfinished checksums
 * (TUNSETOFFLOAD), if fd was opened with IFF_VNET_HDR (TUNGETIFF tells).
 * Sets t->vnet and t->offload and returns t->offload: 1 if packets now
 * come as tun_read_vnet() describes, 0 if tun_read() and tun_write()
 * are the way (another system, another kind of fd, an old kernel).
 * tun_offload_off() turns them off again.
 */
int	tun_offload_on(struct tun *t);
void	tun_offload_off(struct tun *t);
/*
 * With t->vnet: one packet (up to TSO_PKT_MAX bytes with offloads) and
 * its virtio_net_hdr; longer than len is EMSGSIZE as for tun_read().
 */
ssize_t	tun_read_vnet(struct tun *t, struct vnet_hdr *h, uint8_t *buf,
	    size_t len);
/* With t->vnet: writes h and pkt as one packet (a super-packet if h says). */
ssize_t	tun_write_vnet(struct tun *t, const struct vnet_hdr *h,
	    const uint8_t *pkt, size_t len);
/*
 * Reads up to n waiting packets into pkts[0..n) for one wakeup of the
 * data path.  Returns how many were read (0 if none was waiting), or -1
 * on an error other than EAGAIN before the first packet.  Linux has no
 * multi-packet read on tun, so this is a loop of tun_read(); it still
 * saves the event loop a round trip per packet.
 */
int	tun_read_batch(struct tun *t, struct tun_pkt *pkts, int n);

/* Sets local and peer/32 on a point-to-point interface (replacing it). */
int	iface_set_addr(const char *ifname, struct in_addr local,
	    struct in_addr peer, char *err, size_t errlen);
int	iface_del_addr(const char *ifname, struct in_addr local,
	    struct in_addr peer, char *err, size_t errlen);
int	iface_set_mtu(const char *ifname, unsigned int mtu, char *err,
	    size_t errlen);
/* Sets the link administratively up (1) or down (0). */
int	iface_set_up(const char *ifname, int up, char *err, size_t errlen);
/*
 * Moves the interface into routing domain rdomain (OpenBSD
 * "interface-rdomain"; -1 with EOPNOTSUPP elsewhere).  The kernel strips
 * its IPv4 addresses on the move, so this comes before iface_set_addr().
 * Privileged.
 */
int	iface_set_rdomain(const char *ifname, unsigned int rdomain, char *err,
	    size_t errlen);

/* OS-neutral checks shared by the implementations (tun.c). */
int	iface_check_name(const char *what, const char *ifname, char *err,
	    size_t errlen);
int	iface_check_mtu(const char *ifname, unsigned int mtu, char *err,
	    size_t errlen);

#endif /* PPTPC_TUN_H */
