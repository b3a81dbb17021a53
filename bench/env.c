// SPDX-License-Identifier: MIT
/* Private teeq-sw processes for the benchmarks; see env.h. */
#include "bench/env.h"

#include "ring/host.h"
#include "uapi/teeq_host.h"
#include "uapi/teeq_tas.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long the path is exercised after a secure world resumes. */
#define BENCH_ENV_WARMUP_NS 5000000ull

static struct bench_env bench_envs[BENCH_NR_ENVS] = {
	[BENCH_ENV_SPIN] = {
		.name = "spin",
		.sw_args = { "--workers", "1", "--spin-us", "1000000",
			     "--cpus", "1", NULL },
		/* deep enough that batches of 256 can be pipelined */
		.deep_env = "TEEQ_QUEUE_DEPTH=1024",
	},
	[BENCH_ENV_IDLE] = {
		.name = "idle",
		.sw_args = { "--workers", "1", "--spin-us", "50", "--cpus",
			     "1", NULL },
		/* the paired rounds' async figure, as the spin one's */
		.deep_env = "TEEQ_QUEUE_DEPTH=1024",
	},
};

static char bench_sw_path[PATH_MAX];
static char bench_log_dir[PATH_MAX];
static char bench_sock_dir[64];
static enum bench_env_id bench_env_current = BENCH_NR_ENVS;

static const TEEC_UUID bench_ta_uuids[BENCH_NR_TAS] = {
	[BENCH_TA_NOOP] = TEEQ_TA_NOOP_UUID,
	[BENCH_TA_DIGEST] = TEEQ_TA_DIGEST_UUID,
	[BENCH_TA_CIPHER] = TEEQ_TA_CIPHER_UUID,
};

int bench_env_init(const char *sw_path, const char *log_dir)
{
	snprintf(bench_sw_path, sizeof(bench_sw_path), "%s", sw_path);
	snprintf(bench_log_dir, sizeof(bench_log_dir), "%s",
		 log_dir ? log_dir : "");
	/* libteeq must never start a teeq-sw of its own */
	setenv("TEEQ_NO_AUTOSTART", "1", 1);
	if (access(bench_sw_path, X_OK)) {
		fprintf(stderr, "teeq-bench: no teeq-sw at %s: %s\n",
			bench_sw_path, strerror(errno));
		return -1;
	}
	return 0;
}

void bench_env_describe(void)
{
	char key[64], val[256];
	int i, j;

	for (i = 0; i < BENCH_NR_ENVS; i++) {
		struct bench_env *e = &bench_envs[i];
		size_t n = 0;

		n += (size_t)snprintf(val + n, sizeof(val) - n, "teeq-sw");
		for (j = 0; e->sw_args[j]; j++)
			n += (size_t)snprintf(val + n, sizeof(val) - n, " %s",
					      e->sw_args[j]);
		if (e->deep_env)
			snprintf(val + n, sizeof(val) - n,
				 "; async calls' client %s", e->deep_env);
		snprintf(key, sizeof(key), "teeq_env_%s", e->name);
		bench_gb_context(key, val);
	}
}

static int bench_env_spawn(struct bench_env *e)
{
	const char *argv[16] = { "teeq-sw", "--socket", e->sock };
	char log[PATH_MAX + 64];
	pid_t parent = getpid();
	int argc = 3, i, ret;

	if (!bench_sock_dir[0]) {
		snprintf(bench_sock_dir, sizeof(bench_sock_dir),
			 "/tmp/teeq-bench-XXXXXX");
		if (!mkdtemp(bench_sock_dir)) {
			bench_sock_dir[0] = 0;
			return -errno;
		}
	}
	snprintf(e->sock, sizeof(e->sock), "%s/%s.sock", bench_sock_dir,
		 e->name);
	snprintf(e->lock, sizeof(e->lock), "%s.lock", e->sock);
	for (i = 0; e->sw_args[i]; i++)
		argv[argc++] = e->sw_args[i];
	argv[argc] = NULL;
	if (bench_log_dir[0])
		snprintf(log, sizeof(log), "%s/teeq-sw-%s.log", bench_log_dir,
			 e->name);
	e->pid = fork();
	if (e->pid < 0)
		return -errno;
	if (e->pid == 0) {
		int fd = bench_log_dir[0] ?
				 open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644) :
				 -1;

		/* never outlive the benchmark, whatever happens to it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(bench_sw_path, (char **)argv);
		_exit(127);
	}
	ret = ring_host_await(e->sock, e->pid, 5000);
	if (ret == -ECHILD)
		e->pid = 0;
	return ret;
}

static int bench_env_start(struct bench_env *e)
{
	const char *eq = e->deep_env ? strchr(e->deep_env, '=') : NULL;
	char name[64] = "";
	TEEC_Result res;
	int ret;

	e->started = 1;
	ret = bench_env_spawn(e);
	if (ret) {
		fprintf(stderr, "teeq-bench: cannot start teeq-sw (%s): %s\n",
			e->name, strerror(-ret));
		return ret;
	}
	res = TEEC_InitializeContext(e->sock, &e->ctx);
	if (res == TEEC_SUCCESS && eq) {
		e->ready = 1;
		snprintf(name, sizeof(name), "%.*s", (int)(eq - e->deep_env),
			 e->deep_env);
		setenv(name, eq + 1, 1);
		res = TEEC_InitializeContext(e->sock, &e->deep_ctx);
		unsetenv(name);
		e->deep_ready = res == TEEC_SUCCESS;
		/* opened here, single-threaded: every thread shares it */
		if (e->deep_ready)
			res = TEEC_OpenSession(&e->deep_ctx, &e->deep_noop,
					       &bench_ta_uuids[BENCH_TA_NOOP],
					       TEEC_LOGIN_PUBLIC, NULL, NULL,
					       NULL);
		e->deep_open = res == TEEC_SUCCESS;
	}
	if (res != TEEC_SUCCESS) {
		fprintf(stderr,
			"teeq-bench: TEEC_InitializeContext(%s): 0x%08x\n",
			e->sock, res);
		return -EPROTO;
	}
	e->ready = 1;
	return 0;
}

TEEC_Session *bench_env_deep_noop(struct bench *b, struct bench_env *env)
{
	if (!env->deep_open) {
		bench_fail(b, "no noop session on the deep context");
		return NULL;
	}
	return &env->deep_noop;
}

TEEC_Session *bench_env_session(struct bench *b, struct bench_env *env,
				enum bench_ta ta)
{
	uint32_t origin;
	TEEC_Result res;

	if (env->sess_open[ta])
		return &env->sess[ta];
	res = TEEC_OpenSession(&env->ctx, &env->sess[ta], &bench_ta_uuids[ta],
			       TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (res != TEEC_SUCCESS) {
		if (b)
			bench_fail(b, "TEEC_OpenSession: 0x%08x origin %u", res,
				   origin);
		return NULL;
	}
	env->sess_open[ta] = 1;
	return &env->sess[ta];
}

/* Stops (SIGSTOP) or resumes (SIGCONT) @e, and waits until it has. */
static void bench_env_signal(struct bench_env *e, int stop)
{
	int status;

	if (e->pid <= 0 || e->stopped == stop)
		return;
	kill(e->pid, stop ? SIGSTOP : SIGCONT);
	while (waitpid(e->pid, &status, stop ? WUNTRACED : WCONTINUED) < 0 &&
	       errno == EINTR)
		;
	e->stopped = stop;
}

static int bench_env_warmup(struct bench_env *e)
{
	TEEC_Session *s = bench_env_session(NULL, e, BENCH_TA_NOOP);
	uint64_t end = bench_clock_ns() + BENCH_ENV_WARMUP_NS;
	uint32_t origin;

	if (!s)
		return -1;
	while (bench_clock_ns() < end)
		if (TEEC_InvokeCommand(s, TEEQ_NOOP_CMD_NOOP, NULL, &origin) !=
		    TEEC_SUCCESS)
			return -1;
	return 0;
}

struct bench_env *bench_env_use(struct bench *b, enum bench_env_id id)
{
	struct bench_env *e = &bench_envs[id];
	int i;

	if (bench_env_current != id) {
		for (i = 0; i < BENCH_NR_ENVS; i++)
			if (i != (int)id)
				bench_env_signal(&bench_envs[i], 1);
		if (!e->started)
			bench_env_start(e);
		bench_env_signal(e, 0);
		if (e->ready && bench_env_warmup(e))
			e->ready = 0;
		__atomic_store_n(&bench_env_current, id, __ATOMIC_RELEASE);
	}
	if (!e->ready) {
		bench_fail(b, "teeq-sw (%s) is not running", e->name);
		return NULL;
	}
	return e;
}

struct bench_env *bench_env_wait(enum bench_env_id id)
{
	while (__atomic_load_n(&bench_env_current, __ATOMIC_ACQUIRE) != id)
		sched_yield();
	return bench_envs[id].ready ? &bench_envs[id] : NULL;
}

void bench_env_none(void)
{
	int i;

	for (i = 0; i < BENCH_NR_ENVS; i++)
		bench_env_signal(&bench_envs[i], 1);
	bench_env_current = BENCH_NR_ENVS;
}

int bench_env_sw_stats(struct bench_env *env, struct teeq_sw_stats *st)
{
	return teeq_secure_stats(&env->ctx, st) == TEEC_SUCCESS ? 0 : -1;
}

static void bench_env_remove_socket(const struct bench_env *e)
{
	unlink(e->lock);
	unlink(e->sock);
}

int bench_env_fini(void)
{
	int i, t, bad = 0, status;

	for (i = 0; i < BENCH_NR_ENVS; i++) {
		struct bench_env *e = &bench_envs[i];

		if (!e->started)
			continue;
		bench_env_signal(e, 0);
		for (t = 0; t < BENCH_NR_TAS; t++)
			if (e->sess_open[t])
				TEEC_CloseSession(&e->sess[t]);
		if (e->deep_open)
			TEEC_CloseSession(&e->deep_noop);
		if (e->deep_ready)
			TEEC_FinalizeContext(&e->deep_ctx);
		if (e->ready)
			TEEC_FinalizeContext(&e->ctx);
		e->ready = e->deep_ready = e->deep_open = 0;
		if (e->pid > 0) {
			kill(e->pid, SIGTERM);
			for (t = 0; t < 500; t++) {
				struct timespec step = { 0, 10000000 };

				if (waitpid(e->pid, &status, WNOHANG) == e->pid)
					break;
				nanosleep(&step, NULL);
			}
			if (t == 500) {
				fprintf(stderr,
					"teeq-bench: teeq-sw (%s) ignored "
					"SIGTERM for 5 s; killed\n",
					e->name);
				kill(e->pid, SIGKILL);
				waitpid(e->pid, &status, 0);
				bad = 1;
			} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				fprintf(stderr,
					"teeq-bench: teeq-sw (%s) exited "
					"with status 0x%x\n",
					e->name, status);
				bad = 1;
			}
			e->pid = 0;
		}
		bench_env_remove_socket(e);
	}
	if (bench_sock_dir[0])
		rmdir(bench_sock_dir);
	return bad;
}

/* Async-signal-safe: kill, unlink and rmdir only. */
void bench_env_kill_all(void)
{
	int i;

	for (i = 0; i < BENCH_NR_ENVS; i++) {
		if (bench_envs[i].pid > 0)
			kill(bench_envs[i].pid, SIGKILL);
		if (bench_envs[i].started)
			bench_env_remove_socket(&bench_envs[i]);
	}
	if (bench_sock_dir[0])
		rmdir(bench_sock_dir);
}
