// SPDX-License-Identifier: MIT
/*
 * fuzz_drain: teeq-sw's worker draining a hostile client's rings and
 * deferring the calls that may wait to its call threads.
 *
 * The real code runs: teeq-sw's call threads (sw_workers_start(), two of
 * them), and a worker this file never starts but drives itself, one step
 * at a time, through sw_worker_drain() (a batch from the queue pair) and
 * sw_worker_post_jobs() (the completions the call threads handed back).
 * Each input gets a fresh client (struct sw_hclient) with one queue pair
 * of 8 entries and a 64 KiB heap, and sessions opened beforehand: noop A,
 * noop B and echo C. This file plays the client: it publishes entries on
 * the submission ring, consumes completions, and misbehaves.
 *
 * Input: a script of one-byte steps (bits 0-2), each with the bytes it
 * needs after it:
 *   0 submit 1 + (step >> 3 & 7) entries, ignoring its credits if step
 *     bit 6 is set, one byte of kind each (b % 10): NOP;
 *     CMD_WAIT on A; CMD_WAIT on B (both deferred; a byte: cancel id 0-3);
 *     CMD_NOOP on A; echo VALUES on C; CANCEL (a byte: id 1-4, session A,
 *     B or any); CLOSE (a byte: A, B or C); INVOKE on no session; OPEN
 *     noop; raw (128 bytes as they come)
 *   1 drain a batch          2 post the handed-back completions
 *   3 consume every completion there is
 *   4 misbehave (a byte): move the submission tail; garbage in the next
 *     slot's stamp; move the completion head (breaks our producer); unknown
 *     completion flags; rewrite a published, untaken entry (two bytes
 *     each: where, what); ask for a completion doorbell; stamp a slot
 *     ahead of the tail with a later lap's stamp; hang up (the control
 *     thread marks the client dying)
 *   5 wait until the call threads have handed back every deferred call
 * CMD_WAITs are clamped to 0 or 1 ms wherever they come from. The input
 * ends with the client draining what is left, as long as that makes
 * progress, and then hanging up.
 *
 * Invariants (abort() on violation): every completion names an entry the
 * worker took and has not completed, exactly once; flags and reserved zero;
 * entries of a known kind get the result, origin, session and outputs
 * their kind and the sessions then open call for: a session is open for
 * the entries before its CLOSE and closed for those after, so a session's
 * calls run in the order of its queue pair, deferred or not (their
 * completions may come in any order);
 * raw and rewritten entries get a result from the known set, origin TEE
 * or TRUSTED_APP; the completion ring never holds more than it can;
 * nothing is posted once the client is broken or dying; unless it is,
 * every entry taken is completed by the end; the deferred calls all come
 * back, none is left once the client has gone (hc->jobs returns to 0),
 * and nothing leaks.
 *
 * TEEQ_FUZZ_WRITE_SEEDS=dir writes the seed corpus to dir and exits;
 * TEEQ_FUZZ_VERBOSE=1 prints every step and completion.
 */
#define FZ_NAME "fuzz_drain"
#include "tests/fuzz/targets/fuzz.h"
#include "secure/attach/attach.h"
#include "uapi/teeq_tas.h"

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define FZ_DEPTH 8u
#define FZ_HEAP_SIZE (64u << 10)
#define FZ_MAX_ENTRIES 512u
#define FZ_SQE 128u

enum fz_kind {
	FZ_NOP,
	FZ_WAIT_A,
	FZ_WAIT_B,
	FZ_NOOP_A,
	FZ_ECHO_C,
	FZ_CANCEL,
	FZ_CLOSE,
	FZ_NO_SESSION,
	FZ_OPEN,
	FZ_RAW,
	FZ_KINDS,
};

enum { FZ_A, FZ_B, FZ_C, FZ_SESSIONS };

/* One entry published, in ring order (user_data is its index + 1). */
struct fz_entry {
	enum fz_kind kind;
	int wild; /* rewritten after it was published: no result expected */
	int live; /* its session was open when it was published */
	int done;
	struct teeq_sqe sqe; /* as published */
};

static const struct ta_uuid fz_noop_uuid = TEEQ_TA_NOOP_UUID;
static const struct ta_uuid fz_echo_uuid = TEEQ_TA_ECHO_UUID;
static const struct ta_identity fz_who = { TEEQ_LOGIN_PUBLIC, 1000, 1000,
					   4242 };

/* Set up once: teeq-sw's call threads, and our own worker. */
static struct sw_host fz_host;
static struct sw_worker fz_w;
static struct channel_layout fz_layout;
static unsigned char *fz_region;
static int fz_verbose;

/* Per input. */
static struct sw_hclient *fz_hc;
static struct sw_hqp *fz_qp;
static struct ring fz_sq, fz_cq; /* the client's ends */
static uint32_t fz_sid[FZ_SESSIONS];
static int fz_open[FZ_SESSIONS];
static struct fz_entry fz_entries[FZ_MAX_ENTRIES];
static uint32_t fz_nr, fz_completed;
static int fz_stopped; /* broken or dying seen: nothing may be posted */
static uint32_t fz_stopped_tail;
/* from this entry on, which sessions are open is not known: a raw or
 * rewritten entry may have closed one */
static uint32_t fz_model_lost;
/* the client published a completion head past what it consumed: the
 * worker may overwrite completions it never read */
static int fz_lied;

/* ---- the client ------------------------------------------------------------ */

static uint32_t fz_open_session(const struct ta_uuid *uuid)
{
	struct teeq_sqe sqe;
	struct teeq_cqe cqe;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = TEEQ_OP_OPEN_SESSION;
	sqe.func = TEEQ_LOGIN_PUBLIC;
	ta_uuid_to_wire(uuid, &sqe.uuid);
	sw_dispatch(&fz_hc->core, &sqe, &cqe, NULL, NULL, 0);
	FZ_ASSERT(cqe.result == TEEQ_SUCCESS && cqe.session,
		  "cannot open a session: %#x", cqe.result);
	return cqe.session;
}

static void fz_client_start(void)
{
	int i;

	memset(fz_region, 0, fz_layout.region_size);
	if (channel_format(fz_region, &fz_layout))
		abort();
	fz_hc = calloc(1, sizeof(*fz_hc));
	if (!fz_hc)
		abort();
	fz_hc->host = &fz_host;
	fz_hc->sock = fz_hc->memfd = -1;
	for (i = 0; i < TEEQ_MAX_QPAIRS; i++)
		fz_hc->qp[i].sq_db = fz_hc->qp[i].cq_db = -1;
	sw_core_init(&sw_platform_linux);
	if (sw_client_init(&fz_hc->core, 1, fz_region, &fz_layout, &fz_who))
		abort();
	fz_hc->core_ready = 1;
	fz_hc->attached = 1;
	fz_hc->nr_qpairs = 1;
	fz_qp = &fz_hc->qp[0];
	fz_qp->hc = fz_hc;
	fz_qp->worker = &fz_w;
	if (channel_attach_qpair(fz_region, &fz_layout, 0, &fz_qp->sq,
				 RING_CONSUMER, &fz_qp->cq, RING_PRODUCER) ||
	    channel_attach_qpair(fz_region, &fz_layout, 0, &fz_sq,
				 RING_PRODUCER, &fz_cq, RING_CONSUMER))
		abort();
	fz_w.qps[0] = fz_qp;
	fz_w.nr_qps = 1;

	fz_sid[FZ_A] = fz_open_session(&fz_noop_uuid);
	fz_sid[FZ_B] = fz_open_session(&fz_noop_uuid);
	fz_sid[FZ_C] = fz_open_session(&fz_echo_uuid);
	for (i = 0; i < FZ_SESSIONS; i++)
		fz_open[i] = 1;
	fz_nr = fz_completed = 0;
	fz_stopped = 0;
	fz_model_lost = UINT32_MAX;
	fz_lied = 0;
}

/* No thread may block on a wait the fuzzer asked for. */
static void fz_clamp(struct teeq_sqe *e)
{
	if (e->opcode == TEEQ_OP_INVOKE && e->func == TEEQ_NOOP_CMD_WAIT)
		e->params[0].value.a &= 1;
}

static void fz_wait_op(struct teeq_sqe *e, uint32_t session, uint32_t cancel)
{
	e->opcode = TEEQ_OP_INVOKE;
	e->session = session;
	e->func = TEEQ_NOOP_CMD_WAIT;
	e->param_types = TEEQ_PARAM_TYPES(TEEQ_PARAM_VALUE_INPUT, 0, 0, 0);
	e->params[0].value.a = cancel & 1;
	e->cancel_id = cancel;
}

/* Composes entry number fz_nr of @kind from the script; 0 if the script
 * ran out. */
static int fz_compose(struct fz_entry *ent, enum fz_kind kind,
		      const uint8_t **p, const uint8_t *end)
{
	struct teeq_sqe *e = &ent->sqe;
	unsigned int b = 0;

	memset(ent, 0, sizeof(*ent));
	ent->kind = kind;
	if (kind == FZ_RAW) {
		if ((size_t)(end - *p) < FZ_SQE)
			return 0;
		memcpy(e, *p, FZ_SQE);
		*p += FZ_SQE;
	} else if (kind == FZ_WAIT_A || kind == FZ_WAIT_B ||
		   kind == FZ_CANCEL || kind == FZ_CLOSE) {
		if (*p == end)
			return 0;
		b = *(*p)++;
	}
	switch (kind) {
	case FZ_NOP:
		e->opcode = TEEQ_OP_NOP;
		break;
	case FZ_WAIT_A:
	case FZ_WAIT_B:
		fz_wait_op(e, fz_sid[kind == FZ_WAIT_A ? FZ_A : FZ_B], b & 3);
		ent->live = fz_open[kind == FZ_WAIT_A ? FZ_A : FZ_B];
		break;
	case FZ_NOOP_A:
		e->opcode = TEEQ_OP_INVOKE;
		e->session = fz_sid[FZ_A];
		e->func = TEEQ_NOOP_CMD_NOOP;
		ent->live = fz_open[FZ_A];
		break;
	case FZ_ECHO_C:
		e->opcode = TEEQ_OP_INVOKE;
		e->session = fz_sid[FZ_C];
		e->func = TEEQ_ECHO_CMD_VALUES;
		e->param_types = TEEQ_PARAM_TYPES(TEEQ_PARAM_VALUE_INPUT,
						  TEEQ_PARAM_VALUE_OUTPUT,
						  TEEQ_PARAM_VALUE_INOUT,
						  TEEQ_PARAM_NONE);
		e->params[0].value.a = fz_nr;
		e->params[0].value.b = fz_nr * 3;
		e->params[2].value.a = 7;
		e->params[2].value.b = 9;
		ent->live = fz_open[FZ_C];
		break;
	case FZ_CANCEL:
		e->opcode = TEEQ_OP_CANCEL;
		e->cancel_id = 1 + (b & 3);
		e->session = (b >> 2) % 3 == 2 ? 0 : fz_sid[(b >> 2) % 3];
		break;
	case FZ_CLOSE:
		e->opcode = TEEQ_OP_CLOSE_SESSION;
		e->session = fz_sid[b % FZ_SESSIONS];
		ent->live = fz_open[b % FZ_SESSIONS];
		fz_open[b % FZ_SESSIONS] = 0;
		break;
	case FZ_NO_SESSION:
		e->opcode = TEEQ_OP_INVOKE;
		e->session = 0x7777;
		break;
	case FZ_OPEN:
		e->opcode = TEEQ_OP_OPEN_SESSION;
		e->func = TEEQ_LOGIN_PUBLIC;
		ta_uuid_to_wire(&fz_noop_uuid, &e->uuid);
		break;
	case FZ_RAW:
	case FZ_KINDS:
		break;
	}
	e->user_data = fz_nr + 1;
	fz_clamp(e);
	if (kind == FZ_RAW && e->opcode == TEEQ_OP_CLOSE_SESSION &&
	    fz_model_lost > fz_nr)
		fz_model_lost = fz_nr;
	return 1;
}

static void fz_publish(struct fz_entry *ent)
{
	unsigned char *slot = ring_prod_slot(&fz_sq, 0);

	memcpy(slot + RING_STAMP_SIZE,
	       (const char *)&ent->sqe + RING_STAMP_SIZE,
	       FZ_SQE - RING_STAMP_SIZE);
	ring_prod_commit(&fz_sq, 1);
}

/* Entries the worker has taken: the head it published, in our terms. */
static uint32_t fz_taken(void)
{
	return __atomic_load_n(&fz_sq.hdr->head, __ATOMIC_ACQUIRE) -
	       (fz_sq.local - fz_nr);
}

/* NULL if @c is what @ent gets with its session open (@live) or not, else
 * what is wrong. */
static const char *fz_expect(const struct fz_entry *ent,
			     const struct teeq_cqe *c, int live)
{
	const struct teeq_sqe *e = &ent->sqe;
	uint32_t r = c->result, o = c->origin;
	int tee = o == TEEQ_ORIGIN_TEE, ta = o == TEEQ_ORIGIN_TRUSTED_APP;

	switch (ent->kind) {
	case FZ_NOP:
	case FZ_CANCEL:
		return r == TEEQ_SUCCESS && tee ? NULL : "not a TEE success";
	case FZ_NO_SESSION:
		return r == TEEQ_ERROR_BAD_PARAMETERS && tee ?
			       NULL :
			       "a call on no session not refused";
	case FZ_OPEN:
		return r == TEEQ_SUCCESS && ta && c->session ? NULL :
							       "open failed";
	case FZ_RAW:
	case FZ_KINDS:
		return NULL;
	default:
		break;
	}
	if (!live)
		return r == TEEQ_ERROR_BAD_PARAMETERS && tee ?
			       NULL :
			       "a closed session's entry not refused";
	switch (ent->kind) {
	case FZ_WAIT_A:
	case FZ_WAIT_B:
		if (r == TEEQ_ERROR_CANCEL && e->cancel_id && (ta || tee))
			return NULL;
		return r == TEEQ_SUCCESS && ta ? NULL : "wait failed";
	case FZ_NOOP_A:
		return r == TEEQ_SUCCESS && ta ? NULL : "call failed";
	case FZ_ECHO_C:
		if (r != TEEQ_SUCCESS || !ta)
			return "call failed";
		return c->params[1].value.a == e->params[0].value.a &&
				       c->params[1].value.b ==
					       e->params[0].value.b &&
				       c->params[2].value.a ==
					       7 + e->params[0].value.a &&
				       c->params[2].value.b ==
					       9 + e->params[0].value.b ?
			       NULL :
			       "echo outputs wrong";
	case FZ_CLOSE:
		return r == TEEQ_SUCCESS && tee ? NULL : "close failed";
	default:
		return NULL;
	}
}

static void fz_check_result(const struct fz_entry *ent,
			    const struct teeq_cqe *c)
{
	const struct teeq_sqe *e = &ent->sqe;
	uint32_t r = c->result, o = c->origin,
		 idx = (uint32_t)(ent - fz_entries);
	const char *why;

	FZ_ASSERT(fz_result_known(r), "unknown result %#x", r);
	FZ_ASSERT(o == TEEQ_ORIGIN_TEE || o == TEEQ_ORIGIN_TRUSTED_APP,
		  "origin %u", o);
	if (!(e->opcode == TEEQ_OP_OPEN_SESSION && r == TEEQ_SUCCESS))
		FZ_ASSERT(!c->session, "session %#x in a completion",
			  c->session);
	if (ent->wild)
		return;
	why = fz_expect(ent, c, ent->live);
	/* after a raw or rewritten entry, a session may be open or not */
	if (why && idx > fz_model_lost)
		why = fz_expect(ent, c, !ent->live);
	FZ_ASSERT(!why, "entry %u (kind %d, session open %d): %s: %#x/%u", idx,
		  ent->kind, ent->live, why, r, o);
}

/* Consumes every completion there is; returns how many. */
static uint32_t fz_consume(void)
{
	uint32_t n, i, taken = fz_taken();
	struct teeq_cqe c;

	n = ring_cons_avail(&fz_cq, FZ_DEPTH);
	FZ_ASSERT(!ring_broken(&fz_cq), "completion ring broken by teeq-sw");
	for (i = 0; i < n; i++) {
		struct fz_entry *ent;
		uint32_t idx;

		memcpy(&c, ring_cons_slot(&fz_cq, i), sizeof(c));
		idx = (uint32_t)c.user_data - 1;
		FZ_ASSERT(c.user_data >= 1 && c.user_data <= fz_nr &&
				  idx < taken,
			  "completion for entry %llu, %u taken",
			  (unsigned long long)c.user_data, taken);
		ent = &fz_entries[idx];
		FZ_ASSERT(!ent->done, "entry %u completed twice", idx);
		FZ_ASSERT(!c.flags && !c.reserved, "completion flags/reserved");
		if (fz_verbose)
			fprintf(stderr,
				"completion: entry %u kind %d op %u -> %#x/%u "
				"session %#x\n",
				idx, ent->kind, ent->sqe.opcode, c.result,
				c.origin, c.session);
		fz_check_result(ent, &c);
		ent->done = 1;
		fz_completed++;
	}
	if (n)
		ring_cons_release(&fz_cq, n);
	return n;
}

/* Once the client is broken or dying, the completion tail stays put. */
static void fz_check_stopped(void)
{
	uint32_t tail = __atomic_load_n(&fz_cq.hdr->tail, __ATOMIC_ACQUIRE);

	if (fz_stopped) {
		FZ_ASSERT(tail == fz_stopped_tail,
			  "completions posted for a broken or dying client");
		return;
	}
	if (__atomic_load_n(&fz_hc->core.broken, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&fz_hc->core.dying, __ATOMIC_ACQUIRE)) {
		fz_stopped = 1;
		fz_stopped_tail = tail;
	}
}

static uint32_t fz_retries(void)
{
	const struct sw_job *job;
	uint32_t n = 0;

	for (job = fz_w.retry; job; job = job->next)
		n++;
	return n;
}

/* Until every deferred call is back (posted, or waiting for room). */
static void fz_wait_jobs(void)
{
	struct pollfd pfd = { .fd = fz_w.cmd_fd, .events = POLLIN };
	int i;

	for (i = 0; i < 200; i++) {
		sw_worker_post_jobs(&fz_w);
		fz_check_stopped();
		if (__atomic_load_n(&fz_hc->jobs, __ATOMIC_ACQUIRE) ==
		    fz_retries())
			return;
		poll(&pfd, 1, 50);
	}
	FZ_FAIL("deferred calls did not come back in 10 s");
}

static void fz_misbehave(unsigned int b, const uint8_t **p, const uint8_t *end)
{
	uint32_t next = fz_sq.local, i;

	switch (b & 7) {
	case 0: /* a tail that says anything */
		__atomic_store_n(&fz_sq.hdr->tail, next + (int8_t)(b >> 3),
				 __ATOMIC_RELEASE);
		break;
	case 1: /* a stamp that is not the next one (a later lap's, or
		 * anything else) */
		__atomic_store_n(ring_stamp_at(&fz_sq, next),
				 b & 8 ? next + 1 + FZ_DEPTH :
					 next + 2 + (b >> 4),
				 __ATOMIC_RELEASE);
		break;
	case 2: /* a completion head that moved too far: the worker breaks
		 * or, if it is within the ring, believes it */
		fz_lied = 1;
		__atomic_store_n(&fz_cq.hdr->head, fz_cq.local + 1 + (b >> 3),
				 __ATOMIC_RELEASE);
		break;
	case 3: /* completion flags nobody knows */
		__atomic_store_n(&fz_cq.hdr->flags, 2u << (b >> 5),
				 __ATOMIC_RELEASE);
		break;
	case 4: /* an entry rewritten after it was published, before it was
		 * taken: the worker reads each field once, whatever it says */
		for (i = fz_taken(); i < fz_nr && *p < end; i++) {
			struct teeq_sqe *s = (void *)ring_slot_at(
				&fz_sq, next - (fz_nr - i));
			unsigned int off = RING_STAMP_SIZE + *(*p)++ % 116;

			/* anything but user_data, which names the entry */
			if (off >= offsetof(struct teeq_sqe, user_data))
				off += sizeof(s->user_data);
			if (*p == end)
				break;
			((unsigned char *)s)[off] = *(*p)++;
			fz_clamp(s);
			fz_entries[i].wild = 1;
			if (fz_model_lost > i)
				fz_model_lost = i;
		}
		break;
	case 5: /* the client sleeps: the worker must ring */
		__atomic_store_n(&fz_cq.hdr->flags, TEEQ_RING_NEED_WAKEUP,
				 __ATOMIC_RELEASE);
		break;
	case 6: /* the next slot but one stamped for a later lap */
		__atomic_store_n(ring_stamp_at(&fz_sq, next + 1),
				 next + 2 + FZ_DEPTH, __ATOMIC_RELEASE);
		break;
	case 7: /* the socket hung up */
		__atomic_store_n(&fz_hc->core.dying, 1, __ATOMIC_RELEASE);
		break;
	}
}

static void fz_submit(unsigned int count, int credits, const uint8_t **p,
		      const uint8_t *end)
{
	unsigned int i;

	for (i = 0; i < count && *p < end && fz_nr < FZ_MAX_ENTRIES; i++) {
		enum fz_kind kind = (enum fz_kind)(*(*p)++ % FZ_KINDS);

		/* room in the ring, and with @credits no more in flight than
		 * the completion ring holds (else the client ignores them) */
		if (ring_prod_space(&fz_sq, 1) < 1 ||
		    (credits && fz_nr - fz_completed >= FZ_DEPTH))
			return;
		if (!fz_compose(&fz_entries[fz_nr], kind, p, end))
			return;
		fz_publish(&fz_entries[fz_nr]);
		fz_nr++;
	}
}

static void fz_client_end(void)
{
	uint64_t count;
	int round;

	/* what is left, as long as that goes on */
	for (round = 0; round < 64; round++) {
		uint32_t before = fz_completed;

		sw_worker_drain(&fz_w, fz_qp);
		fz_check_stopped();
		fz_wait_jobs();
		fz_consume();
		if (fz_completed == before && fz_taken() == fz_completed)
			break;
	}
	if (!fz_stopped && !fz_lied && !ring_broken(&fz_qp->sq) &&
	    !ring_broken(&fz_qp->cq))
		FZ_ASSERT(fz_completed == fz_taken(),
			  "%u entries taken, %u completed", fz_taken(),
			  fz_completed);

	/* hang up: every deferred call comes back and is dropped */
	__atomic_store_n(&fz_hc->core.dying, 1, __ATOMIC_RELEASE);
	fz_check_stopped();
	fz_wait_jobs();
	sw_worker_post_jobs(&fz_w);
	FZ_ASSERT(!__atomic_load_n(&fz_hc->jobs, __ATOMIC_ACQUIRE) &&
			  !fz_w.retry,
		  "deferred calls left after the client went");
	fz_check_stopped();
	fz_w.nr_qps = 0;
	sw_client_fini(&fz_hc->core);
	free(fz_hc);
	fz_hc = NULL;
	(void)!read(fz_host.wake_fd, &count, sizeof(count));
}

/* ---- libFuzzer -------------------------------------------------------------- */

static void fz_write_seeds(const char *dir);

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seeds = getenv("TEEQ_FUZZ_WRITE_SEEDS");
	struct channel_params cp = { .nr_qpairs = 1,
				     .sq_entries = FZ_DEPTH,
				     .heap_size = FZ_HEAP_SIZE,
				     .features = TEEQ_FEAT_ALL };

	(void)argc;
	(void)argv;
	fz_verbose = getenv("TEEQ_FUZZ_VERBOSE") != NULL;
	if (seeds && *seeds) {
		fz_write_seeds(seeds);
		exit(0);
	}
	if (channel_plan(&cp, &fz_layout) ||
	    posix_memalign((void **)&fz_region, TEEQ_PAGE_SIZE,
			   fz_layout.region_size))
		abort();
	/* teeq-sw's call threads (and one worker of its own, with nothing
	 * to serve); our worker is driven from here */
	fz_host.opts.workers = 1;
	fz_host.opts.call_threads = 2;
	fz_host.opts.cpus[0] = -1;
	fz_host.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fz_host.wake_fd < 0 || sw_workers_start(&fz_host))
		abort();
	fz_w.host = &fz_host;
	fz_w.cmds_tail = &fz_w.cmds;
	fz_w.epfd = -1;
	fz_w.cmd_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fz_w.cmd_fd < 0 || pthread_mutex_init(&fz_w.cmd_lock, NULL) ||
	    pthread_mutex_init(&fz_w.jobs_lock, NULL))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;

	fz_client_start();
	while (p < end) {
		unsigned int step = *p++;

		if (fz_verbose)
			fprintf(stderr, "step %u (%#x)\n", step & 7, step);
		switch (step & 7) {
		case 0:
			fz_submit(1 + (step >> 3 & 7), !(step & 0x40), &p, end);
			break;
		case 1:
			sw_worker_drain(&fz_w, fz_qp);
			break;
		case 2:
			sw_worker_post_jobs(&fz_w);
			break;
		case 3:
			fz_consume();
			break;
		case 4:
			if (p < end)
				fz_misbehave(*p++, &p, end);
			break;
		case 5:
			fz_wait_jobs();
			break;
		default:
			break;
		}
		fz_check_stopped();
		/* never more in the ring than it holds (unless the client
		 * said it had read what it had not) */
		FZ_ASSERT(fz_lied || __atomic_load_n(&fz_cq.hdr->tail,
						     __ATOMIC_ACQUIRE) -
						     fz_cq.local <=
					     FZ_DEPTH,
			  "completion ring overfilled");
	}
	fz_client_end();
	return 0;
}

/* ---- seeds ------------------------------------------------------------------ */

static void fz_write_seeds(const char *dir)
{
	/* submit k entries: step (k - 1) << 3, then one kind byte each */
#define SUB(k) (uint8_t)(((k)-1) << 3)
	static const uint8_t basic[] = {
		SUB(5),	 FZ_NOP, FZ_NOOP_A, FZ_ECHO_C, FZ_NO_SESSION,
		FZ_OPEN, 1,	 3,	    0 /* then the end drains the rest */
	};
	/* a wait deferred, a call behind it on the same session, one on
	 * another: order kept within the session */
	static const uint8_t deferred[] = { SUB(4),    FZ_WAIT_A, 0, FZ_NOOP_A,
					    FZ_ECHO_C, FZ_WAIT_B, 2, 1,
					    5,	       3 };
	/* cancel a deferred wait while it waits (or before) */
	static const uint8_t cancel[] = { SUB(1),    FZ_WAIT_A, 1, 1, SUB(1),
					  FZ_CANCEL, 0,		1, 5, 3 };
	/* close a session behind its deferred call, then call it */
	static const uint8_t close[] = { SUB(3),    FZ_WAIT_B, 3, FZ_CLOSE, 1,
					 FZ_WAIT_B, 0,	       1, 5,	    3 };
	/* more than the completion ring takes before the client reaps */
	static const uint8_t full[] = {
		SUB(8), FZ_NOP, FZ_NOP, FZ_WAIT_A, 0,	   FZ_NOOP_A, FZ_NOP,
		FZ_NOP, FZ_NOP, FZ_NOP, 1,	   5,	   2,	      3,
		SUB(8), FZ_NOP, FZ_NOP, FZ_NOP,	   FZ_NOP, 1,	      3
	};
	/* the client breaks its completion ring, or goes */
	static const uint8_t hostile[] = { SUB(2), FZ_WAIT_A, 0, FZ_NOP, 1,
					   4,	   2,	      5, 3 };
	static const uint8_t gone[] = { SUB(2), FZ_WAIT_A, 1, FZ_WAIT_B, 1,
					1,	4,	   7, 5,	 2 };
	static const uint8_t wake[] = { 4,	5, SUB(2), FZ_WAIT_A, 0,
					FZ_NOP, 1, 5,	   2 };
	static const uint8_t rewrite[] = { SUB(2), FZ_ECHO_C, FZ_NOOP_A, 4,
					   4,	   4,	      0x2a,	 9,
					   0x01,   1,	      3 };

	fz_write_file(dir, "basic", basic, sizeof(basic));
	fz_write_file(dir, "deferred-order", deferred, sizeof(deferred));
	fz_write_file(dir, "cancel-deferred", cancel, sizeof(cancel));
	fz_write_file(dir, "close-behind-wait", close, sizeof(close));
	fz_write_file(dir, "cq-full", full, sizeof(full));
	fz_write_file(dir, "bad-cq-head", hostile, sizeof(hostile));
	fz_write_file(dir, "hang-up", gone, sizeof(gone));
	fz_write_file(dir, "need-wakeup", wake, sizeof(wake));
	fz_write_file(dir, "rewrite", rewrite, sizeof(rewrite));
#undef SUB
}
