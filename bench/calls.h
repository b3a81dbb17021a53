/* SPDX-License-Identifier: MIT */
/*
 * The teeq calls the benchmarks time, shared by their families (sync.c,
 * async.c) and the paired rounds (paired.c), so that a figure measured
 * in both places is measured by the same code.
 */
#ifndef TEEQ_BENCH_CALLS_H
#define TEEQ_BENCH_CALLS_H

#include "bench/bench.h"

#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

/* One synchronous noop invocation with @op (NULL: no operation). */
static inline void bench_noop_invoke(struct bench *b, TEEC_Session *sess,
				     TEEC_Operation *op)
{
	uint32_t origin;
	TEEC_Result res;

	res = TEEC_InvokeCommand(sess, TEEQ_NOOP_CMD_NOOP, op, &origin);
	if (res != TEEC_SUCCESS)
		bench_fail(b, "TEEC_InvokeCommand: 0x%08x origin %u", res,
			   origin);
}

/* TEEC_OpenSession(@uuid) and TEEC_CloseSession. */
static inline void bench_open_close(struct bench *b, TEEC_Context *ctx,
				    const TEEC_UUID *uuid)
{
	TEEC_Session sess;
	uint32_t origin;
	TEEC_Result res;

	res = TEEC_OpenSession(ctx, &sess, uuid, TEEC_LOGIN_PUBLIC, NULL, NULL,
			       &origin);
	if (res == TEEC_SUCCESS)
		TEEC_CloseSession(&sess);
	else
		bench_fail(b, "TEEC_OpenSession: 0x%08x origin %u", res,
			   origin);
}

/*
 * Batches of noop invocations through the queue API (async.c).
 * Pipelined: the queue is kept full, as an io_uring user would keep it:
 * before each batch, reap whatever has completed, blocking only when
 * there is no room for the batch. Otherwise (submit-wait) the caller
 * drains after each batch.
 */
struct bench_async {
	teeq_queue *q;
	TEEC_Session *sess;
	struct teeq_completion *done;
	unsigned int depth; /* the queue's, when opened */
	uint32_t batch;
	uint64_t in_flight;
};

/* A queue of @ctx for batches of @batch to @sess (a noop session); fails
 * @b and returns -1 when it cannot, or when the queue is too shallow. */
int bench_async_open(struct bench *b, struct bench_async *a, TEEC_Context *ctx,
		     TEEC_Session *sess, uint32_t batch);
/* One batch submitted; 0, or -1 with @b failed. */
int bench_async_batch(struct bench *b, struct bench_async *a, int pipelined);
/* Waits until everything submitted has completed; 0, or -1. */
int bench_async_drain(struct bench *b, struct bench_async *a);
void bench_async_close(struct bench_async *a);

#endif /* TEEQ_BENCH_CALLS_H */
