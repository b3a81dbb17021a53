// SPDX-License-Identifier: MIT
/* The TA trace macros' output (trace.h): "E/TA: func:line message". */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>

void trace_printf(const char *func, int line, int level, bool prefix,
		  const char *fmt, ...)
{
	static const char trace_letters[] = "MEIDF";
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (level < 0 || level > TRACE_MAX)
		level = 0;
	if (prefix)
		ta_rt_log(level, "%c/TA: %s:%d %s", trace_letters[level], func,
			  line, msg);
	else
		ta_rt_log(level, "%s", msg);
}
