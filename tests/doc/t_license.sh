#! /usr/bin/env atf-sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# Every source file says whose it is and under which license (LICENSE,
# ISC), so that a file copied out of the tree still says so.

atf_test_case headers
headers_head()
{
	atf_set descr "every source file carries the ISC license header"
}
headers_body()
{
	top="$(atf_get_srcdir)/../.."
	[ -f "$top/LICENSE" ] || atf_fail "no LICENSE file"
	grep -q "Permission to use, copy, modify, and distribute" \
	    "$top/LICENSE" || atf_fail "LICENSE is not the ISC license"
	find "$top" -path "$top/build" -prune -o -path "$top/.git" -prune -o \
	    -type f \( -name '*.c' -o -name '*.h' -o -name '*.y' \
	    -o -name '*.sh' -o -name '*.mk' -o -name Makefile \
	    -o -name Kyuafile -o -name '*.5' -o -name '*.8' \) -print |
	    sort > sources
	n=$(wc -l < sources)
	[ "$n" -ge 200 ] || atf_fail "found only $n source files"
	: > missing
	while read -r f; do
		head -n 6 "$f" | grep -q "SPDX-License-Identifier: ISC" ||
		    echo "${f#$top/}" >> missing
	done < sources
	[ -s missing ] && { cat missing >&2; atf_fail "files without the" \
	    "license header (see LICENSE; copy it from any other file)"; }
	return 0
}

atf_init_test_cases()
{
	atf_add_test_case headers
}
