/* SPDX-License-Identifier: MIT */
/*
 * libteeq's own API beside the GlobalPlatform one: asynchronous batches
 * and statistics.
 *
 * Async batches. A queue is a queue pair of a context leased to its
 * caller (one per thread, so threads never contend). Prepare many
 * invocations, publish them with one teeq_submit() (at most one doorbell),
 * then reap completions, blocking, with a timeout, or by polling.
 * Completions may arrive out of order; each carries the user_data given at
 * preparation. An operation's TEEC_Operation (and the memory it names)
 * must stay valid until its completion is reaped; its outputs are written
 * back then, as TEEC_InvokeCommand would.
 *
 *	teeq_queue *q;
 *	teeq_queue_open(&ctx, &q);
 *	for (i = 0; i < 32; i++)
 *		teeq_prep_invoke(q, &sess, CMD, &ops[i], i);
 *	teeq_submit(q);
 *	n = teeq_reap(q, done, 32, 32, -1);
 *
 * Every call completes: if the secure world dies, pending operations
 * complete with TEEC_ERROR_TARGET_DEAD, origin TEEC_ORIGIN_COMMS.
 */
#ifndef TEEQ_H
#define TEEQ_H

#include <tee_client_api.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct teeq_queue teeq_queue;

struct teeq_completion {
	uint64_t user_data;
	TEEC_Result result;
	uint32_t origin;
	TEEC_Operation *operation;
};

/* Leases a queue pair of @context. TEEC_ERROR_BUSY when all are leased. */
TEEC_Result teeq_queue_open(TEEC_Context *context, teeq_queue **queue);
/* Waits for the queue's operations to complete, then returns the lease. */
void teeq_queue_close(teeq_queue *queue);
/* Free slots: how many more operations can be prepared before a reap. */
unsigned int teeq_queue_space(teeq_queue *queue);

/*
 * Prepares an invocation; nothing reaches the secure world before
 * teeq_submit(). Returns TEEC_SUCCESS, TEEC_ERROR_BUSY when the queue is
 * full (reap first), TEEC_ERROR_TARGET_DEAD, or what TEEC_InvokeCommand
 * returns for bad parameters (origin TEEC_ORIGIN_API, nothing queued).
 */
TEEC_Result teeq_prep_invoke(teeq_queue *queue, TEEC_Session *session,
			     uint32_t command, TEEC_Operation *operation,
			     uint64_t user_data);
/* Publishes everything prepared. Returns how many operations that was. */
unsigned int teeq_submit(teeq_queue *queue);
/*
 * Reaps up to @max completions into @out, waiting until at least @min are
 * there or @timeout_ms passes (-1: no limit, 0: just poll). Returns the
 * number reaped: fewer than @min only on timeout, or when no operation is
 * left in flight (it never waits for completions that cannot come).
 */
unsigned int teeq_reap(teeq_queue *queue, struct teeq_completion *out,
		       unsigned int max, unsigned int min, int timeout_ms);

/* What libteeq did for one context; nothing is hidden. */
struct teeq_stats {
	uint64_t calls; /* operations completed */
	uint64_t zero_copy_memrefs; /* passed in place */
	uint64_t bounced_memrefs; /* copied through the heap */
	uint64_t bounce_bytes; /* bytes those copies moved, both ways */
	uint64_t doorbells; /* submission doorbells rung */
	uint64_t waits_spun; /* completions caught while spinning */
	uint64_t waits_slept; /* times a caller slept for a completion */
	/* synchronous calls whose payload raised their spin budget
	 * (TEEQ_SPIN_US; not in a session whose calls run on call threads) */
	uint64_t payload_spins;
	uint64_t heap_size; /* payload heap of the channel */
	/* allocated from it now: in host mode, with a synchronous call's
	 * big copied output (64 KiB up), whose block its queue pair frees
	 * during its next call with memory references (at most a quarter
	 * of the heap is held so) */
	uint64_t heap_in_use;
	uint32_t queue_pairs;
	uint32_t queue_depth;
};

void teeq_context_stats(TEEC_Context *context, struct teeq_stats *stats);

/* The secure world's own statistics (uapi/teeq_host.h). */
struct teeq_sw_stats;
TEEC_Result teeq_secure_stats(TEEC_Context *context,
			      struct teeq_sw_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* TEEQ_H */
