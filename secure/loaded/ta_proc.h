/* SPDX-License-Identifier: MIT */
/*
 * Loaded trusted apps in teeq-sw (docs/ta-isolation.md): a .ta file read
 * from the TA directory and checked (ta_load.c), run as a process of its
 * own, teeq-ta-host, reached through a ring of the client protocol
 * (ta_proc.c; uapi/teeq_ta_proc.h), and seen by the core as one struct
 * teeq_ta whose entry points forward to the process (ta_loaded.c).
 *
 * Everything here may wait (for a process, for the TA's code): it runs on
 * teeq-sw's call threads, never on a ring worker, and it never waits on
 * anything a TA process controls without a deadline.
 */
#ifndef TEEQ_SECURE_TA_PROC_H
#define TEEQ_SECURE_TA_PROC_H

#include "sdk/tafile/tafile.h"
#include "secure/core/ta.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

/* Where they are installed (the Makefile says, from PREFIX). */
#ifndef TEEQ_TA_DIR_DEFAULT
#define TEEQ_TA_DIR_DEFAULT "/usr/local/lib/teeq/ta"
#endif
#ifndef TEEQ_TA_HOST_DEFAULT
#define TEEQ_TA_HOST_DEFAULT "/usr/local/libexec/teeq/teeq-ta-host"
#endif

/* Defaults of teeq-sw's options (secure/main.c). */
#define TA_PROC_DEFAULT_LIMIT_MS 30000
#define TA_PROC_DEFAULT_KILL_MS 1000
#define TA_PROC_DEFAULT_MAX 64
#define TA_PROC_DEFAULT_HEAP_MB 64
#define TA_PROC_DEFAULT_SPIN_US 50

struct ta_proc_opts {
	char dir[PATH_MAX]; /* where <uuid>.ta files are read from */
	char host_exe[PATH_MAX]; /* teeq-ta-host */
	/* a call into a TA still running after limit_ms is cancelled;
	 * kill_ms after a cancellation the TA has not answered (or after
	 * its client went away), its process is killed */
	uint32_t limit_ms, kill_ms;
	uint32_t max_procs; /* TA processes at once, all TAs */
	uint64_t heap_size; /* bytes of memrefs one call may carry */
	uint64_t spin_ns; /* polling before sleeping, both sides */
	/* the signature hook; NULL: unsigned files load (host mode) */
	const struct ta_file_verify_ops *verify;
	int verbose;
};

/* ---- ta_loaded.c: the descriptor and GP's TA_FLAGS ---------------------- */

/* The defaults: the directory $TEEQ_TA_DIR, else the installed one;
 * teeq-ta-host next to teeq-sw, else the installed one. */
void ta_loaded_defaults(struct ta_proc_opts *o);
/* Turns loaded TAs on with @o (copied); before it, every UUID no built-in
 * TA has is TEEQ_ERROR_ITEM_NOT_FOUND. Without teeq-ta-host they stay
 * off (said on stderr). 0 or -errno. */
int ta_loaded_setup(const struct ta_proc_opts *o);
/* teeq-sw stops: every instance is destroyed, its process gone. */
void ta_loaded_shutdown(void);

/* ---- ta_verify.c: the signature hook a deployment fills in -------------- */

extern const struct ta_file_verify_ops ta_verify_ops;

/* ---- ta_load.c: reading and checking a .ta file ------------------------- */

struct ta_load_file {
	int memfd; /* the file's bytes, sealed: what was checked is run */
	uint64_t size;
	uint32_t ta_flags;
};

/*
 * Reads <dir>/<uuid>.ta into a sealed memfd and checks it (the format, the
 * UUID, the signature hook). 0, or a negative errno with *@why saying
 * why: -ENOENT (no such file), -EACCES (it cannot be read, or the file or
 * directory may be written by others), -EBADMSG (it holds another TA),
 * and the parser's and the hook's errors.
 */
int ta_load(const char *dir, const struct ta_uuid *uuid,
	    const struct ta_file_verify_ops *verify, struct ta_load_file *out,
	    const char **why);
void ta_load_release(struct ta_load_file *f);

#define TA_UUID_STR_LEN 37 /* with its NUL */
/* The UUID as text, as in a .ta file's name. */
void ta_load_uuid_str(const struct ta_uuid *u, char out[TA_UUID_STR_LEN]);

/* ---- ta_storage.c: a TA's persistent objects -------------------------- */

#define TA_STORAGE_HANDLES 256 /* objects and enumerators open at once */

struct storage_obj;
struct storage_enum;
struct teeq_ta_proc_storage;
struct teeq_ta_proc_storage_reply;

struct ta_storage {
	struct ta_storage_slot {
		struct storage_obj *obj; /* one of these, or neither: free */
		struct storage_enum *en;
	} slots[TA_STORAGE_HANDLES];
};

/* Carries out request @q (@q->hdr.len bytes, which the caller checked
 * against what it received) for the TA of UUID @ns, whose handles @t
 * holds; the reply in @r (room for TEEQ_TA_STORAGE_MSG_MAX bytes), its
 * length in its header. May wait for the supplicant. */
void ta_storage_serve(struct ta_storage *t, const struct ta_uuid *ns,
		      const struct teeq_ta_proc_storage *q,
		      struct teeq_ta_proc_storage_reply *r);
/* Closes every handle (the TA's process is gone). Never waits. */
void ta_storage_release(struct ta_storage *t);

/* ---- ta_proc.c: one instance, one process ------------------------------- */

struct ta_proc;

int ta_proc_init(const struct ta_proc_opts *o);
void ta_proc_fini(void);
/* TA processes alive (or not yet reaped). */
uint32_t ta_proc_count(void);

/*
 * Starts an instance of the TA in @file: a process, its handshake,
 * TA_CreateEntryPoint. TEEQ_SUCCESS with *@out, or an error with *@origin:
 * the TA's create entry point's (TRUSTED_APP), or the TEE's (the process
 * could not start, the code could not be loaded, too many processes,
 * cancelled).
 */
uint32_t ta_proc_start(const struct ta_uuid *uuid,
		       const struct ta_load_file *file, struct ta_call *call,
		       struct ta_proc **out, uint32_t *origin);

/* What a call sends: TEEQ_OP_OPEN_SESSION (@func: the login, @client the
 * client's identity UUID) or TEEQ_OP_INVOKE (@session, @func: the
 * command). */
struct ta_proc_req {
	uint8_t opcode;
	uint32_t session;
	uint32_t func;
	struct teeq_uuid client;
	uint32_t param_types;
	struct ta_param *params;
};

/*
 * One call into the instance, in turn with the others (GP runs one entry
 * point of an instance at a time): waits for the TA's answer, forwards the
 * call's cancellation, cancels it past the time limit and kills the
 * process kill_ms after that. Outputs are written back into @req->params.
 * Returns the result with *@origin; TEEQ_ERROR_TARGET_DEAD (TEE) once the
 * process is dead. For an opening, *@session gets the TA's session id.
 */
uint32_t ta_proc_call(struct ta_proc *p, struct ta_call *call,
		      const struct ta_proc_req *req, uint32_t *session,
		      uint32_t *origin);

/* Closes a session in the process, after whatever runs there; never
 * waits. @node came from ta_proc_close_node() when the session opened. */
struct ta_proc_close;
struct ta_proc_close *ta_proc_close_node(void);
void ta_proc_close_session(struct ta_proc *p, struct ta_proc_close *node,
			   uint32_t session);

/* Drops the caller's hold on the instance; the last one destroys it (the
 * process calls TA_DestroyEntryPoint and exits, or is killed). Never
 * waits. */
void ta_proc_put(struct ta_proc *p);
void ta_proc_get(struct ta_proc *p);
bool ta_proc_dead(struct ta_proc *p);
/* The code's TA_FLAGS, as the process reported them. */
uint32_t ta_proc_flags(const struct ta_proc *p);

#endif /* TEEQ_SECURE_TA_PROC_H */
