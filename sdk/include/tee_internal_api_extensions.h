/* SPDX-License-Identifier: MIT */
/*
 * What TA code commonly takes from this header besides the GP API: the
 * trace macros (EMSG, IMSG, DMSG, FMSG and their _RAW forms, trace.h).
 */
#ifndef TEE_INTERNAL_API_EXTENSIONS_H
#define TEE_INTERNAL_API_EXTENSIONS_H

#include <tee_api_types.h>
#include <trace.h>

#endif /* TEE_INTERNAL_API_EXTENSIONS_H */
