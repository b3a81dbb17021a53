global-incdirs-y += include
srcs-y += proc_ta.c
srcs-y += proc_storage.c
