// SPDX-License-Identifier: MIT
/*
 * The dispatcher: one submission entry in, one completion entry out.
 *
 * The entry is the caller's private copy, so every field is read once.
 * Everything is checked before a trusted app sees it: opcode, flags,
 * reserved fields, parameter types, and each memory reference against the
 * buffer it names (overflow-safe). Errors found here carry origin
 * TEEQ_ORIGIN_TEE; a trusted app's own results carry TEEQ_ORIGIN_TRUSTED_APP.
 */
#include "secure/core/session.h"

#include "uapi/teeq_host.h"

#include <stdlib.h>
#include <string.h>

struct sw_params {
	struct ta_param p[TEEQ_NUM_PARAMS];
	unsigned int held_mask; /* bit i: held[i] is referenced */
	uint32_t held_id[TEEQ_NUM_PARAMS]; /* ext buffers referenced */
	struct sw_ext_buf *held[TEEQ_NUM_PARAMS];
};

static void sw_result(struct teeq_cqe *cqe, uint32_t result, uint32_t origin)
{
	cqe->result = result;
	cqe->origin = origin;
}

/* Rare paths only (whole parameter arrays of entries that take none). */
static int sw_all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t acc = 0, w;

	for (; n >= sizeof(w); n -= sizeof(w), b += sizeof(w)) {
		memcpy(&w, b, sizeof(w));
		acc |= w;
	}
	while (n--)
		acc |= *b++;
	return !acc;
}

/* The bits of 16 bytes ORed together: two loads, no loop, for the fields
 * every entry has (uuid, reserved, one parameter). */
static inline uint64_t sw_or16(const void *p)
{
	uint64_t lo, hi;

	memcpy(&lo, p, sizeof(lo));
	memcpy(&hi, (const unsigned char *)p + sizeof(lo), sizeof(hi));
	return lo | hi;
}

static void sw_params_release_held(struct sw_client *c, struct sw_params *sp)
{
	int i;

	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		if (!(sp->held_mask & (1u << i)))
			continue;
		if (shm_ids_put(&c->ext_bufs, sp->held_id[i]) == 1)
			sw_plat->release_ext(c, sp->held[i]);
	}
	sp->held_mask = 0;
}

/* Parameter types with a nibble outside NONE and the three VALUE types
 * (0..3): a memref, or an invalid type. */
#define SW_TYPES_NOT_VALUE 0xccccu

/* Drops the references decoding of @types took (registered buffers only:
 * without a memref, nothing was held and held_mask was not even set). */
static inline void sw_params_release(struct sw_client *c, struct sw_params *sp,
				     unsigned int types)
{
	if ((types & SW_TYPES_NOT_VALUE) && sp->held_mask)
		sw_params_release_held(c, sp);
}

/* Resolves one memref window to memory; 0 or a TEEQ_ERROR_*. */
static inline uint32_t sw_memref(struct sw_client *c, unsigned int type,
				 const union teeq_param *wire,
				 struct sw_params *sp, int i)
{
	uint32_t buf_id = wire->memref.buf_id;
	uint64_t off = wire->memref.offset, size = wire->memref.size;
	uint32_t need = TEEQ_HOST_REG_READ;
	struct sw_ext_buf *ext;
	struct shm_buf buf;

	sp->p[i].memref.size = (size_t)size;
	if (buf_id == TEEQ_BUF_ID_NULL) {
		if (off)
			return TEEQ_ERROR_BAD_PARAMETERS;
		sp->p[i].memref.buffer = NULL;
		return 0;
	}
	if (buf_id == TEEQ_BUF_ID_HEAP) {
		if (!shm_window_ok(c->layout.heap_size, off, size))
			return TEEQ_ERROR_BAD_PARAMETERS;
		sp->p[i].memref.buffer = c->heap + off;
		return 0;
	}
	if (shm_ids_get(&c->ext_bufs, buf_id, &buf))
		return TEEQ_ERROR_BAD_PARAMETERS; /* stale or foreign id */
	ext = (struct sw_ext_buf *)(uintptr_t)buf.cookie;
	sp->held[i] = ext;
	sp->held_id[i] = buf_id;
	sp->held_mask |= 1u << i;
	if (type != TEEQ_PARAM_MEMREF_INPUT)
		need = type == TEEQ_PARAM_MEMREF_OUTPUT ?
			       TEEQ_HOST_REG_WRITE :
			       TEEQ_HOST_REG_READ | TEEQ_HOST_REG_WRITE;
	if ((ext->flags & need) != need)
		return TEEQ_ERROR_ACCESS_DENIED;
	if (!shm_window_ok(ext->size, off, size))
		return TEEQ_ERROR_BAD_PARAMETERS;
	sp->p[i].memref.buffer = (unsigned char *)ext->base + off;
	return 0;
}

/* All NONE and zero. Not a memset, nor a loop gcc would turn into one:
 * it makes that a rep stos, a microcoded string instruction, where these
 * are six vector stores. */
static inline void sw_params_clear(struct ta_param p[TEEQ_NUM_PARAMS])
{
	typedef uint64_t sw_v2
		__attribute__((vector_size(16), aligned(8), may_alias));
	sw_v2 *v = (sw_v2 *)p;
	const sw_v2 zero = { 0, 0 };

	_Static_assert(TEEQ_NUM_PARAMS * sizeof(*p) == 6 * sizeof(zero),
		       "six stores clear the parameters");
	v[0] = zero;
	v[1] = zero;
	v[2] = zero;
	v[3] = zero;
	v[4] = zero;
	v[5] = zero;
}

/*
 * The parameters of an entry whose types are all NONE or VALUE, the calls
 * that carry numbers only: no table to look up, nothing held, so each
 * parameter is a few moves and the checks are ORed into one test. A NONE
 * parameter's bytes and every pad must be zero. Parameters 1..3 are read
 * from our copy, which has zeros there when line 2 is not part of the
 * entry (sw_sqe_copy()).
 */
static inline uint32_t sw_params_decode_values(const struct teeq_sqe *sqe,
					       unsigned int types,
					       struct sw_params *sp)
{
	uint64_t stray = 0, ab;
	unsigned int type;
	int i;

#pragma GCC unroll 4
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		const union teeq_param *wire = &sqe->params[i];

		type = TEEQ_PARAM_TYPE_GET(types, i);
		/* a and b, in one 8-byte move */
		memcpy(&ab, &wire->value, sizeof(ab));
		stray |= wire->value.pad;
		if (teeq_likely(type)) {
			sp->p[i].type = type;
			memcpy(&sp->p[i].value, &ab, sizeof(ab));
		} else {
			stray |= ab; /* a NONE one stays as cleared */
		}
	}
	return stray ? TEEQ_ERROR_BAD_PARAMETERS : 0;
}

/* Any parameter types: memrefs resolved against their buffers. */
static inline __attribute__((always_inline)) uint32_t
sw_params_decode_any(struct sw_client *c, const struct teeq_sqe *sqe,
		     unsigned int types, struct sw_params *sp)
{
	unsigned int type;
	uint32_t ret;
	int i;

	sp->held_mask = 0;
#pragma GCC unroll 4
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		const union teeq_param *wire = &sqe->params[i];

		type = TEEQ_PARAM_TYPE_GET(types, i);
		sp->p[i].type = type;
		if (teeq_param_is_value(type)) {
			if (wire->value.pad)
				return TEEQ_ERROR_BAD_PARAMETERS;
			memcpy(&sp->p[i].value, &wire->value,
			       sizeof(sp->p[i].value));
		} else if (type == TEEQ_PARAM_NONE) {
			if (sw_or16(wire))
				return TEEQ_ERROR_BAD_PARAMETERS;
		} else if (teeq_param_is_memref(type)) {
			ret = sw_memref(c, type, wire, sp, i);
			if (ret)
				return ret;
		} else {
			return TEEQ_ERROR_BAD_PARAMETERS;
		}
	}
	return 0;
}

/*
 * The trusted app's view of parameters that are all NONE or VALUE (@types
 * has none of SW_TYPES_NOT_VALUE): each typed one checked and copied,
 * every other one NONE and zero.
 */
static inline uint32_t sw_params_decode_numbers(const struct teeq_sqe *sqe,
						unsigned int types,
						struct sw_params *sp)
{
	sw_params_clear(sp->p);
	if (!types) /* the common call: a NONE parameter's bytes are zero */
		return sw_or16(&sqe->params[0]) ? TEEQ_ERROR_BAD_PARAMETERS : 0;
	return sw_params_decode_values(sqe, types, sp);
}

/*
 * The trusted app's view of the parameters: each typed one decoded and
 * checked, every other one NONE and zero. Only the lines the entry uses
 * are read (without a type in params 1..3, line 2 is not part of it).
 */
static inline uint32_t sw_params_decode(struct sw_client *c,
					const struct teeq_sqe *sqe,
					unsigned int types,
					struct sw_params *sp)
{
	if (!(types & SW_TYPES_NOT_VALUE))
		return sw_params_decode_numbers(sqe, types, sp);
	sw_params_clear(sp->p);
	return sw_params_decode_any(c, sqe, types, sp);
}

_Static_assert((TEEQ_PARAM_VALUE_OUTPUT & TEEQ_PARAM_VALUE_INOUT &
		TEEQ_PARAM_MEMREF_OUTPUT & TEEQ_PARAM_MEMREF_INOUT &
		2) && !((TEEQ_PARAM_VALUE_INPUT | TEEQ_PARAM_MEMREF_INPUT) & 2),
	       "output parameter types have bit 1, input ones not");

/* The outputs into the completion, by the types as submitted (which
 * decoding checked), not as the trusted app may have left them. */
static inline void sw_params_encode(const struct sw_params *sp, uint16_t types,
				    struct teeq_cqe *cqe)
{
	unsigned int type;
	int i;

	if (!types) /* nothing to write back; the completion is zeroed */
		return;
	if (!(types & SW_TYPES_NOT_VALUE)) {
		/* values only: an output (bit 1 of its type) is one 8-byte
		 * move, tested straight in the type word */
#pragma GCC unroll 4
		for (i = 0; i < TEEQ_NUM_PARAMS; i++)
			if (types & (2u << (4 * i)))
				memcpy(&cqe->params[i].value, &sp->p[i].value,
				       sizeof(cqe->params[i].value));
		return;
	}
#pragma GCC unroll 4
	for (i = 0; i < TEEQ_NUM_PARAMS; i++) {
		const struct ta_param *p = &sp->p[i];

		type = TEEQ_PARAM_TYPE_GET(types, i);
		/* of the valid types, the outputs are those with bit 1 */
		if (!(type & 2))
			continue;
		if (teeq_param_is_value(type)) {
			memcpy(&cqe->params[i].value, &p->value,
			       sizeof(cqe->params[i].value));
		} else {
			cqe->params[i].memref.size =
				p->memref.size > UINT32_MAX ?
					UINT32_MAX :
					(uint32_t)p->memref.size;
		}
	}
}

/* ---- cancellation --------------------------------------------------------- */

static int sw_call_claim_cancel(struct sw_call *call)
{
	struct sw_client *c = call->client;
	int i;

	pthread_mutex_lock(&c->cancel_lock);
	for (i = 0; i < SW_CANCEL_SLOTS; i++) {
		struct sw_cancel *k = &c->cancels[i];

		if (k->cancel_id == call->sqe->cancel_id &&
		    (!k->session || k->session == call->sqe->session)) {
			k->cancel_id = 0;
			call->cancelled = 1;
			break;
		}
	}
	pthread_mutex_unlock(&c->cancel_lock);
	return call->cancelled;
}

static int sw_call_is_cancelled(struct ta_call *tc)
{
	/* ta is the first member: no need for ta.core, which we leave unset */
	struct sw_call *call = (struct sw_call *)tc;
	uint32_t gen;

	if (__atomic_load_n(&call->client->dying, __ATOMIC_RELAXED))
		call->cancelled = 1;
	if (call->cancelled || !call->sqe->cancel_id)
		return call->cancelled;
	if (call->peek)
		call->peek(call->peek_arg);
	gen = __atomic_load_n(&call->client->cancel_gen, __ATOMIC_ACQUIRE);
	if (gen == call->seen_gen)
		return 0;
	call->seen_gen = gen;
	return sw_call_claim_cancel(call);
}

void sw_client_cancel(struct sw_client *c, uint32_t cancel_id, uint32_t session)
{
	uint32_t gen;

	pthread_mutex_lock(&c->cancel_lock);
	gen = c->cancel_gen + 1;
	/* a ring of recent requests; libteeq never reuses a cancel id soon,
	 * so an overwritten stale request can match nothing anyway */
	c->cancels[gen % SW_CANCEL_SLOTS] =
		(struct sw_cancel){ cancel_id, session };
	/* release: the slot is written before the generation announcing it */
	__atomic_store_n(&c->cancel_gen, gen, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&c->cancel_lock);
}

/* Returns nonzero if the call was cancelled before it started. A call
 * without a cancel id can be cancelled only by its client's death: the
 * rest is set for the others alone. */
static inline int sw_call_init(struct sw_call *call, struct sw_client *c,
			       const struct teeq_sqe *sqe, void (*peek)(void *),
			       void *peek_arg)
{
	call->cancelled = 0;
	call->ta.is_cancelled = sw_call_is_cancelled;
	call->ta.origin = TEEQ_ORIGIN_TRUSTED_APP;
	call->client = c;
	call->sqe = sqe;
	if (!sqe->cancel_id)
		return 0;
	call->peek = peek;
	call->peek_arg = peek_arg;
	/* acquire: the requests this generation announces are visible */
	call->seen_gen = __atomic_load_n(&c->cancel_gen, __ATOMIC_ACQUIRE);
	/* requests from before this call started count: an operation
	 * cancelled while still queued never reaches its trusted app */
	return call->seen_gen && sw_call_claim_cancel(call);
}

/* ---- sessions ------------------------------------------------------------- */

static uint32_t sw_login_check(struct sw_client *c, const struct teeq_sqe *sqe)
{
	switch (sqe->func) {
	case TEEQ_LOGIN_PUBLIC:
	case TEEQ_LOGIN_USER:
	case TEEQ_LOGIN_APPLICATION:
	case TEEQ_LOGIN_USER_APPLICATION:
		return sqe->login_data ? TEEQ_ERROR_BAD_PARAMETERS : 0;
	case TEEQ_LOGIN_GROUP:
	case TEEQ_LOGIN_GROUP_APPLICATION:
		/* the client must be in the group (its effective or a
		 * supplementary one, as its credentials say), as the
		 * upstream TEE subsystem requires */
		return sw_client_in_group(c, sqe->login_data) ?
			       0 :
			       TEEQ_ERROR_ACCESS_DENIED;
	default:
		return TEEQ_ERROR_BAD_PARAMETERS;
	}
}

/* Opening a loaded TA's session (it may wait: not on a ring worker). */
static uint32_t sw_open_remote(struct sw_client *c, const struct teeq_sqe *sqe,
			       struct sw_session *s, const struct ta_uuid *uuid,
			       struct sw_params *sp, void (*peek)(void *),
			       void *peek_arg, uint32_t *origin)
{
	struct sw_call call;
	uint32_t ret;

	if (sw_call_init(&call, c, sqe, peek, peek_arg)) {
		*origin = TEEQ_ORIGIN_TEE;
		return TEEQ_ERROR_CANCEL;
	}
	ret = s->ta->open_remote(s->ta_state, &call.ta, uuid, &s->who,
				 sqe->param_types, sp->p);
	*origin = call.ta.origin;
	return ret;
}

static enum sw_dispatch_result
sw_open_session(struct sw_client *c, const struct teeq_sqe *sqe,
		struct teeq_cqe *cqe, void (*peek)(void *), void *peek_arg,
		unsigned int flags)
{
	uint32_t origin = TEEQ_ORIGIN_TRUSTED_APP;
	const struct teeq_ta *ta;
	struct sw_session *s;
	struct sw_params sp;
	struct ta_uuid uuid;
	uint32_t ret;
	int64_t id;

	if (sqe->session) {
		sw_result(cqe, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
		return SW_DISPATCHED;
	}
	ta_uuid_from_wire(&sqe->uuid, &uuid);
	ta = ta_registry_find(&uuid);
	if (!ta) {
		sw_result(cqe, TEEQ_ERROR_ITEM_NOT_FOUND, TEEQ_ORIGIN_TEE);
		return SW_DISPATCHED;
	}
	ret = sw_login_check(c, sqe);
	if (ret) {
		sw_result(cqe, ret, TEEQ_ORIGIN_TEE);
		return SW_DISPATCHED;
	}
	if (ta->open_remote && (flags & SW_DISPATCH_MAY_DEFER))
		return SW_DEFERRED;
	ret = sw_params_decode(c, sqe, sqe->param_types, &sp);
	if (ret)
		goto out_params;

	s = sw_session_new(c, ta);
	if (!s) {
		ret = TEEQ_ERROR_OUT_OF_MEMORY;
		goto out_params;
	}
	s->who = c->who;
	s->who.login = sqe->func;
	if (ta->open_remote)
		ret = sw_open_remote(c, sqe, s, &uuid, &sp, peek, peek_arg,
				     &origin);
	else if (ta->open_session)
		ret = ta->open_session(s->ta_state, &s->who, sqe->param_types,
				       sp.p);
	if (ret) {
		sw_session_discard(c, s);
		sw_params_encode(&sp, sqe->param_types, cqe);
		sw_params_release(c, &sp, sqe->param_types);
		sw_result(cqe, ret, origin);
		return SW_DISPATCHED;
	}
	id = sw_session_publish(c, s);
	if (id < 0) {
		ret = TEEQ_ERROR_OUT_OF_MEMORY;
		goto out_params;
	}
	__atomic_add_fetch(&c->stats.sessions_total, 1, __ATOMIC_RELAXED);
	cqe->session = (uint32_t)id;
	sw_params_encode(&sp, sqe->param_types, cqe);
	sw_params_release(c, &sp, sqe->param_types);
	sw_result(cqe, TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	return SW_DISPATCHED;

out_params:
	sw_params_release(c, &sp, sqe->param_types);
	sw_result(cqe, ret, TEEQ_ORIGIN_TEE);
	return SW_DISPATCHED;
}

/* Runs the call in session @s, taken, on the parameters decoded for
 * @types in @sp: the result and the outputs into @cqe. */
static inline void sw_invoke_ta(struct sw_client *c, struct sw_session *s,
				const struct teeq_sqe *sqe, unsigned int types,
				struct teeq_cqe *cqe, struct sw_params *sp,
				void (*peek)(void *), void *peek_arg)
{
	struct sw_call call;
	uint32_t ret;

	if (sw_call_init(&call, c, sqe, peek, peek_arg)) {
		sw_result(cqe, TEEQ_ERROR_CANCEL, TEEQ_ORIGIN_TEE);
		return;
	}
	ret = s->ta->invoke(s->ta_state, &call.ta, sqe->func, types, sp->p);
	sw_params_encode(sp, (uint16_t)types, cqe);
	sw_result(cqe, ret, call.ta.origin);
}

/*
 * Finds the session @sqe names and takes it for the call: the session, or
 * NULL with *res saying what became of the entry (the completion written
 * when it is SW_DISPATCHED).
 */
static inline struct sw_session *sw_invoke_enter(struct sw_client *c,
						 const struct teeq_sqe *sqe,
						 struct teeq_cqe *cqe,
						 unsigned int flags,
						 enum sw_dispatch_result *res)
{
	struct sw_session *s = sw_session_find(c, sqe->session);
	int err;

	*res = SW_DISPATCHED;
	if (!s) {
		sw_result(cqe, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
		return NULL;
	}
	err = flags & SW_DISPATCH_MAY_DEFER ?
		      sw_session_trylock(s, sqe->session) :
		      sw_session_lock(s, sqe->session);
	if (err == -EBUSY) { /* busy with another call, maybe one that waits */
		*res = SW_DEFERRED;
		return NULL;
	}
	if (err) { /* closed, or never opened under this id */
		sw_result(cqe, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
		return NULL;
	}
	/* a command that may wait: not on this thread */
	if ((flags & SW_DISPATCH_MAY_DEFER) &&
	    ta_cmd_blocks(s->ta, sqe->func)) {
		sw_session_unlock(c, s, sqe->session);
		*res = SW_DEFERRED;
		return NULL;
	}
	return s;
}

/* An invocation with a memref (or a bad type): the buffers it names are
 * held for the call and released after it. */
static __attribute__((noinline)) enum sw_dispatch_result
sw_invoke_memrefs(struct sw_client *c, const struct teeq_sqe *sqe,
		  struct teeq_cqe *cqe, void (*peek)(void *), void *peek_arg,
		  unsigned int flags)
{
	unsigned int types = sqe->param_types;
	enum sw_dispatch_result res;
	struct sw_session *s;
	struct sw_params sp;
	uint32_t ret;

	s = sw_invoke_enter(c, sqe, cqe, flags, &res);
	if (!s)
		return res;
	ret = sw_params_decode(c, sqe, types, &sp);
	if (ret)
		sw_result(cqe, ret, TEEQ_ORIGIN_TEE);
	else
		sw_invoke_ta(c, s, sqe, types, cqe, &sp, peek, peek_arg);
	/* a close that came meanwhile closes it here */
	sw_session_unlock(c, s, sqe->session);
	sw_params_release(c, &sp, types);
	return SW_DISPATCHED;
}

static enum sw_dispatch_result
sw_invoke(struct sw_client *c, const struct teeq_sqe *sqe, struct teeq_cqe *cqe,
	  void (*peek)(void *), void *peek_arg, unsigned int flags)
{
	unsigned int types = sqe->param_types;
	enum sw_dispatch_result res;
	struct sw_session *s;
	struct sw_params sp;
	uint32_t ret;

	if (teeq_unlikely(types & SW_TYPES_NOT_VALUE))
		return sw_invoke_memrefs(c, sqe, cqe, peek, peek_arg, flags);
	/* numbers only (or nothing): no buffer to resolve, none held */
	s = sw_invoke_enter(c, sqe, cqe, flags, &res);
	if (!s)
		return res;
	ret = sw_params_decode_numbers(sqe, types, &sp);
	if (ret)
		sw_result(cqe, ret, TEEQ_ORIGIN_TEE);
	else
		sw_invoke_ta(c, s, sqe, types, cqe, &sp, peek, peek_arg);
	/* a close that came meanwhile closes it here */
	sw_session_unlock(c, s, sqe->session);
	return SW_DISPATCHED;
}

static void sw_close_session(struct sw_client *c, const struct teeq_sqe *sqe,
			     struct teeq_cqe *cqe)
{
	if (sqe->cancel_id || sw_session_close(c, sqe->session)) {
		sw_result(cqe, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
		return;
	}
	sw_result(cqe, TEEQ_SUCCESS, TEEQ_ORIGIN_TEE);
}

/*
 * An entry still in the ring, not consumed, looked at for a cancellation
 * only: each field is read once, nothing else is trusted.
 */
void sw_peek_cancel(struct sw_client *c, const void *slot)
{
	const struct teeq_sqe *sqe = slot;
	uint8_t opcode = teeq_load_relaxed(&sqe->opcode);
	uint32_t id = teeq_load_relaxed(&sqe->cancel_id);

	if (opcode == TEEQ_OP_CANCEL && id)
		sw_client_cancel(c, id, teeq_load_relaxed(&sqe->session));
}

/* ---- the entry point -------------------------------------------------------- */

/* Only OPEN_SESSION and INVOKE carry parameters. */
static int sw_sqe_params_clear(const struct teeq_sqe *sqe)
{
	return !sqe->param_types &&
	       sw_all_zero(sqe->params, sizeof(sqe->params));
}

/* Nonzero if a reserved word is set. They are in line 2, which is part of
 * the entry only when a parameter there has a type (else not read). */
static inline uint64_t sw_sqe_stray_reserved(const struct teeq_sqe *sqe)
{
	return teeq_sqe_size(sqe->param_types) > TEEQ_CACHELINE ?
		       sw_or16(sqe->reserved) :
		       0;
}

/* Nonzero if the entry sets a field of OPEN_SESSION's alone (a UUID and
 * login data) or a reserved one: for every opcode but OPEN_SESSION. */
static inline uint64_t sw_sqe_stray_not_open(const struct teeq_sqe *sqe)
{
	return sqe->login_data | sw_or16(&sqe->uuid) |
	       sw_sqe_stray_reserved(sqe);
}

/* Nonzero if the entry sets a field its opcode does not use, or a
 * reserved one. */
static inline uint64_t sw_sqe_stray(const struct teeq_sqe *sqe)
{
	if (sqe->opcode == TEEQ_OP_OPEN_SESSION)
		return sw_sqe_stray_reserved(sqe);
	return sw_sqe_stray_not_open(sqe);
}

/* Every entry but a well-formed invocation: each check in its order. */
static __attribute__((noinline)) enum sw_dispatch_result
sw_dispatch_checked(struct sw_client *c, const struct teeq_sqe *sqe,
		    struct teeq_cqe *cqe, void (*peek)(void *), void *peek_arg,
		    unsigned int flags)
{
	if (sqe->flags & ~TEEQ_SQE_FLAGS_ALL) {
		sw_result(cqe, TEEQ_ERROR_NOT_SUPPORTED, TEEQ_ORIGIN_TEE);
		return SW_DISPATCHED;
	}
	if (sw_sqe_stray(sqe) ||
	    (sqe->opcode != TEEQ_OP_OPEN_SESSION &&
	     sqe->opcode != TEEQ_OP_INVOKE && !sw_sqe_params_clear(sqe))) {
		sw_result(cqe, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
		return SW_DISPATCHED;
	}

	switch (sqe->opcode) {
	case TEEQ_OP_NOP:
		sw_result(cqe, TEEQ_SUCCESS, TEEQ_ORIGIN_TEE);
		return SW_DISPATCHED;
	case TEEQ_OP_OPEN_SESSION:
		return sw_open_session(c, sqe, cqe, peek, peek_arg, flags);
	case TEEQ_OP_INVOKE:
		return sw_invoke(c, sqe, cqe, peek, peek_arg, flags);
	case TEEQ_OP_CLOSE_SESSION:
		sw_close_session(c, sqe, cqe);
		return SW_DISPATCHED;
	case TEEQ_OP_CANCEL:
		if (!sqe->cancel_id) {
			sw_result(cqe, TEEQ_ERROR_BAD_PARAMETERS,
				  TEEQ_ORIGIN_TEE);
			return SW_DISPATCHED;
		}
		sw_client_cancel(c, sqe->cancel_id, sqe->session);
		sw_result(cqe, TEEQ_SUCCESS, TEEQ_ORIGIN_TEE);
		return SW_DISPATCHED;
	default:
		sw_result(cqe, TEEQ_ERROR_NOT_SUPPORTED, TEEQ_ORIGIN_TEE);
		return SW_DISPATCHED;
	}
}

enum sw_dispatch_result sw_dispatch(struct sw_client *c,
				    const struct teeq_sqe *sqe,
				    struct teeq_cqe *cqe, void (*peek)(void *),
				    void *peek_arg, unsigned int flags)
{
	memset(cqe, 0, sizeof(*cqe));
	cqe->user_data = sqe->user_data;
	/* the common entry straight on: an invocation with nothing stray
	 * (opcode and flags side by side, one compare for both) */
	if (teeq_likely((sqe->opcode |
			 (unsigned int)(sqe->flags & ~TEEQ_SQE_FLAGS_ALL)
				 << 8) == TEEQ_OP_INVOKE &&
			!sw_sqe_stray_not_open(sqe)))
		return sw_invoke(c, sqe, cqe, peek, peek_arg, flags);
	return sw_dispatch_checked(c, sqe, cqe, peek, peek_arg, flags);
}
