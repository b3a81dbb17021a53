// SPDX-License-Identifier: MIT
/*
 * TEEC_RequestCancellation on a TEEC_OpenSession in flight. teeq-sw's one
 * worker is kept busy by a SHA-256 over a large shared buffer; an open
 * session is submitted behind it and cancelled while both its entry and
 * the cancellation are still in the rings (shown by the rings' own
 * indices; on a machine so slow that the digest ended first, the attempt
 * is repeated with a larger buffer). GlobalPlatform leaves it to the TEE
 * whether an open that has not started is cancelled: it either opens a
 * working session, which the request does not follow (a cancellable call
 * on it runs to its end), or returns TEEC_ERROR_CANCEL with origin TEE and
 * no session left open in teeq-sw. Either way the operation, re-armed,
 * opens a session again, and teeq-sw's session count says exactly what is
 * open.
 */
#include "client/internal.h"
#include "tests/client/waiter.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
static const TEEC_UUID digest = TEEQ_TA_DIGEST_UUID;

static struct sw_fixture fx;
static TEEC_Context ctx;

/* Submission entries published in all of @ctx's rings and not yet taken
 * by teeq-sw. */
static uint32_t unconsumed(void)
{
	struct teeq_chan *chan = ctx.imp;
	uint32_t i, n = 0;

	for (i = 0; i < chan->layout.nr_qpairs; i++) {
		const struct teeq_ring_hdr *hdr =
			(const void *)((const char *)chan->region +
				       chan->layout.qp[i].sq_off);

		n += __atomic_load_n(&hdr->tail, __ATOMIC_ACQUIRE) -
		     __atomic_load_n(&hdr->head, __ATOMIC_ACQUIRE);
	}
	return n;
}

static uint64_t sw_sessions(void)
{
	struct teeq_sw_stats st;

	sw_fixture_stats(&fx, &st);
	return st.sessions;
}

struct job {
	pthread_t thread;
	TEEC_Session *sess;
	TEEC_Operation op;
	TEEC_Result res;
	uint32_t origin;
	int done; /* atomic */
	/* the digest */
	TEEC_SharedMemory *data;
	unsigned char md[32];
};

static void *digest_main(void *arg)
{
	struct job *j = arg;

	j->op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE,
					    TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					    TEEC_NONE);
	j->op.params[0].memref.parent = j->data;
	j->op.params[1].tmpref.buffer = j->md;
	j->op.params[1].tmpref.size = sizeof(j->md);
	j->res = TEEC_InvokeCommand(j->sess, TEEQ_DIGEST_CMD_SHA256, &j->op,
				    &j->origin);
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *open_main(void *arg)
{
	struct job *j = arg;

	j->res = TEEC_OpenSession(&ctx, j->sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  &j->op, &j->origin);
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Until @cond holds; 10 s is a guard, not a measurement. */
#define WAIT_FOR(cond)                                   \
	do {                                             \
		uint64_t t0_ = t_now_ms();               \
		while (!(cond)) {                        \
			CHECK(t_now_ms() - t0_ < 10000); \
			sched_yield();                   \
		}                                        \
	} while (0)

/* One attempt with a digest over @size bytes; returns 0 if the digest
 * ended before the cancellation was sent (inconclusive), else 1, having
 * checked the outcome. */
static int attempt(TEEC_Session *dsess, size_t size)
{
	TEEC_SharedMemory data;
	TEEC_Session opened;
	struct job dj = { 0 }, oj = { 0 };
	uint64_t sessions = sw_sessions();
	uint32_t origin;
	int queued;

	memset(&data, 0, sizeof(data));
	data.size = size;
	data.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &data), TEEC_SUCCESS);
	memset(data.buffer, 0x5a, size);

	/* the worker takes the digest and is busy with it */
	dj.sess = dsess;
	dj.data = &data;
	CHECK(!pthread_create(&dj.thread, NULL, digest_main, &dj));
	WAIT_FOR(__atomic_load_n(&dj.op.started, __ATOMIC_ACQUIRE) &&
		 unconsumed() == 0);
	/* the open goes in behind it, and is cancelled */
	oj.sess = &opened;
	CHECK(!pthread_create(&oj.thread, NULL, open_main, &oj));
	WAIT_FOR(__atomic_load_n(&oj.op.started, __ATOMIC_ACQUIRE) &&
		 (unconsumed() == 1 ||
		  __atomic_load_n(&dj.done, __ATOMIC_ACQUIRE)));
	TEEC_RequestCancellation(&oj.op);
	/* both still queued: the open was in flight when it was cancelled */
	queued = unconsumed() == 2;

	CHECK(!pthread_join(dj.thread, NULL));
	CHECK(!pthread_join(oj.thread, NULL));
	CHECK_EQ(dj.res, TEEC_SUCCESS);
	TEEC_ReleaseSharedMemory(&data);
	if (oj.res == TEEC_SUCCESS) {
		/* opened: a working session the request does not follow */
		CHECK_EQ(oj.origin, TEEC_ORIGIN_TRUSTED_APP);
		CHECK_EQ(sw_sessions(), sessions + 1);
		waiter_run(&opened, 2);
		TEEC_CloseSession(&opened);
	} else {
		/* cancelled before it started: nothing opened */
		CHECK_EQ(oj.res, TEEC_ERROR_CANCEL);
		CHECK_EQ(oj.origin, TEEC_ORIGIN_TEE);
	}
	CHECK_EQ(sw_sessions(), sessions);

	/* the operation, re-armed, opens again */
	oj.op.started = 0;
	CHECK_EQ(TEEC_OpenSession(&ctx, &opened, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  &oj.op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(sw_sessions(), sessions + 1);
	TEEC_CloseSession(&opened);
	CHECK_EQ(sw_sessions(), sessions);
	fprintf(stderr, "digest of %zu MiB: open %s (%#x)\n", size >> 20,
		queued ? "cancelled in flight" : "not shown in flight", oj.res);
	return queued;
}

int main(void)
{
	TEEC_Session dsess;
	uint32_t origin;
	size_t size;

	sw_fixture_host_only(
		"it reads the entries waiting in host mode's rings");

	alarm(120);
	sw_fixture_start(&fx, "--workers", "1");
	setenv("TEEQ_HEAP_MB", "256", 1);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	unsetenv("TEEQ_HEAP_MB");
	CHECK_EQ(TEEC_OpenSession(&ctx, &dsess, &digest, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);

	for (size = 16 << 20; !attempt(&dsess, size); size *= 2)
		CHECK(size < 128 << 20);

	TEEC_CloseSession(&dsess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
