// SPDX-License-Identifier: MIT
/*
 * Each trusted app has a namespace of its own: the same id in two apps
 * names two objects, each listed only in its own app, deleting one leaves
 * the other; the apps' files have different names and keys, so one app's
 * directory put in place of another's is refused (CORRUPT_OBJECT, after
 * a restart makes the core read it), and so is an object file of one app
 * put in place of the other's. With no supplicant attached, every call
 * that needs one is STORAGE_NOT_AVAILABLE at once, while an open handle
 * still reads.
 */
#include "tests/secure/storage_fixture.h"

#include <dirent.h>
#include <fcntl.h>

static struct core_fixture fx;

static const struct ta_uuid other_ns = { 0x99999999,
					 0x8888,
					 0x7777,
					 { 9, 9, 9, 9, 9, 9, 9, 9 } };

/* The storage directory's visible names, sorted, in @names (@max of
 * them). */
static int names(char (*out)[160], int max)
{
	DIR *d = opendir(fx.storage);
	struct dirent *de;
	int n = 0;

	CHECK(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && n < max)
			snprintf(out[n++], 160, "%.150s", de->d_name);
	closedir(d);
	return n;
}

static void copy_file(const char *from, const char *to)
{
	char a[PATH_MAX], b[PATH_MAX], buf[8192];
	int in, out;
	ssize_t n;

	snprintf(a, sizeof(a), "%s/%s", fx.storage, from);
	snprintf(b, sizeof(b), "%s/%s", fx.storage, to);
	in = open(a, O_RDONLY);
	out = open(b, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(in >= 0 && out >= 0);
	n = read(in, buf, sizeof(buf));
	CHECK(n > 0);
	CHECK_EQ(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

int main(void)
{
	char files[16][160], dir_a[160] = "", dir_b[160] = "", obj_a[160] = "",
			     obj_b[160] = "", buf[64];
	struct storage_obj *o;
	struct storage_enum *e;
	uint8_t id[STORAGE_ID_MAX];
	size_t n, len;
	int i, nf;

	core_init(&fx, 4096);
	CHECK_EQ(core_put(&core_ns, "same", "in a", 4), TEEQ_SUCCESS);
	nf = names(files, 16);
	CHECK_EQ(nf, 2);
	for (i = 0; i < nf; i++)
		snprintf(strstr(files[i], ".dir") ? dir_a : obj_a, 160,
			 "%.150s", files[i]);
	CHECK_EQ(core_put(&other_ns, "same", "in b", 4), TEEQ_SUCCESS);
	nf = names(files, 16);
	CHECK_EQ(nf, 4);
	for (i = 0; i < nf; i++) {
		if (!strcmp(files[i], dir_a) || !strcmp(files[i], obj_a))
			continue;
		snprintf(strstr(files[i], ".dir") ? dir_b : obj_b, 160,
			 "%.150s", files[i]);
	}
	CHECK(dir_b[0] && obj_b[0]);
	/* namespaces do not even share a name prefix */
	CHECK(strncmp(dir_a, dir_b, 32));

	CHECK_EQ(core_get(&core_ns, "same", buf, sizeof(buf), &n),
		 TEEQ_SUCCESS);
	CHECK_MEM(buf, "in a", 4);
	CHECK_EQ(core_get(&other_ns, "same", buf, sizeof(buf), &n),
		 TEEQ_SUCCESS);
	CHECK_MEM(buf, "in b", 4);
	CHECK_EQ(core_put(&other_ns, "only-b", "b", 1), TEEQ_SUCCESS);
	CHECK_EQ(storage_enum_start(&core_ns, &e), TEEQ_SUCCESS);
	CHECK_EQ(storage_enum_next(e, id, &len, NULL), TEEQ_SUCCESS);
	CHECK_EQ(len, 4);
	CHECK_EQ(storage_enum_next(e, id, &len, NULL),
		 TEEQ_ERROR_ITEM_NOT_FOUND);
	storage_enum_free(e);

	/* b's object file in a's place */
	copy_file(obj_a, "saved-a");
	copy_file(obj_b, obj_a);
	CHECK_EQ(core_get(&core_ns, "same", buf, sizeof(buf), &n),
		 TEEQ_ERROR_CORRUPT_OBJECT);
	copy_file("saved-a", obj_a);
	CHECK_EQ(core_get(&core_ns, "same", buf, sizeof(buf), &n),
		 TEEQ_SUCCESS);
	/* b's directory in a's place (read again after a restart) */
	copy_file(dir_a, "saved-dir");
	copy_file(dir_b, dir_a);
	core_restart(&fx);
	CHECK_EQ(core_get(&core_ns, "same", buf, sizeof(buf), &n),
		 TEEQ_ERROR_CORRUPT_OBJECT);
	CHECK_EQ(core_get(&other_ns, "same", buf, sizeof(buf), &n),
		 TEEQ_SUCCESS);
	copy_file("saved-dir", dir_a);
	core_restart(&fx);
	CHECK_EQ(core_get(&core_ns, "same", buf, sizeof(buf), &n),
		 TEEQ_SUCCESS);
	CHECK_MEM(buf, "in a", 4);

	/* deleting in one app leaves the other's */
	CHECK_EQ(storage_open(&core_ns, "same", 4, STORAGE_ACCESS_WRITE_META,
			      &o),
		 TEEQ_SUCCESS);
	CHECK_EQ(storage_delete(o), TEEQ_SUCCESS);
	CHECK_EQ(core_get(&core_ns, "same", buf, sizeof(buf), &n),
		 TEEQ_ERROR_ITEM_NOT_FOUND);
	CHECK_EQ(core_get(&other_ns, "same", buf, sizeof(buf), &n),
		 TEEQ_SUCCESS);

	/* no supplicant */
	CHECK_EQ(storage_open(&other_ns, "same", 4, STORAGE_ACCESS_READ, &o),
		 TEEQ_SUCCESS);
	core_detach(&fx);
	CHECK_EQ(core_get(&other_ns, "same", buf, sizeof(buf), &n),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	CHECK_EQ(core_put(&core_ns, "x", "x", 1),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	CHECK_EQ(storage_enum_start(&other_ns, &e),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	CHECK_EQ(storage_read(o, buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_MEM(buf, "in b", 4);
	storage_close(o);
	core_attach(&fx);
	CHECK_EQ(core_get(&other_ns, "only-b", buf, sizeof(buf), &n),
		 TEEQ_SUCCESS);
	core_fini(&fx);
	return T_PASS;
}
