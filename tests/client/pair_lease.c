// SPDX-License-Identifier: MIT
/*
 * A thread holds no queue pair between its calls. With TEEQ_QPAIRS=2
 * there is one exclusive pair: a thread that opened a session, invoked,
 * cancelled an operation and closed its session, and now sits idle (alive),
 * leaves it free, so an async queue leases it; while the queue holds it,
 * that thread's calls go through the shared pair and work; once the queue
 * is closed its calls have the exclusive pair again.
 */
#include "client/internal.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static TEEC_Context ctx;
static TEEC_Session sess;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int step; /* 1: the thread is idle; 2: call again; 3: done */

static void wait_step(int want)
{
	pthread_mutex_lock(&lock);
	while (step != want)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

static void set_step(int s)
{
	pthread_mutex_lock(&lock);
	step = s;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

static void call(TEEC_Session *s)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_InvokeCommand(s, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
}

static void *user(void *arg)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	TEEC_Session own;
	TEEC_Operation op;
	uint32_t origin;

	(void)arg;
	CHECK_EQ(TEEC_OpenSession(&ctx, &own, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	call(&own);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = 1;
	CHECK_EQ(TEEC_InvokeCommand(&own, TEEQ_NOOP_CMD_WAIT, &op, &origin),
		 TEEC_SUCCESS);
	TEEC_RequestCancellation(&op); /* a finished one: nothing */
	TEEC_CloseSession(&own);
	set_step(1);
	wait_step(2);
	call(&sess);
	set_step(3);
	return NULL;
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct teeq_qp *excl, *shared;
	uint64_t solo0, shared0;
	uint32_t origin;
	teeq_queue *q;
	pthread_t t;

	setenv("TEEQ_QPAIRS", "2", 1);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	excl = &ctx.imp->qp[0];
	shared = &ctx.imp->qp[1];
	CHECK(shared->shared && !excl->shared);

	CHECK(!pthread_create(&t, NULL, user, NULL));
	wait_step(1);
	/* the idle thread holds nothing: the one exclusive pair is free */
	CHECK(__atomic_load_n(&excl->owner, __ATOMIC_ACQUIRE) == NULL);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	CHECK(__atomic_load_n(&excl->owner, __ATOMIC_ACQUIRE) == (void *)q);

	/* the thread calls again: through the shared pair */
	solo0 = __atomic_load_n(&excl->solo_seq, __ATOMIC_RELAXED);
	shared0 = __atomic_load_n(&shared->stats.calls, __ATOMIC_RELAXED);
	set_step(2);
	wait_step(3);
	CHECK(!pthread_join(t, NULL));
	CHECK_EQ(__atomic_load_n(&excl->solo_seq, __ATOMIC_RELAXED), solo0);
	CHECK_EQ(__atomic_load_n(&shared->stats.calls, __ATOMIC_RELAXED),
		 shared0 + 1);

	/* the queue gone, calls have the exclusive pair again */
	teeq_queue_close(q);
	call(&sess);
	CHECK_EQ(__atomic_load_n(&excl->solo_seq, __ATOMIC_RELAXED), solo0 + 1);
	CHECK(__atomic_load_n(&excl->owner, __ATOMIC_ACQUIRE) == NULL);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
