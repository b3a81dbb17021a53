/* SPDX-License-Identifier: MIT */
/* Trace levels of the TA trace macros (trace.h); TRACE_LEVEL picks which
 * are compiled in: the dev kit sets it from CFG_TEE_TA_LOG_LEVEL. */
#ifndef TRACE_LEVELS_H
#define TRACE_LEVELS_H

#define TRACE_MIN 1
#define TRACE_ERROR TRACE_MIN
#define TRACE_INFO 2
#define TRACE_DEBUG 3
#define TRACE_FLOW 4
#define TRACE_MAX TRACE_FLOW

#ifndef TRACE_LEVEL
#define TRACE_LEVEL TRACE_ERROR
#endif

#endif /* TRACE_LEVELS_H */
