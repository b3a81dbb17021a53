// SPDX-License-Identifier: MIT
/*
 * What the control threads of both attachments share: the log, the
 * signals, the wake-up eventfd the workers poke and the epoll set around
 * them, starting and stopping the workers, and letting go of a client.
 * Each attachment adds its own way in (the host socket, the driver's
 * endpoint) to that set.
 */
#include "secure/attach/attach.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

void sw_log(struct sw_host *h, int verbose_only, const char *fmt, ...)
{
	va_list ap;

	if (verbose_only && !h->opts.verbose)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "teeq-sw[%d]: ", (int)getpid());
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void sw_control_client_broken(struct sw_hclient *hc, const char *reason)
{
	const char *none = NULL;
	uint64_t one = 1;

	/* first reason wins; the control thread drops the client */
	if (__atomic_compare_exchange_n(&hc->core.broken, &none, reason, 0,
					__ATOMIC_RELEASE, __ATOMIC_RELAXED))
		(void)!write(hc->host->wake_fd, &one, sizeof(one));
}

/* Is @fd an eventfd? A doorbell that is anything else (a pipe that could
 * block us, a file) is refused. */
int sw_is_eventfd(int fd)
{
	char path[64], line[128];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "eventfd-count:", 14);
	fclose(f);
	return found;
}

int sw_control_setup(struct sw_host *h, int *way_in)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	/* an ignored signal is dropped, not queued for the signalfd: the
	 * dispositions we were started with (nohup, a shell's) do not
	 * count; blocked, the default action never runs */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	h->signal_fd = signalfd(-1, &mask, SFD_CLOEXEC);
	h->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (h->signal_fd < 0 || h->wake_fd < 0 || h->epfd < 0)
		return -errno;
	ev.data.ptr = way_in;
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, *way_in, &ev))
		return -errno;
	ev.data.ptr = &h->wake_fd;
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->wake_fd, &ev))
		return -errno;
	ev.data.ptr = &h->signal_fd;
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->signal_fd, &ev))
		return -errno;
	/* workers inherit the blocked signal mask */
	return sw_workers_start(h);
}

void sw_control_drop(struct sw_hclient *hc)
{
	uint32_t i;

	hc->detaching = 1;
	/* calls still running see themselves cancelled; nothing more is
	 * served or completed for this client */
	__atomic_store_n(&hc->core.dying, 1, __ATOMIC_RELEASE);
	/* one detach per queue pair; a worker acks each */
	__atomic_store_n(&hc->detach_pending, hc->nr_qpairs, __ATOMIC_RELEASE);
	for (i = 0; i < hc->nr_qpairs; i++)
		sw_worker_detach(hc->qp[i].worker, hc);
}

void sw_control_stop(struct sw_host *h)
{
	struct sw_hclient *hc;

	/* calls still running (waiting ones too) see themselves cancelled;
	 * then the threads stop */
	for (hc = h->clients; hc; hc = hc->next)
		__atomic_store_n(&hc->core.dying, 1, __ATOMIC_RELEASE);
	if (h->workers)
		sw_workers_stop(h);
}

void sw_control_teardown(struct sw_host *h,
			 void (*client_free)(struct sw_hclient *hc))
{
	struct sw_hclient *hc;

	sw_control_stop(h);
	/* every client is detached at once */
	while ((hc = h->clients)) {
		h->clients = hc->next;
		if (hc->core_ready)
			sw_client_fini(&hc->core);
		client_free(hc);
	}
	if (h->epfd >= 0)
		close(h->epfd);
	if (h->wake_fd >= 0)
		close(h->wake_fd);
	if (h->signal_fd >= 0)
		close(h->signal_fd);
	h->epfd = h->wake_fd = h->signal_fd = -1;
}

/* What every client attached now and every one gone has done. */
void sw_control_stats(struct sw_host *h, struct teeq_sw_stats *st)
{
	struct sw_hclient *hc;

	*st = h->totals;
	st->clients = 0;
	st->sessions = 0;
	st->qpairs = 0;
	st->region_bytes = 0;
	st->heap_bytes = 0;
	st->ext_buffers = 0;
	st->ext_bytes = 0;
	for (hc = h->clients; hc; hc = hc->next) {
		uint32_t cursor = 0, id;
		struct shm_buf buf;

		/* counted once for every client that ever opened one, even
		 * while it is being torn down */
		if (hc->core_ready)
			st->sessions_total +=
				__atomic_load_n(&hc->core.stats.sessions_total,
						__ATOMIC_RELAXED);
		if (hc->attached)
			st->calls_deferred +=
				__atomic_load_n(&hc->jobs, __ATOMIC_RELAXED);
		if (hc->detaching && hc->attached)
			st->clients_closing++;
		if (hc->detaching || !hc->attached)
			continue;
		st->clients++;
		st->sessions += sw_client_sessions(&hc->core);
		st->qpairs += hc->nr_qpairs;
		st->region_bytes += hc->region_size;
		st->heap_bytes += hc->core.layout.heap_size;
		while ((id = shm_ids_next(&hc->core.ext_bufs, &cursor)))
			if (!shm_ids_lookup(&hc->core.ext_bufs, id, &buf)) {
				st->ext_buffers++;
				st->ext_bytes += buf.size;
			}
	}
	sw_workers_stats(h, st);
	st->workers = h->opts.workers;
	st->pid = (uint32_t)getpid();
}
