// SPDX-License-Identifier: MIT
/*
 * libteeq does not trust the secure side's completions. A hostile secure
 * side is simulated in-process by writing forged completion entries into
 * the completion ring of a live context while a 20 s CMD_WAIT is in flight
 * there. A completion that names no call in flight (a wrong generation, a
 * tag past the ring, a free tag), or one for the call in flight with a
 * flag set or an origin that does not exist, kills the channel: the call
 * in flight completes with TARGET_DEAD, origin COMMS, and so does every
 * later call on the context (async prepare, sync invoke). A completion
 * for a call in flight that claims an output larger than the window
 * submitted is COMMUNICATION, origin COMMS, and nothing is copied back. A
 * good context on the same teeq-sw keeps working throughout.
 */
#include "client/internal.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
static TEEC_Session good;

enum forgery {
	WRONG_GEN,
	TAG_PAST_RING,
	FREE_TAG,
	FLAGS,
	BAD_ORIGIN_0,
	BAD_ORIGIN_5,
	NR_KILLING
};

static void open_ta(TEEC_Context *ctx, TEEC_Session *sess,
		    const TEEC_UUID *uuid)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_OpenSession(ctx, sess, uuid, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
}

static void good_works(void)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_InvokeCommand(&good, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
}

/* The queue pair a teeq_queue leased: its owner is the queue. */
static struct teeq_qp *queue_qp(TEEC_Context *ctx, teeq_queue *q)
{
	struct teeq_chan *chan = ctx->imp;
	uint32_t i;

	for (i = 0; i < chan->nr_qp; i++)
		if (__atomic_load_n(&chan->qp[i].owner, __ATOMIC_ACQUIRE) ==
		    (void *)q)
			return &chan->qp[i];
	CHECK(0);
	return NULL;
}

static int tag_of(struct teeq_qp *qp, const TEEC_Operation *op)
{
	uint32_t t;

	for (t = 0; t < qp->depth; t++)
		if (qp->pend[t].state == TEEQ_PENDING_IN_FLIGHT &&
		    qp->pend[t].op == op)
			return (int)t;
	CHECK(0);
	return -1;
}

/* What the secure side would do: fill the next slot, then its stamp. */
static void forge(struct teeq_qp *qp, const struct teeq_cqe *c)
{
	uint32_t idx = qp->cq.local;
	unsigned char *slot = ring_slot_at(&qp->cq, idx);

	ring_fill_slot(slot, c, sizeof(*c));
	__atomic_store_n((uint32_t *)slot, idx + 1, __ATOMIC_RELEASE);
}

static void wait_op(TEEC_Operation *op)
{
	memset(op, 0, sizeof(*op));
	op->paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE,
					  TEEC_NONE, TEEC_NONE);
	op->params[0].value.a = 20000;
}

static void killing(enum forgery how)
{
	struct teeq_completion done[4];
	TEEC_Operation wop, op;
	TEEC_Context ctx;
	TEEC_Session sess;
	struct teeq_cqe c;
	struct teeq_qp *qp;
	teeq_queue *q;
	uint32_t origin;
	int tag;

	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	open_ta(&ctx, &sess, &noop);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	qp = queue_qp(&ctx, q);
	wait_op(&wop);
	CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_NOOP_CMD_WAIT, &wop, 5),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_submit(q), 1);
	tag = tag_of(qp, &wop);

	memset(&c, 0, sizeof(c));
	c.result = TEEQ_SUCCESS;
	c.origin = TEEQ_ORIGIN_TRUSTED_APP;
	c.user_data = qp->pend[tag].wire_user_data;
	switch (how) {
	case WRONG_GEN:
		c.user_data += 1ull << 32;
		break;
	case TAG_PAST_RING:
		c.user_data = (qp->pend[tag].wire_user_data & ~0xffffffffull) |
			      qp->depth;
		break;
	case FREE_TAG:
		c.user_data = qp->pend[(tag + 1) % qp->depth].wire_user_data;
		break;
	case FLAGS:
		c.flags = 2; /* no such flag (bit 0 is a hint) */
		break;
	case BAD_ORIGIN_0:
		c.origin = 0;
		break;
	default:
		c.origin = 5;
	}
	forge(qp, &c);

	CHECK_EQ(teeq_reap(q, done, 4, 1, 5000), 1);
	CHECK_EQ(done[0].user_data, 5);
	CHECK(done[0].operation == &wop);
	CHECK_EQ(done[0].result, TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(done[0].origin, TEEC_ORIGIN_COMMS);
	CHECK(teeq_chan_dead(ctx.imp));

	memset(&op, 0, sizeof(op));
	CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_NOOP_CMD_NOOP, &op, 6),
		 TEEC_ERROR_TARGET_DEAD);
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(origin, TEEC_ORIGIN_COMMS);
	teeq_queue_close(q);
	good_works();
	TEEC_FinalizeContext(&ctx);
}

/* A completion for a call in flight with an output beyond its window. */
static void oversized_output(void)
{
	struct teeq_completion done[4];
	TEEC_Operation wop, cop;
	unsigned char src[64], dst[64], ref[64];
	TEEC_Context ctx;
	TEEC_Session s_noop, s_echo;
	struct teeq_cqe c;
	struct teeq_qp *qp;
	teeq_queue *q;
	unsigned int n, k;
	int tag, status;

	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	open_ta(&ctx, &s_noop, &noop);
	open_ta(&ctx, &s_echo, &echo);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	qp = queue_qp(&ctx, q);
	/* teeq-sw is stopped meanwhile, so both stay in flight (a call into
	 * another session does not queue behind a wait there) */
	wait_op(&wop);
	memset(src, 0x5a, sizeof(src));
	memset(dst, 0xd0, sizeof(dst));
	memset(ref, 0xd0, sizeof(ref));
	memset(&cop, 0, sizeof(cop));
	cop.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					  TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					  TEEC_NONE);
	cop.params[0].tmpref.buffer = src;
	cop.params[0].tmpref.size = sizeof(src);
	cop.params[1].tmpref.buffer = dst;
	cop.params[1].tmpref.size = 16;
	CHECK_EQ(teeq_prep_invoke(q, &s_noop, TEEQ_NOOP_CMD_WAIT, &wop, 1),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_prep_invoke(q, &s_echo, TEEQ_ECHO_CMD_COPY, &cop, 2),
		 TEEC_SUCCESS);
	CHECK(!kill(fx.pid, SIGSTOP));
	CHECK_EQ(waitpid(fx.pid, &status, WUNTRACED), fx.pid);
	CHECK(WIFSTOPPED(status));
	CHECK_EQ(teeq_submit(q), 2);
	usleep(50000);
	CHECK_EQ(teeq_reap(q, done, 4, 0, 0), 0);

	tag = tag_of(qp, &cop);
	memset(&c, 0, sizeof(c));
	c.result = TEEQ_SUCCESS;
	c.origin = TEEQ_ORIGIN_TRUSTED_APP;
	c.user_data = qp->pend[tag].wire_user_data;
	c.params[1].memref.size = 64; /* the window was 16 */
	forge(qp, &c);
	CHECK_EQ(teeq_reap(q, done, 4, 1, 5000), 1);
	CHECK_EQ(done[0].user_data, 2);
	CHECK(done[0].operation == &cop);
	CHECK_EQ(done[0].result, TEEC_ERROR_COMMUNICATION);
	CHECK_EQ(done[0].origin, TEEC_ORIGIN_COMMS);
	CHECK_MEM(dst, ref, sizeof(dst)); /* nothing copied, nowhere */
	CHECK(!kill(fx.pid, SIGCONT));

	/* the rest of this channel's story is the secure side's real
	 * completions meeting a ring the forgery moved: whatever libteeq
	 * makes of them, the wait completes, cancelled or lost */
	TEEC_RequestCancellation(&wop);
	n = teeq_reap(q, done, 4, 1, 10000);
	CHECK_EQ(n, 1);
	for (k = 0; k < n; k++) {
		CHECK_EQ(done[k].user_data, 1);
		CHECK(done[k].result == TEEC_ERROR_CANCEL ||
		      done[k].result == TEEC_ERROR_TARGET_DEAD);
	}
	teeq_queue_close(q);
	good_works();
	TEEC_FinalizeContext(&ctx);
}

int main(void)
{
	TEEC_Context ctx;
	int how;

	alarm(25);
	sw_fixture_start(&fx, "--workers", "2");
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	open_ta(&ctx, &good, &noop);
	good_works();
	for (how = 0; how < NR_KILLING; how++)
		killing((enum forgery)how);
	oversized_output();
	good_works();
	TEEC_CloseSession(&good);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
