// SPDX-License-Identifier: MIT
/*
 * An attached client that breaks the control protocol on its socket is
 * disconnected: a second HELLO, random bytes, a registration without a
 * descriptor or with unknown flags, an unregistration carrying a
 * descriptor, a message of an unknown type. Each is one more
 * clients_dropped (and not a refusal), the client's sessions are closed
 * and its channel freed, teeq-sw hangs up on it, its calls are
 * TARGET_DEAD from then on, and a good client on the same teeq-sw keeps
 * working.
 */
#include "client/internal.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;

enum {
	SECOND_HELLO,
	RANDOM,
	REG_NO_FD,
	REG_BAD_FLAGS,
	UNREG_WITH_FD,
	UNKNOWN_TYPE,
	NR_CASES
};

/* teeq-sw hangs up once its workers have let go of the client: from
 * then on nothing of the client's is served. */
static void wait_hangup(int sock)
{
	struct pollfd pfd = { .fd = sock, .events = POLLRDHUP };

	CHECK_EQ(poll(&pfd, 1, 10000), 1);
	CHECK(pfd.revents & (POLLRDHUP | POLLHUP));
}

static void open_noop(TEEC_Context *ctx, TEEC_Session *sess)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_OpenSession(ctx, sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
}

static void send_msg(int sock, const void *msg, size_t len, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { (void *)msg, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *cm;

		memset(cbuf, 0, sizeof(cbuf));
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	CHECK_EQ(sendmsg(sock, &m, MSG_NOSIGNAL), (ssize_t)len);
}

static void hdr(struct teeq_host_hdr *h, uint16_t type, size_t len)
{
	h->magic = TEEQ_HOST_MAGIC;
	h->type = type;
	h->reserved = 0;
	h->len = (uint32_t)len;
	h->seq = 77;
}

static void offend(int sock, int how)
{
	union {
		struct teeq_host_hdr hdr;
		struct teeq_host_hello hello;
		struct teeq_host_reg_fd reg;
		struct teeq_host_unreg unreg;
		unsigned char raw[64];
	} m;
	uint64_t seed = 99;
	size_t i;
	int fd = memfd_create("teeq-hostile", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	CHECK(fd >= 0);
	CHECK(!ftruncate(fd, 4096));
	CHECK(!fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	memset(&m, 0, sizeof(m));
	switch (how) {
	case SECOND_HELLO:
		hdr(&m.hdr, TEEQ_HOST_HELLO, sizeof(m.hello));
		m.hello.abi_version = TEEQ_ABI_VERSION;
		m.hello.nr_qpairs = 1;
		send_msg(sock, &m, sizeof(m.hello), fd);
		break;
	case RANDOM:
		for (i = 0; i < sizeof(m.raw); i++)
			m.raw[i] = (unsigned char)test_rand(&seed);
		send_msg(sock, &m, 40, -1);
		break;
	case REG_NO_FD:
		hdr(&m.hdr, TEEQ_HOST_REG_FD, sizeof(m.reg));
		m.reg.flags = TEEQ_HOST_REG_READ;
		send_msg(sock, &m, sizeof(m.reg), -1);
		break;
	case REG_BAD_FLAGS:
		hdr(&m.hdr, TEEQ_HOST_REG_FD, sizeof(m.reg));
		m.reg.flags = 0x80;
		send_msg(sock, &m, sizeof(m.reg), fd);
		break;
	case UNREG_WITH_FD:
		hdr(&m.hdr, TEEQ_HOST_UNREG, sizeof(m.unreg));
		m.unreg.buf_id = 1;
		send_msg(sock, &m, sizeof(m.unreg), fd);
		break;
	default:
		hdr(&m.hdr, 42, sizeof(m.hdr));
		send_msg(sock, &m, sizeof(m.hdr), -1);
	}
	close(fd);
}

int main(void)
{
	struct teeq_sw_stats st;
	TEEC_Context good_ctx, ctx;
	TEEC_Session good, sess;
	uint32_t origin;
	uint64_t t0;
	int how;

	alarm(25);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &good_ctx), TEEC_SUCCESS);
	open_noop(&good_ctx, &good);

	for (how = 0; how < NR_CASES; how++) {
		CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
		open_noop(&ctx, &sess);
		CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_SUCCESS);
		pthread_mutex_lock(&ctx.imp->ctl_lock);
		offend(ctx.imp->sock, how);
		pthread_mutex_unlock(&ctx.imp->ctl_lock);

		t0 = t_now_ms();
		do {
			sw_fixture_stats(&fx, &st);
			if (st.clients_dropped > (uint64_t)how &&
			    st.clients == 1)
				break;
			usleep(1000);
		} while (t_now_ms() - t0 < 10000);
		if (st.clients_dropped != (uint64_t)how + 1)
			fprintf(stderr, "case %d not dropped\n", how);
		CHECK_EQ(st.clients_dropped, how + 1);
		CHECK_EQ(st.clients_refused, 0);
		CHECK_EQ(st.clients, 1);
		CHECK_EQ(st.sessions, 1);

		wait_hangup(ctx.imp->sock);
		origin = 0;
		CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_ERROR_TARGET_DEAD);
		CHECK_EQ(origin, TEEC_ORIGIN_COMMS);
		TEEC_FinalizeContext(&ctx);

		origin = 0;
		CHECK_EQ(TEEC_InvokeCommand(&good, TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	}
	TEEC_CloseSession(&good);
	TEEC_FinalizeContext(&good_ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
