/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * GlobalPlatform values carried on the teeq wire: result codes, return
 * origins, login methods and parameter types. The values are those of the
 * GlobalPlatform TEE Client API v1.0 (TEEC_*) and TEE Internal Core API
 * (TEE_*); the names here carry a TEEQ_ prefix so that this header can sit
 * beside any tee_client_api.h.
 */
#ifndef TEEQ_UAPI_GP_H
#define TEEQ_UAPI_GP_H

#include "teeq_types.h"

/* Result codes (TEEC_Result / TEE_Result). */
#define TEEQ_SUCCESS 0x00000000u
#define TEEQ_ERROR_GENERIC 0xFFFF0000u
#define TEEQ_ERROR_ACCESS_DENIED 0xFFFF0001u
#define TEEQ_ERROR_CANCEL 0xFFFF0002u
#define TEEQ_ERROR_ACCESS_CONFLICT 0xFFFF0003u
#define TEEQ_ERROR_EXCESS_DATA 0xFFFF0004u
#define TEEQ_ERROR_BAD_FORMAT 0xFFFF0005u
#define TEEQ_ERROR_BAD_PARAMETERS 0xFFFF0006u
#define TEEQ_ERROR_BAD_STATE 0xFFFF0007u
#define TEEQ_ERROR_ITEM_NOT_FOUND 0xFFFF0008u
#define TEEQ_ERROR_NOT_IMPLEMENTED 0xFFFF0009u
#define TEEQ_ERROR_NOT_SUPPORTED 0xFFFF000Au
#define TEEQ_ERROR_NO_DATA 0xFFFF000Bu
#define TEEQ_ERROR_OUT_OF_MEMORY 0xFFFF000Cu
#define TEEQ_ERROR_BUSY 0xFFFF000Du
#define TEEQ_ERROR_COMMUNICATION 0xFFFF000Eu
#define TEEQ_ERROR_SECURITY 0xFFFF000Fu
#define TEEQ_ERROR_SHORT_BUFFER 0xFFFF0010u
#define TEEQ_ERROR_EXTERNAL_CANCEL 0xFFFF0011u
#define TEEQ_ERROR_OVERFLOW 0xFFFF300Fu
#define TEEQ_ERROR_TARGET_DEAD 0xFFFF3024u
#define TEEQ_ERROR_STORAGE_NO_SPACE 0xFFFF3041u
#define TEEQ_ERROR_MAC_INVALID 0xFFFF3071u
/* Persistent objects (TEE Internal Core API): what is stored was tampered
 * with or rolled back; the storage is not reachable now. */
#define TEEQ_ERROR_CORRUPT_OBJECT 0xF0100001u
#define TEEQ_ERROR_STORAGE_NOT_AVAILABLE 0xF0100003u

/* Return origins: which layer produced a result code. */
#define TEEQ_ORIGIN_API 0x00000001u /* the client library */
#define TEEQ_ORIGIN_COMMS 0x00000002u /* the transport (rings, driver) */
#define TEEQ_ORIGIN_TEE 0x00000003u /* the secure world's core */
#define TEEQ_ORIGIN_TRUSTED_APP 0x00000004u /* the trusted application */

/* Login methods (TEEC_LOGIN_*); same numbers as TEE_IOCTL_LOGIN_*. */
#define TEEQ_LOGIN_PUBLIC 0x00000000u
#define TEEQ_LOGIN_USER 0x00000001u
#define TEEQ_LOGIN_GROUP 0x00000002u
#define TEEQ_LOGIN_APPLICATION 0x00000004u
#define TEEQ_LOGIN_USER_APPLICATION 0x00000005u
#define TEEQ_LOGIN_GROUP_APPLICATION 0x00000006u

/*
 * Wire parameter types, four bits each, as the trusted app sees them
 * (TEE_PARAM_TYPE_*). The client API's richer types (temporary, whole and
 * partial memrefs) are all lowered to MEMREF_* here.
 */
#define TEEQ_PARAM_NONE 0x0u
#define TEEQ_PARAM_VALUE_INPUT 0x1u
#define TEEQ_PARAM_VALUE_OUTPUT 0x2u
#define TEEQ_PARAM_VALUE_INOUT 0x3u
#define TEEQ_PARAM_MEMREF_INPUT 0x5u
#define TEEQ_PARAM_MEMREF_OUTPUT 0x6u
#define TEEQ_PARAM_MEMREF_INOUT 0x7u

#define TEEQ_NUM_PARAMS 4

#define TEEQ_PARAM_TYPES(t0, t1, t2, t3) \
	((__u16)((t0) | ((t1) << 4) | ((t2) << 8) | ((t3) << 12)))
#define TEEQ_PARAM_TYPE_GET(types, i) (((types) >> ((i)*4)) & 0xFu)

static inline int teeq_param_type_valid(unsigned int type)
{
	return type <= TEEQ_PARAM_VALUE_INOUT ||
	       (type >= TEEQ_PARAM_MEMREF_INPUT &&
		type <= TEEQ_PARAM_MEMREF_INOUT);
}

static inline int teeq_param_is_memref(unsigned int type)
{
	return type >= TEEQ_PARAM_MEMREF_INPUT &&
	       type <= TEEQ_PARAM_MEMREF_INOUT;
}

static inline int teeq_param_is_value(unsigned int type)
{
	return type >= TEEQ_PARAM_VALUE_INPUT && type <= TEEQ_PARAM_VALUE_INOUT;
}

/* True when the peer writes the parameter back (OUTPUT or INOUT). */
static inline int teeq_param_is_output(unsigned int type)
{
	return type == TEEQ_PARAM_VALUE_OUTPUT ||
	       type == TEEQ_PARAM_VALUE_INOUT ||
	       type == TEEQ_PARAM_MEMREF_OUTPUT ||
	       type == TEEQ_PARAM_MEMREF_INOUT;
}

/* A TA UUID as on the wire: RFC 4122 byte order (time_low big-endian). */
struct teeq_uuid {
	__u8 b[16];
};

/*
 * The one place that knows the byte order: a UUID's fields (as in
 * TEEC_UUID) to the wire, and back. The three integers are big-endian;
 * clock_seq_and_node is copied as it is.
 */
static inline void teeq_uuid_pack(struct teeq_uuid *w, __u32 time_low,
				  __u16 time_mid, __u16 time_hi_and_version,
				  const __u8 clock_seq_and_node[8])
{
	int i;

	w->b[0] = (__u8)(time_low >> 24);
	w->b[1] = (__u8)(time_low >> 16);
	w->b[2] = (__u8)(time_low >> 8);
	w->b[3] = (__u8)time_low;
	w->b[4] = (__u8)(time_mid >> 8);
	w->b[5] = (__u8)time_mid;
	w->b[6] = (__u8)(time_hi_and_version >> 8);
	w->b[7] = (__u8)time_hi_and_version;
	for (i = 0; i < 8; i++)
		w->b[8 + i] = clock_seq_and_node[i];
}

static inline void teeq_uuid_unpack(const struct teeq_uuid *w, __u32 *time_low,
				    __u16 *time_mid, __u16 *time_hi_and_version,
				    __u8 clock_seq_and_node[8])
{
	int i;

	*time_low = (__u32)w->b[0] << 24 | (__u32)w->b[1] << 16 |
		    (__u32)w->b[2] << 8 | w->b[3];
	*time_mid = (__u16)(w->b[4] << 8 | w->b[5]);
	*time_hi_and_version = (__u16)(w->b[6] << 8 | w->b[7]);
	for (i = 0; i < 8; i++)
		clock_seq_and_node[i] = w->b[8 + i];
}

#endif /* TEEQ_UAPI_GP_H */
