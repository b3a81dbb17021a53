// SPDX-License-Identifier: MIT
#include "host.h"

#include "wait.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How often a starting teeq-sw is looked at: it binds within a few ms. */
#define RING_HOST_POLL_NS 2000000l

int ring_host_socket_dir(const char *path, char *dir, size_t len)
{
	char *slash;

	if (strlen(path) >= len || len < 2)
		return -ENAMETOOLONG;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = 0;
	else
		*slash = 0;
	return 0;
}

int ring_host_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int ring_host_await(const char *path, pid_t pid, unsigned int timeout_ms)
{
	const struct timespec step = { 0, RING_HOST_POLL_NS };
	uint64_t deadline = ring_now_ns() + (uint64_t)timeout_ms * 1000000;
	int fd, status;

	for (;;) {
		fd = ring_host_connect(path);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		if (pid > 0 && waitpid(pid, &status, WNOHANG) == pid)
			return -ECHILD;
		if (ring_now_ns() >= deadline)
			return -ETIMEDOUT;
		nanosleep(&step, NULL);
	}
}
