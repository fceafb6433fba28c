#! /usr/bin/env atf-sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# Several WANs (pptpcd.conf(5) "Several WANs"): a gateway with two
# uplinks dials the test peer over both, one tunnel per uplink.
#
#   cli                       isp1 / isp2                srv
#   wan1 198.18.1.2/24  ---  198.18.1.1 | 198.18.11.1  ---  198.18.11.2
#   wan2 198.18.2.2/24  ---  198.18.2.1 | 198.18.12.1  ---  198.18.12.2
#   main: default via wan1 (metric 100) and via wan2 (metric 200)
#                                                      lo 198.51.100.1
#                                                      pptp-peer there
#
# Both tunnels dial the same server with the same user name, each on a
# control connection of its own.  A capture on each WAN shows each
# tunnel's TCP and GRE on its own WAN only; the pin to the server of the
# tunnel on the second WAN goes via that WAN's gateway, not main's
# lowest-metric default; pulling the first WAN's cable leaves the second
# tunnel's session as it was, passing traffic.  Namespaces are named
# after the PID, addresses come from 198.18.0.0/15 and 198.51.100.0/24,
# and the cleanup deletes all four namespaces.

e2e_env()
{
	E2E_TOP=$(cd "$(atf_get_srcdir)/../.." && pwd)
	E2E_DIR=$(pwd)
	E2E_PREFIX=pptpc-e2e
	. "$(atf_get_srcdir)/lib.sh"
}

fail()
{
	for E2E_TUNNEL in w1 w2; do
		echo "---- session $E2E_TUNNEL: $(e2e_json)"
	done >&2
	e2e_logs >&2
	for _w in wan1 wan2; do
		[ -f "$_w.txt" ] || continue
		echo "---- capture on $_w"
		head -n 40 "$_w.txt"
	done >&2
	atf_fail "$*"
}

common_head()
{
	atf_set descr "$1"
	atf_set require.user root
	atf_set require.progs "ip jq busybox tcpdump"
	atf_set timeout 180
}

# The two ISP namespaces, kept beside lib.sh's pair for the cleanup.
isp()
{
	ip netns exec "$(sed -n "${1}p" "$E2E_DIR/netns.isp")" sh -c "$2"
}

wan_netns_create()
{
	E2E_SRV="$E2E_PREFIX-srv-$$"
	E2E_CLI="$E2E_PREFIX-cli-$$"
	printf '%s\n%s\n' "$E2E_SRV" "$E2E_CLI" > "$E2E_DIR/netns"
	printf '%s\n%s\n' "$E2E_PREFIX-isp1-$$" "$E2E_PREFIX-isp2-$$" \
	    > "$E2E_DIR/netns.isp"
	for _ns in "$E2E_SRV" "$E2E_CLI" "$E2E_PREFIX-isp1-$$" \
	    "$E2E_PREFIX-isp2-$$"; do
		ip netns add "$_ns" || return 1
		ip -n "$_ns" link set lo up || return 1
	done
	ip -n "$E2E_SRV" addr add "$E2E_SRV_ADDR/32" dev lo || return 1
	for _i in 1 2; do
		_isp="$E2E_PREFIX-isp$_i-$$"
		ip -n "$E2E_CLI" link add "wan$_i" type veth peer name cli \
		    netns "$_isp" &&
		ip -n "$_isp" link add srv type veth peer name "isp$_i" \
		    netns "$E2E_SRV" &&
		ip -n "$E2E_CLI" addr add "198.18.$_i.2/24" dev "wan$_i" &&
		ip -n "$E2E_CLI" link set "wan$_i" up &&
		ip -n "$_isp" addr add "198.18.$_i.1/24" dev cli &&
		ip -n "$_isp" addr add "198.18.1$_i.1/24" dev srv &&
		ip -n "$_isp" link set cli up &&
		ip -n "$_isp" link set srv up &&
		ip -n "$_isp" route add default via "198.18.1$_i.2" &&
		ip netns exec "$_isp" sysctl -qw net.ipv4.ip_forward=1 &&
		ip -n "$E2E_SRV" addr add "198.18.1$_i.2/24" dev "isp$_i" &&
		ip -n "$E2E_SRV" link set "isp$_i" up &&
		ip -n "$E2E_SRV" route add "198.18.$_i.0/24" \
		    via "198.18.1$_i.1" &&
		ip -n "$E2E_CLI" route add default via "198.18.$_i.1" \
		    metric "${_i}00" &&
		ip -n "$E2E_CLI" route add default via "198.18.$_i.1" \
		    table "10$_i" || return 1
	done
}

begin()
{
	e2e_env
	for _b in "$E2E_PEER" "$E2E_PPTPCD" "$E2E_PPTPCTL"; do
		[ -x "$_b" ] || atf_skip "$_b is not built (make tests)"
	done
	[ -c /dev/net/tun ] || atf_skip "no /dev/net/tun"
	wan_netns_create || fail "cannot create the network namespaces"
	e2e_peer_start || fail "the test peer did not start"
}

# conf W1-LINES W2-LINES: tunnels w1 and w2, each line list split on ";".
conf()
{
	(
		umask 077
		for _t in 1 2; do
			echo "tunnel w$_t {"
			echo "	server $E2E_SRV_ADDR"
			echo "	username \"$E2E_USER\""
			echo "	password \"$E2E_PASSWORD\""
			echo "	offload userspace"
			echo "	keepalive 2 3"
			echo "	reconnect 1 4"
			if [ "$_t" = 1 ]; then _l=$1; else _l=$2; fi
			echo "$_l" | tr ';' '\n' | sed 's/^ */	/'
			echo "}"
		done
	) > "$E2E_DIR/pptpcd.conf"
	chmod 600 "$E2E_DIR/pptpcd.conf"
}

# field TUNNEL FIELD
field()
{
	E2E_TUNNEL=$1
	e2e_field "$2"
}

wait_up()
{
	for _t in "$@"; do
		E2E_TUNNEL=$_t
		e2e_wait_state up 30 || fail "$_t was not up within 30 s"
	done
}

# ping_both: both tunnels at once, each ping bound to its interface; the
# peer's end of each is 192.0.2.1.
ping_both()
{
	_if1=$(field w1 interface)
	_if2=$(field w2 interface)
	e2e_cli busybox ping -c 10 -i 0.2 -w 15 -I "$_if1" 192.0.2.1 \
	    > ping1.out 2>&1 &
	_p1=$!
	e2e_cli busybox ping -c 10 -i 0.2 -w 15 -I "$_if2" 192.0.2.1 \
	    > ping2.out 2>&1 &
	_p2=$!
	wait "$_p1" || { cat ping1.out >&2; fail "no ping through w1"; }
	wait "$_p2" || { cat ping2.out >&2; fail "no ping through w2"; }
}

# capture_start, capture_stop: tcpdump on both WANs from before the
# dial (the control connections' handshakes) until both tunnels have
# carried pings; wanN.txt then holds one line per packet.
capture_start()
{
	for _w in wan1 wan2; do
		e2e_bg cli tcpdump -l -n -i "$_w" -w "$_w.pcap" \
		    'ip proto 47 or tcp port 1723' > /dev/null 2>&1
		echo "$E2E_BG_PID" > "$_w.pid"
	done
	sleep 1
}

capture_stop()
{
	ping_both
	for _w in wan1 wan2; do
		kill -INT "$(cat "$_w.pid")" 2>/dev/null
		wait "$(cat "$_w.pid")" 2>/dev/null
		tcpdump -n -r "$_w.pcap" > "$_w.txt" 2>/dev/null
	done
}

expect_own_wans()
{
	for _i in 1 2; do
		_o=$((3 - _i))
		_gre=$(grep -c "198.18.$_i.2 > $E2E_SRV_ADDR: GREv1" \
		    "wan$_i.txt")
		[ "$_gre" -gt 0 ] || fail "no GRE of w$_i on wan$_i"
		_back=$(grep -c "$E2E_SRV_ADDR > 198.18.$_i.2: GREv1" \
		    "wan$_i.txt")
		[ "$_back" -gt 0 ] || fail "no GRE to w$_i on wan$_i"
		grep -q "198.18.$_i.2.[0-9]* > $E2E_SRV_ADDR.1723" \
		    "wan$_i.txt" || fail "no PPTP control of w$_i on wan$_i"
		! grep -q "198.18.$_o.2" "wan$_i.txt" ||
		    fail "packets of w$_o on wan$_i"
	done
}

# expect_pin ROUTE-LIST-ARGS: the pin w2 made, via wan2's gateway.
expect_pin()
{
	_r=$(e2e_cli ip route show "$@" | head -n 1)
	echo "$_r" | grep -q "via 198.18.2.1 dev wan2" ||
	    fail "the pin to the server is \"$_r\", not via wan2's gateway"
}

# After wan1's cable is pulled: w2 keeps its session and passes traffic.
pull_wan1()
{
	_up=$(field w2 uptime_s)
	_re=$(field w2 reconnects)
	_ip=$(field w2 local_ip)
	_if=$(field w2 interface)
	e2e_cli ip link set wan1 down || fail "cannot pull wan1's cable"
	# w1 misses 3 echoes 2 s apart and goes down; w2 must not care.
	_n=0
	while [ "$(field w1 state)" = up ] && [ "$_n" -lt 150 ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	[ "$(field w1 state)" != up ] || fail "w1 stayed up without its WAN"
	ping_w2_alone
	[ "$(field w2 state)" = up ] || fail "w2 is not up after wan1 died"
	[ "$(field w2 reconnects)" = "$_re" ] || fail "w2 reconnected"
	[ "$(field w2 local_ip)" = "$_ip" ] || fail "w2's address changed"
	[ "$(field w2 interface)" = "$_if" ] || fail "w2's interface changed"
	[ "$(field w2 uptime_s)" -gt "$_up" ] || fail "w2's uptime restarted"
}

ping_w2_alone()
{
	e2e_cli busybox ping -c 5 -i 0.2 -w 10 -I "$(field w2 interface)" \
	    192.0.2.1 > ping2.out 2>&1 ||
	    { cat ping2.out >&2; fail "no ping through w2 after wan1 died"; }
}

cleanup()
{
	e2e_env
	e2e_cleanup
	if [ -f "$E2E_DIR/netns.isp" ]; then
		while read -r _ns; do
			ip netns del "$_ns" 2>/dev/null
		done < "$E2E_DIR/netns.isp"
		rm -f "$E2E_DIR/netns.isp"
	fi
}

atf_test_case local_address cleanup
local_address_head()
{
	common_head "local-address: each tunnel's TCP and GRE on its own WAN, a pulled cable leaves the other up"
}
local_address_body()
{
	begin
	# The operator's source routing, as on any multi-WAN gateway.
	e2e_cli ip rule add from 198.18.1.2 lookup 101 pref 1001 &&
	e2e_cli ip rule add from 198.18.2.2 lookup 102 pref 1002 ||
	    fail "cannot add the rules"
	conf "local-address 198.18.1.2" \
	    "local-address 198.18.2.2;default-route yes"
	capture_start
	e2e_daemon_start || fail "cannot start pptpcd"
	wait_up w1 w2
	[ "$(field w1 server_addr)" = "$(field w2 server_addr)" ] ||
	    fail "not the same server"
	capture_stop
	expect_own_wans
	# The pin follows w2's source, not main's default via wan1.
	expect_pin "$E2E_SRV_ADDR/32" table main
	pull_wan1
}
local_address_cleanup()
{
	cleanup
}

atf_test_case fwmark_table cleanup
fwmark_table_head()
{
	common_head "fwmark and table: marked tunnels steered by ip rules, routes in their own tables"
}
fwmark_table_body()
{
	begin
	e2e_cli ip rule add fwmark 101 lookup 101 pref 1001 &&
	e2e_cli ip rule add fwmark 102 lookup 102 pref 1002 ||
	    fail "cannot add the rules"
	conf "fwmark 101;table 101;route 203.0.113.0/24" \
	    "fwmark 102;table 102;route 203.0.113.0/24;default-route yes"
	capture_start
	e2e_daemon_start || fail "cannot start pptpcd"
	wait_up w1 w2
	capture_stop
	expect_own_wans
	# Each tunnel's routes in its own table; main untouched.
	e2e_cli ip route show table 101 | grep -q "^203.0.113.0/24 dev $(
	    field w1 interface)" || fail "w1's route is not in table 101"
	e2e_cli ip route show table 102 | grep -q "^203.0.113.0/24 dev $(
	    field w2 interface)" || fail "w2's route is not in table 102"
	e2e_cli ip route show table 102 | grep -q "^0.0.0.0/1 dev $(
	    field w2 interface)" || fail "w2's default is not in table 102"
	! e2e_cli ip route show table main | grep -q -e 203.0.113 \
	    -e "^0.0.0.0/1" || fail "a tunnel route went into main"
	# The pin: where w2's marked packets go, not main's lowest metric.
	expect_pin "$E2E_SRV_ADDR/32" table 102
	pull_wan1
	# w1 comes back once its cable is back.
	e2e_cli ip link set wan1 up &&
	e2e_cli ip route add default via 198.18.1.1 table 101 ||
	    fail "cannot plug wan1 back"
	wait_up w1
	ping_both
}
fwmark_table_cleanup()
{
	cleanup
}

atf_test_case same_server_same_wan cleanup
same_server_same_wan_head()
{
	common_head "two tunnels, same server and user, same WAN: two control connections, both carry traffic at once"
}
same_server_same_wan_body()
{
	begin
	conf "" ""
	e2e_daemon_start || fail "cannot start pptpcd"
	wait_up w1 w2
	[ "$(field w1 interface)" != "$(field w2 interface)" ] ||
	    fail "one interface for two tunnels"
	_c=$(e2e_cli ss -tn state established "( dport = :1723 )" |
	    grep -c "$E2E_SRV_ADDR:1723")
	[ "$_c" = 2 ] || fail "$_c control connections, expected 2"
	_r1=$(field w1 rx_packets)
	_r2=$(field w2 rx_packets)
	ping_both
	[ "$(field w1 rx_packets)" -ge $((_r1 + 10)) ] ||
	    fail "w1 did not carry its pings"
	[ "$(field w2 rx_packets)" -ge $((_r2 + 10)) ] ||
	    fail "w2 did not carry its pings"
}
same_server_same_wan_cleanup()
{
	cleanup
}

atf_init_test_cases()
{
	atf_add_test_case local_address
	atf_add_test_case fwmark_table
	atf_add_test_case same_server_same_wan
}
