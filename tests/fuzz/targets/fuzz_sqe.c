// SPDX-License-Identifier: MIT
/*
 * fuzz_sqe: the secure world's decoding of submission entries.
 *
 * Each input is a run of 128-byte submission entries (the tail is padded
 * with zeros). Every entry is copied the way a worker copies a ring slot
 * (line 1 always, line 2 only when param_types gives params 1..3 a type)
 * and handed to sw_dispatch() of a client whose channel has a 1 MiB heap,
 * a session open on each built-in trusted app and two registered external
 * buffers (64 KiB read-write, 4 KiB read-only).
 *
 * The ring owns the first four bytes of a slot (the stamp) and the secure
 * world never looks at them, so the fuzzer uses them as control bytes that
 * fix fields up before the entry is "published": map the session to a
 * live, the last opened or a stale session id, map buffer ids to the heap
 * or an external buffer, pull windows inside their buffer, make types,
 * opcodes and logins valid. The slot then gets its real stamp.
 *
 *   ctl0  bits 0-2  session: 0/7 raw, 1-4 the pre-opened noop, echo,
 *                   digest, cipher session, 5 the last session this input
 *                   opened, 6 a stale id (the last one closed)
 *         bit 3     an opcode outside 1..5 becomes one
 *         bit 4     reserved words cleared
 *         bit 5     OPEN: uuid of TA ctl3 & 3; others: uuid, login_data 0
 *         bit 6     flags cleared
 *         bit 7     the worker's batch ends after this entry (what a
 *                   trusted app's cancellation peek can see)
 *   ctl1  2 bits per param: buf_id 0 raw, 1 heap, 2 ext rw, 3 ext ro
 *   ctl2  bits 0-3  per param: NONE zeroed, value pad 0, window clamped
 *         bits 4-5  cancel_id: 0/3 raw, 1 zero, 2 one of 1..4
 *         bit 6     func: OPEN a valid login method, INVOKE a cmd 0..7
 *         bit 7     login_data: the client's gid for group logins, else 0
 *   ctl3  bits 0-1  TA for the uuid fix; bit 2 invalid type nibbles fixed
 *         bit 3     a call the core defers (one that may wait) is run as a
 *                   worker runs it when it cannot hand it over: itself,
 *                   looking at the entries still in the ring for
 *                   cancellations (sw_peek_cancel()); else as a call
 *                   thread runs it, without
 *
 * The noop TA's CMD_WAIT sleeps p0.a ms: waits it accepts are clamped to
 * 0 ms, so no run ever sleeps (a wait of 0 ms still asks once whether it
 * is cancelled). Every input starts from a fresh client (same ids every
 * time: deterministic) and ends with sw_client_fini().
 *
 * Invariants (abort() on violation): user_data echoed; stamp, flags and
 * reserved of the CQE zero (libteeq refuses anything else); origin TEE or
 * TRUSTED_APP and a result from the TEEQ set; TA origin only for OPEN and
 * INVOKE; a session id in the CQE exactly for a successful OPEN, naming a
 * newly live session; CLOSE succeeds exactly when it named a live session,
 * which is then gone; INVOKE on a dead session is refused by the core;
 * TEE-origin results carry no parameter output; input and NONE parameters
 * come back zero; a memref output size exceeds its window only with
 * SHORT_BUFFER; unknown opcodes and flags are never a success; no reference
 * on a session or external buffer outlives its call; no registered buffer
 * is released while registered; trusted apps write only inside output
 * windows (the heap and the external buffers are compared with pristine
 * copies outside them); a CMD_WAIT that reaches the noop TA while a
 * CANCEL naming it is still in the ring, run with the peek, ends in
 * TEEQ_ERROR_CANCEL; everything is released at sw_client_fini().
 *
 * Also checked: NOP, CLOSE_SESSION and CANCEL refuse parameter types and
 * nonzero parameter bytes (uapi/teeq_ring.h: "a NONE parameter's bytes
 * must be zero; the secure world refuses other values").
 * TEEQ_FUZZ_STRICT=0 turns that check off.
 *
 * TEEQ_FUZZ_WRITE_SEEDS=dir writes the seed corpus to dir and exits;
 * TEEQ_FUZZ_VERBOSE=1 prints every entry and its completion.
 */
#define FZ_NAME "fuzz_sqe"
#include "tests/fuzz/targets/fuzz.h"
#include "ring/wait.h"
#include "secure/core/core.h"
#include "uapi/teeq_host.h"
#include "uapi/teeq_tas.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FZ_HEAP_SIZE (1u << 20)
#define FZ_EXT_RW_SIZE (64u << 10)
#define FZ_EXT_RO_SIZE (4u << 10)
#define FZ_MAX_ENTRIES 64
#define FZ_NR_TAS 4
#define FZ_SQE 128u

enum { FZ_TA_NOOP, FZ_TA_ECHO, FZ_TA_DIGEST, FZ_TA_CIPHER };

static const struct ta_uuid fz_uuids[FZ_NR_TAS] = {
	TEEQ_TA_NOOP_UUID,
	TEEQ_TA_ECHO_UUID,
	TEEQ_TA_DIGEST_UUID,
	TEEQ_TA_CIPHER_UUID,
};
static const uint32_t fz_logins[] = {
	TEEQ_LOGIN_PUBLIC,
	TEEQ_LOGIN_USER,
	TEEQ_LOGIN_GROUP,
	TEEQ_LOGIN_APPLICATION,
	TEEQ_LOGIN_USER_APPLICATION,
	TEEQ_LOGIN_GROUP_APPLICATION,
};
static const struct ta_identity fz_who = { TEEQ_LOGIN_PUBLIC, 1000, 1000,
					   4242 };

/* Set up once. */
static struct channel_layout fz_layout;
static unsigned char *fz_region, *fz_heap;
static unsigned char *fz_heap_pristine, *fz_ext_pristine;
static const struct teeq_ta *fz_ta[FZ_NR_TAS];
static int fz_strict, fz_verbose;

/* Per input. */
static struct sw_client fz_client;
static uint32_t fz_sessions[FZ_NR_TAS];
static uint32_t fz_ext_rw_id, fz_ext_ro_id;
static struct sw_ext_buf *fz_ext_rw, *fz_ext_ro;
static int fz_in_fini, fz_released;
/* the control bytes of each entry, before its stamp replaces them */
static unsigned char fz_ctl0[FZ_MAX_ENTRIES], fz_ctl3[FZ_MAX_ENTRIES];

struct fz_win {
	uint64_t lo, hi;
};

struct fz_run {
	unsigned char (*slots)[FZ_SQE];
	uint32_t n;
	uint32_t batch_end; /* entries from here on are still in the ring */
	uint32_t last_open, last_closed;
	/* windows a trusted app may write: [0] heap, [1] ext rw */
	struct fz_win win[2][FZ_MAX_ENTRIES * TEEQ_NUM_PARAMS];
	uint32_t nwin[2];
};

/* The platform's hook: registered buffers are released only by fini
 * here. */
static void fz_release_ext(struct sw_client *c, struct sw_ext_buf *buf)
{
	FZ_ASSERT(c == &fz_client, "a buffer of another client released");
	FZ_ASSERT(fz_in_fini, "external buffer released while registered");
	fz_released++;
	free(buf->base);
	free(buf);
}

static void fz_sleep_ns(uint64_t ns)
{
	struct timespec ts = { 0, (long)ns };

	nanosleep(&ts, NULL);
}

/* The core's platform here: this target's own (secure/core/platform.h). */
static const struct sw_platform fz_platform = {
	.release_ext = fz_release_ext,
	.now_ns = ring_now_ns,
	.sleep_ns = fz_sleep_ns,
};

/* References held on @id of @t (the table's private word). */
static uint32_t fz_refs(struct shm_ids *t, uint32_t id)
{
	return (uint32_t)__atomic_load_n(&t->slots[id & 0xffffu].state,
					 __ATOMIC_RELAXED);
}

static void fz_check_no_refs(void)
{
	uint32_t cursor = 0, id;

	while ((id = shm_ids_next(&fz_client.sessions, &cursor)))
		FZ_ASSERT(!fz_refs(&fz_client.sessions, id),
			  "session %#x still referenced after its call", id);
	cursor = 0;
	while ((id = shm_ids_next(&fz_client.ext_bufs, &cursor)))
		FZ_ASSERT(!fz_refs(&fz_client.ext_bufs, id),
			  "ext buffer %#x still referenced after its call", id);
}

static int fz_session_live(uint32_t id)
{
	struct shm_buf buf;

	return id && !shm_ids_lookup(&fz_client.sessions, id, &buf);
}

static const struct teeq_ta *fz_session_ta(uint32_t id)
{
	struct shm_buf buf;

	if (!id || shm_ids_lookup(&fz_client.sessions, id, &buf))
		return NULL;
	return ((struct sw_session *)(uintptr_t)buf.cookie)->ta;
}

/* ---- the client of one input --------------------------------------------- */

static struct sw_ext_buf *fz_ext_new(uint64_t size, uint32_t flags)
{
	struct sw_ext_buf *buf = malloc(sizeof(*buf));
	void *base = malloc(size);

	if (!buf || !base)
		abort();
	memcpy(base, fz_ext_pristine, size);
	*buf = (struct sw_ext_buf){ base, size, flags };
	return buf;
}

static void fz_open_base(int ta)
{
	struct teeq_sqe sqe;
	struct teeq_cqe cqe;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = TEEQ_OP_OPEN_SESSION;
	sqe.func = TEEQ_LOGIN_PUBLIC;
	sqe.user_data = 0xba5e0000u + (uint32_t)ta;
	ta_uuid_to_wire(&fz_uuids[ta], &sqe.uuid);
	sw_dispatch(&fz_client, &sqe, &cqe, NULL, NULL, 0);
	FZ_ASSERT(cqe.result == TEEQ_SUCCESS && cqe.session,
		  "cannot open a session on TA %d: %#x", ta, cqe.result);
	fz_sessions[ta] = cqe.session;
}

static void fz_client_start(void)
{
	int64_t id;
	int ta;

	sw_core_init(&fz_platform);
	if (sw_client_init(&fz_client, 1, fz_region, &fz_layout, &fz_who))
		abort();
	fz_ext_rw = fz_ext_new(FZ_EXT_RW_SIZE,
			       TEEQ_HOST_REG_READ | TEEQ_HOST_REG_WRITE);
	fz_ext_ro = fz_ext_new(FZ_EXT_RO_SIZE, TEEQ_HOST_REG_READ);
	id = sw_client_add_ext(&fz_client, fz_ext_rw);
	if (id < 0)
		abort();
	fz_ext_rw_id = (uint32_t)id;
	id = sw_client_add_ext(&fz_client, fz_ext_ro);
	if (id < 0)
		abort();
	fz_ext_ro_id = (uint32_t)id;
	for (ta = 0; ta < FZ_NR_TAS; ta++)
		fz_open_base(ta);
}

static void fz_client_end(void)
{
	fz_check_no_refs();
	fz_in_fini = 1;
	fz_released = 0;
	sw_client_fini(&fz_client);
	fz_in_fini = 0;
	FZ_ASSERT(fz_released == 2,
		  "%d of 2 external buffers released at fini (a reference "
		  "leaked)",
		  fz_released);
}

/* ---- entries ------------------------------------------------------------- */

static uint64_t fz_buf_size(uint32_t buf_id, int *which)
{
	*which = -1;
	if (buf_id == TEEQ_BUF_ID_HEAP) {
		*which = 0;
		return fz_layout.heap_size;
	}
	if (buf_id == fz_ext_rw_id) {
		*which = 1;
		return FZ_EXT_RW_SIZE;
	}
	if (buf_id == fz_ext_ro_id) {
		*which = 2;
		return FZ_EXT_RO_SIZE;
	}
	return 0;
}

static unsigned int fz_fix_type(unsigned int t)
{
	static const unsigned char valid[] = { 0, 1, 2, 3, 5, 6, 7 };

	return teeq_param_type_valid(t) ? t : valid[t % sizeof(valid)];
}

/* What the (hostile) normal world publishes in slot @idx. */
static void fz_fix_slot(struct teeq_sqe *s, uint32_t idx)
{
	uint32_t ctl = s->stamp;
	unsigned int c0 = ctl & 0xff, c1 = (ctl >> 8) & 0xff;
	unsigned int c2 = (ctl >> 16) & 0xff, c3 = ctl >> 24;
	unsigned int sel = c0 & 7, i;

	if ((c0 & 0x08) && (s->opcode < 1 || s->opcode > TEEQ_OP_MAX))
		s->opcode = (uint8_t)(1 + s->opcode % TEEQ_OP_MAX);
	if (c0 & 0x10)
		memset(s->reserved, 0, sizeof(s->reserved));
	if (c0 & 0x20) {
		if (s->opcode == TEEQ_OP_OPEN_SESSION) {
			ta_uuid_to_wire(&fz_uuids[c3 & 3], &s->uuid);
		} else {
			memset(&s->uuid, 0, sizeof(s->uuid));
			s->login_data = 0;
		}
	}
	if (c0 & 0x40)
		s->flags = 0;
	if (sel >= 1 && sel <= FZ_NR_TAS)
		s->session = fz_sessions[sel - 1];
	if (c3 & 4) {
		uint16_t t = 0;

		for (i = 0; i < TEEQ_NUM_PARAMS; i++)
			t |= (uint16_t)(fz_fix_type(TEEQ_PARAM_TYPE_GET(
						s->param_types, i))
					<< (4 * i));
		s->param_types = t;
	}
	switch ((c2 >> 4) & 3) {
	case 1:
		s->cancel_id = 0;
		break;
	case 2:
		s->cancel_id = 1 + (s->cancel_id & 3);
		break;
	}
	if (c2 & 0x40) {
		if (s->opcode == TEEQ_OP_OPEN_SESSION)
			s->func = fz_logins[s->func % (sizeof(fz_logins) /
						       sizeof(fz_logins[0]))];
		else if (s->opcode == TEEQ_OP_INVOKE)
			s->func %= 8;
	}
	if (c2 & 0x80)
		s->login_data =
			s->func == TEEQ_LOGIN_GROUP ||
					s->func ==
						TEEQ_LOGIN_GROUP_APPLICATION ?
				fz_who.gid :
				0;
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		union teeq_param *p = &s->params[i];
		unsigned int t = TEEQ_PARAM_TYPE_GET(s->param_types, i);
		uint64_t size;
		int which;

		switch ((c1 >> (2 * i)) & 3) {
		case 1:
			p->memref.buf_id = TEEQ_BUF_ID_HEAP;
			break;
		case 2:
			p->memref.buf_id = fz_ext_rw_id;
			break;
		case 3:
			p->memref.buf_id = fz_ext_ro_id;
			break;
		}
		if (!((c2 >> i) & 1))
			continue;
		if (t == TEEQ_PARAM_NONE) {
			memset(p, 0, sizeof(*p));
		} else if (teeq_param_is_value(t)) {
			p->value.pad = 0;
		} else if (p->memref.buf_id == TEEQ_BUF_ID_NULL) {
			p->memref.offset = 0;
		} else {
			size = fz_buf_size(p->memref.buf_id, &which);
			if (which < 0)
				continue;
			p->memref.offset %= size + 1;
			p->memref.size =
				(uint32_t)(p->memref.size %
					   (size - p->memref.offset + 1));
		}
	}
	s->stamp = idx + 1;
}

/* A trusted app blocked in a call looks at entries still in the ring for
 * cancellations, as a worker does (sw_peek_cancel()). */
static void fz_peek(void *arg)
{
	struct fz_run *run = arg;
	uint32_t j;

	for (j = run->batch_end; j < run->n; j++)
		sw_peek_cancel(&fz_client, run->slots[j]);
}

/* Output windows of @sqe a trusted app may write into. */
static void fz_note_windows(struct fz_run *run, const struct teeq_sqe *sqe)
{
	int i, which;

	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		unsigned int t = TEEQ_PARAM_TYPE_GET(sqe->param_types, i);
		const union teeq_param *p = &sqe->params[i];
		uint64_t size;

		if (!teeq_param_is_memref(t) || !teeq_param_is_output(t))
			continue;
		size = fz_buf_size(p->memref.buf_id, &which);
		if (which < 0 || which > 1 ||
		    !shm_window_ok(size, p->memref.offset, p->memref.size) ||
		    !p->memref.size)
			continue;
		run->win[which][run->nwin[which]++] =
			(struct fz_win){ p->memref.offset,
					 p->memref.offset + p->memref.size };
	}
}

static void fz_check_cqe(const struct teeq_sqe *sqe, const struct teeq_cqe *cqe,
			 int was_live, uint32_t live_before)
{
	uint32_t live_after = shm_ids_live(&fz_client.sessions);
	uint8_t op = sqe->opcode;
	int ok = cqe->result == TEEQ_SUCCESS, i;

	FZ_ASSERT(cqe->user_data == sqe->user_data, "user_data not echoed");
	FZ_ASSERT(!cqe->stamp && !cqe->flags && !cqe->reserved,
		  "CQE stamp/flags/reserved set");
	FZ_ASSERT(cqe->origin == TEEQ_ORIGIN_TEE ||
			  cqe->origin == TEEQ_ORIGIN_TRUSTED_APP,
		  "origin %u", cqe->origin);
	FZ_ASSERT(fz_result_known(cqe->result), "unknown result %#x",
		  cqe->result);
	FZ_ASSERT(cqe->origin != TEEQ_ORIGIN_TRUSTED_APP ||
			  op == TEEQ_OP_OPEN_SESSION || op == TEEQ_OP_INVOKE,
		  "TA origin for opcode %u", op);
	if (sqe->flags)
		FZ_ASSERT(cqe->result == TEEQ_ERROR_NOT_SUPPORTED &&
				  cqe->origin == TEEQ_ORIGIN_TEE,
			  "flags %#x not refused", sqe->flags);
	if (op < 1 || op > TEEQ_OP_MAX)
		FZ_ASSERT(!ok, "unknown opcode %u succeeded", op);
	if (ok) {
		FZ_ASSERT(fz_all_zero(sqe->reserved, sizeof(sqe->reserved)),
			  "reserved words accepted");
		FZ_ASSERT(op == TEEQ_OP_OPEN_SESSION ||
				  (!sqe->login_data &&
				   fz_all_zero(&sqe->uuid, sizeof(sqe->uuid))),
			  "uuid/login_data accepted on opcode %u", op);
	}
	/* a NOP with nothing but its opcode and user_data */
	if (op == TEEQ_OP_NOP &&
	    fz_all_zero((const char *)sqe + 5,
			offsetof(struct teeq_sqe, user_data) - 5) &&
	    fz_all_zero(&sqe->uuid,
			sizeof(*sqe) - offsetof(struct teeq_sqe, uuid)))
		FZ_ASSERT(ok && cqe->origin == TEEQ_ORIGIN_TEE,
			  "clean NOP not a success");
	if (fz_strict && ok &&
	    (op == TEEQ_OP_NOP || op == TEEQ_OP_CLOSE_SESSION ||
	     op == TEEQ_OP_CANCEL))
		for (i = 0; i < TEEQ_NUM_PARAMS; i++)
			FZ_ASSERT(TEEQ_PARAM_TYPE_GET(sqe->param_types, i) ||
					  fz_all_zero(&sqe->params[i],
						      sizeof(sqe->params[i])),
				  "opcode %u accepted NONE param %d with "
				  "nonzero bytes",
				  op, i);

	/* sessions */
	if (op == TEEQ_OP_OPEN_SESSION && ok) {
		FZ_ASSERT(cqe->session && fz_session_live(cqe->session) &&
				  live_after == live_before + 1,
			  "OPEN success without a new live session");
	} else {
		FZ_ASSERT(!cqe->session,
			  "session %#x in a CQE of opcode %u "
			  "result %#x",
			  cqe->session, op, cqe->result);
	}
	if (op == TEEQ_OP_CLOSE_SESSION) {
		FZ_ASSERT(ok || live_after == live_before,
			  "failed CLOSE changed the sessions");
		if (!was_live)
			FZ_ASSERT(!ok, "CLOSE of dead session %#x succeeded",
				  sqe->session);
		if (ok)
			FZ_ASSERT(!fz_session_live(sqe->session) &&
					  live_after + 1 == live_before,
				  "CLOSE success left session %#x",
				  sqe->session);
	} else if (op != TEEQ_OP_OPEN_SESSION || !ok) {
		FZ_ASSERT(live_after == live_before,
			  "opcode %u result %#x changed the session count", op,
			  cqe->result);
	}
	if (op == TEEQ_OP_INVOKE && !was_live)
		FZ_ASSERT(!ok && cqe->origin == TEEQ_ORIGIN_TEE,
			  "INVOKE on dead session %#x reached a TA",
			  sqe->session);

	/* parameters written back */
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		unsigned int t = TEEQ_PARAM_TYPE_GET(sqe->param_types, i);
		const union teeq_param_out *out = &cqe->params[i];

		if (cqe->origin == TEEQ_ORIGIN_TEE ||
		    !teeq_param_is_output(t)) {
			FZ_ASSERT(!out->value.a && !out->value.b,
				  "param %d (type %u) written back with origin "
				  "%u",
				  i, t, cqe->origin);
			continue;
		}
		if (teeq_param_is_memref(t) &&
		    cqe->result != TEEQ_ERROR_SHORT_BUFFER)
			FZ_ASSERT(out->memref.size <=
					  sqe->params[i].memref.size,
				  "memref %d output size %u beyond window %u "
				  "with result %#x",
				  i, out->memref.size,
				  sqe->params[i].memref.size, cqe->result);
		if (teeq_param_is_memref(t))
			FZ_ASSERT(!out->memref.pad, "memref %d pad set", i);
	}
}

/* Is a CANCEL for @sqe's call among the entries still in the ring? */
static int fz_cancel_queued(const struct fz_run *run,
			    const struct teeq_sqe *sqe)
{
	uint32_t j;

	for (j = run->batch_end; j < run->n; j++) {
		const struct teeq_sqe *e = (const void *)run->slots[j];

		if (e->opcode == TEEQ_OP_CANCEL && e->cancel_id &&
		    e->cancel_id == sqe->cancel_id &&
		    (!e->session || e->session == sqe->session))
			return 1;
	}
	return 0;
}

static void fz_dispatch_one(struct fz_run *run, uint32_t j)
{
	const struct teeq_ta *ta;
	struct teeq_sqe sqe;
	struct teeq_cqe cqe;
	uint32_t live_before;
	int was_live, peek = fz_ctl3[j] & 8, waits = 0;

	sw_sqe_copy(&sqe, run->slots[j]);
	if (sqe.opcode == TEEQ_OP_INVOKE && sqe.func == TEEQ_NOOP_CMD_WAIT &&
	    /* the only types CMD_WAIT takes: others end BAD_PARAMETERS */
	    sqe.param_types ==
		    TEEQ_PARAM_TYPES(TEEQ_PARAM_VALUE_INPUT, TEEQ_PARAM_NONE,
				     TEEQ_PARAM_NONE, TEEQ_PARAM_NONE) &&
	    sqe.params[0].value.a <= 60000) {
		ta = fz_session_ta(sqe.session);
		if (ta == fz_ta[FZ_TA_NOOP]) {
			sqe.params[0].value.a = 0; /* never sleep */
			waits = 1;
		}
	}
	was_live = fz_session_live(sqe.session);
	live_before = shm_ids_live(&fz_client.sessions);
	fz_note_windows(run, &sqe);
	/* as a host worker does: a command that may wait is deferred, then
	 * run where waiting is fine; the deferral must leave no trace */
	if (sw_dispatch(&fz_client, &sqe, &cqe, fz_peek, run,
			SW_DISPATCH_MAY_DEFER) == SW_DEFERRED) {
		FZ_ASSERT(shm_ids_live(&fz_client.sessions) == live_before,
			  "a deferral changed the sessions");
		fz_check_no_refs();
		sw_dispatch(&fz_client, &sqe, &cqe, peek ? fz_peek : NULL, run,
			    0);
	}
	if (fz_verbose)
		fprintf(stderr,
			"entry %u: op %u func %u types %#06x session %#x -> "
			"result %#x origin %u session %#x out %u/%u/%u/%u\n",
			j, sqe.opcode, sqe.func, sqe.param_types, sqe.session,
			cqe.result, cqe.origin, cqe.session,
			cqe.params[0].value.a, cqe.params[1].value.a,
			cqe.params[2].value.a, cqe.params[3].value.a);
	fz_check_cqe(&sqe, &cqe, was_live, live_before);
	if (waits && peek && cqe.origin == TEEQ_ORIGIN_TRUSTED_APP &&
	    fz_cancel_queued(run, &sqe))
		FZ_ASSERT(cqe.result == TEEQ_ERROR_CANCEL,
			  "a wait whose CANCEL is in the ring ended with %#x",
			  cqe.result);
	fz_check_no_refs();
	if (sqe.opcode == TEEQ_OP_OPEN_SESSION && cqe.session)
		run->last_open = cqe.session;
	if (sqe.opcode == TEEQ_OP_CLOSE_SESSION && cqe.result == TEEQ_SUCCESS)
		run->last_closed = sqe.session;
}

/* ---- buffers ------------------------------------------------------------- */

static int fz_win_cmp(const void *a, const void *b)
{
	const struct fz_win *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Outside the windows @buf must equal @pristine; the windows are then
 * restored, so the next input starts from the same bytes. */
static void fz_check_buffer(const char *name, unsigned char *buf,
			    const unsigned char *pristine, uint64_t size,
			    struct fz_win *w, uint32_t n)
{
	uint64_t pos = 0;
	uint32_t i;

	qsort(w, n, sizeof(*w), fz_win_cmp);
	for (i = 0; i < n; i++) {
		if (w[i].lo > pos)
			FZ_ASSERT(!memcmp(buf + pos, pristine + pos,
					  w[i].lo - pos),
				  "%s written outside output windows in "
				  "[%#llx, %#llx)",
				  name, (unsigned long long)pos,
				  (unsigned long long)w[i].lo);
		if (w[i].hi > pos)
			pos = w[i].hi;
		memcpy(buf + w[i].lo, pristine + w[i].lo, w[i].hi - w[i].lo);
	}
	FZ_ASSERT(!memcmp(buf + pos, pristine + pos, size - pos),
		  "%s written outside output windows after %#llx", name,
		  (unsigned long long)pos);
}

/* ---- libFuzzer ----------------------------------------------------------- */

static void fz_write_seeds(const char *dir);

static void fz_setup(void)
{
	struct channel_params p = { .nr_qpairs = 1,
				    .sq_entries = 64,
				    .heap_size = FZ_HEAP_SIZE,
				    .features = TEEQ_FEAT_ALL };
	uint64_t x = 0x9e3779b97f4a7c15ull, i;
	int ta;

	if (channel_plan(&p, &fz_layout) ||
	    posix_memalign((void **)&fz_region, TEEQ_PAGE_SIZE,
			   fz_layout.region_size))
		abort();
	memset(fz_region, 0, fz_layout.region_size);
	if (channel_format(fz_region, &fz_layout))
		abort();
	fz_heap = fz_region + fz_layout.heap_off;
	fz_heap_pristine = malloc(fz_layout.heap_size);
	fz_ext_pristine = malloc(FZ_EXT_RW_SIZE);
	if (!fz_heap_pristine || !fz_ext_pristine)
		abort();
	/* xorshift64: recognisable, reproducible bytes */
	for (i = 0; i < fz_layout.heap_size; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		fz_heap_pristine[i] = (unsigned char)x;
	}
	memcpy(fz_ext_pristine, fz_heap_pristine, FZ_EXT_RW_SIZE);
	memcpy(fz_heap, fz_heap_pristine, fz_layout.heap_size);
	for (ta = 0; ta < FZ_NR_TAS; ta++) {
		fz_ta[ta] = ta_registry_find(&fz_uuids[ta]);
		if (!fz_ta[ta])
			abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seeds = getenv("TEEQ_FUZZ_WRITE_SEEDS");
	const char *strict = getenv("TEEQ_FUZZ_STRICT");

	(void)argc;
	(void)argv;
	fz_strict = !(strict && *strict == '0');
	fz_verbose = getenv("TEEQ_FUZZ_VERBOSE") != NULL;
	fz_setup();
	if (seeds && *seeds) {
		fz_write_seeds(seeds);
		exit(0);
	}
	return 0;
}

static unsigned char fz_slots[FZ_MAX_ENTRIES][FZ_SQE];
static struct fz_run fz_run_state;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_run *run = &fz_run_state;
	uint32_t n, j;

	n = (uint32_t)((size + FZ_SQE - 1) / FZ_SQE);
	if (n > FZ_MAX_ENTRIES)
		n = FZ_MAX_ENTRIES;
	if (!n)
		return 0;
	fz_client_start();
	memset(run, 0, offsetof(struct fz_run, win));
	run->nwin[0] = run->nwin[1] = 0;
	run->n = n;
	run->slots = fz_slots;
	memset(fz_slots, 0, sizeof(fz_slots[0]) * n);
	memcpy(fz_slots, data,
	       size < (size_t)n * FZ_SQE ? size : (size_t)n * FZ_SQE);
	for (j = 0; j < n; j++) {
		fz_ctl0[j] = fz_slots[j][0];
		fz_ctl3[j] = fz_slots[j][3];
		fz_fix_slot((struct teeq_sqe *)(void *)fz_slots[j], j);
	}

	/* batches as a worker takes them: up to a batch-end mark */
	for (j = 0; j < n;) {
		uint32_t start = j, k;

		while (j < n && !(fz_ctl0[j] & 0x80))
			j++;
		if (j < n)
			j++;
		run->batch_end = j;
		for (k = start; k < j; k++) {
			struct teeq_sqe *s = (void *)fz_slots[k];

			/* choices that depend on earlier results: the
			 * normal world writes the id it was given */
			if ((fz_ctl0[k] & 7) == 5)
				s->session = run->last_open;
			else if ((fz_ctl0[k] & 7) == 6)
				s->session = run->last_closed ?
						     run->last_closed :
						     fz_sessions[0] + 0x10000;
			fz_dispatch_one(run, k);
		}
	}

	fz_check_buffer("heap", fz_heap, fz_heap_pristine, fz_layout.heap_size,
			run->win[0], run->nwin[0]);
	fz_check_buffer("ext rw buffer", fz_ext_rw->base, fz_ext_pristine,
			FZ_EXT_RW_SIZE, run->win[1], run->nwin[1]);
	FZ_ASSERT(!memcmp(fz_ext_ro->base, fz_ext_pristine, FZ_EXT_RO_SIZE),
		  "read-only ext buffer written");
	fz_client_end();
	return 0;
}

/* ---- seeds --------------------------------------------------------------- */

#define FZ_CTL(c0, c1, c2, c3)                                         \
	((uint32_t)(c0) | (uint32_t)(c1) << 8 | (uint32_t)(c2) << 16 | \
	 (uint32_t)(c3) << 24)
/* every fix that is the identity on a well-formed entry */
#define FZ_C0(sel) (0x08 | 0x10 | 0x40 | (sel))
#define FZ_C2 (0x0f | 0x30)
#define FZ_C3 0x04
#define FZ_HEAP 1
#define FZ_EXT 2
#define FZ_EXT_RO 3
#define FZ_BUFS(b0, b1, b2, b3) ((b0) | (b1) << 2 | (b2) << 4 | (b3) << 6)

struct fz_seed {
	unsigned char buf[16][FZ_SQE];
	uint32_t n;
};

static void fz_seed_begin(struct fz_seed *s)
{
	memset(s, 0, sizeof(*s));
}

static struct teeq_sqe *fz_seed_add(struct fz_seed *s, uint32_t ctl,
				    uint8_t opcode, uint32_t func,
				    uint16_t types)
{
	struct teeq_sqe *e = (void *)s->buf[s->n];

	memset(e, 0, sizeof(*e));
	e->stamp = ctl;
	e->opcode = opcode;
	e->func = func;
	e->param_types = types;
	e->user_data = 0x1000 + s->n;
	s->n++;
	return e;
}

static void fz_memref(struct teeq_sqe *e, int i, uint64_t off, uint32_t size)
{
	e->params[i].memref.offset = off;
	e->params[i].memref.size = size;
}

static void fz_seed_write(const char *dir, const char *name,
			  const struct fz_seed *s)
{
	fz_write_file(dir, name, s->buf, (size_t)FZ_SQE * s->n);
}

/* An INVOKE on base session @sel (1 noop .. 4 cipher). */
static struct teeq_sqe *fz_inv(struct fz_seed *s, unsigned int sel,
			       unsigned int bufs, uint32_t cmd, uint16_t types)
{
	return fz_seed_add(s, FZ_CTL(FZ_C0(sel) | 0x20, bufs, FZ_C2, FZ_C3),
			   TEEQ_OP_INVOKE, cmd, types);
}

#define T(a, b, c, d)                                                    \
	TEEQ_PARAM_TYPES(TEEQ_PARAM_##a, TEEQ_PARAM_##b, TEEQ_PARAM_##c, \
			 TEEQ_PARAM_##d)

static void fz_write_seeds(const char *dir)
{
	const uint16_t memref_io = T(MEMREF_INPUT, MEMREF_OUTPUT, NONE, NONE);
	const uint16_t inout = T(MEMREF_INOUT, NONE, NONE, NONE);
	const uint16_t value_in = T(VALUE_INPUT, NONE, NONE, NONE);
	const uint16_t values = T(VALUE_INPUT, VALUE_OUTPUT, VALUE_INOUT, NONE);
	const uint16_t key = T(VALUE_INPUT, MEMREF_INPUT, NONE, NONE);
	const uint32_t clean = FZ_CTL(FZ_C0(0) | 0x20, 0, FZ_C2, FZ_C3);
	struct fz_seed s;
	struct teeq_sqe *e;
	unsigned int ta;

	/* no-ops and malformed entries */
	fz_seed_begin(&s);
	fz_seed_add(&s, clean, TEEQ_OP_NOP, 0, 0);
	fz_seed_write(dir, "nop", &s);

	fz_seed_begin(&s);
	e = fz_seed_add(&s, 0, TEEQ_OP_NOP, 0, 0);
	e->flags = 1;
	fz_seed_write(dir, "nop-flags", &s);

	fz_seed_begin(&s);
	e = fz_seed_add(&s, 0, TEEQ_OP_NOP, 0,
			T(NONE, VALUE_INPUT, NONE, NONE));
	e->reserved[3] = 7;
	fz_seed_write(dir, "nop-reserved", &s);

	fz_seed_begin(&s);
	e = fz_seed_add(&s, 0, TEEQ_OP_NOP, 0, 0);
	e->params[0].value.a = 1;
	fz_seed_write(dir, "nop-param-bytes", &s);

	fz_seed_begin(&s);
	fz_seed_add(&s, 0, 9, 0, 0);
	fz_seed_write(dir, "bad-opcode", &s);

	/* sessions */
	fz_seed_begin(&s);
	for (ta = 0; ta < FZ_NR_TAS; ta++) {
		fz_seed_add(&s,
			    FZ_CTL(FZ_C0(0) | 0x20, 0, FZ_C2 | 0xc0,
				   FZ_C3 | ta),
			    TEEQ_OP_OPEN_SESSION, ta + 1, 0);
		fz_seed_add(&s, FZ_CTL(FZ_C0(5) | 0x20, 0, FZ_C2, FZ_C3),
			    TEEQ_OP_CLOSE_SESSION, 0, 0);
	}
	fz_seed_write(dir, "open-close-each-ta", &s);

	fz_seed_begin(&s);
	fz_seed_add(&s, FZ_CTL(FZ_C0(0) | 0x20, 0, FZ_C2 | 0x80, FZ_C3 | 1),
		    TEEQ_OP_OPEN_SESSION, TEEQ_LOGIN_GROUP, 0);
	e = fz_seed_add(&s, FZ_CTL(FZ_C0(0) | 0x20, 0, FZ_C2, FZ_C3 | 1),
			TEEQ_OP_OPEN_SESSION, TEEQ_LOGIN_GROUP, 0);
	e->login_data = 7;
	fz_seed_add(&s, FZ_CTL(FZ_C0(0) | 0x20, 0, FZ_C2, FZ_C3 | 1),
		    TEEQ_OP_OPEN_SESSION, 99, 0);
	fz_seed_write(dir, "open-group", &s);

	fz_seed_begin(&s);
	e = fz_seed_add(&s, FZ_CTL(FZ_C0(0), 0, FZ_C2, FZ_C3),
			TEEQ_OP_OPEN_SESSION, 0, 0);
	e->uuid.b[0] = 0x42;
	fz_seed_add(&s, FZ_CTL(FZ_C0(1) | 0x20, 0, FZ_C2, FZ_C3),
		    TEEQ_OP_OPEN_SESSION, 0, 0);
	fz_seed_write(dir, "open-unknown-uuid", &s);

	fz_seed_begin(&s);
	e = fz_seed_add(&s,
			FZ_CTL(FZ_C0(0) | 0x20, FZ_BUFS(0, FZ_HEAP, 0, 0),
			       FZ_C2, FZ_C3 | 1),
			TEEQ_OP_OPEN_SESSION, 0,
			T(VALUE_INOUT, MEMREF_OUTPUT, NONE, NONE));
	fz_memref(e, 1, 4096, 64);
	e->cancel_id = 5;
	fz_seed_add(&s, FZ_CTL(FZ_C0(5) | 0x20, 0, FZ_C2, FZ_C3),
		    TEEQ_OP_CLOSE_SESSION, 0, 0);
	fz_seed_write(dir, "open-with-params", &s);

	fz_seed_begin(&s);
	fz_seed_add(&s, FZ_CTL(FZ_C0(2) | 0x20, 0, FZ_C2, FZ_C3),
		    TEEQ_OP_CLOSE_SESSION, 0, 0);
	fz_seed_add(&s, FZ_CTL(FZ_C0(6) | 0x20, 0, FZ_C2, FZ_C3),
		    TEEQ_OP_CLOSE_SESSION, 0, 0);
	fz_inv(&s, 6, 0, TEEQ_ECHO_CMD_VALUES, values);
	fz_seed_write(dir, "close-twice", &s);

	fz_seed_begin(&s);
	e = fz_seed_add(&s, FZ_CTL(FZ_C0(2) | 0x20, 0, FZ_C2, FZ_C3),
			TEEQ_OP_CLOSE_SESSION, 0, 0);
	e->cancel_id = 4;
	fz_seed_add(&s, FZ_CTL(FZ_C0(2) | 0x20, 0, FZ_C2, FZ_C3),
		    TEEQ_OP_CLOSE_SESSION, 0, value_in);
	e = fz_seed_add(&s, clean, TEEQ_OP_CLOSE_SESSION, 0, 0);
	e->session = 0x10001;
	fz_seed_add(&s, clean, TEEQ_OP_CANCEL, 0, 0);
	fz_seed_write(dir, "close-bad", &s);

	/* cancellation: before the call, and seen by its peek */
	fz_seed_begin(&s);
	e = fz_seed_add(&s, FZ_CTL(FZ_C0(1) | 0x20, 0, 0x0f, FZ_C3),
			TEEQ_OP_CANCEL, 0, 0);
	e->cancel_id = 3;
	e = fz_inv(&s, 1, 0, TEEQ_NOOP_CMD_WAIT, value_in);
	e->stamp = FZ_CTL(FZ_C0(1) | 0x20, 0, 0x0f, FZ_C3);
	e->cancel_id = 3;
	fz_seed_write(dir, "cancel-then-wait", &s);

	fz_seed_begin(&s);
	e = fz_inv(&s, 1, 0, TEEQ_NOOP_CMD_WAIT, value_in);
	e->stamp = FZ_CTL(FZ_C0(1) | 0x20 | 0x80, 0, 0x0f, FZ_C3 | 0x08);
	e->cancel_id = 9;
	e = fz_seed_add(&s, FZ_CTL(FZ_C0(0) | 0x20, 0, 0x0f, FZ_C3),
			TEEQ_OP_CANCEL, 0, 0);
	e->cancel_id = 9;
	fz_seed_write(dir, "wait-peeks-cancel", &s);

	/* noop */
	fz_seed_begin(&s);
	fz_inv(&s, 1, 0, TEEQ_NOOP_CMD_NOOP, 0);
	e = fz_inv(&s, 1, 0, TEEQ_NOOP_CMD_WAIT, value_in);
	e->params[0].value.a = 70000;
	fz_inv(&s, 1, 0, TEEQ_NOOP_CMD_WAIT, 0);
	fz_inv(&s, 1, 0, 77, 0);
	fz_seed_write(dir, "noop", &s);

	/* echo */
	fz_seed_begin(&s);
	e = fz_inv(&s, 2, 0, TEEQ_ECHO_CMD_VALUES, values);
	e->params[0].value.a = 5;
	e->params[2].value.b = 9;
	fz_inv(&s, 2, 0, TEEQ_ECHO_CMD_IDENTITY,
	       T(VALUE_OUTPUT, VALUE_OUTPUT, NONE, NONE));
	fz_inv(&s, 2, 0, TEEQ_ECHO_CMD_IDENTITY,
	       T(VALUE_OUTPUT, NONE, NONE, NONE));
	fz_seed_write(dir, "echo-values", &s);

	fz_seed_begin(&s);
	e = fz_inv(&s, 2, FZ_BUFS(FZ_HEAP, FZ_HEAP, 0, 0), TEEQ_ECHO_CMD_COPY,
		   memref_io);
	fz_memref(e, 0, 0, 100);
	fz_memref(e, 1, 8192, 200);
	e = fz_inv(&s, 2, FZ_BUFS(FZ_EXT, FZ_HEAP, 0, 0), TEEQ_ECHO_CMD_COPY,
		   memref_io);
	fz_memref(e, 0, 0, 300);
	fz_memref(e, 1, 8192, 200);
	e = fz_inv(&s, 2, FZ_BUFS(FZ_HEAP, 0, 0, 0), TEEQ_ECHO_CMD_COPY,
		   memref_io);
	fz_memref(e, 0, 64, 16);
	fz_memref(e, 1, 0, 4);
	e = fz_inv(&s, 2, FZ_BUFS(FZ_HEAP, FZ_EXT, 0, 0), TEEQ_ECHO_CMD_COPY,
		   memref_io);
	fz_memref(e, 0, FZ_HEAP_SIZE - 32, 32);
	fz_memref(e, 1, FZ_EXT_RW_SIZE - 32, 32);
	fz_seed_write(dir, "echo-copy", &s);

	fz_seed_begin(&s);
	e = fz_inv(&s, 2, FZ_BUFS(FZ_HEAP, FZ_EXT_RO, 0, 0), TEEQ_ECHO_CMD_COPY,
		   memref_io);
	fz_memref(e, 0, 0, 10);
	fz_memref(e, 1, 0, 10);
	e = fz_inv(&s, 2, FZ_BUFS(FZ_EXT_RO, 0, 0, 0), TEEQ_ECHO_CMD_INVERT,
		   inout);
	fz_memref(e, 0, 0, 10);
	e = fz_seed_add(&s, FZ_CTL(FZ_C0(2) | 0x20, 0, 0x30, FZ_C3),
			TEEQ_OP_INVOKE, TEEQ_ECHO_CMD_INVERT, inout);
	e->params[0].memref.buf_id = TEEQ_BUF_ID_HEAP;
	fz_memref(e, 0, FZ_HEAP_SIZE, 1);
	e = fz_seed_add(&s, FZ_CTL(FZ_C0(2) | 0x20, 0, 0x30, FZ_C3),
			TEEQ_OP_INVOKE, TEEQ_ECHO_CMD_INVERT, inout);
	fz_memref(e, 0, 8, 0);
	fz_seed_write(dir, "echo-denied", &s);

	fz_seed_begin(&s);
	e = fz_inv(&s, 2, FZ_BUFS(FZ_EXT, 0, 0, 0), TEEQ_ECHO_CMD_INVERT,
		   inout);
	fz_memref(e, 0, 100, 1000);
	e = fz_inv(&s, 2, FZ_BUFS(FZ_HEAP, 0, 0, 0), TEEQ_ECHO_CMD_INVERT,
		   inout);
	fz_memref(e, 0, 0, 0);
	fz_seed_write(dir, "echo-invert", &s);

	/* digest */
	fz_seed_begin(&s);
	e = fz_inv(&s, 3, FZ_BUFS(FZ_HEAP, FZ_HEAP, 0, 0),
		   TEEQ_DIGEST_CMD_SHA256, memref_io);
	fz_memref(e, 0, 0, 1000);
	fz_memref(e, 1, 4096, 32);
	e = fz_inv(&s, 3, FZ_BUFS(FZ_HEAP, FZ_HEAP, 0, 0),
		   TEEQ_DIGEST_CMD_SHA256, memref_io);
	fz_memref(e, 0, 0, 1000);
	fz_memref(e, 1, 4096, 31);
	fz_seed_write(dir, "digest-sha256", &s);

	fz_seed_begin(&s);
	e = fz_inv(&s, 3, FZ_BUFS(FZ_HEAP, FZ_EXT, FZ_HEAP, 0),
		   TEEQ_DIGEST_CMD_HMAC,
		   T(MEMREF_INPUT, MEMREF_INPUT, MEMREF_OUTPUT, NONE));
	fz_memref(e, 0, 0, 20);
	fz_memref(e, 1, 0, 500);
	fz_memref(e, 2, 8192, 32);
	e = fz_inv(&s, 3, FZ_BUFS(FZ_HEAP, FZ_EXT, FZ_HEAP, 0),
		   TEEQ_DIGEST_CMD_HMAC,
		   T(MEMREF_INPUT, MEMREF_INPUT, MEMREF_OUTPUT, NONE));
	fz_memref(e, 0, 0, 1025);
	fz_memref(e, 1, 0, 500);
	fz_memref(e, 2, 8192, 32);
	fz_seed_write(dir, "digest-hmac", &s);

	fz_seed_begin(&s);
	fz_inv(&s, 3, 0, TEEQ_DIGEST_CMD_UPDATE,
	       T(MEMREF_INPUT, NONE, NONE, NONE));
	fz_inv(&s, 3, 0, TEEQ_DIGEST_CMD_INIT, value_in);
	e = fz_inv(&s, 3, FZ_BUFS(FZ_HEAP, 0, 0, 0), TEEQ_DIGEST_CMD_UPDATE,
		   T(MEMREF_INPUT, NONE, NONE, NONE));
	fz_memref(e, 0, 0, 77);
	e = fz_inv(&s, 3, FZ_BUFS(FZ_HEAP, 0, 0, 0), TEEQ_DIGEST_CMD_FINAL,
		   T(MEMREF_OUTPUT, NONE, NONE, NONE));
	fz_memref(e, 0, 4096, 16);
	e = fz_inv(&s, 3, FZ_BUFS(FZ_HEAP, 0, 0, 0), TEEQ_DIGEST_CMD_FINAL,
		   T(MEMREF_OUTPUT, NONE, NONE, NONE));
	fz_memref(e, 0, 4096, 32);
	e = fz_inv(&s, 3, FZ_BUFS(0, FZ_HEAP, 0, 0), TEEQ_DIGEST_CMD_INIT, key);
	e->params[0].value.a = TEEQ_DIGEST_ALG_HMAC_SHA256;
	fz_memref(e, 1, 0, 32);
	e = fz_inv(&s, 3, FZ_BUFS(FZ_EXT, 0, 0, 0), TEEQ_DIGEST_CMD_FINAL,
		   T(MEMREF_OUTPUT, NONE, NONE, NONE));
	fz_memref(e, 0, 0, 64);
	fz_seed_write(dir, "digest-multi", &s);

	/* cipher */
	fz_seed_begin(&s);
	e = fz_inv(&s, 4, FZ_BUFS(0, FZ_HEAP, 0, 0), TEEQ_CIPHER_CMD_SET_KEY,
		   key);
	e->params[0].value.a = TEEQ_CIPHER_MODE_CTR;
	fz_memref(e, 1, 0, 16);
	e = fz_inv(&s, 4, FZ_BUFS(FZ_HEAP, FZ_HEAP, FZ_EXT, 0),
		   TEEQ_CIPHER_CMD_CTR,
		   T(MEMREF_INPUT, MEMREF_INPUT, MEMREF_OUTPUT, NONE));
	fz_memref(e, 0, 0, 16);
	fz_memref(e, 1, 4096, 1000);
	fz_memref(e, 2, 0, 1000);
	e = fz_inv(&s, 4, FZ_BUFS(FZ_HEAP, FZ_EXT, 0, 0), TEEQ_CIPHER_CMD_CTR,
		   T(MEMREF_INPUT, MEMREF_INOUT, NONE, NONE));
	fz_memref(e, 0, 0, 16);
	fz_memref(e, 1, 0, 1000);
	e = fz_inv(&s, 4, FZ_BUFS(FZ_HEAP, FZ_HEAP, FZ_EXT, 0),
		   TEEQ_CIPHER_CMD_CTR,
		   T(MEMREF_INPUT, MEMREF_INPUT, MEMREF_OUTPUT, NONE));
	fz_memref(e, 0, 0, 16);
	fz_memref(e, 1, 4096, 1000);
	fz_memref(e, 2, 0, 999);
	fz_seed_write(dir, "cipher-ctr", &s);

	fz_seed_begin(&s);
	e = fz_inv(&s, 4, FZ_BUFS(0, FZ_HEAP, 0, 0), TEEQ_CIPHER_CMD_SET_KEY,
		   key);
	e->params[0].value.a = TEEQ_CIPHER_MODE_GCM;
	fz_memref(e, 1, 0, 32);
	e = fz_inv(&s, 4, FZ_BUFS(FZ_HEAP, FZ_HEAP, FZ_EXT, FZ_EXT),
		   TEEQ_CIPHER_CMD_GCM_ENCRYPT,
		   T(MEMREF_INPUT, MEMREF_INPUT, MEMREF_OUTPUT, MEMREF_OUTPUT));
	fz_memref(e, 0, 0, 40);
	fz_memref(e, 1, 4096, 500);
	fz_memref(e, 2, 0, 500);
	fz_memref(e, 3, 1024, 16);
	/* decrypts what was just encrypted, with its tag */
	e = fz_inv(&s, 4, FZ_BUFS(FZ_HEAP, FZ_EXT, FZ_HEAP, FZ_EXT),
		   TEEQ_CIPHER_CMD_GCM_DECRYPT,
		   T(MEMREF_INPUT, MEMREF_INPUT, MEMREF_OUTPUT, MEMREF_INPUT));
	fz_memref(e, 0, 0, 40);
	fz_memref(e, 1, 0, 500);
	fz_memref(e, 2, 65536, 500);
	fz_memref(e, 3, 1024, 16);
	e = fz_inv(&s, 4, FZ_BUFS(FZ_HEAP, FZ_EXT, 0, FZ_EXT),
		   TEEQ_CIPHER_CMD_GCM_DECRYPT,
		   T(MEMREF_INPUT, MEMREF_INOUT, NONE, MEMREF_INPUT));
	fz_memref(e, 0, 0, 12);
	fz_memref(e, 1, 0, 500);
	fz_memref(e, 3, 1024, 16);
	fz_seed_write(dir, "cipher-gcm", &s);

	fz_seed_begin(&s);
	e = fz_inv(&s, 4, FZ_BUFS(FZ_HEAP, FZ_HEAP, FZ_EXT, 0),
		   TEEQ_CIPHER_CMD_CTR,
		   T(MEMREF_INPUT, MEMREF_INPUT, MEMREF_OUTPUT, NONE));
	fz_memref(e, 0, 0, 16);
	e = fz_inv(&s, 4, FZ_BUFS(0, FZ_HEAP, 0, 0), TEEQ_CIPHER_CMD_SET_KEY,
		   key);
	e->params[0].value.a = 3;
	fz_memref(e, 1, 0, 16);
	e = fz_inv(&s, 4, FZ_BUFS(0, FZ_HEAP, 0, 0), TEEQ_CIPHER_CMD_SET_KEY,
		   key);
	e->params[0].value.a = TEEQ_CIPHER_MODE_CTR;
	fz_memref(e, 1, 0, 24);
	fz_inv(&s, 4, 0, 9, 0);
	fz_seed_write(dir, "cipher-state", &s);

	/* every TA with parameter types it does not take */
	fz_seed_begin(&s);
	for (ta = 1; ta <= FZ_NR_TAS; ta++) {
		fz_inv(&s, ta, 0, 0,
		       T(VALUE_OUTPUT, VALUE_OUTPUT, VALUE_OUTPUT,
			 VALUE_OUTPUT));
		fz_inv(&s, ta, 0, 1, value_in);
		fz_inv(&s, ta, 0, 2, 0);
		fz_inv(&s, ta, 0, 3, T(VALUE_INOUT, VALUE_INOUT, NONE, NONE));
	}
	fz_seed_write(dir, "wrong-types", &s);

	/* parameters the core refuses */
	fz_seed_begin(&s);
	e = fz_inv(&s, 2, 0, TEEQ_ECHO_CMD_VALUES, values);
	e->stamp = FZ_CTL(FZ_C0(2) | 0x20, 0, 0x30, FZ_C3);
	e->params[1].value.pad = 1;
	e = fz_inv(&s, 2, 0, TEEQ_ECHO_CMD_VALUES, 0x4444);
	e->stamp = FZ_CTL(FZ_C0(2) | 0x20, 0, 0x30, 0);
	e = fz_inv(&s, 2, 0, TEEQ_ECHO_CMD_COPY, memref_io);
	e->stamp = FZ_CTL(FZ_C0(2) | 0x20, 0, 0x30, FZ_C3);
	e->params[0].memref.buf_id = 0x77777;
	e = fz_inv(&s, 2, 0, TEEQ_ECHO_CMD_COPY, memref_io);
	e->stamp = FZ_CTL(FZ_C0(2) | 0x20, 0, 0x30, FZ_C3);
	e->params[0].memref.offset = 5;
	e = fz_inv(&s, 2, 0, TEEQ_ECHO_CMD_COPY, memref_io);
	e->stamp = FZ_CTL(FZ_C0(2) | 0x20, FZ_BUFS(FZ_HEAP, FZ_HEAP, 0, 0),
			  0x30, FZ_C3);
	fz_memref(e, 0, ~0ull - 3, 8);
	fz_memref(e, 1, 0, 8);
	fz_seed_write(dir, "bad-params", &s);

	/* line 2 is not part of an entry without params 1..3 */
	fz_seed_begin(&s);
	e = fz_inv(&s, 2, 0, TEEQ_ECHO_CMD_IDENTITY,
		   T(VALUE_OUTPUT, NONE, NONE, NONE));
	e->stamp = FZ_CTL(FZ_C0(2) | 0x20, 0, 0x30, FZ_C3);
	e->reserved[0] = 1;
	e->params[2].value.a = 5;
	e = fz_inv(&s, 2, 0, TEEQ_ECHO_CMD_IDENTITY,
		   T(VALUE_OUTPUT, VALUE_OUTPUT, NONE, NONE));
	e->stamp = FZ_CTL(FZ_C0(2) | 0x20, 0, 0x30, FZ_C3);
	e->reserved[0] = 1;
	fz_seed_write(dir, "line2-ignored", &s);
}
