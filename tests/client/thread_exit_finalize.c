// SPDX-License-Identifier: MIT
/*
 * A thread that made calls exits while another thread finalizes the
 * context: nothing of the context is touched after it is freed (this test
 * runs under AddressSanitizer too). A thread holds nothing between calls,
 * so its exit has nothing to give back. To make the race certain rather
 * than likely, the exiting thread is held, after its first mutex unlock
 * during exit, until the context is finalized: an exit path that checks
 * the context and then unlocks before touching it would touch freed
 * memory here.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <semaphore.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static TEEC_Context ctx;
static TEEC_Session sess;
static sem_t in_exit, finalized;
static __thread int exiting;
static int held; /* atomic */

int __real_pthread_mutex_unlock(pthread_mutex_t *m);
int __wrap_pthread_mutex_unlock(pthread_mutex_t *m);

/* libteeq's unlocks come here (it is linked with
 * -Wl,--wrap=pthread_mutex_unlock, see the Makefile, which works in a
 * static program too): the exiting thread stops after its first one until
 * the context is gone. */
int __wrap_pthread_mutex_unlock(pthread_mutex_t *m)
{
	struct timespec limit;
	int ret;

	ret = __real_pthread_mutex_unlock(m);
	if (exiting && !__atomic_exchange_n(&held, 1, __ATOMIC_ACQ_REL)) {
		sem_post(&in_exit);
		clock_gettime(CLOCK_REALTIME, &limit);
		limit.tv_sec += 5;
		sem_timedwait(&finalized, &limit);
	}
	return ret;
}

static void *caller(void *arg)
{
	TEEC_Operation op;
	uint32_t origin;
	int i;

	(void)arg;
	for (i = 0; i < 10; i++)
		CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_SUCCESS);
	memset(&op, 0, sizeof(op));
	TEEC_RequestCancellation(&op); /* not started: nothing sent */
	exiting = 1;
	return NULL; /* thread-exit work, if any, runs after this */
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	uint64_t start;
	uint32_t origin;
	pthread_t t;
	int round, joined;

	CHECK(!sem_init(&in_exit, 0, 0) && !sem_init(&finalized, 0, 0));
	sw_fixture_start(&fx);
	for (round = 0; round < 2; round++) {
		__atomic_store_n(&held, 0, __ATOMIC_RELEASE);
		CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
		CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC,
					  NULL, NULL, &origin),
			 TEEC_SUCCESS);
		CHECK(!pthread_create(&t, NULL, caller, NULL));
		/* finalize while the thread is in its exit, or gone */
		start = t_now_ms();
		joined = 0;
		while (!joined && sem_trywait(&in_exit) &&
		       t_now_ms() - start < 5000) {
			joined = !pthread_tryjoin_np(t, NULL);
			if (!joined)
				usleep(1000);
		}
		TEEC_CloseSession(&sess);
		TEEC_FinalizeContext(&ctx);
		if (__atomic_load_n(&held, __ATOMIC_ACQUIRE))
			sem_post(&finalized);
		if (!joined)
			CHECK(!pthread_join(t, NULL));
	}
	sw_fixture_stop(&fx);
	return T_PASS;
}
