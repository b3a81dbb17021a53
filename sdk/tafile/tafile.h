/* SPDX-License-Identifier: MIT */
/*
 * Reading and writing .ta files (uapi/teeq_ta_file.h). The parser is
 * portable C with no allocation, for the secure world's loader; the
 * builder is what the dev kit's packer uses.
 */
#ifndef TEEQ_SDK_TAFILE_H
#define TEEQ_SDK_TAFILE_H

#include "uapi/teeq_ta_file.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A parsed file: pointers into the caller's buffer, all checked. */
struct ta_file {
	struct teeq_uuid uuid;
	uint32_t ta_flags, stack_size, data_size, api_level;
	const uint8_t *props;
	uint32_t props_size, props_count;
	const uint8_t *code;
	size_t code_size;
	uint32_t sig_algo;
	const uint8_t *sig;
	uint32_t sig_size;
	size_t signed_size; /* bytes [0, signed_size) are what is signed */
};

struct ta_file_prop {
	uint32_t type; /* TEEQ_TA_PROP_* */
	const char *name; /* not NUL-terminated */
	size_t name_len;
	const uint8_t *value;
	size_t value_len;
};

/*
 * Checks @len bytes at @buf as a .ta file. 0 and *@f filled, or a negative
 * errno with *@why (when not NULL) naming the rule broken: -EBADMSG a
 * malformed file, -EPROTONOSUPPORT another version, -ENOEXEC code not for
 * this machine, -E2BIG a limit exceeded.
 */
int ta_file_parse(const void *buf, size_t len, struct ta_file *f,
		  const char **why);

/* The property at *@cursor (start at 0) of a parsed file; false at the
 * end. The parse has checked every record. */
bool ta_file_prop_next(const struct ta_file *f, size_t *cursor,
		       struct ta_file_prop *p);

/*
 * The signature check a deployment provides. In host mode there is none
 * by default; with one, a file is loaded only if verify() returns 0 for
 * its signed bytes, and require_signature refuses unsigned files.
 */
struct ta_file_verify_ops {
	int (*verify)(void *ctx, const struct ta_file *f,
		      const void *signed_data, size_t signed_len);
	void *ctx;
	bool require_signature;
};

/* 0, -ENOKEY (unsigned and a signature is required) or -EKEYREJECTED. */
int ta_file_verify(const struct ta_file *f, const void *buf,
		   const struct ta_file_verify_ops *ops);

/* What ta_file_build() writes. */
struct ta_file_desc {
	struct teeq_uuid uuid;
	uint32_t ta_flags, stack_size, data_size, api_level;
	const struct ta_file_prop *props;
	size_t props_count;
	const void *code;
	size_t code_size;
};

/* A new .ta image in *@out (free() it), unsigned; -EINVAL when @d breaks
 * a rule the parser would refuse, -ENOMEM. */
int ta_file_build(const struct ta_file_desc *d, uint8_t **out, size_t *len);

#endif /* TEEQ_SDK_TAFILE_H */
