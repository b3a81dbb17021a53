/* SPDX-License-Identifier: MIT */
/*
 * TA trace output: EMSG (errors), IMSG (information), DMSG (debug), FMSG
 * (flow), each compiled in when TRACE_LEVEL is at least its level, and
 * their _RAW forms without the level, function and line prefix. MSG and
 * MSG_RAW always print. Lines go to the TA host's log (teeq-sw's log for
 * a loaded TA, stderr when none is bound).
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <trace_levels.h>

void trace_printf(const char *func, int line, int level, bool prefix,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define trace_printf_helper(level, prefix, ...) \
	trace_printf(__func__, __LINE__, (level), (prefix), __VA_ARGS__)

#define MSG(...) trace_printf_helper(0, true, __VA_ARGS__)
#define MSG_RAW(...) trace_printf_helper(0, false, __VA_ARGS__)

#if TRACE_LEVEL >= TRACE_ERROR
#define EMSG(...) trace_printf_helper(TRACE_ERROR, true, __VA_ARGS__)
#define EMSG_RAW(...) trace_printf_helper(TRACE_ERROR, false, __VA_ARGS__)
#else
#define EMSG(...) (void)0
#define EMSG_RAW(...) (void)0
#endif

#if TRACE_LEVEL >= TRACE_INFO
#define IMSG(...) trace_printf_helper(TRACE_INFO, true, __VA_ARGS__)
#define IMSG_RAW(...) trace_printf_helper(TRACE_INFO, false, __VA_ARGS__)
#else
#define IMSG(...) (void)0
#define IMSG_RAW(...) (void)0
#endif

#if TRACE_LEVEL >= TRACE_DEBUG
#define DMSG(...) trace_printf_helper(TRACE_DEBUG, true, __VA_ARGS__)
#define DMSG_RAW(...) trace_printf_helper(TRACE_DEBUG, false, __VA_ARGS__)
#else
#define DMSG(...) (void)0
#define DMSG_RAW(...) (void)0
#endif

#if TRACE_LEVEL >= TRACE_FLOW
#define FMSG(...) trace_printf_helper(TRACE_FLOW, true, __VA_ARGS__)
#define FMSG_RAW(...) trace_printf_helper(TRACE_FLOW, false, __VA_ARGS__)
#else
#define FMSG(...) (void)0
#define FMSG_RAW(...) (void)0
#endif

#endif /* TRACE_H */
