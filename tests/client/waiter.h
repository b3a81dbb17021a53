/* SPDX-License-Identifier: MIT */
/*
 * A thread blocked in TEEC_InvokeCommand(noop CMD_WAIT): the cancellation
 * and long-call tests start one, act while it waits, and collect it.
 */
#ifndef TEEQ_TESTS_CLIENT_WAITER_H
#define TEEQ_TESTS_CLIENT_WAITER_H

#include "tests/check.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <unistd.h>

struct waiter {
	TEEC_Session *sess;
	TEEC_Operation op;
	TEEC_Result res;
	uint32_t origin;
	int done; /* atomic */
	pthread_t thread;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	w->res = TEEC_InvokeCommand(w->sess, TEEQ_NOOP_CMD_WAIT, &w->op,
				    &w->origin);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static inline int waiter_done(struct waiter *w)
{
	return __atomic_load_n(&w->done, __ATOMIC_ACQUIRE);
}

/* An operation for noop CMD_WAIT of @ms milliseconds. */
static inline void waiter_op(TEEC_Operation *op, uint32_t ms)
{
	memset(op, 0, sizeof(*op));
	op->paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE,
					  TEEC_NONE, TEEC_NONE);
	op->params[0].value.a = ms;
}

/* A cancellable wait of @ms on @sess, from this thread: it runs to its
 * end in the trusted app. */
static inline void waiter_run(TEEC_Session *sess, uint32_t ms)
{
	TEEC_Operation op;
	uint32_t origin = 0;

	waiter_op(&op, ms);
	CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_NOOP_CMD_WAIT, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
}

/* Starts a wait of @ms on @sess; returns once libteeq has submitted it
 * (op.started is set just before; 5 s is a guard, not a measurement). */
static inline void waiter_start(struct waiter *w, TEEC_Session *sess,
				uint32_t ms)
{
	uint64_t start;

	memset(w, 0, sizeof(*w));
	w->sess = sess;
	waiter_op(&w->op, ms);
	CHECK(!pthread_create(&w->thread, NULL, waiter_main, w));
	start = t_now_ms();
	while (!__atomic_load_n(&w->op.started, __ATOMIC_ACQUIRE) &&
	       t_now_ms() - start < 5000)
		usleep(100);
	CHECK_EQ(__atomic_load_n(&w->op.started, __ATOMIC_ACQUIRE), 1);
}

/* The wait has ended within 5 s (the guard) and its thread is joined. */
static inline void waiter_join(struct waiter *w)
{
	uint64_t start = t_now_ms();

	while (!waiter_done(w) && t_now_ms() - start < 5000)
		usleep(1000);
	CHECK(waiter_done(w));
	CHECK(!pthread_join(w->thread, NULL));
}

#endif /* TEEQ_TESTS_CLIENT_WAITER_H */
