// SPDX-License-Identifier: MIT
/*
 * libteeq's async batches in kernel mode go as io_uring commands, and
 * where the node takes none they go by ioctl, said once on stderr. With
 * teeq.ko's uring_cmd=0 (every command refused -EOPNOTSUPP, as by a
 * kernel without the hook) a batch of 24 echo VALUES invocations on two
 * queues of two contexts completes with every output right, the driver
 * counts 24 more calls and no io_uring command but the probe's, and
 * stderr holds the one line that says so. With uring_cmd=1 again a new
 * process's batch goes as commands (one per call and the probe, by the
 * driver's count), with the same outputs, and says nothing.
 */
#include "tests/kernel/kfixture.h"
#include "uapi/teeq_tas.h"

#include <sys/mman.h>
#include <sys/wait.h>
#include <tee_client_api.h>
#include <teeq.h>

#define KT_PARAM "/sys/module/teeq/parameters/uring_cmd"
#define KT_BATCH 12
#define KT_SAYS "takes no io_uring commands here"

static void kt_uring_cmd(int on)
{
	FILE *f = fopen(KT_PARAM, "w");

	CHECK(f);
	CHECK(fputs(on ? "1" : "0", f) >= 0);
	CHECK_EQ(fclose(f), 0);
}

/* One context, one queue: a batch of KT_BATCH VALUES calls, checked. */
static void kt_batch(uint32_t base)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	struct teeq_completion done[KT_BATCH];
	TEEC_Operation ops[KT_BATCH];
	TEEC_Context ctx;
	TEEC_Session sess;
	teeq_queue *q;
	uint32_t origin, i;
	unsigned int got = 0;

	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	for (i = 0; i < KT_BATCH; i++) {
		memset(&ops[i], 0, sizeof(ops[i]));
		ops[i].paramTypes =
			TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_VALUE_INOUT, TEEC_NONE);
		ops[i].params[0].value.a = base + i;
		ops[i].params[0].value.b = 1000 + i;
		ops[i].params[2].value.a = 7;
		ops[i].params[2].value.b = 9;
		CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_ECHO_CMD_VALUES,
					  &ops[i], i),
			 TEEC_SUCCESS);
	}
	CHECK_EQ(teeq_submit(q), KT_BATCH);
	while (got < KT_BATCH)
		got += teeq_reap(q, done + got, KT_BATCH - got, 1, 10000);
	for (i = 0; i < KT_BATCH; i++) {
		TEEC_Operation *op = done[i].operation;
		uint64_t k = done[i].user_data;

		CHECK_EQ(done[i].result, TEEC_SUCCESS);
		CHECK_EQ(done[i].origin, TEEC_ORIGIN_TRUSTED_APP);
		CHECK(op == &ops[k]);
		CHECK_EQ(op->params[1].value.a, base + k);
		CHECK_EQ(op->params[1].value.b, 1000 + k);
		CHECK_EQ(op->params[2].value.a, 7 + base + k);
		CHECK_EQ(op->params[2].value.b, 9 + 1000 + k);
	}
	teeq_queue_close(q);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
}

/* Runs two batches in a child whose stderr goes to @log; returns how
 * many times the fallback was said there. */
static int kt_child(int log, uint32_t base)
{
	char text[4096], *p;
	ssize_t n;
	int status, says = 0;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		dup2(log, 2);
		kt_batch(base);
		kt_batch(base + KT_BATCH);
		_exit(0);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	n = pread(log, text, sizeof(text) - 1, 0);
	CHECK(n >= 0);
	text[n] = 0;
	fprintf(stderr, "child's stderr: [%s]\n", text);
	for (p = text; (p = strstr(p, KT_SAYS)); p++)
		says++;
	return says;
}

int main(void)
{
	struct teeq_swdev_stats st0, st1;
	int log;

	kt_sw_start();
	unsetenv("TEEQ_MODE"); /* the default finds /dev/teeq0 */

	kt_uring_cmd(0);
	log = memfd_create("stderr", MFD_CLOEXEC);
	CHECK(log >= 0);
	kt_stats(&st0);
	CHECK_EQ(kt_child(log, 100), 1);
	kt_stats(&st1);
	CHECK(st1.calls - st0.calls >= 2 * (KT_BATCH + 1)); /* and opens */
	CHECK_EQ(st1.uring_cmds, st0.uring_cmds); /* refused ones uncounted */
	close(log);

	kt_uring_cmd(1);
	log = memfd_create("stderr", MFD_CLOEXEC);
	CHECK(log >= 0);
	kt_stats(&st0);
	CHECK_EQ(kt_child(log, 500), 0);
	kt_stats(&st1);
	CHECK(st1.calls - st0.calls >= 2 * (KT_BATCH + 1));
	/* each call a command, besides each queue's probe (a CANCEL) */
	CHECK_EQ(st1.uring_cmds - st0.uring_cmds, 2 * KT_BATCH);
	CHECK_EQ(st1.uring_cancels - st0.uring_cancels, 2);
	close(log);
	kt_sw_stop();
	return 0;
}
