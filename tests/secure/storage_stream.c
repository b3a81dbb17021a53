// SPDX-License-Identifier: MIT
/*
 * Data streams and the other object operations, as GP defines them:
 * reads advance the handle's own position and stop at the end; a write
 * past the end fills the gap with zeros; seek from the start, the
 * position or the end, clamped at 0 below and OVERFLOW past the largest
 * position (position unchanged); truncate shrinks or zero-extends and
 * leaves the position; writes past STORAGE_DATA_MAX are STORAGE_NO_SPACE
 * and past the largest position OVERFLOW, changing nothing. Metadata
 * comes back as created (SHORT_BUFFER with its size when the buffer is
 * small). Rename moves the object (the old id is then not found; an
 * existing id, its own included, is ACCESS_CONFLICT); delete removes it
 * and closes the handle. Enumeration lists every object once with its
 * sizes. Bad ids, flags and arguments are BAD_PARAMETERS; a missing object
 * ITEM_NOT_FOUND. After teeq-sw restarts, everything is as it was.
 */
#include "tests/secure/storage_fixture.h"

static struct core_fixture fx;

/* shared, so that expect() may open it too meanwhile */
#define RW                                                                 \
	(STORAGE_ACCESS_READ | STORAGE_ACCESS_WRITE | STORAGE_SHARE_READ | \
	 STORAGE_SHARE_WRITE)

static void expect(const char *id, const void *want, size_t len)
{
	char buf[256];
	size_t n;

	CHECK_EQ(core_get(&core_ns, id, buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, len);
	CHECK_MEM(buf, want, len);
}

int main(void)
{
	static const unsigned char gap[] = "ab\0\0\0cd";
	struct storage_obj *o, *o2;
	struct storage_info info;
	struct storage_enum *e;
	uint8_t id[STORAGE_ID_MAX + 1];
	char buf[64], meta[8];
	size_t n, len;
	uint64_t pos;
	int seen = 0;

	core_init(&fx, 4096);
	memset(id, 'i', sizeof(id));
	/* bad arguments */
	CHECK_EQ(storage_open(&core_ns, "", 0, STORAGE_ACCESS_READ, &o),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(storage_open(&core_ns, id, STORAGE_ID_MAX + 1,
			      STORAGE_ACCESS_READ, &o),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(storage_open(&core_ns, "x", 1, 0x8, &o),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(storage_open(&core_ns, "x", 1, STORAGE_OVERWRITE, &o),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(storage_create(&core_ns, "x", 1, 0, "m", STORAGE_META_MAX + 1,
				NULL, 0, NULL),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(storage_create(&core_ns, "x", 1, 0, NULL, 0, NULL, 5, NULL),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(storage_create(&core_ns, "x", 1, 0, NULL, 0, "d",
				STORAGE_DATA_MAX + 1, NULL),
		 TEEQ_ERROR_STORAGE_NO_SPACE);
	CHECK_EQ(storage_open(&core_ns, "x", 1, STORAGE_ACCESS_READ, &o),
		 TEEQ_ERROR_ITEM_NOT_FOUND);
	CHECK_EQ(storage_enum_start(&core_ns, &e), TEEQ_ERROR_ITEM_NOT_FOUND);
	/* the longest id works */
	CHECK_EQ(storage_create(&core_ns, id, STORAGE_ID_MAX, 0, NULL, 0, "L",
				1, NULL),
		 TEEQ_SUCCESS);

	/* reads and writes at the position */
	CHECK_EQ(storage_create(&core_ns, "s", 1, RW, "meta", 4, "ab", 2, &o),
		 TEEQ_SUCCESS);
	CHECK_EQ(storage_read(o, buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, 2);
	CHECK_EQ(storage_read(o, buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, 0);
	CHECK_EQ(storage_seek(o, 3, STORAGE_SEEK_CUR, &pos), TEEQ_SUCCESS);
	CHECK_EQ(pos, 5);
	CHECK_EQ(storage_write(o, "cd", 2), TEEQ_SUCCESS);
	CHECK_EQ(storage_info(o, &info), TEEQ_SUCCESS);
	CHECK_EQ(info.data_size, 7);
	CHECK_EQ(info.position, 7);
	CHECK_EQ(info.meta_size, 4);
	CHECK_EQ(info.flags, RW);
	CHECK_EQ(storage_seek(o, -100, STORAGE_SEEK_END, &pos), TEEQ_SUCCESS);
	CHECK_EQ(pos, 0);
	CHECK_EQ(storage_read(o, buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, 7);
	CHECK_MEM(buf, gap, 7);
	CHECK_EQ(storage_seek(o, -2, STORAGE_SEEK_END, &pos), TEEQ_SUCCESS);
	CHECK_EQ(pos, 5);
	CHECK_EQ(storage_seek(o, STORAGE_MAX_POSITION, STORAGE_SEEK_CUR, &pos),
		 TEEQ_ERROR_OVERFLOW);
	CHECK_EQ(storage_seek(o, INT64_MIN, STORAGE_SEEK_SET, &pos),
		 TEEQ_SUCCESS);
	CHECK_EQ(pos, 0);
	CHECK_EQ(storage_seek(o, 0, 3, &pos), TEEQ_ERROR_BAD_PARAMETERS);
	/* metadata */
	len = 2;
	CHECK_EQ(storage_meta(o, meta, &len), TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(len, 4);
	len = sizeof(meta);
	CHECK_EQ(storage_meta(o, meta, &len), TEEQ_SUCCESS);
	CHECK_EQ(len, 4);
	CHECK_MEM(meta, "meta", 4);
	/* truncate: down, up with zeros; position stays */
	CHECK_EQ(storage_seek(o, 6, STORAGE_SEEK_SET, NULL), TEEQ_SUCCESS);
	CHECK_EQ(storage_truncate(o, 3), TEEQ_SUCCESS);
	CHECK_EQ(storage_info(o, &info), TEEQ_SUCCESS);
	CHECK_EQ(info.position, 6);
	CHECK_EQ(info.data_size, 3);
	CHECK_EQ(storage_truncate(o, 5), TEEQ_SUCCESS);
	expect("s", "ab\0\0\0", 5);
	CHECK_EQ(storage_truncate(o, STORAGE_DATA_MAX + 1),
		 TEEQ_ERROR_STORAGE_NO_SPACE);
	/* limits: nothing changes */
	CHECK_EQ(storage_seek(o, STORAGE_DATA_MAX, STORAGE_SEEK_SET, NULL),
		 TEEQ_SUCCESS);
	CHECK_EQ(storage_write(o, "x", 1), TEEQ_ERROR_STORAGE_NO_SPACE);
	CHECK_EQ(storage_seek(o, STORAGE_MAX_POSITION, STORAGE_SEEK_SET, NULL),
		 TEEQ_SUCCESS);
	CHECK_EQ(storage_write(o, "x", 1), TEEQ_ERROR_OVERFLOW);
	CHECK_EQ(storage_read(o, buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, 0);
	expect("s", "ab\0\0\0", 5);
	storage_close(o);

	/* rename: away from the old id, never onto an existing one */
	CHECK_EQ(core_put(&core_ns, "t", "T", 1), TEEQ_SUCCESS);
	CHECK_EQ(storage_open(&core_ns, "s", 1, STORAGE_ACCESS_WRITE_META, &o),
		 TEEQ_SUCCESS);
	CHECK_EQ(storage_rename(o, "t", 1), TEEQ_ERROR_ACCESS_CONFLICT);
	CHECK_EQ(storage_rename(o, "s", 1), TEEQ_ERROR_ACCESS_CONFLICT);
	CHECK_EQ(storage_rename(o, "", 0), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(storage_rename(o, "u", 1), TEEQ_SUCCESS);
	len = sizeof(meta);
	CHECK_EQ(storage_meta(o, meta, &len), TEEQ_SUCCESS);
	CHECK_MEM(meta, "meta", 4);
	storage_close(o);
	CHECK_EQ(storage_open(&core_ns, "s", 1, STORAGE_ACCESS_READ, &o2),
		 TEEQ_ERROR_ITEM_NOT_FOUND);
	expect("u", "ab\0\0\0", 5);
	/* delete */
	CHECK_EQ(storage_open(&core_ns, "t", 1, STORAGE_ACCESS_WRITE_META, &o),
		 TEEQ_SUCCESS);
	CHECK_EQ(storage_delete(o), TEEQ_SUCCESS);
	CHECK_EQ(storage_open(&core_ns, "t", 1, STORAGE_ACCESS_READ, &o2),
		 TEEQ_ERROR_ITEM_NOT_FOUND);

	/* enumeration */
	CHECK_EQ(storage_enum_start(&core_ns, &e), TEEQ_SUCCESS);
	while (!storage_enum_next(e, id, &len, &info)) {
		if (len == 1 && id[0] == 'u') {
			CHECK_EQ(info.data_size, 5);
			CHECK_EQ(info.meta_size, 4);
			seen |= 1;
		} else {
			CHECK_EQ(len, STORAGE_ID_MAX);
			CHECK_EQ(info.data_size, 1);
			seen |= 2;
		}
	}
	CHECK_EQ(storage_enum_next(e, id, &len, &info),
		 TEEQ_ERROR_ITEM_NOT_FOUND);
	storage_enum_free(e);
	CHECK_EQ(seen, 3);

	/* teeq-sw restarts: as it was */
	core_restart(&fx);
	expect("u", "ab\0\0\0", 5);
	CHECK_EQ(storage_open(&core_ns, "t", 1, STORAGE_ACCESS_READ, &o2),
		 TEEQ_ERROR_ITEM_NOT_FOUND);
	CHECK_EQ(storage_open(&core_ns, "u", 1, STORAGE_ACCESS_READ, &o),
		 TEEQ_SUCCESS);
	len = sizeof(meta);
	CHECK_EQ(storage_meta(o, meta, &len), TEEQ_SUCCESS);
	CHECK_MEM(meta, "meta", 4);
	storage_close(o);
	core_fini(&fx);
	return T_PASS;
}
