/* SPDX-License-Identifier: MIT */
/*
 * Secure storage end to end: a private teeq-sw (tests/sw_fixture.h) with
 * its own state directory and no supplicant of its own (--supplicant
 * none), and a teeq-supplicant the test starts, kills and restarts, with
 * its own storage directory; plus the storage TA's commands as small
 * helpers over the GP client API. Everything lives under one fresh
 * temporary directory, removed at exit.
 */
#ifndef TEEQ_TESTS_STORAGE_FIXTURE_H
#define TEEQ_TESTS_STORAGE_FIXTURE_H

#include "tests/sw_fixture.h"
#include "tests/tmpdir.h"
#include "uapi/teeq_gp.h"
#include "uapi/teeq_tas.h"

#include <sys/stat.h>
#include <tee_client_api.h>

struct st_fixture {
	struct sw_fixture sw;
	char root[64]; /* state/ and storage/ */
	char state[96];
	char storage[96];
	char suppl_sock[128];
	pid_t suppl_pid;
	char uid[16];
	const char *timeout_ms; /* --supplicant-timeout-ms, NULL: default */
};

static struct st_fixture *st_active;

static inline void st_exe(char *out, size_t len)
{
	char sw[PATH_MAX];

	/* <build>/secure/teeq-sw -> <build>/supplicant/teeq-supplicant */
	sw_fixture_exe(sw, sizeof(sw));
	*strrchr(sw, '/') = 0;
	*strrchr(sw, '/') = 0;
	CHECK(strlen(sw) + sizeof("/supplicant/teeq-supplicant") <= len);
	strcpy(out, sw);
	strcat(out, "/supplicant/teeq-supplicant");
}

static inline void st_kill_suppl(struct st_fixture *f, int sig)
{
	if (f->suppl_pid > 0) {
		kill(f->suppl_pid, sig);
		waitpid(f->suppl_pid, NULL, 0);
		f->suppl_pid = 0;
	}
}

static inline void st_cleanup(void)
{
	struct st_fixture *f = st_active;
	char lock[160];

	if (!f || getpid() != sw_fixture_owner)
		return;
	st_kill_suppl(f, SIGKILL);
	snprintf(lock, sizeof(lock), "%s.lock", f->suppl_sock);
	unlink(lock);
	unlink(f->suppl_sock);
}

/* Fresh directories under @base; nothing started yet. */
static inline void st_init_in(struct st_fixture *f, const char *base)
{
	memset(f, 0, sizeof(*f));
	sw_fixture_init(&f->sw);
	st_active = f;
	t_tmpdir_in(base, f->root, sizeof(f->root), "store");
	/* runs first: the daemons go before their directories do */
	atexit(st_cleanup);
	snprintf(f->state, sizeof(f->state), "%s/state", f->root);
	snprintf(f->storage, sizeof(f->storage), "%s/storage", f->root);
	snprintf(f->suppl_sock, sizeof(f->suppl_sock), "%s.suppl", f->sw.sock);
	snprintf(f->uid, sizeof(f->uid), "%u", (unsigned)geteuid());
}

/* Fresh directories in /tmp (a disk, here); nothing started yet. */
static inline void st_init(struct st_fixture *f)
{
	st_init_in(f, "/tmp");
}

/* teeq-sw with storage, no supplicant of its own; extra arguments NULL
 * terminated. */
#define st_start_sw(f, ...)                                              \
	sw_fixture_start_on(&(f)->sw, "--state-dir", (f)->state,         \
			    "--supplicant", "none", "--supplicant-uid",  \
			    (f)->uid, "--supplicant-timeout-ms",         \
			    (f)->timeout_ms ? (f)->timeout_ms : "10000", \
			    ##__VA_ARGS__, NULL)

/* Starts teeq-supplicant on the fixture's directories (extra arguments,
 * NULL terminated); it attaches by itself. */
static inline void st_start_suppl_args(struct st_fixture *f, ...)
{
	const char *argv[24] = { "teeq-supplicant", "--storage-dir", f->storage,
				 "--socket", f->suppl_sock };
	char exe[PATH_MAX];
	int argc = 5;
	va_list ap;

	va_start(ap, f);
	while (argc < 23 && (argv[argc] = va_arg(ap, const char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	st_exe(exe, sizeof(exe));
	f->suppl_pid = fork();
	CHECK(f->suppl_pid >= 0);
	if (f->suppl_pid == 0) {
		execv(exe, (char **)argv);
		_exit(127);
	}
}

#define st_start_suppl(f, ...) st_start_suppl_args(f, ##__VA_ARGS__, NULL)

/* ---- the storage TA, over the GP client API ---------------------------- */

static const TEEC_UUID st_uuid = TEEQ_TA_STORAGE_UUID;

static inline void st_open_session(TEEC_Context *ctx, TEEC_Session *s)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_OpenSession(ctx, s, &st_uuid, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
}

/* CREATE: the result; *@handle the new handle (if not NULL). */
static inline TEEC_Result st_create(TEEC_Session *s, const char *id,
				    uint32_t flags, const void *data,
				    size_t len, uint32_t *handle)
{
	TEEC_Operation op = { 0 };
	uint32_t origin = 0;
	TEEC_Result res;

	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT,
				 TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT);
	op.params[0].tmpref.buffer = (void *)id;
	op.params[0].tmpref.size = strlen(id);
	op.params[1].value.a = flags;
	op.params[2].tmpref.buffer = (void *)data;
	op.params[2].tmpref.size = len;
	res = TEEC_InvokeCommand(s, TEEQ_STORAGE_CMD_CREATE, &op, &origin);
	if (handle)
		*handle = op.params[3].value.a;
	return res;
}

static inline TEEC_Result st_open(TEEC_Session *s, const char *id,
				  uint32_t flags, uint32_t *handle)
{
	TEEC_Operation op = { 0 };
	uint32_t origin = 0;
	TEEC_Result res;

	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_VALUE_INPUT, TEEC_NONE,
					 TEEC_VALUE_OUTPUT);
	op.params[0].tmpref.buffer = (void *)id;
	op.params[0].tmpref.size = strlen(id);
	op.params[1].value.a = flags;
	res = TEEC_InvokeCommand(s, TEEQ_STORAGE_CMD_OPEN, &op, &origin);
	*handle = op.params[3].value.a;
	return res;
}

/* A command on a handle with p0 = (handle, @b) and nothing else. */
static inline TEEC_Result st_handle_cmd(TEEC_Session *s, uint32_t cmd,
					uint32_t handle, uint32_t b)
{
	TEEC_Operation op = { 0 };
	uint32_t origin = 0;

	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = handle;
	op.params[0].value.b = b;
	return TEEC_InvokeCommand(s, cmd, &op, &origin);
}

static inline TEEC_Result st_close(TEEC_Session *s, uint32_t handle)
{
	return st_handle_cmd(s, TEEQ_STORAGE_CMD_CLOSE, handle, 0);
}

/* READ up to @cap bytes; *@len what came. */
static inline TEEC_Result st_read(TEEC_Session *s, uint32_t handle, void *buf,
				  size_t cap, size_t *len)
{
	TEEC_Operation op = { 0 };
	uint32_t origin = 0;
	TEEC_Result res;

	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = handle;
	op.params[1].tmpref.buffer = buf;
	op.params[1].tmpref.size = cap;
	res = TEEC_InvokeCommand(s, TEEQ_STORAGE_CMD_READ, &op, &origin);
	*len = op.params[1].tmpref.size;
	return res;
}

/* WRITE or RENAME: p0 = handle, p1 = @len bytes of @buf. */
static inline TEEC_Result st_handle_buf(TEEC_Session *s, uint32_t cmd,
					uint32_t handle, const void *buf,
					size_t len)
{
	TEEC_Operation op = { 0 };
	uint32_t origin = 0;

	op.paramTypes = TEEC_PARAM_TYPES(
		TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = handle;
	op.params[1].tmpref.buffer = (void *)buf;
	op.params[1].tmpref.size = len;
	return TEEC_InvokeCommand(s, cmd, &op, &origin);
}

static inline TEEC_Result st_write(TEEC_Session *s, uint32_t handle,
				   const void *buf, size_t len)
{
	return st_handle_buf(s, TEEQ_STORAGE_CMD_WRITE, handle, buf, len);
}

static inline TEEC_Result st_seek(TEEC_Session *s, uint32_t handle, int64_t off,
				  uint32_t whence, uint64_t *pos)
{
	TEEC_Operation op = { 0 };
	uint32_t origin = 0;
	TEEC_Result res;

	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INPUT,
					 TEEC_VALUE_OUTPUT, TEEC_NONE);
	op.params[0].value.a = handle;
	op.params[0].value.b = whence;
	op.params[1].value.a = (uint32_t)(uint64_t)off;
	op.params[1].value.b = (uint32_t)((uint64_t)off >> 32);
	res = TEEC_InvokeCommand(s, TEEQ_STORAGE_CMD_SEEK, &op, &origin);
	if (pos)
		*pos = (uint64_t)op.params[2].value.b << 32 |
		       op.params[2].value.a;
	return res;
}

/* The whole object @id, opened for reading and closed: the result of the
 * open or read; the bytes in @buf, their count in *@len. */
static inline TEEC_Result st_get(TEEC_Session *s, const char *id, void *buf,
				 size_t cap, size_t *len)
{
	uint32_t h;
	TEEC_Result res = st_open(s, id, TEEQ_STORAGE_ACCESS_READ, &h);

	*len = 0;
	if (res)
		return res;
	res = st_read(s, h, buf, cap, len);
	CHECK_EQ(st_close(s, h), TEEC_SUCCESS);
	return res;
}

/* Creates (replacing) @id with @len bytes of @data, and closes it. */
static inline TEEC_Result st_put(TEEC_Session *s, const char *id,
				 const void *data, size_t len)
{
	uint32_t h;
	TEEC_Result res = st_create(
		s, id, TEEQ_STORAGE_ACCESS_WRITE | TEEQ_STORAGE_OVERWRITE, data,
		len, &h);

	if (res)
		return res;
	CHECK_EQ(st_close(s, h), TEEC_SUCCESS);
	return res;
}

/* The ids LIST returns, NUL-terminated one after another in @out. */
static inline TEEC_Result st_list(TEEC_Session *s, char *out, size_t cap,
				  uint32_t *count)
{
	unsigned char raw[4096];
	TEEC_Operation op = { 0 };
	uint32_t origin = 0;
	size_t off = 0, o = 0;
	TEEC_Result res;

	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT,
					 TEEC_VALUE_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = raw;
	op.params[0].tmpref.size = sizeof(raw);
	res = TEEC_InvokeCommand(s, TEEQ_STORAGE_CMD_LIST, &op, &origin);
	*count = op.params[1].value.a;
	if (res)
		return res;
	while (off < op.params[0].tmpref.size) {
		size_t n = raw[off];

		CHECK(o + n + 1 <= cap);
		memcpy(out + o, raw + off + 1, n);
		out[o + n] = 0;
		o += n + 1;
		off += 1 + n;
	}
	return res;
}

static inline TEEC_Result st_wait_storage(TEEC_Session *s);

/* Both daemons on fresh directories, a context and a storage session on
 * it, storage answering. */
static inline void st_up(struct st_fixture *f, TEEC_Context *ctx,
			 TEEC_Session *s)
{
	st_init(f);
	st_start_sw(f);
	st_start_suppl(f);
	CHECK_EQ(TEEC_InitializeContext(NULL, ctx), TEEC_SUCCESS);
	st_open_session(ctx, s);
	CHECK_EQ(st_wait_storage(s), TEEC_SUCCESS);
}

/* Waits (bounded) until storage answers other than NOT_AVAILABLE: the
 * supplicant has attached. Returns the first such result. */
static inline TEEC_Result st_wait_storage(TEEC_Session *s)
{
	char ids[4096];
	uint32_t count;
	struct timespec step = { 0, 5000000 };
	uint64_t end = t_now_ms() + 10000;
	TEEC_Result res;

	do {
		res = st_list(s, ids, sizeof(ids), &count);
		if (res != TEEQ_ERROR_STORAGE_NOT_AVAILABLE)
			return res;
		nanosleep(&step, NULL);
	} while (t_now_ms() < end);
	return res;
}

/* After the supplicant died: waits (bounded) until teeq-sw has noticed,
 * so that a later st_wait_storage() waits for the next one. */
static inline void st_wait_detached(TEEC_Session *s)
{
	char ids[4096];
	uint32_t count;
	struct timespec step = { 0, 2000000 };
	uint64_t end = t_now_ms() + 10000;

	while (st_list(s, ids, sizeof(ids), &count) !=
	       TEEQ_ERROR_STORAGE_NOT_AVAILABLE) {
		CHECK(t_now_ms() < end);
		nanosleep(&step, NULL);
	}
}

/* Kills the supplicant, waits until teeq-sw knows, starts a new one and
 * waits until it serves. */
static inline void st_restart_suppl(struct st_fixture *f, TEEC_Session *s)
{
	st_kill_suppl(f, SIGKILL);
	st_wait_detached(s);
	st_start_suppl(f);
	CHECK_EQ(st_wait_storage(s), TEEC_SUCCESS);
}

#endif /* TEEQ_TESTS_STORAGE_FIXTURE_H */
