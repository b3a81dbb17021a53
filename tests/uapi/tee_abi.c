// SPDX-License-Identifier: MIT
/*
 * The classic ioctl ABI in uapi/teeq_ioctl.h is binary-compatible with the
 * upstream <linux/tee.h> (from Debian's linux-libc-dev): same request
 * numbers, constants, struct sizes and member offsets. Checked at compile
 * time; the program only reports.
 */
#include "uapi/teeq_ioctl.h"

#include <linux/tee.h>
#include <stddef.h>
#include <stdio.h>

#define SAME(a, b) _Static_assert((a) == (b), #a " != " #b)
#define SAME_LAYOUT(ours, theirs, member)                                    \
	_Static_assert(offsetof(struct ours, member) ==                      \
				       offsetof(struct theirs, member) &&    \
			       sizeof(((struct ours *)0)->member) ==         \
				       sizeof(((struct theirs *)0)->member), \
		       #ours "." #member)

SAME(TEEQ_IOC_MAGIC, TEE_IOC_MAGIC);
SAME(TEEQ_IOC_BASE, TEE_IOC_BASE);
SAME(TEEQ_MAX_ARG_SIZE, TEE_MAX_ARG_SIZE);
SAME(TEEQ_GEN_CAP_GP, TEE_GEN_CAP_GP);
SAME(TEEQ_GEN_CAP_PRIVILEGED, TEE_GEN_CAP_PRIVILEGED);
SAME(TEEQ_GEN_CAP_REG_MEM, TEE_GEN_CAP_REG_MEM);
SAME(TEEQ_GEN_CAP_MEMREF_NULL, TEE_GEN_CAP_MEMREF_NULL);
SAME(TEEQ_MEMREF_NULL, TEE_MEMREF_NULL);
SAME(TEEQ_IMPL_ID_OPTEE, TEE_IMPL_ID_OPTEE);
SAME(TEEQ_IMPL_ID_AMDTEE, TEE_IMPL_ID_AMDTEE);

SAME(TEEQ_IOC_VERSION, TEE_IOC_VERSION);
SAME(TEEQ_IOC_SHM_ALLOC, TEE_IOC_SHM_ALLOC);
SAME(TEEQ_IOC_OPEN_SESSION, TEE_IOC_OPEN_SESSION);
SAME(TEEQ_IOC_INVOKE, TEE_IOC_INVOKE);
SAME(TEEQ_IOC_CANCEL, TEE_IOC_CANCEL);
SAME(TEEQ_IOC_CLOSE_SESSION, TEE_IOC_CLOSE_SESSION);
SAME(TEEQ_IOC_SUPPL_RECV, TEE_IOC_SUPPL_RECV);
SAME(TEEQ_IOC_SUPPL_SEND, TEE_IOC_SUPPL_SEND);
SAME(TEEQ_IOC_SHM_REGISTER, TEE_IOC_SHM_REGISTER);

SAME(TEEQ_IOCTL_PARAM_ATTR_TYPE_NONE, TEE_IOCTL_PARAM_ATTR_TYPE_NONE);
SAME(TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT,
     TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT);
SAME(TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT,
     TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT);
SAME(TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT,
     TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT);
SAME(TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT,
     TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT);
SAME(TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT,
     TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT);
SAME(TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT,
     TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT);
SAME(TEEQ_IOCTL_PARAM_ATTR_TYPE_MASK, TEE_IOCTL_PARAM_ATTR_TYPE_MASK);
SAME(TEEQ_IOCTL_PARAM_ATTR_META, TEE_IOCTL_PARAM_ATTR_META);
SAME(TEEQ_IOCTL_PARAM_ATTR_MASK, TEE_IOCTL_PARAM_ATTR_MASK);
SAME(TEEQ_IOCTL_LOGIN_PUBLIC, TEE_IOCTL_LOGIN_PUBLIC);
SAME(TEEQ_IOCTL_LOGIN_USER, TEE_IOCTL_LOGIN_USER);
SAME(TEEQ_IOCTL_LOGIN_GROUP, TEE_IOCTL_LOGIN_GROUP);
SAME(TEEQ_IOCTL_LOGIN_APPLICATION, TEE_IOCTL_LOGIN_APPLICATION);
SAME(TEEQ_IOCTL_LOGIN_USER_APPLICATION, TEE_IOCTL_LOGIN_USER_APPLICATION);
SAME(TEEQ_IOCTL_LOGIN_GROUP_APPLICATION, TEE_IOCTL_LOGIN_GROUP_APPLICATION);
SAME(TEEQ_IOCTL_LOGIN_REE_KERNEL_MIN, TEE_IOCTL_LOGIN_REE_KERNEL_MIN);
SAME(TEEQ_IOCTL_LOGIN_REE_KERNEL_MAX, TEE_IOCTL_LOGIN_REE_KERNEL_MAX);
SAME(TEEQ_IOCTL_LOGIN_REE_KERNEL, TEE_IOCTL_LOGIN_REE_KERNEL);
SAME(TEEQ_IOCTL_UUID_LEN, TEE_IOCTL_UUID_LEN);

SAME(sizeof(struct teeq_ioctl_version_data),
     sizeof(struct tee_ioctl_version_data));
SAME_LAYOUT(teeq_ioctl_version_data, tee_ioctl_version_data, impl_id);
SAME_LAYOUT(teeq_ioctl_version_data, tee_ioctl_version_data, impl_caps);
SAME_LAYOUT(teeq_ioctl_version_data, tee_ioctl_version_data, gen_caps);
SAME(sizeof(struct teeq_ioctl_shm_alloc_data),
     sizeof(struct tee_ioctl_shm_alloc_data));
SAME_LAYOUT(teeq_ioctl_shm_alloc_data, tee_ioctl_shm_alloc_data, size);
SAME_LAYOUT(teeq_ioctl_shm_alloc_data, tee_ioctl_shm_alloc_data, flags);
SAME_LAYOUT(teeq_ioctl_shm_alloc_data, tee_ioctl_shm_alloc_data, id);
SAME(sizeof(struct teeq_ioctl_buf_data), sizeof(struct tee_ioctl_buf_data));
SAME_LAYOUT(teeq_ioctl_buf_data, tee_ioctl_buf_data, buf_ptr);
SAME_LAYOUT(teeq_ioctl_buf_data, tee_ioctl_buf_data, buf_len);
SAME(sizeof(struct teeq_ioctl_param), sizeof(struct tee_ioctl_param));
SAME_LAYOUT(teeq_ioctl_param, tee_ioctl_param, attr);
SAME_LAYOUT(teeq_ioctl_param, tee_ioctl_param, a);
SAME_LAYOUT(teeq_ioctl_param, tee_ioctl_param, b);
SAME_LAYOUT(teeq_ioctl_param, tee_ioctl_param, c);
SAME(sizeof(struct teeq_ioctl_open_session_arg),
     sizeof(struct tee_ioctl_open_session_arg));
SAME_LAYOUT(teeq_ioctl_open_session_arg, tee_ioctl_open_session_arg, uuid);
SAME_LAYOUT(teeq_ioctl_open_session_arg, tee_ioctl_open_session_arg, clnt_uuid);
SAME_LAYOUT(teeq_ioctl_open_session_arg, tee_ioctl_open_session_arg,
	    clnt_login);
SAME_LAYOUT(teeq_ioctl_open_session_arg, tee_ioctl_open_session_arg, cancel_id);
SAME_LAYOUT(teeq_ioctl_open_session_arg, tee_ioctl_open_session_arg, session);
SAME_LAYOUT(teeq_ioctl_open_session_arg, tee_ioctl_open_session_arg, ret);
SAME_LAYOUT(teeq_ioctl_open_session_arg, tee_ioctl_open_session_arg,
	    ret_origin);
SAME_LAYOUT(teeq_ioctl_open_session_arg, tee_ioctl_open_session_arg,
	    num_params);
SAME(offsetof(struct teeq_ioctl_open_session_arg, params),
     offsetof(struct tee_ioctl_open_session_arg, params));
SAME(sizeof(struct teeq_ioctl_invoke_arg), sizeof(struct tee_ioctl_invoke_arg));
SAME_LAYOUT(teeq_ioctl_invoke_arg, tee_ioctl_invoke_arg, func);
SAME_LAYOUT(teeq_ioctl_invoke_arg, tee_ioctl_invoke_arg, session);
SAME_LAYOUT(teeq_ioctl_invoke_arg, tee_ioctl_invoke_arg, cancel_id);
SAME_LAYOUT(teeq_ioctl_invoke_arg, tee_ioctl_invoke_arg, ret);
SAME_LAYOUT(teeq_ioctl_invoke_arg, tee_ioctl_invoke_arg, ret_origin);
SAME_LAYOUT(teeq_ioctl_invoke_arg, tee_ioctl_invoke_arg, num_params);
SAME(offsetof(struct teeq_ioctl_invoke_arg, params),
     offsetof(struct tee_ioctl_invoke_arg, params));
SAME(sizeof(struct teeq_ioctl_cancel_arg), sizeof(struct tee_ioctl_cancel_arg));
SAME_LAYOUT(teeq_ioctl_cancel_arg, tee_ioctl_cancel_arg, cancel_id);
SAME_LAYOUT(teeq_ioctl_cancel_arg, tee_ioctl_cancel_arg, session);
SAME(sizeof(struct teeq_ioctl_close_session_arg),
     sizeof(struct tee_ioctl_close_session_arg));
SAME_LAYOUT(teeq_ioctl_close_session_arg, tee_ioctl_close_session_arg, session);
SAME(sizeof(struct teeq_ioctl_supp_recv_arg),
     sizeof(struct tee_iocl_supp_recv_arg));
SAME_LAYOUT(teeq_ioctl_supp_recv_arg, tee_iocl_supp_recv_arg, func);
SAME_LAYOUT(teeq_ioctl_supp_recv_arg, tee_iocl_supp_recv_arg, num_params);
SAME(sizeof(struct teeq_ioctl_supp_send_arg),
     sizeof(struct tee_iocl_supp_send_arg));
SAME_LAYOUT(teeq_ioctl_supp_send_arg, tee_iocl_supp_send_arg, ret);
SAME_LAYOUT(teeq_ioctl_supp_send_arg, tee_iocl_supp_send_arg, num_params);
SAME(sizeof(struct teeq_ioctl_shm_register_data),
     sizeof(struct tee_ioctl_shm_register_data));
SAME_LAYOUT(teeq_ioctl_shm_register_data, tee_ioctl_shm_register_data, addr);
SAME_LAYOUT(teeq_ioctl_shm_register_data, tee_ioctl_shm_register_data, length);
SAME_LAYOUT(teeq_ioctl_shm_register_data, tee_ioctl_shm_register_data, flags);
SAME_LAYOUT(teeq_ioctl_shm_register_data, tee_ioctl_shm_register_data, id);

int main(void)
{
	printf("teeq_ioctl.h matches <linux/tee.h>: 19 numbers, 29 constants, "
	       "10 structs\n");
	return 0;
}
