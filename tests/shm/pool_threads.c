// SPDX-License-Identifier: MIT
/* Four threads allocate, fill, check and free concurrently: no block is
 * ever handed to two threads (each block carries its owner's pattern and
 * is checked before it is freed), and the pool ends empty. */
#include "shm/pool.h"
#include "tests/check.h"

#include <pthread.h>

#define THREADS 4

static struct shm_pool pool;
static unsigned char *heap;
static uint64_t iters;

static void *worker(void *arg)
{
	uintptr_t me = (uintptr_t)arg;
	uint64_t rng = 1 + me, off[32], size[32], i, b;
	unsigned int n = 0;

	for (i = 0; i < iters; i++) {
		if (n < 32 && (n == 0 || test_rand(&rng) % 3)) {
			size[n] = 1 + test_rand(&rng) % 3000;
			if (shm_pool_alloc(&pool, size[n], 0, &off[n]))
				continue; /* momentarily full */
			memset(heap + off[n], (int)me, size[n]);
			n++;
		} else {
			unsigned int k = (unsigned int)(test_rand(&rng) % n);

			for (b = 0; b < size[k]; b++)
				CHECK_EQ(heap[off[k] + b], me);
			CHECK_EQ(shm_pool_free(&pool, off[k]), 0);
			off[k] = off[n - 1];
			size[k] = size[--n];
		}
	}
	while (n--)
		CHECK_EQ(shm_pool_free(&pool, off[n]), 0);
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	struct shm_pool_stats st;
	uintptr_t i;

	iters = test_scaled(400000);
	CHECK_EQ(shm_pool_init(&pool, 1 << 20), 0);
	heap = malloc(1 << 20);
	CHECK(heap);
	for (i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, worker, (void *)(i + 1)),
			 0);
	for (i = 0; i < THREADS; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	shm_pool_stats(&pool, &st);
	CHECK_EQ(st.in_use, 0);
	CHECK_EQ(st.allocs, 0);
	CHECK_EQ(st.largest_free, 1 << 20);
	shm_pool_destroy(&pool);
	free(heap);
	return T_PASS;
}
