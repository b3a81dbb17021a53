// SPDX-License-Identifier: MIT
/*
 * Whether an operation was cancelled before it started is read from
 * started alone, the only field GlobalPlatform has the application reset.
 * An operation copied from one cancelled before its start, its started
 * zeroed as the application must, runs normally: whatever its other
 * bytes say. The original, cancelled and not reset, does not start; and
 * an operation whose libteeq bytes are garbage runs too.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static void values(TEEC_Operation *op, uint32_t a)
{
	op->paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					  TEEC_VALUE_INOUT, TEEC_NONE);
	op->params[0].value.a = a;
	op->params[0].value.b = a + 1;
	op->params[1].value.a = 0;
	op->params[2].value.a = 0;
	op->params[2].value.b = 0;
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	TEEC_Operation cancelled, copy, junk;
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);

	memset(&cancelled, 0, sizeof(cancelled));
	values(&cancelled, 5);
	TEEC_RequestCancellation(&cancelled);

	/* a copy, re-armed: started = 0 is all the application resets */
	memcpy(&copy, &cancelled, sizeof(copy));
	copy.started = 0;
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_VALUES, &copy,
				    &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(copy.params[1].value.a, 5);
	CHECK_EQ(copy.params[1].value.b, 6);

	/* the original still will not start */
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_VALUES, &cancelled,
				    &origin),
		 TEEC_ERROR_CANCEL);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	CHECK_EQ(cancelled.params[1].value.a, 0);

	/* garbage where libteeq keeps its own bytes */
	memset(&junk, 0xa5, sizeof(junk));
	junk.started = 0;
	values(&junk, 9);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_VALUES, &junk,
				    &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(junk.params[1].value.a, 9);
	CHECK_EQ(junk.started, 1);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
