// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The tracepoints of the "mbuf" event group (trace.h), instantiated here
 * once for the whole module. Built only with CONFIG_MBUFCOMPAT_TRACEPOINTS.
 */
#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"
