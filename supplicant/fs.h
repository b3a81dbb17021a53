/* SPDX-License-Identifier: MIT */
/*
 * The supplicant's file service (TEEQ_RPC_FS_* of uapi/teeq_rpc.h): every
 * file it touches is a regular file directly inside one storage directory,
 * reached by a checked single-component name through openat2() with
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS, so nothing
 * outside that directory is reachable, whatever the secure world asks.
 */
#ifndef TEEQ_SUPPLICANT_FS_H
#define TEEQ_SUPPLICANT_FS_H

#include "uapi/teeq_rpc.h"

#include <stdint.h>

#define SUPPL_FS_MAX_HANDLES 64
/* The default largest file: the secure world's objects are far smaller. */
#define SUPPL_FS_DEFAULT_MAX_FILE (64ull << 20)
/* Temporary files of CREATE: hidden names, which no request can name. */
#define SUPPL_FS_TMP_PREFIX ".tmp."

enum suppl_fs_kind {
	SUPPL_FS_FREE = 0,
	SUPPL_FS_READ, /* OPEN: an existing file, read only */
	SUPPL_FS_NEW, /* CREATE: a temporary that CLOSE commits or drops */
};

struct suppl_fs_handle {
	enum suppl_fs_kind kind;
	int fd;
	uint32_t gen; /* bumped on every reuse, so a stale handle is stale */
	char name[TEEQ_RPC_NAME_MAX + 1]; /* NEW: where the file goes */
	char tmp[TEEQ_RPC_NAME_MAX + 32]; /* NEW: where it is until then */
};

struct suppl_fs {
	int dirfd; /* the storage directory, flock()ed for our lifetime */
	uint64_t max_file; /* largest file size accepted (EFBIG beyond) */
	uint64_t tmp_seq; /* makes temporary names unique */
	struct suppl_fs_handle handles[SUPPL_FS_MAX_HANDLES];
	/* counters, for the log and tests */
	uint64_t requests, refused;
};

/*
 * Opens (creating it 0700 if missing) the storage directory @path, which
 * must be a real directory owned by us and private (no group or other
 * permission bits), and locks it, so that one supplicant at a time serves
 * it; removes temporary files a crashed supplicant left. 0, or -errno
 * with *@why saying what is wrong.
 */
int suppl_fs_open(struct suppl_fs *fs, const char *path, uint64_t max_file,
		  const char **why);
/* Drops every handle (uncommitted files are discarded) and unlocks. */
void suppl_fs_close(struct suppl_fs *fs);
/* Drops every handle: the secure world that held them went away. */
void suppl_fs_reset(struct suppl_fs *fs);

/*
 * Serves one request. @req is the caller's private copy; @window is the
 * request's data window of @window_size bytes (shared memory: names are
 * copied out before they are checked). Fills @rsp (status 0 or
 * -TEEQ_RPC_E*, tag echoed).
 */
void suppl_fs_request(struct suppl_fs *fs, const struct teeq_rpc_req *req,
		      unsigned char *window, uint32_t window_size,
		      struct teeq_rpc_rsp *rsp);

/* 0 if @name (@len bytes, not terminated) may name a file, else
 * -EINVAL or -ENAMETOOLONG. */
int suppl_fs_name_ok(const char *name, size_t len);

#endif /* TEEQ_SUPPLICANT_FS_H */
