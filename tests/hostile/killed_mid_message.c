// SPDX-License-Identifier: MIT
/*
 * A client killed with a reply of teeq-sw's still unread (here: a stats
 * request it never read the answer of) is a client that hung up, not one
 * that misbehaved: teeq-sw frees it and counts it in neither
 * clients_dropped nor clients_refused. Ten of them, while another client
 * keeps working.
 */
#include "client/internal.h"
#include "tests/hostile/watch.h"

static struct sw_fixture fx;

static int killed_client(void *arg)
{
	struct teeq_host_hdr req = { .magic = TEEQ_HOST_MAGIC,
				     .type = TEEQ_HOST_STATS,
				     .len = sizeof(req),
				     .seq = 99 };
	TEEC_Context ctx;

	(void)arg;
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(send(ctx.imp->sock, &req, sizeof(req), MSG_NOSIGNAL),
		 sizeof(req));
	pause(); /* killed with the reply in its queue */
	return 0;
}

int main(void)
{
	struct good_client good;
	struct teeq_sw_stats st;
	uint64_t t0;
	int i;

	hostile_watchdog(60);
	sw_fixture_start(&fx);
	good_start(&good);
	for (i = 0; i < 10; i++) {
		pid_t pid = hostile_spawn(killed_client, NULL);

		/* attached, and its stats answered (unread) */
		t0 = t_now_ms();
		do {
			sw_fixture_stats(&fx, &st);
			usleep(2000);
		} while (st.clients_total < (uint64_t)i + 2 &&
			 t_now_ms() - t0 < 5000);
		usleep(50000);
		hostile_reap(pid, SIGKILL);
	}
	t0 = t_now_ms();
	do {
		sw_fixture_stats(&fx, &st);
		usleep(2000);
	} while (st.clients != 1 && t_now_ms() - t0 < 5000);
	CHECK_EQ(st.clients, 1);
	CHECK_EQ(st.clients_total, 11);
	CHECK_EQ(st.clients_dropped, 0);
	CHECK_EQ(st.clients_refused, 0);
	good_watch(&good, 100, "after");
	good_stop(&good);
	sw_fixture_stop(&fx);
	return T_PASS;
}
