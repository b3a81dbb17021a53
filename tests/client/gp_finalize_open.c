// SPDX-License-Identifier: MIT
/*
 * TEEC_FinalizeContext with sessions, shared memory (allocated, registered
 * plain, registered memfd) and an async queue still open: a programming
 * error by GlobalPlatform, which libteeq survives. Afterwards every call
 * on what is left fails cleanly and touches no freed memory (this test
 * runs under AddressSanitizer too): InvokeCommand is BAD_STATE with origin
 * API, outputs untouched; CloseSession, ReleaseSharedMemory (buffer and
 * size cleared) and teeq_queue_close are harmless, twice over; a
 * cancellation of an operation used before is harmless; the queue takes
 * nothing. The secure world closed the context's sessions when it hung
 * up, and a new context works.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;

static void values(TEEC_Session *sess, TEEC_Operation *op, TEEC_Result want,
		   uint32_t want_origin)
{
	uint32_t origin = 0;

	memset(op, 0, sizeof(*op));
	op->paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					  TEEC_VALUE_INOUT, TEEC_NONE);
	op->params[0].value.a = 1;
	op->params[1].value.a = 77;
	CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_ECHO_CMD_VALUES, op, &origin),
		 want);
	CHECK_EQ(origin, want_origin);
}

int main(void)
{
	static unsigned char plain[512];
	TEEC_SharedMemory alloc, reg, fd;
	struct teeq_completion done;
	TEEC_Session sess, sess2, copy;
	struct teeq_sw_stats st;
	TEEC_Operation op;
	TEEC_Context ctx;
	teeq_queue *q;
	uint32_t origin = 0;
	uint64_t start;
	int mfd;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess2, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	copy = sess;
	values(&sess, &op, TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[1].value.a, 1);

	memset(&alloc, 0, sizeof(alloc));
	alloc.size = 4096;
	alloc.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &alloc), TEEC_SUCCESS);
	memset(&reg, 0, sizeof(reg));
	reg.buffer = plain;
	reg.size = sizeof(plain);
	reg.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_RegisterSharedMemory(&ctx, &reg), TEEC_SUCCESS);
	mfd = memfd_create("t", MFD_ALLOW_SEALING);
	CHECK(mfd >= 0);
	CHECK(!ftruncate(mfd, 4096));
	CHECK(!fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK));
	memset(&fd, 0, sizeof(fd));
	fd.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &fd, mfd),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);

	TEEC_FinalizeContext(&ctx);
	CHECK(ctx.imp == NULL);

	/* everything left fails cleanly, or does nothing */
	values(&sess, &op, TEEC_ERROR_BAD_STATE, TEEC_ORIGIN_API);
	CHECK_EQ(op.params[1].value.a, 77); /* no output */
	CHECK_EQ(op.started, 0); /* never started */
	values(&copy, &op, TEEC_ERROR_BAD_STATE, TEEC_ORIGIN_API);
	TEEC_RequestCancellation(&op);
	CHECK_EQ(TEEC_InvokeCommand(&sess2, TEEQ_ECHO_CMD_VALUES, NULL,
				    &origin),
		 TEEC_ERROR_BAD_STATE);
	CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_ECHO_CMD_VALUES, NULL, 1),
		 TEEC_ERROR_BAD_STATE);
	CHECK_EQ(teeq_submit(q), 0);
	CHECK_EQ(teeq_reap(q, &done, 1, 1, 0), 0);
	CHECK_EQ(teeq_queue_space(q), 0);
	TEEC_CloseSession(&sess);
	TEEC_CloseSession(&copy);
	TEEC_CloseSession(&sess2);
	TEEC_CloseSession(&sess2);
	TEEC_ReleaseSharedMemory(&alloc);
	CHECK(alloc.buffer == NULL);
	CHECK_EQ(alloc.size, 0);
	TEEC_ReleaseSharedMemory(&reg);
	CHECK(reg.buffer == NULL);
	TEEC_ReleaseSharedMemory(&fd);
	TEEC_ReleaseSharedMemory(&fd);
	CHECK(fd.buffer == NULL);
	teeq_queue_close(q);
	TEEC_FinalizeContext(&ctx); /* again: nothing */
	close(mfd);

	/* the secure world lets the hung-up context's sessions go (once it
	 * has seen the hang-up: 5 s is a guard, not a measurement) */
	start = t_now_ms();
	do {
		sw_fixture_stats(&fx, &st);
	} while (st.sessions && t_now_ms() - start < 5000 && !usleep(1000));
	CHECK_EQ(st.sessions_total, 2);
	CHECK_EQ(st.sessions, 0);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	values(&sess, &op, TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
