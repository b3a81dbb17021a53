// SPDX-License-Identifier: MIT
/*
 * Clear errors from the pool: zero size and bad alignment are -EINVAL,
 * requests that can never fit are -E2BIG, an exhausted pool is -ENOMEM and
 * recovers after a free, double frees and offsets that were never handed
 * out are -EINVAL and change nothing; page alignment is honoured.
 */
#include "shm/pool.h"
#include "tests/check.h"

#include <errno.h>

int main(void)
{
	struct shm_pool pool;
	struct shm_pool_stats st;
	uint64_t off[64], o, o2;
	int i;

	CHECK_EQ(shm_pool_init(&pool, 0), -EINVAL);
	CHECK_EQ(shm_pool_init(&pool, 63), -EINVAL);
	CHECK_EQ(shm_pool_init(&pool, 1 << 16), 0);

	CHECK_EQ(shm_pool_alloc(&pool, 0, 0, &o), -EINVAL);
	CHECK_EQ(shm_pool_alloc(&pool, 64, 3, &o), -EINVAL);
	CHECK_EQ(shm_pool_alloc(&pool, (1 << 16) + 1, 0, &o), -E2BIG);
	CHECK_EQ(shm_pool_alloc(&pool, UINT64_MAX, 0, &o), -E2BIG);
	CHECK_EQ(shm_pool_alloc(&pool, 64, 1 << 20, &o), -E2BIG);

	/* exhaust with 1 KiB blocks */
	for (i = 0; i < 64; i++)
		CHECK_EQ(shm_pool_alloc(&pool, 1000, 0, &off[i]), 0);
	CHECK_EQ(shm_pool_alloc(&pool, 1, 0, &o), -ENOMEM);
	shm_pool_stats(&pool, &st);
	CHECK_EQ(st.in_use, 1 << 16);
	CHECK_EQ(st.largest_free, 0);
	CHECK_EQ(st.failures, 1);

	/* double free and foreign offsets */
	CHECK_EQ(shm_pool_free(&pool, off[5]), 0);
	CHECK_EQ(shm_pool_free(&pool, off[5]), -EINVAL);
	CHECK_EQ(shm_pool_free(&pool, off[6] + 64), -EINVAL); /* inside */
	CHECK_EQ(shm_pool_free(&pool, off[6] + 1), -EINVAL); /* misaligned */
	CHECK_EQ(shm_pool_free(&pool, 1 << 16), -EINVAL); /* past the end */
	CHECK_EQ(shm_pool_free(&pool, UINT64_MAX & ~63ull), -EINVAL);
	shm_pool_stats(&pool, &st);
	CHECK_EQ(st.in_use, (1 << 16) - 1024);
	CHECK_EQ(st.allocs, 63);

	/* recovers: the freed block is handed out again */
	CHECK_EQ(shm_pool_alloc(&pool, 1024, 0, &o), 0);
	CHECK_EQ(o, off[5]);
	CHECK_EQ(shm_pool_alloc(&pool, 1, 0, &o2), -ENOMEM);
	for (i = 0; i < 64; i++)
		CHECK_EQ(shm_pool_free(&pool, i == 5 ? o : off[i]), 0);

	/* page alignment on request, even for tiny sizes */
	CHECK_EQ(shm_pool_alloc(&pool, 64, 0, &o), 0);
	CHECK_EQ(shm_pool_alloc(&pool, 100, SHM_POOL_PAGE, &o2), 0);
	CHECK_EQ(o2 % 4096, 0);
	CHECK(shm_pool_block_size(&pool, o2) >= 4096);
	CHECK_EQ(shm_pool_block_size(&pool, o2 + 64), 0);
	CHECK_EQ(shm_pool_free(&pool, o2), 0);
	CHECK_EQ(shm_pool_free(&pool, o), 0);
	shm_pool_stats(&pool, &st);
	CHECK_EQ(st.in_use, 0);
	CHECK_EQ(st.largest_free, 1 << 16);
	shm_pool_destroy(&pool);
	return T_PASS;
}
