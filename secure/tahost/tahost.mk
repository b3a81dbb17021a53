# Loaded trusted apps (docs/ta-isolation.md), included by the top Makefile:
# teeq-ta-host, the process each loaded TA instance runs in, and the test
# TAs that tests/secure/ta_proc_* load, built with the dev kit as a user
# would.

TA_HOST_BIN := $(O)/secure/teeq-ta-host
TA_HOST_OBJS := $(O)/secure/tahost/main.o $(SDK_HOST_OBJS) \
	$(O)/sdk/tafile/parse.o

progs: $(TA_HOST_BIN)
install: install-ta-host

$(O)/secure/tahost/main.o: TEEQ_CFLAGS += -Isdk/include
# where the installed teeq-sw finds the TA directory and teeq-ta-host
$(O)/secure/main.o $(O)/secure/loaded/ta_loaded.o: TEEQ_CFLAGS += \
	-DTEEQ_TA_DIR_DEFAULT='"$(SDK_TA_DIR)"' \
	-DTEEQ_TA_HOST_DEFAULT='"$(PREFIX)/libexec/teeq/teeq-ta-host"'

$(TA_HOST_BIN): $(TA_HOST_OBJS) $(BASE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $^ $(TEEQ_LDFLAGS) -ldl -o $@

.PHONY: install-ta-host
install-ta-host: $(TA_HOST_BIN)
	install -d $(DESTDIR)$(PREFIX)/libexec/teeq
	install -m 755 $(TA_HOST_BIN) $(DESTDIR)$(PREFIX)/libexec/teeq/

# ---- the test TA: one source, a variant per TA_FLAGS setting -------------
# tests/secure/ta/proc/include/proc_ta.h has the UUIDs and commands.
TA_PROC_TA := tests/secure/ta/proc
TA_PROC_VARIANTS := plain single multi keep
TA_PROC_SRCS := $(wildcard $(TA_PROC_TA)/*.c $(TA_PROC_TA)/*.mk \
	$(TA_PROC_TA)/Makefile $(TA_PROC_TA)/include/*.h)
TA_PROC_TAS := $(TA_PROC_VARIANTS:%=$(O)/tests/secure/ta/proc-%/stamp)

$(O)/tests/secure/ta/proc-%/stamp: $(SDK_KIT_FILES) $(TA_PROC_SRCS)
	$(Q)$(MAKE) --no-print-directory -C $(TA_PROC_TA) \
		TA_DEV_KIT_DIR=$(abspath $(SDK_KIT)) CFG_WERROR=y \
		CFG_PROC_TA_$*=y O=$(abspath $(dir $@))
	$(Q)touch $@

# every test of loaded TAs needs teeq-ta-host and the test TAs
$(patsubst %.c,$(O)/%,$(wildcard tests/secure/ta_proc_*.c)): \
	$(TA_PROC_TAS) $(TA_HOST_BIN)

# teeq-sw's side of loaded TAs runs threads of its own (the supervisor,
# the calls waiting on their TA): these run under ThreadSanitizer too
TSAN_NAMES += tests/secure/ta_proc_cancel tests/secure/ta_proc_loop \
	tests/secure/ta_proc_closes tests/secure/ta_proc_client_dies \
	tests/secure/ta_proc_storage
