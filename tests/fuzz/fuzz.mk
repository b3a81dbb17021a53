# libFuzzer targets (tests/fuzz/README.md), included by the top Makefile.
#
#   make fuzz-smoke   each target 10 s over a copy of its corpus; prints
#                     PASS/FAIL fuzz/<target>, counts in $(O)/results
#   make fuzz         each target $(FUZZ_SECONDS) s over a copy of its corpus
#   make fuzz-merge   minimise what the runs found into the checked-in corpus
#
# Built with clang only (libFuzzer), from the sources, into $(O)/fuzz; the
# gcc objects of the other builds are never reused.

FUZZ_TARGETS := fuzz_sqe fuzz_region fuzz_cqe fuzz_ta_file fuzz_drain \
	fuzz_client fuzz_suppl
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_CC ?= clang
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -I. -Iclient/include -O1 -g \
	-fno-omit-frame-pointer -fno-strict-aliasing $(FUZZ_FLAGS) \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wvla -MMD -MP
# liburing: client/kernel.c, kernel mode's io_uring commands
FUZZ_LIBS := -lcrypto -luring -lpthread
# libFuzzer options of every run: a unit slower than this is a hang
FUZZ_RUN_FLAGS ?= -timeout=20 -rss_limit_mb=2048 -print_final_stats=1

FUZZ_DIR := $(O)/fuzz
FUZZ_OBJ := $(FUZZ_DIR)/obj
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)

FUZZ_BASE_SRCS := ring/ring.c ring/channel.c ring/wait.c ring/host.c \
	shm/pool.c shm/ids.c shm/memfd.c shm/copy.c
FUZZ_SECURE_SRCS := $(sort $(wildcard secure/core/*.c)) \
	$(sort $(wildcard secure/ta/*.c)) \
	$(sort $(wildcard secure/storage/*.c))
FUZZ_CLIENT_SRCS := $(sort $(wildcard client/*.c))

FUZZ_SRCS_fuzz_sqe := tests/fuzz/targets/fuzz_sqe.c $(FUZZ_SECURE_SRCS) \
	ring/ring.c ring/channel.c ring/wait.c shm/ids.c
FUZZ_SRCS_fuzz_region := tests/fuzz/targets/fuzz_region.c ring/ring.c \
	ring/channel.c
FUZZ_SRCS_fuzz_cqe := tests/fuzz/targets/fuzz_cqe.c $(FUZZ_CLIENT_SRCS) \
	$(FUZZ_BASE_SRCS)
FUZZ_SRCS_fuzz_ta_file := tests/fuzz/targets/fuzz_ta_file.c \
	sdk/tafile/parse.c sdk/tafile/build.c
# libteeq whole, against a secure world of the target's own
FUZZ_SRCS_fuzz_client := tests/fuzz/targets/fuzz_client.c \
	$(FUZZ_CLIENT_SRCS) $(FUZZ_BASE_SRCS)
# the worker and the control thread's files too: their call threads run
FUZZ_SRCS_fuzz_drain := tests/fuzz/targets/fuzz_drain.c $(FUZZ_SECURE_SRCS) \
	secure/attach/worker.c secure/attach/calls.c \
	secure/attach/platform.c secure/attach/control.c $(FUZZ_BASE_SRCS)
FUZZ_SRCS_fuzz_suppl := tests/fuzz/targets/fuzz_suppl.c supplicant/fs.c

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-merge

fuzz-build: $(FUZZ_BINS)

$(FUZZ_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

define fuzz_link_rule
$(FUZZ_DIR)/$(1): $(addprefix $(FUZZ_OBJ)/,$(FUZZ_SRCS_$(1):.c=.o))
	@$$(if $$(Q),echo "  FUZZLD  $$@")
	$$(Q)$$(FUZZ_CC) $$(FUZZ_FLAGS) $$^ $$(FUZZ_LIBS) -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_link_rule,$(t))))

# $(call fuzz_run,target,seconds,log): run over a fresh copy of the corpus,
# crashes and the new units stay under $(FUZZ_DIR)/run/<target>.
fuzz_run = (d=$(FUZZ_DIR)/run/$(1); rm -rf $$d && mkdir -p $$d/corpus && \
	cp tests/fuzz/corpus/$(1)/* $$d/corpus/ && \
	$(FUZZ_DIR)/$(1) $(FUZZ_RUN_FLAGS) -max_total_time=$(2) \
		-artifact_prefix=$$d/ $$d/corpus >$(3) 2>&1)

# A target that does not build is a failure like one that crashes: the
# counts are written whatever happens, so the suite cannot vanish.
fuzz-smoke:
	$(Q)mkdir -p $(O)/results/fuzz
	$(Q)pass=0; fail=0; \
	for t in $(FUZZ_TARGETS); do \
		log=$(O)/results/fuzz/$$t.log; \
		if ! $(MAKE) --no-print-directory $(FUZZ_DIR)/$$t \
			>$(O)/results/fuzz/$$t.build.log 2>&1; then \
			fail=$$((fail + 1)); echo "FAIL fuzz/$$t: does not build"; \
			tail -n 8 $(O)/results/fuzz/$$t.build.log | \
				sed 's/^/        | /'; \
		elif $(call fuzz_run,$$t,$(FUZZ_SMOKE_SECONDS),$$log); then \
			pass=$$((pass + 1)); echo "PASS fuzz/$$t"; \
		else \
			fail=$$((fail + 1)); echo "FAIL fuzz/$$t"; \
			grep -E 'ERROR|invariant|SUMMARY|Test unit' $$log | \
				head -n 8 | sed 's/^/        | /'; \
		fi; \
	done; \
	echo "$$pass $$fail 0" >$(O)/results/fuzz.counts; \
	echo "   fuzz: $$pass passed, $$fail failed"; \
	[ $$fail = 0 ]

fuzz: $(FUZZ_BINS)
	$(Q)mkdir -p $(O)/results/fuzz
	$(Q)for t in $(FUZZ_TARGETS); do \
		log=$(O)/results/fuzz/$$t.long.log; \
		echo "== fuzz/$$t for $(FUZZ_SECONDS)s (log $$log)"; \
		if ! $(call fuzz_run,$$t,$(FUZZ_SECONDS),$$log); then \
			tail -n 30 $$log; \
			echo "FAIL fuzz/$$t: crash input in $(FUZZ_DIR)/run/$$t/"; \
			exit 1; \
		fi; \
		grep -E '^#[0-9]+.*(DONE|pulse)' $$log | tail -n 1; \
	done

# Adds to the checked-in corpus the fewest units of the last runs that
# reach every edge they reached (edges only, not hit counts: a few dozen
# files per target rather than hundreds).
fuzz-merge: $(FUZZ_BINS)
	$(Q)for t in $(FUZZ_TARGETS); do \
		[ -d $(FUZZ_DIR)/run/$$t/corpus ] || continue; \
		$(FUZZ_DIR)/$$t -merge=1 -use_counters=0 \
			tests/fuzz/corpus/$$t $(FUZZ_DIR)/run/$$t/corpus \
			>$(FUZZ_DIR)/run/$$t/merge.log 2>&1 || exit 1; \
		echo "fuzz/$$t: $$(ls tests/fuzz/corpus/$$t | wc -l) units"; \
	done

FUZZ_ALL_SRCS := $(sort $(foreach t,$(FUZZ_TARGETS),$(FUZZ_SRCS_$(t))))
-include $(FUZZ_ALL_SRCS:%.c=$(FUZZ_OBJ)/%.d)
