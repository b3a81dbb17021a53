// SPDX-License-Identifier: MIT
/*
 * A synchronous call never fails for lack of ring space: it waits for
 * credit. With TEEQ_QPAIRS=2 TEEQ_QUEUE_DEPTH=2 (one exclusive pair of one
 * call, a shared pair of one call and one entry kept for cancellations),
 * six threads each in a call that waits 10 ms in the secure world (one
 * session: they run one after another, as many in flight as fit) all
 * succeed; so do eighty with the defaults (seven exclusive pairs, a shared
 * pair of 63 calls), ten more than fit at once. Each call returns its own
 * result, and the contexts count every call.
 */
#include "tests/client/waiter.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

#define MAX_THREADS 80

static struct sw_fixture fx;

struct caller {
	TEEC_Session *sess;
	TEEC_Result res;
	uint32_t origin;
	pthread_t thread;
};

static pthread_barrier_t go;

static void *caller_main(void *arg)
{
	struct caller *c = arg;
	TEEC_Operation op;

	waiter_op(&op, 10);
	pthread_barrier_wait(&go);
	c->res = TEEC_InvokeCommand(c->sess, TEEQ_NOOP_CMD_WAIT, &op,
				    &c->origin);
	return NULL;
}

/* @n threads at once, each in one waiting call on @ctx. */
static void crowd(TEEC_Context *ctx, unsigned int n)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	static struct caller c[MAX_THREADS];
	struct teeq_stats st0, st1;
	TEEC_Session sess;
	uint32_t origin;
	unsigned int i, busy = 0, failed = 0;

	CHECK_EQ(TEEC_OpenSession(ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	teeq_context_stats(ctx, &st0);
	CHECK(!pthread_barrier_init(&go, NULL, n));
	for (i = 0; i < n; i++) {
		c[i] = (struct caller){ .sess = &sess };
		CHECK(!pthread_create(&c[i].thread, NULL, caller_main, &c[i]));
	}
	for (i = 0; i < n; i++) {
		CHECK(!pthread_join(c[i].thread, NULL));
		busy += c[i].res == TEEC_ERROR_BUSY;
		failed += c[i].res != TEEC_SUCCESS ||
			  c[i].origin != TEEC_ORIGIN_TRUSTED_APP;
	}
	pthread_barrier_destroy(&go);
	if (failed)
		fprintf(stderr, "%u threads: %u BUSY, %u failed\n", n, busy,
			failed);
	CHECK_EQ(failed, 0);
	teeq_context_stats(ctx, &st1);
	CHECK_EQ(st1.calls - st0.calls, n);
	TEEC_CloseSession(&sess);
}

int main(void)
{
	TEEC_Context small, dflt;
	struct teeq_stats st;

	sw_fixture_start(&fx);
	setenv("TEEQ_QPAIRS", "2", 1);
	setenv("TEEQ_QUEUE_DEPTH", "2", 1);
	CHECK_EQ(TEEC_InitializeContext(NULL, &small), TEEC_SUCCESS);
	unsetenv("TEEQ_QPAIRS");
	unsetenv("TEEQ_QUEUE_DEPTH");
	teeq_context_stats(&small, &st);
	CHECK_EQ(st.queue_pairs, 2);
	CHECK_EQ(st.queue_depth, 2);
	crowd(&small, 6);
	TEEC_FinalizeContext(&small);

	CHECK_EQ(TEEC_InitializeContext(NULL, &dflt), TEEC_SUCCESS);
	teeq_context_stats(&dflt, &st);
	CHECK_EQ(st.queue_pairs * st.queue_depth, 8 * 64);
	crowd(&dflt, MAX_THREADS);
	TEEC_FinalizeContext(&dflt);
	sw_fixture_stop(&fx);
	return T_PASS;
}
