// SPDX-License-Identifier: MIT
/*
 * The share rules of persistent objects, every pair of handles: with a
 * handle open, a second one opens only if its access is allowed by the
 * first's share flags and its share flags allow the first's access, and a
 * handle with WRITE_META (may rename and delete) is the only one either
 * way; refused opens are ACCESS_CONFLICT and change nothing (the counts
 * come back: after closing, anything opens). Creating over an object with
 * a handle open is ACCESS_CONFLICT even with OVERWRITE; without OVERWRITE
 * over any existing object too. Handles without access opening and locking
 * are allowed. A write through one of two shared handles is seen through
 * the other at once.
 */
#include "tests/secure/storage_fixture.h"

static struct core_fixture fx;

#define R STORAGE_ACCESS_READ
#define W STORAGE_ACCESS_WRITE
#define M STORAGE_ACCESS_WRITE_META
#define SR STORAGE_SHARE_READ
#define SW STORAGE_SHARE_WRITE

/* What GP's rules say for @second opened while @first is open. */
static int allowed(uint32_t first, uint32_t second)
{
	if ((first | second) & M)
		return 0;
	if ((second & R) && !(first & SR))
		return 0;
	if ((second & W) && !(first & SW))
		return 0;
	if ((first & R) && !(second & SR))
		return 0;
	if ((first & W) && !(second & SW))
		return 0;
	return 1;
}

int main(void)
{
	static const uint32_t flags[] = { 0,
					  R,
					  W,
					  R | W,
					  M,
					  SR,
					  SW,
					  SR | SW,
					  R | SR,
					  R | SW,
					  R | SR | SW,
					  W | SR,
					  W | SW,
					  W | SR | SW,
					  R | W | SR | SW,
					  M | R | W | SR | SW };
	const size_t nf = sizeof(flags) / sizeof(flags[0]);
	struct storage_obj *a, *b;
	char buf[16];
	size_t i, j, n, yes = 0, no = 0;

	core_init(&fx, 4096);
	CHECK_EQ(core_put(&core_ns, "obj", "0123456789", 10), TEEQ_SUCCESS);
	for (i = 0; i < nf; i++) {
		for (j = 0; j < nf; j++) {
			uint32_t res;

			CHECK_EQ(storage_open(&core_ns, "obj", 3, flags[i], &a),
				 TEEQ_SUCCESS);
			res = storage_open(&core_ns, "obj", 3, flags[j], &b);
			if (allowed(flags[i], flags[j])) {
				CHECK_EQ(res, TEEQ_SUCCESS);
				storage_close(b);
				yes++;
			} else {
				CHECK_EQ(res, TEEQ_ERROR_ACCESS_CONFLICT);
				no++;
			}
			/* creating over an open object: never */
			CHECK_EQ(storage_create(&core_ns, "obj", 3,
						W | STORAGE_OVERWRITE, NULL, 0,
						"x", 1, NULL),
				 TEEQ_ERROR_ACCESS_CONFLICT);
			storage_close(a);
		}
	}
	CHECK(yes > 0 && no > 0);
	/* all closed: the most exclusive open works */
	CHECK_EQ(storage_open(&core_ns, "obj", 3, M | R | W, &a), TEEQ_SUCCESS);
	storage_close(a);
	/* without OVERWRITE an existing object is not replaced */
	CHECK_EQ(storage_create(&core_ns, "obj", 3, W, NULL, 0, "x", 1, NULL),
		 TEEQ_ERROR_ACCESS_CONFLICT);
	CHECK_EQ(core_get(&core_ns, "obj", buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, 10);

	/* two shared handles: one writes, the other sees it */
	CHECK_EQ(storage_open(&core_ns, "obj", 3, R | W | SR | SW, &a),
		 TEEQ_SUCCESS);
	CHECK_EQ(storage_open(&core_ns, "obj", 3, R | SR | SW, &b),
		 TEEQ_SUCCESS);
	CHECK_EQ(storage_write(a, "ab", 2), TEEQ_SUCCESS);
	CHECK_EQ(storage_read(b, buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, 10);
	CHECK_MEM(buf, "ab23456789", 10);
	/* a read-only handle cannot write, a write-only one cannot read */
	CHECK_EQ(storage_write(b, "x", 1), TEEQ_ERROR_ACCESS_DENIED);
	storage_close(b);
	CHECK_EQ(storage_open(&core_ns, "obj", 3, W | SR | SW, &b),
		 TEEQ_SUCCESS);
	CHECK_EQ(storage_read(b, buf, 1, &n), TEEQ_ERROR_ACCESS_DENIED);
	CHECK_EQ(storage_rename(b, "new", 3), TEEQ_ERROR_ACCESS_DENIED);
	CHECK_EQ(storage_delete(b), TEEQ_ERROR_ACCESS_DENIED);
	storage_close(b);
	storage_close(a);
	printf("%zu pairs allowed, %zu refused\n", yes, no);
	core_fini(&fx);
	return T_PASS;
}
