// SPDX-License-Identifier: MIT
/*
 * Objects through the storage TA, teeq-sw and teeq-supplicant, end to end:
 * created objects read back byte for byte (empty, small, 1 MiB, and one
 * grown by writes past its end with a zero gap), are listed, and are all
 * still there, unchanged, after both daemons are killed and restarted on
 * the same directories. The supplicant's directory holds only opaque
 * names (no object id appears in any) and no plaintext (no object's bytes
 * appear in any file).
 */
#include "tests/storage/fixture.h"

#include <dirent.h>
#include <fcntl.h>

static struct st_fixture fx;

#define BIG (1u << 20)

static unsigned char big[BIG], got[BIG];

static void check_obj(TEEC_Session *s, const char *id, const void *want,
		      size_t len)
{
	size_t n;

	CHECK_EQ(st_get(s, id, got, sizeof(got), &n), TEEC_SUCCESS);
	CHECK_EQ(n, len);
	CHECK_MEM(got, want, len);
}

static void check_all(TEEC_Session *s)
{
	static const unsigned char gap[] = { 'a', 'b', 0, 0, 0, 'c', 'd' };
	char ids[4096], *p;
	uint32_t count;
	int seen = 0;

	check_obj(s, "empty", "", 0);
	check_obj(s, "small", "hello, storage", 14);
	check_obj(s, "big", big, BIG);
	check_obj(s, "gap", gap, sizeof(gap));
	CHECK_EQ(st_list(s, ids, sizeof(ids), &count), TEEC_SUCCESS);
	CHECK_EQ(count, 4);
	for (p = ids; count--; p += strlen(p) + 1)
		seen |= !strcmp(p, "empty") << 0 | !strcmp(p, "small") << 1 |
			!strcmp(p, "big") << 2 | !strcmp(p, "gap") << 3;
	CHECK_EQ(seen, 15);
}

/* No file of the supplicant's names an id or holds a plaintext. */
static void check_opaque(void)
{
	static const char *ids[] = { "empty", "small", "big", "gap" };
	static unsigned char buf[2 * BIG];
	struct dirent *de;
	DIR *d = opendir(fx.storage);
	int files = 0;
	size_t i;

	CHECK(d);
	while ((de = readdir(d))) {
		char path[PATH_MAX];
		ssize_t n;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		files++;
		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
			CHECK(!strstr(de->d_name, ids[i]));
		snprintf(path, sizeof(path), "%s/%s", fx.storage, de->d_name);
		fd = open(path, O_RDONLY);
		CHECK(fd >= 0);
		n = read(fd, buf, sizeof(buf));
		close(fd);
		CHECK(n > 0);
		CHECK(!memmem(buf, (size_t)n, "hello, storage", 14));
		CHECK(!memmem(buf, (size_t)n, big + 1000, 64));
	}
	closedir(d);
	/* one directory, four objects */
	CHECK_EQ(files, 5);
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	uint32_t h;
	uint64_t seed = 42;
	size_t i;

	for (i = 0; i < BIG; i++)
		big[i] = (unsigned char)test_rand(&seed);
	st_up(&fx, &ctx, &s);

	CHECK_EQ(st_put(&s, "empty", NULL, 0), TEEC_SUCCESS);
	CHECK_EQ(st_put(&s, "small", "hello, storage", 14), TEEC_SUCCESS);
	CHECK_EQ(st_put(&s, "big", big, BIG), TEEC_SUCCESS);
	CHECK_EQ(st_create(&s, "gap", TEEQ_STORAGE_ACCESS_WRITE, "ab", 2, &h),
		 TEEC_SUCCESS);
	CHECK_EQ(st_seek(&s, h, 3, TEEQ_STORAGE_SEEK_END, NULL), TEEC_SUCCESS);
	CHECK_EQ(st_write(&s, h, "cd", 2), TEEC_SUCCESS);
	CHECK_EQ(st_close(&s, h), TEEC_SUCCESS);
	check_all(&s);
	check_opaque();
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);

	/* both daemons die; new ones find everything */
	st_kill_suppl(&fx, SIGKILL);
	sw_fixture_kill(&fx.sw, SIGKILL);
	st_start_sw(&fx);
	st_start_suppl(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	st_open_session(&ctx, &s);
	CHECK_EQ(st_wait_storage(&s), TEEC_SUCCESS);
	check_all(&s);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	return T_PASS;
}
