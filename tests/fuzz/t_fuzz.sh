#! /usr/bin/env atf-sh
#
# Runs every libFuzzer target briefly: first over its kept corpus (seeds
# and every input that once crashed it), then on new inputs for
# FUZZ_CHECK_TIME seconds.  `make fuzz` runs them for longer.

fuzz_dir()
{
	echo "$(atf_get_srcdir)/../../build/fuzz"
}

run_fuzzer()
{
	name=$1
	bin="$(fuzz_dir)/fuzz_$name"
	corpus="$(atf_get_srcdir)/corpus/$name"
	[ -x "$bin" ] || atf_fail "fuzz target $bin is not built"
	mkdir -p work
	set --
	[ -d "$corpus" ] && set -- "$corpus"
	"$bin" -max_total_time="${FUZZ_CHECK_TIME:-8}" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 work "$@" \
	    >out 2>&1 || { cat out >&2; atf_fail "fuzz_$name found a crash"; }
}

none_head()
{
	atf_set descr "stands in when no fuzz target is built"
}
none_body()
{
	atf_skip "no fuzz target is built: they need clang with libFuzzer"
}

atf_init_test_cases()
{
	n=0
	for bin in "$(fuzz_dir)"/fuzz_*; do
		[ -x "$bin" ] || continue
		n=$((n + 1))
		name=${bin##*/fuzz_}
		eval "${name}_head() {
			atf_set descr 'fuzz target $name: kept corpus, then new inputs'
			atf_set timeout 120
		}"
		eval "${name}_body() { run_fuzzer $name; }"
		atf_add_test_case "$name"
	done
	# Kyua calls a program with no cases broken.
	[ $n -gt 0 ] || atf_add_test_case none
}
