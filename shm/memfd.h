/* SPDX-License-Identifier: MIT */
/*
 * The region's backing in user space: a sealed memfd. The creator seals it
 * against shrinking, so a peer that maps it can never be hit by SIGBUS when
 * the creator truncates it; the receiver checks the seal and the size
 * before it maps.
 */
#ifndef TEEQ_SHM_MEMFD_H
#define TEEQ_SHM_MEMFD_H

#include <stddef.h>
#include <stdint.h>

/* A new memfd of @size bytes, sealed against shrink and grow. fd or -errno */
int shm_memfd_create(const char *name, uint64_t size);
/* Checks a memfd received from a peer: sealed against shrinking, and its
 * size. Returns 0 and the size in *@size, or -EPERM / -errno. */
int shm_memfd_check(int fd, uint64_t *size);
/* Maps @size bytes of @fd shared, read-write. 0 or -errno. */
int shm_map(int fd, uint64_t size, void **addr);
void shm_unmap(void *addr, uint64_t size);

#endif /* TEEQ_SHM_MEMFD_H */
