// SPDX-License-Identifier: MIT
/*
 * Crash safety, end to end: round after round, a client changes one of a
 * few objects through the storage TA (replaces its contents, writes into
 * it through a handle, creates, renames or deletes it) while another
 * thread kills teeq-supplicant or teeq-sw with SIGKILL at a random moment
 * (mostly in the middle of the change). The killed daemon is started
 * again, and then every object must read back as it was before the change
 * or as the change leaves it (and as it leaves it if the change was
 * reported done), whole, and the listing must name exactly the objects
 * that exist. At least 200 rounds; the log ends with
 *   crash-loop: N rounds, N corrupt, N lost
 * where corrupt counts objects that read as CORRUPT_OBJECT or as contents
 * neither before nor after, and lost objects missing that must exist.
 */
#include "tests/storage/fixture.h"

#include "ring/wait.h"

#include <pthread.h>

#define OBJECTS 5
#define MAX_LEN 3000
#define ROUNDS 200

/* What an object is: absent (len < 0) or these bytes. */
struct state {
	int len;
	unsigned char data[MAX_LEN];
};

static struct st_fixture fx;
static TEEC_Context ctx;
static TEEC_Session sess;
static struct state model[OBJECTS], after[OBJECTS];
static uint64_t seed = 0x5eed;
static int corrupt, lost, kills_sw, kills_suppl, done_changes;

static const char *id_of(int i)
{
	static const char *ids[OBJECTS] = { "obj0", "obj1", "obj2", "obj3",
					    "obj4" };

	return ids[i];
}

/* ---- the killer ------------------------------------------------------------ */

struct killer {
	pthread_t thread;
	pid_t pid;
	uint32_t delay_us;
};

static void *killer_main(void *arg)
{
	struct killer *k = arg;
	struct timespec ts = { 0, (long)k->delay_us * 1000 };

	nanosleep(&ts, NULL);
	kill(k->pid, SIGKILL);
	return NULL;
}

/* ---- the change ------------------------------------------------------------ */

enum change_kind { REPLACE, WRITE, CREATE, RENAME, DELETE, NR_KINDS };

struct change {
	enum change_kind kind;
	int obj, other; /* other: RENAME's new name */
	uint32_t off; /* WRITE */
	int len;
	unsigned char data[MAX_LEN];
};

static void pick(struct change *c)
{
	int i, present = 0, absent = 0;

	for (i = 0; i < OBJECTS; i++) {
		present += model[i].len >= 0;
		absent += model[i].len < 0;
	}
	do {
		c->kind = (enum change_kind)(test_rand(&seed) % NR_KINDS);
		c->obj = (int)(test_rand(&seed) % OBJECTS);
		c->other = (int)(test_rand(&seed) % OBJECTS);
	} while ((c->kind == CREATE) != (model[c->obj].len < 0) ||
		 (c->kind == RENAME &&
		  (c->other == c->obj || model[c->other].len >= 0)) ||
		 (c->kind == RENAME && !absent) ||
		 (!present && c->kind != CREATE));
	c->len = (int)(test_rand(&seed) % MAX_LEN) + 1;
	for (i = 0; i < c->len; i++)
		c->data[i] = (unsigned char)test_rand(&seed);
	c->off = c->kind == WRITE ?
			 (uint32_t)(test_rand(&seed) %
				    (uint64_t)(model[c->obj].len + 1)) :
			 0;
	if (c->off == MAX_LEN)
		c->off--;
	if (c->kind == WRITE && (int)c->off + c->len > MAX_LEN)
		c->len = MAX_LEN - (int)c->off;
}

/* What the objects are once @c is done. */
static void apply(const struct change *c, struct state *s)
{
	struct state *o = &s[c->obj];

	switch (c->kind) {
	case REPLACE:
	case CREATE:
		o->len = c->len;
		memcpy(o->data, c->data, (size_t)c->len);
		break;
	case WRITE:
		memcpy(o->data + c->off, c->data, (size_t)c->len);
		if ((int)c->off + c->len > o->len)
			o->len = (int)c->off + c->len;
		break;
	case RENAME:
		s[c->other] = *o;
		o->len = -1;
		break;
	case DELETE:
		o->len = -1;
		break;
	default:
		break;
	}
}

/* Carries @c out through the TA; TEEC_SUCCESS when reported done. */
static TEEC_Result carry_out(const struct change *c)
{
	TEEC_Result res;
	uint32_t h;

	/* any call may fail here: a daemon is being killed */
	switch (c->kind) {
	case REPLACE:
	case CREATE:
		res = st_create(&sess, id_of(c->obj),
				TEEQ_STORAGE_ACCESS_WRITE |
					(c->kind == REPLACE ?
						 TEEQ_STORAGE_OVERWRITE :
						 0),
				c->data, (size_t)c->len, &h);
		if (!res)
			res = st_close(&sess, h);
		return res;
	case WRITE:
		res = st_open(&sess, id_of(c->obj), TEEQ_STORAGE_ACCESS_WRITE,
			      &h);
		if (res)
			return res;
		res = st_seek(&sess, h, c->off, TEEQ_STORAGE_SEEK_SET, NULL);
		if (!res)
			res = st_write(&sess, h, c->data, (size_t)c->len);
		st_close(&sess, h);
		return res;
	case RENAME:
	case DELETE:
		res = st_open(&sess, id_of(c->obj),
			      TEEQ_STORAGE_ACCESS_WRITE_META, &h);
		if (res)
			return res;
		if (c->kind == RENAME) {
			res = st_handle_buf(&sess, TEEQ_STORAGE_CMD_RENAME, h,
					    id_of(c->other), 4);
			st_close(&sess, h);
			return res;
		}
		res = st_handle_cmd(&sess, TEEQ_STORAGE_CMD_DELETE, h, 0);
		if (res)
			st_close(&sess, h);
		return res;
	default:
		return TEEC_ERROR_GENERIC;
	}
}

/* ---- checking ------------------------------------------------------------------ */

/* Object @i now: its state in @now, or a count of the damage. */
static void observe(int i, struct state *now)
{
	static unsigned char buf[MAX_LEN + 1];
	TEEC_Result res;
	size_t n;

	res = st_get(&sess, id_of(i), buf, sizeof(buf), &n);
	if (res == TEEQ_ERROR_ITEM_NOT_FOUND) {
		now->len = -1;
		return;
	}
	if (res) {
		fprintf(stderr, "%s: read 0x%x\n", id_of(i), res);
		now->len = -2; /* corrupt */
		return;
	}
	now->len = (int)n;
	memcpy(now->data, buf, n);
}

static int same(const struct state *a, const struct state *b)
{
	return a->len == b->len &&
	       (a->len <= 0 || !memcmp(a->data, b->data, (size_t)a->len));
}

/* Every object is as before or as after (all together: one or the
 * other), and as after if the change was reported done. */
static void check_round(TEEC_Result res, int round)
{
	struct state now[OBJECTS];
	char ids[1024], *p;
	uint32_t count;
	int i, as_before = 1, as_after = 1, listed[OBJECTS] = { 0 };

	for (i = 0; i < OBJECTS; i++) {
		observe(i, &now[i]);
		as_before &= same(&now[i], &model[i]);
		as_after &= same(&now[i], &after[i]);
	}
	if (!as_before && !as_after) {
		for (i = 0; i < OBJECTS; i++) {
			if (same(&now[i], &model[i]) ||
			    same(&now[i], &after[i]))
				continue;
			if (now[i].len == -1)
				lost++;
			else
				corrupt++;
			fprintf(stderr,
				"round %d: %s is %d bytes, was %d, "
				"should be %d\n",
				round, id_of(i), now[i].len, model[i].len,
				after[i].len);
		}
		/* a mix of before and after counts as damage too */
		if (!lost && !corrupt)
			corrupt++;
	}
	if (res == TEEC_SUCCESS && !as_after) {
		fprintf(stderr, "round %d: reported done, not there\n", round);
		lost++;
	}
	CHECK_EQ(st_list(&sess, ids, sizeof(ids), &count), TEEC_SUCCESS);
	for (p = ids; count--; p += strlen(p) + 1)
		for (i = 0; i < OBJECTS; i++)
			listed[i] += !strcmp(p, id_of(i));
	for (i = 0; i < OBJECTS; i++) {
		if (listed[i] != (now[i].len >= 0)) {
			fprintf(stderr, "round %d: %s listed %d times\n", round,
				id_of(i), listed[i]);
			corrupt++;
		}
		/* from here on, what is there */
		if (now[i].len >= -1)
			model[i] = now[i];
	}
	done_changes += as_after;
}

static void connect_client(void)
{
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	st_open_session(&ctx, &sess);
	CHECK_EQ(st_wait_storage(&sess), TEEC_SUCCESS);
}

int main(void)
{
	static struct change c;
	struct killer k;
	uint64_t usual_us = 5000, t0;
	TEEC_Result res;
	int round, rounds = ROUNDS, i;

	/* in memory where there is a tmpfs: what is tested is surviving
	 * processes killed, not power cuts, so nothing here needs a disk */
	st_init_in(&fx, access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
	st_start_sw(&fx);
	st_start_suppl(&fx);
	connect_client();
	for (i = 0; i < OBJECTS; i++)
		model[i].len = -1;

	for (round = 1; round <= rounds; round++) {
		int sw = (int)(test_rand(&seed) % 2);

		pick(&c);
		memcpy(after, model, sizeof(after));
		apply(&c, after);
		k.pid = sw ? fx.sw.pid : fx.suppl_pid;
		/* within 1.5 times a change's usual length (a moving
		 * average of those that finished): most kills land in the
		 * middle of one, on any file system, under any sanitizer */
		k.delay_us =
			(uint32_t)(test_rand(&seed) % (usual_us * 3 / 2 + 1));
		CHECK(!pthread_create(&k.thread, NULL, killer_main, &k));
		t0 = ring_now_ns();
		res = carry_out(&c);
		if (res == TEEC_SUCCESS)
			usual_us =
				(7 * usual_us + (ring_now_ns() - t0) / 1000) /
				8;
		pthread_join(k.thread, NULL);
		if (sw) {
			kills_sw++;
			sw_fixture_kill(&fx.sw, SIGKILL);
			TEEC_CloseSession(&sess);
			TEEC_FinalizeContext(&ctx);
			st_start_sw(&fx);
			/* the supplicant (not --once) attaches again */
			connect_client();
		} else {
			kills_suppl++;
			st_restart_suppl(&fx, &sess);
		}
		check_round(res, round);
	}
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	/* nothing of theirs may follow the last line */
	st_kill_suppl(&fx, SIGKILL);
	sw_fixture_kill(&fx.sw, SIGKILL);
	printf("kills: %d of teeq-sw, %d of teeq-supplicant; %d changes "
	       "survived as done, %d as not done\n",
	       kills_sw, kills_suppl, done_changes, rounds - done_changes);
	printf("crash-loop: %d rounds, %d corrupt, %d lost\n", rounds, corrupt,
	       lost);
	/* cut changes both ways: the kills did land mid-change */
	CHECK(done_changes > 0 && done_changes < rounds);
	return corrupt || lost ? T_FAIL : T_PASS;
}
