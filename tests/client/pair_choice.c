// SPDX-License-Identifier: MIT
/*
 * Which queue pair a call uses. TEEQ_QPAIRS=4: three exclusive pairs and
 * the shared one.
 *  - Three threads calling at once, as many as exclusive pairs, never
 *    reach the shared pair: each call has an exclusive pair of its own
 *    (the pairs' call counts add up to every call, the shared pair's stays
 *    put), and a thread keeps to its home pair, given round-robin (each
 *    pair saw exactly one thread's calls).
 *  - Beyond the exclusive pairs the last pair is shared: with three calls
 *    waiting in the secure world, one on each exclusive pair, three more
 *    threads' calls all go through the shared pair, in flight together,
 *    and all succeed.
 *  - Once the pairs are free again, a call takes an exclusive pair.
 */
#include "client/internal.h"
#include "tests/client/waiter.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

#define EXCL 3
#define CALLS 2000

static struct sw_fixture fx;

static TEEC_Context ctx;
static TEEC_Session sess;
static pthread_barrier_t go;

static uint64_t solo_calls(uint32_t i)
{
	return __atomic_load_n(&ctx.imp->qp[i].solo_seq, __ATOMIC_RELAXED);
}

static uint64_t shared_calls(void)
{
	return __atomic_load_n(&ctx.imp->qp[EXCL].stats.calls,
			       __ATOMIC_RELAXED);
}

static void *noops(void *arg)
{
	uint32_t origin, i;

	(void)arg;
	pthread_barrier_wait(&go);
	for (i = 0; i < CALLS; i++) {
		CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	}
	return NULL;
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct waiter w[2 * EXCL];
	uint64_t before[EXCL + 1], total = 0;
	pthread_t t[EXCL];
	uint32_t origin, i;

	setenv("TEEQ_QPAIRS", "4", 1);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(ctx.imp->nr_qp, EXCL + 1);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);

	/* as many threads as exclusive pairs: one pair each */
	for (i = 0; i < EXCL; i++)
		before[i] = solo_calls(i);
	before[EXCL] = shared_calls();
	CHECK(!pthread_barrier_init(&go, NULL, EXCL));
	for (i = 0; i < EXCL; i++)
		CHECK(!pthread_create(&t[i], NULL, noops, NULL));
	for (i = 0; i < EXCL; i++)
		CHECK(!pthread_join(t[i], NULL));
	pthread_barrier_destroy(&go);
	CHECK_EQ(shared_calls(), before[EXCL]);
	for (i = 0; i < EXCL; i++) {
		uint64_t n = solo_calls(i) - before[i];

		/* homes go round-robin, so the threads' differ: a
		 * thread's calls all stay on its home pair */
		CHECK_EQ(n, CALLS);
		total += n;
	}
	CHECK_EQ(total, EXCL * CALLS);

	/* every exclusive pair busy: the next calls share the last pair */
	for (i = 0; i < EXCL; i++)
		waiter_start(&w[i], &sess, 300);
	for (i = 0; i < EXCL; i++)
		CHECK(__atomic_load_n(&ctx.imp->qp[i].owner,
				      __ATOMIC_ACQUIRE) == TEEQ_QP_CALL);
	before[EXCL] = shared_calls();
	for (i = EXCL; i < 2 * EXCL; i++)
		waiter_start(&w[i], &sess, 1);
	for (i = 0; i < 2 * EXCL; i++) {
		waiter_join(&w[i]);
		CHECK_EQ(w[i].res, TEEC_SUCCESS);
		CHECK_EQ(w[i].origin, TEEC_ORIGIN_TRUSTED_APP);
	}
	CHECK_EQ(shared_calls(), before[EXCL] + EXCL);

	/* free again: an exclusive pair */
	for (i = 0; i < EXCL; i++)
		before[i] = solo_calls(i);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	for (i = 0, total = 0; i < EXCL; i++)
		total += solo_calls(i) - before[i];
	CHECK_EQ(total, 1);
	CHECK_EQ(shared_calls(), before[EXCL] + EXCL);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
