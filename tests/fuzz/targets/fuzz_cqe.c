// SPDX-License-Identifier: MIT
/*
 * fuzz_cqe: libteeq's handling of completions from a hostile secure world.
 *
 * A struct teeq_chan is built in-process, without a socket or teeq-sw:
 * a region from channel_plan()/channel_format() with one queue pair of
 * depth 8 and a 32 KiB heap, its pool and shm ids, teeq_qp_init(), and per
 * tag a registered plain buffer (heap shadow) and an allocated heap
 * buffer. Calls are put in flight the way teeq_call() and the async API
 * do (tag, teeq_params_lower(), commit); this file plays the secure world:
 * it consumes each submission (checking it), writes a pattern into every
 * output window, and produces the fuzzer's completions on the CQ ring with
 * the ring producer API. After teeq_qp_poll() every completed call is
 * raised (teeq_params_raise()) as teeq_call() or teeq_reap() would;
 * async calls stay done, unreaped, until one of them is resubmitted.
 *
 * Input:
 *   8 bytes      one per submission: bits 0-2 parameter setup, 3-4 kind
 *                (sync, async, discard, none), 5 resubmit when done
 *   then         64-byte completions. The stamp word is the ring's, so it
 *                carries control bits instead:
 *     ctl0 bit 0     user_data := current gen << 32 | tag (bits 1-3)
 *          bit 4     origin := 1 + origin % 4
 *          bit 5     flags &= the hints defined, reserved := 0
 *          bit 6     result := a TEEQ code or a TA's own (result % 23)
 *          bit 7     poll after this completion
 *     ctl1 bits 0-3  memref output size of param i := size % (window + 1)
 *          bit 4     session := 0
 *     ctl2 bits 0-2  the peer misbehaves: 1 stamp := ctl3 garbage, 2 tail
 *                    moved by (int8)ctl3, 3 head moved (our producer
 *                    breaks), 4 the client prepares to sleep (reads the
 *                    tail) first, 5 stamp published without the tail
 *          bit 3     poll before this completion
 *
 * Setups: 0 no operation; 1 no parameters; 2 VALUE out/inout/in; 3 TEMP
 * out 100, inout 33, in 16, out NULL/50; 4 TEMP out 0 bytes, inout 4096,
 * VALUE out; 5 WHOLE and PARTIAL out/in of a registered plain buffer
 * (bounced through its shadow); 6 PARTIAL inout and WHOLE of heap memory
 * (zero-copy); 7 TEMP out 1 byte and 4000 bytes in params 1 and 3.
 *
 * Invariants: the client's submissions name only heap windows, with
 * NONE/reserved bytes zero; a completion is accepted only if it names an
 * in-flight call with its generation and a clean format; a completion the
 * client looks at and refuses kills the channel, and then every call in
 * flight completes with TARGET_DEAD; a poll that does not kill leaves no
 * ready completion behind among as many as it has calls in flight; the
 * raised result is the secure world's, or COMMUNICATION for an output size past
 * its window (unless SHORT_BUFFER), or TARGET_DEAD; outputs are raised
 * only from a trusted app's completion; exactly min(size, window) bytes
 * are copied back, only on success, and never for a discarded call; the
 * async done list holds exactly the async calls done; every bounce is
 * freed (the pool returns to its baseline) and every tag comes back.
 *
 * TEEQ_FUZZ_WRITE_SEEDS=dir writes the seed corpus to dir and exits;
 * TEEQ_FUZZ_VERBOSE=1 prints each completion and raise.
 */
#define FZ_NAME "fuzz_cqe"
#include "tests/fuzz/targets/fuzz.h"
#include "client/internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FZ_DEPTH 8u
#define FZ_HEAP_SIZE (32u << 10)
#define FZ_PLAIN_SIZE 256u
#define FZ_POOL_SHM_SIZE 512u
#define FZ_CQE 64u

static const uint32_t fz_results[] = {
	TEEQ_SUCCESS,
	TEEQ_ERROR_GENERIC,
	TEEQ_ERROR_ACCESS_DENIED,
	TEEQ_ERROR_CANCEL,
	TEEQ_ERROR_ACCESS_CONFLICT,
	TEEQ_ERROR_EXCESS_DATA,
	TEEQ_ERROR_BAD_FORMAT,
	TEEQ_ERROR_BAD_PARAMETERS,
	TEEQ_ERROR_BAD_STATE,
	TEEQ_ERROR_ITEM_NOT_FOUND,
	TEEQ_ERROR_NOT_IMPLEMENTED,
	TEEQ_ERROR_NOT_SUPPORTED,
	TEEQ_ERROR_NO_DATA,
	TEEQ_ERROR_OUT_OF_MEMORY,
	TEEQ_ERROR_BUSY,
	TEEQ_ERROR_COMMUNICATION,
	TEEQ_ERROR_SECURITY,
	TEEQ_ERROR_SHORT_BUFFER,
	TEEQ_ERROR_EXTERNAL_CANCEL,
	TEEQ_ERROR_TARGET_DEAD,
	TEEQ_ERROR_STORAGE_NO_SPACE,
	TEEQ_ERROR_MAC_INVALID,
	0x12345678u, /* a TA may return its own codes */
};
#define FZ_NR_RESULTS (sizeof(fz_results) / sizeof(fz_results[0]))

/* One call in flight, as this file set it up (indexed by tag). */
struct fz_call {
	int live; /* submitted, not yet raised or discarded */
	unsigned int setup, kind, rearm;
	uint32_t gen;
	TEEC_Operation op;
	TEEC_Operation *opp; /* NULL for setup 0 */
	unsigned char *tmp[TEEQ_NUM_PARAMS]; /* TEMP buffers, malloc'd */
	/* where param i's bytes come back to, if they are bounced */
	unsigned char *user[TEEQ_NUM_PARAMS];
	/* what the submission said on the wire */
	uint16_t wtypes;
	struct teeq_sqe sqe;
};

static struct teeq_chan *fz_chan;
static TEEC_Context fz_ctx;
static TEEC_SharedMemory fz_plain[FZ_DEPTH], fz_heapmem[FZ_DEPTH];
static struct shm_pool_stats fz_pool_base;
static struct fz_call fz_calls[FZ_DEPTH];
static struct ring fz_sw_sq, fz_sw_cq; /* the secure world's ends */
static int fz_verbose;
static unsigned int fz_resubmits;

static struct teeq_qp *fz_qp(void)
{
	return &fz_chan->qp[0];
}

static unsigned char fz_pattern(uint32_t seed, uint32_t i)
{
	uint32_t x = seed * 0x9e3779b1u + i * 0x85ebca6bu;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return (unsigned char)x;
}

static void fz_fill(unsigned char *p, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = fz_pattern(seed, (uint32_t)i);
}

/* ---- calls --------------------------------------------------------------- */

/* A TEMP memref over a buffer of its own (@null: a NULL buffer). */
static void fz_tmpref(struct fz_call *c, int i, size_t size, int null,
		      uint32_t seed)
{
	c->op.params[i].tmpref.size = size;
	if (null)
		return;
	c->tmp[i] = malloc(size ? size : 1);
	if (!c->tmp[i])
		abort();
	fz_fill(c->tmp[i], size, seed + (uint32_t)i + 1);
	c->op.params[i].tmpref.buffer = c->tmp[i];
	if (size)
		c->user[i] = c->tmp[i];
}

/* A window of registered memory; @bounced: plain memory with a shadow. */
static void fz_regref(struct fz_call *c, int i, TEEC_SharedMemory *sm,
		      size_t off, size_t size, int bounced)
{
	c->op.params[i].memref.parent = sm;
	c->op.params[i].memref.offset = off;
	c->op.params[i].memref.size = size;
	if (bounced)
		c->user[i] = (unsigned char *)sm->buffer + off;
}

static uint32_t fz_seed_of(uint32_t tag, uint32_t gen)
{
	return tag << 8 | (gen & 0xff);
}

static void fz_call_setup(struct fz_call *c, uint32_t tag, unsigned int setup)
{
	uint32_t seed = fz_seed_of(tag, c->gen);
	TEEC_SharedMemory *plain = &fz_plain[tag], *heap = &fz_heapmem[tag];

	memset(&c->op, 0, sizeof(c->op));
	memset(c->tmp, 0, sizeof(c->tmp));
	memset(c->user, 0, sizeof(c->user));
	c->setup = setup;
	c->opp = setup ? &c->op : NULL;
	fz_fill(plain->buffer, FZ_PLAIN_SIZE, seed ^ 0x5a5a0000u);
	switch (setup) {
	case 2:
		c->op.paramTypes =
			TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_VALUE_INOUT,
					 TEEC_VALUE_INPUT, TEEC_NONE);
		c->op.params[0].value.a = 11;
		c->op.params[1].value.a = 22;
		c->op.params[1].value.b = 33;
		c->op.params[2].value.b = 44;
		break;
	case 3:
		c->op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT,
						    TEEC_MEMREF_TEMP_INOUT,
						    TEEC_MEMREF_TEMP_INPUT,
						    TEEC_MEMREF_TEMP_OUTPUT);
		fz_tmpref(c, 0, 100, 0, seed);
		fz_tmpref(c, 1, 33, 0, seed);
		fz_tmpref(c, 2, 16, 0, seed);
		fz_tmpref(c, 3, 50, 1, seed);
		c->user[2] = NULL; /* an input: never copied back */
		break;
	case 4:
		c->op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT,
						    TEEC_MEMREF_TEMP_INOUT,
						    TEEC_NONE,
						    TEEC_VALUE_OUTPUT);
		fz_tmpref(c, 0, 0, 0, seed);
		fz_tmpref(c, 1, 4096, 0, seed);
		break;
	case 5:
		c->op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE,
						    TEEC_MEMREF_PARTIAL_OUTPUT,
						    TEEC_MEMREF_PARTIAL_INPUT,
						    TEEC_NONE);
		fz_regref(c, 0, plain, 0, 0, 1);
		fz_regref(c, 1, plain, 16, 64, 1);
		fz_regref(c, 2, plain, 0, 8, 1);
		c->user[2] = NULL;
		break;
	case 6:
		c->op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INOUT,
						    TEEC_VALUE_OUTPUT,
						    TEEC_MEMREF_WHOLE,
						    TEEC_NONE);
		fz_regref(c, 0, heap, 32, 100, 0);
		fz_regref(c, 2, heap, 0, 0, 0);
		break;
	case 7:
		c->op.paramTypes =
			TEEC_PARAM_TYPES(TEEC_NONE, TEEC_MEMREF_TEMP_OUTPUT,
					 TEEC_NONE, TEEC_MEMREF_TEMP_OUTPUT);
		fz_tmpref(c, 1, 1, 0, seed);
		fz_tmpref(c, 3, 4000, 0, seed);
		break;
	}
}

static void fz_call_free(struct fz_call *c)
{
	int i;

	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		free(c->tmp[i]);
		c->tmp[i] = NULL;
	}
	c->live = 0;
}

/* The secure world takes the submission: check it, note what it says,
 * and "run" it: every output window gets a pattern. */
static void fz_sw_take(struct fz_call *c, uint32_t tag)
{
	struct teeq_sqe *sqe = &c->sqe;
	const struct teeq_pending *p = &fz_qp()->pend[tag];
	int i;

	FZ_ASSERT(ring_cons_avail(&fz_sw_sq, 1) == 1,
		  "the submission of tag %u is not in the ring", tag);
	memcpy(sqe, ring_cons_slot(&fz_sw_sq, 0), TEEQ_CACHELINE);
	if (teeq_sqe_size(sqe->param_types) > TEEQ_CACHELINE)
		memcpy((char *)sqe + TEEQ_CACHELINE,
		       (const char *)ring_cons_slot(&fz_sw_sq, 0) +
			       TEEQ_CACHELINE,
		       sizeof(*sqe) - TEEQ_CACHELINE);
	else
		memset((char *)sqe + TEEQ_CACHELINE, 0,
		       sizeof(*sqe) - TEEQ_CACHELINE);
	ring_cons_release(&fz_sw_sq, 1);

	FZ_ASSERT(sqe->user_data == p->wire_user_data &&
			  (uint32_t)p->wire_user_data == tag,
		  "submission user_data %#llx for tag %u, pending says %#llx",
		  (unsigned long long)sqe->user_data, tag,
		  (unsigned long long)p->wire_user_data);
	FZ_ASSERT(sqe->param_types == p->param_types,
		  "wire types %#x, pending says %#x", sqe->param_types,
		  p->param_types);
	FZ_ASSERT(!sqe->flags &&
			  fz_all_zero(sqe->reserved, sizeof(sqe->reserved)),
		  "submission flags or reserved set");
	c->wtypes = sqe->param_types;
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		unsigned int t = TEEQ_PARAM_TYPE_GET(sqe->param_types, i);
		const union teeq_param *w = &sqe->params[i];

		FZ_ASSERT(teeq_param_type_valid(t), "wire type %u", t);
		if (t == TEEQ_PARAM_NONE) {
			FZ_ASSERT(fz_all_zero(w, sizeof(*w)),
				  "NONE param %d not zero", i);
			continue;
		}
		if (teeq_param_is_value(t)) {
			FZ_ASSERT(!w->value.pad, "value pad set");
			continue;
		}
		FZ_ASSERT(p->window[i] == w->memref.size,
			  "window %u, wire size %u", p->window[i],
			  w->memref.size);
		if (w->memref.buf_id == TEEQ_BUF_ID_NULL) {
			FZ_ASSERT(!w->memref.offset, "null memref offset");
			continue;
		}
		FZ_ASSERT(w->memref.buf_id == TEEQ_BUF_ID_HEAP &&
				  shm_window_ok(fz_chan->layout.heap_size,
						w->memref.offset,
						w->memref.size),
			  "param %d names buffer %u [%#llx +%u) outside the "
			  "heap",
			  i, w->memref.buf_id,
			  (unsigned long long)w->memref.offset, w->memref.size);
		if (teeq_param_is_output(t))
			fz_fill(fz_chan->heap + w->memref.offset,
				w->memref.size, 0xc0de0000u + tag * 16 + i);
	}
}

static void fz_submit(unsigned int setup, unsigned int kind, unsigned int rearm)
{
	struct teeq_qp *qp = fz_qp();
	struct teeq_pending *p;
	struct teeq_sqe *sqe;
	struct fz_call *c;
	TEEC_Result res = TEEC_SUCCESS;
	uint32_t tag;

	if (teeq_chan_dead(fz_chan))
		return;
	sqe = teeq_qp_get_sqe(qp, kind, &tag, &p);
	if (!sqe)
		return;
	c = &fz_calls[tag];
	c->gen = (uint32_t)(p->wire_user_data >> 32);
	c->kind = kind;
	c->rearm = rearm;
	fz_call_setup(c, tag, setup);
	if (c->opp)
		res = teeq_params_lower(qp, c->opp, sqe, p);
	if (res != TEEC_SUCCESS) {
		/* as teeq_call(): nothing was published */
		FZ_ASSERT(res == TEEC_ERROR_OUT_OF_MEMORY && !p->bounces,
			  "lowering failed with %#x", res);
		teeq_qp_unprep(qp, tag);
		fz_call_free(c);
		return;
	}
	sqe->opcode = setup ? TEEQ_OP_INVOKE : TEEQ_OP_CLOSE_SESSION;
	sqe->session = 0x10001;
	sqe->func = setup;
	p->op = c->opp;
	p->user_data = (uint64_t)tag;
	teeq_qp_publish(qp);
	FZ_ASSERT(!teeq_chan_dead(fz_chan), "commit killed the channel");
	c->live = 1;
	fz_sw_take(c, (uint32_t)tag);
}

/* ---- completions --------------------------------------------------------- */

static void fz_raise(uint32_t tag)
{
	struct teeq_qp *qp = fz_qp();
	struct teeq_pending *p = &qp->pend[tag];
	struct fz_call *c = &fz_calls[tag];
	const struct teeq_cqe cqe = p->cqe;
	unsigned char before[TEEQ_NUM_PARAMS][4096], want[4096];
	TEEC_Operation op0 = c->op;
	uint32_t origin = 0, exp_origin = cqe.origin;
	TEEC_Result res, exp = cqe.result;
	int reached = cqe.origin == TEEQ_ORIGIN_TRUSTED_APP, i;
	size_t len[TEEQ_NUM_PARAMS] = { 0 };

	FZ_ASSERT(c->live, "raising tag %u that is not ours", tag);
	for (i = 0; reached && c->wtypes && i < TEEQ_NUM_PARAMS; i++) {
		unsigned int t = TEEQ_PARAM_TYPE_GET(c->wtypes, i);

		if (teeq_param_is_memref(t) && teeq_param_is_output(t) &&
		    cqe.params[i].memref.size > c->sqe.params[i].memref.size &&
		    cqe.result != TEEQ_ERROR_SHORT_BUFFER) {
			exp = TEEQ_ERROR_COMMUNICATION;
			exp_origin = TEEQ_ORIGIN_COMMS;
			reached = 0;
		}
	}
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		if (!c->user[i])
			continue;
		len[i] = c->sqe.params[i].memref.size;
		memcpy(before[i], c->user[i], len[i]);
	}

	res = teeq_params_raise(qp, c->opp, p, &origin);
	if (fz_verbose)
		fprintf(stderr, "raise tag %u setup %u: cqe %#x/%u -> %#x/%u\n",
			tag, c->setup, cqe.result, cqe.origin, res, origin);
	FZ_ASSERT(res == exp && origin == exp_origin,
		  "tag %u raised %#x/%u, expected %#x/%u", tag, res, origin,
		  exp, exp_origin);
	FZ_ASSERT(origin >= TEEQ_ORIGIN_API &&
			  origin <= TEEQ_ORIGIN_TRUSTED_APP,
		  "origin %u", origin);
	FZ_ASSERT(!p->bounces, "bounces left after raise");

	for (i = 0; c->opp && i < TEEQ_NUM_PARAMS; i++) {
		unsigned int t = TEEQ_PARAM_TYPE_GET(c->wtypes, i);
		uint32_t tt = TEEC_PARAM_TYPE_GET(c->op.paramTypes, i);
		int raised = reached && teeq_param_is_output(t);
		const union teeq_param_out *out = &cqe.params[i];

		if (teeq_param_is_value(t)) {
			FZ_ASSERT(
				c->op.params[i].value.a ==
						(raised ? out->value.a :
							  op0.params[i]
								  .value.a) &&
					c->op.params[i].value.b ==
						(raised ?
							 out->value.b :
							 op0.params[i].value.b),
				"tag %u value %d raised wrongly", tag, i);
			continue;
		}
		if (!teeq_param_is_memref(t))
			continue;
		if (tt >= TEEC_MEMREF_TEMP_INPUT &&
		    tt <= TEEC_MEMREF_TEMP_INOUT)
			FZ_ASSERT(c->op.params[i].tmpref.size ==
					  (raised ? out->memref.size :
						    op0.params[i].tmpref.size),
				  "tag %u tmpref %d size %zu", tag, i,
				  c->op.params[i].tmpref.size);
		else
			FZ_ASSERT(c->op.params[i].memref.size ==
					  (raised ? out->memref.size :
						    op0.params[i].memref.size),
				  "tag %u memref %d size %zu", tag, i,
				  c->op.params[i].memref.size);
	}
	/* copy-back: exactly min(size, window), only on success; applied
	 * in parameter order, as overlapping windows of one buffer are */
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		unsigned int t = TEEQ_PARAM_TYPE_GET(c->wtypes, i);
		int j;

		if (!c->user[i])
			continue;
		/* the expected bytes of this window, from the bytes before
		 * and every copy that lands in it */
		memcpy(want, before[i], len[i]);
		for (j = 0;
		     reached && res == TEEC_SUCCESS && j < TEEQ_NUM_PARAMS;
		     j++) {
			unsigned int tj = TEEQ_PARAM_TYPE_GET(c->wtypes, j);
			uint64_t n = cqe.params[j].memref.size;
			const unsigned char *src;
			int64_t d;
			uint64_t k;

			if (!c->user[j] || !teeq_param_is_output(tj))
				continue;
			if (n > c->sqe.params[j].memref.size)
				n = c->sqe.params[j].memref.size;
			src = fz_chan->heap + c->sqe.params[j].memref.offset;
			d = c->user[j] - c->user[i];
			for (k = 0; k < n; k++) {
				int64_t at = d + (int64_t)k;

				if (at >= 0 && (uint64_t)at < len[i])
					want[at] = src[k];
			}
		}
		FZ_ASSERT(!memcmp(want, c->user[i], len[i]),
			  "tag %u param %d (type %u): wrong bytes copied back "
			  "(result %#x, size %u, window %zu)",
			  tag, i, t, res, cqe.params[i].memref.size, len[i]);
	}
	fz_call_free(c);
}

/* A discarded call completed: nothing may be copied back. */
static void fz_discarded(uint32_t tag)
{
	struct fz_call *c = &fz_calls[tag];
	uint32_t seed = fz_seed_of(tag, c->gen);
	unsigned char buf[4096];
	int i;

	FZ_ASSERT(!fz_qp()->pend[tag].bounces, "discarded call kept bounces");
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		if (!c->tmp[i])
			continue;
		fz_fill(buf, c->op.params[i].tmpref.size,
			seed + (uint32_t)i + 1);
		FZ_ASSERT(!memcmp(buf, c->tmp[i], c->op.params[i].tmpref.size),
			  "discarded tag %u param %d written back", tag, i);
	}
	fz_fill(buf, FZ_PLAIN_SIZE, seed ^ 0x5a5a0000u);
	FZ_ASSERT(!memcmp(buf, fz_plain[tag].buffer, FZ_PLAIN_SIZE),
		  "discarded tag %u: registered memory written back", tag);
	fz_call_free(c);
}

static int fz_cqe_ok(const struct teeq_cqe *cqe, const uint8_t *in_flight,
		     const uint32_t *gen)
{
	uint32_t tag = (uint32_t)cqe->user_data;

	return tag < FZ_DEPTH && in_flight[tag] &&
	       gen[tag] == (uint32_t)(cqe->user_data >> 32) &&
	       !(cqe->flags & ~TEEQ_CQE_FLAGS_ALL) && !cqe->reserved &&
	       cqe->origin >= TEEQ_ORIGIN_API &&
	       cqe->origin <= TEEQ_ORIGIN_TRUSTED_APP;
}

/*
 * Completed calls: raise (sync), note discards, resubmit. Async calls stay
 * on the done list (a completion may name them meanwhile) until one of
 * them is to be resubmitted or @reap_all; then the list is reaped as
 * teeq_reap() does.
 */
static void fz_collect(const uint8_t *was_in_flight, int reap_all)
{
	struct teeq_qp *qp = fz_qp();
	unsigned int redo[FZ_DEPTH][2], nr_redo = 0, async_done = 0, walked;
	uint32_t tag, cur;
	int reap = reap_all;

	for (tag = 0; tag < FZ_DEPTH; tag++) {
		struct teeq_pending *p = &qp->pend[tag];
		struct fz_call *c = &fz_calls[tag];

		if (c->live && c->kind == TEEQ_PENDING_ASYNC &&
		    p->state == TEEQ_PENDING_DONE) {
			async_done++;
			reap |= c->rearm;
		}
		if (!was_in_flight[tag] || p->state == TEEQ_PENDING_IN_FLIGHT)
			continue;
		if (c->rearm) {
			redo[nr_redo][0] = c->setup;
			redo[nr_redo++][1] = c->kind;
		}
		if (c->kind == TEEQ_PENDING_DISCARD) {
			FZ_ASSERT(p->state == TEEQ_PENDING_FREE,
				  "discarded tag %u not freed", tag);
			fz_discarded(tag);
		} else if (c->kind == TEEQ_PENDING_ASYNC) {
			FZ_ASSERT(p->state == TEEQ_PENDING_DONE,
				  "async tag %u state %u", tag, p->state);
		} else {
			FZ_ASSERT(p->state == TEEQ_PENDING_DONE,
				  "sync tag %u state %u", tag, p->state);
			fz_raise(tag);
			teeq_qp_put(qp, tag);
		}
	}
	/* the done list, as teeq_reap() takes it */
	FZ_ASSERT(qp->nr_done == async_done, "%u on the done list, %u done",
		  qp->nr_done, async_done);
	for (walked = 0; reap && qp->nr_done; walked++) {
		FZ_ASSERT(walked < FZ_DEPTH && qp->done_head &&
				  qp->done_head <= FZ_DEPTH,
			  "done list broken");
		cur = qp->done_head - 1;
		FZ_ASSERT(qp->pend[cur].state == TEEQ_PENDING_DONE &&
				  fz_calls[cur].kind == TEEQ_PENDING_ASYNC &&
				  fz_calls[cur].live,
			  "done list holds tag %u", cur);
		qp->done_head = qp->pend[cur].next_done;
		if (!qp->done_head)
			qp->done_tail = 0;
		qp->nr_done--;
		fz_raise(cur);
		teeq_qp_put(qp, cur);
	}
	while (nr_redo--) {
		if (fz_resubmits >= 4 * FZ_DEPTH)
			break;
		fz_resubmits++;
		fz_submit(redo[nr_redo][0], redo[nr_redo][1], 1);
	}
}

static void fz_poll(void)
{
	struct teeq_qp *qp = fz_qp();
	uint8_t in_flight[FZ_DEPTH], was[FZ_DEPTH], accepted[FZ_DEPTH] = { 0 };
	uint32_t gen[FZ_DEPTH], start = qp->cq.local, consumed, tag, j;
	const char *dead0 = fz_chan->dead;
	/* the client looks for as many completions as it has calls in
	 * flight: any more could only be bad ones */
	uint32_t looked = 0;
	struct teeq_cqe cqe;

	for (tag = 0; tag < FZ_DEPTH; tag++) {
		was[tag] = in_flight[tag] = qp->pend[tag].state ==
					    TEEQ_PENDING_IN_FLIGHT;
		looked += was[tag];
		gen[tag] = (uint32_t)(qp->pend[tag].wire_user_data >> 32);
	}
	teeq_qp_poll(qp);
	consumed = qp->cq.local - start;
	FZ_ASSERT(consumed <= FZ_DEPTH, "consumed %u", consumed);
	for (j = 0; j < consumed; j++) {
		memcpy(&cqe, ring_slot_at(&qp->cq, start + j), sizeof(cqe));
		if (fz_verbose)
			fprintf(stderr,
				"accepted cqe %u: user_data %#llx result %#x "
				"origin %u\n",
				start + j, (unsigned long long)cqe.user_data,
				cqe.result, cqe.origin);
		FZ_ASSERT(fz_cqe_ok(&cqe, in_flight, gen),
			  "accepted completion %u (user_data %#llx flags %#x "
			  "origin %u) names no call in flight",
			  start + j, (unsigned long long)cqe.user_data,
			  cqe.flags, cqe.origin);
		tag = (uint32_t)cqe.user_data;
		in_flight[tag] = 0;
		accepted[tag] = 1;
		FZ_ASSERT(!memcmp(&qp->pend[tag].cqe.result, &cqe.result,
				  sizeof(cqe) - RING_STAMP_SIZE),
			  "tag %u holds another completion", tag);
	}
	if (fz_chan->dead && !dead0 && !ring_broken(&qp->cq)) {
		/* killed for the next completion: it must be a bad one (its
		 * stamp may have been overwritten since the client saw it) */
		memcpy(&cqe, ring_slot_at(&qp->cq, qp->cq.local), sizeof(cqe));
		if (fz_verbose)
			fprintf(stderr, "killed: %s\n", fz_chan->dead);
		FZ_ASSERT(!fz_cqe_ok(&cqe, in_flight, gen),
			  "channel killed for a good completion");
	}
	if (!fz_chan->dead) {
		/* with nothing in flight the client does not look at the
		 * ring: it finds the breakage when it next has a call there */
		FZ_ASSERT(!looked || !ring_broken(&qp->cq),
			  "broken ring, live channel");
		if (consumed < looked)
			FZ_ASSERT(*ring_stamp_at(&qp->cq, qp->cq.local) !=
					  qp->cq.local + 1,
				  "a ready completion left behind");
	}
	for (tag = 0; tag < FZ_DEPTH; tag++) {
		const struct teeq_pending *p = &qp->pend[tag];

		if (!was[tag]) {
			FZ_ASSERT(p->state != TEEQ_PENDING_IN_FLIGHT,
				  "tag %u in flight from nowhere", tag);
			continue;
		}
		if (accepted[tag])
			continue;
		if (!fz_chan->dead) {
			FZ_ASSERT(p->state == TEEQ_PENDING_IN_FLIGHT,
				  "tag %u completed without a completion", tag);
			continue;
		}
		/* the channel died: failed by teeq_qp_fail_all() */
		FZ_ASSERT(p->state != TEEQ_PENDING_IN_FLIGHT,
			  "tag %u still in flight on a dead channel", tag);
		FZ_ASSERT(p->cqe.result == TEEQ_ERROR_TARGET_DEAD &&
				  p->cqe.origin == TEEQ_ORIGIN_COMMS &&
				  p->cqe.user_data ==
					  ((uint64_t)gen[tag] << 32 | tag),
			  "tag %u failed with %#x/%u", tag, p->cqe.result,
			  p->cqe.origin);
	}
	fz_collect(was, 0);
}

/* Produces one completion from @in (64 bytes, control in the stamp). */
static int fz_produce(const unsigned char *in)
{
	struct teeq_qp *qp = fz_qp();
	uint32_t ctl, tag, old, i;
	unsigned int c0, c1, c2, c3;
	struct teeq_cqe cqe;

	memcpy(&cqe, in, sizeof(cqe));
	ctl = cqe.stamp;
	c0 = ctl & 0xff;
	c1 = (ctl >> 8) & 0xff;
	c2 = (ctl >> 16) & 0xff;
	c3 = ctl >> 24;
	if (c2 & 8)
		fz_poll();
	tag = (c0 >> 1) & 7;
	if (c0 & 1)
		cqe.user_data = qp->pend[tag].wire_user_data;
	if (c0 & 0x10)
		cqe.origin = 1 + cqe.origin % 4;
	if (c0 & 0x20) { /* clean: at most the hints defined */
		cqe.flags &= TEEQ_CQE_FLAGS_ALL;
		cqe.reserved = 0;
	}
	if (c0 & 0x40)
		cqe.result = fz_results[cqe.result % FZ_NR_RESULTS];
	if (c1 & 0x10)
		cqe.session = 0;
	tag = (uint32_t)cqe.user_data;
	for (i = 0; i < TEEQ_NUM_PARAMS && tag < FZ_DEPTH; i++)
		if ((c1 >> i) & 1)
			cqe.params[i].memref.size %=
				fz_calls[tag].sqe.params[i].memref.size + 1;

	if (!ring_prod_space(&fz_sw_cq, 1)) {
		fz_poll();
		if (!ring_prod_space(&fz_sw_cq, 1))
			return 0; /* the client stopped consuming */
	}
	ring_prod_fill(&fz_sw_cq, 0, &cqe, sizeof(cqe));
	old = fz_sw_cq.local;
	ring_prod_commit(&fz_sw_cq, 1);
	switch (c2 & 7) {
	case 1:
		*ring_stamp_at(&fz_sw_cq, old) = old + 1 + (c3 << 24 | c3);
		break;
	case 2:
		fz_sw_cq.hdr->tail += (uint32_t)(int32_t)(int8_t)c3;
		break;
	case 3:
		fz_sw_cq.hdr->head += (uint32_t)(int32_t)(int8_t)c3;
		break;
	case 4:
		if (!ring_cons_prepare_sleep(&qp->cq))
			ring_cons_end_sleep(&qp->cq);
		break;
	case 5:
		fz_sw_cq.hdr->tail = old;
		break;
	}
	if (c0 & 0x80)
		fz_poll();
	return 1;
}

/* ---- libFuzzer ----------------------------------------------------------- */

static void fz_write_seeds(const char *dir);

static void fz_setup(void)
{
	struct channel_params p = { .nr_qpairs = 1,
				    .sq_entries = FZ_DEPTH,
				    .heap_size = FZ_HEAP_SIZE,
				    .features = TEEQ_FEAT_ALL };
	struct teeq_chan *chan = calloc(1, sizeof(*chan));
	uint32_t i;

	if (!chan)
		abort();
	chan->ops = &teeq_rings_ops;
	chan->sock = chan->memfd = -1;
	chan->nr_qp = 1;
	chan->qp = calloc(1, sizeof(*chan->qp));
	if (!chan->qp || pthread_mutex_init(&chan->ctl_lock, NULL) ||
	    channel_plan(&p, &chan->layout) ||
	    posix_memalign(&chan->region, TEEQ_PAGE_SIZE,
			   chan->layout.region_size))
		abort();
	memset(chan->region, 0, chan->layout.region_size);
	chan->heap = (unsigned char *)chan->region + chan->layout.heap_off;
	if (shm_pool_init(&chan->pool, chan->layout.heap_size) ||
	    shm_ids_init(&chan->shms, 64))
		abort();
	fz_chan = chan;
	fz_ctx.imp = chan;
	for (i = 0; i < FZ_DEPTH; i++) {
		fz_plain[i] = (TEEC_SharedMemory){
			.buffer = malloc(FZ_PLAIN_SIZE),
			.size = FZ_PLAIN_SIZE,
			.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT,
		};
		fz_heapmem[i] = (TEEC_SharedMemory){
			.size = FZ_POOL_SHM_SIZE,
			.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT,
		};
		if (!fz_plain[i].buffer ||
		    TEEC_RegisterSharedMemory(&fz_ctx, &fz_plain[i]) ||
		    TEEC_AllocateSharedMemory(&fz_ctx, &fz_heapmem[i]))
			abort();
	}
	shm_pool_stats(&chan->pool, &fz_pool_base);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seeds = getenv("TEEQ_FUZZ_WRITE_SEEDS");

	(void)argc;
	(void)argv;
	fz_verbose = getenv("TEEQ_FUZZ_VERBOSE") != NULL;
	fz_setup();
	if (seeds && *seeds) {
		fz_write_seeds(seeds);
		exit(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct teeq_qp *qp = fz_qp();
	uint8_t was[FZ_DEPTH];
	struct shm_pool_stats st;
	unsigned char chunk[FZ_CQE];
	size_t off;
	uint32_t i;

	if (size < FZ_DEPTH)
		return 0;
	/* a fresh queue pair on freshly formatted rings */
	if (channel_format(fz_chan->region, &fz_chan->layout))
		abort();
	memset(qp, 0, sizeof(*qp));
	fz_chan->dead = NULL;
	if (teeq_qp_init(fz_chan, 0) ||
	    channel_attach_qpair(fz_chan->region, &fz_chan->layout, 0,
				 &fz_sw_sq, RING_CONSUMER, &fz_sw_cq,
				 RING_PRODUCER))
		abort();
	memset(fz_calls, 0, sizeof(fz_calls));
	fz_resubmits = 0;

	for (i = 0; i < FZ_DEPTH; i++)
		if (((data[i] >> 3) & 3) != 3)
			fz_submit(data[i] & 7, (data[i] >> 3) & 3,
				  (data[i] >> 5) & 1);
	for (off = FZ_DEPTH; off < size; off += FZ_CQE) {
		memset(chunk, 0, sizeof(chunk));
		memcpy(chunk, data + off,
		       size - off < FZ_CQE ? size - off : FZ_CQE);
		if (!fz_produce(chunk))
			break;
	}
	fz_poll();

	/* the end: whatever is still in flight dies with the channel */
	for (i = 0; i < FZ_DEPTH; i++)
		was[i] = qp->pend[i].state == TEEQ_PENDING_IN_FLIGHT;
	teeq_chan_kill(fz_chan, "fuzz: end of input");
	teeq_qp_fail_all(qp);
	fz_collect(was, 1);

	FZ_ASSERT(qp->nr_free == qp->depth, "%u of %u tags came back",
		  qp->nr_free, qp->depth);
	for (i = 0; i < FZ_DEPTH; i++)
		FZ_ASSERT(!fz_calls[i].live, "call %u never completed", i);
	shm_pool_stats(&fz_chan->pool, &st);
	FZ_ASSERT(st.allocs == fz_pool_base.allocs &&
			  st.in_use == fz_pool_base.in_use,
		  "heap blocks leaked: %llu allocations, %llu bytes in use "
		  "(baseline %llu, %llu)",
		  (unsigned long long)st.allocs, (unsigned long long)st.in_use,
		  (unsigned long long)fz_pool_base.allocs,
		  (unsigned long long)fz_pool_base.in_use);
	teeq_qp_fini(qp);
	return 0;
}

/* ---- seeds --------------------------------------------------------------- */

struct fz_seed {
	unsigned char buf[FZ_DEPTH + 64 * FZ_CQE];
	size_t len;
};

#define FZ_CTL(c0, c1, c2, c3)                                         \
	((uint32_t)(c0) | (uint32_t)(c1) << 8 | (uint32_t)(c2) << 16 | \
	 (uint32_t)(c3) << 24)
/* user_data of @tag, clean format */
#define FZ_OK(tag) (1u | (tag) << 1 | 0x20)
#define FZ_SYNC 0u
#define FZ_ASYNC 1u
#define FZ_DISCARD 2u
#define FZ_NONE 3u
#define FZ_SUB(setup, kind, rearm) ((setup) | (kind) << 3 | (rearm) << 5)

static void fz_seed_start(struct fz_seed *s, const uint8_t subs[FZ_DEPTH])
{
	memset(s, 0, sizeof(*s));
	memcpy(s->buf, subs, FZ_DEPTH);
	s->len = FZ_DEPTH;
}

static struct teeq_cqe *fz_seed_cqe(struct fz_seed *s, uint32_t ctl,
				    uint32_t result, uint32_t origin)
{
	struct teeq_cqe *cqe = (void *)(s->buf + s->len);

	memset(cqe, 0, sizeof(*cqe));
	cqe->stamp = ctl;
	cqe->result = result;
	cqe->origin = origin;
	s->len += FZ_CQE;
	return cqe;
}

static void fz_seed_sizes(struct teeq_cqe *cqe, uint32_t a, uint32_t b,
			  uint32_t c, uint32_t d)
{
	cqe->params[0].memref.size = a;
	cqe->params[1].memref.size = b;
	cqe->params[2].memref.size = c;
	cqe->params[3].memref.size = d;
}

static void fz_seed_write(const char *dir, const char *name,
			  const struct fz_seed *s)
{
	fz_write_file(dir, name, s->buf, s->len);
}

/* Tags are handed out 0, 1, 2, ... in submission order. */
static void fz_write_seeds(const char *dir)
{
	static const uint8_t all_sync[FZ_DEPTH] = {
		FZ_SUB(0, FZ_SYNC, 0), FZ_SUB(1, FZ_SYNC, 0),
		FZ_SUB(2, FZ_SYNC, 0), FZ_SUB(3, FZ_SYNC, 0),
		FZ_SUB(4, FZ_SYNC, 0), FZ_SUB(5, FZ_SYNC, 0),
		FZ_SUB(6, FZ_SYNC, 0), FZ_SUB(7, FZ_SYNC, 0),
	};
	static const uint8_t mixed[FZ_DEPTH] = {
		FZ_SUB(3, FZ_ASYNC, 0),	  FZ_SUB(5, FZ_DISCARD, 0),
		FZ_SUB(2, FZ_ASYNC, 0),	  FZ_SUB(7, FZ_SYNC, 0),
		FZ_SUB(6, FZ_DISCARD, 0), FZ_SUB(4, FZ_ASYNC, 0),
		FZ_SUB(1, FZ_NONE, 0),	  FZ_SUB(0, FZ_NONE, 0),
	};
	static const uint8_t rearm[FZ_DEPTH] = {
		FZ_SUB(3, FZ_SYNC, 1),	  FZ_SUB(5, FZ_ASYNC, 1),
		FZ_SUB(2, FZ_DISCARD, 1), FZ_SUB(0, FZ_NONE, 0),
		FZ_SUB(0, FZ_NONE, 0),	  FZ_SUB(0, FZ_NONE, 0),
		FZ_SUB(0, FZ_NONE, 0),	  FZ_SUB(0, FZ_NONE, 0),
	};
	static const uint8_t four_k[FZ_DEPTH] = {
		FZ_SUB(4, FZ_SYNC, 0), FZ_SUB(4, FZ_SYNC, 0),
		FZ_SUB(4, FZ_SYNC, 0), FZ_SUB(4, FZ_SYNC, 0),
		FZ_SUB(4, FZ_SYNC, 0), FZ_SUB(4, FZ_SYNC, 0),
		FZ_SUB(7, FZ_SYNC, 0), FZ_SUB(7, FZ_SYNC, 0),
	};
	struct teeq_cqe *c;
	struct fz_seed s;
	uint32_t t;

	/* every call completes well, in order */
	fz_seed_start(&s, all_sync);
	for (t = 0; t < FZ_DEPTH; t++) {
		c = fz_seed_cqe(&s, FZ_OK(t), TEEQ_SUCCESS,
				t ? TEEQ_ORIGIN_TRUSTED_APP : TEEQ_ORIGIN_TEE);
		c->params[0].value.a = 7;
		c->params[0].value.b = 8;
		c->params[1].value.a = 9;
	}
	fz_seed_write(dir, "sync-all-ok", &s);

	/* sizes: full windows, partial, short buffer asking for more */
	fz_seed_start(&s, all_sync);
	c = fz_seed_cqe(&s, FZ_OK(3), TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_sizes(c, 100, 33, 0, 50);
	c = fz_seed_cqe(&s, FZ_OK(4), TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_sizes(c, 0, 17, 0, 0);
	c->params[3].value.a = 5;
	c = fz_seed_cqe(&s, FZ_OK(5), TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_sizes(c, 200, 64, 0, 0);
	c = fz_seed_cqe(&s, FZ_OK(6), TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_sizes(c, 50, 0, 512, 0);
	c = fz_seed_cqe(&s, FZ_OK(7), TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_sizes(c, 0, 1, 0, 3999);
	fz_seed_write(dir, "sync-sizes", &s);

	fz_seed_start(&s, all_sync);
	c = fz_seed_cqe(&s, FZ_OK(3) | 0x80, TEEQ_ERROR_SHORT_BUFFER,
			TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_sizes(c, 1000, 33, 0, 4096);
	c = fz_seed_cqe(&s, FZ_OK(7), TEEQ_ERROR_SHORT_BUFFER,
			TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_sizes(c, 0, 2, 0, 4000);
	c = fz_seed_cqe(&s, FZ_OK(5), TEEQ_ERROR_SHORT_BUFFER,
			TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_sizes(c, 300, 65, 0, 0);
	fz_seed_write(dir, "short-buffer", &s);

	/* an output size past its window without SHORT_BUFFER */
	fz_seed_start(&s, all_sync);
	c = fz_seed_cqe(&s, FZ_OK(3), TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_sizes(c, 101, 0, 0, 0);
	c = fz_seed_cqe(&s, FZ_OK(4), TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_sizes(c, 1, 0, 0, 0);
	c = fz_seed_cqe(&s, FZ_OK(6), TEEQ_ERROR_GENERIC,
			TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_sizes(c, 101, 0, 513, 0);
	c = fz_seed_cqe(&s, FZ_OK(7), TEEQ_SUCCESS, TEEQ_ORIGIN_TEE);
	fz_seed_sizes(c, 0, 9999, 0, 0);
	fz_seed_write(dir, "size-past-window", &s);

	/* errors from the core and from a TA; unknown TA codes */
	fz_seed_start(&s, all_sync);
	for (t = 0; t < FZ_DEPTH; t++) {
		c = fz_seed_cqe(
			&s, FZ_OK(t),
			t & 1 ? TEEQ_ERROR_BAD_PARAMETERS : 0xdead0000u + t,
			t & 2 ? TEEQ_ORIGIN_TEE : TEEQ_ORIGIN_TRUSTED_APP);
		fz_seed_sizes(c, 4, 4, 4, 4);
	}
	fz_seed_write(dir, "errors", &s);

	/* async and discarded calls, out of order, polled in between */
	fz_seed_start(&s, mixed);
	for (t = 6; t-- > 0;) {
		c = fz_seed_cqe(&s, FZ_OK(t) | (t & 1 ? 0x80 : 0), TEEQ_SUCCESS,
				TEEQ_ORIGIN_TRUSTED_APP);
		fz_seed_sizes(c, 16, 8, 16, 8);
	}
	fz_seed_write(dir, "async-discard", &s);

	/* calls resubmitted as they complete */
	fz_seed_start(&s, rearm);
	for (t = 0; t < 24; t++) {
		c = fz_seed_cqe(&s, FZ_OK(t % 3) | 0x80, TEEQ_SUCCESS,
				TEEQ_ORIGIN_TRUSTED_APP);
		fz_seed_sizes(c, t, t, t, t);
	}
	fz_seed_write(dir, "resubmit", &s);

	/* the heap runs out: some submissions fail to lower */
	fz_seed_start(&s, four_k);
	for (t = 0; t < FZ_DEPTH; t++) {
		c = fz_seed_cqe(&s, FZ_OK(t), TEEQ_SUCCESS,
				TEEQ_ORIGIN_TRUSTED_APP);
		fz_seed_sizes(c, 0, 4096, 0, 4000);
	}
	fz_seed_write(dir, "heap-full", &s);

	/* completions that must kill the channel */
	fz_seed_start(&s, mixed);
	fz_seed_cqe(&s, FZ_OK(0), TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_cqe(&s, FZ_OK(6), TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	fz_seed_write(dir, "kill-free-tag", &s);
	fz_seed_start(&s, all_sync);
	fz_seed_cqe(&s, FZ_OK(1) | 0x80, TEEQ_SUCCESS, TEEQ_ORIGIN_TEE);
	fz_seed_cqe(&s, FZ_OK(1), TEEQ_SUCCESS, TEEQ_ORIGIN_TEE);
	fz_seed_write(dir, "kill-twice", &s);
	fz_seed_start(&s, all_sync);
	fz_seed_cqe(&s, FZ_OK(2), TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	c = fz_seed_cqe(&s, 0, TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	c->user_data = (uint64_t)2 << 32 | 3; /* stale generation */
	fz_seed_write(dir, "kill-stale-gen", &s);
	fz_seed_start(&s, all_sync);
	c = fz_seed_cqe(&s, FZ_OK(2) & ~0x20u, TEEQ_SUCCESS,
			TEEQ_ORIGIN_TRUSTED_APP);
	c->flags = 2; /* no such flag */
	c = fz_seed_cqe(&s, FZ_OK(3) & ~0x20u, TEEQ_SUCCESS,
			TEEQ_ORIGIN_TRUSTED_APP);
	c->reserved = 1;
	fz_seed_write(dir, "kill-flags", &s);
	fz_seed_start(&s, all_sync);
	fz_seed_cqe(&s, FZ_OK(4), TEEQ_SUCCESS, 0);
	fz_seed_cqe(&s, FZ_OK(5), TEEQ_SUCCESS, 5);
	fz_seed_write(dir, "kill-origin", &s);
	fz_seed_start(&s, all_sync);
	c = fz_seed_cqe(&s, 0, TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	c->user_data = 0x100000009ull; /* tag past the depth */
	fz_seed_write(dir, "kill-tag-range", &s);

	/* a misbehaving ring */
	fz_seed_start(&s, all_sync);
	fz_seed_cqe(&s, FZ_CTL(FZ_OK(1), 0, 1, 0x40), TEEQ_SUCCESS,
		    TEEQ_ORIGIN_TEE);
	fz_seed_cqe(&s, FZ_CTL(FZ_OK(2) | 0x80, 0, 0, 0), TEEQ_SUCCESS,
		    TEEQ_ORIGIN_TEE);
	fz_seed_write(dir, "ring-bad-stamp", &s);
	fz_seed_start(&s, all_sync);
	fz_seed_cqe(&s, FZ_CTL(FZ_OK(1), 0, 2, 0x70), TEEQ_SUCCESS,
		    TEEQ_ORIGIN_TEE);
	fz_seed_cqe(&s, FZ_CTL(FZ_OK(2), 0, 4 | 8, 0), TEEQ_SUCCESS,
		    TEEQ_ORIGIN_TEE);
	fz_seed_write(dir, "ring-bad-tail", &s);
	fz_seed_start(&s, all_sync);
	fz_seed_cqe(&s, FZ_CTL(FZ_OK(1), 0, 3, 0x20), TEEQ_SUCCESS,
		    TEEQ_ORIGIN_TEE);
	fz_seed_cqe(&s, FZ_CTL(FZ_OK(2), 0, 0, 0), TEEQ_SUCCESS,
		    TEEQ_ORIGIN_TEE);
	fz_seed_write(dir, "ring-bad-head", &s);
	fz_seed_start(&s, all_sync);
	fz_seed_cqe(&s, FZ_CTL(FZ_OK(1), 0, 5, 0), TEEQ_SUCCESS,
		    TEEQ_ORIGIN_TEE);
	fz_seed_cqe(&s, FZ_CTL(FZ_OK(2), 0, 4, 0), TEEQ_SUCCESS,
		    TEEQ_ORIGIN_TEE);
	fz_seed_cqe(&s, FZ_CTL(FZ_OK(3), 0, 5 | 8, 0), TEEQ_SUCCESS,
		    TEEQ_ORIGIN_TEE);
	fz_seed_write(dir, "ring-stamp-before-tail", &s);
}
