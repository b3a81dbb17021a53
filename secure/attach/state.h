/* SPDX-License-Identifier: MIT */
/*
 * teeq-sw's secure state in host mode: a directory only teeq-sw's user can
 * read (root's, as a system service) that holds the storage key and the
 * storage core's rollback anchors. It stands in for what a real TEE keeps
 * in fuses and RPMB; host mode has no hardware root of trust, and whoever
 * can read this directory can read the secure world's storage.
 */
#ifndef TEEQ_SECURE_STATE_H
#define TEEQ_SECURE_STATE_H

#include <stddef.h>
#include <stdint.h>

#define SW_STATE_KEY_LEN 32
/* The largest anchor record kept. */
#define SW_STATE_ANCHOR_MAX 256

struct sw_state {
	int dirfd; /* the state directory */
	int anchors_fd; /* its anchors/ subdirectory */
	uint8_t key[SW_STATE_KEY_LEN];
};

/*
 * Opens the state directory @path, creating it (mode 0700) and the storage
 * key (32 random bytes, mode 0400) on first use. The directory must be
 * ours and private, the key a regular file of ours that nobody else may
 * read. 0, or -errno with *@why saying what is wrong.
 */
int sw_state_open(struct sw_state *s, const char *path, const char **why);
void sw_state_close(struct sw_state *s);

/* The anchors of struct storage_platform, @arg a struct sw_state. Each
 * is a file of two slots written in turn, so a write torn by a crash
 * leaves the record before it; a write is durable when it returns. */
int sw_state_anchor_read(void *arg, const char *name, void *buf, size_t len);
int sw_state_anchor_write(void *arg, const char *name, const void *buf,
			  size_t len);

#endif /* TEEQ_SECURE_STATE_H */
