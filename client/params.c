// SPDX-License-Identifier: MIT
/*
 * GlobalPlatform parameters to wire parameters and back.
 *
 * Memory that lives in the channel's heap (TEEC_AllocateSharedMemory) or
 * in a registered memfd (TEEC_RegisterSharedMemoryFileDescriptor) is
 * passed in place. Anything else cannot be seen by the secure side and is
 * copied: temporary memrefs into a heap block of the call's own (or, when
 * the heap cannot hold them, a memfd registered for the call), registered
 * plain memory into the shadow it got at registration. Every such copy is
 * counted in the context's stats.
 *
 * Completions are checked against what was submitted: an output size
 * beyond its window is believed only as the needed size of a
 * TEEC_ERROR_SHORT_BUFFER, never as bytes to copy.
 */
#include "client/internal.h"
#include "shm/copy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The caller's bytes into a bounce, which the secure side reads next. */
static void teeq_bounce_in(struct teeq_qp *qp, void *dst, const void *src,
			   uint64_t n)
{
	shm_copy_for_peer(dst, src, n);
	TEEQ_QP_STAT(qp, bounce_bytes, n);
}

/* A bounce's bytes back to the caller, who reads them next. */
static void teeq_bounce_out(struct teeq_qp *qp, void *dst, const void *src,
			    uint64_t n)
{
	shm_copy_from_peer(dst, src, n);
	TEEQ_QP_STAT(qp, bounce_bytes, n);
}

/*
 * A solo call's big heap bounce comes back deferred: its bytes copied with
 * memcpy(), its lines flushed and the block freed only while the pair's
 * next call with memory references waits for the secure world
 * (teeq_qp_flush_deferred()). Flushed at once, as shm_copy_from_peer()
 * does, the lines cost the call about as much again as reading them; not
 * flushed at all, the secure world's next write to them must take each
 * back from our cache, which with the vCPUs far apart made its next call
 * 5 to 10 times slower. Deferred, the flush overlaps the next call, and
 * that call's bounces come from other blocks, since this one is still
 * held. Only an exclusive pair's solo call defers, one bounce a pair, and
 * a channel's pairs hold at most 1 / TEEQ_DEFER_HEAP_PART of its heap so;
 * the block stays in the heap's use (teeq_stats.heap_in_use) until freed.
 */
static int teeq_bounce_defers(struct teeq_qp *qp, const struct teeq_pending *p,
			      const struct teeq_bounce *b, uint64_t n)
{
	struct teeq_chan *chan = qp->chan;

	if (n < SHM_COPY_STREAM_MIN || p != &qp->solo || qp->defer_len ||
	    !b->owned || b->fd >= 0 || b->by_driver)
		return 0;
	if (__atomic_add_fetch(&chan->deferred, b->size, __ATOMIC_RELAXED) <=
	    chan->layout.heap_size / TEEQ_DEFER_HEAP_PART)
		return 1;
	__atomic_sub_fetch(&chan->deferred, b->size, __ATOMIC_RELAXED);
	return 0;
}

void teeq_qp_flush_deferred_now(struct teeq_qp *qp)
{
	struct teeq_chan *chan = qp->chan;

	shm_drop_lines(chan->heap + qp->defer_off, qp->defer_len);
	shm_pool_free(&chan->pool, qp->defer_off);
	__atomic_sub_fetch(&chan->deferred, qp->defer_size, __ATOMIC_RELAXED);
	qp->defer_len = 0;
}

/* A heap block of @size for a bounce, the pair's deferred one given back
 * first if the heap is short; 0, or nonzero if the heap cannot hold it. */
static int teeq_bounce_alloc(struct teeq_qp *qp, uint64_t size, uint64_t *off)
{
	if (!shm_pool_alloc(&qp->chan->pool, size, 0, off))
		return 0;
	if (!qp->defer_len)
		return -1;
	teeq_qp_flush_deferred_now(qp);
	return shm_pool_alloc(&qp->chan->pool, size, 0, off);
}

/* Where a bounce's bytes are on our side. */
static unsigned char *teeq_bounce_mem(struct teeq_qp *qp,
				      const struct teeq_bounce *b)
{
	return b->map ? (unsigned char *)b->map : qp->chan->heap + b->heap_off;
}

static void teeq_params_free(struct teeq_qp *qp, struct teeq_pending *p)
{
	struct teeq_chan *chan = qp->chan;
	int i;

	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		struct teeq_bounce *b = &p->bounce[i];

		if (!(p->bounces & (1u << i)) || !b->owned)
			continue;
		if (b->by_driver)
			free(b->map);
		else if (b->fd >= 0)
			teeq_memfd_buffer_free(chan, b->fd, b->map, b->size,
					       b->buf_id);
		else
			shm_pool_free(&chan->pool, b->heap_off);
	}
	p->bounces = 0;
}

/* What a call kept until its end: its bounces, a raised spin budget. */
static void teeq_params_release(struct teeq_qp *qp, struct teeq_pending *p)
{
	if (p->bounces & TEEQ_BOUNCES_SPIN) /* see teeq_payload_spin() */
		qp->wait.spin_ns = qp->chan->spin_ns;
	teeq_params_free(qp, p);
}

void teeq_params_drop(struct teeq_qp *qp, struct teeq_pending *p)
{
	if (p->bounces)
		teeq_params_release(qp, p);
}

/*
 * A synchronous call that carries payload spins for it too. The caller's
 * spin budget (TEEQ_SPIN_US, 100 us) is what a sleep and its wake-up cost
 * here; a trusted app working through a megabyte takes longer than that
 * (AES-CTR of 1 MiB: about 100 us), so the caller slept in every such
 * call and paid the wake-up on top: 1 MiB zero-copy AES-CTR at 0.61-0.78x
 * of in-process, 0.97-0.98x when it spins through. Allowing a nanosecond
 * a byte of the memrefs' windows (a trusted app working at 1 GB/s or
 * faster), up to TEEQ_PAYLOAD_SPIN_MAX_NS, the pair's lessee spins its
 * own blocked thread no longer than the call's payload suggests. Below
 * TEEQ_PAYLOAD_SPIN_MIN bytes a call ends within the plain budget, which
 * it keeps. TEEQ_SPIN_US=0 (never spin) stays that. teeq_params_drop()
 * restores the budget when the call ends.
 *
 * Not for a session whose last call the secure world ran on a call thread
 * (TEEQ_CQE_F_DEFERRED: a loaded trusted app, in a process of its own):
 * there the work crosses teeq-sw's call thread and the app's process, and
 * a caller spinning through it holds a CPU they need (on two CPUs, 1 MiB
 * AES-CTR in a loaded app: 1.33 GB/s spinning vs 2.19 GB/s not).
 */
#define TEEQ_PAYLOAD_SPIN_MIN ((uint64_t)64 << 10)
#define TEEQ_PAYLOAD_SPIN_MAX_NS 2000000ull

static void teeq_payload_spin(struct teeq_qp *qp, struct teeq_pending *p,
			      const TEEC_Operation *op, uint64_t bytes)
{
	uint64_t spin = qp->chan->spin_ns;

	if (bytes < TEEQ_PAYLOAD_SPIN_MIN || p != &qp->solo || !spin)
		return; /* a tagged call shares the pair's waits */
	if (op->session &&
	    (__atomic_load_n(&op->session->imp.hints, __ATOMIC_RELAXED) &
	     TEEQ_CQE_F_DEFERRED))
		return;
	TEEQ_QP_STAT(qp, payload_spins, 1);
	qp->wait.spin_ns = spin + (bytes < TEEQ_PAYLOAD_SPIN_MAX_NS ?
					   bytes :
					   TEEQ_PAYLOAD_SPIN_MAX_NS);
	p->bounces |= TEEQ_BOUNCES_SPIN;
}

/*
 * Kernel mode: a window the secure side cannot reach in place goes by
 * address (TEEQ_KBUF_USER), and the driver copies it in (@in) before the
 * call and out (@out) after it. A synchronous call names the caller's own
 * bytes. An async one names a copy of its own, taken now and copied back
 * when it is reaped, so that its bytes move when host mode's would: the
 * caller's buffer is not written before the reap. Counted as a bounce
 * all the same.
 */
static TEEC_Result teeq_lower_by_driver(struct teeq_qp *qp, int in, int out,
					int async, void *user, uint64_t size,
					union teeq_param *wire,
					struct teeq_bounce *b)
{
	void *copy = NULL;

	if (async && size) {
		copy = malloc(size);
		if (!copy)
			return TEEC_ERROR_OUT_OF_MEMORY;
		if (in)
			memcpy(copy, user, size);
	}
	wire->memref.buf_id = TEEQ_KBUF_USER;
	wire->memref.offset = (uintptr_t)(copy ? copy : user);
	*b = (struct teeq_bounce){ .size = size,
				   .user = user,
				   .copy_back = out,
				   .owned = copy != NULL,
				   .fd = -1,
				   .map = copy,
				   .by_driver = 1 };
	if (!size)
		return TEEC_SUCCESS;
	if (in)
		TEEQ_QP_STAT(qp, bounce_bytes, size);
	TEEQ_QP_STAT(qp, bounced_memrefs, 1);
	return TEEC_SUCCESS;
}

/* TEEC_MEMREF_TEMP_*: bounce through memory of the call's own. */
static TEEC_Result teeq_lower_tmpref(struct teeq_qp *qp, uint32_t type,
				     const struct teeq_pending *p,
				     const TEEC_TempMemoryReference *ref,
				     union teeq_param *wire,
				     struct teeq_bounce *b)
{
	struct teeq_chan *chan = qp->chan;
	uint64_t off = 0;
	uint32_t buf_id = TEEQ_BUF_ID_HEAP;
	int fd = -1, ret;
	void *map = NULL;

	if (ref->size > TEEC_CONFIG_SHAREDMEM_MAX_SIZE)
		return TEEC_ERROR_EXCESS_DATA;
	wire->memref.size = (uint32_t)ref->size;
	if (!ref->buffer) {
		/* a NULL memref: lets a TA report the size it needs */
		wire->memref.buf_id = TEEQ_BUF_ID_NULL;
		return TEEC_SUCCESS;
	}
	if (teeq_chan_kernel(chan))
		return teeq_lower_by_driver(qp, type != TEEC_MEMREF_TEMP_OUTPUT,
					    type != TEEC_MEMREF_TEMP_INPUT,
					    p->kind == TEEQ_PENDING_ASYNC,
					    ref->buffer, ref->size, wire, b);
	wire->memref.buf_id = TEEQ_BUF_ID_HEAP;
	if (!ref->size)
		return TEEC_SUCCESS; /* an empty window at offset 0 */
	if (teeq_bounce_alloc(qp, ref->size, &off)) {
		/* the heap cannot hold it now: a memfd for this call */
		ret = teeq_memfd_buffer(chan, ref->size,
					type == TEEC_MEMREF_TEMP_INPUT ?
						TEEQ_HOST_REG_READ :
						TEEQ_HOST_REG_READ |
							TEEQ_HOST_REG_WRITE,
					&fd, &map, &buf_id);
		if (ret) /* nor a memfd */
			return TEEC_ERROR_OUT_OF_MEMORY;
		teeq_debug_event(TEEQ_DEBUG_MEMFD_BOUNCE);
		off = 0;
	}
	*b = (struct teeq_bounce){ .heap_off = off,
				   .size = ref->size,
				   .user = ref->buffer,
				   .copy_back = type != TEEC_MEMREF_TEMP_INPUT,
				   .owned = 1,
				   .fd = fd,
				   .map = map,
				   .buf_id = buf_id };
	if (type != TEEC_MEMREF_TEMP_OUTPUT)
		teeq_bounce_in(qp, teeq_bounce_mem(qp, b), ref->buffer,
			       ref->size);
	TEEQ_QP_STAT(qp, bounced_memrefs, 1);
	wire->memref.buf_id = buf_id;
	wire->memref.offset = off;
	return TEEC_SUCCESS;
}

/* TEEC_MEMREF_WHOLE / PARTIAL_*: a window of registered shared memory.
 * Returns the wire type, or 0 with *@res set. */
static unsigned int teeq_lower_memref(struct teeq_qp *qp, uint32_t type,
				      const struct teeq_pending *p,
				      const TEEC_RegisteredMemoryReference *ref,
				      union teeq_param *wire,
				      struct teeq_bounce *b, int *bounced,
				      TEEC_Result *res)
{
	struct teeq_chan *chan = qp->chan;
	const TEEC_SharedMemory *parent = ref->parent;
	uint64_t off = ref->offset, size = ref->size;
	uint32_t need, flags;
	struct teeq_shm *shm;
	struct shm_buf buf;

	*res = TEEC_ERROR_BAD_PARAMETERS;
	if (!parent || parent->imp.ctx_id != chan->id ||
	    shm_ids_lookup(&chan->shms, parent->imp.id, &buf) ||
	    (struct teeq_shm *)(uintptr_t)buf.cookie != parent->imp.shm)
		return 0; /* released, or not ours */
	shm = parent->imp.shm;
	flags = shm->flags;
	if (type == TEEC_MEMREF_WHOLE) {
		off = 0;
		size = shm->size;
		need = flags;
	} else {
		need = type == TEEC_MEMREF_PARTIAL_INPUT ?
			       TEEC_MEM_INPUT :
		       type == TEEC_MEMREF_PARTIAL_OUTPUT ?
			       TEEC_MEM_OUTPUT :
			       TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
		if ((flags & need) != need ||
		    !shm_window_ok(shm->size, off, size))
			return 0;
	}
	if (size > TEEC_CONFIG_SHAREDMEM_MAX_SIZE) {
		*res = TEEC_ERROR_EXCESS_DATA;
		return 0;
	}
	wire->memref.size = (uint32_t)size;
	wire->memref.buf_id = shm->wire_id;
	wire->memref.offset = shm->wire_off + off;
	if (shm->kind != TEEQ_SHM_SHADOW) {
		TEEQ_QP_STAT(qp, zero_copy_memrefs, 1);
	} else if (!shm->shadow) {
		/* kernel mode: memory the driver could not pin */
		*res = teeq_lower_by_driver(qp, need & TEEC_MEM_INPUT,
					    need & TEEC_MEM_OUTPUT,
					    p->kind == TEEQ_PENDING_ASYNC,
					    (char *)parent->buffer + off, size,
					    wire, b);
		if (*res != TEEC_SUCCESS)
			return 0;
		*bounced = b->size != 0;
	} else {
		/* plain memory: through its shadow, both ways as the type
		 * says */
		*b = (struct teeq_bounce){
			.heap_off = shm->wire_off + off,
			.size = size,
			.user = (char *)parent->buffer + off,
			.copy_back = (need & TEEC_MEM_OUTPUT) != 0,
			.fd = shm->fd, /* a shadow too big for the heap */
			.map = (char *)shm->shadow + off,
		};
		if (need & TEEC_MEM_INPUT)
			teeq_bounce_in(qp, teeq_bounce_mem(qp, b), b->user,
				       size);
		TEEQ_QP_STAT(qp, bounced_memrefs, 1);
		*bounced = 1;
	}
	return need == TEEC_MEM_INPUT  ? TEEQ_PARAM_MEMREF_INPUT :
	       need == TEEC_MEM_OUTPUT ? TEEQ_PARAM_MEMREF_OUTPUT :
					 TEEQ_PARAM_MEMREF_INOUT;
}

TEEC_Result teeq_params_lower(struct teeq_qp *qp, TEEC_Operation *op,
			      struct teeq_sqe *sqe, struct teeq_pending *p)
{
	uint32_t types = op->paramTypes & 0xffffu, wtypes = 0, type;
	TEEC_Result res = TEEC_SUCCESS;
	union teeq_param memref;
	unsigned int wtype;
	uint64_t bytes = 0;
	int i, bounced;

	if (teeq_sqe_size((uint16_t)types) > TEEQ_CACHELINE)
		memset((char *)sqe + TEEQ_CACHELINE, 0,
		       sizeof(*sqe) - TEEQ_CACHELINE);
	if (teeq_params_values_only(types)) {
		teeq_params_lower_values(op, types, sqe, p);
		return TEEC_SUCCESS;
	}
	for (i = 0; types; i++, types >>= 4) {
		union teeq_param *wire = &sqe->params[i];
		TEEC_Parameter *param = &op->params[i];

		type = types & 0xfu;
		switch (type) {
		case TEEC_NONE:
			continue;
		case TEEC_VALUE_INPUT:
		case TEEC_VALUE_INOUT:
			wire->value.a = param->value.a;
			wire->value.b = param->value.b;
			/* fall through */
		case TEEC_VALUE_OUTPUT:
			wtypes |= type << (4 * i);
			continue;
		case TEEC_MEMREF_TEMP_INPUT:
		case TEEC_MEMREF_TEMP_OUTPUT:
		case TEEC_MEMREF_TEMP_INOUT:
			p->bounce[i].size = 0;
			memset(&memref, 0, sizeof(memref));
			res = teeq_lower_tmpref(qp, type, p, &param->tmpref,
						&memref, &p->bounce[i]);
			if (res != TEEC_SUCCESS)
				goto fail;
			if (p->bounce[i].size)
				p->bounces |= (uint8_t)(1u << i);
			wtypes |= type << (4 * i);
			break;
		case TEEC_MEMREF_WHOLE:
		case TEEC_MEMREF_PARTIAL_INPUT:
		case TEEC_MEMREF_PARTIAL_OUTPUT:
		case TEEC_MEMREF_PARTIAL_INOUT:
			bounced = 0;
			memset(&memref, 0, sizeof(memref));
			wtype = teeq_lower_memref(qp, type, p, &param->memref,
						  &memref, &p->bounce[i],
						  &bounced, &res);
			if (!wtype)
				goto fail;
			if (bounced)
				p->bounces |= (uint8_t)(1u << i);
			wtypes |= wtype << (4 * i);
			break;
		default:
			res = TEEC_ERROR_BAD_PARAMETERS;
			goto fail;
		}
		/* lowered in our copy: the entry may be in the ring, where
		 * the peer could change what we read back */
		*wire = memref;
		p->window[i] = memref.memref.size;
		bytes += memref.memref.size;
	}
	p->param_types = (uint16_t)wtypes;
	sqe->param_types = (uint16_t)wtypes;
	teeq_payload_spin(qp, p, op, bytes);
	return TEEC_SUCCESS;
fail:
	teeq_params_drop(qp, p);
	return res;
}

static void teeq_raise_size(TEEC_Operation *op, int i, uint32_t size)
{
	uint32_t type = TEEC_PARAM_TYPE_GET(op->paramTypes, i);

	if (type >= TEEC_MEMREF_TEMP_INPUT && type <= TEEC_MEMREF_TEMP_INOUT)
		op->params[i].tmpref.size = size;
	else
		op->params[i].memref.size = size;
}

/* Is every output size within its window (or only a needed size)? */
static int teeq_raise_sizes_ok(const struct teeq_pending *p, TEEC_Result res)
{
	uint32_t types = p->param_types, t;
	int i;

	if (!(types & TEEQ_TYPES_MEMREF) || res == TEEC_ERROR_SHORT_BUFFER)
		return 1;
	for (i = 0; types; i++, types >>= 4) {
		t = types & 0xfu;
		if (teeq_param_is_memref(t) && teeq_param_is_output(t) &&
		    p->cqe.params[i].memref.size > p->window[i])
			return 0;
	}
	return 1;
}

TEEC_Result teeq_params_raise(struct teeq_qp *qp, TEEC_Operation *op,
			      struct teeq_pending *p, uint32_t *origin)
{
	TEEC_Result res = p->cqe.result;
	uint32_t types = p->param_types, t, n;
	int i;

	*origin = p->cqe.origin;
	if (!types) /* nothing to check, raise or free */
		return res;
	/* outputs come only from a trusted app that ran */
	if (p->cqe.origin != TEEQ_ORIGIN_TRUSTED_APP || !op)
		goto out;
	if (teeq_params_values_only(types)) { /* no sizes, no bounces */
		teeq_params_raise_values(op, p);
		return res;
	}
	if (!teeq_raise_sizes_ok(p, res)) {
		res = TEEC_ERROR_COMMUNICATION;
		*origin = TEEC_ORIGIN_COMMS;
		goto out;
	}
	for (i = 0, types &= 0xffffu; types; i++, types >>= 4) {
		const union teeq_param_out *out = &p->cqe.params[i];
		struct teeq_bounce *b = &p->bounce[i];

		t = types & 0xfu;
		if (!(t & TEEQ_TYPES_OUTPUT))
			continue;
		if (!(t & TEEQ_TYPES_MEMREF)) {
			op->params[i].value.a = out->value.a;
			op->params[i].value.b = out->value.b;
			continue;
		}
		teeq_raise_size(op, i, out->memref.size);
		if (res != TEEC_SUCCESS || !(p->bounces & (1u << i)) ||
		    !b->copy_back)
			continue;
		n = out->memref.size < b->size ? out->memref.size :
						 (uint32_t)b->size;
		if (b->by_driver && !b->map) { /* copied back already */
			TEEQ_QP_STAT(qp, bounce_bytes, n);
		} else if (teeq_bounce_defers(qp, p, b, n)) {
			memcpy(b->user, teeq_bounce_mem(qp, b), n);
			TEEQ_QP_STAT(qp, bounce_bytes, n);
			qp->defer_off = b->heap_off;
			qp->defer_size = b->size;
			qp->defer_len = n;
			b->owned = 0; /* the pair's now */
		} else {
			teeq_bounce_out(qp, b->user, teeq_bounce_mem(qp, b), n);
		}
	}
out:
	if (p->bounces) /* teeq_params_drop(), inline on the call path */
		teeq_params_release(qp, p);
	return res;
}
