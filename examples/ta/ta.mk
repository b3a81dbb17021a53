# examples/ta, included by the top Makefile: trusted apps written against
# the GP TEE Internal Core API only, each with its host program, a plain
# GP client. A TA builds with the dev kit's one command, as its author
# would (make -C <example>/ta TA_DEV_KIT_DIR=...), into
# $(O)/examples/ta/tas/<example>/<uuid>.ta; its host as examples/*.c do,
# into $(O)/examples/ta/<example>. tests/examples.sh installs the TAs in a
# TA directory of its own and runs the hosts.

EXAMPLE_TAS := hello_counter aes keystore
EXAMPLE_TA_STAMPS := $(EXAMPLE_TAS:%=$(O)/examples/ta/tas/%/stamp)
EXAMPLE_TA_HOSTS := $(EXAMPLE_TAS:%=$(O)/examples/ta/%)

examples: $(EXAMPLE_TA_STAMPS) $(EXAMPLE_TA_HOSTS)

define example_ta_rules
$(O)/examples/ta/tas/$(1)/stamp: $(SDK_KIT_FILES) \
	$(shell find examples/ta/$(1)/ta -type f)
	$$(Q)$$(MAKE) --no-print-directory -C examples/ta/$(1)/ta \
		TA_DEV_KIT_DIR=$$(abspath $$(SDK_KIT)) CFG_WERROR=y \
		O=$$(abspath $$(dir $$@))
	$$(Q)touch $$@

$(O)/examples/ta/$(1): examples/ta/$(1)/host/main.c $$(LIBTEEQ_SO)
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  CC      $$@")
	$$(Q)$$(CC) -std=c11 -D_GNU_SOURCE $$(WARN) $$(OPT) $$(SANFLAGS) \
		-Iclient/include $$< -L$$(O)/lib -lteeq \
		-Wl,-rpath,$$(abspath $$(O)/lib) $$(SANFLAGS) -o $$@
endef
$(foreach e,$(EXAMPLE_TAS),$(eval $(call example_ta_rules,$(e))))
