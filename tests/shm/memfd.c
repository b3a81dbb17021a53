// SPDX-License-Identifier: MIT
/* The memfd backing: created sealed against shrinking and growing, checked
 * by the receiver (an unsealed memfd or a plain file is refused), and the
 * same bytes are seen through two mappings in two processes. */
#include "shm/memfd.h"
#include "tests/check.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	uint64_t size = 0;
	void *a, *b;
	int fd, raw, status;
	pid_t pid;

	CHECK_EQ(shm_memfd_create("t", 0), -EINVAL);
	fd = shm_memfd_create("teeq-test", 1 << 16);
	CHECK(fd >= 0);
	CHECK_EQ(shm_memfd_check(fd, &size), 0);
	CHECK_EQ(size, 1 << 16);
	CHECK(ftruncate(fd, 4096) != 0); /* sealed: cannot shrink */
	CHECK_EQ(errno, EPERM);
	CHECK(ftruncate(fd, 1 << 20) != 0); /* nor grow */

	raw = memfd_create("unsealed", MFD_CLOEXEC);
	CHECK(raw >= 0);
	CHECK_EQ(ftruncate(raw, 4096), 0);
	CHECK_EQ(shm_memfd_check(raw, &size), -EPERM);
	close(raw);
	raw = open("/proc/self/exe", O_RDONLY);
	CHECK(raw >= 0);
	CHECK_EQ(shm_memfd_check(raw, &size), -EINVAL);
	close(raw);

	CHECK_EQ(shm_map(fd, 1 << 16, &a), 0);
	CHECK_EQ(shm_map(fd, 1 << 16, &b), 0);
	memset(a, 0x5a, 1 << 16);
	CHECK_EQ(((unsigned char *)b)[12345], 0x5a);

	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		void *c;

		if (shm_map(fd, 1 << 16, &c))
			_exit(2);
		((unsigned char *)c)[777] = 0xc3;
		_exit(((unsigned char *)c)[9999] == 0x5a ? 0 : 3);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
	CHECK_EQ(((unsigned char *)a)[777], 0xc3);
	shm_unmap(a, 1 << 16);
	shm_unmap(b, 1 << 16);
	close(fd);
	return T_PASS;
}
