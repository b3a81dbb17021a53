// SPDX-License-Identifier: MIT
/*
 * Event suppression end to end, between libteeq and teeq-sw (one worker),
 * counted on both sides. While teeq-sw polls (--spin-us 1 s) and the
 * client polls for its completions too, a thousand calls ring no doorbell
 * in either direction and the worker never sleeps. Once the worker has
 * gone to sleep (every submission ring of the context shows NEED_WAKEUP),
 * the next call rings exactly one submission doorbell, the worker wakes
 * (its sleep counter moves) and polls again, so a hundred more calls ring
 * none. The other way: a client that sleeps at once (TEEQ_SPIN_US=0) in a
 * cancelled 20 s CMD_WAIT, asleep behind its completion ring's
 * NEED_WAKEUP, gets exactly one completion doorbell from teeq-sw (counted
 * from when the worker had gone to sleep after the session's open). Each
 * step starts from the state it needs, waited for, never from a pause.
 */
#include "client/internal.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

/* The flags word of queue pair @i's submission or completion ring. */
static uint32_t ring_flags(TEEC_Context *ctx, uint32_t i, int cq)
{
	struct teeq_chan *chan = ctx->imp;
	const struct teeq_ring_hdr *hdr =
		(const void *)((const char *)chan->region +
			       (cq ? chan->layout.qp[i].cq_off :
				     chan->layout.qp[i].sq_off));

	return __atomic_load_n(&hdr->flags, __ATOMIC_ACQUIRE);
}

/* teeq-sw's worker announced sleep on every ring of @ctx. */
static int worker_asleep(TEEC_Context *ctx)
{
	uint32_t i;

	for (i = 0; i < ctx->imp->layout.nr_qpairs; i++)
		if (!(ring_flags(ctx, i, 0) & TEEQ_RING_NEED_WAKEUP))
			return 0;
	return 1;
}

/* Some thread of @ctx announced sleep on its completion ring. */
static int client_asleep(TEEC_Context *ctx)
{
	uint32_t i;

	for (i = 0; i < ctx->imp->layout.nr_qpairs; i++)
		if (ring_flags(ctx, i, 1) & TEEQ_RING_NEED_WAKEUP)
			return 1;
	return 0;
}

static void noops(TEEC_Session *sess, int n)
{
	uint32_t origin;
	int i;

	for (i = 0; i < n; i++)
		CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_SUCCESS);
}

static uint64_t client_doorbells(TEEC_Context *ctx)
{
	struct teeq_stats st;

	teeq_context_stats(ctx, &st);
	return st.doorbells;
}

struct waiter {
	TEEC_Session *sess;
	TEEC_Operation op;
	TEEC_Result res;
	pid_t tid; /* atomic */
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;
	uint32_t origin;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	w->res = TEEC_InvokeCommand(w->sess, TEEQ_NOOP_CMD_WAIT, &w->op,
				    &origin);
	return NULL;
}

/* Completion direction: one doorbell for a client asleep on its ring. */
static void completion_doorbell(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct teeq_sw_stats sw0, sw1;
	struct teeq_stats cs;
	struct waiter w = { 0 };
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin;
	pthread_t t;
	uint64_t t0;

	setenv("TEEQ_SPIN_US", "0", 1);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	unsetenv("TEEQ_SPIN_US");
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	/* the open itself may or may not have needed one: count from when
	 * the worker, done with it, has gone to sleep */
	t0 = t_now_ms();
	while (!worker_asleep(&ctx)) {
		CHECK(t_now_ms() - t0 < 10000);
		usleep(1000);
	}
	sw_fixture_stats(&fx, &sw0);

	w.sess = &sess;
	w.op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE,
					   TEEC_NONE, TEEC_NONE);
	w.op.params[0].value.a = 20000;
	CHECK(!pthread_create(&t, NULL, waiter_main, &w));
	/* the wait is with teeq-sw, and its caller asleep behind the flag */
	t0 = t_now_ms();
	for (;;) {
		struct teeq_sw_stats st;
		pid_t tid = __atomic_load_n(&w.tid, __ATOMIC_ACQUIRE);

		sw_fixture_stats(&fx, &st);
		if (st.calls_deferred == 1 && tid && t_thread_blocked(tid) &&
		    client_asleep(&ctx))
			break;
		CHECK(t_now_ms() - t0 < 10000);
		usleep(1000);
	}
	TEEC_RequestCancellation(&w.op);
	CHECK(!pthread_join(t, NULL));
	CHECK_EQ(w.res, TEEC_ERROR_CANCEL);
	/* counted just after it was rung */
	sw_fixture_wait_stat(&fx, &sw1, doorbells_rung, sw0.doorbells_rung + 1);
	teeq_context_stats(&ctx, &cs);
	CHECK(cs.waits_slept >= 1);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct teeq_sw_stats sw0, sw1;
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin;
	uint64_t db0, t0;

	sw_fixture_host_only(
		"host mode's doorbells; the driver rings kernel mode's");

	alarm(60);
	sw_fixture_start(&fx, "--workers", "1", "--spin-us", "1000000");
	/* the client polls for its completions for up to a second too */
	setenv("TEEQ_SPIN_US", "1000000", 1);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	unsetenv("TEEQ_SPIN_US");
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);

	/* both sides polling: not one doorbell, not one sleep */
	db0 = client_doorbells(&ctx);
	sw_fixture_stats(&fx, &sw0);
	noops(&sess, 1000);
	CHECK_EQ(client_doorbells(&ctx), db0);
	sw_fixture_stats(&fx, &sw1);
	CHECK_EQ(sw1.doorbells_rung, sw0.doorbells_rung);
	CHECK_EQ(sw1.worker_sleeps, sw0.worker_sleeps);
	CHECK_EQ(sw1.calls, sw0.calls + 1000);

	/* idle until the worker sleeps: the next call rings exactly once and
	 * wakes it */
	t0 = t_now_ms();
	while (!worker_asleep(&ctx)) {
		CHECK(t_now_ms() - t0 < 10000);
		usleep(1000);
	}
	noops(&sess, 1);
	CHECK_EQ(client_doorbells(&ctx), db0 + 1);
	t0 = t_now_ms();
	do
		sw_fixture_stats(&fx, &sw0);
	while (sw0.worker_sleeps == sw1.worker_sleeps &&
	       t_now_ms() - t0 < 5000 && !usleep(1000));
	CHECK(sw0.worker_sleeps > sw1.worker_sleeps);
	CHECK_EQ(sw0.doorbells_rung, sw1.doorbells_rung); /* we polled */

	/* awake again, it polls: no more doorbells */
	noops(&sess, 100);
	CHECK_EQ(client_doorbells(&ctx), db0 + 1);
	sw_fixture_stats(&fx, &sw1);
	CHECK_EQ(sw1.doorbells_rung, sw0.doorbells_rung);

	completion_doorbell();

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
