// SPDX-License-Identifier: MIT
/*
 * Loaded trusted apps as the core sees them: one struct teeq_ta, found by
 * the registry for every UUID no built-in TA has, whose entry points
 * forward to the TA's instance (ta_proc.c), and GP's TA_FLAGS:
 *
 *   TA_FLAG_SINGLE_INSTANCE      one instance serves every session, of
 *                                every client; without it, each session
 *                                gets an instance (a process) of its own
 *   TA_FLAG_MULTI_SESSION        a single instance takes a second session
 *                                while it has one; without it, opening
 *                                one then is TEEQ_ERROR_BUSY
 *   TA_FLAG_INSTANCE_KEEP_ALIVE  a single instance outlives its last
 *                                session (until teeq-sw stops, or it dies)
 *
 * An instance whose process died is never reused: its sessions get
 * TEEQ_ERROR_TARGET_DEAD (origin TEE) and the next opening starts anew.
 */
#include "secure/loaded/ta_proc.h"

#include "uapi/teeq_ring.h"

#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ta_loaded_single_get() without a file: one must be read to start it */
#define TA_LOADED_RELOAD 1u

/* A single-instance TA's instance, while it has sessions or is kept. */
struct ta_loaded_single {
	struct ta_uuid uuid;
	struct ta_proc *proc; /* NULL while starting */
	uint32_t sessions;
	struct ta_loaded_single *next;
};

struct ta_loaded_session {
	struct ta_proc *proc;
	uint32_t ta_session; /* the process's id for it */
	struct ta_proc_close *close; /* what closing it sends */
	int single; /* counted in its ta_loaded_single */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* a single instance finished starting */
	struct ta_loaded_single *singles;
	struct ta_proc_opts opts;
	int enabled;
} ta_loaded = { .lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER };

static int ta_loaded_uuid_eq(const struct ta_uuid *a, const struct ta_uuid *b)
{
	return a->time_low == b->time_low && a->time_mid == b->time_mid &&
	       a->time_hi_and_version == b->time_hi_and_version &&
	       !memcmp(a->clock_seq_and_node, b->clock_seq_and_node, 8);
}

/*
 * The client's identity UUID, as the Linux TEE subsystem computes it: a
 * version 5 UUID in its namespace of "uid=<hex>" for user logins and
 * "gid=<hex>" for group logins, nil for public ones. Application logins
 * are the user's or group's: host mode does not identify applications.
 */
static void ta_loaded_client_uuid(const struct ta_identity *who,
				  struct teeq_uuid *out)
{
	static const uint8_t ns[16] = { 0x58, 0xac, 0x9c, 0xa0, 0x20, 0x86,
					0x46, 0x83, 0xa1, 0xb8, 0xec, 0x4b,
					0xc0, 0x8e, 0x01, 0xb6 };
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	char name[32];
	int n;
	EVP_MD_CTX *ctx;

	memset(out, 0, sizeof(*out));
	switch (who->login) {
	case TEEQ_LOGIN_USER:
	case TEEQ_LOGIN_USER_APPLICATION:
		n = snprintf(name, sizeof(name), "uid=%x", who->uid);
		break;
	case TEEQ_LOGIN_GROUP:
	case TEEQ_LOGIN_GROUP_APPLICATION:
		n = snprintf(name, sizeof(name), "gid=%x", who->gid);
		break;
	default:
		return;
	}
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) ||
	    !EVP_DigestUpdate(ctx, ns, sizeof(ns)) ||
	    !EVP_DigestUpdate(ctx, name, (size_t)n) ||
	    !EVP_DigestFinal_ex(ctx, md, &md_len) || md_len < 16) {
		EVP_MD_CTX_free(ctx);
		return; /* nil: an identity nobody else has either */
	}
	EVP_MD_CTX_free(ctx);
	memcpy(out->b, md, 16);
	out->b[6] = (uint8_t)((out->b[6] & 0x0f) | 0x50); /* version 5 */
	out->b[8] = (uint8_t)((out->b[8] & 0x3f) | 0x80); /* RFC 4122 */
}

static struct ta_loaded_single *ta_loaded_find(const struct ta_uuid *uuid)
{
	struct ta_loaded_single *e;

	for (e = ta_loaded.singles; e; e = e->next)
		if (ta_loaded_uuid_eq(&e->uuid, uuid))
			return e;
	return NULL;
}

/* The table's entry of @proc; NULL once it died and was replaced. */
static struct ta_loaded_single *ta_loaded_single_of(const struct ta_proc *proc)
{
	struct ta_loaded_single *e;

	for (e = ta_loaded.singles; e && e->proc != proc; e = e->next)
		;
	return e;
}

static void ta_loaded_unlink(struct ta_loaded_single *e)
{
	struct ta_loaded_single **pp;

	for (pp = &ta_loaded.singles; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			return;
		}
}

/* One session less on a single instance; the table's hold goes with the
 * last one unless the TA keeps it alive. Under ta_loaded.lock. */
static void ta_loaded_single_drop(struct ta_loaded_single *e)
{
	if (--e->sessions ||
	    ((ta_proc_flags(e->proc) & TEEQ_TA_FLAG_INSTANCE_KEEP_ALIVE) &&
	     !ta_proc_dead(e->proc)))
		return;
	ta_loaded_unlink(e);
	ta_proc_put(e->proc);
	free(e);
}

/*
 * The single instance of @uuid for a new session, started from @file if
 * there is none (or it died; TA_LOADED_RELOAD when @file is NULL),
 * counted with the session; TEEQ_ERROR_BUSY when it takes one session at
 * a time and has it.
 */
static uint32_t ta_loaded_single_get(const struct ta_uuid *uuid,
				     const struct ta_load_file *file,
				     struct ta_call *call, struct ta_proc **out,
				     uint32_t *origin)
{
	struct ta_loaded_single *e;
	struct ta_proc *p;
	uint32_t ret;

	*origin = TEEQ_ORIGIN_TEE;
	pthread_mutex_lock(&ta_loaded.lock);
	for (;;) {
		e = ta_loaded_find(uuid);
		if (e && !e->proc) { /* another opening starts it */
			struct timespec until;

			pthread_mutex_unlock(&ta_loaded.lock);
			if (ta_cancelled(call))
				return TEEQ_ERROR_CANCEL;
			/* a look at the cancellation every 10 ms */
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 10000000;
			if (until.tv_nsec >= 1000000000) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000;
			}
			pthread_mutex_lock(&ta_loaded.lock);
			if (ta_loaded_find(uuid) == e && !e->proc)
				pthread_cond_timedwait(&ta_loaded.cond,
						       &ta_loaded.lock, &until);
			continue;
		}
		if (e && ta_proc_dead(e->proc)) {
			/* its sessions keep it until they close */
			ta_loaded_unlink(e);
			ta_proc_put(e->proc);
			free(e);
			e = NULL;
		}
		break;
	}
	if (e) {
		if (e->sessions &&
		    !(ta_proc_flags(e->proc) & TEEQ_TA_FLAG_MULTI_SESSION)) {
			pthread_mutex_unlock(&ta_loaded.lock);
			return TEEQ_ERROR_BUSY;
		}
		e->sessions++;
		ta_proc_get(e->proc);
		*out = e->proc;
		pthread_mutex_unlock(&ta_loaded.lock);
		return TEEQ_SUCCESS;
	}
	e = file ? calloc(1, sizeof(*e)) : NULL;
	if (!e) {
		pthread_mutex_unlock(&ta_loaded.lock);
		return file ? TEEQ_ERROR_OUT_OF_MEMORY : TA_LOADED_RELOAD;
	}
	e->uuid = *uuid;
	e->next = ta_loaded.singles;
	ta_loaded.singles = e;
	pthread_mutex_unlock(&ta_loaded.lock);

	ret = ta_proc_start(uuid, file, call, &p, origin);

	pthread_mutex_lock(&ta_loaded.lock);
	if (ret) {
		ta_loaded_unlink(e);
		free(e);
	} else {
		e->proc = p; /* the table's hold */
		e->sessions = 1;
		ta_proc_get(p);
		*out = p;
	}
	pthread_cond_broadcast(&ta_loaded.cond);
	pthread_mutex_unlock(&ta_loaded.lock);
	return ret;
}

/* The session lets go of its instance. */
static void ta_loaded_close_proc(struct ta_loaded_session *s)
{
	struct ta_loaded_single *e;

	if (s->single) {
		pthread_mutex_lock(&ta_loaded.lock);
		e = ta_loaded_single_of(s->proc);
		if (e) /* else it died and an opening replaced it */
			ta_loaded_single_drop(e);
		pthread_mutex_unlock(&ta_loaded.lock);
	}
	ta_proc_put(s->proc);
}

static int ta_loaded_single_running(const struct ta_uuid *uuid)
{
	struct ta_loaded_single *e;
	int found;

	pthread_mutex_lock(&ta_loaded.lock);
	e = ta_loaded_find(uuid);
	found = e && (!e->proc || !ta_proc_dead(e->proc));
	pthread_mutex_unlock(&ta_loaded.lock);
	return found;
}

static uint32_t ta_loaded_open(void *session, struct ta_call *call,
			       const struct ta_uuid *uuid,
			       const struct ta_identity *who,
			       uint32_t param_types,
			       struct ta_param params[TEEQ_NUM_PARAMS])
{
	struct ta_loaded_session *s = session;
	struct ta_load_file file = { .memfd = -1 };
	struct ta_proc_req req = {
		.opcode = TEEQ_OP_OPEN_SESSION,
		.func = who->login,
		.param_types = param_types,
		.params = params,
	};
	const char *why = "";
	uint32_t ret, origin = TEEQ_ORIGIN_TEE;
	int err;

	if (!ta_loaded.enabled) {
		ta_call_origin(call, TEEQ_ORIGIN_TEE);
		return TEEQ_ERROR_ITEM_NOT_FOUND;
	}
	s->close = ta_proc_close_node();
	if (!s->close) {
		ta_call_origin(call, TEEQ_ORIGIN_TEE);
		return TEEQ_ERROR_OUT_OF_MEMORY;
	}
	/* a running single instance is not read again from its file */
	ret = TA_LOADED_RELOAD;
	if (ta_loaded_single_running(uuid)) {
		ret = ta_loaded_single_get(uuid, NULL, call, &s->proc, &origin);
		s->single = 1;
	}
	if (ret == TA_LOADED_RELOAD) {
		err = ta_load(ta_loaded.opts.dir, uuid, ta_loaded.opts.verify,
			      &file, &why);
		if (err) {
			char name[TA_UUID_STR_LEN];

			ta_load_uuid_str(uuid, name);
			if (err != -ENOENT || ta_loaded.opts.verbose)
				fprintf(stderr,
					"teeq-sw[%d]: TA %s not loaded from "
					"%s: %s\n",
					(int)getpid(), name, ta_loaded.opts.dir,
					why);
			ret = TEEQ_ERROR_ITEM_NOT_FOUND;
			goto fail;
		}
		s->single = !!(file.ta_flags & TEEQ_TA_FLAG_SINGLE_INSTANCE);
		if (s->single)
			ret = ta_loaded_single_get(uuid, &file, call, &s->proc,
						   &origin);
		else
			ret = ta_proc_start(uuid, &file, call, &s->proc,
					    &origin);
	}
	ta_load_release(&file);
	if (ret)
		goto fail;

	ta_loaded_client_uuid(who, &req.client);
	ret = ta_proc_call(s->proc, call, &req, &s->ta_session, &origin);
	if (ret) {
		s->ta_session = 0;
		free(s->close);
		s->close = NULL;
		ta_call_origin(call, origin);
		ta_loaded_close_proc(s);
		return ret;
	}
	return TEEQ_SUCCESS;

fail:
	ta_load_release(&file);
	free(s->close);
	s->close = NULL;
	ta_call_origin(call, origin);
	return ret;
}

static uint32_t ta_loaded_invoke(void *session, struct ta_call *call,
				 uint32_t cmd, uint32_t param_types,
				 struct ta_param params[TEEQ_NUM_PARAMS])
{
	struct ta_loaded_session *s = session;
	struct ta_proc_req req = {
		.opcode = TEEQ_OP_INVOKE,
		.session = s->ta_session,
		.func = cmd,
		.param_types = param_types,
		.params = params,
	};
	uint32_t origin, ret;

	ret = ta_proc_call(s->proc, call, &req, NULL, &origin);
	ta_call_origin(call, origin);
	return ret;
}

static void ta_loaded_close(void *session)
{
	struct ta_loaded_session *s = session;

	ta_proc_close_session(s->proc, s->close, s->ta_session);
	ta_loaded_close_proc(s);
}

static const struct teeq_ta ta_loaded_ta = {
	.name = "loaded",
	.session_size = sizeof(struct ta_loaded_session),
	.open_remote = ta_loaded_open,
	.invoke = ta_loaded_invoke,
	.close_session = ta_loaded_close,
	.blocking_cmds = ~0ull,
};

TEEQ_TA_REGISTER(ta_loaded_ta);

/* teeq-ta-host as @name in @dir, if it is there. */
static int ta_loaded_exe(struct ta_proc_opts *o, const char *dir,
			 const char *name)
{
	return (size_t)snprintf(o->host_exe, sizeof(o->host_exe), "%s/%s", dir,
				name) < sizeof(o->host_exe) &&
	       !access(o->host_exe, X_OK);
}

void ta_loaded_defaults(struct ta_proc_opts *o)
{
	const char *env = secure_getenv("TEEQ_TA_DIR");
	char self[PATH_MAX];
	ssize_t n;

	memset(o, 0, sizeof(*o));
	snprintf(o->dir, sizeof(o->dir), "%s",
		 env && *env ? env : TEEQ_TA_DIR_DEFAULT);
	o->limit_ms = TA_PROC_DEFAULT_LIMIT_MS;
	o->kill_ms = TA_PROC_DEFAULT_KILL_MS;
	o->max_procs = TA_PROC_DEFAULT_MAX;
	o->heap_size = (uint64_t)TA_PROC_DEFAULT_HEAP_MB << 20;
	o->spin_ns = (uint64_t)TA_PROC_DEFAULT_SPIN_US * 1000;
	/* next to teeq-sw (a build tree), else in the libexec of the prefix
	 * teeq-sw is installed in (wherever the tree was copied), else where
	 * it was to be installed */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		*strrchr(self, '/') = 0;
		if (ta_loaded_exe(o, self, "teeq-ta-host") ||
		    ta_loaded_exe(o, self, "../libexec/teeq/teeq-ta-host"))
			return;
	}
	snprintf(o->host_exe, sizeof(o->host_exe), "%s", TEEQ_TA_HOST_DEFAULT);
}

int ta_loaded_setup(const struct ta_proc_opts *o)
{
	int ret;

	if (access(o->host_exe, X_OK)) {
		fprintf(stderr, "teeq-sw[%d]: no loaded TAs: cannot run %s\n",
			(int)getpid(), o->host_exe);
		return 0;
	}
	ta_loaded.opts = *o;
	ret = ta_proc_init(o);
	if (!ret)
		ta_loaded.enabled = 1;
	return ret;
}

void ta_loaded_shutdown(void)
{
	struct ta_loaded_single *e;

	if (!ta_loaded.enabled)
		return;
	pthread_mutex_lock(&ta_loaded.lock);
	ta_loaded.enabled = 0;
	while ((e = ta_loaded.singles)) {
		ta_loaded.singles = e->next;
		if (e->proc)
			ta_proc_put(e->proc);
		free(e);
	}
	pthread_mutex_unlock(&ta_loaded.lock);
	ta_proc_fini();
}
