// SPDX-License-Identifier: MIT
/*
 * An idle teeq-sw sleeps. In each round a client makes calls that teeq-sw
 * defers to its call threads (waits of 0 ms): each comes back to the
 * worker as a job, with a wake-up on the worker's command eventfd, while
 * the worker polls its rings (spin budget 10 ms). Then, with nothing to
 * do, the worker must stay asleep in its poll until its timeout (one
 * second) or the next event, not be woken at once, over and over, by a
 * wake-up left behind: in 100 ms of idleness it may start to sleep once,
 * not once per spin budget. The bound comes from the poll's timeout, not
 * from timing: a slow machine only sleeps less.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct teeq_sw_stats st0, st1;
	struct sw_fixture fx;
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin;
	uint64_t most = 0;
	int round, i, restless = 0;

	sw_fixture_host_only("the worker loop, driven here through host mode");
	alarm(120);
	sw_fixture_start(&fx, "--workers", "1", "--spin-us", "10000");
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	for (round = 0; round < 100; round++) {
		for (i = 0; i < 4; i++) {
			TEEC_Operation op = { 0 };

			op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
							 TEEC_NONE, TEEC_NONE,
							 TEEC_NONE);
			CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_WAIT,
						    &op, &origin),
				 TEEC_SUCCESS);
		}
		/* past the worker's spin budget */
		usleep(15000);
		sw_fixture_stats(&fx, &st0);
		usleep(100000);
		sw_fixture_stats(&fx, &st1);
		if (st1.worker_sleeps - st0.worker_sleeps > most)
			most = st1.worker_sleeps - st0.worker_sleeps;
		if (st1.worker_sleeps - st0.worker_sleeps > 1)
			restless++;
	}
	fprintf(stderr,
		"%d of 100 idle spells restless (at most %llu sleeps in one)\n",
		restless, (unsigned long long)most);
	CHECK_EQ(restless, 0);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
