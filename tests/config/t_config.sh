#! /usr/bin/env atf-sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# pptpcd's configuration, through the real binary:
#
#   good/NAME.conf  must pass "pptpcd -nv" and print exactly good/NAME.out,
#                   with exactly good/NAME.warn (or nothing) on stderr; the
#                   printed form must itself parse and print the same.
#   bad/NAME.conf   must fail "pptpcd -n" with exit 1 and exactly
#                   bad/NAME.err on stderr, every error as file:line.
#
# Each input is copied into the test's own directory and made mode 0600
# (a checkout is usually 0644, which pptpcd refuses for a file with a
# password, and may be group-writable, which it refuses for any), so
# messages name it by its plain file name.  The trust_* tests make every
# file and directory they judge with an explicit mode.

pptpcd()
{
	echo "$(atf_get_srcdir)/../../daemon/pptpcd"
}

# copy SRC NAME: a private copy to run pptpcd on.
copy()
{
	cp "$1" "$2" || atf_fail "cannot copy $1"
	chmod 600 "$2"
}

run_good()
{
	name=$1
	dir="$(atf_get_srcdir)/good"
	copy "$dir/$name.conf" "$name.conf"
	if [ -f "$dir/$name.warn" ]; then
		atf_check -s exit:0 -o file:"$dir/$name.out" \
		    -e file:"$dir/$name.warn" "$(pptpcd)" -nv -f "$name.conf"
	else
		atf_check -s exit:0 -o file:"$dir/$name.out" -e empty \
		    "$(pptpcd)" -nv -f "$name.conf"
	fi
	# Round trip: the normalised form reads back to itself.  Warnings
	# may differ (the "********" password placeholder has one).
	copy "$dir/$name.out" roundtrip.conf
	atf_check -s exit:0 -o file:"$dir/$name.out" -e save:roundtrip.err \
	    "$(pptpcd)" -nv -f roundtrip.conf
	atf_check -s exit:1 -o empty -e empty grep -v \
	    -e '^roundtrip.conf:[0-9]*: warning: ' \
	    -e '^roundtrip.conf: warning: ' roundtrip.err
}

run_bad()
{
	name=$1
	dir="$(atf_get_srcdir)/bad"
	copy "$dir/$name.conf" "$name.conf"
	atf_check -s exit:1 -o empty -e file:"$dir/$name.err" \
	    "$(pptpcd)" -n -f "$name.conf"
}

# A tunnel with the given password line, for the tests below.
write_conf()
{
	cat >"$1" <<EOF
tunnel office {
	server 192.0.2.1
	username "u"
	$2
}
EOF
}

atf_test_case design_example
design_example_head()
{
	atf_set descr "the office example of pptpcd.conf(5) and etc/pptpcd.conf parses verbatim"
}
design_example_body()
{
	copy "$(atf_get_srcdir)/good/design_example.conf" office.conf
	atf_check -s exit:0 -o empty -e inline:"configuration OK\n" \
	    "$(pptpcd)" -n -f office.conf
}

atf_test_case etc_examples
etc_examples_head()
{
	atf_set descr "etc/pptpcd.conf and etc/pptpcd.conf.demo are valid"
}
etc_examples_body()
{
	etc="$(atf_get_srcdir)/../../etc"
	copy "$etc/pptpcd.conf" pptpcd.conf
	atf_check -s exit:0 -o empty -e inline:"configuration OK\n" \
	    "$(pptpcd)" -n -f pptpcd.conf
	# The shipped example is the office tunnel of the design, comments aside.
	atf_check -s exit:0 \
	    -o file:"$(atf_get_srcdir)/good/design_example.out" -e empty \
	    "$(pptpcd)" -nv -f pptpcd.conf
	copy "$etc/pptpcd.conf.demo" demo.conf
	atf_check -s exit:0 -o save:demo.out -e empty \
	    "$(pptpcd)" -nv -f demo.conf
	for line in 'tunnel demo {' 'server 198.51.100.1 port 1723' \
	    'username "demo"' 'auth mschapv2' 'mppe required 128' \
	    'route 203.0.113.0/24' 'keepalive 10 4' 'reconnect 1 10' \
	    'offload auto' 'tcp-mss-adjust yes'; do
		grep -qxF "$(printf '\t%s' "$line")" demo.out ||
		    grep -qxF "$line" demo.out ||
		    atf_fail "demo config lacks: $line"
	done
	atf_check -s exit:1 -o empty -e ignore grep demo-secret demo.out
}

atf_test_case secrecy_config
secrecy_config_head()
{
	atf_set descr "a config file with a password must be mode 0600"
}
secrecy_config_body()
{
	write_conf office.conf 'password "candyBar"'
	for mode in 644 640 604 620 700; do
		chmod $mode office.conf
		if [ $mode = 700 ]; then
			atf_check -s exit:0 -o empty -e ignore \
			    "$(pptpcd)" -n -f office.conf
			continue
		fi
		if [ $mode = 620 ]; then
			# Writable by the group: refused for that first.
			atf_check -s exit:1 -o empty -e inline:"office.conf: \
is writable by group or others (mode 0620); run \"chmod go-w \
office.conf\"\n" "$(pptpcd)" -n -f office.conf
			continue
		fi
		atf_check -s exit:1 -o empty -e inline:"office.conf: holds a \
password but is open to group or others (mode 0$mode); run \"chmod 600 \
office.conf\"\n" "$(pptpcd)" -n -f office.conf
	done
	chmod 600 office.conf
	atf_check -s exit:0 -o empty -e inline:"configuration OK\n" \
	    "$(pptpcd)" -n -f office.conf
}

atf_test_case secrecy_no_secret
secrecy_no_secret_head()
{
	atf_set descr "a config file without a password may be world-readable"
}
secrecy_no_secret_body()
{
	printf 'pw\n' >secret
	chmod 600 secret
	write_conf office.conf "password-file \"$(pwd)/secret\""
	chmod 644 office.conf
	atf_check -s exit:0 -o empty -e inline:"configuration OK\n" \
	    "$(pptpcd)" -n -f office.conf
}

atf_test_case secrecy_owner
secrecy_owner_head()
{
	atf_set descr "a file with a password owned by another user is refused"
	atf_set require.user root
}
secrecy_owner_body()
{
	write_conf office.conf 'password "candyBar"'
	chmod 600 office.conf
	chown 65534 office.conf || atf_skip "cannot chown"
	atf_check -s exit:1 -o empty -e inline:"office.conf: is owned by uid \
65534, not by root or the user running pptpcd; run \"chown root \
office.conf\"\n" "$(pptpcd)" -n -f office.conf
	# Whether or not it holds a password.
	printf 'pw\n' >secret
	chmod 600 secret
	write_conf office.conf "password-file \"$(pwd)/secret\""
	chmod 644 office.conf
	chown 65534 office.conf
	atf_check -s exit:1 -o empty -e inline:"office.conf: is owned by uid \
65534, not by root or the user running pptpcd; run \"chown root \
office.conf\"\n" "$(pptpcd)" -n -f office.conf
}

# A private directory under the work directory, for the trust tests.
trust_dir()
{
	mkdir -m 700 "$1" || atf_fail "mkdir $1"
}

atf_test_case trust_scripts
trust_scripts_head()
{
	atf_set descr "up and down scripts root runs: only root may change \
them or their directories, reported at the line naming them"
	atf_set require.user root
}
trust_scripts_body()
{
	trust_dir s
	d="$(pwd)/s"
	printf '#!/bin/sh\n' >s/up
	printf '#!/bin/sh\n' >s/down
	chmod 755 s/up s/down
	{
		printf 'tunnel office {\n\tserver 192.0.2.1\n\tusername "u"\n'
		printf '\tpassword "p"\n\tup-script "%s/up"\n' "$d"
		printf '\tdown-script "%s/down"\n}\n' "$d"
	} >t.conf
	chmod 600 t.conf
	atf_check -s exit:0 -o empty -e inline:"configuration OK\n" \
	    "$(pptpcd)" -n -f t.conf

	chmod 775 s/up
	chmod 757 s/down
	atf_check -s exit:1 -o empty -e inline:"t.conf:5: $d/up: is writable \
by group or others (mode 0775); run \"chmod go-w $d/up\"
t.conf:6: $d/down: is writable by group or others (mode 0757); run \
\"chmod go-w $d/down\"\n" "$(pptpcd)" -n -f t.conf
	chmod 755 s/up s/down

	chown 65534 s/down
	atf_check -s exit:1 -o empty -e inline:"t.conf:6: $d/down: is owned \
by uid 65534, not by root or the user running pptpcd; run \"chown root \
$d/down\"\n" "$(pptpcd)" -n -f t.conf
	chown 0 s/down

	# A world-writable directory: anyone could swap the script.
	chmod 777 s
	atf_check -s exit:1 -o empty -e inline:"t.conf:5: $d/up: directory \
$d is writable by group or others (mode 0777); run \"chmod go-w $d\"
t.conf:6: $d/down: directory $d is writable by group or others (mode \
0777); run \"chmod go-w $d\"\n" "$(pptpcd)" -n -f t.conf
	# The sticky bit (as on /tmp) keeps others' hands off root's files.
	chmod 1777 s
	atf_check -s exit:0 -o empty -e inline:"configuration OK\n" \
	    "$(pptpcd)" -n -f t.conf
	chmod 700 s

	# A link is judged where it lies as well as where it leads.
	trust_dir open
	chmod 777 open
	ln -s "$d/up" open/up
	sed "s|$d/up|$(pwd)/open/up|" t.conf >t2.conf
	chmod 600 t2.conf
	atf_check -s exit:1 -o empty -e inline:"t2.conf:5: $(pwd)/open/up: \
directory $(pwd)/open is writable by group or others (mode 0777); run \
\"chmod go-w $(pwd)/open\"\n" "$(pptpcd)" -n -f t2.conf

	# Not there yet: only what exists can be judged (the daemon checks
	# again before it runs one).
	rm s/up
	atf_check -s exit:0 -o empty -e inline:"configuration OK\n" \
	    "$(pptpcd)" -n -f t.conf
}

atf_test_case trust_password_file
trust_password_file_head()
{
	atf_set descr "password files: owned by root, never through a link, \
in directories only root may change"
	atf_set require.user root
}
trust_password_file_body()
{
	trust_dir p
	d="$(pwd)/p"
	printf 'pw\n' >p/secret
	chmod 600 p/secret
	write_conf t.conf "password-file \"$d/secret\""
	chmod 600 t.conf
	atf_check -s exit:0 -o empty -e inline:"configuration OK\n" \
	    "$(pptpcd)" -n -f t.conf

	chown 65534 p/secret
	atf_check -s exit:1 -o empty -e inline:"t.conf:4: $d/secret: holds a \
password but is owned by uid 65534, not by root or the user running \
pptpcd; run \"chown root $d/secret\"\n" "$(pptpcd)" -n -f t.conf
	chown 0 p/secret

	ln -s "$d/secret" p/link
	write_conf t.conf "password-file \"$d/link\""
	atf_check -s exit:1 -o empty -e inline:"t.conf:4: $d/link: is a \
symbolic link; name the file itself\n" "$(pptpcd)" -n -f t.conf

	write_conf t.conf "password-file \"$d/secret\""
	chmod 770 p
	atf_check -s exit:1 -o empty -e inline:"t.conf:4: $d/secret: \
directory $d is writable by group or others (mode 0770); run \"chmod go-w \
$d\"\n" "$(pptpcd)" -n -f t.conf
}

atf_test_case trust_config
trust_config_head()
{
	atf_set descr "the configuration file's own directories: only root \
may change them, password or not"
	atf_set require.user root
}
trust_config_body()
{
	trust_dir c
	printf 'pw\n' >secret
	chmod 600 secret
	write_conf c/t.conf "password-file \"$(pwd)/secret\""
	chmod 644 c/t.conf
	atf_check -s exit:0 -o empty -e inline:"configuration OK\n" \
	    "$(pptpcd)" -n -f c/t.conf
	chmod 777 c
	atf_check -s exit:1 -o empty -e inline:"c/t.conf: directory \
$(pwd)/c is writable by group or others (mode 0777); run \"chmod go-w \
$(pwd)/c\"\n" "$(pptpcd)" -n -f c/t.conf
	chmod 755 c
	chown 65534 c
	atf_check -s exit:1 -o empty -e inline:"c/t.conf: directory $(pwd)/c \
is owned by uid 65534, not by root or the user running pptpcd; run \
\"chown root $(pwd)/c\"\n" "$(pptpcd)" -n -f c/t.conf
}

atf_test_case password_file
password_file_head()
{
	atf_set descr "password files: one line, private, path printed by -nv"
}
password_file_body()
{
	d=$(pwd)
	# With and without the final newline, and a Windows "\r\n".
	printf 'topsecret-1\n' >pw1
	printf 'topsecret-2' >pw2
	printf 'topsecret-3\r\n' >pw3
	printf '  spaces # and hash  \n' >pw4
	chmod 600 pw1 pw2 pw3 pw4
	for i in 1 2 3 4; do
		write_conf t$i.conf "password-file \"$d/pw$i\""
		atf_check -s exit:0 -o save:t$i.out -e empty \
		    "$(pptpcd)" -nv -f t$i.conf
		atf_check -s exit:0 -o ignore -e empty \
		    grep -xF "$(printf '\tpassword-file "%s/pw%s"' "$d" "$i")" \
		    t$i.out
		atf_check -s exit:1 -o empty -e empty grep -e topsecret \
		    -e spaces t$i.out
	done
}

atf_test_case password_file_bad
password_file_bad_head()
{
	atf_set descr "bad password files are refused with the reason"
}
password_file_bad_body()
{
	d=$(pwd)
	: >empty
	printf '\n' >newline
	printf 'one\ntwo\n' >twolines
	printf 'one\n\n' >blankline
	printf 'a\000b\n' >nul
	awk 'BEGIN { for (i = 0; i < 257; i++) printf "x"; print "" }' >long
	awk 'BEGIN { for (i = 0; i < 256; i++) printf "x"; print "" }' >max
	printf 'open\n' >open
	chmod 600 empty newline twolines blankline nul long max
	chmod 644 open

	check()
	{
		write_conf t.conf "password-file \"$d/$1\""
		atf_check -s exit:1 -o empty \
		    -e inline:"t.conf:4: $d/$1: $2\n" "$(pptpcd)" -n -f t.conf
	}
	check empty "the password file is empty"
	check newline "the password file is empty"
	check twolines "the password file must hold one line, the password"
	check blankline "the password file must hold one line, the password"
	check nul "the password file holds a NUL byte"
	check long "the password is longer than 256 bytes"
	check open "holds a password but is open to group or others (mode \
0644); run \"chmod 600 $d/open\""
	check missing "No such file or directory"

	write_conf t.conf "password-file \"$d/max\""
	atf_check -s exit:0 -o empty -e inline:"configuration OK\n" \
	    "$(pptpcd)" -n -f t.conf
	write_conf t.conf 'password-file "max"'
	atf_check -s exit:1 -o empty -e inline:"t.conf:4: password-file \
\"max\" must be an absolute path\n" "$(pptpcd)" -n -f t.conf
}

atf_test_case never_prints_password
never_prints_password_head()
{
	atf_set descr "no output of pptpcd ever shows an inline password"
}
never_prints_password_body()
{
	for line in 'password "Zq7-secret"' \
	    'password "Zq7-secret" extra' \
	    'password Zq7-secret Zq7-secret' \
	    'password "Zq7-secret" port 1' \
	    'password "Zq7-secret' \
	    'password "Zq7-secret\q"'; do
		write_conf t.conf "$line"
		chmod 600 t.conf
		"$(pptpcd)" -nv -f t.conf >out 2>&1
		atf_check -s exit:1 -o empty -e empty grep Zq7 out
		chmod 644 t.conf
		"$(pptpcd)" -nv -f t.conf >out 2>&1
		atf_check -s exit:1 -o empty -e empty grep Zq7 out
	done
	# Through a macro too.
	printf 'pw = "Zq7-secret"\n' >t.conf
	write_conf t2.conf 'password $pw'
	cat t2.conf >>t.conf
	chmod 600 t.conf
	atf_check -s exit:0 -o not-match:Zq7 -e empty "$(pptpcd)" -nv -f t.conf
}

atf_test_case odd_bytes
odd_bytes_head()
{
	atf_set descr "NUL bytes, control bytes and CRLF line ends"
}
odd_bytes_body()
{
	printf 'tunnel a {\r\n\tserver 192.0.2.1\r\n\tusername "u"\r\n' \
	    >crlf.conf
	printf '\tpassword "p"\r\n}\r\n' >>crlf.conf
	chmod 600 crlf.conf
	atf_check -s exit:0 -o match:'^	server 192.0.2.1 port 1723$' \
	    -e empty "$(pptpcd)" -nv -f crlf.conf

	printf 'tunnel a {\n\tserver 192.0.2.1\000\n}\n' >nul.conf
	printf 'tunnel a {\n\tusername "a\001b"\n\tmtu \377\n}\n' >ctl.conf
	chmod 600 nul.conf ctl.conf
	atf_check -s exit:1 -o empty -e inline:"nul.conf:2: NUL byte in the \
file\nnul.conf:1: tunnel a: no username given\nnul.conf:1: tunnel a: no \
password or password-file given\n" "$(pptpcd)" -n -f nul.conf
	atf_check -s exit:1 -o empty -e inline:"ctl.conf:2: control character \
in a quoted string\nctl.conf:3: unexpected byte 0xff\nctl.conf:1: tunnel a: \
no server given\nctl.conf:1: tunnel a: no password or password-file \
given\n" "$(pptpcd)" -n -f ctl.conf
}

atf_test_case command_line
command_line_head()
{
	atf_set descr "pptpcd's options: usage, -n, missing files"
}
command_line_body()
{
	usage="usage: pptpcd [-dnSv] [-f file] [-s socket]\n"
	atf_check -s exit:1 -o empty -e match:"^usage: pptpcd" "$(pptpcd)" -x
	atf_check -s exit:1 -o empty -e inline:"$usage" "$(pptpcd)" -n extra
	atf_check -s exit:1 -o empty -e match:"usage" "$(pptpcd)" -f
	atf_check -s exit:1 -o empty \
	    -e inline:"nonexistent.conf: No such file or directory\n" \
	    "$(pptpcd)" -n -f nonexistent.conf
	mkdir dir.conf
	atf_check -s exit:1 -o empty -e inline:"dir.conf: Is a directory\n" \
	    "$(pptpcd)" -n -f dir.conf
	copy "$(atf_get_srcdir)/good/minimal.conf" m.conf
	# -v and -n in any order and spelling; -s is accepted with -n.
	atf_check -s exit:0 -o file:"$(atf_get_srcdir)/good/minimal.out" \
	    -e empty "$(pptpcd)" -v -n -s /nonexistent/sock -f m.conf
	atf_check -s exit:0 -o file:"$(atf_get_srcdir)/good/minimal.out" \
	    -e empty "$(pptpcd)" -nvf m.conf
}

atf_init_test_cases()
{
	for f in "$(atf_get_srcdir)"/good/*.conf "$(atf_get_srcdir)"/bad/*.conf
	do
		[ -f "$f" ] || continue
		name=${f##*/}
		name=${name%.conf}
		kind=${f%/*}
		kind=${kind##*/}
		eval "${kind}_${name}_head() {
			atf_set descr '$kind/$name.conf gives its golden output'
		}"
		eval "${kind}_${name}_body() { run_$kind $name; }"
		atf_add_test_case "${kind}_${name}"
	done
	atf_add_test_case design_example
	atf_add_test_case etc_examples
	atf_add_test_case secrecy_config
	atf_add_test_case secrecy_no_secret
	atf_add_test_case secrecy_owner
	atf_add_test_case trust_scripts
	atf_add_test_case trust_password_file
	atf_add_test_case trust_config
	atf_add_test_case password_file
	atf_add_test_case password_file_bad
	atf_add_test_case never_prints_password
	atf_add_test_case odd_bytes
	atf_add_test_case command_line
}
