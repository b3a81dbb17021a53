/* SPDX-License-Identifier: MIT */
/*
 * Fresh temporary directories for a test, removed with everything in them
 * when it exits (by the process that made them, not by its children).
 */
#ifndef TEEQ_TESTS_TMPDIR_H
#define TEEQ_TESTS_TMPDIR_H

#include "tests/check.h"

#include <ftw.h>
#include <stdio.h>
#include <unistd.h>

#define T_TMPDIRS 8

static char t_tmpdirs[T_TMPDIRS][64];
static pid_t t_tmpdir_owner;

static inline int t_rm_one(const char *path, const struct stat *st, int flag,
			   struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Removes @path and everything below it; never follows a link. */
static inline void t_rmtree(const char *path)
{
	nftw(path, t_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void t_tmpdir_cleanup(void)
{
	int i;

	if (getpid() != t_tmpdir_owner)
		return;
	for (i = 0; i < T_TMPDIRS; i++)
		if (t_tmpdirs[i][0])
			t_rmtree(t_tmpdirs[i]);
}

/* Removes a directory t_tmpdir() made, now. */
static inline void t_tmpdir_remove(const char *path)
{
	int i;

	for (i = 0; i < T_TMPDIRS; i++) {
		if (t_tmpdirs[i][0] && !strcmp(t_tmpdirs[i], path)) {
			t_rmtree(t_tmpdirs[i]);
			t_tmpdirs[i][0] = 0;
		}
	}
}

/* A new directory @base/teeq-@what-XXXXXX (mode 0700) in @out. */
static inline void t_tmpdir_in(const char *base, char *out, size_t len,
			       const char *what)
{
	int i;

	if (!t_tmpdir_owner) {
		t_tmpdir_owner = getpid();
		atexit(t_tmpdir_cleanup);
	}
	for (i = 0; i < T_TMPDIRS && t_tmpdirs[i][0]; i++)
		;
	CHECK(i < T_TMPDIRS);
	snprintf(t_tmpdirs[i], sizeof(t_tmpdirs[i]), "%.20s/teeq-%.20s-XXXXXX",
		 base, what);
	CHECK(mkdtemp(t_tmpdirs[i]));
	CHECK(strlen(t_tmpdirs[i]) < len);
	strcpy(out, t_tmpdirs[i]);
}

/* The same in /tmp. */
static inline void t_tmpdir(char *out, size_t len, const char *what)
{
	t_tmpdir_in("/tmp", out, len, what);
}

#endif /* TEEQ_TESTS_TMPDIR_H */
