// SPDX-License-Identifier: MIT
/*
 * Compiled into every TA by the dev kit, against the TA's own
 * user_ta_header_defines.h and at the TA's API level: the TA's head (UUID,
 * flags, sizes, level) and its properties. Data only, so that the dev kit
 * can link this object into the packer that writes the .ta header too.
 */
#include <tee_internal_api.h>
#include <user_ta_header.h>
#include <user_ta_header_defines.h>

#ifndef TA_VERSION
#define TA_VERSION "Undefined version"
#endif
#ifndef TA_DESCRIPTION
#define TA_DESCRIPTION "Undefined description"
#endif
#ifndef TA_FLAGS
#define TA_FLAGS 0
#endif

#if __OPTEE_CORE_API_COMPAT_1_1
#define TA_HEAD_API_LEVEL TEEQ_TA_API_1_1
#else
#define TA_HEAD_API_LEVEL TEEQ_TA_API_1_3
#endif

static const bool ta_head_single_instance =
	(TA_FLAGS & TA_FLAG_SINGLE_INSTANCE) != 0;
static const bool ta_head_multi_session = (TA_FLAGS & TA_FLAG_MULTI_SESSION) !=
					  0;
static const bool ta_head_keep_alive =
	(TA_FLAGS & TA_FLAG_INSTANCE_KEEP_ALIVE) != 0;
static const uint32_t ta_head_data_size = TA_DATA_SIZE;
static const uint32_t ta_head_stack_size = TA_STACK_SIZE;

const struct user_ta_property ta_props[] = {
	{ TA_PROP_STR_SINGLE_INSTANCE, USER_TA_PROP_TYPE_BOOL,
	  &ta_head_single_instance },
	{ TA_PROP_STR_MULTI_SESSION, USER_TA_PROP_TYPE_BOOL,
	  &ta_head_multi_session },
	{ TA_PROP_STR_KEEP_ALIVE, USER_TA_PROP_TYPE_BOOL, &ta_head_keep_alive },
	{ TA_PROP_STR_DATA_SIZE, USER_TA_PROP_TYPE_U32, &ta_head_data_size },
	{ TA_PROP_STR_STACK_SIZE, USER_TA_PROP_TYPE_U32, &ta_head_stack_size },
	{ TA_PROP_STR_VERSION, USER_TA_PROP_TYPE_STRING, TA_VERSION },
	{ TA_PROP_STR_DESCRIPTION, USER_TA_PROP_TYPE_STRING, TA_DESCRIPTION },
#ifdef TA_CURRENT_TA_EXT_PROPERTIES
	TA_CURRENT_TA_EXT_PROPERTIES
#endif
};

const size_t ta_num_props = sizeof(ta_props) / sizeof(ta_props[0]);

const struct teeq_ta_head teeq_ta_head
	__attribute__((visibility("default"))) = {
		.uuid = TA_UUID,
		.flags = TA_FLAGS,
		.stack_size = TA_STACK_SIZE,
		.data_size = TA_DATA_SIZE,
		.api_level = TA_HEAD_API_LEVEL,
		.props = ta_props,
		.num_props = sizeof(ta_props) / sizeof(ta_props[0]),
	};
