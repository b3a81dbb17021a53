// SPDX-License-Identifier: MIT
/*
 * teeq-ta-pack: writes <uuid>.ta from a TA's shared object. The dev kit
 * links this with the TA's own user_ta_header.o, so the header's UUID,
 * flags, sizes, API level and properties are the ones compiled into the
 * TA, read without running any of the TA's code.
 *
 *   ta_pack IN.so OUT.ta
 */
#include "sdk/tafile/tafile.h"

#include <tee_api_types.h>
#include <user_ta_header.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PACK_VALUE_MAX 24

static void pack_uuid(const TEE_UUID *u, uint8_t *out)
{
	struct teeq_uuid w;

	teeq_uuid_pack(&w, u->timeLow, u->timeMid, u->timeHiAndVersion,
		       u->clockSeqAndNode);
	memcpy(out, w.b, sizeof(w.b));
}

static void pack_le(uint8_t *out, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (uint8_t)(v >> (8 * i));
}

/* One property of the head as a file record; @store holds fixed values. */
static int pack_prop(const struct user_ta_property *in,
		     struct ta_file_prop *out, uint8_t *store)
{
	const TEE_Identity *id;

	out->type = (uint32_t)in->type;
	out->name = in->name;
	out->name_len = strlen(in->name);
	out->value = store;
	switch (in->type) {
	case USER_TA_PROP_TYPE_BOOL:
		pack_le(store, *(const bool *)in->value, 4);
		out->value_len = 4;
		return 0;
	case USER_TA_PROP_TYPE_U32:
		pack_le(store, *(const uint32_t *)in->value, 4);
		out->value_len = 4;
		return 0;
	case USER_TA_PROP_TYPE_U64:
		pack_le(store, *(const uint64_t *)in->value, 8);
		out->value_len = 8;
		return 0;
	case USER_TA_PROP_TYPE_UUID:
		pack_uuid(in->value, store);
		out->value_len = 16;
		return 0;
	case USER_TA_PROP_TYPE_IDENTITY:
		id = in->value;
		pack_le(store, id->login, 4);
		pack_uuid(&id->uuid, store + 4);
		out->value_len = 20;
		return 0;
	case USER_TA_PROP_TYPE_STRING:
	case USER_TA_PROP_TYPE_BINARY_BLOCK:
		out->value = in->value;
		out->value_len = strlen(in->value);
		return 0;
	}
	return -EINVAL;
}

static uint8_t *pack_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (size = ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)size);
		if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)size;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	const struct teeq_ta_head *h = &teeq_ta_head;
	struct ta_file_prop *props;
	struct ta_file_desc d;
	uint8_t *store, *image = NULL;
	size_t i, image_len;
	FILE *out;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: %s IN.so OUT.ta\n", argv[0]);
		return 2;
	}
	memset(&d, 0, sizeof(d));
	props = calloc(h->num_props + 1, sizeof(*props));
	store = calloc(h->num_props + 1, PACK_VALUE_MAX);
	d.code = pack_read(argv[1], &d.code_size);
	if (!props || !store || !d.code) {
		fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
		return 1;
	}
	for (i = 0; i < h->num_props; i++)
		if (pack_prop(&h->props[i], &props[i],
			      store + i * PACK_VALUE_MAX)) {
			fprintf(stderr, "%s: property %s: unknown type\n",
				argv[0], h->props[i].name);
			return 1;
		}
	pack_uuid(&h->uuid, d.uuid.b);
	d.ta_flags = h->flags;
	d.stack_size = h->stack_size;
	d.data_size = h->data_size;
	d.api_level = h->api_level;
	d.props = props;
	d.props_count = h->num_props;
	err = ta_file_build(&d, &image, &image_len);
	if (err) {
		fprintf(stderr,
			"%s: %s: the TA's head breaks the .ta format rules "
			"(flags, stack size, properties or code)\n",
			argv[0], argv[2]);
		return 1;
	}
	out = fopen(argv[2], "wb");
	if (!out || fwrite(image, 1, image_len, out) != image_len ||
	    fclose(out)) {
		fprintf(stderr, "%s: cannot write %s\n", argv[0], argv[2]);
		return 1;
	}
	free(image);
	free((void *)d.code);
	free(props);
	free(store);
	return 0;
}
