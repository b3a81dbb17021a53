// SPDX-License-Identifier: MIT
/*
 * The teeq-sw libteeq starts holds nothing of its client's: a pipe's write
 * end that the client leaves open across exec does not go with it (the
 * reader sees end of file as soon as the client exits, not when teeq-sw
 * idles out 30 s later); its stdio is /dev/null; it runs in a session of
 * its own; and a SIGTERM the client ignored still stops it.
 */
#include "tests/client/autostart.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>

static struct sw_fixture fx;

/* Where @pid's descriptor @fd points. */
static void fd_target(pid_t pid, int fd, char *out, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	n = readlink(path, out, len - 1);
	out[n > 0 ? n : 0] = 0;
}

int main(void)
{
	int pipefd[2], report[2], status, nfds = 0;
	char target[PATH_MAX], byte;
	struct pollfd pfd;
	pid_t client, sw = 0;
	uint64_t t0;
	DIR *dir;
	struct dirent *de;

	sw_fixture_host_only("autostart: host mode starts its own teeq-sw");
	autostart_init(&fx);
	CHECK(!pipe(pipefd)); /* inherited across exec: no O_CLOEXEC */
	CHECK(!pipe2(report, O_CLOEXEC));
	client = fork();
	CHECK(client >= 0);
	if (client == 0) {
		TEEC_Context ctx;

		close(pipefd[0]);
		signal(SIGTERM, SIG_IGN);
		CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
		autostart_call(&ctx);
		sw = autostart_pid(&ctx);
		CHECK_EQ(write(report[1], &sw, sizeof(sw)), sizeof(sw));
		TEEC_FinalizeContext(&ctx);
		_exit(0);
	}
	close(pipefd[1]);
	close(report[1]);
	CHECK_EQ(read(report[0], &sw, sizeof(sw)), sizeof(sw));
	autostart_pids[0] = sw;
	CHECK_EQ(waitpid(client, &status, 0), client);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* the client is gone: its pipe has no writer left */
	t0 = t_now_ms();
	pfd = (struct pollfd){ .fd = pipefd[0], .events = POLLIN };
	if (poll(&pfd, 1, 3000) != 1 || read(pipefd[0], &byte, 1) != 0) {
		fprintf(stderr,
			"no end of file %llu ms after the client exited\n",
			(unsigned long long)(t_now_ms() - t0));
		CHECK(0);
	}
	CHECK(!kill(sw, 0)); /* while teeq-sw serves on */

	/* stdio on /dev/null, nothing else but its own descriptors */
	for (int fd = 0; fd < 3; fd++) {
		fd_target(sw, fd, target, sizeof(target));
		CHECK(!strcmp(target, "/dev/null"));
	}
	snprintf(target, sizeof(target), "/proc/%d/fd", (int)sw);
	dir = opendir(target);
	CHECK(dir);
	while ((de = readdir(dir))) {
		char what[PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		fd_target(sw, atoi(de->d_name), what, sizeof(what));
		CHECK(strncmp(what, "pipe:", 5));
		nfds++;
	}
	closedir(dir);
	CHECK(nfds > 3);
	CHECK(getsid(sw) != getsid(0));
	CHECK(getsid(sw) != sw); /* not a session leader: no terminal */

	/* the SIGTERM its client ignored */
	CHECK(!kill(sw, SIGTERM));
	CHECK(autostart_exited(sw, 5000, &status));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return T_PASS;
}
