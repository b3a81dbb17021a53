// SPDX-License-Identifier: MIT
/*
 * teeq-bench-instr: teeq's hot paths for callgrind, whose instruction
 * counts repeat where timings do not (scripts/bench-instr.sh runs it).
 *
 *   teeq-bench-instr client SOCKET N
 *	Under callgrind (--collect-atstart=no --toggle-collect=
 *	ring_wait_entries): each client path N times, collected and dumped
 *	under its name. Waiting for the secure world is left out: entering
 *	ring_wait_entries() toggles collection off, leaving it on again.
 *   teeq-bench-instr drive SOCKET KIND N
 *	N calls of KIND, for a teeq-sw that runs under callgrind itself.
 *   teeq-bench-instr ring N
 *	The ring alone, in this process: N entries produced and consumed in
 *	batches of 32, the producer's side and the consumer's dumped apart.
 *
 * KIND: noop, values, memref4k, tmpref4k, open_close, async32.
 */
#include "ring/ring.h"
#include "uapi/teeq_tas.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tee_client_api.h>
#include <time.h>
#include <teeq.h>
#include <valgrind/callgrind.h>

#define INSTR_MEMREF 4096
#define INSTR_BATCH 32
#define INSTR_SETTLE_NS 100000l /* see instr_settle() */

enum instr_kind {
	INSTR_NOOP,
	INSTR_VALUES,
	INSTR_MEMREF4K,
	INSTR_TMPREF4K,
	INSTR_OPEN_CLOSE,
	INSTR_ASYNC32,
	INSTR_NR_KINDS,
};

static const char *const instr_names[INSTR_NR_KINDS] = {
	"noop", "values", "memref4k", "tmpref4k", "open_close", "async32",
};

struct instr_ctx {
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_SharedMemory shm;
	TEEC_Operation op[INSTR_NR_KINDS];
	teeq_queue *q;
	void *tmp;
	int settle; /* under callgrind: see instr_settle() */
};

static void instr_die(const char *what, TEEC_Result res)
{
	fprintf(stderr, "teeq-bench-instr: %s: 0x%08x\n", what, res);
	exit(1);
}

static void instr_open(struct instr_ctx *c, const char *sock)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	uint32_t origin;
	TEEC_Result res;
	TEEC_Operation *op;

	memset(c, 0, sizeof(*c));
	res = TEEC_InitializeContext(sock, &c->ctx);
	if (res != TEEC_SUCCESS)
		instr_die("TEEC_InitializeContext", res);
	res = TEEC_OpenSession(&c->ctx, &c->sess, &noop, TEEC_LOGIN_PUBLIC,
			       NULL, NULL, &origin);
	if (res != TEEC_SUCCESS)
		instr_die("TEEC_OpenSession", res);
	c->shm.size = INSTR_MEMREF;
	c->shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	res = TEEC_AllocateSharedMemory(&c->ctx, &c->shm);
	if (res != TEEC_SUCCESS)
		instr_die("TEEC_AllocateSharedMemory", res);
	c->tmp = calloc(1, INSTR_MEMREF);
	res = teeq_queue_open(&c->ctx, &c->q);
	if (!c->tmp || res != TEEC_SUCCESS)
		instr_die("setup", res);

	op = &c->op[INSTR_VALUES];
	op->paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					  TEEC_VALUE_INOUT, TEEC_NONE);
	op = &c->op[INSTR_MEMREF4K];
	op->paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
					  TEEC_NONE, TEEC_NONE);
	op->params[0].memref.parent = &c->shm;
	op = &c->op[INSTR_TMPREF4K];
	op->paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, TEEC_NONE,
					  TEEC_NONE, TEEC_NONE);
	op->params[0].tmpref.buffer = c->tmp;
	op->params[0].tmpref.size = INSTR_MEMREF;
}

static void instr_close(struct instr_ctx *c)
{
	teeq_queue_close(c->q);
	TEEC_ReleaseSharedMemory(&c->shm);
	TEEC_CloseSession(&c->sess);
	TEEC_FinalizeContext(&c->ctx);
	free(c->tmp);
}

/*
 * Under callgrind, uncounted: time for the secure world (not under
 * callgrind, and polling) to complete a batch just submitted, so that it
 * is reaped at once, whole. Reaped while the worker was still at it, a
 * batch took one to three reaps, as the two sides' timing fell, and the
 * count per call moved by about 2 instructions from run to run.
 */
static void instr_settle(void)
{
	struct timespec ts = { 0, INSTR_SETTLE_NS };

	CALLGRIND_TOGGLE_COLLECT;
	nanosleep(&ts, NULL);
	CALLGRIND_TOGGLE_COLLECT;
}

/* One operation of @kind (for async32: a batch of 32, pipelined no further
 * than submit and reap). */
static void instr_once(struct instr_ctx *c, enum instr_kind kind)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct teeq_completion done[INSTR_BATCH];
	TEEC_Session sess;
	uint32_t origin;
	TEEC_Result res = TEEC_SUCCESS;
	unsigned int i, n;

	switch (kind) {
	case INSTR_NOOP:
		res = TEEC_InvokeCommand(&c->sess, TEEQ_NOOP_CMD_NOOP, NULL,
					 &origin);
		break;
	case INSTR_VALUES:
	case INSTR_MEMREF4K:
	case INSTR_TMPREF4K:
		res = TEEC_InvokeCommand(&c->sess, TEEQ_NOOP_CMD_NOOP,
					 &c->op[kind], &origin);
		break;
	case INSTR_OPEN_CLOSE:
		res = TEEC_OpenSession(&c->ctx, &sess, &noop, TEEC_LOGIN_PUBLIC,
				       NULL, NULL, &origin);
		if (res == TEEC_SUCCESS)
			TEEC_CloseSession(&sess);
		break;
	case INSTR_ASYNC32:
		for (i = 0; i < INSTR_BATCH && res == TEEC_SUCCESS; i++)
			res = teeq_prep_invoke(c->q, &c->sess,
					       TEEQ_NOOP_CMD_NOOP, NULL, i);
		teeq_submit(c->q);
		if (c->settle)
			instr_settle();
		for (n = 0; n < INSTR_BATCH;)
			n += teeq_reap(c->q, done, INSTR_BATCH, INSTR_BATCH - n,
				       -1);
		break;
	case INSTR_NR_KINDS:
		break;
	}
	if (res != TEEC_SUCCESS)
		instr_die(instr_names[kind], res);
}

static int instr_kind(const char *name)
{
	int k;

	for (k = 0; k < INSTR_NR_KINDS; k++)
		if (!strcmp(name, instr_names[k]))
			return k;
	fprintf(stderr, "teeq-bench-instr: unknown kind %s\n", name);
	exit(2);
}

static void instr_client(const char *sock, long n)
{
	struct instr_ctx c;
	long i, calls;
	int k;

	instr_open(&c, sock);
	c.settle = 1;
	for (k = 0; k < INSTR_NR_KINDS; k++) {
		calls = k == INSTR_ASYNC32 ? n / INSTR_BATCH : n;
		for (i = 0; i < 100; i++) /* warm: first-use paths */
			instr_once(&c, (enum instr_kind)k);
		CALLGRIND_ZERO_STATS;
		CALLGRIND_TOGGLE_COLLECT;
		for (i = 0; i < calls; i++)
			instr_once(&c, (enum instr_kind)k);
		CALLGRIND_TOGGLE_COLLECT;
		CALLGRIND_DUMP_STATS_AT(instr_names[k]);
	}
	instr_close(&c);
}

static void instr_drive(const char *sock, const char *kind, long n)
{
	enum instr_kind k = (enum instr_kind)instr_kind(kind);
	struct instr_ctx c;
	long i;

	instr_open(&c, sock);
	if (k == INSTR_ASYNC32)
		n /= INSTR_BATCH;
	for (i = 0; i < n; i++)
		instr_once(&c, k);
	instr_close(&c);
}

/* The ring alone: both ends in this thread, one side collected at a time. */
static void instr_ring(long n)
{
	const uint32_t entries = 1024, size = 64;
	size_t len = ring_bytes(entries, size);
	void *mem = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
	struct ring prod, cons;
	uint64_t sum = 0;
	long i;
	int side;
	uint32_t j;

	for (side = 0; side < 2; side++) {
		if (!mem || ring_format(mem, len, entries, size, 0) ||
		    ring_attach(&prod, mem, len, entries, size,
				RING_PRODUCER) ||
		    ring_attach(&cons, mem, len, entries, size, RING_CONSUMER))
			exit(1);
		CALLGRIND_ZERO_STATS;
		for (i = 0; i < n / INSTR_BATCH; i++) {
			if (side == 0)
				CALLGRIND_TOGGLE_COLLECT;
			if (ring_prod_space(&prod, INSTR_BATCH) < INSTR_BATCH)
				exit(1);
			for (j = 0; j < INSTR_BATCH; j++)
				((uint32_t *)ring_prod_slot(&prod, j))[1] = j;
			ring_prod_commit(&prod, INSTR_BATCH);
			if (side == 0)
				CALLGRIND_TOGGLE_COLLECT;
			else
				CALLGRIND_TOGGLE_COLLECT;
			if (ring_cons_avail(&cons, INSTR_BATCH) < INSTR_BATCH)
				exit(1);
			for (j = 0; j < INSTR_BATCH; j++)
				sum += ((const uint32_t *)ring_cons_slot(&cons,
									 j))[1];
			ring_cons_release(&cons, INSTR_BATCH);
			if (side == 1)
				CALLGRIND_TOGGLE_COLLECT;
		}
		CALLGRIND_DUMP_STATS_AT(side == 0 ? "ring_produce" :
						    "ring_consume");
	}
	free(mem);
	if (sum != (uint64_t)(n / INSTR_BATCH) * 2 * (INSTR_BATCH - 1) *
			   INSTR_BATCH / 2)
		exit(1);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "client"))
		instr_client(argv[2], atol(argv[3]));
	else if (argc == 5 && !strcmp(argv[1], "drive"))
		instr_drive(argv[2], argv[3], atol(argv[4]));
	else if (argc == 3 && !strcmp(argv[1], "ring"))
		instr_ring(atol(argv[2]));
	else {
		fprintf(stderr, "usage: teeq-bench-instr client SOCKET N | "
				"drive SOCKET KIND N | ring N\n");
		return 2;
	}
	return 0;
}
