// SPDX-License-Identifier: MIT
/*
 * fuzz_client: libteeq through its public API (tee_client_api.h, teeq.h)
 * against a secure world that answers as the fuzzer says.
 *
 * A thread of this file plays teeq-sw on a Unix socket, speaking the host
 * protocol (uapi/teeq_host.h) and the ring protocol (uapi/teeq_ring.h)
 * with ring/ and shm/ only: it accepts, answers the handshake, maps the
 * region, and answers every submission entry as the input says, good or
 * hostile. The main thread is the client: TEEC_InitializeContext on that
 * socket (two queue pairs of depth 4, a 1 MiB heap), then a script of
 * calls: async batches (teeq_prep_invoke, teeq_submit, teeq_reap with
 * every kind of timeout), synchronous invokes, opens and closes,
 * cancellations, and a context started again. So the real teeq_reap,
 * teeq_submit, the waits (spinning, asleep behind NEED_WAKEUP, woken by
 * the doorbell or by the peer hanging up) and the completion checks run,
 * whatever libteeq's internals look like.
 *
 * Input: one byte N, then N bytes of client script, then the secure
 * world's script. Every operation carries its id in p3 (VALUE_INPUT a);
 * the secure world answers operation k by the 5 bytes at (5 k) modulo its
 * script (all successes if it is empty):
 *   a0 % 16   0-8 a well-formed answer; 9 a tag never in flight (the
 *             first past the table of calls, or one far past it); 10 the
 *             right tag, another generation; 11 flags set; 12 origin 0;
 *             13 an output size past its window; 14 hang up; 15 the
 *             answer twice
 *   a1        result: SUCCESS if a1 % 4 == 0, else one of a few codes
 *   a2 bit 0  origin TEE instead of TRUSTED_APP; bit 1 the DEFERRED hint
 *             (a flag a completion may carry: never a reason to refuse it)
 *   a3        output sizes: window * a3 / 255
 *   a4        seed of the output values and bytes
 * Client steps (b % 8, then the bytes each needs): 0 prepare an async
 * invoke (a byte: parameter setup); 1 submit; 2 reap (a byte: min, max,
 * timeout 0, 1 ms, 5 ms or none); 3 synchronous invoke (a byte: setup);
 * 4 cancel an async operation in flight (a byte: which); 5 open a session
 * or close one; 6 nothing; 7 finalize the context and start another.
 * The input ends with everything submitted and reaped, the queue closed,
 * the sessions closed and the context finalized.
 *
 * Invariants (abort() on violation): teeq_prep_invoke is refused only
 * when the queue is full (BUSY) or the channel is dead; teeq_submit
 * returns what was prepared; teeq_reap returns at most max, fewer than min
 * only once its timeout has passed (measured on the monotonic clock) and
 * never fewer with no timeout; every operation completes exactly once,
 * with its own user_data and TEEC_Operation; its result is the secure
 * world's, or COMMUNICATION for an output size past its window (the needed
 * size with SHORT_BUFFER), or TARGET_DEAD once a hostile answer may have
 * killed the channel; outputs are written only for a trusted app's
 * success: values as sent, exactly min(size, window) bytes of each
 * temporary output, nothing past them, nothing at all otherwise; the queue
 * has all its space back and the heap holds nothing more than before. A
 * synchronous call is refused with BUSY only after a queue's worth of
 * cancellations (they hold the slots of the pair it uses until that pair
 * is next polled).
 *
 * TEEQ_FUZZ_WRITE_SEEDS=dir writes the seed corpus to dir and exits;
 * TEEQ_FUZZ_VERBOSE=1 prints each step and answer.
 */
#define FZ_NAME "fuzz_client"
#include "tests/fuzz/targets/fuzz.h"
#include "ring/channel.h"
#include "ring/wait.h"
#include "shm/ids.h"
#include "shm/memfd.h"
#include "uapi/teeq_host.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <tee_client_api.h>
#include <teeq.h>
#include <time.h>
#include <unistd.h>

#define FZ_QPAIRS 2
#define FZ_DEPTH 4
#define FZ_MAX_OPS 128
#define FZ_TMP 4000
#define FZ_SHM 512

static const uint32_t fz_results[] = {
	TEEQ_SUCCESS,
	TEEQ_ERROR_GENERIC,
	TEEQ_ERROR_BAD_PARAMETERS,
	TEEQ_ERROR_SHORT_BUFFER,
	TEEQ_ERROR_CANCEL,
	TEEQ_ERROR_OUT_OF_MEMORY,
	TEEQ_ERROR_ITEM_NOT_FOUND,
	0x12345678u, /* a TA's own */
};
#define FZ_NR_RESULTS (sizeof(fz_results) / sizeof(fz_results[0]))

enum fz_action {
	FZ_GOOD = 8, /* 0..8 */
	FZ_BAD_TAG = 9,
	FZ_BAD_GEN,
	FZ_BAD_FLAGS,
	FZ_BAD_ORIGIN,
	FZ_PAST_WINDOW,
	FZ_HANG_UP,
	FZ_TWICE,
};

/* What the secure world answers for operation @id. */
struct fz_answer {
	unsigned int action;
	uint32_t result, origin;
	unsigned int fraction, seed;
	uint32_t hints; /* the completion's flags */
};

static const uint8_t *fz_sw_script;
static size_t fz_sw_len;
static int fz_verbose;

static struct fz_answer fz_answer_of(uint32_t id)
{
	struct fz_answer a = { 0,   TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP,
			       255, id,		  0 };
	uint8_t b[5];
	size_t i;

	if (!fz_sw_len)
		return a;
	for (i = 0; i < 5; i++)
		b[i] = fz_sw_script[(5 * (size_t)id + i) % fz_sw_len];
	a.action = b[0] % 16;
	a.result = b[1] % 4 ? fz_results[b[1] % FZ_NR_RESULTS] : TEEQ_SUCCESS;
	a.origin = b[2] & 1 ? TEEQ_ORIGIN_TEE : TEEQ_ORIGIN_TRUSTED_APP;
	a.hints = b[2] & 2 ? TEEQ_CQE_F_DEFERRED : 0;
	a.fraction = b[3];
	a.seed = b[4] + 256 * id;
	return a;
}

static unsigned char fz_pattern(unsigned int seed, uint32_t i)
{
	uint32_t x = seed * 0x9e3779b1u + i * 0x85ebca6bu;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	return (unsigned char)(x ^ x >> 12);
}

static uint32_t fz_out_size(uint32_t window, const struct fz_answer *a)
{
	return (uint32_t)((uint64_t)window * a->fraction / 255);
}

/* ---- the secure world ------------------------------------------------------- */

struct fz_sw {
	char dir[64], path[108];
	int listen_fd;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int busy; /* serving a connection; under lock */
	/* the connection */
	int conn;
	int memfd;
	int db[FZ_QPAIRS]; /* our ends of the doorbells */
	void *region;
	uint64_t size;
	struct channel_layout layout;
	struct ring sq[FZ_QPAIRS], cq[FZ_QPAIRS];
};

static struct fz_sw fz_sw;

static int fz_sw_hello(struct fz_sw *s)
{
	char cbuf[CMSG_SPACE(sizeof(int) * TEEQ_HOST_MAX_FDS)];
	struct teeq_host_hello m;
	struct teeq_host_hello_reply r;
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	const char *why;
	int fds[TEEQ_HOST_MAX_FDS], n = 0, i;

	if (recvmsg(s->conn, &msg, MSG_CMSG_CLOEXEC) != sizeof(m))
		return -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_type == SCM_RIGHTS) {
			n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds, CMSG_DATA(cm), sizeof(int) * (size_t)n);
		}
	FZ_ASSERT(n == 1 && m.nr_qpairs == FZ_QPAIRS,
		  "handshake with %d descriptors, %u queue pairs", n,
		  m.nr_qpairs);
	s->memfd = fds[0];
	/* the doorbells are ours to make, as teeq-sw's are
	 * (uapi/teeq_host.h): its end to the client with the reply */
	for (i = 0; i < FZ_QPAIRS; i++) {
		int sv[2];

		FZ_ASSERT(!socketpair(AF_UNIX,
				      SOCK_SEQPACKET | SOCK_CLOEXEC |
					      SOCK_NONBLOCK,
				      0, sv),
			  "socketpair: %s", strerror(errno));
		s->db[i] = sv[0];
		fds[i] = sv[1];
	}
	if (shm_memfd_check(s->memfd, &s->size) ||
	    shm_map(s->memfd, s->size, &s->region) ||
	    channel_validate(s->region, s->size, TEEQ_FEAT_ALL, &s->layout,
			     &why))
		FZ_FAIL("libteeq's region refused");
	for (i = 0; i < FZ_QPAIRS; i++)
		if (channel_attach_qpair(s->region, &s->layout, (uint32_t)i,
					 &s->sq[i], RING_CONSUMER, &s->cq[i],
					 RING_PRODUCER))
			FZ_FAIL("libteeq's rings refused");
	memset(&r, 0, sizeof(r));
	r.hdr = (struct teeq_host_hdr){ TEEQ_HOST_MAGIC, TEEQ_HOST_HELLO_REPLY,
					0, sizeof(r), m.hdr.seq };
	r.abi_version = TEEQ_ABI_VERSION;
	r.features = TEEQ_FEAT_ALL;
	r.client_id = 1;
	r.sw_pid = (uint32_t)getpid();
	r.workers = 1;
	n = teeq_host_sendmsg(s->conn, &r, sizeof(r), fds, FZ_QPAIRS);
	for (i = 0; i < FZ_QPAIRS; i++)
		close(fds[i]);
	return n ? -1 : 0;
}

/* The answer to one entry, as the script says; returns the completions to
 * post (0: hang up, 2: the same one twice). */
static int fz_sw_answer(struct fz_sw *s, const struct teeq_sqe *e,
			struct teeq_cqe *c)
{
	unsigned char *heap = (unsigned char *)s->region + s->layout.heap_off;
	struct fz_answer a;
	uint32_t id;
	int i;

	memset(c, 0, sizeof(*c));
	c->user_data = e->user_data;
	c->result = TEEQ_SUCCESS;
	c->origin = TEEQ_ORIGIN_TEE;
	if ((e->opcode != TEEQ_OP_INVOKE &&
	     e->opcode != TEEQ_OP_OPEN_SESSION) ||
	    TEEQ_PARAM_TYPE_GET(e->param_types, 3) != TEEQ_PARAM_VALUE_INPUT)
		return 1; /* NOP, CLOSE, CANCEL: done */
	id = e->params[3].value.a;
	a = fz_answer_of(id);
	if (fz_verbose)
		fprintf(stderr, "sw: op %u: action %u result %#x origin %u\n",
			id, a.action, a.result, a.origin);
	c->result = a.result;
	c->origin = a.origin;
	c->flags = a.hints;
	if (e->opcode == TEEQ_OP_OPEN_SESSION && a.result == TEEQ_SUCCESS)
		c->session = 0x100 + id;
	for (i = 0; i < 3 && a.origin == TEEQ_ORIGIN_TRUSTED_APP; i++) {
		unsigned int t = TEEQ_PARAM_TYPE_GET(e->param_types, i);
		const union teeq_param *p = &e->params[i];
		uint32_t n, k;

		if (!teeq_param_is_output(t))
			continue;
		if (teeq_param_is_value(t)) {
			c->params[i].value.a = a.seed * 3 + (uint32_t)i;
			c->params[i].value.b = a.seed ^ 0x5555;
			continue;
		}
		n = fz_out_size(p->memref.size, &a);
		if (p->memref.buf_id == TEEQ_BUF_ID_HEAP &&
		    shm_window_ok(s->layout.heap_size, p->memref.offset, n))
			for (k = 0; k < n; k++)
				heap[p->memref.offset + k] =
					fz_pattern(a.seed, k);
		c->params[i].memref.size =
			a.action == FZ_PAST_WINDOW ?
				p->memref.size + 1 + a.seed % 7 :
				n;
	}
	switch (a.action) {
	case FZ_BAD_TAG:
		/* the first tag past libteeq's table of calls (where an
		 * off-by-one bound lets one through), or one far past it */
		c->user_data = (e->user_data & ~0xffffffffull) |
			       (a.seed & 1 ? s->sq[0].entries : 0x7fff);
		break;
	case FZ_BAD_GEN:
		c->user_data = e->user_data + (1ull << 32);
		break;
	case FZ_BAD_FLAGS:
		c->flags = 1u << (1 + a.seed % 31); /* none defined */
		break;
	case FZ_BAD_ORIGIN:
		c->origin = 0;
		break;
	case FZ_HANG_UP:
		return 0;
	case FZ_TWICE:
		return 2;
	}
	return 1;
}

static void fz_sw_post(struct fz_sw *s, int i, const struct teeq_cqe *c)
{
	memcpy((char *)ring_prod_slot(&s->cq[i], 0) + RING_STAMP_SIZE,
	       (const char *)c + RING_STAMP_SIZE, sizeof(*c) - RING_STAMP_SIZE);
	if (ring_prod_commit(&s->cq[i], 1))
		ring_doorbell_socket(s->db[i]);
}

/* Answers what pair @i has, as long as its completion ring has room;
 * returns the entries answered, or -1 to hang up. */
static int fz_sw_serve(struct fz_sw *s, int i)
{
	struct teeq_sqe e;
	struct teeq_cqe c;
	int done = 0, n;

	while (ring_cons_avail(&s->sq[i], 1) && ring_prod_space(&s->cq[i], 1)) {
		memcpy(&e, ring_cons_slot(&s->sq[i], 0), sizeof(e));
		ring_cons_release(&s->sq[i], 1);
		n = fz_sw_answer(s, &e, &c);
		if (!n)
			return -1;
		fz_sw_post(s, i, &c);
		/* the same again, if there is room (else it was just one) */
		if (n == 2 && ring_prod_space(&s->cq[i], 1))
			fz_sw_post(s, i, &c);
		done++;
	}
	FZ_ASSERT(!ring_broken(&s->sq[i]) && !ring_broken(&s->cq[i]),
		  "libteeq broke its rings");
	return done;
}

static void fz_sw_close(struct fz_sw *s)
{
	int i;

	close(s->conn);
	close(s->memfd);
	for (i = 0; i < FZ_QPAIRS; i++)
		close(s->db[i]);
	shm_unmap(s->region, s->size);
}

/* Serves one connection until the client or the script hangs up. */
static void fz_sw_connection(struct fz_sw *s)
{
	struct pollfd pfd[1 + FZ_QPAIRS];
	int i, did, waiting;

	if (fz_sw_hello(s)) {
		close(s->conn);
		return;
	}
	for (;;) {
		did = 0;
		for (i = 0; i < FZ_QPAIRS; i++) {
			int n = fz_sw_serve(s, i);

			if (n < 0)
				goto out;
			did += n;
		}
		if (did)
			continue;
		/* asleep on the doorbells and the socket, as teeq-sw is;
		 * entries that wait for room in a completion ring are
		 * looked at again soon */
		waiting = 0;
		for (i = 0; i < FZ_QPAIRS; i++)
			waiting |= ring_cons_prepare_sleep(&s->sq[i]) != 0;
		pfd[0] = (struct pollfd){ s->conn, POLLIN | POLLRDHUP, 0 };
		for (i = 0; i < FZ_QPAIRS; i++)
			pfd[1 + i] = (struct pollfd){ s->db[i], POLLIN, 0 };
		poll(pfd, 1 + FZ_QPAIRS, waiting ? 1 : 1000);
		for (i = 0; i < FZ_QPAIRS; i++) {
			if (pfd[1 + i].revents & POLLIN)
				(void)ring_doorbell_drain(s->db[i]);
			ring_cons_end_sleep(&s->sq[i]);
		}
		/* the client sends nothing else on it: this is its hang-up */
		if (pfd[0].revents)
			break;
	}
out:
	fz_sw_close(s);
}

static void *fz_sw_main(void *arg)
{
	struct fz_sw *s = arg;

	for (;;) {
		s->conn = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (s->conn < 0)
			continue;
		pthread_mutex_lock(&s->lock);
		s->busy = 1;
		pthread_mutex_unlock(&s->lock);
		fz_sw_connection(s);
		pthread_mutex_lock(&s->lock);
		s->busy = 0;
		pthread_cond_broadcast(&s->cond);
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

/* The socket and its directory go when the fuzzer ends. */
static void fz_sw_remove(void)
{
	unlink(fz_sw.path);
	rmdir(fz_sw.dir);
}

/* Until the secure world is done with the last connection. */
static void fz_sw_idle(void)
{
	pthread_mutex_lock(&fz_sw.lock);
	while (fz_sw.busy)
		pthread_cond_wait(&fz_sw.cond, &fz_sw.lock);
	pthread_mutex_unlock(&fz_sw.lock);
}

/* ---- the client ------------------------------------------------------------- */

enum fz_state { FZ_FREE, FZ_PREPARED, FZ_SUBMITTED };

struct fz_op {
	enum fz_state state;
	uint32_t id;
	unsigned int setup;
	TEEC_Operation op;
	TEEC_SharedMemory shm;
	int has_shm;
	unsigned char tmp[3][FZ_TMP + 16];
	uint32_t window[3]; /* temporary output windows, bytes */
};

static TEEC_Context fz_ctx;
static TEEC_Session fz_sess;
static int fz_ctx_open, fz_sess_open;
static teeq_queue *fz_q;
static struct fz_op fz_ops[FZ_MAX_OPS];
static uint32_t fz_next_id;
static int fz_may_die; /* a hostile answer was asked for */
/* cancellations sent on the pair synchronous calls use: their slots are
 * freed only when the pair is next polled, so a synchronous call may find
 * none left and be refused with BUSY (origin API) */
static unsigned int fz_cancels;
static uint64_t fz_heap_base;

#define FZ_SENTINEL 0xa5

static uint64_t fz_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void fz_tmpref(struct fz_op *o, int i, unsigned int type, size_t size,
		      int null)
{
	TEEC_TempMemoryReference *t = &o->op.params[i].tmpref;

	memset(o->tmp[i], FZ_SENTINEL, sizeof(o->tmp[i]));
	t->buffer = null ? NULL : o->tmp[i];
	t->size = size;
	o->window[i] = (uint32_t)size;
	(void)type;
}

/* Parameters of @setup, p3 the operation's id. */
static void fz_op_setup(struct fz_op *o, unsigned int setup)
{
	uint32_t t[3] = { TEEC_NONE, TEEC_NONE, TEEC_NONE };

	memset(&o->op, 0, sizeof(o->op));
	memset(o->window, 0, sizeof(o->window));
	o->has_shm = 0;
	o->setup = setup % 6;
	o->id = ++fz_next_id;
	switch (o->setup) {
	case 1:
		t[0] = TEEC_VALUE_OUTPUT;
		t[1] = TEEC_VALUE_INOUT;
		t[2] = TEEC_VALUE_INPUT;
		o->op.params[1].value.a = 5;
		break;
	case 2:
		t[0] = TEEC_MEMREF_TEMP_OUTPUT;
		t[1] = TEEC_MEMREF_TEMP_INOUT;
		t[2] = TEEC_MEMREF_TEMP_INPUT;
		fz_tmpref(o, 0, t[0], 100, 0);
		fz_tmpref(o, 1, t[1], 33, 0);
		fz_tmpref(o, 2, t[2], 16, 0);
		break;
	case 3:
		t[0] = TEEC_MEMREF_TEMP_OUTPUT;
		fz_tmpref(o, 0, t[0], 50, 1);
		break;
	case 4:
		memset(&o->shm, 0, sizeof(o->shm));
		o->shm.size = FZ_SHM;
		o->shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
		if (TEEC_AllocateSharedMemory(&fz_ctx, &o->shm) ==
		    TEEC_SUCCESS) {
			o->has_shm = 1;
			memset(o->shm.buffer, FZ_SENTINEL, FZ_SHM);
			t[0] = TEEC_MEMREF_WHOLE;
			t[1] = TEEC_MEMREF_PARTIAL_OUTPUT;
			o->op.params[0].memref.parent = &o->shm;
			o->op.params[1].memref.parent = &o->shm;
			o->op.params[1].memref.offset = 128;
			o->op.params[1].memref.size = 64;
		}
		break;
	case 5:
		t[0] = TEEC_MEMREF_TEMP_OUTPUT;
		t[2] = TEEC_MEMREF_TEMP_OUTPUT;
		fz_tmpref(o, 0, t[0], 0, 0);
		fz_tmpref(o, 2, t[2], FZ_TMP, 0);
		break;
	}
	o->op.paramTypes = TEEC_PARAM_TYPES(t[0], t[1], t[2], TEEC_VALUE_INPUT);
	o->op.params[3].value.a = o->id;
	/* from its submission on, its answer may kill the channel */
	if (fz_answer_of(o->id).action >= FZ_BAD_TAG &&
	    fz_answer_of(o->id).action != FZ_PAST_WINDOW)
		fz_may_die = 1;
}

static void fz_op_done(struct fz_op *o)
{
	if (o->has_shm)
		TEEC_ReleaseSharedMemory(&o->shm);
	o->has_shm = 0;
	o->state = FZ_FREE;
}

/* @o finished with @res / @origin: is that what the secure world said? */
static void fz_check_outcome(struct fz_op *o, TEEC_Result res, uint32_t origin)
{
	struct fz_answer a = fz_answer_of(o->id);
	uint32_t want = a.result, want_origin = a.origin;
	int past = 0, i;

	if (fz_verbose)
		fprintf(stderr, "client: op %u (setup %u) -> %#x/%u\n", o->id,
			o->setup, res, origin);
	if (res == TEEC_ERROR_TARGET_DEAD && origin == TEEC_ORIGIN_COMMS) {
		FZ_ASSERT(fz_may_die, "op %u: TARGET_DEAD from a live channel",
			  o->id);
		goto untouched;
	}
	FZ_ASSERT(a.action <= FZ_GOOD || a.action == FZ_PAST_WINDOW ||
			  a.action == FZ_TWICE,
		  "op %u: a hostile answer (%u) was believed: %#x/%u", o->id,
		  a.action, res, origin);
	/* a size past an output window, from a trusted app */
	for (i = 0; i < 3; i++) {
		unsigned int t = TEEC_PARAM_TYPE_GET(o->op.paramTypes, i);

		if (t == TEEC_MEMREF_TEMP_OUTPUT ||
		    t == TEEC_MEMREF_TEMP_INOUT || t == TEEC_MEMREF_WHOLE ||
		    t == TEEC_MEMREF_PARTIAL_OUTPUT)
			past = 1;
	}
	past = past && a.action == FZ_PAST_WINDOW &&
	       a.origin == TEEQ_ORIGIN_TRUSTED_APP;
	if (past && want != TEEQ_ERROR_SHORT_BUFFER) {
		want = TEEC_ERROR_COMMUNICATION;
		want_origin = TEEC_ORIGIN_COMMS;
	}
	FZ_ASSERT(res == want && origin == want_origin,
		  "op %u: %#x/%u, the secure world said %#x/%u", o->id, res,
		  origin, want, want_origin);
	if (res != TEEC_SUCCESS || origin != TEEC_ORIGIN_TRUSTED_APP)
		goto untouched;
	/* a trusted app's success: its outputs, and nothing else */
	for (i = 0; i < 3; i++) {
		unsigned int t = TEEC_PARAM_TYPE_GET(o->op.paramTypes, i);
		uint32_t n, k;

		if (t == TEEC_MEMREF_WHOLE || t == TEEC_MEMREF_PARTIAL_OUTPUT) {
			uint32_t w = t == TEEC_MEMREF_WHOLE ? FZ_SHM : 64;

			FZ_ASSERT(o->op.params[i].memref.size ==
					  fz_out_size(w, &a),
				  "op %u: memref %d size %zu", o->id, i,
				  o->op.params[i].memref.size);
			continue;
		}
		if (t == TEEC_VALUE_OUTPUT || t == TEEC_VALUE_INOUT) {
			FZ_ASSERT(o->op.params[i].value.a ==
						  a.seed * 3 + (uint32_t)i &&
					  o->op.params[i].value.b ==
						  (a.seed ^ 0x5555),
				  "op %u: value %d not as sent", o->id, i);
			continue;
		}
		if (t != TEEC_MEMREF_TEMP_OUTPUT && t != TEEC_MEMREF_TEMP_INOUT)
			continue;
		n = fz_out_size(o->window[i], &a);
		FZ_ASSERT(o->op.params[i].tmpref.size == n,
			  "op %u: output %d size %zu, sent %u", o->id, i,
			  o->op.params[i].tmpref.size, n);
		if (!o->op.params[i].tmpref.buffer)
			continue;
		for (k = 0; k < n; k++)
			FZ_ASSERT(o->tmp[i][k] == fz_pattern(a.seed, k),
				  "op %u: output %d byte %u not as sent", o->id,
				  i, k);
		for (; k < sizeof(o->tmp[i]); k++)
			FZ_ASSERT(o->tmp[i][k] == FZ_SENTINEL,
				  "op %u: output %d written past its %u bytes",
				  o->id, i, n);
	}
	return;

untouched:
	for (i = 0; i < 3; i++) {
		unsigned int t = TEEC_PARAM_TYPE_GET(o->op.paramTypes, i);
		size_t k;

		if (t != TEEC_MEMREF_TEMP_OUTPUT &&
		    t != TEEC_MEMREF_TEMP_INOUT && t != TEEC_MEMREF_TEMP_INPUT)
			continue;
		for (k = t == TEEC_MEMREF_TEMP_OUTPUT ? 0 : o->window[i];
		     k < sizeof(o->tmp[i]); k++)
			FZ_ASSERT(o->tmp[i][k] == FZ_SENTINEL,
				  "op %u: output %d written on failure", o->id,
				  i);
	}
}

static struct fz_op *fz_free_op(void)
{
	int i;

	for (i = 0; i < FZ_MAX_OPS; i++)
		if (fz_ops[i].state == FZ_FREE)
			return &fz_ops[i];
	return NULL;
}

static unsigned int fz_count(enum fz_state st)
{
	unsigned int i, n = 0;

	for (i = 0; i < FZ_MAX_OPS; i++)
		n += fz_ops[i].state == st;
	return n;
}

static void fz_prep(unsigned int setup)
{
	struct fz_op *o = fz_free_op();
	unsigned int space = teeq_queue_space(fz_q);
	TEEC_Result res;

	if (!o || !fz_sess_open)
		return;
	fz_op_setup(o, setup);
	res = teeq_prep_invoke(fz_q, &fz_sess, 0, &o->op, o->id);
	if (res == TEEC_SUCCESS) {
		o->state = FZ_PREPARED;
		FZ_ASSERT(teeq_queue_space(fz_q) + 1 == space,
			  "a prepared operation took no slot");
		return;
	}
	FZ_ASSERT((res == TEEC_ERROR_BUSY && !space) ||
			  (res == TEEC_ERROR_TARGET_DEAD && fz_may_die) ||
			  (res == TEEC_ERROR_OUT_OF_MEMORY && o->setup >= 2),
		  "prep refused with %#x, %u slots free", res, space);
	fz_op_done(o);
}

static void fz_submit(void)
{
	unsigned int prepared = fz_count(FZ_PREPARED), i;

	FZ_ASSERT(teeq_submit(fz_q) == prepared, "submit: not all %u",
		  prepared);
	for (i = 0; i < FZ_MAX_OPS; i++)
		if (fz_ops[i].state == FZ_PREPARED)
			fz_ops[i].state = FZ_SUBMITTED;
}

static void fz_reap(unsigned int b)
{
	static const int timeouts[] = { 0, 1, 5, -1 };
	struct teeq_completion done[8];
	unsigned int max = 1 + (b >> 3 & 7), min = b & 7, n, k;
	unsigned int in_flight = fz_count(FZ_SUBMITTED);
	int timeout = timeouts[b >> 6];
	uint64_t t0;

	if (timeout < 0 && min > in_flight)
		min = in_flight; /* else it waits for what cannot come */
	t0 = fz_now_ns();
	n = teeq_reap(fz_q, done, max, min, timeout);
	FZ_ASSERT(n <= max && n <= in_flight,
		  "reaped %u (max %u, %u in flight)", n, max, in_flight);
	/* short only on timeout, or once nothing is left in flight */
	if (n < min && n < max && n < in_flight)
		FZ_ASSERT(timeout >= 0 && fz_now_ns() - t0 >=
						  (uint64_t)timeout * 1000000,
			  "reaped %u < min %u before the timeout (%d ms)", n,
			  min, timeout);
	for (k = 0; k < n; k++) {
		uint64_t ud = done[k].user_data;
		struct fz_op *o = NULL;
		unsigned int i;

		for (i = 0; i < FZ_MAX_OPS; i++)
			if (fz_ops[i].state == FZ_SUBMITTED &&
			    fz_ops[i].id == ud)
				o = &fz_ops[i];
		FZ_ASSERT(o, "completion for no operation in flight (%llu)",
			  (unsigned long long)ud);
		FZ_ASSERT(done[k].operation == &o->op,
			  "completion with another operation");
		fz_check_outcome(o, done[k].result, done[k].origin);
		fz_op_done(o);
	}
}

static void fz_invoke(unsigned int setup)
{
	struct fz_op *o = fz_free_op();
	uint32_t origin = 0;
	TEEC_Result res;

	if (!o || !fz_sess_open)
		return;
	fz_op_setup(o, setup);
	res = TEEC_InvokeCommand(&fz_sess, 0, &o->op, &origin);
	if (res == TEEC_ERROR_OUT_OF_MEMORY && origin == TEEC_ORIGIN_API)
		FZ_ASSERT(o->setup >= 2, "no memory for no memref");
	else if (res == TEEC_ERROR_BUSY && origin == TEEC_ORIGIN_API)
		FZ_ASSERT(fz_cancels >= FZ_DEPTH, "sync call BUSY");
	else
		fz_check_outcome(o, res, origin);
	fz_op_done(o);
}

static void fz_cancel(unsigned int b)
{
	unsigned int i, k = 0;

	for (i = 0; i < FZ_MAX_OPS; i++)
		if (fz_ops[i].state == FZ_SUBMITTED && k++ == b % FZ_DEPTH) {
			TEEC_RequestCancellation(&fz_ops[i].op);
			fz_cancels++;
			return;
		}
}

/* Opens the session (its answer as for any operation), or closes it. */
static void fz_session(void)
{
	static const TEEC_UUID uuid = { 1, 2, 3, { 4, 5, 6, 7, 8, 9, 10, 11 } };
	struct fz_op *o;
	uint32_t origin = 0;
	TEEC_Result res;

	if (fz_sess_open) {
		TEEC_CloseSession(&fz_sess);
		fz_sess_open = 0;
		return;
	}
	o = fz_free_op();
	if (!o)
		return;
	fz_op_setup(o, 1);
	res = TEEC_OpenSession(&fz_ctx, &fz_sess, &uuid, TEEC_LOGIN_PUBLIC,
			       NULL, &o->op, &origin);
	if (res == TEEC_ERROR_BUSY && origin == TEEC_ORIGIN_API)
		FZ_ASSERT(fz_cancels >= FZ_DEPTH, "open BUSY");
	else
		fz_check_outcome(o, res, origin);
	fz_sess_open = res == TEEC_SUCCESS;
	fz_op_done(o);
}

static void fz_ctx_start(unsigned int spin)
{
	struct teeq_stats st;

	setenv("TEEQ_SPIN_US", spin ? "20" : "0", 1);
	FZ_ASSERT(TEEC_InitializeContext(fz_sw.path, &fz_ctx) == TEEC_SUCCESS,
		  "cannot start a context");
	fz_ctx_open = 1;
	FZ_ASSERT(teeq_queue_open(&fz_ctx, &fz_q) == TEEC_SUCCESS, "no queue");
	FZ_ASSERT(teeq_queue_space(fz_q) == FZ_DEPTH, "queue space %u",
		  teeq_queue_space(fz_q));
	teeq_context_stats(&fz_ctx, &st);
	fz_heap_base = st.heap_in_use;
	fz_may_die = 0;
	fz_cancels = 0;
	fz_session();
}

/* Everything completes; nothing is left behind. */
static void fz_ctx_end(void)
{
	struct teeq_stats st;

	fz_submit();
	while (fz_count(FZ_SUBMITTED))
		fz_reap(0xc0 | 7 << 3 | (fz_count(FZ_SUBMITTED) & 7));
	FZ_ASSERT(teeq_queue_space(fz_q) == FZ_DEPTH,
		  "queue space %u after every completion",
		  teeq_queue_space(fz_q));
	teeq_context_stats(&fz_ctx, &st);
	FZ_ASSERT(st.heap_in_use == fz_heap_base,
		  "heap in use %llu, was %llu before",
		  (unsigned long long)st.heap_in_use,
		  (unsigned long long)fz_heap_base);
	teeq_queue_close(fz_q);
	if (fz_sess_open)
		TEEC_CloseSession(&fz_sess);
	fz_sess_open = 0;
	TEEC_FinalizeContext(&fz_ctx);
	fz_ctx_open = 0;
	fz_sw_idle();
}

/* ---- libFuzzer -------------------------------------------------------------- */

static void fz_write_seeds(const char *dir);

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seeds = getenv("TEEQ_FUZZ_WRITE_SEEDS");
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	(void)argc;
	(void)argv;
	fz_verbose = getenv("TEEQ_FUZZ_VERBOSE") != NULL;
	if (seeds && *seeds) {
		fz_write_seeds(seeds);
		exit(0);
	}
	setenv("TEEQ_NO_AUTOSTART", "1", 1);
	setenv("TEEQ_QPAIRS", "2", 1);
	setenv("TEEQ_QUEUE_DEPTH", "4", 1);
	setenv("TEEQ_HEAP_MB", "1", 1);
	snprintf(fz_sw.dir, sizeof(fz_sw.dir), "/tmp/teeq-fuzz-XXXXXX");
	if (!mkdtemp(fz_sw.dir))
		abort();
	snprintf(fz_sw.path, sizeof(fz_sw.path), "%s/sw.sock", fz_sw.dir);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", fz_sw.path);
	fz_sw.listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fz_sw.listen_fd < 0 ||
	    bind(fz_sw.listen_fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(fz_sw.listen_fd, 4))
		abort();
	atexit(fz_sw_remove);
	pthread_mutex_init(&fz_sw.lock, NULL);
	pthread_cond_init(&fz_sw.cond, NULL);
	if (pthread_create(&fz_sw.thread, NULL, fz_sw_main, &fz_sw))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p, *end;
	size_t n;

	if (!size)
		return 0;
	n = data[0] < size - 1 ? data[0] : size - 1;
	p = data + 1;
	end = p + n;
	fz_sw_script = end;
	fz_sw_len = size - 1 - n;
	memset(fz_ops, 0, sizeof(fz_ops));
	fz_next_id = 0;
	fz_ctx_start(0);
	while (p < end) {
		unsigned int step = *p++, arg = p < end ? *p : 0;

		if (fz_verbose)
			fprintf(stderr, "step %u (%#x)\n", step % 8, step);
		switch (step % 8) {
		case 0:
			fz_prep(arg);
			p += p < end;
			break;
		case 1:
			fz_submit();
			break;
		case 2:
			fz_reap(arg);
			p += p < end;
			break;
		case 3:
			fz_invoke(arg);
			p += p < end;
			break;
		case 4:
			fz_cancel(arg);
			p += p < end;
			break;
		case 5:
			fz_session();
			break;
		case 7:
			fz_ctx_end();
			fz_ctx_start(step >> 3 & 1);
			break;
		default:
			break;
		}
	}
	fz_ctx_end();
	return 0;
}

/* ---- seeds ------------------------------------------------------------------ */

static void fz_write_seeds(const char *dir)
{
	/* prep (setup), submit, reap (min 3, max 8, no timeout) */
	static const uint8_t batch[] = { 9, 0, 1, 0, 2, 0, 4, 1, 2, 0xfb };
	/* sync calls of every setup */
	static const uint8_t sync[] = { 12, 3, 0, 3, 1, 3, 2, 3, 3, 3, 4, 3, 5 };
	/* a reap that times out, polls, then waits */
	static const uint8_t timeouts[] = { 9, 0, 2,	2, 0x4f,
					    1, 2, 0x09, 2, 0xc9 };
	/* cancellations of operations in flight, a session closed and
	 * opened, a context started again */
	static const uint8_t cancel[] = { 12, 0, 1, 0, 1, 1,   4,
					  0,  4, 1, 5, 5, 0x0f };
	/* hostile answers: op 2 gets a tag never in flight, op 4 an output
	 * past its window (a short buffer), op 5 a hang-up */
	static const uint8_t hostile[] = {
		9, 3, 2, 3, 2, 3, 5, 3, 1, 3,
		/* answers, 5 bytes per op id, from op 0 */
		0, 0, 0, 255, 1, /* 0 */
		0, 0, 0, 255, 1, /* 1 */
		9, 0, 0, 255, 1, /* 2 */
		0, 1, 0, 128, 2, /* 3 */
		13, 3, 0, 255, 3, /* 4 */
		14, 0, 0, 0, 0, /* 5 */
	};
	static const uint8_t twice[] = { 5,   0, 2,   1, 2,  0xc9, 0,
					 0,   0, 255, 1, 15, 0,	   0,
					 255, 1, 0,   0, 0,  255,  1 };
	static const uint8_t dead[] = { 6, 0,	0, 0,  1, 1, 2,	  0xdb, 0,  0,
					0, 255, 1, 10, 0, 0, 255, 2,	11, 0,
					0, 255, 3, 12, 0, 1, 255, 4 };

	fz_write_file(dir, "batch", batch, sizeof(batch));
	fz_write_file(dir, "sync-setups", sync, sizeof(sync));
	fz_write_file(dir, "reap-timeouts", timeouts, sizeof(timeouts));
	fz_write_file(dir, "cancel-reopen", cancel, sizeof(cancel));
	fz_write_file(dir, "hostile", hostile, sizeof(hostile));
	fz_write_file(dir, "answer-twice", twice, sizeof(twice));
	fz_write_file(dir, "bad-gen-flags-origin", dead, sizeof(dead));
}
