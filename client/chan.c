// SPDX-License-Identifier: MIT
/*
 * A channel: one connection to teeq-sw and the shared region behind it.
 * Creating one builds the region (a sealed memfd: header, queue pairs,
 * heap), connects to teeq-sw (starting it if none listens and autostart is
 * on), hands the region over in the handshake and gets the doorbells back.
 *
 * Environment, read with secure_getenv: a setuid (or otherwise secure)
 * program sees none of it, never starts teeq-sw and never searches PATH.
 *   TEEQ_SOCKET        the socket (see uapi/teeq_host.h for the default)
 *   TEEQ_NO_AUTOSTART  set: never start teeq-sw
 *   TEEQ_SW            the teeq-sw to start (default: teeq-sw in PATH,
 *                      then TEEQ_SW_DEFAULT, fixed at build time)
 *   TEEQ_SW_LOG        where an autostarted teeq-sw logs (default: nowhere)
 *   TEEQ_SW_USER       a uid whose teeq-sw we may attach to, besides our
 *                      own effective uid and root
 *   TEEQ_QPAIRS, TEEQ_QUEUE_DEPTH, TEEQ_HEAP_MB, TEEQ_SPIN_US
 *   TEEQ_DEBUG         1: say why a channel died, and rare events (debug.c)
 *
 * Whom we attach to: the socket's directory must be a real directory
 * owned by a trusted uid (ours, root or TEEQ_SW_USER) that nobody else
 * may write in (or sticky, as /tmp), and the process that accepted our
 * connection (SO_PEERCRED) must run as a trusted uid. Otherwise a user who
 * made the directory first would serve our calls and read our memory.
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
#include <sys/auxv.h>
#include <sys/resource.h>
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
 * this long is wedged, and the request fails instead of waiting forever.
 * The same bound holds for a connect that finds the listener's backlog
 * full. */
#define TEEQ_CTL_TIMEOUT_MS 5000
/* an autostarted teeq-sw exits this long after its last client */
#define TEEQ_AUTOSTART_IDLE_EXIT "30"

static uint64_t teeq_env(const char *name, uint64_t dflt, uint64_t lo,
			 uint64_t hi)
{
	const char *s = secure_getenv(name);
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

static uint64_t teeq_now_ms(void)
{
	return ring_now_ns() / 1000000;
}

/* ---- whom we trust ------------------------------------------------------------- */

/* A setuid or setgid program (or one with file capabilities): its caller
 * chose the environment. */
static int teeq_secure_mode(void)
{
	return getauxval(AT_SECURE) != 0;
}

/* The uid TEEQ_SW_USER names, or (uid_t)-1. A number: no name service is
 * loaded into every program that links libteeq. */
static uid_t teeq_sw_user(void)
{
	const char *s = secure_getenv("TEEQ_SW_USER");
	unsigned long uid;
	char *end;

	if (!s || !*s)
		return (uid_t)-1;
	errno = 0;
	uid = strtoul(s, &end, 10);
	return *end || errno || uid >= (uid_t)-1 ? (uid_t)-1 : (uid_t)uid;
}

/* May we start teeq-sw ourselves? Never for a secure program. */
static int teeq_autostart_allowed(void)
{
	return !teeq_secure_mode() && !secure_getenv("TEEQ_NO_AUTOSTART");
}

static int teeq_uid_trusted(uid_t uid)
{
	return uid == geteuid() || uid == 0 || uid == teeq_sw_user();
}

/*
 * The directory of the socket @path: a directory (not a symlink to one)
 * owned by a trusted uid, in which nobody else may create or replace
 * entries (not group- or world-writable unless sticky). -ENOENT if it
 * does not exist yet; -EACCES if it is not to be trusted.
 */
static int teeq_socket_dir_ok(const char *path)
{
	char dir[108];
	struct stat st;

	if (ring_host_socket_dir(path, dir, sizeof(dir)))
		return -ENAMETOOLONG;
	if (lstat(dir, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode) || !teeq_uid_trusted(st.st_uid) ||
	    ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)))
		return -EACCES;
	return 0;
}

/* ---- finding or starting teeq-sw ------------------------------------------- */

/*
 * Connects to @path by @deadline_ms: a Unix socket's connect() waits as
 * long as the listener's backlog is full, so it is made without waiting
 * (EAGAIN then) and retried. The socket stays non-blocking: every wait on
 * it is a poll with a bound. The peer must run as a trusted uid.
 */
static int teeq_connect(const char *path, uint64_t deadline_ms)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct timespec step = { 0, 1000000 };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd, err;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	while (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		err = -errno;
		if (err == -EAGAIN && teeq_now_ms() < deadline_ms) {
			nanosleep(&step, NULL);
			continue;
		}
		close(fd);
		return err == -EAGAIN ? -ETIMEDOUT : err;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    !teeq_uid_trusted(cred.uid)) {
		close(fd);
		return -EACCES;
	}
	return fd;
}

static int teeq_find_in_path(const char *prog, char *out, size_t len)
{
	const char *path = secure_getenv("PATH");
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

/*
 * Starts teeq-sw detached from us, serving @sock_path and exiting once it
 * has had no client for a while: a new session (double fork, so it is not
 * a session leader and never gets a terminal), /dev/null (or TEEQ_SW_LOG)
 * on its stdio, no signal blocked, and none of our descriptors: a daemon
 * holding the write end of its client's pipe would keep the client's
 * reader waiting for an end of file until it exits.
 */
static int teeq_spawn(const char *sock_path)
{
	const char *env = secure_getenv("TEEQ_SW");
	const char *log = secure_getenv("TEEQ_SW_LOG");
	char exe[PATH_MAX];
	char *argv[] = { "teeq-sw",
			 "--socket",
			 (char *)sock_path,
			 "--idle-exit",
			 TEEQ_AUTOSTART_IDLE_EXIT,
			 NULL };
	struct rlimit nofile = { 1024, 1024 };
	int status, null, err = -1;
	pid_t pid;

	if (env && *env)
		snprintf(exe, sizeof(exe), "%s", env);
	else if (!teeq_find_in_path("teeq-sw", exe, sizeof(exe)))
		snprintf(exe, sizeof(exe), "%s", TEEQ_SW_DEFAULT);
	if (access(exe, X_OK))
		return -ENOENT;
	getrlimit(RLIMIT_NOFILE, &nofile);
	/* opened here, as nothing between fork and exec may allocate */
	null = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (null < 0)
		return -errno;
	if (log && *log)
		err = open(log,
			   O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY,
			   0600);

	pid = fork();
	if (pid < 0) {
		pid = -errno;
		goto out;
	}
	if (pid == 0) {
		/* only async-signal-safe calls from here on */
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigset_t none;
		int sig;

		setsid();
		if (fork() != 0)
			_exit(0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (sig = 1; sig < NSIG; sig++)
			sigaction(sig, &dfl, NULL); /* fails for KILL, STOP */
		if (dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
		    dup2(err >= 0 ? err : null, 2) < 0)
			_exit(127);
		if (close_range(3, ~0u, 0)) {
			unsigned long fd;

			for (fd = 3; fd < nofile.rlim_cur && fd < 65536; fd++)
				close((int)fd);
		}
		execv(exe, argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	pid = 0;
out:
	close(null);
	if (err >= 0)
		close(err);
	return (int)pid;
}

static int teeq_connect_or_start(const char *path)
{
	struct timespec step = { 0, 5000000 };
	uint64_t deadline = teeq_now_ms() + TEEQ_CTL_TIMEOUT_MS;
	int fd, ret;

	/* a directory that is not ours stops us before we connect to what
	 * it holds, or start a teeq-sw that would serve in it */
	ret = teeq_socket_dir_ok(path);
	if (ret && ret != -ENOENT)
		return ret;
	fd = ret ? -ENOENT : teeq_connect(path, deadline);
	if (fd >= 0 || (fd != -ENOENT && fd != -ECONNREFUSED))
		return fd;
	if (!teeq_autostart_allowed())
		return fd;
	ret = teeq_spawn(path);
	if (ret)
		return ret;
	deadline = teeq_now_ms() + TEEQ_AUTOSTART_WAIT_MS;
	do {
		ret = teeq_socket_dir_ok(path);
		if (ret && ret != -ENOENT)
			return ret;
		fd = ret ? -ENOENT : teeq_connect(path, deadline);
		if (fd >= 0 || (fd != -ENOENT && fd != -ECONNREFUSED))
			return fd;
		nanosleep(&step, NULL);
	} while (teeq_now_ms() < deadline);
	return fd;
}

/* ---- control messages ---------------------------------------------------------- */

/* Waits for @events on the channel's socket until @deadline_ms. */
static int teeq_ctl_poll(struct teeq_chan *chan, short events,
			 uint64_t deadline_ms)
{
	struct pollfd pfd = { .fd = chan->sock, .events = events };
	uint64_t now;
	int ready;

	for (;;) {
		now = teeq_now_ms();
		ready = now < deadline_ms ?
				poll(&pfd, 1, (int)(deadline_ms - now)) :
				0;
		if (ready > 0)
			return 0;
		if (ready == 0) {
			teeq_chan_kill(chan,
				       "the secure world stopped answering");
			return -ETIMEDOUT;
		}
		if (errno != EINTR)
			return -errno;
	}
}

/*
 * Sends a request (with optional descriptors) and waits, bounded, for the
 * reply of @reply_len bytes; up to @max_rfds descriptors that come with it
 * go to @rfds (*nr_rfds of them). Caller holds ctl_lock.
 */
static int teeq_ctl(struct teeq_chan *chan, void *req, size_t req_len,
		    uint16_t type, const int *fds, int nr_fds, void *reply,
		    size_t reply_len, uint16_t reply_type, int *rfds,
		    int max_rfds, int *nr_rfds)
{
	uint64_t deadline = teeq_now_ms() + TEEQ_CTL_TIMEOUT_MS;
	struct teeq_host_hdr *hdr = req, *rhdr = reply;
	int ret, got = 0, all[TEEQ_HOST_RECV_FDS];
	ssize_t n;

	if (nr_rfds)
		*nr_rfds = 0;
	hdr->magic = TEEQ_HOST_MAGIC;
	hdr->type = type;
	hdr->reserved = 0;
	hdr->len = (uint32_t)req_len;
	hdr->seq = ++chan->ctl_seq;
	while ((ret = teeq_host_sendmsg(chan->sock, req, req_len, fds,
					nr_fds)) == -EAGAIN) {
		ret = teeq_ctl_poll(chan, POLLOUT, deadline);
		if (ret)
			return ret;
	}
	if (ret)
		return -EPIPE;
	do {
		ret = teeq_ctl_poll(chan, POLLIN, deadline);
		if (ret)
			return ret;
		n = teeq_host_recvmsg(chan->sock, reply, reply_len, all, &got);
	} while (n == -EAGAIN || n == -EINTR);
	if (n <= 0)
		ret = n == -EMSGSIZE ? -EPROTO : -EPIPE;
	else if (rhdr->magic != TEEQ_HOST_MAGIC || rhdr->type != reply_type ||
		 rhdr->seq != hdr->seq || rhdr->len != (uint32_t)n ||
		 got > max_rfds)
		ret = -EPROTO;
	else if (n == sizeof(struct teeq_host_status_reply) &&
		 n < (ssize_t)reply_len)
		/* every reply starts as a status reply; a refusal is no
		 * more than that, and says why */
		ret = ((struct teeq_host_status_reply *)reply)->status < 0 ?
			      ((struct teeq_host_status_reply *)reply)->status :
			      -EPROTO;
	else if (n != (ssize_t)reply_len)
		ret = -EPROTO;
	if (ret) {
		while (got > 0)
			close(all[--got]);
		return ret;
	}
	if (got)
		memcpy(rfds, all, sizeof(int) * (size_t)got);
	if (nr_rfds)
		*nr_rfds = got;
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
		       sizeof(r), TEEQ_HOST_REG_FD_REPLY, NULL, 0, NULL);
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
		       sizeof(r), TEEQ_HOST_UNREG_REPLY, NULL, 0, NULL);
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
		       sizeof(r), TEEQ_HOST_STATS_REPLY, NULL, 0, NULL);
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
			    TEEQ_FEAT_EXT_SHM | TEEQ_FEAT_CQE_HINTS,
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

/* Is @fd a doorbell as teeq-sw must hand one over: a connected Unix
 * SOCK_SEQPACKET socket? Anything else is refused (we do not trust what
 * the secure world sends either). */
static int teeq_is_doorbell(int fd)
{
	int type = 0, domain = 0;
	socklen_t len = sizeof(type), dlen = sizeof(domain);
	struct sockaddr_un peer;
	socklen_t plen = sizeof(peer);

	return !getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) &&
	       !getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &dlen) &&
	       type == SOCK_SEQPACKET && domain == AF_UNIX &&
	       !getpeername(fd, (struct sockaddr *)&peer, &plen);
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
	int dbs[TEEQ_HOST_MAX_FDS], nr_dbs = 0, i, ret;

	pthread_mutex_lock(&chan->ctl_lock);
	ret = teeq_ctl(chan, &req, sizeof(req), TEEQ_HOST_HELLO, &chan->memfd,
		       1, &r, sizeof(r), TEEQ_HOST_HELLO_REPLY, dbs,
		       TEEQ_HOST_MAX_FDS, &nr_dbs);
	pthread_mutex_unlock(&chan->ctl_lock);
	if (!ret && r.status)
		ret = r.status;
	if (!ret && ((r.abi_version >> 16) != TEEQ_ABI_MAJOR ||
		     (chan->layout.features & ~r.features) ||
		     nr_dbs != (int)chan->nr_qp))
		ret = -EPROTO;
	for (i = 0; !ret && i < nr_dbs; i++)
		if (!teeq_is_doorbell(dbs[i]))
			ret = -EPROTO;
	if (ret) {
		while (nr_dbs > 0)
			close(dbs[--nr_dbs]);
		return ret;
	}
	for (i = 0; i < nr_dbs; i++)
		chan->qp[i].db = dbs[i];
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
	int ret, attempt, kernel;

	/* the driver's node (kernel mode, client/kernel.c), or a socket */
	kernel = teeq_kdev_choose(name, path, sizeof(path));
	if (kernel < 0)
		return kernel;
	/* a name that is a path names the socket; otherwise the default */
	if (!kernel && name && name[0] == '/') {
		if (strlen(name) >= sizeof(path))
			return -ENAMETOOLONG;
		strcpy(path, name);
	} else if (!kernel && teeq_host_socket_path(path, sizeof(path))) {
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
	ret = kernel ? teeq_kdev_open(chan, path, depth) :
		       teeq_chan_region(chan, nr_qp, depth, heap);
	if (ret)
		goto err;
	for (i = 0; i < nr_qp; i++) {
		ret = teeq_qp_init(chan, i);
		if (ret)
			goto err;
	}
	if (kernel) /* the node is the connection; the figures are set */
		goto opened;
	/* an autostarted teeq-sw that was on its way out (idle) when we
	 * connected hangs up without a word: once more, which starts
	 * another */
	for (attempt = 0;; attempt++) {
		chan->sock = teeq_connect_or_start(path);
		if (chan->sock < 0) {
			ret = chan->sock;
			goto err;
		}
		ret = teeq_chan_hello(chan);
		if (ret != -EPIPE || attempt == 1 || !teeq_autostart_allowed())
			break;
		close(chan->sock);
		chan->sock = -1;
	}
	if (ret)
		goto err;
	for (i = 0; i < nr_qp && !ret; i++)
		ret = ring_wait_init(&chan->qp[i].wait, chan->spin_ns,
				     chan->qp[i].db, chan->sock);
	if (ret)
		goto err;
	chan->stats.queue_pairs = nr_qp;
	chan->stats.queue_depth = depth;
	chan->stats.heap_size = chan->layout.heap_size;
opened:
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
	if (teeq_chan_kernel(chan))
		teeq_kdev_close(chan);
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
