// SPDX-License-Identifier: MIT
/*
 * A synchronous call that carries payload spins for it before sleeping.
 * With the caller's budget at 20 us (TEEQ_SPIN_US=20), AES-CTR of 1 MiB
 * zero-copy (about 100 us in the secure world) outlasts it every time; the
 * windows' 2 MiB add up to 2 ms of spinning, so the caller stays awake
 * through such calls and is not woken by a doorbell (before: every call
 * slept). A call without memrefs keeps the plain budget: a 1 ms wait in
 * the noop TA still sleeps. Host mode's wait (the driver's has its own).
 */
#include "tests/cipher.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <sched.h>
#include <tee_client_api.h>
#include <teeq.h>

#define PAYLOAD_LEN ((size_t)1 << 20)
#define PAYLOAD_CALLS 40

static struct sw_fixture fx;

static uint64_t slept(TEEC_Context *ctx)
{
	struct teeq_stats st;

	teeq_context_stats(ctx, &st);
	return st.waits_slept;
}

static void open_ta(TEEC_Context *ctx, TEEC_Session *sess, TEEC_UUID uuid)
{
	uint32_t origin;

	CHECK_EQ(TEEC_OpenSession(ctx, sess, &uuid, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
}

int main(void)
{
	TEEC_SharedMemory shm = { .size = 4096 + 2 * PAYLOAD_LEN,
				  .flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT };
	TEEC_Session cipher, noop;
	TEEC_Context ctx;
	TEEC_Operation op;
	uint64_t before, payload_sleeps;
	uint32_t origin;
	cpu_set_t cpus;
	int i;

	sw_fixture_host_only("the driver's wait is its own");
	/* the secure world's worker on CPU 1, this thread on CPU 0: a
	 * spinning caller must not share its CPU with the call it waits for */
	CHECK_EQ(sched_getaffinity(0, sizeof(cpus), &cpus), 0);
	if (!CPU_ISSET(0, &cpus) || !CPU_ISSET(1, &cpus)) {
		printf("skip: needs CPUs 0 and 1\n");
		return T_SKIP;
	}
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	CHECK_EQ(sched_setaffinity(0, sizeof(cpus), &cpus), 0);
	sw_fixture_start(&fx, "--workers", "1", "--spin-us", "1000000",
			 "--cpus", "1");
	setenv("TEEQ_SPIN_US", "20", 1);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	t_cipher_open_ctr(&ctx, &cipher);
	open_ta(&ctx, &noop, (TEEC_UUID)TEEQ_TA_NOOP_UUID);
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &shm), TEEC_SUCCESS);
	memset(shm.buffer, 0x3c, shm.size);

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE);
	for (i = 0; i < 3; i++)
		op.params[i].memref.parent = &shm;
	op.params[0].memref.size = 16; /* the IV */
	op.params[1].memref.offset = 4096;
	op.params[1].memref.size = PAYLOAD_LEN;
	op.params[2].memref.offset = 4096 + PAYLOAD_LEN;
	op.params[2].memref.size = PAYLOAD_LEN;
	before = slept(&ctx);
	for (i = 0; i < PAYLOAD_CALLS; i++) {
		CHECK_EQ(TEEC_InvokeCommand(&cipher, TEEQ_CIPHER_CMD_CTR, &op,
					    &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(op.params[2].memref.size, PAYLOAD_LEN);
	}
	payload_sleeps = slept(&ctx) - before;
	printf("%d calls of 1 MiB AES-CTR slept %" PRIu64 " times\n",
	       PAYLOAD_CALLS, payload_sleeps);
	/* a call may lose its CPU to other work on a busy machine; most do
	 * not */
	CHECK(payload_sleeps * 4 <= PAYLOAD_CALLS);

	/* without payload, the plain budget: 1 ms outlasts 20 us */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = 1;
	before = slept(&ctx);
	CHECK_EQ(TEEC_InvokeCommand(&noop, TEEQ_NOOP_CMD_WAIT, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(slept(&ctx) - before, 1);

	TEEC_ReleaseSharedMemory(&shm);
	TEEC_CloseSession(&cipher);
	TEEC_CloseSession(&noop);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
