// SPDX-License-Identifier: MIT
/*
 * teeq-sw killed with SIGKILL in the middle of a batch: every pending call
 * in every client completes with TEEC_ERROR_TARGET_DEAD, origin
 * TEEC_ORIGIN_COMMS, promptly (within 5 s, a guard: the calls were 20 s
 * waits): sync invokes blocked in three threads over two contexts, a
 * context that had nothing in flight, and async operations in flight
 * (reaped with TARGET_DEAD). Afterwards new calls on the dead contexts are
 * TARGET_DEAD too (invoke, open, async prepare, secure stats) and
 * releasing and finalizing are harmless; a teeq-sw restarted on the same
 * socket serves a new context.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;

struct blocked {
	TEEC_Context *ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	TEEC_Result res;
	uint32_t origin;
	int done; /* atomic */
};

static void open_noop(TEEC_Context *ctx, TEEC_Session *sess)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_OpenSession(ctx, sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
}

static void wait_op(TEEC_Operation *op)
{
	memset(op, 0, sizeof(*op));
	op->paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE,
					  TEEC_NONE, TEEC_NONE);
	op->params[0].value.a = 20000;
}

static void *blocker(void *arg)
{
	struct blocked *b = arg;

	b->res = TEEC_InvokeCommand(&b->sess, TEEQ_NOOP_CMD_WAIT, &b->op,
				    &b->origin);
	__atomic_store_n(&b->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void dead_context(TEEC_Context *ctx, TEEC_Session *sess)
{
	struct teeq_sw_stats sst;
	TEEC_SharedMemory shm;
	TEEC_Session s2;
	TEEC_Operation op;
	uint32_t origin = 0;
	int fd;

	CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(origin, TEEC_ORIGIN_COMMS);
	wait_op(&op);
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_NOOP_CMD_WAIT, &op, &origin),
		 TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(origin, TEEC_ORIGIN_COMMS);
	origin = 0;
	CHECK_EQ(TEEC_OpenSession(ctx, &s2, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(origin, TEEC_ORIGIN_COMMS);
	CHECK_EQ(teeq_secure_stats(ctx, &sst), TEEC_ERROR_TARGET_DEAD);
	fd = memfd_create("teeq-dead", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK(!ftruncate(fd, 4096));
	CHECK(!fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	memset(&shm, 0, sizeof(shm));
	shm.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(ctx, &shm, fd),
		 TEEC_ERROR_TARGET_DEAD);
	close(fd);
	TEEC_CloseSession(sess); /* harmless */
}

int main(void)
{
	struct blocked b[3];
	struct teeq_completion done[8];
	TEEC_Operation aops[4];
	TEEC_Context ctx1, ctx2, idle, fresh;
	TEEC_Session s_async, s_idle, s_fresh;
	TEEC_Operation op;
	pthread_t t[3];
	teeq_queue *q;
	uint32_t origin;
	uint64_t t0;
	unsigned int n, k;
	int i, status;

	alarm(25);
	sw_fixture_start(&fx, "--workers", "2");
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx1), TEEC_SUCCESS);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx2), TEEC_SUCCESS);
	CHECK_EQ(TEEC_InitializeContext(NULL, &idle), TEEC_SUCCESS);
	open_noop(&idle, &s_idle);

	/* every session first: a worker busy with a 20 s wait serves none
	 * of its other queue pairs meanwhile */
	memset(b, 0, sizeof(b));
	for (i = 0; i < 3; i++) {
		b[i].ctx = i < 2 ? &ctx1 : &ctx2;
		open_noop(b[i].ctx, &b[i].sess);
		wait_op(&b[i].op);
	}
	open_noop(&ctx2, &s_async);
	CHECK_EQ(teeq_queue_open(&ctx2, &q), TEEC_SUCCESS);
	/* three sync waits: two threads on ctx1, one on ctx2 */
	for (i = 0; i < 3; i++)
		CHECK(!pthread_create(&t[i], NULL, blocker, &b[i]));
	/* and a batch on ctx2: two waits, two noops behind them */
	for (i = 0; i < 4; i++) {
		if (i < 2)
			wait_op(&aops[i]);
		else
			memset(&aops[i], 0, sizeof(aops[i]));
		CHECK_EQ(teeq_prep_invoke(q, &s_async,
					  i < 2 ? TEEQ_NOOP_CMD_WAIT :
						  TEEQ_NOOP_CMD_NOOP,
					  &aops[i], 100 + (uint64_t)i),
			 TEEC_SUCCESS);
	}
	CHECK_EQ(teeq_submit(q), 4);
	for (i = 0; i < 3; i++) {
		t0 = t_now_ms();
		while (!__atomic_load_n(&b[i].op.started, __ATOMIC_ACQUIRE) &&
		       t_now_ms() - t0 < 5000)
			usleep(1000);
		CHECK_EQ(__atomic_load_n(&b[i].op.started, __ATOMIC_ACQUIRE),
			 1);
	}
	usleep(100000); /* let them get into the secure world */
	for (i = 0; i < 3; i++) {
		if (__atomic_load_n(&b[i].done, __ATOMIC_ACQUIRE))
			fprintf(stderr, "call %d done early: %#x origin %u\n",
				i, b[i].res, b[i].origin);
		CHECK(!__atomic_load_n(&b[i].done, __ATOMIC_ACQUIRE));
	}

	status = sw_fixture_kill(&fx, SIGKILL);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	/* every sync call returns */
	t0 = t_now_ms();
	for (i = 0; i < 3; i++) {
		while (!__atomic_load_n(&b[i].done, __ATOMIC_ACQUIRE) &&
		       t_now_ms() - t0 < 5000)
			usleep(1000);
		CHECK(__atomic_load_n(&b[i].done, __ATOMIC_ACQUIRE));
		CHECK(!pthread_join(t[i], NULL));
		CHECK_EQ(b[i].res, TEEC_ERROR_TARGET_DEAD);
		CHECK_EQ(b[i].origin, TEEC_ORIGIN_COMMS);
	}
	/* every async one completes */
	n = teeq_reap(q, done, 8, 4, 5000);
	CHECK(t_now_ms() - t0 < 10000);
	CHECK_EQ(n, 4);
	for (k = 0; k < n; k++) {
		uint64_t u = done[k].user_data;

		CHECK(u >= 100 && u < 104);
		CHECK(done[k].operation == &aops[u - 100]);
		CHECK_EQ(done[k].result, TEEC_ERROR_TARGET_DEAD);
		CHECK_EQ(done[k].origin, TEEC_ORIGIN_COMMS);
	}
	memset(&op, 0, sizeof(op));
	CHECK_EQ(teeq_prep_invoke(q, &s_async, TEEQ_NOOP_CMD_NOOP, &op, 1),
		 TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(teeq_reap(q, done, 8, 0, 0), 0);
	teeq_queue_close(q);

	/* new calls: dead, whether the context noticed before or not */
	dead_context(&idle, &s_idle);
	dead_context(&ctx1, &b[0].sess);
	dead_context(&ctx2, &s_async);
	TEEC_CloseSession(&b[1].sess);
	TEEC_CloseSession(&b[2].sess);
	TEEC_FinalizeContext(&ctx1);
	TEEC_FinalizeContext(&ctx2);

	/* a new teeq-sw on the same socket serves a new context; the old
	 * context stays dead */
	sw_fixture_start_on(&fx, "--workers", "2", NULL);
	CHECK_EQ(TEEC_InitializeContext(NULL, &fresh), TEEC_SUCCESS);
	open_noop(&fresh, &s_fresh);
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&s_fresh, TEEQ_NOOP_CMD_NOOP, NULL,
				    &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	origin = 0;
	CHECK_EQ(TEEC_OpenSession(&idle, &s_idle, &noop, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_ERROR_TARGET_DEAD);
	CHECK_EQ(origin, TEEC_ORIGIN_COMMS);
	TEEC_FinalizeContext(&idle);
	TEEC_CloseSession(&s_fresh);
	TEEC_FinalizeContext(&fresh);
	sw_fixture_stop(&fx);
	return T_PASS;
}
