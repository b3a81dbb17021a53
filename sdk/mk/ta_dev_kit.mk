# teeq TA dev kit: builds a GlobalPlatform TA directory into <uuid>.ta, with
# the Makefile contract TAs written for OP-TEE use:
#
#   BINARY=<uuid>                    the TA (or LIBNAME=<name>: a static lib)
#   include $(TA_DEV_KIT_DIR)/mk/ta_dev_kit.mk
#
# and a sub.mk in the TA directory (and in each of its subdirs-y) listing
# srcs-y, global-incdirs-y, incdirs-y, cflags-y, cflags-<file>-y,
# cflags-remove-y, cflags-remove-<file>-y, cppflags-y, cppflags-<file>-y,
# subdirs-y. user_ta_header_defines.h (found through the include dirs)
# gives TA_UUID, TA_FLAGS, TA_STACK_SIZE, TA_DATA_SIZE and the properties.
#
# Settings: O (output dir, default .), CFG_TEE_TA_LOG_LEVEL (0-4, default
# 2), CFG_TA_OPTEE_CORE_API_COMPAT_1_1=y (the GP v1.1 API), CFG_WERROR=y,
# libdirs/libnames/libdeps/LDADD (more libraries), V=1. Every CFG_ variable
# reaches the compiler as -DCFG_...=1 (y) or -DCFG_...=value. The TA is
# built for this host: CROSS_COMPILE and its relatives are ignored.

ta-dev-kit-dir := $(patsubst %/,%,$(abspath $(dir $(lastword $(MAKEFILE_LIST)))..))

.PHONY: all clean
all:

include $(ta-dev-kit-dir)/mk/conf.mk

ifneq ($(SHLIBNAME),)
$(error teeq ta_dev_kit: SHLIBNAME (TA shared libraries) is not supported)
endif
ifneq (1,$(words $(BINARY) $(LIBNAME)))
$(error teeq ta_dev_kit: set exactly one of BINARY=<uuid> or LIBNAME=<name>)
endif

out-dir := $(if $(O),$(patsubst %/,%,$(O)),.)
q := $(if $(filter 1,$(V)),,@)
ta-cc := $(TEEQ_TA_CC)

CFG_TEE_TA_LOG_LEVEL ?= 2
ta-cppflags := -DTRACE_LEVEL=$(CFG_TEE_TA_LOG_LEVEL) -I. \
	-I$(ta-dev-kit-dir)/include
ifeq ($(CFG_TA_OPTEE_CORE_API_COMPAT_1_1),y)
ta-cppflags += -D__OPTEE_CORE_API_COMPAT_1_1=1
endif
ta-cppflags += $(strip $(foreach var,$(filter CFG_%,$(.VARIABLES)), \
	$(if $(filter y,$($(var))),-D$(var)=1, \
		$(if $(filter xn x,x$($(var))),,-D$(var)='$($(var))'))))
ta-cflags := -std=gnu11 -O2 -g -fPIC -fvisibility=hidden -Wall -Wextra \
	-Wno-unused-parameter -MMD -MP $(TEEQ_TA_SANFLAGS)
ifeq ($(CFG_WERROR),y)
ta-cflags += -Werror
endif

objs :=
incdirs :=
cleanfiles :=

# $(call ta-src,dir,file): one source file of a sub.mk
define ta-src
ta-obj := $(out-dir)/$(patsubst ./%,%,$1/$(basename $2)).o
objs += $$(ta-obj)
ta-src-$$(ta-obj) := $1/$2
ta-flags-$$(ta-obj) := $$(filter-out $$(cflags-remove-y) \
	$$(cflags-remove-$2-y),$$(cflags-y) $$(cflags-$2-y)) \
	$$(cppflags-y) $$(cppflags-$2-y) \
	$$(addprefix -I,$$(ta-dir-incdirs-$1) $$(addprefix $1/,$$(incdirs-$2-y)))
$$(ta-obj): $1/$2
	@mkdir -p $$(dir $$@)
	@$$(if $$(q),echo '  CC      $$@')
	$$(q)$$(ta-cc) $$(ta-cppflags) $$(addprefix -I,$$(incdirs)) \
		$$(ta-cflags) $$(ta-flags-$$@) -c $$< -o $$@
cflags-$2-y :=
cflags-remove-$2-y :=
cppflags-$2-y :=
incdirs-$2-y :=
endef

# $(call ta-subdir,dir): a directory with a sub.mk, then its subdirs-y
define ta-subdir
srcs-y :=
global-incdirs-y :=
incdirs-y :=
cflags-y :=
cflags-remove-y :=
cppflags-y :=
subdirs-y :=
include $1/sub.mk
incdirs += $$(addprefix $1/,$$(global-incdirs-y))
ta-dir-incdirs-$1 := $$(addprefix $1/,$$(incdirs-y))
$$(foreach s,$$(srcs-y),$$(eval $$(call ta-src,$1,$$(s))))
ta-subdirs-$1 := $$(addprefix $1/,$$(subdirs-y))
$$(foreach d,$$(ta-subdirs-$1),$$(eval $$(call ta-subdir,$$(d))))
endef

$(eval $(call ta-subdir,.))

ta-head-obj := $(out-dir)/user_ta_header.o
cleanfiles += $(objs) $(objs:.o=.d) $(ta-head-obj) $(ta-head-obj:.o=.d)

$(ta-head-obj): $(ta-dev-kit-dir)/src/user_ta_header.c
	@mkdir -p $(dir $@)
	$(q)$(ta-cc) $(ta-cppflags) $(addprefix -I,$(incdirs)) $(ta-cflags) \
		-c $< -o $@

ifneq ($(BINARY),)
ta-so := $(out-dir)/$(BINARY).so
ta-file := $(out-dir)/$(BINARY).ta
ta-pack := $(out-dir)/ta_pack
cleanfiles += $(ta-so) $(ta-file) $(ta-pack)
all: $(ta-file)

# the TA exports its head and teeq_ta_entry (from libteeq_ta) only
$(ta-so): $(objs) $(ta-head-obj) $(libdeps) $(ta-dev-kit-dir)/lib/libteeq_ta.a
	@$(if $(q),echo '  LD      $@')
	$(q)$(ta-cc) -shared -o $@ $(objs) $(ta-head-obj) \
		-Wl,--version-script=$(ta-dev-kit-dir)/src/ta.map \
		-Wl,-u,teeq_ta_entry -Wl,-z,defs $(addprefix -L,$(libdirs)) \
		$(addprefix -l,$(libnames)) $(LDADD) -L$(ta-dev-kit-dir)/lib \
		-lteeq_ta $(TEEQ_TA_LIBS) $(TEEQ_TA_SANFLAGS)

# the packer reads the head from the TA's own user_ta_header.o
$(ta-pack): $(ta-head-obj) $(ta-dev-kit-dir)/lib/libteeq_ta_pack.a
	$(q)$(ta-cc) -o $@ $(ta-head-obj) -L$(ta-dev-kit-dir)/lib \
		-lteeq_ta_pack $(TEEQ_TA_SANFLAGS)

$(ta-file): $(ta-so) $(ta-pack)
	@$(if $(q),echo '  TA      $@')
	$(q)$(ta-pack) $(ta-so) $@
endif

ifneq ($(LIBNAME),)
cleanfiles += $(out-dir)/$(LIBNAME).a
all: $(out-dir)/$(LIBNAME).a
$(out-dir)/$(LIBNAME).a: $(objs)
	$(q)rm -f $@ && ar rcs $@ $^
endif

clean:
	$(q)rm -f $(cleanfiles)

-include $(objs:.o=.d) $(ta-head-obj:.o=.d)
