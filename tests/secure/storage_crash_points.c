// SPDX-License-Identifier: MIT
/*
 * The commit protocol at every crash point: each kind of change (replace
 * an object's contents, write through a handle, create, rename, delete,
 * truncate) is cut at each of the supplicant requests it makes, before
 * and after the supplicant carries the request out, with the supplicant
 * dying alone or teeq-sw dying too (all secure memory lost). Afterwards,
 * with a new supplicant: the objects the change touched are wholly as
 * before it or wholly as after it, the others untouched, the listing
 * agrees, and a change reported successful is there; and the next change
 * works. Uncut, each change makes the same requests every time.
 */
#include "tests/secure/storage_fixture.h"

enum change {
	REPLACE,
	WRITE,
	CREATE,
	RENAME,
	DELETE,
	TRUNCATE,
	NR_CHANGES,
};

static const char *const names[] = { "replace", "write",  "create",
				     "rename",	"delete", "truncate" };

static const char a1[] = "the first contents of a";
static const char a2[] = "a, as the change leaves it: longer than before";
static const char x1[] = "x is never touched";

static uint32_t do_change(enum change c)
{
	struct storage_obj *o;
	uint32_t res;

	switch (c) {
	case REPLACE:
		return core_put(&core_ns, "a", a2, sizeof(a2));
	case WRITE:
		res = storage_open(&core_ns, "a", 1, STORAGE_ACCESS_WRITE, &o);
		if (res)
			return res;
		res = storage_write(o, a2, sizeof(a2));
		storage_close(o);
		return res;
	case CREATE:
		return core_put(&core_ns, "b", a2, sizeof(a2));
	case RENAME:
	case DELETE:
		res = storage_open(&core_ns, "a", 1, STORAGE_ACCESS_WRITE_META,
				   &o);
		if (res)
			return res;
		if (c == RENAME) {
			res = storage_rename(o, "c", 1);
			storage_close(o);
			return res;
		}
		res = storage_delete(o);
		if (res)
			storage_close(o);
		return res;
	case TRUNCATE:
		res = storage_open(&core_ns, "a", 1, STORAGE_ACCESS_WRITE, &o);
		if (res)
			return res;
		res = storage_truncate(o, 5);
		storage_close(o);
		return res;
	default:
		return TEEQ_ERROR_GENERIC;
	}
}

/* 1: @id holds exactly @want; 0: it does not exist; fails otherwise. */
static int holds(const char *id, const void *want, size_t len)
{
	char buf[256];
	size_t n;
	uint32_t res = core_get(&core_ns, id, buf, sizeof(buf), &n);

	if (res == TEEQ_ERROR_ITEM_NOT_FOUND)
		return 0;
	CHECK_EQ(res, TEEQ_SUCCESS);
	if (n != len || memcmp(buf, want, len))
		return -1;
	return 1;
}

static int listed(const char *id)
{
	struct storage_enum *e;
	uint8_t got[STORAGE_ID_MAX];
	size_t len;
	int found = 0;

	if (storage_enum_start(&core_ns, &e) == TEEQ_ERROR_ITEM_NOT_FOUND)
		return 0;
	while (!storage_enum_next(e, got, &len, NULL))
		found += len == strlen(id) && !memcmp(got, id, len);
	storage_enum_free(e);
	CHECK(found <= 1);
	return found;
}

/* The change happened (1) or not (0); anything else fails. */
static int check_after(enum change c)
{
	int a_old = holds("a", a1, sizeof(a1)), a_new, done = -1;

	CHECK_EQ(holds("x", x1, sizeof(x1)), 1);
	switch (c) {
	case REPLACE:
	case WRITE:
		a_new = holds("a", a2, sizeof(a2));
		CHECK(a_old == 1 || a_new == 1);
		done = a_new == 1;
		break;
	case CREATE:
		CHECK_EQ(a_old, 1);
		a_new = holds("b", a2, sizeof(a2));
		CHECK(a_new >= 0);
		done = a_new;
		CHECK_EQ(listed("b"), done);
		break;
	case RENAME:
		a_new = holds("c", a1, sizeof(a1));
		/* one of the two names, never both, never none */
		CHECK(a_old >= 0 && a_new >= 0 && a_old + a_new == 1);
		done = a_new;
		CHECK_EQ(listed("c"), done);
		CHECK_EQ(listed("a"), !done);
		break;
	case DELETE:
		CHECK(a_old >= 0);
		done = !a_old;
		CHECK_EQ(listed("a"), a_old);
		break;
	case TRUNCATE:
		a_new = holds("a", a1, 5);
		CHECK(a_old == 1 || a_new == 1);
		done = a_new == 1;
		break;
	default:
		break;
	}
	CHECK_EQ(listed("x"), 1);
	return done;
}

static struct core_fixture fx;

/* One run of @c cut at request @k (0: uncut). Returns the requests the
 * change made. */
static uint64_t run(enum change c, uint64_t k, int after, int restart,
		    int *happened)
{
	uint64_t before, made;
	uint32_t res;
	char buf[64];
	size_t n;

	core_init(&fx, 4096);
	CHECK_EQ(core_put(&core_ns, "a", a1, sizeof(a1)), TEEQ_SUCCESS);
	CHECK_EQ(core_put(&core_ns, "x", x1, sizeof(x1)), TEEQ_SUCCESS);
	before = fx.requests;
	fx.cut_at = k ? before + k : 0;
	fx.cut_after = after;
	res = do_change(c);
	made = fx.requests - before;
	if (!k)
		CHECK_EQ(res, TEEQ_SUCCESS);
	else if (res)
		CHECK_EQ(res, TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	if (restart)
		core_restart(&fx);
	else
		core_attach(&fx);
	*happened = check_after(c);
	/* reported done: there */
	if (res == TEEQ_SUCCESS)
		CHECK_EQ(*happened, 1);
	/* and it goes on */
	CHECK_EQ(core_put(&core_ns, "x", "x2", 2), TEEQ_SUCCESS);
	CHECK_EQ(core_get(&core_ns, "x", buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, 2);
	core_fini(&fx);
	core_cleanup();
	return made;
}

int main(void)
{
	int c, after, restart, happened, seen[2];
	uint64_t k, made, again, runs = 0;

	for (c = 0; c < NR_CHANGES; c++) {
		made = run(c, 0, 0, 0, &happened);
		again = run(c, 0, 0, 1, &happened);
		CHECK_EQ(made, again);
		CHECK(made >= 6); /* object and directory, each 3 at least */
		seen[0] = seen[1] = 0;
		for (k = 1; k <= made; k++)
			for (after = 0; after < 2; after++)
				for (restart = 0; restart < 2; restart++) {
					run(c, k, after, restart, &happened);
					seen[happened]++;
					runs++;
				}
		/* early cuts leave it undone, late ones done */
		CHECK(seen[0] > 0 && seen[1] > 0);
		printf("%s: %llu requests; cut at each: %d times as before, %d "
		       "as after\n",
		       names[c], (unsigned long long)made, seen[0], seen[1]);
	}
	printf("%llu cut runs, none corrupt or lost\n",
	       (unsigned long long)runs);
	return T_PASS;
}
