/* SPDX-License-Identifier: MIT */
/*
 * Copying bytes into shared memory for the peer to read, and out of it.
 *
 * A copy into the heap for the secure world is read next on the other CPU,
 * never by us. A plain memcpy() there first takes each destination line
 * from the peer's cache (which holds it from the call before) and leaves
 * the new bytes dirty in ours, so the peer then pulls every line back
 * across: on the development VM, with the two vCPUs far apart, a 1 MiB
 * copy took 110 us that way against 29 us with streaming stores, which
 * write whole lines to memory past both caches. Small copies stay plain:
 * a few lines cost less to move between caches than to fetch from memory.
 */
#ifndef TEEQ_SHM_COPY_H
#define TEEQ_SHM_COPY_H

#include <stddef.h>
#include <string.h>

/* From this size up a copy for the peer streams past the caches, and a
 * copy from the peer gives up the lines it read. */
#define SHM_COPY_STREAM_MIN ((size_t)64 << 10)

/* The copies from SHM_COPY_STREAM_MIN up, below. */
void shm_copy_for_peer_big(void *dst, const void *src, size_t n);
void shm_copy_from_peer_big(void *dst, const void *src, size_t n);

/* Gives up every line of @n bytes at @p, from every cache, to memory
 * (teeq_line_drop(), about 2 ns a line on the development VM). */
void shm_drop_lines(const void *p, size_t n);

/* Copies @n bytes from @src to @dst, which the peer reads next. The bytes
 * are visible to the peer before any store that follows the call. */
static inline void shm_copy_for_peer(void *dst, const void *src, size_t n)
{
	if (n >= SHM_COPY_STREAM_MIN)
		shm_copy_for_peer_big(dst, src, n);
	else
		memcpy(dst, src, n);
}

/*
 * Copies @n bytes from @src, which the peer wrote and writes again next
 * (a bounce it returned), to @dst. Reading leaves a copy of each line in
 * our cache, and the peer's next write to it would have to take it back
 * from us first: with the vCPUs far apart, 1 MiB of such writes cost the
 * peer 85 us more than its own lines. From SHM_COPY_STREAM_MIN up the
 * lines are flushed once read (shm_drop_lines()). A caller that can wait
 * to flush them, and keep the peer off them until it has, copies with
 * memcpy() and calls shm_drop_lines() later (libteeq's deferred bounces).
 */
static inline void shm_copy_from_peer(void *dst, const void *src, size_t n)
{
	if (n >= SHM_COPY_STREAM_MIN)
		shm_copy_from_peer_big(dst, src, n);
	else
		memcpy(dst, src, n);
}

#endif /* TEEQ_SHM_COPY_H */
