// SPDX-License-Identifier: MIT
#include "ids.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SHM_IDS_SLOT(id) ((id)&0xffffu)

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
	__atomic_store_n(&dst->cookie, src->cookie, __ATOMIC_RELAXED);
}

/* Acquire loads: a later re-check of the slot's id cannot be reordered
 * before them (free on x86 and no fence, which ThreadSanitizer could not
 * follow). */
static void shm_ids_buf_load(struct shm_buf *dst, const struct shm_buf *src)
{
	dst->offset = __atomic_load_n(&src->offset, __ATOMIC_ACQUIRE);
	dst->size = __atomic_load_n(&src->size, __ATOMIC_ACQUIRE);
	dst->kind = __atomic_load_n(&src->kind, __ATOMIC_ACQUIRE);
	dst->flags = __atomic_load_n(&src->flags, __ATOMIC_ACQUIRE);
	dst->cookie = __atomic_load_n(&src->cookie, __ATOMIC_ACQUIRE);
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
	shm_ids_buf_store(&slot->buf, buf);
	/* release: the buffer fields are visible before the id that names
	 * them */
	__atomic_store_n(&slot->id, id, __ATOMIC_RELEASE);
	t->live++;
	pthread_mutex_unlock(&t->lock);
	return id;
}

int shm_ids_remove(struct shm_ids *t, uint32_t id, struct shm_buf *out)
{
	uint32_t idx = SHM_IDS_SLOT(id);
	struct shm_id_slot *slot;

	if (idx == 0 || idx >= t->cap)
		return -ENOENT;
	slot = &t->slots[idx];
	pthread_mutex_lock(&t->lock);
	if (__atomic_load_n(&slot->id, __ATOMIC_RELAXED) != id || id == 0) {
		pthread_mutex_unlock(&t->lock);
		return -ENOENT;
	}
	if (out)
		shm_ids_buf_load(out, &slot->buf);
	__atomic_store_n(&slot->id, 0, __ATOMIC_RELEASE);
	t->gen[idx] = t->gen[idx] == UINT16_MAX ? 1 : t->gen[idx] + 1;
	slot->next_free = 0;
	if (t->free_tail)
		t->slots[t->free_tail].next_free = idx;
	else
		t->free_head = idx;
	t->free_tail = idx;
	t->live--;
	pthread_mutex_unlock(&t->lock);
	return 0;
}

int shm_ids_lookup(struct shm_ids *t, uint32_t id, struct shm_buf *out)
{
	uint32_t idx = SHM_IDS_SLOT(id);
	struct shm_id_slot *slot;

	if (id == 0 || idx == 0 || idx >= t->cap)
		return -ENOENT;
	slot = &t->slots[idx];
	/* acquire: the fields we load are at least as new as the id */
	if (__atomic_load_n(&slot->id, __ATOMIC_ACQUIRE) != id)
		return -ENOENT;
	shm_ids_buf_load(out, &slot->buf);
	/* a remove (and reuse) racing with the loads above shows as a changed
	 * id here */
	if (__atomic_load_n(&slot->id, __ATOMIC_RELAXED) != id)
		return -ENOENT;
	return 0;
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
