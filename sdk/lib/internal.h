/* SPDX-License-Identifier: MIT */
/*
 * libteeq_ta's private interface: the runtime state every part reads
 * (runtime.c), the handle registry that turns a bad handle into a panic
 * instead of a wild access (handle.c), and what the crypto files share.
 *
 * A TA instance runs one entry point at a time (ta_abi.h), so nothing here
 * takes a lock.
 */
#ifndef TEEQ_SDK_LIB_INTERNAL_H
#define TEEQ_SDK_LIB_INTERNAL_H

#include <tee_internal_api.h>

#include "sdk/ta_abi.h"

/* One client session, as the host sees it: the handle open_session gave. */
struct ta_session {
	void *ta_ctx; /* the TA's *sessionContext */
	TEE_Identity client;
	bool cancel_masked; /* GP: masked when the session opens */
};

/* The entry point in progress. */
struct ta_call {
	struct ta_session *session; /* NULL in create/destroy */
	uint32_t param_types;
	const TEE_Param *params; /* the host's view, for memory checks */
};

struct ta_rt {
	const struct teeq_ta_runtime *ops; /* NULL until bound */
	void *host;
	struct ta_call call;
	const void *instance_data;
};

extern struct ta_rt ta_rt;

/* Ends the TA: logs "<func>: panic: <why>" and calls the host's hook. */
void ta_rt_panic(uint32_t code, const char *func, const char *why)
	__attribute__((noreturn));
void ta_rt_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A programming error the spec makes a panic, in the calling function. */
#define TA_PANIC(why) ta_rt_panic(TEE_ERROR_BAD_STATE, __func__, (why))
#define TA_PANIC_IF(cond, why)         \
	do {                           \
		if (cond)              \
			TA_PANIC(why); \
	} while (0)
/* A buffer argument the function must be able to read or write. */
#define TA_CHECK_BUF(buf, len) TA_PANIC_IF(!(buf) && (len), #buf " is NULL")

enum ta_handle_kind {
	TA_HANDLE_OBJECT = 1,
	TA_HANDLE_OPERATION,
	TA_HANDLE_PROPENUM,
	TA_HANDLE_PENUM, /* a persistent object enumerator */
};

/* 0 or -ENOMEM. */
int ta_handle_add(const void *handle, enum ta_handle_kind kind);
void ta_handle_del(const void *handle);
bool ta_handle_valid(const void *handle, enum ta_handle_kind kind);

/* Constant-time comparison of two equal-length buffers: 0 when equal. */
int ta_mem_diff(const void *a, const void *b, size_t len);

#endif /* TEEQ_SDK_LIB_INTERNAL_H */
