// SPDX-License-Identifier: MIT
/*
 * teeq-sw against a supplicant that is not to be trusted (this test plays
 * one, with a region of its own making): a region whose rings overlap is
 * refused (-EPROTO); once attached, a reply naming no request in flight, a
 * reply claiming more bytes than its window, one claiming more than was
 * asked for, bytes sent on the socket after the handshake, and a reply
 * ring whose tail jumps ahead each get it detached at once: the storage
 * call waiting on it fails with STORAGE_NOT_AVAILABLE (well before the
 * 10 s timeout), the socket hangs up, and nothing else is hurt. Afterwards
 * a genuine teeq-supplicant attaches and storage works.
 */
#include "ring/rpc_region.h"
#include "ring/wait.h"
#include "shm/memfd.h"
#include "tests/storage/fixture.h"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>

static struct st_fixture fx;
static TEEC_Context ctx;

struct fake {
	int sock, memfd, req_db, rsp_db;
	void *region;
	struct rpc_layout l;
	struct ring req; /* we consume */
	struct ring rsp; /* we produce */
};

/* Attaches with a fresh region; @corrupt damages its header first.
 * Returns the HELLO_REPLY status. */
static int fake_attach(struct fake *f, int corrupt)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct teeq_rpc_hello m = { .abi_version = TEEQ_RPC_ABI_VERSION,
				    .features = TEEQ_RPC_FEAT_FS };
	struct teeq_rpc_hello_reply r;
	int fds[3];
	char cbuf[CMSG_SPACE(sizeof(fds))] = { 0 };
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	memset(f, 0, sizeof(*f));
	CHECK_EQ(rpc_region_plan(4, 4096, TEEQ_RPC_FEAT_FS, &f->l), 0);
	f->memfd = shm_memfd_create("fake", f->l.region_size);
	CHECK(f->memfd >= 0);
	CHECK_EQ(shm_map(f->memfd, f->l.region_size, &f->region), 0);
	CHECK_EQ(rpc_region_format(f->region, &f->l), 0);
	CHECK_EQ(rpc_region_attach(f->region, &f->l, &f->req, RING_CONSUMER,
				   &f->rsp, RING_PRODUCER),
		 0);
	if (corrupt)
		((struct teeq_rpc_region_hdr *)f->region)->rsp_off =
			f->l.req_off;
	f->req_db = eventfd(0, EFD_CLOEXEC);
	f->rsp_db = eventfd(0, EFD_CLOEXEC);
	fds[0] = f->memfd;
	fds[1] = f->req_db;
	fds[2] = f->rsp_db;
	m.region_size = f->l.region_size;
	m.hdr = (struct teeq_host_hdr){ .magic = TEEQ_RPC_SOCK_MAGIC,
					.type = TEEQ_RPC_HELLO,
					.len = sizeof(m),
					.seq = 1 };
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%.107s", fx.suppl_sock);
	f->sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	CHECK(!connect(f->sock, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK_EQ(sendmsg(f->sock, &msg, 0), sizeof(m));
	CHECK_EQ(recv(f->sock, &r, sizeof(r), 0), sizeof(r));
	return r.status;
}

static void fake_close(struct fake *f)
{
	shm_unmap(f->region, f->l.region_size);
	close(f->memfd);
	close(f->req_db);
	close(f->rsp_db);
	close(f->sock);
}

/* The next request teeq-sw sends (within 5 s), copied. */
static struct teeq_rpc_req fake_next(struct fake *f)
{
	struct teeq_rpc_req req;
	uint64_t end = t_now_ms() + 5000;
	struct timespec step = { 0, 200000 };

	while (!ring_cons_avail(&f->req, 1)) {
		CHECK(t_now_ms() < end);
		nanosleep(&step, NULL);
	}
	memcpy(&req, ring_cons_slot(&f->req, 0), sizeof(req));
	ring_cons_release(&f->req, 1);
	return req;
}

static void fake_reply(struct fake *f, const struct teeq_rpc_rsp *rsp)
{
	CHECK(ring_prod_space(&f->rsp, 1) >= 1);
	rpc_region_put(&f->rsp, 0, rsp, sizeof(*rsp));
	ring_prod_commit(&f->rsp, 1);
	/* whatever the flag says: make sure teeq-sw looks */
	ring_doorbell(&f->rsp, f->rsp_db);
}

/* teeq-sw hung up on us (within 5 s). */
static void fake_dropped(struct fake *f)
{
	struct pollfd pfd = { .fd = f->sock, .events = POLLRDHUP };

	CHECK_EQ(poll(&pfd, 1, 5000), 1);
	CHECK(pfd.revents & (POLLRDHUP | POLLHUP));
}

struct caller {
	pthread_t t;
	TEEC_Session s;
	TEEC_Result res;
	uint64_t ms;
};

static void *caller_main(void *arg)
{
	struct caller *c = arg;
	uint64_t t0 = t_now_ms();

	c->res = st_put(&c->s, "k", "v", 1);
	c->ms = t_now_ms() - t0;
	return NULL;
}

enum lie { WRONG_TAG, TOO_LONG, MORE_THAN_ASKED, SOCKET_GARBAGE, TAIL_JUMP };
#define LIE_ROUNDS 1000

static void one_lie(enum lie lie)
{
	struct caller c;
	struct teeq_rpc_req req;
	struct teeq_rpc_rsp rsp = { 0 };
	struct fake f;

	CHECK_EQ(fake_attach(&f, 0), 0);
	st_open_session(&ctx, &c.s);
	CHECK(!pthread_create(&c.t, NULL, caller_main, &c));
	/* the storage call's first request (the namespace's directory) */
	req = fake_next(&f);
	rsp.tag = req.tag;
	switch (lie) {
	case WRONG_TAG:
		rsp.tag = req.tag + 64;
		fake_reply(&f, &rsp);
		break;
	case TOO_LONG:
		rsp.status = 0;
		rsp.len = f.l.window_size + 1;
		fake_reply(&f, &rsp);
		break;
	case MORE_THAN_ASKED:
		/* the first request is an OPEN: nothing to read back */
		CHECK_EQ(req.opcode, TEEQ_RPC_FS_OPEN);
		rsp.len = 16;
		fake_reply(&f, &rsp);
		break;
	case SOCKET_GARBAGE:
		CHECK_EQ(send(f.sock, "junk", 4, 0), 4);
		break;
	case TAIL_JUMP:
		teeq_store_release(&f.rsp.hdr->tail, f.rsp.local + 1000);
		ring_doorbell(&f.rsp, f.rsp_db);
		break;
	}
	pthread_join(c.t, NULL);
	CHECK_EQ(c.res, TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	CHECK(c.ms < 5000);
	fake_dropped(&f);
	TEEC_CloseSession(&c.s);
	fake_close(&f);
}

int main(void)
{
	struct fake f;
	TEEC_Session s;
	char buf[8];
	size_t n;
	int lie, round;

	st_init(&fx);
	st_start_sw(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);

	CHECK_EQ(fake_attach(&f, 1), -EPROTO);
	fake_close(&f);
	/* many rounds: each attachment is also a race between teeq-sw
	 * telling a supplicant it is attached and a storage call that
	 * follows at once, which must find it attached (a call that came
	 * first failed, a fraction of a percent of the time) */
	for (round = 0; round < LIE_ROUNDS; round++)
		for (lie = WRONG_TAG; lie <= TAIL_JUMP; lie++)
			one_lie((enum lie)lie);

	/* teeq-sw is none the worse */
	st_start_suppl(&fx);
	st_open_session(&ctx, &s);
	CHECK_EQ(st_wait_storage(&s), TEEC_SUCCESS);
	CHECK_EQ(st_put(&s, "k", "v", 1), TEEC_SUCCESS);
	CHECK_EQ(st_get(&s, "k", buf, sizeof(buf), &n), TEEC_SUCCESS);
	CHECK_EQ(n, 1);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	return T_PASS;
}
