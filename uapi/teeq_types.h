/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Fixed-width types for the teeq uapi headers, so that the same headers
 * compile in the Linux kernel, in Linux user space and in a secure OS that
 * only has a freestanding C compiler.
 */
#ifndef TEEQ_UAPI_TYPES_H
#define TEEQ_UAPI_TYPES_H

#if defined(__KERNEL__) || defined(__linux__)
#include <linux/types.h>
#else
#include <stdint.h>
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int32_t __s32;
typedef int64_t __s64;
#endif

#ifdef __cplusplus
#define TEEQ_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define TEEQ_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* Pin a struct member: TEEQ_PIN(struct teeq_sqe, user_data, 16). */
#define TEEQ_PIN(type, member, off)                                   \
	TEEQ_STATIC_ASSERT(__builtin_offsetof(type, member) == (off), \
			   #type "." #member " moved")
#define TEEQ_PIN_SIZE(type, size) \
	TEEQ_STATIC_ASSERT(sizeof(type) == (size), #type " changed size")

#endif /* TEEQ_UAPI_TYPES_H */
