/* SPDX-License-Identifier: MIT */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <bench_noop_ta.h>

#ifdef CFG_BENCH_NOOP_PER_SESSION
#define TA_UUID BENCH_NOOP_TA_PER_SESSION_UUID
#define TA_FLAGS 0
#else
#define TA_UUID BENCH_NOOP_TA_KEPT_UUID
#define TA_FLAGS                                           \
	(TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION | \
	 TA_FLAG_INSTANCE_KEEP_ALIVE)
#endif
#define TA_STACK_SIZE (2 * 1024)
#define TA_DATA_SIZE (32 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "teeq benchmarks: the loaded noop TA"

#endif /* USER_TA_HEADER_DEFINES_H */
