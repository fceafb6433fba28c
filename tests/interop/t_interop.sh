#! /usr/bin/env atf-sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# Interop test bed: a real Poptop server (Debian's pptpd and pppd) in a
# qemu VM on Debian's own kernel, reached from a network namespace.  The
# functions are in lib.sh; the VM's /init is vm-init.sh.

. "$(atf_get_srcdir)/lib.sh"

interop_head()
{
	atf_set require.user root
	atf_set require.progs "qemu-system-x86_64 ip busybox bash cpio"
	atf_set timeout 120
	# Exclusive (no parallel cases): set in the Kyuafile, since this
	# Kyua does not know the is.exclusive property.
}

atf_test_case server_boots cleanup
server_boots_head()
{
	atf_set descr "The server VM boots, loads the PPP and PPTP modules," \
	    "and its pptpd answers an SCCRQ with a successful SCCRP"
	interop_head
}
server_boots_body()
{
	local log m

	it_setup
	it_image
	it_server_start

	log=$(it_vm_log server)
	grep -q '^pptpc-vm: /dev/ppp present' "$log" ||
	    it_fail "no /dev/ppp in the server VM"
	for m in ppp_generic ppp_async ppp_mppe gre pppox pptp virtio_net; do
		grep -Eq "^pptpc-vm: modules loaded: (.* )?$m " "$log" ||
		    it_fail "module $m is not loaded in the server VM"
	done

	it_sccrq >sccrq
	[ "$(wc -c <sccrq)" -eq 156 ] || it_fail "it_sccrq wrote" \
	    "$(wc -c <sccrq) bytes, not 156"
	# nc half-closes after sending; pptpctrl replies, reads end of file
	# and hangs up, which ends nc.
	it_nsexec timeout 20 busybox nc "$IT_SERVER_ADDR" 1723 <sccrq >sccrp ||
	    it_fail "SCCRQ exchange with pptpd failed"
	it_check_sccrp sccrp 2>msg || it_fail "pptpd's reply: $(cat msg)"
	it_vm_wait_log server 'CTRL: Made a START CTRL CONN RPLY packet' 10

	# The control shell works and sees the same kernel.
	out=$(it_vm_exec server 'cat /proc/sys/kernel/osrelease') ||
	    it_fail "it_vm_exec failed: $out"
	[ "$out" = "$(cat "$IT_IMAGE/kver")" ] ||
	    it_fail "it_vm_exec printed '$out', not the VM's kernel version"
	it_vm_exec server 'exit 3' >/dev/null
	[ $? -eq 3 ] || it_fail "it_vm_exec lost the exit status"

	# pptpd comes back after it dies, for server-restart tests.
	it_vm_exec server 'killall pptpd' >/dev/null ||
	    it_fail "cannot kill pptpd in the server VM"
	it_vm_wait_log server '^pptpc-vm: pptpd exited' 10
	it_vm_wait_tcp server "$IT_SERVER_ADDR" 1723 20

	it_vm_stop server
	it_vm_alive server && it_fail "qemu still runs after it_vm_stop"
	ns=$IT_NS
	it_cleanup
	ip netns list | grep -q "^$ns" && it_fail "namespace $ns left behind"
	return 0
}
server_boots_cleanup()
{
	it_cleanup
}

atf_test_case client_vm_boots cleanup
client_vm_boots_head()
{
	atf_set descr "A client VM boots next to the server VM on one bridge," \
	    "runs a test script, and reaches pptpd over TCP 1723"
	interop_head
}
client_vm_boots_body()
{
	local log

	it_setup
	it_image
	it_sccrq >sccrq
	cat >reach.sh <<'SCRIPT'
# Runs in the client VM: waits for pptpd, then sends it an SCCRQ.
i=0
until nc -w 2 198.51.100.1 1723 </dev/null >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -ge 60 ]; then
		echo "pptpc-check: 198.51.100.1:1723 unreachable"
		exit 1
	fi
	sleep 1
done
timeout 20 nc 198.51.100.1 1723 </extra/sccrq >/tmp/sccrp
echo "pptpc-check: sccrp $(od -An -tx1 -N16 /tmp/sccrp | tr -d ' \n')"
SCRIPT
	it_vm_add_file client reach.sh /extra/reach.sh
	it_vm_add_file client sccrq /extra/sccrq
	it_pair_start -- pptpc.run=/extra/reach.sh

	it_vm_wait_log client '^pptpc-check: ' 60
	log=$(it_vm_log client)
	grep -q '^pptpc-check: sccrp 009c00011a2b3c4d000200000100' "$log" ||
	    it_fail "client VM did not get an SCCRP from the server VM:" \
	    "$(grep '^pptpc-check' "$log")"
	grep -q '^pptpc-vm: /dev/ppp present' "$log" ||
	    it_fail "no /dev/ppp in the client VM"
	grep -q 'pptpd' "$log" &&
	    it_fail "pptpd runs in the client VM (pptpc.server=0)"
	it_vm_wait_log server 'CTRL: Client 198.51.100.3 control connection' 10

	# The host reaches both VMs across the bridge.
	it_vm_exec client 'ping -c 1 -W 5 198.51.100.1 >/dev/null' ||
	    it_fail "client VM cannot ping the server VM"
	return 0
}
client_vm_boots_cleanup()
{
	it_cleanup
}

atf_test_case server_options cleanup
server_options_head()
{
	atf_set descr "Kernel parameters and /extra/pptpd-options reach" \
	    "pppd's options; a bad parameter stops the VM with an error"
	interop_head
}
server_options_body()
{
	local opts

	it_setup
	it_image
	printf 'mtu 1400\nlcp-echo-interval 5\n' >extra.opts
	it_vm_add_file server extra.opts /extra/pptpd-options
	it_server_start pptpc.mppe=40 pptpc.stateful=1 pptpc.auth=mschap
	opts=$(it_vm_exec server 'cat /etc/ppp/pptpd-options') ||
	    it_fail "cannot read pppd's options"
	for o in require-mppe-40 mppe-stateful require-mschap \
	    refuse-mschap-v2 'ms-dns 192.0.2.53' 'ms-dns 192.0.2.54' \
	    'mtu 1400' 'lcp-echo-interval 5'; do
		echo "$opts" | grep -qx "$o" ||
		    it_fail "pppd's options lack '$o': $opts"
	done
	echo "$opts" | grep -q 'require-mppe-128' &&
	    it_fail "pptpc.mppe=40 still requires 128-bit MPPE"
	it_vm_stop server

	# Another VM, in a namespace of its own, with a wrong parameter: it
	# must power off at once and say why.
	it_netns_create
	it_vm_start bad tap0 "$IT_SERVER_ADDR/$IT_PREFIX" pptpc.mppe=56
	it_vm_wait_exit bad 60
	grep -q '^pptpc-vm: FATAL: pptpc.mppe=56: want 128, 40, any or none' \
	    "$(it_vm_log bad)" || it_fail "no FATAL line for pptpc.mppe=56"
	return 0
}
server_options_cleanup()
{
	it_cleanup
}

# --- pptpcd against Poptop ---
#
# pptpcd runs on the host side of the test's namespace, its tunnel
# "interop" dialling the server VM (lib.sh, it_pptpcd_*), and is watched
# through pptpctl -j.  pppd in the VM gives the client an address in
# 192.0.2.10-20, is 192.0.2.1 itself and hands out DNS 192.0.2.53/54.

client_head()
{
	atf_set require.user root
	atf_set require.progs "qemu-system-x86_64 ip busybox bash cpio jq"
	atf_set timeout "$1"
}

# client_start [PARAM...] -- [-p PASSWORD] [LINE...]: the server VM
# with kernel PARAMs, then pptpcd with it_pptpcd_conf's arguments.
client_start()
{
	local sparams='' a

	while [ $# -gt 0 ]; do
		a=$1
		shift
		[ "$a" = -- ] && break
		sparams="$sparams $a"
	done
	it_setup
	it_image
	# Kernel parameters have no blanks: plain word splitting is right.
	# shellcheck disable=SC2086
	it_server_start $sparams
	it_pptpcd_conf "$@"
	it_pptpcd_start
}

# The count of control connections pptpd has taken so far.
server_calls()
{
	grep -c 'CTRL: Client 198.51.100.2 control connection started' \
	    "$(it_vm_log server)"
}

# expect_field FIELD WANT: FIELD of the session last read into IT_JSON
# (by it_wait_* or by hand) is WANT, or the test fails.
expect_field()
{
	local got

	got=$(echo "$IT_JSON" | jq -r --arg f "$1" '.[$f] |
	    if type == "array" then map(tostring) | join(",")
	    elif . == null then "" else tostring end')
	[ "$got" = "$2" ] || it_fail "pptpctl: $1 is \"$got\", not \"$2\""
}

# check_counters BEFORE AFTER MTU TX RX: between the two session
# objects at least TX bytes went out and RX came in, each in at least
# BYTES/MTU packets, and not wildly more: headers, the other direction's
# ACKs and retransmissions stay under half as much again, while a
# counter that counted twice would show 2x.
check_counters()
{
	jq -en --argjson b "$1" --argjson a "$2" --argjson mtu "$3" \
	    --argjson tx "$4" --argjson rx "$5" '
	    [{d: "tx", n: $tx, o: $rx}, {d: "rx", n: $rx, o: $tx}] |
	    map(. as $x |
	     ($a[$x.d + "_bytes"] - $b[$x.d + "_bytes"]) as $bytes |
	     ($a[$x.d + "_packets"] - $b[$x.d + "_packets"]) as $pkts |
	     $bytes >= $x.n and $bytes <= 1.5 * $x.n + 0.1 * $x.o and
	     $pkts >= $x.n / $mtu) | all' >/dev/null ||
	    it_fail "pptpctl's counters did not move by $4 bytes out and" \
	    "$5 in: before $(echo "$1" | jq -c '[.tx_packets, .tx_bytes,
	    .rx_packets, .rx_bytes]'), after $(echo "$2" | jq -c \
	    '[.tx_packets, .tx_bytes, .rx_packets, .rx_bytes]')"
}

# TCP segments the namespace has sent again so far: each one stands for
# a frame lost on the way to the server's pppd (the host's tap, qemu,
# the VM's buffers), which pptpcd counted as sent and pppd never saw.
tcp_retransmits()
{
	it_nsexec awk '/^Tcp:/ {
		if (!h) { for (i = 1; i <= NF; i++) if ($i == "RetransSegs") c = i; h = 1 }
		else print $c }' /proc/net/snmp
}

# The fields of an up session that are the same in every case.
expect_up_session()
{
	local local_ip iface

	expect_field state up
	expect_field engine userspace
	expect_field auth mschapv2
	expect_field peer_ip 192.0.2.1
	expect_field dns 192.0.2.53,192.0.2.54
	expect_field server_addr "$IT_SERVER_ADDR"
	local_ip=$(echo "$IT_JSON" | jq -r .local_ip)
	case $local_ip in
	192.0.2.1[0-9]|192.0.2.20) ;;
	*) it_fail "local_ip $local_ip is not in pppd's 192.0.2.10-20" ;;
	esac
	iface=$(echo "$IT_JSON" | jq -r .interface)
	it_nsexec ip -4 addr show dev "$iface" 2>/dev/null |
	    grep -q "inet $local_ip peer 192.0.2.1/32" ||
	    it_fail "interface $iface does not have $local_ip peer 192.0.2.1:" \
	    "$(it_nsexec ip addr show dev "$iface" 2>&1)"
	echo "$IT_JSON" | jq -e '.mtu > 0 and .mtu <= 1500 and .uptime_s >= 0' \
	    >/dev/null || it_fail "implausible mtu or uptime: $IT_JSON"
}

atf_test_case connect cleanup
connect_head()
{
	atf_set descr "pptpcd dials Poptop, comes up with MS-CHAPv2 and" \
	    "128-bit stateless MPPE on the userspace engine, and carries" \
	    "ping and TCP (20 MB out, 10 MB in) intact, counted by pptpctl" \
	    "as pppd counts it"
	client_head 400
}
connect_body()
{
	local t0 before after mtu local_ip iface sent drops

	t0=$(it_ms)
	# pptpd's debug log writes a line per GRE packet to the emulated
	# serial port, which slows the VM to a crawl under bulk data.
	client_start pptpc.debug=0 -- "reconnect 1 5"
	it_wait_state up 60
	it_log "connect: up $(($(it_ms) - t0)) ms after the test started"
	expect_up_session
	# IPCP waits for CCP: pppd with require-mppe answers an earlier
	# IPCP Configure-Request with Terminate-Ack, and every dial then
	# waited 3 s for IPCP's restart timer.
	awk '/interop: CCP: .* -> Opened/ { ccp = 1 }
	    /interop: IPCP: Starting -> Req-Sent/ { exit !ccp }' \
	    "$(it_pptpcd_log)" || it_fail "IPCP started before CCP opened"
	expect_field mppe "128 stateless"
	expect_field last_error ""
	it_pptpcd_wait_log 'interop: up: local 192\.0\.2\.[0-9]+ peer 192\.0\.2\.1 .*MPPE 128 stateless.*engine userspace' 5
	# The server agrees on who we are and what was negotiated.
	it_vm_wait_log server 'peer from calling number 198\.51\.100\.2 authorized' 10
	it_vm_wait_log server 'MPPE 128-bit stateless compression enabled' 10

	it_ping 192.0.2.1 3 || it_fail "no ping reply from 192.0.2.1 through" \
	    "the tunnel"

	mtu=$(echo "$IT_JSON" | jq -r .mtu)
	local_ip=$(echo "$IT_JSON" | jq -r .local_ip)
	IT_JSON=$(it_session)
	before=$IT_JSON
	drops=$(tcp_retransmits)
	head -c 20000000 /dev/urandom >"$IT_STATE/data" ||
	    it_fail "cannot make test data"
	it_send server 192.0.2.1 5001 "$IT_STATE/data" 240
	it_recv server "$local_ip" 5002 10000000 240
	IT_JSON=$(it_session)
	after=$IT_JSON
	it_log "counters before: $(echo "$before" | jq -c '{tx_packets,
	    tx_bytes, rx_packets, rx_bytes, rx_errors, rx_lost}')"
	it_log "counters after:  $(echo "$after" | jq -c '{tx_packets,
	    tx_bytes, rx_packets, rx_bytes, rx_errors, rx_lost}')"
	check_counters "$before" "$after" "$mtu" 20000000 10000000
	expect_field state up
	expect_field rx_errors 0
	# Frames lost on their way to pppd (qemu reads its tap slower than
	# pptpcd writes under load): sent by us, never counted by pppd.
	drops=$(($(tcp_retransmits) - drops))
	it_log "connect: TCP sent $drops segments again"

	# A polite stop: pptpcd hangs up, pptpd sees the call end, and the
	# interface goes with it.
	iface=$(echo "$IT_JSON" | jq -r .interface)
	it_pptpcd_stop
	[ "$IT_PPTPCD_KILLED" = 0 ] || it_fail "pptpcd needed SIGKILL"
	[ "$IT_PPTPCD_STATUS" = 0 ] ||
	    it_fail "pptpcd exited with status $IT_PPTPCD_STATUS on SIGTERM"
	it_nsexec ip link show dev "$iface" >/dev/null 2>&1 &&
	    it_fail "interface $iface is still there after pptpcd exited"
	it_vm_wait_log server \
	    'CTRL: Client 198\.51\.100\.2 control connection finished' 15
	# pppd counts the same IP packets: its "Sent" is our rx_bytes, its
	# "received" our tx_bytes, give or take a packet lost on the way
	# (each side counts only what it saw) and what passed after our
	# last look (nothing, or an LCP packet or two).
	sent=$(sed -n 's/.*pppd.*: Sent \([0-9]*\) bytes, received \([0-9]*\) bytes\./\1 \2/p' \
	    "$(it_vm_log server)")
	[ -n "$sent" ] || it_fail "pppd did not log its byte counts"
	echo "$after" | jq -e --argjson s "${sent% *}" --argjson r "${sent#* }" \
	    --argjson lost "$((drops * mtu))" '
	    (.rx_bytes - $s | fabs) <= 0.02 * $s + 1000 and
	    .tx_bytes >= 0.98 * $r - 1000 and
	    .tx_bytes <= 1.02 * $r + 1000 + $lost' >/dev/null ||
	    it_fail "pppd sent ${sent% *} and received ${sent#* } bytes;" \
	    "pptpctl says rx_bytes $(echo "$after" | jq .rx_bytes)," \
	    "tx_bytes $(echo "$after" | jq .tx_bytes), TCP sent" \
	    "$drops segments again"
	it_log "connect: done in $(($(it_ms) - t0)) ms"
	return 0
}
connect_cleanup()
{
	it_cleanup
}

atf_test_case wrong_password cleanup
wrong_password_head()
{
	atf_set descr "A wrong password: pptpd's MS-CHAPv2 Failure (E=691)" \
	    "shows in last_error and the log, and pptpcd backs off instead" \
	    "of redialling in a tight loop"
	client_head 120
}
wrong_password_body()
{
	local t0 err n

	# The default backoff (reconnect 5 300), as an administrator would
	# have it.
	client_start -- -p not-the-password
	t0=$(it_ms)
	it_wait_json '.last_error != null' 30 "last_error"
	err=$(echo "$IT_JSON" | jq -r .last_error)
	it_log "wrong_password: last_error \"$err\""
	# The log: the server's refusal, then the backoff.
	it_pptpcd_wait_log 'interop: .*E=691' 5
	it_pptpcd_wait_log 'interop: .*; next attempt in [0-9]+ s' 5
	# Never up; and no tight loop: over 15 s a sane backoff dials a
	# few times, a broken one dozens.
	while [ $(($(it_ms) - t0)) -lt 15000 ]; do
		IT_JSON=$(it_session)
		case $(echo "$IT_JSON" | jq -r .state) in
		up|network)
			it_fail "a wrong password got the tunnel to" \
			    "$(echo "$IT_JSON" | jq -r .state)" ;;
		esac
		it_pptpcd_alive || it_fail "pptpcd died"
		sleep 0.5
	done
	n=$(server_calls)
	it_log "wrong_password: $n calls in $(($(it_ms) - t0)) ms;" \
	    "$(grep -c 'next attempt in' "$(it_pptpcd_log)") backoffs logged;" \
	    "$(echo "$IT_JSON" | jq -c '{state, reconnects, next_attempt_s}')"
	[ "$n" -ge 1 ] || it_fail "pptpd never saw a call"
	[ "$n" -le 5 ] || it_fail "$n calls in 15 s with a wrong password:" \
	    "a tight retry loop"
	expect_field state backoff
	echo "$IT_JSON" | jq -e '.next_attempt_s > 0 and .reconnects >= 1' \
	    >/dev/null || it_fail "backoff without a next attempt: $IT_JSON"
	# pppd answers a wrong password with a Failure that allows a retry
	# (R=1) and hangs up at once all the same: what the administrator
	# must see is still the refusal, not the hang-up.
	err=$(echo "$IT_JSON" | jq -r .last_error)
	echo "$err" | grep -qi 'authentication' ||
	    it_fail "last_error does not say authentication failed: $err"
	echo "$err" | grep -q 'E=691' ||
	    it_fail "last_error does not name the MS-CHAP error E=691: $err"
	return 0
}
wrong_password_cleanup()
{
	it_cleanup
}

atf_test_case server_restart cleanup
server_restart_head()
{
	atf_set descr "pptpd, pptpctrl and pppd are killed mid-session and" \
	    "pptpd restarts: pptpcd notices, backs off and comes back up" \
	    "by itself with a new session that passes traffic"
	client_head 180
}
server_restart_body()
{
	local t0 before

	client_start -- "reconnect 1 5"
	it_wait_state up 60
	expect_up_session
	it_ping 192.0.2.1 2 || it_fail "no ping through the first session"
	[ "$(server_calls)" = 1 ] || it_fail "more than one call before the" \
	    "restart"
	before=$(grep -c 'pptpc-vm: pptpd exited' "$(it_vm_log server)")

	t0=$(it_ms)
	it_vm_exec server 'killall pptpd pptpctrl pppd' >/dev/null ||
	    it_fail "cannot kill pptpd in the server VM"
	it_vm_wait_log server 'pptpc-vm: pptpd exited' 10
	[ "$(grep -c 'pptpc-vm: pptpd exited' "$(it_vm_log server)")" -gt \
	    "$before" ] || it_fail "pptpd did not exit"
	it_wait_json '.state != "up"' 30 "end of the first session"
	it_log "server_restart: session down $(($(it_ms) - t0)) ms after" \
	    "the kill: $(echo "$IT_JSON" | jq -c '{state, last_error}')"
	it_wait_state up 60
	it_log "server_restart: up again $(($(it_ms) - t0)) ms after the kill"
	[ "$(server_calls)" -ge 2 ] ||
	    it_fail "up again, but pptpd saw no second call"
	expect_up_session
	expect_field last_error ""
	echo "$IT_JSON" | jq -e ".uptime_s <= ($(it_ms) - $t0) / 1000 + 1" \
	    >/dev/null || it_fail "uptime_s is older than the restart: $IT_JSON"
	grep -Eq 'interop: .*next attempt in [0-9]+ s' "$(it_pptpcd_log)" ||
	    it_fail "pptpcd did not log a backoff between the sessions"
	it_ping 192.0.2.1 3 || it_fail "no ping through the new session"
	return 0
}
server_restart_cleanup()
{
	it_cleanup
}

atf_test_case mppe_40_refused cleanup
mppe_40_refused_head()
{
	atf_set descr "A server that offers only 40-bit MPPE is refused when" \
	    "the config requires 128-bit, with last_error saying so"
	client_head 120
}
mppe_40_refused_body()
{
	local t0 err

	client_start pptpc.mppe=40 -- "mppe required 128"
	t0=$(it_ms)
	it_wait_json '.last_error != null' 30 "last_error"
	it_log "mppe_40_refused: last_error" \
	    "\"$(echo "$IT_JSON" | jq -r .last_error)\""
	# Never up, not even for a moment, in a few seconds of watching.
	while [ $(($(it_ms) - t0)) -lt 5000 ]; do
		IT_JSON=$(it_session)
		[ "$(echo "$IT_JSON" | jq -r .state)" = up ] &&
		    it_fail "the tunnel came up with 40-bit MPPE"
		sleep 0.5
	done
	grep -q 'interop: up:' "$(it_pptpcd_log)" &&
	    it_fail "pptpcd logged the tunnel up"
	grep -q 'MPPE 40-bit.*compression enabled' "$(it_vm_log server)" &&
	    it_fail "pppd enabled 40-bit MPPE"
	# pppd hangs up (LCP Terminate-Request) as soon as it sees our
	# 128-bit proposal; the reason to show is the one its own 40-bit
	# proposal gave, not the hang-up.
	err=$(echo "$IT_JSON" | jq -r .last_error)
	echo "$err" | grep -q 'MPPE' ||
	    it_fail "last_error does not mention MPPE: $err"
	case $err in
	*40*128*|*128*40*) ;;
	*) it_fail "last_error does not name 40 and 128 bits: $err" ;;
	esac
	grep -Eq 'interop: .*40-bit MPPE.*128' "$(it_pptpcd_log)" ||
	    it_fail "pptpcd's log does not say why"
	return 0
}
mppe_40_refused_cleanup()
{
	it_cleanup
}

atf_test_case disconnect_connect cleanup
disconnect_connect_head()
{
	atf_set descr "pptpctl disconnect takes the tunnel down (idle," \
	    "interface gone, call cleared at the server) and pptpctl" \
	    "connect brings it back up"
	client_head 180
}
disconnect_connect_body()
{
	local iface out t0

	client_start -- "reconnect 1 5"
	it_wait_state up 60
	expect_up_session
	iface=$(echo "$IT_JSON" | jq -r .interface)

	t0=$(it_ms)
	out=$(it_ctl disconnect "$IT_TUNNEL" 2>&1) ||
	    it_fail "pptpctl disconnect failed: $out"
	it_wait_state idle 30
	it_log "disconnect_connect: idle $(($(it_ms) - t0)) ms after" \
	    "disconnect"
	expect_field interface ""
	expect_field local_ip ""
	expect_field last_error ""
	it_nsexec ip link show dev "$iface" >/dev/null 2>&1 &&
	    it_fail "interface $iface is still there after disconnect"
	it_vm_wait_log server \
	    'CTRL: Client 198\.51\.100\.2 control connection finished' 15
	# Idle means idle: no redial behind the administrator's back.
	sleep 3
	IT_JSON=$(it_session)
	expect_field state idle
	[ "$(server_calls)" = 1 ] ||
	    it_fail "pptpcd redialled after disconnect"

	t0=$(it_ms)
	out=$(it_ctl connect "$IT_TUNNEL" 2>&1) ||
	    it_fail "pptpctl connect failed: $out"
	it_wait_state up 60
	it_log "disconnect_connect: up $(($(it_ms) - t0)) ms after connect"
	expect_up_session
	[ "$(server_calls)" = 2 ] || it_fail "pptpd saw $(server_calls)" \
	    "calls, not 2"
	it_ping 192.0.2.1 3 || it_fail "no ping after connect"

	# Both verbs refuse a name that is not configured.
	it_ctl connect nosuch >/dev/null 2>&1 &&
	    it_fail "pptpctl connect nosuch succeeded"
	it_ctl disconnect nosuch >/dev/null 2>&1 &&
	    it_fail "pptpctl disconnect nosuch succeeded"
	IT_JSON=$(it_session)
	expect_field state up
	return 0
}
disconnect_connect_cleanup()
{
	it_cleanup
}

atf_test_case mppe_stateful cleanup
mppe_stateful_head()
{
	atf_set descr "Stateful MPPE with a real peer: pppd with" \
	    "mppe-stateful and pptpcd with prefer-stateful agree on" \
	    "128-bit stateful both ways, and 20 MB to pppd pass intact" \
	    "through 1 % loss each way, each side's losses repaired" \
	    "by CCP Reset-Requests, in one session"
	client_head 1200
}
mppe_stateful_body()
{
	local t0 ours theirs mine n

	t0=$(it_ms)
	it_setup
	it_image
	# pppd's own debug log (control packets only, so the Reset-Requests
	# show); pptpd's per-packet one stays off (pptpc.debug=0).
	echo debug >"$IT_STATE/pppd.opts"
	it_vm_add_file server "$IT_STATE/pppd.opts" /extra/pptpd-options
	it_server_start pptpc.debug=0 pptpc.stateful=1
	it_pptpcd_conf "mppe required 128 prefer-stateful" "reconnect 1 5"
	it_pptpcd_start
	it_wait_state up 60
	expect_up_session
	expect_field mppe "128 stateful"
	it_pptpcd_wait_log 'interop: up: .*MPPE 128 stateful' 5
	it_vm_wait_log server 'MPPE 128-bit stateful compression enabled' 10
	it_ping 192.0.2.1 3 || it_fail "no ping reply through the tunnel"

	# 1 % loss each way on the server's eth0: netem on what it sends,
	# and through ifb0 on what it receives.  iproute2's tc by its path:
	# busybox's sh runs its own applet (no netem) for a bare "tc".
	it_vm_exec server 'tc=/usr/sbin/tc
	    $tc qdisc add dev eth0 root netem loss 1% &&
	    ip link set dev ifb0 up &&
	    $tc qdisc add dev ifb0 root netem loss 1% &&
	    $tc qdisc add dev eth0 handle ffff: ingress &&
	    $tc filter add dev eth0 parent ffff: matchall action mirred \
	    egress redirect dev ifb0' >"$IT_STATE/tc.out" ||
	    it_fail "cannot make the path lossy: $(cat "$IT_STATE/tc.out")"
	head -c 20000000 /dev/urandom >"$IT_STATE/data" ||
	    it_fail "cannot make test data"
	# About 100 KB/s here (TCG, resets both ways): 20 MB take 4-8 min.
	# The data goes to pppd, our ACKs come back: both receivers lose
	# packets and ask for resets.  (Bulk data the other way stalls for
	# minutes at a time under this loss: see the note in the commit.)
	it_send server 192.0.2.1 5001 "$IT_STATE/data" 900
	it_ping 192.0.2.1 5 || it_fail "no ping reply after the transfer"
	it_log "mppe_stateful: loss on the path:" \
	    "$(it_vm_exec server '/usr/sbin/tc -s qdisc show dev eth0; \
	    /usr/sbin/tc -s qdisc show dev ifb0' |
	    grep -E 'netem|dropped' | tr '\n' ' ')"
	IT_JSON=$(it_session)
	expect_field state up
	expect_field mppe "128 stateful"
	# One session throughout: loss was repaired, never redialled.
	n=$(grep -c 'interop: up: ' "$(it_pptpcd_log)")
	[ "$n" = 1 ] || it_fail "the tunnel came up $n times"
	# Each side lost packets and asked for a reset: pppd's log shows
	# the Reset-Requests it received (ours) and sent (its own, which
	# reached pptpcd's sender).
	ours=$(grep -c 'rcvd \[CCP ResetReq' "$(it_vm_log server)")
	theirs=$(grep -c 'sent \[CCP ResetReq' "$(it_vm_log server)")
	mine=$(grep -c 'CCP: Reset-Request from the peer' "$(it_pptpcd_log)")
	it_log "mppe_stateful: CCP Reset-Requests: $ours from pptpcd to" \
	    "pppd, $theirs from pppd ($mine reached pptpcd's PPP);" \
	    "$(echo "$IT_JSON" | jq -c '{rx_packets, rx_errors, rx_lost,
	    tx_packets}'); $(($(it_ms) - t0)) ms"
	[ "$ours" -ge 1 ] || it_fail "pptpcd sent pppd no Reset-Request" \
	    "through 1 % loss"
	[ "$theirs" -ge 1 ] && [ "$mine" -ge 1 ] || it_fail "no" \
	    "Reset-Request from pppd reached pptpcd ($theirs sent, $mine" \
	    "seen)"
	return 0
}
mppe_stateful_cleanup()
{
	it_cleanup
}

# --- The Linux kernel engine, in a client VM ---
#
# This host's kernel has no PPP, so pptpcd with "offload kernel" runs in
# a second VM (lib.sh's it_pair_start) on Debian's kernel, which has
# ppp_generic, pptp and ppp_mppe.  The client image carries pptpcd,
# pptpctl and their libraries (--with-client), and OpenSSL 3's legacy
# provider, which crypto_init() loads for MD4 and RC4, at the path this
# libcrypto looks for it (MODULESDIR of `openssl version -m`).  pptpcd
# and pptpctl are driven through it_vm_exec (lib.sh's it_vc_*).

# Clocks the dial in the client VM (/proc/uptime, 10 ms ticks): from the
# OCRP ("call up") to LCP opened and to state up.  A 20 ms poll is light
# next to the 3 s LCP restart timer it must tell apart.  Before
# it_vc_start.
vc_clock_dial()
{
	it_vm_exec client ': >>/tmp/pptpcd.log
	    (w() { while ! grep -q "$1" /tmp/pptpcd.log; do usleep 20000; done
		read u x </proc/uptime; echo "$u"; }
	    { w "call up"; w "LCP opened"; w "state .* -> up"; } \
	    >/tmp/dial.times 2>&1) </dev/null >/dev/null 2>&1 &' >/dev/null
}

# vc_check_first_lcp CASE: once up, the server's first LCP Configure-
# Request reached PPP.  Were it lost, the server's Configure-Ack of ours
# would come first (Req-Sent -> Ack-Rcvd) and LCP would wait for its
# retransmission, 3 s later.
vc_check_first_lcp()
{
	local case=$1 lcp ms

	lcp=$(it_vm_exec client "sed -n '/call up/,/LCP opened/p' \
	    /tmp/pptpcd.log | grep 'LCP: '")
	it_log "$case: LCP in pptpcd's log:" $lcp
	echo "$lcp" | grep -q 'LCP: Req-Sent -> Ack-Sent' &&
	    ! echo "$lcp" | grep -q 'Ack-Rcvd' ||
	    { it_vc_dump; it_fail "the server's first LCP Configure-Request" \
	    "was lost (LCP: $(echo "$lcp" | tr '\n' ' '))"; }
	# shellcheck disable=SC2046
	set -- $(it_vm_exec client 'cat /tmp/dial.times')
	[ $# -eq 3 ] || it_fail "no dial times from the client VM: $*"
	lcp=$(echo "($2 - $1) * 1000 / 1" | bc)
	ms=$(echo "($3 - $1) * 1000 / 1" | bc)
	it_log "$case: LCP opened $lcp ms and the tunnel up $ms ms after" \
	    "the OCRP"
	[ "$lcp" -lt 3000 ] || it_fail "LCP took $lcp ms after the OCRP:" \
	    "a Configure-Request was retransmitted"
}

# --- IPv6 inside the tunnel (ipv6 yes) against pppd's +ipv6 ---
#
# pppd takes "+ipv6" to run IPv6CP and "ipv6 LOCAL,REMOTE" for the
# interface identifiers; "ipv6 ::1," fixes its own, so that its
# link-local address is fe80::1, and leaves ours to us (random).

ipv6_server_opts()
{
	printf '+ipv6\nipv6 ::1,\n' >"$IT_STATE/v6.opts" ||
	    it_fail "cannot write pppd's IPv6 options"
	it_vm_add_file server "$IT_STATE/v6.opts" /extra/pptpd-options
}

atf_test_case ipv6_userspace cleanup
ipv6_userspace_head()
{
	atf_set descr "ipv6 yes against pppd with +ipv6 on the userspace" \
	    "engine: IPv6CP opens, the link-local addresses are on the" \
	    "interface and in pptpctl, ping6 to the server's fe80::1 and" \
	    "20 MB over IPv6 arrive intact"
	client_head 600
}
ipv6_userspace_body()
{
	local iface l6 t0

	t0=$(it_ms)
	it_setup
	it_image
	ipv6_server_opts
	it_server_start pptpc.debug=0
	it_pptpcd_conf "ipv6 yes" "reconnect 1 5"
	it_pptpcd_start
	it_wait_state up 90
	it_log "ipv6_userspace: up $(($(it_ms) - t0)) ms after the test started"
	expect_field engine userspace
	expect_field peer_ip6 fe80::1
	l6=$(echo "$IT_JSON" | jq -r .local_ip6)
	case $l6 in
	fe80::*) ;;
	*) it_fail "local_ip6 is \"$l6\", not a link-local address" ;;
	esac
	iface=$(echo "$IT_JSON" | jq -r .interface)
	it_nsexec ip -6 addr show dev "$iface" | grep -q \
	    "inet6 $l6 peer fe80::1/128" || it_fail "$iface lacks $l6 peer" \
	    "fe80::1: $(it_nsexec ip -6 addr show dev "$iface" 2>&1)"
	it_pptpcd_wait_log "interop: IPv6CP: local $l6 peer fe80::1" 5
	it_vm_wait_log server 'remote LL address fe80::' 10
	it_nsexec busybox ping -6 -c 3 -w 20 "fe80::1%$iface" >/dev/null ||
	    it_fail "no ping6 reply from fe80::1 through $iface"
	head -c 20000000 /dev/urandom >"$IT_STATE/data" ||
	    it_fail "cannot make test data"
	it_send server "fe80::1%$iface" 5001 "$IT_STATE/data" 300
	IT_JSON=$(it_session)
	expect_field state up
	expect_field rx_errors 0
	it_log "ipv6_userspace: done in $(($(it_ms) - t0)) ms"
	return 0
}
ipv6_userspace_cleanup()
{
	it_cleanup
}

atf_test_case kernel_engine cleanup
kernel_engine_head()
{
	atf_set descr "In a client VM with PPP in its kernel, pptpcd with" \
	    "offload kernel hands the call to pptp.ko/ppp_generic/ppp_mppe:" \
	    "pptpctl shows engine kernel on pppN, ping and 20 MB pass intact," \
	    "the counters are the kernel's, LCP echoes still work after the" \
	    "handover, and disconnect removes pppN"
	client_head 600
}
kernel_engine_body()
{
	local t0 iface before after ms sys cpu0 cpu1

	t0=$(it_ms)
	it_setup
	it_vc_image
	# pptpd's per-packet debug log slows the VMs to a crawl.
	it_pair_start pptpc.debug=0
	vc_clock_dial
	it_vc_start kernel "keepalive 2 3" "reconnect no"
	it_vc_wait_json '.state == "up"' 120 "state up"
	it_log "kernel_engine: up $(($(it_ms) - t0)) ms after the test started"
	vc_check_first_lcp kernel_engine
	expect_field engine kernel
	expect_field mppe "128 stateless"
	expect_field auth mschapv2
	expect_field peer_ip 192.0.2.1
	iface=$(echo "$IT_JSON" | jq -r .interface)
	case $iface in
	ppp[0-9]*) ;;
	*) it_vc_dump; it_fail "interface is \"$iface\", not a pppN" ;;
	esac
	it_vm_exec client "grep -E 'interop: engine kernel \\((pipex: |offload kernel)' /tmp/pptpcd.log" \
	    >/dev/null || { it_vc_dump; it_fail "no engine line in pptpcd's log"; }
	it_vm_exec client "ip -4 addr show dev $iface" | grep -q \
	    "peer 192.0.2.1/32" || it_fail "$iface lacks the tunnel address"
	it_vm_wait_log server 'MPPE 128-bit stateless compression enabled' 10

	it_vm_exec client 'ping -c 3 -W 5 192.0.2.1' >/dev/null ||
	    { it_vc_dump; it_fail "no ping reply from 192.0.2.1 through $iface"; }

	# 20 MB through the kernel.  pptpctl's counters must be the
	# kernel's own (pppN's), and pptpcd must not be carrying the data:
	# its CPU time stays a small part of the transfer's.
	before=$(it_vc_session)
	cpu0=$(it_vc_cpu)
	ms=$(it_vc_send 20000000)
	cpu1=$(it_vc_cpu)
	after=$(it_vc_session)
	sys=$(it_vm_exec client "cat /sys/class/net/$iface/statistics/tx_bytes \
	    /sys/class/net/$iface/statistics/rx_bytes" | tr '\n' ' ')
	it_log "kernel_engine: 20000000 bytes in $ms ms; pptpcd used" \
	    "$((cpu1 - cpu0)) ticks; counters before" \
	    "$(echo "$before" | jq -c '[.tx_packets, .tx_bytes, .rx_packets, .rx_bytes]')" \
	    "after $(echo "$after" | jq -c '[.tx_packets, .tx_bytes, .rx_packets, .rx_bytes]')" \
	    "sysfs tx/rx bytes $sys"
	echo "$after" | jq -e --argjson b "$before" '
	    .tx_bytes - $b.tx_bytes >= 20000000 and
	    .tx_bytes - $b.tx_bytes <= 24000000 and
	    .tx_packets - $b.tx_packets >= 20000000 / 1500' >/dev/null ||
	    it_fail "pptpctl's tx counters did not move by 20 MB"
	# The same counters as the kernel's interface shows (a few LCP
	# echoes may pass between the two looks).
	# shellcheck disable=SC2086
	set -- $sys
	echo "$after" | jq -e --argjson tx "$1" --argjson rx "$2" '
	    (.tx_bytes - $tx | fabs) <= 2000 and
	    (.rx_bytes - $rx | fabs) <= 2000' >/dev/null ||
	    it_fail "pptpctl ($(echo "$after" | jq -c '[.tx_bytes, .rx_bytes]'))" \
	    "disagrees with $iface's kernel counters ($sys)"
	# USER_HZ is 100: ticks * 10 is ms.  Reading the tunnel's GRE from
	# the raw socket alone cost pptpcd 1.3-1.6 s here; timers and LCP
	# echoes cost some 50 ms.
	[ $(((cpu1 - cpu0) * 10)) -lt 400 ] || it_fail "pptpcd used" \
	    "$(((cpu1 - cpu0) * 10)) ms of CPU for a $ms ms transfer: is it" \
	    "carrying or reading the data?"
	expect_field state up

	# LCP echo after the handover: idle, nothing but echoes shows we
	# are alive; 3 unanswered at 2 s intervals would end the link.
	sleep 14
	IT_JSON=$(it_vc_session)
	expect_field state up
	expect_field interface "$iface"
	it_vm_exec client "grep -q 'peer not responding' /tmp/pptpcd.log" &&
	    it_fail "LCP echoes went unanswered"

	it_vm_exec client "pptpctl -s $IT_VC_SOCK disconnect $IT_TUNNEL" \
	    >/dev/null || it_fail "pptpctl disconnect failed"
	it_vc_wait_json '.state == "idle"' 30 "state idle"
	expect_field interface ""
	it_vm_exec client "ip link show dev $iface" >/dev/null 2>&1 &&
	    it_fail "$iface is still there after disconnect"
	it_vm_wait_log server \
	    'CTRL: Client 198\.51\.100\.3 control connection finished' 15
	it_vc_stop
	it_log "kernel_engine: done in $(($(it_ms) - t0)) ms"
	return 0
}
kernel_engine_cleanup()
{
	it_cleanup
}

# The kernel engine with fwmark: pptp.ko routes the call's GRE by its
# socket's mark (doc/linux-pptp.md §2.3).  A rule that sends mark 7 to a
# table that prohibits the server stops the tunnel's data while the
# session stays up; without the rule data passes again.  Were the mark
# not on the pptp socket (or ignored), the pings under the rule would
# pass.
atf_test_case kernel_engine_fwmark cleanup
kernel_engine_fwmark_head()
{
	atf_set descr "In a client VM, offload kernel with fwmark 7: a" \
	    "policy rule for mark 7 steers the call's GRE, so a table that" \
	    "prohibits the server stops the tunnel's data, and its removal" \
	    "lets it pass again"
	client_head 600
}
kernel_engine_fwmark_body()
{
	local srv

	it_setup
	it_vc_image
	it_pair_start pptpc.debug=0
	it_vc_start kernel "keepalive 10 6" "reconnect no" "fwmark 7"
	it_vc_wait_json '.state == "up"' 120 "state up"
	expect_field engine kernel
	srv=$(echo "$IT_JSON" | jq -r .server_addr)
	it_vm_exec client 'ping -c 3 -W 5 192.0.2.1' >/dev/null ||
	    { it_vc_dump; it_fail "no ping through the tunnel"; }
	it_vm_exec client "ip route add prohibit $srv/32 table 7 &&
	    ip rule add fwmark 7 lookup 7 pref 100" >/dev/null ||
	    it_fail "cannot add the rule for mark 7"
	it_vm_exec client 'ping -c 3 -W 2 192.0.2.1' >/dev/null &&
	    { it_vc_dump; it_fail "the tunnel's GRE left despite the rule" \
	    "for its mark"; }
	it_vm_exec client "ip rule del fwmark 7 lookup 7 pref 100" \
	    >/dev/null || it_fail "cannot remove the rule"
	it_vm_exec client 'ping -c 3 -W 5 192.0.2.1' >/dev/null ||
	    { it_vc_dump; it_fail "no ping once the rule was gone"; }
	IT_JSON=$(it_vc_session)
	expect_field state up
	expect_field engine kernel
	it_vc_stop
	return 0
}
kernel_engine_fwmark_cleanup()
{
	it_cleanup
}

# vc_check_mss_clamp IFACE: the kernel engine's nf_tables table lowers
# the MSS of a SYN that leaves through IFACE.  The client VM routes an
# address of the peer's namespace through IFACE with advmss 1460, above
# what the tunnel's MTU allows; the namespace sees the MSS the SYN came
# with in its send MSS once its own tun allows more (MTU 1500: only a
# handshake crosses, so the client's MRU is never exceeded).  The same
# again over IPv6 ("ipv6 yes", address6 2001:db8:ff::2/64 on IFACE),
# clamped 20 bytes lower for IPv6's longer header.
vc_check_mss_clamp()
{
	local clamp mss tunif i=0

	clamp=$(it_vm_exec client "sed -n 's/.*TCP MSS clamped to \([0-9]*\) on $1 .*/\1/p' /tmp/pptpcd.log")
	[ -n "$clamp" ] || { it_vc_dump; it_fail "pptpcd did not clamp" \
	    "TCP MSS on $1"; }
	IT_JSON=$(it_vc_session)
	expect_field tcp_mss "$clamp"
	it_nsexec ip addr add 192.0.2.77/32 dev lo ||
	    it_fail "cannot add 192.0.2.77 in $IT_NS"
	tunif=$(it_nsexec ip -o -4 addr show | awk '/ inet 192\.0\.2\.1 /{print $2}')
	[ -n "$tunif" ] && it_nsexec ip link set dev "$tunif" mtu 1500 ||
	    it_fail "cannot find or set the peer's tun in $IT_NS"
	# Its stdin open for a while: nc closes the connection at its EOF.
	it_nsexec sh -c 'sleep 10 | timeout 30 busybox nc -l -p 5009' \
	    </dev/null >/dev/null 2>&1 &
	sleep 0.5
	it_vm_exec client "ip route add 192.0.2.77/32 dev $1 advmss 1460 &&
	    { (sleep 8 | nc 192.0.2.77 5009) >/dev/null 2>&1 </dev/null & }" \
	    >/dev/null || it_fail "cannot connect to 192.0.2.77 from the VM"
	until mss=$(it_nsexec ss -tniH state established '( sport = :5009 )' |
	    sed -n 's/.* mss:\([0-9]*\).*/\1/p') && [ -n "$mss" ]; do
		i=$((i + 1))
		[ $i -le 50 ] || { it_nsexec ss -tan >&2
		    it_vm_exec client 'ip route; ip link show; netstat -tn' >&2
		    it_fail "no TCP connection from the VM came"; }
		sleep 0.2
	done
	it_log "TCP MSS: clamp $clamp on $1; the SYN's made a send MSS of" \
	    "$mss on the other side (1448 unclamped)"
	[ "$mss" -le "$clamp" ] || it_fail "the SYN left $1 with MSS above" \
	    "$clamp (send MSS $mss at the other end)"

	it_vc_wait_json '(.local_ip6 // "") != ""' 30 "IPv6CP up"
	it_nsexec ip -6 addr add 2001:db8:77::77/128 dev lo &&
	    it_nsexec ip -6 addr add 2001:db8:ff::1/64 dev "$tunif" nodad ||
	    it_fail "cannot give $IT_NS's $tunif IPv6"
	it_nsexec sh -c 'sleep 10 | timeout 30 busybox nc -l -p 5010' \
	    </dev/null >/dev/null 2>&1 &
	sleep 0.5
	it_vm_exec client "ip -6 route add 2001:db8:77::77/128 dev $1 \
	    advmss 1460 && { (sleep 8 | nc 2001:db8:77::77 5010) \
	    >/dev/null 2>&1 </dev/null & }" >/dev/null ||
	    it_fail "cannot connect to 2001:db8:77::77 from the VM"
	i=0
	until mss=$(it_nsexec ss -6tniH state established '( sport = :5010 )' |
	    sed -n 's/.* mss:\([0-9]*\).*/\1/p') && [ -n "$mss" ]; do
		i=$((i + 1))
		[ $i -le 50 ] || { it_nsexec ss -6tan >&2
		    it_vm_exec client 'ip -6 addr; ip -6 route; netstat -tn' >&2
		    it_fail "no TCP connection over IPv6 from the VM came"; }
		sleep 0.2
	done
	it_log "TCP MSS over IPv6: clamp $((clamp - 20)) on $1; the SYN's" \
	    "made a send MSS of $mss on the other side (1428 unclamped)"
	[ "$mss" -le $((clamp - 20)) ] || it_fail "the IPv6 SYN left $1 with" \
	    "MSS above $((clamp - 20)) (send MSS $mss at the other end)"
}

# A server whose first LCP Configure-Request overtakes its OCRP (the
# test peer with --ocrp-delay makes it certain).  pptp.ko drops a call's
# GRE until pptpcd connects the socket, which needs the OCRP's call ID;
# pptpcd's raw GRE socket holds the packet and hands it to PPP at
# call-up.  Also Linux's ppp_mppe against our own MPPE in the peer.
atf_test_case ipv6_kernel_engine cleanup
ipv6_kernel_engine_head()
{
	atf_set descr "ipv6 yes on the Linux kernel engine in a client VM" \
	    "against pppd with +ipv6: pppN gets the link-local addresses," \
	    "its IPv6 NP mode passes, ping6 to fe80::1 and 20 MB over IPv6" \
	    "arrive intact"
	client_head 600
}
ipv6_kernel_engine_body()
{
	local t0 iface l6 ms addrs

	t0=$(it_ms)
	it_setup
	it_vc_image
	ipv6_server_opts
	it_pair_start pptpc.debug=0
	it_vc_start kernel "ipv6 yes" "reconnect no"
	it_vc_wait_json '.state == "up"' 120 "state up"
	it_log "ipv6_kernel_engine: up $(($(it_ms) - t0)) ms after the test" \
	    "started"
	expect_field engine kernel
	expect_field peer_ip6 fe80::1
	l6=$(echo "$IT_JSON" | jq -r .local_ip6)
	iface=$(echo "$IT_JSON" | jq -r .interface)
	case $iface in
	ppp[0-9]*) ;;
	*) it_vc_dump; it_fail "interface is \"$iface\", not a pppN" ;;
	esac
	addrs=$(it_vm_exec client "ip -6 addr show dev $iface")
	it_log "ipv6_kernel_engine: $iface:" $addrs
	echo "$addrs" | grep -q "inet6 $l6" || { it_vc_dump; it_fail \
	    "$iface lacks $l6: $addrs"; }
	it_vm_exec client "ping -6 -c 3 -W 5 fe80::1%$iface" >/dev/null ||
	    { it_vc_dump; it_fail "no ping6 reply from fe80::1 through $iface"; }
	ms=$(it_vc_send 20000000 "fe80::1%$iface")
	it_log "ipv6_kernel_engine: 20000000 bytes over IPv6 in $ms ms"
	IT_JSON=$(it_vc_session)
	expect_field state up
	it_vc_stop
	return 0
}
ipv6_kernel_engine_cleanup()
{
	it_cleanup
}

atf_test_case kernel_engine_fast_server cleanup
kernel_engine_fast_server_head()
{
	atf_set descr "In a client VM, offload kernel against a server" \
	    "that sends its first LCP packet before its OCRP: the packet" \
	    "reaches PPP (no 3 s retransmission), data passes between" \
	    "ppp_mppe and the test peer's MPPE, nf_tables clamps TCP MSS" \
	    "over IPv4 and IPv6, default-route goes through pppN and away" \
	    "with it, and a" \
	    "deleted pppN ends the session, which is dialled again"
	client_head 300
}
kernel_engine_fast_server_body()
{
	local iface held routes up0

	it_setup
	it_vc_image
	it_client_start
	it_peer_start --ocrp-delay 400 --keepalive 2 --ipv6
	# The client dials the peer on br0, not a server VM.
	IT_SERVER_ADDR=$IT_HOST_ADDR
	vc_clock_dial
	it_vc_start kernel "reconnect 1 2" "default-route yes" "ipv6 yes" \
	    "address6 2001:db8:ff::2/64"
	it_vc_wait_json '.state == "up"' 60 "state up"
	grep -q 'OCRP sent 400 ms after the call went up' "$IT_STATE/peer.log" ||
	    it_fail "the peer did not delay its OCRP"
	held=$(it_vm_exec client "grep -c 'PPP frame(s) that came before \
the call handed to PPP' /tmp/pptpcd.log")
	[ "${held:-0}" -ge 1 ] || { it_vc_dump; it_fail "pptpcd did not" \
	    "hand the GRE that came before the OCRP to PPP"; }
	vc_check_first_lcp kernel_engine_fast_server
	expect_field engine kernel
	expect_field mppe "128 stateless"
	iface=$(echo "$IT_JSON" | jq -r .interface)
	it_vm_exec client 'ping -c 3 -W 5 192.0.2.1 &&
	    ping -c 2 -W 5 -s 1372 192.0.2.1' >/dev/null ||
	    { it_vc_dump; it_fail "no ping reply from the peer through $iface"; }
	vc_check_mss_clamp "$iface"
	# default-route on the kernel engine's pppN: both halves of the
	# address space through it, the server pinned outside, and an
	# address beyond the server reached through the tunnel.
	routes=$(it_vm_exec client 'ip route')
	echo "$routes" | grep -q "^0\.0\.0\.0/1 dev $iface" &&
	    echo "$routes" | grep -q "^128\.0\.0\.0/1 dev $iface" &&
	    echo "$routes" | grep -q "^198\.51\.100\.2 .*dev eth0" ||
	    it_fail "default-route: the VM's routes are:" $routes
	it_nsexec ip addr add 203.0.113.1/32 dev lo ||
	    it_fail "cannot add 203.0.113.1 in $IT_NS"
	it_vm_exec client 'ping -c 2 -W 5 203.0.113.1' >/dev/null ||
	    it_fail "no reply from 203.0.113.1 through the default route"
	# The peer's LCP echoes (every 2 s) are answered through the kernel.
	sleep 7
	IT_JSON=$(it_vc_session)
	expect_field state up
	# pppN deleted under pptpcd (an administrator, a script): the kernel
	# engine sees its unit go, the session ends and is dialled again.
	up0=$(echo "$IT_JSON" | jq .uptime_s)
	it_vm_exec client "ip link delete $iface" >/dev/null ||
	    it_fail "cannot delete $iface in the VM"
	it_vc_wait_json ".state == \"up\" and .uptime_s < $up0" 60 \
	    "new session after $iface went (the first was up $up0 s)"
	it_vm_exec client "grep -q 'interop: state up -> closing' \
	    /tmp/pptpcd.log" || it_fail "the first session did not end"
	it_log "kernel_engine_fast_server: after $iface was deleted:" \
	    "$(it_vm_exec client "grep -A2 'state up -> closing' \
	    /tmp/pptpcd.log | head -n 3" | tr '\n' ' ')"
	iface=$(echo "$IT_JSON" | jq -r .interface)
	expect_field engine kernel
	it_vm_exec client 'ping -c 2 -W 5 192.0.2.1' >/dev/null ||
	    { it_vc_dump; it_fail "no ping through $iface after the redial"; }
	it_vm_exec client "pptpctl -s $IT_VC_SOCK disconnect $IT_TUNNEL" \
	    >/dev/null || it_fail "pptpctl disconnect failed"
	it_vc_wait_json '.state == "idle"' 30 "state idle"
	routes=$(it_vm_exec client 'ip route')
	echo "$routes" | grep -q '/1 dev\|^198\.51\.100\.2 ' &&
	    it_fail "routes left after disconnect:" $routes
	it_vc_stop
	return 0
}
kernel_engine_fast_server_cleanup()
{
	it_cleanup
}

# A server (the test peer, --inject-cleartext) that sends unencrypted
# IPv4 (PPP protocol 0x0021, in turn with FF03, without it, and with a
# 1-byte protocol) inside an MPPE call, with the right GRE sequence
# numbers.  ppp_generic hands a frame that is not 0x00FD past ppp_mppe
# (its incomp hook only counts it) to the stack, so the kernel engine
# guards the call with an nf_tables rule that drops such GRE before
# pptp.ko (nft_guard.h) and counts it.  The legitimate traffic in the
# same run: encrypted data both ways, LCP echoes both ways, and CCP and
# IPCP (the guard is in before our first CCP Configure-Request).
vc_udp_in()
{
	it_vm_exec client "awk '/^Udp: [0-9]/ { print \$2 + \$3 }' \
	    /proc/net/snmp"
}

atf_test_case kernel_engine_cleartext cleanup
kernel_engine_cleartext_head()
{
	atf_set descr "In a client VM, offload kernel against a server that" \
	    "injects cleartext IPv4 frames into the MPPE call: none reaches" \
	    "the VM's stack, the guard counts them (cleartext_dropped), and" \
	    "encrypted data, LCP echoes and CCP still pass"
	client_head 300
}
kernel_engine_cleartext_body()
{
	local n=30 got iface t0 udp0

	t0=$(it_ms)
	it_setup
	it_vc_image
	it_client_start
	it_peer_start --keepalive 2 --inject-cleartext "$n"
	IT_SERVER_ADDR=$IT_HOST_ADDR
	# The VM's UDP datagrams in so far (to a listener or to no port:
	# /proc/net/snmp's InDatagrams + NoPorts); busybox nc has no -u.
	udp0=$(vc_udp_in)
	it_vc_start kernel "reconnect no" "keepalive 2 3"
	it_vc_wait_json '.state == "up"' 60 "state up"
	expect_field engine kernel
	expect_field mppe "128 stateless"
	iface=$(echo "$IT_JSON" | jq -r .interface)
	i=0
	until grep -q "sent $n cleartext IPv4 frames" "$IT_STATE/peer.log"; do
		i=$((i + 1))
		[ $i -le 60 ] || it_fail "the peer did not send its cleartext" \
		    "frames: $(tail -n 5 "$IT_STATE/peer.log")"
		sleep 0.5
	done
	# Encrypted data after them, both ways, and a pause for stragglers.
	it_vm_exec client 'ping -c 3 -W 5 192.0.2.1' >/dev/null ||
	    { it_vc_dump; it_fail "no ping through $iface next to the" \
	    "cleartext frames"; }
	got=$(($(vc_udp_in) - udp0))
	it_log "kernel_engine_cleartext: $got UDP datagrams reached the" \
	    "VM's stack; $iface: $(it_vm_exec client "cat \
	    /sys/class/net/$iface/statistics/rx_packets") packets in"
	[ "$got" = 0 ] || { it_vc_dump; it_fail "$got of $n cleartext IPv4" \
	    "datagrams from the server reached the client VM's stack" \
	    "through $iface"; }
	IT_JSON=$(it_vc_session)
	it_log "kernel_engine_cleartext: $(echo "$IT_JSON" | jq -c \
	    '{cleartext_dropped, rx_errors, rx_packets}')"
	it_vm_exec client "grep -E 'cleartext|nftables' /tmp/pptpcd.log" >&2
	echo "$IT_JSON" | jq -e --argjson n "$n" '.cleartext_dropped == $n' \
	    >/dev/null || it_fail "cleartext_dropped is" \
	    "$(echo "$IT_JSON" | jq .cleartext_dropped), not the $n frames sent"
	# LCP echoes both ways kept the link; pptpcd's every 2 s, the
	# peer's every 2 s.
	sleep 7
	IT_JSON=$(it_vc_session)
	expect_field state up
	it_vm_exec client "grep -q 'peer not responding' /tmp/pptpcd.log" &&
	    it_fail "LCP echoes went unanswered behind the guard"
	it_vm_exec client "pptpctl -s $IT_VC_SOCK disconnect $IT_TUNNEL" \
	    >/dev/null || it_fail "pptpctl disconnect failed"
	it_vc_wait_json '.state == "idle"' 30 "state idle"
	it_vc_stop
	it_log "kernel_engine_cleartext: done in $(($(it_ms) - t0)) ms"
	return 0
}
kernel_engine_cleartext_cleanup()
{
	it_cleanup
}

# --- The attack suite (tests/e2e/t_attack.sh) on the kernel engine ---
#
# tests/spoof/gre-spoof, in the peer's namespace with the peer's
# address, against the client VM's session on the kernel engine, mode by
# mode, each against a session that carries a ping a second.  On this
# engine pptpcd sees none of the call's GRE: pptp.ko takes it, checks
# the call ID and the source address (lookup_chan()), and then its
# sequence number against the last one it took, in plain unsigned
# arithmetic: a packet whose number is not above it is dropped unless it
# is an LCP Echo-Request or Echo-Reply; any other is taken, and its
# number becomes the new last one (pptp_rcv_core() in
# drivers/net/ppp/pptp.c, Debian 12's kernel).  What was observed here
# (four runs, the same each time), and what the case asserts:
#
#   flood, mppe, gre (blind, over every call ID), gre -i and mppe -i (on
#   the path, the real call ID): the kernel follows the forged sequence
#   number (random, 0x4000, 0xc000 or 0x80004000, all far above a young
#   call's), so every genuine packet after it is "old" and dropped: the
#   call's incoming data stops (a ping's Echo-Request still goes out,
#   its Echo-Reply is dropped).  The call stays up: the same session, no
#   new call, last_error empty, and it stays so past the keepalive (2 s,
#   3 missed): LCP echoes are the one thing pptp.ko lets through below
#   its last number, so pptpcd's keepalive is answered and cannot tell.
#   The case then redials by hand (disconnect, connect) for the next
#   mode.  pptpcd's CPU in a mode: 20-450 ms, 280-820 ms for mppe -i
#   (20,000 forged packets, some 10,500 of them rx_errors).
#
#   lcp (blind): a forged Configure-Request or Terminate-Request that
#   hits the call's ID lands above the last number, passes, and reaches
#   pptpcd's LCP through the channel: LCP renegotiates or closes, the
#   test peer drops the call, and pptpcd dials again (reconnect 1 2;
#   last_error "LCP terminated by the peer" seen).  A round over every
#   call ID may hit the new call too (2 and 3 new calls seen); when it
#   is over, a session is up and carries data.
#
# In every mode pptpcd keeps running, its CPU bounded (forged MPPE that
# ppp_mppe cannot decrypt comes up to pptpcd's channel as rx_errors).
# Nothing of this is in pptpcd's power on this engine: the userspace
# engine (t_attack.sh) holds against all of it.
KA_RATE=20000
# CPU pptpcd may spend in a mode (TCG: some 10 times the host's cost):
# a base for the odd redial, and per forged packet sent to the real call
# ID (mppe -i: some 40 us a packet seen).
KA_CPU_MS=3000
KA_CPU_US_PER_PKT=150

# ka_calls: calls the test peer has set up so far.
ka_calls()
{
	grep -c 'call up' "$IT_STATE/peer.log"
}

# ka_flows: true if a ping through the tunnel gets a reply.
ka_flows()
{
	it_vm_exec client 'ping -c 3 -W 3 192.0.2.1' >/dev/null 2>&1
}

# ka_callid: the client's call ID of the newest call, as an on-path
# attacker reads it in the Outgoing-Call-Request (the peer's log stands
# in for a sniffer).
ka_callid()
{
	sed -n 's/.*call up: our call ID [0-9]*, theirs \([0-9]*\).*/\1/p' \
	    "$IT_STATE/peer.log" | tail -n 1
}

# ka_fresh: a session that carries data: the same one if it does, or a
# new one (disconnect, connect) if an attack left it dead.
ka_fresh()
{
	IT_JSON=$(it_vc_session)
	if [ "$(echo "$IT_JSON" | jq -r .state)" = up ] && ka_flows; then
		return 0
	fi
	it_vc_ctl disconnect "$IT_TUNNEL" >/dev/null
	it_vc_wait_json '.state == "idle"' 30 "state idle"
	it_vc_ctl connect "$IT_TUNNEL" >/dev/null
	it_vc_wait_json '.state == "up"' 60 "state up again"
	ka_flows || it_fail "no data through a fresh session"
}

# ka_same UP0 T0 C0: true if the session is up and the one that had
# uptime UP0 at T0 when the peer had set up C0 calls.
ka_same()
{
	IT_JSON=$(it_vc_session)
	[ "$(echo "$IT_JSON" | jq -r .state)" = up ] &&
	    [ "$(echo "$IT_JSON" | jq '.uptime_s // 0')" -ge \
	    $(($1 + $(date +%s) - $2 - 2)) ] && [ "$(ka_calls)" = "$3" ]
}

# ka_attack LABEL SPOOF-ARG...: gre-spoof against a fresh session that
# carries a ping a second; sets KA_UP0, KA_T0, KA_C0 (the session
# before), KA_L0 (the peer's log lines before), KA_SENT and KA_CPU (ms
# pptpcd spent), and logs what happened.
ka_attack()
{
	local label=$1 cpu0 local_ip

	shift
	ka_fresh
	IT_JSON=$(it_vc_session)
	KA_UP0=$(echo "$IT_JSON" | jq .uptime_s)
	local_ip=$(echo "$IT_JSON" | jq -r .local_ip)
	KA_T0=$(date +%s)
	KA_C0=$(ka_calls)
	KA_L0=$(wc -l <"$IT_STATE/peer.log")
	cpu0=$(it_vc_cpu)
	it_vm_exec client 'rm -f /tmp/ka.ping; (ping -W 1 -c 600 192.0.2.1 \
	    >/tmp/ka.ping 2>&1 </dev/null & echo $! >/tmp/ka.ping.pid) \
	    >/dev/null 2>&1' >/dev/null
	sleep 2
	it_nsexec timeout 150 "$(it_topdir)/tests/spoof/gre-spoof" \
	    -s "$IT_HOST_ADDR" -d "$IT_CLIENT_ADDR" -T 192.0.2.1 \
	    -t "$local_ip" "$@" >"$IT_STATE/spoof.$label" 2>&1 ||
	    it_fail "gre-spoof $*: $(cat "$IT_STATE/spoof.$label")"
	KA_SENT=$(sed -n 's/^gre-spoof: [a-z]*: \([0-9]*\) sent.*/\1/p' \
	    "$IT_STATE/spoof.$label")
	[ -n "$KA_SENT" ] || it_fail "no summary from gre-spoof $*"
	sleep 3
	it_vm_exec client 'kill $(cat /tmp/ka.ping.pid) 2>/dev/null' \
	    >/dev/null
	it_vm_exec client 'kill -0 $(cat /tmp/pptpcd.pid)' >/dev/null ||
	    { it_vc_dump; it_fail "$label: pptpcd exited during the attack"; }
	KA_CPU=$((($(it_vc_cpu) - cpu0) * 10))
	IT_JSON=$(it_vc_session)
	it_log "kernel_engine_attack: $label:" \
	    "$(tail -n 1 "$IT_STATE/spoof.$label"); ping replies while it" \
	    "ran: $(it_vm_exec client 'grep -c "bytes from" /tmp/ka.ping');" \
	    "new calls $(($(ka_calls) - KA_C0)); pptpcd CPU $KA_CPU ms;" \
	    "$(echo "$IT_JSON" | jq -c '{state, uptime_s, rx_packets,
	    rx_errors, last_error}')"
}

# ka_cpu_bounded LABEL PKTS: KA_CPU within KA_CPU_MS and
# KA_CPU_US_PER_PKT for PKTS forged packets at the real call ID.
ka_cpu_bounded()
{
	local max=$((KA_CPU_MS + $2 * KA_CPU_US_PER_PKT / 1000))

	[ "$KA_CPU" -le "$max" ] || it_fail "$1: pptpcd spent $KA_CPU ms" \
	    "of CPU, over $max ms"
}

# ka_blackholed LABEL REAL-PKTS SPOOF-ARG...: the mode makes pptp.ko
# follow a forged sequence number: data stops, the session stays up,
# and the keepalive cannot tell.
ka_blackholed()
{
	local label=$1 real=$2

	shift 2
	ka_attack "$label" "$@"
	ka_cpu_bounded "$label" "$real"
	ka_same "$KA_UP0" "$KA_T0" "$KA_C0" || { it_vc_dump
	    it_fail "$label: not the same session: $IT_JSON; new calls" \
	    "$(($(ka_calls) - KA_C0))"; }
	ka_flows && it_fail "$label: data still flows: the kernel did not" \
	    "follow the forged sequence number (pptp.ko changed? then" \
	    "update this case and README)"
	# Past the keepalive (2 s, 3 missed): still up, still dead.
	sleep 10
	ka_same "$KA_UP0" "$KA_T0" "$KA_C0" || { it_vc_dump
	    it_fail "$label: the session changed past the keepalive:" \
	    "$IT_JSON"; }
	ka_flows && it_fail "$label: data flows again 10 s later"
	it_vm_exec client "grep -q 'peer not responding' /tmp/pptpcd.log" &&
	    it_fail "$label: LCP echoes went unanswered"
	echo "$IT_JSON" | jq -e '.last_error == null or .last_error == ""' \
	    >/dev/null || it_fail "$label: last_error $IT_JSON"
	it_log "kernel_engine_attack: $label: data blackholed, session up" \
	    "and unaware $(($(date +%s) - KA_T0)) s after the attack began"
}

atf_test_case kernel_engine_attack cleanup
kernel_engine_attack_head()
{
	atf_set descr "In a client VM, offload kernel under the attack" \
	    "suite (gre-spoof with the server's address): a forged GRE" \
	    "sequence number is followed by pptp.ko and blackholes the" \
	    "call's data while LCP echoes keep it up; forged LCP ends the" \
	    "call and pptpcd dials again; pptpcd lives, its CPU bounded"
	client_head 600
}
kernel_engine_attack_body()
{
	local t0

	t0=$(it_ms)
	[ -x "$(it_topdir)/tests/spoof/gre-spoof" ] ||
	    it_fail "no tests/spoof/gre-spoof (make tests)"
	it_setup
	it_vc_image
	it_client_start
	it_peer_start --keepalive 2
	IT_SERVER_ADDR=$IT_HOST_ADDR
	it_vc_start kernel "keepalive 2 3" "reconnect 1 2"
	it_vc_wait_json '.state == "up"' 60 "state up"
	expect_field engine kernel

	# Blind, over every call ID: the few packets that reach the call
	# carry sequence numbers far above a young call's.
	ka_blackholed flood 4 -m flood -r "$KA_RATE"
	ka_blackholed mppe 8 -m mppe -r "$KA_RATE"
	ka_blackholed gre 8 -m gre -r "$KA_RATE"
	# On the path: the call ID read in the control connection.
	ka_fresh
	ka_blackholed gre_onpath 8 -m gre -i "$(ka_callid)"
	ka_fresh
	ka_blackholed mppe_onpath 20000 -m mppe -i "$(ka_callid)" \
	    -b 0x80004000 -c 20000 -r 2000

	# Forged LCP reaches pptpcd's LCP: the call ends and is dialled
	# again, and a session is up and carries data afterwards.
	ka_attack lcp -m lcp -r "$KA_RATE"
	ka_cpu_bounded lcp 8
	[ "$(ka_calls)" -gt "$KA_C0" ] || it_fail "lcp: no new call: forged" \
	    "LCP did not reach pptpcd (pptp.ko changed? then update this" \
	    "case and README)"
	tail -n +$((KA_L0 + 1)) "$IT_STATE/peer.log" | grep -Eq \
	    'link down: (the peer renegotiated LCP|LCP terminated by the peer)' ||
	    it_fail "lcp: the peer's log does not say that LCP renegotiated" \
	    "or ended"
	it_vc_wait_json '.state == "up"' 60 "state up after forged LCP"
	ka_flows || it_fail "lcp: no data through the session dialled again"
	it_log "kernel_engine_attack: lcp: $(($(ka_calls) - KA_C0)) call(s)" \
	    "dialled again ($(tail -n +$((KA_L0 + 1)) "$IT_STATE/peer.log" |
	    sed -n 's/.*link down: //p' | sort | uniq -c | sed 's/^ *//' |
	    tr '\n' ' ')); data flows"

	it_vc_ctl disconnect "$IT_TUNNEL" >/dev/null
	it_vc_wait_json '.state == "idle"' 30 "state idle"
	it_vc_stop
	it_log "kernel_engine_attack: done in $(($(it_ms) - t0)) ms"
	return 0
}
kernel_engine_attack_cleanup()
{
	it_cleanup
}

atf_test_case engine_choice_host cleanup
engine_choice_host_head()
{
	atf_set descr "On a host without PPP in its kernel, offload auto" \
	    "falls back to userspace and logs why, and offload kernel" \
	    "refuses to dial with the reason in last_error"
	client_head 180
}
engine_choice_host_body()
{
	local err calls

	[ -e /dev/ppp ] && atf_skip "this host has /dev/ppp"
	it_setup
	it_image
	it_server_start
	it_pptpcd_conf -o auto "reconnect 1 5"
	it_pptpcd_start
	it_wait_state up 60
	expect_up_session
	it_pptpcd_wait_log 'interop: engine userspace \(pipex: .+; kernel: .*ppp' 5
	it_log "engine_choice_host: $(grep -m1 'interop: engine ' "$(it_pptpcd_log)")"
	it_ping 192.0.2.1 2 || it_fail "no ping through the fallback engine"
	it_pptpcd_stop

	# Forced: no dial, no fallback, and the reason where pptpctl shows.
	calls=$(server_calls)
	it_pptpcd_conf -o kernel "reconnect 1 5"
	it_pptpcd_start
	it_wait_json '.last_error != null and .last_error != ""' 20 \
	    "last_error"
	err=$(echo "$IT_JSON" | jq -r .last_error)
	it_log "engine_choice_host: offload kernel: \"$err\""
	expect_field state idle
	expect_field engine ""
	case $err in
	*"offload kernel"*ppp*) ;;
	*) it_fail "last_error does not say why the kernel engine is out:" \
	    "$err" ;;
	esac
	it_pptpcd_wait_log 'interop: offload kernel: the kernel engine cannot be used' 5
	sleep 3
	[ "$(server_calls)" = "$calls" ] ||
	    it_fail "offload kernel dialled the server anyway"
	IT_JSON=$(it_session)
	expect_field state idle
	return 0
}
engine_choice_host_cleanup()
{
	it_cleanup
}

# --- Behind a Linux NAT ---
#
# lib.sh's it_nat_start: the clients sit in namespaces of their own on
# 203.0.113.0/24 behind a router namespace that masquerades them out of
# tap0 as 198.51.100.2, towards the Poptop VM, with the PPTP conntrack
# and NAT helpers (nf_conntrack_pptp, nf_nat_pptp) assigned by an
# nftables ct helper rule.  The helper does three things these cases
# look for on the wire: it rewrites the call ID of our Outgoing-Call-
# Request to the control connection's TCP source port as the router
# sends it (nf_nat_pptp.c, pptp_outbound_pkt: "use TCP source port as
# new call ID"), it writes our own back into the server's replies, and
# it expects the call's GRE both ways, rewriting the key of the GRE the
# server sends (that translated ID) back to ours.  pptpcd needs nothing
# for it: what it reads, on TCP and on GRE, carries its own call ID.
#
# Without the helper (nat_no_helper) not even one client works: the
# router masquerades our TCP and our GRE, but GRE version 1 carries only
# the receiver's call ID, so the server's GRE (keyed with our call ID)
# is not the reply of our flow (keyed with the server's) to a conntrack
# that has no helper to pair the two IDs.  The router takes it for
# itself and answers "protocol 47 unreachable", on which Poptop hangs
# up (its GRE socket reads ENOPROTOOPT); pptpcd's last_error says that
# no GRE came back.  Two clients fare no better (nat_two without the
# rule: neither comes up).  A NAT that did relate GRE by its
# addresses alone (as some routers' "PPTP passthrough" does) would
# carry one client and mix up two, since both flows would then be the
# same flow to it; the helper tells them apart by call ID, which
# nat_two shows.
#
# The router is a namespace on this host, whose kernel has both helpers
# (built in here; Debian's kernel loads them as modules for the rule);
# on a kernel without them the cases skip.  nat_one, nat_two and
# nat_no_helper run pptpcd's userspace engine on the host side, so the
# server is their only VM; nat_kernel_engine puts a client VM on the
# LAN for the kernel engine.  Run times on this 2-core host, quiet to
# shared with other VM tests: nat_one 22-79 s, nat_two 41-101 s (two
# 10 MB transfers at once), nat_kernel_engine 64 s, nat_no_helper
# 24-37 s.

nat_head()
{
	atf_set require.user root
	atf_set require.progs "qemu-system-x86_64 ip busybox bash cpio jq" \
	    "nft tcpdump"
	atf_set timeout "$1"
}

# nat_call_ids [LOG]: pptpcd's call ID and the server's, from the log
# line "call up (call ID X, server's Y)" of its first call (the one the
# captures saw from its start), as "X Y".
nat_call_ids()
{
	sed -n 's/.*interop: call up (call ID \([0-9]*\), server.s \([0-9]*\)).*/\1 \2/p' \
	    "${1:-$(it_pptpcd_log)}" | head -n 1
}

# nat_ocrqs FILE: the Outgoing-Call-Requests in a capture (tcpdump -nn
# -v), one line each: source address, source port, call ID, serial.
nat_ocrqs()
{
	sed -n 's/^ *\([0-9.]*\)\.\([0-9]*\) > [0-9.]*\.1723: .*CTRL_MSGTYPE=OCRQ CALL_ID(\([0-9]*\)) CALL_SER_NUM(\([0-9]*\)).*/\1 \2 \3 \4/p' \
	    "$1" | sort -u
}

# nat_gre_keys FILE: the GRE the server sent, one line per destination
# and key (the call ID it is for).
nat_gre_keys()
{
	sed -n 's/^ *198\.51\.100\.1 > \([0-9.]*\): GREv1, .* call \([0-9]*\),.*/\1 \2/p' \
	    "$1" | sort -u
}

# nat_check_wan "CID SCID"...: the WAN capture ($IT_STATE/wan.txt) of
# the dials of clients 1, 2, ..., given each one's call ID and the
# server's (nat_call_ids).  No LAN address leaves; our TCP and GRE carry
# the NAT's; each client's Outgoing-Call-Request (found by its serial
# number, which pptpcd sets to its call ID) carries as call ID the TCP
# source port the NAT gave its control connection, as nf_nat_pptp does,
# a different one for each client; and the server's GRE for each call
# comes back to the NAT keyed with that ID.  Sets NAT_WAN_IDS to
# " CLIENT:ID...".
nat_check_wan()
{
	local n=$# f="$IT_STATE/wan.txt" i=0 ids line cid scid port wcid

	[ -s "$f" ] || it_fail "nothing captured on the WAN"
	! grep -q '203\.0\.113\.' "$f" || it_fail "a LAN address on the" \
	    "WAN: $(grep -m 1 '203\.0\.113\.' "$f")"
	grep -Eq '^ *198\.51\.100\.2\.[0-9]+ > 198\.51\.100\.1\.1723: ' "$f" ||
	    it_fail "no PPTP control from the NAT's address on the WAN"
	grep -Eq '^ *198\.51\.100\.2 > 198\.51\.100\.1: GREv1' "$f" ||
	    it_fail "no GRE from the NAT's address on the WAN"
	[ "$(nat_ocrqs "$f" | wc -l)" = "$n" ] ||
	    it_fail "not $n Outgoing-Call-Requests on the WAN:" \
	    "$(nat_ocrqs "$f" | tr '\n' ';')"
	[ "$(nat_ocrqs "$f" | cut -d' ' -f3 | sort -u | wc -l)" = "$n" ] ||
	    it_fail "calls share a call ID on the WAN:" \
	    "$(nat_ocrqs "$f" | tr '\n' ';')"
	NAT_WAN_IDS=
	for ids in "$@"; do
		i=$((i + 1))
		cid=${ids% *} scid=${ids#* }
		[ -n "$cid" ] || it_fail "client $i: no call IDs in its log"
		line=$(nat_ocrqs "$f" | awk -v s="$cid" '$4 == s')
		[ -n "$line" ] || it_fail "client $i: no Outgoing-Call-" \
		    "Request with serial $cid on the WAN"
		# shellcheck disable=SC2086
		set -- $line
		port=$2 wcid=$3
		[ "$1" = 198.51.100.2 ] ||
		    it_fail "client $i: its OCRQ left from $1"
		[ "$wcid" = "$port" ] || it_fail "client $i: call ID $wcid" \
		    "on the WAN, not the TCP source port $port (nf_nat_pptp)"
		nat_gre_keys "$f" | grep -qx "198\.51\.100\.2 $wcid" ||
		    it_fail "client $i: no GRE from the server keyed $wcid" \
		    "on the WAN: $(nat_gre_keys "$f" | tr '\n' ';')"
		it_log "nat: client $i: call ID $cid, on the WAN $wcid (its" \
		    "TCP source port there); the server's call ID $scid"
		NAT_WAN_IDS="$NAT_WAN_IDS $i:$wcid"
	done
}

# nat_check_lan ADDR CID WCID: the LAN capture ($IT_STATE/lan.txt) of
# the one client at ADDR, whose call ID is CID and was WCID on the WAN:
# here it is pptpcd's own, in the OCRQ and in the key of the server's
# GRE, and the translated one appears nowhere (unless the two happen to
# be equal).
nat_check_lan()
{
	local addr="$1" cid="$2" wcid="$3" f="$IT_STATE/lan.txt"

	nat_ocrqs "$f" | grep -qx "$addr [0-9]* $cid $cid" ||
	    it_fail "no OCRQ with call ID $cid from $addr on the LAN:" \
	    "$(nat_ocrqs "$f" | tr '\n' ';')"
	nat_gre_keys "$f" | grep -qx "$addr $cid" || it_fail "no GRE from" \
	    "the server keyed $cid on the LAN: $(nat_gre_keys "$f" |
	    tr '\n' ';')"
	if [ "$wcid" != "$cid" ]; then
		! nat_gre_keys "$f" | grep -qx "$addr $wcid" ||
		    it_fail "GRE keyed $wcid, the WAN's call ID, on the LAN"
	fi
}

atf_test_case nat_one cleanup
nat_one_head()
{
	atf_set descr "pptpcd behind a Linux NAT with the PPTP helper" \
	    "dials Poptop: up, ping and TCP both ways intact; on the WAN" \
	    "its TCP and GRE carry the NAT's address and its call ID is" \
	    "the one the helper chose, on the LAN its own; its" \
	    "Call-Clear-Request reaches the server translated too"
	nat_head 400
}
nat_one_body()
{
	local t0 ns ids local_ip

	t0=$(it_ms)
	it_setup
	it_image
	it_server_start pptpc.debug=0
	it_nat_start 1
	ns=$(it_nat_ns 1)
	it_capture_start wan "$IT_NAT_NS" tap0 'tcp port 1723 or ip proto 47'
	it_capture_start lan "$IT_NAT_NS" lan0 'tcp port 1723 or ip proto 47'
	it_pc_use 1 "$ns"
	it_pptpcd_conf "reconnect 1 5"
	it_pptpcd_start
	it_wait_state up 60
	expect_up_session
	it_ping 192.0.2.1 3 || it_fail "no ping reply through the tunnel"
	it_capture_stop lan >/dev/null
	it_capture_stop wan >/dev/null
	ids=$(nat_call_ids)
	nat_check_wan "$ids"
	nat_check_lan 203.0.113.11 "${ids% *}" "${NAT_WAN_IDS#* 1:}"
	local_ip=$(echo "$IT_JSON" | jq -r .local_ip)
	head -c 10000000 /dev/urandom >"$IT_STATE/data" ||
	    it_fail "cannot make test data"
	it_send server 192.0.2.1 5001 "$IT_STATE/data" 240
	it_recv server "$local_ip" 5002 5000000 240
	IT_JSON=$(it_session)
	expect_field state up
	expect_field rx_errors 0
	# A polite stop through the NAT: the Call-Clear-Request leaves with
	# the call ID the server knows (the helper rewrites it as it did the
	# OCRQ's), and the server ends the call and the connection.
	it_capture_start bye "$IT_NAT_NS" tap0 'tcp port 1723'
	it_pptpcd_stop
	[ "$IT_PPTPCD_KILLED" = 0 ] || it_fail "pptpcd needed SIGKILL"
	it_vm_wait_log server \
	    'CTRL: Client 198\.51\.100\.2 control connection finished' 15
	it_capture_stop bye >/dev/null
	grep -q "CTRL_MSGTYPE=CCRQ CALL_ID(${NAT_WAN_IDS#* 1:})" \
	    "$IT_STATE/bye.txt" || it_fail "no Call-Clear-Request with call" \
	    "ID ${NAT_WAN_IDS#* 1:} on the WAN: $(grep -o \
	    'CTRL_MSGTYPE=[A-Z]* CALL_ID([0-9]*)' "$IT_STATE/bye.txt" |
	    tr '\n' ' ')"
	it_log "nat_one: done in $(($(it_ms) - t0)) ms"
	return 0
}
nat_one_cleanup()
{
	it_cleanup
}

# nat_tx I: client I's tx_bytes.
nat_tx()
{
	(it_pc_use "$1" "$(it_nat_ns "$1")"; it_field tx_bytes)
}

atf_test_case nat_two cleanup
nat_two_head()
{
	atf_set descr "Two pptpcd on two hosts behind the same Linux NAT" \
	    "with the PPTP helper dial the same Poptop server at once:" \
	    "both come up, both carry 10 MB at the same time intact, and" \
	    "on the WAN each call has a call ID of its own"
	nat_head 400
}
nat_two_body()
{
	local t0 i ns p1 p2 tx1 tx2 b1 b2 seen want1 want2 got1 got2

	t0=$(it_ms)
	it_setup
	it_image
	it_server_start pptpc.debug=0
	it_nat_start 2
	it_capture_start wan "$IT_NAT_NS" tap0 'tcp port 1723 or ip proto 47'
	for i in 1 2; do
		it_pc_use $i "$(it_nat_ns $i)"
		it_pptpcd_conf "reconnect 1 5"
		it_pptpcd_start
	done
	for i in 1 2; do
		it_pc_use $i "$(it_nat_ns $i)"
		it_wait_state up 60
		expect_up_session
		eval "ip$i=\$(echo \"\$IT_JSON\" | jq -r .local_ip)"
	done
	for i in 1 2; do
		it_pc_use $i "$(it_nat_ns $i)"
		it_ping 192.0.2.1 3 ||
		    it_fail "client $i: no ping reply through the tunnel"
	done
	it_capture_stop wan >/dev/null
	nat_check_wan "$(it_pc_use 1 "$(it_nat_ns 1)"; nat_call_ids)" \
	    "$(it_pc_use 2 "$(it_nat_ns 2)"; nat_call_ids)"

	# 10 MB from each client at once, each into a sink of its own.
	for i in 1 2; do
		head -c 10000000 /dev/urandom >"$IT_STATE/data$i" ||
		    it_fail "cannot make test data"
		it_sink server $((5000 + i))
	done
	want1=$(it_sha256 <"$IT_STATE/data1")
	want2=$(it_sha256 <"$IT_STATE/data2")
	b1=$(nat_tx 1) b2=$(nat_tx 2)
	ip netns exec "$(it_nat_ns 1)" timeout 240 busybox nc 192.0.2.1 5001 \
	    <"$IT_STATE/data1" &
	p1=$!
	ip netns exec "$(it_nat_ns 2)" timeout 240 busybox nc 192.0.2.1 5002 \
	    <"$IT_STATE/data2" &
	p2=$!
	# Both at once: a moment when each tunnel has carried 1 MB of its
	# 10 while neither sender has finished (the two need not share the
	# server evenly, so not more).
	seen=
	while it_pid_running $p1 && it_pid_running $p2; do
		tx1=$(nat_tx 1) tx2=$(nat_tx 2)
		if [ $((${tx1:-0} - b1)) -ge 1000000 ] &&
		    [ $((${tx2:-0} - b2)) -ge 1000000 ]; then
			seen=1
			break
		fi
		sleep 0.2
	done
	wait $p1 || it_fail "client 1: sending 10 MB failed or timed out"
	wait $p2 || it_fail "client 2: sending 10 MB failed or timed out"
	[ -n "$seen" ] || it_fail "the two transfers did not overlap" \
	    "(1 MB each while both ran)"
	got1=$(it_sink_sum server 5001) ||
	    it_fail "server: no checksum of what came to port 5001"
	got2=$(it_sink_sum server 5002) ||
	    it_fail "server: no checksum of what came to port 5002"
	[ "$got1" = "$want1" ] || it_fail "client 1: 10 MB arrived as" \
	    "sha256 $got1, not $want1"
	[ "$got2" = "$want2" ] || it_fail "client 2: 10 MB arrived as" \
	    "sha256 $got2, not $want2"
	it_log "nat_two: 2 x 10 MB at once, both intact; mid-way" \
	    "$((tx1 - b1)) and $((tx2 - b2)) bytes out"
	for i in 1 2; do
		it_pc_use $i "$(it_nat_ns $i)"
		IT_JSON=$(it_session)
		expect_field state up
		expect_field rx_errors 0
	done
	it_log "nat_two: done in $(($(it_ms) - t0)) ms"
	return 0
}
nat_two_cleanup()
{
	it_cleanup
}

atf_test_case nat_kernel_engine cleanup
nat_kernel_engine_head()
{
	atf_set descr "pptpcd with offload kernel in a client VM behind the" \
	    "Linux NAT with the PPTP helper: pptp.ko's channel, bound to" \
	    "our call ID, gets the server's GRE as the helper translates" \
	    "it back; up, ping and 10 MB intact, and the WAN shows the" \
	    "NAT's address and the translated call ID"
	nat_head 400
}
nat_kernel_engine_body()
{
	local t0 ids ms

	t0=$(it_ms)
	it_setup
	it_vc_image
	# The router's namespace holds both VMs' taps: tap0 on the WAN
	# (198.51.100.2), tap1 on the LAN bridge.
	it_netns_create
	it_nat_start 0
	it_nat_tap tap1
	it_vm_start server tap0 "$IT_SERVER_ADDR/$IT_PREFIX" pptpc.debug=0
	it_vm_start client tap1 "$IT_NAT_LAN.21/24" pptpc.server=0 \
	    "pptpc.gw=$IT_NAT_LAN.1"
	it_vm_wait_tcp server "$IT_SERVER_ADDR" 1723
	it_vm_wait_log client '^pptpc-vm: ready'
	it_capture_start wan "$IT_NAT_NS" tap0 'tcp port 1723 or ip proto 47'
	it_capture_start lan "$IT_NAT_NS" lan0 'tcp port 1723 or ip proto 47'
	it_vc_start kernel "reconnect 1 5"
	it_vc_wait_json '.state == "up"' 120 "state up"
	expect_field engine kernel
	it_vm_exec client 'ping -c 3 -W 5 192.0.2.1' >/dev/null || {
		it_vc_dump
		it_fail "no ping reply through the kernel engine behind the NAT"
	}
	it_capture_stop lan >/dev/null
	it_capture_stop wan >/dev/null
	it_vm_exec client 'cat /tmp/pptpcd.log' >"$IT_STATE/vc-pptpcd.log"
	ids=$(nat_call_ids "$IT_STATE/vc-pptpcd.log")
	nat_check_wan "$ids"
	nat_check_lan "$IT_NAT_LAN.21" "${ids% *}" "${NAT_WAN_IDS#* 1:}"
	ms=$(it_vc_send 10000000)
	it_log "nat_kernel_engine: 10000000 bytes intact in $ms ms"
	IT_JSON=$(it_vc_session)
	expect_field state up
	expect_field engine kernel
	it_vc_stop
	it_log "nat_kernel_engine: done in $(($(it_ms) - t0)) ms"
	return 0
}
nat_kernel_engine_cleanup()
{
	it_cleanup
}

atf_test_case nat_no_helper cleanup
nat_no_helper_head()
{
	atf_set descr "Behind a Linux NAT without the PPTP helper, the" \
	    "control connection and the call come up but the server's GRE" \
	    "stops at the router: the WAN shows it arrive, the LAN never" \
	    "sees it, and pptpcd's last_error names the cause"
	nat_head 300
}
nat_no_helper_body()
{
	local cid wcid gre icmp

	it_setup
	it_image
	it_server_start pptpc.debug=0
	it_nat_start 1 nohelper
	it_capture_start wan "$IT_NAT_NS" tap0 \
	    'tcp port 1723 or ip proto 47 or icmp'
	it_capture_start lan "$IT_NAT_NS" lan0 'tcp port 1723 or ip proto 47'
	it_pc_use 1 "$(it_nat_ns 1)"
	it_pptpcd_conf "reconnect 1 5"
	it_pptpcd_start
	it_wait_json '.last_error // "" | contains("no GRE packet came back")' \
	    60 "the diagnosis of a NAT that drops GRE"
	it_log "nat_no_helper: last_error: $(echo "$IT_JSON" |
	    jq -r .last_error)"
	it_capture_stop lan >/dev/null
	it_capture_stop wan >/dev/null
	grep -Eq '^ *198\.51\.100\.2 > 198\.51\.100\.1: GREv1' \
	    "$IT_STATE/wan.txt" || it_fail "our GRE did not leave the NAT"
	! grep -Eq '^ *198\.51\.100\.1 > 203\.0\.113\.11: GREv1' \
	    "$IT_STATE/lan.txt" || it_fail "the server's GRE reached the" \
	    "client through a NAT without the helper"
	# Nobody rewrote the call ID: the OCRQ left as pptpcd wrote it.
	cid=$(nat_call_ids)
	cid=${cid% *}
	[ -n "$cid" ] || it_fail "no call came up"
	wcid=$(nat_ocrqs "$IT_STATE/wan.txt" | awk -v s="$cid" '$4 == s' |
	    cut -d' ' -f3)
	[ "$wcid" = "$cid" ] || it_fail "call ID $cid left as \"$wcid\""
	# What became of the server's GRE: when Poptop's pppd got to send
	# before its call ended, it reached the NAT, which answered
	# "protocol 47 unreachable" (and Poptop, whose GRE socket then
	# reads ENOPROTOOPT, hung up).  Not asserted: Poptop may hang up
	# before it sends anything.
	gre=$(grep -Ec '^ *198\.51\.100\.1 > 198\.51\.100\.2: GREv1' \
	    "$IT_STATE/wan.txt")
	icmp=$(grep -c 'protocol 47 unreachable' "$IT_STATE/wan.txt")
	it_log "nat_no_helper: call ID $cid on both sides; on the WAN $gre" \
	    "GRE packet(s) from the server and $icmp \"protocol 47" \
	    "unreachable\" from the NAT; on the LAN no GRE from the server"
	return 0
}
nat_no_helper_cleanup()
{
	it_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case server_boots
	atf_add_test_case client_vm_boots
	atf_add_test_case server_options
	atf_add_test_case connect
	atf_add_test_case wrong_password
	atf_add_test_case server_restart
	atf_add_test_case mppe_40_refused
	atf_add_test_case disconnect_connect
	atf_add_test_case mppe_stateful
	atf_add_test_case ipv6_userspace
	atf_add_test_case kernel_engine
	atf_add_test_case ipv6_kernel_engine
	atf_add_test_case kernel_engine_fast_server
	atf_add_test_case kernel_engine_cleartext
	atf_add_test_case kernel_engine_attack
	atf_add_test_case kernel_engine_fwmark
	atf_add_test_case engine_choice_host
	atf_add_test_case nat_one
	atf_add_test_case nat_two
	atf_add_test_case nat_kernel_engine
	atf_add_test_case nat_no_helper
}
