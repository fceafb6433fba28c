/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/* PPP protocol numbers and packet codes shared by the PPP modules. */
#ifndef PPTPC_PPP_DEFS_H
#define PPTPC_PPP_DEFS_H

#define PPP_ALLSTATIONS	0xff
#define PPP_UI		0x03

#define PPP_IP		0x0021
#define PPP_VJC_COMP	0x002d
#define PPP_VJC_UNCOMP	0x002f
#define PPP_IPV6	0x0057
#define PPP_COMP	0x00fd	/* MPPE-encrypted datagram */
#define PPP_IPCP	0x8021
#define PPP_IPV6CP	0x8057
#define PPP_CCP		0x80fd
#define PPP_LCP		0xc021
#define PPP_PAP		0xc023
#define PPP_LQR		0xc025
#define PPP_CHAP	0xc223

/* Codes of LCP and the NCPs (RFC 1661, 1570, 1962). */
#define CONFREQ		1
#define CONFACK		2
#define CONFNAK		3
#define CONFREJ		4
#define TERMREQ		5
#define TERMACK		6
#define CODEREJ		7
#define PROTREJ		8
#define ECHOREQ		9
#define ECHOREP		10
#define DISCREQ		11
#define IDENT		12
#define TIMEREM		13
#define RESETREQ	14
#define RESETACK	15

/* CHAP algorithms in the LCP Authentication-Protocol option. */
#define CHAP_MD5	0x05
#define CHAP_MSV1	0x80
#define CHAP_MSV2	0x81

#define PPP_MRU_DEFAULT	1500
#define PPP_MRU_MIN	128

#endif /* PPTPC_PPP_DEFS_H */
