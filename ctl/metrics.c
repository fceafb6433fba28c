/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * "pptpctl show metrics": every session's state and counters in the
 * Prometheus text exposition format (version 0.0.4), which the
 * node_exporter textfile collector reads, so that
 *
 *	pptpctl show metrics > /var/lib/node_exporter/pptpc.prom.$$ &&
 *	    mv /var/lib/node_exporter/pptpc.prom.$$ \
 *	    /var/lib/node_exporter/pptpc.prom
 *
 * from cron is all a monitoring system needs.  The names are a contract,
 * documented in pptpctl(8): add, never rename.  Each metric is one
 * family with a HELP and TYPE line and one sample per tunnel, labelled
 * tunnel="NAME"; a counter the engine cannot see (JSON null) has no
 * sample rather than a made-up 0.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json_read.h"
#include "metrics.h"
#include "pptpc_ctl.h"

enum metric_type { M_COUNTER, M_GAUGE };

static const struct metric {
	enum session_key	 key;
	const char		*name;
	enum metric_type	 type;
	const char		*help;
} metrics[] = {
	{ SK_UPTIME, "pptpc_session_uptime_seconds", M_GAUGE,
	    "Seconds since the session came up; 0 while it is not up." },
	{ SK_MTU, "pptpc_session_mtu_bytes", M_GAUGE,
	    "The tunnel interface's MTU; 0 while the session is not up." },
	{ SK_TX_PACKETS, "pptpc_tx_packets_total", M_COUNTER,
	    "IP packets sent into the tunnel." },
	{ SK_TX_BYTES, "pptpc_tx_bytes_total", M_COUNTER,
	    "Bytes of IP packets sent into the tunnel." },
	{ SK_RX_PACKETS, "pptpc_rx_packets_total", M_COUNTER,
	    "IP packets received from the tunnel." },
	{ SK_RX_BYTES, "pptpc_rx_bytes_total", M_COUNTER,
	    "Bytes of IP packets received from the tunnel." },
	{ SK_RX_ERRORS, "pptpc_rx_errors_total", M_COUNTER,
	    "Received packets that were malformed or did not decrypt." },
	{ SK_RX_LOST, "pptpc_rx_lost_total", M_COUNTER,
	    "Packets the server sent that never arrived, by sequence number." },
	{ SK_GRE_REORDERED, "pptpc_gre_reordered_total", M_COUNTER,
	    "GRE packets that came out of order and were delivered in order." },
	{ SK_GRE_LATE, "pptpc_gre_late_total", M_COUNTER,
	    "GRE packets that came after their gap was given up." },
	{ SK_GRE_DUPLICATE, "pptpc_gre_duplicate_total", M_COUNTER,
	    "GRE packets that came twice." },
	{ SK_GRE_OUT_OF_WINDOW, "pptpc_gre_out_of_window_total", M_COUNTER,
	    "GRE packets too far from the stream to belong to it." },
	{ SK_GRE_RESYNCS, "pptpc_gre_resyncs_total", M_COUNTER,
	    "Times the receiver followed the server's GRE sequence to a new "
	    "place." },
	{ SK_MPPE_UNDECRYPTABLE, "pptpc_mppe_undecryptable_total", M_COUNTER,
	    "MPPE packets that did not decrypt to a plausible frame." },
	{ SK_MPPE_OVER_BUDGET, "pptpc_mppe_over_budget_total", M_COUNTER,
	    "MPPE packets not tried because the call's CPU budget was spent." },
	{ SK_MPPE_RESETS_SENT, "pptpc_mppe_resets_sent_total", M_COUNTER,
	    "CCP Reset-Requests sent." },
	{ SK_MPPE_RESETS_RECEIVED, "pptpc_mppe_resets_received_total",
	    M_COUNTER, "CCP Reset-Requests received and honoured." },
	{ SK_CLEARTEXT_DROPPED, "pptpc_cleartext_dropped_total", M_COUNTER,
	    "Unencrypted data frames dropped on an MPPE link." },
	{ SK_LCP_ECHO_RTT, "pptpc_lcp_echo_rtt_seconds", M_GAUGE,
	    "Round trip of the last answered LCP echo." },
	{ SK_LCP_ECHOES_MISSED, "pptpc_lcp_echoes_missed_total", M_COUNTER,
	    "LCP echo requests that were never answered." },
	{ SK_RECONNECTS, "pptpc_session_reconnects", M_GAUGE,
	    "Attempts since the session was last up." },
};
#define NMETRICS	(sizeof(metrics) / sizeof(metrics[0]))

/*
 * A label value: backslash, double quote and newline escaped as the
 * format requires; other control characters, which a server's error
 * text could hold, become "?".
 */
static void
label_value(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(fp, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", fp);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fputc('?', fp);
		else
			fputc(*s, fp);
	}
}

static void
tunnel_label(FILE *fp, const struct jv *s)
{
	const char *name = jv_get_str(s, session_key(SK_NAME));

	fputs("{tunnel=\"", fp);
	label_value(fp, name != NULL ? name : "");
	fputc('"', fp);
}

static void
family(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One sample per session that has a number for the metric. */
static void
metric_print(FILE *fp, const struct metric *m, const struct jv *list)
{
	const struct jv *s, *v;

	family(fp, m->name, m->type == M_COUNTER ? "counter" : "gauge",
	    m->help);
	for (s = list->child; s != NULL; s = s->next) {
		v = jv_get(s, session_key(m->key));
		if (v == NULL || v->type != JV_NUMBER || !v->is_u64)
			continue;
		fputs(m->name, fp);
		tunnel_label(fp, s);
		if (m->key == SK_LCP_ECHO_RTT)
			fprintf(fp, "} %" PRIu64 ".%03" PRIu64 "\n",
			    v->u64 / 1000, v->u64 % 1000);
		else
			fprintf(fp, "} %" PRIu64 "\n", v->u64);
	}
}

void
metrics_print(FILE *fp, const struct jv *list)
{
	static const enum session_key text[] = {
		SK_ENGINE, SK_MPPE, SK_AUTH, SK_INTERFACE, SK_LOCAL_IP,
		SK_PEER_IP, SK_SERVER_ADDR,
	};
	const struct jv *s;
	const char *state, *t;
	size_t i;
	int st;

	family(fp, "pptpc_session_up", "gauge",
	    "1 if the tunnel is up, else 0.");
	for (s = list->child; s != NULL; s = s->next) {
		state = jv_get_str(s, session_key(SK_STATE));
		fputs("pptpc_session_up", fp);
		tunnel_label(fp, s);
		fprintf(fp, "} %d\n", state != NULL &&
		    strcmp(state, session_state_name(SESSION_UP)) == 0);
	}
	family(fp, "pptpc_session_state", "gauge",
	    "1 for the state the tunnel is in, 0 for the others.");
	for (s = list->child; s != NULL; s = s->next) {
		state = jv_get_str(s, session_key(SK_STATE));
		for (st = SESSION_IDLE; st <= SESSION_BACKOFF; st++) {
			fputs("pptpc_session_state", fp);
			tunnel_label(fp, s);
			fprintf(fp, ",state=\"%s\"} %d\n",
			    session_state_name(st), state != NULL &&
			    strcmp(state, session_state_name(st)) == 0);
		}
	}
	/* Text that changes rarely rides as labels of a constant 1. */
	family(fp, "pptpc_session_info", "gauge",
	    "Always 1; the labels say how the session is carried.");
	for (s = list->child; s != NULL; s = s->next) {
		fputs("pptpc_session_info", fp);
		tunnel_label(fp, s);
		for (i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
			t = jv_get_str(s, session_key(text[i]));
			fprintf(fp, ",%s=\"", session_key(text[i]));
			label_value(fp, t != NULL ? t : "");
			fputc('"', fp);
		}
		fputs("} 1\n", fp);
	}
	for (i = 0; i < NMETRICS; i++)
		metric_print(fp, &metrics[i], list);
}
