/* SPDX-License-Identifier: MIT */
/*
 * A private teeq-sw for one test: started on a socket in a fresh temporary
 * directory, with TEEQ_SOCKET pointing there and autostart off, so tests
 * never share a secure world or find a stray one. The binary is $TEEQ_SW
 * (tests/run.sh sets it to the build's own), else the one next to the
 * test's build tree.
 *
 * The same tests run in kernel mode (the kernel stage runs them inside
 * QEMU with TEEQ_MODE=kernel): libteeq then reaches the secure world
 * through the driver's /dev/teeq0, and the fixture starts teeq-sw
 * --kernel, attached to the driver, whose socket answers the statistics
 * requests below as host mode's does. A test about host mode alone says
 * so with sw_fixture_host_only(), and is not run there.
 */
#ifndef TEEQ_TESTS_SW_FIXTURE_H
#define TEEQ_TESTS_SW_FIXTURE_H

#include "ring/host.h"
#include "tests/check.h"
#include "uapi/teeq_host.h"

#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct sw_fixture {
	pid_t pid;
	char dir[64];
	char sock[108];
};

static inline void sw_fixture_exe(char *out, size_t len)
{
	const char *env = getenv("TEEQ_SW");
	char self[PATH_MAX];
	ssize_t n;
	int i;

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return;
	}
	/* <build>/tests/<dir>/<name> -> <build>/secure/teeq-sw */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	CHECK(n > 0);
	self[n] = 0;
	for (i = 0; i < 3; i++)
		*strrchr(self, '/') = 0;
	CHECK(strlen(self) + sizeof("/secure/teeq-sw") <= len);
	strcpy(out, self);
	strcat(out, "/secure/teeq-sw");
}

/* Does libteeq run in kernel mode here? The rule libteeq follows: as
 * TEEQ_MODE says, else when the driver's node is there. */
static inline int sw_fixture_kernel(void)
{
	const char *mode = getenv("TEEQ_MODE");

	if (mode && *mode)
		return !strcmp(mode, "kernel");
	return access("/dev/teeq0", F_OK) == 0;
}

/* A test about host mode alone (its socket, autostart, rings or heap):
 * the kernel stage does not run it, and run there anyway, it fails. */
static inline void sw_fixture_host_only(const char *why)
{
	if (!sw_fixture_kernel())
		return;
	fprintf(stderr, "host mode only (%s): TEEQ_MODE=host runs it\n", why);
	exit(1);
}

/* Starts teeq-sw on the fixture's socket with extra arguments (a NULL
 * terminated list), and waits until it accepts connections: in kernel
 * mode attached to the driver first, its socket for statistics only. */
static inline void sw_fixture_start_on(struct sw_fixture *f, ...)
{
	char exe[PATH_MAX];
	const char *argv[32] = { "teeq-sw", "--socket", f->sock };
	int argc = 3;
	va_list ap;

	if (sw_fixture_kernel())
		argv[argc++] = "--kernel";
	va_start(ap, f);
	while (argc < 31 && (argv[argc] = va_arg(ap, const char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	sw_fixture_exe(exe, sizeof(exe));
	f->pid = fork();
	CHECK(f->pid >= 0);
	if (f->pid == 0) {
		execv(exe, (char **)argv);
		_exit(127);
	}
	CHECK_EQ(ring_host_await(f->sock, f->pid, 10000), 0);
}

/* The fixture a failed CHECK (which exits) must take down with it: its
 * teeq-sw and its directory. Only the process that made it does that. */
static struct sw_fixture *sw_fixture_active;
static pid_t sw_fixture_owner;

static inline void sw_fixture_cleanup(void)
{
	struct sw_fixture *f = sw_fixture_active;
	char lock[128];

	if (!f || getpid() != sw_fixture_owner)
		return;
	if (f->pid > 0) {
		kill(f->pid, SIGKILL);
		waitpid(f->pid, NULL, 0);
		f->pid = 0;
	}
	if (f->dir[0]) {
		snprintf(lock, sizeof(lock), "%s.lock", f->sock);
		unlink(lock);
		unlink(f->sock);
		rmdir(f->dir);
	}
}

/* A fresh directory and socket; TEEQ_SOCKET names it for libteeq. */
static inline void sw_fixture_init(struct sw_fixture *f)
{
	if (!sw_fixture_owner) {
		sw_fixture_owner = getpid();
		atexit(sw_fixture_cleanup);
	}
	sw_fixture_active = f;
	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/teeq-test-XXXXXX");
	CHECK(mkdtemp(f->dir));
	snprintf(f->sock, sizeof(f->sock), "%s/sw.sock", f->dir);
	setenv("TEEQ_SOCKET", f->sock, 1);
	setenv("TEEQ_NO_AUTOSTART", "1", 1);
}

#define sw_fixture_start(f, ...)                             \
	do {                                                 \
		sw_fixture_init(f);                          \
		sw_fixture_start_on(f, ##__VA_ARGS__, NULL); \
	} while (0)

/* Kills teeq-sw with @sig and reaps it; returns its wait status. */
static inline int sw_fixture_kill(struct sw_fixture *f, int sig)
{
	int status = 0;

	if (f->pid > 0) {
		kill(f->pid, sig);
		CHECK_EQ(waitpid(f->pid, &status, 0), f->pid);
		f->pid = 0;
	}
	return status;
}

/* Stops teeq-sw (SIGTERM: it must exit cleanly) and removes the dir. */
static inline void sw_fixture_stop(struct sw_fixture *f)
{
	char path[128];
	int status = sw_fixture_kill(f, SIGTERM);

	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	snprintf(path, sizeof(path), "%s.lock", f->sock);
	unlink(path);
	unlink(f->sock);
	rmdir(f->dir);
	f->dir[0] = 0;
}

/* The secure world's statistics over a fresh connection (which itself
 * never attaches, so it is not counted as a client). */
static inline void sw_fixture_stats(struct sw_fixture *f,
				    struct teeq_sw_stats *st)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct teeq_host_hdr req = { .magic = TEEQ_HOST_MAGIC,
				     .type = TEEQ_HOST_STATS,
				     .len = sizeof(req) };
	struct teeq_host_stats_reply r;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", f->sock);
	CHECK(fd >= 0);
	CHECK(!connect(fd, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK(send(fd, &req, sizeof(req), 0) == sizeof(req));
	CHECK(recv(fd, &r, sizeof(r), 0) == sizeof(r));
	CHECK_EQ(r.status, 0);
	*st = r.stats;
	close(fd);
}

/* Entries the secure world has completed. teeq-sw counts a batch before
 * it publishes the completions, so a caller that saw its completion sees
 * it counted. */
static inline uint64_t sw_fixture_calls(struct sw_fixture *f)
{
	struct teeq_sw_stats st;

	sw_fixture_stats(f, &st);
	return st.calls;
}

/* Waits (bounded: 5 s) until teeq-sw's statistic @field is @want, then
 * checks that it is; *@st holds the statistics it saw last. For figures
 * teeq-sw updates just after what the test can see (a doorbell rung, a
 * deferred call ended), or that move without the test (completions not
 * reaped yet). */
#define sw_fixture_wait_stat(f, st, field, want)                           \
	do {                                                               \
		uint64_t t0_ = t_now_ms();                                 \
		sw_fixture_stats(f, st);                                   \
		while ((st)->field != (want) && t_now_ms() - t0_ < 5000) { \
			usleep(1000);                                      \
			sw_fixture_stats(f, st);                           \
		}                                                          \
		CHECK_EQ((st)->field, want);                               \
	} while (0)

/* Until teeq-sw has completed exactly @want entries in all: then their
 * completions are in the rings, reaped or not. */
static inline void sw_fixture_wait_calls(struct sw_fixture *f, uint64_t want)
{
	struct teeq_sw_stats st;

	sw_fixture_wait_stat(f, &st, calls, want);
}

#endif /* TEEQ_TESTS_SW_FIXTURE_H */
