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

/*
 * AES-128-CTR of one size, each way the payload benchmarks time it
 * (payload.c), for the paired rounds: in this process; through the TEE,
 * zero-copy (allocated shared memory) or copied (temporary memrefs); and
 * the copied call's floor, the bytes copied to a peer process that does
 * the same AES-CTR and copied back.
 */
enum bench_cipher_way {
	BENCH_CIPHER_INPROC,
	BENCH_CIPHER_ZEROCOPY,
	BENCH_CIPHER_COPIED,
	BENCH_CIPHER_FLOOR,
};

struct bench_cipher;
struct bench_env;
struct peer;

/* @len bytes each way, the TEE's on @env (a cipher session, its key, the
 * buffers), each way's result checked once against OpenSSL's; NULL and
 * @b failed when it cannot. */
struct bench_cipher *bench_cipher_open(struct bench *b, struct bench_env *env,
				       size_t len);
void bench_cipher_close(struct bench_cipher *c);
/* The floor's peer process, started (0) or not (-1, @b failed); stopped
 * and waited for by bench_cipher_floor_stop(). */
int bench_cipher_floor_start(struct bench *b, struct bench_cipher *c,
			     struct peer *p);
void bench_cipher_floor_stop(struct bench *b, struct peer *p);
/* One call @way (the floor's: while its peer runs); 0, or -1 with @b
 * failed. */
int bench_cipher_call(struct bench *b, struct bench_cipher *c,
		      enum bench_cipher_way way);

#endif /* TEEQ_BENCH_CALLS_H */
