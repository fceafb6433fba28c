#!/bin/sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# make demo: a PPTP tunnel between two network namespaces, with traffic.
# The test peer (tests/peer/pptp-peer) plays the server in one namespace,
# pptpcd dials it from the other with etc/pptpcd.conf.demo; then a ping
# and a 5-second iperf3 go through the tunnel.  Everything is torn down
# at the end, on failure and on Ctrl-C alike.  The host's own network is
# never touched.

set -u

E2E_TOP=$(cd "$(dirname "$0")/../.." && pwd)

if [ "$(id -u)" -ne 0 ]; then
	echo "make demo needs root: it creates network namespaces, a veth" \
	    "pair and tun interfaces." >&2
	echo "Run it again as root, e.g.: sudo make demo" >&2
	exit 1
fi
for prog in ip iperf3 jq; do
	if ! command -v "$prog" > /dev/null 2>&1; then
		echo "make demo needs $prog; it is not installed." >&2
		exit 1
	fi
done
if [ ! -c /dev/net/tun ]; then
	echo "make demo needs /dev/net/tun (the tun module)." >&2
	exit 1
fi

E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pptpc-demo.XXXXXX") || exit 1
E2E_PREFIX=pptpc-demo
. "$E2E_TOP/tests/e2e/lib.sh"

# The demo's tunnel is named in its config file; its user and password
# are the ones the peer must accept.
E2E_TUNNEL=demo
E2E_USER=demo
E2E_PASSWORD=demo-secret

status=1
finish()
{
	trap - EXIT INT TERM
	if [ "$status" -ne 0 ]; then
		echo
		echo "The demo failed.  The last lines of the logs:"
		e2e_logs 2>&1 | sed 's/^/    /'
	fi
	echo "==> Tearing down: processes, namespaces, $E2E_DIR"
	e2e_cleanup
	rm -rf "$E2E_DIR"
	exit "$status"
}
trap finish EXIT
trap 'echo; echo "Interrupted."; exit 130' INT
trap 'exit 143' TERM

step()
{
	echo "==> $*"
}

die()
{
	echo "FAILED: $*" >&2
	exit 1
}

step "Network namespaces $E2E_PREFIX-srv-$$ and $E2E_PREFIX-cli-$$," \
    "veth $E2E_SRV_ADDR <-> $E2E_CLI_ADDR"
e2e_netns_create || die "cannot create the namespaces"

step "Test peer (the PPTP server) on $E2E_SRV_ADDR: user $E2E_USER," \
    "MS-CHAPv2, MPPE 128 required"
e2e_peer_start || die "the test peer did not start"

step "pptpcd dialling $E2E_SRV_ADDR with etc/pptpcd.conf.demo"
(umask 077 && cp "$E2E_TOP/etc/pptpcd.conf.demo" "$E2E_DIR/pptpcd.conf") ||
    die "cannot copy the configuration"
chmod 600 "$E2E_DIR/pptpcd.conf"
e2e_daemon_start || die "cannot start pptpcd"
if ! e2e_wait_state up 30; then
	die "the tunnel was not up within 30 s (state: $(e2e_field state)," \
	    "last error: $(e2e_field last_error))"
fi
iface=$(e2e_field interface)
echo "    up on $iface: $(e2e_field local_ip) -> $(e2e_field peer_ip)," \
    "$(e2e_field engine) engine, MPPE $(e2e_field mppe)"

step "pptpctl show sessions"
e2e_ctl show sessions | sed 's/^/    /'

step "ping $E2E_LOCAL (the server's end) and 203.0.113.1 (behind it)"
e2e_ping "$E2E_LOCAL" > "$E2E_DIR/ping.out" 2>&1 ||
    { cat "$E2E_DIR/ping.out"; die "no reply through the tunnel"; }
tail -n 2 "$E2E_DIR/ping.out" | sed 's/^/    /'
e2e_ping 203.0.113.1 > "$E2E_DIR/ping.out" 2>&1 ||
    { cat "$E2E_DIR/ping.out"; die "no reply over the routed network"; }
tail -n 2 "$E2E_DIR/ping.out" | sed 's/^/    /'

step "iperf3 for 5 s through the tunnel (client -> server)"
e2e_bg srv iperf3 -s -1 -B "$E2E_LOCAL" > "$E2E_DIR/iperf3-server.log" 2>&1
sleep 1
e2e_cli timeout 30 iperf3 -c "$E2E_LOCAL" -t 5 -J > "$E2E_DIR/iperf3.json" 2>&1 ||
    { tail -n 20 "$E2E_DIR/iperf3.json"; die "iperf3 failed"; }
rate=$(jq -r '.end.sum_received.bits_per_second / 1e6 | floor' \
    "$E2E_DIR/iperf3.json")
retr=$(jq -r '.end.sum_sent.retransmits // 0' "$E2E_DIR/iperf3.json")
echo "    $rate Mbit/s received, $retr TCP retransmissions"

step "Counters after the run"
e2e_ctl show sessions | sed 's/^/    /'

step "Stopping pptpcd (SIGTERM): it hangs up and removes $iface"
e2e_daemon_kill TERM || die "pptpcd did not exit"
if e2e_cli ip link show dev "$iface" > /dev/null 2>&1; then
	die "$iface is still there"
fi

status=0
echo "==> The demo worked."
