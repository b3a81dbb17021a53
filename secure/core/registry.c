// SPDX-License-Identifier: MIT
/*
 * The trusted-app registry: every TEEQ_TA_REGISTER() puts a pointer into
 * the "teeq_tas" section; the linker brackets the section with __start_
 * and __stop_ symbols. TA objects are linked into teeq-sw directly (not
 * from an archive), so none is dropped.
 */
#include "secure/core/ta.h"

#include <string.h>

/* weak: a program linked without any TA has an empty registry */
extern const struct teeq_ta *const __start_teeq_tas[] __attribute__((weak));
extern const struct teeq_ta *const __stop_teeq_tas[] __attribute__((weak));

size_t ta_registry_count(void)
{
	return (size_t)(__stop_teeq_tas - __start_teeq_tas);
}

const struct teeq_ta *ta_registry_at(size_t i)
{
	return i < ta_registry_count() ? __start_teeq_tas[i] : NULL;
}

void ta_uuid_from_wire(const struct teeq_uuid *wire, struct ta_uuid *uuid)
{
	teeq_uuid_unpack(wire, &uuid->time_low, &uuid->time_mid,
			 &uuid->time_hi_and_version, uuid->clock_seq_and_node);
}

void ta_uuid_to_wire(const struct ta_uuid *uuid, struct teeq_uuid *wire)
{
	teeq_uuid_pack(wire, uuid->time_low, uuid->time_mid,
		       uuid->time_hi_and_version, uuid->clock_seq_and_node);
}

const struct teeq_ta *ta_registry_find(const struct ta_uuid *uuid)
{
	const struct teeq_ta *loaded = NULL;
	size_t i, n = ta_registry_count();

	for (i = 0; i < n; i++) {
		const struct ta_uuid *u = &__start_teeq_tas[i]->uuid;

		/* the loaded TAs' descriptor answers for any other UUID */
		if (__start_teeq_tas[i]->open_remote) {
			loaded = __start_teeq_tas[i];
			continue;
		}
		if (u->time_low == uuid->time_low &&
		    u->time_mid == uuid->time_mid &&
		    u->time_hi_and_version == uuid->time_hi_and_version &&
		    !memcmp(u->clock_seq_and_node, uuid->clock_seq_and_node, 8))
			return __start_teeq_tas[i];
	}
	return loaded;
}
