/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The classic TEE ioctl ABI of /dev/teeq0, binary-compatible with the
 * upstream Linux include/uapi/linux/tee.h (v6.1): magic 0xa4, the same
 * request numbers, struct layouts and constants, so GlobalPlatform client
 * libraries built for the upstream TEE subsystem work unchanged. Written
 * from the ABI's specification; names carry a TEEQ_ prefix so this header
 * can be included beside <linux/tee.h> (tests/uapi/tee_abi.c compares the
 * two member by member).
 *
 * The variable-size requests (open session, invoke, supplicant) pass a
 * struct teeq_ioctl_buf_data whose buf_ptr points at the argument struct
 * followed by num_params struct teeq_ioctl_param.
 */
#ifndef TEEQ_UAPI_IOCTL_H
#define TEEQ_UAPI_IOCTL_H

#include "teeq_types.h"
#if defined(__KERNEL__) || defined(__linux__)
#include <linux/ioctl.h>
#endif

#define TEEQ_IOC_MAGIC 0xa4
#define TEEQ_IOC_BASE 0

/* Upper bound of the argument buffer of one request, in bytes. */
#define TEEQ_MAX_ARG_SIZE 1024

/* tee_ioctl_version_data.gen_caps */
#define TEEQ_GEN_CAP_GP (1 << 0) /* GlobalPlatform compliant TEE */
#define TEEQ_GEN_CAP_PRIVILEGED (1 << 1) /* device for the supplicant */
#define TEEQ_GEN_CAP_REG_MEM (1 << 2) /* can register user memory */
#define TEEQ_GEN_CAP_MEMREF_NULL (1 << 3) /* NULL memref supported */

/*
 * teeq's own capabilities (tee_ioctl_version_data.impl_caps of
 * TEEQ_IMPL_ID_TEEQ); the extensions they name are refused by the upstream
 * subsystem, so a client learns which kernel it talks to.
 */
#define TEEQ_IMPL_CAP_TEMP_MEMREF (1 << 0) /* TEEQ_IOCTL_PARAM_ATTR_TEMP */
#define TEEQ_IMPL_CAP_REGISTER_FD (1 << 1) /* TEEQ_IOC_SHM_REGISTER_FD */
#define TEEQ_IMPL_CAP_URING_CMD (1 << 2) /* uapi/teeq_uring.h */

/* A memref param whose shm id is this is a NULL memref. */
#define TEEQ_MEMREF_NULL ((__u64)(-1))

/* tee_ioctl_version_data.impl_id: upstream ids 1 (OP-TEE), 2 (AMD-TEE);
 * teeq reports its own, outside the range upstream uses. */
#define TEEQ_IMPL_ID_OPTEE 1
#define TEEQ_IMPL_ID_AMDTEE 2
#define TEEQ_IMPL_ID_TEEQ 0x7165 /* "eq" */

struct teeq_ioctl_version_data {
	__u32 impl_id;
	__u32 impl_caps;
	__u32 gen_caps;
};

struct teeq_ioctl_shm_alloc_data {
	__u64 size; /* in: requested size; out: allocated size */
	__u32 flags; /* in: must be 0; out: flags of the shm */
	__s32 id; /* out: shm id */
};

struct teeq_ioctl_buf_data {
	__u64 buf_ptr; /* user pointer to the argument struct */
	__u64 buf_len; /* its length in bytes, <= TEEQ_MAX_ARG_SIZE */
};

/* tee_ioctl_param.attr */
#define TEEQ_IOCTL_PARAM_ATTR_TYPE_NONE 0
#define TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT 1
#define TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT 2
#define TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT 3
#define TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT 5
#define TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT 6
#define TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT 7
#define TEEQ_IOCTL_PARAM_ATTR_TYPE_MASK 0xff
#define TEEQ_IOCTL_PARAM_ATTR_META 0x100
#define TEEQ_IOCTL_PARAM_ATTR_MASK \
	(TEEQ_IOCTL_PARAM_ATTR_TYPE_MASK | TEEQ_IOCTL_PARAM_ATTR_META)
/*
 * teeq extension (TEEQ_IMPL_CAP_TEMP_MEMREF), outside the upstream mask: a
 * MEMREF_* parameter with this bit is a temporary memref. a is the
 * caller's address, b the size, c must be 0. The driver copies the bytes
 * into memory the secure side reaches before the call (INPUT, INOUT) and
 * back after it (OUTPUT, INOUT: the size the trusted app produced, at most
 * b), and reports the produced or needed size in b.
 */
#define TEEQ_IOCTL_PARAM_ATTR_TEMP 0x200

/* Login methods (clnt_login). */
#define TEEQ_IOCTL_LOGIN_PUBLIC 0
#define TEEQ_IOCTL_LOGIN_USER 1
#define TEEQ_IOCTL_LOGIN_GROUP 2
#define TEEQ_IOCTL_LOGIN_APPLICATION 4
#define TEEQ_IOCTL_LOGIN_USER_APPLICATION 5
#define TEEQ_IOCTL_LOGIN_GROUP_APPLICATION 6
#define TEEQ_IOCTL_LOGIN_REE_KERNEL_MIN 0x80000000
#define TEEQ_IOCTL_LOGIN_REE_KERNEL_MAX 0xBFFFFFFF
#define TEEQ_IOCTL_LOGIN_REE_KERNEL 0x80000000

/*
 * One parameter. Value: a, b, c are the values. Memref: a is the offset
 * into the shm, b the size, c the shm id (TEEQ_MEMREF_NULL for NULL).
 */
struct teeq_ioctl_param {
	__u64 attr;
	__u64 a;
	__u64 b;
	__u64 c;
};

#define TEEQ_IOCTL_UUID_LEN 16

struct teeq_ioctl_open_session_arg {
	__u8 uuid[TEEQ_IOCTL_UUID_LEN];
	__u8 clnt_uuid[TEEQ_IOCTL_UUID_LEN];
	__u32 clnt_login;
	__u32 cancel_id;
	__u32 session;
	__u32 ret;
	__u32 ret_origin;
	__u32 num_params;
	struct teeq_ioctl_param params[];
};

struct teeq_ioctl_invoke_arg {
	__u32 func;
	__u32 session;
	__u32 cancel_id;
	__u32 ret;
	__u32 ret_origin;
	__u32 num_params;
	struct teeq_ioctl_param params[];
};

struct teeq_ioctl_cancel_arg {
	__u32 cancel_id;
	__u32 session;
};

struct teeq_ioctl_close_session_arg {
	__u32 session;
};

/* Upstream spells this struct "tee_iocl_supp_recv_arg"; layout is what
 * matters. */
struct teeq_ioctl_supp_recv_arg {
	__u32 func;
	__u32 num_params;
	struct teeq_ioctl_param params[];
};

struct teeq_ioctl_supp_send_arg {
	__u32 ret;
	__u32 num_params;
	struct teeq_ioctl_param params[];
};

struct teeq_ioctl_shm_register_data {
	__u64 addr;
	__u64 length;
	__u32 flags;
	__s32 id;
};

/*
 * teeq extension (TEEQ_IMPL_CAP_REGISTER_FD): register a dma-buf (a DRM
 * driver's PRIME export, say) so the secure side uses it in place. The
 * layout and request number are those of the OP-TEE vendor trees'
 * TEE_IOC_SHM_REGISTER_FD. in: fd, flags (must be 0); out: size (the
 * dma-buf's), id. Returns an fd that owns the registration, as
 * TEEQ_IOC_SHM_REGISTER does; closing it unregisters.
 */
struct teeq_ioctl_shm_register_fd_data {
	__s64 fd;
	__u64 size;
	__u32 flags;
	__s32 id;
} __attribute__((aligned(8)));

#define TEEQ_IOC_VERSION \
	_IOR(TEEQ_IOC_MAGIC, TEEQ_IOC_BASE + 0, struct teeq_ioctl_version_data)
#define TEEQ_IOC_SHM_ALLOC                       \
	_IOWR(TEEQ_IOC_MAGIC, TEEQ_IOC_BASE + 1, \
	      struct teeq_ioctl_shm_alloc_data)
#define TEEQ_IOC_OPEN_SESSION \
	_IOR(TEEQ_IOC_MAGIC, TEEQ_IOC_BASE + 2, struct teeq_ioctl_buf_data)
#define TEEQ_IOC_INVOKE \
	_IOR(TEEQ_IOC_MAGIC, TEEQ_IOC_BASE + 3, struct teeq_ioctl_buf_data)
#define TEEQ_IOC_CANCEL \
	_IOR(TEEQ_IOC_MAGIC, TEEQ_IOC_BASE + 4, struct teeq_ioctl_cancel_arg)
#define TEEQ_IOC_CLOSE_SESSION                  \
	_IOR(TEEQ_IOC_MAGIC, TEEQ_IOC_BASE + 5, \
	     struct teeq_ioctl_close_session_arg)
#define TEEQ_IOC_SUPPL_RECV \
	_IOR(TEEQ_IOC_MAGIC, TEEQ_IOC_BASE + 6, struct teeq_ioctl_buf_data)
#define TEEQ_IOC_SUPPL_SEND \
	_IOR(TEEQ_IOC_MAGIC, TEEQ_IOC_BASE + 7, struct teeq_ioctl_buf_data)
#define TEEQ_IOC_SHM_REGISTER                    \
	_IOWR(TEEQ_IOC_MAGIC, TEEQ_IOC_BASE + 9, \
	      struct teeq_ioctl_shm_register_data)

#define TEEQ_IOC_SHM_REGISTER_FD                 \
	_IOWR(TEEQ_IOC_MAGIC, TEEQ_IOC_BASE + 8, \
	      struct teeq_ioctl_shm_register_fd_data)

TEEQ_PIN_SIZE(struct teeq_ioctl_version_data, 12);
TEEQ_PIN_SIZE(struct teeq_ioctl_shm_alloc_data, 16);
TEEQ_PIN_SIZE(struct teeq_ioctl_buf_data, 16);
TEEQ_PIN_SIZE(struct teeq_ioctl_param, 32);
TEEQ_PIN_SIZE(struct teeq_ioctl_open_session_arg, 56);
TEEQ_PIN(struct teeq_ioctl_open_session_arg, clnt_login, 32);
TEEQ_PIN(struct teeq_ioctl_open_session_arg, num_params, 52);
TEEQ_PIN(struct teeq_ioctl_open_session_arg, params, 56);
TEEQ_PIN_SIZE(struct teeq_ioctl_invoke_arg, 24);
TEEQ_PIN(struct teeq_ioctl_invoke_arg, params, 24);
TEEQ_PIN_SIZE(struct teeq_ioctl_cancel_arg, 8);
TEEQ_PIN_SIZE(struct teeq_ioctl_close_session_arg, 4);
TEEQ_PIN_SIZE(struct teeq_ioctl_supp_recv_arg, 8);
TEEQ_PIN_SIZE(struct teeq_ioctl_supp_send_arg, 8);
TEEQ_PIN_SIZE(struct teeq_ioctl_shm_register_data, 24);
TEEQ_PIN_SIZE(struct teeq_ioctl_shm_register_fd_data, 24);

#endif /* TEEQ_UAPI_IOCTL_H */
