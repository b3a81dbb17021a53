/* SPDX-License-Identifier: MIT */
/*
 * What a TA declares about itself, in the form TAs written for OP-TEE use:
 * its user_ta_header_defines.h sets TA_UUID, TA_FLAGS, TA_STACK_SIZE,
 * TA_DATA_SIZE and optionally TA_VERSION, TA_DESCRIPTION and
 * TA_CURRENT_TA_EXT_PROPERTIES (initialisers of struct user_ta_property);
 * the dev kit compiles user_ta_header.c against it into the TA's head.
 */
#ifndef USER_TA_HEADER_H
#define USER_TA_HEADER_H

#include <stddef.h>
#include <stdint.h>
#include <tee_api_types.h>

/* Kept for TAs written for older OP-TEE; they mean nothing any more. */
#define TA_FLAG_USER_MODE 0
#define TA_FLAG_EXEC_DDR 0
#define TA_FLAG_REMAP_SUPPORT 0
/* One instance serves every session (else one instance per session). */
#define TA_FLAG_SINGLE_INSTANCE (1 << 2)
/* A single instance takes more than one session at a time. */
#define TA_FLAG_MULTI_SESSION (1 << 3)
/* A single instance stays after its last session closes. */
#define TA_FLAG_INSTANCE_KEEP_ALIVE (1 << 4)
/* Accepted and ignored in host mode: */
#define TA_FLAG_SECURE_DATA_PATH (1 << 5)
#define TA_FLAG_CACHE_MAINTENANCE (1 << 7)
#define TA_FLAG_CONCURRENT (1 << 8)
#define TA_FLAG_DEVICE_ENUM (1 << 9)
#define TA_FLAG_DEVICE_ENUM_SUPP (1 << 10)
#define TA_FLAGS_MASK 0x7FC

#define TA_PROP_STR_SINGLE_INSTANCE "gpd.ta.singleInstance"
#define TA_PROP_STR_MULTI_SESSION "gpd.ta.multiSession"
#define TA_PROP_STR_KEEP_ALIVE "gpd.ta.instanceKeepAlive"
#define TA_PROP_STR_DATA_SIZE "gpd.ta.dataSize"
#define TA_PROP_STR_STACK_SIZE "gpd.ta.stackSize"
#define TA_PROP_STR_VERSION "gpd.ta.version"
#define TA_PROP_STR_DESCRIPTION "gpd.ta.description"

enum user_ta_prop_type {
	USER_TA_PROP_TYPE_BOOL, /* bool */
	USER_TA_PROP_TYPE_U32, /* uint32_t */
	USER_TA_PROP_TYPE_UUID, /* TEE_UUID */
	USER_TA_PROP_TYPE_IDENTITY, /* TEE_Identity */
	USER_TA_PROP_TYPE_STRING, /* NUL-terminated string */
	USER_TA_PROP_TYPE_BINARY_BLOCK, /* NUL-terminated base64 string */
	USER_TA_PROP_TYPE_U64, /* uint64_t */
};

struct user_ta_property {
	const char *name;
	enum user_ta_prop_type type;
	const void *value;
};

extern const struct user_ta_property ta_props[];
extern const size_t ta_num_props;

/* GP Internal Core API level a TA was compiled for. */
#define TEEQ_TA_API_1_1 0x0101u
#define TEEQ_TA_API_1_3 0x0103u

/* Everything a TA says about itself, at the symbol teeq_ta_head. */
struct teeq_ta_head {
	TEE_UUID uuid;
	uint32_t flags; /* TA_FLAG_* */
	uint32_t stack_size;
	uint32_t data_size;
	uint32_t api_level; /* TEEQ_TA_API_* */
	const struct user_ta_property *props;
	size_t num_props;
};

extern const struct teeq_ta_head teeq_ta_head;

#endif /* USER_TA_HEADER_H */
