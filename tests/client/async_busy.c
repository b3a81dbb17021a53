// SPDX-License-Identifier: MIT
/*
 * A queue holds as many operations as its depth (TEEQ_QUEUE_DEPTH=4): the
 * fifth teeq_prep_invoke is TEEC_ERROR_BUSY and queues nothing, whether
 * the four are prepared or already submitted; a slot comes back only when
 * its completion is reaped (teeq_queue_space says so), and then the queue
 * takes operations again. Every operation prepared is completed once.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

#define DEPTH 4

static TEEC_Operation ops[16];
static int completed[16];

static TEEC_Result prep(teeq_queue *q, TEEC_Session *sess, int i)
{
	memset(&ops[i], 0, sizeof(ops[i]));
	ops[i].paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
					     TEEC_VALUE_OUTPUT,
					     TEEC_VALUE_INOUT, TEEC_NONE);
	ops[i].params[0].value.a = (uint32_t)i;
	return teeq_prep_invoke(q, sess, TEEQ_ECHO_CMD_VALUES, &ops[i],
				(uint64_t)i);
}

static void reap(teeq_queue *q, unsigned int n)
{
	struct teeq_completion done[DEPTH];
	unsigned int k;

	CHECK_EQ(teeq_reap(q, done, n, n, 10000), n);
	for (k = 0; k < n; k++) {
		uint64_t i = done[k].user_data;

		CHECK(i < 16);
		CHECK(!completed[i]);
		completed[i] = 1;
		CHECK_EQ(done[k].result, TEEC_SUCCESS);
		CHECK_EQ(ops[i].params[1].value.a, i);
	}
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	struct teeq_stats st;
	TEEC_Context ctx;
	TEEC_Session sess;
	teeq_queue *q;
	uint32_t origin;
	int i;

	setenv("TEEQ_QUEUE_DEPTH", "4", 1);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.queue_depth, DEPTH);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_space(q), DEPTH);

	/* full while prepared */
	for (i = 0; i < DEPTH; i++)
		CHECK_EQ(prep(q, &sess, i), TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_space(q), 0);
	CHECK_EQ(prep(q, &sess, 4), TEEC_ERROR_BUSY);
	CHECK_EQ(ops[4].started, 0); /* never started */
	CHECK_EQ(teeq_submit(q), DEPTH);
	/* still full while in flight */
	CHECK_EQ(prep(q, &sess, 5), TEEC_ERROR_BUSY);
	CHECK_EQ(teeq_queue_space(q), 0);
	reap(q, 1);
	CHECK_EQ(teeq_queue_space(q), 1);
	CHECK_EQ(prep(q, &sess, 6), TEEC_SUCCESS);
	CHECK_EQ(prep(q, &sess, 7), TEEC_ERROR_BUSY);
	CHECK_EQ(teeq_submit(q), 1);
	reap(q, 4);
	CHECK_EQ(teeq_queue_space(q), DEPTH);
	for (i = 8; i < 12; i++)
		CHECK_EQ(prep(q, &sess, i), TEEC_SUCCESS);
	CHECK_EQ(prep(q, &sess, 12), TEEC_ERROR_BUSY);
	CHECK_EQ(teeq_submit(q), DEPTH);
	reap(q, DEPTH);

	for (i = 0; i < 12; i++)
		CHECK_EQ(completed[i], i < 4 || i == 6 || i >= 8);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.calls, 1 + 9);
	teeq_queue_close(q);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
