global-incdirs-y += include
srcs-y += params_ta.c
cflags-params_ta.c-y += -DPARAMS_TA_MAGIC=0x5ca1ab1e
