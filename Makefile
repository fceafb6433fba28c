# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
# pptpc: PPTP VPN client.  GNU make (gmake on OpenBSD).
#
#   make          build daemon/pptpcd and ctl/pptpctl
#   make check    install what is missing, build, run the Kyua suite
#   make demo     a tunnel between two network namespaces, with traffic
#   make bench    print throughput figures
#   make fuzz     run every fuzz target for FUZZ_TIME seconds
#
# Module lists: a unit test tests/unit/t_X.c names the modules it links in
# tests/unit/t_X.mk (t_X_MODS = daemon/mppe daemon/log ...), and likewise
# fuzz targets (tests/fuzz/fuzz_X.mk) and benchmarks (bench/X.mk), so that a
# test links only what it tests.  Per-OS files end in -linux.c or -openbsd.c
# and only those for this system are built.

OS	!= uname -s | tr '[:upper:]' '[:lower:]'
OTHER_OS = $(filter-out $(OS),linux openbsd)

CC	?= cc
FUZZCC	?= clang
# OpenBSD's base yacc reads parse.y; elsewhere bison is the one at hand.
ifeq ($(origin YACC),default)
ifeq ($(OS),openbsd)
YACC	= yacc
else
YACC	= bison -y
endif
endif
PKG_CONFIG ?= pkg-config
PREFIX	?= /usr/local

WARNFLAGS = -Wall -Wextra -Wshadow -Wpointer-arith -Wmissing-prototypes \
	    -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
ifeq ($(WERROR),1)
WARNFLAGS += -Werror
endif
CPPFLAGS += -D_GNU_SOURCE -Idaemon -Ikernel-glue -Ictl -Itests/lib -Ibuild/gen
CFLAGS	?= -O2 -g
# Linux: sd-bus (libsystemd) talks to systemd-resolved for "dns apply".
PKGS_linux = libsystemd
PKGS	= libcrypto libevent $(PKGS_$(OS))
CFLAGS	+= -std=gnu11 -fno-strict-aliasing $(WARNFLAGS) \
	   $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LIBS	= $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -pthread
# The engine's seccomp filter (daemon/sandbox-linux.c).
ifeq ($(OS),linux)
CFLAGS	+= $(shell $(PKG_CONFIG) --cflags libseccomp 2>/dev/null)
LIBS	+= $(shell $(PKG_CONFIG) --libs libseccomp 2>/dev/null)
endif
# Compiled into test builds only (build/san/: the unit tests and
# build/san/pptpcd): sandbox_test_forbidden(), a system call that the
# engine's sandbox kills, for the tests that prove it does.
TESTHOOKS = -DPPTPC_TEST_HOOKS
ATF_CFLAGS = $(shell $(PKG_CONFIG) --cflags atf-c 2>/dev/null)
ATF_LIBS = $(shell $(PKG_CONFIG) --libs atf-c 2>/dev/null)
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
FUZZFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all
# OpenBSD's clang has neither AddressSanitizer nor libFuzzer: unit tests
# build plain there, and the fuzz targets are left out (t_fuzz skips).
ifeq ($(OS),openbsd)
SANFLAGS =
endif

osfilter = $(filter-out %-$(OTHER_OS).c,$(1))

# pptpcd's sources by component, as the layers of doc/README.md: adding a
# file is a deliberate act, and a file under daemon/ or kernel-glue/ that
# no list names stops the build (below) rather than being left out.
PPTP_SRCS	= daemon/pptp_msg.c daemon/pptp_ctrl.c daemon/gre.c \
		  daemon/gre_call.c
PPP_SRCS	= daemon/ppp.c daemon/fsm.c daemon/lcp.c daemon/ipcp.c \
		  daemon/ipv6cp.c daemon/ccp.c daemon/auth.c daemon/pap.c \
		  daemon/chap.c daemon/chap_ms.c daemon/addr_policy.c
CRYPTO_SRCS	= daemon/crypto.c daemon/mschap.c daemon/mppe_keys.c \
		  daemon/mppe.c
ENGINE_SRCS	= daemon/datapath.c daemon/datapath_sock.c \
		  daemon/datapath_hold.c daemon/datapath_sync.c daemon/mss.c \
		  daemon/tso.c \
		  daemon/tun.c daemon/fdcloser.c \
		  kernel-glue/offload.c kernel-glue/pipex_map.c
CONFIG_SRCS	= daemon/config.c daemon/config6.c daemon/printconf.c \
		  daemon/filecheck.c
RUNTIME_SRCS	= daemon/main.c daemon/pptpcd.c daemon/tunnel.c \
		  daemon/tunnel_ctrl.c daemon/tunnel_engine.c daemon/tunnel_host.c \
		  daemon/tunnel_ipv6.c \
		  daemon/tunnel_policy.c daemon/route.c daemon/route_where.c \
		  daemon/killswitch.c \
		  daemon/addr_host.c \
		  daemon/resolve.c daemon/resolv_text.c daemon/resolv_files.c \
		  daemon/script.c daemon/control.c daemon/dns.c \
		  daemon/privmsg.c daemon/priv.c daemon/priv_parent.c \
		  daemon/priv_parent11.c daemon/priv_pipex.c \
		  daemon/priv_run.c \
		  daemon/session_info.c daemon/json.c daemon/sdnotify.c \
		  daemon/sandbox_common.c daemon/unveil_list.c \
		  daemon/timer_event.c daemon/log.c daemon/compat.c
# Per system: interfaces, routes, credentials and the kernel engines.
OS_SRCS_linux	= daemon/tun-linux.c daemon/route-linux.c \
		  daemon/net6-linux.c daemon/nl-linux.c \
		  daemon/osdep-linux.c daemon/dns-linux.c \
		  daemon/sandbox-linux.c daemon/wansock-linux.c \
		  kernel-glue/kernel-linux.c kernel-glue/nft_mss-linux.c \
		  kernel-glue/nft_batch-linux.c kernel-glue/nft_guard-linux.c
OS_SRCS_openbsd	= daemon/tun-openbsd.c daemon/route-openbsd.c \
		  daemon/net6-openbsd.c daemon/osdep-openbsd.c \
		  daemon/dns-openbsd.c \
		  daemon/sandbox-openbsd.c daemon/wansock-openbsd.c \
		  daemon/unveil-openbsd.c \
		  kernel-glue/pipex-openbsd.c kernel-glue/pipex_host-openbsd.c

DAEMON_SRCS := $(PPTP_SRCS) $(PPP_SRCS) $(CRYPTO_SRCS) $(ENGINE_SRCS) \
	       $(CONFIG_SRCS) $(RUNTIME_SRCS) $(OS_SRCS_$(OS))
UNLISTED := $(filter-out $(DAEMON_SRCS) $(OS_SRCS_linux) $(OS_SRCS_openbsd), \
	    $(wildcard daemon/*.c kernel-glue/*.c))
ifneq ($(UNLISTED),)
$(error $(UNLISTED): in no source list of the Makefile; add to one)
endif
DAEMON_OBJS := $(patsubst %.c,build/obj/%.o,$(DAEMON_SRCS)) \
	       build/obj/daemon/parse.o
LIB_OBJS := $(filter-out build/obj/daemon/main.o,$(DAEMON_OBJS))
# The same daemon built with ASan and UBSan, for the e2e soak test.
SAN_DAEMON := $(if $(SANFLAGS),build/san/pptpcd)
SAN_DAEMON_OBJS := $(patsubst build/obj/%,build/san/%,$(DAEMON_OBJS)) \
		   build/san/tests/lib/sanitizer_defaults.o
CTL_SRCS := ctl/pptpctl.c ctl/parser.c ctl/json_read.c ctl/metrics.c
CTL_OBJS := $(patsubst %.c,build/obj/%.o,$(CTL_SRCS))
PEER_SRCS := $(wildcard tests/peer/*.c)
PEER_OBJS := $(patsubst %.c,build/obj/%.o,$(PEER_SRCS))
# The attack suite's spoofer: a program of its own, not part of the peer.
SPOOF_SRCS := $(wildcard tests/spoof/*.c)
SPOOF_OBJS := $(patsubst %.c,build/obj/%.o,$(SPOOF_SRCS))
# The e2e tests' name server (t_privsep: a server given by name).
FAKEDNS_SRCS := $(wildcard tests/dns/*.c)
FAKEDNS_OBJS := $(patsubst %.c,build/obj/%.o,$(FAKEDNS_SRCS))

UNIT_TESTS := $(patsubst %.c,%,$(call osfilter,$(wildcard tests/unit/t_*.c)))
SH_TESTS := $(patsubst %.sh,%,$(wildcard tests/*/t_*.sh))
FUZZERS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(call osfilter,$(wildcard tests/fuzz/fuzz_*.c)))
ifeq ($(OS),openbsd)
FUZZERS :=
endif
BENCHES := $(patsubst bench/%.c,build/bench/%,$(wildcard bench/*.c))

-include $(wildcard tests/unit/*.mk tests/fuzz/*.mk bench/*.mk)

.PHONY: all tests check deps demo bench fuzz fuzzers install clean deb \
	check-openbsd
.DEFAULT_GOAL := all

all: daemon/pptpcd ctl/pptpctl

daemon/pptpcd: $(DAEMON_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# Its sanitizer defaults are the unit tests' (errors fatal, leaks
# checked at exit); their one LSan suppression is for libatf-c, which
# pptpcd does not link.
build/san/pptpcd: $(SAN_DAEMON_OBJS)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

ctl/pptpctl: $(CTL_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

build/obj/libpptpc.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

tests/peer/pptp-peer: $(PEER_OBJS) build/obj/libpptpc.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# It borrows only the GRE encoder, which needs no library.
tests/spoof/gre-spoof: $(SPOOF_OBJS) build/obj/daemon/gre.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

tests/dns/fake-dns: $(FAKEDNS_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

build/gen/daemon/parse.c: daemon/parse.y
	@mkdir -p $(@D)
	$(YACC) -o $@ $<

build/obj/daemon/parse.o: build/gen/daemon/parse.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

build/san/daemon/parse.o: build/gen/daemon/parse.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(TESTHOOKS) $(CFLAGS) $(SANFLAGS) -Wno-missing-prototypes -c -o $@ $<

build/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# Unit tests and everything they link are built with ASan and UBSan.
build/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(TESTHOOKS) $(CFLAGS) $(SANFLAGS) $(ATF_CFLAGS) -MMD -MP -c -o $@ $<

define unit_test_rule
$(1): build/san/$(1).o build/san/tests/lib/sanitizer_defaults.o $$(patsubst %,build/san/%.o,$$($(notdir $(1))_MODS))
	$$(CC) $$(CFLAGS) $$(SANFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(ATF_LIBS) $$(LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rule,$(t))))

build/fuzz/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZCC) $(CPPFLAGS) $(FUZZFLAGS) $(shell $(PKG_CONFIG) --cflags libcrypto libevent) -MMD -MP -c -o $@ $<

build/fuzz/daemon/parse.o: build/gen/daemon/parse.c
	@mkdir -p $(@D)
	$(FUZZCC) $(CPPFLAGS) $(FUZZFLAGS) -c -o $@ $<

define fuzz_rule
build/fuzz/$(1): build/fuzz/tests/fuzz/$(1).o $$(patsubst %,build/fuzz/%.o,$$($(1)_MODS))
	$$(FUZZCC) $$(FUZZFLAGS) -o $$@ $$^ $$(LIBS)
endef
$(foreach f,$(notdir $(FUZZERS)),$(eval $(call fuzz_rule,$(f))))

define bench_rule
build/bench/$(1): build/obj/bench/$(1).o $$(patsubst %,build/obj/%.o,$$($(1)_MODS))
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(LIBS)
endef
$(foreach b,$(notdir $(BENCHES)),$(eval $(call bench_rule,$(b))))

tests/%: tests/%.sh
	cp $< $@
	chmod +x $@

tests: all $(UNIT_TESTS) $(SH_TESTS) fuzzers $(SAN_DAEMON) \
    $(if $(PEER_SRCS),tests/peer/pptp-peer) \
    $(if $(SPOOF_SRCS),tests/spoof/gre-spoof) \
    $(if $(FAKEDNS_SRCS),tests/dns/fake-dns)

fuzzers: $(FUZZERS)

deps:
	@sh .ci/deps.sh

# Every file of the OpenBSD build, compiled (syntax and warnings only,
# nothing linked) with clang against an OpenBSD /usr/include: from Linux
# the only check those files get.  OPENBSD_SYSROOT is a directory that
# holds usr/include as OpenBSD installs it; libevent 2 and OpenSSL 3,
# which come from packages there, are taken from OPENBSD_DEPS_INCLUDE
# (by default the sysroot's linux-deps/: Debian's own headers, see
# HACKING.md).  Not part of make check: the sysroot is not in the tree.
OPENBSD_SRCS	= $(PPTP_SRCS) $(PPP_SRCS) $(CRYPTO_SRCS) $(ENGINE_SRCS) \
		  $(CONFIG_SRCS) $(RUNTIME_SRCS) $(OS_SRCS_openbsd) $(CTL_SRCS)
OPENBSD_DEPS_INCLUDE ?= $(OPENBSD_SYSROOT)/linux-deps/include
OPENBSD_CHECK	= clang --target=x86_64-unknown-openbsd -nostdinc \
		  -isystem $(OPENBSD_SYSROOT)/usr/include \
		  $(addprefix -isystem ,$(OPENBSD_DEPS_INCLUDE)) \
		  -D_GNU_SOURCE -Idaemon -Ikernel-glue -Ictl -Itests/lib \
		  -Ibuild/gen -std=gnu11 -fno-strict-aliasing $(WARNFLAGS) \
		  -Werror -fsyntax-only

check-openbsd: build/gen/daemon/parse.c
	@if [ -z "$(OPENBSD_SYSROOT)" ]; then \
	    echo "check-openbsd: skipped: set OPENBSD_SYSROOT to a" \
	        "directory with OpenBSD's usr/include (HACKING.md)"; \
	    exit 0; \
	fi; \
	test -f $(OPENBSD_SYSROOT)/usr/include/sys/pledge.h || \
	    { echo "check-openbsd: no OpenBSD headers under" \
	        "$(OPENBSD_SYSROOT)/usr/include"; exit 1; }; \
	rc=0; \
	for f in $(OPENBSD_SRCS); do \
	    $(OPENBSD_CHECK) $$f || rc=1; \
	done; \
	for f in $$(grep -l PPTPC_TEST_HOOKS $(OPENBSD_SRCS)); do \
	    $(OPENBSD_CHECK) $(TESTHOOKS) $$f || rc=1; \
	done; \
	$(OPENBSD_CHECK) -Wno-missing-prototypes build/gen/daemon/parse.c \
	    || rc=1; \
	[ $$rc = 0 ] && echo "check-openbsd: $(words $(OPENBSD_SRCS)) files" \
	    "and parse.c compile against $(OPENBSD_SYSROOT)"; \
	exit $$rc

check: deps
	$(MAKE) WERROR=1 tests deb
	@rm -f build/kyua.db
	@rc=0; kyua test --results-file=build/kyua.db || rc=$$?; \
	kyua report --results-file=build/kyua.db --verbose \
	    --results-filter=broken,failed; \
	kyua report --results-file=build/kyua.db | tail -n 3; \
	command -v systemd-analyze >/dev/null && \
	    systemd-analyze security --offline=true etc/pptpcd.service \
	    2>/dev/null | grep "Overall exposure"; \
	exit $$rc

demo: deps all tests/peer/pptp-peer
	@sh tests/e2e/demo.sh

bench: all $(BENCHES) tests/peer/pptp-peer
	@sh bench/run.sh

FUZZ_TIME ?= 60
fuzz: fuzzers
	@for f in $(FUZZERS); do \
	    n=$${f##*/fuzz_}; mkdir -p build/corpus/$$n; \
	    echo "==> $$n ($(FUZZ_TIME) s)"; \
	    $$f -max_total_time=$(FUZZ_TIME) build/corpus/$$n \
	        tests/fuzz/corpus/$$n || exit 1; \
	done

# The engine's user and its empty root, as SANDBOX_USER and
# SANDBOX_CHROOT_DIR in daemon/sandbox.h name them (keep them equal).
# make install creates them where missing; a staged install (DESTDIR)
# leaves that to the package (debian/pptpc.postinst).  OpenBSD's ports
# give a daemon user a fixed uid: PPTPC_UID=... picks one, otherwise
# useradd takes the next free uid.
ifeq ($(OS),openbsd)
ENGINE_USER	= _pptpc
ENGINE_CHROOT	= /var/empty
ENGINE_USERADD	= useradd -L daemon -g =uid -d /var/empty -s /sbin/nologin \
		  -c "pptpcd engine" $(if $(PPTPC_UID),-u $(PPTPC_UID))
else
ENGINE_USER	= pptpc
ENGINE_CHROOT	= /var/lib/pptpcd/empty
NOLOGIN		?= $(firstword $(wildcard /usr/sbin/nologin /sbin/nologin) \
		   /usr/sbin/nologin)
ENGINE_USERADD	= useradd --system --user-group --no-create-home \
		  --home-dir /nonexistent --shell $(NOLOGIN)
endif

# Manual pages live under share/man on Linux, directly under man on OpenBSD.
# The service file: a systemd unit on Linux, an rc.d script on OpenBSD.
install: MANDIR ?= $(if $(filter openbsd,$(OS)),$(PREFIX)/man,$(PREFIX)/share/man)
install: SYSTEMDUNITDIR ?= /lib/systemd/system
install: RCDIR ?= /etc/rc.d
install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 0755 daemon/pptpcd $(DESTDIR)$(PREFIX)/sbin/pptpcd
	install -m 0755 ctl/pptpctl $(DESTDIR)$(PREFIX)/bin/pptpctl
	install -m 0644 daemon/pptpcd.8 $(DESTDIR)$(MANDIR)/man8/pptpcd.8
	install -m 0644 ctl/pptpctl.8 $(DESTDIR)$(MANDIR)/man8/pptpctl.8
	install -m 0644 daemon/pptpcd.conf.5 \
	    $(DESTDIR)$(MANDIR)/man5/pptpcd.conf.5
ifeq ($(OS),openbsd)
	install -d $(DESTDIR)$(RCDIR)
	install -m 0555 etc/rc.d/pptpcd $(DESTDIR)$(RCDIR)/pptpcd
else
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's,/usr/sbin/,$(PREFIX)/sbin/,; s,/usr/bin/,$(PREFIX)/bin/,' \
	    etc/pptpcd.service > $(DESTDIR)$(SYSTEMDUNITDIR)/pptpcd.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/pptpcd.service
endif
ifeq ($(DESTDIR),)
	id $(ENGINE_USER) >/dev/null 2>&1 || $(ENGINE_USERADD) $(ENGINE_USER)
	install -d -o root -m 0755 $(ENGINE_CHROOT)
endif

# A Debian package from the tree, with Debian's own tools, built in a copy
# of the tracked files under build/deb so that the tree stays as it is.
deb: deps
	rm -rf build/deb
	mkdir -p build/deb/pptpc
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	    git ls-files -z | xargs -0 cp -a --parents -t build/deb/pptpc; \
	else \
	    tar -cf - --exclude=./build . | tar -xf - -C build/deb/pptpc; \
	fi
	cd build/deb/pptpc && dpkg-buildpackage -us -uc -b
	lintian --fail-on error \
	    build/deb/pptpc_*.deb
	@ls build/deb/pptpc_*.deb

clean:
	rm -rf build daemon/pptpcd ctl/pptpctl tests/peer/pptp-peer \
	    tests/spoof/gre-spoof tests/dns/fake-dns \
	    $(UNIT_TESTS) $(SH_TESTS)

-include $(shell find build -path build/deb -prune -o -name '*.d' -type f -print 2>/dev/null)
