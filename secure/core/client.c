// SPDX-License-Identifier: MIT
/*
 * A client of the secure world: its channel, sessions and buffers. The
 * sessions' hot path (taking one for a call) is in secure/core/session.h.
 */
#include "secure/core/session.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const struct sw_platform *sw_plat;

void sw_core_init(const struct sw_platform *plat)
{
	sw_plat = plat;
}

int sw_client_init(struct sw_client *c, uint32_t id, void *region,
		   const struct channel_layout *layout,
		   const struct ta_identity *who)
{
	int ret;

	if (!sw_plat) /* nothing could release its buffers */
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->who = *who;
	c->region = region;
	c->layout = *layout;
	c->heap = (unsigned char *)region + layout->heap_off;
	ret = sw_sessions_init(c);
	if (ret)
		return ret;
	ret = shm_ids_init(&c->ext_bufs, SW_MAX_EXT_BUFS);
	if (ret)
		goto err_sessions;
	if (pthread_mutex_init(&c->cancel_lock, NULL)) {
		ret = -ENOMEM;
		goto err_bufs;
	}
	return 0;

err_bufs:
	shm_ids_destroy(&c->ext_bufs);
err_sessions:
	sw_sessions_fini(c);
	return ret;
}

/*
 * Nobody dispatches for @c any more (the host made sure), so every id is
 * unreferenced: closing is removing and releasing each.
 */
void sw_client_fini(struct sw_client *c)
{
	uint32_t cursor = 0, id;

	sw_sessions_fini(c);
	while ((id = shm_ids_next(&c->ext_bufs, &cursor)))
		sw_client_remove_ext(c, id);
	pthread_mutex_destroy(&c->cancel_lock);
	shm_ids_destroy(&c->ext_bufs);
	free(c->groups);
	c->groups = NULL;
}

int sw_client_set_groups(struct sw_client *c, const uint32_t *groups,
			 uint32_t n)
{
	uint32_t *copy = n ? malloc(n * sizeof(*copy)) : NULL;

	if (n && !copy)
		return -ENOMEM;
	if (n)
		memcpy(copy, groups, n * sizeof(*copy));
	free(c->groups);
	c->groups = copy;
	c->nr_groups = n;
	return 0;
}

int sw_client_in_group(const struct sw_client *c, uint32_t gid)
{
	uint32_t i;

	if (gid == c->who.gid || c->groups_checked)
		return 1;
	for (i = 0; i < c->nr_groups; i++)
		if (c->groups[i] == gid)
			return 1;
	return 0;
}

int64_t sw_client_add_ext(struct sw_client *c, struct sw_ext_buf *buf)
{
	return shm_ids_add(&c->ext_bufs,
			   &(struct shm_buf){ .size = buf->size,
					      .flags = buf->flags,
					      .cookie = (uintptr_t)buf });
}

int sw_client_remove_ext(struct sw_client *c, uint32_t buf_id)
{
	struct shm_buf buf;
	int ret = shm_ids_remove(&c->ext_bufs, buf_id, &buf);

	if (ret == 0)
		sw_plat->release_ext(
			c, (struct sw_ext_buf *)(uintptr_t)buf.cookie);
	return ret;
}

uint32_t sw_client_sessions(struct sw_client *c)
{
	return shm_ids_live(&c->sessions);
}

/* ---- sessions ------------------------------------------------------------- */

int sw_sessions_init(struct sw_client *c)
{
	int ret = shm_ids_init(&c->sessions, SW_MAX_SESSIONS);

	if (ret)
		return ret;
	if (pthread_mutex_init(&c->session_lock, NULL)) {
		shm_ids_destroy(&c->sessions);
		return -ENOMEM;
	}
	c->free_sessions = NULL;
	c->all_sessions = NULL;
	return 0;
}

int sw_session_lock(struct sw_session *s, uint32_t id)
{
	uint64_t st;
	int ret = sw_session_trylock(s, id);

	if (ret != -EBUSY)
		return ret;
	pthread_mutex_lock(&s->wait_lock);
	st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	for (;;) {
		if ((st >> 32) != id || (st & SW_SESSION_CLOSING)) {
			ret = -ENOENT;
			break;
		}
		if (!(st & SW_SESSION_HELD)) {
			/* acquire: as in sw_session_trylock(); WAITED stays
			 * if it was set, for the others who sleep */
			if (__atomic_compare_exchange_n(
				    &s->state, &st, st | SW_SESSION_HELD, 0,
				    __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
				ret = 0;
				break;
			}
			continue;
		}
		/* the holder's unlock fails its fast path on WAITED, and
		 * takes wait_lock, which we hold until we sleep */
		if (!(st & SW_SESSION_WAITED) &&
		    !__atomic_compare_exchange_n(
			    &s->state, &st, st | SW_SESSION_WAITED, 0,
			    __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
			continue;
		pthread_cond_wait(&s->wait_cond, &s->wait_lock);
		st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	}
	pthread_mutex_unlock(&s->wait_lock);
	return ret;
}

/* Closes the trusted app's session and recycles @s. The caller holds the
 * word (HELD, CLOSING), or is the only one who knows @s. */
static void sw_session_destroy(struct sw_client *c, struct sw_session *s)
{
	if (s->ta->close_session)
		s->ta->close_session(s->ta_state);
	free(s->ta_state);
	s->ta_state = NULL;
	pthread_mutex_lock(&s->wait_lock);
	/* release: the trusted app is done with the session before a
	 * waiter sees it gone */
	__atomic_store_n(&s->state, 0, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&s->wait_cond);
	pthread_mutex_unlock(&s->wait_lock);
	pthread_mutex_lock(&c->session_lock);
	s->next_free = c->free_sessions;
	c->free_sessions = s;
	pthread_mutex_unlock(&c->session_lock);
}

void sw_session_unlock_slow(struct sw_client *c, struct sw_session *s,
			    uint32_t id)
{
	uint64_t st = __atomic_load_n(&s->state, __ATOMIC_RELAXED);

	if (st & SW_SESSION_CLOSING) {
		/* closed during our call: the word is no one else's now */
		sw_session_destroy(c, s);
		return;
	}
	pthread_mutex_lock(&s->wait_lock);
	/* release: as in sw_session_unlock(); a close (CLOSING) may race
	 * with us until the word is back */
	while (!(st & SW_SESSION_CLOSING) &&
	       !__atomic_compare_exchange_n(&s->state, &st, SW_SESSION_OPEN(id),
					    0, __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED))
		;
	if (st & SW_SESSION_CLOSING) {
		pthread_mutex_unlock(&s->wait_lock);
		sw_session_destroy(c, s);
		return;
	}
	pthread_cond_broadcast(&s->wait_cond);
	pthread_mutex_unlock(&s->wait_lock);
}

struct sw_session *sw_session_new(struct sw_client *c, const struct teeq_ta *ta)
{
	struct sw_session *s;

	pthread_mutex_lock(&c->session_lock);
	s = c->free_sessions;
	if (s)
		c->free_sessions = s->next_free;
	pthread_mutex_unlock(&c->session_lock);
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return NULL;
		if (pthread_mutex_init(&s->wait_lock, NULL)) {
			free(s);
			return NULL;
		}
		if (pthread_cond_init(&s->wait_cond, NULL)) {
			pthread_mutex_destroy(&s->wait_lock);
			free(s);
			return NULL;
		}
		pthread_mutex_lock(&c->session_lock);
		s->next_all = c->all_sessions;
		c->all_sessions = s;
		pthread_mutex_unlock(&c->session_lock);
	}
	s->ta = ta;
	s->ta_state = NULL;
	if (ta->session_size) {
		s->ta_state = calloc(1, ta->session_size);
		if (!s->ta_state) {
			sw_session_discard(c, s);
			return NULL;
		}
	}
	return s;
}

void sw_session_discard(struct sw_client *c, struct sw_session *s)
{
	free(s->ta_state);
	s->ta_state = NULL;
	pthread_mutex_lock(&c->session_lock);
	s->next_free = c->free_sessions;
	c->free_sessions = s;
	pthread_mutex_unlock(&c->session_lock);
}

/*
 * Opening and closing hold c->session_lock around the id table and the
 * word together, so that a close never finds an id published in the table
 * but not yet in its session's word.
 */
int64_t sw_session_publish(struct sw_client *c, struct sw_session *s)
{
	int64_t id;

	pthread_mutex_lock(&c->session_lock);
	id = shm_ids_add(&c->sessions,
			 &(struct shm_buf){ .cookie = (uintptr_t)s });
	if (id >= 0)
		/* release: ta, ta_state and who are written before the
		 * word that opens the session to calls */
		__atomic_store_n(&s->state, SW_SESSION_OPEN(id),
				 __ATOMIC_RELEASE);
	pthread_mutex_unlock(&c->session_lock);
	if (id < 0) {
		__atomic_store_n(&s->state,
				 SW_SESSION_HELD | SW_SESSION_CLOSING,
				 __ATOMIC_RELAXED);
		sw_session_destroy(c, s);
	}
	return id;
}

int sw_session_close(struct sw_client *c, uint32_t id)
{
	struct sw_session *s;
	struct shm_buf buf;
	uint64_t st;

	pthread_mutex_lock(&c->session_lock);
	if (shm_ids_remove(&c->sessions, id, &buf) < 0) {
		pthread_mutex_unlock(&c->session_lock);
		return -ENOENT;
	}
	s = (struct sw_session *)(uintptr_t)buf.cookie;
	st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	/* no call can start from here on (CLOSING); one in it closes it
	 * when it ends, else we do, holding the word */
	while (!__atomic_compare_exchange_n(
		&s->state, &st, st | SW_SESSION_HELD | SW_SESSION_CLOSING, 0,
		__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
		;
	pthread_mutex_unlock(&c->session_lock);
	if (!(st & SW_SESSION_HELD))
		sw_session_destroy(c, s);
	return 0;
}

void sw_sessions_fini(struct sw_client *c)
{
	struct sw_session *s, *next;
	uint32_t cursor = 0, id;

	while ((id = shm_ids_next(&c->sessions, &cursor)))
		sw_session_close(c, id);
	for (s = c->all_sessions; s; s = next) {
		next = s->next_all;
		free(s->ta_state);
		pthread_cond_destroy(&s->wait_cond);
		pthread_mutex_destroy(&s->wait_lock);
		free(s);
	}
	c->all_sessions = NULL;
	c->free_sessions = NULL;
	pthread_mutex_destroy(&c->session_lock);
	shm_ids_destroy(&c->sessions);
}
