// SPDX-License-Identifier: MIT
/*
 * A supplicant that hangs (SIGSTOP) holds up nobody for long: a storage
 * write waiting for it fails with TEEQ_ERROR_STORAGE_NOT_AVAILABLE after
 * the supplicant timeout (2 s here), not later; meanwhile calls to other
 * trusted apps, on another session of the same context, keep completing
 * promptly (the waiting call holds a call thread, not a ring worker), and
 * so do reads of an object already open; after the timeout the supplicant
 * is detached, so the next storage call fails at once. Woken up
 * (SIGCONT), the supplicant finds itself detached, attaches anew, and the
 * object written reads as it was before the write that never happened.
 */
#include "tests/storage/fixture.h"

#include <pthread.h>

static struct st_fixture fx;
static TEEC_Session s;
static TEEC_Result write_res;
static uint64_t write_ms;
static int write_done; /* atomic */

/* READ into allocated shared memory: no bounce through the heap, whose
 * reuse across threads ThreadSanitizer (which cannot see the client's
 * side of the rings) would take for a race. */
static TEEC_Result read_into(TEEC_Session *sess, uint32_t h,
			     TEEC_SharedMemory *shm, size_t *n)
{
	TEEC_Operation op = { 0 };
	uint32_t origin;
	TEEC_Result res;

	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_WHOLE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = h;
	op.params[1].memref.parent = shm;
	res = TEEC_InvokeCommand(sess, TEEQ_STORAGE_CMD_READ, &op, &origin);
	*n = op.params[1].memref.size;
	return res;
}

static void *writer(void *arg)
{
	uint64_t t0 = t_now_ms();

	(void)arg;
	write_res = st_put(&s, "other", "new contents", 12);
	write_ms = t_now_ms() - t0;
	__atomic_store_n(&write_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

int main(void)
{
	static const TEEC_UUID noop_uuid = TEEQ_TA_NOOP_UUID;
	TEEC_SharedMemory shm = { .size = 64, .flags = TEEC_MEM_OUTPUT };
	TEEC_Session noop, s2;
	TEEC_Operation op = { 0 };
	TEEC_Context ctx;
	struct timespec step = { 0, 2000000 };
	uint32_t origin = 0, h;
	uint64_t t0, worst = 0, calls = 0;
	pthread_t t;
	char buf[64];
	size_t n;

	st_init(&fx);
	fx.timeout_ms = "2000";
	st_start_sw(&fx);
	st_start_suppl(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &shm), TEEC_SUCCESS);
	st_open_session(&ctx, &s);
	st_open_session(&ctx, &s2);
	CHECK_EQ(TEEC_OpenSession(&ctx, &noop, &noop_uuid, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(st_wait_storage(&s), TEEC_SUCCESS);
	CHECK_EQ(st_put(&s, "obj", "old", 3), TEEC_SUCCESS);
	CHECK_EQ(st_put(&s, "other", "old other", 9), TEEC_SUCCESS);
	/* an open handle in another session, read during the hang */
	CHECK_EQ(st_open(&s2, "obj",
			 TEEQ_STORAGE_ACCESS_READ | TEEQ_STORAGE_SHARE_READ |
				 TEEQ_STORAGE_SHARE_WRITE,
			 &h),
		 TEEC_SUCCESS);

	CHECK(!kill(fx.suppl_pid, SIGSTOP));
	CHECK(!pthread_create(&t, NULL, writer, NULL));
	while (!__atomic_load_n(&write_done, __ATOMIC_ACQUIRE)) {
		t0 = t_now_ms();
		CHECK_EQ(TEEC_InvokeCommand(&noop, TEEQ_NOOP_CMD_NOOP, &op,
					    &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(st_seek(&s2, h, 0, TEEQ_STORAGE_SEEK_SET, NULL),
			 TEEC_SUCCESS);
		CHECK_EQ(read_into(&s2, h, &shm, &n), TEEC_SUCCESS);
		CHECK_EQ(n, 3);
		CHECK_MEM(shm.buffer, "old", 3);
		if (t_now_ms() - t0 > worst)
			worst = t_now_ms() - t0;
		calls++;
		nanosleep(&step, NULL);
	}
	pthread_join(t, NULL);
	printf("write failed after %llu ms; %llu other calls meanwhile, the "
	       "slowest %llu ms\n",
	       (unsigned long long)write_ms, (unsigned long long)calls,
	       (unsigned long long)worst);
	CHECK_EQ(write_res, TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	CHECK(write_ms >= 1900 && write_ms < 8000);
	CHECK(calls >= 50);
	/* none of them waited for the hung supplicant */
	CHECK(worst < 1500);

	/* detached: at once now */
	t0 = t_now_ms();
	CHECK_EQ(st_put(&s, "other", "again", 5),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	CHECK(t_now_ms() - t0 < 1000);

	CHECK(!kill(fx.suppl_pid, SIGCONT));
	CHECK_EQ(st_wait_storage(&s), TEEC_SUCCESS);
	CHECK_EQ(st_get(&s, "other", buf, sizeof(buf), &n), TEEC_SUCCESS);
	CHECK_EQ(n, 9);
	CHECK_MEM(buf, "old other", 9);
	CHECK_EQ(st_close(&s2, h), TEEC_SUCCESS);
	TEEC_ReleaseSharedMemory(&shm);
	TEEC_CloseSession(&noop);
	TEEC_CloseSession(&s2);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	return T_PASS;
}
