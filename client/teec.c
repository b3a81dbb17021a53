// SPDX-License-Identifier: MIT
/*
 * The GlobalPlatform TEE Client API v1.0 over teeq channels: argument
 * checks, contexts, shared memory and sessions. Calls go through the
 * lifecycle in queue.c (teeq_call(), teeq_cancel()).
 *
 * Sessions, shared memory and operations name their context by id
 * (teeq_chan_lookup()): after TEEC_FinalizeContext() what still names it
 * fails cleanly (TEEC_ERROR_BAD_STATE) or is released harmlessly.
 */
#include "client/internal.h"

#include "shm/memfd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The name of teeq's one secure world, as "optee-tz" is OP-TEE's. */
#define TEEQ_CONTEXT_NAME "teeq"

static TEEC_Result teeq_origin(uint32_t *out, uint32_t origin, TEEC_Result res)
{
	if (out)
		*out = origin;
	return res;
}

/* ---- contexts -------------------------------------------------------------------- */

/*
 * Names: NULL or "teeq" is the default secure world (the driver's
 * /dev/teeq0 when there is one, else the socket of $TEEQ_SOCKET, or the
 * per-user default; TEEQ_MODE=host|kernel chooses); an absolute path names
 * a driver's node or the socket of a teeq-sw. Anything else names no TEE
 * teeq knows.
 */
TEEQ_API TEEC_Result TEEC_InitializeContext(const char *name,
					    TEEC_Context *context)
{
	int ret;

	if (!context)
		return TEEC_ERROR_BAD_PARAMETERS;
	context->imp = NULL;
	if (name && !strcmp(name, TEEQ_CONTEXT_NAME))
		name = NULL;
	else if (name && name[0] != '/')
		return TEEC_ERROR_ITEM_NOT_FOUND;
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
	case -EBUSY:
		return TEEC_ERROR_BUSY; /* teeq-sw is full */
	case -EACCES:
		return TEEC_ERROR_ACCESS_DENIED; /* not a teeq-sw we trust */
	case -EINVAL:
		return TEEC_ERROR_BAD_PARAMETERS; /* TEEQ_MODE is not a mode */
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

int teeq_memfd_buffer(struct teeq_chan *chan, uint64_t size, uint32_t flags,
		      int *fd, void **map, uint32_t *buf_id)
{
	uint64_t got;
	int ret;

	*fd = shm_memfd_create("teeq-buffer", size);
	if (*fd < 0)
		return *fd == -EINVAL ? -ENOMEM : *fd;
	ret = shm_map(*fd, size, map);
	if (ret)
		goto err_close;
	ret = teeq_chan_reg_fd(chan, *fd, flags, buf_id, &got);
	if (!ret && got == size)
		return 0;
	if (!ret)
		teeq_chan_unreg(chan, *buf_id);
	ret = ret == -ENOMEM || ret == -ENOSPC ? -ENOMEM : -EPROTO;
	shm_unmap(*map, size);
err_close:
	close(*fd);
	*fd = -1;
	return ret;
}

void teeq_memfd_buffer_free(struct teeq_chan *chan, int fd, void *map,
			    uint64_t size, uint32_t buf_id)
{
	if (!teeq_chan_dead(chan))
		teeq_chan_unreg(chan, buf_id);
	shm_unmap(map, size);
	close(fd);
}

static TEEC_Result teeq_shm_publish(struct teeq_chan *chan,
				    TEEC_SharedMemory *sm, struct teeq_shm *shm)
{
	int64_t id = shm_ids_add(&chan->shms,
				 &(struct shm_buf){ .size = shm->size,
						    .cookie = (uintptr_t)shm });

	if (id < 0)
		return TEEC_ERROR_OUT_OF_MEMORY;
	sm->imp.ctx_id = chan->id;
	sm->imp.shm = shm;
	sm->imp.id = (uint32_t)id;
	return TEEC_SUCCESS;
}

/* Frees what @shm holds (not @shm itself), by its kind: the heap block,
 * the mapping and registration of a memfd, or nothing for the caller's
 * own memory. */
static void teeq_shm_free(struct teeq_chan *chan, struct teeq_shm *shm)
{
	if (teeq_chan_kernel(chan)) {
		teeq_kdev_shm_free(chan, shm);
		return;
	}
	if (shm->fd >= 0) { /* a memfd of ours: ALLOC_FD, or a big shadow */
		teeq_memfd_buffer_free(chan, shm->fd, shm->map,
				       shm->size ? shm->size : 1, shm->wire_id);
		return;
	}
	switch (shm->kind) {
	case TEEQ_SHM_ALLOC:
	case TEEQ_SHM_SHADOW:
		shm_pool_free(&chan->pool, shm->wire_off);
		break;
	case TEEQ_SHM_FD:
		if (!teeq_chan_dead(chan))
			teeq_chan_unreg(chan, shm->wire_id);
		shm_unmap(shm->map, shm->size);
		break;
	case TEEQ_SHM_IN_HEAP:
	case TEEQ_SHM_ALLOC_FD:
	case TEEQ_SHM_DRIVER:
		break;
	}
}

void teeq_shm_destroy(struct teeq_chan *chan, struct teeq_shm *shm)
{
	teeq_shm_free(chan, shm);
	free(shm);
}

static int teeq_shm_flags_ok(uint32_t flags)
{
	return flags && !(flags & ~(TEEC_MEM_INPUT | TEEC_MEM_OUTPUT));
}

/* A heap block for @size bytes (at least 64, page aligned from a page). */
static int teeq_shm_heap(struct teeq_chan *chan, uint64_t size, uint64_t *off)
{
	return shm_pool_alloc(&chan->pool, size ? size : 1,
			      size >= SHM_POOL_PAGE ? SHM_POOL_PAGE : 0, off);
}

static TEEC_Result teeq_shm_usable(TEEC_Context *context,
				   const TEEC_SharedMemory *sm)
{
	if (!context || !context->imp || !sm || !teeq_shm_flags_ok(sm->flags))
		return TEEC_ERROR_BAD_PARAMETERS;
	if (teeq_chan_dead(context->imp))
		return teeq_chan_finalized(context->imp) ?
			       TEEC_ERROR_BAD_STATE :
			       TEEC_ERROR_TARGET_DEAD;
	if (sm->size > TEEC_CONFIG_SHAREDMEM_MAX_SIZE)
		return TEEC_ERROR_OUT_OF_MEMORY;
	return TEEC_SUCCESS;
}

/*
 * Allocated memory lives in the heap; what the heap cannot hold gets a
 * memfd of its own, registered with the secure world: zero-copy either
 * way. In kernel mode it is a buffer of the driver's pool, mapped.
 */
TEEQ_API TEEC_Result TEEC_AllocateSharedMemory(TEEC_Context *context,
					       TEEC_SharedMemory *sm)
{
	struct teeq_chan *chan;
	struct teeq_shm *shm;
	uint64_t off;
	TEEC_Result res = teeq_shm_usable(context, sm);
	int ret;

	if (res != TEEC_SUCCESS)
		return res;
	chan = context->imp;
	shm = calloc(1, sizeof(*shm));
	if (!shm)
		return TEEC_ERROR_OUT_OF_MEMORY;
	*shm = (struct teeq_shm){ .kind = TEEQ_SHM_ALLOC,
				  .flags = sm->flags,
				  .size = sm->size,
				  .wire_id = TEEQ_BUF_ID_HEAP,
				  .fd = -1 };
	if (teeq_chan_kernel(chan)) {
		ret = teeq_kdev_shm_alloc(chan, shm);
		if (ret) {
			free(shm);
			return ret == -ENOMEM ? TEEC_ERROR_OUT_OF_MEMORY :
						TEEC_ERROR_COMMUNICATION;
		}
		off = 0;
	} else if (teeq_shm_heap(chan, sm->size, &off)) {
		ret = teeq_memfd_buffer(chan, sm->size,
					TEEQ_HOST_REG_READ |
						TEEQ_HOST_REG_WRITE,
					&shm->fd, &shm->map, &shm->wire_id);
		if (ret) {
			free(shm);
			return ret == -ENOMEM ? TEEC_ERROR_OUT_OF_MEMORY :
						TEEC_ERROR_COMMUNICATION;
		}
		teeq_debug_event(TEEQ_DEBUG_MEMFD_ALLOC);
		shm->kind = TEEQ_SHM_ALLOC_FD;
		off = 0;
	}
	shm->wire_off = off;
	res = teeq_shm_publish(chan, sm, shm);
	if (res != TEEC_SUCCESS) {
		teeq_shm_destroy(chan, shm);
		return res;
	}
	sm->buffer = shm->map ? shm->map : chan->heap + off;
	return TEEC_SUCCESS;
}

/*
 * Plain process memory cannot be seen by the secure side: it gets a shadow
 * in the heap, and each call copies the window it uses (counted in the
 * stats). Memory already inside this context's heap is passed in place.
 * In kernel mode the driver pins the pages instead: zero-copy.
 */
TEEQ_API TEEC_Result TEEC_RegisterSharedMemory(TEEC_Context *context,
					       TEEC_SharedMemory *sm)
{
	struct teeq_chan *chan;
	struct teeq_shm *shm;
	uint64_t off = 0;
	TEEC_Result res = teeq_shm_usable(context, sm);
	uintptr_t buf, heap;

	if (res != TEEC_SUCCESS)
		return res;
	if (!sm->buffer && sm->size)
		return TEEC_ERROR_BAD_PARAMETERS;
	chan = context->imp;
	shm = calloc(1, sizeof(*shm));
	if (!shm)
		return TEEC_ERROR_OUT_OF_MEMORY;
	*shm = (struct teeq_shm){ .flags = sm->flags,
				  .size = sm->size,
				  .wire_id = TEEQ_BUF_ID_HEAP,
				  .fd = -1 };
	buf = (uintptr_t)sm->buffer;
	heap = (uintptr_t)chan->heap;
	if (teeq_chan_kernel(chan)) {
		if (teeq_kdev_shm_register(chan, shm, sm->buffer))
			res = TEEC_ERROR_OUT_OF_MEMORY;
	} else if (buf >= heap && shm_window_ok(chan->layout.heap_size,
						buf - heap, sm->size)) {
		shm->kind = TEEQ_SHM_IN_HEAP;
		shm->wire_off = buf - heap;
	} else if (!teeq_shm_heap(chan, sm->size, &off)) {
		shm->kind = TEEQ_SHM_SHADOW;
		shm->wire_off = off;
		shm->shadow = chan->heap + off;
	} else if (!teeq_memfd_buffer(chan, sm->size ? sm->size : 1,
				      TEEQ_HOST_REG_READ | TEEQ_HOST_REG_WRITE,
				      &shm->fd, &shm->map, &shm->wire_id)) {
		/* too big for the heap: a shadow of its own */
		teeq_debug_event(TEEQ_DEBUG_MEMFD_ALLOC);
		shm->kind = TEEQ_SHM_SHADOW;
		shm->shadow = shm->map;
	} else {
		res = TEEC_ERROR_OUT_OF_MEMORY;
	}
	if (res == TEEC_SUCCESS)
		res = teeq_shm_publish(chan, sm, shm);
	if (res != TEEC_SUCCESS)
		teeq_shm_destroy(chan, shm);
	return res;
}

/* Kernel mode: the driver imports a dma-buf, or pins a memfd's pages. */
static TEEC_Result teeq_shm_fd_kernel(struct teeq_chan *chan,
				      TEEC_SharedMemory *sm, int fd)
{
	struct teeq_shm *shm = calloc(1, sizeof(*shm));
	TEEC_Result res;
	int ret;

	if (!shm)
		return TEEC_ERROR_OUT_OF_MEMORY;
	*shm = (struct teeq_shm){ .flags = sm->flags, .fd = -1 };
	ret = teeq_kdev_shm_register_fd(chan, shm, fd);
	if (ret) {
		free(shm);
		return ret == -ENOMEM || ret == -EMFILE ?
			       TEEC_ERROR_OUT_OF_MEMORY :
			       TEEC_ERROR_BAD_PARAMETERS;
	}
	res = teeq_shm_publish(chan, sm, shm);
	if (res != TEEC_SUCCESS) {
		teeq_shm_destroy(chan, shm);
		return res;
	}
	sm->buffer = shm->map;
	sm->size = shm->size;
	return TEEC_SUCCESS;
}

/*
 * A sealed memfd: the secure side maps it, so nothing is copied. The size
 * is the memfd's; buffer is our own mapping of it. In kernel mode a
 * dma-buf's fd is taken too (its buffer is NULL if it cannot be mapped).
 */
TEEQ_API TEEC_Result TEEC_RegisterSharedMemoryFileDescriptor(
	TEEC_Context *context, TEEC_SharedMemory *sm, int fd)
{
	uint32_t reg = 0, buf_id;
	struct teeq_chan *chan;
	struct teeq_shm *shm;
	uint64_t size;
	TEEC_Result res = teeq_shm_usable(context, sm);
	void *map;
	int ret;

	if (res != TEEC_SUCCESS || fd < 0)
		return res != TEEC_SUCCESS ? res : TEEC_ERROR_BAD_PARAMETERS;
	chan = context->imp;
	if (teeq_chan_kernel(chan))
		return teeq_shm_fd_kernel(chan, sm, fd);
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
		/* -ENOSPC: the secure side's table of buffers is full */
		if (ret == -ENOSPC || ret == -ENOMEM || ret == -EMFILE)
			return TEEC_ERROR_OUT_OF_MEMORY;
		return ret == -EINVAL || ret == -EPERM ?
			       TEEC_ERROR_BAD_PARAMETERS :
			       TEEC_ERROR_COMMUNICATION;
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
				  .map = map,
				  .fd = -1 };
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

/* buffer and size are cleared, as GlobalPlatform says; a registration's
 * buffer is the caller's own, so only allocations and mappings of ours
 * are freed. */
TEEQ_API void TEEC_ReleaseSharedMemory(TEEC_SharedMemory *sm)
{
	struct teeq_chan *chan;
	struct shm_buf buf;

	if (!sm)
		return;
	chan = teeq_chan_lookup(sm->imp.ctx_id);
	/* a second release, a stale struct, or one whose context is gone
	 * (which freed what it held): only the struct is cleared */
	if (chan && !shm_ids_remove(&chan->shms, sm->imp.id, &buf) &&
	    (struct teeq_shm *)(uintptr_t)buf.cookie == sm->imp.shm)
		teeq_shm_destroy(chan, sm->imp.shm);
	else if (!sm->imp.ctx_id)
		return; /* never registered: not ours to clear */
	sm->buffer = NULL;
	sm->size = 0;
	sm->imp.ctx_id = 0;
	sm->imp.shm = NULL;
	sm->imp.id = 0;
}

/* ---- sessions and calls ------------------------------------------------------------- */

TEEQ_API TEEC_Result TEEC_OpenSession(TEEC_Context *context,
				      TEEC_Session *session,
				      const TEEC_UUID *destination,
				      uint32_t method, const void *data,
				      TEEC_Operation *op, uint32_t *origin)
{
	struct teeq_opened opened = { 0 };
	uint32_t login_data = 0, org;
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
	teeq_uuid_pack(&wire, destination->timeLow, destination->timeMid,
		       destination->timeHiAndVersion,
		       destination->clockSeqAndNode);
	if (op)
		op->session = NULL; /* none yet: see teeq_payload_spin() */
	res = teeq_call_open(context->imp, &wire, method, login_data, op, &org,
			     &opened);
	if (res == TEEC_SUCCESS) {
		session->ctx = context;
		session->session_id = opened.session;
		session->imp.ctx_id = context->imp->id;
		session->imp.hints = opened.hints;
	}
	return teeq_origin(origin, org, res);
}

TEEQ_API void TEEC_CloseSession(TEEC_Session *session)
{
	struct teeq_chan *chan;
	uint32_t origin;

	if (!session)
		return;
	/* a finalized context closed its sessions when it hung up */
	chan = teeq_chan_lookup(session->imp.ctx_id);
	session->imp.ctx_id = 0;
	if (chan && !teeq_chan_dead(chan))
		teeq_call(chan, TEEQ_OP_CLOSE_SESSION, session->session_id, 0,
			  NULL, &origin);
}

TEEQ_API TEEC_Result TEEC_InvokeCommand(TEEC_Session *session, uint32_t command,
					TEEC_Operation *op, uint32_t *origin)
{
	static TEEQ_TLS uint32_t unwanted; /* written, never read */
	struct teeq_chan *chan;

	if (teeq_unlikely(!session))
		return teeq_origin(origin, TEEC_ORIGIN_API,
				   TEEC_ERROR_BAD_PARAMETERS);
	chan = teeq_chan_lookup(session->imp.ctx_id);
	if (teeq_unlikely(!chan))
		/* never opened, closed, or its context finalized */
		return teeq_origin(origin, TEEC_ORIGIN_API,
				   session->imp.ctx_id ?
					   TEEC_ERROR_BAD_STATE :
					   TEEC_ERROR_BAD_PARAMETERS);
	if (op)
		op->session = session;
	return teeq_call(chan, TEEQ_OP_INVOKE, session->session_id, command, op,
			 origin ? origin : &unwanted);
}

/*
 * Best effort, as GlobalPlatform specifies: an operation not yet started
 * will not start (TEEC_ERROR_CANCEL); one in flight gets a cancellation
 * entry that reaches its trusted app; a finished one is unaffected.
 */
TEEQ_API void TEEC_RequestCancellation(TEEC_Operation *op)
{
	if (op)
		teeq_cancel(op);
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

		/* solo calls are counted by their sequence */
		st->calls += __atomic_load_n(&q->calls, __ATOMIC_RELAXED) +
			     __atomic_load_n(&chan->qp[i].solo_seq,
					     __ATOMIC_RELAXED);
		st->zero_copy_memrefs += __atomic_load_n(&q->zero_copy_memrefs,
							 __ATOMIC_RELAXED);
		st->bounced_memrefs +=
			__atomic_load_n(&q->bounced_memrefs, __ATOMIC_RELAXED);
		st->bounce_bytes +=
			__atomic_load_n(&q->bounce_bytes, __ATOMIC_RELAXED);
		st->doorbells +=
			__atomic_load_n(&q->doorbells, __ATOMIC_RELAXED);
		st->payload_spins +=
			__atomic_load_n(&q->payload_spins, __ATOMIC_RELAXED);
		st->waits_spun += __atomic_load_n(&chan->qp[i].wait.spin_hits,
						  __ATOMIC_RELAXED);
		st->waits_slept += __atomic_load_n(&chan->qp[i].wait.sleeps,
						   __ATOMIC_RELAXED);
	}
	st->heap_size = chan->stats.heap_size;
	st->queue_pairs = chan->stats.queue_pairs;
	st->queue_depth = chan->stats.queue_depth;
	if (teeq_chan_kernel(chan)) { /* the driver's pool */
		st->heap_in_use =
			__atomic_load_n(&chan->kpool_bytes, __ATOMIC_RELAXED);
		return;
	}
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
	/* in kernel mode only the driver talks to it */
	if (teeq_chan_kernel(context->imp))
		return TEEC_ERROR_NOT_SUPPORTED;
	return teeq_chan_sw_stats(context->imp, st) ? TEEC_ERROR_COMMUNICATION :
						      TEEC_SUCCESS;
}
