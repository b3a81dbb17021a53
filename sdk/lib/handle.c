// SPDX-License-Identifier: MIT
/*
 * The registry of live handles (objects, operations, property enumerators).
 * Every API function looks its handle up here before touching it, so that a
 * freed, forged or wrong-kind handle panics the TA, as the spec requires,
 * instead of reading freed memory. An open-addressing hash set of pointers,
 * kept at most half full.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>

struct ta_handle_slot {
	const void *handle; /* NULL: empty; &ta_handle_tomb: deleted */
	enum ta_handle_kind kind;
};

static struct ta_handle_slot *ta_handle_slots;
static size_t ta_handle_cap; /* power of two, or 0 */
static size_t ta_handle_used; /* live and deleted slots */
static size_t ta_handle_live;
static const char ta_handle_tomb;

static size_t ta_handle_hash(const void *handle)
{
	uint64_t x = (uint64_t)(uintptr_t)handle;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (size_t)x;
}

static struct ta_handle_slot *ta_handle_find(const void *handle)
{
	size_t i;

	if (!ta_handle_cap)
		return NULL;
	i = ta_handle_hash(handle) & (ta_handle_cap - 1);
	while (ta_handle_slots[i].handle) {
		if (ta_handle_slots[i].handle == handle)
			return &ta_handle_slots[i];
		i = (i + 1) & (ta_handle_cap - 1);
	}
	return NULL;
}

static void ta_handle_insert(struct ta_handle_slot *slots, size_t cap,
			     const void *handle, enum ta_handle_kind kind)
{
	size_t i = ta_handle_hash(handle) & (cap - 1);

	while (slots[i].handle && slots[i].handle != &ta_handle_tomb)
		i = (i + 1) & (cap - 1);
	slots[i].handle = handle;
	slots[i].kind = kind;
}

/* Rebuilds the table at twice the live count (tombstones dropped). */
static int ta_handle_grow(void)
{
	size_t cap = ta_handle_cap ? ta_handle_cap : 16, i, live = 0;
	struct ta_handle_slot *slots;

	for (i = 0; i < ta_handle_cap; i++)
		if (ta_handle_slots[i].handle &&
		    ta_handle_slots[i].handle != &ta_handle_tomb)
			live++;
	while (cap < 4 * (live + 1))
		cap *= 2;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < ta_handle_cap; i++)
		if (ta_handle_slots[i].handle &&
		    ta_handle_slots[i].handle != &ta_handle_tomb)
			ta_handle_insert(slots, cap, ta_handle_slots[i].handle,
					 ta_handle_slots[i].kind);
	free(ta_handle_slots);
	ta_handle_slots = slots;
	ta_handle_cap = cap;
	ta_handle_used = live;
	return 0;
}

int ta_handle_add(const void *handle, enum ta_handle_kind kind)
{
	if (2 * (ta_handle_used + 1) > ta_handle_cap && ta_handle_grow())
		return -ENOMEM;
	ta_handle_insert(ta_handle_slots, ta_handle_cap, handle, kind);
	ta_handle_used++;
	ta_handle_live++;
	return 0;
}

void ta_handle_del(const void *handle)
{
	struct ta_handle_slot *slot = ta_handle_find(handle);

	if (!slot)
		return;
	slot->handle = &ta_handle_tomb;
	/* no handle left: nothing stays allocated, even if the TA's code
	 * is unloaded next */
	if (!--ta_handle_live) {
		free(ta_handle_slots);
		ta_handle_slots = NULL;
		ta_handle_cap = ta_handle_used = 0;
	}
}

bool ta_handle_valid(const void *handle, enum ta_handle_kind kind)
{
	struct ta_handle_slot *slot;

	if (!handle || handle == &ta_handle_tomb)
		return false;
	slot = ta_handle_find(handle);
	return slot && slot->kind == kind;
}
