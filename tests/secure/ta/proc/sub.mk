global-incdirs-y += include
srcs-y += proc_ta.c
