#! /usr/bin/env atf-sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# End to end: the real pptpcd, in a network namespace of its own, dials
# the test peer (tests/peer/pptp-peer) in another; lib.sh draws the
# picture.  Every case builds its own pair of namespaces, uses only
# 198.51.100.0/24, 192.0.2.0/24, 203.0.113.0/24 and 198.18.0.0/15, and
# its cleanup kills what it started and deletes the namespaces even when
# the body failed half-way.  On failure the logs go to stderr (kyua report
# --verbose shows them).

e2e_env()
{
	E2E_TOP=$(cd "$(atf_get_srcdir)/../.." && pwd)
	E2E_DIR=$(pwd)
	E2E_PREFIX=pptpc-e2e
	. "$(atf_get_srcdir)/lib.sh"
}

fail()
{
	e2e_logs >&2
	atf_fail "$*"
}

# Every case: root, bounded.  They run alone (is_exclusive in the
# Kyuafile: this Kyua has no is.exclusive property for atf programs), as
# they measure time and load two shared cores.
common_head()
{
	atf_set descr "$1"
	atf_set require.user root
	atf_set require.progs "ip jq busybox sha256sum"
	atf_set timeout "${2:-120}"
}

# begin [PEER-ARG...]: namespaces, then the peer with these arguments.
begin()
{
	e2e_env
	for _b in "$E2E_PEER" "$E2E_PPTPCD" "$E2E_PPTPCTL"; do
		[ -x "$_b" ] || atf_skip "$_b is not built (make tests)"
	done
	[ -c /dev/net/tun ] || atf_skip "no /dev/net/tun"
	e2e_netns_create || fail "cannot create the network namespaces"
	e2e_peer_start "$@" || fail "the test peer did not start"
}

# dial [CONF-LINE...]: pptpcd on the common config plus these lines.
dial()
{
	e2e_conf "auth mschapv2" "mppe required 128" "keepalive 2 3" \
	    "reconnect 1 8" "$@"
	e2e_daemon_start || fail "cannot start pptpcd"
}

up()
{
	dial "$@"
	e2e_wait_state up 30 || fail "the tunnel was not up within 30 s"
}

expect_field()
{
	_v=$(e2e_field "$1")
	[ "$_v" = "$2" ] || fail "pptpctl: $1 is \"$_v\", expected \"$2\""
}

# expect_more FIELD N: a counter above N.
expect_more()
{
	_v=$(e2e_field "$1")
	[ -n "$_v" ] && [ "$_v" -gt "$2" ] ||
	    fail "pptpctl: $1 is \"$_v\", expected more than $2"
}

ping_through()
{
	e2e_ping "$1" "${2:-3}" > ping.out 2>&1 ||
	    { cat ping.out >&2; fail "no ping reply from $1 through the tunnel"; }
}

# wait_not_state STATE SECS: until the session has left STATE.
wait_not_state()
{
	_n=$(( $2 * 5 ))
	while [ "$_n" -gt 0 ]; do
		_s=$(e2e_field state)
		[ -n "$_s" ] && [ "$_s" != "$1" ] && return 0
		sleep 0.2
		_n=$((_n - 1))
	done
	return 1
}

# wait_error ERE SECS: until last_error matches ERE (case-insensitive).
wait_error()
{
	_n=$(( $2 * 5 ))
	while [ "$_n" -gt 0 ]; do
		e2e_field last_error | grep -Eiq -- "$1" && return 0
		sleep 0.2
		_n=$((_n - 1))
	done
	return 1
}

# error_while_down SECS: for SECS, every snapshot in state closing or
# backoff has a last_error, and there was at least one.  State and
# error come from one snapshot: read apart, a redial could pair a
# fresh state with an old error.
error_while_down()
{
	_n=$(( $1 * 10 ))
	_seen=0
	while [ "$_n" -gt 0 ]; do
		_j=$(e2e_json)
		_s=$(printf '%s' "$_j" | jq -r '.state // empty')
		_e=$(printf '%s' "$_j" | jq -r '.last_error // empty')
		case $_s in
		closing|backoff)
			[ -n "$_e" ] ||
			    fail "state $_s with no last_error: $_j"
			_seen=$((_seen + 1))
			;;
		esac
		sleep 0.1
		_n=$((_n - 1))
	done
	[ "$_seen" -gt 0 ] || fail "never saw state closing or backoff"
}

# The peer serves FILE on PORT; the client fetches it into OUT.
fetch()
{
	# Not e2e_bg: a background job's stdin would be /dev/null.
	ip netns exec "$E2E_SRV" busybox nc -l -p "$2" < "$1" &
	e2e_remember $! "$E2E_DIR/pids"
	sleep 0.5
	rm -f hold.fifo
	mkfifo hold.fifo
	# stdin is a FIFO held open for writing: busybox nc stops at EOF on
	# either side, and this one must stop only when the server is done.
	e2e_cli timeout 90 busybox nc "$E2E_LOCAL" "$2" 0<>hold.fifo \
	    > "$3" || fail "the transfer from the peer failed"
}

# The client sends FILE to the peer on PORT, which writes it into OUT.
send()
{
	rm -f hold2.fifo
	mkfifo hold2.fifo
	ip netns exec "$E2E_SRV" busybox nc -l -p "$2" 0<>hold2.fifo > "$3" &
	_srv=$!
	e2e_remember "$_srv" "$E2E_DIR/pids"
	sleep 0.5
	e2e_cli timeout 90 busybox nc "$E2E_LOCAL" "$2" < "$1" ||
	    fail "the transfer to the peer failed"
	e2e_wait_pid "$_srv" 30 || fail "the peer's receiver did not finish"
}

same_file()
{
	_a=$(sha256sum < "$1")
	_b=$(sha256sum < "$2")
	[ "$_a" = "$_b" ] || fail "$3: $(wc -c < "$2") bytes arrived, not " \
	    "the $(wc -c < "$1") sent, or different ones"
}

# connections: how many control connections the peer has taken.
connections()
{
	grep -c "control connection from" "$E2E_DIR/peer.log"
}

# never_past_auth SECS: for SECS seconds the session gets no further than
# authentication and no interface appears in the client's namespace.
never_past_auth()
{
	# By the clock, not by turns: on a loaded machine a turn takes far
	# longer than its 0.2 s, and the window the caller counts attempts
	# in would stretch with it.
	_end=$(( $(date +%s) + $1 ))
	while [ "$(date +%s)" -lt "$_end" ]; do
		_s=$(e2e_field state)
		case $_s in
		network|up)
			fail "the session reached \"$_s\"" ;;
		esac
		e2e_cli ip -o link show | grep -Eq '^[0-9]+: tun' &&
		    fail "an interface appeared: $(e2e_cli ip -o link show)"
		sleep 0.2
	done
	return 0
}

# refused_after_auth: what every refusal at authentication ends in: no
# network phase ever, backoff, a pptpcd still running and retrying.
refused_after_auth()
{
	e2e_wait_state backoff 10 || fail "the tunnel is not in backoff"
	grep -Eq "phase (network|running)" "$E2E_DIR/pptpcd.log" &&
	    fail "PPP went past authentication"
	grep -Eq "(IPCP|CCP): [A-Za-z-]+ -> " "$E2E_DIR/pptpcd.log" &&
	    fail "IPCP or CCP was negotiated"
	e2e_daemon_alive || fail "pptpcd exited"
	return 0
}

# impostor PEER-ARG ERE: the peer accepts us, but its Success does not
# prove it knows the password.  pptpcd must refuse it, say so, never
# bring anything up, and back off as after any authentication failure.
impostor()
{
	begin "$1"
	dial
	wait_error "$2" 20 || fail "last_error does not match \"$2\""
	e2e_wait_log "$E2E_DIR/pptpcd.log" "$2" 5 ||
	    fail "the log does not say why"
	# The refusal is the client's own: the peer did say Success.
	grep -q "authentication of \"$E2E_USER\" succeeded" \
	    "$E2E_DIR/peer.log" || fail "the peer never accepted the client"
	_n0=$(connections)
	# Authentication failures wait longer (reconnect 1 8: 6 to 8 s).
	never_past_auth 10
	_tries=$(( $(connections) - _n0 ))
	[ "$_tries" -ge 1 ] || fail "no new attempt in 10 s"
	[ "$_tries" -le 2 ] || fail "$_tries attempts in 10 s: no backoff"
	refused_after_auth
	e2e_field last_error | grep -Eiq -- "$2" ||
	    fail "last_error changed to \"$(e2e_field last_error)\""
}

routes_now()
{
	e2e_cli ip -4 route show table main | sed 's/ *$//' | sort
}

atf_test_case connect_ping cleanup
connect_ping_head()
{
	common_head "Connect, ping, and pptpctl reports the session as it is"
}
connect_ping_body()
{
	begin
	up
	ping_through "$E2E_LOCAL" 5
	expect_field state up
	expect_field engine userspace
	expect_field mppe "128 stateless"
	expect_field auth mschapv2
	expect_field local_ip "$E2E_REMOTE"
	expect_field peer_ip "$E2E_LOCAL"
	expect_field dns "192.0.2.53,192.0.2.54"
	expect_field last_error ""
	expect_more mtu 575
	# The userspace engine clamps TCP MSS to the MTU's (tcp-mss-adjust).
	expect_field tcp_mss "$(($(e2e_field mtu) - 40))"
	expect_more tx_packets 4
	expect_more rx_packets 4
	expect_more tx_bytes 400
	expect_more rx_bytes 400
	_if=$(e2e_field interface)
	[ -n "$_if" ] || fail "pptpctl: no interface"
	e2e_cli ip -4 addr show dev "$_if" | grep -q \
	    "inet $E2E_REMOTE peer $E2E_LOCAL/32" ||
	    fail "$_if does not have $E2E_REMOTE peer $E2E_LOCAL"
	grep -q "up on tun.*mschapv2, mppe 128 stateless" "$E2E_DIR/peer.log" ||
	    fail "the peer does not report the same session"
}
connect_ping_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case ipv6_through cleanup
ipv6_through_head()
{
	common_head "ipv6 yes: IPv6CP, link-local addresses, address6 and an IPv6 route on the interface, ping6 and 2 MB each way over IPv6 on the userspace engine" 120
}
ipv6_through_body()
{
	begin --ipv6
	up "ipv6 yes" "route 2001:db8:5::/48" "address6 2001:db8:ff::2/64" \
	    "default-route yes"
	_if=$(e2e_field interface)
	_l6=$(e2e_field local_ip6)
	_p6=$(e2e_field peer_ip6)
	case $_l6 in fe80::*) ;; *) fail "pptpctl: local_ip6 \"$_l6\"" ;; esac
	case $_p6 in fe80::*) ;; *) fail "pptpctl: peer_ip6 \"$_p6\"" ;; esac
	[ "$_l6" != "$_p6" ] || fail "both ends have $_l6"
	e2e_cli ip -6 addr show dev "$_if" > addr6.out
	grep -q "inet6 $_l6 peer $_p6/128" addr6.out ||
	    { cat addr6.out >&2; fail "$_if: no $_l6 peer $_p6"; }
	grep -q "inet6 2001:db8:ff::2/64" addr6.out ||
	    { cat addr6.out >&2; fail "$_if: no address6"; }
	e2e_cli ip -6 route show dev "$_if" | grep -q "^2001:db8:5::/48" ||
	    fail "no IPv6 route via $_if"
	grep -q "IPv6 on tun.*$_p6 -> $_l6" "$E2E_DIR/peer.log" ||
	    fail "the peer does not report the same IPv6 addresses"
	e2e_cli busybox ping -6 -c 3 -w 10 "$_p6%$_if" > ping6.out 2>&1 ||
	    { cat ping6.out >&2; fail "no ping6 reply from $_p6"; }
	# The peer's side of address6's prefix, for a transfer by address.
	_sif=$(sed -n 's/.*IPv6 on \(tun[0-9]*\):.*/\1/p' \
	    "$E2E_DIR/peer.log" | tail -1)
	e2e_srv ip -6 addr add 2001:db8:ff::1/64 dev "$_sif" nodad ||
	    fail "cannot address the peer's $_sif"
	head -c 2000000 /dev/urandom > data
	ip netns exec "$E2E_SRV" busybox nc -l -p 5011 < data &
	e2e_remember $! "$E2E_DIR/pids"
	sleep 0.5
	rm -f hold.fifo
	mkfifo hold.fifo
	e2e_cli timeout 90 busybox nc 2001:db8:ff::1 5011 0<>hold.fifo \
	    > got || fail "the IPv6 transfer from the peer failed"
	same_file data got "over IPv6 from the peer"
	expect_field state up
	expect_field rx_errors 0
	expect_more rx_bytes 2000000
	e2e_cli ip -6 route show dev "$_if" > routes6.out
	grep -q "^::/1" routes6.out && grep -q "^8000::/1" routes6.out ||
	    { cat routes6.out >&2; fail "no IPv6 default route pair"; }
	# Down: everything IPv6 that pptpcd added is gone with the session.
	e2e_ctl disconnect "$E2E_TUNNEL" > /dev/null ||
	    fail "disconnect refused"
	e2e_wait_state idle 20 || fail "not idle after disconnect"
	e2e_cli ip -6 route show | grep -Eq "^(::/1|8000::/1|2001:db8:5::/48)" &&
	    fail "IPv6 routes left after the session"
	expect_field local_ip6 ""
	return 0
}
ipv6_through_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case ipv6_refused cleanup
ipv6_refused_head()
{
	common_head "ipv6 yes against a server without IPv6: it Protocol-Rejects IPv6CP, the tunnel stays up on IPv4 and says so once"
}
ipv6_refused_body()
{
	begin
	up "ipv6 yes" "default-route yes"
	ping_through "$E2E_LOCAL" 3
	expect_field local_ip6 ""
	expect_field peer_ip6 ""
	[ "$(grep -c 'IPv6CP: the server does not do IPv6' \
	    "$E2E_DIR/pptpcd.log")" -eq 1 ] ||
	    fail "the refusal is not logged exactly once"
	e2e_cli ip -6 route show | grep -q "^::/1" &&
	    fail "an IPv6 default route without IPv6"
	return 0
}
ipv6_refused_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case monitor_events cleanup
monitor_events_head()
{
	common_head "pptpctl monitor follows state changes, the engine, reloads" 120
}
monitor_events_body()
{
	begin
	up
	# Outside the namespaces: the control socket is a file.
	"$E2E_PPTPCTL" -s "$E2E_DIR/ctl.sock" -j monitor > events 2> mon.err &
	_mon=$!
	e2e_remember "$_mon" "$E2E_DIR/pids"
	"$E2E_PPTPCTL" -s "$E2E_DIR/ctl.sock" monitor > events.txt 2>&1 &
	e2e_remember "$!" "$E2E_DIR/pids"
	sleep 1
	e2e_ctl disconnect "$E2E_TUNNEL" > /dev/null ||
	    fail "disconnect refused"
	e2e_wait_state idle 20 || fail "not idle after disconnect"
	e2e_ctl connect "$E2E_TUNNEL" > /dev/null || fail "connect refused"
	e2e_wait_state up 30 || fail "not up again"
	e2e_ctl reload > /dev/null || fail "reload refused"
	sleep 1
	kill "$_mon"
	# Every line is one JSON object (jq reads JSON lines as they come).
	jq -e -s 'length > 0 and all(.[]; type == "object")' events \
	    > /dev/null || { cat events >&2; fail "events are not JSON lines"; }
	_states=$(jq -r 'select(.event == "state" and .tunnel == "e2e") |
	    .detail' events | tr '\n' ' ')
	case $_states in
	*"closing idle connecting "*"up "*) ;;
	*) fail "state events: $_states" ;;
	esac
	jq -e -s 'any(.[]; .event == "engine" and .detail == "userspace")' \
	    events > /dev/null || fail "no engine event"
	jq -e -s 'any(.[]; .event == "reload" and .tunnel == null and
	    (.detail | startswith("reloaded:")))' events > /dev/null ||
	    fail "no reload event"
	jq -e -s 'all(.[]; .time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$"))' \
	    events > /dev/null || fail "bad time stamps"
	grep -Eq "^[0-9T:.-]+Z e2e state up$" events.txt ||
	    { cat events.txt >&2; fail "no text line for the state up"; }
}
monitor_events_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case tcp_transfer cleanup
tcp_transfer_head()
{
	common_head "20 MB each way through the tunnel arrive intact" 180
}
tcp_transfer_body()
{
	begin
	up
	head -c 20000000 /dev/urandom > data
	fetch data 5001 got
	same_file data got "from the peer"
	send data 5002 sent
	same_file data sent "to the peer"
	expect_field state up
	expect_more rx_bytes 20000000
	expect_more tx_bytes 20000000
	expect_field rx_errors 0
}
tcp_transfer_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case wrong_password cleanup
wrong_password_head()
{
	common_head "A wrong password: error 691, said clearly, then backoff"
}
wrong_password_body()
{
	begin -P not-the-password
	dial
	wait_error "691|authenticat" 20 ||
	    fail "last_error does not say authentication failed (691)"
	e2e_wait_log "$E2E_DIR/pptpcd.log" "E=691|error 691" 5 ||
	    fail "the log does not name E=691"
	wait_not_state connecting 10 || fail "the tunnel stays connecting"
	# No tight retry loop: reconnect 1 8 allows about 4 attempts in 8 s.
	_n0=$(grep -c "control connection from" "$E2E_DIR/peer.log")
	sleep 8
	_n1=$(grep -c "control connection from" "$E2E_DIR/peer.log")
	_tries=$((_n1 - _n0))
	[ "$_tries" -ge 1 ] || fail "no new attempt in 8 s"
	[ "$_tries" -le 5 ] || fail "$_tries attempts in 8 s: no backoff"
	e2e_ctl -j show sessions | grep -q "$E2E_PASSWORD" &&
	    fail "pptpctl shows the password"
	grep -qF "$E2E_PASSWORD" "$E2E_DIR/pptpcd.log" &&
	    fail "the log holds the password"
	return 0
}
wrong_password_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case wrong_authenticator cleanup
wrong_authenticator_head()
{
	common_head "A server whose MS-CHAPv2 S= is wrong is refused"
}
wrong_authenticator_body()
{
	impostor --auth-wrong-s "authenticator response is wrong"
}
wrong_authenticator_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case missing_authenticator cleanup
missing_authenticator_head()
{
	common_head "A server whose MS-CHAPv2 Success has no S= is refused"
}
missing_authenticator_body()
{
	impostor --auth-no-s "has no authenticator response"
}
missing_authenticator_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case password_expired cleanup
password_expired_head()
{
	common_head "E=648: last_error says the password expired, then backoff"
}
password_expired_body()
{
	begin --auth-e648
	dial
	wait_error "password expired" 20 ||
	    fail "last_error does not say the password expired"
	e2e_field last_error | grep -q "648" || fail "last_error lacks 648"
	e2e_wait_log "$E2E_DIR/pptpcd.log" "E=648 \(password expired\)" 5 ||
	    fail "the log does not name E=648"
	never_past_auth 2
	refused_after_auth
}
password_expired_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case retry_allowed cleanup
retry_allowed_head()
{
	common_head "E=691 R=1 once: the client answers the new challenge, up"
}
retry_allowed_body()
{
	begin --auth-retry
	up
	ping_through "$E2E_LOCAL"
	grep -q "retrying" "$E2E_DIR/pptpcd.log" ||
	    fail "the client did not say it retried"
	grep -q "failed, retry allowed" "$E2E_DIR/peer.log" ||
	    fail "the peer did not refuse the first Response"
	# The retry is inside the call, not a redial.
	[ "$(connections)" -eq 1 ] || fail "$(connections) connections, not 1"
	expect_field auth mschapv2
	expect_field mppe "128 stateless"
	expect_field last_error ""
}
retry_allowed_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case mppe_refused cleanup
mppe_refused_head()
{
	common_head "The peer refuses MPPE while the client requires it"
}
mppe_refused_body()
{
	begin -m off
	dial
	wait_error "MPPE" 20 || fail "last_error does not say MPPE was refused"
	grep -q "MPPE" "$E2E_DIR/pptpcd.log" || fail "the log says nothing"
	[ "$(e2e_field state)" != up ] || fail "up without MPPE"
	e2e_cli ip -o link | grep -q tun && fail "an interface was left behind"
	return 0
}
mppe_refused_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case hostile_addresses cleanup
hostile_addresses_head()
{
	common_head "A server naming its own outer address as its tunnel address is refused"
}
hostile_addresses_body()
{
	e2e_env		# for the addresses, before begin
	begin --local "$E2E_SRV_ADDR"
	dial
	wait_error "server named $E2E_SRV_ADDR as its own address \\(the server's own address\\); refused" 30 ||
	    fail "last_error does not give the refusal: $(e2e_field last_error)"
	grep -q "refused" "$E2E_DIR/pptpcd.log" || fail "the log says nothing"
	[ "$(e2e_field state)" != up ] || fail "up with the server's address inside"
	e2e_cli ip route show | grep -q "^$E2E_SRV_ADDR .*tun" &&
	    fail "a route to the server through the tunnel"
	return 0
}
hostile_addresses_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case hostile_local_address cleanup
hostile_local_address_head()
{
	common_head "A server assigning the client an address it already has is refused"
}
hostile_local_address_body()
{
	e2e_env		# for the addresses, before begin
	begin --remote "$E2E_CLI_ADDR"
	dial
	wait_error "server assigned $E2E_CLI_ADDR as our address \\(already on a local interface\\); refused" 30 ||
	    fail "last_error does not give the refusal: $(e2e_field last_error)"
	[ "$(e2e_field state)" != up ] || fail "up with our own outer address"
	e2e_cli ip -o link | grep -q tun && fail "an interface was left behind"
	return 0
}
hostile_local_address_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case mppe_40 cleanup
mppe_40_head()
{
	common_head "A peer that offers only 40-bit MPPE against 'mppe required 40 128'"
}
mppe_40_body()
{
	begin -m 40
	# The default of "128 only" must refuse it...
	dial
	wait_error "MPPE|CCP|40" 20 || fail "128 only: 40-bit was not refused"
	[ "$(e2e_field state)" != up ] || fail "up with 40-bit MPPE"
	e2e_daemon_kill || fail "pptpcd did not stop"
	# ... and a config that allows it gets 40-bit.
	e2e_conf "auth mschapv2" "mppe required 40 128" "reconnect 1 8"
	e2e_daemon_start || fail "cannot start pptpcd"
	e2e_wait_state up 30 || fail "40-bit allowed: not up"
	expect_field mppe "40 stateless"
	ping_through "$E2E_LOCAL"
}
mppe_40_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case server_gone cleanup
server_gone_head()
{
	common_head "The server dies; the tunnel backs off and comes back alone"
}
server_gone_body()
{
	begin
	up
	e2e_peer_kill KILL
	wait_not_state up 20 || fail "still up 20 s after the server died"
	# The reason is recorded as soon as the tunnel gives up; wait for it.
	wait_error . 10 || fail "no last_error"
	e2e_peer_start || fail "the test peer did not restart"
	e2e_wait_state up 40 || fail "not back up 40 s after the server was"
	ping_through "$E2E_LOCAL"
}
server_gone_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case lcp_echo_unanswered cleanup
lcp_echo_unanswered_head()
{
	common_head "A peer that stops answering LCP echoes is declared dead"
}
lcp_echo_unanswered_body()
{
	begin --no-lcp-echo
	up
	# keepalive 2 3: dead after about 8 s.
	wait_not_state up 20 || fail "still up with echoes unanswered"
	# The reason is recorded the moment the tunnel gives up, so that
	# closing already says why, and backoff keeps it.
	error_while_down 3
	wait_error . 10 || fail "no last_error"
	grep -q "LCP Echo-Request ignored" "$E2E_DIR/peer.log" ||
	    fail "the client sent no LCP echo"
}
lcp_echo_unanswered_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case lcp_echo_unanswered_busy cleanup
lcp_echo_unanswered_busy_head()
{
	common_head "Echoes unanswered but data flowing: the data keeps the link up"
}
lcp_echo_unanswered_busy_body()
{
	begin --no-lcp-echo
	up
	# keepalive 2 3 gives up after about 8 s without a sign of life;
	# 10 s of pings answered through the tunnel are one.
	e2e_ping "$E2E_LOCAL" 50 > /dev/null || fail "pings not answered"
	[ "$(e2e_field state)" = up ] || fail "down while data was flowing"
	_up=$(e2e_field uptime_s)
	[ "$_up" -ge 9 ] || fail "uptime $_up s: the session was redialled"
	# Then a real outage of the echoes alone is found again.
	wait_not_state up 20 || fail "still up with echoes unanswered and no data"
}
lcp_echo_unanswered_busy_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case peer_clears_call cleanup
peer_clears_call_head()
{
	common_head "The peer clears the call (CDN); the client redials"
}
peer_clears_call_body()
{
	begin --clear-call 6
	up
	wait_not_state up 15 || fail "still up after the CDN"
	e2e_wait_log "$E2E_DIR/peer.log" "conn[2-9]: call up" 30 ||
	    fail "the client did not redial"
	e2e_wait_state up 20 || fail "not up again"
}
peer_clears_call_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case malformed_control cleanup
malformed_control_head()
{
	common_head "A control message with a lying length ends the session cleanly"
}
malformed_control_body()
{
	begin --malformed huge-length@6
	up
	wait_not_state up 15 || fail "still up after a malformed message"
	# The reason is recorded as soon as the tunnel gives up; wait for it.
	wait_error . 10 || fail "no last_error"
	e2e_daemon_alive || fail "pptpcd died"
	e2e_wait_log "$E2E_DIR/peer.log" "conn[2-9]: call up" 30 ||
	    fail "the client did not redial"
}
malformed_control_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case disconnect_connect cleanup
disconnect_connect_head()
{
	common_head "pptpctl disconnect, then connect"
}
disconnect_connect_body()
{
	begin
	up
	_if=$(e2e_field interface)
	e2e_ctl disconnect "$E2E_TUNNEL" > out 2>&1 ||
	    { cat out >&2; fail "pptpctl disconnect failed"; }
	e2e_wait_state idle 15 || fail "not idle after disconnect"
	e2e_cli ip link show dev "$_if" > /dev/null 2>&1 &&
	    fail "$_if is still there"
	# Idle means idle: no redial.
	sleep 3
	expect_field state idle
	e2e_ctl connect "$E2E_TUNNEL" > out 2>&1 ||
	    { cat out >&2; fail "pptpctl connect failed"; }
	e2e_wait_state up 30 || fail "not up after connect"
	ping_through "$E2E_LOCAL"
}
disconnect_connect_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case routes cleanup
routes_head()
{
	common_head "route lines are installed through the tunnel and removed"
}
routes_body()
{
	begin
	routes_now > before
	up "route 203.0.113.0/24" "route 198.18.0.0/15"
	_if=$(e2e_field interface)
	routes_now > during
	grep -Eq "^203\.0\.113\.0/24 dev $_if( |\$)" during ||
	    fail "no route 203.0.113.0/24 via $_if"
	grep -Eq "^198\.18\.0\.0/15 dev $_if( |\$)" during ||
	    fail "no route 198.18.0.0/15 via $_if"
	ping_through 203.0.113.1
	e2e_ctl disconnect "$E2E_TUNNEL" > /dev/null
	e2e_wait_state idle 15 || fail "not idle after disconnect"
	routes_now > after
	cmp -s before after ||
	    { diff before after >&2; fail "the routes are not as before"; }
}
routes_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case default_route cleanup
default_route_head()
{
	common_head "default-route yes adds and removes exactly its routes"
}
default_route_body()
{
	begin
	# A default of the client's own, as on a real gateway.
	e2e_cli ip route add default via 198.51.100.254 dev vcli ||
	    fail "cannot add the namespace's default route"
	routes_now > before
	up "default-route yes"
	_if=$(e2e_field interface)
	routes_now > during
	# What was there stays; what is new is exactly this.
	grep -vxF -f during before > lost
	[ -s lost ] && { cat lost >&2; fail "routes went missing"; }
	grep -vxF -f before during > added
	grep -Eq "^0\.0\.0\.0/1 dev $_if( |\$)" added ||
	    fail "no 0.0.0.0/1 via $_if"
	grep -Eq "^128\.0\.0\.0/1 dev $_if( |\$)" added ||
	    fail "no 128.0.0.0/1 via $_if"
	grep -Eq "^198\.51\.100\.1 (via [0-9.]+ )?dev vcli( |\$)" added ||
	    fail "no host route to the server outside the tunnel"
	grep -Ev -e "^0\.0\.0\.0/1 dev $_if( |\$)" \
	    -e "^128\.0\.0\.0/1 dev $_if( |\$)" \
	    -e "^198\.51\.100\.1 (via [0-9.]+ )?dev vcli( |\$)" \
	    -e "^$E2E_LOCAL dev $_if proto kernel " added > extra
	[ -s extra ] && { cat extra >&2; fail "unexpected routes added"; }
	# Anything now goes through the tunnel, 203.0.113.1 included.
	ping_through 203.0.113.1
	e2e_daemon_kill TERM || fail "pptpcd did not stop"
	routes_now > after
	cmp -s before after ||
	    { diff before after >&2; fail "the routes are not as before"; }
}
default_route_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case sigterm_cleanup cleanup
sigterm_cleanup_head()
{
	common_head "SIGTERM hangs up and removes the interface and routes"
}
sigterm_cleanup_body()
{
	begin
	routes_now > before
	up "route 203.0.113.0/24"
	_if=$(e2e_field interface)
	e2e_cli ip link show dev "$_if" > /dev/null 2>&1 ||
	    fail "no interface $_if"
	e2e_daemon_kill TERM || fail "pptpcd did not exit on SIGTERM"
	e2e_cli ip link show dev "$_if" > /dev/null 2>&1 &&
	    fail "$_if is still there"
	routes_now > after
	cmp -s before after ||
	    { diff before after >&2; fail "the routes are not as before"; }
	# A polite hang-up: the peer heard the call end, not just TCP go.
	e2e_wait_log "$E2E_DIR/peer.log" "conn1: (call down|control connection closed)" 5 ||
	    fail "the peer did not see the call end"
}
sigterm_cleanup_cleanup()
{
	e2e_env
	e2e_cleanup
}

# The kill switch's cases.  The client's WAN has a default route through
# the server's namespace, which answers 198.18.7.7 on its loopback: a
# packet that reaches it went out in clear, beside the tunnel.
KS_BEYOND=198.18.7.7

ks_begin()
{
	begin
	e2e_srv ip addr add "$KS_BEYOND/32" dev lo ||
	    fail "cannot add $KS_BEYOND in the server's namespace"
	e2e_cli ip route add default via "$E2E_SRV_ADDR" dev vcli ||
	    fail "cannot add the namespace's default route"
}

# ks_echoes: ICMP echo requests the server's namespace has received.
ks_echoes()
{
	e2e_srv awk '$1 == "Icmp:" && $2 !~ /^[0-9]/ {
		for (i = 2; i <= NF; i++) if ($i == "InEchos") c = i }
	    $1 == "Icmp:" && $2 ~ /^[0-9]/ && c { print $c }' /proc/net/snmp
}

# ks_via ADDR: the device the client's kernel would send ADDR through,
# or "unreachable".
ks_via()
{
	if e2e_cli ip -4 route get "$1" > route.out 2>&1; then
		sed -n 's/.* dev \([^ ]*\).*/\1/p' route.out | head -n 1
	elif grep -Eq "unreachable|No route to host" route.out; then
		echo unreachable
	else
		cat route.out >&2
		echo "?"
	fi
}

# ks_wait_gone ADDR IFACE: until the teardown took ADDR's route through
# IFACE away ("closing" comes before the routes go).
ks_wait_gone()
{
	_n=100
	while [ "$(ks_via "$1")" = "$2" ]; do
		[ "$_n" -gt 0 ] || fail "$1 still goes to $2 20 s after the end"
		sleep 0.2
		_n=$((_n - 1))
	done
}

ks_expect_via()
{
	_v=$(ks_via "$1")
	[ "$_v" = "$2" ] || fail "$3: $1 goes to \"$_v\", expected \"$2\""
}

# ks_reload CONF-LINE...: the common config plus these, then pptpctl reload.
ks_reload()
{
	e2e_conf "auth mschapv2" "mppe required 128" "keepalive 2 3" \
	    "reconnect 1 8" "$@"
	e2e_ctl reload > reload.out 2>&1 ||
	    { cat reload.out >&2; fail "pptpctl reload failed"; }
}

atf_test_case kill_switch cleanup
kill_switch_head()
{
	common_head "kill-switch yes: nothing goes out in clear while the\
 tunnel is down; removed on SIGTERM and when the tunnel is removed" 240
}
kill_switch_body()
{
	ks_begin
	routes_now > before
	up "default-route yes" "kill-switch yes" "route 203.0.113.0/24"
	_if=$(e2e_field interface)
	ks_expect_via "$KS_BEYOND" "$_if" "up"
	ks_expect_via 203.0.113.1 "$_if" "up"
	ping_through "$KS_BEYOND"

	# The server dies: backoff, and redials that are refused.
	e2e_peer_kill KILL
	wait_not_state up 20 || fail "still up 20 s after the server died"
	ks_wait_gone "$KS_BEYOND" "$_if"
	ks_expect_via "$KS_BEYOND" unreachable "tunnel down"
	ks_expect_via 203.0.113.1 unreachable "tunnel down"
	expect_field kill_switch armed
	# The dial still gets out, on its pinned host route.
	ks_expect_via "$E2E_SRV_ADDR" vcli "tunnel down"
	routes_now > down
	for _r in "unreachable 0.0.0.0/1 " "unreachable 128.0.0.0/1 " \
	    "unreachable 203.0.113.0/24 " "$E2E_SRV_ADDR dev vcli "; do
		grep -q "^$_r" down ||
		    { cat down >&2; fail "no \"$_r\" while down"; }
	done
	# A ping does not reach the WAN: refused at once, nothing received.
	_e0=$(ks_echoes)
	e2e_ping "$KS_BEYOND" 3 > ping.out 2>&1 &&
	    { cat ping.out >&2; fail "$KS_BEYOND answered while down"; }
	_e1=$(ks_echoes)
	[ -n "$_e0" ] && [ "$_e0" = "$_e1" ] ||
	    fail "the WAN saw echo requests ($_e0 -> $_e1) while down"
	e2e_field state | grep -Eq "^(closing|backoff|connecting)$" ||
	    fail "state \"$(e2e_field state)\" while the server is gone"

	# The server is back: real routes again.
	e2e_peer_start || fail "the test peer did not restart"
	e2e_wait_state up 40 || fail "not back up 40 s after the server was"
	_if=$(e2e_field interface)
	ks_expect_via "$KS_BEYOND" "$_if" "back up"
	ping_through "$KS_BEYOND"

	# SIGTERM: the table as it was, no unreachable route left.
	e2e_daemon_kill TERM || fail "pptpcd did not stop"
	routes_now > after
	cmp -s before after ||
	    { diff before after >&2; fail "routes differ after SIGTERM"; }
	ks_expect_via "$KS_BEYOND" vcli "after SIGTERM"

	# Armed again, then the tunnel leaves the configuration.
	e2e_daemon_start || fail "cannot start pptpcd again"
	e2e_wait_state up 30 || fail "not up after the restart"
	_if=$(e2e_field interface)
	e2e_peer_kill KILL
	wait_not_state up 20 || fail "still up 20 s after the server died"
	ks_wait_gone "$KS_BEYOND" "$_if"
	ks_expect_via "$KS_BEYOND" unreachable "down again"
	# Reloaded with kill-switch no: lifted at once, even in backoff.
	ks_reload "default-route yes" "kill-switch no" "route 203.0.113.0/24"
	ks_expect_via "$KS_BEYOND" vcli "after kill-switch no"
	routes_now | grep -q "^unreachable" &&
	    fail "unreachable routes left after kill-switch no"
	# And yes again: armed from the next dial on.
	ks_reload "default-route yes" "kill-switch yes" "route 203.0.113.0/24"
	_n=50
	while [ "$(ks_via "$KS_BEYOND")" != unreachable ]; do
		[ "$_n" -gt 0 ] || fail "not armed again 10 s after the reload"
		sleep 0.2
		_n=$((_n - 1))
	done
	echo "# no tunnels" > "$E2E_DIR/pptpcd.conf"
	e2e_ctl reload > reload.out 2>&1 ||
	    { cat reload.out >&2; fail "pptpctl reload failed"; }
	e2e_wait_log "$E2E_DIR/pptpcd.log" "$E2E_TUNNEL: removed" 20 ||
	    fail "the tunnel was not removed"
	e2e_daemon_alive || fail "pptpcd exited on the reload"
	routes_now > after
	cmp -s before after ||
	    { diff before after >&2; fail "routes differ after the removal"; }
	ks_expect_via "$KS_BEYOND" vcli "after the removal"
}
kill_switch_cleanup()
{
	e2e_env
	e2e_cleanup
}

# The IPv6 half ("ipv6 yes"): the client's WAN gets IPv6 and a default
# route through the server's namespace, which answers KS6_BEYOND on its
# loopback.  An echo request counted on the server's WAN interface (vsrv)
# went out in clear; through the tunnel it arrives on the peer's tun.
KS6_BEYOND=2001:db8:5::7

# ks6_echoes: ICMPv6 echo requests received on the server's vsrv.
ks6_echoes()
{
	e2e_srv awk '$1 == "Icmp6InEchos" { print $2 }' \
	    /proc/net/dev_snmp6/vsrv
}

# ks6_via ADDR: as ks_via, for IPv6.
ks6_via()
{
	if e2e_cli ip -6 route get "$1" > route.out 2>&1; then
		if grep -q "^unreachable" route.out; then
			echo unreachable
		else
			sed -n 's/.* dev \([^ ]*\).*/\1/p' route.out | head -n 1
		fi
	elif grep -Eq "unreachable|No route to host|Permission denied" \
	    route.out; then
		echo unreachable
	else
		cat route.out >&2
		echo "?"
	fi
}

ks6_expect_via()
{
	_v=$(ks6_via "$1")
	[ "$_v" = "$2" ] || fail "$3: $1 goes to \"$_v\", expected \"$2\""
}

routes6_now()
{
	e2e_cli ip -6 route show table main | sed 's/ *$//' |
	    grep -v "^fe80::" | sort
}

# ks6_ping: a ping6 to KS6_BEYOND from address6, answered through the
# tunnel (the peer's end of address6's prefix on its tun), none on vsrv.
ks6_ping_through()
{
	_sif=$(sed -n 's/.*IPv6 on \(tun[0-9]*\):.*/\1/p' \
	    "$E2E_DIR/peer.log" | tail -1)
	[ -n "$_sif" ] || fail "the peer reports no IPv6 tun"
	e2e_srv ip -6 addr replace 2001:db8:ff::1/64 dev "$_sif" nodad ||
	    fail "cannot address the peer's $_sif"
	_e0=$(ks6_echoes)
	e2e_cli busybox ping -6 -c 3 -w 10 "$KS6_BEYOND" > ping6.out 2>&1 ||
	    { cat ping6.out >&2; fail "$1: no ping6 reply from $KS6_BEYOND"; }
	[ "$(ks6_echoes)" = "$_e0" ] ||
	    fail "$1: the ping6 to $KS6_BEYOND went out by the WAN"
}

# ks6_refused WHEN: KS6_BEYOND and the rest of ::/1 refused, a ping6
# fails and nothing reaches the WAN.
ks6_refused()
{
	ks6_expect_via "$KS6_BEYOND" unreachable "$1"
	ks6_expect_via 2001:db8:99::9 unreachable "$1"
	ks6_expect_via 8001::1 unreachable "$1"
	_e0=$(ks6_echoes)
	e2e_cli busybox ping -6 -c 2 -w 4 "$KS6_BEYOND" > ping6.out 2>&1 &&
	    { cat ping6.out >&2; fail "$1: $KS6_BEYOND answered"; }
	_e1=$(ks6_echoes)
	[ -n "$_e0" ] && [ "$_e0" = "$_e1" ] ||
	    fail "$1: the WAN saw IPv6 echo requests ($_e0 -> $_e1)"
}

atf_test_case kill_switch_ipv6 cleanup
kill_switch_ipv6_head()
{
	common_head "kill-switch yes with ipv6 yes: the tunnel's IPv6\
 prefixes are refused while it is down, also over an engine restart,\
 carried while it is up, and gone on SIGTERM" 240
}
kill_switch_ipv6_body()
{
	begin --ipv6
	e2e_srv ip addr add "$KS_BEYOND/32" dev lo &&
	e2e_cli ip route add default via "$E2E_SRV_ADDR" dev vcli &&
	e2e_srv ip -6 addr add 2001:db8:77::1/64 dev vsrv nodad &&
	e2e_srv ip -6 addr add "$KS6_BEYOND/128" dev lo &&
	e2e_cli ip -6 addr add 2001:db8:77::2/64 dev vcli nodad &&
	e2e_cli ip -6 route add default via 2001:db8:77::1 dev vcli ||
	    fail "cannot give the WAN IPv6"
	# Before the tunnel: IPv6 goes by the WAN.
	e2e_cli busybox ping -6 -c 1 -w 5 "$KS6_BEYOND" > ping6.out 2>&1 ||
	    { cat ping6.out >&2; fail "$KS6_BEYOND not reachable by the WAN"; }
	routes6_now > before
	up "default-route yes" "kill-switch yes" "ipv6 yes" \
	    "route 2001:db8:5::/48" "address6 2001:db8:ff::2/64"
	_if=$(e2e_field interface)
	e2e_wait_log "$E2E_DIR/peer.log" "IPv6 on tun" 10 ||
	    fail "the peer did not bring IPv6 up"
	ks6_expect_via "$KS6_BEYOND" "$_if" "up"
	ks6_expect_via 2001:db8:99::9 "$_if" "up"
	ks6_ping_through "up"

	# The server dies: IPv6 is refused as IPv4 is.
	e2e_peer_kill KILL
	wait_not_state up 20 || fail "still up 20 s after the server died"
	ks_wait_gone "$KS_BEYOND" "$_if"
	_n=100
	while [ "$(ks6_via "$KS6_BEYOND")" = "$_if" ]; do
		[ "$_n" -gt 0 ] || fail "$KS6_BEYOND still goes to $_if"
		sleep 0.2
		_n=$((_n - 1))
	done
	expect_field kill_switch armed
	ks6_refused "tunnel down"
	routes6_now > down
	for _r in "unreachable ::/1 " "unreachable 8000::/1 " \
	    "unreachable 2001:db8:5::/48 "; do
		grep -q "^$_r" down ||
		    { cat down >&2; fail "no \"$_r\" while down"; }
	done
	ks_expect_via "$KS_BEYOND" unreachable "tunnel down"

	# The engine dies: the parent keeps them; the next one takes over.
	_par=$(cat "$E2E_DIR/pptpcd.pid")
	_eng=""
	for _c in $(cat /proc/$_par/task/*/children 2>/dev/null); do
		[ "$(readlink /proc/$_c/exe 2>/dev/null)" = \
		    "$(readlink /proc/$_par/exe)" ] && _eng=$_c
	done
	[ -n "$_eng" ] || fail "no engine process"
	kill -KILL "$_eng"
	e2e_wait_log "$E2E_DIR/pptpcd.log" "privsep: the engine" 10 ||
	    fail "the parent did not see the engine die"
	ks6_refused "the engine dead"
	e2e_wait_log "$E2E_DIR/pptpcd.log" \
	    "unreachable route 2001:db8:5::/48 was there already" 20 ||
	    fail "the new engine did not take the IPv6 refusals over"
	ks6_refused "a new engine"

	# The server is back: through the tunnel again.
	e2e_peer_start --ipv6 || fail "the test peer did not restart"
	e2e_wait_state up 40 || fail "not back up 40 s after the server was"
	_if=$(e2e_field interface)
	e2e_wait_log "$E2E_DIR/peer.log" "IPv6 on tun" 10 ||
	    fail "the peer did not bring IPv6 up again"
	ks6_expect_via "$KS6_BEYOND" "$_if" "back up"
	ks6_ping_through "back up"

	# SIGTERM: the IPv6 table as it was, by the WAN again.
	e2e_daemon_kill TERM || fail "pptpcd did not stop"
	routes6_now > after
	cmp -s before after ||
	    { diff before after >&2; fail "IPv6 routes differ after SIGTERM"; }
	ks6_expect_via "$KS6_BEYOND" vcli "after SIGTERM"
}
kill_switch_ipv6_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case kill_switch_off cleanup
kill_switch_off_head()
{
	common_head "kill-switch no: while down, the routes are as before"
}
kill_switch_off_body()
{
	ks_begin
	routes_now > before
	up "default-route yes" "kill-switch no"
	_if=$(e2e_field interface)
	ks_expect_via "$KS_BEYOND" "$_if" "up"
	expect_field kill_switch ""
	e2e_peer_kill KILL
	wait_not_state up 20 || fail "still up 20 s after the server died"
	ks_wait_gone "$KS_BEYOND" "$_if"
	# As before: nothing refused, the WAN's default carries it.
	ks_expect_via "$KS_BEYOND" vcli "tunnel down"
	routes_now | grep -q "^unreachable" &&
	    fail "an unreachable route with kill-switch no"
	e2e_ping "$KS_BEYOND" 3 > ping.out 2>&1 ||
	    { cat ping.out >&2; fail "$KS_BEYOND not reachable by the WAN"; }
}
kill_switch_off_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case gre_reorder cleanup
gre_reorder_head()
{
	common_head "GRE reordered and duplicated by the peer: a transfer survives" 180
}
gre_reorder_body()
{
	begin --gre-reorder 5 --gre-dup 2
	up
	head -c 20000000 /dev/urandom > data
	fetch data 5001 got
	same_file data got "from a reordering peer"
	expect_field state up
	e2e_peer_kill TERM
	grep -Eq "GRE faults: [0-9]+ sent, [0-9]+ dropped, [1-9][0-9]* duplicated, [1-9][0-9]* reordered" \
	    "$E2E_DIR/peer.log" || fail "the peer did not reorder or duplicate"
}
gre_reorder_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case stateful_loss cleanup
stateful_loss_head()
{
	common_head "Stateful MPPE (prefer-stateful) through 1 % GRE loss from the peer: 20 MB arrive intact in one session, every loss repaired by a CCP Reset-Request and a FLUSHED packet, even when a FLUSHED packet is itself lost" 180
}
stateful_loss_body()
{
	begin -m required,128,stateful --gre-drop 1
	e2e_conf "auth mschapv2" "mppe required 128 prefer-stateful" \
	    "keepalive 2 3" "reconnect 1 8"
	e2e_daemon_start || fail "cannot start pptpcd"
	e2e_wait_state up 30 || fail "the tunnel was not up within 30 s"
	expect_field mppe "128 stateful"
	grep -q "mppe 128 stateful" "$E2E_DIR/peer.log" ||
	    fail "the peer does not run stateful MPPE"
	head -c 20000000 /dev/urandom > data
	fetch data 5001 got
	same_file data got "through a lossy stateful path"
	expect_field state up
	[ "$(grep -c 'up on tun' "$E2E_DIR/peer.log")" = 1 ] ||
	    fail "the session was dialled again"
	e2e_peer_kill TERM
	grep -Eq "GRE faults: [0-9]+ sent, [1-9][0-9]* dropped" \
	    "$E2E_DIR/peer.log" || fail "the peer dropped nothing"
}
stateful_loss_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case cleartext_dropped cleanup
cleartext_dropped_head()
{
	common_head "A server that injects unencrypted IPv4 into the MPPE call (protocol 0x0021, with and without FF03, compressed): none reaches the client's stack, each is counted, and encrypted traffic still passes"
}
cleartext_dropped_body()
{
	begin --inject-cleartext 30
	# UDP datagrams the client's stack took in (to a socket or to no
	# port): the injected ones are UDP, nothing else here is.
	_u0=$(udp_in)
	up
	_i=0
	until grep -q 'sent 30 cleartext IPv4 frames' "$E2E_DIR/peer.log"; do
		_i=$((_i + 1))
		[ $_i -le 60 ] || fail "the peer did not send its frames"
		sleep 0.5
	done
	ping_through "$E2E_LOCAL" 3
	[ "$(udp_in)" = "$_u0" ] || fail "$(($(udp_in) - _u0)) of 30" \
	    "cleartext datagrams reached the client's stack"
	expect_field state up
	_n=$(e2e_field cleartext_dropped)
	[ "$_n" -ge 30 ] || fail "only $_n of 30 cleartext frames counted"
}
cleartext_dropped_cleanup()
{
	e2e_env
	e2e_cleanup
}

udp_in()
{
	e2e_cli awk '/^Udp: [0-9]/ { print $2 + $3 }' /proc/net/snmp
}

atf_test_case early_gre cleanup
early_gre_head()
{
	common_head "The server's first LCP packet comes before its OCRP:\
 held and handed to PPP, so LCP opens without a retransmission"
}
early_gre_body()
{
	begin --ocrp-delay 400
	up
	grep -q 'OCRP sent 400 ms after the call went up' "$E2E_DIR/peer.log" ||
	    fail "the peer did not delay its OCRP"
	grep -q 'packet(s) that came before the call handed over' \
	    "$E2E_DIR/pptpcd.log" || fail "pptpcd did not hand the held GRE over"
	_lcp=$(sed -n '/call up/,/LCP opened/p' "$E2E_DIR/pptpcd.log" |
	    grep 'LCP: ')
	echo "$_lcp" | grep -q 'LCP: Req-Sent -> Ack-Sent' &&
	    ! echo "$_lcp" | grep -q 'Ack-Rcvd' ||
	    fail "the server's first Configure-Request was lost:" \
	    "$(echo "$_lcp" | tr '\n' ' ')"
	ping_through "$E2E_LOCAL" 3
}
early_gre_cleanup()
{
	e2e_env
	e2e_cleanup
}

# ---- soak: build/san/pptpcd through many sessions ----

# The daemon's pid, open descriptors and resident set (kB).
soak_pid()
{
	cat "$E2E_DIR/pptpcd.pid"
}

soak_fds()
{
	ls "/proc/$(soak_pid)/fd" | wc -l
}

soak_rss()
{
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$(soak_pid)/status"
}

# Every sanitizer report in the log, with the stack that follows it.
# The last two: LSan could not run its check, or it needed a suppression.
SOAK_SAN_ERE='ERROR: (Address|Leak)Sanitizer|runtime error:'
SOAK_SAN_ERE="$SOAK_SAN_ERE|LeakSanitizer has encountered|Suppressions used"

soak_reports()
{
	grep -En -A 40 -- "$SOAK_SAN_ERE" "$E2E_DIR/pptpcd.log"
}

# fail, but a sanitizer's report comes first and whole: the daemon may
# have died of it, which is what made the step fail.
soak_fail()
{
	if grep -Eq -- "$SOAK_SAN_ERE" "$E2E_DIR/pptpcd.log" 2>/dev/null; then
		echo "---- sanitizer reports in pptpcd.log" >&2
		soak_reports >&2
	fi
	fail "$*"
}

soak_ping()
{
	e2e_ping "$E2E_LOCAL" "${1:-2}" > ping.out 2>&1 ||
	    { cat ping.out >&2; soak_fail "$2: no ping reply through it"; }
}

# reconnect 1 1: every backoff is a second, so the ten redials, the
# server deaths and the wrong password cost seconds, not minutes.
soak_conf()
{
	e2e_conf "auth mschapv2" "mppe required 128" "reconnect 1 1" "$@"
}

# pptpctl -j show sessions all the while, as a monitoring script would:
# each answer must be JSON.  Stops when poll.on goes.
soak_poll()
{
	while [ -f poll.on ]; do
		if e2e_ctl -j show sessions > poll.json 2>&1 &&
		    jq -e 'type' poll.json > /dev/null 2>&1; then
			echo >> poll.ok
		else
			{ echo "----"; cat poll.json; } >> poll.bad
		fi
		sleep 0.2
	done
}

# soak_reload WHAT RESULT: SIGHUP, then the daemon must log that it
# reloaded, with RESULT ("1 unchanged", "1 restarted").
soak_reload()
{
	_n=$(grep -c "reloaded: " "$E2E_DIR/pptpcd.log")
	kill -HUP "$(soak_pid)" || soak_fail "$1: cannot signal pptpcd"
	_t=50
	while [ "$(grep -c "reloaded: " "$E2E_DIR/pptpcd.log")" -le "$_n" ]; do
		[ "$_t" -gt 0 ] || soak_fail "$1: no \"reloaded\" in the log"
		sleep 0.1
		_t=$((_t - 1))
	done
	_l=$(grep "reloaded: " "$E2E_DIR/pptpcd.log" | tail -n 1)
	case $_l in
	*"$2"*)	;;
	*)	soak_fail "$1: \"$_l\", expected $2" ;;
	esac
}

atf_test_case soak cleanup
soak_head()
{
	common_head "pptpcd under ASan+UBSan through redials, server deaths,\
 a wrong password, reloads and pptpctl: no sanitizer report, no fd or\
 memory growth, exit 0" 150
}
soak_body()
{
	e2e_env
	[ -x "$E2E_PPTPCD_SAN" ] ||
	    atf_skip "$E2E_PPTPCD_SAN is not built (make tests; not on OpenBSD)"
	begin
	soak_conf
	e2e_daemon_start_san || soak_fail "cannot start the sanitized pptpcd"
	e2e_wait_state up 30 || soak_fail "the tunnel was not up within 30 s"
	soak_ping 3 "first session"
	# What a settled daemon holds with one session up; the churn below
	# must come back to exactly this.
	_fd0=$(soak_fds)
	_rss0=$(soak_rss)
	ls -l "/proc/$(soak_pid)/fd" > fd.first
	touch poll.on
	soak_poll &
	_poller=$!
	e2e_remember "$_poller" "$E2E_DIR/pids"

	# An unchanged configuration, by signal and by pptpctl: the session
	# stays, on the same interface, and its uptime keeps counting.
	_if=$(e2e_field interface)
	_up=$(e2e_field uptime_s)
	_c=$(connections)
	soak_reload "an unchanged configuration" "1 unchanged"
	e2e_ctl reload > out 2>&1 && grep -q "1 unchanged" out ||
	    { cat out >&2; soak_fail "pptpctl reload did not keep the tunnel"; }
	_n=30
	while :; do
		_u=$(e2e_field uptime_s)
		case $_u in
		''|*[!0-9]*) ;;
		*)	[ "$_u" -gt "$_up" ] && break ;;
		esac
		[ "$_n" -gt 0 ] ||
		    soak_fail "uptime \"$_u\", not past $_up, after a reload"
		sleep 0.1
		_n=$((_n - 1))
	done
	[ "$(e2e_field state)" = up ] ||
	    soak_fail "not up after an unchanged reload"
	[ "$(e2e_field interface)" = "$_if" ] ||
	    soak_fail "the interface changed from $_if on an unchanged reload"
	[ "$(connections)" -eq "$_c" ] ||
	    soak_fail "an unchanged reload redialled"
	soak_ping 2 "after an unchanged reload"

	# A changed configuration with a wrong password, then the right one.
	_pw=$E2E_PASSWORD
	E2E_PASSWORD=not-the-password
	soak_conf
	E2E_PASSWORD=$_pw
	soak_reload "a wrong password" "1 restarted"
	wait_error "691|authenticat" 20 ||
	    soak_fail "the wrong password was not refused (691)"
	soak_conf
	soak_reload "the right password" "1 restarted"
	e2e_wait_state up 20 || soak_fail "not up with the right password"
	soak_ping 2 "after the right password"

	# pptpctl disconnect and connect.
	for _i in 1 2 3; do
		e2e_ctl disconnect "$E2E_TUNNEL" > out 2>&1 ||
		    { cat out >&2; soak_fail "pptpctl disconnect $_i failed"; }
		e2e_wait_state idle 15 ||
		    soak_fail "not idle after disconnect $_i"
		e2e_ctl connect "$E2E_TUNNEL" > out 2>&1 ||
		    { cat out >&2; soak_fail "pptpctl connect $_i failed"; }
		e2e_wait_state up 20 || soak_fail "not up after connect $_i"
		soak_ping 1 "after connect $_i"
	done

	# The server dies without a word, twice, and comes back.
	for _i in 1 2; do
		e2e_peer_kill KILL || soak_fail "the peer did not die"
		wait_not_state up 20 ||
		    soak_fail "still up 20 s after server death $_i"
		e2e_peer_start || soak_fail "the peer did not restart"
		e2e_wait_state up 20 ||
		    soak_fail "not up again after server death $_i"
		soak_ping 1 "after server death $_i"
	done

	# The server clears every call 2 s after it is up: ten sessions,
	# a ping through each.
	e2e_peer_kill TERM || soak_fail "the peer did not stop"
	e2e_peer_start --clear-call 2 || soak_fail "the peer did not restart"
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		e2e_wait_state up 20 || soak_fail "redial $_i: not up"
		soak_ping 1 "redial $_i"
		wait_not_state up 10 ||
		    soak_fail "redial $_i: the CDN did not end it"
	done
	_calls=$(grep -c "call up" "$E2E_DIR/peer.log")
	[ "$_calls" -ge 10 ] ||
	    soak_fail "only $_calls calls to a peer that clears them"

	# A steady server again, and a settled daemon to measure.
	e2e_peer_kill TERM || soak_fail "the peer did not stop"
	e2e_peer_start || soak_fail "the peer did not restart"
	e2e_wait_state up 20 || soak_fail "not up after the churn"
	soak_ping 2 "after the churn"
	rm -f poll.on
	e2e_wait_pid "$_poller" 5 || soak_fail "the pptpctl poller did not stop"
	wait "$_poller" 2>/dev/null
	[ ! -s poll.bad ] ||
	    { cat poll.bad >&2; soak_fail "pptpctl -j show sessions failed"; }
	_polls=$(wc -l < poll.ok)
	[ "$_polls" -ge 50 ] || soak_fail "only $_polls polls of pptpctl"

	# One descriptor leaked per session is exactly the bug to catch: the
	# count must be what it was, to the descriptor.
	_fd1=$(soak_fds)
	if [ "$_fd1" -ne "$_fd0" ]; then
		ls -l "/proc/$(soak_pid)/fd" > fd.last
		diff fd.first fd.last >&2
		soak_fail "$_fd0 descriptors at the first up," \
		    "$_fd1 after the churn"
	fi
	# ASan's allocator parks freed memory in its quarantine (256 MB by
	# default) rather than reuse it, so RSS grows with everything ever
	# allocated, leaked or not: this churn of about 20 sessions adds 3
	# to 4 MB by itself.  The bound therefore sees only gross growth,
	# upwards of some 200 kB a session (a packet ring or an engine never
	# freed).  A leak of a few kB a session is LeakSanitizer's, at exit,
	# if nothing points to it any more; one still referenced (a list
	# that only grows) and that small is beyond what this test can see.
	_rss1=$(soak_rss)
	[ "$_rss1" -le $((_rss0 + 8192)) ] ||
	    soak_fail "VmRSS grew from $_rss0 kB to $_rss1 kB over the churn"
	echo "soak: $_fd0 fds before and after; VmRSS $_rss0 -> $_rss1 kB;" \
	    "$_polls polls"

	# SIGTERM: exit 0 within 10 s, LeakSanitizer's check at exit passed.
	_pid=$(soak_pid)
	kill -TERM "$_pid" || soak_fail "cannot signal pptpcd"
	e2e_wait_pid "$_pid" 10 ||
	    soak_fail "pptpcd still running 10 s after SIGTERM"
	wait "$_pid"
	_rc=$?
	rm -f "$E2E_DIR/pptpcd.pid"
	if grep -Eq -- "$SOAK_SAN_ERE" "$E2E_DIR/pptpcd.log"; then
		soak_reports >&2
		fail "sanitizer reports in pptpcd's log (above)"
	fi
	[ "$_rc" -eq 0 ] || soak_fail "pptpcd exited $_rc after SIGTERM"
}
soak_cleanup()
{
	e2e_env
	rm -f poll.on
	e2e_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case connect_ping
	atf_add_test_case ipv6_through
	atf_add_test_case ipv6_refused
	atf_add_test_case hostile_addresses
	atf_add_test_case hostile_local_address
	atf_add_test_case tcp_transfer
	atf_add_test_case wrong_password
	atf_add_test_case wrong_authenticator
	atf_add_test_case missing_authenticator
	atf_add_test_case password_expired
	atf_add_test_case retry_allowed
	atf_add_test_case mppe_refused
	atf_add_test_case mppe_40
	atf_add_test_case server_gone
	atf_add_test_case lcp_echo_unanswered
	atf_add_test_case lcp_echo_unanswered_busy
	atf_add_test_case peer_clears_call
	atf_add_test_case malformed_control
	atf_add_test_case disconnect_connect
	atf_add_test_case routes
	atf_add_test_case default_route
	atf_add_test_case sigterm_cleanup
	atf_add_test_case kill_switch
	atf_add_test_case kill_switch_ipv6
	atf_add_test_case kill_switch_off
	atf_add_test_case gre_reorder
	atf_add_test_case early_gre
	atf_add_test_case cleartext_dropped
	atf_add_test_case stateful_loss
	atf_add_test_case soak
	atf_add_test_case monitor_events
}
