# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
# lib.sh: the interop test bed.  Sourced by the atf-sh tests in this
# folder (". $(atf_get_srcdir)/lib.sh").  POSIX sh plus "local", and bash
# for one probe.
#
# A test boots Debian's kernel in qemu (TCG; KVM is never used) with an
# initramfs from mkinitramfs.sh that runs Poptop (pptpd + pppd) on the
# PPP/PPTP modules the host kernel lacks.  qemu runs inside a network
# namespace of the test's own; its virtio-net is a tap device in there.
# The host never sees any of it.
#
#   namespace pptpc-it-PID-N (it_netns_create)
#     one VM:   tap0 198.51.100.2/24 ---- VM eth0 198.51.100.1 (server)
#     two VMs:  br0  198.51.100.2/24 -+-- tap0 -- VM eth0 198.51.100.1 (server)
#                                     +-- tap1 -- VM eth0 198.51.100.3 (client)
#   pppd in the server VM: 192.0.2.1, clients get 192.0.2.10-20,
#   ms-dns 192.0.2.53 and .54, user "pptpc" password "interop-secret"
#   (IT_USER, IT_PASSWORD below).
#
# Typical test:
#   body:    it_setup; it_image; it_server_start pptpc.mppe=40
#            it_nsexec SOMETHING...; it_vm_exec server 'ip addr'
#   cleanup: it_cleanup
#
# Everything a cleanup must find is kept in files under $IT_STATE (the
# test's work directory), because Kyua runs a test's cleanup part in a
# process of its own that shares only that directory with the body.
# Every wait has a timeout; on failure the VM logs are printed to stderr
# (kyua report --verbose shows them).
#
# Functions (NAME is a VM name of the test's choosing, e.g. "server"):
#   it_setup                 state dir, checks (/dev/net/tun, root), and a
#                            trap that cleans up (and prints the VM logs
#                            if the body fails) however the body exits
#   it_image [--with-client DIR]
#                            build or reuse the image; sets IT_IMAGE.
#                            DIR (e.g. one holding pptpcd) is /client in
#                            the VM and on its PATH
#   it_netns_create [bridge|plain]
#                            new namespace, sets IT_NS; one tap (tap0), or
#                            with "bridge" a bridge br0 joining tap0 and
#                            tap1, or with "plain" only lo
#   it_nsexec CMD...         run CMD in the namespace
#   it_vm_add_file NAME SRC DEST
#                            before it_vm_start: put file SRC at DEST in
#                            VM NAME (a second cpio archive; the image is
#                            not rebuilt).  /extra/pptpd-options and
#                            /extra/chap-secrets extend pppd's config
#   it_vm_start NAME TAP ADDR/LEN [PARAM...]
#                            boot VM NAME on TAP with eth0 = ADDR/LEN;
#                            PARAMs go on the kernel command line, e.g.
#                            pptpc.mppe=40 pptpc.stateful=1 pptpc.auth=pap
#                            pptpc.server=0 pptpc.run=/extra/x.sh
#                            pptpc.halt=1 (list in vm-init.sh)
#   it_vm_wait_tcp NAME ADDR PORT [SECS]
#                            wait until ADDR:PORT accepts a TCP connection
#                            from the namespace
#   it_vm_wait_log NAME ERE [SECS]
#                            wait until the VM log has a line matching ERE
#   it_vm_wait_exit NAME [SECS]
#                            wait until qemu has exited (pptpc.halt=1)
#   it_vm_exec NAME SCRIPT [SECS]
#                            run shell SCRIPT in the VM (over TCP to its
#                            control shell), print its stdout and stderr,
#                            return its exit status.  SCRIPT runs in a
#                            subshell of /, its stdin is /dev/null; a
#                            job it leaves in the background must not
#                            keep stdout open (or exec waits for it)
#   it_vm_log NAME           path of the VM's serial log
#   it_vm_alive NAME         true while qemu runs
#   it_vm_stop NAME          kill qemu (TERM, then KILL)
#   it_server_start [PARAM...]
#                            it_netns_create + server VM on tap0 +
#                            wait for pptpd on 198.51.100.1:1723
#   it_pair_start [PARAM...] [-- CLIENT-PARAM...]
#                            it_netns_create bridge + server VM (tap0) +
#                            client VM (tap1, 198.51.100.3, no pptpd) +
#                            wait for pptpd and for the client's "ready"
#   it_client_start [PARAM...]
#                            it_netns_create bridge + the client VM alone
#                            (tap1, 198.51.100.3) + wait for its "ready":
#                            for a server on the host side (it_peer_start)
#   it_peer_start [ARG...]   the project's test peer (tests/peer/pptp-peer)
#                            in $IT_NS on 198.51.100.2 (br0) as IT_USER
#                            with IT_PASSWORD, with its misbehaviour ARGs;
#                            log in $IT_STATE/peer.log
#   it_peer_stop             TERM it and wait (it_cleanup does it too)
#   it_sccrq                 write a 156-byte Start-Control-Connection-
#                            Request to stdout
#   it_check_sccrp FILE      check FILE is a successful SCCRP (message
#                            on stderr, false if not)
#   it_fail MSG              print the VM logs, then atf_fail MSG
#   it_cleanup               kill every VM, delete every namespace;
#                            safe to call any number of times
#   it_ms                    milliseconds since the epoch (for timings)
#
# pptpcd under test (the client cases).  It runs on the host side, inside
# the test's namespace, never in the host's own; its files are in
# $IT_PC, which is $IT_STATE unless it_pc_use says otherwise:
# pptpcd.conf (mode 0600), pptpcd.log, ctl.sock, pptpcd.pid.
# Binaries: PPTPC_IT_PPTPCD and PPTPC_IT_PPTPCTL, by default the ones
# built in the source tree.  The tunnel is always called "interop".
#   it_pc_use NAME NS        a test with several pptpcd (t_interop:nat_two)
#                            selects one: its files go to
#                            $IT_STATE/pc-NAME, and NS becomes IT_NS, the
#                            namespace it runs in and that it_nsexec,
#                            it_ping, it_send and it_recv use; the
#                            it_pptpcd_*, it_ctl, it_session and it_wait_*
#                            functions then act on that one
#   it_pptpcd_conf [-p PASSWORD] [-o MODE] [-c FILE] [LINE...]
#                            write the config: tunnel "interop" to the
#                            server VM as IT_USER with IT_PASSWORD (or
#                            PASSWORD), offload userspace (or MODE), then
#                            LINEs inside the braces; checked with
#                            pptpcd -n.  -c writes FILE instead of
#                            $IT_STATE/pptpcd.conf (a config for a VM)
#   it_pptpcd_start          start pptpcd -d -v -f CONF -s SOCK in $IT_NS
#   it_pptpcd_alive          true while it runs
#   it_pptpcd_stop [SIG]     TERM (or SIG) it, then KILL after 10 s;
#                            sets IT_PPTPCD_STATUS and IT_PPTPCD_KILLED
#   it_pptpcd_log            path of its log
#   it_pptpcd_wait_log ERE [SECS]
#                            wait until its log has a line matching ERE
#   it_ctl ARGS...           pptpctl -s SOCK ARGS... (bounded in time)
#   it_session               the tunnel's JSON object, one line
#   it_field FIELD           one field of it: a string, a number, an
#                            array joined by ",", "" for null
#   it_wait_json JQ-EXPR SECS WHAT
#                            poll pptpctl every 0.5 s until JQ-EXPR is
#                            true of the session (IT_JSON is then that
#                            object); fails the test naming WHAT, the
#                            state and last_error after SECS, or at once
#                            if pptpcd dies
#   it_wait_state STATE [SECS]
#                            it_wait_json for .state == STATE (60 s)
#   it_ping ADDR [COUNT]     ping ADDR from the namespace, true if any
#                            reply came back
#
# Bulk data, checked end to end with SHA-256 (busybox nc on both sides):
#   it_send NAME ADDR PORT FILE [SECS]
#                            VM NAME listens on PORT, the namespace sends
#                            FILE to ADDR:PORT; fails the test unless the
#                            VM's checksum of what came is FILE's
#   it_sink NAME PORT        the receiving half of it_send: VM NAME
#                            listens on PORT (for senders of the test's
#                            own, e.g. two at once)
#   it_sink_sum NAME PORT    then: the SHA-256 of what came (waits 20 s)
#   it_recv NAME ADDR PORT BYTES [SECS]
#                            the namespace listens on PORT, VM NAME
#                            sends BYTES random bytes to ADDR:PORT;
#                            fails the test unless both checksums agree
#
# Environment: PPTPC_IT_CACHE (image cache, default build/interop),
# PPTPC_IT_KVER (kernel version), IT_BOOT_TIMEOUT (default 90 s),
# IT_KERNEL_ARGS (added to every VM's kernel command line).
#
# Figures on this 2-core host (TCG, shared with other work): image build
# 2-5 s, then reused in 0.3 s; boot to pptpd listening 4-8 s (11 s for two
# VMs at once); qemu RSS about 290 MB per VM (-m 256; the guest itself
# uses 20 MB); a single-VM test case 5-15 s.

IT_STATE=${IT_STATE:-$PWD/it-state}
IT_PC=$IT_STATE
IT_SERVER_ADDR=198.51.100.1
IT_CLIENT_ADDR=198.51.100.3
IT_HOST_ADDR=198.51.100.2
IT_PREFIX=24
# The account in the server VM's chap-secrets (vm-init.sh), for the
# tests that dial in.
# shellcheck disable=SC2034
IT_USER=pptpc
# shellcheck disable=SC2034
IT_PASSWORD=interop-secret
IT_CTL_PORT=7023
IT_BOOT_TIMEOUT=${IT_BOOT_TIMEOUT:-90}

# Functions declare their variables local (dash, bash and busybox ash all
# have it) so that they never clobber a test's own.

it_srcdir()
{
	if [ -n "${IT_SRCDIR:-}" ]; then
		echo "$IT_SRCDIR"
	else
		atf_get_srcdir
	fi
}

it_ms()
{
	echo $(($(date +%s%N) / 1000000))
}

it_log()
{
	echo "interop: $*" >&2
}

it_dump_logs()
{
	local d n

	for d in "$IT_STATE"/vm/*; do
		[ -d "$d" ] || continue
		n=${d##*/}
		if [ -s "$d/qemu.out" ]; then
			echo "==== qemu output of VM $n ====" >&2
			cat "$d/qemu.out" >&2
		fi
		echo "==== serial log of VM $n ====" >&2
		cat "$d/serial.log" >&2 2>/dev/null
		echo "==== state of VM $n: $(it_vm_health "$n") ====" >&2
		echo "==== end of VM $n ====" >&2
	done
	for d in "$IT_STATE" "$IT_STATE"/pc-*; do
		[ -d "$d" ] || continue
		(IT_PC=$d; it_pptpcd_dump)
	done
}

it_fail()
{
	it_dump_logs
	# The logs are printed once; the exit trap must not repeat them.
	: >"$IT_STATE/logs-dumped"
	if command -v atf_fail >/dev/null 2>&1; then
		atf_fail "$*"
	fi
	echo "interop: FAIL: $*" >&2
	exit 1
}

it_on_exit()
{
	local rc=$?

	if [ "$rc" != 0 ] && [ ! -e "$IT_STATE/logs-dumped" ]; then
		it_dump_logs
	fi
	it_cleanup
	exit "$rc"
}

it_setup()
{
	local p

	mkdir -p "$IT_STATE/vm" || atf_fail "cannot create $IT_STATE"
	[ "$(id -u)" = 0 ] || atf_skip "needs root (network namespaces, tap)"
	[ -c /dev/net/tun ] || atf_skip "no /dev/net/tun"
	for p in qemu-system-x86_64 ip busybox bash timeout od cpio gzip; do
		command -v "$p" >/dev/null 2>&1 || atf_skip "$p not installed"
	done
	trap it_on_exit EXIT
	trap 'exit 1' INT TERM HUP
}

it_image()
{
	local cache t0

	cache=${PPTPC_IT_CACHE:-$(it_srcdir)/../../build/interop}
	t0=$(it_ms)
	IT_IMAGE=$(sh "$(it_srcdir)/mkinitramfs.sh" "$cache" "$@" \
	    2>"$IT_STATE/mkinitramfs.err") || {
		cat "$IT_STATE/mkinitramfs.err" >&2
		it_fail "mkinitramfs.sh failed"
	}
	it_log "image $IT_IMAGE ready in $(($(it_ms) - t0)) ms"
}

it_netns_create()
{
	local n t

	n=$(($(cat "$IT_STATE/netns.count" 2>/dev/null || echo 0) + 1))
	echo "$n" >"$IT_STATE/netns.count"
	IT_NS=pptpc-it-$$-$n
	# Recorded before it exists, so that a failure half-way through
	# is cleaned up too.
	echo "$IT_NS" >>"$IT_STATE/netns"
	ip netns add "$IT_NS" || it_fail "ip netns add $IT_NS failed"
	ip -n "$IT_NS" link set lo up || it_fail "lo up in $IT_NS failed"
	if [ "${1:-}" = plain ]; then
		return 0
	elif [ "${1:-}" = bridge ]; then
		ip -n "$IT_NS" link add br0 type bridge ||
		    it_fail "cannot create bridge br0 in $IT_NS"
		for t in tap0 tap1; do
			ip -n "$IT_NS" tuntap add dev $t mode tap &&
			    ip -n "$IT_NS" link set $t master br0 up ||
			    it_fail "cannot create $t on br0 in $IT_NS"
		done
		ip -n "$IT_NS" addr add "$IT_HOST_ADDR/$IT_PREFIX" dev br0 &&
		    ip -n "$IT_NS" link set br0 up ||
		    it_fail "cannot configure br0 in $IT_NS"
	else
		ip -n "$IT_NS" tuntap add dev tap0 mode tap &&
		    ip -n "$IT_NS" addr add "$IT_HOST_ADDR/$IT_PREFIX" \
		    dev tap0 &&
		    ip -n "$IT_NS" link set tap0 up ||
		    it_fail "cannot create tap0 in $IT_NS"
	fi
}

it_nsexec()
{
	ip netns exec "$IT_NS" "$@"
}

it_vm_add_file()
{
	local d

	[ $# = 3 ] || it_fail "usage: it_vm_add_file NAME SRC DEST"
	case $3 in
	/*) ;;
	*) it_fail "it_vm_add_file: $3 is not an absolute path" ;;
	esac
	d=$IT_STATE/vm/$1/overlay
	mkdir -p "$d$(dirname "$3")" && cp "$2" "$d$3" ||
	    it_fail "it_vm_add_file: cannot copy $2"
}

it_vm_log()
{
	echo "$IT_STATE/vm/$1/serial.log"
}

it_vm_pid()
{
	cat "$IT_STATE/vm/$1/qemu.pid" 2>/dev/null
}

# One line on a VM as seen from the host, for failure reports: is qemu
# still there, how much CPU it has had (a hung guest still burns it; a
# stopped qemu does not), and does the guest answer a ping.
it_vm_health()
{
	local p ticks addr ping

	p=$(it_vm_pid "$1")
	if [ -z "$p" ] || ! kill -0 "$p" 2>/dev/null; then
		echo "qemu not running"
		return 0
	fi
	# Fields 14 and 15 of /proc/PID/stat: user and system clock ticks.
	ticks=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null)
	addr=$(cat "$IT_STATE/vm/$1/addr" 2>/dev/null)
	ping=no
	ip netns exec "$(cat "$IT_STATE/vm/$1/netns")" \
	    busybox ping -c 2 -W 2 "$addr" >/dev/null 2>&1 && ping=yes
	echo "qemu $p running, CPU $((${ticks:-0} / $(getconf CLK_TCK))) s," \
	    "$(($(it_vm_elapsed "$1") / 1000)) s since start, answers ping: $ping"
}

it_vm_alive()
{
	local p

	p=$(it_vm_pid "$1")
	[ -n "$p" ] && kill -0 "$p" 2>/dev/null
}

it_vm_start()
{
	local name tap addr d initrd i mac t cmdline

	[ $# -ge 3 ] || it_fail "usage: it_vm_start NAME TAP ADDR/LEN [PARAM...]"
	[ -n "${IT_IMAGE:-}" ] || it_fail "it_vm_start before it_image"
	[ -n "${IT_NS:-}" ] || it_fail "it_vm_start before it_netns_create"
	name=$1 tap=$2 addr=$3
	shift 3
	d=$IT_STATE/vm/$name
	[ ! -e "$d/qemu.pid" ] || it_fail "VM $name already started"
	mkdir -p "$d"
	echo "$IT_NS" >"$d/netns"
	echo "${addr%/*}" >"$d/addr"
	initrd=$IT_IMAGE/initrd.gz
	if [ -d "$d/overlay" ]; then
		# The kernel unpacks concatenated archives in turn, so the
		# test's files land on top of the cached image.
		(cd "$d/overlay" && find . | LC_ALL=C sort |
		    cpio --quiet -o -H newc -R 0:0) | gzip -n -1 \
		    >"$d/overlay.gz" || it_fail "cannot pack $d/overlay"
		cat "$IT_IMAGE/initrd.gz" "$d/overlay.gz" >"$d/initrd.gz"
		initrd=$d/initrd.gz
	fi
	# Distinct MACs: two VMs share the bridge.
	i=${tap#tap}
	mac=52:54:00:12:35:$(printf %02x $((i + 1)))
	# quiet: the kernel's boot chatter costs half a second on the
	# emulated UART; warnings still show.  IT_KERNEL_ARGS=loglevel=7
	# brings it back.
	cmdline="console=ttyS0 panic=-1 quiet ${IT_KERNEL_ARGS:-}"
	cmdline="$cmdline pptpc.ip=$addr pptpc.name=$name $*"
	it_ms >"$d/started"
	# Not -daemonize: qemu stays in the test's process group, so Kyua's
	# timeout kills it even before the cleanup part runs.  The monitor
	# is off and stdin closed since nobody types here.  romfile= skips
	# the iPXE boot ROM, which would only slow the boot down.
	ip netns exec "$IT_NS" qemu-system-x86_64 \
	    -accel tcg -m 256 -smp 1 -nographic -nodefaults -no-user-config \
	    -no-reboot -monitor none -serial "file:$d/serial.log" \
	    -kernel "$IT_IMAGE/kernel" -initrd "$initrd" \
	    -append "$cmdline" \
	    -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" \
	    -device "virtio-net-pci,netdev=n0,mac=$mac,romfile=" \
	    -pidfile "$d/qemu.pid" \
	    </dev/null >"$d/qemu.out" 2>&1 &
	echo $! >"$d/launcher.pid"
	# qemu writes its pid file once it has set everything up; failing
	# before that (bad tap, bad kernel) shows as the launcher exiting.
	t=0
	while [ ! -s "$d/qemu.pid" ]; do
		kill -0 "$(cat "$d/launcher.pid")" 2>/dev/null ||
		    it_fail "qemu for VM $name did not start"
		t=$((t + 1))
		[ $t -le 100 ] || it_fail "qemu for VM $name: no pid file in 10 s"
		sleep 0.1
	done
	it_log "VM $name: qemu pid $(it_vm_pid "$name") on $IT_NS/$tap," \
	    "eth0 $addr"
}

it_vm_elapsed()
{
	echo $(($(it_ms) - $(cat "$IT_STATE/vm/$1/started")))
}

it_vm_wait_tcp()
{
	local name="$1" waddr="$2" wport="$3" secs="${4:-$IT_BOOT_TIMEOUT}" end

	end=$(($(it_ms) + secs * 1000))
	# bash's /dev/tcp connects and closes: no data, no waiting for the
	# server to close first, and a clean yes or no.
	until ip netns exec "$(cat "$IT_STATE/vm/$name/netns")" timeout 2 \
	    bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$waddr" "$wport" 2>/dev/null; do
		it_vm_alive "$name" ||
		    it_fail "VM $name exited before $waddr:$wport answered"
		[ "$(it_ms)" -lt "$end" ] ||
		    it_fail "VM $name: $waddr:$wport not answering after $secs s"
		sleep 0.5
	done
	it_log "VM $name: $waddr:$wport answers," \
	    "$(it_vm_elapsed "$name") ms after start"
}

it_vm_wait_log()
{
	local name="$1" ere="$2" secs="${3:-$IT_BOOT_TIMEOUT}" log end

	log=$(it_vm_log "$name")
	end=$(($(it_ms) + secs * 1000))
	until grep -Eq "$ere" "$log" 2>/dev/null; do
		if ! it_vm_alive "$name"; then
			# It may have printed the line and then powered off.
			grep -Eq "$ere" "$log" 2>/dev/null && break
			it_fail "VM $name exited without logging /$ere/"
		fi
		[ "$(it_ms)" -lt "$end" ] ||
		    it_fail "VM $name: no /$ere/ in its log after $secs s"
		sleep 0.2
	done
}

it_vm_wait_exit()
{
	local name="$1" secs="${2:-$IT_BOOT_TIMEOUT}" end

	end=$(($(it_ms) + secs * 1000))
	while it_vm_alive "$name"; do
		[ "$(it_ms)" -lt "$end" ] ||
		    it_fail "VM $name still running after $secs s"
		sleep 0.2
	done
}

it_vm_exec()
{
	local name="$1" script="$2" secs="${3:-30}" d ncrc rc

	d=$IT_STATE/vm/$name
	[ -f "$d/addr" ] || it_fail "it_vm_exec: no VM $name"
	# Our stdin reaches the VM's sh; nc half-closes after it, so sh
	# sees end of file and exits, and the last line reports the status.
	# The subshell keeps an "exit" in SCRIPT from skipping that line.
	printf 'exec 2>&1 </dev/null\n(\n%s\n)\necho "__it_rc=$?"\n' "$script" |
	    ip netns exec "$(cat "$d/netns")" timeout "$secs" \
	    busybox nc "$(cat "$d/addr")" "$IT_CTL_PORT" >"$d/exec.out"
	ncrc=$?
	rc=$(sed -n 's/^__it_rc=\([0-9]*\)$/\1/p' "$d/exec.out")
	grep -v '^__it_rc=[0-9]*$' "$d/exec.out"
	if [ -z "$rc" ]; then
		it_log "VM $name: it_vm_exec got no exit status (nc: $ncrc)"
		return 255
	fi
	return "$rc"
}

it_vm_stop()
{
	local name="$1" d p t

	d=$IT_STATE/vm/$name
	p=$(it_vm_pid "$name")
	[ -n "$p" ] || p=$(cat "$d/launcher.pid" 2>/dev/null)
	[ -n "$p" ] || return 0
	# vm-init.sh works around qemu's virtio-net stalls; say when it had to.
	grep 'pptpc-vm: eth0 .*, resetting ' "$d/serial.log" 2>/dev/null |
	    while read -r t; do
		it_log "VM $name: qemu stalled ${t#pptpc-vm: }"
	    done
	kill -TERM "$p" 2>/dev/null
	t=0
	while kill -0 "$p" 2>/dev/null; do
		t=$((t + 1))
		if [ $t -eq 50 ]; then
			it_log "VM $name: qemu ignored SIGTERM, killing it"
			kill -KILL "$p" 2>/dev/null
		fi
		if [ $t -gt 100 ]; then
			it_log "VM $name: qemu $p will not die"
			return 1
		fi
		sleep 0.1
	done
	# Reap it if it is our child, so that no zombie stays behind.
	wait "$p" 2>/dev/null
	rm -f "$d/qemu.pid" "$d/launcher.pid"
	return 0
}

it_server_start()
{
	it_netns_create
	it_vm_start server tap0 "$IT_SERVER_ADDR/$IT_PREFIX" "$@"
	it_vm_wait_tcp server "$IT_SERVER_ADDR" 1723
}

it_pair_start()
{
	local a sparams='' cparams='' seen=''

	for a in "$@"; do
		if [ -z "$seen" ] && [ "$a" = -- ]; then
			seen=1
		elif [ -z "$seen" ]; then
			sparams="$sparams $a"
		else
			cparams="$cparams $a"
		fi
	done
	it_netns_create bridge
	# Kernel parameters have no blanks (the kernel splits at blanks),
	# so plain word splitting is right here.
	it_vm_start server tap0 "$IT_SERVER_ADDR/$IT_PREFIX" $sparams
	it_vm_start client tap1 "$IT_CLIENT_ADDR/$IT_PREFIX" pptpc.server=0 \
	    $cparams
	it_vm_wait_tcp server "$IT_SERVER_ADDR" 1723
	it_vm_wait_log client '^pptpc-vm: ready'
	it_log "VM client: ready $(it_vm_elapsed client) ms after start"
}

it_client_start()
{
	it_netns_create bridge
	# shellcheck disable=SC2086
	it_vm_start client tap1 "$IT_CLIENT_ADDR/$IT_PREFIX" pptpc.server=0 \
	    "$@"
	it_vm_wait_log client '^pptpc-vm: ready'
	it_log "VM client: ready $(it_vm_elapsed client) ms after start"
}

it_peer_start()
{
	local bin end

	bin=$(it_topdir)/tests/peer/pptp-peer
	[ -x "$bin" ] || it_fail "no test peer at $bin (make tests)"
	[ -n "${IT_NS:-}" ] || it_fail "it_peer_start before it_netns_create"
	: >"$IT_STATE/peer.log"
	# As pptpcd: ip netns exec execs in place, so $! is the peer.
	ip netns exec "$IT_NS" "$bin" -d -v -l "$IT_HOST_ADDR" -u "$IT_USER" \
	    -P "$IT_PASSWORD" "$@" </dev/null >>"$IT_STATE/peer.log" 2>&1 &
	echo $! >"$IT_STATE/peer.pid"
	end=$(($(it_ms) + 10000))
	until grep -q 'listening on' "$IT_STATE/peer.log"; do
		it_pid_running "$(cat "$IT_STATE/peer.pid")" ||
		    it_fail "the test peer exited at start:" \
		    "$(tail -n 3 "$IT_STATE/peer.log")"
		[ "$(it_ms)" -lt "$end" ] ||
		    it_fail "the test peer did not listen within 10 s"
		sleep 0.1
	done
}

it_peer_stop()
{
	local p t=0

	p=$(cat "$IT_STATE/peer.pid" 2>/dev/null) || return 0
	kill "$p" 2>/dev/null
	# It says goodbye to its clients for up to 4 s, then exits.
	while it_pid_running "$p" && [ $t -lt 80 ]; do
		t=$((t + 1))
		sleep 0.1
	done
	it_pid_running "$p" && kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	rm -f "$IT_STATE/peer.pid"
	return 0
}

it_pad()
{
	printf '%s' "$1"
	head -c $(($2 - ${#1})) /dev/zero
}

it_sccrq()
{
	# Length 156, message type 1 (control), magic cookie 0x1A2B3C4D,
	# control message type 1 (SCCRQ), reserved.
	printf '\000\234\000\001\032\053\074\115\000\001\000\000'
	# Version 1.0, reserved, framing capabilities 1 (async), bearer
	# capabilities 1 (analog), maximum channels 0 (as a PNS sends),
	# firmware revision 1.
	printf '\001\000\000\000\000\000\000\001\000\000\000\001\000\000\000\001'
	it_pad pptpc-interop 64		# host name
	it_pad pptpc 64			# vendor
}

it_check_sccrp()
{
	local f="$1" len hex

	len=$(wc -c <"$f")
	if [ "$len" -ne 156 ]; then
		echo "SCCRP is $len bytes, want 156" >&2
		return 1
	fi
	hex=$(od -An -tx1 -v -N16 "$f" | tr -d ' \n')
	# Length, message type, cookie, control type 2, reserved0.
	case $hex in
	009c00011a2b3c4d00020000*) ;;
	*)
		echo "not an SCCRP header: $hex" >&2
		return 1 ;;
	esac
	if [ "$(echo "$hex" | cut -c25-28)" != 0100 ]; then
		echo "SCCRP version is not 1.0: $hex" >&2
		return 1
	fi
	if [ "$(echo "$hex" | cut -c29-30)" != 01 ]; then
		echo "SCCRP result code is not 1 (success): $hex" >&2
		return 1
	fi
	return 0
}

it_cleanup()
{
	local d ns

	[ -d "$IT_STATE" ] || return 0
	# pptpcd first, while the server is still there for its goodbyes
	# and before its namespace goes.
	for d in "$IT_STATE" "$IT_STATE"/pc-*; do
		[ -d "$d" ] || continue
		IT_PC=$d
		# shellcheck disable=SC2119
		it_pptpcd_stop
	done
	IT_PC=$IT_STATE
	it_peer_stop
	if [ -f "$IT_STATE/captures" ]; then
		while read -r d; do
			it_capture_stop "$d" >/dev/null
		done <"$IT_STATE/captures"
	fi
	for d in "$IT_STATE"/vm/*; do
		[ -d "$d" ] && it_vm_stop "${d##*/}"
	done
	if [ -f "$IT_STATE/netns" ]; then
		while read -r ns; do
			ip netns list 2>/dev/null | grep -q "^$ns\( \|$\)" ||
			    continue
			ip netns del "$ns" ||
			    it_log "cannot delete network namespace $ns"
		done <"$IT_STATE/netns"
	fi
	return 0
}

# --- pptpcd under test ---

IT_TUNNEL=interop

it_topdir()
{
	(cd "$(it_srcdir)/../.." && pwd)
}

it_pptpcd_bin()
{
	echo "${PPTPC_IT_PPTPCD:-$(it_topdir)/daemon/pptpcd}"
}

it_pptpctl_bin()
{
	echo "${PPTPC_IT_PPTPCTL:-$(it_topdir)/ctl/pptpctl}"
}

it_pc_use()
{
	IT_PC=$IT_STATE/pc-$1
	IT_NS=$2
	mkdir -p "$IT_PC" || it_fail "cannot create $IT_PC"
}

it_pptpcd_log()
{
	echo "$IT_PC/pptpcd.log"
}

it_pptpcd_conf()
{
	local pw="$IT_PASSWORD" conf="$IT_PC/pptpcd.conf" l mode=userspace

	while :; do
		case ${1:-} in
		-p) pw=$2 ;;
		-o) mode=$2 ;;
		-c) conf=$2 ;;
		*) break ;;
		esac
		shift 2
	done
	# Private from the first byte: pptpcd refuses a config with a
	# password that others can read, and rightly so.
	(
		umask 077
		{
			echo "tunnel $IT_TUNNEL {"
			echo "	server $IT_SERVER_ADDR"
			echo "	username \"$IT_USER\""
			echo "	password \"$pw\""
			echo "	offload $mode"
			for l in "$@"; do
				echo "	$l"
			done
			echo "}"
		} >"$conf"
	) || it_fail "cannot write $conf"
	chmod 600 "$conf"
	# A typo in a test's config would otherwise show up as a daemon
	# that never comes up.
	"$(it_pptpcd_bin)" -n -f "$conf" >"$IT_PC/conf.check" 2>&1 || {
		cat "$conf" "$IT_PC/conf.check" >&2
		it_fail "pptpcd -n rejects the test's config:" \
		    "$(head -n 1 "$IT_PC/conf.check")"
	}
}

it_pptpcd_pid()
{
	cat "$IT_PC/pptpcd.pid" 2>/dev/null
}

# True while process $1 runs.  A zombie does not count: dash reaps a
# child only when it waits for it, so kill -0 alone would say "still
# there" for ever.
it_pid_running()
{
	local st

	st=$(sed 's/^.*) \(.\).*$/\1/' "/proc/$1/stat" 2>/dev/null) &&
	    [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# True while the pid in pptpcd.pid is pptpcd; a pid reused by something
# else after it died is never taken for it (nor signalled by the stop).
it_pptpcd_alive()
{
	local p

	p=$(it_pptpcd_pid)
	[ -n "$p" ] && it_pid_running "$p" &&
	    tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null | head -n 1 |
	    grep -q 'pptpcd$'
}

it_pptpcd_start()
{
	local bin sock end

	bin=$(it_pptpcd_bin)
	sock=$IT_PC/ctl.sock
	[ -x "$bin" ] || it_fail "no pptpcd at $bin (make daemon/pptpcd)"
	[ -x "$(it_pptpctl_bin)" ] ||
	    it_fail "no pptpctl at $(it_pptpctl_bin) (make ctl/pptpctl)"
	[ -n "${IT_NS:-}" ] || it_fail "it_pptpcd_start before it_netns_create"
	[ -f "$IT_PC/pptpcd.conf" ] ||
	    it_fail "it_pptpcd_start before it_pptpcd_conf"
	it_pptpcd_alive && it_fail "pptpcd already running"
	# sun_path holds 108 bytes with the NUL.
	[ ${#sock} -lt 108 ] ||
	    it_fail "socket path $sock is too long for a UNIX socket"
	echo "==== pptpcd started $(date +%T) ====" >>"$(it_pptpcd_log)"
	# ip netns exec execs pptpcd in place, so $! is pptpcd itself; it
	# stays in the test's process group for Kyua's timeout to kill.
	ip netns exec "$IT_NS" "$bin" -d -v -f "$IT_PC/pptpcd.conf" \
	    -s "$sock" </dev/null >>"$(it_pptpcd_log)" 2>&1 &
	echo $! >"$IT_PC/pptpcd.pid"
	end=$(($(it_ms) + 10000))
	until [ -S "$sock" ] && it_ctl -j show sessions >/dev/null 2>&1; do
		# Not it_pptpcd_alive: until ip netns exec has exec'd, the
		# process is still "ip", which a loaded host shows.
		it_pid_running "$(it_pptpcd_pid)" ||
		    it_fail "pptpcd exited at start"
		[ "$(it_ms)" -lt "$end" ] ||
		    it_fail "pptpcd: no answer on $sock after 10 s"
		sleep 0.2
	done
	it_log "pptpcd pid $(it_pptpcd_pid) in $IT_NS"
}

# Sets IT_PPTPCD_STATUS to pptpcd's exit status (when it is this
# shell's child, else 127) and IT_PPTPCD_KILLED to 1 if it had to be
# killed; false only if it would not die at all.
# shellcheck disable=SC2120
it_pptpcd_stop()
{
	local p t=0

	# shellcheck disable=SC2034
	IT_PPTPCD_KILLED=0 IT_PPTPCD_STATUS=
	p=$(it_pptpcd_pid)
	[ -n "$p" ] || return 0
	if it_pptpcd_alive; then
		kill "-${1:-TERM}" "$p" 2>/dev/null
		while it_pid_running "$p"; do
			t=$((t + 1))
			if [ $t -eq 100 ]; then
				it_log "pptpcd ignored SIG${1:-TERM} for 10 s," \
				    "killing it"
				# shellcheck disable=SC2034
				IT_PPTPCD_KILLED=1
				kill -KILL "$p" 2>/dev/null
			fi
			[ $t -le 150 ] || {
				it_log "pptpcd $p will not die"
				return 1
			}
			sleep 0.1
		done
	fi
	wait "$p" 2>/dev/null
	# shellcheck disable=SC2034
	IT_PPTPCD_STATUS=$?
	rm -f "$IT_PC/pptpcd.pid"
	return 0
}

it_pptpcd_dump()
{
	local log

	log=$(it_pptpcd_log)
	[ -s "$log" ] || return 0
	echo "==== pptpcd log (last 300 lines of $log) ====" >&2
	tail -n 300 "$log" >&2
	if it_pptpcd_alive; then
		echo "==== pptpctl -j show sessions ====" >&2
		it_ctl -j show sessions >&2 2>&1
	fi
	echo "==== end of pptpcd ====" >&2
}

it_pptpcd_wait_log()
{
	local ere="$1" secs="${2:-30}" end

	end=$(($(it_ms) + secs * 1000))
	until grep -Eq -- "$ere" "$(it_pptpcd_log)" 2>/dev/null; do
		[ "$(it_ms)" -lt "$end" ] ||
		    it_fail "pptpcd: no /$ere/ in its log after $secs s"
		sleep 0.5
	done
}

it_ctl()
{
	# The daemon drops a silent client after 5 s; this bounds the rest.
	timeout 15 "$(it_pptpctl_bin)" -s "$IT_PC/ctl.sock" "$@"
}

it_session()
{
	it_ctl -j show sessions 2>/dev/null | jq -c --arg n "$IT_TUNNEL" '
	    .sessions // [] | map(select(.name == $n)) | .[0] // empty' \
	    2>/dev/null
}

it_field()
{
	it_session | jq -r --arg f "$1" '.[$f] |
	    if type == "array" then map(tostring) | join(",")
	    elif . == null then "" else tostring end' 2>/dev/null
}

it_wait_json()
{
	local expr="$1" secs="$2" what="$3" end

	end=$(($(it_ms) + secs * 1000))
	while :; do
		IT_JSON=$(it_session)
		[ -n "$IT_JSON" ] && echo "$IT_JSON" | jq -e "$expr" \
		    >/dev/null 2>&1 && return 0
		it_pptpcd_alive || it_fail "pptpcd died while waiting for $what"
		if [ "$(it_ms)" -ge "$end" ]; then
			it_fail "no $what after $secs s: state" \
			    "$(echo "$IT_JSON" | jq -r .state 2>/dev/null)," \
			    "last_error" \
			    "$(echo "$IT_JSON" | jq -r .last_error 2>/dev/null)"
		fi
		sleep 0.5
	done
}

it_wait_state()
{
	local t0

	t0=$(it_ms)
	it_wait_json ".state == \"$1\"" "${2:-60}" "state $1"
	it_log "tunnel $IT_TUNNEL $1 after $(($(it_ms) - t0)) ms"
}

it_ping()
{
	it_nsexec busybox ping -c "${2:-3}" -w 20 "$1"
}

it_sha256()
{
	sha256sum | cut -d' ' -f1
}

# busybox nc hangs up as soon as the other side has shut down its
# sending half, even with data of its own still to send.  So the side
# that only receives reads its stdin from a FIFO it holds open itself
# (<>): that stdin never ends and it never shuts down its half early.
# The sender gives up only once the receiver has read everything and
# closed.

# it_sink NAME PORT: VM NAME listens on PORT and keeps the SHA-256 of
# what comes; it_sink_sum NAME PORT waits for it (20 s) and prints it,
# or fails (false, not the test: it runs in a command substitution).
it_sink()
{
	local name="$1" port="$2" sum=/tmp/it-sink-$2

	# nc -l takes one connection: it must listen before we connect,
	# and no probe may use that connection up, hence netstat.
	it_vm_exec "$name" "rm -f $sum $sum.part $sum.fifo
	    mkfifo $sum.fifo || exit 1
	    (nc -l -p $port <>$sum.fifo | sha256sum >$sum.part &&
	    mv $sum.part $sum) </dev/null >/dev/null 2>&1 &
	    i=0
	    until netstat -ltn | grep -q ':$port '; do
		i=\$((i + 1)); [ \$i -le 50 ] || exit 1; sleep 0.1
	    done" >/dev/null || it_fail "VM $name: no listener on port $port"
}

it_sink_sum()
{
	local name="$1" port="$2" got end

	end=$(($(it_ms) + 20000))
	until got=$(it_vm_exec "$name" "cat /tmp/it-sink-$port 2>/dev/null") &&
	    [ -n "$got" ]; do
		[ "$(it_ms)" -lt "$end" ] || return 1
		sleep 0.5
	done
	echo "${got%% *}"
}

it_send()
{
	local name="$1" addr="$2" port="$3" file="$4" secs="${5:-120}"
	local want got t0 bytes

	it_sink "$name" "$port"
	want=$(it_sha256 <"$file")
	bytes=$(wc -c <"$file")
	t0=$(it_ms)
	it_nsexec timeout "$secs" busybox nc "$addr" "$port" <"$file" ||
	    it_fail "sending $bytes bytes to $addr:$port failed or timed out"
	got=$(it_sink_sum "$name" "$port") ||
	    it_fail "VM $name: no checksum of what came to port $port"
	[ "$got" = "$want" ] || it_fail "$bytes bytes sent to $addr:$port" \
	    "arrived as sha256 $got, not $want"
	it_log "$bytes bytes to $addr:$port intact in $(($(it_ms) - t0)) ms"
}

it_recv()
{
	local name="$1" addr="$2" port="$3" bytes="$4" secs="${5:-120}"
	local pid want got t0 i sum

	sum=$IT_STATE/recv-$port
	rm -f "$sum" "$sum.fifo"
	mkfifo "$sum.fifo" || it_fail "cannot make $sum.fifo"
	(it_nsexec timeout "$secs" busybox nc -l -p "$port" <>"$sum.fifo" |
	    it_sha256 >"$sum") &
	pid=$!
	i=0
	until it_nsexec busybox netstat -ltn | grep -q ":$port "; do
		i=$((i + 1))
		[ $i -le 50 ] || it_fail "no listener on port $port"
		sleep 0.1
	done
	want=$(it_vm_exec "$name" "head -c $bytes /dev/urandom \
	    >/tmp/it-source && sha256sum </tmp/it-source") ||
	    it_fail "VM $name: cannot make $bytes random bytes"
	want=${want%% *}
	t0=$(it_ms)
	it_vm_exec "$name" "nc $addr $port </tmp/it-source; rc=\$?
	    rm -f /tmp/it-source; exit \$rc" "$secs" ||
	    it_fail "VM $name: sending $bytes bytes to $addr:$port failed"
	# The listener ends once the VM's nc has shut down its half.
	wait "$pid"
	got=$(cat "$sum")
	[ "$got" = "$want" ] || it_fail "$bytes bytes from VM $name to" \
	    "$addr:$port arrived as sha256 $got, not $want"
	it_log "$bytes bytes from VM $name to $addr:$port intact in" \
	    "$(($(it_ms) - t0)) ms"
}

# pptpcd in the client VM of it_pair_start (the kernel engine needs a
# kernel with PPP, which this host lacks).  The image carries pptpcd,
# pptpctl and their libraries (--with-client), and OpenSSL 3's legacy
# provider, which crypto_init() loads for MD4 and RC4, at the path this
# libcrypto looks for it (MODULESDIR of `openssl version -m`).  Its
# files in the VM: /tmp/pptpcd.conf, /tmp/pptpcd.log, /tmp/pptpcd.pid,
# /tmp/pptpcd.sock.
#   it_vc_image              it_image --with-client for that, plus the
#                            legacy provider in VM "client"
#   it_vc_start MODE [LINE...]
#                            (VMs up) write the config as it_pptpcd_conf
#                            does, with offload MODE, into the client VM
#                            and start pptpcd there
#   it_vc_stop               TERM pptpcd in the VM and wait for it
#   it_vc_ctl ARGS...        pptpctl in the VM
#   it_vc_session            the tunnel's JSON object, as it_session
#   it_vc_wait_json JQ-EXPR SECS WHAT
#                            it_wait_json for the VM's pptpcd
#   it_vc_dump               print the VM's pptpcd log to stderr
#   it_vc_cpu                pptpcd's user + system time with its engine
#                            (children), in ticks
#   it_vc_send BYTES [ADDR]  BYTES random bytes from the client VM to the
#                            server VM's ADDR (192.0.2.1):5001 through
#                            the tunnel, checked with SHA-256; prints
#                            the ms

IT_VC_SOCK=/tmp/pptpcd.sock
IT_VC_CONF=/tmp/pptpcd.conf

it_vc_image()
{
	local cdir legacy

	cdir=$IT_STATE/client-bin
	mkdir -p "$cdir" && cp "$(it_pptpcd_bin)" "$(it_pptpctl_bin)" \
	    "$cdir/" || it_fail "cannot copy pptpcd and pptpctl"
	it_image --with-client "$cdir"
	legacy=$(openssl version -m 2>/dev/null |
	    sed -n 's/^MODULESDIR: "\(.*\)"$/\1/p')/legacy.so
	[ -f "$legacy" ] ||
	    atf_skip "no OpenSSL legacy provider at $legacy to copy"
	it_vm_add_file client "$legacy" "$legacy"
}

it_vc_start()
{
	local mode="$1"

	shift
	it_pptpcd_conf -o "$mode" -c "$IT_STATE/vm-pptpcd.conf" "$@"
	it_vm_exec client "umask 077
cat >$IT_VC_CONF <<'__IT_EOF'
$(cat "$IT_STATE/vm-pptpcd.conf")
__IT_EOF
pptpcd -n -f $IT_VC_CONF" >"$IT_STATE/vc-check" ||
	    it_fail "pptpcd -n fails in the client VM:" \
	    "$(cat "$IT_STATE/vc-check")"
	it_vm_exec client "pptpcd -d -v -f $IT_VC_CONF -s $IT_VC_SOCK \
	    </dev/null >>/tmp/pptpcd.log 2>&1 & echo \$! >/tmp/pptpcd.pid" \
	    >/dev/null || it_fail "cannot start pptpcd in the client VM"
}

it_vc_stop()
{
	it_vm_exec client 'p=$(cat /tmp/pptpcd.pid) || exit 0
	    kill $p 2>/dev/null; i=0
	    while kill -0 $p 2>/dev/null; do
		i=$((i + 1)); [ $i -le 100 ] || { kill -9 $p; exit 1; }
		sleep 0.1
	    done
	    rm -f /tmp/pptpcd.pid' >/dev/null ||
	    it_log "pptpcd in the client VM needed SIGKILL"
}

it_vc_ctl()
{
	it_vm_exec client "pptpctl -s $IT_VC_SOCK $*" 20
}

it_vc_session()
{
	it_vc_ctl -j show sessions 2>/dev/null | jq -c --arg n "$IT_TUNNEL" '
	    .sessions // [] | map(select(.name == $n)) | .[0] // empty' \
	    2>/dev/null
}

it_vc_wait_json()
{
	local expr="$1" secs="$2" what="$3" end

	end=$(($(it_ms) + secs * 1000))
	while :; do
		IT_JSON=$(it_vc_session)
		[ -n "$IT_JSON" ] && echo "$IT_JSON" | jq -e "$expr" \
		    >/dev/null 2>&1 && return 0
		if [ "$(it_ms)" -ge "$end" ]; then
			it_vc_dump
			it_fail "client VM: no $what after $secs s: state" \
			    "$(echo "$IT_JSON" | jq -r .state 2>/dev/null)," \
			    "last_error" \
			    "$(echo "$IT_JSON" | jq -r .last_error 2>/dev/null)"
		fi
		sleep 1
	done
}

it_vc_dump()
{
	echo "==== pptpcd log in the client VM ====" >&2
	it_vm_exec client 'tail -n 200 /tmp/pptpcd.log' >&2
	echo "==== end ====" >&2
}

# pptpcd and its children that run: with privilege separation its engine
# (a child) does the work, and the parent alone shows next to none of it.
it_vc_cpu()
{
	it_vm_exec client 'd=$(cat /tmp/pptpcd.pid) t=0
	    for f in /proc/[0-9]*/stat; do
		p=${f#/proc/} p=${p%/stat}
		set -- $(sed "s/^.*) //" "$f" 2>/dev/null)
		[ $# -ge 13 ] || continue
		[ "$p" = "$d" ] || [ "$2" = "$d" ] || continue
		t=$((t + ${12} + ${13}))
	    done
	    echo "$t"'
}

it_vc_send()
{
	local bytes="$1" addr="${2:-192.0.2.1}" want got t0 t end

	it_vm_exec server 'rm -f /tmp/vc-sum /tmp/vc-sum.part /tmp/vc.fifo
	    mkfifo /tmp/vc.fifo || exit 1
	    (nc -l -p 5001 <>/tmp/vc.fifo | sha256sum >/tmp/vc-sum.part &&
	    mv /tmp/vc-sum.part /tmp/vc-sum) </dev/null >/dev/null 2>&1 &
	    i=0
	    until netstat -ltn | grep -q ":5001 "; do
		i=$((i + 1)); [ $i -le 50 ] || exit 1; sleep 0.1
	    done' >/dev/null || it_fail "server VM: no listener on port 5001"
	want=$(it_vm_exec client "head -c $bytes /dev/urandom >/tmp/vc-data &&
	    sha256sum </tmp/vc-data") || it_fail "client VM: no test data"
	want=${want%% *}
	t0=$(it_ms)
	it_vm_exec client "nc $addr 5001 </tmp/vc-data" 300 >/dev/null ||
	    it_fail "client VM: sending $bytes bytes through the tunnel failed"
	t=$(($(it_ms) - t0))
	end=$(($(it_ms) + 30000))
	until got=$(it_vm_exec server 'cat /tmp/vc-sum 2>/dev/null') &&
	    [ -n "$got" ]; do
		[ "$(it_ms)" -lt "$end" ] ||
		    it_fail "server VM: no checksum of what came to port 5001"
		sleep 0.5
	done
	got=${got%% *}
	[ "$got" = "$want" ] || it_fail "$bytes bytes through the tunnel" \
	    "arrived as sha256 $got, not $want"
	it_vm_exec client 'rm -f /tmp/vc-data' >/dev/null
	echo "$t"
}

# --- pptpcd behind a Linux NAT (t_interop:nat_*) ---
#
# The namespace of it_server_start (tap0 198.51.100.2, towards the server
# VM) becomes a NAT router, with the clients in namespaces of their own
# on a LAN behind it:
#
#   client ns 1  eth0 203.0.113.11 --veth-- lan0p1 -+
#   client ns 2  eth0 203.0.113.12 --veth-- lan0p2 -+- lan0 (bridge)
#                                                     203.0.113.1
#   router ns (IT_NAT_NS): forwarding on, masquerade out of tap0 as
#   198.51.100.2 -- tap0 -- VM 198.51.100.1 (Poptop)
#
# It is the host kernel's NAT, since this kernel has nf_conntrack_pptp
# and nf_nat_pptp (built in here; Debian's kernel has them as modules,
# which the "ct helper" rule loads).  Since Linux 4.7 no helper is
# attached to a connection by its port alone (nf_conntrack_helper=0), so
# the ruleset assigns it: an nftables ct helper object for TCP to port
# 1723 from the LAN.  Without it (nohelper) the router masquerades PPTP
# as any TCP connection plus a GRE flow with no port or key to tell two
# clients' flows apart.
#   it_nat_start N [nohelper]
#                            after it_server_start: the router, N client
#                            namespaces (it_nat_ns I names the I-th), the
#                            ruleset; sets IT_NAT_NS
#   it_nat_ns I              the I-th client's namespace
#   it_nat_tap TAP           a tap on the LAN (before it_vm_start), for a
#                            client VM there: 203.0.113.21/24 with
#                            pptpc.gw=203.0.113.1
#   it_capture_start NAME NS IFACE FILTER
#                            tcpdump on IFACE in NS into
#                            $IT_STATE/NAME.pcap (waits until it listens)
#   it_capture_stop NAME     stop it, and print what it caught as
#                            tcpdump -nn -v prints it (also kept in
#                            $IT_STATE/NAME.txt)

IT_NAT_LAN=203.0.113

it_nat_start()
{
	local n="$1" helper="${2:-helper}" i ns

	IT_NAT_NS=$IT_NS
	command -v nft >/dev/null 2>&1 || atf_skip "nft not installed"
	ip -n "$IT_NAT_NS" link add lan0 type bridge &&
	    ip -n "$IT_NAT_NS" addr add "$IT_NAT_LAN.1/24" dev lan0 &&
	    ip -n "$IT_NAT_NS" link set lan0 up &&
	    ip netns exec "$IT_NAT_NS" sysctl -qw net.ipv4.ip_forward=1 ||
	    it_fail "cannot set up the NAT router's LAN"
	i=1
	while [ "$i" -le "$n" ]; do
		it_netns_create plain
		ns=$IT_NS
		echo "$ns" >"$IT_STATE/nat-client-$i"
		ip -n "$IT_NAT_NS" link add "lan0p$i" type veth peer \
		    name eth0 netns "$ns" &&
		    ip -n "$IT_NAT_NS" link set "lan0p$i" master lan0 up &&
		    ip -n "$ns" addr add "$IT_NAT_LAN.$((10 + i))/24" \
		    dev eth0 &&
		    ip -n "$ns" link set eth0 up &&
		    ip -n "$ns" route add default via "$IT_NAT_LAN.1" ||
		    it_fail "cannot put client $i on the NAT router's LAN"
		i=$((i + 1))
	done
	IT_NS=$IT_NAT_NS
	{
		echo "table ip pptpc_nat {"
		if [ "$helper" = helper ]; then
			echo "	ct helper pptp { type \"pptp\" protocol tcp; }"
			echo "	chain prerouting {"
			echo "		type filter hook prerouting priority filter;"
			echo "		iifname \"lan0\" tcp dport 1723" \
			    "ct helper set \"pptp\""
			echo "	}"
		fi
		echo "	chain postrouting {"
		echo "		type nat hook postrouting priority srcnat;"
		echo "		oifname \"tap0\" masquerade"
		echo "	}"
		echo "}"
	} >"$IT_STATE/nat.nft"
	ip netns exec "$IT_NAT_NS" nft -f "$IT_STATE/nat.nft" \
	    >"$IT_STATE/nft.out" 2>&1 || {
		# The one thing a kernel without the helper refuses.
		grep -q 'ct helper' "$IT_STATE/nft.out" &&
		    atf_skip "this kernel has no PPTP conntrack helper" \
		    "(nf_conntrack_pptp): $(head -n 1 "$IT_STATE/nft.out")"
		it_fail "nft refuses the NAT ruleset:" \
		    "$(cat "$IT_STATE/nft.out")"
	}
	it_log "NAT router $IT_NAT_NS ($helper), $n clients on" \
	    "$IT_NAT_LAN.0/24"
}

it_nat_ns()
{
	cat "$IT_STATE/nat-client-$1"
}

it_nat_tap()
{
	ip -n "$IT_NAT_NS" tuntap add dev "$1" mode tap &&
	    ip -n "$IT_NAT_NS" link set "$1" master lan0 up ||
	    it_fail "cannot put $1 on the NAT router's LAN"
}

it_capture_start()
{
	local name="$1" ns="$2" ifc="$3" filter="$4" end

	command -v tcpdump >/dev/null 2>&1 || atf_skip "tcpdump not installed"
	# -Z root: tcpdump would drop to its own user, which cannot write
	# here.  --immediate-mode hands each packet over as it comes and -U
	# writes it at once: otherwise the packets of the last second wait
	# in the kernel's ring, and TERM loses them ("5 packets received by
	# filter, 0 captured").
	ip netns exec "$ns" tcpdump -i "$ifc" -nn -U --immediate-mode \
	    -s 256 -Z root \
	    -w "$IT_STATE/$name.pcap" "$filter" </dev/null \
	    >"$IT_STATE/$name.err" 2>&1 &
	echo $! >"$IT_STATE/$name.pid"
	echo "$name" >>"$IT_STATE/captures"
	end=$(($(it_ms) + 10000))
	until grep -q 'listening on' "$IT_STATE/$name.err"; do
		it_pid_running "$(cat "$IT_STATE/$name.pid")" ||
		    it_fail "tcpdump on $ifc: $(cat "$IT_STATE/$name.err")"
		[ "$(it_ms)" -lt "$end" ] ||
		    it_fail "tcpdump on $ifc not listening after 10 s"
		sleep 0.1
	done
}

it_capture_stop()
{
	local name="$1" p t=0

	p=$(cat "$IT_STATE/$name.pid" 2>/dev/null) || return 0
	kill "$p" 2>/dev/null
	while it_pid_running "$p" && [ $t -lt 50 ]; do
		t=$((t + 1))
		sleep 0.1
	done
	it_pid_running "$p" && kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	rm -f "$IT_STATE/$name.pid"
	tcpdump -r "$IT_STATE/$name.pcap" -nn -v 2>/dev/null |
	    tee "$IT_STATE/$name.txt"
}
