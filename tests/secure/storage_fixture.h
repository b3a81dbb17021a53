/* SPDX-License-Identifier: MIT */
/*
 * The storage core in process, over the real pieces: teeq-supplicant's file
 * service (supplicant/fs.c) on a fresh storage directory, reached through
 * a window buffer as the ring would, and teeq-sw's secure state
 * (secure/attach/state.c) on a fresh state directory. Between them sits a
 * transport the test can cut: detached (no supplicant), or cut at the
 * n-th request, before or after the supplicant carried it out (as if it,
 * or teeq-sw, died right then). core_restart() is teeq-sw dying and coming
 * back: everything in secure memory is gone, the directories stay.
 */
#ifndef TEEQ_TESTS_SECURE_STORAGE_FIXTURE_H
#define TEEQ_TESTS_SECURE_STORAGE_FIXTURE_H

#include "secure/attach/state.h"
#include "secure/storage/storage.h"
#include "supplicant/fs.h"
#include "tests/check.h"
#include "tests/tmpdir.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

struct core_fixture {
	char root[64];
	char storage[96];
	char state_dir[96];
	struct suppl_fs fs;
	struct sw_state state;
	unsigned char *window;
	uint32_t window_size;
	pthread_mutex_t lock;
	int attached;
	/* the transport is cut at request number cut_at (1-based; 0:
	 * never), after the supplicant carried it out if cut_after */
	uint64_t cut_at;
	int cut_after;
	uint64_t requests; /* sent so far */
	uint64_t ops[TEEQ_RPC_FS_MAX + 1]; /* per opcode */
};

static struct core_fixture *core_active;

static inline int core_rpc(void *arg, const struct teeq_rpc_req *req,
			   const void *in, uint32_t in_len, void *out,
			   uint32_t out_cap, struct teeq_rpc_rsp *rsp)
{
	struct core_fixture *f = arg;
	struct teeq_rpc_req r = *req;
	uint64_t n;

	pthread_mutex_lock(&f->lock);
	if (!f->attached || in_len > f->window_size ||
	    out_cap > f->window_size) {
		pthread_mutex_unlock(&f->lock);
		return -ENODEV;
	}
	n = ++f->requests;
	if (n == f->cut_at && !f->cut_after) {
		/* it died before it saw the request */
		f->attached = 0;
		suppl_fs_reset(&f->fs);
		pthread_mutex_unlock(&f->lock);
		return -EPIPE;
	}
	r.tag = n;
	if (in_len)
		memcpy(f->window, in, in_len);
	suppl_fs_request(&f->fs, &r, f->window, f->window_size, rsp);
	if (r.opcode <= TEEQ_RPC_FS_MAX)
		f->ops[r.opcode]++;
	if (n == f->cut_at) {
		/* it did the work, and died before the reply */
		f->attached = 0;
		suppl_fs_reset(&f->fs);
		pthread_mutex_unlock(&f->lock);
		return -EPIPE;
	}
	CHECK(rsp->tag == n);
	CHECK(rsp->len <= out_cap);
	if (rsp->len)
		memcpy(out, f->window, rsp->len);
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static inline uint32_t core_window(void *arg)
{
	struct core_fixture *f = arg;
	uint32_t w;

	pthread_mutex_lock(&f->lock);
	w = f->attached ? f->window_size : 0;
	pthread_mutex_unlock(&f->lock);
	return w;
}

/* The anchors of the state, reached through the fixture. */
static inline int core_anchor_read(void *arg, const char *name, void *buf,
				   size_t len)
{
	return sw_state_anchor_read(&((struct core_fixture *)arg)->state, name,
				    buf, len);
}

static inline int core_anchor_write(void *arg, const char *name,
				    const void *buf, size_t len)
{
	return sw_state_anchor_write(&((struct core_fixture *)arg)->state, name,
				     buf, len);
}

/* The fixture's directories, gone now rather than at exit. */
static inline void core_cleanup(void)
{
	struct core_fixture *f = core_active;

	if (f && f->root[0])
		t_tmpdir_remove(f->root);
}

/* (Re)starts the core over the fixture's directories. */
static inline void core_boot(struct core_fixture *f)
{
	struct storage_platform p = {
		.arg = f,
		.rpc = core_rpc,
		.window = core_window,
		.anchor_read = core_anchor_read,
		.anchor_write = core_anchor_write,
	};
	const char *why = NULL;

	CHECK_EQ(sw_state_open(&f->state, f->state_dir, &why), 0);
	memcpy(p.key, f->state.key, sizeof(p.key));
	CHECK_EQ(storage_init(&p), TEEQ_SUCCESS);
}

/* A fresh storage directory, state directory, supplicant and core. */
static inline void core_init(struct core_fixture *f, uint32_t window_size)
{
	const char *why = NULL;

	memset(f, 0, sizeof(*f));
	core_active = f;
	/* in memory where there is a tmpfs: a crash here is a process
	 * dying, which no fsync() is needed to survive, and the cut runs
	 * make thousands of them */
	if (!access("/dev/shm", W_OK))
		t_tmpdir_in("/dev/shm", f->root, sizeof(f->root), "core");
	else
		t_tmpdir(f->root, sizeof(f->root), "core");
	snprintf(f->storage, sizeof(f->storage), "%s/storage", f->root);
	snprintf(f->state_dir, sizeof(f->state_dir), "%s/state", f->root);
	pthread_mutex_init(&f->lock, NULL);
	f->window_size = window_size;
	f->window = calloc(1, window_size);
	CHECK(f->window);
	CHECK_EQ(suppl_fs_open(&f->fs, f->storage, SUPPL_FS_DEFAULT_MAX_FILE,
			       &why),
		 0);
	f->attached = 1;
	core_boot(f);
}

/* A supplicant (re)attaches: a new one, as after a restart. */
static inline void core_attach(struct core_fixture *f)
{
	const char *why = NULL;

	pthread_mutex_lock(&f->lock);
	suppl_fs_close(&f->fs);
	CHECK_EQ(suppl_fs_open(&f->fs, f->storage, SUPPL_FS_DEFAULT_MAX_FILE,
			       &why),
		 0);
	f->attached = 1;
	f->cut_at = 0;
	pthread_mutex_unlock(&f->lock);
}

static inline void core_detach(struct core_fixture *f)
{
	pthread_mutex_lock(&f->lock);
	f->attached = 0;
	suppl_fs_reset(&f->fs);
	pthread_mutex_unlock(&f->lock);
}

/* teeq-sw dies and comes back (handles must be closed by the caller:
 * a dead process has none), with a supplicant attached. */
static inline void core_restart(struct core_fixture *f)
{
	storage_fini();
	sw_state_close(&f->state);
	core_attach(f);
	core_boot(f);
}

static inline void core_fini(struct core_fixture *f)
{
	storage_fini();
	sw_state_close(&f->state);
	suppl_fs_close(&f->fs);
	free(f->window);
}

/* ---- helpers over the core API ---------------------------------------------- */

static const struct ta_uuid core_ns = { 0x11111111,
					0x2222,
					0x3333,
					{ 1, 2, 3, 4, 5, 6, 7, 8 } };

static inline uint32_t core_put(const struct ta_uuid *ns, const char *id,
				const void *data, size_t len)
{
	return storage_create(ns, id, strlen(id),
			      STORAGE_ACCESS_WRITE | STORAGE_OVERWRITE, NULL, 0,
			      data, len, NULL);
}

/* The whole object (beside handles that share it): the result; its bytes
 * in @buf, count in *@len. */
static inline uint32_t core_get(const struct ta_uuid *ns, const char *id,
				void *buf, size_t cap, size_t *len)
{
	struct storage_obj *o;
	uint32_t res;

	*len = 0;
	res = storage_open(ns, id, strlen(id),
			   STORAGE_ACCESS_READ | STORAGE_SHARE_READ |
				   STORAGE_SHARE_WRITE,
			   &o);
	if (res)
		return res;
	res = storage_read(o, buf, cap, len);
	storage_close(o);
	return res;
}

#endif /* TEEQ_TESTS_SECURE_STORAGE_FIXTURE_H */
