/* SPDX-License-Identifier: MIT */
/*
 * teeq-supplicant's file service in process: a fresh directory holding
 * the storage directory ("storage") and room beside it for what must stay
 * out of reach, and requests built as the secure world would, through a
 * data window.
 */
#ifndef TEEQ_TESTS_SUPPLICANT_FS_FIXTURE_H
#define TEEQ_TESTS_SUPPLICANT_FS_FIXTURE_H

#include "supplicant/fs.h"
#include "tests/check.h"
#include "tests/tmpdir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define FX_WINDOW 4096

struct fs_fx {
	char root[64]; /* the test's own directory */
	char dir[96]; /* root/storage: the storage directory */
	struct suppl_fs fs;
	unsigned char window[FX_WINDOW];
	struct teeq_rpc_rsp rsp; /* of the last request */
};

/* Directories only; the service is opened by fs_fx_open(). */
static inline void fs_fx_dirs(struct fs_fx *f)
{
	memset(f, 0, sizeof(*f));
	t_tmpdir(f->root, sizeof(f->root), "suppl");
	snprintf(f->dir, sizeof(f->dir), "%s/storage", f->root);
}

static inline void fs_fx_open(struct fs_fx *f, uint64_t max_file)
{
	const char *why = NULL;

	CHECK_EQ(suppl_fs_open(&f->fs, f->dir, max_file, &why), 0);
}

static inline void fs_fx_init(struct fs_fx *f)
{
	fs_fx_dirs(f);
	fs_fx_open(f, SUPPL_FS_DEFAULT_MAX_FILE);
}

/* A raw request: names and data go to the window as the secure world puts
 * them; returns the reply's status (its rest is in f->rsp). */
static inline int32_t fs_fx_req(struct fs_fx *f, uint16_t opcode,
				uint16_t flags, uint64_t handle,
				uint64_t offset, uint32_t len, const char *name,
				const char *name2, const void *data)
{
	struct teeq_rpc_req req = { .opcode = opcode,
				    .flags = flags,
				    .tag = 0x1234,
				    .handle = handle,
				    .offset = offset,
				    .len = len };
	size_t n1 = name ? strlen(name) : 0, n2 = name2 ? strlen(name2) : 0;

	CHECK(n1 + n2 <= FX_WINDOW);
	req.name_len = (uint16_t)n1;
	req.name2_len = (uint16_t)n2;
	memcpy(f->window, name ? name : "", n1);
	memcpy(f->window + n1, name2 ? name2 : "", n2);
	if (data)
		memcpy(f->window, data, len);
	suppl_fs_request(&f->fs, &req, f->window, FX_WINDOW, &f->rsp);
	CHECK_EQ(f->rsp.tag, 0x1234);
	return f->rsp.status;
}

static inline int32_t fs_fx_open_file(struct fs_fx *f, const char *name,
				      uint64_t *handle)
{
	int32_t st =
		fs_fx_req(f, TEEQ_RPC_FS_OPEN, 0, 0, 0, 0, name, NULL, NULL);

	*handle = f->rsp.handle;
	return st;
}

static inline int32_t fs_fx_create(struct fs_fx *f, const char *name,
				   uint64_t *handle)
{
	int32_t st =
		fs_fx_req(f, TEEQ_RPC_FS_CREATE, 0, 0, 0, 0, name, NULL, NULL);

	*handle = f->rsp.handle;
	return st;
}

static inline int32_t fs_fx_write(struct fs_fx *f, uint64_t h, uint64_t off,
				  const void *data, uint32_t len)
{
	return fs_fx_req(f, TEEQ_RPC_FS_WRITE, 0, h, off, len, NULL, NULL,
			 data);
}

static inline int32_t fs_fx_close(struct fs_fx *f, uint64_t h, int commit)
{
	return fs_fx_req(f, TEEQ_RPC_FS_CLOSE,
			 commit ? TEEQ_RPC_CLOSE_COMMIT : 0, h, 0, 0, NULL,
			 NULL, NULL);
}

/* A whole file, created and committed. */
static inline int32_t fs_fx_put(struct fs_fx *f, const char *name,
				const char *text)
{
	uint64_t h;
	int32_t st = fs_fx_create(f, name, &h);

	if (st)
		return st;
	CHECK_EQ(fs_fx_write(f, h, 0, text, (uint32_t)strlen(text)), 0);
	return fs_fx_close(f, h, 1);
}

/* A whole file read through the service, NUL-terminated in @out. */
static inline int32_t fs_fx_get(struct fs_fx *f, const char *name, char *out,
				size_t cap)
{
	uint64_t h;
	int32_t st = fs_fx_open_file(f, name, &h);

	out[0] = 0;
	if (st)
		return st;
	st = fs_fx_req(f, TEEQ_RPC_FS_READ, 0, h, 0, (uint32_t)(cap - 1), NULL,
		       NULL, NULL);
	if (!st) {
		memcpy(out, f->window, f->rsp.len);
		out[f->rsp.len] = 0;
	}
	CHECK_EQ(fs_fx_close(f, h, 0), 0);
	return st;
}

/* A file made directly, outside the service. */
static inline void fs_fx_plant(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* A file's contents read directly, NUL-terminated; -1 if it is missing. */
static inline ssize_t fs_fx_slurp(const char *path, char *out, size_t cap)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	out[0] = 0;
	if (fd < 0)
		return -1;
	n = read(fd, out, cap - 1);
	close(fd);
	CHECK(n >= 0);
	out[n] = 0;
	return n;
}

#endif /* TEEQ_TESTS_SUPPLICANT_FS_FIXTURE_H */
