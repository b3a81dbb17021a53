// SPDX-License-Identifier: MIT
/*
 * A client process killed with SIGKILL while it has sessions open, a
 * registered memfd and two 20 s calls running on teeq-sw's two call
 * threads: teeq-sw notices the hang-up, cancels the running calls, closes
 * the sessions and frees the channel, so that its stats return exactly to
 * what they were within a bounded wait: clients, sessions, qpairs, region
 * and heap bytes, registered buffers, and no client left closing nor any
 * deferred call left running (the dead client's calls are counted until
 * they end), without counting the client as dropped. Another client works
 * before and after, and its next calls are served at once, waiting ones
 * included, rather than behind the dead client's waits, which held both
 * call threads.
 */
#include "tests/client/waiter.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;
static pid_t owner, child;

/* A failed CHECK exits: take teeq-sw and the child down with us (not
 * from the child itself). */
static void cleanup(void)
{
	char lock[128];

	if (getpid() != owner)
		return;
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	if (fx.pid > 0) {
		kill(fx.pid, SIGKILL);
		waitpid(fx.pid, NULL, 0);
		fx.pid = 0;
	}
	if (fx.dir[0]) {
		snprintf(lock, sizeof(lock), "%s.lock", fx.sock);
		unlink(lock);
		unlink(fx.sock);
		rmdir(fx.dir);
	}
}

static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
static const TEEC_UUID digest = TEEQ_TA_DIGEST_UUID;

static void *child_wait(void *arg)
{
	TEEC_Operation op;
	uint32_t origin;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = 20000;
	TEEC_InvokeCommand(arg, TEEQ_NOOP_CMD_WAIT, &op, &origin);
	_exit(3); /* never: the parent kills us first */
}

/* The doomed client: sessions, a buffer, two waits; then it hangs. */
static void child_main(int ready_fd)
{
	TEEC_Session s[4];
	TEEC_SharedMemory shm;
	TEEC_Context ctx;
	pthread_t t[2];
	uint32_t origin;
	int fd, i;

	if (TEEC_InitializeContext(NULL, &ctx) != TEEC_SUCCESS)
		_exit(2);
	for (i = 0; i < 4; i++)
		if (TEEC_OpenSession(&ctx, &s[i],
				     i < 2  ? &noop :
				     i == 2 ? &echo :
					      &digest,
				     TEEC_LOGIN_PUBLIC, NULL, NULL,
				     &origin) != TEEC_SUCCESS)
			_exit(2);
	fd = memfd_create("teeq-child", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, 65536) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK))
		_exit(2);
	memset(&shm, 0, sizeof(shm));
	shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	if (TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &shm, fd) !=
	    TEEC_SUCCESS)
		_exit(2);
	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, child_wait, &s[i]))
			_exit(2);
	if (write(ready_fd, "r", 1) != 1)
		_exit(2);
	for (;;)
		pause();
}

/* What teeq-sw's stats must come to, within a bounded wait. */
struct settle {
	uint64_t clients, sessions, ext_buffers, calls_deferred;
};

static void stats_settle(struct teeq_sw_stats *st, struct settle want)
{
	uint64_t t0 = t_now_ms();

	do {
		sw_fixture_stats(&fx, st);
		if (st->clients == want.clients &&
		    st->sessions == want.sessions &&
		    st->ext_buffers == want.ext_buffers &&
		    st->calls_deferred == want.calls_deferred &&
		    !st->clients_closing)
			return;
		usleep(1000);
	} while (t_now_ms() - t0 < 10000);
	CHECK_EQ(st->clients, want.clients);
	CHECK_EQ(st->sessions, want.sessions);
	CHECK_EQ(st->ext_buffers, want.ext_buffers);
	CHECK_EQ(st->calls_deferred, want.calls_deferred);
	CHECK_EQ(st->clients_closing, 0);
}

static void call(TEEC_Session *sess)
{
	TEEC_Operation op;
	uint32_t origin = 0;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_VALUE_INOUT, TEEC_NONE);
	op.params[0].value.a = 21;
	op.params[2].value.a = 21;
	CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_ECHO_CMD_VALUES, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[2].value.a, 42);
}

int main(void)
{
	struct teeq_sw_stats before, during, after;
	TEEC_Context ctx;
	TEEC_Session sess, wsess;
	uint32_t origin;
	uint64_t t0;
	int pipefd[2], status;
	char c;

	alarm(25);
	owner = getpid();
	sw_fixture_start(&fx, "--workers", "2", "--call-threads", "2");
	atexit(cleanup);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &wsess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	waiter_run(&wsess, 0); /* needs a call thread */
	stats_settle(&before, (struct settle){ 1, 2, 0, 0 });

	CHECK(!pipe(pipefd));
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		close(pipefd[0]);
		child_main(pipefd[1]);
	}
	close(pipefd[1]);
	CHECK_EQ(read(pipefd[0], &c, 1), 1);
	close(pipefd[0]);
	/* both waits are with the call threads */
	stats_settle(&during, (struct settle){ 2, 2 + 4, 1, 2 });
	CHECK_EQ(during.qpairs, 2 * before.qpairs);
	CHECK_EQ(during.region_bytes, 2 * before.region_bytes);
	CHECK_EQ(during.ext_bytes, 65536);

	CHECK(!kill(child, SIGKILL));
	CHECK_EQ(waitpid(child, &status, 0), child);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	child = 0;

	/* its waits cancelled, its calls over, the client gone */
	stats_settle(&after, (struct settle){ 1, 2, 0, 0 });
	CHECK_EQ(after.qpairs, before.qpairs);
	CHECK_EQ(after.region_bytes, before.region_bytes);
	CHECK_EQ(after.heap_bytes, before.heap_bytes);
	CHECK_EQ(after.ext_bytes, 0);
	CHECK_EQ(after.clients_total, 2);
	CHECK_EQ(after.clients_dropped, before.clients_dropped);
	CHECK_EQ(after.clients_refused, 0);

	/* both call threads are free again: served now, not in 20 s */
	t0 = t_now_ms();
	call(&sess);
	waiter_run(&wsess, 0);
	waiter_run(&wsess, 0);
	CHECK(t_now_ms() - t0 < 5000);

	TEEC_CloseSession(&sess);
	TEEC_CloseSession(&wsess);
	TEEC_FinalizeContext(&ctx);
	stats_settle(&after, (struct settle){ 0, 0, 0, 0 });
	CHECK_EQ(after.region_bytes, 0);
	sw_fixture_stop(&fx);
	return T_PASS;
}
