// SPDX-License-Identifier: MIT
/*
 * teeq_reap with a timeout returns fewer than min only once the time has
 * run out, on the monotonic clock, never sooner (three noops done, two
 * 20 s CMD_WAITs not: it returns the three after 200 ms, well before the
 * waits end); polling (timeout 0) returns what is there without waiting
 * (nothing, here); a queue with nothing in flight returns 0 at once,
 * whatever the timeout, even none. Cancelling the waits with
 * TEEC_RequestCancellation completes them with TEEC_ERROR_CANCEL.
 * Completions come in any order (in kernel mode io_uring may post those of
 * one moment in reverse). The 5 s bounds only keep a broken build from
 * hanging the suite.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct teeq_completion done[8];
	TEEC_Operation nops[3], waits[2];
	TEEC_Context ctx;
	TEEC_Session sess;
	teeq_queue *q;
	uint32_t origin;
	uint64_t t0;
	unsigned int n, k, space, seen;
	int i;

	alarm(25);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	space = teeq_queue_space(q);
	sw_fixture_wait_calls(&fx, 1);

	/* nothing in flight: 0 at once */
	CHECK_EQ(teeq_reap(q, done, 8, 1, 0), 0);
	/* nor does a timeout wait for completions that cannot come */
	t0 = t_now_ms();
	CHECK_EQ(teeq_reap(q, done, 8, 1, 20000), 0);
	CHECK(t_now_ms() - t0 < 5000);
	CHECK_EQ(teeq_reap(q, done, 8, 1, -1), 0);
	CHECK(t_now_ms() - t0 < 5000);

	/* three noops, done before anything else is submitted */
	for (i = 0; i < 3; i++) {
		memset(&nops[i], 0, sizeof(nops[i]));
		CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_NOOP_CMD_NOOP,
					  &nops[i], 10 + (uint64_t)i),
			 TEEC_SUCCESS);
	}
	CHECK_EQ(teeq_submit(q), 3);
	sw_fixture_wait_calls(&fx, 4);
	/* then two long waits */
	for (i = 0; i < 2; i++) {
		memset(&waits[i], 0, sizeof(waits[i]));
		waits[i].paramTypes = TEEC_PARAM_TYPES(
			TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
		waits[i].params[0].value.a = 20000;
		CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_NOOP_CMD_WAIT,
					  &waits[i], 20 + (uint64_t)i),
			 TEEC_SUCCESS);
	}
	CHECK_EQ(teeq_submit(q), 2);

	/* wanted 5 within 200 ms: got the 3 that were done */
	t0 = t_now_ms();
	n = teeq_reap(q, done, 8, 5, 200);
	CHECK(t_now_ms() - t0 >= 200);
	CHECK(t_now_ms() - t0 < 5000);
	CHECK_EQ(n, 3);
	/* each of the three once, in any order */
	for (k = 0, seen = 0; k < n; k++) {
		CHECK(done[k].user_data >= 10 && done[k].user_data < 13);
		seen |= 1u << (done[k].user_data - 10);
		CHECK(done[k].operation == &nops[done[k].user_data - 10]);
		CHECK_EQ(done[k].result, TEEC_SUCCESS);
		CHECK_EQ(done[k].origin, TEEC_ORIGIN_TRUSTED_APP);
	}
	CHECK_EQ(seen, 7);
	/* polling: nothing more */
	CHECK_EQ(teeq_reap(q, done, 8, 1, 0), 0);
	CHECK_EQ(teeq_reap(q, done, 8, 0, 0), 0);
	t0 = t_now_ms();
	CHECK_EQ(teeq_reap(q, done, 8, 1, 100), 0);
	CHECK(t_now_ms() - t0 >= 100);
	CHECK(t_now_ms() - t0 < 5000);

	/* cancelled, they complete */
	TEEC_RequestCancellation(&waits[0]);
	TEEC_RequestCancellation(&waits[1]);
	t0 = t_now_ms();
	CHECK_EQ(teeq_reap(q, done, 8, 2, 10000), 2);
	CHECK(t_now_ms() - t0 < 10000);
	for (k = 0, seen = 0; k < 2; k++) {
		CHECK(done[k].user_data == 20 || done[k].user_data == 21);
		seen |= 1u << (done[k].user_data - 20);
		CHECK(done[k].operation == &waits[done[k].user_data - 20]);
		CHECK_EQ(done[k].result, TEEC_ERROR_CANCEL);
		/* in the TA, or stopped by the TEE before it got there
		 * (tests/client/cancel_* tell the two apart) */
		CHECK(done[k].origin == TEEC_ORIGIN_TRUSTED_APP ||
		      done[k].origin == TEEC_ORIGIN_TEE);
	}
	CHECK_EQ(seen, 3);
	CHECK_EQ(teeq_queue_space(q), space);
	teeq_queue_close(q);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
