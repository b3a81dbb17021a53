/* SPDX-License-Identifier: MIT */
/*
 * A raw client that speaks the host protocol (uapi/teeq_host.h) without
 * libteeq, so that it can do what libteeq never would; and a descriptor
 * whose last close waits for as long as its maker likes.
 */
#ifndef TEEQ_TESTS_HOSTILE_RAW_H
#define TEEQ_TESTS_HOSTILE_RAW_H

#include "ring/channel.h"
#include "tests/hostile/watch.h"

#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

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

#endif /* TEEQ_TESTS_HOSTILE_RAW_H */
