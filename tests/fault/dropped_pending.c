// SPDX-License-Identifier: MIT
/*
 * When teeq-sw drops a client for breaking the ring protocol, the calls
 * that client had running (a 20 s CMD_WAIT on another of its queue pairs)
 * must complete as lost -- TEEC_ERROR_TARGET_DEAD or COMMUNICATION, origin
 * COMMS -- and never with a result the client did not cause (such as
 * TEEC_ERROR_CANCEL from the TA: the client cancelled nothing). Eight
 * hostile clients in a row, each with a pending wait, each dropped for a
 * submission tail far beyond anything submitted; the pending waits return
 * promptly (5 s guard), and a good client keeps working.
 */
#include "client/internal.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;

struct pending {
	TEEC_Session sess;
	TEEC_Operation op;
	TEEC_Result res;
	uint32_t origin;
	int done; /* atomic */
};

static void *wait_thread(void *arg)
{
	struct pending *p = arg;

	p->res = TEEC_InvokeCommand(&p->sess, TEEQ_NOOP_CMD_WAIT, &p->op,
				    &p->origin);
	__atomic_store_n(&p->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void open_noop(TEEC_Context *ctx, TEEC_Session *sess)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_OpenSession(ctx, sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
}

static void one_hostile(int round)
{
	TEEC_Context ctx;
	TEEC_Session sess;
	struct pending p;
	struct teeq_qp *qp;
	struct teeq_sw_stats st;
	pthread_t t;
	uint64_t t0;
	uint32_t origin;

	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	open_noop(&ctx, &sess);
	memset(&p, 0, sizeof(p));
	open_noop(&ctx, &p.sess);
	p.op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE,
					   TEEC_NONE, TEEC_NONE);
	p.op.params[0].value.a = 20000;
	CHECK(!pthread_create(&t, NULL, wait_thread, &p));
	t0 = t_now_ms();
	while (!__atomic_load_n(&p.op.started, __ATOMIC_ACQUIRE) &&
	       t_now_ms() - t0 < 5000)
		usleep(1000);
	usleep(50000); /* into the TA */
	CHECK(!__atomic_load_n(&p.done, __ATOMIC_ACQUIRE));

	/* this thread's pair is not the waiting thread's */
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	qp = &ctx.imp->qp[teeq_qp_home - 1]; /* this thread's pair */
	__atomic_store_n(&qp->sq.hdr->tail, qp->sq.local + 100000,
			 __ATOMIC_RELEASE);
	ring_doorbell_socket(qp->db);

	t0 = t_now_ms();
	while (!__atomic_load_n(&p.done, __ATOMIC_ACQUIRE) &&
	       t_now_ms() - t0 < 5000)
		usleep(1000);
	CHECK(__atomic_load_n(&p.done, __ATOMIC_ACQUIRE));
	CHECK(!pthread_join(t, NULL));
	if (p.res != TEEC_ERROR_TARGET_DEAD &&
	    p.res != TEEC_ERROR_COMMUNICATION)
		fprintf(stderr,
			"round %d: the pending wait of a dropped "
			"client returned %#x origin %u\n",
			round, p.res, p.origin);
	CHECK(p.res == TEEC_ERROR_TARGET_DEAD ||
	      p.res == TEEC_ERROR_COMMUNICATION);
	CHECK_EQ(p.origin, TEEC_ORIGIN_COMMS);
	sw_fixture_stats(&fx, &st);
	CHECK_EQ(st.clients_dropped, (uint64_t)round + 1);
	TEEC_FinalizeContext(&ctx);
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session good;
	uint32_t origin;
	int i;

	alarm(25);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	open_noop(&ctx, &good);
	for (i = 0; i < 8; i++) {
		one_hostile(i);
		origin = 0;
		CHECK_EQ(TEEC_InvokeCommand(&good, TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	}
	TEEC_CloseSession(&good);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
