/* SPDX-License-Identifier: MIT */
/*
 * What a process that hosts a loaded TA uses: load a .ta (checked, its
 * code mapped from a memfd with dlopen), and a runtime for libteeq_ta's
 * hooks (ta_abi.h) in which another thread can cancel the call in
 * progress. The TA process of the secure world and the SDK's tests both
 * run TAs through these.
 */
#ifndef TEEQ_SDK_HOST_H
#define TEEQ_SDK_HOST_H

#include "sdk/ta_abi.h"
#include "sdk/tafile/tafile.h"

#include <pthread.h>

struct ta_host_ta {
	const struct teeq_ta_entry *entry;
	struct teeq_uuid uuid;
	uint32_t ta_flags, api_level;
	void *dl;
	int fd; /* the memfd holding the code, open while loaded */
};

/*
 * Loads the .ta image @buf: parses and verifies it (@ops may be NULL), checks
 * its UUID against @expect (NULL: any), maps its code and checks that the
 * code's own head agrees with the file's. 0, or a negative errno with *@why
 * saying why: the parser's errors, -ENOENT for another UUID, -EKEYREJECTED
 * or -ENOKEY from the signature hook, -ENOEXEC when the code cannot be
 * mapped or does not export a TA.
 */
int ta_host_load(const void *buf, size_t len, const struct teeq_uuid *expect,
		 const struct ta_file_verify_ops *ops, struct ta_host_ta *ta,
		 const char **why);
/* The same from a file (a regular file of at most the format's limits). */
int ta_host_load_file(const char *path, const struct teeq_uuid *expect,
		      const struct ta_file_verify_ops *ops,
		      struct ta_host_ta *ta, const char **why);
void ta_host_unload(struct ta_host_ta *ta);

/* A runtime for libteeq_ta: cancellation flag, waits, logs, panics. */
struct ta_host_rt {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
	bool cancelled; /* the call in progress */
	/* Called on a panic; must not return. NULL: log and _exit(). */
	void (*on_panic)(struct ta_host_rt *rt, uint32_t code,
			 const char *func);
	void *ctx;
};

/* Exit status of a TA process whose TA panicked (no on_panic set). */
#define TA_HOST_PANIC_EXIT 86

extern const struct teeq_ta_runtime ta_host_rt_ops;

int ta_host_rt_init(struct ta_host_rt *rt);
void ta_host_rt_destroy(struct ta_host_rt *rt);
/* A new call begins: not cancelled. */
void ta_host_rt_new_call(struct ta_host_rt *rt);
/* The client cancelled the call in progress; wakes a waiting TA. */
void ta_host_rt_cancel(struct ta_host_rt *rt);

#endif /* TEEQ_SDK_HOST_H */
