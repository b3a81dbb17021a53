// SPDX-License-Identifier: MIT
/* Lock-free lookups and references race with adds and removes: a lookup
 * either fails with -ENOENT or returns exactly the buffer its id was issued
 * for (each buffer encodes its id), never a mix of two; and every removed
 * buffer is released exactly once, by the remover or by the last put. */
#include "shm/ids.h"
#include "tests/check.h"

#include <errno.h>
#include <pthread.h>

static struct shm_ids table;
static uint32_t published[64]; /* ids recently issued, racy on purpose */
static uint64_t iters;
static int done;
static uint64_t removes, releases; /* releases: atomic */

static void *writer(void *arg)
{
	uint64_t rng = 99, i;
	int64_t mine[8] = { 0 };

	(void)arg;
	for (i = 0; i < iters; i++) {
		unsigned int k = (unsigned int)(test_rand(&rng) % 8);

		if (mine[k]) {
			int ret =
				shm_ids_remove(&table, (uint32_t)mine[k], NULL);

			CHECK(ret == 0 || ret == 1);
			removes++;
			if (ret == 0)
				__atomic_add_fetch(&releases, 1,
						   __ATOMIC_RELAXED);
		}
		mine[k] = shm_ids_add(&table,
				      &(struct shm_buf){ .offset = i,
							 .size = i * 3 + 1,
							 .kind = 2,
							 .cookie = i * 7 });
		CHECK(mine[k] > 0);
		__atomic_store_n(&published[i % 64], (uint32_t)mine[k],
				 __ATOMIC_RELAXED);
	}
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	return NULL;
}

int main(void)
{
	uint64_t hits = 0, misses = 0, i = 0;
	struct shm_buf out;
	pthread_t t;

	iters = test_scaled(2000000);
	CHECK_EQ(shm_ids_init(&table, 16), 0);
	CHECK_EQ(pthread_create(&t, NULL, writer, NULL), 0);
	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
		uint32_t id =
			__atomic_load_n(&published[i++ % 64], __ATOMIC_RELAXED);
		int ret = (i & 1) ? shm_ids_lookup(&table, id, &out) :
				    shm_ids_get(&table, id, &out);

		if (ret == 0 && !(i & 1) && shm_ids_put(&table, id) == 1)
			__atomic_add_fetch(&releases, 1, __ATOMIC_RELAXED);
		if (ret == 0) {
			hits++;
			CHECK_EQ(out.size, out.offset * 3 + 1);
			CHECK_EQ(out.cookie, out.offset * 7);
			CHECK_EQ(out.kind, 2);
		} else {
			CHECK_EQ(ret, -ENOENT);
			misses++;
		}
	}
	CHECK_EQ(pthread_join(t, NULL), 0);
	fprintf(stderr, "%" PRIu64 " hits, %" PRIu64 " misses\n", hits, misses);
	CHECK(hits > 0);
	CHECK_EQ(removes, __atomic_load_n(&releases, __ATOMIC_RELAXED));
	CHECK_EQ(shm_ids_live(&table), 8);
	shm_ids_destroy(&table);
	return T_PASS;
}
