global-incdirs-y += include
srcs-y += bench_noop_ta.c
