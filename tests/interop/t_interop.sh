#! /usr/bin/env atf-sh
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

atf_init_test_cases()
{
	atf_add_test_case server_boots
	atf_add_test_case client_vm_boots
	atf_add_test_case server_options
}
