/* SPDX-License-Identifier: MIT */
/*
 * teeq-sw, the secure world as a Linux process, and what its two
 * attachments share: the attachment's control thread brings clients in
 * (host/: the Unix socket, host mode; kernel/: the driver's endpoint
 * /dev/teeqsw0, kernel mode) and each becomes a struct sw_hclient, whose
 * rings worker threads drain through the core (secure/core/core.h) and
 * whose calls that may wait run on call threads. The core sees this side
 * through its platform (secure/core/platform.h; platform.c here).
 */
#ifndef TEEQ_SECURE_ATTACH_H
#define TEEQ_SECURE_ATTACH_H

#include "secure/core/core.h"
#include "uapi/teeq_host.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>

#define SW_MAX_WORKERS 64
#define SW_WORKER_BATCH 32

#define SW_WORKER_MAX_QPS 1024

struct sw_host;
struct sw_hqp;
struct sw_hclient;

enum sw_cmd_type {
	SW_CMD_ADD_QP,
	SW_CMD_DETACH,
};

struct sw_cmd {
	enum sw_cmd_type type;
	struct sw_hqp *qp;
	struct sw_hclient *hc;
	struct sw_cmd *next;
};

/* A deferred call, run by a call thread (worker.c). */
struct sw_job {
	struct sw_job *next;
	struct sw_hqp *qp;
	struct teeq_sqe sqe;
	struct teeq_cqe cqe;
};

/*
 * The deferred calls of one session (of every session whose id falls in
 * the same slot), run in order by one call thread at a time. Once a
 * session has a call here, its later ones come here too, so a session's
 * calls keep the order of its queue pair.
 */
struct sw_chain {
	struct sw_job *head, *last; /* under sw_calls.lock */
	struct sw_chain *next_ready; /* in its client's calls_ready */
	int active; /* ready or being run; under sw_calls.lock */
	uint32_t pending; /* atomic: jobs not run to their end yet */
};

#define SW_CHAINS 1024 /* per client; a power of two */

/* The call threads (calls.c): clients take turns for them, each with at
 * most per_client chains running. */
#define SW_CALL_THREADS_MAX 512

struct sw_calls {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* idle threads wait here */
	/* clients with a ready chain and room to run it, round robin */
	struct sw_hclient *clients, *clients_last;
	uint32_t per_client;
	pthread_t *threads; /* SW_CALL_THREADS_MAX slots */
	uint32_t nr; /* threads made */
	uint32_t idle; /* threads without a chain */
	int stop;
};

struct sw_worker {
	struct sw_host *host;
	uint32_t index;
	pthread_t thread;
	int epfd;
	int cmd_fd;
	pthread_mutex_t cmd_lock;
	struct sw_cmd *cmds, **cmds_tail;
	uint32_t cmd_pending; /* atomic */
	struct sw_hqp *qps[SW_WORKER_MAX_QPS];
	uint32_t nr_qps;
	/* completions of deferred calls, handed back by call threads */
	pthread_mutex_t jobs_lock;
	struct sw_job *jobs_done, *jobs_last; /* FIFO */
	uint32_t jobs_pending; /* atomic */
	struct sw_job *retry; /* ours: waiting for room in a completion ring */
	uint64_t calls, doorbells, sleeps; /* atomic, read by stats */
};

/* One queue pair of a client, served by one worker. */
struct sw_hqp {
	struct sw_hclient *hc;
	struct ring sq; /* consumer */
	struct ring cq; /* producer */
	/* doorbells, held by us (and the kernel) alone: what we watch for
	 * the client's rings, and what we write to ring it. Host mode: both
	 * are our end of the pair's socketpair (db_socket; uapi/teeq_host.h);
	 * kernel mode: an eventfd the driver signals, and the driver's
	 * channel file */
	int sq_db;
	int cq_db;
	int db_socket;
	struct sw_worker *worker;
};

struct sw_hclient {
	struct sw_client core;
	struct sw_host *host;
	struct sw_hclient *next;
	int sock;
	int memfd;
	uint64_t region_size;
	uint32_t nr_qpairs;
	/* TEEQ_CQE_F_DEFERRED if its region has TEEQ_FEAT_CQE_HINTS */
	uint32_t deferred_hint;
	struct sw_hqp qp[TEEQ_MAX_QPAIRS];
	struct ucred cred;
	/* workers still holding one of our queue pairs while detaching */
	uint32_t detach_pending; /* atomic */
	/* calls with the call threads, or their completions not posted */
	uint32_t jobs; /* atomic */
	struct sw_chain chains[SW_CHAINS];
	/* its ready chains, waiting for a call thread; under sw_calls.lock */
	struct sw_chain *calls_ready, *calls_ready_last;
	struct sw_hclient *calls_next; /* in sw_calls.clients */
	uint32_t calls_running; /* chains on call threads now */
	int calls_queued; /* in sw_calls.clients */
	uint64_t accepted_ms; /* its HELLO is due within the timeout */
	int core_ready; /* sw_client_init() done */
	int attached; /* handshake done, queue pairs with the workers */
	int detaching;
};

struct sw_host_opts {
	char socket_path[108];
	uint32_t workers;
	uint32_t call_threads; /* calls that may wait, per client at once */
	uint64_t spin_ns;
	int cpus[SW_MAX_WORKERS]; /* -1: not pinned */
	uint32_t idle_exit_s; /* 0: never */
	int verbose;
};

/* the control thread's tick: timeouts are checked this often */
#define SW_HOST_TICK_MS 200
#define SW_LISTEN_BACKLOG 64
/* how long a starting teeq-sw waits for one on its way out to let go of
 * the socket's lock */
#define SW_LOCK_WAIT_MS 5000

/* The process: its clients, workers and call threads, and the control
 * thread's descriptors; the socket's fields are the host attachment's
 * alone (the kernel attachment keeps its own state in kernel.c). */
struct sw_host {
	struct sw_host_opts opts;
	/* host attachment: the socket, its lock, the listener's rests */
	int listen_fd;
	int lock_fd;
	int reserve_fd; /* given up to refuse a client when out of fds */
	uint64_t accept_paused_ms; /* 0, or since when the listener rests */
	uint32_t full_logged;
	/* both */
	int epfd;
	int wake_fd; /* workers poke the control thread */
	int signal_fd;
	struct sw_hclient *clients;
	uint32_t next_client_id;
	uint32_t next_worker; /* round-robin start for the next client */
	/* queue pairs given to each worker (the control thread's count) */
	uint32_t worker_qps[SW_MAX_WORKERS];
	struct sw_worker *workers;
	struct sw_calls calls;
	/* host attachment: the disposer */
	int disposer_fd; /* to the process that closes clients' descriptors */
#define SW_DISPOSE_BATCH 1 /* a message with descriptors to close */
#define SW_DISPOSE_CLOSED 2 /* and then: ours are closed */
	pid_t disposer_pid;
	/* both */
	struct teeq_sw_stats totals; /* counters kept by the control thread */
	uint64_t ext_buffers, ext_bytes; /* atomic */
	int stop; /* atomic */
};

/* calls.c */
int sw_calls_start(struct sw_calls *cs, uint32_t per_client);
void sw_calls_stop(struct sw_calls *cs);
/* Queues @job on @ch, a chain of @hc, for a call thread. */
void sw_calls_submit(struct sw_calls *cs, struct sw_hclient *hc,
		     struct sw_chain *ch, struct sw_job *job);

/* worker.c */
int sw_workers_start(struct sw_host *h);
/* A call thread is done with @job: back to its worker, to be posted. */
void sw_worker_job_done(struct sw_job *job);
/* Frees a list of jobs (teeq-sw stopping: calls never run or posted). */
void sw_jobs_free(struct sw_job *job);
void sw_workers_stop(struct sw_host *h);
void sw_worker_add_qp(struct sw_worker *w, struct sw_hqp *qp);
/* Asks the worker to let go of every queue pair of @hc; it decrements
 * hc->detach_pending and pokes h->wake_fd when done. */
void sw_worker_detach(struct sw_worker *w, struct sw_hclient *hc);
void sw_workers_stats(struct sw_host *h, struct teeq_sw_stats *st);
/* One round of a worker's loop, in two parts: a batch drained from @qp,
 * and the completions the call threads handed back posted. The worker
 * thread calls them; tests/fuzz/targets/fuzz_drain.c drives them on a
 * worker it never started. */
uint32_t sw_worker_drain(struct sw_worker *w, struct sw_hqp *qp);
void sw_worker_post_jobs(struct sw_worker *w);

/* platform.c: the core's platform in teeq-sw, for both attachments */
extern const struct sw_platform sw_platform_linux;
/* Unmaps and frees a registered buffer that no client's table holds. */
void sw_platform_unmap(struct sw_ext_buf *buf);

/* control.c: what both attachments' control threads share */
/* A worker found a client breaking the protocol (@reason), or hung up
 * (@reason ""): the control thread drops it. */
void sw_control_client_broken(struct sw_hclient *hc, const char *reason);
void sw_log(struct sw_host *h, int verbose_only, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Is @fd an eventfd (a doorbell a peer handed over)? */
int sw_is_eventfd(int fd);
/* Signals, h->wake_fd, h->epfd watching them and the attachment's
 * @way_in (the event's data is @way_in), and the workers: 0 or -errno. */
int sw_control_setup(struct sw_host *h, int *way_in);
/* Starts letting go of @hc: running calls see themselves cancelled, each
 * worker lets go of its queue pairs (hc->detach_pending counts them). */
void sw_control_drop(struct sw_hclient *hc);
/* Running calls see themselves cancelled; the workers and call threads
 * stop (again: nothing). */
void sw_control_stop(struct sw_host *h);
/* sw_control_stop(), then every client is finished in the core and given
 * to @client_free; closes what setup opened. */
void sw_control_teardown(struct sw_host *h,
			 void (*client_free)(struct sw_hclient *hc));
/* The statistics of every client attached now, and the totals. */
void sw_control_stats(struct sw_host *h, struct teeq_sw_stats *st);

/* socket.c: teeq-sw's Unix socket, served by both attachments */
/* Listens on opts.socket_path (listen_fd), holding its lock (lock_fd). */
int sw_socket_listen(struct sw_host *h);
/* Stops listening and removes the socket; then sw_socket_unlock(). */
void sw_socket_close(struct sw_host *h);
void sw_socket_unlock(struct sw_host *h);
/* Sends a message of @len bytes, its header filled in, with @nr
 * descriptors; never waits. 0 or -errno. */
int sw_socket_send(int sock, void *msg, size_t len, uint16_t type, uint32_t seq,
		   const int *fds, int nr);

#endif /* TEEQ_SECURE_ATTACH_H */
