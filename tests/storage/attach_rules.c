// SPDX-License-Identifier: MIT
/*
 * Who may attach as the supplicant, with teeq-sw (root) configured for a
 * supplicant of uid 65534: the socket is that uid's (mode 0600); a peer of
 * another uid (root itself) is answered -EPERM without anything it sends
 * being read; a teeq-supplicant running as 65534 attaches and serves; a
 * second one while it is attached is answered -EBUSY (a raw handshake, and
 * a teeq-supplicant --once that then exits 1) and the first keeps
 * serving; a handshake whose region is not a sealed memfd is -EPROTO and
 * attaches nothing. teeq-sw does not listen for the supplicant in a
 * directory others may write (storage stays unavailable), and
 * teeq-supplicant does not connect through one (exit 1 at once).
 */
#include "tests/storage/fixture.h"

#include "shm/memfd.h"
#include "uapi/teeq_rpc.h"

#include <grp.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#define OTHER 65534

static struct st_fixture fx;
static char open_sock[100];

/* A handshake on open_sock carrying @memfd and two eventfds; the status. */
static int hello(int memfd, uint64_t size)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct teeq_rpc_hello m = { .abi_version = TEEQ_RPC_ABI_VERSION,
				    .features = TEEQ_RPC_FEAT_FS,
				    .region_size = size };
	struct teeq_rpc_hello_reply r = { .status = 1 };
	int fds[3] = { memfd, eventfd(0, 0), eventfd(0, 0) };
	char cbuf[CMSG_SPACE(sizeof(fds))] = { 0 };
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	m.hdr = (struct teeq_host_hdr){ .magic = TEEQ_RPC_SOCK_MAGIC,
					.type = TEEQ_RPC_HELLO,
					.len = sizeof(m),
					.seq = 1 };
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", open_sock);
	CHECK(fd >= 0);
	CHECK(!connect(fd, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK_EQ(sendmsg(fd, &msg, 0), sizeof(m));
	CHECK_EQ(recv(fd, &r, sizeof(r), 0), sizeof(r));
	CHECK_EQ(r.hdr.type, TEEQ_RPC_HELLO_REPLY);
	close(fd);
	close(fds[1]);
	close(fds[2]);
	return r.status;
}

/* Becomes uid and gid OTHER, or dies. */
static void become_other(void)
{
	if (setgroups(0, NULL) || setgid(OTHER) || setuid(OTHER))
		_exit(3);
}

/* hello() as uid OTHER, in a child: its status. */
static int hello_as_other(int sealed)
{
	int status, fd;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		become_other();
		if (sealed) {
			fd = shm_memfd_create("other", 65536);
		} else {
			fd = memfd_create("unsealed", MFD_CLOEXEC);
			if (fd < 0 || ftruncate(fd, 65536))
				_exit(5);
		}
		_exit(-hello(fd, 65536));
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	return -WEXITSTATUS(status);
}

/* teeq-supplicant as uid OTHER on @dir and @sock, with one more argument
 * (or NULL). */
static pid_t suppl_as_other(const char *dir, const char *sock, const char *more)
{
	char exe[PATH_MAX];
	pid_t pid;

	st_exe(exe, sizeof(exe));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		become_other();
		execl(exe, "teeq-supplicant", "--storage-dir", dir, "--socket",
		      sock, more, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int exit_status(pid_t pid, uint64_t *ms)
{
	uint64_t t0 = t_now_ms();
	int status;

	CHECK_EQ(waitpid(pid, &status, 0), pid);
	*ms = t_now_ms() - t0;
	CHECK(WIFEXITED(status));
	return WEXITSTATUS(status);
}

int main(void)
{
	char open_dir[80], bad_dir[80], bad_sock[100], second[80];
	TEEC_Context ctx;
	TEEC_Session s;
	struct stat st;
	uint64_t ms;
	int memfd;

	if (geteuid() != 0)
		SKIP("needs root, to run a supplicant of another uid");
	st_init(&fx);
	/* a socket directory anyone may enter and only root may write */
	CHECK(!chmod(fx.root, 0755));
	snprintf(open_dir, sizeof(open_dir), "%s/open", fx.root);
	CHECK(!mkdir(open_dir, 0755));
	snprintf(open_sock, sizeof(open_sock), "%s/suppl.sock", open_dir);
	snprintf(fx.suppl_sock, sizeof(fx.suppl_sock), "%s", open_sock);
	/* the supplicant's storage is its own */
	CHECK(!mkdir(fx.storage, 0700));
	CHECK(!chown(fx.storage, OTHER, OTHER));
	snprintf(fx.uid, sizeof(fx.uid), "%u", OTHER);
	st_start_sw(&fx, "--supplicant-socket", open_sock);
	CHECK(!stat(open_sock, &st));
	CHECK_EQ(st.st_uid, OTHER);
	CHECK_EQ(st.st_mode & 0777, 0600);

	/* root is not the supplicant's uid */
	memfd = shm_memfd_create("root", 65536);
	CHECK_EQ(hello(memfd, 65536), -EPERM);
	close(memfd);

	/* the genuine one attaches and serves */
	fx.suppl_pid = suppl_as_other(fx.storage, open_sock, NULL);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	st_open_session(&ctx, &s);
	CHECK_EQ(st_wait_storage(&s), TEEC_SUCCESS);
	CHECK_EQ(st_put(&s, "k", "v", 1), TEEC_SUCCESS);

	/* one at a time */
	CHECK_EQ(hello_as_other(1), -EBUSY);
	/* (with a storage directory of its own: that one is locked) */
	snprintf(second, sizeof(second), "%s/second", fx.root);
	CHECK(!mkdir(second, 0700));
	CHECK(!chown(second, OTHER, OTHER));
	CHECK_EQ(exit_status(suppl_as_other(second, open_sock, "--once"), &ms),
		 1);
	CHECK_EQ(st_put(&s, "k", "w", 1), TEEC_SUCCESS);

	/* not a sealed memfd: refused, and nothing attached */
	st_kill_suppl(&fx, SIGKILL);
	CHECK_EQ(st_put(&s, "k", "x", 1), TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	CHECK_EQ(hello_as_other(0), -EPROTO);
	CHECK_EQ(st_put(&s, "k", "x", 1), TEEQ_ERROR_STORAGE_NOT_AVAILABLE);

	/* a socket directory others may write: the supplicant will not */
	snprintf(bad_dir, sizeof(bad_dir), "%s/shared", fx.root);
	CHECK(!mkdir(bad_dir, 0777));
	CHECK(!chmod(bad_dir, 0777));
	snprintf(bad_sock, sizeof(bad_sock), "%s/suppl.sock", bad_dir);
	CHECK_EQ(exit_status(suppl_as_other(second, bad_sock, "--once"), &ms),
		 1);
	CHECK(ms < 2000);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_kill(&fx.sw, SIGTERM);

	/* ... and neither will teeq-sw */
	snprintf(fx.suppl_sock, sizeof(fx.suppl_sock), "%s", bad_sock);
	st_start_sw(&fx, "--supplicant-socket", bad_sock);
	CHECK(ring_host_await(bad_sock, 0, 200) == -ETIMEDOUT);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	st_open_session(&ctx, &s);
	CHECK_EQ(st_put(&s, "k", "y", 1), TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	return T_PASS;
}
