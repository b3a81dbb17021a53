/* SPDX-License-Identifier: MIT */
/*
 * Loaded-TA tests: a private teeq-sw (tests/sw_fixture.h) whose TA
 * directory is a fresh temporary one holding the test TA's four variants
 * (tests/secure/ta/proc), copied from the build as installing a TA does.
 */
#ifndef TEEQ_TESTS_TA_PROC_FIXTURE_H
#define TEEQ_TESTS_TA_PROC_FIXTURE_H

#include "tests/sw_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <tee_client_api.h>

#include "tests/secure/ta/proc/include/proc_ta.h"

static const TEEC_UUID proc_plain = PROC_TA_UUID_PLAIN;
static const TEEC_UUID proc_single = PROC_TA_UUID_SINGLE;
static const TEEC_UUID proc_multi = PROC_TA_UUID_MULTI;
static const TEEC_UUID proc_keep = PROC_TA_UUID_KEEP;

static char ta_fixture_dir[64];

static inline void ta_fixture_uuid_str(const TEEC_UUID *u, char out[37])
{
	const uint8_t *n = u->clockSeqAndNode;

	snprintf(out, 37, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u->timeLow, u->timeMid, u->timeHiAndVersion, n[0], n[1], n[2],
		 n[3], n[4], n[5], n[6], n[7]);
}

/* Copies @len bytes of @from into @to with @mode. */
static inline void ta_fixture_copy(const char *from, const char *to,
				   mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	CHECK(in >= 0);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
	CHECK(out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		CHECK(write(out, buf, (size_t)n) == n);
	CHECK(n == 0);
	CHECK(!fchmod(out, mode));
	close(in);
	close(out);
}

/* The built .ta of a variant: <build>/tests/secure/ta/proc-<v>/<uuid>.ta */
static inline void ta_fixture_built(const char *variant, const TEEC_UUID *u,
				    char *out, size_t len)
{
	char exe[PATH_MAX], name[37];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	CHECK(n > 0);
	exe[n] = 0;
	*strrchr(exe, '/') = 0;
	ta_fixture_uuid_str(u, name);
	snprintf(out, len, "%s/ta/proc-%s/%s.ta", exe, variant, name);
}

/* Installs a variant into the fixture's TA directory (as @name.ta when
 * @name is not NULL). */
static inline void ta_fixture_install(const char *variant, const TEEC_UUID *u,
				      const char *name)
{
	char from[PATH_MAX + 64], to[PATH_MAX], uuid[37];

	ta_fixture_built(variant, u, from, sizeof(from));
	ta_fixture_uuid_str(u, uuid);
	snprintf(to, sizeof(to), "%s/%s.ta", ta_fixture_dir,
		 name ? name : uuid);
	ta_fixture_copy(from, to, 0644);
}

static inline void ta_fixture_cleanup(void)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;

	if (!ta_fixture_dir[0] || getpid() != sw_fixture_owner)
		return;
	dir = opendir(ta_fixture_dir);
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", ta_fixture_dir,
			 d->d_name);
		if (unlink(path))
			rmdir(path);
	}
	if (dir)
		closedir(dir);
	rmdir(ta_fixture_dir);
	ta_fixture_dir[0] = 0;
}

/* A fresh TA directory with the four variants. */
static inline void ta_fixture_dir_init(void)
{
	snprintf(ta_fixture_dir, sizeof(ta_fixture_dir),
		 "/tmp/teeq-tadir-XXXXXX");
	CHECK(mkdtemp(ta_fixture_dir));
	ta_fixture_install("plain", &proc_plain, NULL);
	ta_fixture_install("single", &proc_single, NULL);
	ta_fixture_install("multi", &proc_multi, NULL);
	ta_fixture_install("keep", &proc_keep, NULL);
}

/* teeq-sw with the fixture's TA directory and more arguments. */
#define ta_fixture_start(f, ...)                                   \
	do {                                                       \
		sw_fixture_init(f);                                \
		if (!ta_fixture_dir[0]) {                          \
			ta_fixture_dir_init();                     \
			atexit(ta_fixture_cleanup);                \
		}                                                  \
		sw_fixture_start_on(f, "--ta-dir", ta_fixture_dir, \
				    ##__VA_ARGS__, NULL);          \
	} while (0)

static inline TEEC_Result ta_fixture_open(TEEC_Context *ctx, TEEC_Session *s,
					  const TEEC_UUID *uuid,
					  uint32_t *origin)
{
	return TEEC_OpenSession(ctx, s, uuid, TEEC_LOGIN_PUBLIC, NULL, NULL,
				origin);
}

/* Invokes @cmd with one VALUE_OUTPUT (or VALUE_INPUT @in when @in is
 * not ~0u); *@a gets its a. */
static inline TEEC_Result ta_fixture_value(TEEC_Session *s, uint32_t cmd,
					   uint32_t in, uint32_t *a,
					   uint32_t *origin)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(in == ~0u ? TEEC_VALUE_OUTPUT :
						     TEEC_VALUE_INPUT,
					 TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = in;
	res = TEEC_InvokeCommand(s, cmd, &op, origin);
	if (a)
		*a = op.params[0].value.a;
	return res;
}

/* The process a session's TA instance runs in. */
static inline pid_t ta_fixture_pid(TEEC_Session *s)
{
	uint32_t pid = 0, origin;

	CHECK_EQ(ta_fixture_value(s, PROC_CMD_PID, ~0u, &pid, &origin),
		 TEEC_SUCCESS);
	CHECK(pid > 0);
	return (pid_t)pid;
}

/* The parent of @pid, from /proc. */
static inline pid_t ta_fixture_ppid(pid_t pid)
{
	char path[64], buf[512], *p;
	int ppid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		sscanf(p + 2, "%*c %d", &ppid);
	fclose(f);
	return ppid;
}

/* Waits up to @ms for @pid to be gone (reaped; with @zombie_ok, also a
 * zombie: once teeq-sw is gone, who reaps it is not teeq's business). */
static inline int ta_fixture_gone(pid_t pid, uint64_t ms, int zombie_ok)
{
	uint64_t end = t_now_ms() + ms;
	struct timespec step = { 0, 5000000 };

	while (t_now_ms() < end) {
		char path[64], buf[512], *p;
		FILE *f;
		int zombie = 0;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		f = fopen(path, "r");
		if (!f)
			return 1;
		if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
			zombie = p[2] == 'Z';
		fclose(f);
		if (zombie && zombie_ok)
			return 1;
		nanosleep(&step, NULL);
	}
	return 0;
}

/* A call running on a thread of its own: the tests act while it runs. */
struct ta_fixture_call {
	TEEC_Session *sess;
	uint32_t cmd;
	TEEC_Operation op;
	TEEC_Result res;
	uint32_t origin;
	uint64_t ms; /* how long it took */
	int done; /* atomic */
	pthread_t thread;
};

static void *ta_fixture_call_main(void *arg)
{
	struct ta_fixture_call *c = arg;
	uint64_t start = t_now_ms();

	c->res = TEEC_InvokeCommand(c->sess, c->cmd, &c->op, &c->origin);
	c->ms = t_now_ms() - start;
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Starts @cmd (p0 VALUE_INPUT @a) and returns once libteeq submitted it. */
static inline void ta_fixture_call_start(struct ta_fixture_call *c,
					 TEEC_Session *sess, uint32_t cmd,
					 uint32_t a)
{
	uint64_t start = t_now_ms();

	memset(c, 0, sizeof(*c));
	c->sess = sess;
	c->cmd = cmd;
	c->op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE,
					    TEEC_NONE, TEEC_NONE);
	c->op.params[0].value.a = a;
	CHECK(!pthread_create(&c->thread, NULL, ta_fixture_call_main, c));
	while (!__atomic_load_n(&c->op.started, __ATOMIC_ACQUIRE) &&
	       t_now_ms() - start < 5000)
		usleep(100);
	CHECK_EQ(__atomic_load_n(&c->op.started, __ATOMIC_ACQUIRE), 1);
}

static inline int ta_fixture_call_done(struct ta_fixture_call *c)
{
	return __atomic_load_n(&c->done, __ATOMIC_ACQUIRE);
}

/* The call ended within @ms (a guard) and its thread is joined. */
static inline void ta_fixture_call_join(struct ta_fixture_call *c, uint64_t ms)
{
	uint64_t start = t_now_ms();

	while (!ta_fixture_call_done(c) && t_now_ms() - start < ms)
		usleep(1000);
	CHECK(ta_fixture_call_done(c));
	CHECK(!pthread_join(c->thread, NULL));
}

#endif /* TEEQ_TESTS_TA_PROC_FIXTURE_H */
