/* SPDX-License-Identifier: MIT */
/*
 * The interface between the secure world's core and a trusted app.
 *
 * A trusted app is one file: a const struct teeq_ta with its UUID and entry
 * points, registered with TEEQ_TA_REGISTER(). The core decodes and checks
 * every parameter before calling in: value parameters are plain numbers,
 * memory references are pointers into shared memory that already passed
 * the bounds checks. Shared memory stays writable by the normal world
 * during the call: a TA reads anything it validates (a length, a header)
 * once, into private memory, before it relies on it.
 *
 * Entry points return a TEEQ_* result code; the core reports it with origin
 * TEEQ_ORIGIN_TRUSTED_APP. Calls into one session never overlap: the core
 * serialises them, so session state needs no locking.
 */
#ifndef TEEQ_SECURE_TA_H
#define TEEQ_SECURE_TA_H

#include "uapi/teeq_gp.h"
#include "uapi/teeq_tas.h"

#include <stddef.h>
#include <stdint.h>

struct ta_param {
	unsigned int type; /* TEEQ_PARAM_* */
	union {
		struct {
			uint32_t a, b;
		} value;
		struct {
			/* NULL for a null memref (then size is what the
			 * client passed, possibly to learn a needed size) */
			void *buffer;
			/* in: the window's size; out (OUTPUT/INOUT): bytes
			 * produced, or needed with TEEQ_ERROR_SHORT_BUFFER */
			size_t size;
		} memref;
	};
};

/* Who opened the session, as the secure world established it. */
struct ta_identity {
	uint32_t login; /* TEEQ_LOGIN_* the client asked for and passed */
	uint32_t uid, gid, pid; /* from the transport's peer credentials */
};

/* What a TA may ask of the core during a call. */
struct ta_call;
/* Nonzero once the client has asked to cancel this call. */
int ta_cancelled(struct ta_call *call);
/* Sleep up to @ms milliseconds; returns TEEQ_ERROR_CANCEL early if the
 * call is cancelled, TEEQ_SUCCESS otherwise. */
uint32_t ta_wait(struct ta_call *call, uint32_t ms);
/* The result this call returns is not the TA's own but the TEE's (a
 * loaded TA whose process died or could not be started): reported with
 * @origin (TEEQ_ORIGIN_TEE) instead of TEEQ_ORIGIN_TRUSTED_APP. */
void ta_call_origin(struct ta_call *call, uint32_t origin);

/* A UUID in TEEC_UUID form, so a TA writes .uuid = TEEQ_TA_ECHO_UUID. */
struct ta_uuid {
	uint32_t time_low;
	uint16_t time_mid;
	uint16_t time_hi_and_version;
	uint8_t clock_seq_and_node[8];
};

/* The wire form (RFC 4122 byte order) to the struct form, and back. */
void ta_uuid_from_wire(const struct teeq_uuid *wire, struct ta_uuid *uuid);
void ta_uuid_to_wire(const struct ta_uuid *uuid, struct teeq_uuid *wire);

struct teeq_ta {
	const char *name;
	struct ta_uuid uuid;
	/* bytes of per-session state, zeroed before open_session */
	size_t session_size;
	/* Optional. @params types are in @param_types (TEEQ_PARAM_TYPES). */
	uint32_t (*open_session)(void *session, const struct ta_identity *who,
				 uint32_t param_types,
				 struct ta_param params[TEEQ_NUM_PARAMS]);
	/* Optional; releases what the session holds. Cannot fail. */
	void (*close_session)(void *session);
	uint32_t (*invoke)(void *session, struct ta_call *call, uint32_t cmd,
			   uint32_t param_types,
			   struct ta_param params[TEEQ_NUM_PARAMS]);
	/* Bit n set: command n (n < 64) may wait, in ta_wait() or for the
	 * normal world. A host keeps such calls off the threads that drain
	 * the rings, so that a waiting call holds up no other call. All 64
	 * bits set: every command may wait, those past 63 too. */
	uint64_t blocking_cmds;
	/*
	 * Optional, for loaded TAs (secure/loaded/ta_loaded.c), which run in
	 * processes of their own: one descriptor stands for all of them.
	 * The registry returns it for any UUID no built-in TA has, and
	 * open_remote replaces open_session: it gets the UUID asked for
	 * and the call, since opening may wait (a process to start, the
	 * TA's own entry point) and be cancelled, and its errors may be
	 * the TEE's (ta_call_origin). A host runs it where waiting is
	 * fine, as it does blocking commands.
	 */
	uint32_t (*open_remote)(void *session, struct ta_call *call,
				const struct ta_uuid *uuid,
				const struct ta_identity *who,
				uint32_t param_types,
				struct ta_param params[TEEQ_NUM_PARAMS]);
};

static inline int ta_cmd_blocks(const struct teeq_ta *ta, uint32_t cmd)
{
	return cmd < 64 ? (ta->blocking_cmds >> cmd & 1) :
			  ta->blocking_cmds == ~0ull;
}

/* Registers a TA: its descriptor goes into the "teeq_tas" section, which
 * the core walks (secure/core/registry.c). One file, nothing else to edit.
 * A built-in TA's UUID wins over a loaded TA's. */
#define TEEQ_TA_REGISTER(ta)                                  \
	static const struct teeq_ta *const teeq_ta_entry_##ta \
		__attribute__((used, section("teeq_tas"), aligned(8))) = &ta

const struct teeq_ta *ta_registry_find(const struct ta_uuid *uuid);
size_t ta_registry_count(void);
const struct teeq_ta *ta_registry_at(size_t i);

/* Helper for TAs: is @types exactly these four? */
static inline int ta_params_are(uint32_t types, unsigned int t0,
				unsigned int t1, unsigned int t2,
				unsigned int t3)
{
	return types == TEEQ_PARAM_TYPES(t0, t1, t2, t3);
}

#endif /* TEEQ_SECURE_TA_H */
