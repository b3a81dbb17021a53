/* SPDX-License-Identifier: MIT */
/*
 * Sessions of a client: the ids the client names them by, their state
 * word, and their lifetime.
 *
 * A call into a session costs two atomic operations: a compare-and-swap
 * that checks the session is open under the id the entry names and takes
 * it for the call, and one that gives it back. There is no reference
 * count: a session object is never freed while its client lives, only
 * recycled (under a new id), so a thread holding a stale pointer finds
 * another id in the word and gets nothing.
 *
 * The word: the session's id in the upper 32 bits (0 while the object is
 * not an open session), and in the lower ones HELD (a call is in it),
 * WAITED (held, and a thread sleeps on wait_cond for it) and CLOSING
 * (closed while held: whoever gives it back closes it).
 */
#ifndef TEEQ_SECURE_SESSION_H
#define TEEQ_SECURE_SESSION_H

#include "secure/core/core.h"

#include <errno.h>

#define SW_SESSION_OPEN(id) ((uint64_t)(id) << 32)

/* The session object @id's slot of the id table names, open or not: its
 * word says (sw_session_trylock()). NULL if the slot was never used. */
static inline struct sw_session *sw_session_find(struct sw_client *c,
						 uint32_t id)
{
	return (struct sw_session *)(uintptr_t)shm_ids_peek_cookie(&c->sessions,
								   id);
}

/*
 * Takes @s for a call if it is open as @id and no call is in it: 0, or
 * -EBUSY (a call is in it), -ENOENT (not open as @id).
 */
static inline int sw_session_trylock(struct sw_session *s, uint32_t id)
{
	uint64_t open = SW_SESSION_OPEN(id);

	/* acquire: the previous call's stores to the session are visible
	 * to this one, which reads them after taking the word */
	if (__atomic_compare_exchange_n(&s->state, &open,
					SW_SESSION_OPEN(id) | SW_SESSION_HELD,
					0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	/* @open now holds the word as found */
	if ((open >> 32) != id || (open & SW_SESSION_CLOSING))
		return -ENOENT;
	return -EBUSY;
}

/* As sw_session_trylock(), waiting while a call is in it: 0 or -ENOENT. */
int sw_session_lock(struct sw_session *s, uint32_t id);

/* Gives back what the word said, when someone waits or it was closed. */
void sw_session_unlock_slow(struct sw_client *c, struct sw_session *s,
			    uint32_t id);

/* Gives @s back after a call taken with one of the two above. */
static inline void sw_session_unlock(struct sw_client *c, struct sw_session *s,
				     uint32_t id)
{
	uint64_t held = SW_SESSION_OPEN(id) | SW_SESSION_HELD;

	/* release: this call's stores to the session are visible before
	 * the next call can take the word */
	if (!__atomic_compare_exchange_n(&s->state, &held, SW_SESSION_OPEN(id),
					 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		sw_session_unlock_slow(c, s, id);
}

/* A session object for @ta with zeroed state, not open yet; NULL when
 * there is no memory. */
struct sw_session *sw_session_new(struct sw_client *c,
				  const struct teeq_ta *ta);
/* A new session the trusted app did not open: back to the free list. */
void sw_session_discard(struct sw_client *c, struct sw_session *s);
/* Opens @s (which the trusted app opened) under a new id: the id, or
 * -ENOSPC (then the session is closed and recycled). */
int64_t sw_session_publish(struct sw_client *c, struct sw_session *s);
/* Closes session @id now, or when the call in it ends: 0 or -ENOENT. */
int sw_session_close(struct sw_client *c, uint32_t id);

/* sw_client_init() and sw_client_fini(): nobody dispatches any more at
 * fini, so every open session is closed and every object freed. */
int sw_sessions_init(struct sw_client *c);
void sw_sessions_fini(struct sw_client *c);

#endif /* TEEQ_SECURE_SESSION_H */
