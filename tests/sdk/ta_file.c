// SPDX-License-Identifier: MIT
/*
 * The .ta parser and loader refuse what they must, with a reason: every
 * single-byte corruption of the header of a valid file is either refused
 * or (for bytes that carry no rule: sizes the TA asks for, the UUID)
 * accepted with the value read back; truncation and extension are
 * refused; properties named twice, unknown flags, a wrong UUID, a missing
 * signature when one is required, a rejected one, and code that is not a
 * shared object for this machine are refused; a valid file round-trips.
 */
#include "tests/check.h"
#include "sdk/host/host.h"

#include <errno.h>
#include <stdlib.h>

static uint8_t tf_code[128];

static int tf_build(const struct ta_file_prop *props, size_t n, uint32_t flags,
		    uint8_t **out, size_t *len)
{
	struct ta_file_desc d = {
		.uuid = { { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
			    16 } },
		.ta_flags = flags,
		.stack_size = 4096,
		.data_size = 65536,
		.api_level = TEEQ_TA_FILE_API_1_3,
		.props = props,
		.props_count = n,
		.code = tf_code,
		.code_size = sizeof(tf_code),
	};

	return ta_file_build(&d, out, len);
}

static int tf_reject(void *ctx, const struct ta_file *f, const void *data,
		     size_t len)
{
	(void)ctx;
	(void)f;
	(void)data;
	(void)len;
	return -1;
}

int main(void)
{
	static const uint8_t one[4] = { 1 };
	const struct ta_file_prop props[] = {
		{ TEEQ_TA_PROP_BOOL, "gpd.ta.singleInstance", 21, one, 4 },
		{ TEEQ_TA_PROP_STRING, "gpd.ta.description", 18,
		  (const uint8_t *)"hello", 5 },
	};
	struct ta_file_verify_ops ops = { .require_signature = true };
	struct ta_file_prop p;
	struct ta_host_ta ta;
	struct ta_file f;
	const char *why;
	uint8_t *img, *copy;
	size_t len, cursor = 0, i;
	unsigned int b, refused = 0;
	int err;

	/* the smallest ELF64 x86-64 shared object header the parser accepts */
	memcpy(tf_code,
	       "\x7f"
	       "ELF\2\1\1",
	       7);
	tf_code[16] = 3;
	tf_code[18] = 62;
	CHECK_EQ(tf_build(props, 2, 0x1c, &img, &len), 0);
	CHECK_EQ(ta_file_parse(img, len, &f, &why), 0);
	CHECK_EQ(f.ta_flags, 0x1c);
	CHECK_EQ(f.stack_size, 4096);
	CHECK_EQ(f.props_count, 2);
	CHECK_EQ(f.code_size, sizeof(tf_code));
	CHECK(ta_file_prop_next(&f, &cursor, &p));
	CHECK(p.name_len == 21 && !memcmp(p.name, "gpd.ta.singleInstance", 21));
	CHECK(ta_file_prop_next(&f, &cursor, &p));
	CHECK(p.value_len == 5 && !memcmp(p.value, "hello", 5));
	CHECK(!ta_file_prop_next(&f, &cursor, &p));

	/* every byte of the header and the properties, flipped */
	copy = malloc(len);
	CHECK(copy);
	for (i = 0; i < TEEQ_TA_FILE_HDR_SIZE + f.props_size; i++)
		for (b = 0; b < 8; b++) {
			memcpy(copy, img, len);
			copy[i] ^= (uint8_t)(1u << b);
			err = ta_file_parse(copy, len, &f, &why);
			if (err) {
				CHECK(why && *why);
				refused++;
				continue;
			}
			/* accepted: the UUID, the sizes and flags the TA asks
			 * for, the other API level, property contents */
			if (!((i >= 16 && i < 44) || i == 44 ||
			      i >= TEEQ_TA_FILE_HDR_SIZE))
				fprintf(stderr, "byte %zu bit %u accepted\n", i,
					b);
			CHECK((i >= 16 && i < 44) || i == 44 ||
			      i >= TEEQ_TA_FILE_HDR_SIZE);
		}
	CHECK(refused > 500);
	for (i = 0; i < len; i++)
		CHECK(ta_file_parse(img, i, &f, &why) < 0);
	copy = realloc(copy, len + 1);
	memcpy(copy, img, len);
	copy[len] = 0;
	CHECK_EQ(ta_file_parse(copy, len + 1, &f, &why), -EBADMSG);
	free(copy);

	/* the signature hook: required and absent, or rejecting */
	CHECK_EQ(ta_file_parse(img, len, &f, &why), 0);
	CHECK_EQ(ta_file_verify(&f, img, NULL), 0);
	CHECK_EQ(ta_file_verify(&f, img, &ops), -ENOKEY);
	ops.verify = tf_reject;
	ops.require_signature = false;
	CHECK_EQ(ta_file_verify(&f, img, &ops),
		 0); /* unsigned: nothing to check */
	CHECK_EQ(ta_host_load(img, len, NULL, &ops, &ta, &why), -ENOEXEC);
	free(img);

	/* the builder refuses what the parser would */
	CHECK_EQ(tf_build(props, 2, 0x80000000u, &img, &len), -EINVAL);
	const struct ta_file_prop twice[] = { props[1], props[1] };
	CHECK_EQ(tf_build(twice, 2, 0, &img, &len), -EINVAL);
	tf_code[18] = 40; /* EM_ARM */
	CHECK_EQ(tf_build(props, 2, 0, &img, &len), -EINVAL);

	/* the loader: wrong UUID, unreadable path */
	tf_code[18] = 62;
	CHECK_EQ(tf_build(props, 2, 0, &img, &len), 0);
	struct teeq_uuid other = { { 9 } };
	CHECK_EQ(ta_host_load(img, len, &other, NULL, &ta, &why), -ENOENT);
	CHECK_EQ(ta_host_load_file("/nonexistent/x.ta", NULL, NULL, &ta, &why),
		 -ENOENT);
	CHECK_EQ(ta_host_load_file("/proc/self/status", NULL, NULL, &ta, &why),
		 -EBADMSG);
	free(img);
	return T_PASS;
}
