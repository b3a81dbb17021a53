// SPDX-License-Identifier: MIT
/*
 * A call into a loaded TA that runs past the time limit (--ta-limit-ms)
 * is cancelled: a TA that looks at its cancellation flag ends it with
 * TEE_ERROR_CANCEL and lives on; a TA that ignores it is killed
 * --ta-kill-ms later, and the call ends with TEEC_ERROR_TARGET_DEAD,
 * origin TEE. While it loops, another client's calls, into a built-in TA
 * and into another instance of the same TA, go on: they complete while
 * the loop still runs.
 */
#include "tests/secure/ta_proc_fixture.h"
#include "uapi/teeq_tas.h"

#define LOOP_LIMIT_MS 300
#define LOOP_KILL_MS 400

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct ta_fixture_call loop;
	struct sw_fixture f;
	TEEC_Context c1, c2;
	TEEC_Session l, other, builtin;
	uint32_t origin, n = 0;
	uint64_t start;
	pid_t pl;
	int i;

	ta_fixture_start(&f, "--ta-limit-ms", "300", "--ta-kill-ms", "400");
	CHECK_EQ(TEEC_InitializeContext(NULL, &c1), TEEC_SUCCESS);
	CHECK_EQ(TEEC_InitializeContext(NULL, &c2), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&c1, &l, &proc_plain, &origin), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&c2, &other, &proc_plain, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&c2, &builtin, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	pl = ta_fixture_pid(&l);

	/* a TA that looks: cancelled at the limit, and alive */
	start = t_now_ms();
	CHECK_EQ(TEEC_InvokeCommand(&l, PROC_CMD_SPIN_CANCEL, NULL, &origin),
		 TEEC_ERROR_CANCEL);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK(t_now_ms() - start >= LOOP_LIMIT_MS);
	CHECK_EQ(ta_fixture_pid(&l), pl);

	/* a TA that does not: killed, and the others go on meanwhile */
	ta_fixture_call_start(&loop, &l, PROC_CMD_LOOP, 0);
	for (i = 0; i < 50; i++) {
		CHECK_EQ(TEEC_InvokeCommand(&builtin, TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(ta_fixture_value(&other, PROC_CMD_COUNT, ~0u, &n,
					  &origin),
			 TEEC_SUCCESS);
	}
	CHECK_EQ(n, 50);
	CHECK(!ta_fixture_call_done(&loop));
	ta_fixture_call_join(&loop, 10000);
	CHECK_EQ(loop.res, TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(loop.origin, TEEC_ORIGIN_TEE);
	CHECK(loop.ms >= LOOP_LIMIT_MS + LOOP_KILL_MS);
	CHECK(ta_fixture_gone(pl, 5000, 0));
	CHECK_EQ(ta_fixture_value(&other, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(n, 51);

	TEEC_CloseSession(&l);
	TEEC_CloseSession(&other);
	TEEC_CloseSession(&builtin);
	TEEC_FinalizeContext(&c1);
	TEEC_FinalizeContext(&c2);
	sw_fixture_stop(&f);
	return T_PASS;
}
