/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The few atomics the rings need, for the kernel and for user space.
 * Shared-memory words are plain __u32 so that the uapi headers stay free of
 * _Atomic; every access to one goes through these macros.
 */
#ifndef TEEQ_RING_ATOMICS_H
#define TEEQ_RING_ATOMICS_H

#ifdef __KERNEL__
#include <asm/barrier.h>
#include <asm/processor.h>
#include <linux/compiler.h>
#include <linux/prefetch.h>

#define teeq_load_acquire(p) smp_load_acquire(p)
#define teeq_store_release(p, v) smp_store_release(p, v)
#define teeq_load_relaxed(p) READ_ONCE(*(p))
#define teeq_store_relaxed(p, v) WRITE_ONCE(*(p), v)
#define teeq_smp_mb() smp_mb()
#define teeq_cpu_relax() cpu_relax()
#define teeq_prefetch_write(p) prefetchw(p)
#define teeq_likely(x) likely(x)
#define teeq_unlikely(x) unlikely(x)

#else /* user space, or a freestanding secure OS built with gcc/clang */

#define teeq_load_acquire(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define teeq_store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)
#define teeq_load_relaxed(p) __atomic_load_n(p, __ATOMIC_RELAXED)
#define teeq_store_relaxed(p, v) __atomic_store_n(p, v, __ATOMIC_RELAXED)
#if defined(__x86_64__)
/* A locked no-op on the top of the stack: a full barrier on x86, cheaper
 * than mfence (what the kernel's smp_mb() does too), and one that
 * ThreadSanitizer accepts. */
#define teeq_smp_mb() \
	__asm__ __volatile__("lock; orl $0, (%%rsp)" ::: "memory", "cc")
#else
#define teeq_smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#define teeq_likely(x) __builtin_expect(!!(x), 1)
#define teeq_unlikely(x) __builtin_expect(!!(x), 0)

#if defined(__x86_64__) || defined(__i386__)
#define teeq_cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define teeq_cpu_relax() __asm__ __volatile__("yield" ::: "memory")
#else
#define teeq_cpu_relax() __asm__ __volatile__("" ::: "memory")
#endif

/* Asks for the line at @p in a state a store can take at once (owned),
 * not shared as a plain prefetch leaves it: the store then waits for no
 * other core's copy to be invalidated. Only a hint; prefetchw decodes as
 * a no-op where it is not implemented. Written out because compilers
 * lower __builtin_prefetch(p, 1) to a read prefetch unless told the CPU
 * has prefetchw. */
#if defined(__x86_64__) || defined(__i386__)
#define teeq_prefetch_write(p) \
	__asm__("prefetchw %0" ::"m"(*(const unsigned char *)(p)))
#elif defined(__aarch64__)
#define teeq_prefetch_write(p) __asm__("prfm pstl1keep, %a0" ::"p"(p))
#else
#define teeq_prefetch_write(p) __builtin_prefetch(p, 1, 3)
#endif

/* Writes the cache line of @p back if it is dirty and drops it from every
 * cache, so that the next access to it, on any core, comes from memory.
 * clflush, not clflushopt: SSE2, so no CPU check. Nothing where there is
 * no such instruction. */
#if defined(__x86_64__) || defined(__i386__)
#define teeq_line_drop(p) \
	__asm__ __volatile__("clflush %0" ::"m"(*(const unsigned char *)(p)))
#elif defined(__aarch64__)
#define teeq_line_drop(p) \
	__asm__ __volatile__("dc civac, %0" ::"r"(p) : "memory")
#else
#define teeq_line_drop(p) ((void)(p))
#endif

#endif /* __KERNEL__ */

/*
 * ThreadSanitizer sees one process. A peer orders accesses to shared
 * memory through the rings, in another process: a secure world that hands
 * a completion back (release) and later takes a submission for the same
 * heap block (acquire) is ordered by the client in between, which
 * ThreadSanitizer cannot see. These name that order on one object per
 * channel; they cost nothing in other builds.
 */
#if defined(__SANITIZE_THREAD__)
#define TEEQ_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TEEQ_TSAN 1
#endif
#endif
#ifdef TEEQ_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
#define teeq_peer_acquire(addr) __tsan_acquire(addr)
#define teeq_peer_release(addr) __tsan_release(addr)
#else
#define teeq_peer_acquire(addr) ((void)(addr))
#define teeq_peer_release(addr) ((void)(addr))
#endif

#endif /* TEEQ_RING_ATOMICS_H */
