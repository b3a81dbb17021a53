/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The .ta file: a loadable trusted app as the TA dev kit writes it and the
 * secure world's loader reads it (docs/ta-format.md). All integers are
 * little-endian. The file is, in this order and nothing else:
 *
 *   struct teeq_ta_file_hdr      at offset 0, TEEQ_TA_FILE_HDR_SIZE bytes
 *   properties                   props_size bytes, at props_offset
 *   code                         code_size bytes, at code_offset
 *   signature                    sig_size bytes, at sig_offset, optional
 *
 * props_offset is TEEQ_TA_FILE_HDR_SIZE; code_offset is props_offset +
 * props_size; the signature, when there is one, starts at the next
 * multiple of 8 after the code (zero padding between) and ends the file.
 * Without one, sig_algo, sig_offset and sig_size are zero and the code ends
 * the file. Reserved fields and padding are zero. A loader refuses any
 * other layout, an unknown version, flag or code format, a UUID other
 * than the one it was asked to load, and limits exceeded.
 *
 * Written by the TA's developer: nothing here is trusted before the
 * signature hook (if the deployment fills it in) has accepted the bytes
 * [0, sig_offset) and every field has been checked.
 */
#ifndef TEEQ_UAPI_TA_FILE_H
#define TEEQ_UAPI_TA_FILE_H

#include "teeq_types.h"
#include "teeq_gp.h"

#define TEEQ_TA_FILE_MAGIC "TEEQ-TA" /* 8 bytes with its NUL */
#define TEEQ_TA_FILE_VERSION 1u
#define TEEQ_TA_FILE_HDR_SIZE 128u

/* Limits a loader enforces before reading further. */
#define TEEQ_TA_FILE_MAX_PROPS 128u
#define TEEQ_TA_FILE_MAX_PROPS_SIZE (64u * 1024)
#define TEEQ_TA_FILE_MAX_CODE (64u * 1024 * 1024)
#define TEEQ_TA_FILE_MAX_SIG 4096u
#define TEEQ_TA_FILE_MAX_STACK (64u * 1024 * 1024)

/* ta_flags: user_ta_header.h's TA_FLAG_* values; others are refused. */
#define TEEQ_TA_FLAGS_KNOWN 0x7FCu
/* The ones the secure world acts on (GP's semantics, docs/ta-isolation.md);
 * the others are accepted and ignored in host mode. */
#define TEEQ_TA_FLAG_SINGLE_INSTANCE (1u << 2)
#define TEEQ_TA_FLAG_MULTI_SESSION (1u << 3)
#define TEEQ_TA_FLAG_INSTANCE_KEEP_ALIVE (1u << 4)

/* api_level: the GP Internal Core API the TA was compiled for. */
#define TEEQ_TA_FILE_API_1_1 0x0101u
#define TEEQ_TA_FILE_API_1_3 0x0103u

/* code_format: an ELF64 little-endian shared object (ET_DYN) for the
 * loader's own machine, which the TA host process maps with dlopen(). */
#define TEEQ_TA_CODE_ELF_DYN 1u

/* sig_algo: 0 none; other values are the deployment's, for its hook. */
#define TEEQ_TA_SIG_NONE 0u

struct teeq_ta_file_hdr {
	__u8 magic[8]; /* TEEQ_TA_FILE_MAGIC */
	__u16 version; /* TEEQ_TA_FILE_VERSION */
	__u16 hdr_size; /* TEEQ_TA_FILE_HDR_SIZE */
	__u32 reserved0;
	struct teeq_uuid uuid; /* RFC 4122 byte order */
	__u32 ta_flags; /* TA_FLAG_* */
	__u32 stack_size; /* bytes, 1..TEEQ_TA_FILE_MAX_STACK */
	__u32 data_size; /* bytes of heap the TA asks for */
	__u32 api_level; /* TEEQ_TA_FILE_API_* */
	__u32 props_count; /* records, <= TEEQ_TA_FILE_MAX_PROPS */
	__u32 props_size; /* bytes, a multiple of 8 */
	__u64 props_offset; /* TEEQ_TA_FILE_HDR_SIZE */
	__u64 code_offset; /* props_offset + props_size */
	__u64 code_size; /* 64..TEEQ_TA_FILE_MAX_CODE */
	__u32 code_format; /* TEEQ_TA_CODE_* */
	__u32 sig_algo; /* TEEQ_TA_SIG_* */
	__u64 sig_offset;
	__u32 sig_size; /* 1..TEEQ_TA_FILE_MAX_SIG with an algorithm */
	__u32 reserved1;
	__u8 reserved[24];
};
TEEQ_PIN(struct teeq_ta_file_hdr, version, 8);
TEEQ_PIN(struct teeq_ta_file_hdr, uuid, 16);
TEEQ_PIN(struct teeq_ta_file_hdr, ta_flags, 32);
TEEQ_PIN(struct teeq_ta_file_hdr, props_count, 48);
TEEQ_PIN(struct teeq_ta_file_hdr, props_offset, 56);
TEEQ_PIN(struct teeq_ta_file_hdr, code_offset, 64);
TEEQ_PIN(struct teeq_ta_file_hdr, code_format, 80);
TEEQ_PIN(struct teeq_ta_file_hdr, sig_offset, 88);
TEEQ_PIN(struct teeq_ta_file_hdr, sig_size, 96);
TEEQ_PIN_SIZE(struct teeq_ta_file_hdr, TEEQ_TA_FILE_HDR_SIZE);

/*
 * One property record: this header, the name (name_len bytes, printable
 * ASCII without spaces, no NUL, unique in the file), the value (value_len
 * bytes), zero padding to a multiple of 8. Records fill props_size
 * exactly.
 */
struct teeq_ta_prop_rec {
	__u32 type; /* TEEQ_TA_PROP_* */
	__u16 name_len; /* 1..255 */
	__u16 reserved; /* 0 */
	__u32 value_len;
};
TEEQ_PIN_SIZE(struct teeq_ta_prop_rec, 12);

/* Property types, with their value: the numbers of user_ta_header.h's
 * enum user_ta_prop_type. */
#define TEEQ_TA_PROP_BOOL 0u /* __u32 0 or 1 */
#define TEEQ_TA_PROP_U32 1u /* __u32 */
#define TEEQ_TA_PROP_UUID 2u /* 16 bytes, RFC 4122 byte order */
#define TEEQ_TA_PROP_IDENTITY 3u /* __u32 login, then a UUID */
#define TEEQ_TA_PROP_STRING 4u /* bytes, no NUL, <= 4096 */
#define TEEQ_TA_PROP_BINARY_BLOCK 5u /* base64 text, no NUL, <= 4096 */
#define TEEQ_TA_PROP_U64 6u /* __u64 */
#define TEEQ_TA_PROP_MAX_VALUE 4096u

#endif /* TEEQ_UAPI_TA_FILE_H */
