# bench/bench.mk — the benchmark suite, included by the top Makefile.
#
#   make bench-run      build, run the suite, write $(BENCH_REPORT_DIR):
#                       results.json, report.md, summary.json, *.svg
#                       (BENCH_QUICK=1: the ~30-second version)
#   make bench-smoke    a few seconds of the suite; non-zero on failure
#   make bench-instr    callgrind instruction counts per call on the hot
#                       paths, into $(BENCH_REPORT_DIR)/instr.md and
#                       instr.json (bench-run makes them too)
#   make bench-readme   the README's benchmark block from the last full
#                       bench-run of the current code
#   make bench-kernel   the kernel rows (bench/kernel.c) inside the QEMU
#                       stage of the kernel tests, into
#                       $(BENCH_KERNEL_DIR) (BENCH_QUICK=1: shorter)
#   make bench-kernel-instr
#                       instructions per call: the client's side of the
#                       uring_cmd path (callgrind), the guest kernel's
#                       share of each kind of call (a TCG plugin)
#
# Uses the top Makefile's O, Q, CC, OPT, TEEQ_CFLAGS, TEEQ_LDFLAGS,
# BASE_LIB, LIBTEEQ_A, SW_BIN and CRYPTO_LIBS. The C files compile with the
# top Makefile's $(O)/%.o rule; the C++ shim, the only C++, with $(BENCH_CXX).

BENCH_CXX ?= g++
BENCH_REPORT_DIR ?= $(O)/report
BENCH_KERNEL_DIR ?= $(O)/report-kernel

BENCH_C_SRCS := bench/core.c bench/env.c bench/peer.c bench/uring.c \
	bench/baseline.c bench/sync.c bench/async.c bench/paired.c \
	bench/payload.c bench/idle.c bench/kernel.c bench/storage.c \
	bench/ta.c bench/main.c
BENCH_C_OBJS := $(BENCH_C_SRCS:%.c=$(O)/%.o)
# bench/ta.c runs teeq-sw's side of loaded TAs in process too
BENCH_SECURE_OBJS = $(SECURE_OBJS)
BENCH_SHIM_OBJ := $(O)/bench/shim.o
BENCH_BIN := $(O)/bench/teeq-bench
BENCH_REPORT_BIN := $(O)/bench/teeq-bench-report
BENCH_INSTR_BIN := $(O)/bench/teeq-bench-instr
BENCH_KREPORT_BIN := $(O)/bench/teeq-bench-kreport
BENCH_KINSTR_BIN := $(O)/bench/teeq-bench-kinstr
BENCH_BUILDINFO := $(O)/bench/buildinfo.h

BENCH_CXXFLAGS = -std=c++17 -Wall -Wextra -Werror -Wshadow $(OPT) \
	$(SANFLAGS) -I. -Iclient/include -MMD -MP $(CXXFLAGS)
BENCH_LIBS = -lbenchmark -luring $(CRYPTO_LIBS) -lm

.PHONY: bench-build bench-run bench-smoke bench-instr bench-readme \
	bench-kernel bench-kernel-instr _bench_force

bench-build: $(BENCH_BIN) $(BENCH_REPORT_BIN) $(SW_BIN)

# What the binary was built with, for the report; rewritten only when it
# changes, so that it does not force a relink every time.
$(BENCH_BUILDINFO): _bench_force
	@mkdir -p $(dir $@)
	$(Q){ \
	  printf '#define BENCH_BUILD_CC "%s"\n' \
	    "$$($(CC) --version | head -n 1 | sed 's/["\\]/\\&/g')"; \
	  printf '#define BENCH_BUILD_CXX "%s"\n' \
	    "$$($(BENCH_CXX) --version | head -n 1 | sed 's/["\\]/\\&/g')"; \
	  printf '#define BENCH_BUILD_CFLAGS "%s"\n' \
	    "$$(echo '$(filter-out -I% -MMD -MP -W%,$(TEEQ_CFLAGS))' | \
	        sed 's/["\\]/\\&/g')"; \
	} >$@.tmp
	$(Q)cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv -f $@.tmp $@

_bench_force:

# the kernel rows' vgem buffers: DRM's uapi headers (libdrm-dev)
$(O)/bench/kernel.o: TEEQ_CFLAGS += $(shell pkg-config --cflags libdrm)

$(O)/bench/main.o: $(BENCH_BUILDINFO)
$(O)/bench/main.o: TEEQ_CFLAGS += -I$(O)/bench

$(BENCH_SHIM_OBJ): bench/shim.cc
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $@")
	$(Q)$(BENCH_CXX) $(BENCH_CXXFLAGS) -c $< -o $@

$(BENCH_BIN): $(BENCH_C_OBJS) $(BENCH_SECURE_OBJS) $(BENCH_SHIM_OBJ) \
	$(LIBTEEQ_A) $(BASE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(BENCH_CXX) $(BENCH_C_OBJS) $(BENCH_SECURE_OBJS) \
		$(BENCH_SHIM_OBJ) $(LIBTEEQ_A) $(BASE_LIB) $(TEEQ_LDFLAGS) \
		$(BENCH_LIBS) -o $@

# Google Benchmark's JSON is read with json-c (libjson-c-dev).
$(O)/bench/report.o: TEEQ_CFLAGS += $(shell pkg-config --cflags json-c)
$(BENCH_REPORT_BIN): $(O)/bench/report.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $^ $(TEEQ_LDFLAGS) $(shell pkg-config --libs json-c) -lm -o $@

# The kernel-mode report (make bench-kernel); Google Benchmark's JSON is
# read with json-c (libjson-c-dev).
$(O)/bench/kreport.o: TEEQ_CFLAGS += $(shell pkg-config --cflags json-c)
$(BENCH_KREPORT_BIN): $(O)/bench/kreport.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $^ $(TEEQ_LDFLAGS) $(shell pkg-config --libs json-c) -lm -o $@

# static: it runs in the QEMU guest too
$(BENCH_KINSTR_BIN): $(O)/bench/kinstr.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -static $^ $(TEEQ_LDFLAGS) -luring -o $@

# The TCG plugin that counts the guest kernel's instructions.
BENCH_QEMU_INSN := $(O)/bench/qemu-insn.so
$(BENCH_QEMU_INSN): bench/qemu_insn.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -shared -fPIC \
		-fvisibility=hidden $< -o $@ -pthread

$(BENCH_INSTR_BIN): $(O)/bench/instr.o $(LIBTEEQ_A) $(BASE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $< $(LIBTEEQ_A) $(BASE_LIB) $(TEEQ_LDFLAGS) -o $@

BENCH_SCRIPT_ENV = BENCH_BIN=$(BENCH_BIN) BENCH_REPORT_BIN=$(BENCH_REPORT_BIN) \
	BENCH_INSTR_BIN=$(BENCH_INSTR_BIN) TEEQ_SW=$(SW_BIN) \
	BENCH_REPORT_DIR=$(BENCH_REPORT_DIR)

bench-run: bench-build $(BENCH_INSTR_BIN)
	$(Q)$(BENCH_SCRIPT_ENV) scripts/bench-report.sh run

bench-smoke: bench-build
	$(Q)$(BENCH_SCRIPT_ENV) scripts/bench-report.sh smoke

bench-instr: $(BENCH_INSTR_BIN) $(SW_BIN)
	$(Q)$(BENCH_SCRIPT_ENV) scripts/bench-report.sh instr

bench-readme:
	$(Q)$(BENCH_SCRIPT_ENV) scripts/bench-report.sh readme

# teeq.ko, the guest's static teeq-sw and the suite, booted in QEMU
bench-kernel:
	$(Q)scripts/deps.sh kernel
	$(Q)$(MAKE) --no-print-directory driver $(KSW_BIN) bench-build \
		$(BENCH_KREPORT_BIN)
	$(Q)BENCH_KREPORT_BIN=$(BENCH_KREPORT_BIN) \
		scripts/bench-kernel.sh $(O) $(BENCH_KERNEL_DIR)

bench-kernel-instr:
	$(Q)scripts/deps.sh kernel
	$(Q)$(MAKE) --no-print-directory driver $(KSW_BIN) \
		$(BENCH_KINSTR_BIN) $(BENCH_QEMU_INSN)
	$(Q)scripts/bench-kernel.sh instr $(O) $(BENCH_KERNEL_DIR)

-include $(BENCH_C_OBJS:.o=.d) $(BENCH_SHIM_OBJ:.o=.d) \
	$(O)/bench/report.d $(O)/bench/instr.d $(O)/bench/kreport.d \
	$(O)/bench/kinstr.d
