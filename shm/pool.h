/* SPDX-License-Identifier: MIT */
/*
 * The shared-memory pool allocator: a binary buddy allocator over one heap,
 * by offset. Blocks are 64 bytes and up, each naturally aligned to its size,
 * so a block of a page or more is page aligned; internal fragmentation is
 * below half a block and free neighbours always merge.
 *
 * All metadata is private to the owner (free bitmaps per order and one byte
 * per 64-byte block), never in the shared heap, so a hostile peer writing
 * into the heap cannot corrupt the allocator. Thread-safe; a mutex guards
 * the bitmaps, with no system call unless it is contended.
 */
#ifndef TEEQ_SHM_POOL_H
#define TEEQ_SHM_POOL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define SHM_POOL_MIN_SHIFT 6 /* 64-byte blocks */
#define SHM_POOL_MIN_BLOCK (1u << SHM_POOL_MIN_SHIFT)
#define SHM_POOL_MAX_ORDERS 32

struct shm_pool_stats {
	uint64_t size; /* managed bytes */
	uint64_t in_use; /* bytes in allocated blocks (rounded up) */
	uint64_t allocs; /* live allocations */
	uint64_t largest_free; /* largest block that could be allocated */
	uint64_t failures; /* allocations refused for lack of space */
};

struct shm_pool {
	pthread_mutex_t lock;
	uint64_t size;
	uint32_t nblocks; /* 64-byte blocks managed */
	uint32_t max_order;
	uint64_t *free_bits[SHM_POOL_MAX_ORDERS]; /* bit i: block i free */
	uint32_t free_count[SHM_POOL_MAX_ORDERS];
	uint32_t scan_from[SHM_POOL_MAX_ORDERS]; /* no free bit below */
	uint8_t *alloc_order; /* per block: 1 + order if a block starts */
	uint64_t in_use;
	uint64_t allocs;
	uint64_t failures;
};

/* Manage @size bytes (rounded down to 64). Returns 0 or -errno. */
int shm_pool_init(struct shm_pool *pool, uint64_t size);
void shm_pool_destroy(struct shm_pool *pool);

/*
 * Allocate @size bytes aligned to @align (0 or a power of two; 64 is always
 * honoured, SHM_POOL_PAGE for page alignment). Stores the offset in *@off.
 * Returns 0, -EINVAL for a zero size or bad alignment, -E2BIG if the
 * request could never fit, -ENOMEM when the pool is exhausted now.
 */
int shm_pool_alloc(struct shm_pool *pool, uint64_t size, uint64_t align,
		   uint64_t *off);
/* Free the block at @off. -EINVAL if no allocation starts there (a double
 * free, or an offset that was never returned). */
int shm_pool_free(struct shm_pool *pool, uint64_t off);
/* Usable size of the block at @off (>= what was asked), or 0. */
uint64_t shm_pool_block_size(struct shm_pool *pool, uint64_t off);
void shm_pool_stats(struct shm_pool *pool, struct shm_pool_stats *st);

#define SHM_POOL_PAGE 4096u

#endif /* TEEQ_SHM_POOL_H */
