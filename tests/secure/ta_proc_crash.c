// SPDX-License-Identifier: MIT
/*
 * A loaded TA that crashes (a write through a null pointer) ends its own
 * instance's sessions only: the call and every later one on them get
 * TEEC_ERROR_TARGET_DEAD with origin TEE, teeq-sw reaps the process, and
 * another instance of the same TA, a built-in TA and teeq-sw itself go
 * on; a new session of the TA starts a new instance.
 */
#include "tests/secure/ta_proc_fixture.h"
#include "uapi/teeq_tas.h"

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	struct sw_fixture f;
	TEEC_Context ctx;
	TEEC_Session a, b, e, again;
	TEEC_Operation op;
	uint32_t origin, n = 0;
	pid_t pa, pb;

	ta_fixture_start(&f);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&ctx, &a, &proc_plain, &origin), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&ctx, &b, &proc_plain, &origin), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&ctx, &e, &echo, &origin), TEEC_SUCCESS);
	pa = ta_fixture_pid(&a);
	pb = ta_fixture_pid(&b);
	CHECK(pa != pb); /* no TA_FLAG_SINGLE_INSTANCE: one each */

	CHECK_EQ(TEEC_InvokeCommand(&a, PROC_CMD_CRASH, NULL, &origin),
		 TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(origin, TEEC_ORIGIN_TEE);
	CHECK_EQ(ta_fixture_value(&a, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(origin, TEEC_ORIGIN_TEE);
	CHECK(ta_fixture_gone(pa, 5000, 0)); /* reaped, no zombie */

	/* the other instance, a built-in TA: untouched */
	CHECK_EQ(ta_fixture_value(&b, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(n, 1);
	CHECK_EQ(ta_fixture_pid(&b), pb);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_VALUE_INOUT, TEEC_NONE);
	op.params[0].value.a = 7;
	CHECK_EQ(TEEC_InvokeCommand(&e, TEEQ_ECHO_CMD_VALUES, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(op.params[1].value.a, 7);

	/* the dead session closes; a new one is a new instance */
	TEEC_CloseSession(&a);
	CHECK_EQ(ta_fixture_open(&ctx, &again, &proc_plain, &origin),
		 TEEC_SUCCESS);
	CHECK(ta_fixture_pid(&again) != pa);
	CHECK_EQ(ta_fixture_value(&again, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(n, 1);

	TEEC_CloseSession(&again);
	TEEC_CloseSession(&b);
	TEEC_CloseSession(&e);
	TEEC_FinalizeContext(&ctx);
	CHECK(ta_fixture_gone(pb, 5000, 0));
	sw_fixture_stop(&f);
	return T_PASS;
}
