// SPDX-License-Identifier: MIT
/*
 * fuzz_suppl: teeq-supplicant's file service, suppl_fs_request(), as a
 * hostile secure world drives it through its ring: what it reads is a
 * request entry and a data window, both under the peer's control.
 *
 * Input: records, each
 *   [0, 64)      struct teeq_rpc_req as the peer wrote it
 *   [64, 66)     n, little-endian: the window's first n bytes follow
 *   [66, 66 + n) those bytes (the rest of the 4 KiB window is zero)
 * until fewer than 66 bytes are left. Handles live across the records of
 * one input. The stamp word belongs to the ring (the service never reads
 * it), so it carries control bits: bit 0 set replaces the handle field
 * with the ((stamp >> 8) & 7)-th handle an earlier reply gave, so that the
 * fuzzer reaches reads, writes, truncates and commits of live files.
 *
 * Every input starts from an empty storage directory inside an otherwise
 * empty parent, and runs with a 64 KiB largest file.
 *
 * Invariants: each reply echoes its tag; its status is 0 or a negative
 * code the protocol names; a failed reply carries nothing else; a reply
 * never claims more of the window than it has; OPEN and CREATE give a
 * nonzero handle; READ gives len == value, no more than asked; LIST gives
 * value names, each NUL-terminated inside len, each a valid name, in
 * increasing order, MORE only with at least one; and after each input
 * nothing exists beside the storage directory, nothing in it but regular
 * files, none larger than the largest file.
 *
 * TEEQ_FUZZ_WRITE_SEEDS=dir writes the seed corpus to dir and exits.
 */
#define FZ_NAME "fuzz_suppl"
#include "tests/fuzz/targets/fuzz.h"
#include "supplicant/fs.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FZ_WINDOW 4096u
#define FZ_MAX_FILE (64u << 10)
#define FZ_REC_HDR (sizeof(struct teeq_rpc_req) + 2)

static char fz_root[64], fz_dir[96];
static struct suppl_fs fz_fs;
static unsigned char fz_window[FZ_WINDOW];

static int fz_rm_one(const char *path, const struct stat *st, int flag,
		     struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void fz_cleanup(void)
{
	suppl_fs_close(&fz_fs);
	if (fz_root[0])
		nftw(fz_root, fz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void fz_setup(void)
{
	const char *why = NULL;

	snprintf(fz_root, sizeof(fz_root), "/tmp/teeq-fuzz-suppl-XXXXXX");
	if (!mkdtemp(fz_root))
		FZ_FAIL("no temporary directory");
	snprintf(fz_dir, sizeof(fz_dir), "%s/storage", fz_root);
	if (suppl_fs_open(&fz_fs, fz_dir, FZ_MAX_FILE, &why))
		FZ_FAIL("cannot open the storage directory: %s", why);
	atexit(fz_cleanup);
}

static void fz_check_list(const struct teeq_rpc_rsp *rsp)
{
	char prev[TEEQ_RPC_NAME_MAX + 1] = "";
	uint32_t off = 0;
	uint64_t i;

	FZ_ASSERT(!(rsp->flags & ~TEEQ_RPC_RSP_MORE), "unknown LIST flag");
	FZ_ASSERT(!(rsp->flags & TEEQ_RPC_RSP_MORE) || rsp->value,
		  "MORE without a name");
	for (i = 0; i < rsp->value; i++) {
		const char *name = (const char *)fz_window + off;
		const char *end =
			off < rsp->len ? memchr(name, 0, rsp->len - off) : NULL;
		size_t n;

		FZ_ASSERT(end, "LIST name %llu not inside len",
			  (unsigned long long)i);
		n = (size_t)(end - name);
		FZ_ASSERT(!suppl_fs_name_ok(name, n), "LIST gave a bad name");
		FZ_ASSERT(strcmp(name, prev) > 0, "LIST out of order");
		memcpy(prev, name, n + 1);
		off += (uint32_t)n + 1;
	}
	FZ_ASSERT(off == rsp->len, "LIST len is not its names");
}

static void fz_check_reply(const struct teeq_rpc_req *req,
			   const struct teeq_rpc_rsp *rsp)
{
	FZ_ASSERT(rsp->tag == req->tag, "tag not echoed");
	FZ_ASSERT(teeq_rpc_status_known(rsp->status), "unknown status %d",
		  rsp->status);
	FZ_ASSERT(rsp->len <= FZ_WINDOW, "reply len past the window");
	FZ_ASSERT(fz_all_zero(rsp->reserved, sizeof(rsp->reserved)),
		  "reserved reply field set");
	if (rsp->status) {
		FZ_ASSERT(!rsp->handle && !rsp->value && !rsp->len &&
				  !rsp->flags,
			  "a failed reply carries more than its status");
		return;
	}
	switch (req->opcode) {
	case TEEQ_RPC_FS_OPEN:
	case TEEQ_RPC_FS_CREATE:
		FZ_ASSERT(rsp->handle, "no handle");
		break;
	case TEEQ_RPC_FS_READ:
		FZ_ASSERT(rsp->len == rsp->value && rsp->len <= req->len,
			  "READ gave more than asked");
		break;
	case TEEQ_RPC_FS_LIST:
		fz_check_list(rsp);
		break;
	default:
		FZ_ASSERT(!rsp->handle && !rsp->value && !rsp->len &&
				  !rsp->flags,
			  "opcode %u replied with data", req->opcode);
	}
}

/* After an input: the parent holds the storage directory only, which
 * holds regular files only, none too large. Then everything goes. */
static void fz_check_dirs(void)
{
	struct dirent *de;
	struct stat st;
	char path[512];
	DIR *d;

	d = opendir(fz_root);
	FZ_ASSERT(d, "the parent is gone");
	while ((de = readdir(d)))
		FZ_ASSERT(!strcmp(de->d_name, ".") ||
				  !strcmp(de->d_name, "..") ||
				  !strcmp(de->d_name, "storage"),
			  "%s appeared beside the storage directory",
			  de->d_name);
	closedir(d);
	d = opendir(fz_dir);
	FZ_ASSERT(d, "the storage directory is gone");
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", fz_dir, de->d_name);
		FZ_ASSERT(!lstat(path, &st) && S_ISREG(st.st_mode) &&
				  st.st_size <= FZ_MAX_FILE,
			  "%s is not a regular file of a sound size",
			  de->d_name);
		unlink(path);
	}
	closedir(d);
}

static void fz_run(const uint8_t *data, size_t size)
{
	uint64_t handles[8] = { 0 };
	unsigned int nr_handles = 0;
	struct teeq_rpc_req req;
	struct teeq_rpc_rsp rsp;

	while (size >= FZ_REC_HDR) {
		size_t n = (size_t)(data[64] | data[65] << 8);

		memcpy(&req, data, sizeof(req));
		data += FZ_REC_HDR;
		size -= FZ_REC_HDR;
		if (n > size)
			n = size;
		if (n > FZ_WINDOW)
			n = FZ_WINDOW;
		memset(fz_window, 0, sizeof(fz_window));
		memcpy(fz_window, data, n);
		data += n;
		size -= n;
		if ((req.stamp & 1) && nr_handles)
			req.handle = handles[(req.stamp >> 8 & 7) % nr_handles];
		suppl_fs_request(&fz_fs, &req, fz_window, FZ_WINDOW, &rsp);
		fz_check_reply(&req, &rsp);
		if (rsp.handle)
			handles[nr_handles++ % 8] = rsp.handle;
		if (nr_handles > 8)
			nr_handles = 8;
	}
	suppl_fs_reset(&fz_fs);
	fz_check_dirs();
}

/* ---- seeds ----------------------------------------------------------------- */

static size_t fz_rec(uint8_t *out, struct teeq_rpc_req req, const char *win,
		     size_t win_len)
{
	memcpy(out, &req, sizeof(req));
	out[64] = (uint8_t)win_len;
	out[65] = (uint8_t)(win_len >> 8);
	memcpy(out + FZ_REC_HDR, win, win_len);
	return FZ_REC_HDR + win_len;
}

static void fz_seeds(const char *dir)
{
	uint8_t buf[1024];
	size_t n = 0;

	/* create, write, commit; open, read; list; rename; remove */
	n += fz_rec(buf + n,
		    (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_CREATE,
					   .tag = 1,
					   .name_len = 3 },
		    "obj", 3);
	n += fz_rec(buf + n,
		    (struct teeq_rpc_req){ .stamp = 1,
					   .opcode = TEEQ_RPC_FS_WRITE,
					   .tag = 2,
					   .len = 5 },
		    "hello", 5);
	n += fz_rec(buf + n,
		    (struct teeq_rpc_req){ .stamp = 1,
					   .opcode = TEEQ_RPC_FS_CLOSE,
					   .flags = TEEQ_RPC_CLOSE_COMMIT,
					   .tag = 3 },
		    "", 0);
	n += fz_rec(buf + n,
		    (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_OPEN,
					   .tag = 4,
					   .name_len = 3 },
		    "obj", 3);
	n += fz_rec(buf + n,
		    (struct teeq_rpc_req){ .stamp = 1 | 1 << 8,
					   .opcode = TEEQ_RPC_FS_READ,
					   .tag = 5,
					   .len = 64 },
		    "", 0);
	fz_write_file(dir, "write-read", buf, n);
	n += fz_rec(buf + n,
		    (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_LIST,
					   .tag = 6,
					   .name_len = 1 },
		    "o", 1);
	n += fz_rec(buf + n,
		    (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_RENAME,
					   .tag = 7,
					   .name_len = 3,
					   .name2_len = 3 },
		    "objnew", 6);
	n += fz_rec(buf + n,
		    (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_REMOVE,
					   .tag = 8,
					   .name_len = 3 },
		    "new", 3);
	fz_write_file(dir, "all-ops", buf, n);
	n = fz_rec(buf,
		   (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_OPEN,
					  .tag = 9,
					  .name_len = 10 },
		   "../outside", 10);
	fz_write_file(dir, "traversal", buf, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	const char *dir;

	if (!ready) {
		ready = 1;
		dir = getenv("TEEQ_FUZZ_WRITE_SEEDS");
		if (dir) {
			fz_seeds(dir);
			exit(0);
		}
		fz_setup();
	}
	fz_run(data, size);
	return 0;
}
