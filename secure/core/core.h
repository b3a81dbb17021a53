/* SPDX-License-Identifier: MIT */
/*
 * The secure world's core, independent of how entries arrive: a client's
 * channel, its sessions and registered buffers, and the dispatcher that
 * turns one submission entry into one completion entry.
 *
 * What it needs of its surroundings is in secure/core/platform.h. teeq-sw
 * feeds it from worker threads, whichever way its clients arrive (the
 * host socket or the driver's endpoint, secure/attach/); a real secure OS
 * would feed it from its own rings.
 */
#ifndef TEEQ_SECURE_CORE_H
#define TEEQ_SECURE_CORE_H

#include "ring/channel.h"
#include "secure/core/call.h"
#include "secure/core/platform.h"
#include "shm/ids.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define SW_MAX_SESSIONS 1024 /* per client */
#define SW_MAX_EXT_BUFS 256 /* registered buffers per client */
#define SW_CANCEL_SLOTS 32 /* cancellations remembered per client */

/* A buffer registered from outside the heap (a sealed memfd). */
struct sw_ext_buf {
	void *base;
	uint64_t size;
	uint32_t flags; /* TEEQ_HOST_REG_READ / _WRITE */
};

/* A session: its word in secure/core/session.h, its lifetime in client.c. */
#define SW_SESSION_HELD 1ull
#define SW_SESSION_WAITED 2ull
#define SW_SESSION_CLOSING 4ull

struct sw_session {
	uint64_t state; /* see above; atomic */
	/* written before the id is published in state, stable after */
	const struct teeq_ta *ta;
	void *ta_state; /* ta->session_size bytes, or NULL for none */
	struct ta_identity who;
	/* the client's lists, under c->session_lock */
	struct sw_session *next_free, *next_all;
	/* for the threads that wait for the session (never a worker) */
	pthread_mutex_t wait_lock;
	pthread_cond_t wait_cond;
};

/* A cancellation request the client sent that no call has claimed yet. */
struct sw_cancel {
	uint32_t cancel_id; /* 0: free */
	uint32_t session; /* 0: any */
};

struct sw_client_stats {
	uint64_t sessions_total;
};

struct sw_client {
	uint32_t id;
	struct ta_identity who; /* login set per session */
	/* the client's supplementary groups, as its transport established
	 * them (who.gid is its effective one) */
	uint32_t *groups;
	uint32_t nr_groups;
	/* its transport checks each GROUP login against the caller's
	 * credentials at the call itself (the kernel driver does) */
	int groups_checked;
	void *region; /* the channel, mapped */
	struct channel_layout layout; /* validated copy */
	unsigned char *heap;
	struct shm_ids sessions; /* cookie: struct sw_session * */
	/* opening and closing sessions; their objects, recycled */
	pthread_mutex_t session_lock;
	struct sw_session *free_sessions, *all_sessions;
	struct shm_ids ext_bufs; /* cookie: struct sw_ext_buf * */
	pthread_mutex_t cancel_lock;
	uint32_t cancel_gen; /* bumped per new request; atomic */
	struct sw_cancel cancels[SW_CANCEL_SLOTS];
	struct sw_client_stats stats;
	/* why the client is being dropped (it broke the protocol); atomic */
	const char *broken;
	/* the client is gone: calls still running are cancelled; atomic */
	int dying;
};

/* The state of one call while it runs, for cancellation. */
struct sw_call {
	struct ta_call ta; /* first: a ta_call is its sw_call */
	struct sw_client *client;
	/* the caller's private copy, alive for the call */
	const struct teeq_sqe *sqe;
	uint32_t seen_gen;
	int cancelled;
	/* optional: look at not-yet-consumed entries for cancellations
	 * (a host worker blocked in this call still sees them) */
	void (*peek)(void *peek_arg);
	void *peek_arg;
};

int sw_client_init(struct sw_client *c, uint32_t id, void *region,
		   const struct channel_layout *layout,
		   const struct ta_identity *who);
/* Closes every session and unmaps every registered buffer. */
void sw_client_fini(struct sw_client *c);

/* The client's supplementary groups (copied); 0 or -ENOMEM. */
int sw_client_set_groups(struct sw_client *c, const uint32_t *groups,
			 uint32_t n);
/* Is the client in group @gid (its effective group or a supplementary
 * one), as a GROUP login requires? */
int sw_client_in_group(const struct sw_client *c, uint32_t gid);

/* Registered buffers; the attachment maps them, the platform's
 * release_ext unmaps. */
int64_t sw_client_add_ext(struct sw_client *c, struct sw_ext_buf *buf);
/* Returns 0 if @buf_id is gone now, 1 if its last user will release it. */
int sw_client_remove_ext(struct sw_client *c, uint32_t buf_id);
/* Records a cancellation request (from a TEEQ_OP_CANCEL entry). */
void sw_client_cancel(struct sw_client *c, uint32_t cancel_id,
		      uint32_t session);

/*
 * The private copy of the entry in a ring slot, read once: its first line,
 * and its second only when a parameter there is in use (else that line is
 * not part of the entry, and reads as zeros). The type word is taken from
 * our copy of line one. Inline: a worker copies a batch in one loop.
 */
static inline void sw_sqe_copy(struct teeq_sqe *sqe, const void *slot)
{
	memcpy(sqe, slot, TEEQ_CACHELINE);
	if (teeq_sqe_size(sqe->param_types) > TEEQ_CACHELINE)
		memcpy((char *)sqe + TEEQ_CACHELINE,
		       (const char *)slot + TEEQ_CACHELINE,
		       sizeof(*sqe) - TEEQ_CACHELINE);
	else
		memset((char *)sqe + TEEQ_CACHELINE, 0,
		       sizeof(*sqe) - TEEQ_CACHELINE);
}
/* Looks at an entry still in the ring for a cancellation request. */
void sw_peek_cancel(struct sw_client *c, const void *slot);

/* sw_dispatch() flags */
#define SW_DISPATCH_MAY_DEFER 1u /* leave blocking commands to the caller */

enum sw_dispatch_result {
	SW_DISPATCHED, /* done, the result is in the completion */
	/* nothing done: a command that may wait, or one for a session busy
	 * with another call; run it again without SW_DISPATCH_MAY_DEFER
	 * where waiting is fine, after the session's earlier deferred
	 * calls (they keep their order) */
	SW_DEFERRED,
};

/*
 * Executes one submission entry. @sqe is the caller's private copy; the
 * result goes to @cqe (fully written unless deferred). @peek/@peek_arg as
 * in sw_call.
 */
enum sw_dispatch_result sw_dispatch(struct sw_client *c,
				    const struct teeq_sqe *sqe,
				    struct teeq_cqe *cqe, void (*peek)(void *),
				    void *peek_arg, unsigned int flags);

uint32_t sw_client_sessions(struct sw_client *c);

#endif /* TEEQ_SECURE_CORE_H */
