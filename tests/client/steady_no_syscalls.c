// SPDX-License-Identifier: MIT
/*
 * Under steady load a call allocates nothing, takes no lock and makes no
 * system call in libteeq: against a teeq-sw whose worker keeps polling,
 * thousands of noop invokes, invokes with three values, with a zero-copy
 * memref of allocated shared memory, and async batches of 32 make none.
 * Counted, not timed: this program is linked with every allocator, lock
 * and system-call wrapper libteeq could reach redirected to a counter
 * (-Wl,--wrap, see the Makefile), which counts only while this thread is
 * in the measured window. The client's own figures agree: no doorbell
 * rung, no sleep. (Temporary memrefs are copied through heap blocks of
 * the call's own, which the allocator's lock guards: not measured here.)
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <tee_client_api.h>
#include <teeq.h>

#define CALLS 5000
#define BATCH 32

static struct sw_fixture fx;

static __thread int counting;
static unsigned long counted[3]; /* allocations, locks, system calls */
static const char *first[3];

static void count(int what, const char *name)
{
	if (!counting)
		return;
	if (!counted[what]++)
		first[what] = name;
}

#define ALLOC 0
#define LOCK 1
#define SYSCALL 2

/* ---- the wrappers ------------------------------------------------------- */

#define WRAP(ret, name, kind, params, args) \
	ret __real_##name params;           \
	ret __wrap_##name params;           \
	ret __wrap_##name params            \
	{                                   \
		count(kind, #name);         \
		return __real_##name args;  \
	}

WRAP(void *, malloc, ALLOC, (size_t n), (n))
WRAP(void *, calloc, ALLOC, (size_t n, size_t m), (n, m))
WRAP(void *, realloc, ALLOC, (void *p, size_t n), (p, n))
WRAP(void *, aligned_alloc, ALLOC, (size_t a, size_t n), (a, n))
WRAP(int, posix_memalign, ALLOC, (void **p, size_t a, size_t n), (p, a, n))
WRAP(int, pthread_mutex_lock, LOCK, (pthread_mutex_t * m), (m))
WRAP(int, pthread_mutex_trylock, LOCK, (pthread_mutex_t * m), (m))
WRAP(int, pthread_cond_wait, LOCK, (pthread_cond_t * c, pthread_mutex_t *m),
     (c, m))
WRAP(int, pthread_cond_broadcast, LOCK, (pthread_cond_t * c), (c))
WRAP(int, pthread_cond_signal, LOCK, (pthread_cond_t * c), (c))
WRAP(ssize_t, read, SYSCALL, (int fd, void *b, size_t n), (fd, b, n))
WRAP(ssize_t, write, SYSCALL, (int fd, const void *b, size_t n), (fd, b, n))
WRAP(int, poll, SYSCALL, (struct pollfd * f, nfds_t n, int t), (f, n, t))
WRAP(int, epoll_wait, SYSCALL, (int e, struct epoll_event *v, int n, int t),
     (e, v, n, t))
WRAP(ssize_t, sendmsg, SYSCALL, (int fd, const struct msghdr *m, int f),
     (fd, m, f))
WRAP(ssize_t, recv, SYSCALL, (int fd, void *b, size_t n, int f), (fd, b, n, f))
WRAP(ssize_t, recvmsg, SYSCALL, (int fd, struct msghdr *m, int f), (fd, m, f))
WRAP(int, nanosleep, SYSCALL, (const struct timespec *a, struct timespec *b),
     (a, b))
WRAP(int, sched_yield, SYSCALL, (void), ())

void __real_free(void *p);
void __wrap_free(void *p);
void __wrap_free(void *p)
{
	if (p)
		count(ALLOC, "free");
	__real_free(p);
}

long __real_syscall(long nr, ...);
long __wrap_syscall(long nr, ...);
long __wrap_syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i;

	count(SYSCALL, "syscall");
	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return __real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* ---- the load ------------------------------------------------------------- */

static TEEC_Context ctx;
static TEEC_Session sess, echo_sess;
static TEEC_SharedMemory shm;
static teeq_queue *q;

static void noop(void)
{
	uint32_t origin;

	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
}

static void values(void)
{
	TEEC_Operation op;
	uint32_t origin;

	op.started = 0;
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_VALUE_INOUT, TEEC_NONE);
	op.params[0].value.a = 3;
	op.params[0].value.b = 4;
	op.params[2].value.a = 1;
	op.params[2].value.b = 1;
	CHECK_EQ(TEEC_InvokeCommand(&echo_sess, TEEQ_ECHO_CMD_VALUES, &op,
				    &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(op.params[1].value.a, 3);
	CHECK_EQ(op.params[2].value.b, 5);
}

static void memref(void)
{
	TEEC_Operation op;
	uint32_t origin;

	op.started = 0;
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &shm;
	CHECK_EQ(TEEC_InvokeCommand(&echo_sess, TEEQ_ECHO_CMD_INVERT, &op,
				    &origin),
		 TEEC_SUCCESS);
}

static void batch(void)
{
	struct teeq_completion done[BATCH];
	unsigned int i, n;

	for (i = 0; i < BATCH; i++)
		CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_NOOP_CMD_NOOP, NULL,
					  i),
			 TEEC_SUCCESS);
	CHECK_EQ(teeq_submit(q), BATCH);
	for (n = 0; n < BATCH;)
		n += teeq_reap(q, done + n, BATCH - n, BATCH - n, -1);
	for (i = 0; i < BATCH; i++)
		CHECK_EQ(done[i].result, TEEC_SUCCESS);
}

static void steady(const char *what, void (*call)(void), int times)
{
	struct teeq_stats st0, st1;
	int i;

	for (i = 0; i < times / 10; i++) /* warm: first-use paths */
		call();
	teeq_context_stats(&ctx, &st0);
	counting = 1;
	for (i = 0; i < times; i++)
		call();
	counting = 0;
	teeq_context_stats(&ctx, &st1);
	if (counted[ALLOC] || counted[LOCK] || counted[SYSCALL])
		fprintf(stderr,
			"%s: %lu allocations (%s), %lu locks (%s), %lu system "
			"calls (%s)\n",
			what, counted[ALLOC], first[ALLOC], counted[LOCK],
			first[LOCK], counted[SYSCALL], first[SYSCALL]);
	CHECK_EQ(counted[ALLOC], 0);
	CHECK_EQ(counted[LOCK], 0);
	CHECK_EQ(counted[SYSCALL], 0);
	CHECK_EQ(st1.doorbells, st0.doorbells);
	CHECK_EQ(st1.waits_slept, st0.waits_slept);
	CHECK(st1.calls > st0.calls);
}

int main(void)
{
	static const TEEC_UUID noop_uuid = TEEQ_TA_NOOP_UUID;
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	struct teeq_sw_stats sw;
	uint32_t origin;

	sw_fixture_host_only(
		"host mode's rings; a kernel-mode call is an ioctl");

	/* neither side ever sleeps in the window: 10 s spins */
	setenv("TEEQ_SPIN_US", "10000000", 1);
	sw_fixture_start(&fx, "--workers", "1", "--spin-us", "10000000");
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop_uuid, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &echo_sess, &echo, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);
	shm.size = 4096;
	shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &shm), TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);

	/* the counters see libteeq: these do allocate, lock and call */
	counting = 1;
	CHECK_EQ(teeq_secure_stats(&ctx, &sw), TEEC_SUCCESS);
	TEEC_ReleaseSharedMemory(&shm);
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &shm), TEEC_SUCCESS);
	counting = 0;
	CHECK(counted[ALLOC] && counted[LOCK] && counted[SYSCALL]);
	memset(counted, 0, sizeof(counted));

	steady("noop", noop, CALLS);
	steady("values", values, CALLS);
	steady("memref", memref, CALLS);
	steady("async", batch, CALLS / BATCH);

	teeq_queue_close(q);
	TEEC_ReleaseSharedMemory(&shm);
	TEEC_CloseSession(&echo_sess);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
