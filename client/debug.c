// SPDX-License-Identifier: MIT
/*
 * TEEQ_DEBUG=1: libteeq says on stderr why a channel died (once per
 * channel) and each rare event below the first time it happens, so that
 * an application that sees TEEC_ERROR_TARGET_DEAD, or a slow call, can be
 * told why without a debugger. Silent by default. The variable is read
 * with secure_getenv(): a setuid program does not listen to it.
 */
#include "client/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const teeq_debug_says[TEEQ_DEBUG_NR_EVENTS] = {
	[TEEQ_DEBUG_SHARED_PAIR] = "every exclusive queue pair was in use: "
				   "calls share the last pair "
				   "(TEEQ_QPAIRS sets how many there are)",
	[TEEQ_DEBUG_CREDIT_WAIT] = "a call waited for a free entry of its "
				   "queue pair (TEEQ_QUEUE_DEPTH sets how "
				   "many calls a pair holds)",
	[TEEQ_DEBUG_MEMFD_BOUNCE] = "a temporary memref the heap could not "
				    "hold was copied through a memfd of its "
				    "own (TEEQ_HEAP_MB sets the heap)",
	[TEEQ_DEBUG_MEMFD_ALLOC] = "shared memory the heap could not hold "
				   "got a memfd of its own (TEEQ_HEAP_MB sets "
				   "the heap)",
	[TEEQ_DEBUG_URING_OFF] = "kernel mode: the driver's node takes no "
				 "io_uring commands, so async calls go by "
				 "ioctl from helper threads (one system call "
				 "and one blocked thread per call in flight)",
};

/* -1: not read yet; 0: off; 1: on. Atomic. */
static int teeq_debug_on = -1;
/* Bit n: event n was said. Atomic. */
static uint32_t teeq_debug_said;

static int teeq_debug_enabled(void)
{
	int on = __atomic_load_n(&teeq_debug_on, __ATOMIC_RELAXED);
	const char *env;

	if (teeq_likely(on >= 0))
		return on;
	env = secure_getenv("TEEQ_DEBUG");
	on = env && *env && strcmp(env, "0") != 0;
	__atomic_store_n(&teeq_debug_on, on, __ATOMIC_RELAXED);
	return on;
}

void teeq_debug_event(enum teeq_debug_event ev)
{
	uint32_t bit = 1u << ev;

	if (teeq_likely(__atomic_load_n(&teeq_debug_said, __ATOMIC_RELAXED) &
			bit))
		return;
	if (__atomic_fetch_or(&teeq_debug_said, bit, __ATOMIC_RELAXED) & bit)
		return;
	if (teeq_debug_enabled())
		fprintf(stderr, "teeq: %s\n", teeq_debug_says[ev]);
}

void teeq_debug_dead(const struct teeq_chan *chan, const char *why)
{
	/* finalizing closes a channel as asked: nothing went wrong */
	if (teeq_chan_finalized((struct teeq_chan *)chan))
		return;
	if (teeq_debug_enabled())
		fprintf(stderr,
			"teeq: channel to the secure world closed: %s\n", why);
}
