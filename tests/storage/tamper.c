// SPDX-License-Identifier: MIT
/*
 * Whatever is done to the files teeq-supplicant keeps, the storage TA
 * answers TEEQ_ERROR_CORRUPT_OBJECT and never returns a byte of data: an
 * object's file with a bit flipped (header, nonce, ciphertext, tag), cut
 * short (to nothing, to half, by one byte), grown by a byte, swapped with
 * another object's file, replaced by the object's own older version
 * (replayed), or deleted; the directory, read again by a restarted
 * teeq-sw, with a bit flipped, cut short, replaced by an older one, or
 * deleted (every object of the app is then refused, and so is creating
 * one). After each case the genuine file is put back and everything reads
 * as before.
 */
#include "tests/storage/fixture.h"

#include <dirent.h>
#include <fcntl.h>

static struct st_fixture fx;
static TEEC_Context ctx;
static TEEC_Session s;
static int cases;

struct file {
	char name[256];
	unsigned char data[8192];
	size_t len;
};

static void path_of(const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", fx.storage, name);
}

static void load(const char *name, struct file *f)
{
	char path[PATH_MAX];
	int fd;
	ssize_t n;

	snprintf(f->name, sizeof(f->name), "%s", name);
	path_of(name, path, sizeof(path));
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	n = read(fd, f->data, sizeof(f->data));
	CHECK(n > 0 && (size_t)n < sizeof(f->data));
	f->len = (size_t)n;
	close(fd);
}

/* Writes @len bytes of @data as the file @name, as an attacker would. */
static void store(const char *name, const void *data, size_t len)
{
	char path[PATH_MAX];
	int fd;

	path_of(name, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void restore(const struct file *f)
{
	store(f->name, f->data, f->len);
}

/* The one visible file that is not in @known (NULL-terminated list of
 * names), or the directory when @dir. */
static void find_file(char *out, size_t len, const char *const *known, int dir)
{
	DIR *d = opendir(fx.storage);
	struct dirent *de;
	int found = 0, i, skip;

	CHECK(d);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		if (dir != (n > 4 && !strcmp(de->d_name + n - 4, ".dir")))
			continue;
		for (skip = 0, i = 0; known && known[i]; i++)
			skip |= !strcmp(known[i], de->d_name);
		if (skip)
			continue;
		snprintf(out, len, "%s", de->d_name);
		found++;
	}
	closedir(d);
	CHECK_EQ(found, 1);
}

static void expect(const char *id, TEEC_Result want, const char *what)
{
	char buf[256];
	size_t n = 1234;
	TEEC_Result res = st_get(&s, id, buf, sizeof(buf), &n);

	if (res != want) {
		fprintf(stderr, "%s: %s gave 0x%x, not 0x%x\n", what, id, res,
			want);
		exit(T_FAIL);
	}
	if (want != TEEC_SUCCESS)
		CHECK_EQ(n, 0); /* not a byte */
}

static void expect_data(const char *id, const char *want)
{
	char buf[256];
	size_t n;

	CHECK_EQ(st_get(&s, id, buf, sizeof(buf), &n), TEEC_SUCCESS);
	CHECK_EQ(n, strlen(want));
	CHECK_MEM(buf, want, n);
}

static void corrupt_object(const struct file *f, const char *id,
			   const char *what)
{
	expect(id, TEEQ_ERROR_CORRUPT_OBJECT, what);
	cases++;
	restore(f);
}

static void restart_sw(void)
{
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_kill(&fx.sw, SIGKILL);
	st_start_sw(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	st_open_session(&ctx, &s);
}

/* After damage to the directory: the whole app's storage is refused. */
static void corrupt_dir(const struct file *dir, const char *what)
{
	char ids[256];
	uint32_t count, h;

	restart_sw();
	CHECK_EQ(st_wait_storage(&s), TEEQ_ERROR_CORRUPT_OBJECT);
	expect("a", TEEQ_ERROR_CORRUPT_OBJECT, what);
	expect("b", TEEQ_ERROR_CORRUPT_OBJECT, what);
	CHECK_EQ(st_list(&s, ids, sizeof(ids), &count),
		 TEEQ_ERROR_CORRUPT_OBJECT);
	CHECK_EQ(st_create(&s, "c", TEEQ_STORAGE_ACCESS_WRITE, "c", 1, &h),
		 TEEQ_ERROR_CORRUPT_OBJECT);
	cases++;
	restore(dir);
	restart_sw();
	CHECK_EQ(st_wait_storage(&s), TEEC_SUCCESS);
	expect_data("a", "a, second version");
	expect_data("b", "b");
}

int main(void)
{
	static struct file a1, a2, b, dir1, dir;
	const char *known[4] = { NULL };
	char name[256], path[PATH_MAX];
	size_t offs[4], i;

	st_up(&fx, &ctx, &s);

	CHECK_EQ(st_put(&s, "a", "a, first version", 16), TEEC_SUCCESS);
	find_file(name, sizeof(name), NULL, 0);
	load(name, &a1);
	known[0] = a1.name;
	CHECK_EQ(st_put(&s, "b", "b", 1), TEEC_SUCCESS);
	find_file(name, sizeof(name), known, 0);
	load(name, &b);
	find_file(name, sizeof(name), NULL, 1);
	load(name, &dir1);
	CHECK_EQ(st_put(&s, "a", "a, second version", 17), TEEC_SUCCESS);
	known[1] = b.name;
	find_file(name, sizeof(name), known, 0);
	load(name, &a2);
	find_file(name, sizeof(name), NULL, 1);
	load(name, &dir);
	CHECK(strcmp(a1.name, a2.name)); /* a new file per version */

	/* flips: header, nonce, ciphertext, tag */
	offs[0] = 0;
	offs[1] = 12;
	offs[2] = a2.len / 2;
	offs[3] = a2.len - 1;
	for (i = 0; i < 4; i++) {
		unsigned char bad[8192];

		memcpy(bad, a2.data, a2.len);
		bad[offs[i]] ^= 0x20;
		store(a2.name, bad, a2.len);
		corrupt_object(&a2, "a", "flipped");
	}
	/* cut short, grown */
	store(a2.name, a2.data, 0);
	corrupt_object(&a2, "a", "emptied");
	store(a2.name, a2.data, a2.len / 2);
	corrupt_object(&a2, "a", "halved");
	store(a2.name, a2.data, a2.len - 1);
	corrupt_object(&a2, "a", "one byte short");
	{
		unsigned char longer[8193];

		memcpy(longer, a2.data, a2.len);
		longer[a2.len] = 0;
		store(a2.name, longer, a2.len + 1);
		corrupt_object(&a2, "a", "one byte long");
	}
	/* swapped with b's */
	store(a2.name, b.data, b.len);
	store(b.name, a2.data, a2.len);
	expect("b", TEEQ_ERROR_CORRUPT_OBJECT, "swapped");
	corrupt_object(&a2, "a", "swapped");
	restore(&b);
	/* replayed: a's own first version */
	store(a2.name, a1.data, a1.len);
	corrupt_object(&a2, "a", "replayed");
	/* and under its old name: nobody looks there any more */
	store(a1.name, a1.data, a1.len);
	expect_data("a", "a, second version");
	path_of(a1.name, path, sizeof(path));
	unlink(path);
	/* deleted */
	path_of(a2.name, path, sizeof(path));
	CHECK(!unlink(path));
	corrupt_object(&a2, "a", "deleted");
	expect_data("a", "a, second version");
	expect_data("b", "b");

	/* the directory */
	{
		unsigned char bad[8192];

		memcpy(bad, dir.data, dir.len);
		bad[dir.len / 2] ^= 1;
		store(dir.name, bad, dir.len);
		corrupt_dir(&dir, "directory flipped");
	}
	store(dir.name, dir.data, dir.len - 16);
	corrupt_dir(&dir, "directory cut short");
	store(dir.name, dir1.data, dir1.len);
	corrupt_dir(&dir, "directory replayed");
	path_of(dir.name, path, sizeof(path));
	CHECK(!unlink(path));
	corrupt_dir(&dir, "directory deleted");

	printf("tamper: %d cases, %d CORRUPT_OBJECT\n", cases, cases);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	return T_PASS;
}
