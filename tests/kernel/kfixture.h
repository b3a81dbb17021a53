/* SPDX-License-Identifier: MIT */
/*
 * The kernel suite's fixture: programs that run inside the QEMU guest
 * (tests/kernel/run.sh) as root, with teeq.ko loaded, and drive
 * /dev/teeq0 with raw ioctls of uapi/teeq_ioctl.h: that ABI is what they
 * test. Each starts its own teeq-sw --kernel ($TEEQ_SW) when it needs a
 * secure world, and stops it at exit.
 */
#ifndef TEEQ_TESTS_KFIXTURE_H
#define TEEQ_TESTS_KFIXTURE_H

#include "tests/check.h"
#include "uapi/teeq_ioctl.h"
#include "uapi/teeq_swdev.h"
#include "uapi/teeq_tas.h"

#include <drm.h>
#include <drm_mode.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KT_CLIENT "/dev/teeq0"
#define KT_SW "/dev/teeqsw0"

/* ---- the driver's counters --------------------------------------------------- */

static inline void kt_stats(struct teeq_swdev_stats *st)
{
	int fd = open(KT_SW, O_RDWR | O_CLOEXEC);

	CHECK(fd >= 0);
	CHECK_EQ(ioctl(fd, TEEQ_SWDEV_IOC_STATS, st), 0);
	close(fd);
}

/* Waits up to @ms for @cond (re-reading the counters into st). */
#define KT_WAIT_STATS(st, cond, ms)                           \
	do {                                                  \
		uint64_t kt_until_ = t_now_ms() + (ms);       \
		for (;;) {                                    \
			kt_stats(&(st));                      \
			if ((cond) || t_now_ms() > kt_until_) \
				break;                        \
			usleep(2000);                         \
		}                                             \
	} while (0)

/* ---- teeq-sw ---------------------------------------------------------------------- */

static pid_t kt_sw_pid;
static pid_t kt_sw_owner; /* a forked child's exit leaves teeq-sw alone */

static inline void kt_sw_stop(void)
{
	struct teeq_swdev_stats st;
	int status;

	if (kt_sw_pid <= 0)
		return;
	kill(kt_sw_pid, SIGTERM);
	waitpid(kt_sw_pid, &status, 0);
	kt_sw_pid = 0;
	KT_WAIT_STATS(st, !st.attached, 5000);
}

static inline void kt_sw_kill(void)
{
	int status;

	kill(kt_sw_pid, SIGKILL);
	waitpid(kt_sw_pid, &status, 0);
	kt_sw_pid = 0;
}

static void kt_sw_atexit(void)
{
	if (getpid() == kt_sw_owner)
		kt_sw_stop();
}

/* Starts teeq-sw --kernel --workers 2 and the options @extra (NULL, or
 * ending in NULL), and waits until it is attached. */
static inline void kt_sw_start_with(const char *const *extra)
{
	const char *exe = getenv("TEEQ_SW");
	struct teeq_swdev_stats st;
	static int registered;
	uint64_t attaches;

	kt_stats(&st);
	CHECK(!st.attached);
	attaches = st.attaches;
	kt_sw_pid = fork();
	CHECK(kt_sw_pid >= 0);
	if (!kt_sw_pid) {
		const char *argv[16] = { "teeq-sw", "--kernel", "--workers",
					 "2" };
		int n = 4;

		while (extra && *extra && n < 15)
			argv[n++] = *extra++;
		argv[n] = NULL;
		execv(exe ? exe : "/teeq/teeq-sw", (char *const *)argv);
		_exit(127);
	}
	kt_sw_owner = getpid();
	if (!registered++)
		atexit(kt_sw_atexit);
	KT_WAIT_STATS(st, st.attached && st.attaches > attaches, 10000);
	CHECK(st.attached);
}

static inline void kt_sw_start(void)
{
	kt_sw_start_with(NULL);
}

/* ---- the module ------------------------------------------------------------------ */

static inline int kt_module_load(const char *params)
{
	const char *ko = getenv("TEEQ_KO");
	int fd = open(ko ? ko : "/teeq/teeq.ko", O_RDONLY | O_CLOEXEC);
	long ret;

	CHECK(fd >= 0);
	ret = syscall(SYS_finit_module, fd, params, 0);
	close(fd);
	return ret ? -errno : 0;
}

static inline int kt_module_unload(void)
{
	return syscall(SYS_delete_module, "teeq", O_NONBLOCK) ? -errno : 0;
}

/* ---- the client ABI ---------------------------------------------------------------- */

static inline int kt_open(void)
{
	int fd = open(KT_CLIENT, O_RDWR | O_CLOEXEC);

	CHECK(fd >= 0);
	return fd;
}

/* TEEC_UUID form to the 16 bytes of the ABI (big-endian time fields). */
struct kt_uuid_form {
	uint32_t time_low;
	uint16_t time_mid, time_hi;
	uint8_t node[8];
};

static inline void kt_uuid(const struct kt_uuid_form *u, uint8_t out[16])
{
	struct teeq_uuid w;

	teeq_uuid_pack(&w, u->time_low, u->time_mid, u->time_hi, u->node);
	memcpy(out, w.b, sizeof(w.b));
}

static const struct kt_uuid_form kt_noop = TEEQ_TA_NOOP_UUID;
static const struct kt_uuid_form kt_echo = TEEQ_TA_ECHO_UUID;
static const struct kt_uuid_form kt_digest = TEEQ_TA_DIGEST_UUID;
static const struct kt_uuid_form kt_cipher = TEEQ_TA_CIPHER_UUID;

struct kt_result {
	uint32_t ret, origin;
};

#define KT_ARG_MAX                                    \
	(sizeof(struct teeq_ioctl_open_session_arg) + \
	 4 * sizeof(struct teeq_ioctl_param))

/* OPEN_SESSION: the ioctl's return in rc, the GP result in res; the
 * session id (0 on failure). @params: @n of them, updated. */
static inline uint32_t
kt_open_session_login(int fd, const struct kt_uuid_form *ta, uint32_t login,
		      uint32_t group, struct teeq_ioctl_param *params,
		      uint32_t n, struct kt_result *res, int *rc)
{
	union {
		struct teeq_ioctl_open_session_arg a;
		unsigned char raw[KT_ARG_MAX];
	} u;
	struct teeq_ioctl_buf_data buf = {
		.buf_ptr = (uintptr_t)&u,
		.buf_len = sizeof(u.a) + n * sizeof(*params),
	};

	memset(&u, 0, sizeof(u));
	kt_uuid(ta, u.a.uuid);
	u.a.clnt_login = login;
	memcpy(u.a.clnt_uuid, &group, sizeof(group));
	u.a.num_params = n;
	memcpy(u.a.params, params, n * sizeof(*params));
	*rc = ioctl(fd, TEEQ_IOC_OPEN_SESSION, &buf) ? -errno : 0;
	memcpy(params, u.a.params, n * sizeof(*params));
	res->ret = u.a.ret;
	res->origin = u.a.ret_origin;
	return *rc ? 0 : u.a.session;
}

/* A public session that must open. */
static inline uint32_t kt_session(int fd, const struct kt_uuid_form *ta)
{
	struct kt_result res;
	uint32_t sess;
	int rc;

	sess = kt_open_session_login(fd, ta, TEEQ_IOCTL_LOGIN_PUBLIC, 0, NULL,
				     0, &res, &rc);
	CHECK_EQ(rc, 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	CHECK(sess);
	return sess;
}

/* INVOKE: returns the ioctl's rc (0 or -errno); the result in @res. */
static inline int kt_invoke_cancel(int fd, uint32_t session, uint32_t func,
				   uint32_t cancel_id,
				   struct teeq_ioctl_param *params, uint32_t n,
				   struct kt_result *res)
{
	union {
		struct teeq_ioctl_invoke_arg a;
		unsigned char raw[KT_ARG_MAX];
	} u;
	struct teeq_ioctl_buf_data buf = {
		.buf_ptr = (uintptr_t)&u,
		.buf_len = sizeof(u.a) + n * sizeof(*params),
	};
	int rc;

	memset(&u, 0, sizeof(u));
	u.a.func = func;
	u.a.session = session;
	u.a.cancel_id = cancel_id;
	u.a.num_params = n;
	memcpy(u.a.params, params, n * sizeof(*params));
	rc = ioctl(fd, TEEQ_IOC_INVOKE, &buf) ? -errno : 0;
	memcpy(params, u.a.params, n * sizeof(*params));
	res->ret = u.a.ret;
	res->origin = u.a.ret_origin;
	return rc;
}

static inline int kt_invoke(int fd, uint32_t session, uint32_t func,
			    struct teeq_ioctl_param *params, uint32_t n,
			    struct kt_result *res)
{
	return kt_invoke_cancel(fd, session, func, 0, params, n, res);
}

static inline int kt_close_session(int fd, uint32_t session)
{
	struct teeq_ioctl_close_session_arg a = { .session = session };

	return ioctl(fd, TEEQ_IOC_CLOSE_SESSION, &a) ? -errno : 0;
}

/* Parameters. */
static inline struct teeq_ioctl_param kt_value(uint64_t attr, uint64_t a,
					       uint64_t b)
{
	return (struct teeq_ioctl_param){ .attr = attr, .a = a, .b = b };
}

static inline struct teeq_ioctl_param kt_temp(uint64_t type, void *buf,
					      uint64_t size)
{
	return (struct teeq_ioctl_param){
		.attr = type | TEEQ_IOCTL_PARAM_ATTR_TEMP,
		.a = (uintptr_t)buf,
		.b = size,
	};
}

static inline struct teeq_ioctl_param kt_memref(uint64_t type, int shm_id,
						uint64_t off, uint64_t size)
{
	return (struct teeq_ioctl_param){
		.attr = type, .a = off, .b = size, .c = (uint64_t)shm_id
	};
}

#define KT_VIN TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT
#define KT_VOUT TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT
#define KT_VINOUT TEEQ_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT
#define KT_MIN TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT
#define KT_MOUT TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT
#define KT_MINOUT TEEQ_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT

/* SHM_ALLOC: the dma-buf fd, its id in *id, mapped at *map if @map. */
static inline int kt_shm_alloc(int fd, uint64_t size, int *id, void **map)
{
	struct teeq_ioctl_shm_alloc_data d = { .size = size };
	int shm_fd = ioctl(fd, TEEQ_IOC_SHM_ALLOC, &d);

	CHECK(shm_fd >= 0);
	CHECK_EQ(d.size, size);
	*id = d.id;
	if (map) {
		*map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			    shm_fd, 0);
		CHECK(*map != MAP_FAILED);
	}
	return shm_fd;
}

/* SHM_REGISTER of [buf, buf + len): the fd that owns it; id in *id. */
static inline int kt_shm_register(int fd, void *buf, uint64_t len, int *id)
{
	struct teeq_ioctl_shm_register_data d = { .addr = (uintptr_t)buf,
						  .length = len };
	int shm_fd = ioctl(fd, TEEQ_IOC_SHM_REGISTER, &d);

	CHECK(shm_fd >= 0);
	*id = d.id;
	return shm_fd;
}

/* ---- vgem, the DRM driver whose buffers stand for a GPU's ------------------- */

#define KT_VGEM_SIZE (1u << 20)

/* vgem's DRM node. */
static inline int kt_vgem(void)
{
	char path[64], name[16];
	int i, fd;

	for (i = 0; i < 16; i++) {
		struct drm_version v = { .name = name,
					 .name_len = sizeof(name) - 1 };

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(name, 0, sizeof(name));
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "vgem"))
			return fd;
		close(fd);
	}
	SKIP("no vgem device: the guest did not load vgem.ko");
}

/* A 1 MiB vgem buffer: its handle, mapped at *map. */
static inline uint32_t kt_vgem_buffer(int vgem, uint8_t **map)
{
	struct drm_mode_create_dumb c = { .height = KT_VGEM_SIZE / 4096,
					  .width = 1024,
					  .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };

	CHECK_EQ(ioctl(vgem, DRM_IOCTL_MODE_CREATE_DUMB, &c), 0);
	CHECK(c.size >= KT_VGEM_SIZE);
	m.handle = c.handle;
	CHECK_EQ(ioctl(vgem, DRM_IOCTL_MODE_MAP_DUMB, &m), 0);
	*map = mmap(NULL, KT_VGEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    vgem, (off_t)m.offset);
	CHECK(*map != MAP_FAILED);
	return c.handle;
}

/* ---- host mode in the same guest --------------------------------------------- */

/* teeq-sw in host mode on socket @sock, accepting clients: its pid. */
static inline pid_t kt_host_sw_start(const char *sock)
{
	const char *exe = getenv("TEEQ_SW");
	pid_t pid;
	int i;

	setenv("TEEQ_NO_AUTOSTART", "1", 1);
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		execl(exe ? exe : "/teeq/teeq-sw", "teeq-sw", "--workers", "1",
		      "-s", sock, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500 && access(sock, F_OK); i++)
		usleep(10000);
	CHECK(i < 500);
	return pid;
}

static inline void kt_host_sw_stop(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* One SUPPL_RECV or SUPPL_SEND (@cmd) on the privileged node @fd: @word0
 * is the request's func (recv) or ret (send) both ways, @params the *@n
 * parameters (at most 4) both ways; 0 or -errno. */
static inline int kt_supp_io(int fd, unsigned long cmd, uint32_t *word0,
			     struct teeq_ioctl_param *params, uint32_t *n)
{
	union {
		struct teeq_ioctl_supp_recv_arg a;
		unsigned char raw[8 + 4 * 32];
	} u;
	struct teeq_ioctl_buf_data bd = { .buf_ptr = (uintptr_t)&u,
					  .buf_len = 8 + *n * 32 };
	int rc;

	memset(&u, 0, sizeof(u));
	u.a.func = *word0;
	u.a.num_params = *n;
	memcpy(u.a.params, params, *n * 32);
	rc = ioctl(fd, cmd, &bd) ? -errno : 0;
	*word0 = u.a.func;
	*n = u.a.num_params > 4 ? 4 : u.a.num_params;
	memcpy(params, u.a.params, *n * 32);
	return rc;
}

/* ---- storms ----------------------------------------------------------------- */

/*
 * What a randomized storm (fault_storm.c, uring_storm.c) names among its
 * random numbers: sessions and shared memory of a main context, which
 * stays open, and of KT_STORM_FDS other contexts, which a closer thread
 * closes and reopens under the storm (their ids go stale, their fd
 * numbers may name other files meanwhile); and a page that is not mapped.
 */
#define KT_STORM_FDS 4

struct kt_storm {
	int fd; /* the main context: the closer leaves it alone */
	int fds[KT_STORM_FDS]; /* raced on by the closer: any may be stale */
	uint32_t sessions[8];
	int ids[8];
	int keep[8]; /* the shared memories' fds */
	void *unmapped;
	unsigned int pause_us; /* the closer's longest pause */
	volatile int stop;
	pthread_t closer;
	struct teeq_swdev_stats st0; /* before the storm */
};

static struct kt_storm kt_storm;

/* Sessions alternate between @ta and the echo TA. */
static inline void kt_storm_setup(const struct kt_uuid_form *ta,
				  unsigned int pause_us)
{
	struct kt_storm *s = &kt_storm;
	int i;

	kt_stats(&s->st0);
	s->pause_us = pause_us;
	s->unmapped =
		mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(s->unmapped != MAP_FAILED);
	munmap(s->unmapped, 4096);
	s->fd = kt_open();
	for (i = 0; i < KT_STORM_FDS; i++)
		s->fds[i] = kt_open();
	for (i = 0; i < 8; i++) {
		s->sessions[i] =
			kt_session(i < 4 ? s->fds[i % KT_STORM_FDS] : s->fd,
				   i % 2 ? &kt_echo : ta);
		s->keep[i] =
			kt_shm_alloc(i < 4 ? s->fd : s->fds[i % KT_STORM_FDS],
				     8192, &s->ids[i], NULL);
	}
}

static void *kt_storm_closer(void *arg)
{
	struct kt_storm *s = arg;
	uint64_t rng = 42;
	int i;

	while (!s->stop) {
		i = test_rand(&rng) % KT_STORM_FDS;
		close(s->fds[i]);
		s->fds[i] = open(KT_CLIENT, O_RDWR | O_CLOEXEC);
		usleep(test_rand(&rng) % s->pause_us);
	}
	return NULL;
}

/* Runs @threads threads of @storm_main (given their index) with the
 * closer beside them, until they are all done. */
static inline void kt_storm_run(void *(*storm_main)(void *), int threads)
{
	pthread_t t[8];
	int i;

	CHECK(threads <= 8);
	for (i = 0; i < threads; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, storm_main,
					(void *)(uintptr_t)i),
			 0);
	CHECK_EQ(pthread_create(&kt_storm.closer, NULL, kt_storm_closer,
				&kt_storm),
		 0);
	for (i = 0; i < threads; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	kt_storm.stop = 1;
	CHECK_EQ(pthread_join(kt_storm.closer, NULL), 0);
}

/* Closes what the storm named; everything it made is gone once the
 * secure side let go, and teeq-sw is still attached. */
static inline void kt_storm_teardown(void)
{
	struct kt_storm *s = &kt_storm;
	struct teeq_swdev_stats st;
	int i;

	for (i = 0; i < KT_STORM_FDS; i++)
		close(s->fds[i]);
	for (i = 0; i < 8; i++)
		close(s->keep[i]);
	close(s->fd);
	KT_WAIT_STATS(st,
		      !st.in_flight && !st.uring_in_flight &&
			      st.shms == s->st0.shms &&
			      st.contexts == s->st0.contexts &&
			      st.sessions == s->st0.sessions &&
			      st.channels == s->st0.channels,
		      20000);
	CHECK_EQ(st.in_flight, 0);
	CHECK_EQ(st.uring_in_flight, 0);
	CHECK_EQ(st.shms, s->st0.shms);
	CHECK_EQ(st.sessions, s->st0.sessions);
	CHECK_EQ(st.contexts, s->st0.contexts);
	CHECK_EQ(st.channels, s->st0.channels);
	CHECK_EQ(st.attached, 1);
}

#endif /* TEEQ_TESTS_KFIXTURE_H */
