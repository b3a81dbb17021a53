// SPDX-License-Identifier: MIT
/*
 * A hostile client corrupting the rings of its own channel is disconnected
 * by teeq-sw (clients_dropped goes up by exactly one, its sessions are
 * closed and its channel freed) while a well-behaved client on the same
 * teeq-sw keeps working: (a) a submission tail far beyond anything
 * submitted, (b) a completion head that runs past the completions
 * posted, (c) a completion head that moves backwards. The hostile
 * client's call that makes teeq-sw look at the head completes with
 * TARGET_DEAD or COMMUNICATION (origin COMMS), and its later calls are
 * TARGET_DEAD. (Calls pending elsewhere on a dropped client: see
 * dropped_pending.c.)
 */
#include "client/internal.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
static TEEC_Session good;
static uint64_t dropped;

static void good_works(void)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_InvokeCommand(&good, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
}

/* clients_dropped reaches @dropped (bounded wait), and only the good
 * client and its session are left. */
static void wait_dropped(void)
{
	struct teeq_sw_stats st;
	uint64_t t0 = t_now_ms();

	do {
		sw_fixture_stats(&fx, &st);
		if (st.clients_dropped >= dropped && st.clients == 1)
			break;
		usleep(1000);
	} while (t_now_ms() - t0 < 10000);
	CHECK_EQ(st.clients_dropped, dropped);
	CHECK_EQ(st.clients, 1);
	CHECK_EQ(st.sessions, 1);
	CHECK_EQ(st.qpairs, 8);
}

static void check_lost(TEEC_Result res, uint32_t origin, const char *what)
{
	if (!((res == TEEC_ERROR_TARGET_DEAD ||
	       res == TEEC_ERROR_COMMUNICATION) &&
	      origin == TEEC_ORIGIN_COMMS))
		fprintf(stderr, "%s: %#x origin %u\n", what, res, origin);
	CHECK(res == TEEC_ERROR_TARGET_DEAD || res == TEEC_ERROR_COMMUNICATION);
	CHECK_EQ(origin, TEEC_ORIGIN_COMMS);
}

static void hostile_is_dead(TEEC_Session *sess)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(origin, TEEC_ORIGIN_COMMS);
}

static void open_noop(TEEC_Context *ctx, TEEC_Session *sess)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_OpenSession(ctx, sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
}

/* (a) the submission tail, beyond anything possible, and a doorbell */
static void bad_sq_tail(void)
{
	TEEC_Context ctx;
	TEEC_Session sess;
	struct teeq_qp *qp;
	uint32_t origin;

	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	open_noop(&ctx, &sess);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	qp = &ctx.imp->qp[teeq_qp_home - 1]; /* this thread's pair */
	__atomic_store_n(&qp->sq.hdr->tail, qp->sq.local + 100000,
			 __ATOMIC_RELEASE);
	ring_doorbell_socket(qp->db);
	dropped++;
	wait_dropped();
	hostile_is_dead(&sess);
	good_works();
	TEEC_FinalizeContext(&ctx);
}

/* (b, c) the completion head, past the tail or backwards; the call that
 * makes teeq-sw look at it is pending meanwhile */
static void bad_cq_head(uint32_t delta)
{
	TEEC_Context ctx;
	TEEC_Session sess;
	struct teeq_qp *qp;
	uint32_t origin, i;
	TEEC_Result res;

	setenv("TEEQ_QUEUE_DEPTH", "2", 1);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	unsetenv("TEEQ_QUEUE_DEPTH");
	open_noop(&ctx, &sess);
	/* teeq-sw rereads the head once its cached view runs out of room:
	 * after every 2 completions on a 2-deep ring */
	for (i = 0; i < 3; i++)
		CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_SUCCESS);
	qp = &ctx.imp->qp[teeq_qp_home - 1]; /* this thread's pair */
	CHECK_EQ(qp->depth, 2);
	CHECK_EQ(qp->cq.local, 4);
	__atomic_store_n(&qp->cq.hdr->head, qp->cq.local + delta,
			 __ATOMIC_RELEASE);
	origin = 0;
	res = TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin);
	check_lost(res, origin, "the call that tripped it");
	dropped++;
	wait_dropped();
	hostile_is_dead(&sess);
	good_works();
	TEEC_FinalizeContext(&ctx);
}

int main(void)
{
	TEEC_Context ctx;

	alarm(25);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	open_noop(&ctx, &good);
	good_works();

	bad_sq_tail();
	bad_cq_head(12345); /* past the completions posted */
	bad_cq_head((uint32_t)-3); /* backwards */

	good_works();
	TEEC_CloseSession(&good);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
