// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Ring set-up: formatting a ring header (the region's creator) and
 * attaching a local handle to one (each side). Everything here runs once
 * per channel; the per-entry paths are the inlines in ring.h.
 */
#include "ring.h"

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

static int ring_geometry_valid(__u32 entries, __u32 entry_size)
{
	if (entries < TEEQ_RING_MIN_ENTRIES || entries > TEEQ_RING_MAX_ENTRIES)
		return 0;
	if (entries & (entries - 1))
		return 0;
	/* slots are whole cache lines, so two never share one */
	if (entry_size < TEEQ_CACHELINE || entry_size > TEEQ_PAGE_SIZE ||
	    (entry_size & (entry_size - 1)))
		return 0;
	return 1;
}

/*
 * Write a fresh ring header for @entries slots of @entry_size bytes into
 * @mem (@len bytes available, 64-byte aligned), with both indices at
 * @first_index (0 in real use; tests start elsewhere to cross the 32-bit
 * wrap). Every stamp is set to its previous lap's value, so no slot looks
 * filled. Creator only.
 */
int ring_format(void *mem, size_t len, __u32 entries, __u32 entry_size,
		__u32 first_index)
{
	struct teeq_ring_hdr *hdr = mem;
	struct ring view;
	__u32 i, index;

	if (!ring_geometry_valid(entries, entry_size) ||
	    ((unsigned long)mem & (TEEQ_CACHELINE - 1)) ||
	    len < ring_bytes(entries, entry_size))
		return -EINVAL;
	memset(hdr, 0, sizeof(*hdr));
	hdr->entries = entries;
	hdr->mask = entries - 1;
	hdr->entry_size = entry_size;
	hdr->head = first_index;
	hdr->tail = first_index;
	view.slots = (unsigned char *)mem + sizeof(*hdr);
	view.mask = entries - 1;
	view.entry_shift = (__u32)__builtin_ctz(entry_size);
	for (i = 0; i < entries; i++) {
		index = first_index + i;
		*ring_stamp_at(&view, index) = index + 1 - entries;
	}
	return 0;
}

/*
 * Attach a handle to the ring at @mem. @entries and @entry_size are what
 * this side already validated (from its own copy of the region header), not
 * what the shared header says now; the shared copy must agree with them.
 * The current head and tail are read once and must be consistent.
 */
int ring_attach(struct ring *r, void *mem, size_t len, __u32 entries,
		__u32 entry_size, enum ring_role role)
{
	struct teeq_ring_hdr *hdr = mem;
	__u32 head, tail;

	if (!ring_geometry_valid(entries, entry_size) ||
	    ((unsigned long)mem & (TEEQ_CACHELINE - 1)) ||
	    len < ring_bytes(entries, entry_size))
		return -EINVAL;
	if (teeq_load_relaxed(&hdr->entries) != entries ||
	    teeq_load_relaxed(&hdr->mask) != entries - 1 ||
	    teeq_load_relaxed(&hdr->entry_size) != entry_size)
		return -EPROTO;
	head = teeq_load_acquire(&hdr->head);
	tail = teeq_load_acquire(&hdr->tail);
	if ((__u32)(tail - head) > entries)
		return -EPROTO;

	memset(r, 0, sizeof(*r));
	r->hdr = hdr;
	r->slots = (unsigned char *)mem + sizeof(*hdr);
	r->entries = entries;
	r->mask = entries - 1;
	r->entry_shift = (__u32)__builtin_ctz(entry_size);
	/* a consumer learns what is filled from the stamps, from its head */
	r->local = role == RING_PRODUCER ? tail : head;
	r->cached = head;
	return 0;
}
