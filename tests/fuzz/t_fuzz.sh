#! /usr/bin/env atf-sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# Runs every libFuzzer target briefly: first over its kept corpus (seeds
# and every input that once crashed it), then on new inputs for
# FUZZ_CHECK_TIME seconds.  `make fuzz` runs them for longer.
#
# The targets are named here, not found: one that failed to build, or
# whose source went missing, is a failed case, never one fewer case.  A
# system with no fuzzer build (OpenBSD, whose clang lacks libFuzzer, or
# no clang at all) skips them all.

FUZZ_TARGETS="chap config control gre ipv6cp mppe ncp ppp pptp_ctrl priv_parent"
FUZZ_TARGETS="$FUZZ_TARGETS resolv_text"

fuzz_dir()
{
	echo "$(atf_get_srcdir)/../../build/fuzz"
}

# What the Makefile does: fuzz targets everywhere but OpenBSD, with clang.
fuzz_builds_here()
{
	[ "$(uname -s)" != OpenBSD ] &&
	    command -v "${FUZZCC:-clang}" > /dev/null 2>&1
}

run_fuzzer()
{
	name=$1
	bin="$(fuzz_dir)/fuzz_$name"
	corpus="$(atf_get_srcdir)/corpus/$name"
	# A stale binary must not stand in for a source that went away.
	[ -f "$(atf_get_srcdir)/fuzz_$name.c" ] ||
	    atf_fail "tests/fuzz/fuzz_$name.c is missing"
	[ -x "$bin" ] || atf_fail "fuzz target fuzz_$name is not built" \
	    "(make fuzzers)"
	mkdir -p work
	set --
	[ -d "$corpus" ] && set -- "$corpus"
	"$bin" -max_total_time="${FUZZ_CHECK_TIME:-8}" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 work "$@" \
	    >out 2>&1 || { cat out >&2; atf_fail "fuzz_$name found a crash"; }
}

none_head()
{
	atf_set descr "stands in when this system builds no fuzz target"
}
none_body()
{
	atf_skip "no fuzzer build here: the targets need clang with" \
	    "libFuzzer, which OpenBSD's lacks"
}

targets_listed_head()
{
	atf_set descr "every fuzz target built is one this test names"
}
targets_listed_body()
{
	extra=
	for bin in "$(fuzz_dir)"/fuzz_*; do
		[ -x "$bin" ] || continue
		name=${bin##*/fuzz_}
		case " $FUZZ_TARGETS " in
		*" $name "*)	;;
		*)		extra="$extra $name" ;;
		esac
	done
	[ -z "$extra" ] || atf_fail "fuzz target(s)$extra built but not in" \
	    "FUZZ_TARGETS of t_fuzz.sh: name them there"
}

add_target()
{
	eval "${1}_head() {
		atf_set descr 'fuzz target $1: kept corpus, then new inputs'
		atf_set timeout 120
	}"
	eval "${1}_body() { run_fuzzer $1; }"
	atf_add_test_case "$1"
}

atf_init_test_cases()
{
	if ! fuzz_builds_here; then
		# Kyua calls a program with no cases broken.
		atf_add_test_case none
		return
	fi
	for name in $FUZZ_TARGETS; do
		add_target "$name"
	done
	atf_add_test_case targets_listed
}
