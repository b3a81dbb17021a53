/* SPDX-License-Identifier: MIT */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <hello_counter_ta.h>

#define TA_UUID HELLO_COUNTER_TA_UUID
/* one instance for every session, kept between them: its count of calls
 * outlives the sessions */
#define TA_FLAGS                                           \
	(TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION | \
	 TA_FLAG_INSTANCE_KEEP_ALIVE)
#define TA_STACK_SIZE (2 * 1024)
#define TA_DATA_SIZE (32 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "hello_counter: the hello-world TA"

#endif /* USER_TA_HEADER_DEFINES_H */
