#!/bin/sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# End-to-end throughput.  pptpcd dials the test peer between two network
# namespaces joined by a veth pair (tests/e2e/lib.sh builds them: the
# peer at 198.51.100.1, pptpcd at 198.51.100.2, tunnel 192.0.2.10 ->
# 192.0.2.1), and iperf3 measures TCP and UDP from the client's side to
# the server's, once through the tunnel and once over the bare veth pair
# beside it, in the same run, so that the ratio holds whatever machine
# and load it ran on.  Around each tunnel run the CPU time (utime +
# stime in /proc/PID/stat) of pptpcd and of the peer, which runs the same
# engine, is divided by the bytes iperf3 delivered.
#
# usage: sh bench/e2e.sh   (as root; bench/run.sh calls it)
#
#   BENCH_SECONDS    seconds per iperf3 run (10)
#   BENCH_UDP_RATE   iperf3 -b for both UDP runs, e.g. 400M; by default
#                    a few 1-second trials find, for each path, the
#                    highest rate that loses at most 2 %
#
# Figures are printed, never judged.  Exit 0 when it measured, and when
# it cannot measure here (not root, no iperf3) and said so in one line;
# exit 1 only when it could not run: the namespaces, the peer or the
# tunnel did not come up, or iperf3 could not reach the other side.
# Then it says why and prints the last lines of the logs.  Every wait is
# bounded; the namespaces and processes go on exit, failure and signal.

set -u

E2E_TOP=$(cd "$(dirname "$0")/.." && pwd)
SECS=${BENCH_SECONDS:-10}
UDP_LEN=1400
LOSS_MAX=2	# percent, for the UDP rate search
TRIALS=4

case $SECS in
''|*[!0-9]*)	echo "BENCH_SECONDS must be a whole number of seconds" >&2
		exit 1 ;;
esac
[ "$SECS" -ge 1 ] && [ "$SECS" -le 60 ] ||
    { echo "BENCH_SECONDS must be 1 to 60" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
	echo "end-to-end: skipped: needs root (network namespaces, a veth" \
	    "pair, tun); run \"make bench\" as root for the tunnel figures"
	exit 0
fi
for prog in ip iperf3 jq ss; do
	if ! command -v "$prog" > /dev/null 2>&1; then
		echo "end-to-end: skipped: $prog is not installed"
		exit 0
	fi
done
if [ ! -c /dev/net/tun ]; then
	echo "end-to-end: skipped: no /dev/net/tun (the tun module)"
	exit 0
fi
for b in daemon/pptpcd ctl/pptpctl tests/peer/pptp-peer; do
	if [ ! -x "$E2E_TOP/$b" ]; then
		echo "end-to-end: cannot run: $b is not built (make bench" \
		    "builds it)" >&2
		exit 1
	fi
done

E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pptpc-bench.XXXXXX") || exit 1
E2E_PREFIX=pptpc-bench
. "$E2E_TOP/tests/e2e/lib.sh"
E2E_TUNNEL=bench

status=1
finish()
{
	trap - EXIT INT TERM
	e2e_cleanup
	rm -rf "$E2E_DIR"
	exit "$status"
}
trap finish EXIT
trap 'echo "end-to-end: interrupted" >&2; status=130; exit 130' INT
trap 'status=143; exit 143' TERM

die()
{
	echo "end-to-end: cannot run: $*" >&2
	e2e_logs 2>&1 | sed 's/^/    /' >&2
	exit 1
}

# cpu_ticks PID: utime + stime in clock ticks, of PID and of its
# children that run (pptpcd's engine, doc/privsep.md, does the work).
# The command name in field 2 may hold spaces, so the fields are counted
# after its ")".
cpu_ticks()
{
	for _p in "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		sed 's/^.*) //' "/proc/$_p/stat" 2>/dev/null
	done | awk '{ t += $12 + $13 } END { print t + 0 }'
}

# snmp NS PROTO FIELD: a counter from /proc/net/snmp of namespace NS
# (srv or cli), found by its column's name.
snmp()
{
	e2e_$1 cat /proc/net/snmp 2>/dev/null | awk -v p="$2:" -v f="$3" '
	    $1 == p && !n { for (i = 2; i <= NF; i++) col[$i] = i; n = 1;
	        next }
	    $1 == p { print $col[f] + 0; exit }'
}

# ifstat NS IFACE COUNTER: an interface counter, 0 if there is none.
ifstat()
{
	_v=$(e2e_$1 cat "/sys/class/net/$2/statistics/$3" 2>/dev/null)
	echo "${_v:-0}"
}

# user_sys_ticks PID: utime and stime apart, of PID and of its children
# that run, as cpu_ticks counts them: the engine does the work, and the
# parent alone would show next to none of it.
user_sys_ticks()
{
	for _p in "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		sed 's/^.*) //' "/proc/$_p/stat" 2>/dev/null
	done | awk '{ u += $12; s += $13 } END { print u + 0, s + 0 }'
}

# machine_ticks: idle and total clock ticks of all CPUs (/proc/stat).
machine_ticks()
{
	awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i;
	    print $5 + $6, t; exit }' /proc/stat
}

# counters: one line of the figures the runs are judged by: CPU ticks of
# pptpcd and of the peer; IP fragments made on each side; packets pptpcd
# took from its tun, packets the client's kernel dropped because pptpcd
# had not taken them yet, packets the peer put into its tun; datagrams
# the receiving iperf3 lost to a full socket buffer; the machine's idle
# and total CPU ticks; pptpcd's user and system ticks apart.
counters()
{
	echo "$(cpu_ticks "$DPID") $(cpu_ticks "$PEERPID")" \
	    "$(snmp cli Ip FragCreates) $(snmp srv Ip FragCreates)" \
	    "$(ifstat cli "$CLI_IF" tx_packets)" \
	    "$(ifstat cli "$CLI_IF" tx_dropped)" \
	    "$(ifstat srv "$SRV_IF" rx_packets)" \
	    "$(snmp srv Udp RcvbufErrors)" "$(machine_ticks)" \
	    "$(user_sys_ticks "$DPID")"
}

# delta NAME FIELD: FIELD (counters' order, from 1) over run NAME.
delta()
{
	awk -v f="$2" 'NR == 1 { a = $f } NR == 2 { print $f - a }' \
	    "$E2E_DIR/$1.cnt"
}

# wait_listen PORT: until a TCP listener on PORT in the server namespace.
wait_listen()
{
	_n=50
	while [ "$_n" -gt 0 ]; do
		e2e_srv ss -Hltn "sport = :$1" 2>/dev/null | grep -q . &&
		    return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# iperf NAME DEST PORT SECS [IPERF3-ARG...]: one iperf3 run from the
# client namespace to a one-shot server in the server namespace; the
# client's JSON in $E2E_DIR/NAME.json, the counters before and after it
# in NAME.cnt.
iperf()
{
	_name=$1 _dest=$2 _port=$3 _secs=$4
	shift 4
	e2e_bg srv iperf3 -s -1 -p "$_port" > "$E2E_DIR/$_name.srv" 2>&1 ||
	    return 1
	_srvpid=$E2E_BG_PID
	if ! wait_listen "$_port"; then
		echo "iperf3 server on port $_port did not listen" \
		    > "$E2E_DIR/$_name.err"
		return 1
	fi
	counters > "$E2E_DIR/$_name.cnt"
	# The client's own timeout bounds a tunnel that stalls mid-run.
	e2e_cli timeout $((_secs + 20)) iperf3 -c "$_dest" -p "$_port" \
	    -t "$_secs" -J --connect-timeout 3000 "$@" \
	    > "$E2E_DIR/$_name.json" 2> "$E2E_DIR/$_name.err"
	_rc=$?
	counters >> "$E2E_DIR/$_name.cnt"
	# A server whose client vanished would wait for minutes.
	e2e_wait_pid "$_srvpid" 5 || kill "$_srvpid" 2>/dev/null
	if [ "$_rc" -ne 0 ] || jq -e '.error' "$E2E_DIR/$_name.json" \
	    > /dev/null 2>&1; then
		jq -r '.error // empty' "$E2E_DIR/$_name.json" \
		    >> "$E2E_DIR/$_name.err" 2>/dev/null
		[ "$_rc" -eq 124 ] &&
		    echo "iperf3 did not finish within $((_secs + 20)) s" \
		    >> "$E2E_DIR/$_name.err"
		return 1
	fi
	return 0
}

# jfield NAME FILTER: a number from NAME.json.
jfield()
{
	jq -r "$2 // 0" "$E2E_DIR/$1.json" 2>/dev/null
}

# ended PID: sets how_ended to how a child of ours that is gone ended.
# Not in a subshell: only this shell can wait for its children.
ended()
{
	wait "$1"
	_st=$?
	if [ "$_st" -gt 128 ]; then
		how_ended="was killed by signal $((_st - 128))"
	else
		how_ended="exited with status $_st"
	fi
}

# run NAME DEST PORT [IPERF3-ARG...]: iperf, or die naming the run.
run()
{
	_what=$1
	iperf "$@" && return 0
	if ! e2e_running "$DPID"; then
		ended "$DPID"
		die "pptpcd $how_ended (before or during iperf3 $_what)"
	fi
	if ! e2e_running "$PEERPID"; then
		ended "$PEERPID"
		die "the test peer $how_ended (before or during iperf3 $_what)"
	fi
	die "iperf3 $_what to $2 failed: $(tr '\n' ' ' < "$E2E_DIR/$1.err")"
}

e2e_netns_create || die "cannot create the network namespaces"
e2e_peer_start || die "the test peer did not start"
PEERPID=$(cat "$E2E_DIR/peer.pid")
e2e_conf "auth mschapv2" "mppe required 128"
e2e_daemon_start || die "cannot start pptpcd"
DPID=$(cat "$E2E_DIR/pptpcd.pid")
e2e_wait_state up 30 || die "the tunnel was not up within 30 s (state:" \
    "$(e2e_field state), last error: $(e2e_field last_error))"
# ip netns exec execs its command, so these are the daemons themselves.
for p in "$DPID" "$PEERPID"; do
	[ -n "$(cpu_ticks "$p")" ] || die "process $p is gone"
done
# ping from iputils if there is one; busybox's (which t_e2e needs) if not.
PING=ping
command -v ping > /dev/null 2>&1 || PING="busybox ping"
e2e_cli $PING -q -c 2 -w 5 "$E2E_LOCAL" > "$E2E_DIR/ping.out" 2>&1 ||
    die "no ping reply from $E2E_LOCAL through the tunnel:" \
    "$(tail -n 2 "$E2E_DIR/ping.out" | tr '\n' ' ')"

engine=$(e2e_field engine) mppe=$(e2e_field mppe) mtu=$(e2e_field mtu)
CLI_IF=$(e2e_field interface)
SRV_IF=$(sed -n 's/.* up on \([^ :]*\):.*/\1/p' "$E2E_DIR/peer.log" | sed 1q)
case $mtu in
''|*[!0-9]*)	mtu=$(e2e_cli cat "/sys/class/net/$CLI_IF/mtu" 2>/dev/null) ;;
esac
case $mtu in
''|*[!0-9]*)	die "cannot tell the tunnel's MTU" ;;
esac

# udp_search NAME DEST PORT START: sets udp_rate to the highest offered
# rate, of a few 1-second trials, that lost at most LOSS_MAX percent.
# Offering "as fast as possible" would measure how fast the sender
# overflows a queue (on a small machine the unpaced sender also takes
# the CPU the tunnel needs); a fixed rate would suit one machine only.
# From START it climbs by a quarter while the loss stays low and falls
# by a quarter when it does not; every trial is bounded and there are
# at most TRIALS of them.
udp_search()
{
	_r=$4 _best=0 _i=0
	while [ "$_i" -lt "$TRIALS" ]; do
		run "$1-$_i" "$2" "$3" 1 -u -b "$_r" -l "$UDP_LEN"
		if jfield "$1-$_i" '.end.sum_received.lost_percent' |
		    awk -v m="$LOSS_MAX" '{ exit !($1 <= m) }'; then
			_best=$_r
			_r=$(awk -v r="$_r" 'BEGIN { printf "%.0f", r * 1.25 }')
		else
			# Over the edge after a good rate: that rate is it.
			[ "$_best" != 0 ] && break
			_r=$(awk -v r="$_r" 'BEGIN { printf "%.0f", r * 0.75 }')
		fi
		_i=$((_i + 1))
	done
	# Nothing was clean enough: the lowest rate tried, loss and all.
	[ "$_best" != 0 ] || _best=$_r
	udp_rate=$_best
}

rate_of()
{
	jfield "$1" '.end.sum_received.bits_per_second' |
	    awk '{ printf "%.0f", $1 < 1e6 ? 1e6 : $1 }'
}

run tcp-veth "$E2E_SRV_ADDR" 5201 "$SECS"
run tcp-tun "$E2E_LOCAL" 5202 "$SECS"
if [ -n "${BENCH_UDP_RATE:-}" ]; then
	veth_rate=$BENCH_UDP_RATE
	tun_rate=$BENCH_UDP_RATE
	how="BENCH_UDP_RATE"
else
	# The veth's search starts from what one unpaced second delivers,
	# the tunnel's from what TCP got through it.
	run udp-veth-probe "$E2E_SRV_ADDR" 5203 1 -u -b 0 -l "$UDP_LEN"
	udp_search udp-veth-try "$E2E_SRV_ADDR" 5204 "$(rate_of udp-veth-probe)"
	veth_rate=$udp_rate
	udp_search udp-tun-try "$E2E_LOCAL" 5205 "$(rate_of tcp-tun)"
	tun_rate=$udp_rate
	how="the highest of a few 1-s trials that lost at most $LOSS_MAX %"
fi
run udp-veth "$E2E_SRV_ADDR" 5206 "$SECS" -u -b "$veth_rate" -l "$UDP_LEN"
run udp-tun "$E2E_LOCAL" 5207 "$SECS" -u -b "$tun_rate" -l "$UDP_LEN"

if ! e2e_running "$DPID"; then
	ended "$DPID"
	die "pptpcd $how_ended during the runs"
fi

# The table.  Rates in Mbit/s as received; CPU in seconds per 10^9 bytes
# delivered, from clock ticks.
hz=$(getconf CLK_TCK)
mbit()
{
	jfield "$1" '.end.sum_received.bits_per_second' |
	    awk '{ printf "%.0f", $1 / 1e6 }'
}
loss()
{
	jfield "$1" '.end.sum_received.lost_percent' |
	    awk '{ printf "%.1f %%", $1 }'
}
ratio()
{
	awk -v a="$(jfield "$1" '.end.sum_received.bits_per_second')" \
	    -v b="$(jfield "$2" '.end.sum_received.bits_per_second')" \
	    'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'
}
# s_per_gb NAME FIELD: CPU seconds per 10^9 bytes delivered of pptpcd
# (FIELD 1) or of the peer (2).
s_per_gb()
{
	awk -v t="$(delta "$1" "$2")" -v hz="$hz" \
	    -v n="$(jfield "$1" '.end.sum_received.bytes')" \
	    'BEGIN { if (n > 0) printf "%.2f", t / hz / (n / 1e9);
	        else print "-" }'
}
# mbps RATE: an iperf3 -b figure for people.
mbps()
{
	echo "$1" | awk '/^[0-9]+$/ { printf "%.0f Mbit/s\n", $1 / 1e6; next }
	    { print }'
}
retr()
{
	jfield "$1" '.end.sum_sent.retransmits'
}

. "$E2E_TOP/bench/csv.sh"
bench_csv e2e tcp_veth_mbit_s "$(mbit tcp-veth)" Mbit/s
bench_csv e2e tcp_userspace_mbit_s "$(mbit tcp-tun)" Mbit/s
bench_csv e2e udp_veth_mbit_s "$(mbit udp-veth)" Mbit/s
bench_csv e2e udp_userspace_mbit_s "$(mbit udp-tun)" Mbit/s
bench_csv e2e tcp_userspace_cpu_s_per_gb "$(s_per_gb tcp-tun 1)" s/GB
bench_csv e2e tcp_peer_cpu_s_per_gb "$(s_per_gb tcp-tun 2)" s/GB
bench_csv e2e udp_userspace_cpu_s_per_gb "$(s_per_gb udp-tun 1)" s/GB

# core_pct NAME FIELD: the percentage of one core pptpcd (1) or the peer
# (2) used over run NAME; idle_pct NAME: the machine's idle share.  A
# side near 100 % of a core limits the rate; a machine near 0 % idle
# means the CPUs themselves (both sides, iperf3, the kernel and whatever
# else runs there) do.
core_pct()
{
	awk -v t="$(delta "$1" "$2")" -v hz="$hz" \
	    -v s="$(jfield "$1" '.end.sum_received.seconds')" \
	    'BEGIN { if (s > 0) printf "%.0f", 100 * t / hz / s; else print "-" }'
}
idle_pct()
{
	awk -v i="$(delta "$1" 9)" -v t="$(delta "$1" 10)" \
	    'BEGIN { if (t > 0) printf "%.0f", 100 * i / t; else print "-" }'
}
bench_csv e2e tcp_userspace_user_s_per_gb "$(s_per_gb tcp-tun 11)" s/GB
bench_csv e2e tcp_userspace_sys_s_per_gb "$(s_per_gb tcp-tun 12)" s/GB
bench_csv e2e tcp_pptpcd_core_pct "$(core_pct tcp-tun 1)" %
bench_csv e2e tcp_peer_core_pct "$(core_pct tcp-tun 2)" %
bench_csv e2e tcp_machine_idle_pct "$(idle_pct tcp-tun)" %

# The targets of issue 12, as ratios to what MPPE-128 stateless costs on
# one core in the same run (bench/mppe_bench, earlier in the CSV): the
# CPU pptpcd spends per byte carried over the CPU the encryption of that
# byte costs alone (target at most 1.4), and the TCP rate over the
# single-core encryption rate (target at least 0.6).
mppe_enc=$(awk -F, '$1 == "mppe" && $2 == "stateless_encrypt_mbyte_s" {
    print $3 }' "${BENCH_CSV:-/dev/null}" 2>/dev/null)
mppe_dec=$(awk -F, '$1 == "mppe" && $2 == "stateless_decrypt_mbyte_s" {
    print $3 }' "${BENCH_CSV:-/dev/null}" 2>/dev/null)
cpu_ratio=- rate_ratio=- peer_ratio=- user_ratio=-
if [ -n "$mppe_enc" ]; then
	cpu_ratio=$(awk -v c="$(s_per_gb tcp-tun 1)" -v m="$mppe_enc" \
	    'BEGIN { if (c != "-" && m > 0) printf "%.2f", c * m / 1000;
	        else print "-" }')
	rate_ratio=$(awk -v r="$(mbit tcp-tun)" -v m="$mppe_enc" \
	    'BEGIN { if (m > 0) printf "%.2f", r / (m * 8); else print "-" }')
	user_ratio=$(awk -v c="$(s_per_gb tcp-tun 11)" -v m="$mppe_enc" \
	    'BEGIN { if (c != "-" && m > 0) printf "%.2f", c * m / 1000;
	        else print "-" }')
	bench_csv e2e tcp_cpu_per_gb_vs_mppe_encrypt "$cpu_ratio" ratio 1.4
	bench_csv e2e tcp_user_cpu_per_gb_vs_mppe_encrypt "$user_ratio" ratio
	bench_csv e2e tcp_rate_vs_mppe_encrypt "$rate_ratio" ratio 0.6
fi
if [ -n "$mppe_dec" ]; then
	peer_ratio=$(awk -v c="$(s_per_gb tcp-tun 2)" -v m="$mppe_dec" \
	    'BEGIN { if (c != "-" && m > 0) printf "%.2f", c * m / 1000;
	        else print "-" }')
	bench_csv e2e tcp_peer_cpu_per_gb_vs_mppe_decrypt "$peer_ratio" ratio
fi

echo "pptpcd <-> test peer over a veth pair, one way (client -> server)," \
    "$SECS s per run"
echo "tunnel: $engine engine, MPPE $mppe, MTU $mtu; $(nproc) CPUs" \
    "($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed 1q))," \
    "Linux $(uname -r)"
echo
echo "| iperf3, Mbit/s received | bare veth | tunnel | tunnel/veth |" \
    "pptpcd CPU s/GB | peer CPU s/GB |"
echo "|---|--:|--:|--:|--:|--:|"
echo "| TCP | $(mbit tcp-veth) | $(mbit tcp-tun) |" \
    "$(ratio tcp-tun tcp-veth) | $(s_per_gb tcp-tun 1) |" \
    "$(s_per_gb tcp-tun 2) |"
echo "| UDP, ${UDP_LEN}-byte datagrams (loss) | $(mbit udp-veth)" \
    "($(loss udp-veth)) | $(mbit udp-tun) ($(loss udp-tun)) |" \
    "$(ratio udp-tun udp-veth) | $(s_per_gb udp-tun 1) |" \
    "$(s_per_gb udp-tun 2) |"
echo
echo "UDP offered: bare veth $(mbps "$veth_rate"), tunnel" \
    "$(mbps "$tun_rate") ($how)."
echo "UDP lost: bare veth $(delta udp-veth 8) datagrams at the receiving" \
    "socket; tunnel $(delta udp-tun 6) packets at the client's tun" \
    "(pptpcd behind), $(($(delta udp-tun 5) - $(delta udp-tun 7))) in" \
    "the tunnel, $(delta udp-tun 8) datagrams at the receiving socket."
echo "pptpcd's CPU per GB in the TCP run: $(s_per_gb tcp-tun 11) s in" \
    "user space (MPPE, framing), $(s_per_gb tcp-tun 12) s in the kernel" \
    "(tun, raw socket, and the receive side of the veth that runs in the" \
    "sender's context)."
echo "TCP through the tunnel: pptpcd used $(core_pct tcp-tun 1) % of a" \
    "core, the peer $(core_pct tcp-tun 2) %, and the machine was" \
    "$(idle_pct tcp-tun) % idle ($(nproc) CPUs, shared)."
if [ -n "$mppe_enc" ]; then
	echo "Against MPPE-128 stateless on one core in this run" \
	    "($mppe_enc MB/s encrypt, ${mppe_dec:--} MB/s decrypt):" \
	    "pptpcd's CPU per GB $cpu_ratio x what encryption alone costs" \
	    "(target <= 1.4; its user-space part alone $user_ratio x), the" \
	    "peer's $peer_ratio x decryption's; TCP" \
	    "rate $rate_ratio of the encryption rate (target >= 0.6)."
else
	echo "No MPPE figure of this run in the CSV: the ratios to the" \
	    "cipher come with bench/run.sh (make bench)."
fi
echo "TCP retransmissions: bare veth $(retr tcp-veth), tunnel" \
    "$(retr tcp-tun).  CPU: utime + stime over the run per 10^9 bytes" \
    "delivered."
if [ "$((UDP_LEN + 28))" -gt "$mtu" ]; then
	echo "A ${UDP_LEN}-byte datagram is a $((UDP_LEN + 28))-byte IP" \
	    "packet, more than the tunnel's MTU $mtu: it crosses the tunnel" \
	    "as two packets."
fi
# TCP segments fit the tunnel's MTU, so a fragment made during the TCP
# run is a GRE packet too big for the veth: worth a line, it is costly.
frags=$(($(delta tcp-tun 3) + $(delta tcp-tun 4)))
if [ "$frags" -gt 0 ]; then
	echo "note: $frags GRE packets were fragmented on the veth during" \
	    "the TCP run (tunnel MTU $mtu, veth MTU" \
	    "$(e2e_cli cat /sys/class/net/vcli/mtu 2>/dev/null))."
fi

status=0
