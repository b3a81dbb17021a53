# teeq — top-level Makefile (GNU make). Everything builds into $(O).
#
#   make bench     install what is missing, build, run the benchmarks
#   make test      install what is missing, build (plain, ASan+UBSan, TSan),
#                  run every suite, print "N passed, N failed[, N skipped]"
#   make soak      about 10 minutes of well-behaved and hostile clients
#                  against one teeq-sw under ASan (not part of make test)
#   make mutants   break the code on purpose (scripts/mutants/*.patch) and
#                  check that the tests catch each break (not part of make
#                  test; docs/testing.md)
#   make all       build libraries, programs, tests and benchmarks (the
#                  default; installs nothing: make deps does that)
#   make deps      install the Debian packages the build needs
#   make format    clang-format every C file in place
#
# Variables: O (build dir), SAN (sanitizers, e.g. address,undefined),
# OPT (optimisation flags), CC, V=1 (echo commands).

O ?= build
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := 0.1.0
SAN ?=
OPT ?= -O2 -g
CC ?= gcc
LD ?= ld
OBJCOPY ?= objcopy
V ?= 0

ifeq ($(V),0)
Q := @
else
Q :=
endif

SANFLAGS := $(if $(SAN),-fsanitize=$(SAN) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all)
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wvla
TEEQ_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) $(SANFLAGS) -I. \
	-Iclient/include -fPIC -fno-strict-aliasing -MMD -MP $(CFLAGS)
TEEQ_LDFLAGS = $(SANFLAGS) -pthread $(LDFLAGS)

# ---- the base: ring/ and shm/ ------------------------------------------------
BASE_SRCS := ring/ring.c ring/channel.c ring/wait.c ring/host.c \
	ring/rpc_region.c \
	shm/pool.c shm/ids.c shm/memfd.c shm/copy.c
BASE_OBJS := $(BASE_SRCS:%.c=$(O)/%.o)
BASE_LIB := $(O)/libteeqbase.a

# ---- the secure world --------------------------------------------------------
# The portable core (secure/core/, secure/storage/), the attachments that
# serve it in teeq-sw (secure/attach/: host/ the socket, kernel/ the
# driver's endpoint, and what both share), the trusted apps, and loaded
# TAs (secure/loaded/: each instance runs in teeq-ta-host,
# secure/tahost/tahost.mk; their files are read with the SDK's parser).
# TA objects are linked directly so that their registry entries (a linker
# section) are kept.
SECURE_CORE_SRCS := $(sort $(wildcard secure/core/*.c secure/storage/*.c))
SECURE_ATTACH_SRCS := $(sort $(wildcard secure/attach/*.c \
	secure/attach/*/*.c))
SECURE_LOADED_SRCS := $(sort $(wildcard secure/loaded/*.c))
SECURE_TA_SRCS := $(sort $(wildcard secure/ta/*.c))
SECURE_OBJS := $(SECURE_CORE_SRCS:%.c=$(O)/%.o) \
	$(SECURE_ATTACH_SRCS:%.c=$(O)/%.o) \
	$(SECURE_LOADED_SRCS:%.c=$(O)/%.o) $(SECURE_TA_SRCS:%.c=$(O)/%.o) \
	$(O)/sdk/tafile/parse.o
CRYPTO_LIBS := -lcrypto

SW_BIN := $(O)/secure/teeq-sw

# ---- teeq-supplicant: the normal world's keeper of the secure world's files --
SUPPL_SRCS := $(filter-out supplicant/main.c,$(wildcard supplicant/*.c))
SUPPL_OBJS := $(SUPPL_SRCS:%.c=$(O)/%.o)
SUPPL_BIN := $(O)/supplicant/teeq-supplicant

# ---- libteeq: the client library ----------------------------------------------
# Public symbols are marked TEEQ_API and listed in client/libteeq.map.
CLIENT_SRCS := $(sort $(wildcard client/*.c))
CLIENT_OBJS := $(CLIENT_SRCS:%.c=$(O)/%.o)
LIBTEEQ_A := $(O)/lib/libteeq.a
LIBTEEQ_SO := $(O)/lib/libteeq.so.$(VERSION)
LIBTEEQ_PC := $(O)/lib/pkgconfig/teeq.pc
$(CLIENT_OBJS): TEEQ_CFLAGS += -fvisibility=hidden \
	-DTEEQ_SW_DEFAULT='"$(PREFIX)/bin/teeq-sw"'

# ---- examples: GlobalPlatform client programs, built as a user would ---------
EXAMPLE_SRCS := $(sort $(wildcard examples/*.c))
EXAMPLE_BINS := $(EXAMPLE_SRCS:%.c=$(O)/%)

# ---- tests: one program per behaviour ---------------------------------------
# tests/kernel runs inside QEMU (make kernel-test), not on the host;
# tests/soak is make soak's, not make test's
TEST_SRCS := $(sort $(filter-out tests/kernel/% tests/soak/%,\
	$(wildcard tests/*/*.c)))
TEST_NAMES := $(TEST_SRCS:%.c=%)
TEST_BINS := $(TEST_NAMES:%=$(O)/%)
# Tests with more than one thread, also run under ThreadSanitizer.
TSAN_NAMES := tests/ring/stress_threads tests/ring/need_wakeup \
	tests/shm/pool_threads tests/shm/ids_threads tests/client/smoke \
	tests/client/async_threads tests/client/sync_threads_shared \
	tests/client/cancel_inflight tests/client/wait_no_stall \
	tests/secure/session_lock \
	tests/fault/sw_killed tests/fault/client_killed \
	tests/client/doorbells tests/client/idle_sleep tests/client/cancel_open \
	tests/client/sync_no_busy tests/client/pair_choice \
	tests/client/pair_lease \
	tests/storage/concurrent tests/storage/suppl_hangs \
	tests/storage/suppl_dies \
	tests/hostile/blocking_doorbell tests/hostile/killed_mid_message \
	tests/hostile/wait_fairness

# ---- benchmarks: bench/bench.mk -------------------------------------------------

.PHONY: all libs progs tests benches examples test bench deps clean \
	format check-format install driver kernel-test soak mutants
.DEFAULT_GOAL := all
.SECONDARY:

all: libs progs tests benches examples
libs: $(BASE_LIB) $(LIBTEEQ_A) $(LIBTEEQ_SO) $(LIBTEEQ_PC)
progs: $(SW_BIN) $(SUPPL_BIN)
examples: $(EXAMPLE_BINS)
tests: $(TEST_BINS)
benches: bench-build

deps:
	$(Q)scripts/deps.sh

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(TEEQ_CFLAGS) -c $< -o $@

$(BASE_LIB): $(BASE_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

# One relocatable object whose only global names are TEEC_* and teeq_*:
# the base's (ring_*, shm_*, channel_*) become local, so a program that
# links the archive meets nothing of ours but the prefixed names.
# Kernel mode's io_uring commands use liburing, linked in (its names local
# too), so that a program needs nothing more to link libteeq.
URING_A := $(shell $(CC) -print-file-name=liburing.a)
$(LIBTEEQ_A): $(CLIENT_OBJS) $(BASE_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ $@.o && $(LD) -r -o $@.o $^ $(URING_A) && \
		$(OBJCOPY) -w --keep-global-symbol='TEEC_*' \
		--keep-global-symbol='teeq_*' $@.o && \
		ar rcs $@ $@.o && rm -f $@.o

$(LIBTEEQ_SO): $(CLIENT_OBJS) $(BASE_OBJS) client/libteeq.map
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared -Wl,-soname,libteeq.so.1 \
		-Wl,--version-script=client/libteeq.map -Wl,--no-undefined \
		$(CLIENT_OBJS) $(BASE_OBJS) $(URING_A) $(TEEQ_LDFLAGS) -o $@
	$(Q)ln -sf libteeq.so.$(VERSION) $(O)/lib/libteeq.so.1
	$(Q)ln -sf libteeq.so.1 $(O)/lib/libteeq.so

$(LIBTEEQ_PC): client/teeq.pc.in
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' $< >$@

# Examples compile against the public headers only and link the shared
# library, exactly as an existing GlobalPlatform client would.
$(O)/examples/%: examples/%.c $(LIBTEEQ_SO)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) $(SANFLAGS) \
		-Iclient/include -Iuapi $< -L$(O)/lib -lteeq \
		-Wl,-rpath,$(abspath $(O)/lib) $(SANFLAGS) -o $@

$(SW_BIN): $(O)/secure/main.o $(SECURE_OBJS) $(BASE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $^ $(TEEQ_LDFLAGS) $(CRYPTO_LIBS) -o $@

$(SUPPL_BIN): $(O)/supplicant/main.o $(SUPPL_OBJS) $(BASE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $^ $(TEEQ_LDFLAGS) -o $@

# Tests link everything: the secure core and TAs (unit tests call them
# directly), the supplicant's file service, libteeq statically, the base.
$(O)/tests/%: $(O)/tests/%.o $(SECURE_OBJS) $(SUPPL_OBJS) $(LIBTEEQ_A) \
		$(BASE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $< $(SECURE_OBJS) $(SUPPL_OBJS) $(LIBTEEQ_A) $(BASE_LIB) \
		$(TEEQ_LDFLAGS) $(CRYPTO_LIBS) -o $@

# The portable core alone, on a platform of the test's own: a reference to
# anything of teeq-sw's attachments fails the link, an include of one of
# their headers the build.
SECURE_PORTABLE_OBJS := $(SECURE_CORE_SRCS:%.c=$(O)/%.o) \
	$(SECURE_TA_SRCS:%.c=$(O)/%.o)
$(O)/tests/secure/core_alone: $(O)/tests/secure/core_alone.o \
		$(SECURE_PORTABLE_OBJS) $(BASE_LIB)
	@if grep -l '^#include "secure/attach/' $(SECURE_CORE_SRCS) \
		$(SECURE_TA_SRCS) $(wildcard secure/core/*.h secure/storage/*.h); \
	then echo "the core includes an attachment's header" >&2; exit 1; fi
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $^ $(TEEQ_LDFLAGS) $(CRYPTO_LIBS) -o $@

# The steady-load test counts what libteeq calls: allocators, locks and
# system-call wrappers linked through its counters.
STEADY_WRAPS := malloc calloc realloc free aligned_alloc posix_memalign \
	pthread_mutex_lock pthread_mutex_trylock pthread_cond_wait \
	pthread_cond_broadcast pthread_cond_signal read write poll epoll_wait \
	sendmsg recv recvmsg nanosleep sched_yield syscall
$(O)/tests/client/steady_no_syscalls: TEEQ_LDFLAGS += \
	$(STEADY_WRAPS:%=-Wl,--wrap=%)
# thread_exit_finalize holds a thread in libteeq's mutex unlocks
EXIT_WRAPS := -Wl,--wrap=pthread_mutex_unlock
$(O)/tests/client/thread_exit_finalize: TEEQ_LDFLAGS += $(EXIT_WRAPS)

# ---- the kernel module -----------------------------------------------------------
# Built against the running kernel's headers when it has them, else the
# installed Debian 6.1 ones (what the QEMU stage boots). Kbuild works on a
# copy of driver/, ring/ and uapi/ under $(O), so the tree stays clean.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(sort $(wildcard /lib/modules/6.1*/build)))
KBUILD_SRC := $(O)/kernel/src
DRIVER_SRCS := $(sort $(wildcard driver/*.c driver/*.h)) driver/Kbuild \
	ring/ring.c ring/channel.c ring/ring.h ring/atomics.h ring/channel.h \
	$(sort $(wildcard uapi/*.h))
TEEQ_KO := $(O)/kernel/teeq.ko

driver: $(TEEQ_KO)

$(TEEQ_KO): $(DRIVER_SRCS)
	@test -n "$(KDIR)" || { echo "no kernel headers: scripts/deps.sh kernel"; exit 1; }
	@mkdir -p $(KBUILD_SRC)
	$(Q)cp --parents -u $(DRIVER_SRCS) $(KBUILD_SRC)/
	$(Q)$(MAKE) --no-print-directory -C $(KDIR) \
		M=$(abspath $(KBUILD_SRC)/driver) KCFLAGS=-Werror \
		CONFIG_DEBUG_INFO_BTF_MODULES= modules
	$(Q)cp $(KBUILD_SRC)/driver/teeq.ko $@

# ---- the kernel stage: tests/kernel in QEMU ----------------------------------------
# Static programs, so the guest needs no libraries: the kernel tests and a
# teeq-sw built from the same objects as the host's.
KTEST_SRCS := $(sort $(wildcard tests/kernel/*.c))
KTEST_BINS := $(KTEST_SRCS:tests/kernel/%.c=$(O)/kernel/tests/%)
KSW_BIN := $(O)/kernel/teeq-sw
KSUPPL_BIN := $(O)/kernel/teeq-supplicant

$(O)/kernel/tests/%: tests/kernel/%.c tests/kernel/kfixture.h \
		tests/kernel/kuring.h tests/kernel/kstorage.h tests/check.h \
		$(wildcard uapi/*.h) \
		$(LIBTEEQ_A)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) -I. -Iclient/include \
		$(shell pkg-config --cflags libdrm 2>/dev/null) -static $< \
		$(LIBTEEQ_A) -luring -pthread -o $@

$(KSW_BIN): $(O)/secure/main.o $(SECURE_OBJS) $(BASE_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -static $^ -pthread $(CRYPTO_LIBS) -o $@

$(KSUPPL_BIN): $(O)/supplicant/main.o $(SUPPL_OBJS) $(BASE_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -static $^ -o $@

# The client suite runs there too, in kernel mode: every tests/client
# program but those about host mode alone (sw_fixture_host_only()), linked
# as on the host, statically.
KCLIENT_HOST_ONLY := sw_fixture_host_only(
KCLIENT_SRCS := $(shell grep -LF '$(KCLIENT_HOST_ONLY)' tests/client/*.c)
KCLIENT_BINS := $(KCLIENT_SRCS:tests/client/%.c=$(O)/kernel/client/%)

$(O)/kernel/client/%: $(O)/tests/client/%.o $(SECURE_OBJS) $(SUPPL_OBJS) \
		$(LIBTEEQ_A) $(BASE_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -static $< $(SECURE_OBJS) $(SUPPL_OBJS) $(LIBTEEQ_A) \
		$(BASE_LIB) -pthread $(KCLIENT_LDFLAGS) $(CRYPTO_LIBS) -o $@
$(O)/kernel/client/thread_exit_finalize: KCLIENT_LDFLAGS += $(EXIT_WRAPS)

kernel-test:
	$(Q)scripts/deps.sh kernel
	$(Q)$(MAKE) --no-print-directory driver $(KSW_BIN) $(KSUPPL_BIN) \
		$(KTEST_BINS) $(KCLIENT_BINS)
	$(Q)mkdir -p $(RESULTS)
	$(Q)tests/kernel/run.sh $(O) $(RESULTS) $(KTEST_BINS) $(KCLIENT_BINS)

# ---- make test ---------------------------------------------------------------
# Three builds of the same sources; sanitizer runs scale long stress loops
# down (TEEQ_TEST_SCALE) and say so in each test's log.
RESULTS := $(O)/results

test: deps
	$(Q)rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	$(Q)$(MAKE) --no-print-directory libs progs tests benches examples
	$(Q)$(MAKE) --no-print-directory O=$(O)/asan SAN=address,undefined \
		OPT="-O1 -g" progs tests
	$(Q)$(MAKE) --no-print-directory O=$(O)/tsan SAN=thread OPT="-O1 -g" \
		progs $(TSAN_NAMES:%=$(O)/tsan/%)
	$(Q)tests/run.sh unit $(O) $(RESULTS) $(TEST_NAMES) || true
	$(Q)tests/examples.sh $(O) $(RESULTS) || true
	$(Q)tests/install.sh $(O) $(RESULTS) || true
	$(Q)tests/symbols.sh $(O) $(RESULTS) || true
	$(Q)$(MAKE) --no-print-directory fuzz-smoke || true
	$(Q)echo "== suite bench-smoke"; \
	if $(MAKE) --no-print-directory bench-smoke \
		>$(RESULTS)/bench-smoke.log 2>&1; then \
		echo "  PASS  bench/smoke"; \
		grep '^bench-smoke: skipped' $(RESULTS)/bench-smoke.log | \
			sed 's/^bench-smoke: skipped/  SKIP /'; \
		echo "1 0 $$(grep -c '^bench-smoke: skipped' \
			$(RESULTS)/bench-smoke.log)" >$(RESULTS)/bench.counts; \
	else \
		echo "  FAIL  bench/smoke"; tail -n 20 $(RESULTS)/bench-smoke.log; \
		echo "0 1 0" >$(RESULTS)/bench.counts; \
	fi
	$(Q)tests/run.sh asan+ubsan $(O)/asan $(RESULTS) $(TEST_NAMES) || true
	$(Q)TEEQ_TEST_SCALE=4 tests/run.sh tsan $(O)/tsan $(RESULTS) \
		$(TSAN_NAMES) || true
	$(Q)$(MAKE) --no-print-directory kernel-test || true
	$(Q)tests/summary.sh $(RESULTS) unit examples install fuzz bench \
		asan+ubsan tsan kernel

# ---- make soak ---------------------------------------------------------------
# About 10 minutes (SOAK_SECONDS): well-behaved and hostile clients against
# one teeq-sw built with ASan+UBSan (tests/soak/soak.c says what passes).
SOAK_SECONDS ?= 600
soak: deps
	$(Q)$(MAKE) --no-print-directory O=$(O)/asan SAN=address,undefined \
		OPT="-O1 -g" progs $(O)/asan/tests/soak/soak
	$(Q)TEEQ_SW=$(O)/asan/secure/teeq-sw $(O)/asan/tests/soak/soak \
		$(SOAK_SECONDS)

# ---- make mutants ------------------------------------------------------------
# Each patch of scripts/mutants/ applied to a scratch copy of the tree, the
# tests it names run against it: one line per mutant, caught or MISSED.
mutants:
	$(Q)scripts/mutants.sh

# ---- make bench --------------------------------------------------------------
# The suite (bench/bench.mk): build/report/ gets results.json, report.md,
# summary.json and SVG charts. BENCH_QUICK=1 runs the ~30-second version.
bench: deps
	$(Q)$(MAKE) --no-print-directory libs progs
	$(Q)$(MAKE) --no-print-directory bench-run

install: libs progs
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/include/teeq
	install -m 644 $(LIBTEEQ_A) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(LIBTEEQ_SO) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libteeq.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libteeq.so.1
	ln -sf libteeq.so.1 $(DESTDIR)$(PREFIX)/lib/libteeq.so
	install -m 644 $(LIBTEEQ_PC) $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -m 644 client/include/*.h uapi/*.h \
		$(DESTDIR)$(PREFIX)/include/teeq/
	install -m 755 $(SW_BIN) $(SUPPL_BIN) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system
	for u in teeq-sw teeq-supplicant; do \
		sed 's|@BINDIR@|$(PREFIX)/bin|g' systemd/$$u.service.in \
			>$(DESTDIR)$(PREFIX)/lib/systemd/system/$$u.service; \
	done

clean:
	rm -rf $(O)

C_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(C_FILES)
check-format:
	clang-format --dry-run --Werror $(C_FILES)

include tests/fuzz/fuzz.mk
include bench/bench.mk
include sdk/sdk.mk
include secure/tahost/tahost.mk
include examples/ta/ta.mk
include bench/ta/ta.mk

-include $(BASE_OBJS:.o=.d) $(SECURE_OBJS:.o=.d) $(CLIENT_OBJS:.o=.d) \
	$(O)/secure/main.d $(SUPPL_OBJS:.o=.d) $(O)/supplicant/main.d \
	$(TEST_BINS:=.d) $(BENCH_C_OBJS:.o=.d) \
	$(BENCH_SHIM_OBJ:.o=.d)
