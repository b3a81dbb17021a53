// SPDX-License-Identifier: MIT
/*
 * A loaded TA that panics (TEE_Panic) ends its instance and so every
 * session of that instance, of every client: they get
 * TEEC_ERROR_TARGET_DEAD with origin TEE. Another client of another TA
 * goes on; the next session of the panicked TA starts a new instance. A
 * panic in TA_OpenSessionEntryPoint fails that opening the same way.
 */
#include "tests/secure/ta_proc_fixture.h"

int main(void)
{
	struct sw_fixture f;
	TEEC_Context c1, c2;
	TEEC_Session m1, m2, other, again, s;
	TEEC_Operation op;
	uint32_t origin, n = 0;
	pid_t pm;

	ta_fixture_start(&f);
	CHECK_EQ(TEEC_InitializeContext(NULL, &c1), TEEC_SUCCESS);
	CHECK_EQ(TEEC_InitializeContext(NULL, &c2), TEEC_SUCCESS);
	/* two clients' sessions on one instance */
	CHECK_EQ(ta_fixture_open(&c1, &m1, &proc_multi, &origin), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&c2, &m2, &proc_multi, &origin), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&c2, &other, &proc_plain, &origin),
		 TEEC_SUCCESS);
	pm = ta_fixture_pid(&m1);
	CHECK_EQ(ta_fixture_pid(&m2), pm);

	CHECK_EQ(TEEC_InvokeCommand(&m1, PROC_CMD_PANIC, NULL, &origin),
		 TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(origin, TEEC_ORIGIN_TEE);
	CHECK_EQ(ta_fixture_value(&m2, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(origin, TEEC_ORIGIN_TEE);
	CHECK(ta_fixture_gone(pm, 5000, 0));
	CHECK_EQ(ta_fixture_value(&other, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(n, 1);

	/* a new instance, counting from scratch, while the dead sessions
	 * are still open */
	CHECK_EQ(ta_fixture_open(&c1, &again, &proc_multi, &origin),
		 TEEC_SUCCESS);
	CHECK(ta_fixture_pid(&again) != pm);
	CHECK_EQ(ta_fixture_value(&again, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(n, 1);
	TEEC_CloseSession(&m1);
	TEEC_CloseSession(&m2);
	CHECK_EQ(ta_fixture_value(&again, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(n, 2);

	/* a panic while opening */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = PROC_OPEN_PANIC;
	CHECK_EQ(TEEC_OpenSession(&c1, &s, &proc_plain, TEEC_LOGIN_PUBLIC, NULL,
				  &op, &origin),
		 TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(origin, TEEC_ORIGIN_TEE);

	TEEC_CloseSession(&again);
	TEEC_CloseSession(&other);
	TEEC_FinalizeContext(&c1);
	TEEC_FinalizeContext(&c2);
	sw_fixture_stop(&f);
	return T_PASS;
}
