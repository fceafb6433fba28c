/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * PPTP control messages (RFC 2637 §2): codecs and a stream framer.
 *
 * Structs hold host-order values; pptp_msg_encode() writes the wire form
 * into a struct wbuf and pptp_msg_decode() validates and parses one whole
 * message.  Strings are kept NUL-terminated with one byte to spare over
 * their fixed wire width, so a peer that fills a field cannot make us read
 * past it.  No I/O, no allocation: the client engine, the test peer and the
 * fuzz target all call these.
 */
#ifndef PPTPC_PPTP_MSG_H
#define PPTPC_PPTP_MSG_H

#include <stddef.h>
#include <stdint.h>

struct wbuf;

#define PPTP_TCP_PORT		1723
#define PPTP_MAGIC		0x1a2b3c4dU
/* PPTP Message Type: control; 2 (management) defines no messages. */
#define PPTP_MSG_CONTROL	1
#define PPTP_VERSION		0x0100	/* 1.0 */

/* Length, PPTP Message Type, Magic Cookie, Control Message Type, Reserved0. */
#define PPTP_HDR_LEN		12
/* The longest message, Incoming-Call-Request. */
#define PPTP_MAX_MSG_LEN	220

#define PPTP_HOSTNAME_LEN	64
#define PPTP_VENDOR_LEN		64
#define PPTP_PHONE_LEN		64
#define PPTP_SUBADDR_LEN	64
#define PPTP_STATS_LEN		128

/* Control Message Types (§1.6). */
enum pptp_type {
	PPTP_SCCRQ = 1,		/* Start-Control-Connection-Request */
	PPTP_SCCRP = 2,		/* Start-Control-Connection-Reply */
	PPTP_STOPCCRQ = 3,	/* Stop-Control-Connection-Request */
	PPTP_STOPCCRP = 4,	/* Stop-Control-Connection-Reply */
	PPTP_ECHORQ = 5,	/* Echo-Request */
	PPTP_ECHORP = 6,	/* Echo-Reply */
	PPTP_OCRQ = 7,		/* Outgoing-Call-Request */
	PPTP_OCRP = 8,		/* Outgoing-Call-Reply */
	PPTP_ICRQ = 9,		/* Incoming-Call-Request */
	PPTP_ICRP = 10,		/* Incoming-Call-Reply */
	PPTP_ICCN = 11,		/* Incoming-Call-Connected */
	PPTP_CCRQ = 12,		/* Call-Clear-Request */
	PPTP_CDN = 13,		/* Call-Disconnect-Notify */
	PPTP_WEN = 14,		/* WAN-Error-Notify */
	PPTP_SLI = 15,		/* Set-Link-Info */
};
#define PPTP_TYPE_MAX		PPTP_SLI

/* Result codes (§2), by message. */
#define PPTP_SCCRP_SUCCESS	1
#define PPTP_SCCRP_GENERAL	2
#define PPTP_SCCRP_EXISTS	3
#define PPTP_SCCRP_NOTAUTH	4
#define PPTP_SCCRP_VERSION	5
#define PPTP_STOP_NONE		1	/* StopCCRQ Reason */
#define PPTP_STOP_PROTOCOL	2
#define PPTP_STOP_SHUTDOWN	3
#define PPTP_STOPCCRP_OK	1
#define PPTP_STOPCCRP_GENERAL	2
#define PPTP_ECHO_OK		1
#define PPTP_ECHO_GENERAL	2
#define PPTP_OCRP_CONNECTED	1
#define PPTP_OCRP_GENERAL	2
#define PPTP_OCRP_NOCARRIER	3
#define PPTP_OCRP_BUSY		4
#define PPTP_OCRP_NODIALTONE	5
#define PPTP_OCRP_TIMEOUT	6
#define PPTP_OCRP_DONOTACCEPT	7
#define PPTP_ICRP_CONNECT	1
#define PPTP_ICRP_GENERAL	2
#define PPTP_ICRP_DONOTACCEPT	3
#define PPTP_CDN_LOSTCARRIER	1
#define PPTP_CDN_GENERAL	2
#define PPTP_CDN_ADMIN		3
#define PPTP_CDN_REQUEST	4

/* General Error Codes (§2.16), meaningful when the result is 2. */
#define PPTP_ERR_NONE		0
#define PPTP_ERR_NOTCONN	1
#define PPTP_ERR_BADFORMAT	2
#define PPTP_ERR_BADVALUE	3
#define PPTP_ERR_NORESOURCE	4
#define PPTP_ERR_BADCALLID	5
#define PPTP_ERR_PACERROR	6

/* Capabilities and types (§2.1, §2.7). */
#define PPTP_FRAME_ASYNC	1
#define PPTP_FRAME_SYNC		2
#define PPTP_FRAME_ANY		3
#define PPTP_BEARER_ANALOG	1
#define PPTP_BEARER_DIGITAL	2
#define PPTP_BEARER_ANY		3

/* SCCRQ and SCCRP; result and error are zero (reserved) in a request. */
struct pptp_scc {
	uint16_t	 version;
	uint8_t		 result;
	uint8_t		 error;
	uint32_t	 framing;
	uint32_t	 bearer;
	uint16_t	 max_channels;
	uint16_t	 firmware;
	char		 hostname[PPTP_HOSTNAME_LEN + 1];
	char		 vendor[PPTP_VENDOR_LEN + 1];
};

struct pptp_stopccrq {
	uint8_t		 reason;
};

/* StopCCRP, and the result part of Echo-Reply. */
struct pptp_result {
	uint8_t		 result;
	uint8_t		 error;
};

struct pptp_echo {
	uint32_t	 id;
	uint8_t		 result;	/* Echo-Reply only */
	uint8_t		 error;
};

struct pptp_ocrq {
	uint16_t	 call_id;
	uint16_t	 serial;
	uint32_t	 min_bps;
	uint32_t	 max_bps;
	uint32_t	 bearer;
	uint32_t	 framing;
	uint16_t	 window;
	uint16_t	 delay;		/* tenths of a second */
	char		 phone[PPTP_PHONE_LEN + 1];
	char		 subaddr[PPTP_SUBADDR_LEN + 1];
};

struct pptp_ocrp {
	uint16_t	 call_id;	/* the PAC's */
	uint16_t	 peer_call_id;	/* the PNS's, from the OCRQ */
	uint8_t		 result;
	uint8_t		 error;
	uint16_t	 cause;
	uint32_t	 speed;
	uint16_t	 window;
	uint16_t	 delay;
	uint32_t	 channel;
};

struct pptp_icrq {
	uint16_t	 call_id;
	uint16_t	 serial;
	uint32_t	 bearer;
	uint32_t	 channel;
	char		 dialed[PPTP_PHONE_LEN + 1];
	char		 dialing[PPTP_PHONE_LEN + 1];
	char		 subaddr[PPTP_SUBADDR_LEN + 1];
};

struct pptp_icrp {
	uint16_t	 call_id;
	uint16_t	 peer_call_id;
	uint8_t		 result;
	uint8_t		 error;
	uint16_t	 window;
	uint16_t	 delay;
};

struct pptp_iccn {
	uint16_t	 peer_call_id;
	uint32_t	 speed;
	uint16_t	 window;
	uint16_t	 delay;
	uint32_t	 framing;
};

struct pptp_ccrq {
	uint16_t	 call_id;	/* the PNS's own */
};

struct pptp_cdn {
	uint16_t	 call_id;	/* the PAC's own */
	uint8_t		 result;
	uint8_t		 error;
	uint16_t	 cause;
	char		 stats[PPTP_STATS_LEN + 1];
};

struct pptp_wen {
	uint16_t	 peer_call_id;
	uint32_t	 crc;
	uint32_t	 framing;
	uint32_t	 hw_overrun;
	uint32_t	 buf_overrun;
	uint32_t	 timeout;
	uint32_t	 alignment;
};

struct pptp_sli {
	uint16_t	 peer_call_id;
	uint32_t	 send_accm;
	uint32_t	 recv_accm;
};

struct pptp_msg {
	enum pptp_type	 type;
	union {
		struct pptp_scc		scc;		/* SCCRQ, SCCRP */
		struct pptp_stopccrq	stopccrq;
		struct pptp_result	stopccrp;
		struct pptp_echo	echo;		/* both */
		struct pptp_ocrq	ocrq;
		struct pptp_ocrp	ocrp;
		struct pptp_icrq	icrq;
		struct pptp_icrp	icrp;
		struct pptp_iccn	iccn;
		struct pptp_ccrq	ccrq;
		struct pptp_cdn		cdn;
		struct pptp_wen		wen;
		struct pptp_sli		sli;
	} u;
};

/* What pptp_msg_decode() and the framer found wrong. */
enum pptp_msg_err {
	PPTP_MSG_OK = 0,
	PPTP_MSG_ETRUNC,	/* fewer bytes than the length field says */
	PPTP_MSG_ELENGTH,	/* length field wrong for the header or type */
	PPTP_MSG_ECOOKIE,	/* magic cookie is not 0x1A2B3C4D */
	PPTP_MSG_EMSGTYPE,	/* PPTP Message Type is not 1 (control) */
	PPTP_MSG_EUNKNOWN,	/* control message type we do not know */
	PPTP_MSG_EVERSION,	/* SCCRQ/SCCRP not version 1.0; msg is filled */
	PPTP_MSG_EVALUE,	/* a field's value is impossible */
};

/* Bytes on the wire of a message type, 0 for an unknown type. */
size_t		 pptp_msg_len(unsigned int type);
/* Zeroes m and sets its type: every field left alone is sent as 0. */
void		 pptp_msg_init(struct pptp_msg *m, enum pptp_type type);
/*
 * Decodes one whole message.  On error returns the reason and, when why is
 * not NULL, one line naming the message and the field ("OCRP: length 30,
 * expected 32").  PPTP_MSG_EVERSION still fills msg, so that the receiver
 * can say which version it got and answer with the right code.
 */
enum pptp_msg_err pptp_msg_decode(const uint8_t *, size_t, struct pptp_msg *,
		    char *why, size_t whylen);
/* Appends the wire form of msg; 0, or -1 if it does not fit. */
int		 pptp_msg_encode(struct wbuf *, const struct pptp_msg *);

/*
 * Reassembles messages from a TCP byte stream: any split across reads,
 * any number of messages per read.  The buffer is fixed; a bad cookie or a
 * length no message can have means the stream is out of sync for good.
 */
#define PPTP_FRAMER_BUFSZ	1024

struct pptp_framer {
	uint8_t		 buf[PPTP_FRAMER_BUFSZ];
	size_t		 start;		/* first byte not yet handed out */
	size_t		 end;		/* one past the last byte held */
	int		 lost;		/* out of sync; only reset helps */
};

void		 pptp_framer_init(struct pptp_framer *);
/* Copies in up to len bytes; returns how many fit.  Take messages out
 * with pptp_framer_next() to make room for the rest. */
size_t		 pptp_framer_push(struct pptp_framer *, const uint8_t *,
		    size_t len);
/*
 * 1 with *msg and *len set to the next whole message (valid until the next
 * push), 0 if more bytes are needed, -1 if the stream lost sync (why says
 * how, and every later call returns -1).
 */
int		 pptp_framer_next(struct pptp_framer *, const uint8_t **msg,
		    size_t *len, char *why, size_t whylen);
/*
 * The loop around the two above that both ends of a control connection
 * run on every TCP read: pushes len bytes and hands each whole message to
 * deliver, which returns 0 to go on or -1 once its receiver is closed or
 * freed, when the rest is dropped.  Returns 0 when every byte was taken,
 * 1 when deliver stopped it, -1 if the stream lost sync (why says how).
 */
int		 pptp_framer_feed(struct pptp_framer *, const uint8_t *,
		    size_t len, int (*deliver)(void *, const uint8_t *, size_t),
		    void *arg, char *why, size_t whylen);

/* Names for log lines; never NULL. */
const char	*pptp_type_name(unsigned int type);	/* "SCCRP" */
/* "Start-Control-Connection-Reply" */
const char	*pptp_type_longname(unsigned int type);
const char	*pptp_error_name(unsigned int error);	/* "no resource" */
/* The result (or StopCCRQ reason) code of a message type, in words. */
const char	*pptp_result_name(unsigned int type, unsigned int result);
const char	*pptp_msg_strerror(enum pptp_msg_err);

#endif /* PPTPC_PPTP_MSG_H */
