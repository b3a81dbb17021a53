// SPDX-License-Identifier: MIT
/*
 * What teeq-sw refuses to load from its TA directory, each with
 * TEEC_ERROR_ITEM_NOT_FOUND (origin TEE) and teeq-sw unharmed: no file, a
 * file of garbage, a truncated one, one holding another TA (another
 * UUID), one whose header's flags its code disagrees with (found by the
 * TA process, which then refuses), one whose code is not loadable, one
 * others may write to, a symbolic link, a directory and a FIFO (which
 * must not hold teeq-sw in open()). A TA copied in while teeq-sw runs is
 * found at once. --ta-dir wins over $TEEQ_TA_DIR, which is used without
 * it.
 */
#include "tests/secure/ta_proc_fixture.h"
#include "uapi/teeq_ta_file.h"

/* a UUID with the last byte @n; none of the test TA's */
static TEEC_UUID load_uuid(uint8_t n)
{
	TEEC_UUID u = {
		0x11111111, 0x2222, 0x4333, { 0x84, 0, 0, 0, 0, 0, 0, n }
	};
	return u;
}

static void load_path(const TEEC_UUID *u, char *out, size_t len)
{
	char name[37];

	ta_fixture_uuid_str(u, name);
	snprintf(out, len, "%s/%s.ta", ta_fixture_dir, name);
}

/* The built plain TA's bytes. */
static uint8_t *load_plain(size_t *len)
{
	char path[PATH_MAX + 64];
	struct stat st;
	uint8_t *buf;
	FILE *f;

	ta_fixture_built("plain", &proc_plain, path, sizeof(path));
	CHECK(!stat(path, &st));
	buf = malloc((size_t)st.st_size);
	f = fopen(path, "rb");
	CHECK(buf && f);
	CHECK_EQ(fread(buf, 1, (size_t)st.st_size, f), st.st_size);
	fclose(f);
	*len = (size_t)st.st_size;
	return buf;
}

static void load_write(const TEEC_UUID *u, const void *buf, size_t len,
		       mode_t mode)
{
	char path[PATH_MAX];
	int fd;

	load_path(u, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, buf, len), len);
	CHECK(!fchmod(fd, mode));
	close(fd);
}

static void load_refused(TEEC_Context *ctx, const TEEC_UUID *u)
{
	TEEC_Session s;
	uint32_t origin = 0;

	CHECK_EQ(ta_fixture_open(ctx, &s, u, &origin),
		 TEEC_ERROR_ITEM_NOT_FOUND);
	CHECK_EQ(origin, TEEC_ORIGIN_TEE);
}

static void load_works(TEEC_Context *ctx, const TEEC_UUID *u)
{
	TEEC_Session s;
	uint32_t origin = 0, n = 0;

	CHECK_EQ(ta_fixture_open(ctx, &s, u, &origin), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_value(&s, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(n, 1);
	TEEC_CloseSession(&s);
}

static void load_env(void)
{
	struct sw_fixture f;
	TEEC_Context ctx;

	setenv("TEEQ_TA_DIR", ta_fixture_dir, 1);
	sw_fixture_start(&f);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	load_works(&ctx, &proc_multi);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&f);

	sw_fixture_start(&f, "--ta-dir", "/nonexistent-teeq-ta-dir");
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	load_refused(&ctx, &proc_multi);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&f);
	unsetenv("TEEQ_TA_DIR");
}

int main(void)
{
	TEEC_UUID none = load_uuid(1), garbage = load_uuid(2),
		  truncated = load_uuid(3), other = load_uuid(4),
		  flags = PROC_TA_UUID_SINGLE, code = load_uuid(5),
		  writable = load_uuid(6), link = load_uuid(7),
		  dir = load_uuid(8), fifo = load_uuid(9);
	struct teeq_ta_file_hdr hdr;
	struct sw_fixture f;
	TEEC_Context ctx;
	char path[PATH_MAX], target[PATH_MAX + 64];
	uint8_t *ta, junk[4096];
	size_t len, i;

	ta_fixture_start(&f);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	ta = load_plain(&len);
	memcpy(&hdr, ta, sizeof(hdr));

	load_refused(&ctx, &none);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 131 + 7);
	load_write(&garbage, junk, sizeof(junk), 0644);
	load_refused(&ctx, &garbage);
	load_write(&truncated, ta, len / 2, 0644);
	load_refused(&ctx, &truncated);
	load_write(&other, ta, len, 0644); /* the plain TA's UUID inside */
	load_refused(&ctx, &other);
	/* the single variant's name, the plain one's code, flags patched
	 * in the header to the single variant's */
	hdr.uuid = (struct teeq_uuid){ { 0x7a, 0x9f, 0x1c, 0x2e, 0x5d, 0x3b,
					 0x4b, 0x8e, 0x9c, 0x1d, 0x5e, 0x6f,
					 0x7a, 0x8b, 0x9c, 0x02 } };
	hdr.ta_flags = TEEQ_TA_FLAG_SINGLE_INSTANCE;
	memcpy(ta, &hdr, sizeof(hdr));
	load_write(&flags, ta, len, 0644);
	load_refused(&ctx, &flags);
	/* the right UUID, code the loader cannot map */
	hdr.uuid =
		(struct teeq_uuid){ { 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x43,
				      0x33, 0x84, 0, 0, 0, 0, 0, 0, 5 } };
	hdr.ta_flags = 0;
	memcpy(ta, &hdr, sizeof(hdr));
	for (i = (size_t)hdr.code_offset + 64;
	     i < hdr.code_offset + hdr.code_size; i++)
		ta[i] = 0xff;
	load_write(&code, ta, len, 0644);
	load_refused(&ctx, &code);
	free(ta);

	/* others may write it: refused even though it is fine */
	ta_fixture_install("plain", &proc_plain, NULL);
	load_path(&writable, path, sizeof(path));
	ta_fixture_built("plain", &proc_plain, target, sizeof(target));
	ta_fixture_copy(target, path, 0666);
	load_refused(&ctx, &writable);
	load_path(&link, path, sizeof(path));
	CHECK(!symlink(target, path));
	load_refused(&ctx, &link);
	load_path(&dir, path, sizeof(path));
	CHECK(!mkdir(path, 0755));
	load_refused(&ctx, &dir);
	load_path(&fifo, path, sizeof(path));
	CHECK(!mkfifo(path, 0644));
	load_refused(&ctx, &fifo);

	/* teeq-sw is fine, and finds a TA installed now */
	load_works(&ctx, &proc_plain);
	load_path(&none, path, sizeof(path));
	ta_fixture_copy(target, path, 0644); /* plain's code: another UUID */
	load_refused(&ctx, &none);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&f);

	load_env();
	return T_PASS;
}
