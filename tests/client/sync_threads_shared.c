// SPDX-License-Identifier: MIT
/*
 * More threads than queue pairs with the sync API: TEEQ_QPAIRS=2 leaves
 * one exclusive pair and the shared one, and six threads each make
 * thousands of invokes (echo VALUES, COPY through temporary memrefs, and a
 * 1 ms CMD_WAIT now and then, so calls overlap on the shared pair), some
 * threads sharing a session. Every call returns its own correct result and
 * outputs; the context counts every call and the heap ends empty.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

#define THREADS 6

static TEEC_Context ctx;
static TEEC_Session shared_echo, noop;
static uint64_t per_thread;

static void *worker(void *arg)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	uint32_t id = (uint32_t)(uintptr_t)arg, origin;
	unsigned char src[200], dst[200];
	TEEC_Session own, *sess;
	TEEC_Operation op;
	uint64_t i, seed = id;

	/* odd threads share one session, even ones have their own */
	if (id % 2) {
		sess = &shared_echo;
	} else {
		CHECK_EQ(TEEC_OpenSession(&ctx, &own, &echo, TEEC_LOGIN_PUBLIC,
					  NULL, NULL, &origin),
			 TEEC_SUCCESS);
		sess = &own;
	}
	for (i = 0; i < per_thread; i++) {
		uint64_t r = test_rand(&seed);

		memset(&op, 0, sizeof(op));
		origin = 0;
		if (i % 100 == 99) {
			op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
							 TEEC_NONE, TEEC_NONE,
							 TEEC_NONE);
			op.params[0].value.a = 1;
			CHECK_EQ(TEEC_InvokeCommand(&noop, TEEQ_NOOP_CMD_WAIT,
						    &op, &origin),
				 TEEC_SUCCESS);
		} else if (i % 3 == 2) {
			size_t len = 1 + r % sizeof(src);

			memset(src, (int)(r >> 8), len);
			memset(dst, 0, sizeof(dst));
			op.paramTypes = TEEC_PARAM_TYPES(
				TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT,
				TEEC_NONE, TEEC_NONE);
			op.params[0].tmpref.buffer = src;
			op.params[0].tmpref.size = len;
			op.params[1].tmpref.buffer = dst;
			op.params[1].tmpref.size = sizeof(dst);
			CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_ECHO_CMD_COPY,
						    &op, &origin),
				 TEEC_SUCCESS);
			CHECK_EQ(op.params[1].tmpref.size, len);
			CHECK_MEM(dst, src, len);
		} else {
			op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
							 TEEC_VALUE_OUTPUT,
							 TEEC_VALUE_INOUT,
							 TEEC_NONE);
			op.params[0].value.a = id;
			op.params[0].value.b = (uint32_t)r;
			op.params[2].value.a = (uint32_t)i;
			op.params[2].value.b = (uint32_t)(r >> 32);
			CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_ECHO_CMD_VALUES,
						    &op, &origin),
				 TEEC_SUCCESS);
			CHECK_EQ(op.params[1].value.a, id);
			CHECK_EQ(op.params[1].value.b, (uint32_t)r);
			CHECK_EQ(op.params[2].value.a, (uint32_t)i + id);
			CHECK_EQ(op.params[2].value.b,
				 (uint32_t)(r >> 32) + (uint32_t)r);
		}
		CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	}
	if (sess == &own)
		TEEC_CloseSession(&own);
	return NULL;
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	static const TEEC_UUID noop_uuid = TEEQ_TA_NOOP_UUID;
	pthread_t t[THREADS];
	struct teeq_stats st;
	uint32_t origin;
	uintptr_t i;

	per_thread = test_scaled(5000);
	setenv("TEEQ_QPAIRS", "2", 1);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.queue_pairs, 2);
	CHECK_EQ(TEEC_OpenSession(&ctx, &shared_echo, &echo, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &noop, &noop_uuid, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);
	for (i = 0; i < THREADS; i++)
		CHECK(!pthread_create(&t[i], NULL, worker, (void *)i));
	for (i = 0; i < THREADS; i++)
		CHECK(!pthread_join(t[i], NULL));
	teeq_context_stats(&ctx, &st);
	/* 2 opens here, and each even thread opened and closed its own */
	CHECK_EQ(st.calls, 2 + THREADS * per_thread + 2 * (THREADS / 2));
	CHECK_EQ(st.heap_in_use, 0);
	TEEC_CloseSession(&shared_echo);
	TEEC_CloseSession(&noop);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
