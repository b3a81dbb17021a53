/* SPDX-License-Identifier: MIT */
/*
 * Buffer ids: a table mapping 32-bit ids to (offset, size, kind, cookie).
 *
 * An id is (generation << 16) | slot. The generation of a slot advances on
 * every free and is never 0, so ids are always >= 65536 and never collide
 * with the fixed ids of uapi/teeq_ring.h (TEEQ_BUF_ID_HEAP); free slots are
 * reused oldest-first, so a stale id stays stale for as long as possible.
 *
 * Lookups are lock-free (a slot's published id acts as its sequence
 * count), so the hot path of a call takes no lock; insertions and removals
 * take a mutex. A lookup returns a copy: keeping the buffer alive while it
 * is used is the caller's business.
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
	uint64_t cookie; /* caller-defined, e.g. a mapping index */
};

struct shm_id_slot {
	uint32_t id; /* published id, 0 while free; atomic */
	uint32_t next_free;
	struct shm_buf buf; /* atomically read, written before id */
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
/* Removes @id, copying what it named to *@out if not NULL. -ENOENT if @id
 * is not live (stale, freed twice, or never issued). */
int shm_ids_remove(struct shm_ids *t, uint32_t id, struct shm_buf *out);
/* Copies the buffer @id names. -ENOENT if @id is not live. */
int shm_ids_lookup(struct shm_ids *t, uint32_t id, struct shm_buf *out);
/*
 * Looks @id up and checks that the window [@offset, @offset + @len) lies
 * inside it, with no overflow whatever the inputs. Returns 0, -ENOENT for a
 * stale or foreign id, -ERANGE for a window outside the buffer.
 */
int shm_ids_check(struct shm_ids *t, uint32_t id, uint64_t offset, uint64_t len,
		  struct shm_buf *out);

uint32_t shm_ids_live(struct shm_ids *t);

/* Overflow-safe: is [off, off + len) inside [0, size)? */
static inline int shm_window_ok(uint64_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

#endif /* TEEQ_SHM_IDS_H */
