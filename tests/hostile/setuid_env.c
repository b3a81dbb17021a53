// SPDX-License-Identifier: MIT
/*
 * A setuid-root program linked with libteeq, run by another user with a
 * hostile environment (TEEQ_SW, PATH, TEEQ_SW_LOG, TEEQ_SOCKET,
 * XDG_RUNTIME_DIR, TEEQ_QPAIRS all set by that user): libteeq reads none of
 * it. It runs no program of the user's (neither TEEQ_SW nor one found in
 * PATH: a secure program never starts teeq-sw), creates no log where told,
 * and attaches to the teeq-sw of its effective uid, root, at the default
 * /tmp/teeq-0/teeq-sw.sock, with the default 8 queue pairs.
 *
 * The program is this test itself, copied to the private /tmp, owned by
 * root and made setuid; run as "victim" it attaches and reports, and run
 * under the name teeq-sw (as an autostart would run it) it marks that it
 * ran, and as whom.
 */
#include "tests/hostile/users.h"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <tee_client_api.h>
#include <teeq.h>

#define EVIL_DIR "/tmp/evil"
#define EVIL_MARK EVIL_DIR "/ran-as-root"
#define EVIL_LOG "/tmp/log-created-by-root"

static int victim(void)
{
	struct teeq_stats st = { 0 };
	TEEC_Context ctx;
	TEEC_Result res;

	res = TEEC_InitializeContext(NULL, &ctx);
	if (res == TEEC_SUCCESS) {
		teeq_context_stats(&ctx, &st);
		TEEC_FinalizeContext(&ctx);
	}
	printf("%08x %u\n", res, st.queue_pairs);
	return 0;
}

/* What an attacker's "teeq-sw" does: leave a mark if it runs as root. */
static int evil(void)
{
	if (geteuid() == 0)
		close(open(EVIL_MARK, O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
	return 0;
}

static void copy_self(const char *to)
{
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), out;
	struct stat st;

	CHECK(in >= 0 && !fstat(in, &st));
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	CHECK(out >= 0);
	CHECK_EQ(sendfile(out, in, NULL, (size_t)st.st_size), st.st_size);
	close(in);
	close(out);
}

/* Runs the setuid copy as the attacker with @env; returns its report. */
static void run_victim(char *const env[], uint32_t *res, uint32_t *qpairs)
{
	char *argv[] = { "victim", "victim", NULL };
	char out[64] = { 0 };
	int pipefd[2], status;
	pid_t pid;

	CHECK(!pipe(pipefd));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], 1);
		users_become(USERS_ATTACKER);
		execve("/tmp/victim", argv, env);
		_exit(127);
	}
	close(pipefd[1]);
	CHECK(read(pipefd[0], out, sizeof(out) - 1) > 0);
	close(pipefd[0]);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(sscanf(out, "%x %u", res, qpairs), 2);
}

int main(int argc, char **argv)
{
	char path_env[PATH_MAX + 8], *path = getenv("PATH");
	char *with_sw[] = { "TEEQ_SW=" EVIL_DIR "/teeq-sw",
			    "TEEQ_SW_LOG=" EVIL_LOG,
			    "TEEQ_SOCKET=" EVIL_DIR "/none.sock",
			    "XDG_RUNTIME_DIR=" EVIL_DIR,
			    "TEEQ_QPAIRS=2",
			    NULL };
	char *with_path[] = { path_env, "TEEQ_SW_LOG=" EVIL_LOG,
			      "XDG_RUNTIME_DIR=" EVIL_DIR, "TEEQ_QPAIRS=2",
			      NULL };
	struct stat st;
	uint32_t res, qpairs;
	pid_t sw;
	int status;

	if (argc > 1 && !strcmp(argv[1], "victim"))
		return victim();
	if (!strcmp(argv[0], "teeq-sw"))
		return evil();

	hostile_watchdog(120);
	users_private_tmp();
	copy_self("/tmp/victim");
	CHECK(!chmod("/tmp/victim", 04755)); /* root's, setuid */
	CHECK(!mkdir(EVIL_DIR, 0777));
	copy_self(EVIL_DIR "/teeq-sw");
	snprintf(path_env, sizeof(path_env), "PATH=%s:%s", EVIL_DIR,
		 path ? path : "/usr/bin:/bin");

	/* root's teeq-sw, where a program of euid 0 looks by default */
	sw = users_sw_as(0, "/tmp/teeq-0/teeq-sw.sock", NULL);
	CHECK(users_sw_serves(sw, "/tmp/teeq-0/teeq-sw.sock", &status));

	run_victim(with_sw, &res, &qpairs);
	CHECK_EQ(res, TEEC_SUCCESS);
	CHECK_EQ(qpairs, 8); /* TEEQ_QPAIRS ignored */
	run_victim(with_path, &res, &qpairs);
	CHECK_EQ(res, TEEC_SUCCESS);
	CHECK_EQ(qpairs, 8);
	usleep(200000); /* an autostarted program would be running by now */
	CHECK(stat(EVIL_MARK, &st) && errno == ENOENT);
	CHECK(stat(EVIL_LOG, &st) && errno == ENOENT);

	/* and with no teeq-sw at all: no autostart either, just an error */
	status = hostile_reap(sw, SIGTERM);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	run_victim(with_sw, &res, &qpairs);
	CHECK_EQ(res, TEEC_ERROR_ITEM_NOT_FOUND);
	usleep(200000);
	CHECK(stat(EVIL_MARK, &st) && errno == ENOENT);
	CHECK(stat(EVIL_LOG, &st) && errno == ENOENT);
	return T_PASS;
}
