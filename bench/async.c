// SPDX-License-Identifier: MIT
/*
 * Asynchronous batches of noop invocations through libteeq's queue API.
 *
 * Pipelined (the figure that counts): the queue is kept full, as an
 * io_uring user would keep it: submit a batch whenever there is room for
 * one, reap whatever has completed, and block only when there is no room.
 * Submit-wait (labelled so): submit a batch, wait for all of it, repeat.
 *
 * With two client threads each has its own queue (a queue pair of its
 * own); both share BENCH_CLIENT_CPU, since the secure world's single
 * worker has the VM's other CPU.
 */
#include "bench/bench.h"
#include "bench/calls.h"
#include "bench/env.h"

#include <stdlib.h>
#include <string.h>

/* Deeper than any batch here: see the environment's TEEQ_QUEUE_DEPTH. */
#define ASYNC_MAX_DEPTH 4096

static int async_check(struct bench *b, const struct teeq_completion *done,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (done[i].result != TEEC_SUCCESS) {
			bench_fail(b, "completion 0x%08x origin %u",
				   done[i].result, done[i].origin);
			return -1;
		}
	}
	return 0;
}

int bench_async_open(struct bench *b, struct bench_async *a, TEEC_Context *ctx,
		     TEEC_Session *sess, uint32_t batch)
{
	TEEC_Result res;

	memset(a, 0, sizeof(*a));
	a->sess = sess;
	a->batch = batch;
	res = teeq_queue_open(ctx, &a->q);
	if (res != TEEC_SUCCESS) {
		bench_fail(b, "teeq_queue_open: 0x%08x", res);
		return -1;
	}
	a->depth = teeq_queue_space(a->q);
	a->done = calloc(ASYNC_MAX_DEPTH, sizeof(*a->done));
	if (!a->done || a->depth < batch || a->depth > ASYNC_MAX_DEPTH) {
		bench_fail(b, "queue depth %u for batch %u", a->depth, batch);
		bench_async_close(a);
		return -1;
	}
	return 0;
}

void bench_async_close(struct bench_async *a)
{
	teeq_queue_close(a->q);
	free(a->done);
	a->q = NULL;
	a->done = NULL;
}

int bench_async_batch(struct bench *b, struct bench_async *a, int pipelined)
{
	uint32_t batch = a->batch, i, space = teeq_queue_space(a->q);
	unsigned int n = 0;
	TEEC_Result res;

	if (pipelined) {
		/* reap what is done; block only if there is no room */
		n = teeq_reap(a->q, a->done, a->depth,
			      space < batch ? batch - space : 0,
			      space < batch ? -1 : 0);
	}
	if (async_check(b, a->done, n))
		return -1;
	a->in_flight -= n;
	for (i = 0; i < batch; i++) {
		res = teeq_prep_invoke(a->q, a->sess, TEEQ_NOOP_CMD_NOOP, NULL,
				       i);
		if (res != TEEC_SUCCESS) {
			bench_fail(b, "teeq_prep_invoke: 0x%08x", res);
			break;
		}
	}
	a->in_flight += teeq_submit(a->q);
	return b->failed ? -1 : 0;
}

int bench_async_drain(struct bench *b, struct bench_async *a)
{
	unsigned int n;

	while (a->in_flight) {
		n = teeq_reap(a->q, a->done, a->depth,
			      (unsigned int)a->in_flight, -1);
		if (async_check(b, a->done, n))
			return -1;
		a->in_flight -= n;
	}
	return 0;
}

static void async_run(struct bench *b, int pipelined)
{
	uint32_t batch = (uint32_t)bench_arg(b);
	struct teeq_stats st0, st1;
	struct bench_async a;
	struct bench_env *env;
	TEEC_Session *sess;

	if (b->thread == 0)
		env = bench_env_use(b, BENCH_ENV_SPIN);
	else
		env = bench_env_wait(BENCH_ENV_SPIN);
	if (!env) {
		bench_fail(b, "no secure world");
		return;
	}
	sess = bench_env_deep_noop(b, env);
	if (!sess || bench_async_open(b, &a, &env->deep_ctx, sess, batch))
		return;
	if (b->thread == 0) {
		bench_set_peer(b, env->pid);
		teeq_context_stats(&env->deep_ctx, &st0);
	}
	while (bench_run_batch(b, batch)) {
		if (bench_async_batch(b, &a, pipelined))
			break;
		/* the run ends, timed, when what it submitted has completed */
		if (!pipelined ||
		    bench_iterations(b) >= bench_max_iterations(b)) {
			if (bench_async_drain(b, &a))
				break;
		}
	}
	bench_async_close(&a);
	bench_items(b, bench_iterations(b));
	if (b->thread == 0) {
		teeq_context_stats(&env->deep_ctx, &st1);
		bench_counter(b, "doorbells",
			      (double)(st1.doorbells - st0.doorbells),
			      BENCH_COUNTER_PER_ITER);
		bench_counter(b, "client_sleeps",
			      (double)(st1.waits_slept - st0.waits_slept),
			      BENCH_COUNTER_PER_ITER);
		bench_label(b, "%s, batch %u, queue depth %u, %d thread%s",
			    pipelined ? "pipelined" : "submit-wait", batch,
			    a.depth, bench_threads(b),
			    bench_threads(b) > 1 ? "s on CPU 0" : "");
	}
}

static void bm_async_pipelined(struct bench *b)
{
	async_run(b, 1);
}

static void bm_async_submit_wait(struct bench *b)
{
	async_run(b, 0);
}

size_t bench_async_defs(struct bench_def *d, size_t n)
{
	static const int64_t batches[] = { 1, 8, 32, 128, 256 };
	int threads;
	size_t i;

	for (threads = 1; threads <= 2; threads++)
		for (i = 0; i < sizeof(batches) / sizeof(batches[0]); i++)
			d[n++] = (struct bench_def){
				.name = "teeq/async/noop_pipelined",
				.fn = bm_async_pipelined,
				.arg_name = "batch",
				.arg = batches[i],
				.threads = threads,
			};
	d[n++] = BENCH_DEF_ARG("teeq/async/noop_submit_wait",
			       bm_async_submit_wait, "batch", 32);
	return n;
}
