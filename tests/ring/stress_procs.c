// SPDX-License-Identifier: MIT
/* 10 million 64-byte entries between two processes through a ring in a
 * sealed memfd mapped by both: order, checksums, futex wake-ups across the
 * process boundary. */
#include "ring/ring.h"
#include "shm/memfd.h"
#include "tests/ring/stress.h"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	const __u32 entries = 256, esz = sizeof(struct stress_entry);
	size_t ring_len = ring_bytes(entries, esz);
	size_t len = 4096 + ring_len;
	struct stress_result prod_res = { 0 }, *cons_res;
	uint64_t total = test_scaled(10000000), size;
	struct ring r;
	void *map;
	int fd, status;
	pid_t pid;

	fd = shm_memfd_create("teeq-stress", len);
	CHECK(fd >= 0);
	CHECK_EQ(shm_memfd_check(fd, &size), 0);
	CHECK_EQ(size, len);
	CHECK_EQ(shm_map(fd, len, &map), 0);
	/* page 0: the consumer's result; then the ring */
	cons_res = map;
	memset(cons_res, 0, sizeof(*cons_res));
	CHECK_EQ(ring_format((char *)map + 4096, ring_len, entries, esz, 0), 0);

	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		/* the consumer maps the memfd again, as a peer would */
		void *peer;

		if (shm_map(fd, len, &peer) ||
		    ring_attach(&r, (char *)peer + 4096, ring_len, entries, esz,
				RING_CONSUMER))
			_exit(2);
		stress_consume(&r, total, peer);
		_exit(0);
	}
	CHECK_EQ(ring_attach(&r, (char *)map + 4096, ring_len, entries, esz,
			     RING_PRODUCER),
		 0);
	stress_produce(&r, total, &prod_res, cons_res);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	stress_report(&prod_res, cons_res, total);
	shm_unmap(map, len);
	close(fd);
	return T_PASS;
}
