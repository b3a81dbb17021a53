// SPDX-License-Identifier: MIT
/*
 * The kernel attachment's control thread. The driver announces each client
 * context as an event (uapi/teeq_swdev.h); a context becomes a client of
 * the core exactly as a host-mode client does (struct sw_hclient), except
 * that its region is the driver's channel file and its doorbells are an
 * eventfd the driver signals and the channel file itself, which the
 * workers write to as to any completion doorbell. The workers and call
 * threads (worker.c) serve it unchanged: batches, NEED_WAKEUP both ways,
 * calls that may wait kept off the draining threads.
 *
 * That is what makes this side batched too. A worker drains up to a batch
 * of a queue pair's entries per round (the driver publishes the commands
 * of one io_uring_enter together) and posts the round's completions with
 * one commit; the driver keeps NEED_WAKEUP set while it has io_uring
 * commands in flight, so that commit costs one doorbell, one write of the
 * channel file, and the driver reaps every completion of the channel in
 * that one system call: the ublk pattern, with the channel file as the
 * batched call.
 *
 * Buffers from outside a context's heap arrive as dma-buf fds on their
 * first use; each is mapped once and given a wire id by the core.
 */
#include "secure/attach/kernel/kernel.h"

#include "secure/attach/kernel/ksuppl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <unistd.h>

/* A context served as a client of the core, and what the driver is owed
 * when it goes. */
struct sw_kclient {
	struct sw_hclient hc;
	uint32_t reply; /* TEEQ_SWDEV_EV_CTX_CLOSE or _REPLY_CTX_BROKEN */
};

static struct sw_kclient *sw_kclient_of(struct sw_hclient *hc)
{
	/* hc is the first member */
	return (struct sw_kclient *)hc;
}

/* The kernel attachment's own state, beside the process's (struct
 * sw_host): one attachment per teeq-sw. */
static struct sw_kernel {
	int fd; /* the endpoint, where clients arrive as events */
} sw_kernel = { .fd = -1 };

/* Statistics requests waiting on the socket at most; more are closed. */
#define SW_KERNEL_STATS_CONNS 16

/* A connection to the statistics socket: one request, one answer. */
struct sw_kernel_stats_conn {
	int fd;
};

static uint32_t sw_kernel_stats_conns;

/* The clients being served, by the driver's context id. */
static struct sw_hclient *sw_kernel_find(struct sw_host *h, uint32_t ctx)
{
	struct sw_hclient *hc;

	for (hc = h->clients; hc; hc = hc->next)
		if (hc->core.id == ctx && !hc->detaching)
			return hc;
	return NULL;
}

static void sw_kernel_reply(struct sw_host *h, struct teeq_swdev_reply *r)
{
	if (ioctl(sw_kernel.fd, TEEQ_SWDEV_IOC_REPLY, r))
		sw_log(h, 0, "the driver refused a reply (type %u, context %u)",
		       r->type, r->ctx);
}

/* The region and the fds; the core is finished already (or never was). */
static void sw_kernel_client_free(struct sw_hclient *hc)
{
	uint32_t i;

	for (i = 0; i < hc->nr_qpairs; i++)
		if (hc->qp[i].sq_db >= 0)
			close(hc->qp[i].sq_db);
	if (hc->core.region)
		munmap(hc->core.region, hc->region_size);
	/* the channel fd, which is every queue pair's completion doorbell */
	if (hc->memfd >= 0)
		close(hc->memfd);
	free(sw_kclient_of(hc));
}

static const char *sw_kernel_open(struct sw_host *h, struct sw_hclient *hc,
				  const struct teeq_swdev_event *e,
				  struct teeq_swdev_reply *r)
{
	struct channel_layout layout;
	struct ta_identity who = { .uid = e->uid,
				   .gid = e->gid,
				   .pid = e->pid };
	const char *why = NULL;
	void *region;
	uint32_t i;

	if (!e->nr_qpairs || e->nr_qpairs > TEEQ_MAX_QPAIRS || !e->size ||
	    e->size > (1ull << 40))
		return "bad channel geometry";
	region = mmap(NULL, e->size, PROT_READ | PROT_WRITE, MAP_SHARED, e->fd,
		      0);
	if (region == MAP_FAILED)
		return "cannot map the channel";
	hc->core.region = region;
	hc->region_size = e->size;
	/* the driver wrote the header; checked as a client's would be */
	if (channel_validate(region, e->size, TEEQ_FEAT_ALL, &layout, &why))
		return why;
	if (layout.nr_qpairs != e->nr_qpairs)
		return "event disagrees with the region header";
	if (sw_client_init(&hc->core, e->ctx, region, &layout, &who))
		return "out of memory";
	hc->core_ready = 1;
	/* the driver refuses a group the caller is not in, by its
	 * credentials at the call, supplementary groups included */
	hc->core.groups_checked = 1;
	hc->nr_qpairs = layout.nr_qpairs;
	for (i = 0; i < hc->nr_qpairs; i++) {
		struct sw_hqp *qp = &hc->qp[i];

		qp->hc = hc;
		qp->cq_db = hc->memfd;
		qp->sq_db = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (qp->sq_db < 0)
			return "out of eventfds";
		r->sq_fds[i] = qp->sq_db;
		if (channel_attach_qpair(region, &layout, i, &qp->sq,
					 RING_CONSUMER, &qp->cq, RING_PRODUCER))
			return "ring headers disagree with the region header";
	}
	for (i = 0; i < hc->nr_qpairs; i++) {
		hc->qp[i].worker =
			&h->workers[(h->next_worker + i) % h->opts.workers];
		sw_worker_add_qp(hc->qp[i].worker, &hc->qp[i]);
	}
	h->next_worker = (h->next_worker + hc->nr_qpairs) % h->opts.workers;
	return NULL;
}

static void sw_kernel_ctx_open(struct sw_host *h,
			       const struct teeq_swdev_event *e)
{
	struct teeq_swdev_reply r = { .type = TEEQ_SWDEV_EV_CTX_OPEN,
				      .ctx = e->ctx };
	struct sw_kclient *kc = calloc(1, sizeof(*kc));
	struct sw_hclient *hc = kc ? &kc->hc : NULL;
	const char *why = "out of memory";
	uint32_t i;

	for (i = 0; i < TEEQ_MAX_QPAIRS; i++)
		r.sq_fds[i] = -1;
	if (hc) {
		hc->host = h;
		hc->sock = -1;
		hc->memfd = e->fd;
		for (i = 0; i < TEEQ_MAX_QPAIRS; i++)
			hc->qp[i].sq_db = -1;
		hc->cred.pid = (pid_t)e->pid;
		hc->cred.uid = e->uid;
		hc->cred.gid = e->gid;
		why = sw_kernel_open(h, hc, e, &r);
	}
	if (why) {
		sw_log(h, 0, "context %u (pid %u uid %u) refused: %s", e->ctx,
		       e->pid, e->uid, why);
		for (i = 0; i < TEEQ_MAX_QPAIRS; i++)
			r.sq_fds[i] = -1;
		r.status = -EPROTO;
		if (hc && hc->core_ready)
			sw_client_fini(&hc->core);
		if (hc)
			sw_kernel_client_free(hc);
		else
			close(e->fd);
		h->totals.clients_refused++;
		sw_kernel_reply(h, &r);
		return;
	}
	hc->attached = 1;
	hc->next = h->clients;
	h->clients = hc;
	h->totals.clients_total++;
	sw_log(h, 1, "context %u attached: pid %u uid %u, %u queue pairs",
	       e->ctx, e->pid, e->uid, hc->nr_qpairs);
	sw_kernel_reply(h, &r);
}

static void sw_kernel_ctx_close(struct sw_host *h,
				const struct teeq_swdev_event *e)
{
	struct sw_hclient *hc = sw_kernel_find(h, e->ctx);
	struct teeq_swdev_reply r = { .type = TEEQ_SWDEV_EV_CTX_CLOSE,
				      .ctx = e->ctx };
	uint32_t i;

	if (!hc) { /* refused at open: nothing to close */
		for (i = 0; i < TEEQ_MAX_QPAIRS; i++)
			r.sq_fds[i] = -1;
		sw_kernel_reply(h, &r);
		return;
	}
	/* the reply goes when the workers are done with it */
	sw_kclient_of(hc)->reply = TEEQ_SWDEV_EV_CTX_CLOSE;
	sw_control_drop(hc);
}

/* Maps a registered buffer and gives it a wire id. */
static void sw_kernel_buf_reg(struct sw_host *h,
			      const struct teeq_swdev_event *e)
{
	struct teeq_swdev_reply r = { .type = TEEQ_SWDEV_EV_BUF_REG,
				      .ctx = e->ctx,
				      .buf = e->buf };
	struct sw_hclient *hc = sw_kernel_find(h, e->ctx);
	int prot = PROT_READ;
	struct sw_ext_buf *buf;
	uint32_t i, flags = 0;
	int64_t id = -ENOENT;
	void *base;

	for (i = 0; i < TEEQ_MAX_QPAIRS; i++)
		r.sq_fds[i] = -1;
	if (e->flags & TEEQ_SWDEV_BUF_READ)
		flags |= TEEQ_HOST_REG_READ;
	if (e->flags & TEEQ_SWDEV_BUF_WRITE) {
		flags |= TEEQ_HOST_REG_WRITE;
		prot |= PROT_WRITE;
	}
	if (hc && e->size && e->size <= (1ull << 40) && flags) {
		base = mmap(NULL, e->size, prot, MAP_SHARED, e->fd, 0);
		buf = base == MAP_FAILED ? NULL : malloc(sizeof(*buf));
		id = -ENOMEM;
		if (buf) {
			*buf = (struct sw_ext_buf){ base, e->size, flags };
			id = sw_client_add_ext(&hc->core, buf);
			if (id < 0)
				sw_platform_unmap(buf);
			else
				__atomic_add_fetch(&h->ext_buffers, 1,
						   __ATOMIC_RELAXED);
		} else if (base != MAP_FAILED) {
			munmap(base, e->size);
		}
	}
	close(e->fd);
	if (id < 0)
		r.status = (int32_t)id;
	else
		r.wire_id = (uint32_t)id;
	sw_kernel_reply(h, &r);
}

static void sw_kernel_events(struct sw_host *h)
{
	struct teeq_swdev_event e;
	struct sw_hclient *hc;

	while (!ioctl(sw_kernel.fd, TEEQ_SWDEV_IOC_EVENT, &e)) {
		switch (e.type) {
		case TEEQ_SWDEV_EV_CTX_OPEN:
			sw_kernel_ctx_open(h, &e);
			break;
		case TEEQ_SWDEV_EV_CTX_CLOSE:
			sw_kernel_ctx_close(h, &e);
			break;
		case TEEQ_SWDEV_EV_BUF_REG:
			sw_kernel_buf_reg(h, &e);
			break;
		case TEEQ_SWDEV_EV_BUF_UNREG:
			hc = sw_kernel_find(h, e.ctx);
			if (hc)
				sw_client_remove_ext(&hc->core, e.wire_id);
			break;
		default:
			if (e.fd >= 0)
				close(e.fd);
			sw_log(h, 0, "unknown event %u from the driver",
			       e.type);
		}
	}
}

/* Drops the broken, finishes the fully detached and answers for them. */
static void sw_kernel_sweep(struct sw_host *h)
{
	struct sw_hclient *hc, **pp = &h->clients;
	struct teeq_swdev_reply r;
	uint64_t count;
	uint32_t i;

	(void)!read(h->wake_fd, &count, sizeof(count));
	while ((hc = *pp)) {
		const char *why =
			__atomic_load_n(&hc->core.broken, __ATOMIC_ACQUIRE);

		if (why && !hc->detaching) {
			sw_log(h, 0, "context %u dropped: %s", hc->core.id,
			       why);
			h->totals.clients_dropped++;
			sw_kclient_of(hc)->reply = TEEQ_SWDEV_REPLY_CTX_BROKEN;
			sw_control_drop(hc);
		}
		if (!hc->detaching ||
		    __atomic_load_n(&hc->detach_pending, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&hc->jobs, __ATOMIC_ACQUIRE)) {
			pp = &hc->next;
			continue;
		}
		*pp = hc->next;
		memset(&r, 0, sizeof(r));
		r.type = sw_kclient_of(hc)->reply;
		r.ctx = hc->core.id;
		for (i = 0; i < TEEQ_MAX_QPAIRS; i++)
			r.sq_fds[i] = -1;
		r.count = sw_client_sessions(&hc->core);
		h->totals.sessions_total += __atomic_load_n(
			&hc->core.stats.sessions_total, __ATOMIC_RELAXED);
		sw_client_fini(&hc->core);
		sw_kernel_client_free(hc);
		sw_kernel_reply(h, &r);
	}
}

/* Whether storage was started over the driver's supplicant node. */
static int sw_kernel_storage;

/* ---- the statistics socket ---------------------------------------------- */

/*
 * With --socket, teeq-sw in kernel mode answers TEEQ_HOST_STATS there
 * (teeq-sw --stats, the tests' fixture), and nothing else: clients attach
 * through the driver. Each connection gets one answer and is closed; one
 * that sends nothing waits in epoll, holding no thread, and at most
 * SW_KERNEL_STATS_CONNS of them at once.
 */
static void sw_kernel_stats_accept(struct sw_host *h)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
	struct sw_kernel_stats_conn *c;
	int fd;

	fd = accept4(h->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	c = sw_kernel_stats_conns < SW_KERNEL_STATS_CONNS ? malloc(sizeof(*c)) :
							    NULL;
	ev.data.ptr = c;
	if (!c || epoll_ctl(h->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		free(c);
		close(fd);
		return;
	}
	c->fd = fd;
	sw_kernel_stats_conns++;
}

static void sw_kernel_stats_answer(struct sw_host *h,
				   struct sw_kernel_stats_conn *c)
{
	struct teeq_host_stats_reply r = { 0 };
	struct teeq_host_hdr req;
	ssize_t n = recv(c->fd, &req, sizeof(req), MSG_DONTWAIT);

	if (n == sizeof(req) && req.magic == TEEQ_HOST_MAGIC &&
	    req.type == TEEQ_HOST_STATS && req.len == sizeof(req) &&
	    !req.reserved) {
		sw_control_stats(h, &r.stats);
		sw_socket_send(c->fd, &r, sizeof(r), TEEQ_HOST_STATS_REPLY,
			       req.seq, NULL, 0);
	}
	/* anything else (a handshake included) is hung up on */
	epoll_ctl(h->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c);
	sw_kernel_stats_conns--;
}

static int sw_kernel_setup(struct sw_host *h, const char *dev,
			   const struct sw_suppl_opts *suppl, int stats)
{
	struct teeq_swdev_attach a = { .version = TEEQ_SWDEV_VERSION,
				       .features = TEEQ_SWDEV_FEAT_SUPP };
	struct epoll_event ev = { .events = EPOLLIN };
	int ret;

	sw_kernel.fd = open(dev, O_RDWR | O_CLOEXEC);
	if (sw_kernel.fd < 0) {
		sw_log(h, 0, "cannot open %s: %s", dev, strerror(errno));
		return -errno;
	}
	if (ioctl(sw_kernel.fd, TEEQ_SWDEV_IOC_ATTACH, &a)) {
		sw_log(h, 0, "cannot attach to %s: %s", dev, strerror(errno));
		return -errno;
	}
	sw_log(h, 0,
	       "attached to %s: %u workers, spin %llu us, %zu trusted apps; "
	       "%u-slot rings, %llu-byte heaps",
	       dev, h->opts.workers,
	       (unsigned long long)(h->opts.spin_ns / 1000),
	       ta_registry_count(), a.sq_entries,
	       (unsigned long long)a.heap_size);
	if (a.features & TEEQ_SWDEV_FEAT_SUPP) {
		sw_ksuppl_start(sw_kernel.fd, suppl);
		sw_kernel_storage = 1;
	} else {
		sw_log(h, 0, "the driver offers no supplicant: no storage");
	}
	ret = sw_control_setup(h, &sw_kernel.fd);
	if (ret || !stats)
		return ret;
	/* last: whoever finds the socket finds teeq-sw attached */
	ret = sw_socket_listen(h);
	if (ret)
		return ret;
	ev.data.ptr = &h->listen_fd;
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->listen_fd, &ev))
		return -errno;
	sw_log(h, 0, "statistics on %s", h->opts.socket_path);
	return 0;
}

/* Calls still running see themselves cancelled, the threads stop, every
 * client goes; closing the node then ends what the driver has in flight. */
static void sw_kernel_teardown(struct sw_host *h)
{
	/* storage stops once no call runs, before the clients go */
	sw_control_stop(h);
	if (sw_kernel_storage) {
		sw_ksuppl_stop();
		sw_kernel_storage = 0;
	}
	sw_control_teardown(h, sw_kernel_client_free);
	sw_socket_close(h);
	sw_socket_unlock(h);
	if (sw_kernel.fd >= 0)
		close(sw_kernel.fd);
	sw_kernel.fd = -1;
}

int sw_kernel_run(struct sw_host *h, const char *dev,
		  const struct sw_suppl_opts *suppl, int stats)
{
	struct epoll_event ev[16];
	int n, i, ret;

	h->listen_fd = h->lock_fd = h->epfd = h->wake_fd = h->signal_fd = -1;
	ret = sw_kernel_setup(h, dev, suppl, stats);
	if (ret) {
		sw_kernel_teardown(h);
		return ret;
	}
	while (!__atomic_load_n(&h->stop, __ATOMIC_ACQUIRE)) {
		n = epoll_wait(h->epfd, ev, 16, 1000);
		for (i = 0; i < n; i++) {
			void *p = ev[i].data.ptr;

			if (p == &sw_kernel.fd)
				sw_kernel_events(h);
			else if (p == &h->signal_fd)
				__atomic_store_n(&h->stop, 1, __ATOMIC_RELEASE);
			else if (p == &h->listen_fd)
				sw_kernel_stats_accept(h);
			else if (p != &h->wake_fd)
				sw_kernel_stats_answer(h, p);
		}
		sw_kernel_sweep(h);
	}
	sw_log(h, 1, "detaching");
	sw_kernel_teardown(h);
	return 0;
}
