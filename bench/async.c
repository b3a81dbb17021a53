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
#include "bench/env.h"

#include "uapi/teeq_tas.h"

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

static int async_drain(struct bench *b, teeq_queue *q,
		       struct teeq_completion *done, unsigned int depth,
		       uint64_t *in_flight)
{
	unsigned int n;

	while (*in_flight) {
		n = teeq_reap(q, done, depth, (unsigned int)*in_flight, -1);
		if (async_check(b, done, n))
			return -1;
		*in_flight -= n;
	}
	return 0;
}

static void async_run(struct bench *b, int pipelined)
{
	uint32_t batch = (uint32_t)bench_arg(b), i, space;
	struct teeq_stats st0, st1;
	struct teeq_completion *done;
	struct bench_env *env;
	unsigned int depth, n;
	TEEC_Session *sess;
	teeq_queue *q;
	TEEC_Result res;
	uint64_t in_flight = 0;

	if (b->thread == 0)
		env = bench_env_use(b, BENCH_ENV_SPIN);
	else
		env = bench_env_wait(BENCH_ENV_SPIN);
	if (!env) {
		bench_fail(b, "no secure world");
		return;
	}
	sess = bench_env_deep_noop(b, env);
	if (!sess)
		return;
	res = teeq_queue_open(&env->deep_ctx, &q);
	if (res != TEEC_SUCCESS) {
		bench_fail(b, "teeq_queue_open: 0x%08x", res);
		return;
	}
	depth = teeq_queue_space(q);
	done = calloc(ASYNC_MAX_DEPTH, sizeof(*done));
	if (!done || depth < batch || depth > ASYNC_MAX_DEPTH) {
		bench_fail(b, "queue depth %u for batch %u", depth, batch);
		free(done);
		teeq_queue_close(q);
		return;
	}
	if (b->thread == 0) {
		bench_set_peer(b, env->pid);
		teeq_context_stats(&env->deep_ctx, &st0);
	}
	while (bench_run_batch(b, batch)) {
		space = teeq_queue_space(q);
		if (pipelined) {
			/* reap what is done; block only if there is no room */
			n = teeq_reap(q, done, depth,
				      space < batch ? batch - space : 0,
				      space < batch ? -1 : 0);
		} else {
			n = 0;
		}
		if (async_check(b, done, n))
			break;
		in_flight -= n;
		for (i = 0; i < batch; i++) {
			res = teeq_prep_invoke(q, sess, TEEQ_NOOP_CMD_NOOP,
					       NULL, i);
			if (res != TEEC_SUCCESS) {
				bench_fail(b, "teeq_prep_invoke: 0x%08x", res);
				break;
			}
		}
		in_flight += teeq_submit(q);
		/* the run ends, timed, when what it submitted has completed */
		if (!pipelined ||
		    bench_iterations(b) >= bench_max_iterations(b)) {
			if (async_drain(b, q, done, depth, &in_flight))
				break;
		}
	}
	teeq_queue_close(q);
	free(done);
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
			    depth, bench_threads(b),
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
