#! /usr/bin/env atf-sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# What an administrator deploys: the systemd unit and the Debian package.
#
#   unit_security   systemd-analyze security --offline=true rates the
#                   unit's exposure 2.5 or below ("OK" or better)
#   unit_kernel_engine_dropin
#                   the same with etc/pptpcd-kernel-engine.conf as a
#                   drop-in: systemd reads it (AF_PPPOX allowed), and
#                   the figure is the one the drop-in and README state
#   deb_installs    the package make deb built passes lintian with no
#                   error, installs with apt-get in a fresh Debian 12 root
#                   (made here with mmdebstrap from this machine's apt
#                   sources), puts every file where it belongs without
#                   enabling the service, creates the engine's user
#                   pptpc (system, no home, no shell), and pptpcd -n
#                   accepts the example configuration there

top()
{
	echo "$(atf_get_srcdir)/../.."
}

atf_test_case unit_security
unit_security_head()
{
	atf_set descr "the systemd unit's exposure is 2.5 or below"
	atf_set require.progs systemd-analyze
}
unit_security_body()
{
	systemd-analyze security --offline=true "$(top)/etc/pptpcd.service" \
	    > analyze.out 2>&1 || true
	line=$(grep "Overall exposure level" analyze.out)
	[ -n "$line" ] || { cat analyze.out >&2; atf_fail "no exposure figure"; }
	echo "$line"
	level=$(echo "$line" | sed -E 's/.*: ([0-9]+\.[0-9]+) .*/\1/')
	echo "$level" | awk '{ exit !($1 <= 2.5) }' ||
	    atf_fail "exposure $level is above 2.5: $line"
}

atf_test_case unit_kernel_engine_dropin
unit_kernel_engine_dropin_head()
{
	atf_set descr "the kernel engine's drop-in is read and rated as documented"
	atf_set require.progs systemd-analyze
}
unit_kernel_engine_dropin_body()
{
	mkdir -p unit/pptpcd.service.d
	cp "$(top)/etc/pptpcd.service" unit/
	cp "$(top)/etc/pptpcd-kernel-engine.conf" \
	    unit/pptpcd.service.d/kernel-engine.conf
	systemd-analyze security --offline=true unit/pptpcd.service \
	    > analyze.out 2>&1 || true
	line=$(grep "Overall exposure level" analyze.out)
	[ -n "$line" ] || { cat analyze.out >&2; atf_fail "no exposure figure"; }
	echo "with the drop-in: $line"
	# Read: AF_PPPOX is allowed, which the rating counts as exotic.
	grep -q '✗ RestrictAddressFamilies=~….*exotic' analyze.out ||
	    { cat analyze.out >&2; atf_fail "the drop-in was not read"; }
	level=$(echo "$line" | sed -E 's/.*: ([0-9]+\.[0-9]+) .*/\1/')
	said=$(sed -n 's/^# with this drop-in: \([0-9.]*\),.*/\1/p' \
	    "$(top)/etc/pptpcd-kernel-engine.conf")
	[ "$level" = "$said" ] ||
	    atf_fail "the drop-in says \"$said\", systemd-analyze $level"
	grep -q "with it rates $level" "$(top)/README.md" ||
	    atf_fail "README does not state $level"
}

atf_test_case deb_installs cleanup
deb_installs_head()
{
	atf_set descr "the .deb passes lintian and installs in a fresh Debian 12 root"
	atf_set require.user root
	atf_set require.progs "mmdebstrap lintian chroot"
	atf_set timeout 900
}
deb_installs_body()
{
	deb=$(ls "$(top)"/build/deb/pptpc_*_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || atf_fail "no package: make deb (make check builds it)"
	lintian --fail-on error "$deb" > lintian.out 2>&1 ||
	    { cat lintian.out >&2; atf_fail "lintian reports errors"; }

	# A minimal Debian 12 with apt, from the sources this machine uses,
	# kept under build/ so that a second run need not fetch it again.
	cache="$(top)/build/pkgtest/bookworm-apt.tar"
	if [ ! -f "$cache" ]; then
		mkdir -p "$(dirname "$cache")"
		# The name's .tar makes mmdebstrap write a tarball.
		timeout 600 mmdebstrap --variant=apt --quiet bookworm \
		    "$cache.new.tar" > mmdebstrap.out 2>&1 ||
		    { cat mmdebstrap.out >&2; atf_fail "mmdebstrap failed"; }
		mv "$cache.new.tar" "$cache"
	fi
	mkdir root
	tar -xf "$cache" -C root || atf_fail "cannot unpack the root"
	cp /etc/resolv.conf root/etc/resolv.conf
	cp "$deb" root/tmp/
	base=$(basename "$deb")
	# mmdebstrap leaves no package lists behind.
	timeout 300 chroot root apt-get update -q > update.out 2>&1 ||
	    { cat update.out >&2; atf_fail "apt-get update failed"; }
	timeout 600 chroot root env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q "/tmp/$base" > install.out 2>&1 ||
	    { cat install.out >&2; atf_fail "apt-get install failed"; }

	for f in /usr/sbin/pptpcd /usr/bin/pptpctl \
	    /usr/share/man/man8/pptpcd.8.gz /usr/share/man/man8/pptpctl.8.gz \
	    /usr/share/man/man5/pptpcd.conf.5.gz \
	    /lib/systemd/system/pptpcd.service \
	    /usr/share/doc/pptpc/examples/pptpcd.conf \
	    /usr/share/doc/pptpc/examples/pptpcd-kernel-engine.conf \
	    /usr/share/doc/pptpc/copyright; do
		[ -e "root$f" ] || atf_fail "the package did not install $f"
	done
	# An example, not a configuration: nothing is enabled or started.
	[ ! -e root/etc/pptpcd.conf ] || atf_fail "/etc/pptpcd.conf was made"
	[ -z "$(find root/etc/systemd -name 'pptpcd*' 2>/dev/null)" ] ||
	    atf_fail "the service was enabled"

	# The engine's user (daemon/sandbox.h), made by the postinst.
	pw=$(chroot root getent passwd pptpc) ||
	    atf_fail "the package did not create the user pptpc"
	echo "$pw" | awk -F: '{ exit !($3 > 0 && $3 < 1000 && $4 > 0 &&
	    $6 == "/nonexistent" && $7 ~ /nologin$/) }' ||
	    atf_fail "pptpc is not a system user without home or shell: $pw"
	chroot root getent group pptpc > /dev/null ||
	    atf_fail "the package did not create the group pptpc"

	cp root/usr/share/doc/pptpc/examples/pptpcd.conf root/etc/pptpcd.conf
	chmod 600 root/etc/pptpcd.conf
	chroot root /usr/sbin/pptpcd -n > check.out 2>&1 ||
	    { cat check.out >&2; atf_fail "pptpcd -n refused the example"; }
	chroot root /usr/bin/pptpctl -s /run/none show > ctl.out 2>&1
	[ $? -eq 3 ] || { cat ctl.out >&2; atf_fail "pptpctl does not run"; }
}
deb_installs_cleanup()
{
	# Kyua runs this in the body's directory.  The root holds no mounts
	# (apt-get needs none): removing it is all.
	rm -rf root
}

atf_init_test_cases()
{
	atf_add_test_case unit_security
	atf_add_test_case unit_kernel_engine_dropin
	atf_add_test_case deb_installs
}
