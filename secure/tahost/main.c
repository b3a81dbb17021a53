// SPDX-License-Identifier: MIT
/*
 * teeq-ta-host: one instance of one loaded trusted app, in a process of
 * its own. teeq-sw starts it (uapi/teeq_ta_proc.h says with what) and
 * then reaches it only through the channel's ring: this process consumes
 * the submissions in order, runs the TA's entry points one at a time
 * (sdk/host: the loader and a runtime in which another thread can cancel
 * the call in progress) and posts one completion for each.
 *
 * A second thread reads the control socket: cancellations, QUIT, the
 * replies to the TA's storage requests, and the hang-up that means
 * teeq-sw is gone, upon which the process exits at once, whatever its TA
 * is doing; it also exits if teeq-sw itself dies.
 *
 * teeq-sw is trusted here, but what it sends is still checked: an entry
 * this process cannot parse ends it.
 */
#include "ring/channel.h"
#include "ring/wait.h"
#include "sdk/host/host.h"
#include "shm/ids.h"
#include "shm/memfd.h"
#include "uapi/teeq_ta_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define TAHOST_MAX_SESSIONS 65536u
#define TAHOST_HELLO_MS 10000

struct tahost {
	char name[40]; /* the TA's UUID, for logs */
	struct teeq_ta_proc_hello hello;
	struct ta_host_ta ta;
	struct ta_host_rt rt;
	struct teeq_ta_runtime ops;
	const struct teeq_ta_entry *e;
	struct channel_layout layout;
	void *region;
	unsigned char *heap;
	struct ring sq, cq;
	struct ring_wait wait;
	int sw_pidfd;
	/* QUIT: the watcher closes quit_w and sets quitting; the main loop,
	 * sleeping on quit_r too, sees it hang up */
	int quit_r, quit_w;
	int quitting; /* atomic */
	void **sessions; /* id - 1 -> the TA's handle; NULL: free */
	uint32_t nr_sessions;
	/* the call in progress and the last cancellation asked for */
	pthread_mutex_t cancel_lock;
	uint32_t current_id, cancel_id;
	/* a storage request's reply, which the watcher hands over */
	pthread_mutex_t storage_lock;
	pthread_cond_t storage_cond;
	void *reply; /* NULL: none awaited */
	size_t reply_cap;
	int reply_done; /* 1: in; -1: none to come */
};

static struct tahost tahost;

static void __attribute__((format(printf, 1, 2), noreturn))
tahost_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "teeq-ta-host[%d] %s: ", (int)getpid(), tahost.name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	_exit(1);
}

static void tahost_log(void *host, int level, const char *line)
{
	(void)host;
	(void)level;
	fprintf(stderr, "teeq-ta-host[%d] %s: %s\n", (int)getpid(), tahost.name,
		line);
}

static void tahost_send(const void *msg, size_t len)
{
	if (send(TEEQ_TA_PROC_FD_SOCK, msg, len, MSG_NOSIGNAL) != (ssize_t)len)
		_exit(1); /* teeq-sw is gone */
}

static void __attribute__((noreturn)) tahost_refuse(int err, const char *why)
{
	struct teeq_ta_proc_ready r = {
		.hdr = { .magic = TEEQ_TA_PROC_MAGIC,
			 .type = TEEQ_TA_PROC_READY,
			 .len = sizeof(r) },
		.status = -err,
	};

	snprintf(r.why, sizeof(r.why), "%s", why);
	tahost_send(&r, sizeof(r));
	_exit(1);
}

/* ---- the control socket ----------------------------------------------------- */

static void tahost_cancel(uint32_t id)
{
	pthread_mutex_lock(&tahost.cancel_lock);
	tahost.cancel_id = id;
	if (tahost.current_id == id)
		ta_host_rt_cancel(&tahost.rt);
	pthread_mutex_unlock(&tahost.cancel_lock);
}

/* A storage reply of @n bytes in @msg for the TA waiting on it. */
static void tahost_storage_reply(const void *msg, size_t n)
{
	pthread_mutex_lock(&tahost.storage_lock);
	if (!tahost.reply || n > tahost.reply_cap)
		_exit(1); /* none asked, or not that much */
	memcpy(tahost.reply, msg, n);
	tahost.reply = NULL;
	tahost.reply_done = 1;
	pthread_cond_signal(&tahost.storage_cond);
	pthread_mutex_unlock(&tahost.storage_lock);
}

/* The instance is being destroyed: no storage reply will come. */
static void tahost_storage_end(void)
{
	pthread_mutex_lock(&tahost.storage_lock);
	tahost.reply_done = -1;
	pthread_cond_signal(&tahost.storage_cond);
	pthread_mutex_unlock(&tahost.storage_lock);
}

/* The runtime's storage hook: one request, then its reply. */
static int tahost_storage(void *host, const void *req, size_t req_len,
			  void *reply, size_t reply_cap)
{
	int done;

	(void)host;
	pthread_mutex_lock(&tahost.storage_lock);
	if (tahost.reply_done < 0) {
		pthread_mutex_unlock(&tahost.storage_lock);
		return -EPIPE;
	}
	tahost.reply = reply;
	tahost.reply_cap = reply_cap;
	tahost.reply_done = 0;
	pthread_mutex_unlock(&tahost.storage_lock);
	tahost_send(req, req_len);
	pthread_mutex_lock(&tahost.storage_lock);
	while (!tahost.reply_done)
		pthread_cond_wait(&tahost.storage_cond, &tahost.storage_lock);
	done = tahost.reply_done;
	tahost.reply = NULL;
	pthread_mutex_unlock(&tahost.storage_lock);
	return done > 0 ? 0 : -EPIPE;
}

static void *tahost_watch(void *arg)
{
	struct pollfd pfd[2] = {
		{ .fd = TEEQ_TA_PROC_FD_SOCK, .events = POLLIN | POLLRDHUP },
		{ .fd = tahost.sw_pidfd, .events = POLLIN },
	};
	/* any message: a storage reply is the largest */
	static union {
		struct teeq_ta_proc_cancel cancel;
		struct teeq_ta_proc_storage_reply reply;
		uint8_t bytes[TEEQ_TA_STORAGE_MSG_MAX];
	} m;
	ssize_t n;

	(void)arg;
	for (;;) {
		if (poll(pfd, 2, -1) < 0)
			continue;
		/* teeq-sw is gone: so is this instance, at once */
		if (pfd[1].revents ||
		    (pfd[0].revents & (POLLHUP | POLLRDHUP | POLLERR)))
			_exit(0);
		n = recv(TEEQ_TA_PROC_FD_SOCK, &m, sizeof(m), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < (ssize_t)sizeof(m.cancel.hdr) ||
		    m.cancel.hdr.magic != TEEQ_TA_PROC_MAGIC ||
		    m.cancel.hdr.len != (uint32_t)n)
			_exit(1);
		if (m.cancel.hdr.type == TEEQ_TA_PROC_CANCEL &&
		    n == sizeof(m.cancel)) {
			tahost_cancel(m.cancel.cancel_id);
		} else if (m.cancel.hdr.type == TEEQ_TA_PROC_STORAGE_REPLY &&
			   n >= (ssize_t)sizeof(m.reply)) {
			tahost_storage_reply(&m, (size_t)n);
		} else if (m.cancel.hdr.type == TEEQ_TA_PROC_QUIT &&
			   n == sizeof(m.cancel.hdr)) {
			__atomic_store_n(&tahost.quitting, 1, __ATOMIC_RELEASE);
			tahost_storage_end();
			close(tahost.quit_w);
			pfd[0].events = POLLRDHUP; /* nothing more to read */
		} else {
			_exit(1);
		}
	}
	return NULL;
}

/* ---- entries ----------------------------------------------------------------- */

static void tahost_uuid(const struct teeq_uuid *w, TEE_UUID *u)
{
	const uint8_t *b = w->b;

	u->timeLow = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		     (uint32_t)b[2] << 8 | b[3];
	u->timeMid = (uint16_t)(b[4] << 8 | b[5]);
	u->timeHiAndVersion = (uint16_t)(b[6] << 8 | b[7]);
	memcpy(u->clockSeqAndNode, b + 8, 8);
}

/* The entry's parameters as the TA gets them; 0 or TEEQ_ERROR_*. */
static uint32_t tahost_params_in(const struct teeq_sqe *sqe,
				 TEE_Param p[TEE_NUM_PARAMS])
{
	int i;

	memset(p, 0, sizeof(TEE_Param) * TEE_NUM_PARAMS);
	for (i = 0; i < TEE_NUM_PARAMS; i++) {
		unsigned int type = TEEQ_PARAM_TYPE_GET(sqe->param_types, i);
		const union teeq_param *w = &sqe->params[i];

		if (!teeq_param_type_valid(type))
			return TEEQ_ERROR_BAD_PARAMETERS;
		if (teeq_param_is_value(type)) {
			p[i].value.a = w->value.a;
			p[i].value.b = w->value.b;
		} else if (teeq_param_is_memref(type)) {
			p[i].memref.size = w->memref.size;
			if (w->memref.buf_id == TEEQ_BUF_ID_NULL &&
			    !w->memref.offset)
				continue;
			if (w->memref.buf_id != TEEQ_BUF_ID_HEAP ||
			    !shm_window_ok(tahost.layout.heap_size,
					   w->memref.offset, w->memref.size))
				return TEEQ_ERROR_BAD_PARAMETERS;
			p[i].memref.buffer = tahost.heap + w->memref.offset;
		}
	}
	return 0;
}

static void tahost_params_out(const struct teeq_sqe *sqe,
			      const TEE_Param p[TEE_NUM_PARAMS],
			      struct teeq_cqe *cqe)
{
	int i;

	for (i = 0; i < TEE_NUM_PARAMS; i++) {
		unsigned int type = TEEQ_PARAM_TYPE_GET(sqe->param_types, i);

		if (!teeq_param_is_output(type))
			continue;
		if (teeq_param_is_value(type)) {
			cqe->params[i].value.a = p[i].value.a;
			cqe->params[i].value.b = p[i].value.b;
		} else {
			cqe->params[i].memref.size =
				p[i].memref.size > UINT32_MAX ?
					UINT32_MAX :
					(uint32_t)p[i].memref.size;
		}
	}
}

static void tahost_call_begin(uint32_t id)
{
	pthread_mutex_lock(&tahost.cancel_lock);
	tahost.current_id = id;
	ta_host_rt_new_call(&tahost.rt);
	/* asked for before the call began: it begins cancelled */
	if (id && tahost.cancel_id == id)
		ta_host_rt_cancel(&tahost.rt);
	pthread_mutex_unlock(&tahost.cancel_lock);
}

static void tahost_call_end(void)
{
	pthread_mutex_lock(&tahost.cancel_lock);
	tahost.current_id = 0;
	pthread_mutex_unlock(&tahost.cancel_lock);
}

/* The session of @id, or NULL. */
static void **tahost_session(uint32_t id)
{
	if (!id || id > tahost.nr_sessions || !tahost.sessions[id - 1])
		return NULL;
	return &tahost.sessions[id - 1];
}

/* A free session id (growing the table), or 0. */
static uint32_t tahost_session_new(void)
{
	uint32_t i, n;
	void **grown;

	for (i = 0; i < tahost.nr_sessions; i++)
		if (!tahost.sessions[i])
			return i + 1;
	if (tahost.nr_sessions == TAHOST_MAX_SESSIONS)
		return 0;
	n = tahost.nr_sessions ? tahost.nr_sessions * 2 : 16;
	grown = realloc(tahost.sessions, n * sizeof(*grown));
	if (!grown)
		return 0;
	memset(grown + tahost.nr_sessions, 0,
	       (n - tahost.nr_sessions) * sizeof(*grown));
	tahost.sessions = grown;
	i = tahost.nr_sessions;
	tahost.nr_sessions = n;
	return i + 1;
}

static void tahost_open(const struct teeq_sqe *sqe, struct teeq_cqe *cqe)
{
	TEE_Param p[TEE_NUM_PARAMS];
	TEE_Identity who = { .login = sqe->func };
	uint32_t id = tahost_session_new(), origin = TEEQ_ORIGIN_TEE;
	void *handle = NULL;

	cqe->result = tahost_params_in(sqe, p);
	if (!cqe->result && !id)
		cqe->result = TEEQ_ERROR_OUT_OF_MEMORY;
	if (cqe->result)
		return;
	tahost_uuid(&sqe->uuid, &who.uuid);
	tahost_call_begin(sqe->cancel_id);
	cqe->result = tahost.e->open_session(&who, sqe->param_types, p, &handle,
					     &origin);
	tahost_call_end();
	cqe->origin = origin;
	tahost_params_out(sqe, p, cqe);
	if (cqe->result == TEEQ_SUCCESS) {
		tahost.sessions[id - 1] = handle;
		cqe->session = id;
	}
}

static void tahost_invoke(const struct teeq_sqe *sqe, struct teeq_cqe *cqe)
{
	TEE_Param p[TEE_NUM_PARAMS];
	void **s = tahost_session(sqe->session);
	uint32_t origin = TEEQ_ORIGIN_TEE;

	if (!s) {
		cqe->result = TEEQ_ERROR_BAD_PARAMETERS;
		return;
	}
	cqe->result = tahost_params_in(sqe, p);
	if (cqe->result)
		return;
	tahost_call_begin(sqe->cancel_id);
	cqe->result =
		tahost.e->invoke(*s, sqe->func, sqe->param_types, p, &origin);
	tahost_call_end();
	cqe->origin = origin;
	tahost_params_out(sqe, p, cqe);
}

static void tahost_close(const struct teeq_sqe *sqe, struct teeq_cqe *cqe)
{
	void **s = tahost_session(sqe->session);

	if (!s) {
		cqe->result = TEEQ_ERROR_BAD_PARAMETERS;
		return;
	}
	tahost_call_begin(0);
	tahost.e->close_session(*s);
	tahost_call_end();
	*s = NULL;
	cqe->result = TEEQ_SUCCESS;
}

static void tahost_entry(const struct teeq_sqe *sqe, struct teeq_cqe *cqe)
{
	memset(cqe, 0, sizeof(*cqe));
	cqe->user_data = sqe->user_data;
	cqe->origin = TEEQ_ORIGIN_TEE;
	if (sqe->flags) {
		cqe->result = TEEQ_ERROR_NOT_SUPPORTED;
		return;
	}
	switch (sqe->opcode) {
	case TEEQ_OP_OPEN_SESSION:
		tahost_open(sqe, cqe);
		break;
	case TEEQ_OP_INVOKE:
		tahost_invoke(sqe, cqe);
		break;
	case TEEQ_OP_CLOSE_SESSION:
		tahost_close(sqe, cqe);
		break;
	default:
		tahost_die("an entry with opcode %u", sqe->opcode);
	}
}

/* teeq-sw never has more entries out than the completion ring holds, so
 * there is room; should there not be, wait for it rather than lose one. */
static void tahost_post(const struct teeq_cqe *cqe)
{
	struct timespec pause = { 0, 50000 };

	while (!ring_prod_space(&tahost.cq, 1)) {
		if (ring_broken(&tahost.cq))
			tahost_die("teeq-sw broke the completion ring");
		nanosleep(&pause, NULL);
	}
	memcpy((char *)ring_prod_slot(&tahost.cq, 0) + RING_STAMP_SIZE,
	       (const char *)cqe + RING_STAMP_SIZE,
	       sizeof(*cqe) - RING_STAMP_SIZE);
	if (ring_prod_commit(&tahost.cq, 1))
		ring_doorbell(&tahost.cq, TEEQ_TA_PROC_FD_CQ_DB);
}

static void tahost_serve(void)
{
	struct teeq_sqe sqe;
	struct teeq_cqe cqe;
	long n, i;

	for (;;) {
		n = ring_wait_entries(&tahost.sq, &tahost.wait, 32, -1);
		if (n < 0 && ring_broken(&tahost.sq))
			tahost_die("teeq-sw broke the submission ring");
		if (n < 0) /* QUIT: what is already in the ring, then out */
			n = ring_cons_avail(&tahost.sq, tahost.sq.entries);
		if (n <= 0 &&
		    __atomic_load_n(&tahost.quitting, __ATOMIC_ACQUIRE))
			return;
		for (i = 0; i < n; i++) {
			memcpy(&sqe, ring_cons_slot(&tahost.sq, 0),
			       sizeof(sqe));
			ring_cons_release(&tahost.sq, 1);
			tahost_entry(&sqe, &cqe);
			tahost_post(&cqe);
		}
	}
}

/* ---- setting up --------------------------------------------------------------- */

static void tahost_hello(void)
{
	struct pollfd pfd = { .fd = TEEQ_TA_PROC_FD_SOCK, .events = POLLIN };
	struct teeq_ta_proc_hello *h = &tahost.hello;
	ssize_t n;

	if (poll(&pfd, 1, TAHOST_HELLO_MS) != 1)
		_exit(1);
	n = recv(TEEQ_TA_PROC_FD_SOCK, h, sizeof(*h), 0);
	if (n != sizeof(*h) || h->hdr.magic != TEEQ_TA_PROC_MAGIC ||
	    h->hdr.type != TEEQ_TA_PROC_HELLO || h->hdr.len != sizeof(*h) ||
	    h->version != TEEQ_TA_PROC_VERSION)
		_exit(1);
	snprintf(tahost.name, sizeof(tahost.name),
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 h->uuid.b[0], h->uuid.b[1], h->uuid.b[2], h->uuid.b[3],
		 h->uuid.b[4], h->uuid.b[5], h->uuid.b[6], h->uuid.b[7],
		 h->uuid.b[8], h->uuid.b[9], h->uuid.b[10], h->uuid.b[11],
		 h->uuid.b[12], h->uuid.b[13], h->uuid.b[14], h->uuid.b[15]);
	/* watched before checked: a teeq-sw that died before now has left
	 * us to another parent */
	tahost.sw_pidfd = pidfd_open((pid_t)h->sw_pid, 0);
	if (tahost.sw_pidfd < 0 || getppid() != (pid_t)h->sw_pid)
		_exit(0);
}

static void tahost_load(void)
{
	struct stat st;
	const char *why = "";
	uint64_t size;
	void *file;
	int err;

	if (fstat(TEEQ_TA_PROC_FD_TA, &st) ||
	    (uint64_t)st.st_size != tahost.hello.file_size || !st.st_size)
		tahost_refuse(EBADMSG, "the TA file is not the size announced");
	file = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED,
		    TEEQ_TA_PROC_FD_TA, 0);
	if (file == MAP_FAILED)
		tahost_refuse(errno, "cannot map the TA file");
	err = ta_host_load(file, (size_t)st.st_size, &tahost.hello.uuid, NULL,
			   &tahost.ta, &why);
	munmap(file, (size_t)st.st_size);
	if (err)
		tahost_refuse(-err, why);
	tahost.e = tahost.ta.entry;

	if (shm_memfd_check(TEEQ_TA_PROC_FD_REGION, &size) ||
	    size != tahost.hello.region_size ||
	    shm_map(TEEQ_TA_PROC_FD_REGION, size, &tahost.region))
		tahost_refuse(EPROTO, "cannot map the channel");
	if (channel_validate(tahost.region, size, TEEQ_FEAT_ALL, &tahost.layout,
			     &why) ||
	    tahost.layout.nr_qpairs != 1 ||
	    channel_attach_qpair(tahost.region, &tahost.layout, 0, &tahost.sq,
				 RING_CONSUMER, &tahost.cq, RING_PRODUCER))
		tahost_refuse(EPROTO, "the channel is not one queue pair");
	tahost.heap = (unsigned char *)tahost.region + tahost.layout.heap_off;
}

int main(void)
{
	struct teeq_ta_proc_ready r = {
		.hdr = { .magic = TEEQ_TA_PROC_MAGIC,
			 .type = TEEQ_TA_PROC_READY,
			 .len = sizeof(r) },
	};
	int quit[2];
	pthread_t watcher;
	uint32_t i;

	snprintf(tahost.name, sizeof(tahost.name), "?");
	if (fcntl(TEEQ_TA_PROC_FD_CQ_DB, F_GETFD) < 0) {
		fprintf(stderr,
			"teeq-ta-host: teeq-sw starts this program, "
			"with its descriptors; it is not for use on its "
			"own\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	tahost_hello();
	prctl(PR_SET_NAME, "teeq-ta-host");
	tahost_load();

	if (pipe2(quit, O_CLOEXEC) ||
	    pthread_mutex_init(&tahost.cancel_lock, NULL) ||
	    pthread_mutex_init(&tahost.storage_lock, NULL) ||
	    pthread_cond_init(&tahost.storage_cond, NULL) ||
	    ta_host_rt_init(&tahost.rt))
		tahost_refuse(ENOMEM, "out of resources");
	tahost.quit_r = quit[0];
	tahost.quit_w = quit[1];
	ring_wait_init(&tahost.wait, tahost.hello.spin_ns,
		       TEEQ_TA_PROC_FD_SQ_DB, tahost.quit_r);
	tahost.ops = ta_host_rt_ops;
	tahost.ops.log = tahost_log;
	tahost.ops.storage = tahost_storage;
	if (tahost.e->bind(&tahost.ops, &tahost.rt))
		tahost_refuse(EPROTO,
			      "the TA's head and entry points disagree");
	if (pthread_create(&watcher, NULL, tahost_watch, NULL))
		tahost_refuse(ENOMEM, "out of resources");

	tahost_call_begin(0);
	r.result = tahost.e->create();
	tahost_call_end();
	r.ta_flags = tahost.ta.ta_flags;
	r.api_level = tahost.ta.api_level;
	tahost_send(&r, sizeof(r));
	if (r.result != TEE_SUCCESS)
		_exit(0);

	tahost_serve();

	/* the sessions teeq-sw did not close (it closes them all first) */
	for (i = 0; i < tahost.nr_sessions; i++)
		if (tahost.sessions[i])
			tahost.e->close_session(tahost.sessions[i]);
	tahost_call_begin(0);
	tahost.e->destroy();
	tahost_call_end();
	_exit(0);
}
