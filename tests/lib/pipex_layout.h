/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The pipex(4) request structures and constants as OpenBSD's <net/pipex.h>
 * (rev. 1.35, 2025/03/02) declares them, written down from the field
 * tables in doc/pipex.md §2 so that kernel-glue/pipex_map.c and its
 * unit test build on systems without that header.  Names, types and
 * field order follow the header; sizes differ where this system's types
 * do (sockaddr_storage is 128 bytes here and 256 there, and there is no
 * sin_len), which the mapping never depends on: it only names fields.
 * On OpenBSD the real header is used instead and this file is unused.
 *
 * Only the parts the PPTP client uses are here (no L2TP or PPPoE
 * specifics beyond what the union needs to exist).
 */
#ifndef PPTPC_PIPEX_LAYOUT_H
#define PPTPC_PIPEX_LAYOUT_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <stdint.h>

#define PIPEX_PROTO_L2TP		1
#define PIPEX_PROTO_PPTP		2
#define PIPEX_PROTO_PPPOE		3

#define PIPEX_MAX_LISTREQ		128
#define PIPEX_MPPE_KEYLEN		16
#define PIPEX_LISTREQ_MORE		0x01

#define PIPEXCTL_ENABLE			1

#define PIPEX_PPP_ACFC_ACCEPTED		0x0001
#define PIPEX_PPP_PFC_ACCEPTED		0x0002
#define PIPEX_PPP_ACFC_ENABLED		0x0004
#define PIPEX_PPP_PFC_ENABLED		0x0008
#define PIPEX_PPP_MPPE_ACCEPTED		0x0010
#define PIPEX_PPP_MPPE_ENABLED		0x0020
#define PIPEX_PPP_MPPE_REQUIRED		0x0040
#define PIPEX_PPP_HAS_ACF		0x0080
#define PIPEX_PPP_ADJUST_TCPMSS		0x0100
#define PIPEX_PPP_INGRESS_FILTER	0x0200

struct pipex_mppe_req {
	int16_t		 stateless;
	int16_t		 keylenbits;
	u_char		 master_key[PIPEX_MPPE_KEYLEN];
};

struct pipex_statistics {
	uint32_t	 ipackets;
	uint32_t	 ierrors;
	uint64_t	 ibytes;
	uint32_t	 opackets;
	uint32_t	 oerrors;
	uint64_t	 obytes;
	uint32_t	 idle_time;
};

struct pipex_session_req {
	int		 pr_protocol;
	uint16_t	 pr_session_id;
	uint16_t	 pr_peer_session_id;
	uint32_t	 pr_ppp_flags;
	int8_t		 pr_ccp_id;
	int		 pr_ppp_id;
	uint16_t	 pr_peer_mru;
	uint32_t	 pr_timeout_sec;
	struct in_addr	 pr_ip_srcaddr;
	struct in_addr	 pr_ip_address;
	struct in_addr	 pr_ip_netmask;
	struct sockaddr_in6 pr_ip6_address;
	int		 pr_ip6_prefixlen;
	union {
		struct {
			uint32_t snd_nxt;
			uint32_t rcv_nxt;
			uint32_t snd_una;
			uint32_t rcv_acked;
			int	 winsz;
			int	 maxwinsz;
			int	 peer_maxwinsz;
		} pptp;
		struct {
			uint32_t option_flags;
			uint16_t tunnel_id;
			uint16_t peer_tunnel_id;
			uint32_t ns_nxt;
			uint32_t nr_nxt;
			uint32_t ns_una;
			uint32_t nr_acked;
			uint32_t ipsecflowinfo;
		} l2tp;
		struct {
			char	 over_ifname[16];
		} pppoe;
	} pr_proto;
	struct sockaddr_storage pr_peer_address;
	struct sockaddr_storage pr_local_address;
	struct pipex_mppe_req pr_mppe_recv;
	struct pipex_mppe_req pr_mppe_send;
};

struct pipex_session_stat_req {
	int		 psr_protocol;
	uint16_t	 psr_session_id;
	struct pipex_statistics psr_stat;
};

struct pipex_session_close_req {
	int		 psr_protocol;
	uint16_t	 psr_session_id;
	struct pipex_statistics psr_stat;
};
#define pcr_protocol	psr_protocol
#define pcr_session_id	psr_session_id
#define pcr_stat	psr_stat

struct pipex_session_descr_req {
	int		 pdr_protocol;
	uint16_t	 pdr_session_id;
	char		 pdr_descr[64];	/* IFDESCRSIZE */
};

/* This system's struct sockaddr_in has no length field. */
#define PIPEX_LAYOUT_NO_SIN_LEN	1

#endif /* PPTPC_PIPEX_LAYOUT_H */
