// SPDX-License-Identifier: MIT
/*
 * Open handles after a change whose outcome the supplicant's death left
 * unknown: a write cut after the directory's commit reports
 * STORAGE_NOT_AVAILABLE but landed, and once a new supplicant is there
 * every handle of the object (the writer's and another's) reads the new
 * contents; one cut before the commit did not land, and they read the old
 * ones. A delete that landed though reported failed leaves its handle
 * reading ITEM_NOT_FOUND (and closable), while a new object of the same id
 * can be created.
 */
#include "tests/secure/storage_fixture.h"

static struct core_fixture fx;

#define RWS                                                                \
	(STORAGE_ACCESS_READ | STORAGE_ACCESS_WRITE | STORAGE_SHARE_READ | \
	 STORAGE_SHARE_WRITE)

static void reads(struct storage_obj *o, const char *want)
{
	char buf[64];
	size_t n;

	CHECK_EQ(storage_seek(o, 0, STORAGE_SEEK_SET, NULL), TEEQ_SUCCESS);
	CHECK_EQ(storage_read(o, buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, strlen(want));
	CHECK_MEM(buf, want, n);
}

/* A write through @w, cut at its 6th request (the directory's commit),
 * after or before the supplicant carried it out. */
static void cut_write(struct storage_obj *w, const char *data, int after)
{
	CHECK_EQ(storage_seek(w, 0, STORAGE_SEEK_SET, NULL), TEEQ_SUCCESS);
	fx.cut_at = fx.requests + 6;
	fx.cut_after = after;
	CHECK_EQ(storage_write(w, data, strlen(data)),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	core_attach(&fx);
}

int main(void)
{
	struct storage_obj *w, *r, *m;
	char buf[8];
	size_t n;

	core_init(&fx, 4096);
	CHECK_EQ(core_put(&core_ns, "a", "old", 3), TEEQ_SUCCESS);
	CHECK_EQ(core_put(&core_ns, "other", "o", 1), TEEQ_SUCCESS);
	CHECK_EQ(storage_open(&core_ns, "a", 1, RWS, &w), TEEQ_SUCCESS);
	CHECK_EQ(storage_open(&core_ns, "a", 1, RWS, &r), TEEQ_SUCCESS);

	/* landed: everyone sees it once the namespace is loaded again */
	cut_write(w, "new", 1);
	CHECK_EQ(core_get(&core_ns, "other", buf, sizeof(buf), &n),
		 TEEQ_SUCCESS);
	reads(w, "new");
	reads(r, "new");
	/* not landed: the old contents stay */
	cut_write(w, "xyz", 0);
	CHECK_EQ(core_get(&core_ns, "other", buf, sizeof(buf), &n),
		 TEEQ_SUCCESS);
	reads(w, "new");
	reads(r, "new");
	storage_close(r);
	storage_close(w);

	/* a delete that landed */
	CHECK_EQ(storage_open(&core_ns, "a", 1,
			      STORAGE_ACCESS_WRITE_META | STORAGE_ACCESS_READ,
			      &m),
		 TEEQ_SUCCESS);
	fx.cut_at = fx.requests + 3; /* the directory's CLOSE: no object */
	fx.cut_after = 1;
	CHECK_EQ(storage_delete(m), TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	core_attach(&fx);
	CHECK_EQ(core_get(&core_ns, "a", buf, sizeof(buf), &n),
		 TEEQ_ERROR_ITEM_NOT_FOUND);
	CHECK_EQ(storage_read(m, buf, sizeof(buf), &n),
		 TEEQ_ERROR_ITEM_NOT_FOUND);
	CHECK_EQ(storage_write(m, "x", 1), TEEQ_ERROR_ACCESS_DENIED);
	storage_close(m);
	CHECK_EQ(core_put(&core_ns, "a", "again", 5), TEEQ_SUCCESS);
	CHECK_EQ(core_get(&core_ns, "a", buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, 5);
	core_fini(&fx);
	return T_PASS;
}
