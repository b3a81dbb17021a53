// SPDX-License-Identifier: MIT
/*
 * teeq-sw's Unix socket, which both attachments serve: host mode's
 * clients attach there, and in kernel mode it answers statistics only.
 * Listening on it takes a directory fit for it and a lock that says one
 * teeq-sw per socket; messages on it never wait.
 */
#include "secure/attach/attach.h"

#include "ring/host.h"
#include "ring/wait.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static uint64_t sw_socket_now_ms(void)
{
	return ring_now_ns() / 1000000;
}

/* Sends a message with @nr descriptors; never waits (a client that does
 * not read its replies loses them, and then its connection). */
int sw_socket_send(int sock, void *msg, size_t len, uint16_t type, uint32_t seq,
		   const int *fds, int nr)
{
	struct teeq_host_hdr *hdr = msg;

	hdr->magic = TEEQ_HOST_MAGIC;
	hdr->type = type;
	hdr->reserved = 0;
	hdr->len = (uint32_t)len;
	hdr->seq = seq;
	return teeq_host_sendmsg(sock, msg, len, fds, nr) ? -EPIPE : 0;
}

/*
 * Is @dir fit to hold our socket? A real directory (lstat: not a symlink
 * to one), owned by us or root, in which nobody else may create or replace
 * entries: no group or other write permission, unless sticky (as /tmp).
 * Otherwise whoever made it could swap our socket for theirs, or have
 * made it first (for /tmp/teeq-<uid> when XDG_RUNTIME_DIR is unset).
 */
static int sw_socket_dir_ok(struct sw_host *h, const char *dir)
{
	struct stat st;

	if (lstat(dir, &st)) {
		sw_log(h, 0, "socket directory %s: %s", dir, strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode) ||
	    (st.st_uid != geteuid() && st.st_uid != 0) ||
	    ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))) {
		sw_log(h, 0,
		       "socket directory %s is not ours alone (owner %u, mode "
		       "%04o): refusing to serve in it",
		       dir, (unsigned)st.st_uid,
		       (unsigned)(st.st_mode & 07777));
		return -EACCES;
	}
	return 0;
}

/* Does a teeq-sw accept connections on @path? (Asked without waiting.) */
static int sw_socket_connectable(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK,
			0);
	int ok;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	ok = fd >= 0 && (!connect(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
			 errno == EAGAIN); /* a full backlog: busy, but there */
	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * One teeq-sw per socket: the lock, a file next to it, is held for our
 * lifetime. It is opened without following a symlink someone planted, and
 * must be a file of ours. A teeq-sw on its way out (idle) holds it a few
 * moments after it stopped listening: for that one we wait, not for one
 * that still serves.
 */
static int sw_socket_lock(struct sw_host *h)
{
	char path[sizeof(h->opts.socket_path) + 8];
	uint64_t t0 = sw_socket_now_ms();
	struct timespec step = { 0, 10000000 };
	struct stat st;

	snprintf(path, sizeof(path), "%s.lock", h->opts.socket_path);
	h->lock_fd =
		open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (h->lock_fd < 0 || fstat(h->lock_fd, &st) || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid()) {
		sw_log(h, 0, "lock file %s is not a file of ours: %s", path,
		       h->lock_fd < 0 ? strerror(errno) : "refusing it");
		return -EACCES;
	}
	while (flock(h->lock_fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK)
			return -errno;
		if (sw_socket_connectable(h->opts.socket_path) ||
		    sw_socket_now_ms() - t0 > SW_LOCK_WAIT_MS) {
			sw_log(h, 0, "another teeq-sw serves %s",
			       h->opts.socket_path);
			return -EADDRINUSE;
		}
		nanosleep(&step, NULL);
	}
	return 0;
}

int sw_socket_listen(struct sw_host *h)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char dir[sizeof(addr.sun_path)];
	int fd, ret;

	if (ring_host_socket_dir(h->opts.socket_path, dir, sizeof(dir))) {
		sw_log(h, 0, "socket path too long: %s", h->opts.socket_path);
		return -ENAMETOOLONG;
	}
	strcpy(addr.sun_path, h->opts.socket_path);
	if (mkdir(dir, 0700) && errno != EEXIST) {
		sw_log(h, 0, "cannot make %s: %s", dir, strerror(errno));
		return -errno;
	}
	ret = sw_socket_dir_ok(h, dir);
	if (!ret)
		ret = sw_socket_lock(h);
	if (ret)
		return ret;
	unlink(h->opts.socket_path); /* stale: its owner no longer holds the lock */
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(fd, SW_LISTEN_BACKLOG)) {
		ret = -errno;
		sw_log(h, 0, "cannot listen on %s: %s", h->opts.socket_path,
		       strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	h->listen_fd = fd;
	return 0;
}

/* Nobody new from here on: a client that finds no socket starts another
 * teeq-sw, which waits for our lock (sw_socket_unlock(), last). */
void sw_socket_close(struct sw_host *h)
{
	if (h->listen_fd < 0)
		return;
	unlink(h->opts.socket_path);
	close(h->listen_fd);
	h->listen_fd = -1;
}

void sw_socket_unlock(struct sw_host *h)
{
	if (h->lock_fd >= 0)
		close(h->lock_fd);
	h->lock_fd = -1;
}
