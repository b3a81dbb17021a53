// SPDX-License-Identifier: MIT
/*
 * 50 load/use/unload cycles leave nothing behind. Each cycle loads the
 * module, starts teeq-sw, runs calls with every kind of memref, stops
 * everything and unloads; before each unload the driver's own gauges are
 * back to zero and the module's reference count is 0 (the unload
 * succeeds). Across the cycles no slab cache grows steadily: the kernel's
 * object counts (/proc/slabinfo, caches shrunk), after five warm-up
 * cycles, must not rise by a cycle's worth in both halves of the run.
 * Objects the kernel frees late (files and their security blobs go after
 * an RCU grace period, which under emulation can take a while) are not
 * a leak: a cache that looks grown is read again until it settles, and
 * only growth that stays counts. SLUB's counts move a slab at a time, so
 * growth within one slab's worth of objects is below what this can see
 * (the driver's own gauges, checked every cycle, are exact).
 */
#include "tests/kernel/kfixture.h"

#define KT_CYCLES 50
#define KT_CACHES 512
/* seconds a grown-looking cache may take: a CI run of make test with the
 * host loaded by other work saw files still settling after 10 s */
#define KT_SETTLE_TRIES 30

struct kt_slab {
	char name[64];
	long objs;
	long per_slab; /* objects in one slab: SLUB's counting grain */
};

/* Every cache's objects in use. The caches are shrunk first: SLUB counts
 * the free objects of per-CPU slabs as in use until they are flushed. */
static int kt_slabinfo(struct kt_slab *s)
{
	char line[512], path[128];
	FILE *f;
	int n = 0, i, fd;

	f = fopen("/proc/slabinfo", "re");
	CHECK(f);
	while (fgets(line, sizeof(line), f) && n < KT_CACHES)
		if (line[0] != '#' && strncmp(line, "slabinfo", 8) &&
		    sscanf(line, "%63s", s[n].name) == 1)
			n++;
	fclose(f);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 s[i].name);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			(void)!write(fd, "1", 1);
			close(fd);
		}
	}
	n = 0;
	f = fopen("/proc/slabinfo", "re");
	CHECK(f);
	while (fgets(line, sizeof(line), f) && n < KT_CACHES) {
		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%63s %ld %*d %*d %ld", s[n].name, &s[n].objs,
			   &s[n].per_slab) == 3)
			n++;
	}
	fclose(f);
	return n;
}

static long kt_objs(const struct kt_slab *s, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			return s[i].objs;
	return 0;
}

static void kt_use(void)
{
	struct teeq_ioctl_param p[2];
	uint8_t in[64] = { 1 }, out[64];
	struct kt_result res;
	int fd, shm_fd, reg_fd, id, reg_id;
	void *user = aligned_alloc(4096, 4096);
	uint32_t s;

	fd = kt_open();
	s = kt_session(fd, &kt_echo);
	p[0] = kt_temp(KT_MIN, in, sizeof(in));
	p[1] = kt_temp(KT_MOUT, out, sizeof(out));
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_COPY, p, 2, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	shm_fd = kt_shm_alloc(fd, 4096, &id, NULL);
	reg_fd = kt_shm_register(fd, user, 4096, &reg_id);
	p[0] = kt_memref(KT_MIN, id, 0, 64);
	p[1] = kt_memref(KT_MOUT, reg_id, 0, 64);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_COPY, p, 2, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	close(reg_fd);
	close(shm_fd);
	CHECK_EQ(kt_close_session(fd, s), 0);
	close(fd);
	free(user);
}

static void kt_cycle(void)
{
	struct teeq_swdev_stats st;
	char refcnt[16] = "";
	int fd;

	kt_sw_start();
	kt_use();
	kt_sw_stop();
	kt_stats(&st);
	CHECK_EQ(st.contexts, 0);
	CHECK_EQ(st.channels, 0);
	CHECK_EQ(st.sessions, 0);
	CHECK_EQ(st.shms, 0);
	CHECK_EQ(st.heap_pages, 0);
	CHECK_EQ(st.in_flight, 0);
	fd = open("/sys/module/teeq/refcnt", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK(read(fd, refcnt, sizeof(refcnt) - 1) > 0);
	close(fd);
	CHECK_EQ(atoi(refcnt), 0);
	CHECK_EQ(kt_module_unload(), 0);
	CHECK_EQ(kt_module_load("compat_nodes=1"), 0);
}

int main(void)
{
	static struct kt_slab a[KT_CACHES], b[KT_CACHES], c[KT_CACHES];
	int i, na, nb, nc, grown = 0, settle;
	int half = KT_CYCLES / 2;

	for (i = 0; i < 5; i++)
		kt_cycle();
	na = kt_slabinfo(a);
	for (i = 0; i < half; i++)
		kt_cycle();
	nb = kt_slabinfo(b);
	for (i = 0; i < KT_CYCLES - half; i++)
		kt_cycle();
	for (settle = 0;; settle++) {
		nc = kt_slabinfo(c);
		grown = 0;
		for (i = 0; i < nc; i++) {
			long d1 = kt_objs(b, nb, c[i].name) -
				  kt_objs(a, na, c[i].name);
			long d2 = c[i].objs - kt_objs(b, nb, c[i].name);

			if (!settle && (d1 || d2))
				printf("%-24s %+ld %+ld\n", c[i].name, d1, d2);
			/* SLUB counts whole slabs of its per-CPU lists as
			 * in use: a slab more or less is its grain, not a
			 * leak */
			if (d1 >= half && d2 >= half && d1 > c[i].per_slab &&
			    d2 > c[i].per_slab) {
				printf("  grows every cycle: %s (%+ld %+ld)\n",
				       c[i].name, d1, d2);
				grown++;
			}
		}
		if (!grown || settle == KT_SETTLE_TRIES)
			break;
		printf("  settling, %d s\n", settle + 1);
		sleep(1); /* late frees: RCU callbacks, deferred fputs */
	}
	CHECK_EQ(grown, 0);
	printf("%d cycles, no slab cache grew with them\n", KT_CYCLES + 5);
	return T_PASS;
}
