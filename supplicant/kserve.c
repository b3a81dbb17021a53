// SPDX-License-Identifier: MIT
/*
 * Serving the secure world through the teeq driver (kernel mode): the
 * file service of uapi/teeq_rpc.h, "Kernel mode", on the driver's
 * privileged node with the upstream supplicant semantics, one request at
 * a time: SUPPL_RECV, serve, SUPPL_SEND.
 *
 * The windows are our memory, as upstream's supplicant buffers are: one
 * page-aligned buffer registered on the node (TEEQ_IOC_SHM_REGISTER),
 * which the secure world maps through the driver and writes names and
 * data into in place. The driver holds the secure world to it; we check
 * every request again ourselves (its memref is ours and inside the
 * buffer, its words fit the fields they came from) before the file
 * service, which checks names and lengths against the window, sees it.
 */
#include "supplicant/kserve.h"

#include "uapi/teeq_ioctl.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* One SUPPL_RECV/SUPPL_SEND argument: the fixed words and room for
 * every parameter a request may carry. */
struct suppl_kserve_arg {
	union {
		struct teeq_ioctl_supp_recv_arg recv;
		struct teeq_ioctl_supp_send_arg send;
	};
	struct teeq_ioctl_param params[TEEQ_NUM_PARAMS];
};

/* What one attachment to the node holds. */
struct suppl_kconn {
	int fd, shm_fd, shm_id;
	unsigned char *buf;
	size_t buf_len;
	uint32_t entries, window_size;
};

static int suppl_kserve_open(struct suppl_kconn *c,
			     const struct suppl_kserve_opts *o)
{
	struct teeq_ioctl_version_data v;
	struct teeq_ioctl_shm_register_data reg;

	c->fd = open(o->device, O_RDWR | O_CLOEXEC);
	if (c->fd < 0)
		return -errno;
	if (ioctl(c->fd, TEEQ_IOC_VERSION, &v))
		return -errno;
	if (v.impl_id != TEEQ_IMPL_ID_TEEQ ||
	    !(v.gen_caps & TEEQ_GEN_CAP_PRIVILEGED) ||
	    !(v.gen_caps & TEEQ_GEN_CAP_REG_MEM)) {
		suppl_log("%s: not the teeq driver's privileged node",
			  o->device);
		return -EPROTO;
	}
	c->entries = o->entries;
	c->window_size = o->window_size;
	c->buf_len = (size_t)o->entries * o->window_size;
	c->buf = mmap(NULL, c->buf_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->buf == MAP_FAILED) {
		c->buf = NULL;
		return -errno;
	}
	reg = (struct teeq_ioctl_shm_register_data){ .addr = (uintptr_t)c->buf,
						     .length = c->buf_len };
	c->shm_fd = ioctl(c->fd, TEEQ_IOC_SHM_REGISTER, &reg);
	if (c->shm_fd < 0)
		return -errno;
	c->shm_id = reg.id;
	return 0;
}

static void suppl_kserve_close(struct suppl_kconn *c)
{
	if (c->shm_fd >= 0)
		close(c->shm_fd);
	if (c->buf)
		munmap(c->buf, c->buf_len);
	if (c->fd >= 0)
		close(c->fd);
}

static int suppl_kserve_is(const struct teeq_ioctl_param *p, uint64_t attr)
{
	return p->attr == attr;
}

/* TEEQ_RPC_KFUNC_SHM: a secure world (re)starts; it gets our buffer. */
static uint32_t suppl_kserve_shm(struct suppl_fs *fs, struct suppl_kconn *c,
				 uint32_t n, struct teeq_ioctl_param *p)
{
	if (n != TEEQ_RPC_KFUNC_SHM_PARAMS ||
	    !suppl_kserve_is(&p[0], TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT) ||
	    !suppl_kserve_is(&p[1], TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT))
		return TEEQ_ERROR_BAD_PARAMETERS;
	/* the handles an earlier secure world held are nobody's now */
	suppl_fs_reset(fs);
	p[0].a = (uint64_t)c->shm_id;
	p[0].b = c->window_size;
	p[0].c = c->entries;
	p[1].a = TEEQ_RPC_ABI_VERSION;
	p[1].b = TEEQ_RPC_FEAT_FS;
	p[1].c = 0;
	return TEEQ_SUCCESS;
}

/* TEEQ_RPC_KFUNC_FS: one file request, its words checked, served in its
 * window of our buffer. */
static uint32_t suppl_kserve_fs(struct suppl_fs *fs, struct suppl_kconn *c,
				uint32_t n, struct teeq_ioctl_param *p)
{
	struct teeq_rpc_req req = { 0 };
	struct teeq_rpc_rsp rsp;

	if (n != TEEQ_RPC_KFUNC_FS_PARAMS ||
	    !suppl_kserve_is(&p[0], TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT) ||
	    !suppl_kserve_is(&p[1], TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT) ||
	    !suppl_kserve_is(&p[2], TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT))
		return TEEQ_ERROR_BAD_PARAMETERS;
	/* the window: ours, inside the buffer (overflow-safe) */
	if (p[2].c != (uint64_t)c->shm_id || p[2].a > c->buf_len ||
	    p[2].b > c->buf_len - p[2].a || p[2].b > UINT32_MAX)
		return TEEQ_ERROR_BAD_PARAMETERS;
	/* every word fits the field it came from */
	if (p[0].a > UINT32_MAX || p[1].a > UINT32_MAX || p[1].b > UINT32_MAX ||
	    p[1].c)
		return TEEQ_ERROR_BAD_PARAMETERS;
	req.opcode = (uint16_t)p[0].a;
	req.flags = (uint16_t)(p[0].a >> 16);
	req.handle = p[0].b;
	req.offset = p[0].c;
	req.len = (uint32_t)p[1].a;
	req.name_len = (uint16_t)p[1].b;
	req.name2_len = (uint16_t)(p[1].b >> 16);
	suppl_fs_request(fs, &req, c->buf + p[2].a, (uint32_t)p[2].b, &rsp);
	p[0].a = (uint32_t)rsp.status;
	p[0].b = rsp.handle;
	p[0].c = rsp.value;
	p[1].a = 0;
	p[1].b = rsp.flags;
	p[1].c = 0;
	p[2].b = rsp.len;
	return TEEQ_SUCCESS;
}

/* Serves until *@stop; returns why it stopped. */
static const char *suppl_kserve_loop(struct suppl_fs *fs, struct suppl_kconn *c,
				     const struct suppl_kserve_opts *o,
				     volatile sig_atomic_t *stop)
{
	struct suppl_kserve_arg arg;
	struct teeq_ioctl_buf_data buf = { .buf_ptr = (uintptr_t)&arg,
					   .buf_len = sizeof(arg) };
	uint32_t n, ret;

	while (!*stop) {
		memset(&arg, 0, sizeof(arg));
		arg.recv.num_params = TEEQ_NUM_PARAMS;
		buf.buf_len = sizeof(arg);
		/* a signal interrupts the wait (no SA_RESTART) */
		if (ioctl(c->fd, TEEQ_IOC_SUPPL_RECV, &buf)) {
			if (errno == EINTR)
				continue;
			return strerror(errno);
		}
		n = arg.recv.num_params;
		if (n > TEEQ_NUM_PARAMS)
			return "the driver sent more parameters than asked for";
		switch (arg.recv.func) {
		case TEEQ_RPC_KFUNC_SHM:
			ret = suppl_kserve_shm(fs, c, n, arg.params);
			break;
		case TEEQ_RPC_KFUNC_FS:
			ret = suppl_kserve_fs(fs, c, n, arg.params);
			break;
		default:
			ret = TEEQ_ERROR_NOT_SUPPORTED;
			break;
		}
		if (ret != TEEQ_SUCCESS)
			fs->refused++;
		arg.send.ret = ret;
		arg.send.num_params = n;
		buf.buf_len = sizeof(arg.send) + n * sizeof(arg.params[0]);
		/* EBADF: its requester gave up meanwhile; nothing is owed */
		if (ioctl(c->fd, TEEQ_IOC_SUPPL_SEND, &buf) && o->verbose)
			suppl_log("answer refused: %s", strerror(errno));
	}
	return "asked to stop";
}

int suppl_kserve(struct suppl_fs *fs, const struct suppl_kserve_opts *o,
		 volatile sig_atomic_t *stop)
{
	struct suppl_kconn c = { .fd = -1, .shm_fd = -1 };
	const char *why;
	int ret;

	ret = suppl_kserve_open(&c, o);
	if (ret) {
		suppl_kserve_close(&c);
		return ret;
	}
	suppl_log("serving the secure world through %s: %u requests in "
		  "flight, %u-byte windows",
		  o->device, c.entries, c.window_size);
	why = suppl_kserve_loop(fs, &c, o, stop);
	suppl_log("stopped serving %s: %s (%llu requests, %llu refused)",
		  o->device, why, (unsigned long long)fs->requests,
		  (unsigned long long)fs->refused);
	suppl_fs_reset(fs);
	suppl_kserve_close(&c);
	return 1;
}
