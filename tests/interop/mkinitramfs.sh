#! /bin/sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# mkinitramfs.sh OUTDIR [--with-client DIR] [--kver VERSION]
#
# Builds the boot image of the interop virtual machine: a gzip'd cpio
# initramfs holding static busybox, Poptop (pptpd, pptpctrl), pppd, the
# shared libraries they need, the PPP/PPTP and virtio-net modules of
# Debian's own kernel, and vm-init.sh as /init.  Everything comes from
# installed Debian packages (busybox-static, pptpd, ppp, linux-image-amd64,
# kmod, cpio); nothing is downloaded.
#
# The host kernel here has no PPP at all, which is why pppd and the
# kernel engine of pptpcd can only be tried inside a VM that boots
# Debian's kernel.  The kernel is taken from /boot and /lib/modules, not
# from uname -r, because the running host kernel is a different one.
#
# --with-client DIR copies DIR to /client in the image (and onto PATH
# there), with the shared libraries of every ELF file in it, so that the
# same image can run our own pptpcd in a second VM.
#
# The image goes to OUTDIR/img-KEY/ (initrd.gz, kernel, kver, manifest),
# KEY being a hash of every input file and of these scripts, so repeated
# runs reuse it and any change to an input gives a new image.  The image
# directory is printed on stdout; progress goes to stderr.

set -eu

progname=mkinitramfs.sh
srcdir=$(cd "$(dirname "$0")" && pwd)

# Modules in load order.  Checked against modules.dep below, so that a
# kernel update that adds a dependency fails the build instead of the boot.
# tun is for pptpcd's userspace engine in a client VM (bench/vm_engines.sh
# sets it beside the kernel engine); nf_tables for the kernel engine's MSS
# clamp, with crc32c_generic first, since nothing here loads modules on
# the kernel's request.  sch_netem, and ifb, sch_ingress, act_mirred and
# cls_matchall to apply it to what comes in too, for a lossy path
# (t_interop:mppe_stateful; the host kernel has no netem).
MODULES="libarc4 slhc virtio_ring virtio virtio_pci_modern_dev
virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net
ppp_generic ppp_async ppp_mppe gre pppox pptp tun
crc32c_generic libcrc32c nfnetlink nf_tables
sch_netem ifb sch_ingress act_mirred cls_matchall"

# Programs whose shared libraries are copied as well.  pptpd-logwtmp.so is
# the only pppd plugin Poptop can ask for; pptpd execs pptpctrl, which
# execs pppd on a pty.  tc (iproute2's: busybox's has no netem) sets up
# a lossy path.
PROGRAMS="/usr/sbin/pptpd /usr/sbin/pptpctrl /usr/sbin/pppd
/usr/lib/pptpd/pptpd-logwtmp.so /usr/sbin/tc"

BUSYBOX=/bin/busybox

# How many images to keep in OUTDIR.
KEEP=4

die()
{
	echo "$progname: $*" >&2
	exit 1
}

usage()
{
	echo "usage: $progname OUTDIR [--with-client DIR] [--kver VERSION]" >&2
	exit 2
}

# The newest kernel that has both an image in /boot and the pptp module.
find_kver()
{
	best=
	for d in /lib/modules/*; do
		v=${d##*/}
		[ -f "/boot/vmlinuz-$v" ] || continue
		ls "$d"/kernel/drivers/net/ppp/pptp.ko* >/dev/null 2>&1 ||
		    continue
		best=$v
	done
	[ -n "$best" ] || die "no kernel with both /boot/vmlinuz-VERSION and" \
	    "the pptp module in /lib/modules (install linux-image-amd64)"
	echo "$best"
}

# Prints the shared objects (and the dynamic loader) that ELF file $1
# needs, one absolute path a line.  Fails on a library ldd cannot find:
# a missing one would only show up as a cryptic failure inside the VM.
elf_deps()
{
	out=$(ldd "$1" 2>&1) || {
		# Static executables make ldd fail with this message.
		case $out in
		*"not a dynamic executable"*) return 0 ;;
		esac
		die "ldd $1 failed: $out"
	}
	echo "$out" | while read -r a b c rest; do
		case "$a $b $c $rest" in
		*"=> not found"*)
			die "$1 needs $a, which is not installed" ;;
		"linux-vdso.so"*|"linux-gate.so"*)
			;;
		*" => /"*)
			echo "$c" ;;
		/*)
			echo "$a" ;;
		esac
	done
}

# Writes the kernel qemu boots to $1.  Debian's bzImage is XZ-compressed,
# and decompressing it under TCG takes qemu 5-9 s of every boot.  With
# CONFIG_PVH, qemu boots the uncompressed ELF vmlinux directly, so it is
# unpacked here once (as the kernel's scripts/extract-vmlinux does: the
# first XZ stream in the bzImage).  Without PVH or xz, the bzImage it is.
extract_vmlinux()
{
	off=
	if grep -q '^CONFIG_PVH=y' "/boot/config-$kver" 2>/dev/null &&
	    command -v xz >/dev/null; then
		off=$(LC_ALL=C grep -aboP '\xFD7zXZ\x00' "$vmlinuz" |
		    head -n 1 | cut -d: -f1)
	fi
	if [ -n "$off" ] &&
	    tail -c +$((off + 1)) "$vmlinuz" |
	    xz -dc --single-stream >"$1.tmp" 2>/dev/null &&
	    is_elf "$1.tmp"; then
		mv "$1.tmp" "$1"
	else
		echo "$progname: booting the compressed $vmlinuz (slower)" >&2
		rm -f "$1.tmp"
		ln -s "$vmlinuz" "$1"
	fi
}

is_elf()
{
	[ "$(od -An -tx1 -N4 "$1" 2>/dev/null | tr -d ' ')" = 7f454c46 ]
}

# Copies $1 to the same path under $root, following symlinks so that the
# image holds real files.
put()
{
	mkdir -p "$root$(dirname "$1")"
	cp -L "$1" "$root$1"
}

outdir=
client=
kver=${PPTPC_IT_KVER:-}
while [ $# -gt 0 ]; do
	case $1 in
	--with-client)
		[ $# -ge 2 ] || usage
		client=$2
		shift 2 ;;
	--kver)
		[ $# -ge 2 ] || usage
		kver=$2
		shift 2 ;;
	-*)
		usage ;;
	*)
		[ -z "$outdir" ] || usage
		outdir=$1
		shift ;;
	esac
done
[ -n "$outdir" ] || usage
if [ -n "$client" ]; then
	[ -d "$client" ] || die "--with-client: $client is not a directory"
	client=$(cd "$client" && pwd)
fi
[ -n "$kver" ] || kver=$(find_kver)
kdir=/lib/modules/$kver
vmlinuz=/boot/vmlinuz-$kver
[ -f "$vmlinuz" ] || die "$vmlinuz: no such kernel image"
[ -f "$kdir/modules.dep" ] || die "$kdir/modules.dep: missing"
[ -x "$BUSYBOX" ] || die "$BUSYBOX missing (install busybox-static)"
# The VM has no libraries of its own for busybox.
if ! is_elf "$BUSYBOX" || ldd "$BUSYBOX" >/dev/null 2>&1; then
	die "$BUSYBOX is not static (install busybox-static, not busybox)"
fi
for p in $PROGRAMS; do
	[ -e "$p" ] || die "$p missing (install pptpd and ppp)"
done
command -v cpio >/dev/null || die "cpio missing"

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
work=$(mktemp -d "$outdir/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM HUP
root=$work/root
mkdir -p "$root"

# --- Collect the inputs: modules (in order, deps checked), libraries. ---

modpaths=
loaded=
for m in $MODULES; do
	# modules.dep lines: "kernel/dir/name.ko[.xz]: dep dep ..."
	line=$(grep -E "(^|/)$m\.ko(\.xz|\.zst|\.gz)?:" "$kdir/modules.dep") ||
	    die "module $m not in $kdir/modules.dep (built in or missing?)"
	rel=${line%%:*}
	for dep in ${line#*:}; do
		d=${dep##*/}
		d=${d%%.ko*}
		case " $loaded " in
		*" $d "*) ;;
		*) die "module $m needs $d, which is not loaded before it" ;;
		esac
	done
	loaded="$loaded $m"
	modpaths="$modpaths $kdir/$rel"
done

clientfiles=
libs=
for p in $PROGRAMS; do
	libs="$libs $(elf_deps "$p")"
done
if [ -n "$client" ]; then
	clientfiles=$(cd "$client" && find . -type f | sort)
	for f in $clientfiles; do
		is_elf "$client/$f" || continue
		libs="$libs $(elf_deps "$client/$f")"
	done
fi
libs=$(printf '%s\n' $libs | sort -u)

# --- Cache key: every input's content, and where it goes. ---

{
	echo "kver $kver"
	kconfig=
	[ -f "/boot/config-$kver" ] && kconfig=/boot/config-$kver
	for f in "$0" "$srcdir/vm-init.sh" "$vmlinuz" $kconfig "$BUSYBOX" \
	    $PROGRAMS $libs $modpaths; do
		echo "$(sha256sum <"$f" | cut -d' ' -f1) $f"
	done
	for f in $clientfiles; do
		echo "$(sha256sum <"$client/$f" | cut -d' ' -f1) client/$f"
	done
} >"$work/manifest"
key=$(sha256sum <"$work/manifest" | cut -c1-16)
img=$outdir/img-$key
if [ -f "$img/initrd.gz" ]; then
	echo "$progname: reusing $img" >&2
	# Its time stamp says when it was last used; see the pruning below.
	touch "$img"
	echo "$img"
	exit 0
fi
echo "$progname: building $img (kernel $kver)" >&2

# --- Lay out the root file system. ---

for d in bin sbin usr/bin usr/sbin dev proc sys run tmp etc/ppp var/run \
    var/lock var/log lib/modules extra root; do
	mkdir -p "$root/$d"
done
# The kernel opens /dev/console before /init runs; without the node init
# starts with no stdio.  Only root can make it, and /init re-opens the
# console on devtmpfs anyway, so an unprivileged build still works.
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true

cp "$BUSYBOX" "$root/bin/busybox"
for a in $("$BUSYBOX" --list-full); do
	[ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
done

# Real programs replace the busybox applets of the same name.
for p in $PROGRAMS $libs; do
	rm -f "$root$p"
	put "$p"
done

: >"$root/lib/modules/load.list"
for p in $modpaths; do
	m=${p##*/}
	case $m in
	*.ko.xz)  xz -dc "$p" >"$root/lib/modules/${m%.xz}" ;;
	*.ko.zst) zstd -qdc "$p" >"$root/lib/modules/${m%.zst}" ;;
	*.ko.gz)  gzip -dc "$p" >"$root/lib/modules/${m%.gz}" ;;
	*.ko)     cp "$p" "$root/lib/modules/$m" ;;
	*)        die "$p: unknown module file name" ;;
	esac
	echo "${m%%.ko*}" >>"$root/lib/modules/load.list"
done

if [ -n "$client" ]; then
	mkdir -p "$root/client"
	(cd "$client" && tar cf - .) | (cd "$root/client" && tar xf -)
fi

cp "$srcdir/vm-init.sh" "$root/init"
chmod 755 "$root/init"
# pptpc: the user of pptpcd's engine (daemon/sandbox.h), as make install
# makes it; pptpcd refuses to start without it.
printf 'root:x:0:0:root:/root:/bin/sh\npptpc:x:995:995:pptpcd engine:/nonexistent:/bin/false\n' \
    >"$root/etc/passwd"
printf 'root:x:0:\ntty:x:5:\npptpc:x:995:\n' >"$root/etc/group"
# pppd reads this if present; an empty one keeps the host's out.
: >"$root/etc/ppp/options"

# --- Archive.  Sorted names and fixed times make it reproducible. ---

find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . | LC_ALL=C sort |
    cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -6 \
    >"$work/initrd.gz"

mkdir -p "$work/img"
mv "$work/initrd.gz" "$work/manifest" "$work/img/"
extract_vmlinux "$work/img/kernel"
echo "$kver" >"$work/img/kver"
# A parallel build of the same key may have won; either result is fine.
if ! mv -T "$work/img" "$img" 2>/dev/null; then
	[ -f "$img/initrd.gz" ] || die "cannot create $img"
fi
# Every change to an input leaves an old image behind (70 MB each); keep
# the few used last, which covers a server and a client image.
ls -dt "$outdir"/img-* | tail -n +$((KEEP + 1)) | while read -r old; do
	echo "$progname: removing unused $old" >&2
	rm -rf "$old"
done
echo "$img"
