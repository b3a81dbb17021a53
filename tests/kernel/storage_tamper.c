// SPDX-License-Identifier: MIT
/*
 * Kernel mode keeps storage's integrity promise: an object's file that the
 * normal world changed (a byte flipped, cut short, swapped with another
 * object's file) reads as TEEQ_ERROR_CORRUPT_OBJECT, never as data; with
 * the genuine file back it reads as before.
 */
#include "tests/kernel/kstorage.h"

struct kt_file {
	char path[384];
	unsigned char data[4096];
	size_t len;
};

static void load(const char *path, struct kt_file *f)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0);
	snprintf(f->path, sizeof(f->path), "%s", path);
	n = read(fd, f->data, sizeof(f->data));
	CHECK(n > 0 && (size_t)n < sizeof(f->data));
	f->len = (size_t)n;
	close(fd);
}

static void store(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* The object files (not the directory) in the storage directory. */
static int object_files(char paths[][384], int max)
{
	struct dirent *de;
	DIR *d = opendir(ks_dir);
	int n = 0;

	CHECK(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && !strstr(de->d_name, ".dir") &&
		    n < max)
			snprintf(paths[n++], 384, "%s/%s", ks_dir, de->d_name);
	closedir(d);
	return n;
}

static uint32_t read_obj(int fd, uint32_t sess, const char *id, char *buf,
			 size_t *n)
{
	return ks_get(fd, sess, id, buf, 64, n);
}

int main(void)
{
	char paths[4][384], buf[64];
	struct kt_file a, b, cut;
	uint32_t sess, cases = 0;
	size_t n;
	int fd, i;

	ks_init("storage_tamper");
	ks_sw_start();
	ks_suppl_start();
	fd = kt_open();
	sess = kt_session(fd, &ks_storage_ta);
	ks_wait_storage(fd, sess);
	CHECK_EQ(ks_create(fd, sess, "one", 0, "first secret", 12, NULL),
		 TEEQ_SUCCESS);
	CHECK_EQ(object_files(paths, 4), 1);
	load(paths[0], &a);
	CHECK_EQ(ks_create(fd, sess, "two", 0, "other secret", 12, NULL),
		 TEEQ_SUCCESS);
	CHECK_EQ(object_files(paths, 4), 2);
	load(strcmp(paths[0], a.path) ? paths[0] : paths[1], &b);

	/* a byte flipped: header, middle, tag */
	for (i = 0; i < 3; i++) {
		struct kt_file t = a;
		size_t at = i == 0 ? 4 : i == 1 ? t.len / 2 : t.len - 1;

		t.data[at] ^= 0x20;
		store(a.path, t.data, t.len);
		n = 0;
		memset(buf, 0, sizeof(buf));
		CHECK_EQ(read_obj(fd, sess, "one", buf, &n),
			 TEEQ_ERROR_CORRUPT_OBJECT);
		CHECK(!memmem(buf, sizeof(buf), "first", 5));
		cases++;
	}
	/* cut short */
	cut = a;
	store(a.path, cut.data, cut.len - 9);
	CHECK_EQ(read_obj(fd, sess, "one", buf, &n), TEEQ_ERROR_CORRUPT_OBJECT);
	cases++;
	/* swapped with the other object's file */
	store(a.path, b.data, b.len);
	CHECK_EQ(read_obj(fd, sess, "one", buf, &n), TEEQ_ERROR_CORRUPT_OBJECT);
	CHECK(!memmem(buf, sizeof(buf), "other", 5));
	cases++;

	/* the genuine file back: as before */
	store(a.path, a.data, a.len);
	CHECK_EQ(read_obj(fd, sess, "one", buf, &n), TEEQ_SUCCESS);
	CHECK_EQ(n, 12);
	CHECK_MEM(buf, "first secret", 12);
	CHECK_EQ(read_obj(fd, sess, "two", buf, &n), TEEQ_SUCCESS);
	CHECK_MEM(buf, "other secret", 12);
	close(fd);
	printf("tamper in kernel mode: %u cases, each CORRUPT_OBJECT\n", cases);
	return T_PASS;
}
