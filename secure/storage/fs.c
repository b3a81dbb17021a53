// SPDX-License-Identifier: MIT
/*
 * The supplicant's file service (uapi/teeq_rpc.h) in whole files: read
 * one, write one atomically, remove one, list some. Files are moved in
 * pieces of at most one window.
 *
 * The supplicant is hostile: its statuses are folded into the codes the
 * protocol names, its sizes are bounded by what we asked for (the platform
 * has checked each reply's length against its window), and a listing must
 * move forward or it ends.
 */
#include "secure/storage/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* More names than any namespace can have: a listing past it is a lie. */
#define STORAGE_FS_LIST_MAX (16u * STORAGE_NS_OBJECTS_MAX)

static int storage_fs_call(struct teeq_rpc_req *req, const void *in,
			   uint32_t in_len, void *out, uint32_t out_cap,
			   struct teeq_rpc_rsp *rsp)
{
	const struct storage_platform *p = &storage_st.plat;
	int ret;

	ret = p->rpc(p->arg, req, in, in_len, out, out_cap, rsp);
	if (ret == -ENODEV)
		return STORAGE_FS_UNAVAILABLE;
	if (ret)
		return STORAGE_FS_UNKNOWN;
	return teeq_rpc_status_known(rsp->status) ? rsp->status : -TEEQ_RPC_EIO;
}

static uint32_t storage_fs_window(void)
{
	const struct storage_platform *p = &storage_st.plat;

	return p->window(p->arg);
}

static void storage_fs_close(uint64_t handle, uint16_t flags)
{
	struct teeq_rpc_req req = { .opcode = TEEQ_RPC_FS_CLOSE,
				    .flags = flags,
				    .handle = handle };
	struct teeq_rpc_rsp rsp;

	storage_fs_call(&req, NULL, 0, NULL, 0, &rsp);
}

int storage_fs_read_file(const char *name, unsigned char **buf, size_t *len,
			 size_t max)
{
	struct teeq_rpc_req req = { .opcode = TEEQ_RPC_FS_OPEN };
	uint32_t window = storage_fs_window();
	struct teeq_rpc_rsp rsp;
	uint64_t handle, size, off = 0;
	unsigned char *data;
	int ret;

	if (!window)
		return STORAGE_FS_UNAVAILABLE;
	req.name_len = (uint16_t)strlen(name);
	ret = storage_fs_call(&req, name, req.name_len, NULL, 0, &rsp);
	if (ret)
		return ret;
	handle = rsp.handle;
	size = rsp.value;
	if (size > max) {
		storage_fs_close(handle, 0);
		return -TEEQ_RPC_EFBIG;
	}
	data = malloc(size ? size : 1);
	if (!data) {
		storage_fs_close(handle, 0);
		return -TEEQ_RPC_ENOMEM;
	}
	while (off < size) {
		uint32_t want = size - off < window ? (uint32_t)(size - off) :
						      window;

		req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_READ,
					     .handle = handle,
					     .offset = off,
					     .len = want };
		ret = storage_fs_call(&req, NULL, 0, data + off, want, &rsp);
		if (ret)
			break;
		off += rsp.len;
		if (rsp.len < want)
			break; /* shorter than it said: the caller sees */
	}
	storage_fs_close(handle, 0);
	if (ret) {
		free(data);
		return ret;
	}
	*buf = data;
	*len = off;
	return 0;
}

int storage_fs_write_file(const char *name, const unsigned char *buf,
			  size_t len)
{
	struct teeq_rpc_req req = { .opcode = TEEQ_RPC_FS_CREATE };
	uint32_t window = storage_fs_window();
	struct teeq_rpc_rsp rsp;
	uint64_t handle;
	size_t off = 0;
	int ret;

	if (!window)
		return STORAGE_FS_UNAVAILABLE;
	req.name_len = (uint16_t)strlen(name);
	ret = storage_fs_call(&req, name, req.name_len, NULL, 0, &rsp);
	if (ret)
		return ret;
	handle = rsp.handle;
	while (off < len) {
		uint32_t n = len - off < window ? (uint32_t)(len - off) :
						  window;

		req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_WRITE,
					     .handle = handle,
					     .offset = off,
					     .len = n };
		ret = storage_fs_call(&req, buf + off, n, NULL, 0, &rsp);
		if (ret) {
			/* nothing is in place yet: the file is dropped */
			storage_fs_close(handle, 0);
			return ret;
		}
		off += n;
	}
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_CLOSE,
				     .flags = TEEQ_RPC_CLOSE_COMMIT,
				     .handle = handle };
	ret = storage_fs_call(&req, NULL, 0, NULL, 0, &rsp);
	/* a failed commit may have renamed the file into place or not (the
	 * directory's sync is the last step): the caller cannot know */
	if (ret && ret != STORAGE_FS_UNAVAILABLE)
		ret = STORAGE_FS_UNKNOWN;
	return ret;
}

int storage_fs_remove(const char *name)
{
	struct teeq_rpc_req req = { .opcode = TEEQ_RPC_FS_REMOVE };
	struct teeq_rpc_rsp rsp;

	req.name_len = (uint16_t)strlen(name);
	return storage_fs_call(&req, name, req.name_len, NULL, 0, &rsp);
}

/* Checks one LIST reply: value names, each NUL-terminated, inside len
 * bytes, with the prefix, in increasing order after the cursor. */
static int storage_fs_list_reply(const char *names, uint32_t len,
				 uint64_t count, const char *prefix,
				 const char *cursor,
				 int (*fn)(void *arg, const char *name),
				 void *arg, char *last)
{
	uint32_t off = 0;
	uint64_t i;
	int ret;

	for (i = 0; i < count; i++) {
		const char *name = names + off;
		const char *end;
		size_t n;

		if (off >= len)
			return -TEEQ_RPC_EIO;
		end = memchr(name, 0, len - off);
		if (!end)
			return -TEEQ_RPC_EIO;
		n = (size_t)(end - name);
		if (!n || n > TEEQ_RPC_NAME_MAX || strcmp(name, cursor) <= 0 ||
		    strncmp(name, prefix, strlen(prefix)))
			return -TEEQ_RPC_EIO;
		ret = fn(arg, name);
		if (ret)
			return ret;
		memcpy(last, name, n + 1);
		cursor = last;
		off += (uint32_t)n + 1;
	}
	return 0;
}

int storage_fs_list(const char *prefix, int (*fn)(void *arg, const char *name),
		    void *arg)
{
	char in[2 * TEEQ_RPC_NAME_MAX], cursor[TEEQ_RPC_NAME_MAX + 1] = "";
	char last[TEEQ_RPC_NAME_MAX + 1];
	uint32_t window = storage_fs_window(), seen = 0;
	size_t prefix_len = strlen(prefix);
	struct teeq_rpc_rsp rsp;
	char *out;
	int ret;

	if (!window)
		return STORAGE_FS_UNAVAILABLE;
	out = malloc(window);
	if (!out)
		return -TEEQ_RPC_ENOMEM;
	do {
		struct teeq_rpc_req req = { .opcode = TEEQ_RPC_FS_LIST };
		size_t cursor_len = strlen(cursor);

		req.name_len = (uint16_t)prefix_len;
		req.name2_len = (uint16_t)cursor_len;
		memcpy(in, prefix, prefix_len);
		memcpy(in + prefix_len, cursor, cursor_len);
		ret = storage_fs_call(&req, in,
				      (uint32_t)(prefix_len + cursor_len), out,
				      window, &rsp);
		if (ret)
			break;
		seen += rsp.value < STORAGE_FS_LIST_MAX ? (uint32_t)rsp.value :
							  STORAGE_FS_LIST_MAX;
		if (seen >= STORAGE_FS_LIST_MAX ||
		    ((rsp.flags & TEEQ_RPC_RSP_MORE) && !rsp.value)) {
			ret = -TEEQ_RPC_EIO;
			break;
		}
		ret = storage_fs_list_reply(out, rsp.len, rsp.value, prefix,
					    cursor, fn, arg, last);
		if (ret)
			break;
		if (rsp.value)
			strcpy(cursor, last);
	} while (rsp.flags & TEEQ_RPC_RSP_MORE);
	free(out);
	return ret;
}

uint32_t storage_fs_result(int err)
{
	switch (err) {
	case 0:
		return TEEQ_SUCCESS;
	case -TEEQ_RPC_ENOSPC:
	case -TEEQ_RPC_EFBIG:
		return TEEQ_ERROR_STORAGE_NO_SPACE;
	case -TEEQ_RPC_ENOMEM:
		return TEEQ_ERROR_OUT_OF_MEMORY;
	default:
		/* gone, silent, or failing: not reachable now */
		return TEEQ_ERROR_STORAGE_NOT_AVAILABLE;
	}
}
