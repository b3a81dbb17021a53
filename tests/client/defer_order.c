// SPDX-License-Identifier: MIT
/*
 * Calls into one session run in order even when the first of them is the
 * client's only call handed to teeq-sw's call threads: with nothing of
 * the client's with them before, one batch carries a wait (noop
 * CMD_WAIT, which a worker hands over) and then noops on session S,
 * beside noops on session T. The noops of T complete while the wait
 * waits; those of S do not (they went behind the wait), and complete
 * after it is cancelled. Repeated, each round starting with nothing
 * pending. The 5-second bounds only keep a broken build from hanging
 * the suite.
 */
#include "tests/client/waiter.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

#define WAIT_MS 20000
#define BATCH 16
#define ON_S 3 /* noops on S after the wait */
#define ROUNDS 20

static struct sw_fixture fx;

static void round_of(teeq_queue *q, TEEC_Session *s, TEEC_Session *t)
{
	struct teeq_completion done[BATCH];
	TEEC_Operation wop;
	unsigned int n, i, got = 0, s_done = 0;

	waiter_op(&wop, WAIT_MS);
	CHECK_EQ(teeq_prep_invoke(q, s, TEEQ_NOOP_CMD_WAIT, &wop, 1000),
		 TEEC_SUCCESS);
	for (i = 0; i < ON_S; i++)
		CHECK_EQ(teeq_prep_invoke(q, s, TEEQ_NOOP_CMD_NOOP, NULL,
					  1001 + i),
			 TEEC_SUCCESS);
	for (i = 1 + ON_S; i < BATCH; i++)
		CHECK_EQ(teeq_prep_invoke(q, t, TEEQ_NOOP_CMD_NOOP, NULL, i),
			 TEEC_SUCCESS);
	CHECK_EQ(teeq_submit(q), BATCH);
	while (got < BATCH - 1 - ON_S) {
		n = teeq_reap(q, done, BATCH, 1, 5000);
		CHECK(n > 0);
		for (i = 0; i < n; i++) {
			/* the noops of T only */
			CHECK(done[i].user_data > ON_S &&
			      done[i].user_data < BATCH);
			CHECK_EQ(done[i].result, TEEC_SUCCESS);
		}
		got += n;
	}
	/* S's noops are behind the wait, which still waits */
	CHECK_EQ(teeq_reap(q, done, BATCH, 0, 0), 0);

	TEEC_RequestCancellation(&wop);
	got = 0;
	while (got < 1 + ON_S) {
		n = teeq_reap(q, done, BATCH, 1, 5000);
		CHECK(n > 0);
		for (i = 0; i < n; i++) {
			if (done[i].user_data == 1000) {
				CHECK_EQ(done[i].result, TEEC_ERROR_CANCEL);
				continue;
			}
			CHECK(done[i].user_data > 1000 &&
			      done[i].user_data <= 1000 + ON_S);
			CHECK_EQ(done[i].result, TEEC_SUCCESS);
			s_done++;
		}
		got += n;
	}
	CHECK_EQ(s_done, ON_S);
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	TEEC_Session sess[2];
	TEEC_Context ctx;
	teeq_queue *q;
	uint32_t origin;
	int i;

	sw_fixture_start(&fx, "--workers", "1");
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	for (i = 0; i < 2; i++)
		CHECK_EQ(TEEC_OpenSession(&ctx, &sess[i], &noop,
					  TEEC_LOGIN_PUBLIC, NULL, NULL,
					  &origin),
			 TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	for (i = 0; i < ROUNDS; i++)
		round_of(q, &sess[0], &sess[1]);
	teeq_queue_close(q);
	for (i = 0; i < 2; i++)
		TEEC_CloseSession(&sess[i]);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	printf("defer order: %d rounds, %d noops behind a wait each\n", ROUNDS,
	       ON_S);
	return T_PASS;
}
