/* SPDX-License-Identifier: MIT */
/*
 * The hostile suite's harness: a raw client that speaks the host protocol
 * (uapi/teeq_host.h) without libteeq, so it can do what libteeq never
 * would, and a well-behaved libteeq client on a thread, watched: each of
 * its calls must come back within HOSTILE_STALL_MS whatever the raw
 * client does.
 */
#ifndef TEEQ_TESTS_HOSTILE_H
#define TEEQ_TESTS_HOSTILE_H

#include "ring/channel.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <linux/userfaultfd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <tee_client_api.h>
#include <teeq.h>

/* A noop round trip takes microseconds; under sanitizers on a loaded
 * machine, milliseconds. One that takes seconds is a stalled secure
 * world. */
#define HOSTILE_STALL_MS 3000

/* ---- raw clients ------------------------------------------------------------ */

struct raw_client {
	int sock;
	int memfd;
	void *region;
	struct channel_layout layout;
	uint32_t nr_qp;
	struct ring sq[TEEQ_MAX_QPAIRS], cq[TEEQ_MAX_QPAIRS];
	int db[TEEQ_MAX_QPAIRS]; /* our doorbell ends, from the reply */
	int nr_db;
	struct teeq_host_hello_reply reply;
};

/* More than any message may carry: a hostile client sends what it likes
 * (the kernel's own limit is 253). */
#define RAW_MAX_FDS 64

static inline int raw_dial(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct timeval tv = { 5, 0 };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	CHECK(fd >= 0);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	CHECK(!connect(fd, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK(!setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	return fd;
}

/* Sends one message with @nr descriptors; returns what sendmsg did. */
static inline ssize_t raw_send(int sock, void *msg, size_t len, uint16_t type,
			       const int *fds, int nr)
{
	char cbuf[CMSG_SPACE(sizeof(int) * RAW_MAX_FDS)];
	struct teeq_host_hdr *hdr = msg;
	struct iovec iov = { msg, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	hdr->magic = TEEQ_HOST_MAGIC;
	hdr->type = type;
	hdr->reserved = 0;
	hdr->len = (uint32_t)len;
	hdr->seq = 1;
	CHECK(nr <= RAW_MAX_FDS);
	if (nr) {
		struct cmsghdr *cm;

		memset(cbuf, 0, sizeof(cbuf));
		m.msg_control = cbuf;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * nr);
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nr);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nr);
	}
	return sendmsg(sock, &m, MSG_NOSIGNAL);
}

/* A sealed, formatted region of @nr_qp queue pairs, mapped. */
static inline void raw_region(struct raw_client *rc, uint32_t nr_qp,
			      uint32_t depth)
{
	struct channel_params p = { .nr_qpairs = nr_qp,
				    .sq_entries = depth,
				    .heap_size = 65536,
				    .features = TEEQ_FEAT_ALL };

	memset(rc, 0, sizeof(*rc));
	rc->sock = -1;
	rc->nr_qp = nr_qp;
	rc->memfd = memfd_create("teeq-raw", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	CHECK(rc->memfd >= 0);
	CHECK(!channel_plan(&p, &rc->layout));
	CHECK(!ftruncate(rc->memfd, (off_t)rc->layout.region_size));
	rc->region = mmap(NULL, rc->layout.region_size, PROT_READ | PROT_WRITE,
			  MAP_SHARED, rc->memfd, 0);
	CHECK(rc->region != MAP_FAILED);
	CHECK(!channel_format(rc->region, &rc->layout));
	CHECK(!fcntl(rc->memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
}

struct raw_closing {
	int fds[RAW_MAX_FDS];
	int nr;
};

static inline void *raw_close_main(void *arg)
{
	struct raw_closing *c = arg;

	while (c->nr > 0)
		close(c->fds[--c->nr]);
	free(c);
	return NULL;
}

/*
 * Connects to @path and sends a HELLO for the region, with @extra (@nr
 * descriptors) after the memfd: a well-behaved HELLO has none. The extra
 * descriptors are given away: closed as soon as they are in flight, so
 * that teeq-sw holds the last references (by a thread of their own, since
 * a last close can wait, if teeq-sw is quicker). Returns the
 * reply's status, or -EPIPE if teeq-sw hung up without one. On success
 * the doorbells are in db[] and the rings attached: the client produces
 * into sq[] and consumes cq[].
 */
static inline int raw_hello(struct raw_client *rc, const char *path,
			    const int *extra, int nr)
{
	struct teeq_host_hello h = {
		.abi_version = TEEQ_ABI_VERSION,
		.nr_qpairs = rc->nr_qp,
		.features = rc->layout.features,
		.region_size = rc->layout.region_size,
	};
	int fds[TEEQ_HOST_RECV_FDS];
	struct pollfd pfd;
	uint32_t i;
	ssize_t n;

	CHECK(nr + 1 <= RAW_MAX_FDS);
	fds[0] = rc->memfd;
	if (nr)
		memcpy(fds + 1, extra, sizeof(int) * (size_t)nr);
	rc->sock = raw_dial(path);
	CHECK_EQ(raw_send(rc->sock, &h, sizeof(h), TEEQ_HOST_HELLO, fds,
			  nr + 1),
		 sizeof(h));
	if (nr) {
		struct raw_closing *c = malloc(sizeof(*c));
		pthread_t t;

		CHECK(c);
		memcpy(c->fds, extra, sizeof(int) * (size_t)nr);
		c->nr = nr;
		CHECK_EQ(pthread_create(&t, NULL, raw_close_main, c), 0);
		pthread_detach(t);
	}
	pfd = (struct pollfd){ .fd = rc->sock, .events = POLLIN };
	CHECK_EQ(poll(&pfd, 1, 5000), 1);
	n = teeq_host_recvmsg(rc->sock, &rc->reply, sizeof(rc->reply), fds,
			      &rc->nr_db);
	CHECK(rc->nr_db <= TEEQ_MAX_QPAIRS);
	memcpy(rc->db, fds, sizeof(int) * (size_t)rc->nr_db);
	if (n <= 0)
		return -EPIPE;
	CHECK_EQ(rc->reply.hdr.type, TEEQ_HOST_HELLO_REPLY);
	/* a refusal is a plain status reply */
	if (n == sizeof(struct teeq_host_status_reply)) {
		CHECK_EQ(rc->nr_db, 0);
		CHECK(rc->reply.status < 0);
		return rc->reply.status;
	}
	CHECK_EQ(n, sizeof(rc->reply));
	CHECK_EQ(rc->reply.status, 0);
	CHECK_EQ(rc->nr_db, rc->nr_qp);
	for (i = 0; i < rc->nr_qp; i++)
		CHECK(!channel_attach_qpair(rc->region, &rc->layout, i,
					    &rc->sq[i], RING_PRODUCER,
					    &rc->cq[i], RING_CONSUMER));
	return 0;
}

/* Publishes a NOP on queue pair @qp; nonzero if teeq-sw asked for a
 * doorbell. */
static inline int raw_nop(struct raw_client *rc, uint32_t qp,
			  uint64_t user_data)
{
	struct teeq_sqe *sqe;

	CHECK(ring_prod_space(&rc->sq[qp], 1) >= 1);
	sqe = ring_prod_slot(&rc->sq[qp], 0);
	memset((char *)sqe + RING_STAMP_SIZE, 0,
	       sizeof(*sqe) - RING_STAMP_SIZE);
	sqe->opcode = TEEQ_OP_NOP;
	sqe->user_data = user_data;
	return ring_prod_commit(&rc->sq[qp], 1);
}

static inline void raw_close(struct raw_client *rc)
{
	while (rc->nr_db > 0)
		close(rc->db[--rc->nr_db]);
	if (rc->sock >= 0)
		close(rc->sock);
	munmap(rc->region, rc->layout.region_size);
	close(rc->memfd);
	rc->sock = rc->memfd = -1;
}

/* ---- a descriptor whose last close waits ----------------------------------------- */

struct raw_trap {
	int epfd;
	struct epoll_event *page; /* faults, never served */
};

static inline void *raw_trap_main(void *arg)
{
	struct raw_trap *t = arg;

	/* copying the event out faults: epoll_wait() sits there with the
	 * epoll instance's lock held, until this process dies */
	(void)epoll_wait(t->epfd, t->page, 1, -1);
	return NULL;
}

/*
 * An eventfd watched by an epoll instance whose lock a thread of ours holds
 * for good (inside epoll_wait(), copying an event to a page whose fault a
 * userfaultfd never serves): whoever drops the file's last reference waits
 * for that lock. Returns the eventfd, or -errno if userfaultfd cannot
 * catch the kernel's faults here (it needs privilege).
 */
static inline int raw_trap_fd(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct epoll_event ev = { .events = EPOLLIN };
	long page = sysconf(_SC_PAGESIZE);
	static struct raw_trap t;
	uint64_t one = 1;
	pthread_t thread;
	int uffd, efd, err;

	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		err = -errno;
		if (uffd >= 0)
			close(uffd);
		return err;
	}
	t.page = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(t.page != MAP_FAILED);
	reg.range.start = (uintptr_t)t.page;
	reg.range.len = (uint64_t)page;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		err = -errno;
		close(uffd);
		return err;
	}
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	t.epfd = epoll_create1(EPOLL_CLOEXEC);
	CHECK(efd >= 0 && t.epfd >= 0);
	CHECK(!epoll_ctl(t.epfd, EPOLL_CTL_ADD, efd, &ev));
	CHECK_EQ(write(efd, &one, sizeof(one)), sizeof(one));
	CHECK_EQ(pthread_create(&thread, NULL, raw_trap_main, &t), 0);
	usleep(50000); /* into the fault */
	return efd; /* uffd stays open: closing it would end the fault */
}

/* ---- hostile children --------------------------------------------------------- */

/* Raw clients run in children, so that a stuck one cannot take the test
 * with it; a failed CHECK in the test kills them all. */
#define HOSTILE_MAX_CHILDREN 16
static pid_t hostile_children[HOSTILE_MAX_CHILDREN];
static pid_t hostile_owner;

static inline void hostile_cleanup(void)
{
	int i;

	if (getpid() != hostile_owner)
		return;
	for (i = 0; i < HOSTILE_MAX_CHILDREN; i++) {
		if (hostile_children[i] > 0) {
			kill(hostile_children[i], SIGKILL);
			waitpid(hostile_children[i], NULL, 0);
			hostile_children[i] = 0;
		}
	}
}

/* Forks; the child runs @fn(@arg) and exits with its return value. */
static inline pid_t hostile_spawn(int (*fn)(void *), void *arg)
{
	pid_t pid;
	int i;

	if (!hostile_owner) {
		hostile_owner = getpid();
		atexit(hostile_cleanup);
	}
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(fn(arg));
	for (i = 0; i < HOSTILE_MAX_CHILDREN && hostile_children[i]; i++)
		;
	CHECK(i < HOSTILE_MAX_CHILDREN);
	hostile_children[i] = pid;
	return pid;
}

/* Kills and reaps a child from hostile_spawn(); returns its status. */
static inline int hostile_reap(pid_t pid, int sig)
{
	int i, status = 0;

	if (sig)
		kill(pid, sig);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	for (i = 0; i < HOSTILE_MAX_CHILDREN; i++)
		if (hostile_children[i] == pid)
			hostile_children[i] = 0;
	return status;
}

/* A failed test must not leave teeq-sw or an attacker behind, even when it
 * fails by running out of time. */
static inline void hostile_alarm(int sig)
{
	static const char msg[] = "hostile: out of time\n";

	(void)sig;
	(void)!write(2, msg, sizeof(msg) - 1);
	hostile_cleanup();
	sw_fixture_cleanup();
	_exit(T_FAIL);
}

/* Also makes us the reaper of what our children leave behind (teeq-sw's
 * own helper process), so that nothing lingers as a zombie. */
static inline void hostile_watchdog(unsigned int seconds)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGALRM, hostile_alarm);
	alarm(seconds);
}

/* Reaps orphans handed to us, waiting up to @ms for them to end. */
static inline void hostile_reap_orphans(uint64_t ms)
{
	uint64_t t0 = t_now_ms();

	while (t_now_ms() - t0 < ms) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		if (pid < 0) /* no child left */
			return;
		if (pid == 0)
			usleep(2000);
	}
}

/* ---- the well-behaved client ---------------------------------------------------- */

struct good_client {
	TEEC_Context ctx;
	TEEC_Session sess;
	pthread_t thread;
	uint64_t calls; /* atomic */
	uint64_t last_ms; /* atomic: when the last call came back */
	uint64_t worst_ms; /* atomic */
	uint32_t failed; /* atomic: a call's result was not SUCCESS */
	int stop; /* atomic */
};

static inline void *good_main(void *arg)
{
	struct good_client *g = arg;

	while (!__atomic_load_n(&g->stop, __ATOMIC_ACQUIRE)) {
		uint64_t t0 = t_now_ms(), dt;
		uint32_t origin = 0;

		if (TEEC_InvokeCommand(&g->sess, TEEQ_NOOP_CMD_NOOP, NULL,
				       &origin) != TEEC_SUCCESS)
			__atomic_add_fetch(&g->failed, 1, __ATOMIC_RELAXED);
		dt = t_now_ms() - t0;
		if (dt > __atomic_load_n(&g->worst_ms, __ATOMIC_RELAXED))
			__atomic_store_n(&g->worst_ms, dt, __ATOMIC_RELAXED);
		__atomic_store_n(&g->last_ms, t_now_ms(), __ATOMIC_RELEASE);
		__atomic_add_fetch(&g->calls, 1, __ATOMIC_RELEASE);
		usleep(1000);
	}
	return NULL;
}

/* Attaches through libteeq (TEEQ_SOCKET) and starts calling. */
static inline void good_start(struct good_client *g)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	uint32_t origin = 0;

	memset(g, 0, sizeof(*g));
	CHECK_EQ(TEEC_InitializeContext(NULL, &g->ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&g->ctx, &g->sess, &noop, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);
	g->last_ms = t_now_ms();
	CHECK_EQ(pthread_create(&g->thread, NULL, good_main, g), 0);
}

/*
 * Watches the good client for @ms: it must keep completing calls, none
 * failing, with no gap longer than HOSTILE_STALL_MS. Returns the calls
 * made meanwhile (at least one).
 */
static inline uint64_t good_watch(struct good_client *g, uint64_t ms,
				  const char *what)
{
	uint64_t t0 = t_now_ms(),
		 calls0 = __atomic_load_n(&g->calls, __ATOMIC_ACQUIRE);
	uint64_t calls;

	do {
		uint64_t last = __atomic_load_n(&g->last_ms, __ATOMIC_ACQUIRE);
		uint64_t now = t_now_ms();

		if (now > last && now - last > HOSTILE_STALL_MS) {
			fprintf(stderr,
				"%s: the good client's call has not come back "
				"for %llu ms\n",
				what, (unsigned long long)(now - last));
			exit(T_FAIL);
		}
		usleep(10000);
	} while (t_now_ms() - t0 < ms);
	calls = __atomic_load_n(&g->calls, __ATOMIC_ACQUIRE) - calls0;
	if (!calls)
		fprintf(stderr, "%s: the good client made no call in %llu ms\n",
			what, (unsigned long long)ms);
	CHECK(calls > 0);
	CHECK_EQ(__atomic_load_n(&g->failed, __ATOMIC_RELAXED), 0);
	return calls;
}

static inline void good_stop(struct good_client *g)
{
	__atomic_store_n(&g->stop, 1, __ATOMIC_RELEASE);
	CHECK_EQ(pthread_join(g->thread, NULL), 0);
	CHECK_EQ(__atomic_load_n(&g->failed, __ATOMIC_RELAXED), 0);
	TEEC_CloseSession(&g->sess);
	TEEC_FinalizeContext(&g->ctx);
}

/* SIGTERM must stop teeq-sw, cleanly, within @ms whatever its clients
 * do; then the fixture's directory goes. */
static inline void hostile_sw_term(struct sw_fixture *f, uint64_t ms)
{
	uint64_t t0 = t_now_ms();
	int status = 0;
	pid_t got;

	CHECK(f->pid > 0);
	kill(f->pid, SIGTERM);
	while ((got = waitpid(f->pid, &status, WNOHANG)) == 0 &&
	       t_now_ms() - t0 < ms)
		usleep(5000);
	if (got != f->pid)
		fprintf(stderr,
			"teeq-sw did not stop within %llu ms of "
			"SIGTERM\n",
			(unsigned long long)ms);
	CHECK_EQ(got, f->pid);
	f->pid = 0;
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	sw_fixture_stop(f);
}

#endif /* TEEQ_TESTS_HOSTILE_H */
