// SPDX-License-Identifier: MIT
/*
 * Attaching to teeq-sw and serving its requests. The supplicant is the
 * normal world here, so it creates the region (a memfd sealed against
 * shrinking: the secure world maps it without fear of SIGBUS), as a client
 * creates its channel; teeq-sw validates it. Requests are served one at a
 * time, in order, each answered as soon as it is done.
 *
 * We trust no teeq-sw but a genuine one: the socket's directory must be
 * writable only by root or by us (so nobody else can have put a socket
 * there), and the peer must run as root or as us.
 */
#include "supplicant/serve.h"

#include "ring/host.h"
#include "ring/rpc_region.h"
#include "ring/wait.h"
#include "shm/memfd.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* How long teeq-sw may take to answer the handshake. */
#define SUPPL_HELLO_TIMEOUT_MS 5000
/* How often the serving loop looks at *stop while idle. */
#define SUPPL_IDLE_SLICE_NS 200000000ll

void suppl_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "teeq-supplicant[%d]: ", (int)getpid());
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Only root or we may be able to create entries in the socket's
 * directory; otherwise anyone could stand in for teeq-sw there. */
static int suppl_serve_dir_ok(const char *socket_path)
{
	char dir[PATH_MAX];
	struct stat st;

	if (ring_host_socket_dir(socket_path, dir, sizeof(dir)) ||
	    lstat(dir, &st) || !S_ISDIR(st.st_mode))
		return 0;
	return (st.st_uid == 0 || st.st_uid == geteuid()) &&
	       !(st.st_mode & (S_IWGRP | S_IWOTH));
}

static int suppl_serve_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd, err;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	if (!suppl_serve_dir_ok(path)) {
		suppl_log("%s: its directory must be root's or ours and not "
			  "writable by others",
			  path);
		return -EPERM;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		err = -errno;
		close(fd);
		return err;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    (cred.uid != 0 && cred.uid != geteuid())) {
		suppl_log("%s: served by uid %u, neither root nor us", path,
			  (unsigned)cred.uid);
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* What one attachment holds. */
struct suppl_conn {
	int sock, memfd, req_db, rsp_db;
	void *region;
	struct rpc_layout layout;
	struct ring req; /* consumer */
	struct ring rsp; /* producer */
};

static int suppl_serve_hello(struct suppl_conn *c)
{
	struct teeq_rpc_hello m = { .abi_version = TEEQ_RPC_ABI_VERSION,
				    .features = c->layout.features,
				    .region_size = c->layout.region_size };
	struct teeq_rpc_hello_reply r;
	int fds[3] = { c->memfd, c->req_db, c->rsp_db };
	char cbuf[CMSG_SPACE(sizeof(fds))];
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct pollfd pfd = { .fd = c->sock, .events = POLLIN };
	struct cmsghdr *cm;
	ssize_t n;

	m.hdr = (struct teeq_host_hdr){ .magic = TEEQ_RPC_SOCK_MAGIC,
					.type = TEEQ_RPC_HELLO,
					.len = sizeof(m),
					.seq = 1 };
	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	if (sendmsg(c->sock, &msg, MSG_NOSIGNAL) != sizeof(m))
		return -EPIPE;
	if (poll(&pfd, 1, SUPPL_HELLO_TIMEOUT_MS) != 1)
		return -ETIMEDOUT;
	n = recv(c->sock, &r, sizeof(r), 0);
	if (n != sizeof(r) || r.hdr.magic != TEEQ_RPC_SOCK_MAGIC ||
	    r.hdr.type != TEEQ_RPC_HELLO_REPLY || r.hdr.len != sizeof(r) ||
	    r.hdr.seq != 1)
		return -EPROTO;
	if (r.status)
		return r.status < 0 ? r.status : -EPROTO;
	if ((r.abi_version >> 16) != TEEQ_RPC_ABI_MAJOR)
		return -EPROTO;
	return 0;
}

static void suppl_conn_close(struct suppl_conn *c)
{
	if (c->region)
		shm_unmap(c->region, c->layout.region_size);
	if (c->memfd >= 0)
		close(c->memfd);
	if (c->req_db >= 0)
		close(c->req_db);
	if (c->rsp_db >= 0)
		close(c->rsp_db);
	if (c->sock >= 0)
		close(c->sock);
}

static int suppl_conn_open(struct suppl_conn *c,
			   const struct suppl_serve_opts *o)
{
	int ret;

	ret = rpc_region_plan(o->entries, o->window_size, TEEQ_RPC_FEAT_FS,
			      &c->layout);
	if (ret)
		return ret;
	c->memfd = shm_memfd_create("teeq-supplicant", c->layout.region_size);
	if (c->memfd < 0)
		return c->memfd;
	ret = shm_map(c->memfd, c->layout.region_size, &c->region);
	if (ret) {
		c->region = NULL;
		return ret;
	}
	ret = rpc_region_format(c->region, &c->layout);
	if (ret)
		return ret;
	ret = rpc_region_attach(c->region, &c->layout, &c->req, RING_CONSUMER,
				&c->rsp, RING_PRODUCER);
	if (ret)
		return ret;
	c->req_db = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	c->rsp_db = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->req_db < 0 || c->rsp_db < 0)
		return -errno;
	c->sock = suppl_serve_connect(o->socket_path);
	if (c->sock < 0)
		return c->sock;
	return suppl_serve_hello(c);
}

/* Serves requests until teeq-sw goes away; returns why we stopped. */
static const char *suppl_serve_loop(struct suppl_fs *fs, struct suppl_conn *c,
				    volatile sig_atomic_t *stop)
{
	struct ring_wait w;
	struct teeq_rpc_req req;
	struct teeq_rpc_rsp rsp;
	long n;

	ring_wait_init(&w, 0, c->req_db, c->sock);
	while (!*stop) {
		n = ring_wait_entries(&c->req, &w, 1, SUPPL_IDLE_SLICE_NS);
		if (n < 0)
			return ring_broken(&c->req) ? "bad request ring" :
						      "teeq-sw went away";
		if (n == 0)
			continue;
		/* one private copy, then the slot goes back */
		memcpy(&req, ring_cons_slot(&c->req, 0), sizeof(req));
		ring_cons_release(&c->req, 1);
		suppl_fs_request(fs, &req,
				 rpc_region_window(c->region, &c->layout,
						   req.tag),
				 c->layout.window_size, &rsp);
		/* the secure world has at most entries requests in flight,
		 * so a full reply ring means it broke the rule */
		if (ring_prod_space(&c->rsp, 1) < 1)
			return "teeq-sw overran the reply ring";
		rpc_region_put(&c->rsp, 0, &rsp, sizeof(rsp));
		if (ring_prod_commit(&c->rsp, 1))
			ring_doorbell(&c->rsp, c->rsp_db);
	}
	return "asked to stop";
}

int suppl_serve(struct suppl_fs *fs, const struct suppl_serve_opts *o,
		volatile sig_atomic_t *stop)
{
	struct suppl_conn c = {
		.sock = -1, .memfd = -1, .req_db = -1, .rsp_db = -1
	};
	const char *why;
	int ret;

	ret = suppl_conn_open(&c, o);
	if (ret) {
		suppl_conn_close(&c);
		return ret;
	}
	suppl_log("attached to %s: %u requests in flight, %u-byte windows",
		  o->socket_path, c.layout.entries, c.layout.window_size);
	why = suppl_serve_loop(fs, &c, stop);
	suppl_log("detached from %s: %s (%llu requests, %llu refused)",
		  o->socket_path, why, (unsigned long long)fs->requests,
		  (unsigned long long)fs->refused);
	/* the secure world that held them is gone */
	suppl_fs_reset(fs);
	suppl_conn_close(&c);
	return 1;
}
