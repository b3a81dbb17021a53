/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Host mode: how a client process attaches to teeq-sw, the secure world
 * running as a process. A SOCK_SEQPACKET Unix socket carries only the
 * slow path; every call flows through the channel's rings.
 *
 *   client                                 teeq-sw
 *   HELLO + fd: region memfd        --->   checks version, features, the
 *                                          memfd's seals and size, the
 *                                          region header, its capacity;
 *                                          records SO_PEERCRED
 *                                   <---   HELLO_REPLY (status, client id)
 *                                          + nr_qpairs doorbells
 *   ... calls through the rings ...
 *   REG_FD + fd (sealed memfd)      --->   maps it, assigns a buffer id
 *                                   <---   REG_FD_REPLY (status, buf_id)
 *   UNREG (buf_id)                  --->   <--- UNREG_REPLY
 *   STATS                           --->   <--- STATS_REPLY
 *
 * Doorbells. teeq-sw makes one SOCK_SEQPACKET socketpair per queue pair,
 * keeps one end and hands the other to the client with a successful
 * HELLO_REPLY. Either side rings the other by sending a one-byte message
 * on its end (MSG_DONTWAIT) and sleeps by polling its end; an empty
 * message, like end of file, says that the sender is gone. teeq-sw reads,
 * writes or waits on no file the client ever held: a file description
 * both hold is one that either could turn against the other (clear
 * O_NONBLOCK on it, fill it, drain it, or watch it from an epoll instance
 * whose lock it then holds, a lock that the last close of the file must
 * take). The memfds it takes from clients cannot be watched so. A full
 * socket buffer only means that wake-ups are pending.
 *
 * The socket also tells each side of the other's death: when it hangs up,
 * teeq-sw closes the client's sessions and frees its channel, and the
 * client fails every pending call with TEEQ_ERROR_TARGET_DEAD.
 *
 * Every message starts with struct teeq_host_hdr; a message of the wrong
 * size, type or magic gets the peer disconnected with a logged reason.
 * Replies carry a status: 0 or a negative errno. A HELLO past teeq-sw's
 * capacity is answered -EBUSY; a connection that has not sent its HELLO
 * within TEEQ_HOST_HELLO_TIMEOUT_MS is closed.
 */
#ifndef TEEQ_UAPI_HOST_H
#define TEEQ_UAPI_HOST_H

#include "teeq_types.h"

#define TEEQ_HOST_MAGIC 0x4d485154u /* "TQHM" */
/* descriptors in one message: the doorbells of a HELLO_REPLY */
#define TEEQ_HOST_MAX_FDS 16
#define TEEQ_HOST_HELLO_TIMEOUT_MS 3000

enum teeq_host_type {
	TEEQ_HOST_HELLO = 1,
	TEEQ_HOST_HELLO_REPLY = 2,
	TEEQ_HOST_REG_FD = 3,
	TEEQ_HOST_REG_FD_REPLY = 4,
	TEEQ_HOST_UNREG = 5,
	TEEQ_HOST_UNREG_REPLY = 6,
	TEEQ_HOST_STATS = 7,
	TEEQ_HOST_STATS_REPLY = 8,
};

struct teeq_host_hdr {
	__u32 magic;
	__u16 type; /* enum teeq_host_type */
	__u16 reserved; /* zero */
	__u32 len; /* bytes of the whole message, header included */
	__u32 seq; /* echoed in the reply */
};

struct teeq_host_hello {
	struct teeq_host_hdr hdr;
	__u32 abi_version; /* TEEQ_ABI_VERSION */
	__u32 nr_qpairs; /* == region header nr_qpairs */
	__u64 features; /* == region header features */
	__u64 region_size; /* == the memfd's size */
};

struct teeq_host_hello_reply {
	struct teeq_host_hdr hdr;
	__s32 status;
	__u32 abi_version;
	__u64 features; /* what teeq-sw supports */
	__u32 client_id;
	__u32 sw_pid;
	__u32 workers;
	__u32 reserved;
};

struct teeq_host_reg_fd {
	struct teeq_host_hdr hdr;
	__u32 flags; /* TEEQ_HOST_REG_* */
	__u32 reserved;
};

#define TEEQ_HOST_REG_READ (1u << 0) /* the secure side may read */
#define TEEQ_HOST_REG_WRITE (1u << 1) /* the secure side may write */

struct teeq_host_reg_fd_reply {
	struct teeq_host_hdr hdr;
	__s32 status;
	__u32 buf_id;
	__u64 size;
};

struct teeq_host_unreg {
	struct teeq_host_hdr hdr;
	__u32 buf_id;
	__u32 reserved;
};

struct teeq_host_status_reply {
	struct teeq_host_hdr hdr;
	__s32 status;
	__u32 reserved;
};

/* What teeq-sw reports about itself (teeq-sw --stats prints it). */
struct teeq_sw_stats {
	__u64 clients; /* attached now */
	__u64 clients_total; /* ever attached */
	__u64 clients_refused; /* bad handshakes */
	__u64 clients_dropped; /* disconnected for misbehaviour */
	__u64 sessions; /* open now, all clients */
	__u64 sessions_total;
	__u64 qpairs; /* served now */
	__u64 region_bytes; /* channel regions mapped now */
	__u64 heap_bytes; /* of which payload heaps */
	__u64 ext_buffers; /* registered fds mapped now */
	__u64 ext_bytes;
	__u64 calls; /* submission entries completed */
	__u64 doorbells_rung; /* completion doorbells written */
	__u64 worker_sleeps;
	/* calls handed to the call threads (commands that may wait) and not
	 * yet completed, of every client, closing ones included */
	__u64 calls_deferred;
	/* clients that hung up or were dropped and are not yet torn down:
	 * each waits for its deferred calls to see themselves cancelled */
	__u64 clients_closing;
	__u32 workers;
	__u32 pid;
};

struct teeq_host_stats_reply {
	struct teeq_host_hdr hdr;
	__s32 status;
	__u32 reserved;
	struct teeq_sw_stats stats;
};

#if !defined(__KERNEL__) && defined(_GNU_SOURCE)
/* User space (secure_getenv and SCM_RIGHTS need _GNU_SOURCE). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * Where teeq-sw listens unless told otherwise: $TEEQ_SOCKET, else
 * $XDG_RUNTIME_DIR/teeq-sw.sock, else /tmp/teeq-<euid>/teeq-sw.sock. The
 * environment is read with secure_getenv: a setuid or otherwise secure
 * program gets the default of its effective uid, whatever its caller set.
 * Returns 0, or -1 if the path does not fit in @len.
 */
static inline int teeq_host_socket_path(char *buf, size_t len)
{
	const char *env = secure_getenv("TEEQ_SOCKET");
	const char *run = secure_getenv("XDG_RUNTIME_DIR");
	int n;

	if (env && *env)
		n = snprintf(buf, len, "%s", env);
	else if (run && *run)
		n = snprintf(buf, len, "%s/teeq-sw.sock", run);
	else
		n = snprintf(buf, len, "/tmp/teeq-%u/teeq-sw.sock",
			     (unsigned int)geteuid());
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * Where a teeq daemon keeps its state unless told otherwise: $@env, else
 * /var/lib/teeq/@leaf as root, else $XDG_STATE_HOME/teeq/@leaf, else
 * ~/.local/state/teeq/@leaf. Returns 0, or -1 if there is none or it does
 * not fit in @len.
 */
static inline int teeq_host_state_path(const char *env, const char *leaf,
				       char *buf, size_t len)
{
	const char *dir = getenv(env);
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (dir && *dir)
		n = snprintf(buf, len, "%s", dir);
	else if (geteuid() == 0)
		n = snprintf(buf, len, "/var/lib/teeq/%s", leaf);
	else if (state && *state)
		n = snprintf(buf, len, "%s/teeq/%s", state, leaf);
	else if (home && *home)
		n = snprintf(buf, len, "%s/.local/state/teeq/%s", home, leaf);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * Sends one message of @len bytes (its header already filled) with @nr
 * descriptors. Never waits: a peer that does not read is the caller's to
 * time out. Returns 0 or -errno.
 */
static inline int teeq_host_sendmsg(int sock, const void *msg, size_t len,
				    const int *fds, int nr)
{
	char cbuf[CMSG_SPACE(sizeof(int) * TEEQ_HOST_MAX_FDS)];
	struct iovec iov = { (void *)msg, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nr < 0 || nr > TEEQ_HOST_MAX_FDS)
		return -EINVAL;
	if (nr) {
		struct cmsghdr *cm;

		memset(cbuf, 0, sizeof(cbuf));
		m.msg_control = cbuf;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nr);
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nr);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)nr);
	}
	n = sendmsg(sock, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EMSGSIZE;
}

/* Descriptors one message can carry (the kernel's SCM_MAX_FD): a receiver
 * takes them all, since those it has no room for the kernel releases in
 * the receiver's own context, and releasing a file can wait. */
#define TEEQ_HOST_RECV_FDS 253

/*
 * Receives one message into @buf and its descriptors (close-on-exec) into
 * @fds, which has room for TEEQ_HOST_RECV_FDS. Never waits. Returns the
 * message's length, 0 when the peer hung up, or -errno (-EMSGSIZE for a
 * message cut short). The *@nr descriptors are the caller's in every
 * case.
 */
static inline ssize_t teeq_host_recvmsg(int sock, void *buf, size_t len,
					int *fds, int *nr)
{
	char cbuf[CMSG_SPACE(sizeof(int) * TEEQ_HOST_RECV_FDS)];
	struct iovec iov = { buf, len };
	struct msghdr m = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	*nr = 0;
	n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
		size_t count;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (count > (size_t)(TEEQ_HOST_RECV_FDS - *nr))
			count = (size_t)(TEEQ_HOST_RECV_FDS - *nr);
		memcpy(fds + *nr, CMSG_DATA(cm), count * sizeof(int));
		*nr += (int)count;
	}
	if (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		return -EMSGSIZE;
	return n;
}
#endif

TEEQ_PIN_SIZE(struct teeq_host_hdr, 16);
TEEQ_PIN_SIZE(struct teeq_host_hello, 40);
TEEQ_PIN_SIZE(struct teeq_host_hello_reply, 48);
TEEQ_PIN_SIZE(struct teeq_host_reg_fd_reply, 32);

#endif /* TEEQ_UAPI_HOST_H */
