// SPDX-License-Identifier: MIT
/*
 * Closing never waits for a loaded TA, so closes pile up: sessions of one
 * instance closed while it is idle leave their answers in its ring for
 * the next call to take (several at once), and more closes than the
 * ring holds (200 sessions, a ring of 64) all reach the TA, in the
 * background, while the remaining session's calls go on. The instance
 * counts every session's close (its count of calls keeps running), and
 * goes with the last one.
 */
#include "tests/secure/ta_proc_fixture.h"

#define CLOSES_MANY 200

static TEEC_Session closes_s[CLOSES_MANY];

int main(void)
{
	struct sw_fixture f;
	TEEC_Context ctx;
	TEEC_Session last;
	uint32_t origin, n = 0, want = 0;
	pid_t pid;
	int i;

	ta_fixture_start(&f);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&ctx, &last, &proc_multi, &origin),
		 TEEC_SUCCESS);
	pid = ta_fixture_pid(&last);

	/* a few answers waiting in the ring at once */
	for (i = 0; i < 3; i++)
		CHECK_EQ(ta_fixture_open(&ctx, &closes_s[i], &proc_multi,
					 &origin),
			 TEEC_SUCCESS);
	for (i = 0; i < 3; i++)
		TEEC_CloseSession(&closes_s[i]);
	usleep(100000);
	CHECK_EQ(ta_fixture_value(&last, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(n, ++want);

	/* more than the ring holds */
	for (i = 0; i < CLOSES_MANY; i++) {
		CHECK_EQ(ta_fixture_open(&ctx, &closes_s[i], &proc_multi,
					 &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(ta_fixture_value(&closes_s[i], PROC_CMD_COUNT, ~0u, &n,
					  &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(n, ++want);
	}
	for (i = 0; i < CLOSES_MANY; i++)
		TEEC_CloseSession(&closes_s[i]);
	for (i = 0; i < 20; i++) {
		CHECK_EQ(ta_fixture_value(&last, PROC_CMD_COUNT, ~0u, &n,
					  &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(n, ++want);
	}
	CHECK_EQ(ta_fixture_pid(&last), pid);
	TEEC_CloseSession(&last);
	CHECK(ta_fixture_gone(pid, 5000, 0));
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&f);
	return T_PASS;
}
