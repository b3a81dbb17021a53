// SPDX-License-Identifier: MIT
/*
 * TEEC_RequestCancellation on an operation not yet started (started == 0)
 * makes the invoke that would start it return TEEC_ERROR_CANCEL at once,
 * with origin API, without reaching the secure world (its call count does
 * not move, a 20 s CMD_WAIT is not waited for, no temporary memref is
 * bounced, the operation is not marked started); OpenSession with such an
 * operation is cancelled the same way and opens nothing. A freshly zeroed
 * operation struct runs normally afterwards.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	unsigned char buf[64] = { 0 };
	struct teeq_sw_stats st;
	struct teeq_stats cs;
	TEEC_Context ctx;
	TEEC_Session sess, s2;
	TEEC_Operation op;
	uint32_t origin;

	alarm(15); /* a 20 s wait that is not cancelled fails the test */
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(sw_fixture_calls(&fx), 1);

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(
		TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INOUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = 20000;
	op.params[1].tmpref.buffer = buf;
	op.params[1].tmpref.size = sizeof(buf);
	TEEC_RequestCancellation(&op);
	TEEC_RequestCancellation(&op); /* twice: the same */
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_WAIT, &op, &origin),
		 TEEC_ERROR_CANCEL);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	CHECK_EQ(op.started, 0);
	teeq_context_stats(&ctx, &cs);
	CHECK_EQ(cs.bounced_memrefs, 0);
	CHECK_EQ(cs.heap_in_use, 0);
	CHECK_EQ(sw_fixture_calls(&fx), 1);

	/* an OpenSession whose operation was cancelled first */
	memset(&op, 0, sizeof(op));
	TEEC_RequestCancellation(&op);
	origin = 0;
	CHECK_EQ(TEEC_OpenSession(&ctx, &s2, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  &op, &origin),
		 TEEC_ERROR_CANCEL);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	CHECK_EQ(sw_fixture_calls(&fx), 1);
	sw_fixture_stats(&fx, &st);
	CHECK_EQ(st.sessions, 1);

	/* a fresh operation runs */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = 1;
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_WAIT, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.started, 1);
	CHECK_EQ(sw_fixture_calls(&fx), 2);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
