// SPDX-License-Identifier: MIT
/*
 * Calls into one session never overlap. While a call runs in a session
 * (noop's CMD_WAIT, 300 ms): a call that may be deferred is
 * (SW_DEFERRED, nothing done, the completion not written); calls that
 * may not wait for it, all three of them at once, and each gets in only
 * after the running call has ended; a call into another session runs at
 * once. Afterwards the session takes calls as before, and closing it with
 * nobody inside frees it.
 */
#include "secure/core/session.h"
#include "tests/check.h"
#include "tests/secure/platform.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#define WAIT_MS 300
#define WAITERS 3

static struct sw_client client;

static void sqe_init(struct teeq_sqe *sqe, uint8_t opcode, uint32_t session,
		     uint32_t func)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = opcode;
	sqe->session = session;
	sqe->func = func;
	sqe->user_data = 0x5e55;
}

static uint32_t open_noop(void)
{
	static const struct ta_uuid noop = TEEQ_TA_NOOP_UUID;
	struct teeq_sqe sqe;
	struct teeq_cqe cqe;

	sqe_init(&sqe, TEEQ_OP_OPEN_SESSION, 0, TEEQ_LOGIN_PUBLIC);
	ta_uuid_to_wire(&noop, &sqe.uuid);
	CHECK_EQ(sw_dispatch(&client, &sqe, &cqe, NULL, NULL, 0),
		 SW_DISPATCHED);
	CHECK_EQ(cqe.result, TEEQ_SUCCESS);
	CHECK(cqe.session);
	return cqe.session;
}

/* A noop invocation of @session; returns what sw_dispatch() did. */
static enum sw_dispatch_result noop(uint32_t session, unsigned int flags,
				    struct teeq_cqe *cqe)
{
	struct teeq_sqe sqe;

	sqe_init(&sqe, TEEQ_OP_INVOKE, session, TEEQ_NOOP_CMD_NOOP);
	memset(cqe, 0xa5, sizeof(*cqe));
	return sw_dispatch(&client, &sqe, cqe, NULL, NULL, flags);
}

struct waiting_call {
	pthread_t thread;
	uint32_t session;
	uint64_t started_ms, ended_ms;
	struct teeq_cqe cqe;
	enum sw_dispatch_result res;
};

static void *run_wait(void *arg)
{
	struct waiting_call *w = arg;
	struct teeq_sqe sqe;

	sqe_init(&sqe, TEEQ_OP_INVOKE, w->session, TEEQ_NOOP_CMD_WAIT);
	sqe.param_types = TEEQ_PARAM_TYPES(TEEQ_PARAM_VALUE_INPUT, 0, 0, 0);
	sqe.params[0].value.a = WAIT_MS;
	w->started_ms = t_now_ms();
	w->res = sw_dispatch(&client, &sqe, &w->cqe, NULL, NULL, 0);
	w->ended_ms = t_now_ms();
	return NULL;
}

static void *run_noop(void *arg)
{
	struct waiting_call *w = arg;

	w->res = noop(w->session, 0, &w->cqe);
	w->ended_ms = t_now_ms();
	return NULL;
}

static struct sw_session *session_of(uint32_t id)
{
	struct shm_buf buf;

	CHECK_EQ(shm_ids_lookup(&client.sessions, id, &buf), 0);
	return (struct sw_session *)(uintptr_t)buf.cookie;
}

int main(void)
{
	struct ta_identity who = { .uid = 1000, .gid = 1000, .pid = 1 };
	struct channel_params p = { .nr_qpairs = 1,
				    .sq_entries = 8,
				    .heap_size = TEEQ_PAGE_SIZE,
				    .features = TEEQ_FEAT_ALL };
	struct waiting_call running = { 0 }, waiters[WAITERS];
	struct channel_layout layout;
	struct sw_session *s;
	struct teeq_cqe cqe;
	struct teeq_sqe sqe;
	uint32_t busy_id, other_id;
	void *region;
	uint64_t deadline;
	int i;

	region = t_plat_region(&p, &layout);
	sw_core_init(&t_platform_real);
	CHECK_EQ(sw_client_init(&client, 1, region, &layout, &who), 0);
	busy_id = open_noop();
	other_id = open_noop();
	s = session_of(busy_id);

	/* a call that holds its session for WAIT_MS */
	running.session = busy_id;
	CHECK_EQ(pthread_create(&running.thread, NULL, run_wait, &running), 0);
	deadline = t_now_ms() + 10000;
	while (!(__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) &
		 SW_SESSION_HELD)) {
		CHECK(t_now_ms() < deadline);
		sched_yield();
	}

	/* may be deferred: it is, untouched, while the session is busy */
	CHECK_EQ(noop(busy_id, SW_DISPATCH_MAY_DEFER, &cqe), SW_DEFERRED);
	/* another session is not held up */
	CHECK_EQ(noop(other_id, SW_DISPATCH_MAY_DEFER, &cqe), SW_DISPATCHED);
	CHECK_EQ(cqe.result, TEEQ_SUCCESS);
	CHECK_EQ(cqe.origin, TEEQ_ORIGIN_TRUSTED_APP);

	/* may not be deferred: each waits for the running call to end */
	for (i = 0; i < WAITERS; i++) {
		waiters[i] = (struct waiting_call){ .session = busy_id };
		CHECK_EQ(pthread_create(&waiters[i].thread, NULL, run_noop,
					&waiters[i]),
			 0);
	}
	CHECK_EQ(pthread_join(running.thread, NULL), 0);
	CHECK_EQ(running.res, SW_DISPATCHED);
	CHECK_EQ(running.cqe.result, TEEQ_SUCCESS);
	CHECK(running.ended_ms >= running.started_ms + WAIT_MS);
	for (i = 0; i < WAITERS; i++) {
		CHECK_EQ(pthread_join(waiters[i].thread, NULL), 0);
		CHECK_EQ(waiters[i].res, SW_DISPATCHED);
		CHECK_EQ(waiters[i].cqe.result, TEEQ_SUCCESS);
		CHECK_EQ(waiters[i].cqe.origin, TEEQ_ORIGIN_TRUSTED_APP);
		CHECK_EQ(waiters[i].cqe.user_data, 0x5e55);
		/* not before the wait in the TA was over */
		CHECK(waiters[i].ended_ms >= running.started_ms + WAIT_MS);
	}

	/* free again: a deferrable call runs, and the word says so */
	CHECK_EQ(__atomic_load_n(&s->state, __ATOMIC_ACQUIRE),
		 SW_SESSION_OPEN(busy_id));
	CHECK_EQ(noop(busy_id, SW_DISPATCH_MAY_DEFER, &cqe), SW_DISPATCHED);
	CHECK_EQ(cqe.result, TEEQ_SUCCESS);

	/* closed with nobody inside: gone at once */
	sqe_init(&sqe, TEEQ_OP_CLOSE_SESSION, busy_id, 0);
	CHECK_EQ(sw_dispatch(&client, &sqe, &cqe, NULL, NULL, 0),
		 SW_DISPATCHED);
	CHECK_EQ(cqe.result, TEEQ_SUCCESS);
	CHECK_EQ(sw_client_sessions(&client), 1);
	CHECK_EQ(noop(busy_id, 0, &cqe), SW_DISPATCHED);
	CHECK_EQ(cqe.result, TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(cqe.origin, TEEQ_ORIGIN_TEE);

	sw_client_fini(&client);
	free(region);
	return T_PASS;
}
