global-incdirs-y += include
srcs-y += hello_counter_ta.c
