/* SPDX-License-Identifier: MIT */
/*
 * Storage in kernel mode, for the kernel suite: teeq-sw --kernel with a
 * state directory of the test's, teeq-supplicant serving the driver's
 * privileged node with a storage directory of the test's, and the storage
 * TA's commands (uapi/teeq_tas.h) through raw ioctls on /dev/teeq0.
 */
#ifndef TEEQ_TESTS_KSTORAGE_H
#define TEEQ_TESTS_KSTORAGE_H

#include "tests/kernel/kfixture.h"
#include "uapi/teeq_rpc.h"

#include <dirent.h>
#include <sys/stat.h>

#define KS_PRIV "/dev/teeqpriv0"

static const struct kt_uuid_form ks_storage_ta = TEEQ_TA_STORAGE_UUID;

static char ks_base[64], ks_sw_dir[96], ks_dir[96];
static pid_t ks_suppl_pid;

/* teeq-sw --kernel on the test's state directory, attached. */
static inline void ks_sw_start(void)
{
	const char *extra[] = { "--state-dir", ks_sw_dir,
				"--supplicant-timeout-ms", "3000", NULL };

	kt_sw_start_with(extra);
}

static inline void ks_suppl_kill(void)
{
	int status;

	if (ks_suppl_pid <= 0)
		return;
	kill(ks_suppl_pid, SIGKILL);
	waitpid(ks_suppl_pid, &status, 0);
	ks_suppl_pid = 0;
}

static void ks_atexit(void)
{
	if (getpid() == kt_sw_owner || !kt_sw_owner)
		ks_suppl_kill();
}

/* teeq-supplicant serving the driver's node on the test's directory. */
static inline void ks_suppl_start(void)
{
	const char *exe = getenv("TEEQ_SUPPLICANT");
	static int registered;

	ks_suppl_pid = fork();
	CHECK(ks_suppl_pid >= 0);
	if (!ks_suppl_pid) {
		execl(exe ? exe : "/teeq/teeq-supplicant", "teeq-supplicant",
		      "--device", KS_PRIV, "--storage-dir", ks_dir,
		      "--window-kb", "64", (char *)NULL);
		_exit(127);
	}
	if (!registered++)
		atexit(ks_atexit);
}

/* Directories under /tmp named for the test. */
static inline void ks_init(const char *name)
{
	snprintf(ks_base, sizeof(ks_base), "/tmp/%s", name);
	snprintf(ks_sw_dir, sizeof(ks_sw_dir), "%s/sw", ks_base);
	snprintf(ks_dir, sizeof(ks_dir), "%s/storage", ks_base);
	CHECK(!mkdir(ks_base, 0700) || errno == EEXIST);
}

/* ---- the storage TA ------------------------------------------------------------- */

static inline uint32_t ks_close(int fd, uint32_t sess, uint32_t handle);

static inline uint32_t ks_create(int fd, uint32_t sess, const char *id,
				 uint32_t flags, const void *data, size_t len,
				 uint32_t *handle)
{
	static const char none[1];
	struct teeq_ioctl_param p[4] = {
		kt_temp(KT_MIN, (void *)id, strlen(id)),
		kt_value(KT_VIN, flags, 0),
		kt_temp(KT_MIN, (void *)(len ? data : none), len),
		kt_value(KT_VOUT, 0, 0),
	};
	struct kt_result res;

	CHECK_EQ(kt_invoke(fd, sess, TEEQ_STORAGE_CMD_CREATE, p, 4, &res), 0);
	if (handle)
		*handle = (uint32_t)p[3].a;
	else if (!res.ret)
		ks_close(fd, sess, (uint32_t)p[3].a);
	return res.ret;
}

static inline uint32_t ks_open(int fd, uint32_t sess, const char *id,
			       uint32_t flags, uint32_t *handle)
{
	struct teeq_ioctl_param p[4] = {
		kt_temp(KT_MIN, (void *)id, strlen(id)),
		kt_value(KT_VIN, flags, 0),
		{ 0 },
		kt_value(KT_VOUT, 0, 0),
	};
	struct kt_result res;

	CHECK_EQ(kt_invoke(fd, sess, TEEQ_STORAGE_CMD_OPEN, p, 4, &res), 0);
	*handle = (uint32_t)p[3].a;
	return res.ret;
}

/* A command on a handle with one memref (READ, WRITE, RENAME) or none. */
static inline uint32_t ks_handle_cmd(int fd, uint32_t sess, uint32_t cmd,
				     uint32_t handle, uint64_t type, void *buf,
				     size_t *len)
{
	struct teeq_ioctl_param p[2] = {
		kt_value(KT_VIN, handle, 0),
		type ? kt_temp(type, buf, *len) :
		       (struct teeq_ioctl_param){ 0 },
	};
	struct kt_result res;

	CHECK_EQ(kt_invoke(fd, sess, cmd, p, type ? 2 : 1, &res), 0);
	if (type == KT_MOUT)
		*len = (size_t)p[1].b;
	return res.ret;
}

static inline uint32_t ks_close(int fd, uint32_t sess, uint32_t handle)
{
	return ks_handle_cmd(fd, sess, TEEQ_STORAGE_CMD_CLOSE, handle, 0, NULL,
			     NULL);
}

static inline uint32_t ks_read(int fd, uint32_t sess, uint32_t handle,
			       void *buf, size_t *len)
{
	return ks_handle_cmd(fd, sess, TEEQ_STORAGE_CMD_READ, handle, KT_MOUT,
			     buf, len);
}

static inline uint32_t ks_write(int fd, uint32_t sess, uint32_t handle,
				const void *buf, size_t len)
{
	return ks_handle_cmd(fd, sess, TEEQ_STORAGE_CMD_WRITE, handle, KT_MIN,
			     (void *)buf, &len);
}

/* Moves the handle's position to the end of its data. */
static inline uint32_t ks_seek_end(int fd, uint32_t sess, uint32_t handle)
{
	struct teeq_ioctl_param p[3] = {
		kt_value(KT_VIN, handle, TEEQ_STORAGE_SEEK_END),
		kt_value(KT_VIN, 0, 0),
		kt_value(KT_VOUT, 0, 0),
	};
	struct kt_result res;

	CHECK_EQ(kt_invoke(fd, sess, TEEQ_STORAGE_CMD_SEEK, p, 3, &res), 0);
	return res.ret;
}

/* The whole object @id into @buf (@cap bytes): its length in *@len. */
static inline uint32_t ks_get(int fd, uint32_t sess, const char *id, void *buf,
			      size_t cap, size_t *len)
{
	uint32_t h, ret;

	ret = ks_open(fd, sess, id, TEEQ_STORAGE_ACCESS_READ, &h);
	if (ret)
		return ret;
	*len = cap;
	ret = ks_read(fd, sess, h, buf, len);
	CHECK_EQ(ks_close(fd, sess, h), TEEQ_SUCCESS);
	return ret;
}

/* LIST: the ids, NUL-separated, into @out; their count in *@count. */
static inline uint32_t ks_list(int fd, uint32_t sess, char *out, size_t cap,
			       uint32_t *count)
{
	unsigned char raw[4096];
	struct teeq_ioctl_param p[2] = {
		kt_temp(KT_MOUT, raw, sizeof(raw)),
		kt_value(KT_VOUT, 0, 0),
	};
	struct kt_result res;
	size_t at = 0, used = 0, n;

	CHECK_EQ(kt_invoke(fd, sess, TEEQ_STORAGE_CMD_LIST, p, 2, &res), 0);
	if (res.ret)
		return res.ret;
	*count = (uint32_t)p[1].a;
	while (at < p[0].b) {
		n = raw[at++];
		CHECK(at + n <= p[0].b && used + n + 1 <= cap);
		memcpy(out + used, raw + at, n);
		out[used + n] = 0;
		used += n + 1;
		at += n;
	}
	return TEEQ_SUCCESS;
}

/* Waits (up to 10 s) for storage to be served: LIST answers. */
static inline void ks_wait_storage(int fd, uint32_t sess)
{
	uint64_t until = t_now_ms() + 10000;
	char ids[1024];
	uint32_t count, ret;

	for (;;) {
		ret = ks_list(fd, sess, ids, sizeof(ids), &count);
		if (ret != TEEQ_ERROR_STORAGE_NOT_AVAILABLE ||
		    t_now_ms() > until)
			break;
		usleep(20000);
	}
	CHECK_EQ(ret, TEEQ_SUCCESS);
}

#endif /* TEEQ_TESTS_KSTORAGE_H */
