// SPDX-License-Identifier: MIT
#include "pool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Blocks of order k are indexed i = offset >> (6 + k); block i of order k
 * exists when its end, (i + 1) << k min blocks, lies inside the heap. */

static int shm_pool_test(const struct shm_pool *pool, uint32_t k, uint32_t i)
{
	return (pool->free_bits[k][i / 64] >> (i % 64)) & 1;
}

static void shm_pool_set(struct shm_pool *pool, uint32_t k, uint32_t i)
{
	pool->free_bits[k][i / 64] |= 1ull << (i % 64);
	pool->free_count[k]++;
	if (i / 64 < pool->scan_from[k])
		pool->scan_from[k] = i / 64;
}

static void shm_pool_clear(struct shm_pool *pool, uint32_t k, uint32_t i)
{
	pool->free_bits[k][i / 64] &= ~(1ull << (i % 64));
	pool->free_count[k]--;
}

static uint32_t shm_pool_blocks_at(const struct shm_pool *pool, uint32_t k)
{
	return pool->nblocks >> k;
}

/* Lowest free block of order k; the caller checked free_count[k] > 0. */
static uint32_t shm_pool_find(struct shm_pool *pool, uint32_t k)
{
	uint32_t words = (shm_pool_blocks_at(pool, k) + 63) / 64;
	uint32_t w;

	for (w = pool->scan_from[k]; w < words; w++) {
		if (pool->free_bits[k][w]) {
			pool->scan_from[k] = w;
			return w * 64 +
			       (uint32_t)__builtin_ctzll(pool->free_bits[k][w]);
		}
	}
	abort(); /* free_count and the bitmap disagree: a bug here */
}

int shm_pool_init(struct shm_pool *pool, uint64_t size)
{
	uint64_t nblocks = size >> SHM_POOL_MIN_SHIFT;
	uint32_t k, pos;

	memset(pool, 0, sizeof(*pool));
	if (nblocks == 0 || nblocks > UINT32_MAX / 2)
		return -EINVAL;
	pool->nblocks = (uint32_t)nblocks;
	pool->size = nblocks << SHM_POOL_MIN_SHIFT;
	pool->max_order = 63 - (uint32_t)__builtin_clzll(nblocks);
	for (k = 0; k <= pool->max_order; k++) {
		size_t words = (shm_pool_blocks_at(pool, k) + 63) / 64;

		pool->free_bits[k] = calloc(words, sizeof(uint64_t));
		if (!pool->free_bits[k])
			goto fail;
	}
	pool->alloc_order = calloc(nblocks, 1);
	if (!pool->alloc_order)
		goto fail;
	if (pthread_mutex_init(&pool->lock, NULL))
		goto fail;

	/* Seed with the largest aligned blocks that fit, lowest first. */
	for (pos = 0; pos < pool->nblocks;) {
		k = pos ? (uint32_t)__builtin_ctz(pos) : pool->max_order;
		if (k > pool->max_order)
			k = pool->max_order;
		while ((uint64_t)pos + (1ull << k) > pool->nblocks)
			k--;
		shm_pool_set(pool, k, pos >> k);
		pos += 1u << k;
	}
	return 0;
fail:
	shm_pool_destroy(pool);
	return -ENOMEM;
}

void shm_pool_destroy(struct shm_pool *pool)
{
	uint32_t k;

	for (k = 0; k < SHM_POOL_MAX_ORDERS; k++)
		free(pool->free_bits[k]);
	free(pool->alloc_order);
	if (pool->nblocks)
		pthread_mutex_destroy(&pool->lock);
	memset(pool, 0, sizeof(*pool));
}

static uint32_t shm_pool_order_for(uint64_t bytes)
{
	uint64_t blocks = (bytes + SHM_POOL_MIN_BLOCK - 1) >>
			  SHM_POOL_MIN_SHIFT;

	return blocks <= 1 ? 0 : 64 - (uint32_t)__builtin_clzll(blocks - 1);
}

int shm_pool_alloc(struct shm_pool *pool, uint64_t size, uint64_t align,
		   uint64_t *off)
{
	uint32_t k, j, i;

	if (size == 0 || (align & (align - 1)))
		return -EINVAL;
	if (size > pool->size || align > pool->size)
		return -E2BIG;
	k = shm_pool_order_for(size);
	if (align > SHM_POOL_MIN_BLOCK && shm_pool_order_for(align) > k)
		k = shm_pool_order_for(align);
	if (k > pool->max_order)
		return -E2BIG;

	pthread_mutex_lock(&pool->lock);
	for (j = k; j <= pool->max_order && !pool->free_count[j]; j++)
		;
	if (j > pool->max_order) {
		pool->failures++;
		pthread_mutex_unlock(&pool->lock);
		return -ENOMEM;
	}
	i = shm_pool_find(pool, j);
	shm_pool_clear(pool, j, i);
	/* split: keep the lower half, free the upper half, down to order k */
	while (j > k) {
		j--;
		i <<= 1;
		shm_pool_set(pool, j, i + 1);
	}
	pool->alloc_order[i << k] = (uint8_t)(k + 1);
	pool->in_use += (uint64_t)SHM_POOL_MIN_BLOCK << k;
	pool->allocs++;
	pthread_mutex_unlock(&pool->lock);
	*off = (uint64_t)(i << k) << SHM_POOL_MIN_SHIFT;
	return 0;
}

int shm_pool_free(struct shm_pool *pool, uint64_t off)
{
	uint32_t blk, k, i, buddy;

	if (off & (SHM_POOL_MIN_BLOCK - 1) || off >= pool->size)
		return -EINVAL;
	blk = (uint32_t)(off >> SHM_POOL_MIN_SHIFT);

	pthread_mutex_lock(&pool->lock);
	if (!pool->alloc_order[blk]) {
		pthread_mutex_unlock(&pool->lock);
		return -EINVAL;
	}
	k = pool->alloc_order[blk] - 1u;
	pool->alloc_order[blk] = 0;
	pool->in_use -= (uint64_t)SHM_POOL_MIN_BLOCK << k;
	pool->allocs--;
	i = blk >> k;
	/* merge with the buddy while it is free and exists */
	while (k < pool->max_order) {
		buddy = i ^ 1;
		if (buddy >= shm_pool_blocks_at(pool, k) ||
		    !shm_pool_test(pool, k, buddy))
			break;
		shm_pool_clear(pool, k, buddy);
		i >>= 1;
		k++;
	}
	shm_pool_set(pool, k, i);
	pthread_mutex_unlock(&pool->lock);
	return 0;
}

uint64_t shm_pool_block_size(struct shm_pool *pool, uint64_t off)
{
	uint64_t bytes = 0;
	uint8_t order;

	if (off & (SHM_POOL_MIN_BLOCK - 1) || off >= pool->size)
		return 0;
	pthread_mutex_lock(&pool->lock);
	order = pool->alloc_order[off >> SHM_POOL_MIN_SHIFT];
	if (order)
		bytes = (uint64_t)SHM_POOL_MIN_BLOCK << (order - 1);
	pthread_mutex_unlock(&pool->lock);
	return bytes;
}

void shm_pool_stats(struct shm_pool *pool, struct shm_pool_stats *st)
{
	uint32_t k;

	pthread_mutex_lock(&pool->lock);
	st->size = pool->size;
	st->in_use = pool->in_use;
	st->allocs = pool->allocs;
	st->failures = pool->failures;
	st->largest_free = 0;
	for (k = pool->max_order + 1; k-- > 0;) {
		if (pool->free_count[k]) {
			st->largest_free = (uint64_t)SHM_POOL_MIN_BLOCK << k;
			break;
		}
	}
	pthread_mutex_unlock(&pool->lock);
}
