// SPDX-License-Identifier: MIT
/*
 * Kernel-mode storage when the supplicant is missing, dies, or outlives
 * its requester; and who may be the supplicant.
 *
 *  - No supplicant: storage calls fail at once with
 *    TEEQ_ERROR_STORAGE_NOT_AVAILABLE, other trusted apps go on.
 *  - Only root (the node's owner) may open the supplicant's node, and one
 *    supplicant at a time: a second gets EBUSY, and teeq-supplicant
 *    --once then exits 1.
 *  - A supplicant killed while it holds a request: the storage call ends
 *    with an error, soon, not a hang.
 *  - teeq-sw killed while the supplicant holds its request: the
 *    supplicant's answer is refused (EBADF), nothing waits, and it serves
 *    the next teeq-sw.
 *
 * The supplicant here is the test's own, on the node, so that it can stop
 * in the middle of a request.
 */
#include "tests/kernel/kstorage.h"

#include <pthread.h>

/*
 * The test's supplicant (a child): answers TEEQ_RPC_KFUNC_SHM with a
 * buffer of its own, takes the first file request, says so on @ready,
 * waits for a byte on @go, answers it, and exits 0 if that answer was
 * refused with EBADF (its requester is gone), 2 if it was taken.
 */
static void fake_suppl(int ready, int go)
{
	struct teeq_ioctl_shm_register_data reg = { 0 };
	struct teeq_ioctl_param p[4];
	uint32_t func, n;
	void *buf;
	char c;
	int fd;

	fd = open(KS_PRIV, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		_exit(10);
	buf = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.addr = (uintptr_t)buf;
	reg.length = 8192;
	if (buf == MAP_FAILED || ioctl(fd, TEEQ_IOC_SHM_REGISTER, &reg) < 0)
		_exit(11);
	(void)!write(ready, "o", 1); /* the node is ours */
	for (;;) {
		memset(p, 0, sizeof(p));
		n = 4;
		func = 0;
		if (kt_supp_io(fd, TEEQ_IOC_SUPPL_RECV, &func, p, &n))
			_exit(12);
		if (func != TEEQ_RPC_KFUNC_SHM)
			break;
		p[0].a = (uint64_t)reg.id;
		p[0].b = 4096;
		p[0].c = 2;
		p[1].a = TEEQ_RPC_ABI_VERSION;
		p[1].b = TEEQ_RPC_FEAT_FS;
		func = TEEQ_SUCCESS;
		if (kt_supp_io(fd, TEEQ_IOC_SUPPL_SEND, &func, p, &n))
			_exit(13);
	}
	if (func != TEEQ_RPC_KFUNC_FS || n != 3)
		_exit(14);
	(void)!write(ready, "r", 1);
	if (read(go, &c, 1) != 1)
		_exit(15);
	p[0].a = 0;
	p[2].b = 0;
	func = TEEQ_SUCCESS;
	_exit(kt_supp_io(fd, TEEQ_IOC_SUPPL_SEND, &func, p, &n) == -EBADF ? 0 :
									    2);
}

static pid_t fake_start(int *ready, int *go)
{
	int r[2], g[2];
	pid_t pid;
	char c;

	CHECK_EQ(pipe(r), 0);
	CHECK_EQ(pipe(g), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		close(r[0]);
		close(g[1]);
		fake_suppl(r[1], g[0]);
	}
	close(r[1]);
	close(g[0]);
	*ready = r[0];
	*go = g[1];
	CHECK_EQ(read(*ready, &c, 1), 1);
	CHECK_EQ(c, 'o');
	return pid;
}

struct call {
	int fd;
	uint32_t sess, ret;
	uint64_t ended_ms;
};

static void *list_main(void *arg)
{
	struct call *c = arg;
	char ids[256];
	uint32_t count;

	c->ret = ks_list(c->fd, c->sess, ids, sizeof(ids), &count);
	c->ended_ms = t_now_ms();
	return NULL;
}

static int wait_exit(pid_t pid)
{
	int status;

	CHECK_EQ(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
	struct teeq_ioctl_param vp[1];
	struct kt_result res;
	struct call c = { 0 };
	uint32_t sess, noop, count;
	uint64_t t0, killed;
	char ids[256], ch;
	int fd, ready, go, other;
	pthread_t t;
	pid_t fake, pid;

	ks_init("storage_faults");
	ks_sw_start();
	fd = kt_open();
	sess = kt_session(fd, &ks_storage_ta);
	noop = kt_session(fd, &kt_noop);

	/* no supplicant: at once, and the others go on */
	t0 = t_now_ms();
	CHECK_EQ(ks_list(fd, sess, ids, sizeof(ids), &count),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	CHECK_EQ(ks_create(fd, sess, "x", 0, "y", 1, NULL),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	printf("no supplicant: STORAGE_NOT_AVAILABLE in %llu ms\n",
	       (unsigned long long)(t_now_ms() - t0));
	CHECK(t_now_ms() - t0 < 1000);
	CHECK_EQ(kt_invoke(fd, noop, 0, vp, 0, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);

	/* only root opens the node */
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(3);
		_exit(open(KS_PRIV, O_RDWR) < 0 && errno == EACCES ? 0 : 1);
	}
	CHECK_EQ(wait_exit(pid), 0);

	/* the supplicant killed while it holds a request */
	fake = fake_start(&ready, &go);
	other = open(KS_PRIV, O_RDWR | O_CLOEXEC);
	CHECK(other < 0 && errno == EBUSY);
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		execl(getenv("TEEQ_SUPPLICANT") ? getenv("TEEQ_SUPPLICANT") :
						  "/teeq/teeq-supplicant",
		      "teeq-supplicant", "--device", KS_PRIV, "--storage-dir",
		      ks_dir, "--once", (char *)NULL);
		_exit(127);
	}
	CHECK_EQ(wait_exit(pid), 1);
	c.fd = fd;
	c.sess = sess;
	CHECK_EQ(pthread_create(&t, NULL, list_main, &c), 0);
	CHECK_EQ(read(ready, &ch, 1), 1);
	CHECK_EQ(ch, 'r');
	kill(fake, SIGKILL);
	killed = t_now_ms();
	CHECK_EQ(wait_exit(fake), 128 + SIGKILL);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(c.ret, TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	printf("supplicant killed mid-request: the call ended %llu ms later\n",
	       (unsigned long long)(c.ended_ms - killed));
	CHECK(c.ended_ms - killed < 2000);
	close(ready);
	close(go);
	/* and storage is not available, at once, until one comes back */
	CHECK_EQ(ks_list(fd, sess, ids, sizeof(ids), &count),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);

	/* teeq-sw killed while the supplicant holds its request */
	fake = fake_start(&ready, &go);
	CHECK_EQ(pthread_create(&t, NULL, list_main, &c), 0);
	CHECK_EQ(read(ready, &ch, 1), 1);
	CHECK_EQ(ch, 'r');
	kt_sw_kill();
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK(c.ret != TEEQ_SUCCESS);
	CHECK_EQ(write(go, "g", 1), 1);
	CHECK_EQ(wait_exit(fake), 0); /* its answer refused: EBADF */
	close(ready);
	close(go);
	close(fd);

	/* a real supplicant serves the next teeq-sw */
	ks_sw_start();
	ks_suppl_start();
	fd = kt_open();
	sess = kt_session(fd, &ks_storage_ta);
	ks_wait_storage(fd, sess);
	CHECK_EQ(ks_create(fd, sess, "after", 0, "fine", 4, NULL),
		 TEEQ_SUCCESS);
	close(fd);
	return T_PASS;
}
