// SPDX-License-Identifier: MIT
/*
 * Two threads, each with its own queue on one context, each push many
 * batches of async calls (echo VALUES and COPY through temporary memrefs,
 * which share the channel heap) at the same time; every completion is
 * matched by user_data and carries the right result and outputs, every
 * call completes exactly once, and the context's call count is the sum.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

#define BATCH 32
#define THREADS 2

static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
static TEEC_Context ctx;
static uint64_t total;

struct slot {
	TEEC_Operation op;
	unsigned char src[64], dst[64];
	uint64_t seq;
};

static void *worker(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, origin;
	struct teeq_completion done[BATCH];
	struct slot *slots = calloc(BATCH, sizeof(*slots));
	TEEC_Session sess;
	teeq_queue *q;
	uint64_t seq = 0, b, batches = total / BATCH;
	unsigned int k, n, got;
	int i;

	CHECK(slots);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	for (b = 0; b < batches; b++) {
		for (i = 0; i < BATCH; i++) {
			struct slot *s = &slots[i];
			uint32_t cmd = TEEQ_ECHO_CMD_VALUES;

			s->seq = seq++;
			memset(&s->op, 0, sizeof(s->op));
			if (s->seq % 4 == 3) {
				cmd = TEEQ_ECHO_CMD_COPY;
				memset(s->src, (int)(s->seq + id), 64);
				memset(s->dst, 0, 64);
				s->op.paramTypes = TEEC_PARAM_TYPES(
					TEEC_MEMREF_TEMP_INPUT,
					TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					TEEC_NONE);
				s->op.params[0].tmpref.buffer = s->src;
				s->op.params[0].tmpref.size = 1 + s->seq % 64;
				s->op.params[1].tmpref.buffer = s->dst;
				s->op.params[1].tmpref.size = 64;
			} else {
				s->op.paramTypes = TEEC_PARAM_TYPES(
					TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					TEEC_VALUE_INOUT, TEEC_NONE);
				s->op.params[0].value.a = id;
				s->op.params[0].value.b = (uint32_t)s->seq;
				s->op.params[2].value.b = 7;
			}
			CHECK_EQ(teeq_prep_invoke(q, &sess, cmd, &s->op,
						  ((uint64_t)id << 48) |
							  (uint64_t)i),
				 TEEC_SUCCESS);
		}
		CHECK_EQ(teeq_submit(q), BATCH);
		for (got = 0; got < BATCH; got += n) {
			n = teeq_reap(q, done, BATCH, 1, 10000);
			CHECK(n > 0);
			for (k = 0; k < n; k++) {
				uint64_t ud = done[k].user_data;
				struct slot *s = &slots[ud & 0xffff];

				CHECK_EQ(ud >> 48, id);
				CHECK(done[k].operation == &s->op);
				CHECK_EQ(done[k].result, TEEC_SUCCESS);
				CHECK_EQ(done[k].origin,
					 TEEC_ORIGIN_TRUSTED_APP);
				if (s->seq % 4 == 3) {
					size_t len = 1 + s->seq % 64;

					CHECK_EQ(s->op.params[1].tmpref.size,
						 len);
					CHECK_MEM(s->dst, s->src, len);
				} else {
					CHECK_EQ(s->op.params[1].value.a, id);
					CHECK_EQ(s->op.params[1].value.b,
						 (uint32_t)s->seq);
					CHECK_EQ(s->op.params[2].value.b,
						 (uint32_t)s->seq + 7);
				}
				s->seq = UINT64_MAX; /* completed once */
			}
		}
		for (i = 0; i < BATCH; i++)
			CHECK_EQ(slots[i].seq, UINT64_MAX);
	}
	teeq_queue_close(q);
	TEEC_CloseSession(&sess);
	free(slots);
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	struct teeq_stats st;
	uintptr_t i;

	total = test_scaled(50000);
	total -= total % BATCH;
	if (!total)
		total = BATCH;
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	for (i = 0; i < THREADS; i++)
		CHECK(!pthread_create(&t[i], NULL, worker, (void *)(i + 1)));
	for (i = 0; i < THREADS; i++)
		CHECK(!pthread_join(t[i], NULL));
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.calls, THREADS * (total + 2)); /* + open and close */
	CHECK_EQ(st.heap_in_use, 0);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
