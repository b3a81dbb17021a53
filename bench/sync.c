// SPDX-License-Identifier: MIT
/*
 * Synchronous GlobalPlatform calls, one at a time, timed one by one: the
 * round trip a TEEC_InvokeCommand user sees with a polling secure world
 * (worker pinned to BENCH_PEER_CPU, this thread to BENCH_CLIENT_CPU).
 */
#include "bench/bench.h"
#include "bench/calls.h"
#include "bench/env.h"

#include "shm/memfd.h"
#include "uapi/teeq_tas.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SYNC_MEMREF_SIZE 4096

enum sync_kind {
	SYNC_NOOP, /* no operation at all */
	SYNC_NOOP_OP_NONE, /* an operation with four TEEC_NONE */
	SYNC_VALUES, /* value input, output and inout */
	SYNC_MEMREF_POOL, /* 4 KiB of TEEC_AllocateSharedMemory, in place */
	SYNC_MEMREF_FD, /* 4 KiB of a registered memfd, in place */
	SYNC_TMPREF, /* 4 KiB temporary memref, copied both ways */
};

struct sync_setup {
	TEEC_SharedMemory shm;
	int shm_registered;
	int memfd;
	void *tmp;
};

static int sync_prepare(struct bench *b, struct bench_env *env,
			enum sync_kind kind, TEEC_Operation *op,
			struct sync_setup *s)
{
	TEEC_Result res = TEEC_SUCCESS;

	memset(op, 0, sizeof(*op));
	memset(s, 0, sizeof(*s));
	s->memfd = -1;
	switch (kind) {
	case SYNC_NOOP:
	case SYNC_NOOP_OP_NONE:
		break;
	case SYNC_VALUES:
		op->paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
						  TEEC_VALUE_OUTPUT,
						  TEEC_VALUE_INOUT, TEEC_NONE);
		op->params[0].value.a = 1;
		op->params[2].value.b = 2;
		break;
	case SYNC_MEMREF_POOL:
		s->shm.size = SYNC_MEMREF_SIZE;
		s->shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
		res = TEEC_AllocateSharedMemory(&env->ctx, &s->shm);
		break;
	case SYNC_MEMREF_FD:
		s->memfd = shm_memfd_create("teeq-bench", SYNC_MEMREF_SIZE);
		if (s->memfd < 0) {
			bench_fail(b, "memfd: %s", strerror(-s->memfd));
			return -1;
		}
		s->shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
		res = TEEC_RegisterSharedMemoryFileDescriptor(
			&env->ctx, &s->shm, s->memfd);
		break;
	case SYNC_TMPREF:
		s->tmp = calloc(1, SYNC_MEMREF_SIZE);
		if (!s->tmp) {
			bench_fail(b, "out of memory");
			return -1;
		}
		op->paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT,
						  TEEC_NONE, TEEC_NONE,
						  TEEC_NONE);
		op->params[0].tmpref.buffer = s->tmp;
		op->params[0].tmpref.size = SYNC_MEMREF_SIZE;
		break;
	}
	if (res != TEEC_SUCCESS) {
		bench_fail(b, "shared memory: 0x%08x", res);
		return -1;
	}
	if (kind == SYNC_MEMREF_POOL || kind == SYNC_MEMREF_FD) {
		s->shm_registered = 1;
		memset(s->shm.buffer, 0x11, SYNC_MEMREF_SIZE);
		op->paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
						  TEEC_NONE, TEEC_NONE);
		op->params[0].memref.parent = &s->shm;
	}
	return 0;
}

static void sync_release(struct sync_setup *s)
{
	if (s->shm_registered)
		TEEC_ReleaseSharedMemory(&s->shm);
	if (s->memfd >= 0)
		close(s->memfd);
	free(s->tmp);
}

/* libteeq's own counters, per call, over the run. */
static void sync_stats_report(struct bench *b, const struct teeq_stats *t0,
			      const struct teeq_stats *t1)
{
	bench_counter(b, "bounce_bytes",
		      (double)(t1->bounce_bytes - t0->bounce_bytes),
		      BENCH_COUNTER_PER_ITER);
	bench_counter(b, "client_sleeps",
		      (double)(t1->waits_slept - t0->waits_slept),
		      BENCH_COUNTER_PER_ITER);
	bench_counter(b, "doorbells", (double)(t1->doorbells - t0->doorbells),
		      BENCH_COUNTER_PER_ITER);
}

static void sync_invoke(struct bench *b, enum sync_kind kind)
{
	struct teeq_stats st0, st1;
	struct bench_env *env;
	struct sync_setup s;
	TEEC_Session *sess;
	TEEC_Operation op;
	TEEC_Operation *opp;
	env = bench_env_use(b, BENCH_ENV_SPIN);
	sess = env ? bench_env_session(b, env, BENCH_TA_NOOP) : NULL;
	if (!sess || sync_prepare(b, env, kind, &op, &s))
		return;
	opp = kind == SYNC_NOOP ? NULL : &op;
	bench_set_peer(b, env->pid);
	teeq_context_stats(&env->ctx, &st0);
	while (bench_run(b))
		bench_noop_invoke(b, sess, opp);
	teeq_context_stats(&env->ctx, &st1);
	sync_stats_report(b, &st0, &st1);
	/* then the same calls, each timed */
	BENCH_LATENCY_PASS(b, bench_noop_invoke(b, sess, opp));
	sync_release(&s);
}

static void bm_sync_noop(struct bench *b)
{
	sync_invoke(b, SYNC_NOOP);
	bench_label(b, "TEEC_InvokeCommand(noop, NULL operation)");
}

static void bm_sync_noop_op_none(struct bench *b)
{
	sync_invoke(b, SYNC_NOOP_OP_NONE);
	bench_label(b, "TEEC_InvokeCommand(noop, operation of 4 x NONE)");
}

static void bm_sync_values(struct bench *b)
{
	sync_invoke(b, SYNC_VALUES);
	bench_label(b, "noop, VALUE_INPUT + VALUE_OUTPUT + VALUE_INOUT");
}

static void bm_sync_memref_pool(struct bench *b)
{
	sync_invoke(b, SYNC_MEMREF_POOL);
	bench_label(b, "noop, 4 KiB MEMREF_WHOLE of allocated shared memory");
}

static void bm_sync_memref_fd(struct bench *b)
{
	sync_invoke(b, SYNC_MEMREF_FD);
	bench_label(b, "noop, 4 KiB MEMREF_WHOLE of a registered memfd");
}

static void bm_sync_tmpref(struct bench *b)
{
	sync_invoke(b, SYNC_TMPREF);
	bench_label(b, "noop, 4 KiB MEMREF_TEMP_INOUT (copied in and out)");
}

static void bm_sync_open_close(struct bench *b)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct bench_env *env = bench_env_use(b, BENCH_ENV_SPIN);

	if (!env)
		return;
	bench_set_peer(b, env->pid);
	BENCH_ROUND_TRIPS(b, bench_open_close(b, &env->ctx, &noop));
	bench_label(b, "TEEC_OpenSession(noop) + TEEC_CloseSession");
}

/* The headline, on its own: the suite measures the floor right before and
 * right after it. */
size_t bench_sync_noop_defs(struct bench_def *d, size_t n)
{
	d[n++] = BENCH_DEF("teeq/sync/noop", bm_sync_noop);
	return n;
}

size_t bench_sync_defs(struct bench_def *d, size_t n)
{
	d[n++] = BENCH_DEF("teeq/sync/noop_op_none", bm_sync_noop_op_none);
	d[n++] = BENCH_DEF("teeq/sync/values", bm_sync_values);
	d[n++] = BENCH_DEF("teeq/sync/memref4k_pool", bm_sync_memref_pool);
	d[n++] = BENCH_DEF("teeq/sync/memref4k_fd", bm_sync_memref_fd);
	d[n++] = BENCH_DEF("teeq/sync/tmpref4k", bm_sync_tmpref);
	d[n++] = BENCH_DEF("teeq/sync/open_close", bm_sync_open_close);
	return n;
}
