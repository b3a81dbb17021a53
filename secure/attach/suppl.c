// SPDX-License-Identifier: MIT
/*
 * The supplicant's way in (host mode): a thread of its own that listens
 * on the supplicant socket, runs the handshake, consumes the replies, and
 * notices the supplicant's death; and the storage core's platform (struct
 * storage_platform) over it: requests produced by the calls that need
 * them, each waiting, bounded in time, for its reply.
 *
 * Who may attach: a peer whose SO_PEERCRED uid is the configured one
 * (root by default), one at a time, through a socket in a directory that
 * is ours and that nobody else may write. The region it hands over is
 * validated like a client's channel (ring/rpc_region.c); after that every
 * reply is read once, and one that names no request in flight, or claims
 * more bytes than its window, gets the supplicant detached.
 *
 * Requests are produced under one mutex (the request ring has one
 * producer: whichever call holds it), each owning a data window until its
 * reply; so no more than entries are ever in flight and the reply ring
 * cannot overflow. A call waits on a condition variable with a deadline;
 * at the deadline the supplicant is detached (a hung supplicant holds up
 * nobody after it), and every waiter fails at once.
 */
#include "secure/attach/suppl.h"

#include "ring/host.h"
#include "ring/rpc_region.h"
#include "ring/wait.h"
#include "secure/attach/attach.h"
#include "secure/attach/state.h"
#include "secure/storage/storage.h"
#include "shm/memfd.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A peer that connects gets this long to send its HELLO. */
#define SW_SUPPL_HELLO_MS 1000
/* How long a supplicant we start may take to attach before we serve. */
#define SW_SUPPL_AUTOSTART_MS 2000
#define SW_SUPPL_TAG_SHIFT 6 /* tag = seq << 6 | window */

_Static_assert(TEEQ_RPC_MAX_ENTRIES <= (1u << SW_SUPPL_TAG_SHIFT),
	       "a window index fits below the sequence number");

struct sw_suppl_slot {
	int busy; /* a request is in flight */
	int done; /* its reply is in rsp */
	uint64_t seq;
	struct teeq_rpc_rsp rsp;
};

/* One attached supplicant. Freed when the thread and every waiter are
 * done with it (users). */
struct sw_suppl_conn {
	int sock, memfd, req_db, rsp_db;
	void *region;
	struct rpc_layout layout;
	struct ring req; /* producer */
	struct ring rsp; /* consumer */
	struct ucred cred;
	int dead;
	uint32_t users;
	uint32_t in_flight;
	uint64_t next_seq;
	struct sw_suppl_slot slots[TEEQ_RPC_MAX_ENTRIES];
};

static struct sw_suppl {
	struct sw_suppl_opts opts;
	struct sw_state state;
	int state_ok, storage_ok;
	pthread_t thread;
	int thread_started;
	int listen_fd, lock_fd, wake_fd, epfd;
	char lock_path[120];
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
	struct sw_suppl_conn *conn; /* attached; under lock */
	struct sw_suppl_conn *watched; /* the thread's; its own */
	int stop;
} sw_suppl = { .listen_fd = -1, .lock_fd = -1, .wake_fd = -1, .epfd = -1 };

void sw_suppl_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "teeq-sw[%d]: ", (int)getpid());
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- options ------------------------------------------------------------------ */

void sw_suppl_defaults(struct sw_suppl_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->uid = 0;
	o->timeout_ms = SW_SUPPL_DEFAULT_TIMEOUT_MS;
}

int sw_suppl_option(struct sw_suppl_opts *o, int opt, const char *arg)
{
	char *end;
	unsigned long v;

	switch (opt) {
	case SW_SUPPL_OPT_STATE_DIR:
		if (snprintf(o->state_dir, sizeof(o->state_dir), "%s", arg) >=
		    (int)sizeof(o->state_dir))
			goto too_long;
		return 0;
	case SW_SUPPL_OPT_SOCKET:
		if (snprintf(o->socket_path, sizeof(o->socket_path), "%s",
			     arg) >= (int)sizeof(o->socket_path))
			goto too_long;
		return 0;
	case SW_SUPPL_OPT_PROGRAM:
		if (snprintf(o->program, sizeof(o->program), "%s", arg) >=
		    (int)sizeof(o->program))
			goto too_long;
		return 0;
	case SW_SUPPL_OPT_UID:
		v = strtoul(arg, &end, 10);
		if (!*arg || *end || v > 0x7fffffff) {
			fprintf(stderr, "teeq-sw: --supplicant-uid takes a "
					"numeric uid\n");
			return -1;
		}
		o->uid = (uid_t)v;
		return 0;
	case SW_SUPPL_OPT_TIMEOUT:
		v = strtoul(arg, &end, 10);
		if (!*arg || *end || v < 1 || v > 600000) {
			fprintf(stderr,
				"teeq-sw: --supplicant-timeout-ms takes "
				"1..600000\n");
			return -1;
		}
		o->timeout_ms = (uint32_t)v;
		return 0;
	default:
		return -1;
	}
too_long:
	fprintf(stderr, "teeq-sw: option argument too long\n");
	return -1;
}

void sw_suppl_usage(FILE *out)
{
	fprintf(out,
		"\n"
		"storage (the storage TA; teeq-supplicant keeps the files):\n"
		"      --state-dir DIR  the secure state: the storage key and the\n"
		"                       rollback anchors; created 0700, must be ours\n"
		"                       and private (default: $TEEQ_STATE_DIR, else\n"
		"                       /var/lib/teeq/sw as root, else\n"
		"                       $XDG_STATE_HOME/teeq/sw or ~/.local/state/teeq/sw)\n"
		"      --supplicant-socket PATH\n"
		"                       where the supplicant attaches (default: the\n"
		"                       client socket with \".suppl\" appended); its\n"
		"                       directory must be ours, not writable by others\n"
		"      --supplicant-uid UID\n"
		"                       the only uid allowed to attach (default 0)\n"
		"      --supplicant PATH|none\n"
		"                       the teeq-supplicant to start (default:\n"
		"                       $TEEQ_SUPPLICANT, else teeq-supplicant next to\n"
		"                       teeq-sw or in PATH; none: wait for one)\n"
		"      --supplicant-timeout-ms N\n"
		"                       longest wait for one supplicant reply; past\n"
		"                       it the supplicant is detached (default %d)\n",
		SW_SUPPL_DEFAULT_TIMEOUT_MS);
}

static int sw_suppl_default_state_dir(char *out, size_t len)
{
	const char *env = getenv("TEEQ_STATE_DIR");
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (env && *env)
		n = snprintf(out, len, "%s", env);
	else if (geteuid() == 0)
		n = snprintf(out, len, "/var/lib/teeq/sw");
	else if (state && *state)
		n = snprintf(out, len, "%s/teeq/sw", state);
	else if (home && *home)
		n = snprintf(out, len, "%s/.local/state/teeq/sw", home);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* mkdir -p of @path's parents, private. */
static void sw_suppl_mkdirs(const char *path)
{
	char buf[PATH_MAX], *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return;
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(buf, 0700);
		*p = '/';
	}
}

/* The teeq-supplicant to start: $TEEQ_SUPPLICANT, next to us, in PATH. */
static int sw_suppl_find_program(char *out, size_t len)
{
	const char *env = getenv("TEEQ_SUPPLICANT"), *path = getenv("PATH");
	char self[PATH_MAX], *slash, *copy, *dir, *save = NULL;
	ssize_t n;
	int found = 0;

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return access(out, X_OK) == 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			if (snprintf(out, len, "%s/teeq-supplicant", self) <
				    (int)len &&
			    access(out, X_OK) == 0)
				return 1;
		}
	}
	copy = path ? strdup(path) : NULL;
	for (dir = copy ? strtok_r(copy, ":", &save) : NULL; dir && !found;
	     dir = strtok_r(NULL, ":", &save))
		found = snprintf(out, len, "%s/teeq-supplicant", dir) <
				(int)len &&
			access(out, X_OK) == 0;
	free(copy);
	return found;
}

/* ---- attachments ----------------------------------------------------------------- */

static void sw_suppl_wake(void)
{
	uint64_t one = 1;

	(void)!write(sw_suppl.wake_fd, &one, sizeof(one));
}

static void sw_suppl_conn_free(struct sw_suppl_conn *c)
{
	shm_unmap(c->region, c->layout.region_size);
	if (c->memfd >= 0)
		close(c->memfd);
	if (c->req_db >= 0)
		close(c->req_db);
	if (c->rsp_db >= 0)
		close(c->rsp_db);
	if (c->sock >= 0)
		close(c->sock);
	free(c);
}

/* Under lock: one user fewer; the last frees. */
static void sw_suppl_conn_put(struct sw_suppl_conn *c)
{
	if (--c->users == 0)
		sw_suppl_conn_free(c);
}

/* Under lock: @c is done for; waiters fail, the supplicant sees its
 * socket hang up, nothing more is sent. */
static void sw_suppl_detach(struct sw_suppl_conn *c, const char *why)
{
	if (c->dead)
		return;
	c->dead = 1;
	if (sw_suppl.conn == c)
		sw_suppl.conn = NULL;
	shutdown(c->sock, SHUT_RDWR);
	pthread_cond_broadcast(&sw_suppl.cond);
	sw_suppl_log("supplicant (pid %d uid %u) detached: %s",
		     (int)c->cred.pid, (unsigned)c->cred.uid, why);
	sw_suppl_wake();
}

static void sw_suppl_reply(int sock, int status, uint32_t seq)
{
	struct teeq_rpc_hello_reply r = {
		.hdr = { .magic = TEEQ_RPC_SOCK_MAGIC,
			 .type = TEEQ_RPC_HELLO_REPLY,
			 .len = sizeof(r),
			 .seq = seq },
		.status = status,
		.abi_version = TEEQ_RPC_ABI_VERSION,
		.features = TEEQ_RPC_FEAT_ALL,
		.sw_pid = (uint32_t)getpid(),
	};

	(void)!send(sock, &r, sizeof(r), MSG_NOSIGNAL);
}

/* Receives the HELLO and its three descriptors within SW_SUPPL_HELLO_MS.
 * Returns NULL, or why the peer is refused. */
static const char *sw_suppl_recv_hello(int sock, struct teeq_rpc_hello *m,
				       int fds[3])
{
	char cbuf[CMSG_SPACE(sizeof(int) * 4)];
	struct iovec iov = { m, sizeof(*m) };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	struct cmsghdr *cm;
	int nr = 0, i, count;
	ssize_t n;

	if (poll(&pfd, 1, SW_SUPPL_HELLO_MS) != 1)
		return "no handshake in time";
	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	for (cm = CMSG_FIRSTHDR(&msg); n >= 0 && cm;
	     cm = CMSG_NXTHDR(&msg, cm)) {
		int *in = (int *)CMSG_DATA(cm);

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		count = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (i = 0; i < count; i++) {
			if (nr < 3)
				fds[nr++] = in[i];
			else
				close(in[i]);
		}
	}
	if (n != sizeof(*m) || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    m->hdr.magic != TEEQ_RPC_SOCK_MAGIC ||
	    m->hdr.type != TEEQ_RPC_HELLO || m->hdr.len != sizeof(*m) ||
	    m->hdr.reserved || m->reserved || nr != 3)
		return "malformed handshake";
	return NULL;
}

/* Validates what the peer handed over and sets @c up from it. */
static const char *sw_suppl_setup(struct sw_suppl_conn *c,
				  const struct teeq_rpc_hello *m)
{
	const char *why = NULL;
	uint64_t size;

	if ((m->abi_version >> 16) != TEEQ_RPC_ABI_MAJOR)
		return "unsupported ABI major version";
	if (m->features & ~TEEQ_RPC_FEAT_ALL)
		return "unknown feature bits";
	if (shm_memfd_check(c->memfd, &size) || size != m->region_size ||
	    size > (64ull << 20))
		return "region is not a memfd sealed against shrinking, or its "
		       "size is wrong";
	if (!sw_is_eventfd(c->req_db) || !sw_is_eventfd(c->rsp_db))
		return "doorbell is not an eventfd";
	if (shm_map(c->memfd, size, &c->region)) {
		c->region = NULL;
		return "cannot map the region";
	}
	c->layout.region_size = size; /* for the unmap, whatever follows */
	if (rpc_region_validate(c->region, size, TEEQ_RPC_FEAT_ALL, &c->layout,
				&why))
		return why;
	if (c->layout.features != m->features)
		return "handshake disagrees with the region header";
	if (!(c->layout.features & TEEQ_RPC_FEAT_FS))
		return "no file service offered";
	if (rpc_region_attach(c->region, &c->layout, &c->req, RING_PRODUCER,
			      &c->rsp, RING_CONSUMER))
		return "ring headers disagree with the region header";
	return NULL;
}

static void sw_suppl_accept(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
	struct teeq_rpc_hello m;
	struct sw_suppl_conn *c;
	socklen_t len;
	int fds[3] = { -1, -1, -1 }, sock, status = -EPROTO;
	const char *why;

	sock = accept4(sw_suppl.listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (sock < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(sock);
		return;
	}
	c->sock = sock;
	c->memfd = c->req_db = c->rsp_db = -1;
	len = sizeof(c->cred);
	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &c->cred, &len)) {
		sw_suppl_conn_free(c);
		return;
	}
	/* a peer of another uid: its message is dropped unread, with any
	 * descriptors it carries (no control buffer: the kernel closes
	 * them), so that the refusal reaches it instead of a reset */
	if (c->cred.uid != sw_suppl.opts.uid) {
		struct pollfd pfd = { .fd = sock, .events = POLLIN };
		char scratch[64];

		if (poll(&pfd, 1, SW_SUPPL_HELLO_MS) == 1)
			(void)!recv(sock, scratch, sizeof(scratch),
				    MSG_DONTWAIT | MSG_TRUNC);
		status = -EPERM;
		why = "not the supplicant's uid";
		goto refuse;
	}
	why = sw_suppl_recv_hello(sock, &m, fds);
	c->memfd = fds[0];
	c->req_db = fds[1];
	c->rsp_db = fds[2];
	if (why)
		goto refuse;
	pthread_mutex_lock(&sw_suppl.lock);
	if (sw_suppl.conn) {
		pthread_mutex_unlock(&sw_suppl.lock);
		status = -EBUSY;
		why = "another supplicant is attached";
		goto refuse;
	}
	pthread_mutex_unlock(&sw_suppl.lock);
	why = sw_suppl_setup(c, &m);
	if (why)
		goto refuse;
	ev.data.ptr = &c->sock;
	if (epoll_ctl(sw_suppl.epfd, EPOLL_CTL_ADD, c->sock, &ev))
		goto refuse_silent;
	ev = (struct epoll_event){ .events = EPOLLIN, .data.ptr = &c->rsp_db };
	if (epoll_ctl(sw_suppl.epfd, EPOLL_CTL_ADD, c->rsp_db, &ev)) {
		epoll_ctl(sw_suppl.epfd, EPOLL_CTL_DEL, c->sock, NULL);
		goto refuse_silent;
	}
	pthread_mutex_lock(&sw_suppl.lock);
	c->users = 1; /* the thread's */
	sw_suppl.conn = c;
	sw_suppl.watched = c;
	pthread_cond_broadcast(&sw_suppl.cond);
	pthread_mutex_unlock(&sw_suppl.lock);
	/* told only once it is the supplicant: a storage call it lets
	 * through on hearing this must find it attached, not fail for want
	 * of one (requests sent meanwhile wait in its ring, their doorbell
	 * counted) */
	sw_suppl_reply(sock, 0, m.hdr.seq);
	sw_suppl_log("supplicant (pid %d uid %u) attached: %u requests in "
		     "flight, %u-byte windows",
		     (int)c->cred.pid, (unsigned)c->cred.uid, c->layout.entries,
		     c->layout.window_size);
	return;

refuse:
	sw_suppl_log("supplicant (pid %d uid %u) refused: %s", (int)c->cred.pid,
		     (unsigned)c->cred.uid, why);
refuse_silent:
	sw_suppl_reply(sock, status, 1);
	sw_suppl_conn_free(c);
}

/* The thread lets go of a detached attachment. */
static void sw_suppl_unwatch(void)
{
	struct sw_suppl_conn *c = sw_suppl.watched;

	if (!c)
		return;
	epoll_ctl(sw_suppl.epfd, EPOLL_CTL_DEL, c->sock, NULL);
	epoll_ctl(sw_suppl.epfd, EPOLL_CTL_DEL, c->rsp_db, NULL);
	sw_suppl.watched = NULL;
	pthread_mutex_lock(&sw_suppl.lock);
	sw_suppl_detach(c, "teeq-sw stopping");
	sw_suppl_conn_put(c);
	pthread_mutex_unlock(&sw_suppl.lock);
}

/* Under lock: every reply in the ring to its waiter. Returns NULL, or
 * why the supplicant must go. */
static const char *sw_suppl_consume(struct sw_suppl_conn *c)
{
	struct teeq_rpc_rsp rsp;
	struct sw_suppl_slot *slot;
	uint32_t n, i, woke = 0;

	while ((n = ring_cons_avail(&c->rsp, c->layout.entries))) {
		for (i = 0; i < n; i++) {
			memcpy(&rsp, ring_cons_slot(&c->rsp, i), sizeof(rsp));
			slot = &c->slots[rsp.tag & (c->layout.entries - 1)];
			if ((rsp.tag & ((1u << SW_SUPPL_TAG_SHIFT) - 1)) >=
				    c->layout.entries ||
			    !slot->busy || slot->done ||
			    slot->seq != rsp.tag >> SW_SUPPL_TAG_SHIFT)
				return "reply to no request in flight";
			if (rsp.len > c->layout.window_size)
				return "reply longer than its window";
			slot->rsp = rsp;
			slot->done = 1;
			woke = 1;
		}
		ring_cons_release(&c->rsp, n);
	}
	if (ring_broken(&c->rsp))
		return "bad reply ring";
	if (woke)
		pthread_cond_broadcast(&sw_suppl.cond);
	return NULL;
}

static void *sw_suppl_main(void *arg)
{
	struct epoll_event ev[8];
	uint64_t count;
	int n, i;

	(void)arg;
	for (;;) {
		struct sw_suppl_conn *c = sw_suppl.watched;
		int idle = 1;

		if (c) {
			const char *why = NULL;
			int dead;

			pthread_mutex_lock(&sw_suppl.lock);
			if (!c->dead) {
				why = sw_suppl_consume(c);
				/* asleep only with NEED_WAKEUP set and the
				 * ring still empty (and sound: a tail that
				 * jumped is seen here) */
				if (!why && ring_cons_prepare_sleep(&c->rsp))
					idle = 0;
				else if (!why && ring_broken(&c->rsp))
					why = "bad reply ring";
				if (why)
					sw_suppl_detach(c, why);
			}
			dead = c->dead;
			pthread_mutex_unlock(&sw_suppl.lock);
			if (dead) {
				sw_suppl_unwatch();
				continue;
			}
		}
		n = idle ? epoll_wait(sw_suppl.epfd, ev, 8, -1) : 0;
		if (c)
			ring_cons_end_sleep(&c->rsp);
		for (i = 0; i < n; i++) {
			void *p = ev[i].data.ptr;

			if (p == &sw_suppl.wake_fd) {
				(void)!read(sw_suppl.wake_fd, &count,
					    sizeof(count));
			} else if (p == &sw_suppl.listen_fd) {
				sw_suppl_accept();
			} else if (c && p == &c->rsp_db) {
				(void)!read(c->rsp_db, &count, sizeof(count));
			} else if (c && p == &c->sock) {
				/* nothing comes after the handshake */
				pthread_mutex_lock(&sw_suppl.lock);
				sw_suppl_detach(
					c, (ev[i].events & EPOLLIN) &&
							   !(ev[i].events &
							     (EPOLLHUP |
							      EPOLLRDHUP)) ?
						   "garbage on its socket" :
						   "it went away");
				pthread_mutex_unlock(&sw_suppl.lock);
			}
		}
		if (__atomic_load_n(&sw_suppl.stop, __ATOMIC_ACQUIRE))
			break;
	}
	sw_suppl_unwatch();
	return NULL;
}

/* ---- the platform: requests ------------------------------------------------ */

static uint64_t sw_suppl_now_ns(void)
{
	return ring_now_ns();
}

static int sw_suppl_wait(uint64_t deadline_ns)
{
	struct timespec ts = { (time_t)(deadline_ns / 1000000000ull),
			       (long)(deadline_ns % 1000000000ull) };

	return pthread_cond_timedwait(&sw_suppl.cond, &sw_suppl.lock, &ts);
}

static int sw_suppl_rpc(void *arg, const struct teeq_rpc_req *req,
			const void *in, uint32_t in_len, void *out,
			uint32_t out_cap, struct teeq_rpc_rsp *rsp)
{
	uint64_t deadline = sw_suppl_now_ns() +
			    (uint64_t)sw_suppl.opts.timeout_ms * 1000000ull;
	struct sw_suppl_slot *slot = NULL;
	struct sw_suppl_conn *c;
	struct teeq_rpc_req r = *req;
	unsigned char *window;
	uint32_t i;
	int ret = 0;

	(void)arg;
	pthread_mutex_lock(&sw_suppl.lock);
	c = sw_suppl.conn;
	if (!c || in_len > c->layout.window_size ||
	    out_cap > c->layout.window_size) {
		pthread_mutex_unlock(&sw_suppl.lock);
		return -ENODEV;
	}
	c->users++;
	/* a free window: all busy means the supplicant is not answering */
	while (!c->dead && c->in_flight == c->layout.entries && !ret)
		ret = sw_suppl_wait(deadline);
	if (c->dead) {
		ret = -EPIPE;
		goto out;
	}
	if (ret) {
		sw_suppl_detach(c, "no reply in time");
		ret = -ETIMEDOUT;
		goto out;
	}
	for (i = 0; i < c->layout.entries; i++)
		if (!c->slots[i].busy)
			break;
	slot = &c->slots[i];
	slot->busy = 1;
	slot->done = 0;
	slot->seq = ++c->next_seq;
	c->in_flight++;
	r.stamp = 0;
	r.tag = slot->seq << SW_SUPPL_TAG_SHIFT | i;
	window = rpc_region_window(c->region, &c->layout, r.tag);
	if (in_len)
		memcpy(window, in, in_len);
	/* at most entries in flight, so the ring has room unless the
	 * supplicant broke its head index */
	if (ring_prod_space(&c->req, 1) < 1) {
		sw_suppl_detach(c, "bad request ring");
		ret = -EPIPE;
		goto out;
	}
	rpc_region_put(&c->req, 0, &r, sizeof(r));
	if (ring_prod_commit(&c->req, 1))
		ring_doorbell(&c->req, c->req_db);

	while (!c->dead && !slot->done && !ret)
		ret = sw_suppl_wait(deadline);
	if (slot->done) {
		*rsp = slot->rsp;
		if (rsp->len > out_cap) {
			sw_suppl_detach(c, "reply longer than asked for");
			ret = -EPIPE;
			goto out;
		}
		if (rsp->len)
			memcpy(out, window, rsp->len);
		slot->busy = 0;
		c->in_flight--;
		pthread_cond_broadcast(&sw_suppl.cond);
		ret = 0;
	} else if (c->dead) {
		ret = -EPIPE;
	} else {
		sw_suppl_detach(c, "no reply in time");
		ret = -ETIMEDOUT;
	}
out:
	sw_suppl_conn_put(c);
	pthread_mutex_unlock(&sw_suppl.lock);
	return ret;
}

static uint32_t sw_suppl_window(void *arg)
{
	uint32_t window = 0;

	(void)arg;
	pthread_mutex_lock(&sw_suppl.lock);
	if (sw_suppl.conn)
		window = sw_suppl.conn->layout.window_size;
	pthread_mutex_unlock(&sw_suppl.lock);
	return window;
}

/* ---- start, stop ---------------------------------------------------------------- */

/* The socket's directory: ours, and nobody else may add or replace an
 * entry in it. */
static int sw_suppl_dir_ok(const char *path)
{
	char dir[sizeof(sw_suppl.opts.socket_path)];
	struct stat st;

	return !ring_host_socket_dir(path, dir, sizeof(dir)) &&
	       !lstat(dir, &st) && S_ISDIR(st.st_mode) &&
	       st.st_uid == geteuid() && !(st.st_mode & (S_IWGRP | S_IWOTH));
}

/* Only the supplicant's uid (and root) may connect: the socket is theirs,
 * mode 0600. Unless we cannot give it away (not root): then anyone may
 * connect, and SO_PEERCRED alone keeps the others out. */
static int sw_suppl_socket_mode(const char *path)
{
	uid_t uid = sw_suppl.opts.uid;

	if (uid == geteuid() || !chown(path, uid, (gid_t)-1))
		return chmod(path, 0600);
	sw_suppl_log("%s: cannot hand the socket to uid %u; any uid may "
		     "connect, only uid %u may attach",
		     path, (unsigned)uid, (unsigned)uid);
	return chmod(path, 0666);
}

static int sw_suppl_listen(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	const char *path = sw_suppl.opts.socket_path;
	int fd;

	if (!sw_suppl_dir_ok(path)) {
		sw_suppl_log("%s: its directory must be ours and not writable "
			     "by others; no supplicant can attach",
			     path);
		return -EPERM;
	}
	snprintf(sw_suppl.lock_path, sizeof(sw_suppl.lock_path), "%s.lock",
		 path);
	sw_suppl.lock_fd =
		open(sw_suppl.lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (sw_suppl.lock_fd < 0 ||
	    flock(sw_suppl.lock_fd, LOCK_EX | LOCK_NB)) {
		sw_suppl_log("%s: another teeq-sw listens there", path);
		return -EADDRINUSE;
	}
	strcpy(addr.sun_path, path);
	unlink(path); /* stale: its owner no longer holds the lock */
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    sw_suppl_socket_mode(path) || listen(fd, 8)) {
		sw_suppl_log("cannot listen on %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	sw_suppl.listen_fd = fd;
	return 0;
}

/* Clients are served only after this returns: a supplicant we started
 * gets a moment to attach first, so that storage is there from their
 * first call. */
static void sw_suppl_wait_attached(void)
{
	uint64_t deadline =
		sw_suppl_now_ns() + SW_SUPPL_AUTOSTART_MS * 1000000ull;
	int ret = 0;

	pthread_mutex_lock(&sw_suppl.lock);
	while (!sw_suppl.conn && !ret)
		ret = sw_suppl_wait(deadline);
	if (!sw_suppl.conn)
		sw_suppl_log("the supplicant did not attach within %d ms; "
			     "storage waits for it",
			     SW_SUPPL_AUTOSTART_MS);
	pthread_mutex_unlock(&sw_suppl.lock);
}

/* Starts the supplicant, detached from us (double fork), serving one
 * attachment: it exits when we do. */
static void sw_suppl_spawn(const char *program)
{
	char *argv[] = { "teeq-supplicant", "--socket",
			 sw_suppl.opts.socket_path, "--once", NULL };
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		/* only async-signal-safe calls from here on */
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		sigset_t none;

		setsid();
		if (fork() != 0)
			_exit(0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(null, 0);
		dup2(null, 1);
		execv(program, argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

static int sw_suppl_start_thread(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	pthread_condattr_t attr;
	sigset_t all, old;
	int ret;

	pthread_mutex_init(&sw_suppl.lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&sw_suppl.cond, &attr);
	pthread_condattr_destroy(&attr);
	sw_suppl.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	sw_suppl.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (sw_suppl.wake_fd < 0 || sw_suppl.epfd < 0)
		return -errno;
	ev.data.ptr = &sw_suppl.wake_fd;
	if (epoll_ctl(sw_suppl.epfd, EPOLL_CTL_ADD, sw_suppl.wake_fd, &ev))
		return -errno;
	ev.data.ptr = &sw_suppl.listen_fd;
	if (epoll_ctl(sw_suppl.epfd, EPOLL_CTL_ADD, sw_suppl.listen_fd, &ev))
		return -errno;
	/* every signal stays with the threads that handle them */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(&sw_suppl.thread, NULL, sw_suppl_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	sw_suppl.thread_started = 1;
	return 0;
}

/* The state directory and the storage core over @rpc: 0, or -1 with the
 * reason logged (storage then stays unavailable). */
static int sw_suppl_storage_start(const struct sw_suppl_transport *t)
{
	struct storage_platform plat = {
		.arg = &sw_suppl.state,
		.rpc = t->rpc,
		.window = t->window,
		.anchor_read = sw_state_anchor_read,
		.anchor_write = sw_state_anchor_write,
	};
	const char *why = NULL;
	int ret;

	if (!sw_suppl.opts.state_dir[0]) {
		if (sw_suppl_default_state_dir(
			    sw_suppl.opts.state_dir,
			    sizeof(sw_suppl.opts.state_dir))) {
			sw_suppl_log("no default state directory; no storage "
				     "(use --state-dir)");
			return -1;
		}
		sw_suppl_mkdirs(sw_suppl.opts.state_dir);
	}
	ret = sw_state_open(&sw_suppl.state, sw_suppl.opts.state_dir, &why);
	if (ret) {
		sw_suppl_log("%s: %s (%s); no storage", sw_suppl.opts.state_dir,
			     why, strerror(-ret));
		return -1;
	}
	sw_suppl.state_ok = 1;
	/* The storage core allocates object-sized buffers (up to 16 MiB) for
	 * every change and read. Kept for reuse rather than unmapped and
	 * faulted in afresh each time: on a VM a first touch can cost tens
	 * of microseconds a page, more than sealing the page does. */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	memcpy(plat.key, sw_suppl.state.key, sizeof(plat.key));
	ret = (int)storage_init(&plat);
	memset(plat.key, 0, sizeof(plat.key));
	if (ret) {
		sw_suppl_log("storage core failed to start (0x%x)", ret);
		return -1;
	}
	sw_suppl.storage_ok = 1;
	return 0;
}

void sw_suppl_start_over(const struct sw_suppl_opts *o,
			 const struct sw_suppl_transport *t)
{
	sw_suppl.opts = *o;
	sw_suppl_storage_start(t);
}

void sw_suppl_start(const struct sw_suppl_opts *o, const char *client_socket)
{
	static const struct sw_suppl_transport host = {
		.rpc = sw_suppl_rpc,
		.window = sw_suppl_window,
	};
	char program[PATH_MAX];

	sw_suppl.opts = *o;
	if (!sw_suppl.opts.socket_path[0] &&
	    snprintf(sw_suppl.opts.socket_path,
		     sizeof(sw_suppl.opts.socket_path), "%s.suppl",
		     client_socket) >= (int)sizeof(sw_suppl.opts.socket_path)) {
		sw_suppl_log("supplicant socket path too long; no storage");
		return;
	}
	if (sw_suppl_storage_start(&host))
		return;
	if (sw_suppl_listen() || sw_suppl_start_thread()) {
		sw_suppl_log("no supplicant can attach: storage unavailable");
		return;
	}
	if (!strcmp(sw_suppl.opts.program, "none"))
		return;
	if (sw_suppl.opts.program[0])
		snprintf(program, sizeof(program), "%s", sw_suppl.opts.program);
	else if (!sw_suppl_find_program(program, sizeof(program))) {
		sw_suppl_log("no teeq-supplicant found; storage waits for one "
			     "on %s",
			     sw_suppl.opts.socket_path);
		return;
	}
	if (geteuid() != sw_suppl.opts.uid) {
		sw_suppl_log(
			"not starting %s: it would run as uid %u, and only "
			"uid %u may attach",
			program, (unsigned)geteuid(),
			(unsigned)sw_suppl.opts.uid);
		return;
	}
	sw_suppl_spawn(program);
	sw_suppl_wait_attached();
}

void sw_suppl_stop(void)
{
	if (sw_suppl.thread_started) {
		__atomic_store_n(&sw_suppl.stop, 1, __ATOMIC_RELEASE);
		sw_suppl_wake();
		pthread_join(sw_suppl.thread, NULL);
		sw_suppl.thread_started = 0;
	}
	if (sw_suppl.listen_fd >= 0) {
		unlink(sw_suppl.opts.socket_path);
		close(sw_suppl.listen_fd);
		sw_suppl.listen_fd = -1;
	}
	if (sw_suppl.lock_fd >= 0) {
		close(sw_suppl.lock_fd);
		sw_suppl.lock_fd = -1;
	}
	if (sw_suppl.epfd >= 0)
		close(sw_suppl.epfd);
	if (sw_suppl.wake_fd >= 0)
		close(sw_suppl.wake_fd);
	sw_suppl.epfd = sw_suppl.wake_fd = -1;
	if (sw_suppl.storage_ok)
		storage_fini();
	if (sw_suppl.state_ok)
		sw_state_close(&sw_suppl.state);
	sw_suppl.storage_ok = sw_suppl.state_ok = 0;
}
