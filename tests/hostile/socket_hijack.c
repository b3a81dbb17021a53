// SPDX-License-Identifier: MIT
/*
 * Nobody can put a teeq-sw of theirs between a client and its secure
 * world, nor make a victim's teeq-sw create files where they like. An
 * attacker (another uid) prepares, and the victim:
 *  (a) made /tmp/teeq-<victim> first and serves in it: the victim, with
 *      XDG_RUNTIME_DIR unset, neither attaches there (autostart off) nor
 *      starts a teeq-sw into it (autostart on): ACCESS_DENIED, and the
 *      attacker's teeq-sw has seen no client;
 *  (b) serves on the socket the victim names, in sticky /tmp: the victim
 *      checks the server's credentials and refuses (ACCESS_DENIED), unless
 *      TEEQ_SW_USER names that uid;
 *  (c) the victim's own teeq-sw refuses to serve in the attacker's
 *      directory, even one that lets the victim create files in it, and
 *      leaves nothing there;
 *  (d) planted the victim's lock file as a symlink: the victim's teeq-sw
 *      refuses it and creates nothing through it.
 */
#include "tests/hostile/users.h"

#include <tee_client_api.h>
#include <teeq.h>

#define ATTACKER_DIR "/tmp/teeq-61001" /* the victim's default */

static uint32_t victim_attach(void *arg)
{
	const char *socket_env = arg;
	TEEC_Context ctx;
	TEEC_Result res;

	unsetenv("XDG_RUNTIME_DIR");
	if (socket_env)
		setenv("TEEQ_SOCKET", socket_env, 1);
	else
		unsetenv("TEEQ_SOCKET");
	res = TEEC_InitializeContext(NULL, &ctx);
	if (res == TEEC_SUCCESS)
		TEEC_FinalizeContext(&ctx);
	return res;
}

static uint64_t clients_total(const char *sock)
{
	struct sw_fixture f = { 0 };
	struct teeq_sw_stats st;

	snprintf(f.sock, sizeof(f.sock), "%s", sock);
	sw_fixture_stats(&f, &st);
	return st.clients_total;
}

static void stop(pid_t pid)
{
	int status = hostile_reap(pid, SIGTERM);

	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
	pid_t evil, mine;
	int status;
	struct stat st;

	hostile_watchdog(120);
	users_private_tmp();

	/* (a) the attacker's directory where the victim's default is */
	CHECK(!mkdir(ATTACKER_DIR, 0755));
	CHECK(!chown(ATTACKER_DIR, USERS_ATTACKER, USERS_ATTACKER));
	evil = users_sw_as(USERS_ATTACKER, ATTACKER_DIR "/teeq-sw.sock", NULL);
	CHECK(users_sw_serves(evil, ATTACKER_DIR "/teeq-sw.sock", &status));
	CHECK(!chmod(ATTACKER_DIR "/teeq-sw.sock", 0777));
	setenv("TEEQ_NO_AUTOSTART", "1", 1);
	CHECK_EQ(users_call_as(USERS_VICTIM, victim_attach, NULL, 20000),
		 TEEC_ERROR_ACCESS_DENIED);
	unsetenv("TEEQ_NO_AUTOSTART"); /* TEEQ_SW: tests/run.sh's */
	CHECK_EQ(users_call_as(USERS_VICTIM, victim_attach, NULL, 20000),
		 TEEC_ERROR_ACCESS_DENIED);
	CHECK_EQ(clients_total(ATTACKER_DIR "/teeq-sw.sock"), 0);
	setenv("TEEQ_NO_AUTOSTART", "1", 1);

	/* (c) nor does the victim's own teeq-sw serve in it, even opened to
	 * all (so that only its owner and mode can be the reason) */
	CHECK(!chmod(ATTACKER_DIR, 0777));
	mine = users_sw_as(USERS_VICTIM, ATTACKER_DIR "/victim.sock", NULL);
	CHECK(!users_sw_serves(mine, ATTACKER_DIR "/victim.sock", &status));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 0);
	CHECK(access(ATTACKER_DIR "/victim.sock.lock", F_OK) &&
	      errno == ENOENT);
	stop(evil);

	/* (b) a socket in sticky /tmp, first taken by the attacker */
	evil = users_sw_as(USERS_ATTACKER, "/tmp/shared.sock", NULL);
	CHECK(users_sw_serves(evil, "/tmp/shared.sock", &status));
	/* open to all, as a trap would be */
	CHECK(!chmod("/tmp/shared.sock", 0777));
	CHECK_EQ(users_call_as(USERS_VICTIM, victim_attach, "/tmp/shared.sock",
			       20000),
		 TEEC_ERROR_ACCESS_DENIED);
	CHECK_EQ(clients_total("/tmp/shared.sock"), 0);
	/* unless the victim says that this uid serves it */
	setenv("TEEQ_SW_USER", "61002", 1);
	CHECK_EQ(users_call_as(USERS_VICTIM, victim_attach, "/tmp/shared.sock",
			       20000),
		 TEEC_SUCCESS);
	unsetenv("TEEQ_SW_USER");
	CHECK_EQ(clients_total("/tmp/shared.sock"), 1);
	stop(evil);

	/* (d) a lock file planted as a symlink */
	CHECK(!symlink("/tmp/made-by-victim", "/tmp/v.sock.lock"));
	CHECK(!lchown("/tmp/v.sock.lock", USERS_ATTACKER, USERS_ATTACKER));
	mine = users_sw_as(USERS_VICTIM, "/tmp/v.sock", NULL);
	if (users_sw_serves(mine, "/tmp/v.sock", &status)) {
		stop(mine);
		fprintf(stderr, "teeq-sw served behind a planted lock\n");
	}
	CHECK(stat("/tmp/made-by-victim", &st) && errno == ENOENT);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 0);
	return T_PASS;
}
