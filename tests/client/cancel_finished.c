// SPDX-License-Identifier: MIT
/*
 * Cancelling an operation that has finished is harmless: the result and
 * outputs already returned stay as they were, nothing else is cancelled
 * (another operation in flight on the session completes normally), and
 * the same TEEC_Operation, re-armed as GlobalPlatform says (started = 0),
 * runs its next invoke to completion rather than inheriting the stale
 * request. Cancelling NULL is harmless too.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static void values(TEEC_Operation *op, uint32_t a)
{
	op->started = 0;
	op->paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					  TEEC_VALUE_INOUT, TEEC_NONE);
	op->params[0].value.a = a;
	op->params[0].value.b = 0;
	op->params[1].value.a = 0;
	op->params[2].value.a = 1;
	op->params[2].value.b = 0;
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct teeq_completion done;
	TEEC_Context ctx;
	TEEC_Session sess, ns;
	TEEC_Operation op, wait_op;
	teeq_queue *q;
	uint32_t origin;

	alarm(20);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &ns, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	TEEC_RequestCancellation(NULL);

	memset(&op, 0, sizeof(op));
	values(&op, 5);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_VALUES, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(op.started, 1);
	TEEC_RequestCancellation(&op); /* finished: nothing to cancel */
	CHECK_EQ(op.params[1].value.a, 5);
	CHECK_EQ(op.params[2].value.a, 6);

	/* a CMD_WAIT in flight elsewhere is not what was cancelled */
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	memset(&wait_op, 0, sizeof(wait_op));
	wait_op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE,
					      TEEC_NONE, TEEC_NONE);
	wait_op.params[0].value.a = 200;
	CHECK_EQ(teeq_prep_invoke(q, &ns, TEEQ_NOOP_CMD_WAIT, &wait_op, 1),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_submit(q), 1);
	TEEC_RequestCancellation(&op);
	CHECK_EQ(teeq_reap(q, &done, 1, 1, 10000), 1);
	CHECK_EQ(done.user_data, 1);
	CHECK_EQ(done.result, TEEC_SUCCESS);
	CHECK_EQ(done.origin, TEEC_ORIGIN_TRUSTED_APP);
	teeq_queue_close(q);

	/* the operation, re-armed for another use, is not cancelled */
	values(&op, 7);
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_VALUES, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[1].value.a, 7);
	CHECK_EQ(op.params[2].value.a, 8);

	TEEC_CloseSession(&sess);
	TEEC_CloseSession(&ns);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
