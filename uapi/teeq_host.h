/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Host mode: how a client process attaches to teeq-sw, the secure world
 * running as a process. A SOCK_SEQPACKET Unix socket carries only the
 * slow path; every call flows through the channel's rings.
 *
 *   client                                 teeq-sw
 *   HELLO + fds: region memfd,      --->   checks version, features, the
 *     nr_qpairs SQ doorbells,              memfd's seals and size, the
 *     nr_qpairs CQ doorbells               region header; records
 *     (eventfds)                           SO_PEERCRED
 *                                   <---   HELLO_REPLY (status, client id)
 *   ... calls through the rings ...
 *   REG_FD + fd (sealed memfd)      --->   maps it, assigns a buffer id
 *                                   <---   REG_FD_REPLY (status, buf_id)
 *   UNREG (buf_id)                  --->   <--- UNREG_REPLY
 *   STATS                           --->   <--- STATS_REPLY
 *
 * The socket also tells each side of the other's death: when it hangs up,
 * teeq-sw closes the client's sessions and frees its channel, and the
 * client fails every pending call with TEEQ_ERROR_TARGET_DEAD.
 *
 * Every message starts with struct teeq_host_hdr; a message of the wrong
 * size, type or magic gets the peer disconnected with a logged reason.
 * Replies carry a status: 0 or a negative errno.
 */
#ifndef TEEQ_UAPI_HOST_H
#define TEEQ_UAPI_HOST_H

#include "teeq_types.h"

#define TEEQ_HOST_MAGIC 0x4d485154u /* "TQHM" */
#define TEEQ_HOST_MAX_FDS (1 + 2 * 16)

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
	__u32 nr_qpairs; /* == region header nr_qpairs == doorbell pairs */
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

#ifndef __KERNEL__
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Where teeq-sw listens unless told otherwise: $TEEQ_SOCKET, else
 * $XDG_RUNTIME_DIR/teeq-sw.sock, else /tmp/teeq-<uid>/teeq-sw.sock.
 * Returns 0, or -1 if the path does not fit in @len.
 */
static inline int teeq_host_socket_path(char *buf, size_t len)
{
	const char *env = getenv("TEEQ_SOCKET");
	const char *run = getenv("XDG_RUNTIME_DIR");
	int n;

	if (env && *env)
		n = snprintf(buf, len, "%s", env);
	else if (run && *run)
		n = snprintf(buf, len, "%s/teeq-sw.sock", run);
	else
		n = snprintf(buf, len, "/tmp/teeq-%u/teeq-sw.sock",
			     (unsigned int)getuid());
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
#endif

TEEQ_PIN_SIZE(struct teeq_host_hdr, 16);
TEEQ_PIN_SIZE(struct teeq_host_hello, 40);
TEEQ_PIN_SIZE(struct teeq_host_hello_reply, 48);
TEEQ_PIN_SIZE(struct teeq_host_reg_fd_reply, 32);

#endif /* TEEQ_UAPI_HOST_H */
