#! /bin/sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# /init of the interop VM (busybox sh, PID 1).  mkinitramfs.sh copies it
# into the image.  It loads the PPP/PPTP and virtio-net modules, sets up
# eth0 and then, depending on the kernel command line, runs Poptop
# (pptpd + pppd) and/or a test's own script.  Everything it and its
# daemons say goes to the serial console, which the host keeps as the VM
# log; lines of its own start with "pptpc-vm:" so that tests can wait
# for them.
#
# Kernel command line (all optional except pptpc.ip):
#   pptpc.ip=ADDR/LEN      address of eth0 (198.51.100.1/24 for the server)
#   pptpc.gw=ADDR          default route via ADDR
#   pptpc.name=NAME        host name (default pptpc-vm)
#   pptpc.server=1|0       run pptpd (default 1)
#   pptpc.mppe=128|40|any|none
#                          require 128-bit MPPE (default), 40-bit only,
#                          either, or no MPPE at all
#   pptpc.stateful=0|1     allow stateful MPPE (default 0: stateless only)
#   pptpc.auth=mschapv2|mschap|chap|pap
#                          the one method pppd asks for (default mschapv2)
#   pptpc.debug=1|0        pptpd and pppd debug logging (default 1)
#   pptpc.ctl=PORT|0       a shell on TCP PORT for lib.sh's it_vm_exec
#                          (default 7023; 0 turns it off)
#   pptpc.run=PATH         run the script PATH once the network is up
#   pptpc.halt=1           power off when that script ends
# Files a test adds in a second cpio archive (see lib.sh, it_vm_add_file):
#   /extra/pptpd-options   appended to pppd's options for pptpd
#   /extra/chap-secrets    appended to /etc/ppp/chap-secrets
#   anything a pptpc.run script needs
#
# A fatal error powers the VM off (qemu runs with -no-reboot), so the
# host sees qemu exit instead of waiting for a timeout.

PATH=/client:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
umask 022

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# pptpctrl hands each call to pppd on a pseudo terminal.
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
exec </dev/console >/dev/console 2>&1

say()
{
	echo "pptpc-vm: $*"
}

fatal()
{
	# To the console itself: fatal may run inside a redirection.
	say "FATAL: $*" >/dev/console
	sync
	poweroff -f
	sleep 60
}

ip_addr=
gw=
name=pptpc-vm
server=1
mppe=128
stateful=0
auth=mschapv2
debug=1
ctl=7023
run=
halt=0
for w in $(cat /proc/cmdline); do
	case $w in
	pptpc.ip=*)       ip_addr=${w#*=} ;;
	pptpc.gw=*)       gw=${w#*=} ;;
	pptpc.name=*)     name=${w#*=} ;;
	pptpc.server=*)   server=${w#*=} ;;
	pptpc.mppe=*)     mppe=${w#*=} ;;
	pptpc.stateful=*) stateful=${w#*=} ;;
	pptpc.auth=*)     auth=${w#*=} ;;
	pptpc.debug=*)    debug=${w#*=} ;;
	pptpc.ctl=*)      ctl=${w#*=} ;;
	pptpc.run=*)      run=${w#*=} ;;
	pptpc.halt=*)     halt=${w#*=} ;;
	pptpc.*)          fatal "unknown kernel parameter $w" ;;
	esac
done
say "booting, kernel $(uname -r)"
hostname "$name"

# --- Modules, in the order mkinitramfs.sh checked against modules.dep ---

while read -r m; do
	insmod "/lib/modules/$m.ko" || fatal "insmod $m failed"
done </lib/modules/load.list
say "modules loaded: $(cut -d' ' -f1 /proc/modules | sort | tr '\n' ' ')"
[ -c /dev/ppp ] || fatal "/dev/ppp missing after loading ppp_generic"
say "/dev/ppp present"

# --- Network ---

[ -n "$ip_addr" ] || fatal "no pptpc.ip= on the kernel command line"
i=0
while [ ! -e /sys/class/net/eth0 ]; do
	i=$((i + 1))
	[ $i -le 50 ] || fatal "no eth0 (is the VM started with virtio-net?)"
	sleep 0.1
done
ip link set lo up

ip link set eth0 up || fatal "cannot bring eth0 up"
ip addr add "$ip_addr" dev eth0 || fatal "cannot set $ip_addr on eth0"
if [ -n "$gw" ]; then
	ip route add default via "$gw" || fatal "cannot route via $gw"
fi
say "eth0 $ip_addr $(cat /sys/class/net/eth0/address)"

# qemu 7.2's virtio-net under TCG now and then stops moving the guest's
# packets for good; it struck about one bulk transfer from the VM in
# ten.  Seen in the reproductions: the guest logs "NETDEV WATCHDOG ...
# transmit queue 0 timed out" every 5 s, or it goes on sending (its TCP
# retransmits) while nothing comes in and the host's ARP goes
# unanswered.  That is the emulator, not pptpc, so the VM repairs its NIC
# at once and says so: unbinding and binding the driver resets the
# device on both sides (taking eth0 down and up was tried first and did
# not help).  eth0's own address and default route are set again; routes
# on other interfaces are left alone.
#
# The signs, checked every second: a transmit timeout; or over 3 s the
# IP layer sent at least 3 packets while eth0 finished no transmission
# or received nothing.  eth0's tx_packets counts completions (virtio_net
# counts a packet when the device gives its buffer back), so it stands
# still when the device stops taking packets.
eth0_watch()
{
	local q=/sys/class/net/eth0/queues/tx-0/tx_timeout
	local s=/sys/class/net/eth0/statistics
	local seen n out tx rx out0 tx0 rx0 t=0 sent=0 done=0 got=0 dev why

	seen=$(cat $q 2>/dev/null || echo 0)
	while :; do
		sleep 1
		n=$(cat $q 2>/dev/null) || continue
		out=$(awk '/^Ip:/ {
			if (!h) { for (i = 1; i <= NF; i++)
				if ($i == "OutRequests") c = i; h = 1 }
			else print $c }' /proc/net/snmp)
		tx=$(cat $s/tx_packets 2>/dev/null) || continue
		rx=$(cat $s/rx_packets 2>/dev/null) || continue
		if [ $t -gt 0 ]; then
			sent=$((sent + out - out0))
			done=$((done + tx - tx0))
			got=$((got + rx - rx0))
		fi
		out0=$out tx0=$tx rx0=$rx t=$((t + 1))
		why=
		if [ "$n" -gt "$seen" ]; then
			why="transmit queue stalled ($n timeouts)"
		elif [ $t -gt 3 ] && [ $sent -ge 3 ] &&
		    { [ $done -eq 0 ] || [ $got -eq 0 ]; }; then
			why="stuck: $sent packets sent in 3 s, $done transmitted, $got received"
		fi
		if [ $t -gt 3 ]; then
			t=0 sent=0 done=0 got=0
		fi
		[ -n "$why" ] || continue
		dev=$(basename "$(readlink /sys/class/net/eth0/device)")
		say "eth0 $why, resetting $dev"
		echo "$dev" >/sys/bus/virtio/drivers/virtio_net/unbind
		echo "$dev" >/sys/bus/virtio/drivers/virtio_net/bind
		i=0
		while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 50 ]; do
			i=$((i + 1))
			sleep 0.1
		done
		ip link set eth0 up
		ip addr replace "$ip_addr" dev eth0
		[ -z "$gw" ] || ip route replace default via "$gw"
		seen=$(cat $q 2>/dev/null || echo 0)
		t=0 sent=0 done=0 got=0
	done
}
eth0_watch &

# --- Logging: pptpd, pptpctrl and pppd only log through syslog ---

syslogd -n -O /dev/console &
i=0
while [ ! -S /dev/log ]; do
	i=$((i + 1))
	[ $i -le 50 ] || fatal "syslogd did not create /dev/log"
	sleep 0.1
done

# --- Poptop ---

write_ppp_options()
{
	echo "name pptpd"
	case $auth in
	mschapv2) echo "refuse-pap"; echo "refuse-chap"
		  echo "refuse-mschap"; echo "require-mschap-v2" ;;
	mschap)   echo "refuse-pap"; echo "refuse-chap"
		  echo "refuse-mschap-v2"; echo "require-mschap" ;;
	chap)     echo "refuse-pap"; echo "refuse-mschap"
		  echo "refuse-mschap-v2"; echo "require-chap" ;;
	pap)      echo "refuse-chap"; echo "refuse-mschap"
		  echo "refuse-mschap-v2"; echo "require-pap" ;;
	*)        fatal "pptpc.auth=$auth: want mschapv2, mschap, chap or pap" ;;
	esac
	case $mppe in
	128)  echo "require-mppe-128" ;;
	40)   echo "require-mppe-40" ;;
	any)  echo "require-mppe" ;;
	none) echo "nomppe" ;;
	*)    fatal "pptpc.mppe=$mppe: want 128, 40, any or none" ;;
	esac
	case $stateful in
	1) echo "mppe-stateful" ;;
	0) echo "nomppe-stateful" ;;
	*) fatal "pptpc.stateful=$stateful: want 0 or 1" ;;
	esac
	echo "ms-dns 192.0.2.53"
	echo "ms-dns 192.0.2.54"
	echo "nodefaultroute"
	echo "nobsdcomp"
	echo "nodeflate"
	echo "novj"
	echo "novjccomp"
	echo "nologfd"
	[ "$debug" = 1 ] && echo "debug"
	[ -f /extra/pptpd-options ] && cat /extra/pptpd-options
	return 0
}

if [ "$server" = 1 ]; then
	# Written at boot, not at build time, so that a test can vary them
	# on the kernel command line without a new image.
	write_ppp_options >/etc/ppp/pptpd-options
	{
		echo "option /etc/ppp/pptpd-options"
		echo "localip 192.0.2.1"
		echo "remoteip 192.0.2.10-20"
		[ "$debug" = 1 ] && echo "debug"
	} >/etc/pptpd.conf
	{
		echo '# client server secret addresses'
		echo 'pptpc pptpd interop-secret *'
		[ -f /extra/chap-secrets ] && cat /extra/chap-secrets
	} >/etc/ppp/chap-secrets
	chmod 600 /etc/ppp/chap-secrets
	# pppd only reads its options when a call comes in; a bad one (a
	# typo in /extra/pptpd-options) must stop the boot, not that call.
	pppd /dev/ttyS0 file /etc/ppp/pptpd-options dryrun \
	    >/tmp/pppd-check 2>&1 ||
	    fatal "pppd rejects its options: $(head -n 1 /tmp/pppd-check)"
	say "pptpd: auth $auth, mppe $mppe, stateful $stateful"
	# Restarted when it dies, so that a test can kill it (it_vm_exec)
	# to see how the client takes a server restart; touching
	# /run/pptpd.stop first keeps it down.
	(
		while :; do
			pptpd -f -c /etc/pptpd.conf
			say "pptpd exited with status $?"
			[ -e /run/pptpd.stop ] && break
			sleep 1
		done
	) &
fi

# --- Remote shell for the host: one sh per TCP connection ---

if [ "$ctl" != 0 ]; then
	nc -ll -p "$ctl" -e /bin/sh &
	say "control shell on tcp port $ctl"
fi

# A heartbeat on the console: when a test fails because the VM stopped
# answering, the log shows when it last ran and how loaded it was.
(
	while :; do
		sleep 10
		say "alive: up $(cut -d' ' -f1 /proc/uptime) s," \
		    "load $(cut -d' ' -f1-3 /proc/loadavg)," \
		    "$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo) kB free"
	done
) &

say "ready"

if [ -n "$run" ]; then
	[ -f "$run" ] || fatal "pptpc.run=$run: no such file"
	(
		say "run $run"
		sh "$run"
		say "run $run exited with status $?"
		[ "$halt" = 1 ] && poweroff -f
	) &
fi

# PID 1 must never exit.  While ash waits for the foreground sleep it
# reaps every child, which includes the orphans the kernel hands to PID 1.
while :; do
	sleep 3600
done
