// SPDX-License-Identifier: MIT
/*
 * Host mode: a synchronous call's big temporary output is copied back with
 * its heap block kept, and the pair's next call with memory references
 * flushes and frees that block while it waits for the secure world
 * (client/params.c), its own bounces coming from other blocks meanwhile.
 * Here, on a 4 MiB heap (so a quarter of it, 1 MiB, may be held so):
 *
 *	the bytes are right call after call, one block is held at a time,
 *	and a call with a small memory reference frees it;
 *	a call of values only leaves it held;
 *	a bounce beyond the allowance is freed as before;
 *	a bounce the heap can hold only without the held block gets the
 *	heap, the block given back first, not a memfd of its own (which
 *	TEEQ_DEBUG=1 would report on stderr).
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

#define MIB ((size_t)1 << 20)
#define HEAP_MB "4"

static struct sw_fixture fx;
static TEEC_Session sess;
static unsigned char *buf, *want;

static uint64_t heap_in_use(TEEC_Context *ctx)
{
	struct teeq_stats st;

	teeq_context_stats(ctx, &st);
	return st.heap_in_use;
}

/* Inverts @n bytes through a temporary INOUT memref, a new pattern each
 * time, and checks them. */
static void invert(size_t n)
{
	static unsigned int round;
	TEEC_Operation op;
	uint32_t origin;
	size_t i;

	round++;
	for (i = 0; i < n; i++) {
		buf[i] = (unsigned char)(i * 13 + round + (i >> 12));
		want[i] = (unsigned char)~buf[i];
	}
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = buf;
	op.params[0].tmpref.size = n;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(op.params[0].tmpref.size, n);
	CHECK_MEM(buf, want, n);
}

static void values(void)
{
	TEEC_Operation op;
	uint32_t origin;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_VALUE_INOUT, TEEC_NONE);
	op.params[0].value.a = 1;
	op.params[0].value.b = 2;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_VALUES, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(op.params[1].value.a, 1);
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	char said[4096];
	FILE *log = tmpfile();
	struct teeq_stats st;
	TEEC_Context ctx;
	uint32_t origin;
	uint64_t h0;
	ssize_t got;
	int fd, err;

	sw_fixture_host_only("the driver copies temporary memrefs in "
			     "kernel mode");
	buf = malloc(4 * MIB);
	want = malloc(4 * MIB);
	CHECK(buf && want);
	/* what libteeq says goes to a file: a memfd bounce is reported */
	CHECK(log);
	fd = fileno(log);
	err = dup(2);
	CHECK(err >= 0 && dup2(fd, 2) == 2);
	setenv("TEEQ_DEBUG", "1", 1);
	setenv("TEEQ_HEAP_MB", HEAP_MB, 1);

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.heap_size, 4 * MIB);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	h0 = heap_in_use(&ctx);

	/* one held at a time; a small memref frees it */
	invert(MIB);
	CHECK_EQ(heap_in_use(&ctx), h0 + MIB);
	invert(MIB);
	CHECK_EQ(heap_in_use(&ctx), h0 + MIB);
	values();
	CHECK_EQ(heap_in_use(&ctx), h0 + MIB);
	invert(100);
	CHECK_EQ(heap_in_use(&ctx), h0);

	/* beyond the allowance: freed at once, the held one meanwhile */
	invert(MIB);
	CHECK_EQ(heap_in_use(&ctx), h0 + MIB);
	invert(2 * MIB);
	CHECK_EQ(heap_in_use(&ctx), h0);

	/* the whole heap, with a block held: given back, then the heap */
	invert(MIB);
	CHECK_EQ(heap_in_use(&ctx), h0 + MIB);
	invert(4 * MIB);
	CHECK_EQ(heap_in_use(&ctx), h0);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	fflush(stderr);
	CHECK(dup2(err, 2) == 2);
	got = pread(fd, said, sizeof(said) - 1, 0);
	CHECK(got >= 0);
	said[got] = '\0';
	fprintf(stderr, "libteeq and teeq-sw said:\n%s", said);
	CHECK(!strstr(said, "memfd"));
	fclose(log);
	free(buf);
	free(want);
	return T_PASS;
}
