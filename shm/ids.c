// SPDX-License-Identifier: MIT
#include "ids.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int shm_ids_init(struct shm_ids *t, uint32_t cap)
{
	uint32_t i;

	memset(t, 0, sizeof(*t));
	if (cap < 2 || cap > SHM_IDS_MAX)
		return -EINVAL;
	t->slots = calloc(cap, sizeof(*t->slots));
	t->gen = calloc(cap, sizeof(*t->gen));
	if (!t->slots || !t->gen || pthread_mutex_init(&t->lock, NULL)) {
		free(t->slots);
		free(t->gen);
		memset(t, 0, sizeof(*t));
		return -ENOMEM;
	}
	t->cap = cap;
	for (i = 1; i < cap; i++) {
		t->gen[i] = 1;
		t->slots[i].next_free = i + 1 < cap ? i + 1 : 0;
	}
	t->free_head = 1;
	t->free_tail = cap - 1;
	return 0;
}

void shm_ids_destroy(struct shm_ids *t)
{
	if (t->cap)
		pthread_mutex_destroy(&t->lock);
	free(t->slots);
	free(t->gen);
	memset(t, 0, sizeof(*t));
}

static void shm_ids_buf_store(struct shm_buf *dst, const struct shm_buf *src)
{
	__atomic_store_n(&dst->offset, src->offset, __ATOMIC_RELAXED);
	__atomic_store_n(&dst->size, src->size, __ATOMIC_RELAXED);
	__atomic_store_n(&dst->kind, src->kind, __ATOMIC_RELAXED);
	__atomic_store_n(&dst->flags, src->flags, __ATOMIC_RELAXED);
	/* release: what the cookie names was set up before it is stored
	 * (shm_ids_peek_cookie() reads it without the id's state) */
	__atomic_store_n(&dst->cookie, src->cookie, __ATOMIC_RELEASE);
}

/* Caller holds the lock; the slot's state is 0. */
static void shm_ids_reclaim(struct shm_ids *t, uint32_t idx)
{
	t->slots[idx].next_free = 0;
	if (t->free_tail)
		t->slots[t->free_tail].next_free = idx;
	else
		t->free_head = idx;
	t->free_tail = idx;
}

int64_t shm_ids_add(struct shm_ids *t, const struct shm_buf *buf)
{
	struct shm_id_slot *slot;
	uint32_t idx, id;

	pthread_mutex_lock(&t->lock);
	idx = t->free_head;
	if (!idx) {
		pthread_mutex_unlock(&t->lock);
		return -ENOSPC;
	}
	slot = &t->slots[idx];
	t->free_head = slot->next_free;
	if (!t->free_head)
		t->free_tail = 0;
	id = ((uint32_t)t->gen[idx] << 16) | idx;
	t->gen[idx] = t->gen[idx] == UINT16_MAX ? 1 : t->gen[idx] + 1;
	shm_ids_buf_store(&slot->buf, buf);
	/* release: the buffer fields are visible before the id naming them */
	__atomic_store_n(&slot->state, (uint64_t)id << 32, __ATOMIC_RELEASE);
	t->live++;
	pthread_mutex_unlock(&t->lock);
	return id;
}

int shm_ids_remove(struct shm_ids *t, uint32_t id, struct shm_buf *out)
{
	struct shm_id_slot *slot = shm_ids_slot(t, id);
	uint64_t state;

	if (!slot)
		return -ENOENT;
	pthread_mutex_lock(&t->lock);
	state = __atomic_load_n(&slot->state, __ATOMIC_RELAXED);
	do {
		if (SHM_IDS_STATE_ID(state) != id) {
			pthread_mutex_unlock(&t->lock);
			return -ENOENT;
		}
		/* keep the references, drop the id: no new get succeeds */
	} while (!__atomic_compare_exchange_n(
		&slot->state, &state, (uint64_t)SHM_IDS_STATE_REFS(state), 0,
		__ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	if (out)
		shm_ids_buf_load(out, &slot->buf);
	t->live--;
	if (SHM_IDS_STATE_REFS(state) == 0)
		shm_ids_reclaim(t, SHM_IDS_SLOT(id));
	pthread_mutex_unlock(&t->lock);
	return SHM_IDS_STATE_REFS(state) ? 1 : 0;
}

int shm_ids_lookup(struct shm_ids *t, uint32_t id, struct shm_buf *out)
{
	struct shm_id_slot *slot = shm_ids_slot(t, id);

	if (!slot)
		return -ENOENT;
	/* acquire: the fields we load are at least as new as the id */
	if (SHM_IDS_STATE_ID(__atomic_load_n(&slot->state, __ATOMIC_ACQUIRE)) !=
	    id)
		return -ENOENT;
	shm_ids_buf_load(out, &slot->buf);
	/* a removal (and reuse) racing with the loads shows as a new id */
	if (SHM_IDS_STATE_ID(__atomic_load_n(&slot->state, __ATOMIC_RELAXED)) !=
	    id)
		return -ENOENT;
	return 0;
}

/* The last reference of a removed id is gone: its slot is free again. */
void shm_ids_put_last(struct shm_ids *t, uint32_t id)
{
	pthread_mutex_lock(&t->lock);
	shm_ids_reclaim(t, SHM_IDS_SLOT(id));
	pthread_mutex_unlock(&t->lock);
}

int shm_ids_check(struct shm_ids *t, uint32_t id, uint64_t offset, uint64_t len,
		  struct shm_buf *out)
{
	struct shm_buf buf;
	int ret = shm_ids_lookup(t, id, &buf);

	if (ret)
		return ret;
	if (!shm_window_ok(buf.size, offset, len))
		return -ERANGE;
	if (out)
		*out = buf;
	return 0;
}

uint32_t shm_ids_live(struct shm_ids *t)
{
	uint32_t live;

	pthread_mutex_lock(&t->lock);
	live = t->live;
	pthread_mutex_unlock(&t->lock);
	return live;
}

uint32_t shm_ids_next(struct shm_ids *t, uint32_t *cursor)
{
	uint32_t id;

	while (++*cursor < t->cap) {
		id = SHM_IDS_STATE_ID(__atomic_load_n(&t->slots[*cursor].state,
						      __ATOMIC_ACQUIRE));
		if (id)
			return id;
	}
	*cursor = t->cap;
	return 0;
}
