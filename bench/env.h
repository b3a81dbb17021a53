/* SPDX-License-Identifier: MIT */
/*
 * The secure worlds a benchmark runs against: private teeq-sw processes,
 * each started with explicit options on its own socket, and a libteeq
 * context attached to each. Only the one in use runs: the others are
 * stopped (SIGSTOP), so that a spinning worker never shares a CPU with a
 * baseline or with another configuration.
 */
#ifndef TEEQ_BENCH_ENV_H
#define TEEQ_BENCH_ENV_H

#include "bench/bench.h"

#include <tee_client_api.h>
#include <teeq.h>

enum bench_env_id {
	/* one worker on CPU 1, polling for 1 s after its last call: the
	 * latency and throughput figures */
	BENCH_ENV_SPIN,
	/* one worker on CPU 1 that sleeps 50 us after its last call: the
	 * first call after idling, and the paired rounds (teeq/paired),
	 * whose peer processes need CPU 1 between the teeq calls */
	BENCH_ENV_IDLE,
	BENCH_NR_ENVS,
};

enum bench_ta {
	BENCH_TA_NOOP,
	BENCH_TA_DIGEST,
	BENCH_TA_CIPHER,
	BENCH_NR_TAS,
};

struct bench_env {
	const char *name;
	const char *sw_args[8]; /* teeq-sw options, NULL terminated */
	/* NAME=VALUE for a second, deep context used by the async
	 * calls (batches of 256 pipelined), or NULL; everything else
	 * uses the default context, with libteeq's default depth */
	const char *deep_env;
	pid_t pid;
	int started, stopped, ready;
	char sock[160];
	char lock[168]; /* teeq-sw's lock file beside the socket */
	TEEC_Context ctx;
	TEEC_Session sess[BENCH_NR_TAS];
	int sess_open[BENCH_NR_TAS];
	TEEC_Context deep_ctx;
	TEEC_Session deep_noop;
	int deep_ready, deep_open;
};

/* A noop session on the deep context (async calls). */
TEEC_Session *bench_env_deep_noop(struct bench *b, struct bench_env *env);
/* Where teeq-sw is, and where its logs go (may be NULL). */
int bench_env_init(const char *sw_path, const char *log_dir);
/* Runs @id (starting it the first time), stops the others and warms the
 * path up. Fails @b and returns NULL when it cannot. Thread 0 only. */
struct bench_env *bench_env_use(struct bench *b, enum bench_env_id id);
/* For the other threads of a multi-threaded run: waits until thread 0
 * has @id running. */
struct bench_env *bench_env_wait(enum bench_env_id id);
/* No secure world runs (baselines). */
void bench_env_none(void);
/* A session to @ta on @env (opened on first use, then kept); NULL and
 * @b failed if it cannot be opened. */
TEEC_Session *bench_env_session(struct bench *b, struct bench_env *env,
				enum bench_ta ta);
/* The teeq-sw statistics of @env (0, or -1). */
int bench_env_sw_stats(struct bench_env *env, struct teeq_sw_stats *st);
/* Stops every teeq-sw; nonzero if one did not exit cleanly. */
int bench_env_fini(void);
/* From a signal handler: kill what we started, remove the sockets. */
void bench_env_kill_all(void);
/* The teeq-sw options of each environment, for the report. */
void bench_env_describe(void);

#endif /* TEEQ_BENCH_ENV_H */
