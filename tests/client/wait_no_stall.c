// SPDX-License-Identifier: MIT
/*
 * A call that waits in its trusted app (noop CMD_WAIT, 20 s) holds up no
 * call into another session, even with a single teeq-sw worker serving
 * every queue pair: while it waits, synchronous calls from another thread
 * and an async batch that carries a second waiting call all complete, and
 * both waiting calls are still pending (an ordering check, not a timing
 * one); a call into a waiting session runs after the wait, in order;
 * cancelled, the waits end with TEEC_ERROR_CANCEL. And
 * teeq-sw, stopped while a call waits, exits cleanly at once, the caller
 * getting TEEC_ERROR_TARGET_DEAD. The 5-second bounds only keep a broken
 * build from hanging the suite.
 */
#include "tests/client/waiter.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

#define WAIT_MS 20000
#define BATCH 32

static struct sw_fixture fx;

/*
 * One batch: a wait and then a noop on session @ws, and BATCH - 2 noops
 * on session @ns. The noops of @ns complete while the wait waits; the
 * noop of @ws does not, as calls into one session run one at a time and
 * in order. Cancelled, the wait ends, then that noop runs.
 */
static void async_batch_beside_a_wait(TEEC_Context *ctx, TEEC_Session *ws,
				      TEEC_Session *ns)
{
	struct teeq_completion done[BATCH];
	TEEC_Operation wop;
	teeq_queue *q;
	unsigned int n, i, got = 0;

	CHECK_EQ(teeq_queue_open(ctx, &q), TEEC_SUCCESS);
	waiter_op(&wop, WAIT_MS);
	CHECK_EQ(teeq_prep_invoke(q, ws, TEEQ_NOOP_CMD_WAIT, &wop, 1000),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_prep_invoke(q, ws, TEEQ_NOOP_CMD_NOOP, NULL, 1001),
		 TEEC_SUCCESS);
	for (i = 2; i < BATCH; i++)
		CHECK_EQ(teeq_prep_invoke(q, ns, TEEQ_NOOP_CMD_NOOP, NULL, i),
			 TEEC_SUCCESS);
	CHECK_EQ(teeq_submit(q), BATCH);
	while (got < BATCH - 2) {
		n = teeq_reap(q, done, BATCH, 1, 5000);
		CHECK(n > 0);
		for (i = 0; i < n; i++) {
			/* the noops of the other session only */
			CHECK(done[i].user_data >= 2 &&
			      done[i].user_data < BATCH);
			CHECK_EQ(done[i].result, TEEC_SUCCESS);
		}
		got += n;
	}
	CHECK_EQ(got, BATCH - 2);
	CHECK_EQ(teeq_reap(q, done, BATCH, 0, 0), 0); /* still waiting */

	TEEC_RequestCancellation(&wop);
	CHECK_EQ(teeq_reap(q, done, BATCH, 2, 5000), 2);
	/* reaped in either order (io_uring may post the two completions of
	 * one moment in reverse): the noop ran after the wait all the same,
	 * as it was not done while the wait was pending */
	i = done[0].user_data == 1000 ? 0 : 1;
	CHECK_EQ(done[i].user_data, 1000);
	CHECK_EQ(done[i].result, TEEC_ERROR_CANCEL);
	/* from the TA, or from the TEE if the request overtook the call */
	CHECK(done[i].origin == TEEC_ORIGIN_TRUSTED_APP ||
	      done[i].origin == TEEC_ORIGIN_TEE);
	CHECK_EQ(done[1 - i].user_data, 1001);
	CHECK_EQ(done[1 - i].result, TEEC_SUCCESS);
	teeq_queue_close(q);
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	TEEC_Session sess[3]; /* thread's wait, batch's wait, noops */
	struct waiter w;
	TEEC_Context ctx;
	uint32_t origin;
	int i;

	/* one worker: without the call threads, the wait would hold it */
	sw_fixture_start(&fx, "--workers", "1");
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	for (i = 0; i < 3; i++)
		CHECK_EQ(TEEC_OpenSession(&ctx, &sess[i], &noop,
					  TEEC_LOGIN_PUBLIC, NULL, NULL,
					  &origin),
			 TEEC_SUCCESS);

	waiter_start(&w, &sess[0], WAIT_MS);
	usleep(50000); /* in the TA by now */

	for (i = 0; i < 200; i++) {
		origin = 0;
		CHECK_EQ(TEEC_InvokeCommand(&sess[2], TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	}
	async_batch_beside_a_wait(&ctx, &sess[1], &sess[2]);
	CHECK(!waiter_done(&w)); /* still waiting */

	TEEC_RequestCancellation(&w.op);
	waiter_join(&w);
	CHECK_EQ(w.res, TEEC_ERROR_CANCEL);
	CHECK_EQ(w.origin, TEEC_ORIGIN_TRUSTED_APP);

	/* teeq-sw told to stop while a call waits: the call is cut short,
	 * teeq-sw exits cleanly, the caller learns the TEE is gone */
	waiter_start(&w, &sess[0], WAIT_MS);
	usleep(50000);
	sw_fixture_stop(&fx);
	waiter_join(&w);
	CHECK_EQ(w.res, TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(w.origin, TEEC_ORIGIN_COMMS);

	for (i = 0; i < 3; i++)
		TEEC_CloseSession(&sess[i]);
	TEEC_FinalizeContext(&ctx);
	return T_PASS;
}
