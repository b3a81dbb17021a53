# The TA SDK (sdk/), included by the top Makefile.
#
#   make sdk-kit       assemble the TA dev kit in $(O)/sdk/ta_dev_kit:
#                      mk/ta_dev_kit.mk, include/, lib/libteeq_ta.a, src/
#   make install       also installs the dev kit, teeq-ta.pc and the TA dir
#
# A TA builds against the kit as TAs for OP-TEE do:
#   make -C my_ta TA_DEV_KIT_DIR=$(O)/sdk/ta_dev_kit
# (installed: TA_DEV_KIT_DIR=$(pkg-config --variable=ta_dev_kit_dir teeq-ta)).

SDK_LIB_SRCS := $(sort $(wildcard sdk/lib/*.c))
SDK_LIB_OBJS := $(SDK_LIB_SRCS:%.c=$(O)/%.o)
SDK_TAFILE_OBJS := $(O)/sdk/tafile/parse.o $(O)/sdk/tafile/build.o
SDK_HOST_OBJS := $(O)/sdk/host/load.o $(O)/sdk/host/runtime.o
SDK_KIT := $(O)/sdk/ta_dev_kit
SDK_KIT_HEADERS := $(patsubst sdk/include/%,$(SDK_KIT)/include/%,\
	$(wildcard sdk/include/*.h))
SDK_KIT_FILES := $(SDK_KIT)/mk/ta_dev_kit.mk $(SDK_KIT)/mk/conf.mk \
	$(SDK_KIT)/src/user_ta_header.c $(SDK_KIT)/src/ta.map \
	$(SDK_KIT)/lib/libteeq_ta.a $(SDK_KIT)/lib/libteeq_ta_pack.a \
	$(SDK_KIT_HEADERS)
SDK_PC := $(O)/lib/pkgconfig/teeq-ta.pc
SDK_TA_DIR := $(PREFIX)/lib/teeq/ta

$(SDK_LIB_OBJS) $(O)/sdk/tafile/pack.o $(SDK_HOST_OBJS): \
	TEEQ_CFLAGS += -Isdk/include
$(O)/tests/sdk/%.o: TEEQ_CFLAGS += -Isdk/include -Itests/sdk

.PHONY: sdk-kit install-sdk
sdk-kit: $(SDK_KIT_FILES)
libs: sdk-kit $(SDK_PC)
install: install-sdk

$(SDK_KIT)/lib/libteeq_ta.a: $(SDK_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^
$(SDK_KIT)/lib/libteeq_ta_pack.a: $(O)/sdk/tafile/pack.o $(SDK_TAFILE_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^
$(SDK_KIT)/mk/ta_dev_kit.mk: sdk/mk/ta_dev_kit.mk
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
$(SDK_KIT)/src/%: sdk/ta/%
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
$(SDK_KIT)/include/%.h: sdk/include/%.h
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
# how this build compiles TAs: its compiler and sanitizers, OpenSSL
$(SDK_KIT)/mk/conf.mk: sdk/sdk.mk
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' '# written by teeq: how this dev kit builds TAs' \
		'TEEQ_TA_CC ?= $(CC)' 'TEEQ_TA_SANFLAGS := $(SANFLAGS)' \
		'TEEQ_TA_LIBS := -lcrypto -lpthread' >$@

$(SDK_PC): sdk/teeq-ta.pc.in
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' $< >$@

install-sdk: sdk-kit $(SDK_PC)
	install -d $(DESTDIR)$(PREFIX)/lib/teeq/ta_dev_kit \
		$(DESTDIR)$(SDK_TA_DIR) $(DESTDIR)$(PREFIX)/lib/pkgconfig
	cp -R $(SDK_KIT)/mk $(SDK_KIT)/include $(SDK_KIT)/lib $(SDK_KIT)/src \
		$(DESTDIR)$(PREFIX)/lib/teeq/ta_dev_kit/
	install -m 644 $(SDK_PC) $(DESTDIR)$(PREFIX)/lib/pkgconfig/

# ---- tests/sdk: in-process programs over libteeq_ta, the .ta parser, the
# loader; TAs built with the dev kit, as a user would --------------------
SDK_TEST_LIBS := $(SDK_KIT)/lib/libteeq_ta.a -lcrypto -ldl
$(O)/tests/sdk/%: $(O)/tests/sdk/%.o $(SDK_KIT)/lib/libteeq_ta.a \
	$(SDK_TAFILE_OBJS) $(SDK_HOST_OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $< $(SDK_HOST_OBJS) $(SDK_TAFILE_OBJS) $(SDK_TEST_LIBS) \
		$(TEEQ_LDFLAGS) -o $@

# The test TA, built at both API levels from the same sources.
SDK_PARAMS_TA := tests/sdk/ta/params
SDK_PARAMS_UUID := 5d2b6d8e-1c3a-4f6e-9b8a-7e1f0c2d3a4b
SDK_PARAMS_SRCS := $(wildcard $(SDK_PARAMS_TA)/*.c $(SDK_PARAMS_TA)/*.h \
	$(SDK_PARAMS_TA)/*.mk $(SDK_PARAMS_TA)/Makefile \
	$(SDK_PARAMS_TA)/include/*.h)
SDK_TEST_TAS := $(O)/tests/sdk/ta/params-1.3/$(SDK_PARAMS_UUID).ta \
	$(O)/tests/sdk/ta/params-1.1/$(SDK_PARAMS_UUID).ta
$(O)/tests/sdk/ta/params-1.3/$(SDK_PARAMS_UUID).ta: $(SDK_KIT_FILES) \
	$(SDK_PARAMS_SRCS)
	$(Q)$(MAKE) --no-print-directory -C $(SDK_PARAMS_TA) \
		TA_DEV_KIT_DIR=$(abspath $(SDK_KIT)) CFG_WERROR=y \
		O=$(abspath $(dir $@))
$(O)/tests/sdk/ta/params-1.1/$(SDK_PARAMS_UUID).ta: $(SDK_KIT_FILES) \
	$(SDK_PARAMS_SRCS)
	$(Q)$(MAKE) --no-print-directory -C $(SDK_PARAMS_TA) \
		TA_DEV_KIT_DIR=$(abspath $(SDK_KIT)) CFG_WERROR=y \
		CFG_TA_OPTEE_CORE_API_COMPAT_1_1=y O=$(abspath $(dir $@))
$(O)/tests/sdk/api_levels: $(SDK_TEST_TAS)

-include $(SDK_LIB_OBJS:.o=.d) $(SDK_TAFILE_OBJS:.o=.d) \
	$(SDK_HOST_OBJS:.o=.d) $(O)/sdk/tafile/pack.d

# the cancellation test waits on one thread and cancels from another
TSAN_NAMES += tests/sdk/mem
