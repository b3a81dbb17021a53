/* SPDX-License-Identifier: MIT */
/* The head of the in-process test programs (sdk_test.h). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#define TA_UUID                                                        \
	{                                                              \
		0x11223344, 0x5566, 0x7788,                            \
		{                                                      \
			0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00 \
		}                                                      \
	}
#define TA_FLAGS TA_FLAG_SINGLE_INSTANCE
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)
#define TA_DESCRIPTION "in-process SDK test"
#define TA_CURRENT_TA_EXT_PROPERTIES                                           \
	{ "org.teeq.number", USER_TA_PROP_TYPE_U32, &(const uint32_t){ 42 } }, \
		{ "org.teeq.word", USER_TA_PROP_TYPE_STRING, "0x2a" },         \
		{ "org.teeq.text", USER_TA_PROP_TYPE_STRING, "forty-two" },    \
		{ "org.teeq.flag", USER_TA_PROP_TYPE_STRING, "TRUE" },         \
	{                                                                      \
		"org.teeq.blob", USER_TA_PROP_TYPE_BINARY_BLOCK, "dGVlcQ=="    \
	}

#endif /* USER_TA_HEADER_DEFINES_H */
