// SPDX-License-Identifier: MIT
/*
 * fuzz_ta_file: the .ta parser (sdk/tafile/parse.c), which the secure
 * world's loader runs on files from the TA directory.
 *
 * Input: the file, as is.
 *
 * Invariants: ta_file_parse() refuses with a reason, or accepts only a
 * file whose sections lie inside it, in the fixed order, that iterates to
 * exactly props_count records filling props_size, whose signed size
 * covers header, properties and code; an accepted unsigned file is
 * rebuilt byte for byte by ta_file_build() from what was parsed.
 *
 * TEEQ_FUZZ_WRITE_SEEDS=dir writes the seed corpus to dir and exits.
 */
#define FZ_NAME "fuzz_ta_file"
#include "tests/fuzz/targets/fuzz.h"
#include "sdk/tafile/tafile.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FZ_MAX_PROPS TEEQ_TA_FILE_MAX_PROPS

static void fz_check(const uint8_t *data, size_t size)
{
	struct ta_file_prop props[FZ_MAX_PROPS];
	struct ta_file_desc d;
	struct ta_file f;
	const char *why = NULL;
	size_t cursor = 0, n = 0, len;
	uint8_t *image;

	if (ta_file_parse(data, size, &f, &why)) {
		FZ_ASSERT(why && *why, "refused without a reason");
		return;
	}
	FZ_ASSERT(f.props == data + TEEQ_TA_FILE_HDR_SIZE, "props moved");
	FZ_ASSERT(f.code == f.props + f.props_size, "code moved");
	FZ_ASSERT(f.code_size <= size && f.code + f.code_size <= data + size,
		  "code past the file");
	FZ_ASSERT(f.signed_size >= (size_t)(f.code + f.code_size - data) &&
			  f.signed_size <= size,
		  "signed size");
	while (ta_file_prop_next(&f, &cursor, &props[n])) {
		FZ_ASSERT(props[n].value + props[n].value_len <=
				  f.props + f.props_size,
			  "property past the properties");
		FZ_ASSERT(++n <= f.props_count, "more records than counted");
	}
	FZ_ASSERT(n == f.props_count && cursor == f.props_size,
		  "records do not match the count");
	if (f.sig_algo)
		return;
	memset(&d, 0, sizeof(d));
	d.uuid = f.uuid;
	d.ta_flags = f.ta_flags;
	d.stack_size = f.stack_size;
	d.data_size = f.data_size;
	d.api_level = f.api_level;
	d.props = props;
	d.props_count = n;
	d.code = f.code;
	d.code_size = f.code_size;
	FZ_ASSERT(!ta_file_build(&d, &image, &len), "cannot rebuild");
	FZ_ASSERT(len == size && !memcmp(image, data, size),
		  "rebuilt file differs");
	free(image);
}

static void fz_seeds(const char *dir)
{
	static const uint8_t one[4] = { 1 }, u32[4] = { 0x10 };
	const struct ta_file_prop props[] = {
		{ TEEQ_TA_PROP_BOOL, "gpd.ta.singleInstance", 21, one, 4 },
		{ TEEQ_TA_PROP_U32, "gpd.ta.stackSize", 16, u32, 4 },
		{ TEEQ_TA_PROP_STRING, "gpd.ta.description", 18,
		  (const uint8_t *)"seed", 4 },
	};
	uint8_t code[96] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	struct ta_file_desc d = {
		.uuid = { { 0x5d, 0x2b, 0x6d, 0x8e } },
		.ta_flags = 0x1c,
		.stack_size = 4096,
		.data_size = 32768,
		.api_level = TEEQ_TA_FILE_API_1_3,
		.props = props,
		.props_count = 3,
		.code = code,
		.code_size = sizeof(code),
	};
	uint8_t *image;
	size_t len;

	code[16] = 3;
	code[18] = 62;
	if (ta_file_build(&d, &image, &len))
		exit(1);
	fz_write_file(dir, "valid-3-props", image, len);
	free(image);
	d.props_count = 0;
	d.api_level = TEEQ_TA_FILE_API_1_1;
	if (ta_file_build(&d, &image, &len))
		exit(1);
	fz_write_file(dir, "valid-no-props-gp11", image, len);
	free(image);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int seeded;
	const char *dir;

	if (!seeded) {
		seeded = 1;
		dir = getenv("TEEQ_FUZZ_WRITE_SEEDS");
		if (dir) {
			fz_seeds(dir);
			exit(0);
		}
	}
	fz_check(data, size);
	return 0;
}
