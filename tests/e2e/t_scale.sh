#! /usr/bin/env atf-sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# Many tunnels in one daemon: pptpcd dials 200 tunnels to the test peer
# (one tunnel block each, userspace engine), all come up, traffic
# crosses a sample of them, a reload that changes one restarts that one
# only, and SIGTERM closes them all politely, leaving no interface or
# route behind.  The thousand-tunnel figures are bench/scale.sh's; this
# keeps the machinery working.  lib.sh draws the namespaces; client
# addresses come from 198.18.0.0/15, as 200 do not fit behind 192.0.2.10.

SCALE_N=200

e2e_env()
{
	E2E_TOP=$(cd "$(atf_get_srcdir)/../.." && pwd)
	E2E_DIR=$(pwd)
	E2E_PREFIX=pptpc-e2e
	. "$(atf_get_srcdir)/lib.sh"
}

fail()
{
	e2e_logs 2>&1 | tail -n 150 >&2
	atf_fail "$*"
}

# count_state STATE: sessions in STATE, from one snapshot.
count_state()
{
	e2e_ctl -j show sessions 2>/dev/null |
	    jq --arg s "$1" '[.sessions[] | select(.state == $s)] | length' \
	    2>/dev/null || echo 0
}

# wait_all_up SECS
wait_all_up()
{
	_n=$(( $1 * 2 ))
	while [ "$_n" -gt 0 ]; do
		e2e_daemon_alive || fail "pptpcd exited"
		[ "$(count_state up)" -eq "$SCALE_N" ] && return 0
		sleep 0.5
		_n=$((_n - 1))
	done
	fail "not all $SCALE_N tunnels up within $1 s ($(count_state up) up)"
}

# ping_via IFACE: the server's side, out through that one interface.
# The reply comes back through the same tunnel, as the peer routes each
# client's address to that client's own tun.
ping_via()
{
	if command -v ping > /dev/null 2>&1; then
		e2e_cli ping -I "$1" -c 2 -i 0.2 -w 10 "$E2E_LOCAL"
	else
		e2e_cli busybox ping -I "$1" -c 2 -w 10 "$E2E_LOCAL"
	fi
}

conf()
{
	e2e_conf_many "$SCALE_N" "auth mschapv2" "mppe required 128" \
	    "keepalive 10" "reconnect 2 30"
}

atf_test_case tunnels_200 cleanup
tunnels_200_head()
{
	atf_set descr "200 tunnels in one pptpcd: all up, traffic on a" \
	    "sample, a reload of one, a polite stop that leaves nothing"
	atf_set require.user root
	atf_set require.progs "ip jq busybox"
	atf_set timeout 300
}
tunnels_200_body()
{
	e2e_env
	for _b in "$E2E_PEER" "$E2E_PPTPCD" "$E2E_PPTPCTL"; do
		[ -x "$_b" ] || atf_skip "$_b is not built (make tests)"
	done
	[ -c /dev/net/tun ] || atf_skip "no /dev/net/tun"
	e2e_netns_create || fail "cannot create the network namespaces"
	e2e_peer_start --remote 198.18.0.10 || fail "the test peer did not start"
	conf
	e2e_daemon_start || fail "cannot start pptpcd"
	wait_all_up 120
	grep -q "dialling $SCALE_N tunnels within" pptpcd.log ||
	    fail "the dials were not spread out"

	# Traffic through a sample, each on its own interface.
	for _i in 1 37 100 163 200; do
		E2E_TUNNEL=s$_i
		_if=$(e2e_field interface)
		[ -n "$_if" ] || fail "s$_i has no interface"
		ping_via "$_if" > ping.out 2>&1 ||
		    { cat ping.out >&2; fail "no ping reply through s$_i ($_if)"; }
		_rx=$(e2e_field rx_packets)
		[ -n "$_rx" ] && [ "$_rx" -ge 2 ] ||
		    fail "s$_i counted $_rx packets in after two pings"
	done

	# A reload that changes one tunnel restarts that one only.
	"$E2E_PPTPCTL" -s "$E2E_DIR/ctl.sock" -j monitor > events \
	    2> mon.err &
	_mon=$!
	e2e_remember "$_mon" "$E2E_DIR/pids"
	sleep 1
	E2E_CHANGED=100 conf
	kill -HUP "$(cat pptpcd.pid)"
	e2e_wait_log pptpcd.log "reloaded: $((SCALE_N - 1)) unchanged, 1" \
	    30 || fail "no reload, or not \"$((SCALE_N - 1)) unchanged, 1" \
	    "restarted\": $(grep reloaded: pptpcd.log)"
	E2E_TUNNEL=s100
	e2e_wait_state up 60 || fail "s100 was not up again after the reload"
	[ "$(e2e_field mtu)" = 1300 ] || fail "s100 runs on its old settings"
	wait_all_up 30
	sleep 1
	kill "$_mon"
	_moved=$(jq -r 'select(.event == "state") | .tunnel' events |
	    sort -u | tr '\n' ' ')
	[ "$_moved" = "s100 " ] ||
	    fail "tunnels that changed state in the reload: $_moved"

	# SIGTERM: every tunnel closed politely, nothing left behind.
	e2e_daemon_kill || fail "pptpcd did not exit within 10 s of SIGTERM"
	grep -q 'exiting anyway' pptpcd.log &&
	    fail "the grace period ran out: not every tunnel said goodbye"
	_left=$(e2e_cli ip -o link show | grep -c ': tun')
	[ "$_left" -eq 0 ] || fail "$_left tun interfaces left after the stop"
	_routes=$(e2e_cli ip -4 route show | grep -vc 'dev vcli')
	[ "$_routes" -eq 0 ] ||
	    fail "routes left after the stop: $(e2e_cli ip -4 route show)"
	sleep 1
	_closed=$(grep -c 'client stopped the control connection' peer.log)
	# The one restarted by the reload said goodbye too.
	[ "$_closed" -ge "$SCALE_N" ] ||
	    fail "the peer heard $_closed StopCCRQs, expected $SCALE_N"
}
tunnels_200_cleanup()
{
	e2e_env
	e2e_cleanup
}

# nofile_start SOFT HARD N: pptpcd with N tunnels under these descriptor
# limits, dialling a server nobody answers on; its pid in $DPID.
nofile_start()
{
	e2e_env
	[ -x "$E2E_PPTPCD" ] || atf_skip "$E2E_PPTPCD is not built (make tests)"
	e2e_netns_create || fail "cannot create the network namespaces"
	SCALE_N=$3
	conf
	: > pptpcd.log
	e2e_bg cli prlimit --nofile="$1:$2" "$E2E_PPTPCD" -d -f pptpcd.conf \
	    -s "$E2E_DIR/ctl.sock" >> pptpcd.log 2>&1 ||
	    fail "cannot start pptpcd"
	DPID=$E2E_BG_PID
	echo "$DPID" > pptpcd.pid
	e2e_wait_log pptpcd.log "pptpcd started" 10 ||
	    fail "pptpcd did not start"
	sleep 0.5
}

atf_test_case nofile_raised cleanup
nofile_raised_head()
{
	atf_set descr "pptpcd raises its soft descriptor limit to the hard one"
	atf_set require.user root
	atf_set require.progs "ip prlimit"
	atf_set timeout 60
}
nofile_raised_body()
{
	nofile_start 256 4096 300
	_soft=$(awk '/^Max open files/ { print $4 }' "/proc/$DPID/limits")
	[ "$_soft" = 4096 ] ||
	    fail "soft limit $_soft with 300 tunnels, hard limit 4096"
	grep -q 'descriptors, but the limit' pptpcd.log &&
	    fail "warned although the hard limit is enough"
	e2e_daemon_kill || fail "pptpcd did not stop"
}
nofile_raised_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case nofile_too_low cleanup
nofile_too_low_head()
{
	atf_set descr "pptpcd says so when the hard descriptor limit is too" \
	    "low for its tunnels"
	atf_set require.user root
	atf_set require.progs "ip prlimit"
	atf_set timeout 60
}
nofile_too_low_body()
{
	nofile_start 256 256 300
	grep -q '300 tunnels need about 664 descriptors, but the limit is 256' \
	    pptpcd.log || fail "no warning: $(head -n 3 pptpcd.log | tr "\n" " ")"
	e2e_daemon_kill || fail "pptpcd did not stop"
}
nofile_too_low_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case tunnels_200
	atf_add_test_case nofile_raised
	atf_add_test_case nofile_too_low
}
