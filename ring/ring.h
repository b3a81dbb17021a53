/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Lock-free single-producer/single-consumer rings in shared memory.
 *
 * The protocol (layout, ownership, ordering) is specified in
 * uapi/teeq_ring.h; this header is the fast path on one side of a ring:
 *
 *   producer                         consumer
 *   n = ring_prod_space(r, want)     n = ring_cons_avail(r, want)
 *   fill ring_prod_slot(r, 0..n-1)   copy ring_cons_slot(r, 0..n-1)
 *   if (ring_prod_commit(r, n))      ring_cons_release(r, n)
 *           ring the doorbell
 *
 * A producer whose entries are ready in private memory (teeq-sw's worker
 * with its completions) fills and stamps each slot in one pass instead,
 * ring_batch_put() over a ring_batch_of(r), then ring_prod_publish(r, n).
 *
 * A filled slot carries a stamp in its first four bytes (index + 1), so a
 * consumer learns that slot i is ready from slot i's own first cache line,
 * not from a tail line and then the entry's line. The producer still
 * publishes its tail after the stamps, for a consumer about to sleep and
 * for the futex doorbell.
 *
 * Each side keeps its own index privately (local) and the last validated
 * view of the peer (cached), so shared lines are touched only to publish a
 * batch or when the cached view runs out. A peer index that is impossible
 * marks the ring broken; every call then returns 0 and the caller reports
 * a broken channel (ring_broken()).
 *
 * Entry contents are not validated here: the consumer copies a slot once
 * into private memory before it looks at any field. Producers write only
 * bytes RING_STAMP_SIZE.. of a slot; the stamp is the ring's.
 */
#ifndef TEEQ_RING_RING_H
#define TEEQ_RING_RING_H

#include "../uapi/teeq_ring.h"
#include "atomics.h"

#ifdef __KERNEL__
#include <linux/stddef.h>
#include <linux/string.h>
#else
#include <stddef.h>
#include <string.h>
#endif

#define RING_STAMP_SIZE 4u

/* The fast path's helpers: always inlined, so a caller's loop over a batch
 * never pays a call per entry, whatever the size of the caller. */
#define RING_FAST static inline __attribute__((always_inline))

enum ring_role {
	RING_PRODUCER,
	RING_CONSUMER,
};

struct ring {
	struct teeq_ring_hdr *hdr;
	unsigned char *slots;
	__u32 entries; /* our validated copy, never re-read from hdr */
	__u32 mask;
	__u32 entry_shift;
	/* our own index: tail (producer) or head (consumer) */
	__u32 local;
	/* producer: last validated head; consumer: first slot whose stamp
	 * was not yet seen (so cached - local slots are known filled) */
	__u32 cached;
	/* consumer: the tail read when it announced sleep (the futex value) */
	__u32 sleep_tail;
	int broken; /* the peer wrote an impossible index or flag */
};

/* Bytes a ring of @entries slots of @entry_size bytes occupies. */
static inline size_t ring_bytes(__u32 entries, __u32 entry_size)
{
	return sizeof(struct teeq_ring_hdr) + (size_t)entries * entry_size;
}

int ring_format(void *mem, size_t len, __u32 entries, __u32 entry_size,
		__u32 first_index);
int ring_attach(struct ring *r, void *mem, size_t len, __u32 entries,
		__u32 entry_size, enum ring_role role);

RING_FAST int ring_broken(const struct ring *r)
{
	return r->broken;
}

RING_FAST unsigned char *ring_slot_at(const struct ring *r, __u32 index)
{
	return r->slots + ((size_t)(index & r->mask) << r->entry_shift);
}

RING_FAST __u32 *ring_stamp_at(const struct ring *r, __u32 index)
{
	return (__u32 *)ring_slot_at(r, index);
}

/* ---- producer ---------------------------------------------------------- */

static inline __u32 ring_prod_refresh(struct ring *r)
{
	__u32 head;

	if (teeq_unlikely(r->broken))
		return 0;
	/* acquire: the consumer's loads of the slots before head are done
	 * before we overwrite those slots */
	head = teeq_load_acquire(&r->hdr->head);
	/* head may only move forward, and never past our tail */
	if (teeq_unlikely((__u32)(head - r->cached) >
			  (__u32)(r->local - r->cached))) {
		r->broken = 1;
		return 0;
	}
	r->cached = head;
	return r->entries - (r->local - head);
}

/* Free slots; reads the shared head only if the cached view has < @want. */
RING_FAST __u32 ring_prod_space(struct ring *r, __u32 want)
{
	__u32 space = r->entries - (r->local - r->cached);

	if (space >= want && !r->broken)
		return space;
	return ring_prod_refresh(r);
}

/* Slot @i of the batch being filled (0 = the next free slot). */
RING_FAST void *ring_prod_slot(const struct ring *r, __u32 i)
{
	return ring_slot_at(r, r->local + i);
}

/* The same for a ring whose slots the caller knows to be @size bytes, a
 * constant (the call rings' entry sizes are checked when they are
 * attached): a multiply by a constant instead of a shift by a load. */
RING_FAST void *ring_prod_slot_sized(const struct ring *r, __u32 i, __u32 size)
{
	return r->slots + (size_t)((r->local + i) & r->mask) * size;
}

/*
 * The one way an entry goes into a slot: the first @len bytes of @entry
 * (a whole number of cache lines, at most the slot), all but the stamp,
 * which is the ring's, written by ring_prod_commit() after everything
 * else. Line by line with fixed sizes, so the copy is a few wide moves.
 */
RING_FAST void ring_fill_slot(void *slot, const void *entry, __u32 len)
{
	unsigned char *dst = (unsigned char *)slot;
	const unsigned char *src = (const unsigned char *)entry;
	__u32 off;

	memcpy(dst + RING_STAMP_SIZE, src + RING_STAMP_SIZE,
	       TEEQ_CACHELINE - RING_STAMP_SIZE);
	for (off = TEEQ_CACHELINE; off < len; off += TEEQ_CACHELINE)
		memcpy(dst + off, src + off, TEEQ_CACHELINE);
}

/*
 * The way to fill a slot in place instead: its first @len bytes (a whole
 * number of cache lines) zeroed, all but the stamp, which still holds the
 * previous lap's value and must not read as filled before
 * ring_prod_commit() stamps it. The producer then stores its fields into
 * the slot, never the stamp, and never reads them back: the slot is
 * shared memory. Slots the producer's credits cover may be filled before
 * ring_prod_space() confirms the room, provided it does so before the
 * commit: until its stamp, a slot's bytes mean nothing to the consumer.
 */
RING_FAST void ring_clear_slot(void *slot, __u32 len)
{
	unsigned char *dst = (unsigned char *)slot;
	__u32 off;

	memset(dst + RING_STAMP_SIZE, 0, TEEQ_CACHELINE - RING_STAMP_SIZE);
	for (off = TEEQ_CACHELINE; off < len; off += TEEQ_CACHELINE)
		memset(dst + off, 0, TEEQ_CACHELINE);
}

/* Fills slot @i of the batch being filled with @entry (ring_fill_slot()). */
RING_FAST void ring_prod_fill(const struct ring *r, __u32 i, const void *entry,
			      __u32 len)
{
	ring_fill_slot(ring_prod_slot(r, i), entry, len);
}

/*
 * A batch's slots, for a loop over them: the ring's geometry and index in
 * a local copy, which the stores into the slots cannot change, so it
 * stays in registers instead of being read again after every store.
 * Producer: from the next free slot; consumer: from the oldest filled.
 */
struct ring_batch {
	unsigned char *slots;
	__u32 mask;
	__u32 shift;
	__u32 first;
};

RING_FAST struct ring_batch ring_batch_of(const struct ring *r)
{
	struct ring_batch b = { r->slots, r->mask, r->entry_shift, r->local };

	return b;
}

/* Slot @i of the batch (0 = its first). */
RING_FAST unsigned char *ring_batch_slot(const struct ring_batch *b, __u32 i)
{
	return b->slots + ((size_t)((b->first + i) & b->mask) << b->shift);
}

/* The same for slots of @size bytes, a constant (ring_prod_slot_sized()). */
RING_FAST unsigned char *ring_batch_slot_sized(const struct ring_batch *b,
					       __u32 i, __u32 size)
{
	return b->slots + (size_t)((b->first + i) & b->mask) * size;
}

/*
 * Fills slot @i of the batch @b (taken with ring_batch_of() on the
 * producer's ring) with @entry as ring_fill_slot() does, and stamps it at
 * once: for a producer that has its entries ready, one pass over the
 * slots, not a second one for the stamps. ring_prod_publish() then makes
 * the batch known.
 */
RING_FAST void ring_batch_put(const struct ring_batch *b, __u32 i,
			      const void *entry, __u32 len)
{
	unsigned char *slot = ring_batch_slot(b, i);

	ring_fill_slot(slot, entry, len);
	/* release: the slot's contents are visible before its stamp */
	teeq_store_release((__u32 *)slot, b->first + i + 1);
}

/*
 * Publishes @n slots already stamped (ring_batch_put()): the tail, then
 * the consumer's flags. Returns nonzero when the consumer has asked to be
 * woken (the caller rings the doorbell), or when the flags show the ring
 * broken (a wake-up is then harmless and lets a waiter see the breakage).
 */
RING_FAST int ring_prod_publish(struct ring *r, __u32 n)
{
	__u32 flags, local = r->local + n;

	r->local = local;
	/* release: the stamps are visible before the new tail */
	teeq_store_release(&r->hdr->tail, local);
	/* full barrier: the stamp and tail stores are visible before the
	 * flags load; pairs with the barrier in ring_cons_prepare_sleep() */
	teeq_smp_mb();
	flags = teeq_load_relaxed(&r->hdr->flags);
	if (teeq_unlikely(flags & ~TEEQ_RING_FLAGS_ALL)) {
		r->broken = 1;
		return 1;
	}
	return flags & TEEQ_RING_NEED_WAKEUP;
}

/*
 * Publish @n filled slots (ring_prod_space() said there was room): their
 * stamps, then as ring_prod_publish(), whose result it returns.
 */
RING_FAST int ring_prod_commit(struct ring *r, __u32 n)
{
	struct ring_batch b = ring_batch_of(r);
	__u32 i;

	for (i = 0; i < n; i++)
		/* release: the slot's contents are visible before its stamp */
		teeq_store_release((__u32 *)ring_batch_slot(&b, i),
				   b.first + i + 1);
	return ring_prod_publish(r, n);
}

/*
 * Before filling the next @n slots in place: asks for their first lines
 * in a state the producer's stores can take at once. Each line was last
 * read by the consumer, and each store would wait in turn for the
 * consumer's copy to be invalidated, a cross-core round trip each; asked
 * for ahead, the lines come side by side while the producer does other
 * work. A prefetch changes no byte, so slots the producer's credits do
 * not cover yet may be asked for. The next free slot is left out: a
 * consumer that has caught up polls its stamp, and would take the line
 * straight back. @n is at most the ring's entries.
 */
RING_FAST void ring_prod_prefetch(const struct ring *r, __u32 n)
{
	struct ring_batch b;
	unsigned char *p;
	size_t step;
	__u32 i, m, run;

	if (n <= 1)
		return;
	m = n - 1; /* slots 1..n-1 */
	b = ring_batch_of(r);
	step = (size_t)1 << b.shift;
	/* at most two runs of adjacent slots, walked with a pointer: up to
	 * where the ring wraps, then from its start */
	run = b.mask + 1 - ((b.first + 1) & b.mask);
	if (run > m)
		run = m;
	p = ring_batch_slot(&b, 1);
#pragma GCC unroll 4
	for (i = 0; i < run; i++, p += step)
		teeq_prefetch_write(p);
	for (p = b.slots; i < m; i++, p += step)
		teeq_prefetch_write(p);
}

/* Slots published but not yet released by the consumer (cached view). */
static inline __u32 ring_prod_in_flight(const struct ring *r)
{
	return r->local - r->cached;
}

/* ---- consumer ---------------------------------------------------------- */

/* Look at stamps past the known-filled ones, up to @want filled slots in
 * all; returns how many are known filled. Never more than the ring holds,
 * whatever the stamps say. */
static inline __u32 ring_cons_refresh(struct ring *r, __u32 want)
{
	struct ring_batch b = ring_batch_of(r);
	__u32 idx = r->cached, local = b.first;

	if (teeq_unlikely(r->broken))
		return 0;
	if (want > r->entries)
		want = r->entries;
	/* acquire: a slot's contents are loaded after its stamp (the
	 * geometry is in b, which no acquire makes us read again) */
	while ((__u32)(idx - local) < want &&
	       teeq_load_acquire((const __u32 *)ring_batch_slot(
		       &b, idx - local)) == idx + 1)
		idx++;
	r->cached = idx;
	return idx - local;
}

/* Filled slots, looking at new stamps only if fewer than @want are known. */
RING_FAST __u32 ring_cons_avail(struct ring *r, __u32 want)
{
	__u32 avail = r->cached - r->local;

	if (avail >= want && !r->broken)
		return avail;
	return ring_cons_refresh(r, want);
}

/*
 * Whether an entry may be waiting: a slot known filled, the next one's
 * stamp, or a broken ring (for its caller to notice). One stamp read and
 * no bookkeeping, for a consumer that polls many rings and takes entries
 * (ring_cons_avail()) only from those that have some.
 */
RING_FAST int ring_cons_ready(const struct ring *r)
{
	__u32 idx = r->cached;

	/* acquire: as ring_cons_refresh(), which then reads it again */
	return idx != r->local || r->broken ||
	       teeq_load_acquire((const __u32 *)ring_slot_at(r, idx)) ==
		       idx + 1;
}

/* Slot @i of the available batch (0 = the oldest). Copy before checking. */
RING_FAST const void *ring_cons_slot(const struct ring *r, __u32 i)
{
	return ring_slot_at(r, r->local + i);
}

/*
 * One pass over the filled slots instead of ring_cons_avail() and then a
 * loop: a batch from ring_batch_of() (whose first slot is the oldest not
 * consumed), and for each slot @i of it (ring_batch_slot_sized(), slots
 * of @size bytes), whether its stamp says it is filled. The caller stops
 * at the first that is not, bounds @i itself (never past what the ring
 * holds) and hands the slots back with ring_cons_release_seen().
 */
RING_FAST int ring_batch_filled_sized(const struct ring_batch *b, __u32 i,
				      __u32 size)
{
	/* acquire: the slot's contents are loaded after its stamp */
	return teeq_load_acquire((const __u32 *)ring_batch_slot_sized(
		       b, i, size)) == b->first + i + 1;
}

#ifndef __KERNEL__
/*
 * Drops the first line of each of the last @n slots consumed and released
 * from the caches. The producer fills a slot in place, and its stores
 * must first have this side's copy of the line invalidated, a cross-core
 * round trip; with the cores far apart those bound a producer that fills
 * a batch at a time, asking for the lines ahead or not. A line in memory
 * needs none. The flush is this side's work: for a consumer with time to
 * spare (one that found no next entry), not for one the producer waits on.
 */
RING_FAST void ring_cons_drop(const struct ring *r, __u32 n)
{
	struct ring_batch b = ring_batch_of(r);
	__u32 i;

	b.first -= n;
	for (i = 0; i < n; i++)
		teeq_line_drop(ring_batch_slot(&b, i));
}
#endif

/* Hand @n consumed slots back to the producer. */
RING_FAST void ring_cons_release(struct ring *r, __u32 n)
{
	__u32 local = r->local + n;

	r->local = local;
	/* release: our loads of the slots complete before the producer sees
	 * them free */
	teeq_store_release(&r->hdr->head, local);
}

/* Hand back @n slots that ring_cons_peek() saw filled, some maybe beyond
 * the cached view (which then moves up to them). */
RING_FAST void ring_cons_release_seen(struct ring *r, __u32 n)
{
	if ((__u32)(r->cached - r->local) < n)
		r->cached = r->local + n;
	ring_cons_release(r, n);
}

/* Event suppression, consumer side: awake again, producers need not ring
 * the doorbell any more (ring_cons_prepare_sleep() set the flag). */
static inline void ring_cons_end_sleep(struct ring *r)
{
	teeq_store_relaxed(&r->hdr->flags, 0u);
}

/*
 * Event suppression, consumer side. Before sleeping the consumer sets
 * NEED_WAKEUP and looks at the next stamp once more: a producer that
 * committed before seeing the flag is caught here, one that commits after
 * sees the flag. Returns the entries that arrived meanwhile; when that is
 * nonzero (or the ring broke) the flag is cleared again and the caller
 * must not sleep. Otherwise r->sleep_tail holds the tail to sleep on.
 */
static inline __u32 ring_cons_prepare_sleep(struct ring *r)
{
	__u32 avail, tail;

	teeq_store_relaxed(&r->hdr->flags, TEEQ_RING_NEED_WAKEUP);
	/* full barrier: the flag store is visible before the stamp and tail
	 * loads; pairs with the barrier in ring_prod_commit() */
	teeq_smp_mb();
	avail = ring_cons_refresh(r, 1);
	if (!avail && !r->broken) {
		tail = teeq_load_acquire(&r->hdr->tail);
		/* the tail is stored after the stamps, so it may lag or lead
		 * our view, but never by more than a ring either way */
		if ((__u32)(r->local - tail) > r->entries &&
		    (__u32)(tail - r->local) > r->entries)
			r->broken = 1;
		r->sleep_tail = tail;
	}
	if (avail || r->broken)
		ring_cons_end_sleep(r);
	return avail;
}

#endif /* TEEQ_RING_RING_H */
