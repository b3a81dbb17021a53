# The loaded TAs of bench/ta.c, included by the top Makefile: built with the
# dev kit into $(O)/bench/tas, which teeq-bench gives its teeq-sw as the
# TA directory: the noop TA in its two variants, and examples/ta/aes.

BENCH_TA_DIR := $(O)/bench/tas
BENCH_TAS := $(BENCH_TA_DIR)/noop-kept.stamp \
	$(BENCH_TA_DIR)/noop-per-session.stamp $(BENCH_TA_DIR)/aes.stamp
BENCH_NOOP_SRCS := $(shell find bench/ta/noop -type f)

bench-build: $(BENCH_TAS) $(TA_HOST_BIN)

$(BENCH_TA_DIR)/noop-kept.stamp: $(SDK_KIT_FILES) $(BENCH_NOOP_SRCS)
	$(Q)$(MAKE) --no-print-directory -C bench/ta/noop \
		TA_DEV_KIT_DIR=$(abspath $(SDK_KIT)) CFG_WERROR=y \
		O=$(abspath $(BENCH_TA_DIR))/noop-kept
	$(Q)cp $(BENCH_TA_DIR)/noop-kept/*.ta $(BENCH_TA_DIR)/ && touch $@
$(BENCH_TA_DIR)/noop-per-session.stamp: $(SDK_KIT_FILES) $(BENCH_NOOP_SRCS)
	$(Q)$(MAKE) --no-print-directory -C bench/ta/noop \
		TA_DEV_KIT_DIR=$(abspath $(SDK_KIT)) CFG_WERROR=y \
		CFG_BENCH_NOOP_PER_SESSION=y \
		O=$(abspath $(BENCH_TA_DIR))/noop-per-session
	$(Q)cp $(BENCH_TA_DIR)/noop-per-session/*.ta $(BENCH_TA_DIR)/ && \
		touch $@
$(BENCH_TA_DIR)/aes.stamp: $(O)/examples/ta/tas/aes/stamp
	@mkdir -p $(BENCH_TA_DIR)
	$(Q)cp $(O)/examples/ta/tas/aes/*.ta $(BENCH_TA_DIR)/ && touch $@
