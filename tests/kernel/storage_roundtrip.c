// SPDX-License-Identifier: MIT
/*
 * Storage in kernel mode, end to end: the storage TA's objects through
 * /dev/teeq0, teeq-sw --kernel, the driver's supplicant node and
 * teeq-supplicant. Created, written, read back byte for byte (a small
 * object and a 1 MiB one, which spans many of the supplicant's windows),
 * renamed, deleted and enumerated; the supplicant's directory holds no
 * object id in a name and no plaintext; after both daemons are killed and
 * restarted on the same directories every object is still there, whole.
 */
#include "tests/kernel/kstorage.h"

#define BIG (1u << 20)

static unsigned char big[BIG], got[BIG];
static char file_buf[BIG + 65536];

static void check_obj(int fd, uint32_t sess, const char *id, const void *want,
		      size_t len)
{
	size_t n;

	CHECK_EQ(ks_get(fd, sess, id, got, sizeof(got), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, len);
	CHECK_MEM(got, want, len);
}

/* Exactly @want (a NUL-separated list of @count ids) are listed. */
static void check_list(int fd, uint32_t sess, const char *const *want,
		       uint32_t count)
{
	char ids[4096], *p;
	uint32_t n, i, seen = 0;

	CHECK_EQ(ks_list(fd, sess, ids, sizeof(ids), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, count);
	for (p = ids; n--; p += strlen(p) + 1)
		for (i = 0; i < count; i++)
			if (!strcmp(p, want[i]))
				seen |= 1u << i;
	CHECK_EQ(seen, (1u << count) - 1);
}

/* No file names an id or holds a plaintext. */
static void check_opaque(void)
{
	struct dirent *de;
	DIR *d = opendir(ks_dir);
	char path[384];
	int files = 0, f;
	ssize_t n;

	CHECK(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		files++;
		CHECK(!strstr(de->d_name, "greeting"));
		CHECK(!strstr(de->d_name, "big"));
		snprintf(path, sizeof(path), "%s/%s", ks_dir, de->d_name);
		f = open(path, O_RDONLY);
		CHECK(f >= 0);
		n = read(f, file_buf, sizeof(file_buf));
		close(f);
		CHECK(n > 0);
		CHECK(!memmem(file_buf, (size_t)n, "hello, kernel", 13));
		CHECK(!memmem(file_buf, (size_t)n, big + 4096, 64));
	}
	closedir(d);
	CHECK(files >= 3); /* the directory and two objects */
}

int main(void)
{
	static const char *const both[] = { "greeting", "big" };
	static const char *const after[] = { "renamed", "big" };
	uint32_t sess, h, i;
	size_t n;
	int fd;

	for (i = 0; i < BIG; i++)
		big[i] = (unsigned char)(i * 7 + (i >> 11));
	ks_init("storage_roundtrip");
	ks_sw_start();
	ks_suppl_start();
	fd = kt_open();
	sess = kt_session(fd, &ks_storage_ta);
	ks_wait_storage(fd, sess);

	/* create, write past the end, read back */
	CHECK_EQ(ks_create(fd, sess, "greeting",
			   TEEQ_STORAGE_ACCESS_READ | TEEQ_STORAGE_ACCESS_WRITE,
			   "hello", 5, &h),
		 TEEQ_SUCCESS);
	CHECK_EQ(ks_seek_end(fd, sess, h), TEEQ_SUCCESS);
	CHECK_EQ(ks_write(fd, sess, h, ", kernel", 8), TEEQ_SUCCESS);
	CHECK_EQ(ks_close(fd, sess, h), TEEQ_SUCCESS);
	check_obj(fd, sess, "greeting", "hello, kernel", 13);
	/* without OVERWRITE an existing object stays */
	CHECK_EQ(ks_create(fd, sess, "greeting", 0, "x", 1, NULL),
		 TEEQ_ERROR_ACCESS_CONFLICT);
	CHECK_EQ(ks_create(fd, sess, "big", 0, big, BIG, NULL), TEEQ_SUCCESS);
	check_obj(fd, sess, "big", big, BIG);
	check_list(fd, sess, both, 2);
	check_opaque();

	/* both daemons killed and restarted: everything is there */
	close(fd);
	ks_suppl_kill();
	kt_sw_kill();
	ks_sw_start();
	ks_suppl_start();
	fd = kt_open();
	sess = kt_session(fd, &ks_storage_ta);
	ks_wait_storage(fd, sess);
	check_obj(fd, sess, "greeting", "hello, kernel", 13);
	check_obj(fd, sess, "big", big, BIG);

	/* rename, then delete */
	CHECK_EQ(ks_open(fd, sess, "greeting",
			 TEEQ_STORAGE_ACCESS_READ |
				 TEEQ_STORAGE_ACCESS_WRITE_META,
			 &h),
		 TEEQ_SUCCESS);
	n = 7;
	CHECK_EQ(ks_handle_cmd(fd, sess, TEEQ_STORAGE_CMD_RENAME, h, KT_MIN,
			       "renamed", &n),
		 TEEQ_SUCCESS);
	CHECK_EQ(ks_close(fd, sess, h), TEEQ_SUCCESS);
	CHECK_EQ(ks_open(fd, sess, "greeting", TEEQ_STORAGE_ACCESS_READ, &h),
		 TEEQ_ERROR_ITEM_NOT_FOUND);
	check_obj(fd, sess, "renamed", "hello, kernel", 13);
	check_list(fd, sess, after, 2);
	CHECK_EQ(ks_open(fd, sess, "big", TEEQ_STORAGE_ACCESS_WRITE_META, &h),
		 TEEQ_SUCCESS);
	CHECK_EQ(ks_handle_cmd(fd, sess, TEEQ_STORAGE_CMD_DELETE, h, 0, NULL,
			       NULL),
		 TEEQ_SUCCESS);
	CHECK_EQ(ks_open(fd, sess, "big", TEEQ_STORAGE_ACCESS_READ, &h),
		 TEEQ_ERROR_ITEM_NOT_FOUND);
	check_list(fd, sess, after, 1);
	CHECK_EQ(kt_close_session(fd, sess), 0);
	close(fd);
	printf("storage round trip in kernel mode: 2 objects, 1 MiB in "
	       "%u-byte windows, restart, rename, delete\n",
	       64 * 1024);
	return T_PASS;
}
