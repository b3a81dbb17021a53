/* SPDX-License-Identifier: MIT */
/*
 * The interface between a loaded TA and the process that hosts it.
 *
 * A TA is a shared object linked with libteeq_ta (the Internal Core API)
 * that exports two symbols: its head (struct teeq_ta_head, user_ta_header.h)
 * and teeq_ta_entry, the table below. The host binds its runtime once,
 * then calls the entry points, one at a time: GP's TA instance never runs
 * two entry points at once, and libteeq_ta keeps no locks.
 *
 * Parameters cross in one form whatever API level the TA was compiled
 * for: TEE_Param with size_t lengths (the v1.3 layout). libteeq_ta
 * converts for a v1.1 TA and back; a memref longer than 4 GiB cannot be
 * given to a v1.1 TA and is refused with TEE_ERROR_BAD_PARAMETERS, origin
 * TEE. Memrefs point at memory the host mapped for the call; the host has
 * validated their bounds.
 */
#ifndef TEEQ_SDK_TA_ABI_H
#define TEEQ_SDK_TA_ABI_H

#include <tee_api_types.h>
#include <user_ta_header.h>

#define TEEQ_TA_ENTRY_MAGIC 0x54514554u /* "TEQT" */
#define TEEQ_TA_ENTRY_VERSION 1u

/*
 * What libteeq_ta asks of its host. Every hook is called on the thread
 * running the entry point, except that the host may change what
 * cancelled() answers from any thread.
 */
struct teeq_ta_runtime {
	/* The TA panicked (TEE_Panic, a programming error the spec makes a
	 * panic, or an unimplemented function named by @func): end the TA.
	 * Must not return; if it does, libteeq_ta aborts. */
	void (*panic)(void *host, uint32_t code, const char *func);
	/* True when the client asked to cancel the call in progress. */
	bool (*cancelled)(void *host);
	/* Sleep @ms milliseconds (TEE_TIMEOUT_INFINITE: until cancelled, or
	 * forever); when @cancellable, return TEE_ERROR_CANCEL as soon as the
	 * call is cancelled, else TEE_SUCCESS after the time. */
	TEE_Result (*wait)(void *host, uint32_t ms, bool cancellable);
	/* One formatted line of TA trace output, without a newline. */
	void (*log)(void *host, int level, const char *line);
	/* Optional: the secure world's storage, for persistent objects.
	 * Sends one request (uapi/teeq_ta_proc.h, struct
	 * teeq_ta_proc_storage, @req_len bytes) and waits for its reply,
	 * at most @reply_cap bytes, into @reply. 0, or -EPIPE when there is
	 * no answer to come (the instance is being destroyed). NULL: no
	 * storage here (TEE_ERROR_STORAGE_NOT_AVAILABLE). */
	int (*storage)(void *host, const void *req, size_t req_len, void *reply,
		       size_t reply_cap);
};

struct teeq_ta_entry {
	uint32_t magic; /* TEEQ_TA_ENTRY_MAGIC */
	uint32_t version; /* TEEQ_TA_ENTRY_VERSION */
	const struct teeq_ta_head *head;
	/* Once, before any entry point: 0, or -EPROTO when the TA's head and
	 * the entry points it defines disagree on the API level. */
	int (*bind)(const struct teeq_ta_runtime *rt, void *host);
	TEE_Result (*create)(void);
	void (*destroy)(void);
	/* On success *session is the host's handle for the later calls.
	 * *origin: TEE_ORIGIN_TRUSTED_APP for the TA's own result, else
	 * TEE_ORIGIN_TEE. */
	TEE_Result (*open_session)(const TEE_Identity *client,
				   uint32_t param_types,
				   TEE_Param params[TEE_NUM_PARAMS],
				   void **session, uint32_t *origin);
	TEE_Result (*invoke)(void *session, uint32_t command,
			     uint32_t param_types,
			     TEE_Param params[TEE_NUM_PARAMS],
			     uint32_t *origin);
	void (*close_session)(void *session);
};

extern const struct teeq_ta_entry teeq_ta_entry;

#endif /* TEEQ_SDK_TA_ABI_H */
