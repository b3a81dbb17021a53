/* SPDX-License-Identifier: MIT */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <proc_ta.h>

#if defined(CFG_PROC_TA_single)
#define TA_UUID PROC_TA_UUID_SINGLE
#define TA_FLAGS TA_FLAG_SINGLE_INSTANCE
#elif defined(CFG_PROC_TA_multi)
#define TA_UUID PROC_TA_UUID_MULTI
#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)
#elif defined(CFG_PROC_TA_keep)
#define TA_UUID PROC_TA_UUID_KEEP
#define TA_FLAGS                                           \
	(TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION | \
	 TA_FLAG_INSTANCE_KEEP_ALIVE)
#else
#define TA_UUID PROC_TA_UUID_PLAIN
#define TA_FLAGS 0
#endif
#define TA_STACK_SIZE (16 * 1024)
#define TA_DATA_SIZE (64 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "teeq loaded-TA test TA"

#endif /* USER_TA_HEADER_DEFINES_H */
