// SPDX-License-Identifier: MIT
/*
 * TEEC_InitializeContext never waits forever (docs/design.md, rule 4): against
 * a socket whose owner accepts the connection and then hangs up, it fails
 * at once; against one whose owner accepts and reads the HELLO but never
 * answers (a wedged or stopped secure world), it must still return an
 * error within a bounded time (10 s here, a guard) instead of hanging. Each
 * attempt runs in a child process so that a hang cannot wedge the test.
 */
#include "tests/sw_fixture.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;
static pid_t owner, child;

/* A failed CHECK exits: take the blocked child down, tidy the socket. */
static void cleanup(void)
{
	if (getpid() != owner)
		return;
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	unlink(fx.sock);
	rmdir(fx.dir);
}

/* The fake secure world: accepts, reads one message, then either hangs
 * up or keeps the connection open without a word. */
struct fake {
	int listen_fd;
	int hang_up;
	int conn; /* kept open while silent */
};

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	char buf[512];

	f->conn = accept(f->listen_fd, NULL, NULL);
	if (f->conn < 0)
		return NULL;
	(void)!recv(f->conn, buf, sizeof(buf), 0);
	if (f->hang_up) {
		close(f->conn);
		f->conn = -1;
	}
	return NULL;
}

/* Runs TEEC_InitializeContext in a child; returns its result, or fails
 * the test if it does not return within @limit_ms. */
static TEEC_Result init_in_child(uint64_t limit_ms)
{
	uint64_t t0 = t_now_ms();
	int pipefd[2], status;
	TEEC_Result res = 0;

	CHECK(!pipe(pipefd));
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		TEEC_Context ctx;
		TEEC_Result r;

		close(pipefd[0]);
		r = TEEC_InitializeContext(NULL, &ctx);
		if (r == TEEC_SUCCESS)
			TEEC_FinalizeContext(&ctx);
		(void)!write(pipefd[1], &r, sizeof(r));
		_exit(0);
	}
	close(pipefd[1]);
	while (waitpid(child, &status, WNOHANG) == 0 &&
	       t_now_ms() - t0 < limit_ms)
		usleep(10000);
	if (t_now_ms() - t0 >= limit_ms) {
		fprintf(stderr,
			"TEEC_InitializeContext still blocked after "
			"%llu ms\n",
			(unsigned long long)limit_ms);
		CHECK(0);
	}
	child = 0;
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(read(pipefd[0], &res, sizeof(res)), sizeof(res));
	close(pipefd[0]);
	return res;
}

static void attempt(int hang_up, uint64_t limit_ms)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct fake f = { .hang_up = hang_up, .conn = -1 };
	TEEC_Result res;
	pthread_t t;

	f.listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	CHECK(f.listen_fd >= 0);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", fx.sock);
	unlink(fx.sock);
	CHECK(!bind(f.listen_fd, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK(!listen(f.listen_fd, 4));
	CHECK(!pthread_create(&t, NULL, fake_main, &f));
	res = init_in_child(limit_ms);
	CHECK(res != TEEC_SUCCESS);
	CHECK(!pthread_join(t, NULL));
	if (f.conn >= 0)
		close(f.conn);
	close(f.listen_fd);
	unlink(fx.sock);
}

int main(void)
{
	owner = getpid();
	atexit(cleanup);
	sw_fixture_init(&fx); /* a private socket path; no teeq-sw */
	attempt(1, 5000);
	attempt(0, 10000);
	return T_PASS;
}
