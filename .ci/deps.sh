#!/bin/sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
# Installs what building and testing pptpc needs, where it is missing.
# Debian (and derivatives) only; elsewhere it says what to install.
pkgs="build-essential make pkg-config libssl-dev libevent-dev libseccomp-dev
libatf-dev atf-sh kyua bison clang libclang-rt-14-dev iproute2 iperf3
qemu-system-x86 linux-image-amd64 pptpd ppp busybox-static cpio kmod xz-utils jq
mandoc bc prometheus
debhelper lintian mmdebstrap fakeroot gnuplot-nox"

if [ "$(uname -s)" = OpenBSD ]; then
	# Base has the compiler, yacc, pkg-config and LibreSSL's libcrypto.
	for p in gmake libevent atf kyua-cli; do
		pkg_info -e "$p-*" >/dev/null 2>&1 || missing="$missing $p"
	done
	[ -z "$missing" ] && exit 0
	echo "make deps: missing packages:$missing" >&2
	echo "make deps: as root: pkg_add$missing" >&2
	echo "make deps: for the pipex engine: sysctl net.pipex.enable=1" \
	    "net.inet.gre.allow=1" >&2
	exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "make deps: this is not a Debian system; install by hand:" >&2
	echo "  a C compiler, make, pkg-config, OpenSSL 3 (libcrypto), libevent 2, libseccomp," >&2
	echo "  ATF (atf-c, atf-sh), Kyua, bison or byacc, clang with libFuzzer," >&2
	echo "  iproute2 and iperf3" >&2
	exit 1
fi

missing=
for p in $pkgs; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
	[ "$s" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "make deps: missing packages:$missing" >&2
	echo "make deps: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "make deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q || exit 1
apt-get install -y -q --no-install-recommends $missing || exit 1
