// SPDX-License-Identifier: MIT
/*
 * GlobalPlatform parameters to wire parameters and back.
 *
 * Memory that lives in the channel's heap (TEEC_AllocateSharedMemory) or
 * in a registered memfd (TEEC_RegisterSharedMemoryFileDescriptor) is
 * passed in place. Anything else cannot be seen by the secure side and is
 * copied through the heap: temporary memrefs into a buffer allocated for
 * the call, registered plain memory into the shadow it got at
 * registration. Every such copy is counted in the context's stats.
 *
 * Completions are checked against what was submitted: an output size
 * beyond its window is believed only as the needed size of a
 * TEEC_ERROR_SHORT_BUFFER, never as bytes to copy.
 */
#include "client/internal.h"

#include <errno.h>
#include <string.h>

static void teeq_bounce_in(struct teeq_qp *qp, void *dst, const void *src,
			   uint64_t n)
{
	memcpy(dst, src, n);
	TEEQ_QP_STAT(qp, bounce_bytes, n);
}

static void teeq_params_free(struct teeq_qp *qp, struct teeq_pending *p)
{
	struct teeq_chan *chan = qp->chan;
	int i;

	for (i = 0; p->bounces && i < TEEQ_NUM_PARAMS; i++) {
		if ((p->bounces & (1u << i)) && p->bounce[i].owned)
			shm_pool_free(&chan->pool, p->bounce[i].heap_off);
	}
	p->bounces = 0;
}

void teeq_params_drop(struct teeq_qp *qp, struct teeq_pending *p)
{
	teeq_params_free(qp, p);
}

/* TEEC_MEMREF_TEMP_*: bounce through a heap buffer of the call's own. */
static TEEC_Result teeq_lower_tmpref(struct teeq_qp *qp, uint32_t type,
				     const TEEC_TempMemoryReference *ref,
				     union teeq_param *wire,
				     struct teeq_bounce *b)
{
	struct teeq_chan *chan = qp->chan;
	uint64_t off;

	if (ref->size > TEEC_CONFIG_SHAREDMEM_MAX_SIZE)
		return TEEC_ERROR_EXCESS_DATA;
	wire->memref.size = (uint32_t)ref->size;
	if (!ref->buffer) {
		/* a NULL memref: lets a TA report the size it needs */
		wire->memref.buf_id = TEEQ_BUF_ID_NULL;
		return TEEC_SUCCESS;
	}
	wire->memref.buf_id = TEEQ_BUF_ID_HEAP;
	if (!ref->size)
		return TEEC_SUCCESS; /* an empty window at offset 0 */
	if (shm_pool_alloc(&chan->pool, ref->size, 0, &off))
		return TEEC_ERROR_OUT_OF_MEMORY;
	*b = (struct teeq_bounce){ .heap_off = off,
				   .size = ref->size,
				   .user = ref->buffer,
				   .copy_back = type != TEEC_MEMREF_TEMP_INPUT,
				   .owned = 1 };
	if (type != TEEC_MEMREF_TEMP_OUTPUT)
		teeq_bounce_in(qp, chan->heap + off, ref->buffer, ref->size);
	TEEQ_QP_STAT(qp, bounced_memrefs, 1);
	wire->memref.offset = off;
	return TEEC_SUCCESS;
}

/* TEEC_MEMREF_WHOLE / PARTIAL_*: a window of registered shared memory. */
static TEEC_Result teeq_lower_memref(struct teeq_qp *qp, uint32_t type,
				     const TEEC_RegisteredMemoryReference *ref,
				     union teeq_param *wire,
				     struct teeq_bounce *b, unsigned int *wtype)
{
	struct teeq_chan *chan = qp->chan;
	const TEEC_SharedMemory *parent = ref->parent;
	uint64_t off = ref->offset, size = ref->size;
	uint32_t need = 0, flags;
	struct teeq_shm *shm;
	struct shm_buf buf;

	if (!parent || parent->imp.chan != chan ||
	    shm_ids_lookup(&chan->shms, parent->imp.id, &buf) ||
	    (struct teeq_shm *)(uintptr_t)buf.cookie != parent->imp.shm)
		return TEEC_ERROR_BAD_PARAMETERS; /* released, or not ours */
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
			return TEEC_ERROR_BAD_PARAMETERS;
	}
	if (size > TEEC_CONFIG_SHAREDMEM_MAX_SIZE)
		return TEEC_ERROR_EXCESS_DATA;
	*wtype = need == TEEC_MEM_INPUT	 ? TEEQ_PARAM_MEMREF_INPUT :
		 need == TEEC_MEM_OUTPUT ? TEEQ_PARAM_MEMREF_OUTPUT :
					   TEEQ_PARAM_MEMREF_INOUT;
	wire->memref.size = (uint32_t)size;
	wire->memref.buf_id = shm->wire_id;
	wire->memref.offset = shm->wire_off + off;
	if (shm->kind != TEEQ_SHM_SHADOW) {
		TEEQ_QP_STAT(qp, zero_copy_memrefs, 1);
		return TEEC_SUCCESS;
	}
	/* plain memory: through its shadow, both ways as the type says */
	*b = (struct teeq_bounce){ .heap_off = shm->wire_off + off,
				   .size = size,
				   .user = (char *)parent->buffer + off,
				   .copy_back = (need & TEEC_MEM_OUTPUT) != 0 };
	if (need & TEEC_MEM_INPUT)
		teeq_bounce_in(qp, chan->heap + b->heap_off, b->user, size);
	TEEQ_QP_STAT(qp, bounced_memrefs, 1);
	return TEEC_SUCCESS;
}

TEEC_Result teeq_params_lower(struct teeq_qp *qp, TEEC_Operation *op,
			      struct teeq_sqe *sqe, struct teeq_pending *p)
{
	unsigned int wtypes[TEEQ_NUM_PARAMS] = { 0 };
	TEEC_Result res = TEEC_SUCCESS;
	int i;

	p->param_types = 0;
	if (!op)
		return TEEC_SUCCESS;
	if (op->paramTypes & TEEQ_SQE_LINE2_PARAMS)
		memset((char *)sqe + TEEQ_CACHELINE, 0,
		       sizeof(*sqe) - TEEQ_CACHELINE);
	for (i = 0; i < TEEQ_NUM_PARAMS && res == TEEC_SUCCESS; i++) {
		uint32_t type = TEEC_PARAM_TYPE_GET(op->paramTypes, i);
		union teeq_param *wire = &sqe->params[i];

		switch (type) {
		case TEEC_NONE:
			break;
		case TEEC_VALUE_INPUT:
		case TEEC_VALUE_INOUT:
			wire->value.a = op->params[i].value.a;
			wire->value.b = op->params[i].value.b;
			/* fall through */
		case TEEC_VALUE_OUTPUT:
			wtypes[i] = type;
			break;
		case TEEC_MEMREF_TEMP_INPUT:
		case TEEC_MEMREF_TEMP_OUTPUT:
		case TEEC_MEMREF_TEMP_INOUT:
			wtypes[i] = type;
			p->bounce[i].size = 0;
			res = teeq_lower_tmpref(qp, type, &op->params[i].tmpref,
						wire, &p->bounce[i]);
			if (p->bounce[i].size)
				p->bounces |= 1u << i;
			break;
		case TEEC_MEMREF_WHOLE:
		case TEEC_MEMREF_PARTIAL_INPUT:
		case TEEC_MEMREF_PARTIAL_OUTPUT:
		case TEEC_MEMREF_PARTIAL_INOUT:
			p->bounce[i].size = 0;
			res = teeq_lower_memref(qp, type, &op->params[i].memref,
						wire, &p->bounce[i],
						&wtypes[i]);
			if (p->bounce[i].size)
				p->bounces |= 1u << i;
			break;
		default:
			res = TEEC_ERROR_BAD_PARAMETERS;
		}
		p->window[i] =
			teeq_param_is_memref(wtypes[i]) ? wire->memref.size : 0;
	}
	if (res != TEEC_SUCCESS) {
		teeq_params_free(qp, p);
		return res;
	}
	p->param_types =
		TEEQ_PARAM_TYPES(wtypes[0], wtypes[1], wtypes[2], wtypes[3]);
	sqe->param_types = p->param_types;
	return TEEC_SUCCESS;
}

static void teeq_raise_size(TEEC_Operation *op, int i, uint32_t size)
{
	uint32_t type = TEEC_PARAM_TYPE_GET(op->paramTypes, i);

	if (type >= TEEC_MEMREF_TEMP_INPUT && type <= TEEC_MEMREF_TEMP_INOUT)
		op->params[i].tmpref.size = size;
	else
		op->params[i].memref.size = size;
}

TEEC_Result teeq_params_raise(struct teeq_qp *qp, TEEC_Operation *op,
			      struct teeq_pending *p, uint32_t *origin)
{
	struct teeq_chan *chan = qp->chan;
	TEEC_Result res = p->cqe.result;
	int i, reached = p->cqe.origin == TEEQ_ORIGIN_TRUSTED_APP;

	*origin = p->cqe.origin;
	if (!p->param_types) /* nothing to check, raise or free */
		return res;
	/* a size past its window is only believable as a needed size */
	for (i = 0; reached && i < TEEQ_NUM_PARAMS; i++) {
		unsigned int t = TEEQ_PARAM_TYPE_GET(p->param_types, i);

		if (teeq_param_is_memref(t) && teeq_param_is_output(t) &&
		    p->cqe.params[i].memref.size > p->window[i] &&
		    res != TEEC_ERROR_SHORT_BUFFER) {
			res = TEEC_ERROR_COMMUNICATION;
			*origin = TEEC_ORIGIN_COMMS;
			reached = 0;
		}
	}
	for (i = 0; op && reached && i < TEEQ_NUM_PARAMS; i++) {
		unsigned int t = TEEQ_PARAM_TYPE_GET(p->param_types, i);
		const union teeq_param_out *out = &p->cqe.params[i];
		struct teeq_bounce *b = &p->bounce[i];
		uint32_t n;

		if (!teeq_param_is_output(t))
			continue;
		if (teeq_param_is_value(t)) {
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
		memcpy(b->user, chan->heap + b->heap_off, n);
		TEEQ_QP_STAT(qp, bounce_bytes, n);
	}
	teeq_params_free(qp, p);
	return res;
}
