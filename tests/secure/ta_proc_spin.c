// SPDX-License-Identifier: MIT
/*
 * A synchronous call that carries a megabyte spins for its payload
 * (TEEQ_SPIN_US raised a nanosecond a byte, see client/params.c), but not
 * in a session of a loaded TA: its calls cross teeq-sw's call thread and
 * the TA's own process, and a caller spinning through them holds a CPU
 * they need. teeq-sw says so in the completions of such calls
 * (TEEQ_CQE_F_DEFERRED), from the OpenSession on, and libteeq keeps it in
 * the session. Counted by the client (teeq_stats.payload_spins), not timed:
 * every 1 MiB call into the built-in cipher TA spins for its payload (it
 * runs in the worker), none into the loaded TA does (before: every one).
 */
#include "tests/cipher.h"
#include "tests/secure/ta_proc_fixture.h"

#include <teeq.h>

#define PAYLOAD_LEN ((size_t)1 << 20)
#define CALLS 8

static uint64_t payload_spins(TEEC_Context *ctx)
{
	struct teeq_stats st;

	teeq_context_stats(ctx, &st);
	return st.payload_spins;
}

/* ECHO of a whole megabyte, in place in allocated shared memory. */
static void echo(TEEC_Session *s, TEEC_SharedMemory *shm)
{
	TEEC_Operation op;
	uint32_t origin;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].memref.parent = shm;
	op.params[0].memref.size = PAYLOAD_LEN;
	op.params[1].memref.parent = shm;
	op.params[1].memref.offset = PAYLOAD_LEN;
	op.params[1].memref.size = PAYLOAD_LEN;
	CHECK_EQ(TEEC_InvokeCommand(s, PROC_CMD_ECHO, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(op.params[1].memref.size, PAYLOAD_LEN);
}

/* AES-CTR of a whole megabyte in the built-in cipher TA. */
static void cipher(TEEC_Session *s, TEEC_SharedMemory *shm)
{
	TEEC_Operation op;
	uint32_t origin;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE);
	op.params[0].memref.parent = shm;
	op.params[0].memref.size = 16; /* the IV */
	op.params[1].memref.parent = shm;
	op.params[1].memref.size = PAYLOAD_LEN;
	op.params[2].memref.parent = shm;
	op.params[2].memref.offset = PAYLOAD_LEN;
	op.params[2].memref.size = PAYLOAD_LEN;
	CHECK_EQ(TEEC_InvokeCommand(s, TEEQ_CIPHER_CMD_CTR, &op, &origin),
		 TEEC_SUCCESS);
}

int main(void)
{
	TEEC_SharedMemory shm = { .size = 2 * PAYLOAD_LEN,
				  .flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT };
	struct sw_fixture f;
	TEEC_Session loaded, builtin;
	TEEC_Context ctx;
	uint32_t origin;
	uint64_t before;
	int i;

	/* the default budget stays: only the payload's part is counted */
	unsetenv("TEEQ_SPIN_US");
	ta_fixture_start(&f);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &shm), TEEC_SUCCESS);
	memset(shm.buffer, 0x5a, PAYLOAD_LEN);

	CHECK_EQ(ta_fixture_open(&ctx, &loaded, &proc_plain, &origin),
		 TEEC_SUCCESS);
	before = payload_spins(&ctx);
	for (i = 0; i < CALLS; i++)
		echo(&loaded, &shm);
	CHECK_MEM((char *)shm.buffer + PAYLOAD_LEN, shm.buffer, PAYLOAD_LEN);
	printf("loaded TA: %d calls of 1 MiB, %" PRIu64 " spun for payload\n",
	       CALLS, payload_spins(&ctx) - before);
	CHECK_EQ(payload_spins(&ctx) - before, 0);

	t_cipher_open_ctr(&ctx, &builtin);
	before = payload_spins(&ctx);
	for (i = 0; i < CALLS; i++)
		cipher(&builtin, &shm);
	printf("built-in TA: %d calls of 1 MiB, %" PRIu64 " spun for payload\n",
	       CALLS, payload_spins(&ctx) - before);
	CHECK_EQ(payload_spins(&ctx) - before, CALLS);

	/* the loaded session is still told apart after the built-in's */
	before = payload_spins(&ctx);
	echo(&loaded, &shm);
	CHECK_EQ(payload_spins(&ctx) - before, 0);

	TEEC_CloseSession(&builtin);
	TEEC_CloseSession(&loaded);
	TEEC_ReleaseSharedMemory(&shm);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&f);
	return T_PASS;
}
