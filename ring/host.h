/* SPDX-License-Identifier: MIT */
/*
 * Host mode's meeting point, user space only: the Unix socket a teeq-sw
 * listens on (uapi/teeq_host.h has the protocol). libteeq, the benchmarks
 * and the tests all start teeq-sw their own way, and all wait for it here.
 */
#ifndef TEEQ_RING_HOST_H
#define TEEQ_RING_HOST_H

#include <stddef.h>
#include <sys/types.h>

/* The directory that holds socket @path, into @dir of @len bytes: "." for
 * a bare name, "/" for one at the root. 0, or -ENAMETOOLONG. */
int ring_host_socket_dir(const char *path, char *dir, size_t len);

/* A connection to the teeq-sw listening on @path: an fd, or -errno. */
int ring_host_connect(const char *path);

/*
 * Waits until a teeq-sw accepts connections on @path (the probe is closed
 * at once), for at most @timeout_ms. When @pid > 0 it is the teeq-sw just
 * started, a child of ours: if it exits meanwhile it is reaped and the
 * wait ends early. Returns 0, -ECHILD, or -ETIMEDOUT.
 */
int ring_host_await(const char *path, pid_t pid, unsigned int timeout_ms);

#endif /* TEEQ_RING_HOST_H */
