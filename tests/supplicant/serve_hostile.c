// SPDX-License-Identifier: MIT
/*
 * teeq-supplicant through its ring, against a secure world that is not to
 * be trusted (this test plays teeq-sw): the region it hands over
 * validates; a file created, written and committed through the ring is
 * there, whole; requests with an unknown opcode, overlong names, windows
 * overrun, reserved fields set, a path for a name, or a stale handle are
 * each answered with their error, tag echoed, and the supplicant serves
 * on; a secure world that keeps more requests in flight than the ring
 * allows (never consuming the replies) gets detached, and a --once
 * supplicant then exits 0, without touching anything outside its
 * directory.
 */
#include "ring/rpc_region.h"
#include "ring/wait.h"
#include "shm/memfd.h"
#include "tests/storage/fixture.h"

#include <fcntl.h>
#include <poll.h>

static char root[40], storage[64], sockdir[64], sock_path[96];

static pid_t child;

static ssize_t read_all(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len);
	close(fd);
	return n;
}

static void cleanup(void)
{
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
}

struct peer {
	int sock, memfd, req_db, rsp_db;
	void *region;
	struct rpc_layout l;
	struct ring req; /* we produce */
	struct ring rsp; /* we consume */
	uint64_t next_tag;
};

/* Accepts the supplicant and its handshake, as teeq-sw would. */
static void accept_suppl(int lfd, struct peer *p)
{
	struct teeq_rpc_hello m;
	struct teeq_rpc_hello_reply r = { .hdr = { .magic = TEEQ_RPC_SOCK_MAGIC,
						   .type = TEEQ_RPC_HELLO_REPLY,
						   .len = sizeof(r),
						   .seq = 1 },
					  .abi_version = TEEQ_RPC_ABI_VERSION,
					  .features = TEEQ_RPC_FEAT_ALL };
	char cbuf[CMSG_SPACE(sizeof(int) * 3)];
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };
	const char *why = NULL;
	uint64_t size;
	int fds[3];

	CHECK_EQ(poll(&pfd, 1, 5000), 1);
	p->sock = accept(lfd, NULL, NULL);
	CHECK(p->sock >= 0);
	CHECK_EQ(recvmsg(p->sock, &msg, 0), sizeof(m));
	CHECK_EQ(m.hdr.magic, TEEQ_RPC_SOCK_MAGIC);
	CHECK_EQ(m.hdr.type, TEEQ_RPC_HELLO);
	CHECK(CMSG_FIRSTHDR(&msg));
	memcpy(fds, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(fds));
	p->memfd = fds[0];
	p->req_db = fds[1];
	p->rsp_db = fds[2];
	CHECK_EQ(shm_memfd_check(p->memfd, &size), 0);
	CHECK_EQ(size, m.region_size);
	CHECK_EQ(shm_map(p->memfd, size, &p->region), 0);
	CHECK_EQ(rpc_region_validate(p->region, size, TEEQ_RPC_FEAT_ALL, &p->l,
				     &why),
		 0);
	CHECK_EQ(rpc_region_attach(p->region, &p->l, &p->req, RING_PRODUCER,
				   &p->rsp, RING_CONSUMER),
		 0);
	CHECK_EQ(send(p->sock, &r, sizeof(r), 0), sizeof(r));
}

/* Produces @req (its window holding @win_len bytes of @win) without
 * waiting for the reply. */
static uint64_t post(struct peer *p, struct teeq_rpc_req req, const void *win,
		     size_t win_len)
{
	req.tag = ++p->next_tag;
	if (win_len)
		memcpy(rpc_region_window(p->region, &p->l, req.tag), win,
		       win_len);
	CHECK(ring_prod_space(&p->req, 1) >= 1);
	rpc_region_put(&p->req, 0, &req, sizeof(req));
	if (ring_prod_commit(&p->req, 1))
		ring_doorbell(&p->req, p->req_db);
	return req.tag;
}

/* One request and its reply (within 5 s). */
static struct teeq_rpc_rsp ask(struct peer *p, struct teeq_rpc_req req,
			       const void *win, size_t win_len)
{
	uint64_t tag = post(p, req, win, win_len), end = t_now_ms() + 5000;
	struct teeq_rpc_rsp rsp;
	struct timespec step = { 0, 100000 };

	while (!ring_cons_avail(&p->rsp, 1)) {
		CHECK(t_now_ms() < end);
		nanosleep(&step, NULL);
	}
	memcpy(&rsp, ring_cons_slot(&p->rsp, 0), sizeof(rsp));
	ring_cons_release(&p->rsp, 1);
	CHECK_EQ(rsp.tag, tag);
	return rsp;
}

int main(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct teeq_rpc_req req;
	struct teeq_rpc_rsp rsp;
	char exe[PATH_MAX], path[256], buf[64], names[300];
	struct peer p = { 0 };
	uint64_t h, end;
	int lfd, status, i;

	t_tmpdir(root, sizeof(root), "serve");
	atexit(cleanup); /* before the directory goes */
	snprintf(storage, sizeof(storage), "%s/storage", root);
	snprintf(sockdir, sizeof(sockdir), "%s/run", root);
	CHECK(!mkdir(sockdir, 0700));
	snprintf(sock_path, sizeof(sock_path), "%s/sw.sock.suppl", sockdir);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock_path);
	lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	CHECK(lfd >= 0);
	CHECK(!bind(lfd, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK(!listen(lfd, 4));

	st_exe(exe, sizeof(exe));
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		execl(exe, "teeq-supplicant", "--storage-dir", storage,
		      "--socket", sock_path, "--once", "--entries", "4",
		      "--window-kb", "4", (char *)NULL);
		_exit(127);
	}
	accept_suppl(lfd, &p);
	CHECK_EQ(p.l.entries, 4);
	CHECK_EQ(p.l.window_size, 4096);

	/* a file, created, written and committed through the ring */
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_CREATE,
				     .name_len = 4 };
	rsp = ask(&p, req, "file", 4);
	CHECK_EQ(rsp.status, 0);
	h = rsp.handle;
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_WRITE,
				     .handle = h,
				     .len = 5 };
	CHECK_EQ(ask(&p, req, "hello", 5).status, 0);
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_CLOSE,
				     .flags = TEEQ_RPC_CLOSE_COMMIT,
				     .handle = h };
	CHECK_EQ(ask(&p, req, NULL, 0).status, 0);
	snprintf(path, sizeof(path), "%s/file", storage);
	CHECK_EQ(read_all(path, buf, sizeof(buf)), 5);
	CHECK_MEM(buf, "hello", 5);

	/* hostile requests: each answered, the supplicant serves on */
	req = (struct teeq_rpc_req){ .opcode = 99 };
	CHECK_EQ(ask(&p, req, NULL, 0).status, -TEEQ_RPC_ENOSYS);
	memset(names, 'n', sizeof(names));
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_OPEN,
				     .name_len = 200 };
	CHECK_EQ(ask(&p, req, names, 200).status, -TEEQ_RPC_ENAMETOOLONG);
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_RENAME,
				     .name_len = 128,
				     .name2_len = 128 };
	CHECK_EQ(ask(&p, req, names, 256).status, -TEEQ_RPC_ENOENT);
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_READ,
				     .handle = h,
				     .len = 8192 };
	CHECK_EQ(ask(&p, req, NULL, 0).status, -TEEQ_RPC_EBADF);
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_OPEN,
				     .name_len = 4 };
	rsp = ask(&p, req, "file", 4);
	CHECK_EQ(rsp.status, 0);
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_READ,
				     .handle = rsp.handle,
				     .len = 8192 };
	CHECK_EQ(ask(&p, req, NULL, 0).status, -TEEQ_RPC_EINVAL);
	req.len = 16;
	req.reserved[0] = 1;
	CHECK_EQ(ask(&p, req, NULL, 0).status, -TEEQ_RPC_EINVAL);
	req.reserved[0] = 0;
	rsp = ask(&p, req, NULL, 0);
	CHECK_EQ(rsp.status, 0);
	CHECK_EQ(rsp.len, 5);
	CHECK_MEM(rpc_region_window(p.region, &p.l, rsp.tag), "hello", 5);
	snprintf(path, sizeof(path), "%s/keep", sockdir);
	CHECK(!mknod(path, S_IFREG | 0600, 0));
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_REMOVE,
				     .name_len = 11 };
	CHECK_EQ(ask(&p, req, "../run/keep", 11).status, -TEEQ_RPC_EINVAL);

	/* more in flight than the ring allows, replies never consumed:
	 * the reply ring fills, the next request finds no room */
	req = (struct teeq_rpc_req){ .opcode = 99 };
	for (i = 0; i < 4; i++)
		post(&p, req, NULL, 0);
	end = t_now_ms() + 5000;
	while (ring_cons_avail(&p.rsp, 4) < 4)
		CHECK(t_now_ms() < end);
	post(&p, req, NULL, 0);
	CHECK_EQ(waitpid(child, &status, 0), child);
	child = 0;
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
	CHECK_EQ(recv(p.sock, buf, sizeof(buf), 0), 0); /* it hung up */
	/* nothing outside its directory was touched */
	snprintf(path, sizeof(path), "%s/keep", sockdir);
	CHECK(!access(path, F_OK));
	return T_PASS;
}
