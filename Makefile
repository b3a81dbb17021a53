# teeq — top-level Makefile (GNU make). Everything builds into $(O).
#
#   make bench     install what is missing, build, run the benchmarks
#   make test      install what is missing, build (plain, ASan+UBSan, TSan),
#                  run every suite, print "N passed, N failed[, N skipped]"
#   make all       build libraries, programs, tests and benchmarks
#   make format    clang-format every C file in place
#
# Variables: O (build dir), SAN (sanitizers, e.g. address,undefined),
# OPT (optimisation flags), CC, V=1 (echo commands).

O ?= build
SAN ?=
OPT ?= -O2 -g
CC ?= gcc
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
	-fno-strict-aliasing -MMD -MP $(CFLAGS)
TEEQ_LDFLAGS = $(SANFLAGS) -pthread $(LDFLAGS)

# ---- the base: ring/ and shm/ ------------------------------------------------
BASE_SRCS := ring/ring.c ring/channel.c ring/wait.c \
	shm/pool.c shm/ids.c shm/memfd.c
BASE_OBJS := $(BASE_SRCS:%.c=$(O)/%.o)
BASE_LIB := $(O)/libteeqbase.a

# ---- tests: one program per behaviour ---------------------------------------
TEST_SRCS := $(sort $(wildcard tests/*/*.c))
TEST_NAMES := $(TEST_SRCS:%.c=%)
TEST_BINS := $(TEST_NAMES:%=$(O)/%)
# Tests with more than one thread, also run under ThreadSanitizer.
TSAN_NAMES := tests/ring/stress_threads tests/ring/need_wakeup \
	tests/shm/pool_threads tests/shm/ids_threads

# ---- benchmarks --------------------------------------------------------------
BENCH_SRCS := bench/ringlat.c
BENCH_BINS := $(BENCH_SRCS:%.c=$(O)/%)

.PHONY: all libs tests benches test bench deps clean format check-format
.DEFAULT_GOAL := all
.SECONDARY:

all: deps libs tests benches
libs: $(BASE_LIB)
tests: $(TEST_BINS)
benches: $(BENCH_BINS)

deps:
	$(Q)scripts/deps.sh

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(TEEQ_CFLAGS) -c $< -o $@

$(BASE_LIB): $(BASE_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/tests/%: $(O)/tests/%.o $(BASE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $< $(BASE_LIB) $(TEEQ_LDFLAGS) -o $@

$(O)/bench/%: $(O)/bench/%.o $(BASE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $< $(BASE_LIB) $(TEEQ_LDFLAGS) -lm -o $@

# ---- make test ---------------------------------------------------------------
# Three builds of the same sources; sanitizer runs scale long stress loops
# down (TEEQ_TEST_SCALE) and say so in each test's log.
RESULTS := $(O)/results

test: deps
	$(Q)rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	$(Q)$(MAKE) --no-print-directory libs tests benches
	$(Q)$(MAKE) --no-print-directory O=$(O)/asan SAN=address,undefined \
		OPT="-O1 -g" tests
	$(Q)$(MAKE) --no-print-directory O=$(O)/tsan SAN=thread OPT="-O1 -g" \
		$(TSAN_NAMES:%=$(O)/tsan/%)
	$(Q)tests/run.sh unit $(O) $(RESULTS) $(TEST_NAMES) || true
	$(Q)TEEQ_TEST_SCALE=10 tests/run.sh asan+ubsan $(O)/asan $(RESULTS) \
		$(TEST_NAMES) || true
	$(Q)TEEQ_TEST_SCALE=20 tests/run.sh tsan $(O)/tsan $(RESULTS) \
		$(TSAN_NAMES) || true
	$(Q)tests/summary.sh $(RESULTS)

# ---- make bench --------------------------------------------------------------
bench: deps
	$(Q)$(MAKE) --no-print-directory benches
	$(Q)$(O)/bench/ringlat

clean:
	rm -rf $(O)

C_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(C_FILES)
check-format:
	clang-format --dry-run --Werror $(C_FILES)

-include $(BASE_OBJS:.o=.d) $(TEST_BINS:=.d) $(BENCH_BINS:=.d)
