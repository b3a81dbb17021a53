// SPDX-License-Identifier: MIT
/*
 * A cancellation that overtakes its call, forced: two 20 s CMD_WAITs on
 * one session (A, then B) are submitted together, so B is queued behind A
 * in teeq-sw (calls into a session run one at a time, in order). B is
 * cancelled, and only once teeq-sw has taken that request is A cancelled.
 * A ends with TEEC_ERROR_CANCEL; B, which had not started, is refused by
 * the TEE when its turn comes (CANCEL, origin TEE) and never reaches its
 * trusted app, at once rather than after 20 s. The request is used up:
 * the session then runs a cancellable wait to its end. In kernel mode the
 * same holds: the two go to teeq-sw together as io_uring commands, and
 * the cancellations reach it through the driver as CANCEL entries.
 */
#include "tests/client/waiter.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct teeq_completion done[2];
	struct teeq_sw_stats st;
	TEEC_Operation a, b;
	TEEC_Context ctx;
	TEEC_Session sess;
	teeq_queue *q;
	uint32_t origin;
	uint64_t calls, t0;
	unsigned int n, k;

	alarm(15); /* a wait that is not cancelled fails the test */
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);

	waiter_op(&a, 20000);
	waiter_op(&b, 20000);
	CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_NOOP_CMD_WAIT, &a, 1),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_NOOP_CMD_WAIT, &b, 2),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_submit(q), 2);
	/* both with the call threads: A runs, B waits for the session */
	sw_fixture_wait_stat(&fx, &st, calls_deferred, 2);
	calls = sw_fixture_calls(&fx);

	/* B's cancellation reaches teeq-sw (its entry is counted) while A
	 * still holds the session, and only then is A cancelled */
	TEEC_RequestCancellation(&b);
	sw_fixture_wait_calls(&fx, calls + 1);
	CHECK_EQ(sw_fixture_calls(&fx), calls + 1);
	TEEC_RequestCancellation(&a);

	t0 = t_now_ms();
	n = teeq_reap(q, done, 2, 2, 10000);
	CHECK(t_now_ms() - t0 < 10000);
	CHECK_EQ(n, 2);
	for (k = 0; k < n; k++) {
		CHECK_EQ(done[k].result, TEEC_ERROR_CANCEL);
		if (done[k].user_data == 2) {
			/* refused before it reached the trusted app */
			CHECK(done[k].operation == &b);
			CHECK_EQ(done[k].origin, TEEC_ORIGIN_TEE);
		} else {
			CHECK_EQ(done[k].user_data, 1);
			CHECK(done[k].operation == &a);
			CHECK(done[k].origin == TEEC_ORIGIN_TRUSTED_APP ||
			      done[k].origin == TEEC_ORIGIN_TEE);
		}
	}
	CHECK(done[0].user_data != done[1].user_data);
	sw_fixture_wait_stat(&fx, &st, calls_deferred, 0);
	teeq_queue_close(q);

	/* nothing is left to cancel: a cancellable wait runs to its end */
	waiter_run(&sess, 5);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
