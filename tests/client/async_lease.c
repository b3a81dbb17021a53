// SPDX-License-Identifier: MIT
/*
 * Queues lease exclusive queue pairs; the last pair is shared and never
 * leased. With TEEQ_QPAIRS=3 two queues open and the third is
 * TEEC_ERROR_BUSY; closing one gives its pair back for the next. A thread
 * whose sync calls find every exclusive pair leased uses the shared pair
 * and works; a thread's call leases a free pair for the call only, so a
 * queue can have it as soon as the call has returned, while the thread
 * that called still lives.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static TEEC_Context ctx;
static TEEC_Session sess;

static void call(void)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
}

/* The caller thread calls, says so, and lives until told to exit. */
static int called, may_exit; /* under lock */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

static void *caller(void *arg)
{
	(void)arg;
	call(); /* leases a free exclusive pair, if any, for the call */
	pthread_mutex_lock(&lock);
	called = 1;
	pthread_cond_broadcast(&cond);
	while (!may_exit)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void async_noop(teeq_queue *q)
{
	struct teeq_completion done;
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_NOOP_CMD_NOOP, &op, 9),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_submit(q), 1);
	CHECK_EQ(teeq_reap(q, &done, 1, 1, 10000), 1);
	CHECK_EQ(done.result, TEEC_SUCCESS);
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	teeq_queue *q1, *q2, *q3;
	struct teeq_stats st;
	uint32_t origin;
	pthread_t t;

	setenv("TEEQ_QPAIRS", "3", 1);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.queue_pairs, 3);

	/* both exclusive pairs to queues, before any sync call */
	CHECK_EQ(teeq_queue_open(&ctx, &q1), TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &q2), TEEC_SUCCESS);
	q3 = (teeq_queue *)&q3;
	CHECK_EQ(teeq_queue_open(&ctx, &q3), TEEC_ERROR_BUSY);
	CHECK_EQ(teeq_queue_open(&ctx, &q3), TEEC_ERROR_BUSY);
	CHECK_EQ(teeq_queue_open(NULL, &q3), TEEC_ERROR_BAD_PARAMETERS);

	/* sync calls now go through the shared pair */
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	call();
	async_noop(q1);
	async_noop(q2);

	/* a closed queue's pair is the next queue's */
	teeq_queue_close(q1);
	CHECK_EQ(teeq_queue_open(&ctx, &q3), TEEC_SUCCESS);
	async_noop(q3);
	CHECK_EQ(teeq_queue_open(&ctx, &q1), TEEC_ERROR_BUSY);

	/* a call takes a free pair for as long as it runs */
	teeq_queue_close(q2);
	CHECK(!pthread_create(&t, NULL, caller, NULL));
	pthread_mutex_lock(&lock);
	while (!called)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	/* the caller is alive, and its call has given the pair back */
	CHECK_EQ(teeq_queue_open(&ctx, &q2), TEEC_SUCCESS);
	async_noop(q2);
	pthread_mutex_lock(&lock);
	may_exit = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	CHECK(!pthread_join(t, NULL));
	call();

	teeq_queue_close(q2);
	teeq_queue_close(q3);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
