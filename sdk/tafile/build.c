// SPDX-License-Identifier: MIT
/* Writes .ta images (uapi/teeq_ta_file.h) for the dev kit's packer. */
#include "tafile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void ta_file_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void ta_file_put64(uint8_t *p, uint64_t v)
{
	ta_file_put32(p, (uint32_t)v);
	ta_file_put32(p + 4, (uint32_t)(v >> 32));
}

static size_t ta_file_rec_size(const struct ta_file_prop *p)
{
	return (sizeof(struct teeq_ta_prop_rec) + p->name_len + p->value_len +
		7) &
	       ~(size_t)7;
}

int ta_file_build(const struct ta_file_desc *d, uint8_t **out, size_t *len)
{
	size_t props_size = 0, total, off, i;
	const char *why;
	struct ta_file check;
	uint8_t *b;

	if (d->props_count > TEEQ_TA_FILE_MAX_PROPS)
		return -EINVAL;
	for (i = 0; i < d->props_count; i++) {
		if (d->props[i].name_len > 255 ||
		    d->props[i].value_len > TEEQ_TA_PROP_MAX_VALUE)
			return -EINVAL;
		props_size += ta_file_rec_size(&d->props[i]);
	}
	if (props_size > TEEQ_TA_FILE_MAX_PROPS_SIZE ||
	    d->code_size > TEEQ_TA_FILE_MAX_CODE)
		return -EINVAL;
	total = TEEQ_TA_FILE_HDR_SIZE + props_size + d->code_size;
	b = calloc(1, total);
	if (!b)
		return -ENOMEM;
	memcpy(b, TEEQ_TA_FILE_MAGIC, 8);
	b[8] = TEEQ_TA_FILE_VERSION;
	b[10] = TEEQ_TA_FILE_HDR_SIZE;
	memcpy(b + 16, d->uuid.b, 16);
	ta_file_put32(b + 32, d->ta_flags);
	ta_file_put32(b + 36, d->stack_size);
	ta_file_put32(b + 40, d->data_size);
	ta_file_put32(b + 44, d->api_level);
	ta_file_put32(b + 48, (uint32_t)d->props_count);
	ta_file_put32(b + 52, (uint32_t)props_size);
	ta_file_put64(b + 56, TEEQ_TA_FILE_HDR_SIZE);
	ta_file_put64(b + 64, TEEQ_TA_FILE_HDR_SIZE + props_size);
	ta_file_put64(b + 72, d->code_size);
	ta_file_put32(b + 80, TEEQ_TA_CODE_ELF_DYN);
	off = TEEQ_TA_FILE_HDR_SIZE;
	for (i = 0; i < d->props_count; i++) {
		const struct ta_file_prop *p = &d->props[i];

		ta_file_put32(b + off, p->type);
		b[off + 4] = (uint8_t)p->name_len;
		ta_file_put32(b + off + 8, (uint32_t)p->value_len);
		memcpy(b + off + 12, p->name, p->name_len);
		memcpy(b + off + 12 + p->name_len, p->value, p->value_len);
		off += ta_file_rec_size(p);
	}
	memcpy(b + off, d->code, d->code_size);
	/* what the packer writes, the loader must take */
	if (ta_file_parse(b, total, &check, &why)) {
		free(b);
		return -EINVAL;
	}
	*out = b;
	*len = total;
	return 0;
}
