// SPDX-License-Identifier: MIT
/*
 * Buffer ids: issued ids resolve to their buffer; stale ids (freed, or
 * freed and the slot reused), double removes, foreign and zero ids are
 * -ENOENT; windows are checked with overflow-safe arithmetic (-ERANGE);
 * a full table is -ENOSPC; ids never collide with the fixed wire ids.
 */
#include "shm/ids.h"
#include "tests/check.h"
#include "uapi/teeq_ring.h"

#include <errno.h>

int main(void)
{
	struct shm_ids t;
	struct shm_buf buf = { .offset = 4096,
			       .size = 1000,
			       .kind = 1,
			       .cookie = 77 },
		       out;
	int64_t id, id2, ids[15];
	uint32_t stale;
	int i;

	CHECK_EQ(shm_ids_init(&t, 1), -EINVAL);
	CHECK_EQ(shm_ids_init(&t, SHM_IDS_MAX + 1), -EINVAL);
	CHECK_EQ(shm_ids_init(&t, 16), 0);

	id = shm_ids_add(&t, &buf);
	CHECK(id > 0);
	CHECK(id >= 65536); /* never TEEQ_BUF_ID_NULL or _HEAP */
	CHECK(id != TEEQ_BUF_ID_HEAP);
	CHECK_EQ(shm_ids_lookup(&t, (uint32_t)id, &out), 0);
	CHECK_MEM(&out, &buf, sizeof(buf));

	/* windows */
	CHECK_EQ(shm_ids_check(&t, (uint32_t)id, 0, 1000, &out), 0);
	CHECK_EQ(shm_ids_check(&t, (uint32_t)id, 1000, 0, &out), 0);
	CHECK_EQ(shm_ids_check(&t, (uint32_t)id, 999, 1, NULL), 0);
	CHECK_EQ(shm_ids_check(&t, (uint32_t)id, 999, 2, NULL), -ERANGE);
	CHECK_EQ(shm_ids_check(&t, (uint32_t)id, 1001, 0, NULL), -ERANGE);
	CHECK_EQ(shm_ids_check(&t, (uint32_t)id, UINT64_MAX, 2, NULL), -ERANGE);
	CHECK_EQ(shm_ids_check(&t, (uint32_t)id, 2, UINT64_MAX, NULL), -ERANGE);
	CHECK_EQ(shm_ids_check(&t, (uint32_t)id, UINT64_MAX - 10, 20, NULL),
		 -ERANGE);

	/* foreign ids: zero, slot 0, past the table, wrong generation */
	CHECK_EQ(shm_ids_lookup(&t, 0, &out), -ENOENT);
	CHECK_EQ(shm_ids_lookup(&t, TEEQ_BUF_ID_HEAP, &out), -ENOENT);
	CHECK_EQ(shm_ids_lookup(&t, (uint32_t)id & 0xffff0000u, &out), -ENOENT);
	CHECK_EQ(shm_ids_lookup(&t, ((uint32_t)id & 0xffff0000u) | 500, &out),
		 -ENOENT);
	CHECK_EQ(shm_ids_lookup(&t, (uint32_t)id + 0x10000u, &out), -ENOENT);
	CHECK_EQ(shm_ids_check(&t, (uint32_t)id ^ 0x30000u, 0, 1, NULL),
		 -ENOENT);

	/* remove: stale afterwards, and a second remove is refused */
	stale = (uint32_t)id;
	CHECK_EQ(shm_ids_remove(&t, stale, &out), 0);
	CHECK_EQ(out.cookie, 77);
	CHECK_EQ(shm_ids_lookup(&t, stale, &out), -ENOENT);
	CHECK_EQ(shm_ids_remove(&t, stale, NULL), -ENOENT);

	/* fill the table: 15 usable slots, then -ENOSPC */
	for (i = 0; i < 15; i++) {
		buf.cookie = (uint64_t)i;
		ids[i] = shm_ids_add(&t, &buf);
		CHECK(ids[i] > 0);
		CHECK(ids[i] != stale); /* a reused slot has a new generation */
	}
	CHECK_EQ(shm_ids_add(&t, &buf), -ENOSPC);
	CHECK_EQ(shm_ids_live(&t), 15);
	CHECK_EQ(shm_ids_lookup(&t, stale, &out), -ENOENT);
	for (i = 0; i < 15; i++) {
		CHECK_EQ(shm_ids_lookup(&t, (uint32_t)ids[i], &out), 0);
		CHECK_EQ(out.cookie, (uint64_t)i);
	}

	/* freed slots are reused oldest-first, with a new generation */
	CHECK_EQ(shm_ids_remove(&t, (uint32_t)ids[3], NULL), 0);
	CHECK_EQ(shm_ids_remove(&t, (uint32_t)ids[9], NULL), 0);
	id2 = shm_ids_add(&t, &buf);
	CHECK_EQ(id2 & 0xffff, ids[3] & 0xffff);
	CHECK(id2 != ids[3]);
	CHECK_EQ(shm_ids_lookup(&t, (uint32_t)ids[3], &out), -ENOENT);

	/* references: a removal while in use defers the release to the last
	 * put, and the slot is not reused before that */
	{
		struct shm_buf got;
		int64_t held = shm_ids_add(&t, &buf), next;

		CHECK(held > 0);
		CHECK_EQ(shm_ids_get(&t, (uint32_t)held, &got), 0);
		CHECK_EQ(shm_ids_get(&t, (uint32_t)held, &got), 0);
		CHECK_EQ(shm_ids_put(&t, (uint32_t)held), 0); /* not removed */
		CHECK_EQ(shm_ids_remove(&t, (uint32_t)held, NULL), 1);
		CHECK_EQ(shm_ids_get(&t, (uint32_t)held, &got), -ENOENT);
		CHECK_EQ(shm_ids_lookup(&t, (uint32_t)held, &got), -ENOENT);
		CHECK_EQ(shm_ids_remove(&t, (uint32_t)held, NULL), -ENOENT);
		/* the table is full but for this slot, still referenced */
		CHECK_EQ(shm_ids_add(&t, &buf), -ENOSPC);
		CHECK_EQ(shm_ids_put(&t, (uint32_t)held), 1); /* release now */
		next = shm_ids_add(&t, &buf);
		CHECK_EQ(next & 0xffff, held & 0xffff);
		CHECK(next != held);
		CHECK_EQ(shm_ids_get(&t, 0, &got), -ENOENT);
		CHECK_EQ(shm_ids_remove(&t, (uint32_t)next, NULL), 0);
	}

	/* generations wrap without ever reaching 0 or repeating at once */
	for (i = 0; i < 70000; i++) {
		int64_t n = shm_ids_add(&t, &buf);

		CHECK(n >= 65536);
		CHECK_EQ(shm_ids_remove(&t, (uint32_t)n, NULL), 0);
	}
	shm_ids_destroy(&t);
	return T_PASS;
}
