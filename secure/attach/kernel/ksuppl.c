// SPDX-License-Identifier: MIT
/*
 * The supplicant's way in, kernel mode: the storage core's file requests
 * go through the teeq driver's privileged node (uapi/teeq_rpc.h, "Kernel
 * mode"), asked with TEEQ_SWDEV_IOC_SUPP_CALL on the endpoint teeq-sw is
 * attached to, and served by teeq-supplicant with SUPPL_RECV/SUPPL_SEND.
 *
 * The payloads live in the supplicant's memory, as upstream's do: on the
 * first request (and whenever the driver says the buffer is no longer the
 * attached supplicant's) we ask it for its buffer (TEEQ_RPC_KFUNC_SHM),
 * map it through the driver (TEEQ_SWDEV_IOC_SUPP_SHM), and from then on
 * each request owns one window of it until its answer: names and data
 * are written there, replies read from there, and the driver carries
 * only the request's words. Every length the supplicant gives back is
 * checked against the window and what the caller can take.
 *
 * Waiting. A request blocks the calling thread in the ioctl, which is a
 * storage call's call thread, never a ring worker (the storage TA's
 * commands are blocking_cmds); at most --supplicant-timeout-ms, after
 * which the driver refuses the late answer. NOWAIT makes every request
 * fail at once while no supplicant has the node open, so storage is
 * STORAGE_NOT_AVAILABLE at once and nothing else waits.
 *
 * A supplicant that keeps the node open but lets a request time out is
 * taken as gone, as host mode detaches one: from then on requests fail
 * at once, but for one probe at a time, at most one per timeout, whose
 * answer (or any other answer) brings it back. A hung supplicant costs
 * one storage call per timeout its wait; the others wait neither for a
 * timeout nor for the lock a probe holds (sw_ksuppl_enter()).
 */
#include "secure/attach/kernel/ksuppl.h"

#include "ring/wait.h"
#include "secure/storage/storage.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

static struct sw_ksuppl {
	int fd; /* the endpoint, attached with TEEQ_SWDEV_FEAT_SUPP */
	uint32_t timeout_ms;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* a window came free */
	/* the supplicant's buffer, mapped; under lock */
	int shm_id; /* 0: none mapped */
	void *map;
	size_t map_len;
	unsigned char *base; /* window 0 */
	uint32_t window_size, entries;
	uint64_t busy; /* windows in use, one bit each */
	uint32_t gen; /* bumped at every mapping */
	uint32_t users; /* requests using the mapping */
	int stale; /* not the attached supplicant's: unmap when unused */
	/* a request timed out: only probes go (under gate) */
	pthread_mutex_t gate;
	int hung, probing;
	uint64_t next_probe_ns;
} sw_ksuppl = { .fd = -1,
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
		.gate = PTHREAD_MUTEX_INITIALIZER };

_Static_assert(TEEQ_RPC_MAX_ENTRIES <= 64, "a window is one bit of busy");

/*
 * The way in for a storage request while the supplicant may be hung: 0 to
 * go on, *@probe set when this one is the probe; -ENODEV to fail at once,
 * without waiting for the lock a probe holds. sw_ksuppl_leave() after.
 */
static int sw_ksuppl_enter(int *probe)
{
	int ret = 0;

	*probe = 0;
	pthread_mutex_lock(&sw_ksuppl.gate);
	if (sw_ksuppl.hung) {
		if (sw_ksuppl.probing ||
		    ring_now_ns() < sw_ksuppl.next_probe_ns)
			ret = -ENODEV;
		else
			sw_ksuppl.probing = *probe = 1;
	}
	pthread_mutex_unlock(&sw_ksuppl.gate);
	return ret;
}

static void sw_ksuppl_leave(int probe)
{
	if (!probe)
		return;
	pthread_mutex_lock(&sw_ksuppl.gate);
	sw_ksuppl.probing = 0;
	pthread_mutex_unlock(&sw_ksuppl.gate);
}

/* One request to the supplicant: 0 with c->ret set, or -errno; -EHOSTDOWN
 * at once if it was found hung since this caller came in (@probe: it is
 * the probe, which goes). */
static int sw_ksuppl_call(struct teeq_swdev_supp_call *c, int probe)
{
	int ret;

	if (!probe && __atomic_load_n(&sw_ksuppl.hung, __ATOMIC_RELAXED))
		return -EHOSTDOWN;
	c->flags = TEEQ_SWDEV_SUPP_NOWAIT;
	c->timeout_ms = sw_ksuppl.timeout_ms;
	ret = ioctl(sw_ksuppl.fd, TEEQ_SWDEV_IOC_SUPP_CALL, c) ? -errno : 0;
	pthread_mutex_lock(&sw_ksuppl.gate);
	if (ret == -ETIMEDOUT) {
		if (!sw_ksuppl.hung)
			sw_suppl_log("supplicant did not answer in %u ms: "
				     "storage is unavailable until it does",
				     sw_ksuppl.timeout_ms);
		__atomic_store_n(&sw_ksuppl.hung, 1, __ATOMIC_RELAXED);
		sw_ksuppl.next_probe_ns =
			ring_now_ns() + sw_ksuppl.timeout_ms * 1000000ull;
	} else if (sw_ksuppl.hung) {
		__atomic_store_n(&sw_ksuppl.hung, 0, __ATOMIC_RELAXED);
		sw_suppl_log("supplicant answers again");
	}
	pthread_mutex_unlock(&sw_ksuppl.gate);
	return ret;
}

/* Under lock, with no request using it: forget the buffer. */
static void sw_ksuppl_unmap(void)
{
	if (!sw_ksuppl.shm_id)
		return;
	munmap(sw_ksuppl.map, sw_ksuppl.map_len);
	sw_ksuppl.shm_id = 0;
	sw_ksuppl.map = NULL;
	sw_ksuppl.base = NULL;
	sw_ksuppl.window_size = sw_ksuppl.entries = 0;
	sw_ksuppl.stale = 0;
}

static int sw_ksuppl_pow2_in(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v >= lo && v <= hi && !(v & (v - 1));
}

/* Under lock: asks the supplicant for its buffer and maps it. 0, or
 * -ENODEV (no supplicant, or one we cannot use: logged). */
static int sw_ksuppl_map(int probe)
{
	struct teeq_swdev_supp_call c = {
		.func = TEEQ_RPC_KFUNC_SHM,
		.num_params = TEEQ_RPC_KFUNC_SHM_PARAMS,
		.params = { { .attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT },
			    { .attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT } },
	};
	struct teeq_swdev_supp_shm shm = { 0 };
	uint64_t id, window, entries, need;
	const char *why;
	void *map;
	int ret;

	ret = sw_ksuppl_call(&c, probe);
	if (ret || c.ret != TEEQ_SUCCESS)
		return -ENODEV; /* none there, or it went away */
	id = c.params[0].a;
	window = c.params[0].b;
	entries = c.params[0].c;
	why = "a buffer of a size we do not take";
	if (!id || id > INT32_MAX ||
	    !sw_ksuppl_pow2_in(window, TEEQ_RPC_MIN_WINDOW,
			       TEEQ_RPC_MAX_WINDOW) ||
	    window > TEEQ_SWDEV_SUPP_MEMREF_MAX ||
	    !sw_ksuppl_pow2_in(entries, TEEQ_RPC_MIN_ENTRIES,
			       TEEQ_RPC_MAX_ENTRIES))
		goto refuse;
	why = "another ABI major, or no file service";
	if ((c.params[1].a >> 16) != TEEQ_RPC_ABI_MAJOR ||
	    !(c.params[1].b & TEEQ_RPC_FEAT_FS))
		goto refuse;
	shm.id = (int32_t)id;
	why = "the driver does not know its buffer";
	if (ioctl(sw_ksuppl.fd, TEEQ_SWDEV_IOC_SUPP_SHM, &shm))
		goto refuse;
	need = window * entries;
	why = "its buffer is smaller than its windows";
	if (shm.size < need || shm.offset >= 4096) {
		close(shm.fd);
		goto refuse;
	}
	map = mmap(NULL, shm.offset + need, PROT_READ | PROT_WRITE, MAP_SHARED,
		   shm.fd, 0);
	close(shm.fd);
	why = "cannot map its buffer";
	if (map == MAP_FAILED)
		goto refuse;
	sw_ksuppl.map = map;
	sw_ksuppl.map_len = shm.offset + need;
	sw_ksuppl.base = (unsigned char *)map + shm.offset;
	sw_ksuppl.shm_id = shm.id;
	sw_ksuppl.window_size = (uint32_t)window;
	sw_ksuppl.entries = (uint32_t)entries;
	sw_ksuppl.busy = 0;
	sw_ksuppl.gen++;
	sw_suppl_log("supplicant attached through the driver: %u requests "
		     "in flight, %u-byte windows",
		     sw_ksuppl.entries, sw_ksuppl.window_size);
	return 0;
refuse:
	sw_suppl_log("supplicant refused: %s", why);
	return -ENODEV;
}

/* Under lock: a supplicant's buffer we may use, mapped; -ENODEV if
 * there is none. A stale one goes once its last request is done. */
static int sw_ksuppl_ready(int probe)
{
	while (sw_ksuppl.stale && sw_ksuppl.users)
		pthread_cond_wait(&sw_ksuppl.cond, &sw_ksuppl.lock);
	if (sw_ksuppl.stale)
		sw_ksuppl_unmap();
	if (!sw_ksuppl.shm_id)
		return sw_ksuppl_map(probe);
	return 0;
}

/* Under lock: a free window, mapping the buffer first. Waits while all
 * are busy (each request is bounded by the timeout). Returns the
 * window's index, or -ENODEV. */
static int sw_ksuppl_take(int probe)
{
	uint32_t i;

	for (;;) {
		if (sw_ksuppl_ready(probe))
			return -ENODEV;
		for (i = 0; i < sw_ksuppl.entries; i++)
			if (!(sw_ksuppl.busy & (1ull << i)))
				break;
		if (i < sw_ksuppl.entries) {
			sw_ksuppl.busy |= 1ull << i;
			sw_ksuppl.users++;
			return (int)i;
		}
		pthread_cond_wait(&sw_ksuppl.cond, &sw_ksuppl.lock);
	}
}

/* Under lock: window @i of mapping @gen is free again; @stale: that
 * buffer is not the attached supplicant's any more. */
static void sw_ksuppl_give(int i, uint32_t gen, int stale)
{
	sw_ksuppl.busy &= ~(1ull << i);
	sw_ksuppl.users--;
	if (stale && gen == sw_ksuppl.gen)
		sw_ksuppl.stale = 1;
	if (sw_ksuppl.stale && !sw_ksuppl.users)
		sw_ksuppl_unmap();
	pthread_cond_broadcast(&sw_ksuppl.cond);
}

static int sw_ksuppl_rpc_in(int probe, const struct teeq_rpc_req *req,
			    const void *in, uint32_t in_len, void *out,
			    uint32_t out_cap, struct teeq_rpc_rsp *rsp)
{
	struct teeq_swdev_supp_call c;
	unsigned char *window;
	uint32_t gen, window_size;
	int i, ret, tries = 0;

again:
	pthread_mutex_lock(&sw_ksuppl.lock);
	i = sw_ksuppl_take(probe);
	if (i < 0) {
		pthread_mutex_unlock(&sw_ksuppl.lock);
		return -ENODEV;
	}
	gen = sw_ksuppl.gen;
	window_size = sw_ksuppl.window_size;
	window = sw_ksuppl.base + (size_t)i * window_size;
	pthread_mutex_unlock(&sw_ksuppl.lock);
	if (in_len > window_size || out_cap > window_size) {
		ret = -ENODEV;
		goto out;
	}
	if (in_len)
		memcpy(window, in, in_len);
	c = (struct teeq_swdev_supp_call){
		.func = TEEQ_RPC_KFUNC_FS,
		.num_params = TEEQ_RPC_KFUNC_FS_PARAMS,
		.params = {
			{ .attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT,
			  .a = req->opcode | (uint64_t)req->flags << 16,
			  .b = req->handle,
			  .c = req->offset },
			{ .attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT,
			  .a = req->len,
			  .b = req->name_len | (uint64_t)req->name2_len << 16 },
			{ .attr = TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT,
			  .a = (uint64_t)i * window_size,
			  .b = window_size,
			  .c = (uint64_t)sw_ksuppl.shm_id },
		},
	};
	ret = sw_ksuppl_call(&c, probe);
	if (ret == -ENOENT) {
		/* another supplicant has the node: map its buffer, once */
		pthread_mutex_lock(&sw_ksuppl.lock);
		sw_ksuppl_give(i, gen, 1);
		pthread_mutex_unlock(&sw_ksuppl.lock);
		if (tries++)
			return -ENODEV;
		goto again;
	}
	if (ret == -ETIMEDOUT || ret == -EHOSTDOWN) {
		ret = ret == -EHOSTDOWN ? -ENODEV : ret;
		goto out;
	}
	if (ret || c.ret != TEEQ_SUCCESS) {
		/* it went away (or was never there: NOWAIT), or broke the
		 * protocol: what it did is unknown */
		ret = -EPIPE;
		goto out;
	}
	*rsp = (struct teeq_rpc_rsp){
		.status = (int32_t)(uint32_t)c.params[0].a,
		.tag = req->tag,
		.handle = c.params[0].b,
		.value = c.params[0].c,
		.len = (uint32_t)c.params[2].b,
		.flags = (uint32_t)c.params[1].b,
	};
	/* the driver held it to the window; we hold it to the caller */
	if (c.params[2].b > window_size || rsp->len > out_cap ||
	    c.params[1].b > UINT32_MAX) {
		sw_suppl_log("supplicant replied past its window");
		ret = -EPIPE;
		goto out;
	}
	if (rsp->len)
		memcpy(out, window, rsp->len);
	ret = 0;
out:
	pthread_mutex_lock(&sw_ksuppl.lock);
	/* a supplicant that failed us is asked for its buffer again */
	sw_ksuppl_give(i, gen, ret != 0);
	pthread_mutex_unlock(&sw_ksuppl.lock);
	return ret;
}

static int sw_ksuppl_rpc(void *arg, const struct teeq_rpc_req *req,
			 const void *in, uint32_t in_len, void *out,
			 uint32_t out_cap, struct teeq_rpc_rsp *rsp)
{
	int probe, ret;

	(void)arg;
	if (sw_ksuppl_enter(&probe))
		return -ENODEV;
	ret = sw_ksuppl_rpc_in(probe, req, in, in_len, out, out_cap, rsp);
	sw_ksuppl_leave(probe);
	return ret;
}

/* Whether a supplicant is there: its window, mapping it if need be. */
static uint32_t sw_ksuppl_window(void *arg)
{
	uint32_t window = 0;
	int probe;

	(void)arg;
	if (sw_ksuppl_enter(&probe))
		return 0;
	pthread_mutex_lock(&sw_ksuppl.lock);
	if (!sw_ksuppl_ready(probe))
		window = sw_ksuppl.window_size;
	pthread_mutex_unlock(&sw_ksuppl.lock);
	sw_ksuppl_leave(probe);
	return window;
}

void sw_ksuppl_start(int fd, const struct sw_suppl_opts *o)
{
	static const struct sw_suppl_transport kernel = {
		.rpc = sw_ksuppl_rpc,
		.window = sw_ksuppl_window,
	};

	sw_ksuppl.fd = fd;
	sw_ksuppl.timeout_ms = o->timeout_ms;
	sw_suppl_start_over(o, &kernel);
}

void sw_ksuppl_stop(void)
{
	sw_suppl_stop();
	pthread_mutex_lock(&sw_ksuppl.lock);
	sw_ksuppl_unmap();
	sw_ksuppl.fd = -1;
	pthread_mutex_unlock(&sw_ksuppl.lock);
}
