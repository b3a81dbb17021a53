// SPDX-License-Identifier: MIT
/*
 * teeq-sw --idle-exit: it stays while a client is attached, however long,
 * and exits cleanly (its socket removed) once it has had none for the
 * time given. And the race at that moment: clients that arrive just as an
 * autostarted teeq-sw (--idle-exit 1 here) gives up all attach, either to
 * it or to the one started after it; over the rounds teeq-sw leaves and
 * is started again.
 */
#include "tests/client/autostart.h"

#include <fcntl.h>
#include <sys/stat.h>

#define ROUNDS 8

static struct sw_fixture fx;

/* A TEEQ_SW that runs this build's teeq-sw with --idle-exit 1 last. */
static void idle_wrapper(char *out, size_t len)
{
	char exe[PATH_MAX];
	FILE *f;

	snprintf(out, len, "%s/teeq-sw-idle1", fx.dir);
	snprintf(exe, sizeof(exe), "%s", getenv("TEEQ_SW"));
	f = fopen(out, "we");
	CHECK(f);
	fprintf(f, "#!/bin/sh\nexec '%s' \"$@\" --idle-exit 1\n", exe);
	CHECK(!fclose(f));
	CHECK(!chmod(out, 0755));
}

int main(void)
{
	char wrapper[PATH_MAX];
	struct stat st;
	TEEC_Context ctx;
	pid_t pid, last = 0;
	uint64_t seed = 0x1d1e, t0;
	int status, i, starts = 0;

	sw_fixture_host_only("teeq-sw --idle-exit: host mode's socket");
	/* (a) a teeq-sw of our own, --idle-exit 1 */
	autostart_init(&fx);
	setenv("TEEQ_NO_AUTOSTART", "1", 1);
	sw_fixture_start_on(&fx, "--idle-exit", "1", NULL);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	usleep(2500000);
	autostart_call(&ctx); /* still there, an attached client is no idler */
	TEEC_FinalizeContext(&ctx);
	t0 = t_now_ms();
	CHECK_EQ(waitpid(fx.pid, &status, 0), fx.pid);
	fx.pid = 0;
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(t_now_ms() - t0 >= 900 && t_now_ms() - t0 < 4000);
	CHECK(stat(fx.sock, &st) && errno == ENOENT);

	/* (b) autostarted, clients arriving around the moment it leaves */
	unsetenv("TEEQ_NO_AUTOSTART");
	idle_wrapper(wrapper, sizeof(wrapper));
	setenv("TEEQ_SW", wrapper, 1);
	for (i = 0; i < ROUNDS; i++) {
		TEEC_Result res = TEEC_InitializeContext(NULL, &ctx);

		if (res != TEEC_SUCCESS)
			fprintf(stderr, "round %d: 0x%08x\n", i, res);
		CHECK_EQ(res, TEEC_SUCCESS);
		autostart_call(&ctx);
		pid = autostart_pid(&ctx);
		if (pid != last)
			starts++;
		last = pid;
		TEEC_FinalizeContext(&ctx);
		/* 0.85 to 1.25 s: around the idle deadline */
		usleep(850000 + (useconds_t)(test_rand(&seed) % 400000));
		/* the ones that left are reaped as we go */
		while (waitpid(-1, &status, WNOHANG) > 0)
			CHECK(WIFEXITED(status));
	}
	fprintf(stderr, "%d rounds, teeq-sw started %d times\n", ROUNDS,
		starts);
	CHECK(starts >= 2);
	CHECK(autostart_exited(last, 5000, &status));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return T_PASS;
}
