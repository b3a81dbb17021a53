// SPDX-License-Identifier: MIT
/*
 * The control thread of teeq-sw: accepts clients on the Unix socket, runs
 * the handshake, serves registrations and stats, and tears a client down
 * when its socket hangs up or it breaks the protocol. Nothing here is on
 * the path of a call.
 */
#include "secure/attach/host/host.h"

#include "ring/wait.h"
#include "shm/memfd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SW_KNOWN_FEATURES TEEQ_FEAT_ALL

static uint64_t sw_host_now_ms(void)
{
	return ring_now_ns() / 1000000;
}

/* ---- messages ---------------------------------------------------------------- */

static void sw_close_fds(int *fds, int n)
{
	while (n-- > 0)
		if (fds[n] >= 0)
			close(fds[n]);
}

/* ---- descriptors clients send --------------------------------------------------- */

/*
 * A client can send us any descriptor, and closing the last reference to a
 * file can wait: a file watched by an epoll instance takes that
 * instance's lock on its way out, and a client holds that lock for as long
 * as it likes from inside epoll_wait() (an events buffer on a page whose
 * fault its own FUSE server or userfaultfd never serves). Memfds cannot be
 * watched by epoll, so those we close; anything else we pass to the
 * disposer, a process of ours that only receives descriptors and closes
 * them, and which alone waits if one of them is such a trap. For its
 * reference to be the last, it closes a batch only once a second message
 * says that we have closed ours.
 */
static __attribute__((noreturn)) void sw_disposer_main(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int) * TEEQ_HOST_RECV_FDS)];
	int held[TEEQ_HOST_RECV_FDS], nr = 0;
	char byte;

	/* nothing of teeq-sw's but the socket (the lock fd above all: it
	 * must go with teeq-sw, not with us) */
	if (sock > 3)
		close_range(3, (unsigned int)sock - 1, 0);
	close_range((unsigned int)sock + 1, ~0u, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		struct iovec iov = { &byte, 1 };
		struct msghdr m = { .msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm;
		ssize_t n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);

		if (n <= 0 && !(n < 0 && errno == EINTR))
			_exit(0); /* teeq-sw is gone */
		if (n > 0 && byte == SW_DISPOSE_CLOSED) {
			while (nr > 0)
				close(held[--nr]);
			continue;
		}
		for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
			size_t i, count;
			int fd;

			if (cm->cmsg_level != SOL_SOCKET ||
			    cm->cmsg_type != SCM_RIGHTS)
				continue;
			count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (i = 0; i < count; i++) {
				memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int),
				       sizeof(fd));
				/* more than a batch held: teeq-sw's word
				 * got lost, and these are long ours alone */
				if (nr == TEEQ_HOST_RECV_FDS)
					while (nr > 0)
						close(held[--nr]);
				held[nr++] = fd;
			}
		}
	}
}

/* Forks the disposer: before any other thread, listening socket or lock
 * exists, so that it never holds one of them (teeq-sw's main() calls it
 * first). */
int sw_host_disposer_start(struct sw_host *h)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return -errno;
	}
	if (pid == 0)
		sw_disposer_main(sv[1]);
	close(sv[1]);
	h->disposer_fd = sv[0];
	h->disposer_pid = pid;
	return 0;
}

/* Gets rid of descriptors a client sent that we do not keep. */
static void sw_host_dispose(struct sw_host *h, int *fds, int n)
{
	char batch = SW_DISPOSE_BATCH, closed = SW_DISPOSE_CLOSED;
	int i, nr = 0;

	for (i = 0; i < n; i++) {
		if (fds[i] < 0)
			continue;
		/* F_GET_SEALS answers for memfds alone, and at once */
		if (fcntl(fds[i], F_GET_SEALS) >= 0)
			close(fds[i]);
		else
			fds[nr++] = fds[i];
	}
	if (!nr)
		return;
	/* the disposer's queue is full only if it waits on a trap: then
	 * we close them ourselves, the one case left to chance */
	for (i = 0; i < nr; i += TEEQ_HOST_MAX_FDS)
		if (teeq_host_sendmsg(h->disposer_fd, &batch, 1, fds + i,
				      nr - i < TEEQ_HOST_MAX_FDS ?
					      nr - i :
					      TEEQ_HOST_MAX_FDS))
			sw_log(h, 0,
			       "disposer full: closing a client's "
			       "descriptors here");
	sw_close_fds(fds, nr);
	/* ours are closed: the disposer's references are the last ones */
	(void)teeq_host_sendmsg(h->disposer_fd, &closed, 1, NULL, 0);
}

/* ---- clients ------------------------------------------------------------------ */

static void sw_hclient_free(struct sw_hclient *hc)
{
	uint32_t i;

	for (i = 0; i < hc->nr_qpairs; i++)
		if (hc->qp[i].sq_db >= 0)
			close(hc->qp[i].sq_db); /* and cq_db, the same end */
	/* calls left unrun when teeq-sw stopped (otherwise none) */
	for (i = 0; i < SW_CHAINS; i++)
		sw_jobs_free(hc->chains[i].head);
	if (hc->core.region)
		munmap(hc->core.region, hc->region_size);
	if (hc->memfd >= 0)
		close(hc->memfd);
	if (hc->sock >= 0)
		close(hc->sock);
	free(hc);
}

/* Everything is detached from the workers: close sessions, unmap. */
static void sw_host_finish_client(struct sw_host *h, struct sw_hclient *hc)
{
	struct sw_hclient **pp;
	uint32_t i;

	for (pp = &h->clients; *pp; pp = &(*pp)->next) {
		if (*pp == hc) {
			*pp = hc->next;
			break;
		}
	}
	if (hc->core_ready) {
		h->totals.sessions_total += __atomic_load_n(
			&hc->core.stats.sessions_total, __ATOMIC_RELAXED);
		sw_client_fini(&hc->core);
	}
	if (hc->attached)
		for (i = 0; i < hc->nr_qpairs; i++)
			h->worker_qps[hc->qp[i].worker - h->workers]--;
	sw_log(h, 1, "client %u gone", hc->core.id);
	sw_hclient_free(hc);
}

/* Starts tearing a client down: no more messages, the workers let go of
 * its rings, and running calls see themselves cancelled. */
static void sw_host_drop_client(struct sw_host *h, struct sw_hclient *hc,
				const char *reason)
{
	if (hc->detaching)
		return;
	epoll_ctl(h->epfd, EPOLL_CTL_DEL, hc->sock, NULL);
	if (reason) {
		h->totals.clients_dropped++;
		sw_log(h, 0, "client %u (pid %d uid %u) disconnected: %s",
		       hc->core.id, (int)hc->cred.pid, (unsigned)hc->cred.uid,
		       reason);
	}
	sw_control_drop(hc);
}

static int sw_host_reply_status(struct sw_hclient *hc, uint16_t type,
				uint32_t seq, int status)
{
	struct teeq_host_status_reply r = { .status = status };

	return sw_socket_send(hc->sock, &r, sizeof(r), type, seq, NULL, 0);
}

/* The client's supplementary groups, from the socket (as SO_PEERCRED,
 * what they were when it connected), for GROUP logins. */
static int sw_host_peer_groups(struct sw_hclient *hc)
{
	gid_t small[64], *groups = small;
	socklen_t len = sizeof(small);
	int ret;

	if (getsockopt(hc->sock, SOL_SOCKET, SO_PEERGROUPS, groups, &len)) {
		if (errno != ERANGE || !len || len % sizeof(gid_t))
			return -errno;
		groups = malloc(len);
		if (!groups || getsockopt(hc->sock, SOL_SOCKET, SO_PEERGROUPS,
					  groups, &len)) {
			free(groups);
			return -ENOMEM;
		}
	}
	TEEQ_STATIC_ASSERT(sizeof(gid_t) == sizeof(uint32_t), "gid_t size");
	ret = sw_client_set_groups(&hc->core, (const uint32_t *)groups,
				   (uint32_t)(len / sizeof(gid_t)));
	if (groups != small)
		free(groups);
	return ret;
}

/* Queue pairs the workers can still take (each takes SW_WORKER_MAX_QPS). */
static uint32_t sw_host_room(struct sw_host *h)
{
	uint32_t i, room = 0;

	for (i = 0; i < h->opts.workers; i++)
		room += SW_WORKER_MAX_QPS - h->worker_qps[i];
	return room;
}

/* The worker with the fewest queue pairs, from the round-robin start on. */
static uint32_t sw_host_pick_worker(struct sw_host *h)
{
	uint32_t i, w, best = h->next_worker;

	for (i = 0; i < h->opts.workers; i++) {
		w = (h->next_worker + i) % h->opts.workers;
		if (h->worker_qps[w] < h->worker_qps[best])
			best = w;
	}
	h->next_worker = (best + 1) % h->opts.workers;
	return best;
}

/*
 * The handshake. Returns NULL, or why the client is refused (*@status is
 * then the reply's: -EBUSY when teeq-sw is full, else -EPROTO).
 */
static const char *sw_host_hello(struct sw_host *h, struct sw_hclient *hc,
				 const struct teeq_host_hello *m, int *fds,
				 int nr_fds, int *status)
{
	struct teeq_host_hello_reply r = { 0 };
	int ends[TEEQ_MAX_QPAIRS];
	struct channel_layout layout;
	struct ta_identity who;
	const char *why = NULL;
	uint64_t size;
	void *region;
	uint32_t i;
	int ret;

	if ((m->abi_version >> 16) != TEEQ_ABI_MAJOR)
		return "unsupported ABI major version";
	if (m->nr_qpairs < 1 || m->nr_qpairs > TEEQ_MAX_QPAIRS || nr_fds != 1)
		return "wrong number of queue pairs or descriptors";
	if (m->features & ~SW_KNOWN_FEATURES)
		return "unknown feature bits";
	/* refused here, not accepted and then dropped at its first call */
	if (sw_host_room(h) < m->nr_qpairs) {
		*status = -EBUSY;
		return "teeq-sw is full";
	}
	if (shm_memfd_check(fds[0], &size) || size != m->region_size)
		return "region is not a memfd sealed against shrinking, or its "
		       "size differs";
	if (size > (1ull << 40) || shm_map(fds[0], size, &region))
		return "cannot map the region";
	hc->memfd = fds[0];
	fds[0] = -1;
	hc->region_size = size;
	hc->core.region = region;
	if (channel_validate(region, size, SW_KNOWN_FEATURES, &layout, &why))
		return why;
	if (layout.nr_qpairs != m->nr_qpairs || layout.features != m->features)
		return "handshake disagrees with the region header";

	who = (struct ta_identity){ .uid = hc->cred.uid,
				    .gid = hc->cred.gid,
				    .pid = (uint32_t)hc->cred.pid };
	ret = sw_client_init(&hc->core, ++h->next_client_id, region, &layout,
			     &who);
	if (ret)
		return "out of memory";
	hc->core_ready = 1;
	if (sw_host_peer_groups(hc))
		return "cannot learn the client's groups";
	hc->nr_qpairs = layout.nr_qpairs;
	if (layout.features & TEEQ_FEAT_CQE_HINTS)
		hc->deferred_hint = TEEQ_CQE_F_DEFERRED;
	for (i = 0; i < hc->nr_qpairs; i++) {
		struct sw_hqp *qp = &hc->qp[i];

		qp->hc = hc;
		if (channel_attach_qpair(region, &layout, i, &qp->sq,
					 RING_CONSUMER, &qp->cq, RING_PRODUCER))
			return "ring headers disagree with the region header";
	}
	/* the doorbells: socketpairs of our own making, so that the client
	 * holds nothing of our ends (uapi/teeq_host.h) */
	for (i = 0; i < hc->nr_qpairs; i++) {
		int sv[2];

		if (socketpair(AF_UNIX,
			       SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0,
			       sv)) {
			sw_close_fds(ends, (int)i);
			*status = -EBUSY;
			return "out of descriptors";
		}
		hc->qp[i].sq_db = hc->qp[i].cq_db = sv[0];
		hc->qp[i].db_socket = 1;
		ends[i] = sv[1];
	}

	r.status = 0;
	r.abi_version = TEEQ_ABI_VERSION;
	r.features = SW_KNOWN_FEATURES;
	r.client_id = hc->core.id;
	r.sw_pid = (uint32_t)getpid();
	r.workers = h->opts.workers;
	ret = sw_socket_send(hc->sock, &r, sizeof(r), TEEQ_HOST_HELLO_REPLY,
			     m->hdr.seq, ends, (int)hc->nr_qpairs);
	/* the client's ends are the client's alone from here */
	sw_close_fds(ends, (int)hc->nr_qpairs);
	if (ret)
		return ""; /* hung up during the handshake */

	/* spread the queue pairs over the workers, least loaded first */
	for (i = 0; i < hc->nr_qpairs; i++) {
		uint32_t w = sw_host_pick_worker(h);

		h->worker_qps[w]++;
		hc->qp[i].worker = &h->workers[w];
		sw_worker_add_qp(hc->qp[i].worker, &hc->qp[i]);
	}
	hc->attached = 1;
	h->totals.clients_total++;
	sw_log(h, 1,
	       "client %u attached: pid %d uid %u, %u queue pairs, "
	       "%llu-byte region",
	       hc->core.id, (int)hc->cred.pid, (unsigned)hc->cred.uid,
	       hc->nr_qpairs, (unsigned long long)size);
	return NULL;
}

static const char *sw_host_reg_fd(struct sw_host *h, struct sw_hclient *hc,
				  const struct teeq_host_reg_fd *m, int *fds,
				  int nr_fds)
{
	struct teeq_host_reg_fd_reply r = { 0 };
	struct sw_ext_buf *buf = NULL;
	int prot = PROT_READ, status = 0;
	uint64_t size = 0;
	int64_t id;
	void *base;

	if (nr_fds != 1 || m->reserved || !m->flags ||
	    (m->flags & ~(TEEQ_HOST_REG_READ | TEEQ_HOST_REG_WRITE)))
		return "malformed registration";
	if (m->flags & TEEQ_HOST_REG_WRITE)
		prot |= PROT_WRITE;
	status = shm_memfd_check(fds[0], &size);
	if (!status && (size == 0 || size > (1ull << 40)))
		status = -EINVAL;
	if (!status) {
		base = mmap(NULL, size, prot, MAP_SHARED, fds[0], 0);
		buf = base == MAP_FAILED ? NULL : malloc(sizeof(*buf));
		if (!buf) {
			if (base != MAP_FAILED)
				munmap(base, size);
			status = -ENOMEM;
		}
	}
	if (!status) {
		*buf = (struct sw_ext_buf){ base, size, m->flags };
		id = sw_client_add_ext(&hc->core, buf);
		if (id < 0) {
			sw_platform_unmap(buf);
			status = (int)id;
		} else {
			r.buf_id = (uint32_t)id;
			r.size = size;
			__atomic_add_fetch(&h->ext_buffers, 1,
					   __ATOMIC_RELAXED);
		}
	}
	r.status = status;
	if (sw_socket_send(hc->sock, &r, sizeof(r), TEEQ_HOST_REG_FD_REPLY,
			   m->hdr.seq, NULL, 0))
		return ""; /* hung up */
	return NULL;
}

/* One message from a client. Returns NULL, or why it must be dropped. */
static const char *sw_host_message(struct sw_host *h, struct sw_hclient *hc)
{
	union {
		struct teeq_host_hdr hdr;
		struct teeq_host_hello hello;
		struct teeq_host_reg_fd reg;
		struct teeq_host_unreg unreg;
		unsigned char raw[256];
	} m;
	int fds[TEEQ_HOST_RECV_FDS], nr_fds = 0;
	const char *why = NULL;
	ssize_t n;

	n = teeq_host_recvmsg(hc->sock, &m, sizeof(m), fds, &nr_fds);
	if (n == -EAGAIN || n == -EINTR)
		return NULL;
	/* a client killed with our reply unread shows as a reset: a
	 * hang-up like any other, not misbehaviour */
	if (n == 0 || n == -ECONNRESET || n == -EPIPE)
		why = "";
	else if (n < 0)
		why = n == -EMSGSIZE ? "message cut short" : "receive failed";
	if (why)
		goto out;
	if ((size_t)n < sizeof(m.hdr) || m.hdr.magic != TEEQ_HOST_MAGIC ||
	    m.hdr.len != (uint32_t)n || m.hdr.reserved) {
		why = "garbage on the socket";
		goto out;
	}
	/* the handshake comes first and only once */
	if (m.hdr.type != TEEQ_HOST_STATS &&
	    (m.hdr.type == TEEQ_HOST_HELLO) == hc->attached) {
		why = hc->attached ? "second handshake" :
				     "message before the handshake";
		goto out;
	}
	switch (m.hdr.type) {
	case TEEQ_HOST_HELLO: {
		int status = -EPROTO;

		if (n != sizeof(m.hello)) {
			why = "malformed handshake";
			break;
		}
		why = sw_host_hello(h, hc, &m.hello, fds, nr_fds, &status);
		if (why)
			sw_host_reply_status(hc, TEEQ_HOST_HELLO_REPLY,
					     m.hdr.seq, status);
		break;
	}
	case TEEQ_HOST_REG_FD:
		why = n != sizeof(m.reg) ?
			      "malformed registration" :
			      sw_host_reg_fd(h, hc, &m.reg, fds, nr_fds);
		break;
	case TEEQ_HOST_UNREG:
		if (n != sizeof(m.unreg) || nr_fds || m.unreg.reserved) {
			why = "malformed unregistration";
			break;
		}
		sw_host_reply_status(hc, TEEQ_HOST_UNREG_REPLY, m.hdr.seq,
				     sw_client_remove_ext(&hc->core,
							  m.unreg.buf_id) < 0 ?
					     -ENOENT :
					     0);
		break;
	case TEEQ_HOST_STATS: {
		struct teeq_host_stats_reply r = { 0 };

		if (n != sizeof(m.hdr) || nr_fds) {
			why = "malformed stats request";
			break;
		}
		sw_control_stats(h, &r.stats);
		sw_socket_send(hc->sock, &r, sizeof(r), TEEQ_HOST_STATS_REPLY,
			       m.hdr.seq, NULL, 0);
		break;
	}
	default:
		why = "unknown message type";
	}
out:
	sw_host_dispose(h, fds, nr_fds);
	return why;
}

/*
 * Out of descriptors, accept() fails and the listener stays readable: a
 * level-triggered loop would spin. The reserve descriptor is given up for
 * a moment to take the connection and close it (the client learns at once
 * that there is no room); failing that, the listener is left alone for a
 * tick.
 */
static void sw_host_accept_full(struct sw_host *h)
{
	int sock = -1;

	if (h->reserve_fd >= 0) {
		close(h->reserve_fd);
		sock = accept4(h->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (sock >= 0)
			close(sock);
		h->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	if (sock >= 0)
		h->totals.clients_refused++;
	if (sock < 0 || h->reserve_fd < 0) {
		epoll_ctl(h->epfd, EPOLL_CTL_DEL, h->listen_fd, NULL);
		h->accept_paused_ms = sw_host_now_ms();
	}
	if (!h->full_logged++)
		sw_log(h, 0, "out of descriptors: refusing clients");
}

static void sw_host_accept_resume(struct sw_host *h, uint64_t now)
{
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.ptr = &h->listen_fd };

	if (!h->accept_paused_ms || now - h->accept_paused_ms < SW_HOST_TICK_MS)
		return;
	h->accept_paused_ms = 0;
	if (h->reserve_fd < 0)
		h->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->listen_fd, &ev);
}

static void sw_host_accept(struct sw_host *h)
{
	struct sw_hclient *hc;
	socklen_t len = sizeof(hc->cred);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
	int sock;

	sock = accept4(h->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (sock < 0) {
		if (errno == EMFILE || errno == ENFILE)
			sw_host_accept_full(h);
		return;
	}
	h->full_logged = 0;
	hc = calloc(1, sizeof(*hc));
	if (!hc) {
		close(sock);
		return;
	}
	hc->host = h;
	hc->sock = sock;
	hc->memfd = -1;
	hc->accepted_ms = sw_host_now_ms();
	for (int i = 0; i < TEEQ_MAX_QPAIRS; i++)
		hc->qp[i].sq_db = hc->qp[i].cq_db = -1;
	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &hc->cred, &len)) {
		sw_hclient_free(hc);
		return;
	}
	ev.data.ptr = hc;
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, sock, &ev)) {
		sw_hclient_free(hc);
		return;
	}
	hc->next = h->clients;
	h->clients = hc;
}

/* Drops the broken, finishes the fully detached. */
static void sw_host_sweep(struct sw_host *h)
{
	struct sw_hclient *hc, *next;
	uint64_t count;

	(void)!read(h->wake_fd, &count, sizeof(count));
	for (hc = h->clients; hc; hc = next) {
		const char *why =
			__atomic_load_n(&hc->core.broken, __ATOMIC_ACQUIRE);

		next = hc->next;
		if (why && !hc->detaching)
			sw_host_drop_client(h, hc, *why ? why : NULL);
		if (hc->detaching &&
		    !__atomic_load_n(&hc->detach_pending, __ATOMIC_ACQUIRE) &&
		    !__atomic_load_n(&hc->jobs, __ATOMIC_ACQUIRE))
			sw_host_finish_client(h, hc);
	}
}

static void sw_host_client_event(struct sw_host *h, struct sw_hclient *hc,
				 uint32_t events)
{
	const char *why = NULL;

	if (hc->detaching)
		return;
	if (events & EPOLLIN)
		why = sw_host_message(h, hc);
	if (!why && (events & (EPOLLHUP | EPOLLRDHUP | EPOLLERR)))
		why = "";
	if (!why)
		return;
	if (hc->attached) {
		/* "" is a plain hang-up: not worth a log line */
		sw_host_drop_client(h, hc, *why ? why : NULL);
		return;
	}
	/* never attached: no worker knows it, the sweep frees it */
	if (*why) {
		h->totals.clients_refused++;
		sw_log(h, 0, "client (pid %d uid %u) refused: %s",
		       (int)hc->cred.pid, (unsigned)hc->cred.uid, why);
	}
	epoll_ctl(h->epfd, EPOLL_CTL_DEL, hc->sock, NULL);
	hc->detaching = 1;
}

/* ---- set-up -------------------------------------------------------------------- */

/*
 * Clients cost descriptors (the connection, the region and one doorbell
 * per queue pair): the soft limit goes up to the hard one, since 1024
 * would fit some sixty clients.
 */
static void sw_host_raise_nofile(struct sw_host *h)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		sw_log(h, 0, "cannot raise the descriptor limit: %s",
		       strerror(errno));
}

static int sw_host_setup(struct sw_host *h)
{
	int ret;

	ret = sw_socket_listen(h);
	if (ret)
		return ret;
	h->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return sw_control_setup(h, &h->listen_fd);
}

static void sw_host_teardown(struct sw_host *h)
{
	/* first of all nobody new: a client that finds no teeq-sw starts
	 * another (which waits for our lock), rather than attach to one on
	 * its way out */
	sw_socket_close(h);
	sw_control_teardown(h, sw_hclient_free);
	if (h->reserve_fd >= 0)
		close(h->reserve_fd);
	if (h->disposer_fd >= 0) {
		struct timespec step = { 0, 1000000 };
		int i;

		/* end of file: it exits at once, unless it waits on a trap;
		 * then whoever inherits it reaps it, later */
		close(h->disposer_fd);
		for (i = 0; i < 100; i++) {
			if (waitpid(h->disposer_pid, NULL, WNOHANG))
				break;
			nanosleep(&step, NULL);
		}
	}
	sw_socket_unlock(h);
}

/* Connections that have not sent their HELLO in time are closed: each
 * holds a descriptor and memory. */
static void sw_host_hello_timeouts(struct sw_host *h, uint64_t now)
{
	struct sw_hclient *hc;

	for (hc = h->clients; hc; hc = hc->next) {
		if (hc->attached || hc->detaching ||
		    now - hc->accepted_ms < TEEQ_HOST_HELLO_TIMEOUT_MS)
			continue;
		h->totals.clients_refused++;
		sw_log(h, 0,
		       "client (pid %d uid %u) refused: no handshake in "
		       "%u ms",
		       (int)hc->cred.pid, (unsigned)hc->cred.uid,
		       TEEQ_HOST_HELLO_TIMEOUT_MS);
		epoll_ctl(h->epfd, EPOLL_CTL_DEL, hc->sock, NULL);
		hc->detaching = 1; /* never attached: the sweep frees it */
	}
}

int sw_host_run(struct sw_host *h)
{
	struct epoll_event ev[32];
	uint64_t now, idle_since = sw_host_now_ms();
	int n, i, ret;

	h->listen_fd = h->lock_fd = h->reserve_fd = -1;
	h->epfd = h->wake_fd = h->signal_fd = -1;
	sw_host_raise_nofile(h);
	ret = sw_host_setup(h);
	if (ret) {
		sw_host_teardown(h);
		return ret;
	}
	sw_log(h, 0,
	       "serving %s with %u workers, spin %llu us, %zu trusted "
	       "apps",
	       h->opts.socket_path, h->opts.workers,
	       (unsigned long long)(h->opts.spin_ns / 1000),
	       ta_registry_count());

	while (!__atomic_load_n(&h->stop, __ATOMIC_ACQUIRE)) {
		n = epoll_wait(h->epfd, ev, 32, SW_HOST_TICK_MS);
		for (i = 0; i < n; i++) {
			void *p = ev[i].data.ptr;

			if (p == &h->listen_fd)
				sw_host_accept(h);
			else if (p == &h->wake_fd)
				/* swept below, once this batch is done: a
				 * client freed now may be named by an event
				 * further on in ev[] */
				continue;
			else if (p == &h->signal_fd)
				__atomic_store_n(&h->stop, 1, __ATOMIC_RELEASE);
			else
				sw_host_client_event(h, p, ev[i].events);
		}
		now = sw_host_now_ms();
		sw_host_accept_resume(h, now);
		sw_host_hello_timeouts(h, now);
		sw_host_sweep(h);
		if (h->clients)
			idle_since = now;
		else if (h->opts.idle_exit_s &&
			 now - idle_since >= h->opts.idle_exit_s * 1000ull) {
			sw_log(h, 1, "idle for %us, exiting",
			       h->opts.idle_exit_s);
			break;
		}
	}
	sw_log(h, 1, "shutting down");
	sw_host_teardown(h);
	return 0;
}
