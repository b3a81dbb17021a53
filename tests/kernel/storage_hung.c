// SPDX-License-Identifier: MIT
/*
 * Kernel-mode storage with a supplicant that is alive but does not answer:
 * it holds the node open and never takes a request. The first requests
 * wait for --supplicant-timeout-ms and fail; from then on teeq-sw takes
 * the supplicant as gone, as host mode detaches one, and storage calls
 * fail at once with STORAGE_NOT_AVAILABLE, but for one probe per timeout.
 * Eight threads make three storage calls each, on sessions of their own:
 * the requests that reach the node are at most the first wave's eight and
 * one probe per timeout elapsed, and most calls fail without waiting, for
 * a timeout or for the lock a probe holds: at least half of them end in
 * under half a timeout (were every call to wait its timeout, none would).
 * Once a real supplicant serves the node, a probe finds it and storage
 * works again.
 */
#include "tests/kernel/kstorage.h"

#define SH_TIMEOUT_MS 1000
#define SH_THREADS 8
#define SH_CALLS 3

struct sh_thread {
	int fd;
	uint32_t sess;
	int failed; /* calls that did not fail */
	int fast; /* calls that ended in under half a timeout */
};

static void *sh_main(void *arg)
{
	struct sh_thread *t = arg;
	char ids[256];
	uint32_t count;
	int i;

	for (i = 0; i < SH_CALLS; i++) {
		uint64_t t0 = t_now_ms();

		if (ks_list(t->fd, t->sess, ids, sizeof(ids), &count) ==
		    TEEQ_SUCCESS)
			t->failed++;
		t->fast += t_now_ms() - t0 < SH_TIMEOUT_MS / 2;
	}
	return NULL;
}

int main(void)
{
	const char *extra[] = { "--state-dir", ks_sw_dir,
				"--supplicant-timeout-ms", "1000", NULL };
	struct sh_thread t[SH_THREADS];
	struct teeq_swdev_stats st0, st1;
	pthread_t th[SH_THREADS];
	uint64_t t0, elapsed, requests, bound;
	uint32_t count;
	char ids[256];
	int fd, hung, i, fast = 0;

	ks_init("storage_hung");
	kt_sw_start_with(extra);
	fd = kt_open();
	for (i = 0; i < SH_THREADS; i++) {
		t[i].fd = fd;
		t[i].sess = kt_session(fd, &ks_storage_ta);
		t[i].failed = t[i].fast = 0;
	}
	hung = open(KS_PRIV, O_RDWR | O_CLOEXEC);
	CHECK(hung >= 0);

	kt_stats(&st0);
	t0 = t_now_ms();
	for (i = 0; i < SH_THREADS; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, sh_main, &t[i]), 0);
	for (i = 0; i < SH_THREADS; i++) {
		CHECK_EQ(pthread_join(th[i], NULL), 0);
		CHECK_EQ(t[i].failed, 0);
		fast += t[i].fast;
	}
	elapsed = t_now_ms() - t0;
	kt_stats(&st1);
	requests = st1.supp_requests - st0.supp_requests;
	bound = SH_THREADS + 1 + elapsed / SH_TIMEOUT_MS;
	printf("%d storage calls against a hung supplicant: %d ended in under "
	       "half a timeout; %llu requests reached it in %llu ms (at most "
	       "%llu allowed)\n",
	       SH_THREADS * SH_CALLS, fast, (unsigned long long)requests,
	       (unsigned long long)elapsed, (unsigned long long)bound);
	CHECK(requests >= 1);
	CHECK(requests <= bound);
	CHECK(fast >= SH_THREADS * SH_CALLS / 2);
	/* and at once now, long before a timeout */
	CHECK_EQ(ks_list(fd, t[0].sess, ids, sizeof(ids), &count),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);

	/* a supplicant that serves: a probe finds it */
	close(hung);
	ks_suppl_start();
	t0 = t_now_ms();
	while (ks_list(fd, t[0].sess, ids, sizeof(ids), &count) !=
	       TEEQ_SUCCESS) {
		CHECK(t_now_ms() - t0 < 20000);
		usleep(50000);
	}
	printf("storage back %llu ms after a supplicant came\n",
	       (unsigned long long)(t_now_ms() - t0));
	ks_suppl_kill();
	close(fd);
	return T_PASS;
}
