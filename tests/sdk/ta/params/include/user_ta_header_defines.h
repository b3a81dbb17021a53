/* SPDX-License-Identifier: MIT */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <params_ta.h>

#define TA_UUID PARAMS_TA_UUID
#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)
#define TA_STACK_SIZE (4 * 1024)
#define TA_DATA_SIZE (64 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "teeq API-level test TA"
#define TA_CURRENT_TA_EXT_PROPERTIES                                  \
	{ "org.teeq.test.number", USER_TA_PROP_TYPE_U32,              \
	  &(const uint32_t){ 0x0010 } },                              \
	{                                                             \
		"org.teeq.test.blob", USER_TA_PROP_TYPE_BINARY_BLOCK, \
			"dGVlcQ=="                                    \
	}

#endif /* USER_TA_HEADER_DEFINES_H */
