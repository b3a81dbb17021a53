// SPDX-License-Identifier: MIT
/*
 * A hostile secure side. The test attaches to /dev/teeqsw0 itself and
 * serves one client thread by hand, posting completions the driver must
 * refuse and count, never deliver: a forged one (a slot that does not
 * exist, a generation never issued), a duplicate, a late one (its slot has
 * moved on to a later call), a malformed one (the call ends COMMUNICATION
 * instead). Replies to nothing are refused; detaching ends the call left.
 */
#include "tests/kernel/kfixture.h"

#include "ring/ring.c"
#include "ring/channel.c"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>

struct kt_peer {
	int sw, chan;
	void *region;
	struct ring sq, cq;
};

struct kt_client {
	int fd;
	uint32_t session;
	struct kt_result open_res, res[3];
	int rc[3];
};

static void *kt_client_main(void *arg)
{
	struct kt_client *c = arg;
	int rc, i;

	c->fd = kt_open();
	c->session = kt_open_session_login(c->fd, &kt_noop,
					   TEEQ_IOCTL_LOGIN_PUBLIC, 0, NULL, 0,
					   &c->open_res, &rc);
	for (i = 0; i < 3; i++)
		c->rc[i] = kt_invoke(c->fd, c->session, TEEQ_NOOP_CMD_NOOP,
				     NULL, 0, &c->res[i]);
	return NULL;
}

static void kt_event(struct kt_peer *p, struct teeq_swdev_event *e)
{
	struct pollfd pfd = { .fd = p->sw, .events = POLLIN };

	CHECK_EQ(poll(&pfd, 1, 10000), 1);
	CHECK_EQ(ioctl(p->sw, TEEQ_SWDEV_IOC_EVENT, e), 0);
}

/* Accepts the context: maps and checks its region, gives a doorbell. */
static void kt_accept(struct kt_peer *p)
{
	struct teeq_swdev_reply r = { .type = TEEQ_SWDEV_EV_CTX_OPEN };
	struct channel_layout l;
	struct teeq_swdev_event e;
	int i;

	kt_event(p, &e);
	CHECK_EQ(e.type, TEEQ_SWDEV_EV_CTX_OPEN);
	CHECK_EQ(e.uid, 0);
	CHECK_EQ(e.pid, (uint32_t)getpid());
	p->chan = e.fd;
	p->region =
		mmap(NULL, e.size, PROT_READ | PROT_WRITE, MAP_SHARED, e.fd, 0);
	CHECK(p->region != MAP_FAILED);
	CHECK_EQ(channel_validate(p->region, e.size, TEEQ_FEAT_ALL, &l, NULL),
		 0);
	CHECK_EQ(l.nr_qpairs, e.nr_qpairs);
	CHECK_EQ(channel_attach_qpair(p->region, &l, 0, &p->sq, RING_CONSUMER,
				      &p->cq, RING_PRODUCER),
		 0);
	r.ctx = e.ctx;
	for (i = 0; i < TEEQ_MAX_QPAIRS; i++)
		r.sq_fds[i] = -1;
	r.sq_fds[0] = eventfd(0, EFD_CLOEXEC);
	/* a doorbell that is not an eventfd is refused */
	for (i = 1; i < (int)e.nr_qpairs; i++)
		r.sq_fds[i] = eventfd(0, EFD_CLOEXEC);
	{
		struct teeq_swdev_reply bad = r;

		bad.sq_fds[0] = p->chan;
		CHECK_EQ(ioctl(p->sw, TEEQ_SWDEV_IOC_REPLY, &bad), -1);
		CHECK_EQ(errno, EINVAL);
	}
	CHECK_EQ(ioctl(p->sw, TEEQ_SWDEV_IOC_REPLY, &r), 0);
	/* answered once only */
	CHECK_EQ(ioctl(p->sw, TEEQ_SWDEV_IOC_REPLY, &r), -1);
}

/* The next submission, copied. */
static void kt_take(struct kt_peer *p, struct teeq_sqe *sqe)
{
	uint64_t until = t_now_ms() + 10000;

	while (!ring_cons_avail(&p->sq, 1)) {
		CHECK(t_now_ms() < until);
		usleep(1000);
	}
	memcpy(sqe, ring_cons_slot(&p->sq, 0), sizeof(*sqe));
	ring_cons_release(&p->sq, 1);
}

/* Posts @n completions at once, then rings. */
static void kt_post_n(struct kt_peer *p, const struct teeq_cqe *cqe, int n)
{
	uint64_t one = 1;
	int i;

	CHECK(ring_prod_space(&p->cq, n) >= (uint32_t)n);
	for (i = 0; i < n; i++)
		ring_prod_fill(&p->cq, i, cqe, sizeof(*cqe));
	ring_prod_commit(&p->cq, n);
	/* ring whether asked or not: the driver must look every time */
	CHECK_EQ(write(p->chan, &one, sizeof(one)), (ssize_t)sizeof(one));
}

static void kt_post(struct kt_peer *p, const struct teeq_cqe *cqe)
{
	kt_post_n(p, cqe, 1);
}

int main(void)
{
	struct teeq_swdev_attach a = { .version = TEEQ_SWDEV_VERSION };
	struct teeq_swdev_stats st0, st;
	struct teeq_swdev_reply r = { 0 };
	struct kt_client c = { 0 };
	struct kt_peer p = { 0 };
	struct teeq_sqe opening, inv;
	struct teeq_cqe cqe;
	pthread_t t;
	int other;

	kt_stats(&st0);
	CHECK(!st0.attached);
	p.sw = open(KT_SW, O_RDWR | O_CLOEXEC);
	CHECK(p.sw >= 0);
	a.features = 1ull << 40; /* unknown */
	CHECK_EQ(ioctl(p.sw, TEEQ_SWDEV_IOC_ATTACH, &a), -1);
	a.features = 0;
	CHECK_EQ(ioctl(p.sw, TEEQ_SWDEV_IOC_ATTACH, &a), 0);
	other = open(KT_SW, O_RDWR | O_CLOEXEC);
	a.version = TEEQ_SWDEV_VERSION;
	CHECK_EQ(ioctl(other, TEEQ_SWDEV_IOC_ATTACH, &a), -1);
	CHECK_EQ(errno, EBUSY);
	/* replies to nothing, and from one who is not attached */
	r.type = TEEQ_SWDEV_EV_CTX_CLOSE;
	r.ctx = 12345;
	CHECK_EQ(ioctl(p.sw, TEEQ_SWDEV_IOC_REPLY, &r), -1);
	r.type = TEEQ_SWDEV_EV_BUF_REG;
	r.buf = 777;
	CHECK_EQ(ioctl(p.sw, TEEQ_SWDEV_IOC_REPLY, &r), -1);
	CHECK_EQ(ioctl(other, TEEQ_SWDEV_IOC_REPLY, &r), -1);
	close(other);

	CHECK_EQ(pthread_create(&t, NULL, kt_client_main, &c), 0);
	kt_accept(&p);
	kt_take(&p, &opening);
	CHECK_EQ(opening.opcode, TEEQ_OP_OPEN_SESSION);
	CHECK_EQ(opening.func, TEEQ_LOGIN_PUBLIC);

	memset(&cqe, 0, sizeof(cqe));
	cqe.result = TEEQ_SUCCESS;
	cqe.origin = TEEQ_ORIGIN_TRUSTED_APP;
	cqe.session = 77;
	/* forged: a slot past the ring; a generation never issued */
	cqe.user_data = opening.user_data | 0xffff;
	kt_post(&p, &cqe);
	cqe.user_data = opening.user_data + (1ull << 32);
	kt_post(&p, &cqe);
	kt_stats(&st);
	CHECK_EQ(st.cqe_forged, st0.cqe_forged + 2);
	CHECK_EQ(st.in_flight, 1); /* the client still waits */
	/* the real one, then the same again, in one batch */
	cqe.user_data = opening.user_data;
	kt_post_n(&p, &cqe, 2);

	kt_take(&p, &inv);
	CHECK_EQ(inv.opcode, TEEQ_OP_INVOKE);
	CHECK_EQ(inv.session, 77);
	kt_stats(&st);
	CHECK_EQ(st.cqe_duplicate, st0.cqe_duplicate + 1);
	/* the open's completion again, now that its slot carries the invoke:
	 * late */
	CHECK_EQ((uint32_t)inv.user_data, (uint32_t)opening.user_data);
	kt_post(&p, &cqe);
	kt_stats(&st);
	CHECK_EQ(st.cqe_late, st0.cqe_late + 1);
	CHECK_EQ(st.in_flight, 1);
	/* malformed: a session id on an invoke's completion */
	cqe.user_data = inv.user_data;
	kt_post(&p, &cqe);
	/* a good one for the second invoke */
	kt_take(&p, &inv);
	cqe.user_data = inv.user_data;
	cqe.session = 0;
	kt_post(&p, &cqe);
	/* the third is left in flight, and the secure side goes */
	kt_take(&p, &inv);
	close(p.sw);
	CHECK_EQ(pthread_join(t, NULL), 0);

	CHECK_EQ(c.session != 0, 1);
	CHECK_EQ(c.open_res.ret, TEEQ_SUCCESS);
	CHECK_EQ(c.rc[0], 0);
	CHECK_EQ(c.res[0].ret, TEEQ_ERROR_COMMUNICATION);
	CHECK_EQ(c.res[0].origin, TEEQ_ORIGIN_COMMS);
	CHECK_EQ(c.res[1].ret, TEEQ_SUCCESS);
	CHECK_EQ(c.res[2].ret, TEEQ_ERROR_TARGET_DEAD);
	CHECK_EQ(c.res[2].origin, TEEQ_ORIGIN_COMMS);
	kt_stats(&st);
	CHECK_EQ(st.cqe_forged, st0.cqe_forged + 2);
	CHECK_EQ(st.cqe_duplicate, st0.cqe_duplicate + 1);
	CHECK_EQ(st.cqe_late, st0.cqe_late + 1);
	CHECK_EQ(st.cqe_malformed, st0.cqe_malformed + 1);
	CHECK_EQ(st.calls, st0.calls + 3);
	CHECK_EQ(st.in_flight, 0);
	printf("refused: %llu forged, %llu duplicate, %llu late, %llu "
	       "malformed\n",
	       (unsigned long long)(st.cqe_forged - st0.cqe_forged),
	       (unsigned long long)(st.cqe_duplicate - st0.cqe_duplicate),
	       (unsigned long long)(st.cqe_late - st0.cqe_late),
	       (unsigned long long)(st.cqe_malformed - st0.cqe_malformed));
	close(c.fd);
	return T_PASS;
}
