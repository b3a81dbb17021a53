// SPDX-License-Identifier: MIT
/* The GlobalPlatform TEE Client API v1.0 over teeq channels. */
#include "client/internal.h"

#include "shm/memfd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

/* TEEC_Operation.imp.state */
enum {
	TEEQ_OP_IDLE = 0, /* never used (the caller zeroed it) */
	TEEQ_OP_STARTED = 1,
	TEEQ_OP_CANCELLED = 2, /* cancelled before it started */
	TEEQ_OP_FINISHED = 3, /* done; may be re-armed with started = 0 */
};

static TEEC_Result teeq_origin(uint32_t *out, uint32_t origin, TEEC_Result res)
{
	if (out)
		*out = origin;
	return res;
}

/* Marks @op started; fails if a cancellation got there first. */
int teeq_op_start(struct teeq_chan *chan, TEEC_Operation *op, uint32_t session)
{
	uint32_t state;

	if (!op)
		return 0;
	op->imp.chan = chan;
	op->imp.session_id = session;
	op->imp.cancel_id =
		__atomic_add_fetch(&chan->next_cancel_id, 1, __ATOMIC_RELAXED);
	if (!op->imp.cancel_id) /* 0 means "not cancellable" on the wire */
		op->imp.cancel_id = __atomic_add_fetch(&chan->next_cancel_id, 1,
						       __ATOMIC_RELAXED);
	state = __atomic_load_n(&op->imp.state, __ATOMIC_ACQUIRE);
	do {
		if (state == TEEQ_OP_CANCELLED) {
			/* consumed: the operation can be used again */
			__atomic_store_n(&op->imp.state, TEEQ_OP_FINISHED,
					 __ATOMIC_RELEASE);
			return -ECANCELED;
		}
	} while (!__atomic_compare_exchange_n(
		&op->imp.state, &state, TEEQ_OP_STARTED, 0, __ATOMIC_ACQ_REL,
		__ATOMIC_ACQUIRE));
	/* another thread may read it in TEEC_RequestCancellation() */
	__atomic_store_n(&op->started, 1, __ATOMIC_RELEASE);
	return 0;
}

void teeq_op_end(TEEC_Operation *op)
{
	if (op)
		__atomic_store_n(&op->imp.state, TEEQ_OP_FINISHED,
				 __ATOMIC_RELEASE);
}

TEEC_Result teeq_call(struct teeq_chan *chan, uint8_t opcode, uint32_t session,
		      uint32_t func, TEEC_Operation *op,
		      const struct teeq_uuid *uuid, uint32_t login_data,
		      uint32_t *origin, uint32_t *new_session)
{
	struct teeq_pending *p;
	struct teeq_sqe *sqe;
	struct teeq_qp *qp;
	TEEC_Result res;
	int tag;

	*origin = TEEC_ORIGIN_API;
	if (teeq_chan_dead(chan)) {
		*origin = TEEC_ORIGIN_COMMS;
		return TEEC_ERROR_TARGET_DEAD;
	}
	if (teeq_op_start(chan, op, session))
		return TEEC_ERROR_CANCEL;
	qp = teeq_qp_get(chan);
	teeq_qp_lock(qp);
	tag = teeq_qp_tag_alloc(qp, TEEQ_PENDING_SYNC);
	if (tag < 0) {
		/* the shared pair is full of other threads' calls */
		teeq_qp_unlock(qp);
		teeq_op_end(op);
		return TEEC_ERROR_BUSY;
	}
	p = &qp->pend[tag];
	sqe = teeq_qp_prep(qp, (uint32_t)tag);
	res = teeq_params_lower(qp, op, sqe, p);
	if (res != TEEC_SUCCESS) {
		/* nothing was published: take the slot back */
		qp->prepared--;
		teeq_qp_tag_free(qp, (uint32_t)tag);
		teeq_qp_unlock(qp);
		teeq_op_end(op);
		return res;
	}
	sqe->opcode = opcode;
	sqe->session = session;
	sqe->func = func;
	sqe->cancel_id = op ? op->imp.cancel_id : 0;
	if (uuid)
		sqe->uuid = *uuid;
	sqe->login_data = login_data;
	p->op = op;
	p->state = TEEQ_PENDING_IN_FLIGHT;
	teeq_qp_commit(qp);

	teeq_qp_wait_tag(qp, (uint32_t)tag);
	res = teeq_params_raise(qp, op, p, origin);
	if (new_session)
		*new_session = p->cqe.session;
	teeq_qp_tag_free(qp, (uint32_t)tag);
	teeq_qp_unlock(qp);
	teeq_op_end(op);
	return res;
}

/* ---- contexts -------------------------------------------------------------------- */

TEEQ_API TEEC_Result TEEC_InitializeContext(const char *name,
					    TEEC_Context *context)
{
	int ret;

	if (!context)
		return TEEC_ERROR_BAD_PARAMETERS;
	context->imp = NULL;
	ret = teeq_chan_open(name, &context->imp);
	switch (ret) {
	case 0:
		return TEEC_SUCCESS;
	case -ENOMEM:
		return TEEC_ERROR_OUT_OF_MEMORY;
	case -ENOENT:
	case -ECONNREFUSED:
		return TEEC_ERROR_ITEM_NOT_FOUND; /* no secure world */
	case -EPROTO:
		return TEEC_ERROR_NOT_SUPPORTED; /* refused our channel */
	default:
		return TEEC_ERROR_COMMUNICATION;
	}
}

TEEQ_API void TEEC_FinalizeContext(TEEC_Context *context)
{
	if (!context || !context->imp)
		return;
	teeq_chan_close(context->imp);
	context->imp = NULL;
}

/* ---- shared memory ------------------------------------------------------------------- */

static TEEC_Result teeq_shm_publish(struct teeq_chan *chan,
				    TEEC_SharedMemory *sm, struct teeq_shm *shm)
{
	int64_t id = shm_ids_add(&chan->shms,
				 &(struct shm_buf){ .size = shm->size,
						    .cookie = (uintptr_t)shm });

	if (id < 0)
		return TEEC_ERROR_OUT_OF_MEMORY;
	sm->imp.chan = chan;
	sm->imp.shm = shm;
	sm->imp.id = (uint32_t)id;
	return TEEC_SUCCESS;
}

static int teeq_shm_flags_ok(uint32_t flags)
{
	return flags && !(flags & ~(TEEC_MEM_INPUT | TEEC_MEM_OUTPUT));
}

/* A heap block for @size bytes (at least 64, page aligned from a page). */
static TEEC_Result teeq_shm_heap(struct teeq_chan *chan, uint64_t size,
				 uint64_t *off)
{
	int ret = shm_pool_alloc(&chan->pool, size ? size : 1,
				 size >= SHM_POOL_PAGE ? SHM_POOL_PAGE : 0,
				 off);

	return ret ? TEEC_ERROR_OUT_OF_MEMORY : TEEC_SUCCESS;
}

TEEQ_API TEEC_Result TEEC_AllocateSharedMemory(TEEC_Context *context,
					       TEEC_SharedMemory *sm)
{
	struct teeq_chan *chan;
	struct teeq_shm *shm;
	uint64_t off;
	TEEC_Result res;

	if (!context || !context->imp || !sm || !teeq_shm_flags_ok(sm->flags))
		return TEEC_ERROR_BAD_PARAMETERS;
	chan = context->imp;
	if (sm->size > TEEC_CONFIG_SHAREDMEM_MAX_SIZE)
		return TEEC_ERROR_OUT_OF_MEMORY;
	shm = calloc(1, sizeof(*shm));
	if (!shm)
		return TEEC_ERROR_OUT_OF_MEMORY;
	res = teeq_shm_heap(chan, sm->size, &off);
	if (res == TEEC_SUCCESS) {
		*shm = (struct teeq_shm){ .kind = TEEQ_SHM_POOL,
					  .flags = sm->flags,
					  .size = sm->size,
					  .wire_id = TEEQ_BUF_ID_HEAP,
					  .wire_off = off };
		res = teeq_shm_publish(chan, sm, shm);
		if (res != TEEC_SUCCESS)
			shm_pool_free(&chan->pool, off);
	}
	if (res != TEEC_SUCCESS) {
		free(shm);
		return res;
	}
	sm->buffer = chan->heap + off;
	return TEEC_SUCCESS;
}

/*
 * Plain process memory cannot be seen by the secure side: it gets a shadow
 * in the heap, and each call copies the window it uses (counted in the
 * stats). Memory already inside this context's heap is passed in place.
 */
TEEQ_API TEEC_Result TEEC_RegisterSharedMemory(TEEC_Context *context,
					       TEEC_SharedMemory *sm)
{
	struct teeq_chan *chan;
	struct teeq_shm *shm;
	uint64_t off = 0;
	TEEC_Result res;
	uintptr_t buf, heap;

	if (!context || !context->imp || !sm || !teeq_shm_flags_ok(sm->flags) ||
	    (!sm->buffer && sm->size))
		return TEEC_ERROR_BAD_PARAMETERS;
	chan = context->imp;
	if (sm->size > TEEC_CONFIG_SHAREDMEM_MAX_SIZE)
		return TEEC_ERROR_OUT_OF_MEMORY;
	shm = calloc(1, sizeof(*shm));
	if (!shm)
		return TEEC_ERROR_OUT_OF_MEMORY;
	*shm = (struct teeq_shm){ .flags = sm->flags,
				  .size = sm->size,
				  .wire_id = TEEQ_BUF_ID_HEAP };
	buf = (uintptr_t)sm->buffer;
	heap = (uintptr_t)chan->heap;
	if (buf >= heap &&
	    shm_window_ok(chan->layout.heap_size, buf - heap, sm->size)) {
		shm->kind = TEEQ_SHM_POOL;
		shm->wire_off = buf - heap;
		res = TEEC_SUCCESS;
	} else {
		shm->kind = TEEQ_SHM_SHADOW;
		res = teeq_shm_heap(chan, sm->size, &off);
		shm->wire_off = off;
		shm->shadow = chan->heap + off;
	}
	if (res == TEEC_SUCCESS)
		res = teeq_shm_publish(chan, sm, shm);
	if (res != TEEC_SUCCESS) {
		if (shm->shadow)
			shm_pool_free(&chan->pool, off);
		free(shm);
	}
	return res;
}

/*
 * A sealed memfd: the secure side maps it, so nothing is copied. The size
 * is the memfd's; buffer is our own mapping of it.
 */
TEEQ_API TEEC_Result TEEC_RegisterSharedMemoryFileDescriptor(
	TEEC_Context *context, TEEC_SharedMemory *sm, int fd)
{
	uint32_t reg = 0, buf_id;
	struct teeq_chan *chan;
	struct teeq_shm *shm;
	uint64_t size;
	TEEC_Result res;
	void *map;
	int ret;

	if (!context || !context->imp || !sm || fd < 0 ||
	    !teeq_shm_flags_ok(sm->flags))
		return TEEC_ERROR_BAD_PARAMETERS;
	chan = context->imp;
	if (teeq_chan_dead(chan))
		return TEEC_ERROR_TARGET_DEAD;
	/* the secure side refuses what could shrink under it; say so here */
	if (shm_memfd_check(fd, &size) || !size)
		return TEEC_ERROR_BAD_PARAMETERS;
	if (sm->flags & TEEC_MEM_INPUT)
		reg |= TEEQ_HOST_REG_READ;
	if (sm->flags & TEEC_MEM_OUTPUT)
		reg |= TEEQ_HOST_REG_WRITE | TEEQ_HOST_REG_READ;
	if (shm_map(fd, size, &map))
		return TEEC_ERROR_BAD_PARAMETERS;
	ret = teeq_chan_reg_fd(chan, fd, reg, &buf_id, &size);
	if (ret) {
		shm_unmap(map, size);
		return ret == -EPIPE || ret == -EPROTO ?
			       TEEC_ERROR_COMMUNICATION :
			       TEEC_ERROR_BAD_PARAMETERS;
	}
	shm = calloc(1, sizeof(*shm));
	if (!shm) {
		teeq_chan_unreg(chan, buf_id);
		shm_unmap(map, size);
		return TEEC_ERROR_OUT_OF_MEMORY;
	}
	*shm = (struct teeq_shm){ .kind = TEEQ_SHM_FD,
				  .flags = sm->flags,
				  .size = size,
				  .wire_id = buf_id,
				  .map = map };
	res = teeq_shm_publish(chan, sm, shm);
	if (res != TEEC_SUCCESS) {
		teeq_chan_unreg(chan, buf_id);
		shm_unmap(map, size);
		free(shm);
		return res;
	}
	sm->buffer = map;
	sm->size = size;
	return TEEC_SUCCESS;
}

TEEQ_API void TEEC_ReleaseSharedMemory(TEEC_SharedMemory *sm)
{
	struct teeq_chan *chan;
	struct teeq_shm *shm;
	struct shm_buf buf;

	if (!sm || !sm->imp.chan)
		return;
	chan = sm->imp.chan;
	/* a second release, or a stale struct: nothing to do */
	if (shm_ids_remove(&chan->shms, sm->imp.id, &buf) ||
	    (struct teeq_shm *)(uintptr_t)buf.cookie != sm->imp.shm)
		return;
	shm = sm->imp.shm;
	switch (shm->kind) {
	case TEEQ_SHM_POOL:
		if (sm->buffer == chan->heap + shm->wire_off) /* allocated */
			shm_pool_free(&chan->pool, shm->wire_off);
		sm->buffer = NULL;
		break;
	case TEEQ_SHM_SHADOW:
		shm_pool_free(&chan->pool, shm->wire_off);
		break;
	case TEEQ_SHM_FD:
		if (!teeq_chan_dead(chan))
			teeq_chan_unreg(chan, shm->wire_id);
		shm_unmap(shm->map, shm->size);
		sm->buffer = NULL;
		break;
	}
	free(shm);
	sm->imp.chan = NULL;
	sm->imp.shm = NULL;
	sm->imp.id = 0;
}

/* ---- sessions and calls ------------------------------------------------------------- */

static void teeq_uuid_to_wire(const TEEC_UUID *u, struct teeq_uuid *w)
{
	w->b[0] = (uint8_t)(u->timeLow >> 24);
	w->b[1] = (uint8_t)(u->timeLow >> 16);
	w->b[2] = (uint8_t)(u->timeLow >> 8);
	w->b[3] = (uint8_t)u->timeLow;
	w->b[4] = (uint8_t)(u->timeMid >> 8);
	w->b[5] = (uint8_t)u->timeMid;
	w->b[6] = (uint8_t)(u->timeHiAndVersion >> 8);
	w->b[7] = (uint8_t)u->timeHiAndVersion;
	memcpy(w->b + 8, u->clockSeqAndNode, 8);
}

TEEQ_API TEEC_Result TEEC_OpenSession(TEEC_Context *context,
				      TEEC_Session *session,
				      const TEEC_UUID *destination,
				      uint32_t method, const void *data,
				      TEEC_Operation *op, uint32_t *origin)
{
	uint32_t login_data = 0, org, id = 0;
	struct teeq_uuid wire;
	TEEC_Result res;

	if (!context || !context->imp || !session || !destination)
		return teeq_origin(origin, TEEC_ORIGIN_API,
				   TEEC_ERROR_BAD_PARAMETERS);
	switch (method) {
	case TEEC_LOGIN_PUBLIC:
	case TEEC_LOGIN_USER:
	case TEEC_LOGIN_APPLICATION:
	case TEEC_LOGIN_USER_APPLICATION:
		if (data)
			return teeq_origin(origin, TEEC_ORIGIN_API,
					   TEEC_ERROR_BAD_PARAMETERS);
		break;
	case TEEC_LOGIN_GROUP:
	case TEEC_LOGIN_GROUP_APPLICATION:
		if (!data)
			return teeq_origin(origin, TEEC_ORIGIN_API,
					   TEEC_ERROR_BAD_PARAMETERS);
		memcpy(&login_data, data, sizeof(login_data)); /* a gid_t */
		break;
	default:
		return teeq_origin(origin, TEEC_ORIGIN_API,
				   TEEC_ERROR_BAD_PARAMETERS);
	}
	teeq_uuid_to_wire(destination, &wire);
	res = teeq_call(context->imp, TEEQ_OP_OPEN_SESSION, 0, method, op,
			&wire, login_data, &org, &id);
	if (res == TEEC_SUCCESS) {
		session->ctx = context;
		session->session_id = id;
		session->imp.chan = context->imp;
	}
	return teeq_origin(origin, org, res);
}

TEEQ_API void TEEC_CloseSession(TEEC_Session *session)
{
	uint32_t origin;

	if (!session || !session->imp.chan)
		return;
	teeq_call(session->imp.chan, TEEQ_OP_CLOSE_SESSION, session->session_id,
		  0, NULL, NULL, 0, &origin, NULL);
	session->imp.chan = NULL;
}

TEEQ_API TEEC_Result TEEC_InvokeCommand(TEEC_Session *session, uint32_t command,
					TEEC_Operation *op, uint32_t *origin)
{
	uint32_t org;
	TEEC_Result res;

	if (!session || !session->imp.chan)
		return teeq_origin(origin, TEEC_ORIGIN_API,
				   TEEC_ERROR_BAD_PARAMETERS);
	if (op)
		op->session = session;
	res = teeq_call(session->imp.chan, TEEQ_OP_INVOKE, session->session_id,
			command, op, NULL, 0, &org, NULL);
	return teeq_origin(origin, org, res);
}

/*
 * Best effort, as GlobalPlatform specifies: an operation not yet started
 * will not start (TEEC_ERROR_CANCEL); one in flight gets a cancellation
 * entry that reaches its trusted app; a finished one is unaffected.
 */
TEEQ_API void TEEC_RequestCancellation(TEEC_Operation *op)
{
	struct teeq_chan *chan;
	struct teeq_sqe *sqe;
	struct teeq_qp *qp;
	uint32_t state;
	int tag;

	if (!op)
		return;
	state = __atomic_load_n(&op->imp.state, __ATOMIC_ACQUIRE);
	for (;;) {
		if (state == TEEQ_OP_STARTED)
			break; /* in flight: tell the secure world */
		/* not started yet (GP: started stays 0 until the call
		 * begins): it will not start; a finished one is left alone */
		if (state == TEEQ_OP_CANCELLED ||
		    __atomic_load_n(&op->started, __ATOMIC_ACQUIRE))
			return;
		if (__atomic_compare_exchange_n(
			    &op->imp.state, &state, TEEQ_OP_CANCELLED, 0,
			    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return;
	}
	chan = op->imp.chan;
	if (!chan || teeq_chan_dead(chan))
		return;
	qp = teeq_qp_get(chan);
	teeq_qp_lock(qp);
	if (!qp->waiting) /* else the shared pair's waiter is polling */
		teeq_qp_poll(qp); /* frees tags of earlier cancellations */
	tag = teeq_qp_tag_alloc(qp, TEEQ_PENDING_DISCARD);
	if (tag >= 0) {
		sqe = teeq_qp_prep(qp, (uint32_t)tag);
		sqe->opcode = TEEQ_OP_CANCEL;
		sqe->session = op->imp.session_id;
		sqe->cancel_id = op->imp.cancel_id;
		qp->pend[tag].state = TEEQ_PENDING_IN_FLIGHT;
		teeq_qp_commit(qp);
	}
	teeq_qp_unlock(qp);
}

/* ---- statistics --------------------------------------------------------------------- */

TEEQ_API void teeq_context_stats(TEEC_Context *context, struct teeq_stats *st)
{
	struct shm_pool_stats ps;
	struct teeq_chan *chan;
	uint32_t i;

	memset(st, 0, sizeof(*st));
	if (!context || !context->imp)
		return;
	chan = context->imp;
	/* the counters live in each queue pair, so calls on different
	 * pairs never write the same line */
	for (i = 0; i < chan->nr_qp; i++) {
		const struct teeq_qp_stats *q = &chan->qp[i].stats;

		st->calls += __atomic_load_n(&q->calls, __ATOMIC_RELAXED);
		st->zero_copy_memrefs += __atomic_load_n(&q->zero_copy_memrefs,
							 __ATOMIC_RELAXED);
		st->bounced_memrefs +=
			__atomic_load_n(&q->bounced_memrefs, __ATOMIC_RELAXED);
		st->bounce_bytes +=
			__atomic_load_n(&q->bounce_bytes, __ATOMIC_RELAXED);
		st->doorbells +=
			__atomic_load_n(&q->doorbells, __ATOMIC_RELAXED);
		st->waits_spun +=
			__atomic_load_n(&q->waits_spun, __ATOMIC_RELAXED);
		st->waits_slept +=
			__atomic_load_n(&q->waits_slept, __ATOMIC_RELAXED);
	}
	st->heap_size = chan->stats.heap_size;
	st->queue_pairs = chan->stats.queue_pairs;
	st->queue_depth = chan->stats.queue_depth;
	shm_pool_stats(&chan->pool, &ps);
	st->heap_in_use = ps.in_use;
}

TEEQ_API TEEC_Result teeq_secure_stats(TEEC_Context *context,
				       struct teeq_sw_stats *st)
{
	if (!context || !context->imp || !st)
		return TEEC_ERROR_BAD_PARAMETERS;
	if (teeq_chan_dead(context->imp))
		return TEEC_ERROR_TARGET_DEAD;
	return teeq_chan_sw_stats(context->imp, st) ? TEEC_ERROR_COMMUNICATION :
						      TEEC_SUCCESS;
}
