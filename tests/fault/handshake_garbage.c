// SPDX-License-Identifier: MIT
/*
 * Garbage on teeq-sw's handshake socket, each on a fresh connection: random
 * bytes, an oversized message, a bad length, a nonzero reserved field, an
 * unknown type, a truncated HELLO, HELLOs with the wrong descriptor count
 * (the memfd alone: teeq-sw makes the doorbells, so doorbells of the
 * client's own are refused too), no queue pairs, an unsealed memfd, a
 * memfd whose size differs, a region that is not formatted, a foreign ABI
 * major,
 * unknown feature bits, and registrations sent before any HELLO. Each such
 * connection is disconnected (recv returns 0, after at most a reply with a
 * negative status) and counted in clients_refused, exactly; a connection
 * that just hangs up or only asks for stats is not. A well-formed raw
 * HELLO on the same harness is accepted (status 0), and a normal client
 * keeps working between every attempt.
 */
#include "client/internal.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static TEEC_Session sess;
static uint64_t refused;

static int dial(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct timeval tv = { 5, 0 };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	CHECK(fd >= 0);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", fx.sock);
	CHECK(!connect(fd, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK(!setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	return fd;
}

static void send_fds(int sock, const void *msg, size_t len, const int *fds,
		     int nr)
{
	char cbuf[CMSG_SPACE(sizeof(int) * TEEQ_HOST_MAX_FDS)];
	struct iovec iov = { (void *)msg, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

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
	CHECK_EQ(sendmsg(sock, &m, MSG_NOSIGNAL), (ssize_t)len);
}

/* The peer must hang up, with nothing but failure replies before. */
static void expect_refused(int sock, const char *what)
{
	union {
		struct teeq_host_hdr hdr;
		struct teeq_host_hello_reply hello;
		struct teeq_host_status_reply st;
		unsigned char raw[512];
	} r;
	ssize_t n;
	int replies = 0;

	while ((n = recv(sock, &r, sizeof(r), 0)) > 0) {
		CHECK(++replies <= 1);
		CHECK((size_t)n >= sizeof(struct teeq_host_status_reply));
		CHECK_EQ(r.hdr.magic, TEEQ_HOST_MAGIC);
		if (r.st.status >= 0)
			fprintf(stderr, "%s: accepted\n", what);
		CHECK(r.st.status < 0);
	}
	if (n < 0)
		fprintf(stderr, "%s: no hang-up (%s)\n", what, strerror(errno));
	CHECK_EQ(n, 0);
	close(sock);
	refused++;
}

static void still_works(void)
{
	struct teeq_sw_stats st;
	uint32_t origin = 0;

	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	sw_fixture_stats(&fx, &st);
	CHECK_EQ(st.clients_refused, refused);
	CHECK_EQ(st.clients_dropped, 0);
	CHECK_EQ(st.clients, 1);
}

static void hdr(struct teeq_host_hdr *h, uint16_t type, size_t len)
{
	h->magic = TEEQ_HOST_MAGIC;
	h->type = type;
	h->reserved = 0;
	h->len = (uint32_t)len;
	h->seq = 1;
}

/* A region for one queue pair: sealed or not, formatted or not. */
static int region(int seal, int format, uint64_t *size)
{
	struct channel_params p = { .nr_qpairs = 1,
				    .sq_entries = 8,
				    .heap_size = 65536,
				    .features = TEEQ_FEAT_ALL };
	struct channel_layout l;
	int fd = memfd_create("teeq-raw", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	void *map;

	CHECK(fd >= 0);
	CHECK(!channel_plan(&p, &l));
	CHECK(!ftruncate(fd, (off_t)l.region_size));
	if (format) {
		map = mmap(NULL, l.region_size, PROT_READ | PROT_WRITE,
			   MAP_SHARED, fd, 0);
		CHECK(map != MAP_FAILED);
		CHECK(!channel_format(map, &l));
		munmap(map, l.region_size);
	}
	if (seal)
		CHECK(!fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
	*size = l.region_size;
	return fd;
}

struct hello_case {
	const char *what;
	int seal, format, nr_fds, pipes;
	uint32_t abi, nr_qpairs;
	uint64_t features;
	int64_t size_delta;
};

static void raw_hello(const struct hello_case *c, int want_ok)
{
	struct teeq_host_hello h;
	uint64_t size;
	int fds[3], p1[2] = { -1, -1 }, p2[2] = { -1, -1 }, i, sock;

	fds[0] = region(c->seal, c->format, &size);
	if (c->pipes) {
		CHECK(!pipe(p1) && !pipe(p2));
		fds[1] = p1[0];
		fds[2] = p2[1];
	} else {
		fds[1] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		fds[2] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	}
	memset(&h, 0, sizeof(h));
	hdr(&h.hdr, TEEQ_HOST_HELLO, sizeof(h));
	h.abi_version = c->abi;
	h.nr_qpairs = c->nr_qpairs;
	h.features = c->features;
	h.region_size = size + (uint64_t)c->size_delta;
	sock = dial();
	send_fds(sock, &h, sizeof(h), fds, c->nr_fds);
	if (want_ok) {
		struct teeq_host_hello_reply r;

		CHECK_EQ(recv(sock, &r, sizeof(r), 0), sizeof(r));
		CHECK_EQ(r.hdr.type, TEEQ_HOST_HELLO_REPLY);
		CHECK_EQ(r.status, 0);
		CHECK_EQ(r.sw_pid, fx.pid);
		close(sock);
	} else {
		expect_refused(sock, c->what);
	}
	for (i = 0; i < 3; i++)
		close(fds[i]);
	if (c->pipes) {
		close(p1[1]);
		close(p2[0]);
	}
}

static void wait_clients(uint64_t want)
{
	struct teeq_sw_stats st;
	int i;

	for (i = 0; i < 5000; i++) {
		sw_fixture_stats(&fx, &st);
		if (st.clients == want)
			return;
		usleep(1000);
	}
	CHECK_EQ(st.clients, want);
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	const struct hello_case good = {
		"good", 1, 1, 1, 0, TEEQ_ABI_VERSION, 1, TEEQ_FEAT_ALL, 0
	};
	struct hello_case bad[] = {
		{ "two descriptors", 1, 1, 2, 0, TEEQ_ABI_VERSION, 1,
		  TEEQ_FEAT_ALL, 0 },
		{ "three descriptors", 1, 1, 3, 0, TEEQ_ABI_VERSION, 1,
		  TEEQ_FEAT_ALL, 0 },
		{ "no descriptors", 1, 1, 0, 0, TEEQ_ABI_VERSION, 1,
		  TEEQ_FEAT_ALL, 0 },
		{ "no queue pairs", 1, 1, 1, 0, TEEQ_ABI_VERSION, 0,
		  TEEQ_FEAT_ALL, 0 },
		{ "more pairs than the region", 1, 1, 1, 0, TEEQ_ABI_VERSION, 2,
		  TEEQ_FEAT_ALL, 0 },
		{ "unsealed memfd", 0, 1, 1, 0, TEEQ_ABI_VERSION, 1,
		  TEEQ_FEAT_ALL, 0 },
		{ "size differs", 1, 1, 1, 0, TEEQ_ABI_VERSION, 1,
		  TEEQ_FEAT_ALL, 4096 },
		{ "not formatted", 1, 0, 1, 0, TEEQ_ABI_VERSION, 1,
		  TEEQ_FEAT_ALL, 0 },
		{ "doorbells of its own", 1, 1, 3, 1, TEEQ_ABI_VERSION, 1,
		  TEEQ_FEAT_ALL, 0 },
		{ "ABI major 2", 1, 1, 1, 0, 2u << 16, 1, TEEQ_FEAT_ALL, 0 },
		{ "unknown feature", 1, 1, 1, 0, TEEQ_ABI_VERSION, 1,
		  TEEQ_FEAT_ALL | (1ull << 40), 0 },
		{ "features differ from region", 1, 1, 1, 0, TEEQ_ABI_VERSION,
		  1, TEEQ_FEAT_NEED_WAKEUP, 0 },
	};
	unsigned char junk[600];
	struct teeq_host_hdr h;
	struct teeq_host_unreg un;
	struct teeq_host_reg_fd reg;
	struct teeq_sw_stats st;
	TEEC_Context ctx;
	uint64_t seed = 0x6a7ba6e;
	uint64_t size;
	uint32_t origin;
	size_t i;
	int sock, fd;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	still_works();

	/* hanging up, or asking for stats, is no offence */
	close(dial());
	sw_fixture_stats(&fx, &st);
	still_works();

	/* random bytes */
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)test_rand(&seed);
	sock = dial();
	CHECK_EQ(send(sock, junk, 37, MSG_NOSIGNAL), 37);
	expect_refused(sock, "random");
	still_works();
	/* too big for any message */
	sock = dial();
	memcpy(junk,
	       &(struct teeq_host_hdr){ TEEQ_HOST_MAGIC, TEEQ_HOST_STATS, 0,
					600, 1 },
	       sizeof(struct teeq_host_hdr));
	CHECK_EQ(send(sock, junk, 600, MSG_NOSIGNAL), 600);
	expect_refused(sock, "oversized");
	still_works();
	/* a length that is not the message's; a reserved field; a type */
	hdr(&h, TEEQ_HOST_STATS, sizeof(h) + 4);
	sock = dial();
	CHECK_EQ(send(sock, &h, sizeof(h), MSG_NOSIGNAL), sizeof(h));
	expect_refused(sock, "bad length");
	hdr(&h, TEEQ_HOST_STATS, sizeof(h));
	h.reserved = 1;
	sock = dial();
	CHECK_EQ(send(sock, &h, sizeof(h), MSG_NOSIGNAL), sizeof(h));
	expect_refused(sock, "reserved");
	hdr(&h, 99, sizeof(h));
	sock = dial();
	CHECK_EQ(send(sock, &h, sizeof(h), MSG_NOSIGNAL), sizeof(h));
	expect_refused(sock, "unknown type");
	hdr(&h, TEEQ_HOST_HELLO_REPLY, sizeof(h));
	sock = dial();
	CHECK_EQ(send(sock, &h, sizeof(h), MSG_NOSIGNAL), sizeof(h));
	expect_refused(sock, "a reply type");
	still_works();

	/* a truncated HELLO */
	memset(junk, 0, sizeof(junk));
	hdr((struct teeq_host_hdr *)junk, TEEQ_HOST_HELLO, 24);
	sock = dial();
	CHECK_EQ(send(sock, junk, 24, MSG_NOSIGNAL), 24);
	expect_refused(sock, "truncated hello");
	still_works();

	/* HELLOs that are well formed as messages but not as handshakes */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		raw_hello(&bad[i], 0);
		still_works();
	}

	/* registrations before the handshake */
	fd = region(1, 1, &size);
	memset(&reg, 0, sizeof(reg));
	hdr(&reg.hdr, TEEQ_HOST_REG_FD, sizeof(reg));
	reg.flags = TEEQ_HOST_REG_READ;
	sock = dial();
	send_fds(sock, &reg, sizeof(reg), &fd, 1);
	expect_refused(sock, "reg before hello");
	close(fd);
	memset(&un, 0, sizeof(un));
	hdr(&un.hdr, TEEQ_HOST_UNREG, sizeof(un));
	un.buf_id = 1;
	sock = dial();
	CHECK_EQ(send(sock, &un, sizeof(un), MSG_NOSIGNAL), sizeof(un));
	expect_refused(sock, "unreg before hello");
	still_works();

	/* the harness itself is sound: the same HELLO done right attaches */
	raw_hello(&good, 1);
	wait_clients(1);
	still_works();
	sw_fixture_stats(&fx, &st);
	CHECK_EQ(st.clients_total, 2);
	/* random, oversized, 4 bad headers, truncated, 12 HELLOs, 2 early */
	CHECK_EQ(refused, 21);
	CHECK_EQ(st.clients_refused, 21);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
