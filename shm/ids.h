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

#include <errno.h>
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

/* ---- the hot path, inline: one atomic operation each way ---------------- */

#define SHM_IDS_SLOT(id) ((id)&0xffffu)
#define SHM_IDS_STATE_ID(state) ((uint32_t)((state) >> 32))
#define SHM_IDS_STATE_REFS(state) ((uint32_t)(state))

/* Acquire loads: a later re-check of the slot's state cannot be reordered
 * before them (free on x86, and no fence, which ThreadSanitizer could not
 * follow). */
static inline void shm_ids_buf_load(struct shm_buf *dst,
				    const struct shm_buf *src)
{
	dst->offset = __atomic_load_n(&src->offset, __ATOMIC_ACQUIRE);
	dst->size = __atomic_load_n(&src->size, __ATOMIC_ACQUIRE);
	dst->kind = __atomic_load_n(&src->kind, __ATOMIC_ACQUIRE);
	dst->flags = __atomic_load_n(&src->flags, __ATOMIC_ACQUIRE);
	dst->cookie = __atomic_load_n(&src->cookie, __ATOMIC_ACQUIRE);
}

/* The slot of a live-looking @id, or NULL. */
static inline struct shm_id_slot *shm_ids_slot(struct shm_ids *t, uint32_t id)
{
	uint32_t idx = SHM_IDS_SLOT(id);

	/* idx 0 also catches id 0 */
	if (idx == 0 || idx >= t->cap)
		return NULL;
	return &t->slots[idx];
}

/* Like lookup, and takes a reference that keeps the slot (and whatever the
 * caller releases on removal) alive until shm_ids_put(). */
static inline int shm_ids_get(struct shm_ids *t, uint32_t id,
			      struct shm_buf *out)
{
	struct shm_id_slot *slot = shm_ids_slot(t, id);
	uint64_t state;

	if (!slot)
		return -ENOENT;
	state = __atomic_load_n(&slot->state, __ATOMIC_ACQUIRE);
	do {
		if (SHM_IDS_STATE_ID(state) != id ||
		    SHM_IDS_STATE_REFS(state) == UINT32_MAX)
			return -ENOENT;
		/* acquire: the fields below are loaded after our reference
		 * pinned the slot to this id */
	} while (!__atomic_compare_exchange_n(&slot->state, &state, state + 1,
					      0, __ATOMIC_ACQUIRE,
					      __ATOMIC_ACQUIRE));
	shm_ids_buf_load(out, &slot->buf);
	return 0;
}

/*
 * The cookie last stored in @id's slot, whether or not @id is live (0 if
 * the slot was never used): one load. Only for tables whose cookies name
 * objects that are never freed while the table lives and that carry their
 * own id, checked by the caller (as teeq-sw's sessions do).
 */
static inline uint64_t shm_ids_peek_cookie(struct shm_ids *t, uint32_t id)
{
	uint32_t idx = SHM_IDS_SLOT(id);

	/* slot 0 is never used: its cookie stays 0, no need to test for it;
	 * acquire: what the cookie points to was written before it */
	return idx < t->cap ? __atomic_load_n(&t->slots[idx].buf.cookie,
					      __ATOMIC_ACQUIRE) :
			      0;
}

void shm_ids_put_last(struct shm_ids *t, uint32_t id);

/* Drops a reference from shm_ids_get(). Returns 1 when it was the last one
 * of an id removed meanwhile: the caller releases what it named. */
static inline int shm_ids_put(struct shm_ids *t, uint32_t id)
{
	struct shm_id_slot *slot = shm_ids_slot(t, id);

	if (!slot)
		return 0;
	/* release: our uses of the buffer complete before the reference is
	 * seen gone */
	if (__atomic_sub_fetch(&slot->state, 1, __ATOMIC_ACQ_REL) != 0)
		return 0;
	/* the id was removed and we were its last user */
	shm_ids_put_last(t, id);
	return 1;
}

/* Overflow-safe: is [off, off + len) inside [0, size)? */
static inline int shm_window_ok(uint64_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

#endif /* TEEQ_SHM_IDS_H */
