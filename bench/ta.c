// SPDX-License-Identifier: MIT
/*
 * Loaded trusted apps (each instance a process of its own, reached from
 * teeq-sw through a ring) next to the built-in ones, in the same run and
 * against the same teeq-sw:
 *
 *   noop_builtin / noop_loaded         a synchronous noop invocation's
 *                                      round trip
 *   noop_loaded_hop                    the loaded one's part between
 *                                      teeq-sw and the TA's process
 *                                      alone: teeq-sw's core run in this
 *                                      process, calling into the TA, no
 *                                      client, worker or call thread
 *   open_close_builtin / _loaded_kept  TEEC_OpenSession + TEEC_CloseSession
 *   open_close_loaded_process          ... of a TA with an instance per
 *                                      session: a process started and
 *                                      destroyed each time
 *   aes_ctr_builtin / aes_ctr_loaded   AES-128-CTR of 1 MiB per call, on
 *                                      allocated shared memory (which the
 *                                      built-in TA reads in place and
 *                                      teeq-sw copies for a loaded one)
 *
 * The loaded TAs (bench/ta/noop, examples/ta/aes) are read from
 * <teeq-bench's directory>/tas, given to teeq-sw as $TEEQ_TA_DIR.
 */
#include "bench/bench.h"
#include "bench/calls.h"
#include "bench/env.h"

#include "uapi/teeq_tas.h"

#include "secure/core/call.h"
#include "secure/loaded/ta_proc.h"

#include "bench/ta/noop/include/bench_noop_ta.h"
#include "examples/ta/aes/ta/include/aes_ta.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TA_AES_LEN (1u << 20)

static const TEEC_UUID ta_noop_kept = BENCH_NOOP_TA_KEPT_UUID;
static const TEEC_UUID ta_noop_per_session = BENCH_NOOP_TA_PER_SESSION_UUID;
static const TEEC_UUID ta_aes = AES_TA_UUID;
static int ta_dir_found;

void bench_ta_env(void)
{
	char dir[PATH_MAX];
	struct stat st;
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 6);

	if (n <= 0)
		return;
	dir[n] = 0;
	strcpy(strrchr(dir, '/'), "/tas");
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return;
	setenv("TEEQ_TA_DIR", dir, 1);
	ta_dir_found = 1;
}

/* The spin environment and a session to @uuid on it, or NULL. */
static struct bench_env *ta_open(struct bench *b, const TEEC_UUID *uuid,
				 TEEC_Session *sess)
{
	struct bench_env *env;
	uint32_t origin;
	TEEC_Result res;

	if (!ta_dir_found) {
		bench_not_measured(b,
				   "no loaded TAs next to teeq-bench (tas/)");
		return NULL;
	}
	env = bench_env_use(b, BENCH_ENV_SPIN);
	if (!env)
		return NULL;
	res = TEEC_OpenSession(&env->ctx, sess, uuid, TEEC_LOGIN_PUBLIC, NULL,
			       NULL, &origin);
	if (res != TEEC_SUCCESS) {
		bench_fail(b, "TEEC_OpenSession: 0x%08x origin %u", res,
			   origin);
		return NULL;
	}
	return env;
}

static inline void ta_invoke(struct bench *b, TEEC_Session *sess, uint32_t cmd,
			     TEEC_Operation *op)
{
	uint32_t origin;
	TEEC_Result res = TEEC_InvokeCommand(sess, cmd, op, &origin);

	if (res != TEEC_SUCCESS)
		bench_fail(b, "TEEC_InvokeCommand: 0x%08x origin %u", res,
			   origin);
}

/* ---- noop ------------------------------------------------------------------ */

static void bm_ta_noop_builtin(struct bench *b)
{
	struct bench_env *env = bench_env_use(b, BENCH_ENV_SPIN);
	TEEC_Session *sess = env ? bench_env_session(b, env, BENCH_TA_NOOP) :
				   NULL;

	if (!sess)
		return;
	bench_set_peer(b, env->pid);
	BENCH_ROUND_TRIPS(b, bench_noop_invoke(b, sess, NULL));
	bench_label(b, "TEEC_InvokeCommand(built-in noop)");
}

static void bm_ta_noop_loaded(struct bench *b)
{
	TEEC_Session sess;
	struct bench_env *env = ta_open(b, &ta_noop_kept, &sess);
	int i;

	if (!env)
		return;
	bench_set_peer(b, env->pid);
	for (i = 0; i < 1000; i++) /* both processes warm */
		ta_invoke(b, &sess, BENCH_NOOP_CMD_NOOP, NULL);
	BENCH_ROUND_TRIPS(b, ta_invoke(b, &sess, BENCH_NOOP_CMD_NOOP, NULL));
	TEEC_CloseSession(&sess);
	bench_label(b, "TEEC_InvokeCommand(loaded noop, its own process)");
}

static inline void ta_hop_invoke(struct bench *b, const struct teeq_ta *ta,
				 void *state, struct ta_call *call,
				 struct ta_param *p)
{
	if (ta->invoke(state, call, BENCH_NOOP_CMD_NOOP, 0, p))
		bench_fail(b, "the loaded noop's invoke failed");
}

/*
 * teeq-sw's core in this process, the loaded noop TA's process started
 * from here, and its invoke entry called back to back as a call thread
 * does: the ring to the TA's process and back, nothing else.
 */
static void bm_ta_noop_hop(struct bench *b)
{
	const struct ta_uuid uuid = { 0x5b0e7c3a,
				      0x2f61,
				      0x4d8e,
				      { 0xa9, 0xc4, 0x1e, 0x7d, 0x3b, 0x5f,
					0x6a, 0x01 } };
	struct ta_identity who = { TEEQ_LOGIN_PUBLIC, 0, 0, 0 };
	struct ta_param p[TEEQ_NUM_PARAMS];
	struct ta_call call = { .origin = TEEQ_ORIGIN_TRUSTED_APP };
	struct ta_proc_opts o;
	const struct teeq_ta *ta;
	const char *dir = getenv("TEEQ_TA_DIR");
	void *state = NULL;
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 32);

	if (!ta_dir_found || !dir || n <= 0) {
		bench_not_measured(b,
				   "no loaded TAs next to teeq-bench (tas/)");
		return;
	}
	/* nothing else polls meanwhile */
	bench_env_none();
	self[n] = 0;
	ta_loaded_defaults(&o);
	snprintf(o.dir, sizeof(o.dir), "%s", dir);
	/* <build>/bench/teeq-bench -> <build>/secure/teeq-ta-host */
	strcpy(strrchr(self, '/'), "/../secure/teeq-ta-host");
	snprintf(o.host_exe, sizeof(o.host_exe), "%s", self);
	memset(p, 0, sizeof(p));
	ta = ta_registry_find(&uuid);
	if (!ta || !ta->open_remote || ta_loaded_setup(&o) ||
	    !(state = calloc(1, ta->session_size)) ||
	    ta->open_remote(state, &call, &uuid, &who, 0, p)) {
		bench_fail(b, "cannot open the loaded noop TA in process");
		free(state);
		ta_loaded_shutdown();
		return;
	}
	BENCH_ROUND_TRIPS(b, ta_hop_invoke(b, ta, state, &call, p));
	ta->close_session(state);
	free(state);
	ta_loaded_shutdown();
	bench_label(b, "teeq-sw core to the loaded noop's process and back");
}

/* ---- open and close ------------------------------------------------------------ */

static void bm_ta_open_close_builtin(struct bench *b)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct bench_env *env = bench_env_use(b, BENCH_ENV_SPIN);

	if (!env)
		return;
	BENCH_ROUND_TRIPS(b, bench_open_close(b, &env->ctx, &noop));
	bench_label(b, "open + close, built-in noop");
}

static void bm_ta_open_close_loaded(struct bench *b, const TEEC_UUID *uuid,
				    const char *label)
{
	TEEC_Session first;
	struct bench_env *env = ta_open(b, uuid, &first);

	if (!env)
		return;
	/* the kept instance is running: what is measured is a session */
	TEEC_CloseSession(&first);
	BENCH_ROUND_TRIPS(b, bench_open_close(b, &env->ctx, uuid));
	bench_label(b, "%s", label);
}

static void bm_ta_open_close_kept(struct bench *b)
{
	bm_ta_open_close_loaded(b, &ta_noop_kept,
				"open + close, loaded noop, kept instance");
}

static void bm_ta_open_close_process(struct bench *b)
{
	bm_ta_open_close_loaded(b, &ta_noop_per_session,
				"open + close, loaded noop, a process each");
}

/* ---- AES-CTR 1 MiB ------------------------------------------------------------- */

static const uint8_t ta_aes_key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae,
					0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
					0x09, 0xcf, 0x4f, 0x3c };

/* iv, src, dst in one shared buffer; the key set; 0 or -1 (@b failed) */
struct ta_aes_call {
	TEEC_SharedMemory shm;
	TEEC_Operation op;
	uint32_t cmd;
};

static int ta_aes_setup(struct bench *b, struct bench_env *env,
			TEEC_Session *sess, int builtin, struct ta_aes_call *c)
{
	TEEC_Operation op;
	uint8_t *m;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->shm.size = 4096 + 2 * (size_t)TA_AES_LEN;
	c->shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	if (TEEC_AllocateSharedMemory(&env->ctx, &c->shm) != TEEC_SUCCESS) {
		bench_fail(b, "TEEC_AllocateSharedMemory");
		return -1;
	}
	m = c->shm.buffer;
	for (i = 0; i < 16; i++)
		m[i] = (uint8_t)(0xf0 + i);
	for (i = 0; i < TA_AES_LEN; i++)
		m[4096 + i] = (uint8_t)(i * 131 + (i >> 12));
	memset(&op, 0, sizeof(op));
	op.params[0].tmpref.buffer = (void *)ta_aes_key;
	op.params[0].tmpref.size = sizeof(ta_aes_key);
	if (builtin) {
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
						 TEEC_MEMREF_TEMP_INPUT,
						 TEEC_NONE, TEEC_NONE);
		op.params[1] = op.params[0];
		op.params[0].value.a = TEEQ_CIPHER_MODE_CTR;
		ta_invoke(b, sess, TEEQ_CIPHER_CMD_SET_KEY, &op);
		c->cmd = TEEQ_CIPHER_CMD_CTR;
	} else {
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
						 TEEC_NONE, TEEC_NONE,
						 TEEC_NONE);
		ta_invoke(b, sess, AES_CMD_SET_KEY, &op);
		c->cmd = AES_CMD_CTR;
	}
	c->op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
					    TEEC_MEMREF_PARTIAL_INPUT,
					    TEEC_MEMREF_PARTIAL_OUTPUT,
					    TEEC_NONE);
	c->op.params[0].memref =
		(TEEC_RegisteredMemoryReference){ &c->shm, 16, 0 };
	c->op.params[1].memref =
		(TEEC_RegisteredMemoryReference){ &c->shm, TA_AES_LEN, 4096 };
	c->op.params[2].memref =
		(TEEC_RegisteredMemoryReference){ &c->shm, TA_AES_LEN,
						  4096 + TA_AES_LEN };
	return b->failed ? -1 : 0;
}

/* The first call's output, for the loaded TA's to be checked against. */
static uint8_t *ta_aes_reference;

static void bm_ta_aes(struct bench *b, int builtin)
{
	static const TEEC_UUID cipher = TEEQ_TA_CIPHER_UUID;
	struct ta_aes_call c;
	struct bench_env *env;
	TEEC_Session sess;
	const uint8_t *out;

	env = builtin ? bench_env_use(b, BENCH_ENV_SPIN) :
			ta_open(b, &ta_aes, &sess);
	if (!env)
		return;
	if (builtin &&
	    TEEC_OpenSession(&env->ctx, &sess, &cipher, TEEC_LOGIN_PUBLIC, NULL,
			     NULL, NULL) != TEEC_SUCCESS) {
		bench_fail(b, "TEEC_OpenSession(cipher)");
		return;
	}
	if (!ta_aes_setup(b, env, &sess, builtin, &c)) {
		ta_invoke(b, &sess, c.cmd, &c.op);
		out = (const uint8_t *)c.shm.buffer + 4096 + TA_AES_LEN;
		/* the same bytes from both, or the figure means nothing */
		if (builtin && !ta_aes_reference)
			ta_aes_reference = malloc(TA_AES_LEN);
		if (builtin && ta_aes_reference)
			memcpy(ta_aes_reference, out, TA_AES_LEN);
		else if (!builtin &&
			 (!ta_aes_reference ||
			  memcmp(ta_aes_reference, out, TA_AES_LEN)))
			bench_fail(b, "the loaded TA's AES-CTR is not the "
				      "built-in one's");
		bench_set_peer(b, env->pid);
		while (!b->failed && bench_run(b))
			ta_invoke(b, &sess, c.cmd, &c.op);
		bench_bytes(b, bench_iterations(b) * (int64_t)TA_AES_LEN);
		TEEC_ReleaseSharedMemory(&c.shm);
	}
	TEEC_CloseSession(&sess);
	bench_label(b, "AES-128-CTR 1 MiB, allocated shared memory, %s",
		    builtin ? "built-in cipher TA (in place)" :
			      "loaded aes TA (copied in and out)");
}

static void bm_ta_aes_builtin(struct bench *b)
{
	bm_ta_aes(b, 1);
}

static void bm_ta_aes_loaded(struct bench *b)
{
	bm_ta_aes(b, 0);
}

size_t bench_ta_defs(struct bench_def *d, size_t n)
{
	d[n++] = BENCH_DEF("teeq/ta/noop_builtin", bm_ta_noop_builtin);
	d[n++] = BENCH_DEF("teeq/ta/noop_loaded", bm_ta_noop_loaded);
	d[n++] = BENCH_DEF("teeq/ta/noop_loaded_hop", bm_ta_noop_hop);
	d[n++] = BENCH_DEF("teeq/ta/open_close_builtin",
			   bm_ta_open_close_builtin);
	d[n++] = BENCH_DEF("teeq/ta/open_close_loaded_kept",
			   bm_ta_open_close_kept);
	d[n] = BENCH_DEF("teeq/ta/open_close_loaded_process",
			 bm_ta_open_close_process);
	/* a process per iteration: a fixed, modest count */
	d[n++].iterations = bench_quick() ? 20 : 100;
	d[n++] = BENCH_DEF("teeq/ta/aes_ctr_1m_builtin", bm_ta_aes_builtin);
	d[n++] = BENCH_DEF("teeq/ta/aes_ctr_1m_loaded", bm_ta_aes_loaded);
	return n;
}
