/* SPDX-License-Identifier: MIT */
/* The loaded-TA test TA: its variants' UUIDs, its commands. */
#ifndef PROC_TA_H
#define PROC_TA_H

#define PROC_TA_UUID_NODE 0x9c, 0x1d, 0x5e, 0x6f, 0x7a, 0x8b, 0x9c
/* no TA_FLAGS: an instance, a process, per session */
#define PROC_TA_UUID_PLAIN                      \
	{                                       \
		0x7a9f1c2e, 0x5d3b, 0x4b8e,     \
		{                               \
			PROC_TA_UUID_NODE, 0x01 \
		}                               \
	}
/* TA_FLAG_SINGLE_INSTANCE: one session at a time */
#define PROC_TA_UUID_SINGLE                     \
	{                                       \
		0x7a9f1c2e, 0x5d3b, 0x4b8e,     \
		{                               \
			PROC_TA_UUID_NODE, 0x02 \
		}                               \
	}
/* TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION */
#define PROC_TA_UUID_MULTI                      \
	{                                       \
		0x7a9f1c2e, 0x5d3b, 0x4b8e,     \
		{                               \
			PROC_TA_UUID_NODE, 0x03 \
		}                               \
	}
/* ... | TA_FLAG_INSTANCE_KEEP_ALIVE */
#define PROC_TA_UUID_KEEP                       \
	{                                       \
		0x7a9f1c2e, 0x5d3b, 0x4b8e,     \
		{                               \
			PROC_TA_UUID_NODE, 0x04 \
		}                               \
	}

/* Opening: p0 VALUE_INPUT a = one of these (no parameters: OK). */
#define PROC_OPEN_OK 0
#define PROC_OPEN_FAIL 1 /* TEE_ERROR_ACCESS_DENIED */
#define PROC_OPEN_PANIC 2
#define PROC_OPEN_WAIT 3 /* cancellable TEE_Wait(TEE_TIMEOUT_INFINITE) */

/* p0 VALUE_OUTPUT: a = the instance's count of these calls, b = the
 * session's */
#define PROC_CMD_COUNT 0
/* p0 VALUE_OUTPUT: a = the process id */
#define PROC_CMD_PID 1
/* p0 MEMREF_INPUT, p1 MEMREF_OUTPUT: p0's bytes (SHORT_BUFFER with the
 * size needed); p2 MEMREF_INOUT (or NONE): each byte + 1 */
#define PROC_CMD_ECHO 2
/* TEE_Panic(0xdead) */
#define PROC_CMD_PANIC 3
/* a write through a null pointer */
#define PROC_CMD_CRASH 4
/* a loop that never looks at its cancellation */
#define PROC_CMD_LOOP 5
/* unmasked; spins until TEE_GetCancellationFlag, then TEE_ERROR_CANCEL */
#define PROC_CMD_SPIN_CANCEL 6
/* unmasked; p0 VALUE_INPUT a: TEE_Wait(a) and its result */
#define PROC_CMD_WAIT 7
/* p0 VALUE_OUTPUT a: gpd.client.identity's login; p1 MEMREF_OUTPUT: its
 * UUID, 16 bytes, RFC 4122 byte order */
#define PROC_CMD_IDENTITY 8

/* Persistent objects, in the TA's private storage. p0 MEMREF_INPUT: the
 * object's id. STORE: p1 MEMREF_INPUT the data (the object is created, or
 * replaced). LOAD: p1 MEMREF_OUTPUT the data (SHORT_BUFFER with the size
 * needed). HOLD: the object stays open for writing, shared with nobody,
 * while the session lives. */
#define PROC_CMD_STORE 9
#define PROC_CMD_LOAD 10
#define PROC_CMD_HOLD 11
/* Every persistent-object function, checked from inside the TA: p0
 * VALUE_OUTPUT a = the step that went wrong (0: none), b = its result */
#define PROC_CMD_STORAGE_CHECK 12

#endif /* PROC_TA_H */
