/* SPDX-License-Identifier: MIT */
/*
 * What the secure world's core asks of whatever serves it: the platform
 * interface an attachment implements (teeq-sw's are in secure/attach/),
 * as the upstream TEE subsystem's core sees a backend through
 * tee_driver_ops. Apart from it the core uses uapi/, ring/ and shm/, and
 * of the C library only memory, string functions and POSIX mutexes (its
 * locks: a TEE OS has their like).
 *
 * The attachment drives the core: it copies each entry out of a ring and
 * calls sw_dispatch(); SW_DEFERRED tells it to run the call again where
 * waiting is fine (teeq-sw: a call thread), and it posts the completion
 * and rings the doorbell itself; a client that breaks the protocol it
 * drops itself. So nothing on the path of a call goes through an indirect
 * call here: the core calls back only when a registered buffer's last
 * user lets go and when a trusted app waits.
 */
#ifndef TEEQ_SECURE_PLATFORM_H
#define TEEQ_SECURE_PLATFORM_H

#include <stdint.h>

struct sw_client;
struct sw_ext_buf;

struct sw_platform {
	/* @buf (registered by the attachment with sw_client_add_ext()) is
	 * gone from @c's table and its last user let go: unmap and free
	 * it. */
	void (*release_ext)(struct sw_client *c, struct sw_ext_buf *buf);
	/* A monotonic clock, in nanoseconds. */
	uint64_t (*now_ns)(void);
	/* Sleeps about @ns (ta_wait() checks for cancellation between). */
	void (*sleep_ns)(uint64_t ns);
};

/* The platform of this program, chosen once before any client exists
 * (teeq-sw: by the attachment it starts); every member is required. */
void sw_core_init(const struct sw_platform *plat);

/* The platform given to sw_core_init(); NULL before. */
extern const struct sw_platform *sw_plat;

#endif /* TEEQ_SECURE_PLATFORM_H */
