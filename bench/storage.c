// SPDX-License-Identifier: MIT
/*
 * Secure storage, through the storage TA: a durable write (create with
 * overwrite, close: one commit, that is a sealed object file and a sealed
 * directory each written whole through teeq-supplicant, and two anchor
 * updates) and a read (open, read, close: the file fetched through the
 * supplicant's ring, authenticated and decrypted), of a small object
 * (latency) and of 1 MiB (throughput); next to the same done plainly, in
 * this process, on the same file system:
 *
 *   baseline/fs_write  a new file written, fsync()ed, renamed over the
 *                      old one, the directory fsync()ed: the floor for
 *                      one durable replacement of a file
 *   baseline/fs_read   open, read, close (page cache)
 *
 * The storage runs get a teeq-sw of their own (with a state directory, a
 * teeq-supplicant it starts itself, and its call threads); every other
 * teeq-sw is stopped meanwhile. Everything lives under one temporary
 * directory ($BENCH_STORAGE_DIR, else /tmp), the baseline's files beside
 * the supplicant's. Each storage run first reads back what it wrote.
 */
#include "bench/bench.h"
#include "bench/env.h"

#include "uapi/teeq_gp.h"
#include "uapi/teeq_tas.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STORAGE_SMALL 256
#define STORAGE_LARGE (1 << 20)

static struct {
	char sw[PATH_MAX - 64];
	int tried, ready;
	pid_t pid;
	char root[80]; /* state/ storage/ plain/ sw.sock */
	char sock[96];
	TEEC_Context ctx;
	TEEC_Session sess;
} bench_st;

static const TEEC_UUID bench_st_uuid = TEEQ_TA_STORAGE_UUID;

void bench_storage_init(const char *sw_path)
{
	snprintf(bench_st.sw, sizeof(bench_st.sw), "%s", sw_path);
}

/* teeq-supplicant: $TEEQ_SUPPLICANT, else beside teeq-sw (installed), else
 * in the build tree (<build>/secure/teeq-sw, <build>/supplicant/). */
static void bench_st_supplicant(char *out, size_t len)
{
	const char *env = getenv("TEEQ_SUPPLICANT");
	char dir[sizeof(bench_st.sw)], *slash;

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return;
	}
	snprintf(dir, sizeof(dir), "%s", bench_st.sw);
	slash = strrchr(dir, '/');
	if (!slash) {
		snprintf(out, len, "teeq-supplicant");
		return;
	}
	*slash = 0;
	if (snprintf(out, len, "%s/teeq-supplicant", dir) < (int)len &&
	    !access(out, X_OK))
		return;
	snprintf(out, len, "%s/../supplicant/teeq-supplicant", dir);
}

/* Our teeq-sw, started once: it starts its teeq-supplicant and waits for
 * it before it accepts us. */
static int bench_st_start(void)
{
	char suppl[PATH_MAX], dir[96], state[96];
	const char *base = getenv("BENCH_STORAGE_DIR");
	struct timespec step = { 0, 2000000 };
	pid_t parent = getpid();
	TEEC_Result res;
	int i;

	if (bench_st.tried)
		return bench_st.ready ? 0 : -1;
	bench_st.tried = 1;
	bench_st_supplicant(suppl, sizeof(suppl));
	if (snprintf(bench_st.root, sizeof(bench_st.root),
		     "%.50s/teeq-bench-store-XXXXXX",
		     base && *base ? base : "/tmp") >=
		    (int)sizeof(bench_st.root) ||
	    !mkdtemp(bench_st.root))
		return -1;
	snprintf(dir, sizeof(dir), "%s/plain", bench_st.root);
	snprintf(state, sizeof(state), "%s/state", bench_st.root);
	snprintf(bench_st.sock, sizeof(bench_st.sock), "%s/sw.sock",
		 bench_st.root);
	if (mkdir(dir, 0700))
		return -1;
	snprintf(dir, sizeof(dir), "%s/storage", bench_st.root);
	bench_st.pid = fork();
	if (bench_st.pid < 0)
		return -1;
	if (bench_st.pid == 0) {
		/* never outlive the benchmark; its supplicant goes with it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		setenv("TEEQ_STORAGE_DIR", dir, 1);
		execl(bench_st.sw, "teeq-sw", "--socket", bench_st.sock,
		      "--state-dir", state, "--supplicant", suppl,
		      "--supplicant-uid", "0", (char *)NULL);
		_exit(127);
	}
	/* it takes clients once its supplicant is attached */
	for (i = 0; i < 2500; i++) {
		res = TEEC_InitializeContext(bench_st.sock, &bench_st.ctx);
		if (res == TEEC_SUCCESS)
			break;
		nanosleep(&step, NULL);
	}
	if (res == TEEC_SUCCESS)
		res = TEEC_OpenSession(&bench_st.ctx, &bench_st.sess,
				       &bench_st_uuid, TEEC_LOGIN_PUBLIC, NULL,
				       NULL, NULL);
	bench_st.ready = res == TEEC_SUCCESS;
	return bench_st.ready ? 0 : -1;
}

/* ---- the storage TA ---------------------------------------------------------- */

static TEEC_Result bench_st_close(uint32_t handle)
{
	TEEC_Operation op = { 0 };

	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = handle;
	return TEEC_InvokeCommand(&bench_st.sess, TEEQ_STORAGE_CMD_CLOSE, &op,
				  NULL);
}

/* One durable write of the whole object: create (replacing), close. */
static TEEC_Result bench_st_write(const char *id, const void *data, size_t len)
{
	TEEC_Operation op = { 0 };
	TEEC_Result res;

	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT,
				 TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT);
	op.params[0].tmpref.buffer = (void *)id;
	op.params[0].tmpref.size = strlen(id);
	op.params[1].value.a = TEEQ_STORAGE_ACCESS_WRITE |
			       TEEQ_STORAGE_OVERWRITE;
	op.params[2].tmpref.buffer = (void *)data;
	op.params[2].tmpref.size = len;
	res = TEEC_InvokeCommand(&bench_st.sess, TEEQ_STORAGE_CMD_CREATE, &op,
				 NULL);
	return res != TEEC_SUCCESS ? res : bench_st_close(op.params[3].value.a);
}

/* One read of the whole object: open, read, close; *@got bytes. */
static TEEC_Result bench_st_read(const char *id, void *buf, size_t cap,
				 size_t *got)
{
	TEEC_Operation op = { 0 };
	TEEC_Result res;
	uint32_t handle;

	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_VALUE_INPUT, TEEC_NONE,
					 TEEC_VALUE_OUTPUT);
	op.params[0].tmpref.buffer = (void *)id;
	op.params[0].tmpref.size = strlen(id);
	op.params[1].value.a = TEEQ_STORAGE_ACCESS_READ;
	res = TEEC_InvokeCommand(&bench_st.sess, TEEQ_STORAGE_CMD_OPEN, &op,
				 NULL);
	if (res != TEEC_SUCCESS)
		return res;
	handle = op.params[3].value.a;
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = handle;
	op.params[1].tmpref.buffer = buf;
	op.params[1].tmpref.size = cap;
	res = TEEC_InvokeCommand(&bench_st.sess, TEEQ_STORAGE_CMD_READ, &op,
				 NULL);
	*got = op.params[1].tmpref.size;
	if (res != TEEC_SUCCESS) {
		bench_st_close(handle);
		return res;
	}
	return bench_st_close(handle);
}

/* ---- the plain file system --------------------------------------------------- */

static int bench_fs_dir(void)
{
	char dir[96];

	snprintf(dir, sizeof(dir), "%s/plain", bench_st.root);
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* The durable replacement of a file, as plainly as it can be done. */
static int bench_fs_write(int dirfd, const void *data, size_t len)
{
	int fd = openat(dirfd, "obj.new", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, data, len) == (ssize_t)len && !fsync(fd);
	close(fd);
	return ok && !renameat(dirfd, "obj.new", dirfd, "obj") &&
			       !fsync(dirfd) ?
		       0 :
		       -1;
}

static int bench_fs_read(int dirfd, void *buf, size_t len)
{
	int fd = openat(dirfd, "obj", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* ---- the benchmarks -------------------------------------------------------------- */

static void bench_st_fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 37 + seed);
}

static void bm_storage(struct bench *b, int reading)
{
	size_t len = (size_t)bench_arg(b), got = 0;
	unsigned char *data = malloc(len), *back = malloc(len);
	const char *id = len > STORAGE_SMALL ? "bench-large" : "bench-small";
	TEEC_Result res = TEEC_ERROR_OUT_OF_MEMORY;

	bench_env_none();
	if (!data || !back || bench_st_start()) {
		bench_fail(b, "no teeq-sw with storage (%s)", bench_st.root);
		goto out;
	}
	bench_set_peer(b, bench_st.pid);
	bench_st_fill(data, len, 1);
	res = bench_st_write(id, data, len);
	if (res == TEEC_SUCCESS)
		res = bench_st_read(id, back, len, &got);
	if (res != TEEC_SUCCESS || got != len || memcmp(data, back, len)) {
		bench_fail(b, "storage round trip failed: 0x%08x", res);
		goto out;
	}
#define BENCH_ST_CALL                                                      \
	do {                                                               \
		res = reading ? bench_st_read(id, back, len, &got) :       \
				bench_st_write(id, data, len);             \
		if (res != TEEC_SUCCESS) {                                 \
			bench_fail(b, "storage call failed: 0x%08x", res); \
		}                                                          \
	} while (0)
	if (len > STORAGE_SMALL) {
		while (bench_run(b) && !b->failed)
			BENCH_ST_CALL;
		bench_bytes(b, bench_iterations(b) * (int64_t)len);
	} else {
		BENCH_ROUND_TRIPS(b, BENCH_ST_CALL);
	}
#undef BENCH_ST_CALL
	bench_label(b, "%s through the storage TA and teeq-supplicant",
		    reading ? "open, read, close" : "durable write (commit)");
out:
	free(data);
	free(back);
}

static void bm_storage_write(struct bench *b)
{
	bm_storage(b, 0);
}

static void bm_storage_read(struct bench *b)
{
	bm_storage(b, 1);
}

static void bm_fs(struct bench *b, int reading)
{
	size_t len = (size_t)bench_arg(b);
	unsigned char *data = malloc(len), *back = malloc(len);
	int dirfd = -1, err = 0;

	bench_env_none();
	if (!data || !back || bench_st_start() ||
	    (dirfd = bench_fs_dir()) < 0) {
		bench_fail(b, "no directory to write in");
		goto out;
	}
	bench_st_fill(data, len, 2);
	if (bench_fs_write(dirfd, data, len) ||
	    bench_fs_read(dirfd, back, len) || memcmp(data, back, len)) {
		bench_fail(b, "plain round trip failed: %s", strerror(errno));
		goto out;
	}
#define BENCH_FS_CALL                                                      \
	do {                                                               \
		err = reading ? bench_fs_read(dirfd, back, len) :          \
				bench_fs_write(dirfd, data, len);          \
		if (err)                                                   \
			bench_fail(b, "file system: %s", strerror(errno)); \
	} while (0)
	if (len > STORAGE_SMALL) {
		while (bench_run(b) && !b->failed)
			BENCH_FS_CALL;
		bench_bytes(b, bench_iterations(b) * (int64_t)len);
	} else {
		BENCH_ROUND_TRIPS(b, BENCH_FS_CALL);
	}
#undef BENCH_FS_CALL
	bench_label(b, "%s, same file system, no TEE",
		    reading ? "open, read, close" :
			      "write, fsync, rename, fsync the directory");
out:
	if (dirfd >= 0)
		close(dirfd);
	free(data);
	free(back);
}

static void bm_fs_write(struct bench *b)
{
	bm_fs(b, 0);
}

static void bm_fs_read(struct bench *b)
{
	bm_fs(b, 1);
}

size_t bench_storage_defs(struct bench_def *d, size_t n)
{
	static const int64_t sizes[] = { STORAGE_SMALL, STORAGE_LARGE };
	size_t s;

	/* each next to its baseline */
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		d[n++] = BENCH_DEF_ARG("baseline/fs_write", bm_fs_write,
				       "bytes", sizes[s]);
		d[n++] = BENCH_DEF_ARG("teeq/storage/write", bm_storage_write,
				       "bytes", sizes[s]);
		d[n++] = BENCH_DEF_ARG("baseline/fs_read", bm_fs_read, "bytes",
				       sizes[s]);
		d[n++] = BENCH_DEF_ARG("teeq/storage/read", bm_storage_read,
				       "bytes", sizes[s]);
	}
	return n;
}

static int bench_st_rm(const char *path, const struct stat *st, int flag,
		       struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* At exit: our teeq-sw goes (and its supplicant with it), and the files. */
void bench_storage_fini(void)
{
	if (bench_st.ready) {
		TEEC_CloseSession(&bench_st.sess);
		TEEC_FinalizeContext(&bench_st.ctx);
	}
	if (bench_st.pid > 0) {
		kill(bench_st.pid, SIGTERM);
		waitpid(bench_st.pid, NULL, 0);
		bench_st.pid = 0;
	}
	if (bench_st.root[0])
		nftw(bench_st.root, bench_st_rm, 16, FTW_DEPTH | FTW_PHYS);
	bench_st.root[0] = 0;
}
