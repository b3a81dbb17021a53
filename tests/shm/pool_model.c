// SPDX-License-Identifier: MIT
/*
 * Long random alloc/free sequences checked against a simple model: every
 * live block lies inside the heap, is aligned as asked, overlaps no other
 * live block and has at least the size asked; the allocator's accounting
 * matches the model; a refusal (-ENOMEM) happens only when the model has
 * no free block that fits: no naturally aligned run of the size and
 * alignment asked for, inside the heap, that no live block touches; and
 * freeing everything merges back to the initial free blocks.
 */
#include "shm/pool.h"
#include "tests/check.h"

#include <errno.h>

#define MAX_LIVE 4096

struct live {
	uint64_t off, size, block;
};

static struct live live[MAX_LIVE];
static unsigned int nlive;
static unsigned char *owner; /* per 64-byte block: 1 if in a live block */

/*
 * The model's free blocks. A block of order k (64 << k bytes, naturally
 * aligned, inside the heap) is free when no live block touches it. Live
 * blocks are naturally aligned too, so one either lies inside a block of
 * order k or covers it whole: used[k][i] counts the 64-byte units of live
 * blocks of order <= k inside block i, and a block covered by a larger
 * live block is not free either. nfree[k] counts the free ones, kept up
 * to date at each allocation and free, so that a refusal is checked
 * against it in constant time.
 */
#define MAX_ORDER 24
static uint32_t *used[MAX_ORDER + 1];
static uint64_t nfree[MAX_ORDER + 1], nunits;

static unsigned int order_of(uint64_t bytes)
{
	unsigned int k = 0;

	while ((64ull << k) < bytes)
		k++;
	return k;
}

static void model_init(uint64_t heap)
{
	unsigned int k;

	nunits = heap / 64;
	for (k = 0; k <= MAX_ORDER; k++) {
		nfree[k] = nunits >> k;
		used[k] = calloc((nunits >> k) + 1, sizeof(*used[k]));
		CHECK(used[k]);
	}
}

static void model_fini(void)
{
	unsigned int k;

	for (k = 0; k <= MAX_ORDER; k++)
		free(used[k]);
}

/* A block of @units 64-byte units at unit @at goes live (@sign 1) or is
 * freed (@sign -1). */
static void model_update(uint64_t at, uint64_t units, int sign)
{
	unsigned int j = order_of(units * 64), k;

	for (k = 0; k <= MAX_ORDER; k++) {
		uint64_t i = at >> k;

		if (k < j) {
			/* the blocks of order k it covers: all free before an
			 * allocation, all free again after a free */
			if (sign > 0)
				nfree[k] -= units >> k;
			else
				nfree[k] += units >> k;
			continue;
		}
		if (i >= (nunits >> k))
			continue; /* no such block: past the heap's end */
		if (sign > 0) {
			if (!used[k][i])
				nfree[k]--;
			used[k][i] += (uint32_t)units;
		} else {
			used[k][i] -= (uint32_t)units;
			if (!used[k][i])
				nfree[k]++;
		}
	}
}

static void run(uint64_t heap, uint64_t ops, uint64_t seed)
{
	struct shm_pool pool;
	struct shm_pool_stats st, st0;
	uint64_t rng = seed, i, in_use = 0, refused = 0;

	CHECK_EQ(shm_pool_init(&pool, heap), 0);
	shm_pool_stats(&pool, &st0);
	CHECK_EQ(st0.size, heap & ~63ull);
	owner = calloc(heap / 64 + 1, 1);
	CHECK(owner);
	nlive = 0;
	model_init(heap);

	for (i = 0; i < ops; i++) {
		uint64_t r = test_rand(&rng);
		int do_alloc =
			nlive == 0 ||
			(nlive < MAX_LIVE && (r & 3) != 0 && (r & 3) != 1) ||
			(nlive < MAX_LIVE && (r & 7) == 1);

		if (do_alloc) {
			/* sizes from 1 byte to heap/8, log-uniform */
			uint64_t size = 1 + (test_rand(&rng) %
					     (1ull << (test_rand(&rng) % 20)));
			uint64_t align = (r >> 8) % 5 == 0 ? 4096 :
					 (r >> 8) % 5 == 1 ? 256 :
							     0;
			uint64_t off = 0, block, b;
			int ret;

			if (size > heap / 8)
				size = heap / 8;
			ret = shm_pool_alloc(&pool, size, align, &off);
			if (ret) {
				unsigned int k =
					order_of(size > align ? size : align);

				CHECK_EQ(ret, -ENOMEM);
				/* a refusal with room left is a wrong answer */
				if (nfree[k])
					fprintf(stderr,
						"refused %" PRIu64 " bytes "
						"(align %" PRIu64
						") with %" PRIu64
						" free blocks of %" PRIu64
						" bytes\n",
						size, align, nfree[k],
						(uint64_t)64 << k);
				CHECK_EQ(nfree[k], 0);
				refused++;
				continue;
			}
			block = shm_pool_block_size(&pool, off);
			CHECK(block >= size && block >= 64);
			CHECK_EQ(block & (block - 1), 0);
			CHECK_EQ(off % 64, 0);
			CHECK_EQ(off % block, 0); /* naturally aligned */
			if (align)
				CHECK_EQ(off % align, 0);
			CHECK(off + block <= heap);
			for (b = off / 64; b < (off + block) / 64; b++) {
				CHECK_EQ(owner[b], 0);
				owner[b] = 1;
			}
			live[nlive++] = (struct live){ off, size, block };
			model_update(off / 64, block / 64, 1);
			in_use += block;
		} else {
			unsigned int k =
				(unsigned int)(test_rand(&rng) % nlive);
			uint64_t b;

			CHECK_EQ(shm_pool_free(&pool, live[k].off), 0);
			for (b = live[k].off / 64;
			     b < (live[k].off + live[k].block) / 64; b++)
				owner[b] = 0;
			model_update(live[k].off / 64, live[k].block / 64, -1);
			in_use -= live[k].block;
			live[k] = live[--nlive];
		}
		if (i % 1024 == 0) {
			shm_pool_stats(&pool, &st);
			CHECK_EQ(st.in_use, in_use);
			CHECK_EQ(st.allocs, nlive);
		}
	}
	shm_pool_stats(&pool, &st);
	CHECK_EQ(st.in_use, in_use);
	CHECK_EQ(st.failures, refused);
	while (nlive) {
		nlive--;
		CHECK_EQ(shm_pool_free(&pool, live[nlive].off), 0);
		model_update(live[nlive].off / 64, live[nlive].block / 64, -1);
	}
	shm_pool_stats(&pool, &st);
	CHECK_EQ(st.in_use, 0);
	CHECK_EQ(st.allocs, 0);
	/* everything merged back */
	CHECK_EQ(st.largest_free, st0.largest_free);
	fprintf(stderr,
		"heap %" PRIu64 ": %" PRIu64 " ops, %" PRIu64
		" refused for space\n",
		heap, ops, refused);
	/* everything free again, in the model too */
	CHECK_EQ(nfree[0], nunits);
	shm_pool_destroy(&pool);
	model_fini();
	free(owner);
}

int main(void)
{
	uint64_t ops = test_scaled(2000000);

	run(1 << 24, ops, 1); /* power of two */
	run((1 << 24) + (1 << 20) + 4096 + 192, ops / 4, 2); /* ragged end */
	run(1 << 16, ops / 4, 3); /* small: exhaustion is frequent */
	return T_PASS;
}
