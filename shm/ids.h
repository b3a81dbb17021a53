/* SPDX-License-Identifier: MIT */
/*
 * Buffer ids: a table mapping 32-bit ids to (offset, size, kind, cookie).
 *
 * An id is (generation << 16) | slot. The generation of a slot advances on
 * every removal and is never 0, so ids are always >= 65536 and never
 * collide with the fixed ids of uapi/teeq_ring.h (TEEQ_BUF_ID_HEAP); free
 * slots are reused oldest-first, so a stale id stays stale for as long as
 * possible.
 *
 * The hot path takes no lock. shm_ids_lookup() copies a buffer out (the
 * slot's published id acts as a sequence count); shm_ids_get() also takes
 * a reference, so that a removal racing with a user defers the release of
 * what the buffer names until the last shm_ids_put(). Adding and removing
 * take a mutex.
 */
#ifndef TEEQ_SHM_IDS_H
#define TEEQ_SHM_IDS_H

#include <pthread.h>
#include <stdint.h>

#define SHM_IDS_MAX 65536u

struct shm_buf {
	uint64_t offset; /* where the buffer starts in its backing */
	uint64_t size; /* bytes */
	uint32_t kind; /* caller-defined: pool, fd, user pages, ... */
	uint32_t flags; /* caller-defined */
	uint64_t cookie; /* caller-defined, e.g. a pointer */
};

struct shm_id_slot {
	/* (published id << 32) | references; id 0 while not published.
	 * The slot is free again when the whole word is 0. Atomic. */
	uint64_t state;
	uint32_t next_free;
	struct shm_buf buf; /* written before the id is published */
};

struct shm_ids {
	pthread_mutex_t lock;
	struct shm_id_slot *slots;
	uint16_t *gen; /* next generation per slot, private */
	uint32_t cap;
	uint32_t free_head, free_tail; /* FIFO of free slots; 0 = none */
	uint32_t live;
};

/* A table for up to @cap - 1 buffers (slot 0 is never used). */
int shm_ids_init(struct shm_ids *t, uint32_t cap);
void shm_ids_destroy(struct shm_ids *t);

/* Returns a new id (> 0) for @buf, or -ENOSPC when the table is full. */
int64_t shm_ids_add(struct shm_ids *t, const struct shm_buf *buf);
/*
 * Unpublishes @id, copying what it named to *@out if not NULL. Returns 0
 * when nobody holds a reference (release what it names now), 1 when users
 * remain (the last shm_ids_put() returns 1 and its caller releases), or
 * -ENOENT if @id is not live (stale, removed twice, never issued).
 */
int shm_ids_remove(struct shm_ids *t, uint32_t id, struct shm_buf *out);
/* Copies the buffer @id names, without a reference. -ENOENT if not live. */
int shm_ids_lookup(struct shm_ids *t, uint32_t id, struct shm_buf *out);
/* Like lookup, and takes a reference that keeps the slot (and whatever the
 * caller releases on removal) alive until shm_ids_put(). */
int shm_ids_get(struct shm_ids *t, uint32_t id, struct shm_buf *out);
/* Drops a reference from shm_ids_get(). Returns 1 when it was the last one
 * of an id removed meanwhile: the caller releases what it named. */
int shm_ids_put(struct shm_ids *t, uint32_t id);
/*
 * Looks @id up and checks that the window [@offset, @offset + @len) lies
 * inside it, with no overflow whatever the inputs. Returns 0, -ENOENT for a
 * stale or foreign id, -ERANGE for a window outside the buffer.
 */
int shm_ids_check(struct shm_ids *t, uint32_t id, uint64_t offset, uint64_t len,
		  struct shm_buf *out);

uint32_t shm_ids_live(struct shm_ids *t);
/* Walks the live ids: start with *@cursor = 0; returns the next live id,
 * or 0 at the end. Ids added or removed meanwhile may or may not show. */
uint32_t shm_ids_next(struct shm_ids *t, uint32_t *cursor);

/* Overflow-safe: is [off, off + len) inside [0, size)? */
static inline int shm_window_ok(uint64_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

#endif /* TEEQ_SHM_IDS_H */
