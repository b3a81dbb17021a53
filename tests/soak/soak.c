// SPDX-License-Identifier: MIT
/*
 * The soak (make soak, not part of make test): one teeq-sw, built with
 * ASan+UBSan, for SECONDS (default 600), against
 *  - 4 well-behaved clients (processes), each attaching, opening sessions
 *    and making calls whose results it checks (noop, echo values and
 *    copies, SHA-256 against OpenSSL's, short waits), then detaching, over
 *    and over;
 *  - 2 hostile slots, each running one attack after another for a few
 *    seconds each: garbage in its rings, doorbells never read and flooded,
 *    a connection that never shakes hands, an attached client that idles,
 *    a client killed with -9 in the middle of its calls (waits included),
 *    garbage on the socket, and (as root) a descriptor whose last close
 *    waits.
 * Every few minutes everything pauses until teeq-sw has no client, and its
 * descriptors and resident memory are counted. It passes with no call
 * hung (HUNG_MS), no result wrong, the same descriptor count at every
 * pause, resident memory flat (the last pause within 10 % or 8 MiB of the
 * second), and teeq-sw stopping cleanly on SIGTERM at the end (ASan
 * finding nothing). The figures are printed.
 */
#include "tests/hostile/raw.h"

#include <dirent.h>
#include <openssl/sha.h>

#define GOOD 4
#define HOSTILE 2
#define HUNG_MS 10000
#define ATTACK_MS 4000
#define PAUSES 4

/* Shared with the children: one slot per client process. */
struct slot {
	uint64_t calls; /* atomic */
	uint64_t wrong; /* atomic */
	uint64_t call_start_ms; /* atomic: 0, or when the running call began */
	uint64_t worst_ms; /* atomic */
	int worst_op; /* what the worst call was (ops[]) */
	uint32_t attached; /* atomic: holds a context now */
};

struct shared {
	int stop; /* atomic */
	int pause; /* atomic */
	struct slot good[GOOD];
	uint64_t attacks[16]; /* atomic: by kind */
};

static struct shared *sh;
static struct sw_fixture fx;

/* ---- well-behaved clients ---------------------------------------------------- */

static void wrong(struct slot *s, const char *what, TEEC_Result res)
{
	__atomic_add_fetch(&s->wrong, 1, __ATOMIC_RELAXED);
	fprintf(stderr, "soak: wrong result: %s (0x%08x)\n", what, res);
}

static const char *const ops[] = { "attach",	  "open sessions",   "noop",
				   "echo values", "echo copy",	     "sha-256",
				   "wait 5 ms",	  "close and detach" };

/* Times one call for the hang watch. */
static void call_begin(struct slot *s)
{
	__atomic_store_n(&s->call_start_ms, t_now_ms(), __ATOMIC_RELEASE);
}

static void call_end(struct slot *s, int op)
{
	uint64_t dt = t_now_ms() -
		      __atomic_load_n(&s->call_start_ms, __ATOMIC_ACQUIRE);

	if (dt > __atomic_load_n(&s->worst_ms, __ATOMIC_RELAXED)) {
		__atomic_store_n(&s->worst_ms, dt, __ATOMIC_RELAXED);
		s->worst_op = op;
	}
	if (dt >= 1000)
		fprintf(stderr, "soak: %llu: a slow %s: %llu ms\n",
			(unsigned long long)t_now_ms(), ops[op],
			(unsigned long long)dt);
	__atomic_store_n(&s->call_start_ms, 0, __ATOMIC_RELEASE);
	__atomic_add_fetch(&s->calls, 1, __ATOMIC_RELAXED);
}

static void good_round(struct slot *s, uint64_t *seed)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID,
			       echo = TEEQ_TA_ECHO_UUID,
			       digest = TEEQ_TA_DIGEST_UUID;
	static unsigned char data[65536], out[65536], md[32];
	TEEC_Session sn, se, sd;
	TEEC_SharedMemory shm = { .size = sizeof(data),
				  .flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT };
	TEEC_Context ctx;
	TEEC_Result res;
	uint32_t origin;
	int k;

	call_begin(s);
	res = TEEC_InitializeContext(NULL, &ctx);
	call_end(s, 0);
	if (res != TEEC_SUCCESS) {
		wrong(s, "InitializeContext", res);
		return;
	}
	__atomic_store_n(&s->attached, 1, __ATOMIC_RELEASE);
	call_begin(s);
	res = TEEC_OpenSession(&ctx, &sn, &noop, TEEC_LOGIN_PUBLIC, NULL, NULL,
			       &origin);
	if (!res)
		res = TEEC_OpenSession(&ctx, &se, &echo, TEEC_LOGIN_PUBLIC,
				       NULL, NULL, &origin);
	if (!res)
		res = TEEC_OpenSession(&ctx, &sd, &digest, TEEC_LOGIN_PUBLIC,
				       NULL, NULL, &origin);
	if (!res)
		res = TEEC_AllocateSharedMemory(&ctx, &shm);
	call_end(s, 1);
	if (res != TEEC_SUCCESS) {
		wrong(s, "OpenSession", res);
		TEEC_FinalizeContext(&ctx);
		__atomic_store_n(&s->attached, 0, __ATOMIC_RELEASE);
		return;
	}
	for (k = 0; k < 64; k++) {
		int what = (int)(test_rand(seed) % 5);
		TEEC_Operation op = { 0 };
		uint32_t len = 1 + (uint32_t)(test_rand(seed) % sizeof(data));
		uint32_t a = (uint32_t)test_rand(seed), b = (uint32_t)k;
		size_t i;

		for (i = 0; i < len; i += 8) {
			uint64_t r = test_rand(seed);

			memcpy(data + i, &r, len - i < 8 ? len - i : 8);
		}
		call_begin(s);
		switch (what) {
		case 0:
			res = TEEC_InvokeCommand(&sn, TEEQ_NOOP_CMD_NOOP, NULL,
						 &origin);
			if (res)
				wrong(s, "noop", res);
			break;
		case 1:
			op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
							 TEEC_VALUE_OUTPUT,
							 TEEC_VALUE_INOUT,
							 TEEC_NONE);
			op.params[0].value.a = a;
			op.params[0].value.b = b;
			op.params[2].value.a = 7;
			op.params[2].value.b = 9;
			res = TEEC_InvokeCommand(&se, TEEQ_ECHO_CMD_VALUES, &op,
						 &origin);
			if (res || op.params[1].value.a != a ||
			    op.params[1].value.b != b ||
			    op.params[2].value.a != 7 + a ||
			    op.params[2].value.b != 9 + b)
				wrong(s, "echo values", res);
			break;
		case 2:
			memcpy(shm.buffer, data, len);
			op.paramTypes = TEEC_PARAM_TYPES(
				TEEC_MEMREF_PARTIAL_INPUT,
				TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
			op.params[0].memref.parent = &shm;
			op.params[0].memref.size = len;
			op.params[1].tmpref.buffer = out;
			op.params[1].tmpref.size = sizeof(out);
			res = TEEC_InvokeCommand(&se, TEEQ_ECHO_CMD_COPY, &op,
						 &origin);
			if (res || op.params[1].tmpref.size != len ||
			    memcmp(out, data, len))
				wrong(s, "echo copy", res);
			break;
		case 3:
			op.paramTypes = TEEC_PARAM_TYPES(
				TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT,
				TEEC_NONE, TEEC_NONE);
			op.params[0].tmpref.buffer = data;
			op.params[0].tmpref.size = len;
			op.params[1].tmpref.buffer = out;
			op.params[1].tmpref.size = 32;
			res = TEEC_InvokeCommand(&sd, TEEQ_DIGEST_CMD_SHA256,
						 &op, &origin);
			SHA256(data, len, md);
			if (res || memcmp(out, md, 32))
				wrong(s, "sha-256", res);
			break;
		default:
			op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
							 TEEC_NONE, TEEC_NONE,
							 TEEC_NONE);
			op.params[0].value.a = 5;
			res = TEEC_InvokeCommand(&sn, TEEQ_NOOP_CMD_WAIT, &op,
						 &origin);
			if (res)
				wrong(s, "wait", res);
		}
		call_end(s, 2 + what);
	}
	call_begin(s);
	TEEC_ReleaseSharedMemory(&shm);
	TEEC_CloseSession(&sn);
	TEEC_CloseSession(&se);
	TEEC_CloseSession(&sd);
	TEEC_FinalizeContext(&ctx);
	call_end(s, 7);
	__atomic_store_n(&s->attached, 0, __ATOMIC_RELEASE);
}

static int soak_client_main(void *arg)
{
	struct slot *s = arg;
	uint64_t seed = 0x50a4 + (uint64_t)(s - sh->good);

	while (!__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&sh->pause, __ATOMIC_ACQUIRE)) {
			usleep(20000);
			continue;
		}
		good_round(s, &seed);
	}
	return 0;
}

/* ---- attacks ----------------------------------------------------------------- */

enum attack_kind {
	GARBAGE_RING,
	FULL_DOORBELLS,
	SILENT_CONNECTION,
	IDLE_CLIENT,
	KILLED_MID_CALLS,
	SOCKET_GARBAGE,
	TRAP_DESCRIPTOR,
	ATTACK_KINDS
};

static const char *const attack_names[ATTACK_KINDS] = {
	"garbage ring",	   "full doorbells",	"silent connection",
	"idle client",	   "kill -9 mid-calls", "socket garbage",
	"trap descriptor",
};

/* Random entries and indices in its own rings, on and on. */
static int garbage_ring(uint64_t seed)
{
	struct raw_client rc;
	uint32_t i;

	raw_region(&rc, 4, 8);
	if (raw_hello(&rc, fx.sock, NULL, 0))
		return 0;
	for (;;) {
		for (i = 0; i < rc.nr_qp; i++) {
			unsigned char *slot = ring_prod_slot(&rc.sq[i], 0);
			size_t k;

			for (k = RING_STAMP_SIZE; k < sizeof(struct teeq_sqe);
			     k++)
				slot[k] = (unsigned char)test_rand(&seed);
			if (test_rand(&seed) % 8 == 0)
				rc.sq[i].hdr->tail = (uint32_t)test_rand(&seed);
			else if (ring_prod_space(&rc.sq[i], 1))
				ring_prod_commit(&rc.sq[i], 1);
			if (test_rand(&seed) % 8 == 0)
				rc.cq[i].hdr->head = (uint32_t)test_rand(&seed);
			(void)!send(rc.db[i], "", 1,
				    MSG_DONTWAIT | MSG_NOSIGNAL);
		}
		usleep(1000);
	}
}

static int full_doorbells(void)
{
	struct raw_client rc;
	uint64_t n = 0;
	uint32_t i;

	raw_region(&rc, 8, 8);
	if (raw_hello(&rc, fx.sock, NULL, 0))
		return 0;
	for (;;) {
		for (i = 0; i < rc.nr_qp; i++) {
			uint32_t done = ring_cons_avail(&rc.cq[i], 8);

			if (done)
				ring_cons_release(&rc.cq[i], done);
			if (!ring_cons_prepare_sleep(&rc.cq[i]) &&
			    ring_prod_space(&rc.sq[i], 1))
				raw_nop(&rc, i, n++);
			while (send(rc.db[i], "", 1,
				    MSG_DONTWAIT | MSG_NOSIGNAL) == 1)
				;
		}
		usleep(200);
	}
}

static int silent_connection(void)
{
	int fd = raw_dial(fx.sock);

	(void)fd;
	pause();
	return 0;
}

static int idle_client(void)
{
	TEEC_Context ctx;

	if (TEEC_InitializeContext(NULL, &ctx) == TEEC_SUCCESS)
		pause();
	return 0;
}

static void *waiting_call(void *arg)
{
	TEEC_Operation op = { 0 };
	uint32_t origin;

	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = 30000;
	(void)TEEC_InvokeCommand(arg, TEEQ_NOOP_CMD_WAIT, &op, &origin);
	return NULL;
}

/* Calls in flight (long waits and a stream of noops) when -9 comes. */
static int killed_mid_calls(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	static TEEC_Session sess[4];
	TEEC_Context ctx;
	uint32_t origin;
	pthread_t t;
	int i;

	if (TEEC_InitializeContext(NULL, &ctx) != TEEC_SUCCESS)
		return 0;
	for (i = 0; i < 4; i++) {
		if (TEEC_OpenSession(&ctx, &sess[i], &noop, TEEC_LOGIN_PUBLIC,
				     NULL, NULL, &origin))
			return 0;
		if (i < 3)
			pthread_create(&t, NULL, waiting_call, &sess[i]);
	}
	for (;;)
		(void)TEEC_InvokeCommand(&sess[3], TEEQ_NOOP_CMD_NOOP, NULL,
					 &origin);
	return 0;
}

static int socket_garbage(uint64_t seed)
{
	unsigned char junk[300];
	size_t i;

	for (;;) {
		int fd = raw_dial(fx.sock);
		size_t len = 1 + test_rand(&seed) % sizeof(junk);

		for (i = 0; i < len; i++)
			junk[i] = (unsigned char)test_rand(&seed);
		if (test_rand(&seed) % 2) /* a plausible header */
			memcpy(junk,
			       &(struct teeq_host_hdr){
				       TEEQ_HOST_MAGIC,
				       (uint16_t)(1 + test_rand(&seed) % 8), 0,
				       (uint32_t)len, 1 },
			       sizeof(struct teeq_host_hdr));
		(void)!send(fd, junk, len, MSG_NOSIGNAL);
		usleep(20000);
		close(fd);
	}
	return 0;
}

static int trap_descriptor(void)
{
	struct raw_client rc;
	int trap = raw_trap_fd();

	if (trap < 0) /* no userfaultfd here: a plain refused HELLO */
		trap = eventfd(0, EFD_CLOEXEC);
	raw_region(&rc, 2, 8);
	(void)raw_hello(&rc, fx.sock, &trap, 1);
	pause();
	return 0;
}

struct attack_arg {
	enum attack_kind kind;
	uint64_t seed;
};

static int attack_main(void *arg)
{
	struct attack_arg *a = arg;

	switch (a->kind) {
	case GARBAGE_RING:
		return garbage_ring(a->seed);
	case FULL_DOORBELLS:
		return full_doorbells();
	case SILENT_CONNECTION:
		return silent_connection();
	case IDLE_CLIENT:
		return idle_client();
	case KILLED_MID_CALLS:
		return killed_mid_calls();
	case SOCKET_GARBAGE:
		return socket_garbage(a->seed);
	case TRAP_DESCRIPTOR:
		return trap_descriptor();
	default:
		return 1;
	}
}

/* ---- the watch --------------------------------------------------------------- */

static uint64_t sw_fds(void)
{
	char path[64];
	struct dirent *de;
	uint64_t n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)fx.pid);
	d = opendir(path);
	CHECK(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static uint64_t sw_rss_kb(void)
{
	char path[64], line[128];
	uint64_t kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)fx.pid);
	f = fopen(path, "re");
	CHECK(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %" SCNu64, &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static uint64_t hung;

/* Counts calls that have been running for longer than HUNG_MS, once. */
static void watch_hangs(void)
{
	static uint64_t reported[GOOD];
	int i;

	for (i = 0; i < GOOD; i++) {
		uint64_t start = __atomic_load_n(&sh->good[i].call_start_ms,
						 __ATOMIC_ACQUIRE);

		if (start && t_now_ms() - start > HUNG_MS &&
		    reported[i] != start) {
			reported[i] = start;
			hung++;
			fprintf(stderr, "soak: client %d: a call hangs\n", i);
		}
	}
}

/* Everyone stops until teeq-sw has no client; returns when it has none. */
static void quiesce(pid_t *attackers)
{
	struct teeq_sw_stats st;
	uint64_t t0 = t_now_ms();
	int i, busy;

	__atomic_store_n(&sh->pause, 1, __ATOMIC_RELEASE);
	for (i = 0; i < HOSTILE; i++) {
		if (attackers[i] > 0)
			hostile_reap(attackers[i], SIGKILL);
		attackers[i] = 0;
	}
	do {
		watch_hangs();
		busy = 0;
		for (i = 0; i < GOOD; i++)
			busy |= __atomic_load_n(&sh->good[i].attached,
						__ATOMIC_ACQUIRE);
		sw_fixture_stats(&fx, &st);
		usleep(20000);
	} while ((busy || st.clients) && t_now_ms() - t0 < 30000);
	CHECK_EQ(st.clients, 0);
	usleep(TEEQ_HOST_HELLO_TIMEOUT_MS * 1000 + 500000); /* silent ones */
}

int main(int argc, char **argv)
{
	uint64_t seconds = argc > 1 ? strtoull(argv[1], NULL, 10) : 600;
	uint64_t t0, next_attack[HOSTILE] = { 0 }, next_pause, seed = 0x50a;
	uint64_t fds[PAUSES + 1], rss[PAUSES + 1], calls = 0, wrongs = 0;
	uint64_t worst = 0, fds0;
	int worst_op = 0;
	pid_t goods[GOOD], attackers[HOSTILE] = { 0 };
	struct teeq_sw_stats st;
	int i, pauses = 0, status, kind = 0;

	hostile_watchdog((unsigned int)(seconds + 300));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(sh != MAP_FAILED);
	/* a small quarantine: what is flat must be able to look flat */
	setenv("ASAN_OPTIONS", "quarantine_size_mb=16:detect_leaks=1", 1);
	sw_fixture_start(&fx);
	unsetenv("ASAN_OPTIONS");
	fds0 = sw_fds();
	for (i = 0; i < GOOD; i++)
		goods[i] = hostile_spawn(soak_client_main, &sh->good[i]);

	t0 = t_now_ms();
	next_pause = t0 + seconds * 1000 / (PAUSES + 1);
	while (t_now_ms() - t0 < seconds * 1000) {
		watch_hangs();
		for (i = 0; i < HOSTILE; i++) {
			struct attack_arg a;

			if (t_now_ms() < next_attack[i])
				continue;
			if (attackers[i] > 0)
				hostile_reap(attackers[i], SIGKILL);
			a.kind = (enum attack_kind)(kind++ % ATTACK_KINDS);
			a.seed = test_rand(&seed);
			attackers[i] = hostile_spawn(attack_main, &a);
			fprintf(stderr, "soak: %llu: slot %d: %s\n",
				(unsigned long long)t_now_ms(), i,
				attack_names[a.kind]);
			__atomic_add_fetch(&sh->attacks[a.kind], 1,
					   __ATOMIC_RELAXED);
			next_attack[i] = t_now_ms() + ATTACK_MS;
		}
		if (t_now_ms() >= next_pause && pauses <= PAUSES) {
			quiesce(attackers);
			fds[pauses] = sw_fds();
			rss[pauses] = sw_rss_kb();
			fprintf(stderr,
				"soak: %llu s: teeq-sw idle with %llu fds, "
				"%llu KiB resident\n",
				(unsigned long long)(t_now_ms() - t0) / 1000,
				(unsigned long long)fds[pauses],
				(unsigned long long)rss[pauses]);
			pauses++;
			next_pause = t_now_ms() + seconds * 1000 / (PAUSES + 1);
			__atomic_store_n(&sh->pause, 0, __ATOMIC_RELEASE);
		}
		usleep(50000);
	}

	quiesce(attackers);
	fds[pauses] = sw_fds();
	rss[pauses] = sw_rss_kb();
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < GOOD; i++) {
		status = hostile_reap(goods[i], 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		calls += sh->good[i].calls;
		wrongs += sh->good[i].wrong;
		if (sh->good[i].worst_ms > worst) {
			worst = sh->good[i].worst_ms;
			worst_op = sh->good[i].worst_op;
		}
	}
	sw_fixture_stats(&fx, &st);

	printf("soak: %llu s, %d well-behaved clients: %llu calls, %llu wrong, "
	       "%llu hung, worst call %llu ms (%s)\n",
	       (unsigned long long)seconds, GOOD, (unsigned long long)calls,
	       (unsigned long long)wrongs, (unsigned long long)hung,
	       (unsigned long long)worst, ops[worst_op]);
	printf("soak: attacks:");
	for (i = 0; i < ATTACK_KINDS; i++)
		printf(" %s %llu%s", attack_names[i],
		       (unsigned long long)sh->attacks[i],
		       i + 1 < ATTACK_KINDS ? "," : "\n");
	printf("soak: teeq-sw: clients attached %llu, refused %llu, dropped "
	       "%llu, calls %llu\n",
	       (unsigned long long)st.clients_total,
	       (unsigned long long)st.clients_refused,
	       (unsigned long long)st.clients_dropped,
	       (unsigned long long)st.calls);
	printf("soak: teeq-sw idle: fds %llu at start",
	       (unsigned long long)fds0);
	for (i = 0; i <= pauses; i++)
		printf(", %llu", (unsigned long long)fds[i]);
	printf("; resident KiB");
	for (i = 0; i <= pauses; i++)
		printf(" %llu", (unsigned long long)rss[i]);
	printf("\n");

	CHECK_EQ(hung, 0);
	CHECK_EQ(wrongs, 0);
	CHECK(calls > 1000);
	/* the first pause is after warm-up (libraries open what they keep
	 * on first use): the same count from there on */
	for (i = 0; i <= pauses; i++)
		CHECK_EQ(fds[i], fds[0]);
	/* flat: the last within 10 % (or 8 MiB) of the first after warm-up */
	if (pauses >= 1)
		CHECK(rss[pauses] <=
		      rss[1] + (rss[1] / 10 > 8192 ? rss[1] / 10 : 8192));
	hostile_sw_term(&fx, 10000); /* exit 0: ASan found nothing */
	hostile_reap_orphans(2000);
	printf("soak: passed\n");
	return T_PASS;
}
