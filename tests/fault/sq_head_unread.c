// SPDX-License-Identifier: MIT
/*
 * libteeq never reads the head of its submission rings: credits alone say
 * there is room (client/rings.h). Between calls, when teeq-sw has taken
 * every entry and writes no head until the next, the test writes
 * impossible heads (far behind, then far beyond the tail) into every
 * submission ring of the context, as a broken secure world could; teeq-sw
 * consumes by its own index and never reads that word. Async batches and
 * sync calls, many times more entries than a ring has slots, all complete
 * with success and the channel stays up. A client that looked at the head
 * would find the ring broken and kill the channel.
 */
#include "client/internal.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

#define BATCH 16
#define ROUNDS 64
#define SYNC_CALLS 200

static struct sw_fixture fx;
static TEEC_Context ctx;
static TEEC_Session sess;

/* Every submission ring of @ctx gets an impossible head. */
static void scribble(void)
{
	static uint32_t n;
	struct teeq_chan *chan = ctx.imp;
	uint32_t i;

	for (i = 0; i < chan->nr_qp; i++) {
		struct teeq_ring_hdr *hdr = chan->qp[i].sq.hdr;
		uint32_t tail = __atomic_load_n(&hdr->tail, __ATOMIC_RELAXED);

		__atomic_store_n(&hdr->head,
				 n & 1 ? tail + 0x10000u : tail - 0x10000u,
				 __ATOMIC_RELAXED);
	}
	n++;
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct teeq_completion done[BATCH];
	uint32_t origin = 0, round, i, got;
	teeq_queue *q;

	sw_fixture_host_only("the shared rings");
	alarm(60);
	setenv("TEEQ_QPAIRS", "2", 1);
	setenv("TEEQ_QUEUE_DEPTH", "32", 1);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	scribble();

	/* more entries than each ring has slots, many times over: room is
	 * needed, and found, again and again */
	for (round = 0; round < ROUNDS; round++) {
		for (i = 0; i < BATCH; i++)
			CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_NOOP_CMD_NOOP,
						  NULL, i),
				 TEEC_SUCCESS);
		CHECK_EQ(teeq_submit(q), BATCH);
		for (got = 0; got < BATCH;)
			got += teeq_reap(q, done + got, BATCH - got,
					 BATCH - got, 10000);
		for (i = 0; i < BATCH; i++)
			CHECK_EQ(done[i].result, TEEC_SUCCESS);
		scribble();
	}
	for (i = 0; i < SYNC_CALLS; i++) {
		CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
		scribble();
	}

	CHECK(!teeq_chan_dead(ctx.imp));

	teeq_queue_close(q);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
