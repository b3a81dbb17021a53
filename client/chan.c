// SPDX-License-Identifier: MIT
/*
 * A channel: one connection to teeq-sw and the shared region behind it.
 * Creating one builds the region (a sealed memfd: header, queue pairs,
 * heap), connects to teeq-sw (starting it if none listens and autostart is
 * on) and hands the region and doorbells over in the handshake.
 *
 * Environment:
 *   TEEQ_SOCKET        the socket (see uapi/teeq_host.h for the default)
 *   TEEQ_NO_AUTOSTART  set: never start teeq-sw
 *   TEEQ_SW            the teeq-sw to start (default: teeq-sw in PATH,
 *                      then TEEQ_SW_DEFAULT, fixed at build time)
 *   TEEQ_SW_LOG        where an autostarted teeq-sw logs (default: nowhere)
 *   TEEQ_QPAIRS, TEEQ_QUEUE_DEPTH, TEEQ_HEAP_MB, TEEQ_SPIN_US
 *   TEEQ_DEBUG         1: say why a channel died, and rare events (debug.c)
 */
#include "client/internal.h"

#include "ring/host.h"
#include "shm/memfd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef TEEQ_SW_DEFAULT
#define TEEQ_SW_DEFAULT "/usr/local/bin/teeq-sw"
#endif
#define TEEQ_AUTOSTART_WAIT_MS 5000
/* teeq-sw answers a control request at once; one that does not answer in
 * this long is wedged, and the request fails instead of waiting forever */
#define TEEQ_CTL_TIMEOUT_MS 5000

static uint64_t teeq_env(const char *name, uint64_t dflt, uint64_t lo,
			 uint64_t hi)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long v;

	if (!s || !*s)
		return dflt;
	v = strtoull(s, &end, 10);
	return *end || v < lo || v > hi ? dflt : v;
}

void teeq_chan_kill(struct teeq_chan *chan, const char *why)
{
	const char *none = NULL;

	if (__atomic_compare_exchange_n(&chan->dead, &none, why, 0,
					__ATOMIC_RELEASE, __ATOMIC_RELAXED))
		teeq_debug_dead(chan, why);
}

/* ---- finding or starting teeq-sw ------------------------------------------- */

static int teeq_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int teeq_find_in_path(const char *prog, char *out, size_t len)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	int found = 0;

	if (!path)
		return 0;
	copy = strdup(path);
	if (!copy)
		return 0;
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		int n = snprintf(out, len, "%s/%s", *dir ? dir : ".", prog);

		found = n > 0 && (size_t)n < len && access(out, X_OK) == 0;
	}
	free(copy);
	return found;
}

/* Starts teeq-sw detached from us (double fork), serving @sock_path and
 * exiting once it has had no client for a while. */
static int teeq_spawn(const char *sock_path)
{
	const char *env = getenv("TEEQ_SW"), *log = getenv("TEEQ_SW_LOG");
	char exe[PATH_MAX];
	char *argv[] = { "teeq-sw",	"--socket", (char *)sock_path,
			 "--idle-exit", "30",	    NULL };
	int status;
	pid_t pid;

	if (env && *env)
		snprintf(exe, sizeof(exe), "%s", env);
	else if (!teeq_find_in_path("teeq-sw", exe, sizeof(exe)))
		snprintf(exe, sizeof(exe), "%s", TEEQ_SW_DEFAULT);
	if (access(exe, X_OK))
		return -ENOENT;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* only async-signal-safe calls from here on */
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		int err = log ? open(log,
				     O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				     0600) :
				-1;
		sigset_t none;

		setsid();
		if (fork() != 0)
			_exit(0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(null, 0);
		dup2(null, 1);
		dup2(err >= 0 ? err : null, 2);
		execv(exe, argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return 0;
}

static int teeq_connect_or_start(const char *path)
{
	int fd = teeq_connect(path);

	if (fd >= 0 || getenv("TEEQ_NO_AUTOSTART"))
		return fd;
	if (fd != -ENOENT && fd != -ECONNREFUSED)
		return fd;
	fd = teeq_spawn(path);
	if (fd)
		return fd;
	/* on a timeout, the connect says why */
	ring_host_await(path, 0, TEEQ_AUTOSTART_WAIT_MS);
	return teeq_connect(path);
}

/* ---- control messages ---------------------------------------------------------- */

/* Sends a request (with an optional descriptor) and waits for the reply of
 * @reply_len bytes. Caller holds ctl_lock. */
static int teeq_ctl(struct teeq_chan *chan, void *req, size_t req_len,
		    uint16_t type, const int *fds, int nr_fds, void *reply,
		    size_t reply_len, uint16_t reply_type)
{
	struct teeq_host_hdr *hdr = req, *rhdr = reply;
	char cbuf[CMSG_SPACE(sizeof(int) * TEEQ_HOST_MAX_FDS)];
	struct iovec iov = { req, req_len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	hdr->magic = TEEQ_HOST_MAGIC;
	hdr->type = type;
	hdr->reserved = 0;
	hdr->len = (uint32_t)req_len;
	hdr->seq = ++chan->ctl_seq;
	if (nr_fds) {
		struct cmsghdr *cm;

		memset(cbuf, 0, sizeof(cbuf));
		msg.msg_control = cbuf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nr_fds);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nr_fds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nr_fds);
	}
	if (sendmsg(chan->sock, &msg, MSG_NOSIGNAL) != (ssize_t)req_len)
		return -EPIPE;
	do {
		struct pollfd pfd = { .fd = chan->sock, .events = POLLIN };
		int ready = poll(&pfd, 1, TEEQ_CTL_TIMEOUT_MS);

		if (ready == 0) {
			teeq_chan_kill(chan,
				       "the secure world stopped answering");
			return -ETIMEDOUT;
		}
		n = ready < 0 ? -1 : recv(chan->sock, reply, reply_len, 0);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)reply_len || rhdr->magic != TEEQ_HOST_MAGIC ||
	    rhdr->type != reply_type || rhdr->seq != hdr->seq ||
	    rhdr->len != reply_len)
		return -EPROTO;
	return 0;
}

int teeq_chan_reg_fd(struct teeq_chan *chan, int fd, uint32_t flags,
		     uint32_t *buf_id, uint64_t *size)
{
	struct teeq_host_reg_fd req = { .flags = flags };
	struct teeq_host_reg_fd_reply r;
	int ret;

	pthread_mutex_lock(&chan->ctl_lock);
	ret = teeq_ctl(chan, &req, sizeof(req), TEEQ_HOST_REG_FD, &fd, 1, &r,
		       sizeof(r), TEEQ_HOST_REG_FD_REPLY);
	pthread_mutex_unlock(&chan->ctl_lock);
	if (ret)
		return ret;
	if (r.status)
		return r.status;
	*buf_id = r.buf_id;
	*size = r.size;
	return 0;
}

int teeq_chan_unreg(struct teeq_chan *chan, uint32_t buf_id)
{
	struct teeq_host_unreg req = { .buf_id = buf_id };
	struct teeq_host_status_reply r;
	int ret;

	pthread_mutex_lock(&chan->ctl_lock);
	ret = teeq_ctl(chan, &req, sizeof(req), TEEQ_HOST_UNREG, NULL, 0, &r,
		       sizeof(r), TEEQ_HOST_UNREG_REPLY);
	pthread_mutex_unlock(&chan->ctl_lock);
	return ret ? ret : r.status;
}

int teeq_chan_sw_stats(struct teeq_chan *chan, struct teeq_sw_stats *st)
{
	struct teeq_host_hdr req;
	struct teeq_host_stats_reply r;
	int ret;

	pthread_mutex_lock(&chan->ctl_lock);
	ret = teeq_ctl(chan, &req, sizeof(req), TEEQ_HOST_STATS, NULL, 0, &r,
		       sizeof(r), TEEQ_HOST_STATS_REPLY);
	pthread_mutex_unlock(&chan->ctl_lock);
	if (ret)
		return ret;
	if (r.status)
		return r.status;
	*st = r.stats;
	return 0;
}

/* ---- open and close -------------------------------------------------------------- */

static int teeq_chan_region(struct teeq_chan *chan, uint32_t nr_qp,
			    uint32_t depth, uint64_t heap)
{
	struct channel_params p = {
		.nr_qpairs = nr_qp,
		.sq_entries = depth,
		.cq_entries = depth,
		.heap_size = heap,
		.features = TEEQ_FEAT_NEED_WAKEUP | TEEQ_FEAT_CANCEL |
			    TEEQ_FEAT_EXT_SHM,
	};
	int ret;

	ret = channel_plan(&p, &chan->layout);
	if (ret)
		return ret;
	chan->memfd =
		shm_memfd_create("teeq-channel", chan->layout.region_size);
	if (chan->memfd < 0)
		return chan->memfd;
	ret = shm_map(chan->memfd, chan->layout.region_size, &chan->region);
	if (ret)
		return ret;
	ret = channel_format(chan->region, &chan->layout);
	if (ret)
		return ret;
	chan->heap = (unsigned char *)chan->region + chan->layout.heap_off;
	return shm_pool_init(&chan->pool, chan->layout.heap_size);
}

static int teeq_chan_hello(struct teeq_chan *chan)
{
	struct teeq_host_hello req = {
		.abi_version = TEEQ_ABI_VERSION,
		.nr_qpairs = chan->nr_qp,
		.features = chan->layout.features,
		.region_size = chan->layout.region_size,
	};
	struct teeq_host_hello_reply r;
	int fds[TEEQ_HOST_MAX_FDS], i, ret;

	fds[0] = chan->memfd;
	for (i = 0; i < (int)chan->nr_qp; i++) {
		fds[1 + i] = chan->qp[i].sq_db;
		fds[1 + chan->nr_qp + i] = chan->qp[i].cq_db;
	}
	pthread_mutex_lock(&chan->ctl_lock);
	ret = teeq_ctl(chan, &req, sizeof(req), TEEQ_HOST_HELLO, fds,
		       1 + 2 * (int)chan->nr_qp, &r, sizeof(r),
		       TEEQ_HOST_HELLO_REPLY);
	pthread_mutex_unlock(&chan->ctl_lock);
	if (ret)
		return ret;
	if (r.status)
		return r.status;
	if ((r.abi_version >> 16) != TEEQ_ABI_MAJOR ||
	    (chan->layout.features & ~r.features))
		return -EPROTO;
	chan->sw_pid = r.sw_pid;
	return 0;
}

/* ---- the registry of open channels --------------------------------------- */

struct teeq_chan_slot teeq_chans[TEEQ_MAX_CONTEXTS];
static pthread_mutex_t teeq_chans_lock = PTHREAD_MUTEX_INITIALIZER;
/* Per slot, the generation its next id gets (ids are gen << bits | slot;
 * gen is never 0, so neither is an id). */
static uint32_t teeq_chans_gen[TEEQ_MAX_CONTEXTS];

static int teeq_chan_register(struct teeq_chan *chan)
{
	uint32_t i, gen;
	int ret = -ENOMEM;

	pthread_mutex_lock(&teeq_chans_lock);
	for (i = 0; i < TEEQ_MAX_CONTEXTS; i++) {
		if (teeq_chans[i].id)
			continue;
		gen = ++teeq_chans_gen[i] &
		      ((1u << (32 - TEEQ_CHAN_SLOT_BITS)) - 1);
		if (!gen)
			gen = teeq_chans_gen[i] = 1;
		chan->id = gen << TEEQ_CHAN_SLOT_BITS | i;
		teeq_chans[i].chan = chan;
		/* release: the slot's chan is visible before its id; pairs
		 * with the acquire in teeq_chan_lookup() */
		__atomic_store_n(&teeq_chans[i].id, chan->id, __ATOMIC_RELEASE);
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&teeq_chans_lock);
	return ret;
}

static void teeq_chan_unregister(struct teeq_chan *chan)
{
	struct teeq_chan_slot *s;

	if (!chan->id)
		return;
	s = &teeq_chans[chan->id & (TEEQ_MAX_CONTEXTS - 1)];
	pthread_mutex_lock(&teeq_chans_lock);
	__atomic_store_n(&s->id, 0, __ATOMIC_RELAXED);
	s->chan = NULL;
	pthread_mutex_unlock(&teeq_chans_lock);
	chan->id = 0;
}

/* ---- open and close -------------------------------------------------------------- */

int teeq_chan_open(const char *name, struct teeq_chan **out)
{
	char path[108];
	struct teeq_chan *chan;
	uint32_t nr_qp, depth, i;
	uint64_t heap;
	int ret;

	/* a name that is a path names the socket; otherwise the default */
	if (name && name[0] == '/') {
		if (strlen(name) >= sizeof(path))
			return -ENAMETOOLONG;
		strcpy(path, name);
	} else if (teeq_host_socket_path(path, sizeof(path))) {
		return -ENAMETOOLONG;
	}
	nr_qp = (uint32_t)teeq_env("TEEQ_QPAIRS", TEEQ_DEFAULT_QPAIRS, 2,
				   TEEQ_MAX_QPAIRS);
	depth = (uint32_t)teeq_env("TEEQ_QUEUE_DEPTH", TEEQ_DEFAULT_DEPTH, 2,
				   4096);
	if (depth & (depth - 1))
		depth = TEEQ_DEFAULT_DEPTH;
	heap = teeq_env("TEEQ_HEAP_MB", TEEQ_DEFAULT_HEAP_MB, 1, 65536) << 20;

	chan = calloc(1, sizeof(*chan));
	if (!chan)
		return -ENOMEM;
	chan->ops = &teeq_rings_ops;
	chan->sock = chan->memfd = -1;
	chan->nr_qp = nr_qp;
	chan->nr_excl = nr_qp - 1;
	chan->spin_ns =
		teeq_env("TEEQ_SPIN_US", TEEQ_DEFAULT_SPIN_US, 0, 10000000) *
		1000;
	pthread_mutex_init(&chan->ctl_lock, NULL);
	chan->qp = calloc(nr_qp, sizeof(*chan->qp));
	ret = chan->qp ? shm_ids_init(&chan->shms, TEEQ_MAX_SHMS) : -ENOMEM;
	if (ret)
		goto err;
	ret = teeq_chan_region(chan, nr_qp, depth, heap);
	if (ret)
		goto err;
	for (i = 0; i < nr_qp; i++) {
		ret = teeq_qp_init(chan, i);
		if (ret)
			goto err;
	}
	chan->sock = teeq_connect_or_start(path);
	if (chan->sock < 0) {
		ret = chan->sock;
		goto err;
	}
	for (i = 0; i < nr_qp; i++)
		ring_wait_init(&chan->qp[i].wait, chan->spin_ns,
			       chan->qp[i].cq_db, chan->sock);
	ret = teeq_chan_hello(chan);
	if (ret)
		goto err;
	chan->stats.queue_pairs = nr_qp;
	chan->stats.queue_depth = depth;
	chan->stats.heap_size = chan->layout.heap_size;
	ret = teeq_chan_register(chan);
	if (ret)
		goto err;
	*out = chan;
	return 0;
err:
	__atomic_store_n(&chan->finalized, 1, __ATOMIC_RELAXED);
	teeq_chan_close(chan);
	return ret;
}

/*
 * TEEC_FinalizeContext(). Hanging up makes teeq-sw close our sessions and
 * free its side of the channel; ours goes now too, shared memory the
 * application did not release included. Its id names nothing any more, so
 * the TEEC structs still holding it fail or release harmlessly.
 */
void teeq_chan_close(struct teeq_chan *chan)
{
	uint32_t i, cursor = 0, id;
	struct shm_buf buf;

	__atomic_store_n(&chan->finalized, 1, __ATOMIC_RELEASE);
	teeq_chan_kill(chan, "the context was finalized");
	teeq_chan_unregister(chan);
	teeq_queues_orphan(chan);
	if (chan->sock >= 0)
		close(chan->sock);
	while (chan->shms.cap && (id = shm_ids_next(&chan->shms, &cursor))) {
		if (!shm_ids_remove(&chan->shms, id, &buf))
			teeq_shm_destroy(
				chan, (struct teeq_shm *)(uintptr_t)buf.cookie);
	}
	for (i = 0; chan->qp && i < chan->nr_qp; i++)
		teeq_qp_fini(&chan->qp[i]);
	free(chan->qp);
	if (chan->pool.nblocks)
		shm_pool_destroy(&chan->pool);
	if (chan->shms.cap)
		shm_ids_destroy(&chan->shms);
	if (chan->region)
		shm_unmap(chan->region, chan->layout.region_size);
	if (chan->memfd >= 0)
		close(chan->memfd);
	pthread_mutex_destroy(&chan->ctl_lock);
	free(chan);
}
