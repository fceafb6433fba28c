#! /usr/bin/env atf-sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# The manual pages against the code they describe.  Every list compared
# here is taken from the sources at test time (parse.y's keyword table,
# pptpctl's token tables, the getopt strings), so a keyword, command or
# option added to the code without its page, or left in a page after the
# code dropped it, fails a case.
#
#   lint             mandoc -T lint -W warning is silent on every page
#   conf_keywords    the words marked .Ic in pptpcd.conf.5 are exactly
#                    parse.y's keywords
#   conf_examples    pptpcd.conf.5's EXAMPLES pass "pptpcd -n"
#   ctl_commands     every keyword pptpctl's parser takes is a command
#                    item (.It Cm) of pptpctl.8, and every such item is
#                    one of them
#   daemon_options   pptpcd's getopt letters are exactly the flags of
#                    pptpcd.8's SYNOPSIS, and each has an ".It Fl" item
#   ctl_options      the same for pptpctl and pptpctl.8

top()
{
	echo "$(atf_get_srcdir)/../.."
}

# words FILE: one word a line, sorted and unique, from stdin to FILE.
words()
{
	sort -u >"$1" || atf_fail "cannot write $1"
}

# nonempty FILE MIN WHAT: the extraction found at least MIN items, so that
# a change in the source's layout cannot make every comparison vacuous.
nonempty()
{
	n=$(wc -l <"$1")
	[ "$n" -ge "$2" ] || atf_fail "found only $n $3 (expected $2 or" \
	    "more): has the source's layout changed?"
}

# same EXPECTED ACTUAL WHAT-MISSING WHAT-EXTRA
same()
{
	missing=$(comm -23 "$1" "$2" | tr '\n' ' ')
	extra=$(comm -13 "$1" "$2" | tr '\n' ' ')
	[ -z "$missing" ] || atf_fail "$3: $missing"
	[ -z "$extra" ] || atf_fail "$4: $extra"
}

# macro_args MACRO PAGE: the word after each MACRO on mdoc macro lines,
# wherever on the line it stands (".It Ic mppe Cm required").
macro_args()
{
	awk -v m="$1" '/^\./ {
		sub(/^\./, "", $1)
		for (i = 1; i < NF; i++)
			if ($i == m)
				print $(i + 1)
	}' "$2"
}

# section NAME PAGE: the lines of one .Sh section.
section()
{
	awk -v s="$1" '/^\.Sh / { f = ($2 == s); next } f' "$2"
}

# getopt_letters SOURCE: the option letters of the getopt() call in SOURCE.
getopt_letters()
{
	sed -n 's/.*getopt(argc, argv, "\([^"]*\)").*/\1/p' "$1" |
	    tr -d ':' | fold -w 1
}

# check_options SOURCE PAGE
check_options()
{
	getopt_letters "$1" | words code.opts
	nonempty code.opts 2 "getopt letters in $1"
	section SYNOPSIS "$2" >synopsis
	macro_args Fl synopsis | fold -w 1 | words page.opts
	src=${1#"$(top)/"} page=${2#"$(top)/"}
	same code.opts page.opts \
	    "options of $src missing from the SYNOPSIS of $page" \
	    "options in the SYNOPSIS of $page that $src does not take"
	have_items Fl "$2" code.opts options
}

# have_items MACRO PAGE LIST WHAT: every word of LIST has an ".It MACRO"
# item of its own in PAGE.
have_items()
{
	awk -v m="$1" '$1 == ".It" && $2 == m { print $3 }' "$2" | words items
	missing=$(comm -23 "$3" items | tr '\n' ' ')
	[ -z "$missing" ] || atf_fail "$4 without an \".It $1\" item in" \
	    "${2#"$(top)/"}: $missing"
}

atf_test_case lint
lint_head()
{
	atf_set descr "mandoc -T lint -W warning finds nothing in any page"
	atf_set require.progs mandoc
}
lint_body()
{
	for page in daemon/pptpcd.8 daemon/pptpcd.conf.5 ctl/pptpctl.8; do
		atf_check -s exit:0 -o empty -e empty \
		    mandoc -T lint -W warning "$(top)/$page"
	done
}

atf_test_case conf_keywords
conf_keywords_head()
{
	atf_set descr "pptpcd.conf.5 documents exactly parse.y's keywords"
}
conf_keywords_body()
{
	page="$(top)/daemon/pptpcd.conf.5"

	# The sorted table that the lexer searches: { "name", TOKEN, ... }.
	awk '/^static const struct keywords keywords\[\] = \{/ { f = 1; next }
	    f && /^\};/ { exit }
	    f' "$(top)/daemon/parse.y" |
	    sed -n 's/^[[:space:]]*{[[:space:]]*"\([^"]*\)".*/\1/p' |
	    words grammar
	nonempty grammar 10 "keywords in parse.y's table"
	macro_args Ic "$page" | words page
	same grammar page \
	    "keywords of parse.y not marked .Ic in pptpcd.conf.5" \
	    "words marked .Ic in pptpcd.conf.5 that parse.y does not know"
	# Each keyword but "port" (part of "server") has an item of its own.
	grep -vx port grammar >grammar.items
	have_items Ic "$page" grammar.items keywords
}

atf_test_case conf_examples
conf_examples_head()
{
	atf_set descr "the EXAMPLES of pptpcd.conf.5 are valid configuration"
}
conf_examples_body()
{
	pptpcd="$(top)/daemon/pptpcd"
	[ -x "$pptpcd" ] || atf_skip "daemon/pptpcd is not built"

	umask 077
	echo secret >pw || atf_fail "cannot write pw"
	# The literal displays, with mdoc's escapes undone and every
	# password file pointed at one that exists.
	section EXAMPLES "$(top)/daemon/pptpcd.conf.5" |
	    awk '/^\.Bd -literal/ { f = 1; next } /^\.Ed/ { f = 0 } f' |
	    sed -e 's/\\e/\\/g' -e 's/\\&//g' \
	    -e "s|password-file \"[^\"]*\"|password-file \"$(pwd)/pw\"|" \
	    >examples.conf
	nonempty examples.conf 10 "lines of examples"
	atf_check -s exit:0 -o empty -e save:stderr \
	    "$pptpcd" -n -f examples.conf
	# Warnings (weak keys, say) are fine; anything else is not.
	atf_check -s exit:1 -o empty -e empty grep -v \
	    -e '^examples.conf:[0-9]*: warning: ' -e '^configuration OK$' \
	    stderr
}

atf_test_case ctl_commands
ctl_commands_head()
{
	atf_set descr "pptpctl.8 documents exactly pptpctl's commands"
}
ctl_commands_body()
{
	page="$(top)/ctl/pptpctl.8"

	# Every keyword of every token table: { KEYWORD, "word", ... }.
	sed -n 's/^[[:space:]]*{[[:space:]]*KEYWORD,[[:space:]]*"\([^"]*\)".*/\1/p' \
	    "$(top)/ctl/parser.c" | words code
	nonempty code 5 "keywords in ctl/parser.c"
	# Command items: the words after each Cm up to the next macro
	# (Ar, Op, ...), so ".It Cm show session Ar name" gives show and
	# session, ".It Cm show Op Cm sessions" show and sessions.
	section DESCRIPTION "$page" |
	    awk '$1 == ".It" && $2 == "Cm" {
		for (i = 2; i <= NF; i++) {
			if ($i == "Cm")
				cm = 1
			else if ($i ~ /^[A-Z][a-z][a-z]?$/)
				cm = 0
			else if (cm)
				print $i
		}
	    }' | words page
	same code page \
	    "commands of pptpctl missing from pptpctl.8" \
	    "commands in pptpctl.8 that pptpctl does not take"
}

atf_test_case daemon_options
daemon_options_head()
{
	atf_set descr "pptpcd.8's SYNOPSIS has exactly pptpcd's options"
}
daemon_options_body()
{
	check_options "$(top)/daemon/main.c" "$(top)/daemon/pptpcd.8"
}

atf_test_case ctl_options
ctl_options_head()
{
	atf_set descr "pptpctl.8's SYNOPSIS has exactly pptpctl's options"
}
ctl_options_body()
{
	check_options "$(top)/ctl/pptpctl.c" "$(top)/ctl/pptpctl.8"
}

atf_init_test_cases()
{
	atf_add_test_case lint
	atf_add_test_case conf_keywords
	atf_add_test_case conf_examples
	atf_add_test_case ctl_commands
	atf_add_test_case daemon_options
	atf_add_test_case ctl_options
}
